"""What each role is offered in the window, and that the service refuses the rest
(the screens only avoid offering it)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from station_desk.domain.accounts import NotPermitted
from station_desk.services import accounts, cases
from station_desk.ui.permissions import not_permitted
from tests.ui.account_helpers import PASSWORD, sign_in_as
from tests.ui.shell_helpers import chinese_afterwards, close_window  # noqa: F401
from tests.ui.test_cases_screen import _register


def _window(qtbot, session, role):
    from station_desk.ui.main_window import MainWindow

    sign_in_as(session, role)
    w = MainWindow(session, auto_backup=False)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def as_role(qtbot, session):
    made = []

    def make(role):
        made.append(_window(qtbot, session, role))
        return made[-1]
    yield make
    for w in made:
        close_window(qtbot, w)
        w.deleteLater()


def keys(window) -> list[str]:
    """The navigation's screens (without building them all)."""
    return [cls.key for cls in window.allowed_screens(window.session)]


def test_a_clerk_has_no_accounts_and_no_audit_screen(as_role):
    w = as_role("clerk")
    assert "accounts" not in keys(w) and "audit" not in keys(w)
    assert {"home", "registry", "cases", "reception"} <= set(keys(w))
    assert w.nav.count() == len(keys(w)) and not w.has_screen("accounts")
    w.show_screen("accounts")  # a shortcut to it goes nowhere
    assert w.current_screen().key != "accounts"


def test_the_administrator_sees_no_records(as_role):
    w = as_role("admin")
    assert "accounts" in keys(w) and "settings" in keys(w)
    assert not {"home", "registry", "cases", "practical", "activities", "reception"} & set(keys(w))
    settings = w.screen("settings")
    assert not not_permitted(settings.restore_button)


def test_the_station_head_has_no_accounts_screen_and_may_not_restore(as_role):
    w = as_role("head")
    assert "accounts" not in keys(w) and "cases" in keys(w)
    settings = w.screen("settings")
    assert not_permitted(settings.restore_button) and not settings.restore_button.isVisible()
    assert not not_permitted(settings.backup_button)


def test_an_auditor_reads_a_case_but_cannot_change_it(as_role, session):
    case_id = _register(session, "村里的路灯坏了三个月")
    w = as_role("auditor")
    screen = w.screen("cases")
    w.show_screen("cases")
    screen.select_row(0)
    assert "路灯" in screen.detail.text()  # the record is there to read
    for button in (screen.register_button, screen.detail.step_button,
                   screen.detail.more_button):
        assert not_permitted(button) and not button.isVisible() and not button.isEnabled()
    screen.detail.step_button.setEnabled(True)  # the screen's own logic cannot bring it back
    screen.detail.step_button.show()
    assert not screen.detail.step_button.isVisible() and not screen.detail.step_button.isEnabled()
    # and the service refuses even when asked directly
    with pytest.raises(NotPermitted):
        cases.sort_case(session, case_id=case_id)
    assert cases.case(session, case_id)["row"]["state"] == "registered"
    registry = w.screen("registry")
    assert not registry.add_button.isVisible() and not_permitted(registry.add_button)
    assert not w.backup_action.isEnabled()


def test_a_clerk_may_register(as_role):
    w = as_role("clerk")
    screen = w.screen("cases")
    w.show_screen("cases")
    assert screen.register_button.isVisible() and not not_permitted(screen.register_button)


def test_accounts_screen_creates_and_unlocks(as_role, session, qtbot, monkeypatch):
    w = as_role("admin")
    screen = w.screen("accounts")
    w.show_screen("accounts")
    assert [r["login"] for r in screen._rows] == ["admin", "auditor", "clerk", "head"]

    from station_desk.ui.dialogs import accounts as dialogs
    made = []

    def exec_(dialog):
        f = dialog.fields.widgets
        f["login"].setText("lihy")
        f["display_name"].setText("李海燕")
        dialog.role.setCurrentIndex(dialog.role.findData("clerk"))
        f["password"].setText("Haiyan-2026")
        f["password_again"].setText("Haiyan-2026")
        dialog.accept()
        made.append(dialog.result())
        return dialog.result()
    monkeypatch.setattr(dialogs.NewAccountDialog, "exec", exec_)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    assert made == [1] and "lihy" in [r["login"] for r in screen._rows]

    # lock the clerk's account with five wrong passwords, then unlock it here
    admin_state = (session.account_id, session.role, session.actor)
    for _i in range(5):
        with pytest.raises(Exception):
            accounts.sign_in(session, login="clerk", password="wrong-password")
    (session.account_id, session.role, session.actor) = admin_state
    screen.refresh()
    screen.select_login("clerk")
    assert screen.unlock_button.isEnabled()
    assert "10:45" in screen.table.item(screen.table.currentRow(), 3).text()
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not screen.selected()["locked"]
    accounts.sign_in(session, login="clerk", password=PASSWORD)
    assert session.role == "clerk"


def test_a_clerk_reads_the_station_but_cannot_change_its_notice_board(as_role):
    w = as_role("clerk")
    station = w.screen("station")
    wall = station.wall_box
    assert not_permitted(station.save_button)
    for button in (wall.add_rule_button, wall.edit_rule_button, wall.delete_rule_button,
                   wall.up_button, wall.down_button, wall.set_photo_button,
                   wall.remove_photo_button):
        assert not_permitted(button) and not button.isVisible()
    head = as_role("head").screen("station").wall_box
    assert not not_permitted(head.add_rule_button) and head.add_rule_button.isEnabled()
