"""Asking why a masked phone or ID number is needed, before it is shown once."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from station_desk.domain.errors import DomainError, ValidationError
from station_desk.i18n import N_, _
from station_desk.services import privacy
from station_desk.ui.widgets.errors import FieldMarks, show_error

FIELD_LABELS = {"phone": N_("phone number"), "id_number": N_("ID number")}


class RevealDialog(QDialog):
    """The reason for a look at one full value; OK asks the service, which
    checks the permission and writes the reason to the audit trail.  The value
    is kept in ``value`` for the caller to show in this view only."""

    def __init__(self, session, *, object_type: str, object_id: str, field: str,
                 who: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reveal_dialog")
        self.session = session
        self.object_type, self.object_id, self.field = object_type, object_id, field
        self.value: str | None = None
        self.setWindowTitle(_("Show the full {field}").format(field=_(FIELD_LABELS[field])))
        box = QVBoxLayout(self)
        self.intro = QLabel(_(
            "The full {field} of {who} is shown on this page only, until another record "
            "is selected. The audit trail records who looked and why.").format(
                field=_(FIELD_LABELS[field]), who=who or "—"))
        self.intro.setWordWrap(True)
        box.addWidget(self.intro)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("reveal_reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(_("e.g. calling the voter back about the reply"))
        self.reason_label = QLabel(_("Reason:"))
        self.reason_error = QLabel()
        form.addRow(self.reason_label, self.reason)
        form.addRow("", self.reason_error)
        box.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Show"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)
        self.marks = FieldMarks({"reason": (self.reason, self.reason_error)},
                                fallback=self.reason_error)
        self.resize(460, self.sizeHint().height())

    def accept(self) -> None:
        self.marks.clear()
        try:
            self.value = privacy.reveal(self.session, object_type=self.object_type,
                                        object_id=self.object_id, field=self.field,
                                        reason=self.reason.text())
        except ValidationError as exc:
            self.marks.show(exc)
            return
        except DomainError as exc:
            show_error(self, exc)
            self.reject()
            return
        super().accept()
