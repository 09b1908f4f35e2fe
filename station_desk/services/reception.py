"""Reception days and the duty roster: the rule, the year's days, the fair draw,
manual replacements and swaps, and the warnings a clerk must act on.

Days before today are history: generating days or drawing the roster never
changes them.  Days (and duties) changed by hand are kept when the days are
generated or the roster drawn again.
"""
from __future__ import annotations

from datetime import date

from station_desk.domain.accounts import Permission
from station_desk.domain import reception as rules
from station_desk.domain.changes import Changes
from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.errors import N_, DomainError, NotFound
from station_desk.domain.reception import Availability, Duty, ReceptionRule, RuleKind
from station_desk.domain.validation import Checker
from station_desk.services import station as station_service
from station_desk.services.calendar import work_calendar
from station_desk.services.session import Session
from station_desk.storage import deputies as deputy_store, reception as store

DAY_TABLES = ("reception_days", "duty_assignments")
NO_PERIODS = Availability("", ())


class NoRule(DomainError):
    msgid = N_("Set the reception-day rule first.")


class DayExists(DomainError):
    msgid = N_("{date} is already a reception day.")


class NoReceptionDay(DomainError):
    msgid = N_("There is no reception day on or after {date}. Generate the year's days first.")


# -- the rule -----------------------------------------------------------------------

def rule(session: Session) -> ReceptionRule | None:
    """The station's reception-day rule, or None before one is set."""
    row = store.get_rule(session.db)
    if row is None:
        return None
    return ReceptionRule(kind=RuleKind(row["kind"]), weekday=row["weekday"],
                         days=tuple(int(d) for d in row["days"].split(",") if d),
                         per_day=row["per_day"], start=row["start_time"], end=row["end_time"],
                         place=row["place"])


def default_rule(session: Session) -> ReceptionRule:
    """The rule to offer before one is set: the 9th and 19th, two deputies, the station."""
    profile = station_service.profile(session)
    return ReceptionRule(place=(profile.get("address") or "").strip()[:100])


def set_rule(session: Session, *, data: dict) -> Changes:
    """Check and store the rule (the year's days are generated separately)."""
    session.require(Permission.EDIT_RECEPTION)
    checked = rules.validate_rule(data)
    fields = {"kind": checked.kind.value, "weekday": checked.weekday,
              "days": ",".join(str(d) for d in checked.days), "per_day": checked.per_day,
              "start_time": checked.start, "end_time": checked.end, "place": checked.place}
    before = store.get_rule(session.db)
    with session.write():
        row_id = store.save_rule(session.db, origin=session.station_code, fields=fields)
        session.audit("update" if before else "create", "reception_rule", row_id,
                      before={k: before[k] for k in fields} if before else None, after=fields)
    return Changes.of("reception_rules", ids=[row_id])


# -- days ----------------------------------------------------------------------------

def generate_days(session: Session, *, year: int, include_past: bool = False) -> Changes:
    """Make the year's reception days from the rule and the calendar.

    From today on (``include_past``: from 1 January, for a year entered after
    the fact, e.g. the demo): missing days are added; days the rule no longer names are
    removed unless someone is on duty, they were changed by hand, or they are
    cancelled (kept, so nothing the clerk did is lost); the others take the
    rule's time and place.  ``Changes.extra`` counts added / removed / kept."""
    session.require(Permission.EDIT_RECEPTION)
    current = rule(session)
    if current is None:
        raise NoRule()
    today = date(year, 1, 1) if include_past else session.today()
    wanted = {d for d in rules.reception_days(current, year, work_calendar(session)) if d >= today}
    first, last = date(year, 1, 1), date(year, 12, 31)
    existing = {date.fromisoformat(r["day"]): r for r in store.days_between(session.db, first, last)}
    busy = {r["day_id"] for r in store.duties_between(session.db, first, last)}
    timing = {"start_time": current.start, "end_time": current.end, "place": current.place}
    added, removed, kept = [], [], []
    with session.write():
        for d in sorted(wanted - existing.keys()):
            added.append(store.insert_day(session.db, origin=session.station_code,
                                          fields={"day": d.isoformat(), **timing}))
        for d, row in existing.items():
            if d < today or row["manual"]:
                continue
            if d in wanted:
                if any(row[k] != v for k, v in timing.items()):
                    store.update_day(session.db, row["id"], timing)
            elif row["id"] in busy or row["cancelled"]:
                kept.append(row["id"])
            else:
                store.tombstone(session.db, "reception_days", row["id"])
                removed.append(row["id"])
        session.audit("generate", "reception_days", str(year),
                      after={"added": len(added), "removed": len(removed), "kept": len(kept)})
    changes = Changes.of(*DAY_TABLES, ids=added + removed)
    changes.extra.update(added=len(added), removed=len(removed), kept=len(kept))
    return changes


def add_day(session: Session, *, on: object, place: str | None = None, note: str = "") -> Changes:
    """A reception day outside the rule (e.g. before a festival), kept by hand."""
    session.require(Permission.EDIT_RECEPTION)
    c = Checker()
    d = c.date("on", on, required=True)
    place = c.optional("place", place, max_len=100)
    note = c.optional("note", note, max_len=100)
    c.raise_if_any()
    if store.day_on(session.db, d.isoformat()):
        raise DayExists(date=d.isoformat())
    current = rule(session) or default_rule(session)
    fields = {"day": d.isoformat(), "start_time": current.start, "end_time": current.end,
              "place": place or current.place, "note": note, "manual": 1}
    with session.write():
        day_id = store.insert_day(session.db, origin=session.station_code, fields=fields)
        session.audit("create", "reception_day", day_id, after=fields)
    return Changes.of(*DAY_TABLES, ids=[day_id], created_id=day_id)


def update_day(session: Session, *, day_id: str, place: str | None = None,
               note: str | None = None, cancelled: bool | None = None) -> Changes:
    """Change one day's place or note, or cancel / restore it (kept by hand from then on)."""
    session.require(Permission.EDIT_RECEPTION)
    before = store.get_day(session.db, day_id)
    if before is None:
        raise NotFound()
    c = Checker()
    fields: dict = {"manual": 1}
    if place is not None:
        fields["place"] = c.optional("place", place, max_len=100)
    if note is not None:
        fields["note"] = c.optional("note", note, max_len=100)
    if cancelled is not None:
        fields["cancelled"] = int(bool(cancelled))
    c.raise_if_any()
    with session.write():
        store.update_day(session.db, day_id, fields)
        session.audit("cancel" if cancelled else "update", "reception_day", day_id,
                      before={k: before[k] for k in fields}, after=fields)
    return Changes.of(*DAY_TABLES, ids=[day_id])


# -- reading -------------------------------------------------------------------------

def _deputies(session: Session) -> dict[str, dict]:
    """Every deputy of the station (former ones too) by id, with levels as a list."""
    out = {}
    for r in deputy_store.all_for_roster(session.db, DeputyFilter()):
        levels = [lv for lv in (r.get("levels") or "").split(",") if lv]
        out[r["id"]] = {"id": r["id"], "name": r["name"], "name_ko": r["name_ko"] or "",
                        "levels": levels, "group_name": r["group_name"] or "",
                        "group_name_ko": r["group_name_ko"] or "", "status": r["status"]}
    return out


def _availability(session: Session) -> dict[str, Availability]:
    return rules.availability_from_events(store.mandate_events(session.db))


def _year_bounds(year: int, month: int | None = None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    last = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
    return date(year, month, 1), date.fromordinal(last)


def days(session: Session, *, year: int, month: int | None = None) -> list[dict]:
    """The reception days of a year (or one month), by date, each with the
    deputies on duty: ``id``, ``day`` (a date), ``start_time``, ``end_time``,
    ``place``, ``note``, ``cancelled``, ``manual`` and ``deputies`` (each with
    name, name_ko, levels, group names, ``manual`` and ``active`` that day)."""
    first, last = _year_bounds(year, month)
    people = _deputies(session)
    avail = _availability(session)
    rows = store.days_between(session.db, first, last)
    duties: dict[str, list[dict]] = {}
    for a in store.duties_between(session.db, first, last):
        duties.setdefault(a["day_id"], []).append(a)
    out = []
    for r in rows:
        d = date.fromisoformat(r["day"])
        on_duty = []
        for a in duties.get(r["id"], []):
            person = people.get(a["deputy_id"])
            if person is None:  # a deleted deputy's duty: not shown
                continue
            on_duty.append({**person, "manual": bool(a["manual"]),
                            "active": avail.get(a["deputy_id"], NO_PERIODS).active_on(d)})
        out.append({"id": r["id"], "day": d, "start_time": r["start_time"],
                    "end_time": r["end_time"], "place": r["place"], "note": r["note"],
                    "cancelled": bool(r["cancelled"]),
                    "manual": bool(r["manual"]) or any(p["manual"] for p in on_duty),
                    "deputies": on_duty})
    return out


def day(session: Session, *, day_id: str) -> dict:
    row = store.get_day(session.db, day_id)
    if row is None:
        raise NotFound()
    d = date.fromisoformat(row["day"])
    return next(x for x in days(session, year=d.year, month=d.month) if x["id"] == day_id)


def next_day(session: Session, *, on_or_after: date) -> dict:
    """The first reception day (not cancelled) on or after the date."""
    for year in (on_or_after.year, on_or_after.year + 1):
        for d in days(session, year=year):
            if d["day"] >= on_or_after and not d["cancelled"]:
                return d
    raise NoReceptionDay(date=on_or_after.isoformat())


def duty_counts(session: Session, *, year: int) -> dict[str, int]:
    """Duties per deputy on the year's days that are not cancelled."""
    first, last = _year_bounds(year)
    cancelled = {r["id"] for r in store.days_between(session.db, first, last) if r["cancelled"]}
    counts: dict[str, int] = {}
    for a in store.duties_between(session.db, first, last):
        if a["day_id"] not in cancelled:
            counts[a["deputy_id"]] = counts.get(a["deputy_id"], 0) + 1
    return counts


def candidates(session: Session, *, day_id: str) -> list[dict]:
    """Deputies who may go on duty on the day: active that day and not on it
    already; fewest duties in the year first, each with ``duties``."""
    the_day = day(session, day_id=day_id)
    avail = _availability(session)
    counts = duty_counts(session, year=the_day["day"].year)
    there = {p["id"] for p in the_day["deputies"]}
    out = [{**p, "duties": counts.get(p["id"], 0)} for p in _deputies(session).values()
           if p["id"] not in there
           and avail.get(p["id"], NO_PERIODS).active_on(the_day["day"])]
    return sorted(out, key=lambda p: (p["duties"], p["name"]))


def warnings(session: Session, *, year: int) -> list[dict]:
    """What the clerk should fix in the year's roster, each a dict with ``kind``:

    - ``shortfall``: an active deputy with fewer than two duties in the year
      (``deputy``, ``duties``, ``minimum``);
    - ``inactive``: someone on duty on a coming day without an active mandate
      that day (``deputy``, ``day``);
    - ``short_day``: a coming day with fewer deputies than the rule asks
      (``day``, ``count``, ``per_day``);
    - ``no_calendar``: the working-day calendar has no entry in the year, so
      its public holidays are surely missing (``year``)."""
    people = _deputies(session)
    avail = _availability(session)
    the_days = [d for d in days(session, year=year) if not d["cancelled"]]
    assignments = {d["day"]: [p["id"] for p in d["deputies"]] for d in the_days}
    out: list[dict] = []
    if not store.calendar_days(session.db, year=year):
        out.append({"kind": "no_calendar", "year": year})
    for s in rules.shortfalls(assignments, [avail[i] for i in people if i in avail], year=year):
        out.append({"kind": "shortfall", "deputy": people[s.deputy_id], "duties": s.duties,
                    "minimum": s.minimum})
    current = rule(session)
    today = session.today()
    for d in the_days:
        if d["day"] < today:
            continue
        for p in d["deputies"]:
            if not p["active"]:
                out.append({"kind": "inactive", "deputy": p, "day": d["day"]})
        if current and len(d["deputies"]) < current.per_day:
            out.append({"kind": "short_day", "day": d["day"], "count": len(d["deputies"]),
                        "per_day": current.per_day})
    return out


# -- the draw ------------------------------------------------------------------------

def drawn_days(session: Session, *, year: int) -> int:
    """Coming days of the year that already have someone on duty (a redraw asks first)."""
    today = session.today()
    return sum(1 for d in days(session, year=year)
               if d["day"] >= today and not d["cancelled"] and d["deputies"])


def draw_roster(session: Session, *, year: int, redo: bool = False, seed: object = None,
                include_past: bool = False) -> Changes:
    """Draw the deputies on duty for the year's coming days.

    Without ``redo`` only gaps are filled: days with fewer deputies than the
    rule asks are topped up (someone without an active mandate that day is
    taken off first).  With ``redo`` every coming day is drawn afresh, except
    days changed by hand.  Past and cancelled days never change.  The draw is
    repeatable: the same data and ``seed`` (default: station and year) give
    the same roster.  ``include_past`` draws the past days of the year too
    (a year entered after the fact).  ``Changes.extra["days"]`` counts the days drawn."""
    session.require(Permission.EDIT_RECEPTION)
    current = rule(session)
    if current is None:
        raise NoRule()
    today = date(year, 1, 1) if include_past else session.today()
    avail = _availability(session)
    people = _deputies(session)
    pool = [avail[i] for i in people if i in avail]
    fixed: dict[date, list[str]] = {}
    prior: dict[str, int] = {}
    to_draw: list[date] = []
    drop: list[str] = []  # assignment ids taken off
    by_date: dict[date, dict] = {}
    first, last = _year_bounds(year)
    raw = {}
    for a in store.duties_between(session.db, first, last):
        raw.setdefault(a["day_id"], []).append(a)
    for d in days(session, year=year):
        by_date[d["day"]] = d
        ids = [p["id"] for p in d["deputies"]]
        if d["cancelled"]:
            continue
        if d["day"] < today:
            for i in ids:
                prior[i] = prior.get(i, 0) + 1
            continue
        if any(p["manual"] for p in d["deputies"]):  # changed by hand: kept
            fixed[d["day"]] = ids
            continue
        keep = [] if redo else [p["id"] for p in d["deputies"] if p["active"]]
        drop += [a["id"] for a in raw.get(d["id"], []) if a["deputy_id"] not in keep]
        if redo or len(keep) < current.per_day:
            to_draw.append(d["day"])
        fixed[d["day"]] = keep
    seed = seed if seed is not None else f"{session.station_code}/{year}"
    result = rules.draw(to_draw, pool, per_day=current.per_day, seed=seed, fixed=fixed,
                        prior=prior)
    written = 0
    with session.write():
        for duty_id in drop:
            store.update_duty(session.db, duty_id, {"deleted": 1})
        for d, ids in result.items():
            for deputy_id in ids[len(fixed.get(d, [])):]:
                store.insert_duty(session.db, origin=session.station_code,
                                  day_id=by_date[d]["id"], deputy_id=deputy_id, manual=False)
                written += 1
        session.audit("draw", "duty_roster", str(year),
                      after={"days": len(to_draw), "assigned": written, "removed": len(drop),
                             "redo": redo, "seed": str(seed)})
    changes = Changes.of("duty_assignments", ids=[by_date[d]["id"] for d in to_draw])
    changes.extra.update(days=len(to_draw), assigned=written)
    return changes


# -- manual changes ------------------------------------------------------------------

def _duty(the_day: dict) -> Duty:
    return Duty(the_day["day"], tuple(p["id"] for p in the_day["deputies"]))


def _names(session: Session) -> dict[str, str]:
    return {i: p["name"] for i, p in _deputies(session).items()}


def _assignment(session: Session, day_id: str, deputy_id: str) -> dict | None:
    return next((a for a in store.duties_of_day(session.db, day_id)
                 if a["deputy_id"] == deputy_id), None)


def _mark_day_manual(session: Session, day_id: str) -> None:
    for a in store.duties_of_day(session.db, day_id):
        if not a["manual"]:
            store.update_duty(session.db, a["id"], {"manual": 1})


def replace_duty(session: Session, *, day_id: str, old_deputy_id: str,
                 new_deputy_id: str) -> Changes:
    """Put ``new_deputy_id`` on duty instead of ``old_deputy_id`` on the day.

    The new deputy must hold an active mandate that day and not be on it
    already; the day is then kept as it is when the roster is drawn again."""
    session.require(Permission.EDIT_RECEPTION)
    the_day = day(session, day_id=day_id)
    avail = _availability(session).get(new_deputy_id, NO_PERIODS)
    rules.check_replace(_duty(the_day), old_deputy_id, new_deputy_id, avail, _names(session))
    old = _assignment(session, day_id, old_deputy_id)
    with session.write():
        store.update_duty(session.db, old["id"], {"deleted": 1})
        store.insert_duty(session.db, origin=session.station_code, day_id=day_id,
                          deputy_id=new_deputy_id, manual=True)
        _mark_day_manual(session, day_id)
        session.audit("replace", "reception_day", day_id,
                      before={"deputy_id": old_deputy_id}, after={"deputy_id": new_deputy_id})
    return Changes.of("duty_assignments", ids=[day_id])


def swap_duties(session: Session, *, day_id: str, deputy_id: str, other_day_id: str,
                other_deputy_id: str) -> Changes:
    """``deputy_id`` (on ``day_id``) and ``other_deputy_id`` (on ``other_day_id``)
    change places; both must be active on their new day and not on it already."""
    session.require(Permission.EDIT_RECEPTION)
    a, b = day(session, day_id=day_id), day(session, day_id=other_day_id)
    avail = _availability(session)
    rules.check_swap(_duty(a), deputy_id, _duty(b), other_deputy_id,
                     avail.get(deputy_id, NO_PERIODS), avail.get(other_deputy_id, NO_PERIODS),
                     _names(session))
    first = _assignment(session, day_id, deputy_id)
    second = _assignment(session, other_day_id, other_deputy_id)
    with session.write():
        for row in (first, second):
            store.update_duty(session.db, row["id"], {"deleted": 1})
        store.insert_duty(session.db, origin=session.station_code, day_id=day_id,
                          deputy_id=other_deputy_id, manual=True)
        store.insert_duty(session.db, origin=session.station_code, day_id=other_day_id,
                          deputy_id=deputy_id, manual=True)
        _mark_day_manual(session, day_id)
        _mark_day_manual(session, other_day_id)
        session.audit("swap", "reception_day", day_id,
                      before={"deputy_id": deputy_id},
                      after={"deputy_id": other_deputy_id, "other_day_id": other_day_id})
    return Changes.of("duty_assignments", ids=[day_id, other_day_id])


def add_duty(session: Session, *, day_id: str, deputy_id: str) -> Changes:
    """Put one more deputy on duty on the day (kept by hand)."""
    session.require(Permission.EDIT_RECEPTION)
    the_day = day(session, day_id=day_id)
    names = _names(session)
    when = the_day["day"].isoformat()
    if deputy_id in {p["id"] for p in the_day["deputies"]}:
        raise rules.AlreadyOnDuty(name=names.get(deputy_id, deputy_id), date=when)
    if not _availability(session).get(deputy_id, NO_PERIODS).active_on(the_day["day"]):
        raise rules.NotActiveOn(name=names.get(deputy_id, deputy_id), date=when)
    with session.write():
        store.insert_duty(session.db, origin=session.station_code, day_id=day_id,
                          deputy_id=deputy_id, manual=True)
        _mark_day_manual(session, day_id)
        session.audit("add_duty", "reception_day", day_id, after={"deputy_id": deputy_id})
    return Changes.of("duty_assignments", ids=[day_id])


def remove_duty(session: Session, *, day_id: str, deputy_id: str) -> Changes:
    """Take a deputy off duty on the day (the day is then kept by hand)."""
    session.require(Permission.EDIT_RECEPTION)
    found = _assignment(session, day_id, deputy_id)
    if found is None:
        the_day = day(session, day_id=day_id)
        raise rules.NotOnDuty(name=_names(session).get(deputy_id, deputy_id),
                              date=the_day["day"].isoformat())
    with session.write():
        store.update_duty(session.db, found["id"], {"deleted": 1})
        _mark_day_manual(session, day_id)
        session.audit("remove_duty", "reception_day", day_id, before={"deputy_id": deputy_id})
    return Changes.of("duty_assignments", ids=[day_id])

