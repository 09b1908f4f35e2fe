"""Practical matters for the people (为民办实事): one transaction per step."""
from __future__ import annotations

from datetime import datetime

from station_desk.domain.accounts import Permission
from station_desk.domain import practical as dom
from station_desk.domain.changes import Changes
from station_desk.domain.errors import N_, FieldError, NotFound, ValidationError
from station_desk.domain.practical import MatterEvent, MatterEventKind as K, MatterView
from station_desk.services.session import Session
from station_desk.storage import practical as store

TABLES = ("practical_matters", "practical_events", "practical_deputies", "practical_cases")


def _events(session: Session, matter_id: str) -> list[MatterEvent]:
    return [MatterEvent(K(e["kind"]), datetime.fromisoformat(e["at"]), e["actor"], e["data"],
                        e["id"]) for e in store.events(session.db, matter_id)]


def matters(session: Session, *, stage: str | None = None,
            deputy_id: str | None = None) -> list[dict]:
    """Every practical matter (newest first), optionally of one stage or lead deputy."""
    return store.list_matters(session.db, stage=stage, deputy_id=deputy_id)


def matter(session: Session, matter_id: str) -> dict:
    """``view`` (MatterView), ``row``, ``leads``, ``cases`` and the ``timeline``."""
    row = store.get_matter(session.db, matter_id)
    if row is None:
        raise NotFound()
    events = _events(session, matter_id)
    view = dom.fold(events)
    timeline = [{"seq": i, "kind": e.kind.value, "at": e.at.isoformat(), "actor": e.actor,
                 "data": e.data, "undone": i in view.undone} for i, e in enumerate(events)]
    return {"view": view, "row": row, "leads": store.leads_of(session.db, matter_id),
            "cases": store.cases_of(session.db, matter_id), "timeline": timeline}


def _check_refs(session: Session, *, leads: list[str], cases: list[str]) -> None:
    errors = []
    if set(leads) - store.existing(session.db, "deputies", leads):
        errors.append(FieldError("leads", N_("Choose deputies from the registry.")))
    if set(cases) - store.existing(session.db, "cases", cases):
        errors.append(FieldError("cases", N_("No case has this number.")))
    if errors:
        raise ValidationError(errors)


def _projection(view: MatterView, *, event_count: int, now: str) -> dict:
    return {"title": view.title, "stage": view.stage.value, "percent": view.percent,
            "started_on": view.started_on.isoformat(),
            "done_on": view.done_on.isoformat() if view.done_on else None,
            "event_count": event_count, "updated_at": now}


def _write(session: Session, matter_id: str, seq: int, event: MatterEvent,
           view: MatterView) -> None:
    now = session.now_iso()
    store.insert_event(session.db, origin=session.station_code, matter_id=matter_id, seq=seq,
                       kind=event.kind.value, at=now, actor=session.actor, data=event.data)
    store.update_matter(session.db, matter_id, _projection(view, event_count=seq + 1, now=now))
    store.set_leads(session.db, origin=session.station_code, matter_id=matter_id,
                    deputy_ids=view.leads)
    store.set_cases(session.db, origin=session.station_code, matter_id=matter_id,
                    case_ids=view.cases)


def create_matter(session: Session, *, title: str, description: str = "",
                  leads: list[str] | None = None, cases: list[str] | None = None,
                  on: object = None) -> Changes:
    """Record a new matter at its first stage (finding clues)."""
    session.require(Permission.EDIT_RECEPTION)
    raw = {"title": title, "description": description, "leads": list(leads or []),
           "cases": list(cases or []), "on": on or session.today()}
    event = dom.make_event(MatterView(), K.CREATE, raw, at=session.now(), actor=session.actor)
    _check_refs(session, leads=event.data["leads"], cases=event.data["cases"])
    view = dom.apply(MatterView(), event, 0)
    with session.write():
        matter_id = store.insert_matter(session.db, origin=session.station_code,
                                        fields=_projection(view, event_count=0,
                                                           now=session.now_iso()))
        _write(session, matter_id, 0, event, view)
        session.audit("create", "practical_matter", matter_id, after={"title": view.title})
    return Changes.of(*TABLES, ids=[matter_id], created_id=matter_id)


def _step(session: Session, matter_id: str, kind: K, raw: dict) -> Changes:
    if store.get_matter(session.db, matter_id) is None:
        raise NotFound()
    events = _events(session, matter_id)
    view = dom.fold(events)
    event = dom.make_event(view, kind, raw, at=session.now(), actor=session.actor)
    if kind is K.SET_LEADS:
        _check_refs(session, leads=event.data["leads"], cases=[])
    if kind is K.LINK_CASE:
        _check_refs(session, leads=[], cases=[event.data["case_id"]])
    new = dom.apply(view, event, len(events))
    with session.write():
        _write(session, matter_id, len(events), event, new)
        session.audit(kind.value, "practical_matter", matter_id,
                      before={"stage": view.stage.value, "percent": view.percent},
                      after={"stage": new.stage.value, "percent": new.percent, **event.data})
    return Changes.of(*TABLES, ids=[matter_id])


def advance(session: Session, *, matter_id: str, note: str = "", on: object = None) -> Changes:
    """Move the matter to its next stage (forward only)."""
    session.require(Permission.EDIT_RECEPTION)
    return _step(session, matter_id, K.ADVANCE, {"note": note, "on": on or session.today()})


def set_progress(session: Session, *, matter_id: str, percent: object, note: str = "",
                 on: object = None) -> Changes:
    session.require(Permission.EDIT_RECEPTION)
    return _step(session, matter_id, K.PROGRESS,
                 {"percent": percent, "note": note, "on": on or session.today()})


def add_milestone(session: Session, *, matter_id: str, text: str, on: object = None) -> Changes:
    session.require(Permission.EDIT_RECEPTION)
    return _step(session, matter_id, K.MILESTONE, {"text": text, "on": on or session.today()})


def set_leads(session: Session, *, matter_id: str, leads: list[str]) -> Changes:
    """The deputies who lead the matter (replaces the earlier list)."""
    session.require(Permission.EDIT_RECEPTION)
    return _step(session, matter_id, K.SET_LEADS, {"leads": list(leads)})


def link_case(session: Session, *, matter_id: str, case_id: str) -> Changes:
    session.require(Permission.EDIT_RECEPTION)
    return _step(session, matter_id, K.LINK_CASE, {"case_id": case_id})


def undo_stage(session: Session, *, matter_id: str, reason: str) -> Changes:
    """Take back the last stage move (an event itself, with its reason)."""
    session.require(Permission.EDIT_RECEPTION)
    return _step(session, matter_id, K.UNDO, {"reason": reason})
