"""Practical matters for the people (为民办实事): the projection, events, leads and links."""
from __future__ import annotations

import json

import sqlite_utils

from station_desk.storage.sync import new_id


def insert_matter(db: sqlite_utils.Database, *, origin: str, fields: dict) -> str:
    row_id = new_id()
    db["practical_matters"].insert({"id": row_id, "origin": origin, **fields})
    return row_id


def update_matter(db: sqlite_utils.Database, matter_id: str, fields: dict) -> None:
    db["practical_matters"].update(matter_id, fields)


def get_matter(db: sqlite_utils.Database, matter_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM practical_matters WHERE id = ? AND deleted = 0",
                         [matter_id]))
    return rows[0] if rows else None


def list_matters(db: sqlite_utils.Database, *, stage: str | None = None,
                 deputy_id: str | None = None) -> list[dict]:
    clauses, params = ["m.deleted = 0"], []
    if stage:
        clauses.append("m.stage = ?")
        params.append(stage)
    if deputy_id:
        clauses.append("EXISTS (SELECT 1 FROM practical_deputies pd WHERE pd.matter_id = m.id "
                       "AND pd.deputy_id = ? AND pd.deleted = 0)")
        params.append(deputy_id)
    return list(db.query(f"SELECT m.* FROM practical_matters m WHERE {' AND '.join(clauses)} "
                         "ORDER BY m.started_on DESC, m.rowid DESC", params))


def insert_event(db: sqlite_utils.Database, *, origin: str, matter_id: str, seq: int,
                 kind: str, at: str, actor: str, data: dict) -> str:
    row_id = new_id()
    db["practical_events"].insert({"id": row_id, "origin": origin, "matter_id": matter_id,
                                   "seq": seq, "kind": kind, "at": at, "actor": actor,
                                   "data": json.dumps(data, ensure_ascii=False, sort_keys=True)})
    return row_id


def events(db: sqlite_utils.Database, matter_id: str) -> list[dict]:
    out = []
    for r in db.query("SELECT id, seq, kind, at, actor, data FROM practical_events "
                      "WHERE matter_id = ? AND deleted = 0 ORDER BY seq", [matter_id]):
        r["data"] = json.loads(r["data"])
        out.append(r)
    return out


def _sync_links(db: sqlite_utils.Database, table: str, column: str, *, origin: str,
                matter_id: str, wanted: list[str]) -> None:
    """Make the live rows of ``table`` for the matter exactly ``wanted`` (tombstones)."""
    current = {r[1]: r[0] for r in db.execute(
        f"SELECT id, {column} FROM {table} WHERE matter_id = ? AND deleted = 0", [matter_id])}
    for value, row_id in current.items():
        if value not in wanted:
            db[table].update(row_id, {"deleted": 1})
    for value in wanted:
        if value not in current:
            db[table].insert({"id": new_id(), "origin": origin, "matter_id": matter_id,
                              column: value})


def set_leads(db: sqlite_utils.Database, *, origin: str, matter_id: str,
              deputy_ids: list[str]) -> None:
    _sync_links(db, "practical_deputies", "deputy_id", origin=origin, matter_id=matter_id,
                wanted=deputy_ids)


def set_cases(db: sqlite_utils.Database, *, origin: str, matter_id: str,
              case_ids: list[str]) -> None:
    _sync_links(db, "practical_cases", "case_id", origin=origin, matter_id=matter_id,
                wanted=case_ids)


def leads_of(db: sqlite_utils.Database, matter_id: str) -> list[dict]:
    return list(db.query(
        "SELECT d.id, d.name, d.name_ko FROM practical_deputies pd "
        "JOIN deputies d ON d.id = pd.deputy_id WHERE pd.matter_id = ? AND pd.deleted = 0 "
        "ORDER BY d.name", [matter_id]))


def cases_of(db: sqlite_utils.Database, matter_id: str) -> list[dict]:
    return list(db.query(
        "SELECT c.id, c.number, c.state, substr(c.words, 1, 60) AS words "
        "FROM practical_cases pc JOIN cases c ON c.id = pc.case_id "
        "WHERE pc.matter_id = ? AND pc.deleted = 0 ORDER BY c.rowkey", [matter_id]))


def existing(db: sqlite_utils.Database, table: str, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    if table not in ("deputies", "cases"):
        raise ValueError(table)
    marks = ",".join("?" * len(ids))
    return {r[0] for r in db.execute(
        f"SELECT id FROM {table} WHERE deleted = 0 AND id IN ({marks})", list(ids))}
