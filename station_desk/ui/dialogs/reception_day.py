"""Add a reception day outside the rule (e.g. before a festival)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from station_desk.domain.changes import Changes
from station_desk.domain.errors import DomainError, FieldError, ValidationError
from station_desk.i18n import N_, _
from station_desk.services import reception
from station_desk.ui.widgets.date_edit import DateEdit
from station_desk.ui.widgets.fields import FormFields


class AddDayDialog(QDialog):
    """Saves through services.reception.add_day; ``changes`` holds what changed."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.changes = Changes()
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        self.date = DateEdit()
        # FormFields reads line edits: the date's own line edit stands for the field
        self.fields.add("on", self.date, N_("Date"))
        self.fields.add("place", QLineEdit(), N_("Place"))
        self.fields.add("note", QLineEdit(), N_("Note"))
        self.fields.add_fallback()
        current = reception.rule(session) or reception.default_rule(session)
        self.fields.widgets["place"].setText(current.place)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a reception day"))
        self.fields.retranslate()
        self.date.retranslate()
        self.fields.widgets["note"].setPlaceholderText(_("e.g. before the Spring Festival"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def accept(self) -> None:
        self.fields.marks.clear()
        try:
            self.changes = reception.add_day(
                self.session, on=self.date.text(), place=self.fields.widgets["place"].text(),
                note=self.fields.widgets["note"].text())
        except ValidationError as exc:
            self.fields.marks.show(exc)
            return
        except DomainError as exc:  # e.g. already a reception day: said under the date
            self.fields.marks.show(ValidationError([FieldError("on", exc.msgid, exc.params)]))
            return
        super().accept()
