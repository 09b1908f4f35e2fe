"""The deputy registry: people, photos, mandates and their exit by law."""
from __future__ import annotations

from datetime import date

from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.domain.deputies import (
    DeputyFilter, MandateEvent, MandateEventKind, MandateState, MandateStatus,
    apply_event, validate_deputy, validate_mandate,
)
from station_desk.domain.errors import N_, DomainError, FieldError, NotFound, ValidationError
from station_desk.domain.validation import (
    MAX_PHOTO_BYTES, Checker, clean, image_mime, normalise_phone, parse_date,
)
from station_desk.services.session import Session
from station_desk.storage import audit as audit_store, deputies as store

TABLES = ("deputies", "mandates", "mandate_events", "deputy_photos")


class StaleRecord(DomainError):
    msgid = N_("Someone changed this record after you opened it. Reopen it and make your change again.")


class BadPhoto(DomainError):
    msgid = N_("The photo must be a JPEG or PNG image of at most 5 MB.")


# -- reading ------------------------------------------------------------------

def count(session: Session, filt: DeputyFilter) -> int:
    return store.count(session.db, filt)


def page(session: Session, filt: DeputyFilter, *, offset: int, limit: int) -> list[dict]:
    return store.page(session.db, filt, offset=offset, limit=limit)


def position(session: Session, filt: DeputyFilter, deputy_id: str) -> int | None:
    """The row of ``deputy_id`` in the list ``filt`` gives (as ``page`` orders it),
    or None when the filter leaves it out."""
    try:
        return store.ids_in_order(session.db, filt).index(deputy_id)
    except ValueError:
        return None


def roster(session: Session, filt: DeputyFilter | None = None) -> list[dict]:
    """Every deputy matching ``filt`` with their mandates, for printing and export."""
    rows = store.all_for_roster(session.db, filt or DeputyFilter())
    for r in rows:
        r["mandates"] = store.mandates_of(session.db, r["id"])
    return rows


def deputy(session: Session, deputy_id: str) -> dict:
    row = store.get(session.db, deputy_id)
    if row is None:
        raise NotFound()
    row["mandates"] = store.mandates_of(session.db, deputy_id)
    return row


def photo(session: Session, deputy_id: str) -> bytes | None:
    found = store.get_photo(session.db, deputy_id)
    return found[1] if found else None


def groups(session: Session) -> list[dict]:
    return store.list_groups(session.db)


def villages(session: Session) -> list[str]:
    return store.villages(session.db)


def likely_duplicates(session: Session, *, data: dict, exclude_id: str | None = None) -> list[dict]:
    """Existing deputies with the same name and birth date, or the same phone.

    The values are compared in their stored form, whatever way they were typed."""
    try:
        birth = parse_date(data.get("birth_date"))
    except ValueError:
        birth = None
    return store.likely_duplicates(session.db, name=clean(data.get("name")),
                                   birth_date=birth.isoformat() if birth else None,
                                   phone=normalise_phone(data.get("phone") or ""),
                                   exclude_id=exclude_id)


def history(session: Session, deputy_id: str) -> list[dict]:
    """The person's whole history, oldest first: mandate events and edits.

    Each entry: ``at`` (date or time), ``kind``, ``actor`` and the details."""
    entries = []
    for e in store.history_of(session.db, deputy_id):
        entries.append({"at": e["on_date"], "source": "mandate", "kind": e["kind"],
                        "level": e["level"], "term": e["term"], "ground": e["ground"],
                        "doc_no": e["doc_no"], "detail": e["detail"], "actor": e["recorded_by"],
                        "recorded_at": e["recorded_at"]})
    for a in audit_store.for_object(session.db, "deputy", deputy_id):
        changed = sorted(k for k in (a["after"] or {})
                         if (a["before"] or {}).get(k) != (a["after"] or {}).get(k))
        entries.append({"at": a["at"][:10], "source": "audit", "kind": a["action"],
                        "fields": changed, "actor": a["actor"], "recorded_at": a["at"]})
    entries.sort(key=lambda x: (x["at"], x["recorded_at"]))
    return entries


# -- writing ------------------------------------------------------------------

def _check_photo(data: bytes) -> str:
    mime = image_mime(data or b"")
    if mime is None or len(data) > MAX_PHOTO_BYTES:
        raise BadPhoto()
    return mime


def create_deputy(session: Session, *, data: dict, mandates: list[dict],
                  photo: bytes | None = None) -> Changes:
    """Add a person with at least one mandate; every mandate starts with an 'elected' event."""
    session.require(Permission.EDIT_DEPUTIES)
    fields, checked = _validate_new(session, data=data, mandates=mandates)
    mime = _check_photo(photo) if photo else None
    with session.write():
        deputy_id, _ = _insert_new(session, fields=fields, mandates=checked, photo=photo,
                                   mime=mime)
    return Changes.of(*TABLES, ids=[deputy_id], created_id=deputy_id)


def _validate_new(session: Session, *, data: dict, mandates: list[dict]) -> tuple[dict, list[dict]]:
    """Check a new person and their mandates; every wrong field in one ValidationError.

    Mandate fields are named ``mandates[i].<field>``.  Shared with the roster import."""
    today = session.today()
    errors: list[FieldError] = []
    fields = None
    try:
        fields = validate_deputy(data, today=today)
    except ValidationError as exc:
        errors += exc.errors
    if not mandates:
        errors.append(FieldError("mandates", N_("Add at least one mandate.")))
    birth = date.fromisoformat(fields["birth_date"]) if fields and fields["birth_date"] else None
    checked = []
    for i, m in enumerate(mandates):
        try:
            checked.append(validate_mandate(m, today=today, birth_date=birth))
        except ValidationError as exc:
            errors += [FieldError(f"mandates[{i}].{e.field}", e.msgid, e.params) for e in exc.errors]
    if errors:
        raise ValidationError(errors)
    return fields, checked


def _insert_new(session: Session, *, fields: dict, mandates: list[dict],
                photo: bytes | None = None, mime: str | None = None) -> tuple[str, list[str]]:
    """Insert checked data (from ``_validate_new``); the caller holds the transaction.

    Returns the new deputy's id and the ids of their mandates, in order."""
    deputy_id = store.insert(session.db, origin=session.station_code, fields=fields,
                             created_at=session.now_iso())
    mandate_ids = [_insert_mandate(session, deputy_id, m) for m in mandates]
    if photo:
        store.put_photo(session.db, origin=session.station_code, deputy_id=deputy_id,
                        mime=mime, data=photo)
    session.audit("create", "deputy", deputy_id, after=fields)
    return deputy_id, mandate_ids


def _insert_mandate(session: Session, deputy_id: str, fields: dict) -> str:
    mandate_id = store.insert_mandate(session.db, origin=session.station_code,
                                      deputy_id=deputy_id, fields=fields)
    store.insert_event(session.db, origin=session.station_code, mandate_id=mandate_id, fields={
        "kind": MandateEventKind.ELECTED.value, "on_date": fields["elected_on"],
        "ground": None, "detail": fields.get("constituency", ""), "doc_no": "",
        "recorded_at": session.now_iso(), "recorded_by": session.actor})
    return mandate_id


def update_deputy(session: Session, *, deputy_id: str, data: dict,
                  expected_version: int | None = None) -> Changes:
    session.require(Permission.EDIT_DEPUTIES)
    before = store.raw(session.db, deputy_id)
    if before is None or before["deleted"]:
        raise NotFound()
    if expected_version is not None and before["row_version"] != expected_version:
        raise StaleRecord()
    fields = validate_deputy(data, today=session.today())
    with session.write():
        store.update(session.db, deputy_id, fields)
        session.audit("update", "deputy", deputy_id,
                      before={k: before[k] for k in fields}, after=fields)
    return Changes.of("deputies", ids=[deputy_id])


def add_mandate(session: Session, *, deputy_id: str, data: dict) -> Changes:
    session.require(Permission.EDIT_DEPUTIES)
    person = store.raw(session.db, deputy_id)
    if person is None or person["deleted"]:
        raise NotFound()
    birth = date.fromisoformat(person["birth_date"]) if person["birth_date"] else None
    fields = validate_mandate(data, today=session.today(), birth_date=birth)
    with session.write():
        mandate_id = _insert_mandate(session, deputy_id, fields)
        session.audit("create", "mandate", mandate_id, after={"deputy_id": deputy_id, **fields})
    return Changes.of("mandates", "mandate_events", "deputies", ids=[deputy_id, mandate_id],
                      created_id=mandate_id)


def record_mandate_event(session: Session, *, mandate_id: str, kind: str, on: object,
                         ground: str | None = None, detail: str = "",
                         doc_no: str = "") -> Changes:
    """Suspend, restore or terminate a mandate; the event is kept for ever."""
    session.require(Permission.EDIT_DEPUTIES)
    m = store.get_mandate(session.db, mandate_id)
    if m is None:
        raise NotFound()
    state = MandateState(MandateStatus(m["status"]), date.fromisoformat(m["status_since"]),
                         date.fromisoformat(m["ended_on"]) if m["ended_on"] else None,
                         m["end_ground"])
    c = Checker()
    on_date = c.date("on", on, required=True)
    c.raise_if_any()
    event = MandateEvent(MandateEventKind(kind), on_date, ground or None,
                         (detail or "").strip(), (doc_no or "").strip())
    new = apply_event(state, event, today=session.today())
    with session.write():
        _write_event(session, mandate_id=mandate_id, before=state, event=event, after=new)
    return Changes.of("mandates", "mandate_events", "deputies", ids=[m["deputy_id"], mandate_id])


def _write_event(session: Session, *, mandate_id: str, before: MandateState,
                 event: MandateEvent, after: MandateState) -> None:
    """Store a checked event and the mandate's new state; the caller holds the transaction."""
    store.insert_event(session.db, origin=session.station_code, mandate_id=mandate_id, fields={
        "kind": event.kind.value, "on_date": event.on.isoformat(), "ground": event.ground,
        "detail": event.detail, "doc_no": event.doc_no,
        "recorded_at": session.now_iso(), "recorded_by": session.actor})
    store.update_mandate(session.db, mandate_id, {
        "status": after.status.value, "status_since": after.since.isoformat(),
        "ended_on": after.ended_on.isoformat() if after.ended_on else None,
        "end_ground": after.end_ground})
    session.audit(event.kind.value, "mandate", mandate_id,
                  before={"status": before.status.value},
                  after={"status": after.status.value, "ground": event.ground,
                         "doc_no": event.doc_no, "on": event.on.isoformat()})


def set_photo(session: Session, *, deputy_id: str, data: bytes) -> Changes:
    session.require(Permission.EDIT_DEPUTIES)
    mime = _check_photo(data)
    if store.raw(session.db, deputy_id) is None:
        raise NotFound()
    with session.write():
        store.put_photo(session.db, origin=session.station_code, deputy_id=deputy_id,
                        mime=mime, data=data)
        session.audit("photo", "deputy", deputy_id, after={"photo_bytes": len(data)})
    return Changes.of("deputy_photos", ids=[deputy_id])


def remove_photo(session: Session, *, deputy_id: str) -> Changes:
    session.require(Permission.EDIT_DEPUTIES)
    with session.write():
        removed = store.remove_photo(session.db, deputy_id)
        if removed:
            session.audit("photo_removed", "deputy", deputy_id)
    return Changes.of("deputy_photos", ids=[deputy_id]) if removed else Changes()


def delete_deputy(session: Session, *, deputy_id: str) -> Changes:
    """Remove a record entered by mistake (a tombstone: undo_delete brings it back).

    A real exit of a deputy is a mandate event, never a deletion."""
    session.require(Permission.EDIT_DEPUTIES)
    before = store.raw(session.db, deputy_id)
    if before is None or before["deleted"]:
        raise NotFound()
    with session.write():
        store.set_deleted(session.db, deputy_id, True)
        session.audit("delete", "deputy", deputy_id, before={"name": before["name"]})
    return Changes.of("deputies", ids=[deputy_id])


def undo_delete(session: Session, *, deputy_id: str) -> Changes:
    session.require(Permission.EDIT_DEPUTIES)
    before = store.raw(session.db, deputy_id)
    if before is None:
        raise NotFound()
    with session.write():
        store.set_deleted(session.db, deputy_id, False)
        session.audit("undelete", "deputy", deputy_id, after={"name": before["name"]})
    return Changes.of("deputies", ids=[deputy_id])


def create_group(session: Session, *, name_zh: str, name_ko: str = "") -> Changes:
    session.require(Permission.EDIT_DEPUTIES)
    c = Checker()
    zh = c.required("name_zh", name_zh, max_len=40)
    ko = c.optional("name_ko", name_ko, max_len=40)
    c.raise_if_any()
    with session.write():
        gid = store.insert_group(session.db, origin=session.station_code, name_zh=zh,
                                 name_ko=ko, sort=len(store.list_groups(session.db)))
        session.audit("create", "deputy_group", gid, after={"name_zh": zh, "name_ko": ko})
    return Changes.of("deputy_groups", ids=[gid], created_id=gid)
