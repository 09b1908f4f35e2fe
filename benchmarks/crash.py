"""Crash harness: a writer killed with SIGKILL at random moments, N times on one file.

    python -m benchmarks.crash --runs 1000 [--seed S] [--db PATH] [--max-delay 0.3]

A child process (no Qt) opens a real station database and does random real
transactions through the services: create deputies with mandates and photos,
record mandate events, edit deputies, register cases and move them along their
workflow, create activities, invite deputies, mark attendance, edit the station
profile.  Before each transaction it writes what it is about to try, after each
commit what was acknowledged, one line each straight to a pipe (one ``write``
per line, so a line is whole or absent).  The parent kills it with SIGKILL after
a random delay, opens the file with the program's own checks (``open_session``:
header, application id, ``quick_check``, migrations), then checks
``integrity_check``, ``foreign_key_check``, every acknowledged transaction
present with its values, and nothing half-applied, acknowledged or not.  The
runs continue on the same file, so damage would accumulate.

Seeded and reproducible as far as the kill moments allow (the seed is printed;
``--seed`` repeats the same child programs and the same delays).  POSIX only
(SIGKILL); ``tests/safety/test_crash.py`` runs a short count.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = {"name_zh": "龙井市智新镇人大代表联络站", "name_ko": "룡정시 지신진 인대대표련락소",
           "code": "222405-01", "county": "龙井市"}


# -- the child ------------------------------------------------------------------------

def _say(**line) -> None:
    os.write(1, (json.dumps(line, ensure_ascii=False) + "\n").encode())


def child(path: str, run: int, seed: int) -> None:
    """Random real transactions through the services until killed."""
    from station_desk.services import activities as act
    from station_desk.services import cases, registry
    from station_desk.services import station as station_service
    from station_desk.services.session import open_session

    rng = random.Random(seed)
    s = open_session(path, actor=f"child{run}")
    q = s.db.execute
    today = s.today()
    deputies = [r[0] for r in q("SELECT id FROM deputies WHERE deleted = 0")]
    open_mandates = {r[0]: [r[1], date.fromisoformat(r[2])] for r in q(
        "SELECT id, status, status_since FROM mandates WHERE status != 'terminated'")}
    open_cases = [r[0] for r in q("SELECT id FROM cases WHERE state NOT IN ('archived', 'closed')")]
    acts = [r[0] for r in q("SELECT id FROM activities WHERE status != 'cancelled'")]
    _say(op="ready")
    n = 0
    while True:
        n += 1
        token = f"r{run}-{n}"
        op = rng.choices(["create", "event", "edit", "photo", "register", "step",
                          "activity", "invite", "mark", "station"],
                         weights=[4, 3, 3, 1, 3, 6, 1, 2, 3, 1])[0]
        if op == "create" or not deputies:
            count = rng.choice([1, 1, 2])
            mandates = [{"level": "township", "term": 18, "elected_on": "2021-11-20",
                         "constituency": f"第{rng.randint(1, 9)}选区"}]
            if count == 2:
                mandates.append({"level": "county", "term": 18, "constituency": "智新镇",
                                 "elected_on": "2021-11-20"})
            photo = (bytes([0xFF, 0xD8, 0xFF]) + rng.randbytes(rng.randint(3000, 9000))
                     if rng.random() < 0.3 else None)
            name = "".join(rng.choice("金李朴崔郑姜赵尹张韩明哲春花英浩美兰") for _ in range(3))
            _say(op="try", key=None)
            did = registry.create_deputy(s, data={
                "name": name, "sex": rng.choice("MF"), "birth_date": "1970-05-06",
                "unit": "智新镇", "post": token, "village": "明东村"},
                mandates=mandates, photo=photo).created_id
            deputies.append(did)
            for m in q("SELECT id, status_since FROM mandates WHERE deputy_id = ?", [did]):
                open_mandates[m[0]] = ["active", date.fromisoformat(m[1])]
            _say(op="deputy", id=did, mandates=count, photo=bool(photo), post=token,
                 photo_sha=hashlib.sha256(photo).hexdigest() if photo else None)
        elif op == "event" and open_mandates:
            mid = rng.choice(sorted(open_mandates))
            status, since = open_mandates[mid]
            kind = rng.choice(["suspended", "terminated"] if status == "active"
                              else ["restored", "terminated"])
            on = min(since + timedelta(days=rng.randint(0, 40)), today)
            _say(op="try", key=None)
            registry.record_mandate_event(
                s, mandate_id=mid, kind=kind, on=on.isoformat(), detail=token,
                ground={"suspended": "detained", "terminated": "moved_out"}.get(kind),
                doc_no="智人主〔2025〕1号" if kind == "terminated" else "")
            if kind == "terminated":
                del open_mandates[mid]
            else:
                open_mandates[mid] = ["suspended" if kind == "suspended" else "active", on]
            _say(op="mandate_event", mandate=mid, kind=kind, token=token)
        elif op == "edit":
            did = rng.choice(deputies)
            d = registry.deputy(s, did)
            _say(op="try", key=["post", did], value=token)
            registry.update_deputy(s, deputy_id=did, data={**d, "post": token})
            _say(op="set", key=["post", did], value=token)
        elif op == "photo":
            did = rng.choice(deputies)
            data = bytes([0xFF, 0xD8, 0xFF]) + rng.randbytes(rng.randint(3000, 9000))
            sha = hashlib.sha256(data).hexdigest()
            _say(op="try", key=["photo", did], value=sha)
            registry.set_photo(s, deputy_id=did, data=data)
            _say(op="set", key=["photo", did], value=sha)
        elif op == "register" or (op == "step" and not open_cases):
            duty = rng.sample(deputies, k=min(len(deputies), rng.randint(0, 2)))
            _say(op="try", key=None)
            cid = cases.register(s, voter={
                "name": "朴英子", "village": "明东村", "phone": f"138{rng.randint(0, 10**8 - 1):08d}",
                "consent": True}, case={
                "on": today.isoformat(), "channel": "reception_day", "category": "help",
                "words": f"路灯坏了 {token}", "place": "联络站接待室",
                "duty_deputies": duty}).created_id
            open_cases.append(cid)
            number = q("SELECT number FROM cases WHERE id = ?", [cid]).fetchone()[0]
            _say(op="case", id=cid, number=number, words=f"路灯坏了 {token}", duty=duty)
        elif op == "step":
            cid = rng.choice(open_cases)
            state, count = q("SELECT state, event_count FROM cases WHERE id = ?", [cid]).fetchone()
            kind = {"registered": "sort", "sorted": "forward", "handled": "reply",
                    "replied": "archive"}.get(state) or rng.choice(
                ["chase", "progress", "handle", "handle"])
            _say(op="try", key=None)
            if kind == "sort":
                cases.sort_case(s, case_id=cid, category="help", proposal=token)
            elif kind == "forward":
                cases.forward_case(s, case_id=cid, route="township", unit="镇城建办", note=token)
            elif kind == "chase":
                cases.chase_case(s, case_id=cid, note=token)
            elif kind == "progress":
                cases.record_progress(s, case_id=cid, note=token)
            elif kind == "handle":
                cases.handle_case(s, case_id=cid, outcome="A", result=token)
            elif kind == "reply":
                cases.reply_case(s, case_id=cid, voter_mode="phone", deputy_mode="phone",
                                 satisfaction="satisfied")
            else:
                cases.archive_case(s, case_id=cid)
                open_cases.remove(cid)
            _say(op="case_step", case=cid, seq=count, kind=kind)
        elif op == "activity" or (op in ("invite", "mark") and not acts):
            day = today - timedelta(days=rng.randint(1, 20))
            _say(op="try", key=None)
            aid = act.create_activity(
                s, kind=rng.choice(["meeting", "learning", "inspection"]), title=f"活动 {token}",
                starts_at=f"{day.isoformat()} 09:00", ends_at=f"{day.isoformat()} 11:30",
                place="联络站").created_id
            acts.append(aid)
            _say(op="activity", id=aid, title=f"活动 {token}")
        elif op == "invite":
            aid = rng.choice(acts)
            invited = {r[0] for r in q("SELECT deputy_id FROM activity_invitees "
                                       "WHERE activity_id = ? AND deleted = 0", [aid])}
            free = [d for d in deputies if d not in invited]
            if not free:
                continue
            pick = rng.sample(free, k=min(len(free), rng.randint(1, 4)))
            _say(op="try", key=None)
            act.invite(s, activity_id=aid, deputy_ids=pick)
            _say(op="invite", activity=aid, deputies=pick)
        elif op == "mark":
            aid = rng.choice(acts)
            inv = [r[0] for r in q("SELECT id FROM activity_invitees "
                                   "WHERE activity_id = ? AND deleted = 0", [aid])]
            if not inv:
                continue
            marks = {i: rng.choice(["present", "absent"])
                     for i in rng.sample(inv, k=rng.randint(1, len(inv)))}
            for i, a in marks.items():
                _say(op="try", key=["mark", i], value=a)
            act.mark(s, activity_id=aid, marks=marks)
            for i, a in marks.items():
                _say(op="set", key=["mark", i], value=a)
        else:
            profile = station_service.profile(s)
            _say(op="try", key=["station", "address"], value=token)
            station_service.save_profile(s, data={**profile, "address": f"智新镇 {token}"})
            _say(op="set", key=["station", "address"], value=token)


# -- the ledger and the check ------------------------------------------------------------

@dataclass
class Ledger:
    """What the children acknowledged (and tried) over all runs."""

    deputies: dict[str, dict] = field(default_factory=dict)
    mandate_events: dict[str, tuple[str, str]] = field(default_factory=dict)
    cases: dict[str, dict] = field(default_factory=dict)
    case_steps: list[tuple[str, int, str]] = field(default_factory=list)
    activities: dict[str, str] = field(default_factory=dict)
    invited: list[tuple[str, str]] = field(default_factory=list)
    # last-writer values: key -> values tried in order, and how many of them were
    # tried when the last acknowledgement came
    tried: dict[tuple, list] = field(default_factory=dict)
    acked: dict[tuple, int] = field(default_factory=dict)
    acknowledged: int = 0
    killed_in_flight: int = 0
    # rows stamped up to this change_seq were folded and checked after an earlier
    # kill; a row changed since carries a newer change_seq
    checked_seq: int = 0

    def take(self, line: dict) -> None:
        op = line["op"]
        key = tuple(line["key"]) if line.get("key") else None
        if op == "try":
            if key:
                self.tried.setdefault(key, []).append(line["value"])
            return
        self.acknowledged += 1
        if op == "deputy":
            self.deputies[line["id"]] = line
            self.tried[("post", line["id"])] = [line["post"]]
            self.acked[("post", line["id"])] = 1
            if line["photo_sha"]:
                self.tried[("photo", line["id"])] = [line["photo_sha"]]
                self.acked[("photo", line["id"])] = 1
        elif op == "mandate_event":
            self.mandate_events[line["token"]] = (line["mandate"], line["kind"])
        elif op == "set":
            values = self.tried[key]
            # the acknowledged value is the last one tried for the key
            assert values[-1] == line["value"]
            self.acked[key] = len(values)
        elif op == "case":
            self.cases[line["id"]] = line
        elif op == "case_step":
            self.case_steps.append((line["case"], line["seq"], line["kind"]))
        elif op == "activity":
            self.activities[line["id"]] = line["title"]
        elif op == "invite":
            self.invited += [(line["activity"], d) for d in line["deputies"]]

    def allowed(self, key: tuple, initial=None) -> list:
        """Values the key may hold: the acknowledged one or one tried after it."""
        values = self.tried.get(key, [])
        done = self.acked.get(key, 0)
        return values[done - 1:] if done else [initial, *values]


class Broken(AssertionError):
    """The file after a kill is not what the acknowledged transactions promise."""


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise Broken(what)


def check(path: Path, ledger: Ledger, *, chain: bool = True) -> dict:
    """Open ``path`` as the program does, then check it against ``ledger``;
    with ``chain``, also the audit trail's hash chain from its first row.

    Raises Broken (or the program's own typed error when it refuses the file);
    returns row counts."""
    from station_desk.domain import cases as case_domain
    from station_desk.domain.deputies import MandateEvent, MandateEventKind, fold
    from station_desk.services import audit as audit_service
    from station_desk.services import cases as case_service
    from station_desk.services.session import open_session

    s = open_session(path)  # header, application id, quick_check, migrations
    try:
        q = s.db.execute
        _expect(q("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity_check")
        _expect(q("PRAGMA foreign_key_check").fetchall() == [], "foreign_key_check")

        # deputies and mandates
        present = {r[0] for r in q("SELECT id FROM deputies WHERE deleted = 0")}
        mandate_count = Counter(r[0] for r in q("SELECT deputy_id FROM mandates"))
        photos = {r[0]: hashlib.sha256(r[1]).hexdigest()
                  for r in q("SELECT deputy_id, data FROM deputy_photos")}
        posts = dict(q("SELECT id, post FROM deputies").fetchall())
        for did, line in ledger.deputies.items():
            _expect(did in present, f"acknowledged deputy {did} missing")
            _expect(mandate_count[did] == line["mandates"], f"deputy {did}: mandates")
            _expect(posts[did] in ledger.allowed(("post", did)), f"deputy {did}: lost an edit")
            if ("photo", did) in ledger.tried:
                _expect(photos.get(did) in ledger.allowed(("photo", did)),
                        f"deputy {did}: lost its photo")
        for did in present:
            _expect(mandate_count[did] > 0, f"deputy {did} without a mandate")
        created_audit = Counter(r[0] for r in q(
            "SELECT object_id FROM audit WHERE action = 'create' AND object_type = 'deputy'"))
        for did in posts:
            _expect(created_audit[did] == 1, f"deputy {did} without its audit row")
        events_of: dict[str, list] = {}
        for row in q("SELECT mandate_id, kind, on_date, ground, detail, doc_no "
                     "FROM mandate_events ORDER BY change_seq"):
            events_of.setdefault(row[0], []).append(row[1:])
        since_seq = [ledger.checked_seq] * 2
        for mid, elected_on, status, since in q(
                "SELECT id, elected_on, status, status_since FROM mandates WHERE change_seq > ? "
                "OR id IN (SELECT mandate_id FROM mandate_events WHERE change_seq > ?)",
                since_seq):
            events = events_of.get(mid, [])
            _expect(bool(events) and events[0][0] == "elected"
                    and [e[0] for e in events].count("elected") == 1, f"mandate {mid}: elected")
            state = fold(date.fromisoformat(elected_on), [
                MandateEvent(MandateEventKind(k), date.fromisoformat(on), g, d, doc)
                for k, on, g, d, doc in events])
            _expect((status, since) == (state.status.value, state.since.isoformat()),
                    f"mandate {mid}: row does not match the fold of its events")
        by_token = Counter((d, m, k) for m, k, d in q(
            "SELECT mandate_id, kind, detail FROM mandate_events WHERE kind != 'elected'"))
        for token, (mid, kind) in ledger.mandate_events.items():
            _expect(by_token[(token, mid, kind)] == 1, f"acknowledged mandate event {token}")

        # cases: every row is the fold of its events, every acknowledged step is there
        rows = {r["id"]: r for r in s.db.query("SELECT * FROM cases")}
        for cid, line in ledger.cases.items():
            _expect(cid in rows and rows[cid]["number"] == line["number"],
                    f"acknowledged case {cid} missing")
            _expect(rows[cid]["words"] == line["words"], f"case {cid}: words")
            duty = {r[0] for r in q("SELECT deputy_id FROM case_deputies WHERE case_id = ? "
                                    "AND role = 'duty'", [cid])}
            _expect(duty == set(line["duty"]), f"case {cid}: duty deputies")
        steps_audit = Counter(r[0] for r in q(
            "SELECT object_id FROM audit WHERE object_type = 'case'"))
        touched = {r[0] for r in q("SELECT id FROM cases WHERE change_seq > ? UNION "
                                   "SELECT case_id FROM case_events WHERE change_seq > ?",
                                   since_seq)}
        for cid in touched:
            row = rows[cid]
            events = case_service._events(s, cid)
            _expect(len(events) == row["event_count"], f"case {cid}: event count")
            view = case_domain.fold(events)
            want = case_service._projection(view, event_count=len(events),
                                            now=row["updated_at"])
            got = {k: row[k] for k in want}
            _expect(got == want, f"case {cid}: row {got} is not the fold {want}")
            _expect(steps_audit[cid] == len(events), f"case {cid}: audit rows")
            _expect(q("SELECT 1 FROM voters WHERE id = ?", [row["voter_id"]]).fetchone()
                    is not None, f"case {cid}: voter")
        seqs = {(r[0], r[1]): r[2] for r in q("SELECT case_id, seq, kind FROM case_events")}
        for cid, seq, kind in ledger.case_steps:
            stored = seqs.get((cid, seq))
            _expect(stored == kind, f"acknowledged step {kind} #{seq} of case {cid} missing (found {stored})")

        # activities, invitations, attendance
        titles = dict(q("SELECT id, title FROM activities").fetchall())
        for aid, title in ledger.activities.items():
            _expect(titles.get(aid) == title, f"acknowledged activity {aid} missing")
        invited = {(r[0], r[1]): r[2] for r in q(
            "SELECT activity_id, deputy_id, id FROM activity_invitees WHERE deleted = 0")}
        for pair in ledger.invited:
            _expect(pair in invited, f"acknowledged invitation {pair} missing")
        marks = dict(q("SELECT id, attendance FROM activity_invitees").fetchall())
        for key in ledger.tried:
            if key[0] == "mark":
                _expect(marks.get(key[1]) in ledger.allowed(key, initial="unmarked"),
                        f"invitee {key[1]}: mark {marks.get(key[1])} "
                        f"not in {ledger.allowed(key)}")
        held = q("SELECT COUNT(*) FROM activities a WHERE status = 'held' AND NOT EXISTS "
                 "(SELECT 1 FROM activity_invitees i WHERE i.activity_id = a.id "
                 "AND i.attendance IN ('present', 'absent'))").fetchone()[0]
        _expect(held == 0, "an activity held without a present or absent mark")

        # the station profile
        if ("station", "address") in ledger.tried:
            address = q("SELECT address FROM station WHERE deleted = 0").fetchone()[0] or ""
            token = address.removeprefix("智新镇 ") if address else None
            _expect(token in ledger.allowed(("station", "address")), "station address")

        # the change counter never falls behind a stamped row
        counter = q("SELECT seq FROM sync_counter").fetchone()[0]
        tables = [r[0] for r in q("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = {c[1] for c in q(f"PRAGMA table_info('{table}')")}
            if "change_seq" in columns:
                top = q(f"SELECT COALESCE(MAX(change_seq), 0) FROM '{table}'").fetchone()[0]
                _expect(top <= counter, f"{table}: change_seq {top} ahead of counter {counter}")
        ledger.checked_seq = counter
        if chain:
            report = audit_service.verify(s)
            _expect(report.ok, f"audit chain: {report.problem} at {report.seq} {report.detail}")
        return {"deputies": len(present), "cases": len(rows), "activities": len(titles)}
    finally:
        s.close()


# -- the parent -------------------------------------------------------------------------

@dataclass
class Outcome:
    runs: int
    failures: list[str]
    seed: int
    seconds: float
    acknowledged: int
    in_flight: int
    counts: dict


def run(path: Path, *, runs: int, seed: int, max_delay: float = 0.3, chain_every: int = 1,
        log=lambda text: None, stop_on_failure: bool = False) -> Outcome:
    """Kill a writer ``runs`` times on ``path`` (created if missing) and check after each
    (the whole audit chain after every ``chain_every``-th kill and after the last)."""
    from station_desk.services.session import create_station, station_exists

    if not station_exists(path):
        create_station(path, profile=PROFILE).close()
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    ledger, failures, counts = Ledger(), [], {}
    started = time.monotonic()
    for number in range(1, runs + 1):
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.crash", "--child", str(path), str(number),
                 str(rng.randrange(1 << 30))], stdout=subprocess.PIPE, stderr=err, env=env,
                cwd=ROOT)
            first = proc.stdout.readline()
            delay = rng.uniform(0.0, max_delay)
            if first.strip() != b'{"op": "ready"}':
                proc.kill()
                proc.wait()
                err.seek(0)
                failures.append(f"run {number}: the child did not start: "
                                f"{first!r} {err.read()[-1500:].decode(errors='replace')}")
                if stop_on_failure:
                    break
                continue
            time.sleep(delay)
            proc.kill()  # SIGKILL
            out = proc.stdout.read()
            proc.wait(timeout=60)
            if proc.returncode != -9:
                err.seek(0)
                failures.append(f"run {number}: the child stopped by itself "
                                f"({proc.returncode}): {err.read()[-1500:].decode(errors='replace')}")
        lines = out.decode().split("\n")
        for text in lines[:-1]:
            ledger.take(json.loads(text))
        if lines[-1] or (len(lines) > 1 and json.loads(lines[-2])["op"] == "try"):
            ledger.killed_in_flight += 1
        try:
            counts = check(path, ledger,
                           chain=number % chain_every == 0 or number == runs)
        except Exception as exc:  # noqa: BLE001  a refusal by the program is a failure too
            failures.append(f"run {number}: {type(exc).__name__}: {exc}")
            log(f"FAIL {failures[-1]}")
            if stop_on_failure:
                break
        if number % 50 == 0 or number == runs:
            log(f"{number}/{runs} kills, {len(failures)} failures, "
                f"{ledger.acknowledged} acknowledged commits, {time.monotonic() - started:.0f} s")
    return Outcome(runs=number, failures=failures, seed=seed,
                   seconds=time.monotonic() - started, acknowledged=ledger.acknowledged,
                   in_flight=ledger.killed_in_flight, counts=counts)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(argv[1], int(argv[2]), int(argv[3]))
        return 0
    p = argparse.ArgumentParser(prog="python -m benchmarks.crash",
                                description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=1000, help="kills (default 1000)")
    p.add_argument("--seed", type=int, default=None, help="repeat a run (printed at the start)")
    p.add_argument("--db", type=Path, default=None,
                   help="database file (default: a new one in a temporary folder)")
    p.add_argument("--max-delay", type=float, default=0.3,
                   help="longest wait in seconds before the kill")
    p.add_argument("--chain-every", type=int, default=10,
                   help="check the whole audit hash chain after every N-th kill (and the last)")
    args = p.parse_args(argv)
    seed = args.seed if args.seed is not None else time.time_ns() % 1_000_000_007
    print(f"crash harness: {args.runs} kills, seed {seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="station_desk-crash-") as tmp:
        os.environ.setdefault("STATION_DESK_DATA", str(Path(tmp) / "data"))
        path = args.db or Path(tmp) / "station.sqlite3"
        outcome = run(path, runs=args.runs, seed=seed, max_delay=args.max_delay,
                      chain_every=args.chain_every,
                      log=lambda text: print(text, file=sys.stderr, flush=True))
    for failure in outcome.failures[:20]:
        print("FAIL", failure)
    print(f"crash harness: {outcome.runs} kills, {len(outcome.failures)} failures, seed {seed}, "
          f"{outcome.seconds:.0f} s; {outcome.acknowledged} acknowledged commits, "
          f"{outcome.in_flight} kills between intent and acknowledgement; final file: "
          + ", ".join(f"{v} {k}" for k, v in outcome.counts.items()))
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())
