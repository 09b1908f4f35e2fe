"""Bundle benchmarks (issue 7): ``python -m benchmarks.bundles [--stations 400]``.

* export of a full 10-year station snapshot (~50,000 rows + photos) against a
  plain baseline in the same run (the same rows as JSON lines in a zip, no
  signature, no encryption, no read-back);
* county import of N one-month bundles (default 400), in all;
* import rows/s against a raw ``executemany`` of the same rows into a fresh
  county file (same schema and triggers);
* peak memory: tracemalloc's peak of Python allocations during export and
  import, and the process's peak RSS (``ru_maxrss``, Linux/macOS).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
import uuid
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 9, 10, 30, tzinfo=CST)
COUNTY = "222405"


def clock():
    return NOW


def _id() -> str:
    return str(uuid.uuid4())


def fill_station(session, *, years: int = 10, scale: float = 1.0, photos: int = 0,
                 rng: random.Random | None = None) -> int:
    """Rows of ``years`` of a busy station written straight through SQL in one
    transaction (the triggers stamp change_seq as for any write)."""
    rng = rng or random.Random(7)
    o = session.station_code
    db = session.db.conn
    n = 0

    def ins(table: str, rows: list[dict]) -> None:
        nonlocal n
        if not rows:
            return
        keys = list(rows[0])
        db.executemany(f"INSERT INTO {table} ({', '.join(keys)}) VALUES "
                       f"({', '.join('?' * len(keys))})", [[r[k] for k in keys] for r in rows])
        n += len(rows)

    db.execute("BEGIN")
    deputies = [{"id": _id(), "origin": o, "name": f"代表{i}", "name_ko": f"대표{i}",
                 "sex": "M", "unit": "智新镇明东村", "post": "村主任",
                 "phone": f"138{rng.randrange(10**8):08d}", "village": "明东村",
                 "created_at": "2016-01-01"} for i in range(int(800 * scale))]
    ins("deputies", deputies)
    mandates = [{"id": _id(), "origin": o, "deputy_id": d["id"], "level": "township",
                 "term": 18, "elected_on": "2021-11-20", "status_since": "2021-11-20"}
                for d in deputies]
    ins("mandates", mandates)
    ins("mandate_events", [{"id": _id(), "origin": o, "mandate_id": m["id"], "kind": "elected",
                            "on_date": "2021-11-20", "recorded_at": "2021-11-20",
                            "recorded_by": "clerk"} for m in mandates])
    voters, cases, events = [], [], []
    for i in range(int(5000 * scale * years / 10)):
        v = {"id": _id(), "origin": o, "name": f"选民{i}", "village": "明东村",
             "phone": f"139{rng.randrange(10**8):08d}", "language": "zh",
             "consent": i % 3 == 0, "created_at": "2020-01-01"}
        voters.append(v)
        route = "county" if i % 5 == 0 else "village"
        c = {"id": _id(), "origin": o, "rowkey": i + 1, "number": f"{2016 + i % years}-{i:05d}",
             "voter_id": v["id"], "voter_name": v["name"], "village": "明东村",
             "registered_on": "2020-03-02", "channel": "reception_day", "category": "help",
             "words": "村里的路灯坏了三个月，晚上出门很危险，希望尽快修好。" * 2,
             "state": "archived", "route": route, "updated_at": "2020-04-01"}
        cases.append(c)
        for k, kind in enumerate(("register", "sort", "forward", "handle", "reply")):
            events.append({"id": _id(), "origin": o, "case_id": c["id"], "seq": k, "kind": kind,
                           "at": "2020-03-02T10:00:00+08:00", "actor": "clerk",
                           "data": json.dumps({"on": "2020-03-02", "voter_id": v["id"]}
                                              if kind == "register" else {"on": "2020-03-03"})})
    ins("voters", voters)
    ins("cases", cases)
    ins("case_events", events)
    acts = [{"id": _id(), "origin": o, "kind": "training", "title": f"活动{i}",
             "starts_at": "2020-05-01T09:00", "ends_at": "2020-05-01T11:00",
             "created_at": "2020-04-01"} for i in range(int(400 * scale))]
    ins("activities", acts)
    ins("activity_invitees", [{"id": _id(), "origin": o, "activity_id": a["id"],
                               "deputy_id": deputies[(i * 7 + j) % len(deputies)]["id"],
                               "sort": j, "attendance": "present"}
                              for i, a in enumerate(acts) for j in range(5)])
    ins("activity_photos", [{"id": _id(), "origin": o, "activity_id": acts[i % len(acts)]["id"],
                             "mime": "image/jpeg", "data": rng.randbytes(200_000)}
                            for i in range(photos)])
    db.execute("COMMIT")
    return n


def _station(folder: Path, code: str, county_session, template: Path | None = None):
    from station_desk.services import bundles, county as county_svc
    from station_desk.services.session import create_station

    s = create_station(folder / f"{code}.sqlite3", clock=clock, actor="bench", profile={
        "name_zh": f"联络站{code}", "code": code, "county": "龙井市"})
    enrol = bundles.export_enrolment(s, folder=folder)
    county_svc.enrol_station(county_session, path=enrol,
                             fingerprint=bundles.read_key_file(enrol)["fingerprint"])
    key = folder / "county.county-key.json"
    if not key.exists():
        key = county_svc.export_county_key(county_session, folder=folder)
    bundles.import_county_key(s, path=key, fingerprint=bundles.read_key_file(key)["fingerprint"])
    return s


def baseline_export(session, out: Path) -> float:
    """The same rows as JSON lines in a zip: no privacy, signature, encryption, read-back."""
    from station_desk.storage import bundles as store

    t0 = time.perf_counter()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for t in store.station_tables(session.db):
            lines = []
            for r in store.changed_rows(session.db, t, origin=session.station_code, above=0):
                lines.append(json.dumps({k: (v.hex() if isinstance(v, bytes) else v)
                                         for k, v in r.items()}, ensure_ascii=False))
            zf.writestr(f"data/{t}.jsonl", "\n".join(lines))
    return time.perf_counter() - t0


def raw_executemany(station, target: Path) -> tuple[float, int]:
    """Seconds to insert every synced row of ``station`` into a fresh county file
    with one executemany per table (same schema and triggers), and the row count."""
    from station_desk.services import county as county_svc
    from station_desk.storage import bundles as store

    c = county_svc.create_county(target, code="RAW", name="raw", clock=clock)
    tables = {}
    for t in store.station_tables(station.db):
        rows = list(store.changed_rows(station.db, t, origin=station.station_code, above=0))
        if rows:
            tables[t] = rows
    n = sum(len(r) for r in tables.values())
    t0 = time.perf_counter()
    c.db.conn.execute("BEGIN")
    c.db.conn.execute("PRAGMA defer_foreign_keys = ON")
    for t, rows in tables.items():
        keys = [k for k in rows[0] if k != "change_seq"]
        c.db.conn.executemany(f"INSERT INTO {t} ({', '.join(keys)}) VALUES "
                              f"({', '.join('?' * len(keys))})", [[r[k] for k in keys] for r in rows])
    c.db.conn.execute("COMMIT")
    took = time.perf_counter() - t0
    c.close()
    return took, n


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 ** 2


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.bundles")
    p.add_argument("--stations", type=int, default=400)
    p.add_argument("--photos", type=int, default=100, help="200 kB photos in the snapshot")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    from station_desk.services import bundles, county as county_svc

    work = Path(tempfile.mkdtemp(prefix="bench-bundles-"))
    os.environ["STATION_DESK_DATA"] = str(work / "data")
    rows_out = []

    def row(name, measured, baseline=None, unit="s", target=""):
        ratio = f"{measured / baseline:.2f}" if baseline else "-"
        rows_out.append((name, f"{measured:.3f} {unit}" if isinstance(measured, float)
                         else str(measured), f"{baseline:.3f} {unit}" if baseline else "-",
                         ratio, target))

    try:
        county = county_svc.create_county(work / "county.sqlite3", code=COUNTY, name="龙井市",
                                          clock=clock)
        stick = work / "stick"
        stick.mkdir()
        # 1. the 10-year snapshot
        big = _station(work, "222405-01", county)
        n = fill_station(big, photos=args.photos, scale=1.4)
        print(f"snapshot station: {n} rows, {args.photos} photos", file=sys.stderr)
        times, base = [], []
        for _ in range(args.runs):
            for f in stick.iterdir():
                f.unlink()
            t0 = time.perf_counter()
            result = bundles.export_bundle(big, folder=stick, full=True)
            times.append(time.perf_counter() - t0)
            base.append(baseline_export(big, work / "baseline.zip"))
        times.sort()
        base.sort()
        exp = times[len(times) // 2]
        row(f"export full snapshot ({result.rows} rows, {result.size / 1e6:.1f} MB)", exp,
            base[len(base) // 2], target="≤ 3 s")
        tracemalloc.start()
        for f in stick.iterdir():
            f.unlink()
        bundles.export_bundle(big, folder=stick, full=True)
        exp_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        snap = next(stick.glob("*.age"))
        # 2. import rows/s against raw executemany
        raw_s, raw_n = raw_executemany(big, work / "raw.sqlite3")
        t0 = time.perf_counter()
        report = county_svc.import_bundle(county, path=snap)
        imp = time.perf_counter() - t0
        imported = sum(s["rows"] for s in report.tables.values())
        row(f"import of the snapshot ({imported} rows)", imp, raw_s,
            target="rows/s ≥ ¼ raw (ratio ≤ 4)")
        rows_out.append(("import rows/s vs raw executemany rows/s",
                         f"{imported / imp:,.0f}", f"{raw_n / raw_s:,.0f}",
                         f"{(imported / imp) / (raw_n / raw_s):.2f}", "≥ 0.25"))
        # memory: the dry run of a second full snapshot (every row compared, none new)
        for f in stick.iterdir():
            f.unlink()
        snap2 = bundles.export_bundle(big, folder=stick, full=True).path
        tracemalloc.start()
        county_svc.preview_import(county, path=snap2)
        imp_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        big.close()
        # 3. N one-month bundles
        files = []
        t_setup = time.perf_counter()
        rng = random.Random(3)
        for i in range(args.stations):
            s = _station(work, f"222405-{i + 2:03d}", county)
            fill_station(s, years=1, scale=0.02, rng=rng)
            files.append(bundles.export_bundle(s, folder=stick).path)
            s.close()
        print(f"{args.stations} station bundles made in {time.perf_counter() - t_setup:.1f} s",
              file=sys.stderr)
        t0 = time.perf_counter()
        out = county_svc.import_many(county, paths=files)
        many = time.perf_counter() - t0
        ok = sum(1 for o in out if "report" in o and o["report"].applied)
        month_rows = sum(sum(s["rows"] for s in o["report"].tables.values()) for o in out
                         if "report" in o)
        row(f"county import of {args.stations} one-month bundles ({ok} applied, "
            f"{month_rows} rows)", many, target="≤ 60 s")
        t0 = time.perf_counter()
        county_svc.import_many(county, paths=files[:50], dry_run=True)
        row("dry run of 50 of them again (already imported: checks only)",
            time.perf_counter() - t0)
        rows_out.append(("peak Python memory, full export (tracemalloc)", f"{exp_peak:.0f} MB",
                         "-", "-", "≤ 300 MB"))
        rows_out.append(("peak Python memory, snapshot dry-run import (tracemalloc)",
                         f"{imp_peak:.0f} MB", "-", "-", "≤ 300 MB"))
        rss = peak_rss_mb()
        if rss is not None:
            rows_out.append(("peak RSS of the whole run (ru_maxrss)", f"{rss:.0f} MB", "-", "-",
                             "≤ 300 MB"))
        county.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    widths = [max(len(str(r[i])) for r in rows_out + [("figure", "measured", "baseline",
                                                        "ratio", "target")]) for i in range(5)]
    for r in [("figure", "measured", "baseline", "ratio", "target")] + rows_out:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
