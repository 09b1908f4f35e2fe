"""The demo station's year of cases: every state, overdue, returned, reopened,
out of scope, duplicates, a confidential one; all valid under the rules."""
from __future__ import annotations

from datetime import date

import pytest

from station_desk.domain import cases as dom
from station_desk.domain.cases import CaseFilter
from station_desk.services import cases, demo
from station_desk.services.session import open_session

TODAY = date(2026, 3, 9)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-cases") / "demo-station.sqlite3"
    demo.make_demo(path, today=TODAY)
    return path


@pytest.fixture
def s(demo_db, clock):
    session = open_session(demo_db, clock=clock)  # the tests' clock: 2026-03-09
    yield session
    session.close()


def test_every_state_and_the_special_paths(s):
    states = {st.value: cases.count(s, CaseFilter(state=st.value)) for st in dom.CaseState}
    assert all(n > 0 for n in states.values()), states
    assert sum(states.values()) == cases.count(s, CaseFilter()) == 80
    assert 3 <= cases.overdue_count(s) <= 15
    assert len(cases.overdue_by_unit(s)) >= 2
    q = lambda sql: s.db.execute(sql).fetchone()[0]  # noqa: E731
    assert q("SELECT COUNT(*) FROM cases WHERE reopened > 0") >= 3
    assert q("SELECT COUNT(*) FROM cases WHERE closed_reason = 'out_of_scope'") >= 3
    assert q("SELECT COUNT(*) FROM cases WHERE duplicate_of IS NOT NULL") >= 2
    assert q("SELECT COUNT(*) FROM cases WHERE confidential = 1") == 1
    assert q("SELECT COUNT(*) FROM case_events WHERE kind = 'return_by_unit'") >= 2
    assert q("SELECT COUNT(DISTINCT case_id) FROM case_deputies") >= 30
    assert q("SELECT COUNT(*) FROM voters WHERE language = 'ko'") >= 10
    numbers = [r[0] for r in s.db.execute(
        "SELECT archive_no FROM cases WHERE archive_no IS NOT NULL ORDER BY archive_no")]
    assert len(numbers) == len(set(numbers)) >= 50


def test_every_case_folds_to_its_stored_row(s):
    for (case_id,) in s.db.execute("SELECT id FROM cases").fetchall():
        c = cases.case(s, case_id)
        view, row = c["view"], c["row"]
        assert view.state.value == row["state"]
        assert (view.due_on.isoformat() if view.due_on else None) == row["due_on"]
        assert (view.archive_no or None) == row["archive_no"]
        assert view.registered_on <= (view.last_on or view.registered_on) <= TODAY


def test_search_finds_korean_and_chinese(s):
    assert cases.count(s, CaseFilter(query="路灯")) >= 2
    assert cases.count(s, CaseFilter(query="다리")) >= 1
    assert cases.count(s, CaseFilter(query="灯")) >= cases.count(s, CaseFilter(query="路灯"))
