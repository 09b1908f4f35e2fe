"""Voter reception cases (接待选民): register → sort → forward → handle → reply → archive.

A case is its events.  Every step the clerk records is an append-only
``CaseEvent``; the current state and fields are never stored as the truth but
derived by ``fold(events)``.  (Storage keeps a projection of the fold for
fast lists, written in the same transaction as each event.)

Rules decided here:

* ``ALLOWED`` says which event may follow which state.  Two events have one
  more condition: ``reopen`` only after a reply the voter was *unsatisfied*
  with, and ``undo`` only while there is a step left to undo.
* ``undo`` takes back the last state-changing step not yet undone (register
  itself cannot be undone); repeated undos walk further back.  Chase and
  progress notes are not steps: they stay in the record whatever is undone.
  The undone event stays in the timeline, marked as undone.
* An **archived case is locked**: no reopen and no undo.  The domain says the
  case is locked when it gets its archive number, and the paper form printed
  at that moment must keep matching the record.  A voter who comes back after
  that starts a new case (which may quote the archive number).
* A unit's return (``return_by_unit``) puts the case back to *sorted*, to be
  forwarded again; the due date keeps running, so a returned case can be
  overdue.  Reopen also puts the case back to *sorted*.
* Forwarding "answered on the spot" needs no unit and has no due date; a
  deputy's suggestion to a higher congress follows that congress's own
  deadlines, so it has no due date here either.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Callable

from station_desk.domain.errors import N_, DomainError, InvalidTransition
from station_desk.domain.masking import mask_id_number, mask_phone
from station_desk.domain.validation import Checker, clean, is_valid_id_number


class CaseState(StrEnum):
    REGISTERED = "registered"
    SORTED = "sorted"
    FORWARDED = "forwarded"
    HANDLED = "handled"
    REPLIED = "replied"
    ARCHIVED = "archived"
    CLOSED = "closed"  # out of scope or a duplicate, with the reason


STATE_LABELS = {
    CaseState.REGISTERED: N_("Registered"),
    CaseState.SORTED: N_("Sorted"),
    CaseState.FORWARDED: N_("Forwarded"),
    CaseState.HANDLED: N_("Handled"),
    CaseState.REPLIED: N_("Replied"),
    CaseState.ARCHIVED: N_("Archived"),
    CaseState.CLOSED: N_("Closed"),
}


class Channel(StrEnum):
    RECEPTION_DAY = "reception_day"
    DEPUTY_VISIT = "deputy_visit"
    PHONE = "phone"
    LETTER = "letter"
    ONLINE = "online"


CHANNEL_LABELS = {
    Channel.RECEPTION_DAY: N_("Walk-in on a reception day"),
    Channel.DEPUTY_VISIT: N_("Visit by a deputy"),
    Channel.PHONE: N_("Phone"),
    Channel.LETTER: N_("Letter"),
    Channel.ONLINE: N_("Online"),
}


class Category(StrEnum):
    COMPLAINT = "complaint"      # 投诉
    ENQUIRY = "enquiry"          # 咨询
    SUGGESTION = "suggestion"    # 建议
    HELP = "help"                # 求助


CATEGORY_LABELS = {
    Category.COMPLAINT: N_("Complaint"),
    Category.ENQUIRY: N_("Enquiry"),
    Category.SUGGESTION: N_("Suggestion"),
    Category.HELP: N_("Request for help"),
}


class Priority(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


PRIORITY_LABELS = {Priority.NORMAL: N_("Normal"), Priority.URGENT: N_("Urgent")}


class Route(StrEnum):
    ON_THE_SPOT = "on_the_spot"
    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"
    SUGGESTION = "suggestion"


ROUTE_LABELS = {
    Route.ON_THE_SPOT: N_("Answered on the spot"),
    Route.VILLAGE: N_("Village (community) committee"),
    Route.TOWNSHIP: N_("Township government"),
    Route.COUNTY: N_("County department"),
    Route.SUGGESTION: N_("Deputy's suggestion to a higher congress"),
}
# Routes with no responsible unit to chase and no due date here.
UNDATED_ROUTES = frozenset({Route.ON_THE_SPOT, Route.SUGGESTION})


class Outcome(StrEnum):
    SOLVED = "A"
    UNDER_WAY = "B"
    PLANNED = "C"
    FOR_REFERENCE = "D"


OUTCOME_LABELS = {
    Outcome.SOLVED: N_("A – solved"),
    Outcome.UNDER_WAY: N_("B – under way"),
    Outcome.PLANNED: N_("C – planned"),
    Outcome.FOR_REFERENCE: N_("D – kept for reference"),
}


class ReplyMode(StrEnum):
    FACE_TO_FACE = "face_to_face"
    PHONE = "phone"
    WRITTEN = "written"


REPLY_MODE_LABELS = {
    ReplyMode.FACE_TO_FACE: N_("Face to face"),
    ReplyMode.PHONE: N_("By phone"),
    ReplyMode.WRITTEN: N_("In writing"),
}


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically"
    UNSATISFIED = "unsatisfied"


SATISFACTION_LABELS = {
    Satisfaction.SATISFIED: N_("Satisfied"),
    Satisfaction.BASICALLY: N_("Basically satisfied"),
    Satisfaction.UNSATISFIED: N_("Unsatisfied"),
}


class OutOfScope(StrEnum):
    PERSONAL_DISPUTE = "personal_dispute"
    LITIGATION = "litigation"
    UNLAWFUL = "unlawful"
    OTHER = "other"


OUT_OF_SCOPE_LABELS = {
    OutOfScope.PERSONAL_DISPUTE: N_("Personal dispute"),
    OutOfScope.LITIGATION: N_("In litigation or arbitration"),
    OutOfScope.UNLAWFUL: N_("Unlawful demand"),
    OutOfScope.OTHER: N_("Other reason"),
}


class Language(StrEnum):
    ZH = "zh"
    KO = "ko"


LANGUAGE_LABELS = {Language.ZH: N_("Chinese"), Language.KO: N_("Korean")}


class EventKind(StrEnum):
    REGISTER = "register"
    SORT = "sort"
    FORWARD = "forward"
    RETURN_BY_UNIT = "return_by_unit"
    CHASE = "chase"
    PROGRESS = "progress"
    HANDLE = "handle"
    REPLY = "reply"
    ARCHIVE = "archive"
    CLOSE_OUT_OF_SCOPE = "close_out_of_scope"
    MARK_DUPLICATE = "mark_duplicate"
    REOPEN = "reopen"
    UNDO = "undo"


EVENT_LABELS = {
    EventKind.REGISTER: N_("Registered"),
    EventKind.SORT: N_("Sorted"),
    EventKind.FORWARD: N_("Forwarded"),
    EventKind.RETURN_BY_UNIT: N_("Returned by the unit"),
    EventKind.CHASE: N_("Chased"),
    EventKind.PROGRESS: N_("Progress note"),
    EventKind.HANDLE: N_("Handled"),
    EventKind.REPLY: N_("Replied"),
    EventKind.ARCHIVE: N_("Archived"),
    EventKind.CLOSE_OUT_OF_SCOPE: N_("Closed as out of scope"),
    EventKind.MARK_DUPLICATE: N_("Marked as a duplicate"),
    EventKind.REOPEN: N_("Reopened"),
    EventKind.UNDO: N_("Last step undone"),
}

# What a button offering the step says.
ACTION_LABELS = {
    EventKind.REGISTER: N_("Register"),
    EventKind.SORT: N_("Sort"),
    EventKind.FORWARD: N_("Forward"),
    EventKind.RETURN_BY_UNIT: N_("Record a return by the unit"),
    EventKind.CHASE: N_("Chase the unit"),
    EventKind.PROGRESS: N_("Add a progress note"),
    EventKind.HANDLE: N_("Record the outcome"),
    EventKind.REPLY: N_("Record the reply"),
    EventKind.ARCHIVE: N_("Archive"),
    EventKind.CLOSE_OUT_OF_SCOPE: N_("Close as out of scope"),
    EventKind.MARK_DUPLICATE: N_("Mark as a duplicate"),
    EventKind.REOPEN: N_("Reopen"),
    EventKind.UNDO: N_("Undo the last step"),
}

# Which event may follow which state (None: no case yet).
S = CaseState
ALLOWED: dict[CaseState | None, frozenset[EventKind]] = {
    None: frozenset({EventKind.REGISTER}),
    S.REGISTERED: frozenset({EventKind.SORT, EventKind.CLOSE_OUT_OF_SCOPE,
                             EventKind.MARK_DUPLICATE}),
    S.SORTED: frozenset({EventKind.SORT, EventKind.FORWARD, EventKind.CLOSE_OUT_OF_SCOPE,
                         EventKind.MARK_DUPLICATE, EventKind.UNDO}),
    S.FORWARDED: frozenset({EventKind.RETURN_BY_UNIT, EventKind.CHASE, EventKind.PROGRESS,
                            EventKind.HANDLE, EventKind.UNDO}),
    S.HANDLED: frozenset({EventKind.PROGRESS, EventKind.HANDLE, EventKind.REPLY,
                          EventKind.UNDO}),
    S.REPLIED: frozenset({EventKind.ARCHIVE, EventKind.REOPEN, EventKind.UNDO}),
    S.ARCHIVED: frozenset(),
    S.CLOSED: frozenset({EventKind.ARCHIVE, EventKind.UNDO}),
}
del S

# The state each step leads to; None: the state does not change (a note).
TARGET: dict[EventKind, CaseState | None] = {
    EventKind.REGISTER: CaseState.REGISTERED,
    EventKind.SORT: CaseState.SORTED,
    EventKind.FORWARD: CaseState.FORWARDED,
    EventKind.RETURN_BY_UNIT: CaseState.SORTED,
    EventKind.CHASE: None,
    EventKind.PROGRESS: None,
    EventKind.HANDLE: CaseState.HANDLED,
    EventKind.REPLY: CaseState.REPLIED,
    EventKind.ARCHIVE: CaseState.ARCHIVED,
    EventKind.CLOSE_OUT_OF_SCOPE: CaseState.CLOSED,
    EventKind.MARK_DUPLICATE: CaseState.CLOSED,
    EventKind.REOPEN: CaseState.SORTED,
    EventKind.UNDO: None,  # back to the state before the undone step
}
NOTES = frozenset({EventKind.CHASE, EventKind.PROGRESS})

NORMAL_DAYS = 5
COMPLEX_DAYS = 10
RETURN_WINDOW_DAYS = 7
ARCHIVE_NO_RE = re.compile(r"^(\d{4})-(\d{4,})$")


class ReopenNotAllowed(InvalidTransition):
    msgid = N_("Only a case whose voter was not satisfied with the reply can be reopened.")


class NothingToUndo(InvalidTransition):
    msgid = N_("There is no step left to undo.")


class ReturnTooLate(DomainError):
    msgid = N_("A unit can return a case only within {days} working days of the forward "
               "(it was forwarded on {forwarded}).")


@dataclass(frozen=True)
class CaseEvent:
    """One recorded step: ``at`` when it was recorded, ``actor`` who recorded it,
    ``data`` what was recorded (JSON-ready: dates as ISO strings)."""

    kind: EventKind
    at: datetime
    actor: str
    data: dict = field(default_factory=dict)
    id: str = ""


@dataclass
class CaseView:
    """The current case as its events make it."""

    state: CaseState | None = None
    registered_on: date | None = None
    place: str = ""
    channel: str | None = None
    category: str | None = None
    words: str = ""
    people: int = 1
    voter_id: str | None = None
    duty_deputies: list[str] = field(default_factory=list)
    consent: bool = False
    confidential: bool = False
    priority: str = Priority.NORMAL.value
    complex: bool = False
    proposal: str = ""
    route: str | None = None
    unit: str = ""
    forwarded_on: date | None = None
    due_on: date | None = None
    returned: bool = False
    returns: list[dict] = field(default_factory=list)
    outcome: str | None = None
    handled_on: date | None = None
    result: str = ""
    replies: list[dict] = field(default_factory=list)
    satisfaction: str | None = None
    archive_no: str = ""
    archived_on: date | None = None
    closed_reason: str | None = None      # "out_of_scope" or "duplicate"
    out_of_scope: str | None = None
    explanation: str = ""
    redirect: str = ""
    duplicate_of: str | None = None
    reopened: int = 0
    chases: list[dict] = field(default_factory=list)
    progress: list[dict] = field(default_factory=list)
    last_on: date | None = None           # date of the latest step, for date checks
    # snapshots before each step not yet undone, newest last (internal to fold)
    steps: list[tuple[int, "CaseView"]] = field(default_factory=list, repr=False)
    undone: set[int] = field(default_factory=set, repr=False)

    @property
    def open(self) -> bool:
        return self.state not in (CaseState.ARCHIVED, CaseState.CLOSED, CaseState.REPLIED)

    @property
    def chasable_due(self) -> date | None:
        """The due date while it runs: forwarded, or returned and waiting to be
        forwarded again; None otherwise."""
        if self.due_on is None:
            return None
        if self.state is CaseState.FORWARDED or (
                self.state is CaseState.SORTED and self.returned):
            return self.due_on
        return None

    def overdue(self, today: date) -> bool:
        """Forwarded (or returned) and today is past the due date."""
        due = self.chasable_due
        return due is not None and today > due


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# -- validation of each step ---------------------------------------------------

def _enum_values(enum) -> set[str]:
    return {e.value for e in enum}


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y")
    return bool(value)


def _on(c: Checker, raw: dict, view: CaseView, today: date, *, field_name: str = "on",
        not_before: date | None = None) -> str | None:
    d = c.date(field_name, raw.get(field_name, today), required=True, not_after=today,
               not_before=not_before or view.registered_on)
    return d.isoformat() if d else None


def validate_voter(raw: dict) -> dict:
    """A voter's data in the stored form: name, village, phone, optional ID number,
    language, consent."""
    c = Checker()
    out = {
        "name": c.required("name", raw.get("name"), max_len=40),
        "village": c.optional("village", raw.get("village"), max_len=60),
        "phone": c.phone("phone", raw.get("phone")),
        "id_number": clean(raw.get("id_number")).upper(),
        "language": c.choice("language", raw.get("language") or Language.ZH.value,
                             _enum_values(Language)),
        "consent": _flag(raw.get("consent")),
    }
    if out["id_number"] and not is_valid_id_number(out["id_number"]):
        c.add("id_number", N_("The ID number must have 18 characters with a valid check digit."))
    c.raise_if_any()
    return out


def _validate_register(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    on = c.date("on", raw.get("on", today), required=True, not_after=today)
    people_raw = raw.get("people", 1)
    try:
        people = int(people_raw if people_raw not in (None, "") else 1)
        if not 1 <= people <= 9999:
            raise ValueError
    except (TypeError, ValueError):
        people = 1
        c.add("people", N_("Enter the number of people as a whole number from 1."))
    out = {
        "on": on.isoformat() if on else None,
        "place": c.optional("place", raw.get("place"), max_len=100),
        "channel": c.choice("channel", raw.get("channel"), _enum_values(Channel)),
        "category": c.choice("category", raw.get("category"), _enum_values(Category)),
        "words": c.required("words", raw.get("words"), max_len=4000),
        "people": people,
        "voter_id": raw.get("voter_id"),
        "duty_deputies": [str(x) for x in (raw.get("duty_deputies") or [])],
        "consent": _flag(raw.get("consent")),
        "confidential": _flag(raw.get("confidential")),
    }
    c.raise_if_any()
    return out


def _validate_sort(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    out = {
        "on": _on(c, raw, view, today),
        "category": c.choice("category", raw.get("category") or view.category,
                             _enum_values(Category)),
        "priority": c.choice("priority", raw.get("priority") or Priority.NORMAL.value,
                             _enum_values(Priority)),
        "complex": _flag(raw.get("complex")),
        "proposal": c.optional("proposal", raw.get("proposal"), max_len=1000),
        "confidential": _flag(raw.get("confidential", view.confidential)),
    }
    c.raise_if_any()
    return out


def _validate_forward(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    on = _on(c, raw, view, today, not_before=view.last_on)
    route = c.choice("route", raw.get("route"), _enum_values(Route))
    complex_ = _flag(raw.get("complex", view.complex))
    unit = c.optional("unit", raw.get("unit"), max_len=100)
    if route and Route(route) not in UNDATED_ROUTES and not unit:
        c.add("unit", N_("Name the responsible unit."))
    if route == Route.ON_THE_SPOT.value:
        unit = ""
    due = None
    if on and route and Route(route) not in UNDATED_ROUTES:
        explicit = raw.get("due_on")
        if explicit:
            d = c.date("due_on", explicit, required=True)
            if d and view.registered_on and d < view.registered_on:
                c.add("due_on", N_("The due date cannot be before the registration ({other})."),
                      other=view.registered_on.isoformat())
            elif d and d < date.fromisoformat(on):
                c.add("due_on", N_("The due date cannot be before the forward ({other})."),
                      other=on)
            due = d
        else:
            due = cal.add_working_days(date.fromisoformat(on),
                                       COMPLEX_DAYS if complex_ else NORMAL_DAYS)
    c.raise_if_any()
    return {"on": on, "route": route, "unit": unit, "complex": complex_,
            "due_on": due.isoformat() if due else None,
            "note": clean(raw.get("note"))[:1000]}


def _validate_return(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    on = _on(c, raw, view, today, not_before=view.forwarded_on)
    reason = c.required("reason", raw.get("reason"), max_len=1000)
    c.raise_if_any()
    if view.forwarded_on and cal.working_days_between(
            view.forwarded_on, date.fromisoformat(on)) > RETURN_WINDOW_DAYS:
        raise ReturnTooLate(days=RETURN_WINDOW_DAYS, forwarded=view.forwarded_on.isoformat())
    return {"on": on, "reason": reason, "unit": view.unit}


def _validate_note(required: bool) -> Callable:
    def check(raw: dict, view: CaseView, today: date, cal) -> dict:
        c = Checker()
        on = _on(c, raw, view, today, not_before=view.forwarded_on)
        note = (c.required if required else c.optional)("note", raw.get("note"), max_len=1000)
        c.raise_if_any()
        return {"on": on, "note": note}
    return check


def _validate_handle(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    out = {
        "on": _on(c, raw, view, today, not_before=view.forwarded_on),
        "outcome": c.choice("outcome", raw.get("outcome"), _enum_values(Outcome)),
        "result": c.optional("result", raw.get("result"), max_len=2000),
    }
    c.raise_if_any()
    return out


def _validate_reply(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    start = view.handled_on or view.registered_on
    out = {
        "voter_on": _on(c, raw, view, today, field_name="voter_on", not_before=start),
        "voter_mode": c.choice("voter_mode", raw.get("voter_mode"), _enum_values(ReplyMode)),
        "deputy_on": _on(c, raw, view, today, field_name="deputy_on", not_before=start),
        "deputy_mode": c.choice("deputy_mode", raw.get("deputy_mode"), _enum_values(ReplyMode)),
        "text": c.optional("text", raw.get("text"), max_len=2000),
        "satisfaction": c.choice("satisfaction", raw.get("satisfaction"),
                                 _enum_values(Satisfaction)),
        "comment": c.optional("comment", raw.get("comment"), max_len=1000),
    }
    c.raise_if_any()
    out["on"] = max(out["voter_on"], out["deputy_on"])
    return out


def _validate_archive(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    on = _on(c, raw, view, today, not_before=view.last_on)
    number = clean(raw.get("number"))
    m = ARCHIVE_NO_RE.match(number)
    if not m:
        c.add("number", N_("The archive number is the year and a sequence, e.g. 2026-0001."))
    elif on and int(m.group(1)) != date.fromisoformat(on).year:
        c.add("number", N_("The archive number must start with the year of archiving ({year})."),
              year=date.fromisoformat(on).year)
    c.raise_if_any()
    return {"on": on, "number": number}


def _validate_out_of_scope(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    out = {
        "on": _on(c, raw, view, today),
        "reason": c.choice("reason", raw.get("reason"), _enum_values(OutOfScope)),
        "explanation": c.required("explanation", raw.get("explanation"), max_len=1000),
        "redirect": c.required("redirect", raw.get("redirect"), max_len=200),
    }
    c.raise_if_any()
    return out


def _validate_duplicate(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    out = {
        "on": _on(c, raw, view, today),
        "duplicate_of": c.required("duplicate_of", raw.get("duplicate_of"), max_len=64),
        "note": c.optional("note", raw.get("note"), max_len=1000),
    }
    if out["duplicate_of"] and out["duplicate_of"] == raw.get("case_id"):
        c.add("duplicate_of", N_("A case cannot be a duplicate of itself."))
    c.raise_if_any()
    return out


def _validate_reason(raw: dict, view: CaseView, today: date, cal) -> dict:
    c = Checker()
    out = {"on": _on(c, raw, view, today),
           "reason": c.required("reason", raw.get("reason"), max_len=1000)}
    c.raise_if_any()
    return out


VALIDATORS: dict[EventKind, Callable] = {
    EventKind.REGISTER: _validate_register,
    EventKind.SORT: _validate_sort,
    EventKind.FORWARD: _validate_forward,
    EventKind.RETURN_BY_UNIT: _validate_return,
    EventKind.CHASE: _validate_note(False),
    EventKind.PROGRESS: _validate_note(True),
    EventKind.HANDLE: _validate_handle,
    EventKind.REPLY: _validate_reply,
    EventKind.ARCHIVE: _validate_archive,
    EventKind.CLOSE_OUT_OF_SCOPE: _validate_out_of_scope,
    EventKind.MARK_DUPLICATE: _validate_duplicate,
    EventKind.REOPEN: _validate_reason,
    EventKind.UNDO: _validate_reason,
}


def check_allowed(view: CaseView, kind: EventKind) -> None:
    """Raise InvalidTransition (or a subclass naming the reason) when ``kind``
    may not follow the case as it is."""
    if kind not in ALLOWED[view.state]:
        raise InvalidTransition(state=view.state.value if view.state else "new")
    if kind is EventKind.REOPEN and view.satisfaction != Satisfaction.UNSATISFIED.value:
        raise ReopenNotAllowed()
    if kind is EventKind.UNDO and not view.steps:
        raise NothingToUndo()


def make_event(view: CaseView, kind: EventKind | str, raw: dict, *, at: datetime, actor: str,
               calendar) -> CaseEvent:
    """Check that ``kind`` may follow ``view`` and that ``raw`` is complete.

    Returns the event with cleaned data; raises InvalidTransition,
    ValidationError (every wrong field) or ReturnTooLate.  ``calendar`` is a
    WorkCalendar (due dates, return window); today is ``at``'s date."""
    kind = EventKind(kind)
    check_allowed(view, kind)
    data = VALIDATORS[kind](raw, view, at.date(), calendar)
    return CaseEvent(kind, at, actor, data)


# -- the fold -----------------------------------------------------------------

def _snapshot(view: CaseView) -> CaseView:
    snap = copy.copy(view)
    for name in ("duty_deputies", "returns", "replies", "chases", "progress"):
        setattr(snap, name, list(getattr(view, name)))
    snap.steps = []
    snap.undone = set()
    return snap


def apply(view: CaseView, event: CaseEvent, index: int = 0) -> CaseView:
    """The case after ``event`` (not checked: ``make_event`` checks new events;
    stored ones were checked when they were made)."""
    k, d = event.kind, event.data
    if k is EventKind.UNDO:
        index_undone, before = view.steps[-1]
        restored = _snapshot(before)
        restored.chases, restored.progress = list(view.chases), list(view.progress)
        restored.steps = view.steps[:-1]
        restored.undone = view.undone | {index_undone}
        return restored
    new = _snapshot(view)
    new.steps = list(view.steps)
    new.undone = set(view.undone)
    if k not in NOTES and k is not EventKind.REGISTER:
        new.steps.append((index, _snapshot(view)))
    on = _d(d.get("on"))
    if k is EventKind.REGISTER:
        new.registered_on = on
        new.place, new.channel, new.category = d.get("place", ""), d["channel"], d["category"]
        new.words, new.people, new.voter_id = d["words"], d.get("people", 1), d.get("voter_id")
        new.duty_deputies = list(d.get("duty_deputies") or [])
        new.consent, new.confidential = bool(d.get("consent")), bool(d.get("confidential"))
    elif k is EventKind.SORT:
        new.category, new.priority = d["category"], d["priority"]
        new.complex, new.proposal = bool(d["complex"]), d.get("proposal", "")
        new.confidential = bool(d.get("confidential", view.confidential))
    elif k is EventKind.FORWARD:
        new.route, new.unit, new.complex = d["route"], d.get("unit", ""), bool(d["complex"])
        # forwarded again after a return: the new unit gets its own full term
        new.forwarded_on, new.returned, new.due_on = on, False, _d(d.get("due_on"))
    elif k is EventKind.RETURN_BY_UNIT:
        new.returned = True
        new.returns.append({"on": d["on"], "unit": d.get("unit", ""), "reason": d["reason"]})
    elif k is EventKind.CHASE:
        new.chases.append({"on": d["on"], "note": d.get("note", ""), "actor": event.actor})
    elif k is EventKind.PROGRESS:
        new.progress.append({"on": d["on"], "note": d["note"], "actor": event.actor})
    elif k is EventKind.HANDLE:
        new.outcome, new.handled_on, new.result = d["outcome"], on, d.get("result", "")
    elif k is EventKind.REPLY:
        new.replies.append(dict(d))
        new.satisfaction = d["satisfaction"]
    elif k is EventKind.ARCHIVE:
        new.archive_no, new.archived_on = d["number"], on
    elif k is EventKind.CLOSE_OUT_OF_SCOPE:
        new.closed_reason, new.out_of_scope = "out_of_scope", d["reason"]
        new.explanation, new.redirect = d["explanation"], d["redirect"]
    elif k is EventKind.MARK_DUPLICATE:
        new.closed_reason, new.duplicate_of = "duplicate", d["duplicate_of"]
    elif k is EventKind.REOPEN:
        new.reopened += 1
        new.satisfaction = None
        new.outcome = None
        new.handled_on = None
        new.route, new.unit, new.due_on, new.forwarded_on = None, "", None, None
        new.returned = False
    target = TARGET[k]
    if target is not None:
        new.state = target
    if on and (new.last_on is None or on > new.last_on):
        new.last_on = on
    return new


def fold(events: list[CaseEvent]) -> CaseView:
    """The current case from its events, oldest first."""
    view = CaseView()
    for i, e in enumerate(events):
        view = apply(view, e, i)
    return view


def undone_indexes(events: list[CaseEvent]) -> set[int]:
    """Positions of the events that a later undo took back."""
    return fold(events).undone


def undo_target(events: list[CaseEvent]) -> CaseEvent | None:
    """The step the next undo would take back, or None."""
    view = fold(events)
    return events[view.steps[-1][0]] if view.steps else None


# -- voters and masking --------------------------------------------------------

def masked_voter(voter: dict) -> dict:
    """The voter as every screen, paper and export shows them: phone and ID
    number masked (``reveal`` in the service shows them and is audited)."""
    out = dict(voter)
    out["phone"] = mask_phone(voter.get("phone"))
    out["id_number"] = mask_id_number(voter.get("id_number"))
    return out


@dataclass(frozen=True)
class CaseFilter:
    """What the case list shows: filters and a search text (any substring of
    the voter's words, name or village; one character is a valid query)."""

    state: str | None = None
    overdue: bool = False
    category: str | None = None
    deputy_id: str | None = None
    village: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    unit: str | None = None  # the responsible unit (the overdue view groups by it)
    query: str = ""
    include_confidential: bool = True
    sort: str = "newest"


SORT_KEYS = ("newest", "oldest", "due_on", "registered_on")


def overdue_from(due_on: date | None, today: date) -> bool:
    """Overdue when a running due date (``CaseView.chasable_due``) is past."""
    return due_on is not None and today > due_on

