"""Station profile (one row) and staff."""
from __future__ import annotations

import sqlite_utils

from station_desk.storage.sync import new_id


def get_profile(db: sqlite_utils.Database) -> dict | None:
    rows = list(db.query("SELECT * FROM station WHERE deleted = 0 LIMIT 1"))
    return rows[0] if rows else None


def save_profile(db: sqlite_utils.Database, *, origin: str, fields: dict) -> str:
    current = get_profile(db)
    if current is None:
        row_id = new_id()
        db["station"].insert({"id": row_id, "origin": origin, **fields})
        return row_id
    db["station"].update(current["id"], fields)
    return current["id"]


def list_staff(db: sqlite_utils.Database, *, include_past: bool = True) -> list[dict]:
    where = "deleted = 0" + ("" if include_past else " AND until IS NULL")
    return list(db.query(
        f"SELECT * FROM staff WHERE {where} "
        "ORDER BY CASE role WHEN 'head' THEN 0 WHEN 'deputy_head' THEN 1 ELSE 2 END, name"))


def get_staff(db: sqlite_utils.Database, staff_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM staff WHERE id = ? AND deleted = 0", [staff_id]))
    return rows[0] if rows else None


def insert_staff(db: sqlite_utils.Database, *, origin: str, fields: dict) -> str:
    row_id = new_id()
    db["staff"].insert({"id": row_id, "origin": origin, **fields})
    return row_id


def update_staff(db: sqlite_utils.Database, staff_id: str, fields: dict) -> None:
    db["staff"].update(staff_id, fields)


def tombstone(db: sqlite_utils.Database, table: str, row_id: str) -> None:
    db[table].update(row_id, {"deleted": 1})
