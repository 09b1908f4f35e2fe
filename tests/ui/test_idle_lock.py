"""The idle lock: it covers the window after the configured idle time, above an open
form that keeps what was typed; unlocking; switching user."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from station_desk.services import accounts
from station_desk.ui import lock as idle_lock
from station_desk.ui.dialogs.accounts import ChangePasswordDialog
from tests.ui.account_helpers import PASSWORD, sign_in_as
from tests.ui.shell_helpers import chinese_afterwards, close_window, window  # noqa: F401


@pytest.fixture
def clerk_window(qtbot, session):
    from station_desk.ui.main_window import MainWindow

    sign_in_as(session, "clerk")
    w = MainWindow(session, auto_backup=False)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if w.lock_screen is not None:
        w.lock_screen.hide()
    for d in idle_lock.open_dialogs():
        d.reject()
    close_window(qtbot, w)
    w.deleteLater()


def _half_filled_form(qtbot, window):
    form = ChangePasswordDialog(window.session, window)
    form.open()  # modal over the window, as a form is
    qtbot.waitExposed(form)
    qtbot.keyClicks(form.fields.widgets["old_password"], "half")
    form.fields.widgets["password"].setText("typed but not saved")
    return form


def test_interval_comes_from_the_setting(qtbot, session):
    from station_desk.ui.main_window import MainWindow

    sign_in_as(session, "admin")
    accounts.set_idle_minutes(session, minutes=7)
    w = MainWindow(session, auto_backup=False)
    qtbot.addWidget(w)
    assert w.idle.timer.interval() == 7 * 60_000 and w.idle.timer.isActive()
    w.close_now()


def test_no_idle_lock_for_the_systems_own_session(qtbot, window):
    assert not window.idle.timer.isActive() and not window.lock_action.isEnabled()


def test_lock_after_idle_keeps_the_open_form(qtbot, clerk_window):
    w = clerk_window
    form = _half_filled_form(qtbot, w)
    w.idle.set_interval_ms(300)
    w.idle.start()
    qtbot.waitUntil(w.is_locked, timeout=5000)
    lock = w.lock_screen
    assert lock.windowModality() == Qt.WindowModality.ApplicationModal
    assert QApplication.activeModalWidget() is lock  # above the open form
    assert form.isVisible() and "金美兰" in lock.who.text()

    qtbot.keyClicks(lock.password, "wrong-password")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert w.is_locked() and lock.message.isVisible()
    qtbot.keyClicks(lock.password, PASSWORD)
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert not w.is_locked()
    assert form.isVisible()
    assert form.fields.widgets["old_password"].text() == "half"
    assert form.fields.widgets["password"].text() == "typed but not saved"
    assert w.idle.timer.isActive()  # counting again
    assert w.session.role == "clerk"


def test_input_keeps_the_window_open(qtbot, clerk_window):
    w = clerk_window
    w.idle.set_interval_ms(400)
    w.idle.start()
    for _i in range(6):
        qtbot.wait(150)
        qtbot.keyClick(w.nav, Qt.Key.Key_Down)
    assert not w.is_locked()
    qtbot.waitUntil(w.is_locked, timeout=5000)


def test_five_wrong_passwords_on_the_lock_lock_the_account(qtbot, clerk_window):
    w = clerk_window
    w.lock()
    for _i in range(5):
        w.lock_screen.password.setText("wrong-password")
        w.lock_screen.submit()
    assert "10:45" in w.lock_screen.message.text() and w.is_locked()


def test_switch_user_asks_then_closes_forms_and_rebuilds_the_screens(qtbot, clerk_window,
                                                                    monkeypatch):
    w = clerk_window
    asked = []
    monkeypatch.setattr(idle_lock, "confirm_closing",
                        lambda parent, dialogs: asked.append(len(dialogs)) or True)
    form = _half_filled_form(qtbot, w)
    assert not w.has_screen("accounts")
    w.switch_action.trigger()
    lock = w.lock_screen
    assert w.is_locked() and lock.switching and lock.login.isVisible()
    lock.login.setText("admin")
    lock.password.setText(PASSWORD)
    lock.submit()
    assert asked == [1]
    assert not w.is_locked() and not form.isVisible()
    assert (w.session.role, w.session.actor) == ("admin", "admin")
    assert w.has_screen("accounts") and not w.has_screen("cases")
    assert w.keeper.actor == "admin"


def test_switch_user_cancelled_keeps_the_form(qtbot, clerk_window, monkeypatch):
    w = clerk_window
    monkeypatch.setattr(idle_lock, "confirm_closing", lambda parent, dialogs: False)
    form = _half_filled_form(qtbot, w)
    w.lock()
    w.lock_screen.set_switching(True)
    w.lock_screen.login.setText("head")
    w.lock_screen.password.setText(PASSWORD)
    w.lock_screen.submit()
    assert form.isVisible() and w.session.role == "clerk" and w.is_locked()
    w.lock_screen.set_switching(False)
    w.lock_screen.password.setText(PASSWORD)
    w.lock_screen.submit()
    assert not w.is_locked() and form.fields.widgets["old_password"].text() == "half"
