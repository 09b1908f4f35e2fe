"""Backup files of a station database: make, check, list, rotate, restore.

A backup is made with the SQLite backup API from its own connection into a
temporary file in the backup folder, switched to a single self-contained file
(journal_mode DELETE), fsynced, checked with ``PRAGMA integrity_check`` and only
then renamed to ``<stem>-YYYYmmdd-HHMMSS.sqlite3``.  So a file with a final name
was whole and sound when it was made; anything else is removed.

Every function takes paths and opens (and closes) its own connections, so it
may run on a worker thread while the window keeps its own connection.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import struct
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Iterator

import sqlite_utils

from station_desk.domain.backups import (
    BackupInfo, BackupKind, backup_name, parse_backup_name, select_kept, select_kept_safety,
)
from station_desk.domain.errors import (
    BackupDamaged, BackupFailed, BackupOtherStation, DatabaseCorrupt, DatabaseError,
    DatabaseLocked, DiskFull, DomainError, NotADatabase,
)
from station_desk.storage import audit
from station_desk.storage.db import APPLICATION_ID, SQLITE_HEADER, inspect_file, map_sqlite_error

SIDE_FILES = ("-wal", "-shm", "-journal")
STALE_TEMP_SECONDS = 24 * 3600
# Windows "file is used by another process" / "locked region"
_WINDOWS_SHARING_ERRORS = (32, 33)


# -- small file helpers ---------------------------------------------------------

def _fsync_file(path: Path) -> None:
    # Windows' fsync (_commit) needs a handle opened for writing
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable.  Windows cannot open a folder for this and does not
    need it (NTFS journals the rename), so it is skipped there."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the file itself is synced
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    for p in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        with contextlib.suppress(OSError):
            p.unlink()


def _temp_name(final: Path, tag: str) -> Path:
    return final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.{tag}")


def _io_error(exc: BaseException) -> DomainError:
    """A write problem as the error the clerk is told about."""
    if isinstance(exc, DomainError):
        return exc
    if isinstance(exc, PermissionError) and getattr(exc, "winerror", None) in _WINDOWS_SHARING_ERRORS:
        return DatabaseLocked()
    if isinstance(exc, sqlite3.Error):
        mapped = map_sqlite_error(exc)
        if isinstance(mapped, DomainError):
            return mapped
        # "unable to open database file": the folder is missing or not writable
        return DiskFull(detail=str(exc))
    if isinstance(exc, OSError):
        return DiskFull(detail=exc.strerror or str(exc))
    raise exc


@contextlib.contextmanager
def _writing(temp: Path) -> Iterator[None]:
    """Remove ``temp`` on any failure and raise the typed error."""
    try:
        yield
    except BaseException as exc:
        _remove_quietly(temp)
        if isinstance(exc, (DomainError, KeyboardInterrupt, SystemExit)):
            raise
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise _io_error(exc) from exc
        raise


def _header_sound(path: Path) -> bool:
    """Cheap check that a file is still a whole station_desk database: the header,
    the application id and the size the header promises."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(100)
    except OSError:
        return False
    if len(head) < 100 or head[:16] != SQLITE_HEADER:
        return False
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">I", head[24:28])[0], struct.unpack(">I", head[28:32])[0]
    version_valid_for = struct.unpack(">I", head[92:96])[0]
    app_id = struct.unpack(">I", head[68:72])[0]
    if app_id != APPLICATION_ID:
        return False
    if version_valid_for == change_counter and page_count:
        return size == page_size * page_count
    return size > 0 and size % page_size == 0


def _readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5,
                           isolation_level=None)


def _check_copy(path: Path, *, single_file: bool = True) -> str | None:
    """None when ``path`` is a sound station_desk database (and, with ``single_file``,
    self-contained: journal_mode DELETE); else why not."""
    conn = _readonly(path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        if rows != ["ok"]:
            return "; ".join(rows[:3])
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return "not a station_desk database"
        if single_file and conn.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
            return "not a single-file copy"
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            return "broken references between records"
    finally:
        conn.close()
    return None


# -- making a backup ------------------------------------------------------------

def _final_path(folder: Path, stem: str, at: datetime, kind: BackupKind) -> Path:
    serial = 0
    while True:
        final = folder / backup_name(stem, at, kind, serial)
        if not final.exists():
            return final
        serial += 1


def _clean_stale_temps(folder: Path) -> None:
    """Temp files left by a copy that was interrupted (power cut, killed program)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError):
        for p in folder.iterdir():
            if p.name.startswith(".") and p.name.endswith((".tmp", ".tmp-journal")):
                with contextlib.suppress(OSError):
                    if p.stat().st_mtime < cutoff:
                        p.unlink()


def _copy_from(source: sqlite3.Connection, folder: Path, stem: str, at: datetime,
               kind: BackupKind) -> BackupInfo:
    """Backup API → single file → fsync → integrity_check → rename."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _io_error(exc) from exc
    _clean_stale_temps(folder)
    final = _final_path(folder, stem, at, kind)
    temp = _temp_name(final, "tmp")
    with _writing(temp):
        target = sqlite3.connect(temp, isolation_level=None)
        try:
            source.backup(target)
            mode = target.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode != "delete":
                raise BackupFailed(detail=f"journal mode {mode}")
        finally:
            target.close()
        _fsync_file(temp)
        try:
            problem = _check_copy(temp)
        except sqlite3.DatabaseError as exc:  # e.g. "malformed": the check itself broke off
            problem = str(exc)
        if problem:
            raise BackupFailed(detail=problem)
        os.replace(temp, final)
        _fsync_dir(folder)
    return _info(final, stem)


def create_backup(db_path: Path | str, folder: Path | str, *, at: datetime,
                  kind: BackupKind = BackupKind.REGULAR) -> BackupInfo:
    """Copy the live database ``db_path`` (it may be open elsewhere) into ``folder``.

    Raises DiskFull when the folder cannot be written, BackupFailed when the copy
    does not pass its check; no partial file is left either way."""
    db_path, folder = Path(db_path), Path(folder)
    if not db_path.is_file():
        raise FileNotFoundError(str(db_path))
    try:
        source = sqlite3.connect(db_path, timeout=10, isolation_level=None)
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc, db_path) from exc
    try:
        source.execute("PRAGMA busy_timeout = 10000")
        return _copy_from(source, folder, db_path.stem, at, kind)
    finally:
        source.close()


# -- listing and rotation ---------------------------------------------------------

def _info(path: Path, stem: str) -> BackupInfo:
    parsed = parse_backup_name(stem, path.name)
    assert parsed is not None, path
    kind, at = parsed
    return BackupInfo(path=path, created_at=at, size=path.stat().st_size, kind=kind,
                      verified=kind is not BackupKind.DAMAGED and _header_sound(path))


def list_backups(folder: Path | str, stem: str) -> list[BackupInfo]:
    """Every backup of the database called ``stem`` in ``folder``, newest first."""
    folder = Path(folder)
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for p in entries:
        if p.name.startswith(".") or parse_backup_name(stem, p.name) is None:
            continue
        with contextlib.suppress(OSError):  # removed meanwhile by another rotation
            if p.is_file():
                found.append(_info(p, stem))
    found.sort(key=lambda b: (b.created_at, b.name), reverse=True)
    return found


def rotate(folder: Path | str, stem: str, *, protect: tuple[Path, ...] = ()) -> list[Path]:
    """Delete the regular backups the 12/10/9 rule does not keep and all but the newest
    safety copies; damaged copies are evidence and are never deleted automatically.

    Returns the deleted files.  A file that cannot be deleted now is left for next time."""
    backups = list_backups(folder, stem)
    regular = [b for b in backups if b.kind is BackupKind.REGULAR]
    safety = [b for b in backups if b.kind is BackupKind.SAFETY]
    keep_times = select_kept(b.created_at for b in regular)
    keep_safety = select_kept_safety(b.created_at for b in safety)
    protected = {Path(p) for p in protect}
    deleted = []
    for b in regular + safety:
        kept = keep_times if b.kind is BackupKind.REGULAR else keep_safety
        if b.created_at in kept or b.path in protected:
            continue
        try:
            b.path.unlink()
            deleted.append(b.path)
        except FileNotFoundError:
            pass
        except OSError:
            continue
    return deleted


# -- checking a chosen backup -----------------------------------------------------

def verify_backup(path: Path | str) -> int:
    """Check a backup fully before it is restored; returns its schema version.

    Raises BackupDamaged, NotADatabase or DatabaseTooNew (newer than this program)."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise BackupDamaged(name=name, detail="missing")
    try:
        app_id, version = inspect_file(path)
    except DatabaseCorrupt as exc:
        raise BackupDamaged(name=name, detail=exc.params.get("detail", "")) from exc
    except OSError as exc:
        raise BackupDamaged(name=name, detail=exc.strerror or str(exc)) from exc
    if app_id != APPLICATION_ID or version == 0:
        raise NotADatabase(path=str(path))
    try:
        problem = _check_copy(path, single_file=False)
    except sqlite3.Error as exc:
        problem = str(exc)
    if problem:
        raise BackupDamaged(name=name, detail=problem)
    return version


def station_code_of(path: Path | str) -> str | None:
    """The station code stored in a database file, or None if it cannot be read.

    Opened as immutable so that reading it creates no -wal/-shm beside the file."""
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?immutable=1", uri=True,
                               isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT code FROM station WHERE deleted = 0 LIMIT 1").fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


# -- putting a file in place of the live database -----------------------------------

def _raw_copy_aside(db_path: Path, folder: Path, at: datetime) -> BackupInfo | None:
    """Keep the bytes of a database that SQLite cannot read (and its side files)."""
    if not db_path.is_file():
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        final = _final_path(folder, db_path.stem, at, BackupKind.DAMAGED)
        for suffix in ("",) + SIDE_FILES:
            src = db_path.with_name(db_path.name + suffix)
            if src.is_file():
                dest = final.with_name(final.name + suffix)
                shutil.copyfile(src, dest)
                _fsync_file(dest)
        _fsync_dir(folder)
    except OSError as exc:
        raise _io_error(exc) from exc
    return _info(final, db_path.stem)


def _raise_if_locked(exc: sqlite3.Error, db_path: Path) -> None:
    mapped = map_sqlite_error(exc, db_path)
    if isinstance(mapped, DatabaseLocked):
        raise mapped from exc


def _take_over(db_path: Path, folder: Path, at: datetime) -> tuple[BackupInfo | None, bool]:
    """Make sure nobody has the live database open, fold its WAL into the file and keep
    a copy of it.  Returns (the copy, whether the old file was damaged)."""
    try:
        conn = sqlite3.connect(db_path, timeout=1, isolation_level=None)
    except sqlite3.Error:
        return _raw_copy_aside(db_path, folder, at), True
    try:
        try:
            sound = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.Error as exc:
            _raise_if_locked(exc, db_path)
            sound = False
        # a damaged file is kept exactly as found, before anything below writes to it
        damaged_copy = None if sound else _raw_copy_aside(db_path, folder, at)
        try:
            # Leaving WAL mode checkpoints every committed transaction into the main
            # file and deletes -wal/-shm; SQLite refuses while another connection has
            # the database open, which is exactly the check we need.
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode != "delete":
                raise DatabaseLocked()
        except sqlite3.Error as exc:
            _raise_if_locked(exc, db_path)
            if sound:
                raise _io_error(exc) from exc
        if not sound:
            return damaged_copy, True
        # A read transaction: nobody can write until the safety copy is made.
        # (Not EXCLUSIVE: the backup API cannot read from a writing connection.)
        conn.execute("BEGIN")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        safety = _copy_from(conn, folder, db_path.stem, at, BackupKind.SAFETY)
        conn.execute("ROLLBACK")
        return safety, False
    finally:
        conn.close()


def install_file(db_path: Path | str, prepared: Path | str, folder: Path | str, *,
                 at: datetime) -> BackupInfo | None:
    """Atomically put ``prepared`` (a finished database file in the same folder as
    ``db_path``) in place of the live database, which must be closed.

    A copy of the old database is kept in ``folder`` first (a safety copy, or the
    raw bytes when it is damaged); returns it (None when there was no old file).
    Raises DatabaseLocked while the live database is open elsewhere."""
    db_path, prepared, folder = Path(db_path), Path(prepared), Path(folder)
    safety, damaged = None, False
    if db_path.exists() and db_path.stat().st_size > 0:
        safety, damaged = _take_over(db_path, folder, at)
    for suffix in SIDE_FILES:
        side = db_path.with_name(db_path.name + suffix)
        if not side.exists():
            continue
        if damaged or not (db_path.exists() and db_path.stat().st_size > 0):
            # kept aside above (or belongs to no file); must not be replayed on the new file
            try:
                side.unlink()
            except OSError as exc:
                raise _io_error(exc) from exc
        else:
            # appeared after we closed the old file: someone opened it meanwhile
            raise DatabaseLocked()
    try:
        os.replace(prepared, db_path)
    except OSError as exc:
        raise _io_error(exc) from exc
    _fsync_dir(db_path.parent)
    return safety


def restore_backup(db_path: Path | str, backup_path: Path | str, folder: Path | str, *,
                   at: datetime) -> BackupInfo | None:
    """Replace the closed live database by a checked copy of ``backup_path``.

    Checks the backup (whole-file integrity, ours, not newer than this program, same
    station), keeps a safety copy of the current database, then swaps atomically.
    On any refusal the live database is unchanged.  Returns the safety copy."""
    db_path, backup_path, folder = Path(db_path), Path(backup_path), Path(folder)
    verify_backup(backup_path)
    if db_path.exists() and db_path.stat().st_size > 0:
        current, chosen = station_code_of(db_path), station_code_of(backup_path)
        if current and chosen and current != chosen:
            raise BackupOtherStation(name=backup_path.name, found=chosen, expected=current)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_name(db_path, "restore-tmp")
    with _writing(temp):
        shutil.copyfile(backup_path, temp)
        _fsync_file(temp)
        problem = _check_copy(temp, single_file=False)
        if problem:
            raise BackupDamaged(name=backup_path.name, detail=problem)
        return install_file(db_path, temp, folder, at=at)


def discard(path: Path | str) -> None:
    """Remove an unfinished database file and its side files, if any."""
    _remove_quietly(Path(path))


def finish_file(path: Path | str) -> None:
    """Turn a freshly written, closed database into one durable self-contained file."""
    path = Path(path)
    conn = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        if conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] != "delete":
            raise DatabaseLocked()
    except sqlite3.Error as exc:
        raise _io_error(exc) from exc
    finally:
        conn.close()
    _fsync_file(path)


# -- audit from a worker ---------------------------------------------------------------

def append_audit(db_path: Path | str, *, at: str, actor: str, action: str, object_type: str,
                 object_id: str | None = None, after: dict | None = None,
                 result: str = "ok") -> None:
    """Add one audit row through a connection of its own (callable from any thread)."""
    try:
        conn = sqlite3.connect(Path(db_path), timeout=10, isolation_level=None)
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc, db_path) from exc
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        db = sqlite_utils.Database(conn)
        with db.atomic():
            audit.record(db, at=at, actor=actor, action=action, object_type=object_type,
                         object_id=object_id, after=after, result=result)
    except sqlite3.Error as exc:
        mapped = map_sqlite_error(exc, db_path)
        raise (mapped if isinstance(mapped, DatabaseError) else DiskFull(detail=str(exc))) from exc
    finally:
        conn.close()
