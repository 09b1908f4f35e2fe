"""The demo station's activities: a plan, a year of activities, both warnings."""
from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from PIL import Image

from station_desk.services import activities as act, demo, demo_activities
from station_desk.services.session import open_session

TODAY = date(2026, 3, 9)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-activities") / "demo.sqlite3"
    demo.make_demo(path, today=TODAY)
    return path


@pytest.fixture
def s(demo_db):
    session = open_session(demo_db)
    yield session
    session.close()


def test_plan_of_the_year(s):
    items = act.plan(s, year=TODAY.year)
    assert 12 <= len(items) <= 16
    assert {i["month"] for i in items} == set(range(1, 13))
    assert "学习宣传贯彻党的二十大精神" in {i["theme"] for i in items}
    summary = act.plan_summary(s, year=2025)
    assert sum(r["held"] for r in summary) >= 8 and sum(r["unplanned"] for r in summary) >= 1
    assert act.years(s) == [2025, 2026]


def test_a_year_of_activities_with_attendance(s):
    rows = act.activities(s)
    status = Counter(r["status"] for r in rows)
    assert 14 <= status["held"] <= 20
    assert (status["cancelled"], status["scheduled"]) == (1, 2)
    today = TODAY.isoformat()
    assert all(r["starts_at"] > today for r in rows if r["status"] == "scheduled")
    assert all(r["starts_at"] < today for r in rows if r["status"] != "scheduled")
    held = [act.activity(s, r["id"]) for r in rows if r["status"] == "held"]
    assert all(5 <= sum(not i["outsider"] for i in a["invitees"]) <= 30 for a in held)
    assert all(a["summary"] and a["counts"]["unmarked"] == 0 for a in held)
    marks = Counter(i["attendance"] for a in held for i in a["invitees"])
    assert marks["present"] > 4 * (marks["leave"] + marks["absent"]) > 0 and marks["absent"]
    leaves = [i for a in held for i in a["invitees"] if i["attendance"] == "leave"]
    assert all(i["leave_reason"] and i["leave_approved_by"] == "崔英浩" for i in leaves)
    assert any(i["outsider"] for a in held for i in a["invitees"])
    present = [i for a in held for i in a["invitees"] if i["attendance"] == "present"]
    assert all(len(i["signed_at"]) == 5 for i in present)
    photos = [p for a in held for p in a["photos"]]
    assert len(photos) == 1
    mime, data = act.photo(s, photos[0]["id"])
    assert mime == "image/png" and Image.open(io.BytesIO(data)).size[0] > 100


def test_both_warnings_show(s):
    w = act.warnings(s, today=TODAY)
    assert [x["name"] for x in w["absent_twice"]] == [demo_activities.ABSENT_TWICE]
    assert len(w["absent_twice"][0]["activities"]) == 2
    assert [x["name"] for x in w["inactive"]] == [demo_activities.INACTIVE]
    assert w["inactive"][0]["quarter"] == "2025-Q4"


def _content(path):
    s = open_session(path)
    try:
        return [(r["title"], r["starts_at"], r["status"],
                 [(i["name"], i["attendance"], i["signed_at"], i["leave_reason"])
                  for i in act.activity(s, r["id"])["invitees"]])
                for r in act.activities(s)]
    finally:
        s.close()


def test_same_seed_same_activities(demo_db, tmp_path):
    again = demo.make_demo(tmp_path / "again.sqlite3", today=TODAY)
    assert _content(again) == _content(demo_db)


@pytest.mark.parametrize("today", [date(2025, 9, 1), date(2026, 1, 20), date(2026, 12, 30)])
def test_any_today_gives_both_warnings_and_two_ahead(tmp_path, today):
    path = demo.make_demo(tmp_path / "demo.sqlite3", today=today)
    s = open_session(path)
    try:
        rows = act.activities(s)
        assert Counter(r["status"] for r in rows)["scheduled"] == 2
        assert len({r["starts_at"][:10] for r in rows}) == len(rows)  # one a day
        w = act.warnings(s, today=today)
        assert [x["name"] for x in w["absent_twice"]] == [demo_activities.ABSENT_TWICE]
        assert [x["name"] for x in w["inactive"]] == [demo_activities.INACTIVE]
    finally:
        s.close()
