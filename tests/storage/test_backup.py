"""Backup files on real SQLite databases: the copy, its checks, refusals and write errors."""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import threading
from datetime import datetime, timedelta

import pytest

from station_desk.domain.backups import BackupKind
from station_desk.domain.errors import (
    BackupDamaged, BackupFailed, BackupOtherStation, DatabaseLocked, DatabaseTooNew, DiskFull,
    NotADatabase,
)
from station_desk.services import registry
from station_desk.services.session import create_station
from station_desk.storage import backup as store
from station_desk.storage.migrations import SCHEMA_VERSION
from tests.conftest import NOW, deputy_data, mandate_data


def add(session, name="金明哲", phone="13843312345"):
    return registry.create_deputy(session, data=deputy_data(name=name, phone=phone),
                                  mandates=[mandate_data()]).created_id


def names_in(path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM deputies"))
    finally:
        conn.close()


def scribble(path, start_page=2, pages=3):
    """Overwrite b-tree pages in the middle of a file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    for i in range(4096 * start_page + 100, min(len(data), 4096 * (start_page + pages)), 7):
        data[i] = 0xA5
    path.write_bytes(bytes(data))


def snapshot(db_path) -> dict:
    """Every file of a database (main file and side files) byte for byte."""
    return {p.name: p.read_bytes() for p in db_path.parent.iterdir()
            if p.name.startswith(db_path.name)}


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "data" / "backups" / "station"


def test_backup_is_a_checked_single_file_with_the_latest_commit(session, folder):
    add(session)
    add(session, "李春花", "13943300001")  # committed, still only in the -wal file
    assert session.path.with_name(session.path.name + "-wal").stat().st_size > 0
    info = store.create_backup(session.path, folder, at=NOW)
    assert info.path.name == f"station-{NOW.astimezone():%Y%m%d-%H%M%S}.sqlite3"
    assert info.kind is BackupKind.REGULAR and info.verified
    assert info.size == info.path.stat().st_size
    assert sorted(p.name for p in folder.iterdir()) == [info.path.name]  # no temp, no -wal
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert names_in(info.path) == ["李春花", "金明哲"]
    add(session, "朴英姬", "13943300002")  # the live database carries on
    assert len(names_in(session.path)) == 3


def test_two_backups_in_the_same_second_do_not_overwrite(session, folder):
    first = store.create_backup(session.path, folder, at=NOW)
    add(session)
    second = store.create_backup(session.path, folder, at=NOW)
    assert first.path != second.path and first.path.exists()
    assert names_in(second.path) == ["金明哲"] and names_in(first.path) == []


def test_backup_from_a_worker_while_the_window_is_writing(session, folder):
    """The window's connection holds an open transaction; the worker copies the last
    committed state without waiting for it."""
    add(session)
    session.db.execute("BEGIN IMMEDIATE")
    session.db.execute("UPDATE deputies SET post = 'uncommitted'")
    result = {}

    def work():
        try:
            result["info"] = store.create_backup(session.path, folder, at=NOW)
        except BaseException as exc:  # reported to the test thread
            result["error"] = exc

    t = threading.Thread(target=work)
    t.start()
    t.join(20)
    session.db.execute("ROLLBACK")
    assert not t.is_alive()
    assert "error" not in result, result.get("error")
    conn = sqlite3.connect(result["info"].path)
    assert conn.execute("SELECT post FROM deputies").fetchone()[0] == "村党支部书记"
    conn.close()


def test_listing_shows_time_size_and_verified(session, folder):
    a = store.create_backup(session.path, folder, at=NOW - timedelta(days=1))
    add(session)
    b = store.create_backup(session.path, folder, at=NOW)
    (folder / ".station-20260309-000000.sqlite3.abcd1234.tmp").write_bytes(b"half")
    (folder / "readme.txt").write_text("not a backup")
    listed = store.list_backups(folder, "station")
    assert [x.path for x in listed] == [b.path, a.path]  # newest first
    assert listed[0].created_at == NOW.replace(microsecond=0)
    assert all(x.verified and x.size > 0 for x in listed)
    # a copy cut short later (a bad USB stick, a failing disk) is no longer "verified"
    with a.path.open("r+b") as f:
        f.truncate(a.size - 4096)
    assert [x.verified for x in store.list_backups(folder, "station")] == [True, False]


def test_a_damaged_database_gives_no_backup(session, folder):
    for i in range(40):
        add(session, f"代表{i:02d}", f"139433{i:05d}")
    session.close()
    conn = sqlite3.connect(session.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    scribble(session.path, start_page=3, pages=4)
    with pytest.raises(BackupFailed):
        store.create_backup(session.path, folder, at=NOW)
    assert list(folder.iterdir()) == []


# -- write errors ----------------------------------------------------------------------

def test_backup_folder_that_cannot_be_created(session, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    with pytest.raises(DiskFull):
        store.create_backup(session.path, blocker / "station", at=NOW)
    assert blocker.read_text() == "a file where the backup folder should be"


@pytest.mark.parametrize("victim", ["replace", "fsync"])
def test_disk_full_while_finishing_leaves_no_half_file(session, folder, monkeypatch, victim):
    add(session)
    store.create_backup(session.path, folder, at=NOW - timedelta(days=1))
    before = sorted(p.name for p in folder.iterdir())

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store.os, victim, full)
    with pytest.raises(DiskFull) as e:
        store.create_backup(session.path, folder, at=NOW)
    assert "No space left" in str(e.value)
    monkeypatch.undo()
    assert sorted(p.name for p in folder.iterdir()) == before


def test_disk_full_inside_sqlite_leaves_no_half_file(session, folder, monkeypatch):
    """SQLite's own 'database or disk is full' while writing the copy."""
    for i in range(10):
        add(session, f"代表{i:02d}", f"139433{i:05d}")
    real_connect = sqlite3.connect

    def tiny_disk(path, *args, **kwargs):
        conn = real_connect(path, *args, **kwargs)
        if str(path).endswith(".tmp"):
            conn.execute("PRAGMA max_page_count = 3")
        return conn

    monkeypatch.setattr(store.sqlite3, "connect", tiny_disk)
    with pytest.raises(DiskFull):
        store.create_backup(session.path, folder, at=NOW)
    monkeypatch.undo()
    assert list(folder.iterdir()) == []


# -- restore -------------------------------------------------------------------------

def test_restore_brings_the_old_state_back_and_keeps_a_safety_copy(session, folder):
    add(session)
    old = store.create_backup(session.path, folder, at=NOW - timedelta(hours=1))
    add(session, "李春花", "13943300001")
    session.close()
    safety = store.restore_backup(session.path, old.path, folder, at=NOW)
    assert names_in(session.path) == ["金明哲"]
    assert safety.kind is BackupKind.SAFETY and safety.verified
    assert names_in(safety.path) == ["李春花", "金明哲"]
    assert old.path.exists()  # the chosen backup stays as it was
    leftovers = [p.name for p in session.path.parent.iterdir()
                 if p.name.startswith((".station", "station.sqlite3-"))]
    assert leftovers == []


def test_restore_is_refused_while_the_database_is_open(session, folder):
    add(session)
    old = store.create_backup(session.path, folder, at=NOW)
    add(session, "李春花", "13943300001")
    with pytest.raises(DatabaseLocked):
        store.restore_backup(session.path, old.path, folder, at=NOW)
    assert len(names_in(session.path)) == 2
    assert [b.kind for b in store.list_backups(folder, "station")] == [BackupKind.REGULAR]


def _newer(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _other_station(path, tmp_path):
    other = create_station(tmp_path / "other.sqlite3", profile={
        "name_zh": "和龙市某镇人大代表联络站", "code": "222406-03", "county": "和龙市"})
    other.close()
    shutil.copyfile(tmp_path / "other.sqlite3", path)


@pytest.mark.parametrize("spoil, error", [
    (lambda p, t: scribble(p), BackupDamaged),
    (lambda p, t: p.write_bytes(p.read_bytes()[:-8192]), BackupDamaged),
    (lambda p, t: p.write_bytes(b"PK\x03\x04" + b"\0" * 5000), NotADatabase),
    (lambda p, t: _newer(p), DatabaseTooNew),
    (_other_station, BackupOtherStation),
], ids=["scribbled", "truncated", "zip-file", "newer-schema", "other-station"])
def test_a_bad_backup_is_refused_and_the_live_database_is_unchanged(
        session, folder, tmp_path, spoil, error):
    for i in range(30):
        add(session, f"代表{i:02d}", f"139433{i:05d}")
    chosen = store.create_backup(session.path, folder, at=NOW - timedelta(days=1))
    add(session, "李春花", "13943300001")
    session.close()
    spoil(chosen.path, tmp_path)
    before = snapshot(session.path)
    with pytest.raises(error):
        store.restore_backup(session.path, chosen.path, folder, at=NOW)
    assert snapshot(session.path) == before
    assert [b.path for b in store.list_backups(folder, "station")] == [chosen.path]
    assert not [p for p in session.path.parent.iterdir() if p.name.startswith(".")]


def test_restore_over_a_crash_left_wal_keeps_its_commits_in_the_safety_copy(
        session, folder, tmp_path):
    """A crash leaves committed transactions in -wal.  They belong to the old database:
    the safety copy must hold them and they must never be replayed onto the restored file."""
    add(session)
    old = store.create_backup(session.path, folder, at=NOW - timedelta(hours=1))
    session.db.execute("PRAGMA wal_autocheckpoint = 0")
    add(session, "李春花", "13943300001")
    crashed = tmp_path / "crash" / "station.sqlite3"
    crashed.parent.mkdir()
    for suffix in ("", "-wal", "-shm"):  # the files as a power cut would leave them
        shutil.copyfile(f"{session.path}{suffix}", f"{crashed}{suffix}")
    session.close()
    safety = store.restore_backup(crashed, old.path, folder, at=NOW)
    assert names_in(safety.path) == ["李春花", "金明哲"]
    assert names_in(crashed) == ["金明哲"]
    assert not crashed.with_name("station.sqlite3-wal").exists()
    conn = sqlite3.connect(crashed)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_restore_over_a_damaged_database_keeps_its_bytes_aside(session, folder):
    for i in range(40):
        add(session, f"代表{i:02d}", f"139433{i:05d}")
    good = store.create_backup(session.path, folder, at=NOW - timedelta(hours=1))
    session.close()
    conn = sqlite3.connect(session.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    scribble(session.path, start_page=3, pages=4)
    damaged_bytes = session.path.read_bytes()
    safety = store.restore_backup(session.path, good.path, folder, at=NOW)
    assert safety.kind is BackupKind.DAMAGED and not safety.verified
    assert safety.path.read_bytes() == damaged_bytes
    assert len(names_in(session.path)) == 40
    # damaged copies are evidence: the rotation never removes them
    assert safety.path not in store.rotate(folder, "station")
    assert safety.path.exists()


def test_restore_when_the_live_file_is_missing(session, folder):
    add(session)
    good = store.create_backup(session.path, folder, at=NOW)
    session.close()
    session.path.unlink()
    assert store.restore_backup(session.path, good.path, folder, at=NOW) is None
    assert names_in(session.path) == ["金明哲"]


def test_disk_full_during_restore_leaves_the_live_database_unchanged(
        session, folder, monkeypatch):
    add(session)
    good = store.create_backup(session.path, folder, at=NOW - timedelta(hours=1))
    add(session, "李春花", "13943300001")
    session.close()
    before = snapshot(session.path)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store.shutil, "copyfile", full)
    with pytest.raises(DiskFull):
        store.restore_backup(session.path, good.path, folder, at=NOW)
    monkeypatch.undo()
    assert snapshot(session.path) == before
    assert not [p for p in session.path.parent.iterdir() if p.name.startswith(".")]


def test_backup_runs_on_any_thread_with_its_own_connection(session, folder):
    add(session)
    infos = []
    threads = [threading.Thread(target=lambda i=i: infos.append(
        store.create_backup(session.path, folder, at=datetime(2026, 3, 9, 12, i).astimezone())))
        for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(infos) == 3 and all(names_in(i.path) == ["金明哲"] for i in infos)
