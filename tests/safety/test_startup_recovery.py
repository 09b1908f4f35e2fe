"""Start-up after an unclean exit: the checks run; a damaged database is never opened
silently: the clerk is offered the newest backup that passes its check, or to quit."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from station_desk import paths
from station_desk.domain.backups import BackupKind
from station_desk.domain.deputies import DeputyFilter
from station_desk.i18n import _
from station_desk.services import backup as backup_service
from station_desk.services import registry
from station_desk.services import station as station_service
from station_desk.ui import app as app_module
from tests.conftest import NOW, deputy_data, mandate_data
from tests.ui.shell_helpers import chinese_afterwards, close_window  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def single_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def damage_pages(path: Path) -> None:
    """Overwrite every page but the first: the header stays, quick_check fails."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\x5a" * (len(data) - page)
    path.write_bytes(bytes(data))


class Boxes:
    """Answers the start-up's message boxes: records them, clicks ``answer``."""

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.seen: list[dict] = []

    def __call__(self, box: QMessageBox) -> int:
        buttons = {b.text(): b for b in box.buttons()}
        self.seen.append({"name": box.objectName(), "title": box.windowTitle(),
                          "text": box.text(), "more": box.informativeText(),
                          "buttons": list(buttons)})
        if box.objectName() == "damagedDatabase" and self.answer:
            buttons[self.answer].click()
        return 0


@pytest.fixture
def boxes(monkeypatch):
    def install(answer):
        b = Boxes(answer)
        monkeypatch.setattr(QMessageBox, "exec", lambda box: b(box))
        monkeypatch.setattr(QMessageBox, "critical",
                            lambda parent, title, text, *a: b.seen.append(
                                {"name": "critical", "title": title, "text": text}))
        return b
    return install


@pytest.fixture
def station_with_backups(session):
    """A station with an older sound backup (1 deputy) and a newer backup that was
    damaged on disk since (2 deputies); then the live file (3 deputies) is damaged."""
    registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()])
    good = backup_service.backup_now(session.path, clock=lambda: NOW - timedelta(days=2))
    registry.create_deputy(session, data=deputy_data(name="李春花", phone="13943300001"),
                           mandates=[mandate_data()])
    bad = backup_service.backup_now(session.path, clock=lambda: NOW - timedelta(days=1))
    damage_pages(bad.path)
    registry.create_deputy(session, data=deputy_data(name="崔正浩", phone="13943300002"),
                           mandates=[mandate_data()])
    path = session.path
    session.close()
    single_file(path)
    damage_pages(path)
    return path, good, bad


def test_a_damaged_database_offers_the_newest_backup_that_passes_its_check(
        qtbot, boxes, station_with_backups):
    path, good, bad = station_with_backups
    damaged = sha(path)
    answers = boxes(_("Restore this backup"))
    started = app_module.start(db=path)
    try:
        assert started.code == 0 and started.window is not None
        offer = answers.seen[0]
        assert offer["name"] == "damagedDatabase"
        assert offer["title"] == _("The station database is damaged")
        # the newer backup is damaged too: the older sound one is offered
        assert good.name in offer["more"] and bad.name not in offer["more"]
        assert str(paths.backup_dir(path)) in offer["more"]
        assert offer["buttons"] == [_("Restore this backup"), _("Quit")]
        assert answers.seen[1]["name"] == "backupRestored"
        assert registry.count(started.window.session, DeputyFilter()) == 1
        kept = [b for b in backup_service.list_backups(path) if b.kind is BackupKind.DAMAGED]
        assert len(kept) == 1 and sha(kept[0].path) == damaged  # byte for byte
        assert kept[0].name in answers.seen[1]["text"]
        rows = list(started.window.session.db.query(
            "SELECT after FROM audit WHERE action = 'restore'"))
        assert len(rows) == 1 and good.name in rows[0]["after"]
    finally:
        close_window(qtbot, started.window)
        started.release()


def test_quitting_leaves_the_damaged_file_untouched(qtbot, boxes, station_with_backups):
    path, good, _bad = station_with_backups
    before = (sha(path), sorted(p.name for p in paths.backup_dir(path).iterdir()))
    answers = boxes(_("Quit"))
    started = app_module.start(db=path)
    assert (started.window, started.code) == (None, 1)
    assert [s["name"] for s in answers.seen] == ["damagedDatabase"]
    assert (sha(path), sorted(p.name for p in paths.backup_dir(path).iterdir())) == before
    assert not Path(str(path) + "-wal").exists()


def test_without_a_sound_backup_only_quit_is_offered(qtbot, boxes, session):
    bad = backup_service.backup_now(session.path)
    damage_pages(bad.path)
    path = session.path
    session.close()
    single_file(path)
    damage_pages(path)
    before = sha(path)
    answers = boxes(None)
    started = app_module.start(db=path)
    assert (started.window, started.code) == (None, 1)
    offer = answers.seen[0]
    assert offer["buttons"] == [_("Quit")]
    assert str(paths.backup_dir(path)) in offer["more"]
    assert sha(path) == before


def test_a_file_whose_header_is_gone_is_treated_as_damaged(qtbot, boxes, session):
    station_service.add_staff(session, data={"name": "崔正浩", "role": "worker"})
    backup_service.backup_now(session.path)
    path = session.path
    session.close()
    single_file(path)
    data = bytearray(path.read_bytes())
    data[:4096] = bytes(4096)  # a power cut can leave a page of zeros
    path.write_bytes(bytes(data))
    answers = boxes(_("Restore this backup"))
    started = app_module.start(db=path)
    try:
        assert started.code == 0
        assert answers.seen[0]["name"] == "damagedDatabase"
        assert [p["name"] for p in station_service.staff(started.window.session)] == ["崔正浩"]
    finally:
        close_window(qtbot, started.window)
        started.release()


CHILD = r"""
import sys, time
from station_desk.services import registry
from station_desk.services.session import open_session
s = open_session(sys.argv[1])
for i in range(3):
    registry.create_deputy(s, data={"name": f"金明{'一二三'[i]}", "unit": "智新镇"},
                           mandates=[{"level": "township", "term": 18,
                                      "elected_on": "2021-11-20"}])
print("done", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_after_a_killed_writer_the_window_opens_with_every_commit(qtbot, boxes, session):
    path = session.path
    session.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                            env=env, cwd=ROOT)
    assert proc.stdout.readline().strip() == b"done"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert Path(str(path) + "-wal").stat().st_size > 0  # the commits are still in the WAL
    answers = boxes(None)
    started = app_module.start(db=path)
    try:
        assert started.code == 0 and answers.seen == []
        assert registry.count(started.window.session, DeputyFilter()) == 3
    finally:
        close_window(qtbot, started.window)
        started.release()
