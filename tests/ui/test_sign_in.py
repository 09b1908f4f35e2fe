"""The sign-in dialog, the first administrator and the sign-in step at start-up."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from station_desk.domain.accounts import SignInFailed
from station_desk.i18n import _
from station_desk.services import accounts
from station_desk.ui.dialogs.first_start import FirstAdminDialog
from station_desk.ui.dialogs.sign_in import SignInDialog
from tests.ui.account_helpers import PASSWORD, make_people
from tests.ui.shell_helpers import chinese_afterwards  # noqa: F401  (fixture)


@pytest.fixture
def people(session):
    make_people(session)
    accounts.sign_out(session)
    return session


def _try(qtbot, dialog, login, password):
    dialog.login.setText(login)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_wrong_password_and_unknown_login_say_the_same(qtbot, people):
    dialog = SignInDialog(people)
    qtbot.addWidget(dialog)
    dialog.show()
    _try(qtbot, dialog, "clerk", "not-the-password")
    wrong = dialog.message.text()
    assert dialog.message.isVisible() and wrong == SignInFailed().message(_)
    assert dialog.password.text() == "" and not dialog.result()
    _try(qtbot, dialog, "no-such-person", "not-the-password")
    assert dialog.message.text() == wrong
    assert people.role == ""  # nobody signed in


def test_locked_account_says_until_when(qtbot, people):
    dialog = SignInDialog(people)
    qtbot.addWidget(dialog)
    dialog.show()
    for _i in range(5):
        _try(qtbot, dialog, "clerk", "not-the-password")
    text = dialog.message.text()
    assert "10:45" in text  # 10:30 + 15 minutes, the station's local time
    _try(qtbot, dialog, "clerk", PASSWORD)  # the right password does not help
    assert "10:45" in dialog.message.text() and not dialog.result()
    _try(qtbot, dialog, "head", PASSWORD)  # another person is not locked out
    assert dialog.result() and people.role == "head"


def test_sign_in_succeeds(qtbot, people):
    dialog = SignInDialog(people, login="clerk")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.login.text() == "clerk" and not dialog.hint.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() and (people.role, people.actor) == ("clerk", "clerk")
    assert people.display_name == "金美兰"


def test_the_demo_names_its_accounts(qtbot, session):
    from station_desk.services.demo import DEMO_PASSWORD

    accounts.make_demo_accounts(session, password=DEMO_PASSWORD)
    dialog = SignInDialog(session, login="clerk")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.hint.isVisible() and DEMO_PASSWORD in dialog.hint.text()


def _fill_admin(qtbot, dialog, password, again=None):
    w = dialog.fields.widgets
    w["display_name"].setText("王建国")
    qtbot.keyClicks(w["password"], password)
    qtbot.keyClicks(w["password_again"], again if again is not None else password)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_first_run_creates_the_administrator(qtbot, session):
    dialog = FirstAdminDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill_admin(qtbot, dialog, "12345678")  # a common password
    assert dialog.fields.errors["password"].isVisible() and not accounts.has_accounts(session)
    dialog.fields.widgets["password"].clear()
    dialog.fields.widgets["password_again"].clear()
    _fill_admin(qtbot, dialog, "Tumen-river-7", "Tumen-river-8")
    assert dialog.fields.errors["password_again"].isVisible()
    dialog.fields.widgets["password"].clear()
    dialog.fields.widgets["password_again"].clear()
    _fill_admin(qtbot, dialog, "Tumen-river-7")
    assert dialog.result() and accounts.has_accounts(session)
    assert (session.role, session.actor) == ("admin", "admin")


@pytest.mark.sign_in_at_start
def test_start_up_asks_for_the_sign_in(qtbot, session, monkeypatch):
    from station_desk.ui import app as app_module

    make_people(session)
    path = session.path
    session.close()
    seen = []

    def exec_(dialog):
        seen.append(dialog.windowTitle())
        dialog.login.setText("auditor")
        dialog.password.setText(PASSWORD)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SignInDialog, "exec", exec_)
    started = app_module.start(db=path)
    try:
        assert seen == [_("Sign in")]
        window = started.window
        assert window.session.role == "auditor"
        assert window.has_screen("cases") and not window.has_screen("accounts")
    finally:
        started.window.close_now()
        started.release()


@pytest.mark.sign_in_at_start
def test_start_up_stops_when_the_sign_in_is_cancelled(qtbot, session, monkeypatch):
    from station_desk.ui import app as app_module

    make_people(session)
    path = session.path
    session.close()
    monkeypatch.setattr(SignInDialog, "exec", lambda dialog: 0)
    started = app_module.start(db=path)
    assert started.window is None and started.code == 0
    started.release()
