"""The accounts table: people who sign in on this PC (local, never synced)."""
from __future__ import annotations

import uuid

import sqlite_utils

COLUMNS = ("id", "login", "display_name", "role", "password_hash", "failed_count",
           "locked_until", "disabled", "created_at", "password_changed_at", "last_sign_in_at")
_SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM accounts"


def _row(cursor_row) -> dict | None:
    return dict(zip(COLUMNS, cursor_row)) if cursor_row else None


def count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM accounts").fetchone()[0]


def count_active_admins(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM accounts WHERE role = 'admin' AND disabled = 0"
                      ).fetchone()[0]


def by_login(db: sqlite_utils.Database, login: str) -> dict | None:
    return _row(db.execute(_SELECT + " WHERE login = ?", [login]).fetchone())


def by_id(db: sqlite_utils.Database, account_id: str) -> dict | None:
    return _row(db.execute(_SELECT + " WHERE id = ?", [account_id]).fetchone())


def all_accounts(db: sqlite_utils.Database) -> list[dict]:
    return [_row(r) for r in db.execute(_SELECT + " ORDER BY disabled, login").fetchall()]


def insert(db: sqlite_utils.Database, *, login: str, display_name: str, role: str,
           password_hash: str, at: str) -> str:
    account_id = str(uuid.uuid4())
    db.execute("INSERT INTO accounts(id, login, display_name, role, password_hash,"
               " created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               [account_id, login, display_name, role, password_hash, at, at])
    return account_id


def update(db: sqlite_utils.Database, account_id: str, **fields) -> None:
    unknown = set(fields) - set(COLUMNS[1:])
    if unknown:
        raise ValueError(f"unknown account columns: {sorted(unknown)}")
    sets = ", ".join(f"{k} = ?" for k in fields)
    db.execute(f"UPDATE accounts SET {sets} WHERE id = ?", [*fields.values(), account_id])
