"""Station profile and staff."""
from __future__ import annotations

from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.domain.errors import NotFound
from station_desk.domain.station import validate_profile, validate_staff
from station_desk.services.session import Session
from station_desk.storage import station as store


def profile(session: Session) -> dict:
    return store.get_profile(session.db) or {}


def save_profile(session: Session, *, data: dict) -> Changes:
    session.require(Permission.EDIT_STATION)
    fields = validate_profile(data)
    before = store.get_profile(session.db)
    with session.write():
        row_id = store.save_profile(session.db, origin=session.station_code or fields["code"],
                                    fields=fields)
        session.audit("update" if before else "create", "station", row_id,
                      before=before, after=fields)
    session.station_code = session.station_code or fields["code"]
    return Changes.of("station", ids=[row_id])


def staff(session: Session, *, include_past: bool = True) -> list[dict]:
    return store.list_staff(session.db, include_past=include_past)


def add_staff(session: Session, *, data: dict) -> Changes:
    session.require(Permission.EDIT_STATION)
    fields = validate_staff(data, today=session.today())
    with session.write():
        row_id = store.insert_staff(session.db, origin=session.station_code, fields=fields)
        session.audit("create", "staff", row_id, after=fields)
    return Changes.of("staff", ids=[row_id], created_id=row_id)


def update_staff(session: Session, *, staff_id: str, data: dict) -> Changes:
    session.require(Permission.EDIT_STATION)
    before = store.get_staff(session.db, staff_id)
    if before is None:
        raise NotFound()
    fields = validate_staff(data, today=session.today())
    with session.write():
        store.update_staff(session.db, staff_id, fields)
        session.audit("update", "staff", staff_id, before=before, after=fields)
    return Changes.of("staff", ids=[staff_id])


def remove_staff(session: Session, *, staff_id: str) -> Changes:
    session.require(Permission.EDIT_STATION)
    before = store.get_staff(session.db, staff_id)
    if before is None:
        raise NotFound()
    with session.write():
        store.tombstone(session.db, "staff", staff_id)
        session.audit("delete", "staff", staff_id, before=before)
    return Changes.of("staff", ids=[staff_id])
