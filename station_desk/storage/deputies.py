"""Deputies, groups, photos, mandates and mandate events."""
from __future__ import annotations

import sqlite_utils

from station_desk.domain.deputies import DeputyFilter, Level
from station_desk.storage.sync import new_id

_RANK_SQL = "CASE m.level " + " ".join(
    f"WHEN '{lv.value}' THEN {lv.rank}" for lv in Level) + " ELSE 9 END"

# Derived per row; SQLite only evaluates these for the rows it returns unless
# a filter or the sort needs them.
LIST_SELECT = f"""
SELECT d.id, d.name, d.name_ko, d.sex, d.ethnicity, d.birth_date, d.party, d.unit,
       d.post, d.phone, d.village, d.group_id, d.row_version,
       COALESCE(g.name_zh, '') AS group_name, COALESCE(g.name_ko, '') AS group_name_ko,
       (SELECT group_concat(level, ',') FROM (
            SELECT m.level FROM mandates m WHERE m.deputy_id = d.id AND m.deleted = 0
               AND m.status != 'terminated' ORDER BY {_RANK_SQL})) AS levels,
       (SELECT MIN({_RANK_SQL}) FROM mandates m WHERE m.deputy_id = d.id
               AND m.deleted = 0 AND m.status != 'terminated') AS top_rank,
       CASE WHEN EXISTS (SELECT 1 FROM mandates m WHERE m.deputy_id = d.id
                          AND m.deleted = 0 AND m.status = 'active') THEN 'active'
            WHEN EXISTS (SELECT 1 FROM mandates m WHERE m.deputy_id = d.id
                          AND m.deleted = 0 AND m.status = 'suspended') THEN 'suspended'
            WHEN EXISTS (SELECT 1 FROM mandates m WHERE m.deputy_id = d.id
                          AND m.deleted = 0) THEN 'former'
            ELSE 'active' END AS status
  FROM deputies d LEFT JOIN deputy_groups g ON g.id = d.group_id
"""

_SORT_SQL = {
    "name": "name", "name_ko": "name_ko", "sex": "sex", "birth_date": "birth_date",
    "levels": "COALESCE(top_rank, 9)", "unit": "unit", "post": "post",
    "village": "village", "group": "group_name", "status": "status", "phone": "phone",
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(f: DeputyFilter) -> tuple[str, list]:
    clauses, params = ["d.deleted = 0"], []
    q = f.query.strip()
    if q:
        like = f"%{_escape_like(q)}%"
        unit = " OR d.unit LIKE ? ESCAPE '\\'" if f.search_unit else ""
        clauses.append(f"(d.name LIKE ? ESCAPE '\\' OR d.name_ko LIKE ? ESCAPE '\\'{unit})")
        params += [like, like, like] if f.search_unit else [like, like]
    if f.group_id:
        clauses.append("d.group_id = ?")
        params.append(f.group_id)
    if f.village:
        clauses.append("d.village = ?")
        params.append(f.village)
    if f.level:
        clauses.append("EXISTS (SELECT 1 FROM mandates m WHERE m.deputy_id = d.id "
                       "AND m.deleted = 0 AND m.level = ? AND m.status != 'terminated')")
        params.append(f.level)
    return " AND ".join(clauses), params


def _filtered(f: DeputyFilter) -> tuple[str, list]:
    where, params = _where(f)
    sql = f"SELECT * FROM ({LIST_SELECT} WHERE {where})"
    if f.status:
        sql += " WHERE status = ?"
        params = params + [f.status]
    return sql, params


def count(db: sqlite_utils.Database, f: DeputyFilter) -> int:
    if not f.status:
        where, params = _where(f)
        return db.execute(f"SELECT COUNT(*) FROM deputies d WHERE {where}", params).fetchone()[0]
    sql, params = _filtered(f)
    return db.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0]


def page(db: sqlite_utils.Database, f: DeputyFilter, *, offset: int, limit: int) -> list[dict]:
    sql, params = _filtered(f)
    order = _SORT_SQL.get(f.sort, "name")
    direction = "DESC" if f.descending else "ASC"
    sql += f" ORDER BY {order} {direction}, name {direction}, id LIMIT ? OFFSET ?"
    return list(db.query(sql, params + [limit, offset]))


def ids_in_order(db: sqlite_utils.Database, f: DeputyFilter) -> list[str]:
    sql, params = _filtered(f)
    order = _SORT_SQL.get(f.sort, "name")
    direction = "DESC" if f.descending else "ASC"
    return [r[0] for r in db.execute(
        f"SELECT id FROM ({sql}) ORDER BY {order} {direction}, name {direction}, id", params)]


def get(db: sqlite_utils.Database, deputy_id: str) -> dict | None:
    rows = list(db.query(f"SELECT * FROM ({LIST_SELECT} WHERE d.id = ? AND d.deleted = 0)",
                         [deputy_id]))
    if not rows:
        return None
    row = rows[0]
    extra = db.execute("SELECT notes, created_at FROM deputies WHERE id = ?", [deputy_id]).fetchone()
    row["notes"], row["created_at"] = extra
    return row


def raw(db: sqlite_utils.Database, deputy_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM deputies WHERE id = ?", [deputy_id]))
    return rows[0] if rows else None


def insert(db: sqlite_utils.Database, *, origin: str, fields: dict, created_at: str) -> str:
    row_id = new_id()
    db["deputies"].insert({"id": row_id, "origin": origin, "created_at": created_at, **fields})
    return row_id


def update(db: sqlite_utils.Database, deputy_id: str, fields: dict) -> None:
    db["deputies"].update(deputy_id, fields)


def set_deleted(db: sqlite_utils.Database, deputy_id: str, deleted: bool) -> None:
    db["deputies"].update(deputy_id, {"deleted": int(deleted)})


def villages(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT village FROM deputies WHERE deleted = 0 AND village != '' ORDER BY village")]


def likely_duplicates(db: sqlite_utils.Database, *, name: str, birth_date: str | None,
                      phone: str, exclude_id: str | None = None) -> list[dict]:
    """Existing deputies with the same name and birth date, or the same phone."""
    clauses, params = [], []
    if name and birth_date:
        clauses.append("(name = ? AND birth_date = ?)")
        params += [name, birth_date]
    if phone:
        clauses.append("phone = ?")
        params.append(phone)
    if not clauses:
        return []
    sql = (f"SELECT id, name, birth_date, phone FROM deputies WHERE deleted = 0 "
           f"AND ({' OR '.join(clauses)})")
    if exclude_id:
        sql += " AND id != ?"
        params.append(exclude_id)
    return list(db.query(sql, params))


# -- groups -------------------------------------------------------------------

def list_groups(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM deputy_groups WHERE deleted = 0 ORDER BY sort, name_zh"))


def insert_group(db: sqlite_utils.Database, *, origin: str, name_zh: str, name_ko: str = "",
                 sort: int = 0) -> str:
    row_id = new_id()
    db["deputy_groups"].insert({"id": row_id, "origin": origin, "name_zh": name_zh,
                                "name_ko": name_ko, "sort": sort})
    return row_id


# -- photos -------------------------------------------------------------------

def get_photo(db: sqlite_utils.Database, deputy_id: str) -> tuple[str, bytes] | None:
    row = db.execute("SELECT mime, data FROM deputy_photos WHERE deputy_id = ? AND deleted = 0",
                     [deputy_id]).fetchone()
    return (row[0], bytes(row[1])) if row else None


def put_photo(db: sqlite_utils.Database, *, origin: str, deputy_id: str, mime: str,
              data: bytes) -> None:
    row = db.execute("SELECT id FROM deputy_photos WHERE deputy_id = ?", [deputy_id]).fetchone()
    if row:
        db["deputy_photos"].update(row[0], {"mime": mime, "data": data, "deleted": 0})
    else:
        db["deputy_photos"].insert({"id": new_id(), "origin": origin, "deputy_id": deputy_id,
                                    "mime": mime, "data": data})


def remove_photo(db: sqlite_utils.Database, deputy_id: str) -> bool:
    row = db.execute("SELECT id FROM deputy_photos WHERE deputy_id = ? AND deleted = 0",
                     [deputy_id]).fetchone()
    if row:
        db["deputy_photos"].update(row[0], {"deleted": 1})
    return bool(row)


# -- mandates -----------------------------------------------------------------

def mandates_of(db: sqlite_utils.Database, deputy_id: str) -> list[dict]:
    return list(db.query(
        "SELECT * FROM mandates m WHERE deputy_id = ? AND deleted = 0 "
        f"ORDER BY CASE status WHEN 'terminated' THEN 1 ELSE 0 END, {_RANK_SQL}, elected_on",
        [deputy_id]))


def get_mandate(db: sqlite_utils.Database, mandate_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM mandates WHERE id = ? AND deleted = 0", [mandate_id]))
    return rows[0] if rows else None


def insert_mandate(db: sqlite_utils.Database, *, origin: str, deputy_id: str,
                   fields: dict) -> str:
    row_id = new_id()
    db["mandates"].insert({"id": row_id, "origin": origin, "deputy_id": deputy_id,
                           "status": "active", "status_since": fields["elected_on"], **fields})
    return row_id


def update_mandate(db: sqlite_utils.Database, mandate_id: str, fields: dict) -> None:
    db["mandates"].update(mandate_id, fields)


def insert_event(db: sqlite_utils.Database, *, origin: str, mandate_id: str,
                 fields: dict) -> str:
    row_id = new_id()
    db["mandate_events"].insert({"id": row_id, "origin": origin, "mandate_id": mandate_id,
                                 **fields})
    return row_id


def events_of_mandate(db: sqlite_utils.Database, mandate_id: str) -> list[dict]:
    return list(db.query(
        "SELECT * FROM mandate_events WHERE mandate_id = ? ORDER BY on_date, change_seq",
        [mandate_id]))


def history_of(db: sqlite_utils.Database, deputy_id: str) -> list[dict]:
    """Every mandate event of the person, oldest first, with the mandate's level and term."""
    return list(db.query(
        "SELECT e.*, m.level, m.term FROM mandate_events e JOIN mandates m ON m.id = e.mandate_id "
        "WHERE m.deputy_id = ? ORDER BY e.on_date, e.change_seq", [deputy_id]))


def all_for_roster(db: sqlite_utils.Database, f: DeputyFilter) -> list[dict]:
    sql, params = _filtered(f)
    order = _SORT_SQL.get(f.sort, "name")
    return list(db.query(f"{sql} ORDER BY {order}, name, id", params))
