"""Reception days (接待日) and the duty roster (排班).

A station receives voters on fixed days: weekly on a weekday, or monthly on
given days of the month (e.g. the 9th and 19th).  A rule day that is not a
working day (weekend, public holiday) moves to the **next working day** of the
station's calendar: voters expect the station open on the announced day or
soon after, never before it.  A day of the month the month does not have
(the 31st in April) is skipped.

The duty roster names the deputies on duty on each day.  The draw is fair and
repeatable: on each day it takes the active deputies with the fewest duties so
far, prefers those who were not on duty on the previous reception day, and
breaks the remaining ties with a seeded random order.  So the load is even
(no one has two more duties than another who was active as long), every
deputy gets at least two days a year whenever there are enough days, and the
same seed gives the same roster.
"""
from __future__ import annotations

import random
import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Iterable, Mapping, Sequence

from station_desk.domain.calendar import WorkCalendar
from station_desk.domain.errors import N_, DomainError, FieldError, ValidationError

MIN_DUTIES_PER_YEAR = 2
MAX_PER_DAY = 10
WEEKDAY_LABELS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
                  N_("Friday"), N_("Saturday"), N_("Sunday"))


class RuleKind(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


RULE_KIND_LABELS = {RuleKind.WEEKLY: N_("Weekly"), RuleKind.MONTHLY: N_("Monthly")}


class CalendarKind(StrEnum):
    HOLIDAY = "holiday"     # a day off that would be a working day
    WORKDAY = "workday"     # a weekend day worked instead (调休)


CALENDAR_KIND_LABELS = {CalendarKind.HOLIDAY: N_("Holiday"),
                        CalendarKind.WORKDAY: N_("Swapped working day")}

MSG_WEEKDAY = N_("Choose a weekday.")
MSG_DAYS = N_("Enter days of the month from 1 to 31, e.g. 9, 19.")
MSG_PER_DAY = N_("Between 1 and {max} deputies a day.")
MSG_TIME = N_("Enter a time as HH:MM, e.g. 08:30.")
MSG_TIME_ORDER = N_("The end must be after the start.")
MSG_KIND = N_("Choose weekly or monthly.")
MSG_PLACE_LONG = N_("At most {max} characters.")

_TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


@dataclass(frozen=True)
class ReceptionRule:
    """When the station receives voters and how many deputies are on duty."""

    kind: RuleKind = RuleKind.MONTHLY
    weekday: int = 0                      # 0 = Monday, for weekly rules
    days: tuple[int, ...] = (9, 19)       # days of the month, for monthly rules
    per_day: int = 2
    start: str = "08:30"
    end: str = "11:30"
    place: str = ""

    def rule_dates(self, first: date, last: date) -> list[date]:
        """The dates the rule names between ``first`` and ``last`` (inclusive),
        before moving any off a non-working day."""
        out: list[date] = []
        if self.kind is RuleKind.WEEKLY:
            d = first + timedelta(days=(self.weekday - first.weekday()) % 7)
            while d <= last:
                out.append(d)
                d += timedelta(days=7)
            return out
        y, m = first.year, first.month
        while date(y, m, 1) <= last:
            length = monthrange(y, m)[1]
            for day in sorted(set(self.days)):
                if day <= length:
                    d = date(y, m, day)
                    if first <= d <= last:
                        out.append(d)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def next_working_day(d: date, calendar: WorkCalendar) -> date:
    """``d`` itself when it is a working day, else the next working day."""
    while not calendar.is_working_day(d):
        d += timedelta(days=1)
    return d


def reception_days(rule: ReceptionRule, year: int, calendar: WorkCalendar) -> list[date]:
    """The reception days of ``year``: the rule's dates, each moved to the next
    working day when it is not one; two dates moved onto the same day count once.

    A December date of the year before that moves into January belongs to this
    year, and one of this December that moves into the next year does not."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    out = {next_working_day(d, calendar)
           for d in rule.rule_dates(first - timedelta(days=31), last)}
    return sorted(d for d in out if first <= d <= last)


def _parse_time(text: object) -> str | None:
    m = _TIME_RE.match(str(text or "").strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def parse_days(text: object) -> tuple[int, ...] | None:
    """"9, 19" / "9，19" / "9 19" / [9, 19] -> (9, 19); None when malformed."""
    if isinstance(text, (list, tuple)):
        parts = [str(p) for p in text]
    else:
        parts = [p for p in re.split(r"[\s,，、;；]+", str(text or "").strip()) if p]
    try:
        days = sorted({int(p) for p in parts})
    except ValueError:
        return None
    if not days or any(not 1 <= d <= 31 for d in days):
        return None
    return tuple(days)


def validate_rule(data: Mapping[str, object]) -> ReceptionRule:
    """A checked rule from form data; every wrong field in one ValidationError.

    Keys: kind (weekly/monthly), weekday (0-6), days ("9, 19"), per_day,
    start, end ("08:30"), place."""
    errors: list[FieldError] = []
    try:
        kind = RuleKind(str(data.get("kind") or ""))
    except ValueError:
        errors.append(FieldError("kind", MSG_KIND))
        kind = RuleKind.MONTHLY
    weekday, days = 0, (9, 19)
    if kind is RuleKind.WEEKLY:
        try:
            weekday = int(data.get("weekday"))  # type: ignore[arg-type]
            if not 0 <= weekday <= 6:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(FieldError("weekday", MSG_WEEKDAY))
    else:
        parsed = parse_days(data.get("days"))
        if parsed is None:
            errors.append(FieldError("days", MSG_DAYS))
        else:
            days = parsed
    try:
        per_day = int(data.get("per_day") or 0)  # type: ignore[arg-type]
        if not 1 <= per_day <= MAX_PER_DAY:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(FieldError("per_day", MSG_PER_DAY, {"max": MAX_PER_DAY}))
        per_day = 1
    start, end = _parse_time(data.get("start")), _parse_time(data.get("end"))
    if start is None:
        errors.append(FieldError("start", MSG_TIME))
    if end is None:
        errors.append(FieldError("end", MSG_TIME))
    if start and end and end <= start:
        errors.append(FieldError("end", MSG_TIME_ORDER))
    place = re.sub(r"\s+", " ", str(data.get("place") or "")).strip()
    if len(place) > 100:
        errors.append(FieldError("place", MSG_PLACE_LONG, {"max": 100}))
    if errors:
        raise ValidationError(errors)
    return ReceptionRule(kind=kind, weekday=weekday if kind is RuleKind.WEEKLY else 0,
                         days=days if kind is RuleKind.MONTHLY else (), per_day=per_day,
                         start=start or "", end=end or "", place=place)


# -- who is active when --------------------------------------------------------

@dataclass(frozen=True)
class Availability:
    """When a deputy holds an active (not suspended, not ended) mandate:
    half-open periods [start, end), ``end`` None while it lasts."""

    deputy_id: str
    periods: tuple[tuple[date, date | None], ...] = ()

    def active_on(self, d: date) -> bool:
        return any(start <= d and (end is None or d < end) for start, end in self.periods)

    def active_in(self, first: date, last: date) -> bool:
        return any(start <= last and (end is None or end > first) for start, end in self.periods)


def availability_from_events(events: Iterable[Mapping[str, object]]) -> dict[str, Availability]:
    """Fold mandate events (deputy_id, mandate_id, kind, on_date; oldest first)
    into each deputy's active periods.  Elected and restored open a period;
    suspended and terminated close it on that date."""
    open_since: dict[str, date] = {}
    periods: dict[str, list[tuple[date, date | None]]] = {}
    owner: dict[str, str] = {}
    for e in events:
        mandate, kind = str(e["mandate_id"]), str(e["kind"])
        on = e["on_date"] if isinstance(e["on_date"], date) else date.fromisoformat(str(e["on_date"]))
        owner[mandate] = str(e["deputy_id"])
        periods.setdefault(owner[mandate], [])
        if kind in ("elected", "restored"):
            open_since.setdefault(mandate, on)
        elif kind in ("suspended", "terminated") and mandate in open_since:
            start = open_since.pop(mandate)
            if on > start:
                periods[owner[mandate]].append((start, on))
    for mandate, start in open_since.items():
        periods[owner[mandate]].append((start, None))
    return {d: Availability(d, tuple(sorted(p, key=lambda x: x[0]))) for d, p in periods.items()}


# -- the draw --------------------------------------------------------------------

def draw(days: Sequence[date], deputies: Iterable[Availability], *, per_day: int, seed: object,
         fixed: Mapping[date, Sequence[str]] | None = None,
         prior: Mapping[str, int] | None = None) -> dict[date, list[str]]:
    """Deputies on duty for each of ``days`` (those to be drawn).

    ``fixed``: days already settled (kept, counted, and used for "previous
    day"), including deputies already on a day to be topped up; ``prior``:
    duties each deputy already has in the year outside ``days``.  On each day
    the active deputies are ranked by duties so far, then by whether they were
    on the previous reception day, then by a seeded random order; the first
    ``per_day`` are taken (fewer when fewer are active)."""
    fixed = {d: list(ids) for d, ids in (fixed or {}).items()}
    people = sorted(deputies, key=lambda a: a.deputy_id)
    rng = random.Random(str(seed))
    tiebreak = {a.deputy_id: rng.random() for a in people}
    counts = {a.deputy_id: 0 for a in people}
    for deputy, n in (prior or {}).items():
        counts[deputy] = counts.get(deputy, 0) + n
    for ids in fixed.values():
        for deputy in ids:
            counts[deputy] = counts.get(deputy, 0) + 1
    to_draw = set(days)
    result: dict[date, list[str]] = {}
    previous: set[str] = set()
    for d in sorted(set(days) | set(fixed)):
        chosen = list(fixed.get(d, []))
        if d in to_draw:
            free = [a.deputy_id for a in people if a.active_on(d) and a.deputy_id not in chosen]
            free.sort(key=lambda i: (counts[i], i in previous, tiebreak[i]))
            for deputy in free[:max(0, per_day - len(chosen))]:
                chosen.append(deputy)
                counts[deputy] += 1
            result[d] = chosen
        previous = set(chosen)
    return result


@dataclass(frozen=True)
class Shortfall:
    """A deputy active during the year with fewer duties than the minimum."""

    deputy_id: str
    duties: int
    minimum: int = MIN_DUTIES_PER_YEAR


def shortfalls(assignments: Mapping[date, Sequence[str]], deputies: Iterable[Availability],
               *, year: int, minimum: int = MIN_DUTIES_PER_YEAR) -> list[Shortfall]:
    """Deputies active at some time in ``year`` with fewer than ``minimum``
    duties that year, fewest first."""
    counts: dict[str, int] = {}
    for d, ids in assignments.items():
        if d.year == year:
            for deputy in ids:
                counts[deputy] = counts.get(deputy, 0) + 1
    first, last = date(year, 1, 1), date(year, 12, 31)
    out = [Shortfall(a.deputy_id, counts.get(a.deputy_id, 0), minimum)
           for a in deputies if a.active_in(first, last) and counts.get(a.deputy_id, 0) < minimum]
    return sorted(out, key=lambda s: (s.duties, s.deputy_id))


# -- manual changes --------------------------------------------------------------

class NotOnDuty(DomainError):
    msgid = N_("{name} is not on duty on {date}.")


class AlreadyOnDuty(DomainError):
    msgid = N_("{name} is already on duty on {date}.")


class NotActiveOn(DomainError):
    msgid = N_("{name} holds no active mandate on {date} and cannot be on duty.")


class SameDay(DomainError):
    msgid = N_("Choose two different reception days to swap.")


@dataclass(frozen=True)
class Duty:
    """Who is on duty on one day, for checking a manual change."""

    day: date
    deputies: tuple[str, ...] = field(default_factory=tuple)


def _name(names: Mapping[str, str], deputy_id: str) -> str:
    return names.get(deputy_id, deputy_id)


def check_replace(duty: Duty, old_id: str, new_id: str, new: Availability,
                  names: Mapping[str, str]) -> None:
    """Raise unless ``old_id`` on ``duty`` may be replaced by ``new_id``."""
    when = duty.day.isoformat()
    if old_id not in duty.deputies:
        raise NotOnDuty(name=_name(names, old_id), date=when)
    if new_id in duty.deputies:
        raise AlreadyOnDuty(name=_name(names, new_id), date=when)
    if not new.active_on(duty.day):
        raise NotActiveOn(name=_name(names, new_id), date=when)


def check_swap(a: Duty, a_id: str, b: Duty, b_id: str, avail_a: Availability,
               avail_b: Availability, names: Mapping[str, str]) -> None:
    """Raise unless ``a_id`` (on day ``a``) and ``b_id`` (on day ``b``) may
    change places: each active on the other's day and not already on it."""
    if a.day == b.day:
        raise SameDay()
    for duty, who in ((a, a_id), (b, b_id)):
        if who not in duty.deputies:
            raise NotOnDuty(name=_name(names, who), date=duty.day.isoformat())
    for duty, who, avail in ((b, a_id, avail_a), (a, b_id, avail_b)):
        if who in duty.deputies:
            raise AlreadyOnDuty(name=_name(names, who), date=duty.day.isoformat())
        if not avail.active_on(duty.day):
            raise NotActiveOn(name=_name(names, who), date=duty.day.isoformat())
