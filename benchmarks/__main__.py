"""Run every benchmark and print one table: ``python -m benchmarks`` (``make bench``).

    python -m benchmarks [--runs N] [--only startup,registry,pdf,sheet,attendance] [--deputies N]

Figures are medians of N runs, each against a baseline measured in the same
run; the last columns say whether the target of issue 2 is met.
"""
from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import common, generate

PARTS = ("startup", "registry", "pdf", "cases", "sheet", "attendance", "wall", "preview")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    p.add_argument("--only", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS))
    p.add_argument("--deputies", type=int, default=generate.DEPUTIES,
                   help="size of the generated registry")
    p.add_argument("--cases", type=int, default=1_000_000,
                   help="size of the generated case file (part 'cases')")
    args = p.parse_args(argv)
    parts = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        p.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    _compile_catalogs(log)
    source = generate.cached_registry(deputies=args.deputies, log=log)
    results: list[common.Result] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="station_desk-bench-") as tmp:
        # settings and backups of the in-process parts stay out of the user's folder
        os.environ["STATION_DESK_DATA"] = str(Path(tmp) / "data")
        db = generate.working_copy(source, Path(tmp))
        counts = _counts(db)
        if "startup" in parts:
            log("cold start (fresh interpreters) ...")
            from benchmarks import startup

            results += startup.run(db, runs=args.runs, log=log)
        if "registry" in parts:
            log("registry list and search ...")
            from benchmarks import registry

            results += registry.run(db, runs=args.runs, log=log)
        if "pdf" in parts:
            log("roster PDF ...")
            from benchmarks import roster_pdf

            results += roster_pdf.run(db, runs=args.runs, log=log)
        if "cases" in parts:
            log("voter reception cases: list, search, register, memory ...")
            from benchmarks import cases

            results += cases.run(runs=args.runs, count=args.cases, log=log)
        if "sheet" in parts:
            from benchmarks import sign_in_sheet

            results += sign_in_sheet.run(runs=args.runs, log=log)
        if "attendance" in parts:
            log("attendance dialog for 200 people ...")
            from benchmarks import attendance

            results += attendance.run(db, runs=args.runs, log=log)
        if "wall" in parts:
            log("wall notice set, 60 deputies with photos ...")
            from benchmarks import wall_set

            results += wall_set.run(runs=args.runs, log=log)
        if "preview" in parts:
            log("print centre preview: one page to an image ...")
            from benchmarks import preview

            results += preview.run(runs=args.runs, log=log)

    print(f"station_desk benchmarks — registry of {counts['deputies']:,} deputies, "
          f"{counts['mandates']:,} mandates ({counts['suspended']} suspended, "
          f"{counts['terminated']} terminated), {counts['groups']} groups, "
          f"{counts['villages']} villages")
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
          f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}; median of {args.runs} runs")
    print()
    print(common.table(results))
    notes = [f"{r.name.strip()}: {r.note}" for r in results if r.note]
    if notes:
        print()
        print("\n".join(notes))
    over = [r for r in results if r.verdict == "OVER"]
    print()
    print(f"{len([r for r in results if r.verdict])} targets, {len(over)} over; "
          f"{time.perf_counter() - started:.0f} s")
    return 0


def _compile_catalogs(log) -> None:
    """Compile stale catalogs as ``make i18n`` does: a program started without its
    .mo files compiles the .po files with babel at every start."""
    from station_desk import i18n

    for po in sorted(i18n.catalog_dir().glob("*.po")):
        mo = i18n.locale_dir() / po.stem / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            log("compiling the message catalogs (make i18n) ...")
            i18n.compile_all()
            return


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "deputies": one("SELECT COUNT(*) FROM deputies WHERE deleted = 0"),
            "mandates": one("SELECT COUNT(*) FROM mandates WHERE deleted = 0"),
            "suspended": one("SELECT COUNT(*) FROM mandates WHERE status = 'suspended'"),
            "terminated": one("SELECT COUNT(*) FROM mandates WHERE status = 'terminated'"),
            "groups": one("SELECT COUNT(*) FROM deputy_groups WHERE deleted = 0"),
            "villages": one("SELECT COUNT(DISTINCT village) FROM deputies WHERE deleted = 0"),
        }
    finally:
        conn.close()


if __name__ == "__main__":
    raise SystemExit(main())
