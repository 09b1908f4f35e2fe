"""Deputies' suggestions and motions, tracked until answered, and their rates."""
from __future__ import annotations

from station_desk.domain import suggestions as dom
from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.domain.evaluation import Period
from station_desk.services import registry
from station_desk.services.session import Session
from station_desk.storage import ledger as store

FIELDS = ("deputy_id", "kind", "congress", "session", "title", "submitted_on", "cosigners",
          "handling_unit", "outcome", "reply_on", "face_to_face", "satisfaction", "notes")


def suggestions(session: Session, *, period: str | None = None,
                deputy_id: str | None = None) -> list[dict]:
    """Suggestions submitted in ``period`` (2025, 2025-H1, …; None: all), oldest
    first, with the deputy's name."""
    since = until = None
    if period:
        p = Period.parse(period)
        since, until = p.start.isoformat(), p.end.isoformat()
    return store.suggestion_rows(session.db, deputy_id=deputy_id, since=since, until=until)


def suggestion(session: Session, suggestion_id: str) -> dict:
    row = store.get(session.db, "suggestions", suggestion_id)
    if row is None:
        raise dom.SuggestionNotFound()
    return row


def rates(session: Session, *, period: str | None = None) -> dict:
    """Completion, face-to-face reply, satisfaction and solved (outcome A) rates
    of the suggestions submitted in ``period``; see domain.suggestions.rates."""
    return dom.rates(suggestions(session, period=period))


def add(session: Session, *, data: dict) -> Changes:
    """Record a suggestion or motion a deputy submitted."""
    session.require(Permission.EDIT_DEPUTIES)
    fields = dom.validate_suggestion(data, today=session.today())
    registry.deputy(session, fields["deputy_id"])
    with session.write():
        row_id = store.insert(session.db, "suggestions", origin=session.station_code,
                              fields=fields)
        session.audit("create", "suggestion", row_id, after=fields)
    return Changes.of("suggestions", ids=[row_id], created_id=row_id)


def update(session: Session, *, suggestion_id: str, data: dict) -> Changes:
    """Change a suggestion: typically its handling unit, outcome and reply."""
    session.require(Permission.EDIT_DEPUTIES)
    before = suggestion(session, suggestion_id)
    merged = {k: before.get(k) for k in FIELDS} | dict(data)
    fields = dom.validate_suggestion(merged, today=session.today())
    registry.deputy(session, fields["deputy_id"])
    with session.write():
        store.update(session.db, "suggestions", suggestion_id, fields)
        session.audit("update", "suggestion", suggestion_id,
                      before={k: before.get(k) for k in FIELDS}, after=fields)
    return Changes.of("suggestions", ids=[suggestion_id])


def delete(session: Session, *, suggestion_id: str) -> Changes:
    """Tombstone a suggestion recorded in error."""
    session.require(Permission.EDIT_DEPUTIES)
    before = suggestion(session, suggestion_id)
    with session.write():
        store.update(session.db, "suggestions", suggestion_id, {"deleted": 1})
        session.audit("delete", "suggestion", suggestion_id,
                      before={k: before.get(k) for k in FIELDS})
    return Changes.of("suggestions", ids=[suggestion_id])
