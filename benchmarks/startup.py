"""Cold start to first paint: Station Desk on the big registry vs a bare QMainWindow.

Each start is a fresh interpreter (``startup_child.py``), timed from just
before the process is spawned to the end of the window's first painted frame;
the two kinds alternate so both see the same machine load.  The app's run
also gives the peak RSS with the registry open.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
import time

from benchmarks.common import Result, median
from benchmarks.generate import cache_dir

CHILD = Path(__file__).with_name("startup_child.py")
ROOT = CHILD.parent.parent
TARGET_RATIO = 2.0


def one_start(mode: str, db: Path | None = None) -> dict:
    """Spawn one cold start; returns the child's report with durations in ms."""
    with tempfile.TemporaryDirectory(prefix="station_desk-bench-data-") as data:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   STATION_DESK_DATA=data,  # no saved geometry or language: a first start
                   # the checkout, for both kinds alike, in case it is not pip-installed
                   PYTHONPATH=os.pathsep.join(
                       p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
                   # an installed program starts from compiled bytecode: keep it between
                   # runs (the warm-up start writes it), outside the source tree
                   PYTHONPYCACHEPREFIX=str(cache_dir() / "pycache"))
        args = [sys.executable, str(CHILD), mode] + ([str(db)] if db else [])
        t0 = time.time_ns()
        proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"{mode} start failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    report = json.loads(lines[-1])
    if "error" in report:
        raise RuntimeError(report["error"])
    if proc.returncode != 0:
        # the window was painted and measured, but the process then died: say so
        fatal = [ln for ln in proc.stderr.splitlines() if "Fatal" in ln or "Error" in ln]
        report["exit_error"] = (f"exit code {proc.returncode}"
                                + (f" ({fatal[0].strip()})" if fatal else ""))
    report["ms"] = {k: (v - t0) / 1e6 for k, v in report["marks"].items()}
    return report


BENCH_LOGIN, BENCH_PASSWORD = "bench-clerk", "bench-start-2026"


def _with_account(db: Path) -> None:
    """A clerk's account on ``db``, for the child to sign in with: the start
    of a station with accounts (all of them) passes through the sign-in."""
    from station_desk.services import accounts
    from station_desk.services.session import open_session

    session = open_session(db, actor="bench")
    try:
        if not any(a["login"] == BENCH_LOGIN for a in accounts.accounts(session)):
            accounts.create_account(session, login=BENCH_LOGIN, display_name="Bench",
                                    role="clerk", password=BENCH_PASSWORD)
    finally:
        session.close()


def run(db: Path, *, runs: int = 5, log=print) -> list[Result]:
    """``runs`` cold starts of each kind, alternating; medians."""
    _with_account(db)
    bare, app, floor, floor_qt = [], [], [], []
    # warm-up, not counted: shared libraries into the page cache, bytecode compiled
    one_start("bare")
    one_start("app", db)
    for i in range(runs):
        bare.append(one_start("bare"))
        app.append(one_start("app", db))
        floor.append(one_start("floor", db))
        floor_qt.append(one_start("floor-qt", db))
        log(f"  start {i + 1}/{runs}: bare {bare[-1]['ms']['frame_done']:.0f} ms, "
            f"app {app[-1]['ms']['frame_done']:.0f} ms")

    def med(reports, key):
        return median([r["ms"][key] for r in reports])

    rows = app[-1].get("rows")
    heavy = sorted({m for r in app for m in r["heavy_loaded"]})
    results = [
        Result("cold start → first paint, main window", med(app, "frame_done"),
               med(bare, "frame_done"), target_ratio=TARGET_RATIO,
               samples=[r["ms"]["frame_done"] for r in app],
               note=(f"registry listing {rows:,} deputies" if rows is not None else
                     "opens on the start screen (Today); the registry is built when opened")
               + "; bare QMainWindow as baseline"),
        Result("  floor: bare + import sqlite-utils + quick_check", med(floor, "frame_done"),
               med(bare, "frame_done"),
               note="what any start must pay besides Qt: the fixed storage stack and the "
                    "start-up integrity check of the 10k database"),
        Result("  floor + Qt namespace (its enums made on first use)",
               med(floor_qt, "frame_done"), med(bare, "frame_done"),
               note="PySide6 creates the enums of the Qt namespace (alignment, roles, "
                    "orientations...) when a program first touches it; the bare window "
                    "never does"),
        Result("  app, of which: imports", med(app, "imported"), med(bare, "imported")),
        Result("  app, of which: imports + window built and shown", med(app, "shown"),
               med(bare, "shown")),
    ]
    rss_app = [r["rss_mib"] for r in app if r["rss_mib"] is not None]
    rss_bare = [r["rss_mib"] for r in bare if r["rss_mib"] is not None]
    if rss_app:
        results.append(Result("peak RSS, window with the registry open", median(rss_app),
                              median(rss_bare) if rss_bare else None, unit="MiB"))
    results[0].note += ("; loaded before first paint: " + ", ".join(heavy)) if heavy else \
        "; reportlab/openpyxl/babel/pypdfium2/PIL not loaded before first paint"
    crashed = [r["exit_error"] for r in app if "exit_error" in r]
    if crashed:
        results[0].note += (f"; WARNING: {len(crashed)} of {len(app)} app processes died after "
                            f"the first paint: {crashed[0]}")
    return results
