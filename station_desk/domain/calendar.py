"""The working-day calendar the deadlines use: weekends, public holidays and
swapped working days (调休: a Saturday or Sunday worked instead of a holiday)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkCalendar:
    """``holidays``: days off that would be working days; ``workdays``: weekend
    days that are working days.  Both are kept by the station, year by year."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, d: date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself not counted).

        A matter forwarded on Friday with 5 working days is due the next
        Friday; a holiday week pushes the date past it."""
        if n < 0:
            raise ValueError("n must not be negative")
        d = start
        left = n
        while left:
            d += timedelta(days=1)
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
        count, d = 0, start
        while d < end:
            d += timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        return count


# China's 2026 public holidays and swapped working days as the State Council
# notice lists them: only the default a station starts from.  Stations check it
# against the notice and edit it; later years are entered the same way.
CN_2026_HOLIDAYS = frozenset(
    [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]
    + [date(2026, 2, d) for d in range(15, 24)]
    + [date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)]
    + [date(2026, 5, d) for d in range(1, 6)]
    + [date(2026, 6, 19), date(2026, 6, 20), date(2026, 6, 21)]
    + [date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)]
    + [date(2026, 10, d) for d in range(1, 8)]
)
CN_2026_WORKDAYS = frozenset([
    date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
    date(2026, 9, 20), date(2026, 10, 10),
])
