"""The performance ledger and the evaluation (issue 5).

    python -m benchmarks.ledger [--runs N] [--only file,station,county]

Three figures, medians of N runs, each against a baseline measured in the
same run:

- ``file``: one deputy's file over a 5-year term holding 2,000 entries
  (800 activity invitations, 300 reception duties, 150 cases, 50 practical
  matters, 100 suggestions, 600 declared entries), on a station of 60
  deputies: ``services.ledger.deputy_file`` and the performance file screen
  showing it (deputy chosen, period "whole term", table and month strip
  filled).  Baseline: the plain SQL reads of the same rows.  Target 150 ms.
- ``station``: ``services.evaluation.compute`` of 2025 for the 60 deputies
  (about 100 entries each that year, Hunchun scheme).  Baseline: the plain
  SQL scans of the year's rows.  Target 300 ms.
- ``county``: the same on the cached 10,000-deputy registry with 2,000,000
  entries, all in 2025 (the worst case: every entry is read by the year's
  evaluation): 1,200,000 activity invitations, 400,000 reception duties,
  400,000 approved declared entries; with the progress callback (the number of
  calls is printed).  Baseline: the plain scans of the same rows, counted per
  deputy in Python.  Target 10 s.  The rows are written straight into a working
  copy with the sync triggers of those tables dropped (the data is only read
  here; writing 2,000,000 rows through the triggers would only slow the set-up).
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks import generate
from benchmarks.common import Result, median, table, timed_ms

NOW = generate.NOW
PERIOD = "2025"


def _uuid(rng: random.Random) -> str:
    return "%032x" % rng.getrandbits(128)


def _station(path: Path):
    from station_desk.services.session import create_station

    return create_station(path, clock=lambda: NOW, actor="bench", profile={
        "name_zh": "龙井市智新镇人大代表联络站", "name_ko": "룡정시 지신진 인대대표련락소",
        "code": "222405-01", "county": "龙井市"})


def _deputies(session, n: int) -> list[str]:
    from station_desk.services import registry

    ids = []
    for i in range(n):
        ids.append(registry.create_deputy(session, data={
            "name": f"代表{i:03d}", "name_ko": "", "sex": "M", "ethnicity": "10",
            "birth_date": "1970-01-01", "party": "01", "unit": "智新镇", "post": "村民",
            "phone": f"1384331{i:04d}", "village": "明东村"},
            mandates=[{"level": "township", "term": 18, "constituency": "第3选区",
                       "elected_on": "2021-11-20"}]).created_id)
    return ids


def _fill(db, origin: str, deputies: list[str], *, per_deputy: dict, low: date, high: date,
          rng: random.Random) -> None:
    """Rows of every source for ``deputies`` between the dates, through plain
    inserts in one transaction (the sync triggers stay: a station-size file)."""
    span = (high - low).days

    def day() -> date:
        return low + timedelta(days=rng.randrange(span))

    with db.conn:
        for d in deputies:
            for _ in range(per_deputy["activity"]):
                a, on = _uuid(rng), day()
                db.execute("INSERT INTO activities(id, origin, kind, title, starts_at, ends_at, "
                           "status, created_at) VALUES (?, ?, 'meeting', '代表活动', ?, ?, 'held', "
                           "'2025-01-01')", [a, origin, f"{on}T09:00", f"{on}T11:00"])
                db.execute("INSERT INTO activity_invitees(id, origin, activity_id, deputy_id, "
                           "attendance) VALUES (?, ?, ?, ?, ?)",
                           [_uuid(rng), origin, a, d,
                            rng.choices(("present", "absent", "leave"), (85, 7, 8))[0]])
            on_duty: set[date] = set()
            for _ in range(per_deputy["duty"]):
                on = day()
                while on in on_duty:
                    on = day()
                on_duty.add(on)
                row = db.execute("SELECT id FROM reception_days WHERE day = ? AND deleted = 0",
                                 [on.isoformat()]).fetchone()
                day_id = row[0] if row else _uuid(rng)
                if not row:
                    db.execute("INSERT INTO reception_days(id, origin, day) VALUES (?, ?, ?)",
                               [day_id, origin, on.isoformat()])
                db.execute("INSERT INTO duty_assignments(id, origin, day_id, deputy_id) "
                           "VALUES (?, ?, ?, ?)", [_uuid(rng), origin, day_id, d])
            for n in range(per_deputy["case"]):
                c = _uuid(rng)
                db.execute("INSERT INTO cases(id, origin, rowkey, number, registered_on, channel, "
                           "category, words, state, updated_at) VALUES (?, ?, ?, ?, ?, "
                           "'reception_day', 'help', '路灯', 'archived', '2025-01-01')",
                           [c, origin, rng.getrandbits(40), _uuid(rng)[:12], day().isoformat()])
                db.execute("INSERT INTO case_deputies(id, origin, case_id, deputy_id) "
                           "VALUES (?, ?, ?, ?)", [_uuid(rng), origin, c, d])
            for _ in range(per_deputy["practical"]):
                m = _uuid(rng)
                db.execute("INSERT INTO practical_matters(id, origin, title, stage, started_on, "
                           "updated_at) VALUES (?, ?, '实事', 'do', ?, '2025-01-01')",
                           [m, origin, day().isoformat()])
                db.execute("INSERT INTO practical_deputies(id, origin, matter_id, deputy_id) "
                           "VALUES (?, ?, ?, ?)", [_uuid(rng), origin, m, d])
            for _ in range(per_deputy["suggestion"]):
                db.execute("INSERT INTO suggestions(id, origin, deputy_id, congress, title, "
                           "submitted_on) VALUES (?, ?, ?, 'county', '建议', ?)",
                           [_uuid(rng), origin, d, day().isoformat()])
            for _ in range(per_deputy["declared"]):
                db.execute("INSERT INTO ledger_entries(id, origin, deputy_id, kind, on_date, "
                           "title, review, declared_at) VALUES (?, ?, ?, ?, ?, '会议', ?, "
                           "'2025-01-01')",
                           [_uuid(rng), origin, d, rng.choice(("meeting", "speech", "training")),
                            day().isoformat(), rng.choice(("approved", "approved", "pending"))])


def _plain_file(raw: sqlite3.Connection, deputy: str, low: str, high: str) -> int:
    n = 0
    for sql in (
        "SELECT a.id, a.starts_at, a.title, i.attendance FROM activity_invitees i JOIN activities a "
        "ON a.id = i.activity_id WHERE i.deputy_id = ? AND a.starts_at >= ? AND a.starts_at < ?",
        "SELECT d.id, d.day FROM duty_assignments a JOIN reception_days d ON d.id = a.day_id "
        "WHERE a.deputy_id = ? AND d.day >= ? AND d.day <= ?",
        "SELECT c.id, c.number, c.registered_on FROM case_deputies cd JOIN cases c "
        "ON c.id = cd.case_id WHERE cd.deputy_id = ? AND c.registered_on BETWEEN ? AND ?",
        "SELECT m.id, m.title FROM practical_deputies p JOIN practical_matters m "
        "ON m.id = p.matter_id WHERE p.deputy_id = ? AND m.started_on BETWEEN ? AND ?",
        "SELECT id, title FROM suggestions WHERE deputy_id = ? AND submitted_on BETWEEN ? AND ?",
        "SELECT id, title, review FROM ledger_entries WHERE deputy_id = ? "
        "AND on_date BETWEEN ? AND ?",
    ):
        n += len(raw.execute(sql, [deputy, low, high + ("T99" if "starts_at" in sql else "")])
                 .fetchall())
    return n


def _plain_year(raw: sqlite3.Connection, low: str, high: str) -> dict:
    counts: dict[str, int] = {}
    for sql in (
        "SELECT i.deputy_id FROM activities a CROSS JOIN activity_invitees i "
        "ON i.activity_id = a.id WHERE a.starts_at >= ? AND a.starts_at < ?",
        "SELECT a.deputy_id FROM reception_days d CROSS JOIN duty_assignments a "
        "ON a.day_id = d.id WHERE d.day >= ? AND d.day < ?",
        "SELECT cd.deputy_id FROM cases c CROSS JOIN case_deputies cd ON cd.case_id = c.id "
        "WHERE c.registered_on >= ? AND c.registered_on < ?",
        "SELECT deputy_id FROM ledger_entries WHERE on_date >= ? AND on_date < ? "
        "AND review = 'approved'",
    ):
        for (d,) in raw.execute(sql, [low, high + "T99"]):
            counts[d] = counts.get(d, 0) + 1
    return counts


def bench_file(folder: Path, *, runs: int, log) -> list[Result]:
    from station_desk.services import ledger
    from station_desk.services.session import open_session

    path = folder / "file.sqlite3"
    s = _station(path)
    ids = _deputies(s, 60)
    log("  writing 2,000 entries of one deputy over five years ...")
    _fill(s.db, s.station_code, ids[:1], low=date(2021, 11, 20), high=date(2026, 3, 9),
          per_deputy={"activity": 800, "duty": 300, "case": 150, "practical": 50,
                      "suggestion": 100, "declared": 600}, rng=random.Random(5))
    s.close()
    s = open_session(path, clock=lambda: NOW)
    raw = sqlite3.connect(str(path))
    deputy = ids[0]
    found = ledger.deputy_file(s, deputy_id=deputy, since="2021-11-20", until="2026-03-09")
    out = [Result("deputy file, 5-year term, service", median(timed_ms(
        lambda: ledger.deputy_file(s, deputy_id=deputy, since="2021-11-20", until="2026-03-09"),
        runs=runs)), median(timed_ms(lambda: _plain_file(raw, deputy, "2021-11-20",
                                                         "2026-03-09"), runs=runs)),
        target_abs=150, note=f"{len(found['entries']):,} entries, "
                             f"{len(found['months'])} months")]
    from PySide6.QtWidgets import QApplication

    from station_desk.ui.screens.ledger import LedgerScreen

    app = QApplication.instance() or QApplication([])
    screen = LedgerScreen(s)
    screen.resize(1200, 760)
    screen.show()
    app.processEvents()

    def open_file():
        screen.select_deputy(ids[1])  # another deputy first (untimed: see below)
        t0 = time.perf_counter()
        screen.select_deputy(deputy)  # the file is read and shown
        screen.repaint()
        spent.append((time.perf_counter() - t0) * 1000)

    screen.set_period("term")
    spent: list[float] = []
    timed_ms(open_file, runs=runs)
    out.append(Result("deputy file, 5-year term, screen", median(spent[1:]),
                      out[0].baseline, target_abs=150,
                      note=f"{screen.model.rowCount():,} rows in the table"))
    screen.close()
    raw.close()
    s.close()
    return out


def bench_station(folder: Path, *, runs: int, log) -> list[Result]:
    from station_desk.services import evaluation
    from station_desk.services.session import open_session

    path = folder / "station.sqlite3"
    s = _station(path)
    ids = _deputies(s, 60)
    log("  writing a year of entries for 60 deputies ...")
    _fill(s.db, s.station_code, ids, low=date(2025, 1, 1), high=date(2025, 12, 31),
          per_deputy={"activity": 40, "duty": 6, "case": 10, "practical": 2,
                      "suggestion": 4, "declared": 40}, rng=random.Random(6))
    s.close()
    s = open_session(path, clock=lambda: NOW)
    raw = sqlite3.connect(str(path))
    rows = evaluation.compute(s, period=PERIOD)
    out = [Result("evaluation of 60 deputies (compute)", median(timed_ms(
        lambda: evaluation.compute(s, period=PERIOD), runs=runs)),
        median(timed_ms(lambda: _plain_year(raw, "2025-01-01", "2025-12-31"), runs=runs)),
        target_abs=300, note=f"{len(rows)} deputies ranked")]
    out.append(Result("evaluation of 60 deputies (computed and stored)", median(timed_ms(
        lambda: evaluation.evaluate(s, period=PERIOD), runs=runs)), out[0].baseline,
        target_abs=300))
    raw.close()
    s.close()
    return out


def _county(db: Path, log) -> None:
    """2,000,000 entries in 2025 on the 10,000-deputy registry."""
    raw = sqlite3.connect(str(db))
    rng = random.Random(7)
    serving = [r[0] for r in raw.execute("SELECT DISTINCT deputy_id FROM mandates "
                                         "WHERE status = 'active' AND deleted = 0")]
    for t in ("activities", "activity_invitees", "reception_days", "duty_assignments",
              "ledger_entries"):
        raw.execute(f"DROP TRIGGER IF EXISTS {t}_seq_insert")
    start = date(2025, 1, 1)
    t0 = time.perf_counter()
    with raw:
        activities = []
        for n in range(20_000):
            on = start + timedelta(days=rng.randrange(365))
            activities.append((_uuid(rng), "B", "meeting", f"活动{n}", f"{on}T09:00",
                               f"{on}T11:00", "held", "2025-01-01"))
        raw.executemany("INSERT INTO activities(id, origin, kind, title, starts_at, ends_at, "
                        "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", activities)
        marks = ("present",) * 17 + ("absent", "leave", "leave")
        raw.executemany(
            "INSERT INTO activity_invitees(id, origin, activity_id, deputy_id, attendance) "
            "VALUES (?, 'B', ?, ?, ?)",
            ((_uuid(rng), a[0], d, marks[rng.randrange(20)]) for a in activities
             for d in rng.sample(serving, 60)))
        days = []
        for i in range(365):
            days.append((_uuid(rng), (start + timedelta(days=i)).isoformat()))
        raw.executemany("INSERT INTO reception_days(id, origin, day) VALUES (?, 'B', ?)", days)
        # (day, deputy) is unique: 400,000 distinct pairs of the 365 × 10,000
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < 400_000:
            pairs.add((rng.randrange(365), rng.randrange(len(serving))))
        raw.executemany("INSERT INTO duty_assignments(id, origin, day_id, deputy_id) "
                        "VALUES (?, 'B', ?, ?)",
                        ((_uuid(rng), days[i][0], serving[j]) for i, j in sorted(pairs)))
        kinds = ("meeting", "speech", "training", "report_back", "donation")
        raw.executemany(
            "INSERT INTO ledger_entries(id, origin, deputy_id, kind, on_date, title, review, "
            "declared_at) VALUES (?, 'B', ?, ?, ?, '会议', 'approved', '2025-01-01')",
            ((_uuid(rng), rng.choice(serving), kinds[rng.randrange(5)],
              (start + timedelta(days=rng.randrange(365))).isoformat())
             for _ in range(400_000)))
    raw.execute("ANALYZE")
    raw.close()
    log(f"  written in {time.perf_counter() - t0:.0f} s")


def bench_county(folder: Path, *, runs: int, log) -> list[Result]:
    from station_desk.services import evaluation
    from station_desk.services.session import open_session

    source = generate.cached_registry(log=log)
    db = generate.working_copy(source, folder)
    log("  writing 2,000,000 entries (1.2 M invitations, 400 k duties, 400 k declared) ...")
    _county(db, log)
    s = open_session(db, clock=lambda: NOW)
    raw = sqlite3.connect(str(db))
    entries = sum(raw.execute(q).fetchone()[0] for q in (
        "SELECT count(*) FROM activity_invitees", "SELECT count(*) FROM duty_assignments",
        "SELECT count(*) FROM ledger_entries"))
    calls: list[tuple[int, int]] = []
    runs = max(1, min(runs, 3))
    measured = timed_ms(lambda: evaluation.compute(
        s, period=PERIOD, progress=lambda d, t: calls.append((d, t))), runs=runs, warmup=0)
    baseline = timed_ms(lambda: _plain_year(raw, "2025-01-01", "2025-12-31"), runs=runs,
                        warmup=0)
    people = calls[-1][1] if calls else 0
    out = [Result("county evaluation, 10,000 deputies / 2 M entries", median(measured),
                  median(baseline), target_abs=10_000,
                  note=f"{entries:,} entries, {people:,} deputies ranked, "
                       f"{len(calls) // runs} progress calls per run")]
    raw.close()
    s.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.ledger",
                                description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--only", default="file,station,county")
    args = p.parse_args(argv)
    parts = [x.strip() for x in args.only.split(",") if x.strip()]

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="station_desk-bench-") as tmp:
        os.environ["STATION_DESK_DATA"] = str(Path(tmp) / "data")
        folder = Path(tmp)
        if "file" in parts:
            log("a deputy's file ...")
            results += bench_file(folder, runs=args.runs, log=log)
        if "station" in parts:
            log("the station's evaluation ...")
            results += bench_station(folder, runs=args.runs, log=log)
        if "county" in parts:
            log("the county's evaluation ...")
            results += bench_county(folder, runs=args.runs, log=log)
    print(table(results))
    for r in results:
        if r.note:
            print(f"  {r.name}: {r.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
