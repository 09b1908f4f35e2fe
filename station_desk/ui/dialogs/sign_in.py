"""Signing in: before the main window opens, on the idle lock and to switch user."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import AccountLocked, SignInFailed
from station_desk.domain.errors import DomainError
from station_desk.i18n import _, current_language, format_datetime
from station_desk.services import accounts
from station_desk.services import station as station_service
from station_desk.ui.widgets.errors import message_of

ERROR_STYLE = "color: #c0392b;"


def demo_hint() -> str:
    from station_desk.services.demo import DEMO_PASSWORD

    return _("Demo station: sign in as admin, head, clerk or auditor; "
             "the password of each is {password}").format(password=DEMO_PASSWORD)


def failure_text(exc: DomainError) -> str:
    """What a failed sign-in tells: only that it failed, or until when the lock runs."""
    if isinstance(exc, AccountLocked):
        return _("This account is locked after too many failed sign-ins until {until}. "
                 "An administrator can unlock it earlier.").format(
            until=format_datetime(exc.until, fmt="short"))
    return message_of(exc)


class SignInDialog(QDialog):
    """Asks for a login and password and signs the session in; accepted on success."""

    def __init__(self, session, parent: QWidget | None = None, *, login: str = "",
                 switching: bool = False) -> None:
        super().__init__(parent)
        self.session = session
        self.switching = switching
        self.setObjectName("sign_in_dialog")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.station = QLabel()
        self.station.setObjectName("sign_in_station")
        self.station.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.station.setWordWrap(True)
        layout.addWidget(self.station)
        form = QFormLayout()
        layout.addLayout(form)
        self.login_label, self.password_label = QLabel(), QLabel()
        self.login = QLineEdit(login)
        self.login.setObjectName("login")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_label.setBuddy(self.login)
        self.password_label.setBuddy(self.password)
        form.addRow(self.login_label, self.login)
        form.addRow(self.password_label, self.password)
        self.message = QLabel()
        self.message.setObjectName("sign_in_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        layout.addWidget(self.message)
        self.hint = QLabel()
        self.hint.setObjectName("demo_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        self.hint.setVisible(accounts.is_demo(session))
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if login else self.login).setFocus(Qt.FocusReason.OtherFocusReason)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Switch user") if self.switching else _("Sign in"))
        try:
            profile = station_service.profile(self.session)
        except DomainError:
            profile = {}
        name = profile.get("name_ko") if current_language() == "ko" else None
        self.station.setText(name or profile.get("name_zh") or _("Station Desk"))
        self.login_label.setText(_("Login name"))
        self.password_label.setText(_("Password"))
        self.hint.setText(demo_hint())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            _("Cancel") if self.switching else _("Quit"))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def accept(self) -> None:
        try:
            accounts.sign_in(self.session, login=self.login.text(),
                             password=self.password.text())
        except (SignInFailed, AccountLocked) as exc:
            self.show_message(failure_text(exc))
            self.password.clear()
            self.password.setFocus()
            return
        except (DomainError, OSError) as exc:
            self.show_message(message_of(exc))
            self.password.clear()
            return
        self.password.clear()
        super().accept()
