"""The audit chain check on a trail of 100,000 rows (issue 8).

    .venv/bin/python -m benchmarks.audit_verify [--rows 100000] [--runs 3]

A station database gets ``--rows`` audit rows through ``storage.audit.record``
(each chained as the program writes them; before/after like a deputy's edit),
then ``services.audit.verify_file`` walks the whole chain: read in batches,
hash, compare, checkpoint.  The baseline, measured in the same run, reads the
same columns with a plain ``SELECT … ORDER BY seq`` on its own connection
(what any check must pay to look at every row).  Printed: median ms of each,
their ratio, and the peak memory the check added (tracemalloc), which stays
flat because the rows are streamed.
"""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

NOW = datetime(2026, 3, 9, 10, 30, tzinfo=timezone(timedelta(hours=8)))


def build(path: Path, rows: int) -> None:
    from station_desk.services import demo
    from station_desk.services.session import create_station
    from station_desk.storage import audit

    session = create_station(path, profile=demo.PROFILE, actor="bench", clock=lambda: NOW)
    with session.write():
        for i in range(rows):
            at = (NOW + timedelta(seconds=i * 30)).isoformat(timespec="seconds")
            audit.record(session.db, at=at, actor=("clerk1", "clerk2", "head")[i % 3],
                         action=("create", "update", "print")[i % 3], object_type="deputy",
                         object_id=f"{i:08x}-0000-4000-8000-000000000000",
                         before={"post": "村委会委员", "unit": "智新镇明东村"} if i % 3 == 1 else None,
                         after={"post": "村委会主任", "unit": "智新镇明东村", "name": f"金{i}"},
                         result="ok")
    session.close()


def baseline(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        n = 0
        cursor = conn.execute("SELECT seq, at, actor, action, object_type, object_id, before,"
                              " after, result, prev_hash, hash FROM audit ORDER BY seq")
        while rows := cursor.fetchmany(5000):
            n += len(rows)
        return n
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    from station_desk.services import audit

    with tempfile.TemporaryDirectory(prefix="station_desk-audit-") as tmp:
        path = Path(tmp) / "station.sqlite3"
        started = time.perf_counter()
        build(path, args.rows)
        print(f"built {args.rows} rows in {time.perf_counter() - started:.1f} s")
        base, check = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            baseline(path)
            base.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            report = audit.verify_file(path)
            check.append((time.perf_counter() - t) * 1000)
            assert report.ok and report.checked >= args.rows, report
        tracemalloc.start()
        audit.verify_file(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    b, c = statistics.median(base), statistics.median(check)
    print(f"audit chain check, {args.rows} rows: {c:.0f} ms (median of {args.runs}); "
          f"plain SELECT of the same rows: {b:.0f} ms; ratio {c / b:.1f}x; "
          f"peak Python memory of the check {peak / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
