"""Activities (活动): the annual plan, activities, invitees with attendance, photos."""
from __future__ import annotations

import json

import sqlite_utils

from station_desk.storage.sync import new_id

# The deputy's live name, unit, post and phone for registry invitees; the row's
# own for outside participants.  ``levels``: the levels of their active mandates.
_INVITEE_COLUMNS = """
    i.id, i.activity_id, i.deputy_id, i.sort, i.attendance, i.signed_at, i.leave_reason,
    i.leave_approved_by, i.marked_at, i.marked_by,
    CASE WHEN i.deputy_id IS NULL THEN i.name ELSE d.name END AS name,
    CASE WHEN i.deputy_id IS NULL THEN i.name_ko ELSE d.name_ko END AS name_ko,
    CASE WHEN i.deputy_id IS NULL THEN i.unit ELSE d.unit END AS unit,
    CASE WHEN i.deputy_id IS NULL THEN i.post ELSE d.post END AS post,
    CASE WHEN i.deputy_id IS NULL THEN i.phone ELSE d.phone END AS phone,
    (SELECT group_concat(m.level) FROM mandates m WHERE m.deputy_id = i.deputy_id
        AND m.deleted = 0 AND m.status = 'active') AS levels
"""

_COUNTS = """
    SELECT activity_id, count(*) AS invited,
           sum(attendance = 'present') AS present, sum(attendance = 'leave') AS leave,
           sum(attendance = 'absent') AS absent, sum(attendance = 'unmarked') AS unmarked
      FROM activity_invitees WHERE deleted = 0 GROUP BY activity_id
"""


def _year_range(year: int) -> tuple[str, str]:
    return f"{year:04d}-01-01", f"{year + 1:04d}-01-01"


# -- plan -------------------------------------------------------------------------

def plan_items(db: sqlite_utils.Database, year: int) -> list[dict]:
    return list(db.query(
        "SELECT id, year, month, kind, theme, notes, sort FROM activity_plan "
        "WHERE year = ? AND deleted = 0 ORDER BY month, sort, rowid", [year]))


def plan_links(db: sqlite_utils.Database, year: int) -> list[dict]:
    """The activities linked to the plan items of ``year``."""
    return list(db.query(
        "SELECT a.id, a.plan_item_id, a.title, a.starts_at, a.status FROM activities a "
        "JOIN activity_plan p ON p.id = a.plan_item_id "
        "WHERE p.year = ? AND p.deleted = 0 AND a.deleted = 0 ORDER BY a.starts_at", [year]))


def unplanned_held(db: sqlite_utils.Database, year: int) -> list[dict]:
    """Held activities of ``year`` with no (live) plan item."""
    low, high = _year_range(year)
    return list(db.query(
        "SELECT a.id, a.starts_at FROM activities a "
        "LEFT JOIN activity_plan p ON p.id = a.plan_item_id AND p.deleted = 0 "
        "WHERE a.starts_at >= ? AND a.starts_at < ? AND a.deleted = 0 "
        "AND a.status = 'held' AND p.id IS NULL", [low, high]))


def get_plan_item(db: sqlite_utils.Database, item_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM activity_plan WHERE id = ? AND deleted = 0", [item_id]))
    return rows[0] if rows else None


def next_plan_sort(db: sqlite_utils.Database, year: int, month: int) -> int:
    row = db.execute("SELECT coalesce(max(sort), -1) + 1 FROM activity_plan "
                     "WHERE year = ? AND month = ? AND deleted = 0", [year, month]).fetchone()
    return row[0]


def insert_plan_item(db: sqlite_utils.Database, *, origin: str, fields: dict) -> str:
    row_id = new_id()
    db["activity_plan"].insert({"id": row_id, "origin": origin, **fields})
    return row_id


def update_plan_item(db: sqlite_utils.Database, item_id: str, fields: dict) -> None:
    db["activity_plan"].update(item_id, fields)


def live_activities_of_item(db: sqlite_utils.Database, item_id: str) -> list[dict]:
    """Activities linked to a plan item and not cancelled."""
    return list(db.query(
        "SELECT id, title FROM activities WHERE plan_item_id = ? AND deleted = 0 "
        "AND status <> 'cancelled' ORDER BY starts_at", [item_id]))


def years(db: sqlite_utils.Database) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT year FROM activity_plan WHERE deleted = 0 UNION "
        "SELECT CAST(substr(starts_at, 1, 4) AS INTEGER) FROM activities WHERE deleted = 0")]


# -- activities -------------------------------------------------------------------

def list_activities(db: sqlite_utils.Database, *, year: int | None = None,
                    month: int | None = None, kind: str | None = None,
                    status: str | None = None, search: str = "") -> list[dict]:
    clauses, params = ["a.deleted = 0"], []
    if year and month:
        nxt = (year + 1, 1) if month == 12 else (year, month + 1)
        clauses.append("a.starts_at >= ? AND a.starts_at < ?")
        params += [f"{year:04d}-{month:02d}-01", f"{nxt[0]:04d}-{nxt[1]:02d}-01"]
    elif year:
        clauses.append("a.starts_at >= ? AND a.starts_at < ?")
        params += list(_year_range(year))
    elif month:
        clauses.append("substr(a.starts_at, 6, 2) = ?")
        params.append(f"{month:02d}")
    if kind:
        clauses.append("a.kind = ?")
        params.append(kind)
    if status:
        clauses.append("a.status = ?")
        params.append(status)
    if search:
        like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(" + " OR ".join(f"a.{c} LIKE ? ESCAPE '\\'" for c in (
            "title", "theme", "place", "organiser")) + ")")
        params += [like] * 4
    return list(db.query(
        "SELECT a.id, a.kind, a.title, a.theme, a.starts_at, a.ends_at, a.place, a.organiser, "
        "a.status, a.plan_item_id, coalesce(c.invited, 0) AS invited, "
        "coalesce(c.present, 0) AS present, coalesce(c.leave, 0) AS leave, "
        "coalesce(c.absent, 0) AS absent, coalesce(c.unmarked, 0) AS unmarked "
        f"FROM activities a LEFT JOIN ({_COUNTS}) c ON c.activity_id = a.id "
        f"WHERE {' AND '.join(clauses)} ORDER BY a.starts_at DESC, a.rowid DESC", params))


def get_activity(db: sqlite_utils.Database, activity_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM activities WHERE id = ? AND deleted = 0",
                         [activity_id]))
    return rows[0] if rows else None


def insert_activity(db: sqlite_utils.Database, *, origin: str, fields: dict) -> str:
    row_id = new_id()
    db["activities"].insert({"id": row_id, "origin": origin, **fields})
    return row_id


def update_activity(db: sqlite_utils.Database, activity_id: str, fields: dict) -> None:
    db["activities"].update(activity_id, fields)


# -- invitees -------------------------------------------------------------------------

def invitees(db: sqlite_utils.Database, activity_id: str) -> list[dict]:
    """The sheet of an activity, in its order (one query)."""
    return list(db.query(
        f"SELECT {_INVITEE_COLUMNS} FROM activity_invitees i "
        "LEFT JOIN deputies d ON d.id = i.deputy_id "
        "WHERE i.activity_id = ? AND i.deleted = 0 ORDER BY i.sort, i.rowid", [activity_id]))


def get_invitee(db: sqlite_utils.Database, invitee_id: str) -> dict | None:
    rows = list(db.query(
        f"SELECT {_INVITEE_COLUMNS} FROM activity_invitees i "
        "LEFT JOIN deputies d ON d.id = i.deputy_id WHERE i.id = ? AND i.deleted = 0",
        [invitee_id]))
    return rows[0] if rows else None


def invitee_marks(db: sqlite_utils.Database, activity_id: str,
                  ids: list[str]) -> dict[str, dict]:
    """id -> {attendance, leave_reason, name} of those of ``ids`` invited to the activity."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r[0]: {"attendance": r[1], "leave_reason": r[2], "name": r[3]} for r in db.execute(
        "SELECT i.id, i.attendance, i.leave_reason, coalesce(d.name, i.name) "
        "FROM activity_invitees i LEFT JOIN deputies d ON d.id = i.deputy_id "
        f"WHERE i.activity_id = ? AND i.deleted = 0 AND i.id IN ({marks})",
        [activity_id, *ids])}


def invited_deputies(db: sqlite_utils.Database, activity_id: str,
                     deputy_ids: list[str]) -> list[str]:
    """Those of ``deputy_ids`` already invited (their names, sheet order)."""
    if not deputy_ids:
        return []
    marks = ",".join("?" * len(deputy_ids))
    return [r[0] for r in db.execute(
        "SELECT d.name FROM activity_invitees i JOIN deputies d ON d.id = i.deputy_id "
        f"WHERE i.activity_id = ? AND i.deleted = 0 AND i.deputy_id IN ({marks}) "
        "ORDER BY i.sort", [activity_id, *deputy_ids])]


def deputy_names(db: sqlite_utils.Database, deputy_ids: list[str]) -> dict[str, str]:
    """id -> name of the live deputies among ``deputy_ids``."""
    if not deputy_ids:
        return {}
    marks = ",".join("?" * len(deputy_ids))
    return {r[0]: r[1] for r in db.execute(
        f"SELECT id, name FROM deputies WHERE deleted = 0 AND id IN ({marks})",
        list(deputy_ids))}


def next_invitee_sort(db: sqlite_utils.Database, activity_id: str) -> int:
    return db.execute("SELECT coalesce(max(sort), -1) + 1 FROM activity_invitees "
                      "WHERE activity_id = ? AND deleted = 0", [activity_id]).fetchone()[0]


def insert_invitees(db: sqlite_utils.Database, *, origin: str, rows: list[dict]) -> list[str]:
    ids = [new_id() for _ in rows]
    db["activity_invitees"].insert_all(
        [{"id": i, "origin": origin, **r} for i, r in zip(ids, rows)])
    return ids


def update_invitee(db: sqlite_utils.Database, invitee_id: str, fields: dict) -> None:
    db["activity_invitees"].update(invitee_id, fields)


def set_marks(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """(attendance, signed_at or None to keep, marked_at, marked_by, id) per invitee."""
    db.conn.executemany(
        "UPDATE activity_invitees SET attendance = ?, signed_at = coalesce(?, signed_at), "
        "marked_at = ?, marked_by = ? WHERE id = ?", rows)


def sheet_ids(db: sqlite_utils.Database, activity_id: str) -> list[tuple[str, int]]:
    return [(r[0], r[1]) for r in db.execute(
        "SELECT id, sort FROM activity_invitees WHERE activity_id = ? AND deleted = 0 "
        "ORDER BY sort, rowid", [activity_id])]


def set_sorts(db: sqlite_utils.Database, pairs: list[tuple[int, str]]) -> None:
    db.conn.executemany("UPDATE activity_invitees SET sort = ? WHERE id = ?", pairs)


# -- photos ---------------------------------------------------------------------------

def photos_of(db: sqlite_utils.Database, activity_id: str) -> list[dict]:
    return list(db.query(
        "SELECT id, mime, caption FROM activity_photos WHERE activity_id = ? AND deleted = 0 "
        "ORDER BY sort, rowid", [activity_id]))


def get_photo(db: sqlite_utils.Database, photo_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM activity_photos WHERE id = ? AND deleted = 0",
                         [photo_id]))
    return rows[0] if rows else None


def insert_photo(db: sqlite_utils.Database, *, origin: str, activity_id: str, mime: str,
                 data: bytes, caption: str) -> str:
    row_id = new_id()
    sort = db.execute("SELECT coalesce(max(sort), -1) + 1 FROM activity_photos "
                      "WHERE activity_id = ?", [activity_id]).fetchone()[0]
    db["activity_photos"].insert({"id": row_id, "origin": origin, "activity_id": activity_id,
                                  "mime": mime, "data": data, "caption": caption,
                                  "sort": sort})
    return row_id


def set_deleted(db: sqlite_utils.Database, table: str, row_id: str) -> None:
    if table not in ("activity_plan", "activity_invitees", "activity_photos"):
        raise ValueError(table)
    db[table].update(row_id, {"deleted": 1})


# -- the deputies' side ----------------------------------------------------------------

def deputy_activities(db: sqlite_utils.Database, deputy_id: str, *, since: str | None,
                      until: str | None) -> list[dict]:
    clauses, params = ["i.deputy_id = ?", "i.deleted = 0", "a.deleted = 0"], [deputy_id]
    if since:
        clauses.append("a.starts_at >= ?")
        params.append(since)
    if until:
        clauses.append("a.starts_at < ?")
        params.append(until)
    return list(db.query(
        "SELECT a.id, a.kind, a.title, a.theme, a.starts_at, a.ends_at, a.place, a.status, "
        "i.id AS invitee_id, i.attendance, i.signed_at, i.leave_reason, i.leave_approved_by "
        "FROM activity_invitees i JOIN activities a ON a.id = i.activity_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY a.starts_at, a.rowid", params))


# The planner, without statistics, likes the deputy index for "deputy_id IS NOT
# NULL" and GROUP BY deputy_id; walking a UUID index visits the rows in random
# order, several times slower than a plain scan here, hence the unary "+".

def serving(db: sqlite_utils.Database) -> dict[str, tuple[str, str, str]]:
    """Deputy id -> (since, name, name_ko) of every live deputy with an active
    mandate; ``since``: the earliest ``status_since`` of their active mandates.
    Two plain scans: this runs on county files of ten thousand deputies."""
    since: dict[str, str] = {}
    for deputy_id, day in db.execute(
            "SELECT +deputy_id, status_since FROM mandates "
            "WHERE deleted = 0 AND status = 'active'"):
        if deputy_id not in since or day < since[deputy_id]:
            since[deputy_id] = day
    return {r[0]: (since[r[0]], r[1], r[2]) for r in db.execute(
        "SELECT id, name, name_ko FROM deputies WHERE deleted = 0") if r[0] in since}


def held_activities(db: sqlite_utils.Database) -> list[tuple[str, str, str]]:
    """(id, title, starts_at) of every held activity, newest first (two at the
    same time: the greater id first)."""
    return db.execute(
        "SELECT id, title, starts_at FROM activities WHERE status = 'held' AND deleted = 0 "
        "ORDER BY starts_at DESC, id DESC").fetchall()


def marks_at(db: sqlite_utils.Database, activity_ids: list[str]) -> list[tuple[str, str, str]]:
    """(deputy_id, activity_id, attendance) of the marked registry invitees of
    ``activity_ids``."""
    if not activity_ids:
        return []
    return db.execute(
        "SELECT i.deputy_id, i.activity_id, i.attendance FROM json_each(?) j "
        "CROSS JOIN activity_invitees i ON i.activity_id = j.value "
        "WHERE i.deleted = 0 AND i.attendance <> 'unmarked' AND +i.deputy_id IS NOT NULL",
        [json.dumps(list(activity_ids))]).fetchall()


def marks_of(db: sqlite_utils.Database, deputy_ids: list[str]) -> list[tuple[str, str, str]]:
    """(deputy_id, activity_id, attendance) of every marked invitation of ``deputy_ids``."""
    if not deputy_ids:
        return []
    return db.execute(
        "SELECT i.deputy_id, i.activity_id, i.attendance FROM json_each(?) j "
        "CROSS JOIN activity_invitees i ON i.deputy_id = j.value "
        "WHERE i.deleted = 0 AND i.attendance <> 'unmarked'",
        [json.dumps(list(deputy_ids))]).fetchall()


def present_between(db: sqlite_utils.Database, low: str, high: str) -> set[str]:
    """Deputies marked present at a held activity starting in [low, high)."""
    # a Python set, not DISTINCT: its temporary B-tree is the slower of the two
    return {r[0] for r in db.execute(
        "SELECT i.deputy_id FROM activities a "
        "CROSS JOIN activity_invitees i ON i.activity_id = a.id "
        "WHERE a.starts_at >= ? AND a.starts_at < ? AND a.deleted = 0 AND a.status = 'held' "
        "AND i.deleted = 0 AND i.attendance = 'present' AND +i.deputy_id IS NOT NULL",
        [low, high])}
