"""Reception-day rules over a year, the fair duty draw, and manual changes."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from station_desk.domain.calendar import CN_2026_HOLIDAYS, CN_2026_WORKDAYS, WorkCalendar
from station_desk.domain.errors import ValidationError
from station_desk.domain.reception import (
    AlreadyOnDuty, Availability, Duty, NotActiveOn, NotOnDuty, ReceptionRule, RuleKind, SameDay,
    availability_from_events, check_replace, check_swap, draw, next_working_day, parse_days,
    reception_days, shortfalls, validate_rule,
)

CAL = WorkCalendar(holidays=CN_2026_HOLIDAYS, workdays=CN_2026_WORKDAYS)
PLAIN = WorkCalendar()
MONTHLY = ReceptionRule(kind=RuleKind.MONTHLY, days=(9, 19))
WEEKLY_MON = ReceptionRule(kind=RuleKind.WEEKLY, weekday=0, days=())


@pytest.mark.parametrize("rule, cal, count, included, excluded", [
    # 9th and 19th, 2026: weekend days and holidays move to the next working day
    (MONTHLY, CAL, 24, [date(2026, 3, 9), date(2026, 3, 19), date(2026, 2, 24),
                        date(2026, 5, 9), date(2026, 8, 10), date(2026, 10, 9),
                        date(2026, 1, 9), date(2026, 12, 9)],
     [date(2026, 2, 19), date(2026, 5, 11), date(2026, 8, 9), date(2026, 4, 19)]),
    # 2026-05-09 is a swapped working Saturday: it stays
    (ReceptionRule(kind=RuleKind.MONTHLY, days=(9,)), CAL, 12, [date(2026, 5, 9)],
     [date(2026, 5, 11)]),
    # without holidays only weekends move
    (ReceptionRule(kind=RuleKind.MONTHLY, days=(19,)), PLAIN, 12,
     [date(2026, 2, 19), date(2026, 4, 20)], [date(2026, 4, 19)]),
    # the 31st is skipped in months without one
    (ReceptionRule(kind=RuleKind.MONTHLY, days=(31,)), PLAIN, 7, [date(2026, 3, 31)], []),
    # weekly on Monday: the National Day and Spring Festival Mondays move on
    # (16 and 23 Feb both land on the 24th: once)
    (WEEKLY_MON, CAL, 51, [date(2026, 3, 9), date(2026, 10, 8), date(2026, 2, 24)],
     [date(2026, 10, 5), date(2026, 2, 16), date(2026, 2, 23)]),
    # weekly on Friday
    (ReceptionRule(kind=RuleKind.WEEKLY, weekday=4, days=()), PLAIN, 52,
     [date(2026, 1, 2), date(2026, 12, 25)], []),
])
def test_reception_days_over_a_year(rule, cal, count, included, excluded):
    days = reception_days(rule, 2026, cal)
    assert len(days) == count
    assert days == sorted(days)
    assert all(cal.is_working_day(d) for d in days)
    assert all(d.year == 2026 for d in days)
    for d in included:
        assert d in days
    for d in excluded:
        assert d not in days


def test_moved_days_land_on_the_next_working_day_and_collapse():
    # 2026-10-01..07 holidays: 1st, 2nd, 5th all become the 8th, once
    rule = ReceptionRule(kind=RuleKind.MONTHLY, days=(1, 2, 5))
    october = [d for d in reception_days(rule, 2026, CAL) if d.month == 10]
    assert october == [date(2026, 10, 8)]
    assert next_working_day(date(2026, 10, 1), CAL) == date(2026, 10, 8)
    assert next_working_day(date(2026, 10, 9), CAL) == date(2026, 10, 9)


def test_december_day_moved_into_january_counts_for_the_new_year():
    rule = ReceptionRule(kind=RuleKind.MONTHLY, days=(31,))
    cal = WorkCalendar(holidays=frozenset({date(2027, 12, 31)}))
    # 2027-12-31 is a Friday made a holiday -> 2028-01-03 (Monday)
    assert date(2028, 1, 3) in reception_days(rule, 2028, cal)
    assert all(d.year == 2027 for d in reception_days(rule, 2027, cal))


@pytest.mark.parametrize("text, days", [
    ("9, 19", (9, 19)), ("19，9", (9, 19)), ("9 19 9", (9, 19)), ("1", (1,)),
    ("0", None), ("32", None), ("", None), ("9, x", None), ([5, 15], (5, 15)),
])
def test_parse_days(text, days):
    assert parse_days(text) == days


def test_validate_rule_ok_and_errors():
    rule = validate_rule({"kind": "monthly", "days": "9,19", "per_day": "3", "start": "8:30",
                          "end": "11:30", "place": "  联络站 接待室 "})
    assert rule == ReceptionRule(RuleKind.MONTHLY, 0, (9, 19), 3, "08:30", "11:30", "联络站 接待室")
    weekly = validate_rule({"kind": "weekly", "weekday": 2, "per_day": 1, "start": "09:00",
                            "end": "12:00"})
    assert weekly.kind is RuleKind.WEEKLY and weekly.weekday == 2 and weekly.days == ()
    with pytest.raises(ValidationError) as info:
        validate_rule({"kind": "monthly", "days": "40", "per_day": 0, "start": "25:00",
                       "end": "08:00"})
    assert {e.field for e in info.value.errors} == {"days", "per_day", "start"}
    with pytest.raises(ValidationError) as info:
        validate_rule({"kind": "weekly", "weekday": 9, "per_day": 2, "start": "10:00",
                       "end": "09:00"})
    assert {e.field for e in info.value.errors} == {"weekday", "end"}
    with pytest.raises(ValidationError) as info:
        validate_rule({"kind": "daily"})
    assert info.value.for_field("kind")


# -- availability ---------------------------------------------------------------

def test_availability_from_mandate_events():
    events = [
        {"deputy_id": "a", "mandate_id": "m1", "kind": "elected", "on_date": "2021-11-20"},
        {"deputy_id": "a", "mandate_id": "m1", "kind": "suspended", "on_date": "2026-04-01"},
        {"deputy_id": "a", "mandate_id": "m1", "kind": "restored", "on_date": "2026-06-01"},
        {"deputy_id": "b", "mandate_id": "m2", "kind": "elected", "on_date": "2021-11-20"},
        {"deputy_id": "b", "mandate_id": "m2", "kind": "terminated", "on_date": "2026-07-01"},
        {"deputy_id": "c", "mandate_id": "m3", "kind": "elected", "on_date": "2026-09-15"},
    ]
    av = availability_from_events(events)
    assert av["a"].active_on(date(2026, 3, 31)) and not av["a"].active_on(date(2026, 4, 1))
    assert av["a"].active_on(date(2026, 6, 1))
    assert av["b"].active_on(date(2026, 6, 30)) and not av["b"].active_on(date(2026, 7, 1))
    assert not av["c"].active_on(date(2026, 9, 14)) and av["c"].active_on(date(2026, 9, 15))
    assert av["c"].active_in(date(2026, 1, 1), date(2026, 12, 31))
    assert not av["b"].active_in(date(2027, 1, 1), date(2027, 12, 31))


# -- the draw ----------------------------------------------------------------------

def _always(n: int) -> list[Availability]:
    return [Availability(f"d{i:02d}", ((date(2020, 1, 1), None),)) for i in range(n)]


@pytest.mark.parametrize("deputies, per_day", [(10, 2), (24, 2), (30, 2), (7, 3), (48, 1)])
def test_draw_is_even_and_everyone_gets_two_when_days_allow(deputies, per_day):
    days = reception_days(MONTHLY, 2026, CAL)
    people = _always(deputies)
    roster = draw(days, people, per_day=per_day, seed=2026)
    assert set(roster) == set(days)
    assert all(len(ids) == per_day and len(set(ids)) == per_day for ids in roster.values())
    counts = Counter(i for ids in roster.values() for i in ids)
    if len(days) * per_day >= 2 * deputies:
        assert min(counts[p.deputy_id] for p in people) >= 2
        assert shortfalls(roster, people, year=2026) == []
    values = [counts[p.deputy_id] for p in people]
    assert max(values) - min(values) <= 1


def test_draw_is_deterministic_and_the_seed_matters():
    days = reception_days(WEEKLY_MON, 2026, CAL)
    people = _always(12)
    assert draw(days, people, per_day=2, seed="s1") == draw(days, list(reversed(people)),
                                                            per_day=2, seed="s1")
    assert draw(days, people, per_day=2, seed="s1") != draw(days, people, per_day=2, seed="s2")


def test_draw_avoids_the_same_person_on_consecutive_days():
    days = reception_days(WEEKLY_MON, 2026, CAL)
    roster = draw(days, _always(5), per_day=2, seed=7)
    ordered = [set(roster[d]) for d in days]
    repeats = sum(bool(a & b) for a, b in zip(ordered, ordered[1:]))
    # 5 people, 2 a day: a repeat is forced only when the counts leave no other choice
    assert repeats <= len(days) // 5


def test_draw_respects_activity_and_keeps_fixed_days():
    days = reception_days(MONTHLY, 2026, CAL)
    people = _always(4) + [Availability("late", ((date(2026, 9, 15), None),)),
                           Availability("gone", ((date(2020, 1, 1), date(2026, 3, 1)),))]
    fixed = {days[0]: ["d00", "d01"]}
    roster = draw(days[1:], people, per_day=2, seed=1, fixed=fixed)
    assert days[0] not in roster
    for d, ids in roster.items():
        for i in ids:
            assert next(p for p in people if p.deputy_id == i).active_on(d)
    counts = Counter(i for ids in roster.values() for i in ids)
    assert counts["late"] >= 2  # fewest duties so far: the newcomer catches up
    assert counts["gone"] <= 2  # only the two days before March


def test_draw_tops_up_a_short_day_and_counts_prior_duties():
    d = date(2026, 3, 9)
    roster = draw([d], _always(3), per_day=2, seed=0, fixed={d: ["d02"]},
                  prior={"d00": 5})
    assert roster[d][0] == "d02" and roster[d][1] == "d01"


def test_draw_with_too_few_deputies_fills_what_it_can():
    d = date(2026, 3, 9)
    assert len(draw([d], _always(1), per_day=3, seed=0)[d]) == 1


def test_shortfalls_list_deputies_under_two():
    people = _always(3)
    roster = {date(2026, 3, 9): ["d00", "d01"], date(2026, 3, 19): ["d00", "d02"],
              date(2025, 12, 9): ["d02", "d01"]}
    found = shortfalls(roster, people, year=2026)
    assert [(s.deputy_id, s.duties) for s in found] == [("d01", 1), ("d02", 1)]


# -- manual changes ----------------------------------------------------------------

NAMES = {"a": "金喆", "b": "李堃", "c": "王昇"}
ACTIVE = Availability("x", ((date(2020, 1, 1), None),))
ENDED = Availability("x", ((date(2020, 1, 1), date(2026, 1, 1)),))


@pytest.mark.parametrize("old, new, avail, error", [
    ("a", "c", ACTIVE, None),
    ("c", "a", ACTIVE, NotOnDuty),
    ("a", "b", ACTIVE, AlreadyOnDuty),
    ("a", "c", ENDED, NotActiveOn),
])
def test_check_replace(old, new, avail, error):
    duty = Duty(date(2026, 3, 9), ("a", "b"))
    if error is None:
        check_replace(duty, old, new, avail, NAMES)
    else:
        with pytest.raises(error) as info:
            check_replace(duty, old, new, avail, NAMES)
        assert "2026-03-09" in str(info.value)


@pytest.mark.parametrize("a_id, b_day, b_id, avail_a, error", [
    ("a", date(2026, 3, 19), "c", ACTIVE, None),
    ("a", date(2026, 3, 9), "b", ACTIVE, SameDay),
    ("c", date(2026, 3, 19), "c", ACTIVE, NotOnDuty),
    ("b", date(2026, 3, 19), "b", ACTIVE, AlreadyOnDuty),  # b is on both days
    ("a", date(2026, 3, 19), "c", ENDED, NotActiveOn),
])
def test_check_swap(a_id, b_day, b_id, avail_a, error):
    a = Duty(date(2026, 3, 9), ("a", "b"))
    b = Duty(b_day, ("c", "b") if b_day != a.day else ("a", "b"))
    args = (a, a_id, b, b_id, avail_a, ACTIVE, NAMES)
    if error is None:
        check_swap(*args)
    else:
        with pytest.raises(error):
            check_swap(*args)
