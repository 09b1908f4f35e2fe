"""The activities service on the county-scale registry (10,000 deputies).

    python -m benchmarks.activities_service [--runs N] [--activities N] [--invited 30-60]

A working copy of the cached registry gets three years of activities (each
with 30–60 invited deputies and their attendance, written through the storage
functions in one transaction, as the generator does for deputies) plus one
activity of 200 invited.  Then, medians of N runs:

- ``warnings()`` (absent twice in a row, no activity in the last quarter);
  baseline: the two plain SQL scans a hand-written program needs at least
  (the held invitations of serving deputies, the present ones of the quarter).
- ``activity()`` of the 200-person activity; baseline: the plain sheet query.
- ``mark()`` of one person (what the attendance dialog does per key press);
  baseline: the same UPDATE in a plain transaction.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks import generate
from benchmarks.common import Result, median, table, timed_ms

KINDS = ("learning", "theory", "inspection", "service", "meeting", "report_back")


def populate(session, *, activities: int, invited: tuple[int, int] = (30, 60),
             seed: int = 4) -> str:
    """Write the activities; returns the id of the 200-person one."""
    from station_desk.storage import activities as store

    rng = random.Random(seed)
    db, origin = session.db, session.station_code
    serving = sorted(store.serving(db))
    start = datetime(2023, 3, 1, 9, 0)
    span = (datetime(2026, 3, 1) - start).days
    with db.atomic():
        for n in range(activities):
            at = start + timedelta(days=rng.randrange(span))
            aid = store.insert_activity(db, origin=origin, fields={
                "kind": rng.choice(KINDS), "title": f"活动{n}",
                "starts_at": at.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "status": "held", "created_at": "2026-03-01T09:00:00+08:00"})
            people = rng.sample(serving, rng.randint(*invited))
            store.insert_invitees(db, origin=origin, rows=[{
                "activity_id": aid, "deputy_id": d, "sort": i, "name": "", "name_ko": "",
                "unit": "", "post": "", "phone": "",
                "attendance": rng.choices(("present", "leave", "absent"), (85, 8, 7))[0]}
                for i, d in enumerate(people)])
        big = store.insert_activity(db, origin=origin, fields={
            "kind": "learning", "title": "全体代表集中学习", "starts_at": "2026-03-05T09:00",
            "ends_at": "2026-03-05T11:30", "status": "scheduled",
            "created_at": "2026-03-01T09:00:00+08:00"})
        store.insert_invitees(db, origin=origin, rows=[{
            "activity_id": big, "deputy_id": d, "sort": i, "name": "", "name_ko": "",
            "unit": "", "post": "", "phone": ""}
            for i, d in enumerate(rng.sample(serving, 200))])
    return big


def run(db: Path, *, runs: int, activities: int, invited: tuple[int, int] = (30, 60),
        log=print) -> list[Result]:
    from station_desk.services import activities as act
    from station_desk.services.session import open_session

    session = open_session(db, clock=lambda: generate.NOW)
    try:
        log(f"writing {activities:,} activities ...")
        big = populate(session, activities=activities, invited=invited)
        invitations = session.db.execute(
            "SELECT count(*) FROM activity_invitees").fetchone()[0]
        log(f"  {invitations:,} invitations")
        raw = sqlite3.connect(str(db))
        results = []

        def plain_warnings():
            # one plain scan of the marked invitations and the quarter's present ones
            raw.execute("SELECT deputy_id, activity_id, attendance FROM activity_invitees "
                        "WHERE attendance <> 'unmarked' AND +deputy_id IS NOT NULL").fetchall()
            raw.execute(
                "SELECT DISTINCT i.deputy_id FROM activities a CROSS JOIN activity_invitees i "
                "ON i.activity_id = a.id WHERE a.starts_at >= '2025-10-01' "
                "AND a.starts_at < '2026-01-01' AND i.attendance = 'present'").fetchall()

        w = act.warnings(session)
        note = (f"{len(w['absent_twice'])} absent twice, {len(w['inactive'])} inactive; "
                f"{invitations:,} invitations")
        results.append(Result("warnings() on 10,000 deputies",
                              median(timed_ms(lambda: act.warnings(session), runs=runs)),
                              median(timed_ms(plain_warnings, runs=runs)), target_abs=50,
                              note=note))

        def plain_sheet():
            raw.execute(
                "SELECT i.id, d.name, d.unit, d.post, d.phone, i.attendance FROM "
                "activity_invitees i JOIN deputies d ON d.id = i.deputy_id "
                "WHERE i.activity_id = ? ORDER BY i.sort", [big]).fetchall()

        results.append(Result("activity() of 200 invited",
                              median(timed_ms(lambda: act.activity(session, big), runs=runs)),
                              median(timed_ms(plain_sheet, runs=runs)), target_abs=5))
        ids = [i["id"] for i in act.activity(session, big)["invitees"]]
        cycle = iter(range(10 ** 9))

        def one_mark():
            n = next(cycle)
            act.mark(session, activity_id=big, marks={
                ids[n % len(ids)]: ("present", "absent")[n // len(ids) % 2]})

        def plain_mark():
            n = next(cycle)
            with raw:
                raw.execute("UPDATE activity_invitees SET attendance = ? WHERE id = ?",
                            [("present", "absent")[n % 2], ids[n % len(ids)]])

        results.append(Result("mark() of one person",
                              median(timed_ms(one_mark, runs=max(runs, 20))),
                              median(timed_ms(plain_mark, runs=max(runs, 20))), target_abs=5,
                              note="synchronous=FULL commit each"))
        raw.close()
        return results
    finally:
        session.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.activities_service",
                                description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--activities", type=int, default=600)
    p.add_argument("--invited", default="30-60", help="people invited to each, LOW-HIGH")
    args = p.parse_args(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    source = generate.cached_registry(log=log)
    with tempfile.TemporaryDirectory(prefix="station_desk-bench-") as tmp:
        db = generate.working_copy(source, Path(tmp))
        low, high = (int(x) for x in args.invited.split("-"))
        results = run(db, runs=args.runs, activities=args.activities, invited=(low, high),
                      log=log)
    print(table(results))
    for r in results:
        if r.note:
            print(f"  {r.name}: {r.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
