"""First start with no database: ask for the station's name, code and county."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from station_desk.domain.errors import DomainError, FieldError, ValidationError
from station_desk.i18n import LANGUAGES, N_, _, current_language
from station_desk.services import session as session_service
from station_desk.ui import language, prefs
from station_desk.ui.widgets.errors import show_error
from station_desk.ui.widgets.fields import FormFields


EXAMPLES = {"name_zh": "龙井市智新镇人大代表联络站", "name_ko": "룡정시 지신진 인대대표련락소",
            "code": "222405-01", "county": "龙井市"}


class FirstStartDialog(QDialog):
    """Creates the station database at ``path``; ``session`` is set on success."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.session = None
        self.setMinimumWidth(480)

        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        form = QFormLayout()
        layout.addLayout(form)
        self.lang_label = QLabel()
        self.lang_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.lang_combo.addItem(name, code)
        self.lang_combo.setCurrentIndex(self.lang_combo.findData(current_language()))
        self.lang_combo.currentIndexChanged.connect(self._language_chosen)
        form.addRow(self.lang_label, self.lang_combo)

        self.fields = FormFields(form)
        self.fields.add("name_zh", QLineEdit(), N_("Station name (Chinese)"))
        self.fields.add("name_ko", QLineEdit(), N_("Station name (Korean)"))
        self.fields.add("code", QLineEdit(), N_("Station code"))
        self.fields.add("county", QLineEdit(), N_("County or city"))
        self.fields.add_fallback()

        self.where = QLabel()
        self.where.setWordWrap(True)
        layout.addWidget(self.where)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New station"))
        self.intro.setText(_("No station database was found on this computer. "
                             "Enter your station's name, code and county to create one; "
                             "everything else can be filled in later under Station."))
        self.lang_label.setText(_("Language"))
        self.fields.retranslate()
        for name, example in EXAMPLES.items():
            self.fields.widgets[name].setPlaceholderText(
                _("e.g. {example}").format(example=example))
        self.where.setText(_("The database will be kept in {path}").format(path=str(self.path)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create station"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _language_chosen(self) -> None:
        lang = self.lang_combo.currentData()
        language.apply_language(lang)
        prefs.save_language(lang)
        self.retranslate()

    def profile(self) -> dict:
        data = {k: v for k, v in self.fields.values().items()}
        data["bilingual_order"] = "zh-ko"
        return data

    def accept(self) -> None:
        try:
            self.session = session_service.create_station(self.path, profile=self.profile())
        except ValidationError as exc:
            self.fields.marks.show(exc)
            return
        except (DomainError, OSError) as exc:
            show_error(self, exc, _("Station not created"))
            return
        self.fields.marks.clear()
        super().accept()


class FirstAdminDialog(QDialog):
    """The first account of a station: its administrator (there is no default
    password).  Accepted once it is made; the session is then signed in as it."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("first_admin_dialog")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        self.fields.add("login", QLineEdit("admin"), N_("Login name"))
        self.fields.add("display_name", QLineEdit(), N_("Name"))
        for name, label in (("password", N_("Password")),
                            ("password_again", N_("Password again"))):
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.fields.add(name, edit, label)
        self.fields.add_fallback()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Administrator account"))
        self.intro.setText(_(
            "Everyone who uses Station Desk signs in with their own account. Create the "
            "administrator's account first: the administrator then creates an account for "
            "each clerk, the station head and the auditor. Choose a password of at least "
            "8 characters that is not easy to guess, and keep it safe."))
        self.fields.retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create account"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit"))

    def accept(self) -> None:
        from station_desk.services import accounts

        values = self.fields.values()
        for name in ("password", "password_again"):  # as typed, spaces included
            values[name] = self.fields.widgets[name].text()
        if values["password"] != values["password_again"]:
            self.fields.marks.show(ValidationError([FieldError(
                "password_again", N_("The two passwords differ."))]))
            return
        try:
            accounts.create_first_admin(self.session, login=values["login"],
                                        display_name=values["display_name"],
                                        password=values["password"])
        except ValidationError as exc:
            self.fields.marks.show(exc)
            return
        except (DomainError, OSError) as exc:
            show_error(self, exc, _("Account not created"))
            return
        self.fields.marks.clear()
        super().accept()
