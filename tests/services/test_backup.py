"""The backup use-cases the window calls: after changes, on exit, and from Settings."""
from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest

from station_desk import paths
from station_desk.domain.backups import BackupKind
from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.errors import BackupDamaged, DatabaseLocked
from station_desk.services import backup, registry
from station_desk.services.session import open_session
from tests.conftest import NOW, deputy_data, mandate_data


def audit_rows(db_path, action):
    s = open_session(db_path)
    try:
        return list(s.db.query("SELECT * FROM audit WHERE action = ? ORDER BY seq", [action]))
    finally:
        s.close()


def test_backup_change_restore_brings_the_old_state_back(session):
    did = registry.create_deputy(session, data=deputy_data(),
                                 mandates=[mandate_data()]).created_id
    info = backup.backup_now(session.path, reason="manual", actor="tester",
                             clock=lambda: NOW - timedelta(hours=2))
    assert info.path.parent == paths.backup_dir(session.path)
    # later changes: an edit, a termination and a new deputy
    registry.update_deputy(session, deputy_id=did, data=deputy_data(post="镇长"))
    mid = registry.deputy(session, did)["mandates"][0]["id"]
    registry.record_mandate_event(session, mandate_id=mid, kind="terminated", on="2025-04-01",
                                  ground="moved_out", doc_no="智人主〔2025〕3号")
    registry.create_deputy(session, data=deputy_data(name="李春花", phone="13943300001"),
                           mandates=[mandate_data()])
    session.close()

    result = backup.restore(session.path, info.path, actor="tester", clock=lambda: NOW)
    assert result.restored.path == info.path and result.restored.kind is BackupKind.REGULAR
    assert result.safety is not None and result.safety.kind is BackupKind.SAFETY

    s = open_session(session.path)
    try:
        assert registry.count(s, DeputyFilter()) == 1
        d = registry.deputy(s, did)
        assert d["post"] == "村党支部书记" and d["status"] == "active"
        restore_rows = list(s.db.query("SELECT * FROM audit WHERE action = 'restore'"))
    finally:
        s.close()
    assert len(restore_rows) == 1 and restore_rows[0]["actor"] == "tester"
    assert json.loads(restore_rows[0]["after"])["from"] == info.path.name
    # the state before the restore is one more restore away
    s2 = backup.restore(session.path, result.safety.path, actor="tester", clock=lambda: NOW)
    assert s2.safety is not None
    s = open_session(session.path)
    try:
        assert registry.count(s, DeputyFilter()) == 2
    finally:
        s.close()


def test_backup_is_audited_in_the_live_database(session):
    info = backup.backup_now(session.path, reason="exit", actor="tester", clock=lambda: NOW)
    rows = list(session.db.query("SELECT * FROM audit WHERE action = 'backup'"))
    assert len(rows) == 1 and rows[0]["actor"] == "tester"
    after = json.loads(rows[0]["after"])
    assert after["file"] == info.path.name and after["reason"] == "exit"


def test_list_and_last_backup(session):
    assert backup.list_backups(session.path) == [] and backup.last_backup(session.path) is None
    a = backup.backup_now(session.path, reason="auto", clock=lambda: NOW - timedelta(days=1))
    b = backup.backup_now(session.path, reason="auto", clock=lambda: NOW)
    listed = backup.list_backups(session.path)
    assert [x.path for x in listed] == [b.path, a.path]
    assert all(x.verified and x.size > 0 for x in listed)
    assert backup.last_backup(session.path) == b
    assert backup.last_backup(session.path).created_at == NOW
    # a copy that is later damaged is no longer offered as the last good one
    with b.path.open("r+b") as f:
        f.truncate(4096)
    assert backup.last_backup(session.path).path == a.path


def test_backup_now_on_a_worker_thread_while_the_window_keeps_its_connection(session):
    registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()])
    out = {}

    def worker():
        try:
            out["info"] = backup.backup_now(session.path, reason="auto", clock=lambda: NOW)
        except BaseException as exc:
            out["error"] = exc

    t = threading.Thread(target=worker)
    t.start()
    # the window goes on working meanwhile
    registry.create_deputy(session, data=deputy_data(name="李春花", phone="13943300001"),
                           mandates=[mandate_data()])
    t.join(30)
    assert not t.is_alive() and "error" not in out, out.get("error")
    assert out["info"].verified
    assert registry.count(session, DeputyFilter()) == 2


def test_backups_over_forty_days_are_rotated(session):
    """Two backups a day for 40 days through the service: the folder holds what the
    12/10/9 rule keeps, and the newest is always there."""
    start = NOW - timedelta(days=39)
    made = []
    for day in range(40):
        for hour in (0, 6):
            at = start + timedelta(days=day, hours=hour)
            made.append(backup.backup_now(session.path, reason="auto", clock=lambda at=at: at))
    left = backup.list_backups(session.path)
    assert left[0] == made[-1]
    days = sorted({b.created_at.date() for b in left})
    assert len(left) == len(days)  # one per kept day
    assert days[-12:] == sorted({(NOW - timedelta(days=i)).astimezone().date()
                                 for i in range(12)})
    assert 12 < len(left) <= 12 + 10 + 9
    assert len(audit_rows(session.path, "backup")) == 80


def test_restore_needs_the_window_to_close_the_database(session):
    info = backup.backup_now(session.path, reason="manual", clock=lambda: NOW)
    with pytest.raises(DatabaseLocked):
        backup.restore(session.path, info.path, clock=lambda: NOW)
    assert registry.count(session, DeputyFilter()) == 0  # still usable


def test_restore_of_a_damaged_backup_is_refused(session):
    for i in range(20):
        registry.create_deputy(session, data=deputy_data(name=f"代表{i}", phone=f"139433{i:05d}"),
                               mandates=[mandate_data()])
    info = backup.backup_now(session.path, reason="manual", clock=lambda: NOW)
    session.close()
    data = bytearray(info.path.read_bytes())
    data[4096 * 3:4096 * 5] = b"\xa5" * 8192
    info.path.write_bytes(bytes(data))
    trail = ('INSERT INTO "audit"', 'INSERT INTO "audit_head"', 'INSERT INTO "sqlite_sequence"')

    def data_of(s):
        return [line for line in s.db.conn.iterdump() if not line.startswith(trail)]

    s = open_session(session.path)
    before = data_of(s)
    s.close()
    with pytest.raises(BackupDamaged) as e:
        backup.restore(session.path, info.path, clock=lambda: NOW)
    assert info.path.name in str(e.value)
    s = open_session(session.path)
    try:  # the same database, with the refused attempt in its audit trail (issue 8)
        assert data_of(s) == before
        last = s.db.execute("SELECT action, result FROM audit ORDER BY seq DESC").fetchone()
        assert tuple(last) == ("restore", "failed")
    finally:
        s.close()
