"""Start-up: first start, demo, single instance, stale locks, refused databases."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QMessageBox

from station_desk import i18n, paths
from station_desk.domain.errors import DatabaseTooNew, NotADatabase
from station_desk.i18n import _
from station_desk.services import backup as backup_service
from station_desk.services import station as station_service
from station_desk.services.session import open_session
from station_desk.ui import app as app_module
from station_desk.ui import language, prefs
from station_desk.ui.dialogs.first_start import FirstStartDialog
from station_desk.ui.widgets.errors import INVALID_STYLE, message_of
from tests.ui.shell_helpers import chinese_afterwards, close_window  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
PROFILE = {"name_zh": "和龙市南坪镇人大代表联络站", "name_ko": "화룡시 남평진 인대대표련락소",
           "code": "222406-03", "county": "和龙市"}


@pytest.fixture
def messages(monkeypatch):
    """What start-up told the user with QMessageBox.critical."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *a: seen.append((title, text)))
    return seen


def fingerprint(path: Path) -> tuple[str, float, list[str]]:
    return (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime,
            sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(".lock")))


def finish(qtbot, started) -> None:
    if started.window is not None:
        close_window(qtbot, started.window)
    started.release()


def fill(dialog: FirstStartDialog, data: dict) -> None:
    for name, value in data.items():
        dialog.fields.widgets[name].setText(value)


# -- first start -------------------------------------------------------------------

def test_first_start_dialog_marks_missing_fields_then_creates(qtbot, tmp_path):
    path = tmp_path / "new" / "station.sqlite3"
    dialog = FirstStartDialog(path)
    qtbot.addWidget(dialog)
    fill(dialog, {"name_ko": "화룡시 남평진 인대대표련락소", "code": "2"})
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    for field in ("name_zh", "code", "county"):
        assert dialog.fields.widgets[field].styleSheet() == INVALID_STYLE, field
    assert dialog.fields.errors["name_zh"].text() == _("This field is required.")
    assert dialog.fields.widgets["name_ko"].styleSheet() == ""
    assert dialog.session is None and not path.exists()

    fill(dialog, PROFILE)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    assert path.exists()
    profile = station_service.profile(dialog.session)
    assert {k: profile[k] for k in PROFILE} == PROFILE
    dialog.session.close()


def test_start_on_a_fresh_machine_asks_for_the_station(qtbot, monkeypatch, messages):
    def exec_(dialog):
        fill(dialog, PROFILE)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(FirstStartDialog, "exec", exec_)
    assert not paths.default_db().exists()
    started = app_module.start()
    try:
        assert started.code == 0 and messages == []
        assert started.window.session.path == paths.default_db()
        assert started.window.station_label.text() == PROFILE["name_zh"]
    finally:
        finish(qtbot, started)


def test_first_start_cancelled_creates_nothing(qtbot, monkeypatch, messages):
    monkeypatch.setattr(FirstStartDialog, "exec", lambda dialog: 0)
    started = app_module.start()
    assert (started.window, started.code) == (None, 0)
    assert not paths.default_db().exists()
    lock = app_module.acquire_lock(paths.default_db())  # released on the way out
    assert lock is not None
    lock.unlock()


def test_demo_station_is_made_on_first_run_and_skips_the_dialog(qtbot, monkeypatch, messages):
    monkeypatch.setattr(FirstStartDialog, "exec",
                        lambda dialog: pytest.fail("no first-start dialog for the demo"))
    started = app_module.start(demo=True)
    try:
        assert started.code == 0 and messages == []
        assert started.window.session.path == paths.demo_db()
        assert started.window.station_label.text()
    finally:
        finish(qtbot, started)


# -- single instance ---------------------------------------------------------------

def test_a_second_instance_is_refused(qtbot, session, messages):
    first = app_module.acquire_lock(session.path)
    assert first is not None
    assert app_module.acquire_lock(session.path) is None
    started = app_module.start(db=session.path)
    assert (started.window, started.code) == (None, 1)
    title, text = messages[0]
    assert session.path.name in text
    assert text == _("The station database {name} is already open in another Station Desk "
                     "window. Switch to that window: only one window at a time may work on "
                     "a database.").format(name=session.path.name)
    first.unlock()
    again = app_module.acquire_lock(session.path)
    assert again is not None
    again.unlock()


CHILD = """
import sys, time
from pathlib import Path
from station_desk.ui.app import acquire_lock
lock = acquire_lock(Path(sys.argv[1]))
print("locked" if lock is not None else "refused", flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_lock_left_by_a_killed_process_is_recovered(tmp_path):
    db = tmp_path / "station.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        assert app_module.acquire_lock(db) is None  # alive: refused
        old = time.time() - 3 * 24 * 3600
        os.utime(app_module.lock_path(db), (old, old))
        assert app_module.acquire_lock(db) is None  # an old lock of a live process holds
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert app_module.lock_path(db).exists()  # the crash left it behind
    lock = app_module.acquire_lock(db)
    assert lock is not None
    lock.unlock()


# -- databases that are refused ----------------------------------------------------

def test_a_database_from_a_newer_program_is_refused_and_left_alone(qtbot, session, messages):
    path = session.path
    session.close()
    conn = sqlite3.connect(path)
    known = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA user_version = {known + 5}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = fingerprint(path)
    started = app_module.start(db=path)
    assert (started.window, started.code) == (None, 1)
    assert messages == [(_("Cannot open the station database"),
                         message_of(DatabaseTooNew(found=known + 5, known=known)))]
    assert fingerprint(path) == before
    assert app_module.acquire_lock(path) is not None  # the lock was given back


def test_a_file_that_is_not_a_database_is_refused(qtbot, tmp_path, messages):
    path = tmp_path / "notes.sqlite3"
    path.write_text("meeting notes, not a database\n", encoding="utf-8")
    before = fingerprint(path)
    started = app_module.start(db=path)
    assert started.code == 1
    assert messages[0][1] == message_of(NotADatabase(path=str(path)))
    assert fingerprint(path) == before


def damage(path: Path) -> None:
    """Overwrite every page but the first: the header stays, quick_check fails."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for i in range(page, len(data)):
        data[i] = 0x5A
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged_with_backup(session):
    station_service.add_staff(session, data={"name": "崔正浩", "role": "worker"})
    backup_service.backup_now(session.path, reason="manual")
    path = session.path
    session.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    damage(path)
    return path


def test_a_damaged_database_names_the_backup_folder(qtbot, monkeypatch, damaged_with_backup):
    shown = []

    def exec_(box):
        shown.append((box.text(), box.informativeText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    before = fingerprint(damaged_with_backup)
    started = app_module.start(db=damaged_with_backup)
    assert started.code == 1
    text, more = shown[0]
    assert str(paths.backup_dir(damaged_with_backup)) in more
    assert fingerprint(damaged_with_backup) == before


def test_a_damaged_database_can_be_replaced_by_a_backup(qtbot, monkeypatch,
                                                         damaged_with_backup, messages):
    def exec_(box):
        restore = [b for b in box.buttons()
                   if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0]
        restore.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda parent, title, label, items, *a: (items[0], True))
    started = app_module.start(db=damaged_with_backup)
    try:
        assert started.code == 0 and messages == []
        staff = station_service.staff(started.window.session)
        assert [p["name"] for p in staff] == ["崔正浩"]
        kinds = {b.kind.value for b in backup_service.list_backups(damaged_with_backup)}
        assert "damaged" in kinds  # the broken file is kept aside, not thrown away
    finally:
        finish(qtbot, started)


# -- language and font -------------------------------------------------------------

def test_language_comes_from_the_command_line_then_the_saved_choice():
    assert app_module.startup_language(None) == "zh_CN"
    prefs.save_language("ko")
    assert app_module.startup_language(None) == "ko"
    assert app_module.startup_language("en") == "en"
    app_module.setup(QApplication.instance(), None)
    assert i18n.current_language() == "ko"
    assert language.qt_translator() is not None
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "취소"


def test_qt_ships_its_catalogs_for_chinese_and_korean():
    folder = language.qt_translations_dir()
    assert (folder / "qtbase_zh_CN.qm").is_file()
    assert (folder / "qtbase_ko.qm").is_file()


def test_the_bundled_font_becomes_the_application_font(qtbot):
    app = QApplication.instance()
    assert app_module.register_font(app) == app_module.FONT_FAMILY
    assert app.font().family() == app_module.FONT_FAMILY


def test_a_missing_font_does_not_stop_the_start(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    assert app_module.register_font(QApplication.instance()) is None


def test_run_returns_when_the_window_closes_and_frees_the_lock(qtbot, session):
    from PySide6.QtCore import QTimer

    from station_desk.ui.main_window import MainWindow

    opened = []

    def close_it():  # no assert here: run() shows unexpected errors in a message box
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        opened.extend(windows)
        for w in windows:
            w.close()
        if not windows:
            QApplication.quit()

    session.close()
    QTimer.singleShot(300, close_it)
    assert app_module.run(db=session.path, lang="en") == 0
    assert len(opened) == 1
    assert i18n.current_language() == "en"
    lock = app_module.acquire_lock(session.path)
    assert lock is not None
    lock.unlock()
