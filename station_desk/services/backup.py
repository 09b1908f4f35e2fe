"""Backups of a station database: made after changes and on exit, listed and
restored from Settings.

Every function takes the database path and opens its own connections, so the
window can call them on a worker thread while its own connection stays open
(except ``restore``, which needs the window to close its connection first).
"""
from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import Callable

from station_desk import paths
from station_desk.domain.accounts import NotPermitted, Permission, allows
from station_desk.domain.backups import (  # noqa: F401  (backup_due is part of this API)
    BackupInfo, BackupKind, RestoreResult, backup_due, local_naive, parse_backup_name,
)
from station_desk.domain.errors import DatabaseLocked, DomainError
from station_desk.services.session import open_session
from station_desk.storage import backup as store

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now().astimezone()


def _require(role: str | None, permission: Permission) -> None:
    if role is not None and not allows(role, permission):
        raise NotPermitted(role, permission)


def backup_now(db_path: Path | str, *, reason: str = "manual", actor: str = "clerk",
               clock: Clock = _now, role: str | None = None) -> BackupInfo:
    """Make a checked backup of the live database, apply the 12/10/9 rotation and
    record it in the audit trail.  ``reason`` is e.g. "auto", "exit" or "manual".

    Raises DiskFull (folder full or not writable) or BackupFailed (the copy did not
    pass its integrity check); no partial file is left.  ``role``: the signed-in
    person's (None for the program's own automatic backups)."""
    _require(role, Permission.BACKUP)
    db_path = Path(db_path)
    folder = paths.backup_dir(db_path)
    at = clock()
    try:
        info = store.create_backup(db_path, folder, at=at)
    except DomainError as exc:
        with contextlib.suppress(DomainError):  # a full disk may refuse this row too
            store.append_audit(db_path, at=at.isoformat(timespec="seconds"), actor=actor,
                               action="backup", object_type="database", result="failed",
                               after={"reason": reason, "error": type(exc).__name__})
        raise
    deleted = store.rotate(folder, db_path.stem, protect=(info.path,))
    store.append_audit(db_path, at=at.isoformat(timespec="seconds"), actor=actor,
                       action="backup", object_type="database",
                       after={"file": info.name, "bytes": info.size, "reason": reason,
                              "rotated_out": len(deleted)})
    return info


def list_backups(db_path: Path | str) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first, with time, size, kind and verified flag."""
    db_path = Path(db_path)
    return store.list_backups(paths.backup_dir(db_path), db_path.stem)


def last_backup(db_path: Path | str) -> BackupInfo | None:
    """The newest sound regular backup of ``db_path`` (what the status bar shows), or None."""
    for info in list_backups(db_path):
        if info.kind is BackupKind.REGULAR and info.verified:
            return info
    return None


def newest_sound_backup(db_path: Path | str) -> BackupInfo | None:
    """The newest backup of ``db_path`` that passes a full check now (``integrity_check``,
    ours, not newer than this program), or None.  Regular backups and the copies kept
    before a restore count; damaged copies kept as evidence never do."""
    for info in list_backups(db_path):
        if info.kind is BackupKind.DAMAGED or not info.verified:
            continue
        try:
            store.verify_backup(info.path)
        except (DomainError, OSError):
            continue
        return info
    return None


def _describe(db_path: Path, backup_path: Path) -> BackupInfo:
    """A chosen file as a listing entry, also when it was picked from elsewhere."""
    for info in list_backups(db_path):
        if info.path == backup_path:
            return info
    parsed = parse_backup_name(db_path.stem, backup_path.name)
    kind, at = parsed if parsed else (
        BackupKind.REGULAR, datetime.fromtimestamp(backup_path.stat().st_mtime).astimezone())
    return BackupInfo(path=backup_path, created_at=at, size=backup_path.stat().st_size,
                      kind=kind, verified=True)


def restore(db_path: Path | str, backup_path: Path | str, *, actor: str = "clerk",
            clock: Clock = _now, role: str | None = None) -> RestoreResult:
    """Put a chosen backup in place of the live database (which must be closed).

    The backup is checked first (integrity, a station_desk database of this station,
    not newer than this program); the current database is kept as a safety copy in
    the backup folder; then the file is swapped atomically and the restore is
    recorded in the audit trail of the restored database (migrated if older).

    Raises BackupDamaged, BackupOtherStation, DatabaseTooNew, NotADatabase,
    DatabaseLocked (still open elsewhere) or DiskFull; the live database is then
    unchanged but for the failed attempt, recorded in its audit trail (result
    "failed"; not when it is locked)."""
    _require(role, Permission.RESTORE)
    db_path, backup_path = Path(db_path), Path(backup_path)
    at = clock()
    chosen = _describe(db_path, backup_path) if backup_path.is_file() else None
    try:
        safety = store.restore_backup(db_path, backup_path, paths.backup_dir(db_path), at=at)
    except DomainError as exc:
        if not isinstance(exc, DatabaseLocked) and db_path.is_file():
            with contextlib.suppress(DomainError):  # the live database is as it was
                store.append_audit(db_path, at=at.isoformat(timespec="seconds"), actor=actor,
                                   action="restore", object_type="database", result="failed",
                                   after={"from": backup_path.name,
                                          "error": type(exc).__name__})
        raise
    assert chosen is not None  # restore_backup refuses a missing file
    session = open_session(db_path, actor=actor, clock=clock)
    try:
        with session.write():
            session.audit("restore", "database", None, after={
                "from": backup_path.name,
                "backup_made_at": local_naive(chosen.created_at).isoformat(timespec="seconds"),
                "safety_copy": safety.name if safety else None})
    finally:
        session.close()
    return RestoreResult(db_path=db_path, restored=chosen, safety=safety)
