"""The idle lock: after some minutes without keyboard or mouse input the window
is covered and asks for the password of the person signed in.

The cover is application-modal and raised above any open dialog, which stays
as it was underneath, unsaved contents included.  "Switch user" lets another
person sign in instead; dialogs still open are then closed (after asking)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
    QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import ROLE_LABELS, AccountLocked, Role, SignInFailed
from station_desk.domain.errors import DomainError
from station_desk.i18n import _
from station_desk.services import accounts
from station_desk.ui.dialogs.sign_in import ERROR_STYLE, demo_hint, failure_text
from station_desk.ui.widgets.errors import message_of

INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                          QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class IdleWatcher(QObject):
    """Emits ``idle`` once ``interval_ms`` pass without input anywhere in the program."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.idle)
        QApplication.instance().installEventFilter(self)

    def set_interval_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def remove(self) -> None:
        self.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()
        return False


def open_dialogs(exclude: tuple[QWidget, ...] = ()) -> list[QDialog]:
    """Dialogs shown now (forms, messages), other than ``exclude``."""
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and w not in exclude]


def close_dialogs(dialogs: list[QDialog]) -> None:
    """Close dialogs, the innermost (last opened) first."""
    for dialog in reversed(dialogs):
        dialog.reject()


def confirm_closing(parent: QWidget, dialogs: list[QDialog]) -> bool:
    """Ask before open dialogs are closed for another person."""
    if not dialogs:
        return True
    box = QMessageBox(QMessageBox.Icon.Warning, _("Switch user"),
                      _("{n} open window(s) will be closed, and what was typed in them "
                        "and not yet saved will be lost. Switch user?").format(n=len(dialogs)),
                      parent=parent)
    yes = box.addButton(_("Switch user"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


class LockScreen(QDialog):
    """Covers the main window until the signed-in person's password is given
    (``unlocked``) or another person signs in (``switched``)."""

    unlocked = Signal()
    switched = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Dialog)
        self.window_ = window
        self.switching = False
        self.setObjectName("lock_screen")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setStyleSheet("#lock_screen { background: #2c3e50; }"
                           "#lock_card { background: palette(window); border-radius: 8px; }")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        card = QFrame()
        card.setObjectName("lock_card")
        card.setFixedWidth(440)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        box = QVBoxLayout(card)
        box.setContentsMargins(24, 20, 24, 20)
        self.title = QLabel()
        self.title.setObjectName("lock_title")
        self.title.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.who = QLabel()
        self.who.setObjectName("lock_who")
        self.who.setWordWrap(True)
        self.login = QLineEdit()
        self.login.setObjectName("lock_login")
        self.password = QLineEdit()
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.submit)
        self.login.returnPressed.connect(self.password.setFocus)
        self.message = QLabel()
        self.message.setObjectName("lock_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        self.hint.hide()
        buttons = QHBoxLayout()
        self.switch_button = QPushButton()
        self.switch_button.setObjectName("lock_switch")
        self.switch_button.clicked.connect(self.toggle_switch)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("lock_unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        for w in (self.title, self.who, self.login, self.password, self.message, self.hint):
            box.addWidget(w)
        box.addLayout(buttons)
        self.retranslate()

    @property
    def session(self):
        """The window's session (a restore opens a new one)."""
        return self.window_.session

    def retranslate(self) -> None:
        self.title.setText(_("Switch user") if self.switching else _("Locked"))
        role = self.session.role
        role_label = _(ROLE_LABELS[Role(role)]) if role in set(Role) else ""
        if self.switching:
            self.who.setText(_("Another person signs in with their login name and password."))
        else:
            self.who.setText(_("{name} ({role}) is signed in. Enter the password to go on; "
                               "open forms are kept as they were.").format(
                name=self.session.display_name or self.session.actor, role=role_label))
        self.login.setPlaceholderText(_("Login name"))
        self.password.setPlaceholderText(_("Password"))
        self.hint.setText(demo_hint())
        self.switch_button.setText(_("Back") if self.switching else _("Switch user…"))
        self.unlock_button.setText(_("Sign in") if self.switching else _("Unlock"))

    def cover(self) -> None:
        """Show over the whole main window, above every dialog."""
        self.setGeometry(self.window_.frameGeometry())
        self.login.setVisible(self.switching)
        self.show()
        self.raise_()
        self.activateWindow()
        (self.login if self.switching else self.password).setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def toggle_switch(self) -> None:
        self.set_switching(not self.switching)

    def set_switching(self, on: bool) -> None:
        self.switching = on
        self.login.clear()
        self.password.clear()
        self.login.setVisible(on)
        self.hint.setVisible(on and accounts.is_demo(self.session))
        self.show_message("")
        self.retranslate()
        (self.login if on else self.password).setFocus()

    def submit(self) -> None:
        if self.switching:
            dialogs = open_dialogs(exclude=(self,))
            if dialogs and not confirm_closing(self, dialogs):
                return
            before = (self.session.account_id, self.session.role)
            try:
                accounts.sign_in(self.session, login=self.login.text(),
                                 password=self.password.text())
            except (SignInFailed, AccountLocked, DomainError, OSError) as exc:
                self.password.clear()
                self.show_message(failure_text(exc) if isinstance(exc, DomainError)
                                  else message_of(exc))
                return
            close_dialogs(open_dialogs(exclude=(self,)))
            self._finish()
            if (self.session.account_id, self.session.role) != before:
                self.switched.emit()
            else:
                self.unlocked.emit()
            return
        try:
            accounts.verify_current(self.session, password=self.password.text())
        except (DomainError, OSError) as exc:
            self.password.clear()
            self.show_message(failure_text(exc) if isinstance(exc, DomainError)
                              else message_of(exc))
            return
        self._finish()
        self.unlocked.emit()

    def _finish(self) -> None:
        self.password.clear()
        self.login.clear()
        self.hide()

    def reject(self) -> None:
        """Escape does not unlock."""

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        event.ignore() if self.isVisible() and not self.property("closing") else event.accept()
