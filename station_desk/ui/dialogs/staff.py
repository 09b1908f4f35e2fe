"""Add or edit one member of the station's staff."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget,
)

from station_desk.domain.changes import Changes
from station_desk.domain.station import STAFF_ROLE_LABELS, StaffRole
from station_desk.i18n import N_, _
from station_desk.services import station as station_service
from station_desk.ui.widgets.errors import attempt
from station_desk.ui.widgets.fields import FormFields


class StaffDialog(QDialog):
    """Saves through services.station; ``changes`` holds what changed on success."""

    def __init__(self, session, staff: dict | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.staff = staff
        self.changes = Changes()
        self.setMinimumWidth(420)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        self.fields.add("name", QLineEdit(), N_("Name"))
        self.fields.add("name_ko", QLineEdit(), N_("Korean name"))
        self.role = QComboBox()
        for role in StaffRole:
            self.role.addItem(_(STAFF_ROLE_LABELS[role]), role.value)
        self.fields.add("role", self.role, N_("Role"))
        self.fields.add("phone", QLineEdit(), N_("Phone"))
        self.fields.add("since", QLineEdit(), N_("Since"))
        self.fields.add("until", QLineEdit(), N_("Until"))
        self.fields.add_fallback()
        if staff:
            self.fields.set_values(staff)
        else:
            self.fields.set_value("role", StaffRole.WORKER.value)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit staff member") if self.staff else _("Add staff member"))
        self.fields.retranslate()
        for i, role in enumerate(StaffRole):
            self.role.setItemText(i, _(STAFF_ROLE_LABELS[role]))
        for name in ("since", "until"):
            self.fields.widgets[name].setPlaceholderText(_("YYYY-MM-DD"))
        self.fields.widgets["until"].setToolTip(_("Leave empty while the person still works here."))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def accept(self) -> None:
        data = self.fields.values()
        if self.staff:
            call = lambda: station_service.update_staff(  # noqa: E731
                self.session, staff_id=self.staff["id"], data=data)
        else:
            call = lambda: station_service.add_staff(self.session, data=data)  # noqa: E731
        self.changes = attempt(self, call, self.fields.marks)
        if self.changes is not None:
            super().accept()
