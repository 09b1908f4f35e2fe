"""Reception days, the duty roster and the working-day calendar."""
from __future__ import annotations

from datetime import date

import sqlite_utils

from station_desk.domain.calendar import CN_2026_HOLIDAYS, CN_2026_WORKDAYS
from station_desk.storage.sync import new_id

# a random version-4 UUID in SQL, for rows a migration inserts
_UUID_SQL = ("lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
             "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1)"
             " || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))")


def _defaults() -> list[tuple[str, str]]:
    return sorted([(d.isoformat(), "holiday") for d in CN_2026_HOLIDAYS]
                  + [(d.isoformat(), "workday") for d in CN_2026_WORKDAYS])


def seed_calendar_sql() -> str:
    """SQL giving an existing station the default holidays (nothing when the
    database has no station yet: create_station seeds it then)."""
    values = ", ".join(f"('{d}', '{k}')" for d, k in _defaults())
    return (f"INSERT INTO calendar_days(id, origin, day, kind) "
            f"SELECT {_UUID_SQL}, s.code, v.column1, v.column2 "
            f"FROM (VALUES {values}) v, "
            f"(SELECT code FROM station WHERE deleted = 0 LIMIT 1) s "
            f"WHERE NOT EXISTS (SELECT 1 FROM calendar_days c "
            f"WHERE c.day = v.column1 AND c.deleted = 0);")


def seed_calendar(db: sqlite_utils.Database, *, origin: str) -> None:
    """Give a new station the default public holidays and swapped working days."""
    for day, kind in _defaults():
        if db.execute("SELECT 1 FROM calendar_days WHERE day = ? AND deleted = 0",
                      [day]).fetchone() is None:
            db["calendar_days"].insert({"id": new_id(), "origin": origin, "day": day,
                                        "kind": kind, "note": ""})


# -- calendar ---------------------------------------------------------------------

def calendar_days(db: sqlite_utils.Database, *, year: int | None = None) -> list[dict]:
    sql, params = "SELECT * FROM calendar_days WHERE deleted = 0", []
    if year is not None:
        sql += " AND day BETWEEN ? AND ?"
        params = [f"{year}-01-01", f"{year}-12-31"]
    return list(db.query(sql + " ORDER BY day", params))


def calendar_day(db: sqlite_utils.Database, row_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM calendar_days WHERE id = ? AND deleted = 0", [row_id]))
    return rows[0] if rows else None


def calendar_day_on(db: sqlite_utils.Database, day: str) -> dict | None:
    rows = list(db.query("SELECT * FROM calendar_days WHERE day = ? AND deleted = 0", [day]))
    return rows[0] if rows else None


def insert_calendar_day(db: sqlite_utils.Database, *, origin: str, day: str, kind: str,
                        note: str) -> str:
    row_id = new_id()
    db["calendar_days"].insert({"id": row_id, "origin": origin, "day": day, "kind": kind,
                                "note": note})
    return row_id


def tombstone(db: sqlite_utils.Database, table: str, row_id: str) -> None:
    db[table].update(row_id, {"deleted": 1})


# -- the rule -------------------------------------------------------------------------

def get_rule(db: sqlite_utils.Database) -> dict | None:
    rows = list(db.query("SELECT * FROM reception_rules WHERE deleted = 0 "
                         "ORDER BY change_seq DESC LIMIT 1"))
    return rows[0] if rows else None


def save_rule(db: sqlite_utils.Database, *, origin: str, fields: dict) -> str:
    current = get_rule(db)
    if current is None:
        row_id = new_id()
        db["reception_rules"].insert({"id": row_id, "origin": origin, **fields})
        return row_id
    db["reception_rules"].update(current["id"], fields)
    return current["id"]


# -- days ---------------------------------------------------------------------------

def days_between(db: sqlite_utils.Database, first: date, last: date) -> list[dict]:
    return list(db.query(
        "SELECT * FROM reception_days WHERE deleted = 0 AND day BETWEEN ? AND ? ORDER BY day",
        [first.isoformat(), last.isoformat()]))


def get_day(db: sqlite_utils.Database, day_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM reception_days WHERE id = ? AND deleted = 0", [day_id]))
    return rows[0] if rows else None


def day_on(db: sqlite_utils.Database, day: str) -> dict | None:
    rows = list(db.query("SELECT * FROM reception_days WHERE day = ? AND deleted = 0", [day]))
    return rows[0] if rows else None


def insert_day(db: sqlite_utils.Database, *, origin: str, fields: dict) -> str:
    row_id = new_id()
    db["reception_days"].insert({"id": row_id, "origin": origin, **fields})
    return row_id


def update_day(db: sqlite_utils.Database, day_id: str, fields: dict) -> None:
    db["reception_days"].update(day_id, fields)


# -- duties ---------------------------------------------------------------------------

def duties_between(db: sqlite_utils.Database, first: date, last: date) -> list[dict]:
    """Every live assignment on a live day between the dates, with the day's date."""
    return list(db.query(
        "SELECT a.id, a.day_id, a.deputy_id, a.manual, a.change_seq, d.day "
        "FROM duty_assignments a JOIN reception_days d ON d.id = a.day_id "
        "WHERE a.deleted = 0 AND d.deleted = 0 AND d.day BETWEEN ? AND ? "
        "ORDER BY d.day, a.change_seq", [first.isoformat(), last.isoformat()]))


def duties_of_day(db: sqlite_utils.Database, day_id: str) -> list[dict]:
    return list(db.query("SELECT * FROM duty_assignments WHERE day_id = ? AND deleted = 0 "
                         "ORDER BY change_seq", [day_id]))


def insert_duty(db: sqlite_utils.Database, *, origin: str, day_id: str, deputy_id: str,
                manual: bool) -> str:
    row_id = new_id()
    db["duty_assignments"].insert({"id": row_id, "origin": origin, "day_id": day_id,
                                   "deputy_id": deputy_id, "manual": int(manual)})
    return row_id


def update_duty(db: sqlite_utils.Database, duty_id: str, fields: dict) -> None:
    db["duty_assignments"].update(duty_id, fields)


# -- deputies as the roster needs them -------------------------------------------------

def mandate_events(db: sqlite_utils.Database) -> list[dict]:
    """Every mandate event of every live deputy, oldest first, with the deputy's id."""
    return list(db.query(
        "SELECT m.deputy_id, e.mandate_id, e.kind, e.on_date "
        "FROM mandate_events e JOIN mandates m ON m.id = e.mandate_id "
        "JOIN deputies p ON p.id = m.deputy_id "
        "WHERE e.deleted = 0 AND m.deleted = 0 AND p.deleted = 0 "
        "ORDER BY e.on_date, e.change_seq"))
