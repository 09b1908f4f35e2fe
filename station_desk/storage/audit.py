"""The append-only, hash-chained audit trail.

``record`` computes the row's place in the chain (see domain/audit.py) inside
the caller's transaction; a trigger moves the checkpoint ``audit_head`` to the
new row and refuses a row without a hash, so no row enters the trail unchained.
"""
from __future__ import annotations

import json
from typing import Iterator

import sqlite_utils

from station_desk.domain.audit import CHAIN_FIELDS, GENESIS, chain_hash

_COLUMNS = ", ".join(CHAIN_FIELDS)


def _json(value: dict | None) -> str | None:
    return json.dumps(value, ensure_ascii=False, default=str) if value is not None else None


def record(db: sqlite_utils.Database, *, at: str, actor: str, action: str,
           object_type: str, object_id: str | None = None,
           before: dict | None = None, after: dict | None = None,
           result: str = "ok") -> int:
    """Append one row, chained to the newest one; returns its seq.  Call it inside
    the transaction of the action it records."""
    head = db.execute(
        "SELECT h.seq, h.hash, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0)"
        " FROM audit_head h WHERE h.id = 1").fetchone()
    head_seq, prev_hash, counter = head if head else (0, GENESIS, 0)
    row = {"seq": max(head_seq, counter) + 1, "at": at, "actor": actor, "action": action,
           "object_type": object_type, "object_id": object_id, "before": _json(before),
           "after": _json(after), "result": result}
    digest = chain_hash(prev_hash, row)
    db.execute(
        f"INSERT INTO audit({_COLUMNS}, prev_hash, hash) VALUES ({', '.join('?' * 11)})",
        [*(row[k] for k in CHAIN_FIELDS), prev_hash, digest])
    return row["seq"]


def chain_existing(db: sqlite_utils.Database) -> int:
    """Chain the rows written before the chain existed, in seq order, and set the
    checkpoint (migration step 7).  The update trigger is lifted for this one
    transaction only; returns the number of rows chained."""
    db.execute("DROP TRIGGER audit_no_update")
    prev, last, count = GENESIS, 0, 0
    rows = db.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq").fetchall()
    updates = []
    for values in rows:
        row = dict(zip(CHAIN_FIELDS, values))
        digest = chain_hash(prev, row)
        updates.append((prev, digest, row["seq"]))
        prev, last, count = digest, row["seq"], count + 1
    db.conn.executemany("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", updates)
    db.execute("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
               "BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END")
    db.execute("INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?)", [last, prev])
    return count


def head(db: sqlite_utils.Database) -> tuple[int, str] | None:
    """The checkpoint: (seq, hash) of the newest row written, or None if it is missing."""
    row = db.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    return (row[0], row[1]) if row else None


def chain_rows(db: sqlite_utils.Database, *, batch: int = 5000) -> Iterator[tuple]:
    """Every row as (CHAIN_FIELDS…, prev_hash, hash) in seq order, read in batches
    so a long trail is never held in memory at once."""
    cursor = db.conn.execute(f"SELECT {_COLUMNS}, prev_hash, hash FROM audit ORDER BY seq")
    try:
        while True:
            rows = cursor.fetchmany(batch)
            if not rows:
                return
            yield from rows
    finally:
        cursor.close()


def _where(*, actor: str | None = None, action: str | None = None,
           object_type: str | None = None, since: str | None = None,
           until: str | None = None, result: str | None = None,
           search: str = "") -> tuple[str, list]:
    clauses, params = [], []
    for column, value in (("actor", actor), ("action", action),
                          ("object_type", object_type), ("result", result)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if since:  # 'at' is local ISO time with offset: compare the local date and time text
        clauses.append("at >= ?")
        params.append(since)
    if until:
        clauses.append("at < ?")
        params.append(until)
    for word in search.split():
        clauses.append("(instr(lower(actor || ' ' || action || ' ' || object_type || ' ' ||"
                       " coalesce(object_id, '') || ' ' || coalesce(before, '') || ' ' ||"
                       " coalesce(after, '')), ?) > 0)")
        params.append(word.lower())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _decoded(row: dict) -> dict:
    row["before"] = json.loads(row["before"]) if row["before"] else None
    row["after"] = json.loads(row["after"]) if row["after"] else None
    return row


def count(db: sqlite_utils.Database, **filters) -> int:
    """How many rows match ``filters`` (see :func:`page`)."""
    where, params = _where(**filters)
    return db.execute(f"SELECT count(*) FROM audit{where}", params).fetchone()[0]


def page(db: sqlite_utils.Database, *, limit: int, offset: int = 0, **filters) -> list[dict]:
    """Rows matching ``filters`` (actor, action, object_type, result exact; since /
    until as ISO text, until exclusive; search: every word somewhere in the row),
    newest first, with before/after decoded."""
    where, params = _where(**filters)
    rows = db.query(
        f"SELECT seq, {', '.join(CHAIN_FIELDS[1:])} FROM audit{where}"
        " ORDER BY seq DESC LIMIT ? OFFSET ?", [*params, limit, offset])
    return [_decoded(r) for r in rows]


def distinct(db: sqlite_utils.Database, column: str) -> list[str]:
    """The values of ``column`` (actor, action, object_type) in the trail, sorted."""
    if column not in ("actor", "action", "object_type"):
        raise ValueError(column)
    return [r[0] for r in db.execute(
        f"SELECT DISTINCT {column} FROM audit ORDER BY {column}").fetchall()]


def for_object(db: sqlite_utils.Database, object_type: str, object_id: str) -> list[dict]:
    rows = db.query(
        "SELECT * FROM audit WHERE object_type = ? AND object_id = ? ORDER BY seq",
        [object_type, object_id])
    return [_decoded(r) for r in rows]
