"""A writer killed with SIGKILL at random moments, 50 times on the same file.

The child process does real transactions through the services (create deputies
with their mandates, record mandate events, edit, set photos) and prints each
acknowledged commit to stdout.  After every kill the parent checks the file:
integrity_check ok, no broken references, every acknowledged commit present and
nothing half-applied.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from station_desk.domain.deputies import MandateEvent, MandateEventKind, fold
from station_desk.services.session import create_station

ROOT = Path(__file__).resolve().parents[2]
RUNS = 50

CHILD = r'''
import hashlib, json, random, sys
from datetime import date, timedelta
from station_desk.services import registry
from station_desk.services.session import open_session

path, run, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
s = open_session(path, actor=f"child{run}")
today = s.today()
deputies = [r[0] for r in s.db.execute("SELECT id FROM deputies")]
open_mandates = {r[0]: [r[1], date.fromisoformat(r[2])] for r in s.db.execute(
    "SELECT id, status, status_since FROM mandates WHERE status != 'terminated'")}

def say(**line):
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()

say(op="ready")
n = 0
while True:
    n += 1
    op = rng.choices(["create", "event", "edit", "photo"], weights=[4, 3, 3, 1])[0]
    if op == "create" or not deputies:
        count = rng.choice([1, 1, 2])
        mandates = [{"level": "township", "term": 18, "constituency": f"第{rng.randint(1, 9)}选区",
                     "elected_on": "2021-11-20"}]
        if count == 2:
            mandates.append({"level": "county", "term": 18, "constituency": "智新镇",
                             "elected_on": "2021-11-20"})
        photo = bytes([0xFF, 0xD8, 0xFF]) + rng.randbytes(rng.randint(3000, 9000)) \
            if rng.random() < 0.3 else None
        name = "".join(rng.choice("金李朴崔郑姜赵尹张韩明哲春花英浩美兰") for _ in range(3))
        did = registry.create_deputy(s, data={
            "name": name, "sex": rng.choice("MF"), "birth_date": "1970-05-06",
            "unit": "智新镇", "post": f"p{run}-{n}", "village": "明东村"},
            mandates=mandates, photo=photo).created_id
        deputies.append(did)
        for m in s.db.execute("SELECT id, status_since FROM mandates WHERE deputy_id = ?", [did]):
            open_mandates[m[0]] = ["active", date.fromisoformat(m[1])]
        say(op="create", deputy=did, mandates=count, photo=bool(photo), run=run, n=n)
    elif op == "event" and open_mandates:
        mid = rng.choice(sorted(open_mandates))
        status, since = open_mandates[mid]
        kind = rng.choice(["suspended", "terminated"] if status == "active"
                          else ["restored", "terminated"])
        on = min(since + timedelta(days=rng.randint(0, 40)), today)
        token = f"c{run}-{n}"
        registry.record_mandate_event(
            s, mandate_id=mid, kind=kind, on=on.isoformat(), detail=token,
            ground={"suspended": "detained", "terminated": "moved_out"}.get(kind),
            doc_no="智人主〔2025〕1号" if kind == "terminated" else "")
        if kind == "terminated":
            del open_mandates[mid]
        else:
            open_mandates[mid] = ["suspended" if kind == "suspended" else "active", on]
        say(op="event", mandate=mid, kind=kind, token=token)
    elif op == "edit":
        did = rng.choice(deputies)
        d = registry.deputy(s, did)
        say(op="try-edit", deputy=did, run=run, n=n)
        registry.update_deputy(s, deputy_id=did, data={**d, "post": f"p{run}-{n}"})
        say(op="edit", deputy=did, run=run, n=n)
    else:
        did = rng.choice(deputies)
        data = bytes([0xFF, 0xD8, 0xFF]) + rng.randbytes(rng.randint(3000, 9000))
        sha = hashlib.sha256(data).hexdigest()
        say(op="try-photo", deputy=did, sha=sha)
        registry.set_photo(s, deputy_id=did, data=data)
        say(op="photo", deputy=did, sha=sha)
'''


class Ledger:
    """What the children acknowledged (and tried) over all runs."""

    def __init__(self) -> None:
        self.created: dict[str, dict] = {}
        self.events: dict[str, tuple[str, str]] = {}       # token -> (mandate, kind)
        self.post_acked: dict[str, tuple[int, int]] = {}   # deputy -> (run, n)
        self.post_tried: dict[str, list[tuple[int, int]]] = {}
        self.photo_acked: dict[str, str] = {}
        self.photo_tried: dict[str, list[str]] = {}

    def take(self, line: dict) -> None:
        op = line["op"]
        if op == "create":
            self.created[line["deputy"]] = line
            self.post_acked[line["deputy"]] = (line["run"], line["n"])
            self.post_tried[line["deputy"]] = [(line["run"], line["n"])]
        elif op == "event":
            self.events[line["token"]] = (line["mandate"], line["kind"])
        elif op == "try-edit":
            self.post_tried.setdefault(line["deputy"], []).append((line["run"], line["n"]))
        elif op == "edit":
            self.post_acked[line["deputy"]] = (line["run"], line["n"])
        elif op == "try-photo":
            self.photo_tried.setdefault(line["deputy"], []).append(line["sha"])
        elif op == "photo":
            self.photo_acked[line["deputy"]] = line["sha"]


def check(path: Path, ledger: Ledger, where: str) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], where
        q = conn.execute

        # every acknowledged deputy is there, whole
        present = {r[0] for r in q("SELECT id FROM deputies WHERE deleted = 0")}
        mandate_count = Counter(r[0] for r in q("SELECT deputy_id FROM mandates"))
        with_photo = {r[0] for r in q("SELECT deputy_id FROM deputy_photos")}
        for did, line in ledger.created.items():
            assert did in present, f"{where}: acknowledged deputy {did} missing"
            assert mandate_count[did] == line["mandates"], f"{where}: {did} mandates"
            assert did in with_photo or not line["photo"], f"{where}: {did} photo missing"

        # nothing half-applied, acknowledged or not
        orphans = q("SELECT COUNT(*) FROM deputies d WHERE NOT EXISTS "
                    "(SELECT 1 FROM mandates m WHERE m.deputy_id = d.id)").fetchone()[0]
        assert orphans == 0, f"{where}: deputies without a mandate"
        created_audit = Counter(r[0] for r in q(
            "SELECT object_id FROM audit WHERE action = 'create' AND object_type = 'deputy'"))
        for (did,) in q("SELECT id FROM deputies"):
            assert created_audit[did] == 1, f"{where}: {did} without its audit row"
        events_of: dict[str, list] = {}
        for row in q("SELECT mandate_id, kind, on_date, ground, detail, doc_no "
                     "FROM mandate_events ORDER BY change_seq"):
            events_of.setdefault(row[0], []).append(row[1:])
        audit_per_mandate = Counter(r[0] for r in q(
            "SELECT object_id FROM audit WHERE object_type = 'mandate'"))
        for mid, elected_on, status, since in q(
                "SELECT id, elected_on, status, status_since FROM mandates"):
            events = events_of.get(mid, [])
            assert [e[0] for e in events].count("elected") == 1, f"{where}: {mid} elected event"
            assert events[0][0] == "elected"
            state = fold(date.fromisoformat(elected_on), [
                MandateEvent(MandateEventKind(k), date.fromisoformat(on), g, d, doc)
                for k, on, g, d, doc in events])
            assert (status, since) == (state.status.value, state.since.isoformat()), \
                f"{where}: mandate {mid} status does not match its events"
            assert audit_per_mandate[mid] == len(events) - 1, f"{where}: {mid} event audit"

        # every acknowledged event is there
        by_token = Counter((d, m, k) for m, k, d in q(
            "SELECT mandate_id, kind, detail FROM mandate_events WHERE kind != 'elected'"))
        for token, (mid, kind) in ledger.events.items():
            assert by_token[(token, mid, kind)] == 1, f"{where}: acknowledged event {token} missing"

        # edits: the acknowledged value or one tried after it, never an older one
        for did, acked in ledger.post_acked.items():
            post = q("SELECT post FROM deputies WHERE id = ?", [did]).fetchone()[0]
            run, n = map(int, post[1:].split("-"))
            assert (run, n) >= acked, f"{where}: {did} lost the edit {acked}, has {post}"
            assert (run, n) in ledger.post_tried[did]
        for did, sha in ledger.photo_acked.items():
            data = q("SELECT data FROM deputy_photos WHERE deputy_id = ?", [did]).fetchone()[0]
            got = hashlib.sha256(data).hexdigest()
            tried = ledger.photo_tried[did]
            assert got in tried[tried.index(sha):], f"{where}: {did} lost its photo"

        # the change counter never falls behind a stamped row
        seq = q("SELECT seq FROM sync_counter").fetchone()[0]
        for table in ("deputies", "mandates", "mandate_events", "deputy_photos"):
            top = q(f"SELECT COALESCE(MAX(change_seq), 0) FROM {table}").fetchone()[0]
            assert top <= seq, f"{where}: {table} change_seq ahead of the counter"
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_fifty_kills_lose_no_acknowledged_commit(tmp_path):
    path = tmp_path / "station.sqlite3"
    create_station(path, profile={"name_zh": "龙井市智新镇人大代表联络站",
                                  "code": "222405-01", "county": "龙井市"}).close()
    seed = int(os.environ.get("STATION_DESK_CRASH_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    ledger = Ledger()
    mid_write = 0
    started = time.monotonic()
    for run in range(1, RUNS + 1):
        where = f"run {run} (seed {seed})"
        errors = tmp_path / f"child-{run}.err"
        with errors.open("wb") as err:
            proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(run),
                                     str(rng.randrange(1 << 30))],
                                    stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
        first = proc.stdout.readline()
        assert first.strip() == b'{"op": "ready"}', (where, first, errors.read_text())
        time.sleep(rng.uniform(0.0, 0.25))
        proc.kill()  # SIGKILL
        out = proc.stdout.read()  # the same buffered reader as readline: nothing is lost
        proc.wait(timeout=30)
        assert proc.returncode == -9, (where, errors.read_text()[-2000:])
        lines = out.decode().split("\n")
        if lines[-1]:
            mid_write += 1  # killed while printing
        for text in lines[:-1]:
            ledger.take(json.loads(text))
        if lines[-2:-1] and json.loads(lines[-2])["op"].startswith("try-"):
            mid_write += 1
        check(path, ledger, where)
    elapsed = time.monotonic() - started
    # the runs did real work: plenty of acknowledged commits over the 50 kills
    assert len(ledger.created) > RUNS and len(ledger.events) > RUNS, (seed, elapsed)
    print(f"crash test: seed {seed}, {len(ledger.created)} deputies, {len(ledger.events)} "
          f"events, {mid_write} kills between intent and acknowledgement, {elapsed:.1f} s")
