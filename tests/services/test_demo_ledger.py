"""The demo station's ledger: declarations in every review state, suggestions
with varied outcomes, an approved evaluation of last year."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from station_desk.services import demo, demo_ledger, evaluation, ledger, suggestions
from station_desk.services.session import open_session


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo-station.sqlite3"
    demo.make_demo(path, today=date(2026, 3, 9))
    return path


@pytest.fixture
def s(demo_db):
    session = open_session(demo_db)
    yield session
    session.close()


def test_declarations_in_every_state(s):
    states = Counter(r[0] for r in s.db.execute(
        "SELECT review FROM ledger_entries WHERE deleted = 0"))
    assert states["pending"] == 3 and states["rejected"] == 1 and states["approved"] > 40
    assert s.db.execute("SELECT count(*) FROM ledger_evidence").fetchone()[0] >= 8
    assert len(ledger.pending(s)) == 3
    assert {r["reviewer"] for r in s.db.query(
        "SELECT reviewer FROM ledger_entries WHERE review <> 'pending'")} == \
        {demo_ledger.STATION_HEAD}


def test_suggestions_with_varied_outcomes(s):
    rows = suggestions.suggestions(s, period="2025")
    assert {r["outcome"] for r in rows} == {"A", "B", "C", "D", ""}
    r = suggestions.rates(s, period="2025")
    assert 0 < r["solved_rate"] < r["completion_rate"] < 100


def test_last_year_evaluated_and_approved(s):
    res = evaluation.results(s, period="2025")
    assert res["run"]["approved_by"] == demo_ledger.STATION_HEAD
    grades = Counter(r["grade"] for r in res["rows"])
    assert set(grades) == {"excellent", "competent", "not_competent"}
    absent = next(r for r in res["rows"] if r["name"] == demo_ledger.SESSION_ABSENT)
    assert [w["kind"] for w in absent["warnings"]] == ["session_absent_twice"]
    assert len(ledger.models(s)) == 2 and len(ledger.publicity(s)) == 3
