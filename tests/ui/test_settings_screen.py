"""Settings: back up now, restore a backup (real files), language."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from station_desk import paths
from station_desk.domain.backups import BackupKind
from station_desk.i18n import _, current_language, format_datetime
from station_desk.services import backup as backup_service
from station_desk.services import station as station_service
from tests.ui.shell_helpers import chinese_afterwards, close_window, window  # noqa: F401


def back_up(qtbot, window):
    settings = window.screen("settings")
    with qtbot.waitSignal(window.keeper.succeeded, timeout=20000):
        qtbot.mouseClick(settings.backup_button, Qt.MouseButton.LeftButton)
    return settings


def test_back_up_now_lists_the_checked_copy(qtbot, window, session):
    window.show_screen("settings")
    settings = window.screen("settings")
    assert settings.backup_table.rowCount() == 0
    assert settings.status.text() == _("No backup yet.")
    back_up(qtbot, window)
    files = backup_service.list_backups(session.path)
    assert len(files) == 1 and files[0].path.is_file()
    assert files[0].path.parent == paths.backup_dir(session.path)
    assert settings.backup_table.rowCount() == 1
    assert settings.backup_table.item(0, 2).text() == _("Yes")
    assert settings.backup_button.isEnabled()
    assert window.backup_label.text().startswith(_("Last backup: {time}").split("{")[0])
    assert str(paths.backup_dir(session.path)) in settings.folder_label.text()


def test_restore_brings_back_the_backup_and_reopens(qtbot, window, session, monkeypatch):
    station_service.add_staff(session, data={"name": "崔正浩", "role": "worker"})
    settings = back_up(qtbot, window)
    # a later change, which the restore takes back
    station_screen = window.screen("station")
    station_screen.fields.widgets["address"].setText("智新镇政府二楼")
    station_screen.save_profile()
    station_service.add_staff(session, data={"name": "金红梅", "role": "head"})

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    told = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda parent, title, text, *a: told.append(text))
    assert not settings.restore_button.isEnabled()
    settings.backup_table.selectRow(0)
    old_session = window.session
    qtbot.mouseClick(settings.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=20000)

    assert window.session is not old_session
    new = window.session
    chosen = backup_service.list_backups(new.path)
    chosen = [b for b in chosen if b.kind is BackupKind.REGULAR][0]
    assert len(asked) == 1  # the confirmation names the backup by its time
    assert format_datetime(chosen.created_at, fmt="medium") in asked[0]
    assert [p["name"] for p in station_service.staff(new)] == ["崔正浩"]
    assert station_service.profile(new)["address"] == ""
    # the screens were rebuilt on the reopened database
    assert all(s.session is new for s in window.screens)
    assert window.screen("station").fields.widgets["address"].text() == ""
    kinds = [b.kind for b in backup_service.list_backups(new.path)]
    assert BackupKind.SAFETY in kinds  # what was replaced is kept
    assert window.screen("settings").backup_table.rowCount() == len(kinds)
    # the reopened database works
    station_service.add_staff(new, data={"name": "朴英子", "role": "worker"})


def test_restore_not_confirmed_changes_nothing(qtbot, window, session, monkeypatch):
    settings = back_up(qtbot, window)
    station_service.add_staff(session, data={"name": "金红梅", "role": "head"})
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.No)
    settings.backup_table.selectRow(0)
    qtbot.mouseClick(settings.restore_button, Qt.MouseButton.LeftButton)
    assert window.session is session
    assert [p["name"] for p in station_service.staff(session)] == ["金红梅"]
    assert len(backup_service.list_backups(session.path)) == 1


def test_language_chosen_in_settings(qtbot, window):
    settings = window.screen("settings")
    combo = settings.language_combo
    combo.setCurrentIndex(combo.findData("ko"))
    combo.activated.emit(combo.currentIndex())
    assert current_language() == "ko"
    assert window.language_actions["ko"].isChecked()
    assert window.nav.item(window.screens.index(settings)).text() == settings.title()
