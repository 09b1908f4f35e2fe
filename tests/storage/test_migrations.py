import sqlite3

import pytest

from station_desk.domain.errors import DatabaseCorrupt, DatabaseTooNew, NotADatabase
from station_desk.storage import db as storage_db
from station_desk.storage.migrations import SCHEMA_VERSION


def test_new_database_is_migrated_with_pragmas(tmp_path):
    db = storage_db.open_database(tmp_path / "s.sqlite3", create=True)
    assert storage_db.schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA application_id").fetchone()[0] == storage_db.APPLICATION_ID


def test_newer_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    storage_db.close(storage_db.open_database(path, create=True))
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as e:
        storage_db.open_database(path)
    assert e.value.params == {"found": SCHEMA_VERSION + 1, "known": SCHEMA_VERSION}
    assert path.read_bytes() == before


def test_not_a_database(tmp_path):
    p = tmp_path / "roster.sqlite3"
    p.write_bytes(b"PK\x03\x04 this is a zip file, not a database" * 10)
    with pytest.raises(NotADatabase):
        storage_db.open_database(p)


def test_foreign_sqlite_file_is_refused(tmp_path):
    p = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE x(a)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with pytest.raises(NotADatabase):
        storage_db.open_database(p)


def test_corrupt_database_is_refused(tmp_path):
    path = tmp_path / "s.sqlite3"
    db = storage_db.open_database(path, create=True)
    db.execute("INSERT INTO meta VALUES ('k', ?)", ["x" * 50000])
    storage_db.close(db)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    for i in range(4096 + 100, 4096 * 3, 7):  # scribble over the b-tree pages
        data[i] = 0xA5
    path.write_bytes(bytes(data))
    with pytest.raises((DatabaseCorrupt, NotADatabase)):
        storage_db.open_database(path)


def test_missing_file_without_create(tmp_path):
    with pytest.raises(FileNotFoundError):
        storage_db.open_database(tmp_path / "nope.sqlite3")
