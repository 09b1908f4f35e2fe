"""The append-only audit trail."""
from __future__ import annotations

import json

import sqlite_utils


def record(db: sqlite_utils.Database, *, at: str, actor: str, action: str,
           object_type: str, object_id: str | None = None,
           before: dict | None = None, after: dict | None = None) -> None:
    db.execute(
        "INSERT INTO audit(at, actor, action, object_type, object_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [at, actor, action, object_type, object_id,
         json.dumps(before, ensure_ascii=False, default=str) if before is not None else None,
         json.dumps(after, ensure_ascii=False, default=str) if after is not None else None],
    )


def for_object(db: sqlite_utils.Database, object_type: str, object_id: str) -> list[dict]:
    rows = db.query(
        "SELECT * FROM audit WHERE object_type = ? AND object_id = ? ORDER BY seq",
        [object_type, object_id])
    out = []
    for r in rows:
        r["before"] = json.loads(r["before"]) if r["before"] else None
        r["after"] = json.loads(r["after"]) if r["after"] else None
        out.append(r)
    return out
