"""The administrator's account forms: a new account, a new password."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import ROLE_LABELS, Role
from station_desk.domain.errors import FieldError, ValidationError
from station_desk.i18n import N_, _
from station_desk.services import accounts
from station_desk.ui.widgets.errors import attempt
from station_desk.ui.widgets.fields import FormFields


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _PasswordForm(QDialog):
    """A form whose last two rows are a password typed twice."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        self.add_fields()
        self.fields.add("password", _password_edit(), N_("Password"))
        self.fields.add("password_again", _password_edit(), N_("Password again"))
        self.fields.add_fallback()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def add_fields(self) -> None:
        """Rows before the password."""

    def password(self) -> str | None:
        first = self.fields.widgets["password"].text()
        if first != self.fields.widgets["password_again"].text():
            self.fields.marks.show(ValidationError([FieldError(
                "password_again", N_("The two passwords differ."))]))
            return None
        return first

    def retranslate(self) -> None:
        self.fields.retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))


class NewAccountDialog(_PasswordForm):
    """Create an account with its first password (the person may change it later)."""

    def add_fields(self) -> None:
        self.fields.add("login", QLineEdit(), N_("Login name"))
        self.fields.add("display_name", QLineEdit(), N_("Name"))
        self.role = QComboBox()
        for role in (Role.CLERK, Role.HEAD, Role.AUDITOR, Role.ADMIN):
            self.role.addItem("", role.value)
        self.fields.add("role", self.role, N_("User role"))

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("new_account_dialog")
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("New account"))
        self.intro.setText(_("Each person who uses Station Desk gets an account of their own. "
                             "Tell them their first password in person; they can change it "
                             "with Change password… in the File menu."))
        for i in range(self.role.count()):
            self.role.setItemText(i, _(ROLE_LABELS[Role(self.role.itemData(i))]))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create account"))

    def accept(self) -> None:
        password = self.password()
        if password is None:
            return
        v = self.fields.values()
        if attempt(self, lambda: accounts.create_account(
                self.session, login=v["login"], display_name=v["display_name"],
                role=self.role.currentData(), password=password), self.fields.marks) is None:
            return
        self.changes = True
        super().accept()


class ResetPasswordDialog(_PasswordForm):
    """An administrator gives someone a new password; a lock on the account ends."""

    def __init__(self, session, account: dict, parent: QWidget | None = None) -> None:
        self.account = account
        super().__init__(session, parent)
        self.setObjectName("reset_password_dialog")
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Reset password"))
        self.intro.setText(_("A new password for {name} ({login}). Tell it to them in person."
                             ).format(name=self.account["display_name"],
                                      login=self.account["login"]))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Set password"))

    def accept(self) -> None:
        password = self.password()
        if password is None:
            return
        if attempt(self, lambda: accounts.reset_password(
                self.session, account_id=self.account["id"], password=password),
                self.fields.marks) is None:
            return
        super().accept()


class ChangePasswordDialog(_PasswordForm):
    """The signed-in person changes their own password."""

    def add_fields(self) -> None:
        self.fields.add("old_password", _password_edit(), N_("Current password"))

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("change_password_dialog")
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Change password"))
        self.intro.setText(_("At least 8 characters, not easy to guess."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Change password"))

    def accept(self) -> None:
        password = self.password()
        if password is None:
            return
        old = self.fields.widgets["old_password"].text()
        if attempt(self, lambda: accounts.change_password(
                self.session, old_password=old, new_password=password),
                self.fields.marks) is None:
            return
        super().accept()
