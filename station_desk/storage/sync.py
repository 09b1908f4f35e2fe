"""Sync columns and the triggers that keep them (design guide, "Storage rules").

Every synced table has ``id`` (UUID made once), ``origin`` (station code),
``row_version`` (goes up on each edit), ``change_seq`` (stamped from the
``sync_counter`` by trigger, never from the clock) and ``deleted`` (tombstone).
"""
from __future__ import annotations

import uuid

SYNC_COLUMNS_SQL = """
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    change_seq INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))"""


def new_id() -> str:
    return str(uuid.uuid4())


def sync_triggers(table: str, *, append_only_columns: tuple[str, ...] = ()) -> str:
    """SQL for the change_seq / row_version triggers of ``table``.

    With ``append_only_columns`` the table is a history: those columns can
    never change and rows can never be deleted.
    """
    sql = f"""
CREATE INDEX IF NOT EXISTS {table}_change_seq ON {table}(change_seq);
CREATE TRIGGER {table}_seq_insert AFTER INSERT ON {table}
BEGIN
    UPDATE sync_counter SET seq = seq + 1 WHERE id = 1;
    UPDATE {table} SET change_seq = (SELECT seq FROM sync_counter WHERE id = 1)
     WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER {table}_seq_update AFTER UPDATE ON {table}
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE sync_counter SET seq = seq + 1 WHERE id = 1;
    UPDATE {table} SET change_seq = (SELECT seq FROM sync_counter WHERE id = 1),
        row_version = CASE WHEN NEW.row_version = OLD.row_version
                           THEN OLD.row_version + 1 ELSE NEW.row_version END
     WHERE rowid = NEW.rowid;
END;
"""
    if append_only_columns:
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in append_only_columns)
        sql += f"""
CREATE TRIGGER {table}_no_edit BEFORE UPDATE ON {table}
WHEN {changed}
BEGIN
    SELECT RAISE(ABORT, '{table} is append-only');
END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN
    SELECT RAISE(ABORT, '{table} is append-only');
END;
"""
    return sql
