"""Deadline arithmetic over weekends, holidays and swapped working days."""
from datetime import date

import pytest

from station_desk.domain.calendar import WorkCalendar

CAL = WorkCalendar(
    holidays=frozenset([date(2026, 10, d) for d in range(1, 8)]),
    workdays=frozenset([date(2026, 9, 27), date(2026, 10, 10)]),
)


@pytest.mark.parametrize("start,n,due", [
    (date(2026, 3, 6), 5, date(2026, 3, 13)),    # Friday + 5 -> next Friday
    (date(2026, 3, 9), 5, date(2026, 3, 16)),    # Monday + 5 -> next Monday
    (date(2026, 3, 7), 1, date(2026, 3, 9)),     # from a Saturday
    (date(2026, 9, 25), 1, date(2026, 9, 27)),   # swapped working Sunday counts
    (date(2026, 9, 30), 1, date(2026, 10, 8)),   # the National Day week is skipped
    (date(2026, 9, 30), 3, date(2026, 10, 10)),  # ... and the swapped Saturday counts
    (date(2026, 9, 28), 10, date(2026, 10, 16)),
    (date(2026, 3, 9), 0, date(2026, 3, 9)),
])
def test_add_working_days(start, n, due):
    assert CAL.add_working_days(start, n) == due


def test_working_days_between():
    assert CAL.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert CAL.working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert CAL.working_days_between(date(2026, 3, 13), date(2026, 3, 6)) == 0


def test_is_working_day():
    assert not CAL.is_working_day(date(2026, 10, 1))
    assert CAL.is_working_day(date(2026, 10, 10))  # a Saturday worked
    assert not CAL.is_working_day(date(2026, 3, 8))  # Sunday


def test_negative_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 3, 9), -1)
