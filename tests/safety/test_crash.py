"""A writer killed with SIGKILL at random moments, 20 times on one file
(``python -m benchmarks.crash`` runs 1,000): nothing acknowledged is lost, nothing
is half-applied, and the check itself notices a lost or half-applied write."""
from __future__ import annotations

import os
import time

import pytest

from benchmarks import crash
from station_desk.services import cases, registry
from station_desk.services.session import create_station, open_session
from tests.conftest import deputy_data, mandate_data

RUNS = 20


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_twenty_kills_lose_nothing_acknowledged(tmp_path):
    seed = int(os.environ.get("STATION_DESK_CRASH_SEED", time.time_ns() % 1_000_000_007))
    outcome = crash.run(tmp_path / "station.sqlite3", runs=RUNS, seed=seed, max_delay=0.3)
    print(f"crash: seed {seed}, {outcome.runs} kills, {outcome.acknowledged} acknowledged, "
          f"{outcome.in_flight} in flight, {outcome.seconds:.1f} s")
    assert outcome.failures == [], f"seed {seed}"
    assert outcome.runs == RUNS
    # the children did real work, and most kills fell inside a transaction
    assert outcome.acknowledged > RUNS, seed
    assert outcome.in_flight > RUNS // 4, seed
    assert outcome.counts["cases"] > 0 and outcome.counts["activities"] > 0


@pytest.fixture
def station(tmp_path):
    s = create_station(tmp_path / "station.sqlite3", profile=crash.PROFILE)
    yield s
    s.close()


def test_the_check_notices_an_acknowledged_deputy_that_is_missing(station):
    ledger = crash.Ledger()
    ledger.take({"op": "deputy", "id": "no-such-id", "mandates": 1, "photo": False,
                 "post": "r1-1", "photo_sha": None})
    with pytest.raises(crash.Broken, match="no-such-id"):
        crash.check(station.path, ledger)


def test_the_check_notices_a_case_row_that_is_not_the_fold_of_its_events(station):
    cid = cases.register(station, voter={"name": "朴英子", "village": "明东村", "consent": True},
                         case={"on": "2026-02-24", "channel": "reception_day",
                               "category": "help", "words": "路灯坏了"}).created_id
    crash.check(station.path, crash.Ledger())  # sound
    # half of a step: the row moved on without its event
    station.db.execute("UPDATE cases SET state = 'sorted', event_count = 2 WHERE id = ?", [cid])
    station.db.conn.commit()
    with pytest.raises(crash.Broken, match=cid):
        crash.check(station.path, crash.Ledger())


def test_the_check_notices_a_lost_edit(station):
    did = registry.create_deputy(station, data=deputy_data(post="r1-1"),
                                 mandates=[mandate_data()]).created_id
    ledger = crash.Ledger()
    ledger.take({"op": "deputy", "id": did, "mandates": 1, "photo": False, "post": "r1-1",
                 "photo_sha": None})
    ledger.take({"op": "try", "key": ["post", did], "value": "r1-2"})
    crash.check(station.path, ledger)  # tried, not acknowledged: either value is fine
    ledger.take({"op": "set", "key": ["post", did], "value": "r1-2"})
    with pytest.raises(crash.Broken, match="lost an edit"):
        crash.check(station.path, ledger)
    s = open_session(station.path)
    try:
        registry.update_deputy(s, deputy_id=did, data={**registry.deputy(s, did), "post": "r1-2"})
    finally:
        s.close()
    crash.check(station.path, ledger)
