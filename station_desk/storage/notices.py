"""The station's rules and photo, and the read-only figures the wall notices
print (the anonymous monthly summary, the deputies' photos in one query)."""
from __future__ import annotations

import sqlite_utils

from station_desk.storage.sync import new_id


# -- rules ------------------------------------------------------------------------

def list_rules(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT id, title_zh, title_ko, body_zh, body_ko, sort, row_version "
                         "FROM station_rules WHERE deleted = 0 ORDER BY sort, rowid"))


def get_rule(db: sqlite_utils.Database, rule_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM station_rules WHERE id = ? AND deleted = 0", [rule_id]))
    return rows[0] if rows else None


def count_rules(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM station_rules WHERE deleted = 0").fetchone()[0]


def insert_rule(db: sqlite_utils.Database, *, origin: str, fields: dict) -> str:
    row_id = new_id()
    sort = db.execute("SELECT COALESCE(MAX(sort), 0) + 1 FROM station_rules "
                      "WHERE deleted = 0").fetchone()[0]
    db["station_rules"].insert({"id": row_id, "origin": origin, "sort": sort, **fields})
    return row_id


def update_rule(db: sqlite_utils.Database, rule_id: str, fields: dict) -> None:
    db["station_rules"].update(rule_id, fields)


def delete_rule(db: sqlite_utils.Database, rule_id: str) -> None:
    db["station_rules"].update(rule_id, {"deleted": 1})


def set_sort(db: sqlite_utils.Database, rule_id: str, sort: int) -> None:
    # only rows whose place changes get a new version (and ride the next bundle)
    db.execute("UPDATE station_rules SET sort = ? WHERE id = ? AND sort != ?",
               [sort, rule_id, sort])


# -- the station's photo ----------------------------------------------------------------

def get_station_photo(db: sqlite_utils.Database) -> tuple[str, bytes] | None:
    row = db.execute("SELECT mime, data FROM station_photos WHERE deleted = 0 "
                     "ORDER BY change_seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def put_station_photo(db: sqlite_utils.Database, *, origin: str, mime: str, data: bytes) -> str:
    row = db.execute("SELECT id FROM station_photos ORDER BY change_seq DESC LIMIT 1").fetchone()
    if row:
        db["station_photos"].update(row[0], {"mime": mime, "data": data, "deleted": 0})
        return row[0]
    row_id = new_id()
    db["station_photos"].insert({"id": row_id, "origin": origin, "mime": mime, "data": data})
    return row_id


def remove_station_photo(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT id FROM station_photos WHERE deleted = 0").fetchone()
    if row is None:
        return None
    db["station_photos"].update(row[0], {"deleted": 1})
    return row[0]


# -- what the wall prints ------------------------------------------------------------

def deputy_photos(db: sqlite_utils.Database) -> dict[str, bytes]:
    """Every live deputy photo by deputy id, in one query."""
    return {r[0]: r[1] for r in db.execute(
        "SELECT deputy_id, data FROM deputy_photos WHERE deleted = 0")}


# A confidential case never appears on a summary (domain.md, "Register").
_PUBLIC = "c.deleted = 0 AND c.confidential = 0"


def received_by_category(db: sqlite_utils.Database, first: str, last: str) -> dict[str, int]:
    """Matters registered from ``first`` to ``last`` (ISO dates) by category."""
    return {r[0]: r[1] for r in db.execute(
        f"SELECT category, COUNT(*) FROM cases c WHERE {_PUBLIC} "
        "AND registered_on BETWEEN ? AND ? GROUP BY category", [first, last])}


def _last_step_in(db: sqlite_utils.Database, kind: str, column: str, first: str,
                  last: str) -> dict[str, int]:
    # the case's current value (the fold: an undone step has none) counted in
    # the month of the latest such step
    return {r[0]: r[1] for r in db.execute(
        f"SELECT c.{column}, COUNT(*) FROM cases c "
        "JOIN (SELECT case_id, MAX(json_extract(data, '$.on')) AS on_day FROM case_events "
        "      WHERE kind = ? GROUP BY case_id) e ON e.case_id = c.id "
        f"WHERE {_PUBLIC} AND c.{column} IS NOT NULL AND e.on_day BETWEEN ? AND ? "
        f"GROUP BY c.{column}", [kind, first, last])}


def handled_by_outcome(db: sqlite_utils.Database, first: str, last: str) -> dict[str, int]:
    """Matters whose outcome was recorded in the period, by outcome (A–D)."""
    return _last_step_in(db, "handle", "outcome", first, last)


def replies_by_satisfaction(db: sqlite_utils.Database, first: str, last: str) -> dict[str, int]:
    """Matters replied to in the period, by the voter's satisfaction."""
    return _last_step_in(db, "reply", "satisfaction", first, last)

