"""Activities: field checks, times, the sheet order and the warning rules."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from station_desk.domain import activities as dom
from station_desk.domain.activities import Attendance, Quarter
from station_desk.domain.errors import ValidationError

GOOD = {"kind": "learning", "title": "学习宣传贯彻党的二十大精神", "starts_at": "2026-03-05 09:00",
        "ends_at": "2026-03-05 11:30"}


@pytest.mark.parametrize("value, expected", [
    ("2026-03-05 09:00", datetime(2026, 3, 5, 9, 0)),
    ("2026-03-05T09:00", datetime(2026, 3, 5, 9, 0)),
    ("2026-3-5 9:05", datetime(2026, 3, 5, 9, 5)),
    ("2026-03-05T09:00:41", datetime(2026, 3, 5, 9, 0)),
    (datetime(2026, 3, 5, 9, 0, 41, tzinfo=timezone(timedelta(hours=8))),
     datetime(2026, 3, 5, 9, 0)),
    ("", None), (None, None), ("  ", None),
])
def test_parse_datetime(value, expected):
    assert dom.parse_datetime(value) == expected


@pytest.mark.parametrize("value", ["2026-03-05", "09:00", "2026-13-05 09:00",
                                   "2026-03-05 24:00", "明天上午"])
def test_parse_datetime_refuses(value):
    with pytest.raises(ValueError):
        dom.parse_datetime(value)


def test_activity_fields_cleaned_and_stored_form():
    out = dom.validate_activity({**GOOD, "title": "  学习  二十大 ", "notice": " 一\n 二 \n"})
    assert (out["title"], out["starts_at"], out["ends_at"]) == (
        "学习 二十大", "2026-03-05T09:00", "2026-03-05T11:30")
    assert out["notice"] == "一\n 二" and out["plan_item_id"] is None


@pytest.mark.parametrize("change, fields", [
    ({"ends_at": "2026-03-05 09:00"}, {"ends_at"}),
    ({"ends_at": "2026-03-04 12:00"}, {"ends_at"}),
    ({"ends_at": ""}, {"ends_at"}),
    ({"starts_at": "soon"}, {"starts_at"}),
    ({"starts_at": "1999-03-05 09:00"}, {"starts_at"}),
    ({"kind": "party"}, {"kind"}),
    ({"kind": ""}, {"kind"}),
    ({"title": " "}, {"title"}),
    ({"title": "x" * 201, "place": "y" * 201}, {"title", "place"}),
])
def test_activity_refusals_name_the_field(change, fields):
    with pytest.raises(ValidationError) as e:
        dom.validate_activity({**GOOD, **change})
    assert {x.field for x in e.value.errors} == fields


def test_ends_before_start_message():
    with pytest.raises(ValidationError) as e:
        dom.validate_activity({**GOOD, "ends_at": "2026-03-05 08:00"})
    assert e.value.for_field("ends_at").msgid == dom.MSG_ENDS_BEFORE


@pytest.mark.parametrize("raw, fields", [
    ({"year": 2026, "month": 3, "kind": "theory", "theme": "普法"}, set()),
    ({"year": "2026", "month": "12", "kind": "theory", "theme": "普法"}, set()),
    ({"year": 2026, "month": 0, "kind": "theory", "theme": "普法"}, {"month"}),
    ({"year": 1900, "month": 3, "kind": "theory", "theme": "普法"}, {"year"}),
    ({"year": "x", "month": "三", "kind": "x", "theme": ""}, {"year", "month", "kind", "theme"}),
])
def test_plan_item(raw, fields):
    if not fields:
        assert dom.validate_plan_item(raw)["month"] == int(raw["month"])
        return
    with pytest.raises(ValidationError) as e:
        dom.validate_plan_item(raw)
    assert {x.field for x in e.value.errors} == fields


def test_outsider_needs_a_name_and_a_real_phone():
    assert dom.validate_outsider({"name": " 赵律师 ", "phone": "+86 138 1234 5678"}, 0) == {
        "name": "赵律师", "name_ko": "", "unit": "", "post": "", "phone": "13812345678"}
    with pytest.raises(ValidationError) as e:
        dom.validate_outsider({"name": "", "phone": "12345"}, 2)
    assert {x.field for x in e.value.errors} == {"outsiders[2].name", "outsiders[2].phone"}


def test_marks_and_signing_times():
    marks, times = dom.validate_marks({"a": "present", "b": "leave"}, {"a": "8:05", "b": ""})
    assert marks == {"a": Attendance.PRESENT, "b": Attendance.LEAVE}
    assert times == {"a": "08:05", "b": ""}
    for bad_marks, bad_times, field in [({"a": "late"}, None, "marks"),
                                        ({"a": "present"}, {"a": "8.05"}, "signed_at"),
                                        ({}, {"a": "24:00"}, "signed_at")]:
        with pytest.raises(ValidationError) as e:
            dom.validate_marks(bad_marks, bad_times)
        assert e.value.errors[0].field == field


@pytest.mark.parametrize("ids, moved, to, expected", [
    (list("abcd"), "d", 0, list("dabc")),
    (list("abcd"), "a", 3, list("bcda")),
    (list("abcd"), "a", 99, list("bcda")),
    (list("abcd"), "c", -5, list("cabd")),
    (list("abcd"), "b", 1, list("abcd")),
])
def test_sheet_order(ids, moved, to, expected):
    assert dom.sheet_order(ids, moved, to) == expected


def test_counts():
    assert dom.counts(["present", "present", "leave", "unmarked"]) == {
        "expected": 4, "present": 2, "leave": 1, "absent": 0, "unmarked": 1}


@pytest.mark.parametrize("today, label, start, end", [
    (date(2026, 3, 9), "2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
    (date(2026, 4, 1), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    (date(2026, 6, 30), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    (date(2026, 7, 1), "2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
    (date(2026, 12, 31), "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
])
def test_last_complete_quarter(today, label, start, end):
    q = dom.last_complete_quarter(today)
    assert (q.label, q.start, q.end) == (label, start, end)


def _inv(deputy, day, mark):
    return {"deputy_id": deputy, "starts_at": f"2026-{day}T09:00", "attendance": mark}


# each row: a deputy's marked invitations to held activities (any order) -> listed?
ABSENT_TWICE = [
    ("two absences in a row", [("01-10", "absent"), ("02-10", "absent")], True),
    ("given newest first", [("02-10", "absent"), ("01-10", "absent")], True),
    ("absence then leave", [("01-10", "absent"), ("02-10", "leave")], False),
    ("leave then absence", [("01-10", "leave"), ("02-10", "absent")], False),
    ("older absences, present last", [("01-01", "absent"), ("01-10", "absent"),
                                      ("02-10", "present")], False),
    ("present long ago, two absences since", [("01-01", "present"), ("01-10", "absent"),
                                              ("02-10", "absent")], True),
    ("one absence only", [("02-10", "absent")], False),
    ("unmarked in between is skipped", [("01-10", "absent"), ("01-20", "unmarked"),
                                        ("02-10", "absent")], True),
    ("absent, present, absent", [("01-10", "absent"), ("01-20", "present"),
                                 ("02-10", "absent")], False),
    ("nothing", [], False),
]


@pytest.mark.parametrize("name, rows, listed", ABSENT_TWICE, ids=[r[0] for r in ABSENT_TWICE])
def test_absent_twice(name, rows, listed):
    invitations = [_inv("d", day, mark) for day, mark in rows]
    invitations += [_inv("other", "01-10", "absent"), _inv("other", "02-10", "present")]
    assert dom.absent_twice(invitations) == (["d"] if listed else [])


Q4 = Quarter(2025, 4)


@pytest.mark.parametrize("since, present, listed", [
    (date(2021, 11, 18), False, True),   # served all the quarter, never present
    (date(2021, 11, 18), True, False),   # present once
    (date(2025, 10, 1), False, True),    # elected on the quarter's first day
    (date(2025, 10, 2), False, False),   # did not serve the whole quarter
    (date(2026, 1, 5), False, False),    # elected after it
])
def test_inactive(since, present, listed):
    out = dom.inactive({"d": since}, {"d"} if present else set(), Q4)
    assert out == (["d"] if listed else [])


@pytest.mark.parametrize("statuses, state", [
    ([], None),
    (["held"], "held"),
    (["cancelled", "held"], "held"),
    (["scheduled", "held"], "held"),
    (["cancelled", "scheduled"], "scheduled"),
    (["cancelled", "cancelled"], "cancelled"),
])
def test_plan_item_state(statuses, state):
    assert dom.plan_item_state(statuses) == state
