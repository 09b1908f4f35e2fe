"""Opening a station database: checks, pragmas, migrations, error mapping."""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from station_desk.domain.errors import (
    DatabaseCorrupt, DatabaseLocked, DatabaseTooNew, DiskFull, NotADatabase,
)
from station_desk.storage.migrations import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x53544453  # "STDS": marks a station_desk database
SQLITE_HEADER = b"SQLite format 3\x00"


def map_sqlite_error(exc: BaseException, path: Path | str = "") -> BaseException:
    """Turn an sqlite3 error into the typed error the user is told about."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked()
    if "disk is full" in text or "disk i/o" in text or "readonly" in text or "read-only" in text:
        return DiskFull(detail=str(exc))
    if "not a database" in text or "malformed" in text:
        return DatabaseCorrupt(detail=str(exc))
    return exc


@contextlib.contextmanager
def sqlite_errors(path: Path | str = "") -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        mapped = map_sqlite_error(exc, path)
        if mapped is exc:
            raise
        raise mapped from exc


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), timeout=5, isolation_level=None,
                               check_same_thread=False)
    return conn


def quick_check(path: Path) -> str:
    """``PRAGMA quick_check`` of the file on its own read-only connection: "ok"
    or the first problem found.  SQLite runs it without Python's interpreter
    lock, so start-up runs it on a worker thread while the window is built."""
    conn = _connect(path, readonly=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()


def inspect_file(path: Path, *,
                 quick_check_result: Callable[[], str] | None = None) -> tuple[int, int]:
    """Read (application_id, user_version) without writing anything, and check
    the whole file.

    ``quick_check_result`` gives the answer of a :func:`quick_check` already
    started elsewhere (it may raise what the check raised); by default the check
    runs here.  Raises NotADatabase, DatabaseCorrupt or DatabaseTooNew."""
    with path.open("rb") as f:
        header = f.read(16)
    if header != SQLITE_HEADER:
        raise NotADatabase(path=str(path))
    try:
        conn = _connect(path, readonly=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id not in (0, APPLICATION_ID):
                raise NotADatabase(path=str(path))
            if version > SCHEMA_VERSION:
                raise DatabaseTooNew(found=version, known=SCHEMA_VERSION)
            if quick_check_result is None:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
            else:
                result = quick_check_result()
            if result != "ok":
                raise DatabaseCorrupt(detail=result)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise map_sqlite_error(exc, path) from exc
    return app_id, version


def open_database(path: Path | str, *, create: bool = False,
                  quick_check_result: Callable[[], str] | None = None) -> sqlite_utils.Database:
    """Open (or create) a station database, checked and migrated.

    A database newer than this program, a damaged file or a file that is not
    ours is refused before anything is written to it.  ``quick_check_result``:
    see :func:`inspect_file`.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise FileNotFoundError(str(path))
    if exists:
        app_id, version = inspect_file(path, quick_check_result=quick_check_result)
        if version > 0 and app_id != APPLICATION_ID:
            raise NotADatabase(path=str(path))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite_errors(path):
        conn = _connect(path)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            # deleted or overwritten personal data is zeroed, not just unlinked
            # (retention purge, docs/privacy.md); costs little on a station's file
            conn.execute("PRAGMA secure_delete = ON")
            # execute_plugins=False: no third-party sqlite-utils plugin may change our
            # connection, and start-up does not pay for scanning every installed
            # package's entry points (~20 ms)
            db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
            migrate(db)
        except BaseException:
            conn.close()
            raise
    return db


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the missing migrations, each in its own transaction."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseTooNew(found=version, known=SCHEMA_VERSION)
    for number in range(version, SCHEMA_VERSION):
        step = MIGRATIONS[number]
        with db.atomic():
            # executescript would commit; run the statements one by one
            for statement in _split_sql(step()):
                db.execute(statement)
            after = getattr(step, "after", None)  # a step's part done in Python
            if after is not None:
                after(db)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {number + 1}")
    return SCHEMA_VERSION


def _split_sql(script: str) -> list[str]:
    """Split a script into complete statements (triggers contain ';')."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def close(db: sqlite_utils.Database) -> None:
    with contextlib.suppress(sqlite3.Error):
        db.conn.close()
