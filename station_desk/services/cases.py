"""Voter reception cases: register and every later step, one transaction each.

Each step appends one event, writes the case's new projection and an audit
entry in the same transaction, so the list never disagrees with the record;
a refused step (InvalidTransition, ValidationError, …) writes nothing.
"""
from __future__ import annotations

import dataclasses
from datetime import date, datetime

from station_desk.domain.accounts import Permission
from station_desk.domain import cases as dom
from station_desk.domain.cases import (
    ALLOWED, CaseEvent, CaseFilter, CaseView, EventKind, NothingToUndo, ReopenNotAllowed,
)
from station_desk.domain.changes import Changes
from station_desk.domain.masking import mask_text
from station_desk.domain.errors import N_, FieldError, InvalidTransition, NotFound, ValidationError
from station_desk.domain.validation import parse_date
from station_desk.domain.deputies import DeputyFilter
from station_desk.services import registry
from station_desk.services.calendar import work_calendar
from station_desk.services.session import Session
from station_desk.storage import bundles as bundle_store, cases as store

TABLES = ("cases", "case_events", "case_deputies", "voters")
# the order in which a case page offers the next steps
ACTION_ORDER = (EventKind.SORT, EventKind.FORWARD, EventKind.HANDLE, EventKind.REPLY,
                EventKind.ARCHIVE, EventKind.PROGRESS, EventKind.CHASE,
                EventKind.RETURN_BY_UNIT, EventKind.REOPEN, EventKind.CLOSE_OUT_OF_SCOPE,
                EventKind.MARK_DUPLICATE, EventKind.UNDO)


# -- reading ------------------------------------------------------------------

def _events(session: Session, case_id: str) -> list[CaseEvent]:
    return [CaseEvent(EventKind(e["kind"]), datetime.fromisoformat(e["at"]), e["actor"],
                      e["data"], e["id"]) for e in store.events(session.db, case_id)]


def _visible(session: Session, filt: CaseFilter) -> CaseFilter:
    """``filt`` as the signed-in role may see it: confidential cases only for
    roles that may see them."""
    session.require(Permission.VIEW_RECORDS)
    if session.can(Permission.VIEW_CONFIDENTIAL):
        return filt
    return dataclasses.replace(filt, include_confidential=False)


def _readable(session: Session, row: dict | None) -> dict:
    """``row`` if the signed-in role may open it; a hidden confidential case is
    not found, as if it did not exist."""
    session.require(Permission.VIEW_RECORDS)
    if row is None or (row["confidential"] and not session.can(Permission.VIEW_CONFIDENTIAL)):
        raise NotFound()
    return row


def count(session: Session, filt: CaseFilter, *, cap: int | None = None) -> int:
    """How many cases ``filt`` lists; with ``cap`` at most that many are counted
    (a count of every match costs ~0.1–0.3 s at a million cases)."""
    filt = _visible(session, filt)
    return store.count(session.db, filt, today=session.today(), cap=cap)


def page(session: Session, filt: CaseFilter, *, offset: int, limit: int) -> list[dict]:
    """One page of the list; each row has ``overdue`` (bool) for highlighting."""
    today = session.today().isoformat()
    filt = _visible(session, filt)
    rows = store.page(session.db, filt, today=session.today(), offset=offset, limit=limit)
    for r in rows:
        r["overdue"] = bool(r["open_due_on"] and r["open_due_on"] < today)
    return rows


def villages(session: Session) -> list[str]:
    return store.villages(session.db)


def overdue_by_unit(session: Session) -> list[dict]:
    """Overdue cases per responsible unit (confidential cases left out: a summary)."""
    return store.overdue_by_unit(session.db, today=session.today(), include_confidential=False)


def overdue_count(session: Session) -> int:
    return store.overdue_count(session.db, today=session.today())


# the one clear next step of each state
MAIN_STEP = {dom.CaseState.REGISTERED: EventKind.SORT, dom.CaseState.SORTED: EventKind.FORWARD,
             dom.CaseState.FORWARDED: EventKind.HANDLE, dom.CaseState.HANDLED: EventKind.REPLY,
             dom.CaseState.REPLIED: EventKind.ARCHIVE, dom.CaseState.CLOSED: EventKind.ARCHIVE}


def duty_deputies_on(session: Session, day: date) -> list[str]:
    """Ids of the deputies on duty on ``day`` (a reception day that is not
    cancelled), to pre-fill the registration form; [] on other days."""
    from station_desk.services import reception

    for d in reception.days(session, year=day.year, month=day.month):
        if d["day"] == day and not d["cancelled"]:
            return [p["id"] for p in d["deputies"]]
    return []


def next_actions(view: CaseView) -> list[EventKind]:
    """The steps that may follow now, the state's main step first."""
    out = []
    main = MAIN_STEP.get(view.state)
    for kind in ([main] if main else []) + [k for k in ACTION_ORDER if k is not main]:
        try:
            dom.check_allowed(view, kind)
        except InvalidTransition:
            continue
        out.append(kind)
    return out


def case(session: Session, case_id: str) -> dict:
    """The case as its events make it, with its timeline.

    Keys: ``view`` (CaseView), ``row`` (the stored projection), ``voter``
    (phone and ID number masked), ``deputies``, ``timeline`` (every event,
    oldest first, ``undone`` marking steps a later undo took back),
    ``duplicates`` (cases linked to this one), ``original`` (the number of the
    case this one duplicates), ``overdue``, ``next_actions``, ``county_replies``
    (the county's replies brought by return bundles, read-only: on_date, unit,
    body, author, at)."""
    row = _readable(session, store.get_case(session.db, case_id))
    events = _events(session, case_id)
    view = dom.fold(events)
    voter = store.get_voter(session.db, row["voter_id"]) if row["voter_id"] else None
    timeline = [{"seq": i, "kind": e.kind.value, "at": e.at.isoformat(), "actor": e.actor,
                 "data": e.data, "undone": i in view.undone} for i, e in enumerate(events)]
    original = store.get_case(session.db, row["duplicate_of"]) if row["duplicate_of"] else None
    return {"view": view, "row": row, "voter": dom.masked_voter(voter) if voter else None,
            "original": original["number"] if original else None,
            "deputies": store.deputies_of(session.db, case_id), "timeline": timeline,
            "duplicates": store.duplicates_of(session.db, case_id),
            "overdue": view.overdue(session.today()), "next_actions": next_actions(view),
            "county_replies": bundle_store.county_replies(session.db, case_id)}


def print_data(session: Session, case_id: str) -> dict:
    """The case as the printed register form shows it: plain data, the voter's
    phone and ID number masked, every step with its date and details."""
    c = case(session, case_id)
    view, row = c["view"], c["row"]
    levels = {d["id"]: d.get("levels") or "" for d in
              registry.page(session, DeputyFilter(), offset=0, limit=100_000)}
    timeline = []
    for t in c["timeline"]:
        d = t["data"]
        detail = " ".join(str(d[k]) for k in ("unit", "reason", "note", "redirect", "number",
                                               "result", "comment") if d.get(k))
        timeline.append({"on": d.get("on") or t["at"][:10], "kind": t["kind"],
                         "actor": t["actor"], "undone": t["undone"], "detail": detail})
    return {
        "number": row["number"], "state": row["state"], "registered_on": view.registered_on,
        "place": view.place, "channel": view.channel, "people": view.people,
        "deputies": [{"name": d["name"], "name_ko": d.get("name_ko") or "",
                      "levels": [x for x in levels.get(d["deputy_id"], "")
                                                    .split(",") if x]}
                     for d in c["deputies"]],
        "voter": {**(c["voter"] or {}), "consent": bool((c["voter"] or {}).get("consent"))},
        "category": view.category, "words": mask_text(view.words),
        "confidential": view.confidential,
        "proposal": view.proposal, "route": view.route, "unit": view.unit,
        "due_on": view.due_on, "outcome": view.outcome, "result": view.result,
        "replies": view.replies, "archive_no": view.archive_no, "archived_on": view.archived_on,
        "out_of_scope": ({"reason": view.out_of_scope, "explanation": view.explanation,
                          "redirect": view.redirect} if view.out_of_scope else None),
        "duplicate_of": c["original"], "timeline": timeline,
    }


def find(session: Session, key: str) -> str | None:
    """The id of the case with this id or registration number, or None."""
    key = (key or "").strip()
    row = store.get_case(session.db, key) or store.case_by_number(
        session.db, key, origin=session.station_code)
    if row is None or (row["confidential"] and not session.can(Permission.VIEW_CONFIDENTIAL)):
        return None
    return row["id"]


def _reveal(session: Session, case_id: str, field: str) -> str:
    session.require(Permission.REVEAL_PERSONAL)
    row = _readable(session, store.get_case(session.db, case_id))
    if not row["voter_id"]:
        raise NotFound()
    voter = store.get_voter(session.db, row["voter_id"])
    if voter is None:
        raise NotFound()
    with session.write():
        session.audit(f"reveal_{field}", "voter", voter["id"], after={"case_id": case_id})
    return voter[field]


def reveal_phone(session: Session, *, case_id: str) -> str:
    """The voter's full phone number; the look is recorded in the audit log."""
    return _reveal(session, case_id, "phone")


def reveal_id(session: Session, *, case_id: str) -> str:
    """The voter's full ID number; the look is recorded in the audit log."""
    return _reveal(session, case_id, "id_number")


# -- writing ------------------------------------------------------------------

def _projection(view: CaseView, *, event_count: int, now: str) -> dict:
    due = view.chasable_due
    return {
        "state": view.state.value, "category": view.category, "priority": view.priority,
        "route": view.route, "responsible_unit": view.unit,
        "forwarded_on": view.forwarded_on.isoformat() if view.forwarded_on else None,
        "due_on": view.due_on.isoformat() if view.due_on else None,
        "open_due_on": due.isoformat() if due else None,
        "outcome": view.outcome, "satisfaction": view.satisfaction,
        "archive_no": view.archive_no or None, "closed_reason": view.closed_reason,
        "duplicate_of": view.duplicate_of, "confidential": int(view.confidential),
        "reopened": view.reopened, "event_count": event_count, "updated_at": now,
    }


def register(session: Session, *, voter: dict, case: dict) -> Changes:
    """Register a voter's matter: voter, case, its first event and the deputies on
    duty, in one transaction.  ``case``: on, place, channel, category, words,
    people, duty_deputies, consent, confidential.  Returns the new case's id."""
    session.require(Permission.EDIT_CASES)
    errors: list[FieldError] = []
    voter_fields = event = None
    try:
        voter_fields = dom.validate_voter(voter)
    except ValidationError as exc:
        errors += exc.errors
    try:
        event = dom.make_event(CaseView(), EventKind.REGISTER, case, at=session.now(),
                               actor=session.actor, calendar=None)
    except ValidationError as exc:
        errors += exc.errors
    duty = list(dict.fromkeys(case.get("duty_deputies") or []))
    if duty and store.existing_deputies(session.db, duty) != set(duty):
        errors.append(FieldError("duty_deputies", N_("Choose deputies from the registry.")))
    if errors:
        raise ValidationError(errors)
    now = session.now_iso()
    with session.write():
        voter_id = store.insert_voter(session.db, origin=session.station_code,
                                      fields=voter_fields, created_at=now)
        on = date.fromisoformat(event.data["on"])
        number = f"{on.year}-{store.next_number(session.db, 'case', on.year):04d}"
        event = dataclasses.replace(event, data={**event.data, "voter_id": voter_id,
                                                 "number": number, "duty_deputies": duty})
        view = dom.apply(CaseView(), event, 0)
        case_id = store.insert_case(session.db, origin=session.station_code, fields={
            "number": number, "voter_id": voter_id, "voter_name": voter_fields["name"],
            "village": voter_fields["village"], "registered_on": event.data["on"],
            "channel": view.channel, "words": view.words,
            **_projection(view, event_count=1, now=now)})
        store.insert_event(session.db, origin=session.station_code, case_id=case_id, seq=0,
                           kind=event.kind.value, at=now, actor=session.actor, data=event.data)
        store.add_deputies(session.db, origin=session.station_code, case_id=case_id,
                           deputy_ids=duty, role="duty")
        session.audit("register", "case", case_id, after={
            "number": number, "channel": view.channel, "category": view.category,
            "confidential": view.confidential})
    return Changes.of(*TABLES, ids=[case_id], created_id=case_id)


def _step(session: Session, case_id: str, kind: EventKind, raw: dict) -> Changes:
    """Check and record one step; nothing is written when it is refused."""
    if store.get_case(session.db, case_id) is None:
        raise NotFound()
    events = _events(session, case_id)
    view = dom.fold(events)
    raw = dict(raw)
    with session.write():
        if kind is EventKind.ARCHIVE:
            dom.check_allowed(view, kind)
            try:
                on = parse_date(raw.get("on")) or session.today()
            except ValueError:
                on = session.today()
            raw["number"] = f"{on.year}-{store.next_number(session.db, 'archive', on.year):04d}"
        if kind is EventKind.MARK_DUPLICATE:
            raw["case_id"] = case_id
            raw["duplicate_of"] = _original_of(session, raw.get("duplicate_of"), case_id)
        event = dom.make_event(view, kind, raw, at=session.now(), actor=session.actor,
                               calendar=work_calendar(session))
        new = dom.apply(view, event, len(events))
        now = session.now_iso()
        store.insert_event(session.db, origin=session.station_code, case_id=case_id,
                           seq=len(events), kind=kind.value, at=now, actor=session.actor,
                           data=event.data)
        store.update_case(session.db, case_id, _projection(new, event_count=len(events) + 1,
                                                           now=now))
        session.audit(kind.value, "case", case_id,
                      before={"state": view.state.value},
                      after={"state": new.state.value, **_audit_data(event)})
    return Changes.of("cases", "case_events", ids=[case_id])


def _audit_data(event: CaseEvent) -> dict:
    """What the audit keeps of a step: its fields, never the voter's words."""
    return {k: v for k, v in event.data.items() if k not in ("words", "text", "comment")}


def _original_of(session: Session, other: object, case_id: str) -> str | None:
    """The case a duplicate points at: given by id or number; a duplicate of a
    duplicate points at the first original."""
    key = str(other or "").strip()
    if not key:
        return None
    row = store.get_case(session.db, key) or store.case_by_number(
        session.db, key, origin=session.station_code)
    if row is None:
        raise ValidationError([FieldError("duplicate_of", N_("No case has this number."))])
    seen = {case_id}
    while row["duplicate_of"] and row["id"] not in seen:
        seen.add(row["id"])
        row = store.get_case(session.db, row["duplicate_of"]) or row
    if row["id"] == case_id:
        raise ValidationError([FieldError("duplicate_of",
                                          N_("A case cannot be a duplicate of itself."))])
    return row["id"]


def sort_case(session: Session, *, case_id: str, category: str | None = None,
              priority: str = "normal", complex: bool = False, proposal: str = "",
              confidential: bool | None = None, on: object = None) -> Changes:
    """Classify, set the priority, mark complex, note the proposed handling (拟办意见)."""
    session.require(Permission.EDIT_CASES)
    raw = {"category": category, "priority": priority, "complex": complex,
           "proposal": proposal, "on": on or session.today()}
    if confidential is not None:
        raw["confidential"] = confidential
    return _step(session, case_id, EventKind.SORT, raw)


def forward_case(session: Session, *, case_id: str, route: str, unit: str = "",
                 complex: bool | None = None, due_on: object = None, note: str = "",
                 on: object = None) -> Changes:
    """Forward to the responsible unit; due in 5 working days, 10 when complex."""
    session.require(Permission.EDIT_CASES)
    raw = {"route": route, "unit": unit, "note": note, "due_on": due_on,
           "on": on or session.today()}
    if complex is not None:
        raw["complex"] = complex
    return _step(session, case_id, EventKind.FORWARD, raw)


def return_case(session: Session, *, case_id: str, reason: str, on: object = None) -> Changes:
    """The unit says it is not responsible (within 7 working days of the forward)."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.RETURN_BY_UNIT,
                 {"reason": reason, "on": on or session.today()})


def chase_case(session: Session, *, case_id: str, note: str = "", on: object = None) -> Changes:
    """Log a chase (督办催办) of the responsible unit."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.CHASE, {"note": note, "on": on or session.today()})


def record_progress(session: Session, *, case_id: str, note: str, on: object = None) -> Changes:
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.PROGRESS, {"note": note, "on": on or session.today()})


def handle_case(session: Session, *, case_id: str, outcome: str, result: str = "",
                on: object = None) -> Changes:
    """Record the outcome: A solved, B under way, C planned, D kept for reference."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.HANDLE,
                 {"outcome": outcome, "result": result, "on": on or session.today()})


def reply_case(session: Session, *, case_id: str, voter_mode: str, deputy_mode: str,
               satisfaction: str, voter_on: object = None, deputy_on: object = None,
               text: str = "", comment: str = "") -> Changes:
    """The reply to the voter and to the deputy, and the voter's satisfaction."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.REPLY, {
        "voter_mode": voter_mode, "deputy_mode": deputy_mode, "satisfaction": satisfaction,
        "voter_on": voter_on or session.today(), "deputy_on": deputy_on or session.today(),
        "text": text, "comment": comment})


def archive_case(session: Session, *, case_id: str, on: object = None) -> Changes:
    """Archive with the next number of the year (YYYY-NNNN); the case is then locked."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.ARCHIVE, {"on": on or session.today()})


def close_out_of_scope(session: Session, *, case_id: str, reason: str, explanation: str,
                       redirect: str, on: object = None) -> Changes:
    """Close a matter that is not the station's: what was explained and where the
    voter was sent (e.g. the petitions office, 信访)."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.CLOSE_OUT_OF_SCOPE, {
        "reason": reason, "explanation": explanation, "redirect": redirect,
        "on": on or session.today()})


def mark_duplicate(session: Session, *, case_id: str, duplicate_of: str, note: str = "",
                   on: object = None) -> Changes:
    """Link a duplicate to its original (by id or case number); it is never deleted."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.MARK_DUPLICATE,
                 {"duplicate_of": duplicate_of, "note": note, "on": on or session.today()})


def reopen_case(session: Session, *, case_id: str, reason: str, on: object = None) -> Changes:
    """Reopen after an unsatisfied reply; the case goes back to be forwarded again."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.REOPEN, {"reason": reason,
                                                      "on": on or session.today()})


def undo_step(session: Session, *, case_id: str, reason: str) -> Changes:
    """Take back the last step (an event itself; the undone step stays in the timeline)."""
    session.require(Permission.EDIT_CASES)
    return _step(session, case_id, EventKind.UNDO, {"reason": reason, "on": session.today()})


__all__ = ["ALLOWED", "CaseFilter", "NothingToUndo", "ReopenNotAllowed", "archive_case", "case",
           "chase_case", "close_out_of_scope", "count", "forward_case", "handle_case",
           "mark_duplicate", "next_actions", "overdue_by_unit", "overdue_count", "page",
           "record_progress", "register", "reopen_case", "reply_case", "return_case",
           "reveal_id", "reveal_phone", "sort_case", "undo_step", "villages"]
