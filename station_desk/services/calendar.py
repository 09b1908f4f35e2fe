"""The station's working-day calendar, as the deadlines and reception days use it.

A new station starts with China's 2026 public holidays and swapped working
days (``domain.calendar``); the clerk checks them against the State Council's
notice and enters later years the same way.
"""
from __future__ import annotations

from datetime import date

from station_desk.domain.accounts import Permission
from station_desk.domain.calendar import WorkCalendar
from station_desk.domain.changes import Changes
from station_desk.domain.errors import N_, DomainError, NotFound
from station_desk.domain.reception import CalendarKind
from station_desk.domain.validation import Checker
from station_desk.services.session import Session
from station_desk.storage import reception as store

TABLES = ("calendar_days",)

MSG_KIND = N_("Choose holiday or swapped working day.")


class DayAlreadyInCalendar(DomainError):
    msgid = N_("{date} is already in the calendar. Remove it first to change it.")


class NotAChange(DomainError):
    msgid = N_("{date} needs no entry: only a weekday (Monday to Friday) can be made a "
               "holiday, and only a Saturday or Sunday a swapped working day.")


def work_calendar(session: Session) -> WorkCalendar:
    """The calendar of holidays and swapped working days kept by the station."""
    holidays, workdays = set(), set()
    for row in store.calendar_days(session.db):
        d = date.fromisoformat(row["day"])
        (holidays if row["kind"] == CalendarKind.HOLIDAY.value else workdays).add(d)
    return WorkCalendar(holidays=frozenset(holidays), workdays=frozenset(workdays))


def calendar_days(session: Session, *, year: int | None = None) -> list[dict]:
    """The holidays and swapped working days (of ``year``), by date."""
    return store.calendar_days(session.db, year=year)


def add_calendar_day(session: Session, *, on: object, kind: str, note: str = "") -> Changes:
    """Mark ``on`` as a holiday (a weekday off) or a swapped working day (a
    Saturday or Sunday worked)."""
    session.require(Permission.EDIT_RECEPTION)
    c = Checker()
    day = c.date("on", on, required=True)
    note = c.optional("note", note, max_len=60)
    if kind not in {k.value for k in CalendarKind}:
        c.add("kind", MSG_KIND)
    c.raise_if_any()
    weekend = day.weekday() >= 5
    if (kind == CalendarKind.HOLIDAY.value) == weekend:
        raise NotAChange(date=day.isoformat())
    if store.calendar_day_on(session.db, day.isoformat()):
        raise DayAlreadyInCalendar(date=day.isoformat())
    fields = {"day": day.isoformat(), "kind": kind, "note": note}
    with session.write():
        row_id = store.insert_calendar_day(session.db, origin=session.station_code, **fields)
        session.audit("create", "calendar_day", row_id, after=fields)
    return Changes.of(*TABLES, ids=[row_id], created_id=row_id)


def remove_calendar_day(session: Session, *, day_id: str) -> Changes:
    """Take a day out of the calendar: it is an ordinary weekday or weekend again."""
    session.require(Permission.EDIT_RECEPTION)
    before = store.calendar_day(session.db, day_id)
    if before is None:
        raise NotFound()
    with session.write():
        store.tombstone(session.db, "calendar_days", day_id)
        session.audit("delete", "calendar_day", day_id,
                      before={k: before[k] for k in ("day", "kind", "note")})
    return Changes.of(*TABLES, ids=[day_id])

