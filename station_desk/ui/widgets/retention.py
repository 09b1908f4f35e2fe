"""The retention schedule in Settings: how long personal data is kept, and
"Purge now…" with the count of what would go, confirmed before anything is
cleared (services/privacy.py, docs/privacy.md)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout, QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.i18n import _, format_date
from station_desk.services import privacy
from station_desk.ui.widgets.errors import FieldMarks, attempt


class RetentionBox(QGroupBox):
    """Editable by a role holding PURGE; read-only for everyone else."""

    changed = Signal(object)  # Changes

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retention_box")
        self.session = session
        self.confirm: QMessageBox | None = None  # the open confirmation (tests drive it)
        box = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        box.addWidget(self.intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.case_years = QSpinBox()
        self.case_years.setObjectName("retention_case_years")
        self.outsider_years = QSpinBox()
        self.outsider_years.setObjectName("retention_outsider_years")
        self.case_label, self.outsider_label = QLabel(), QLabel()
        self.case_error, self.outsider_error = QLabel(), QLabel()
        for spin in (self.case_years, self.outsider_years):
            spin.setRange(1, privacy.MAX_YEARS)
        form.addRow(self.case_label, self.case_years)
        form.addRow("", self.case_error)
        form.addRow(self.outsider_label, self.outsider_years)
        form.addRow("", self.outsider_error)
        box.addLayout(form)
        row = QHBoxLayout()
        self.save_button = QPushButton()
        self.save_button.setObjectName("retention_save")
        self.save_button.clicked.connect(self.save)
        self.purge_button = QPushButton()
        self.purge_button.setObjectName("purge_now")
        self.purge_button.clicked.connect(self.purge_now)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row.addWidget(self.save_button)
        row.addWidget(self.purge_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.status)
        self.marks = FieldMarks({"case_years": (self.case_years, self.case_error),
                                 "outsider_years": (self.outsider_years, self.outsider_error)},
                                fallback=self.status)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setTitle(_("Personal data"))
        self.intro.setText(_(
            "Phones and ID numbers are masked on every screen, paper and export; a station "
            "head can show one with a reason, which the audit trail records. After the "
            "periods below the voters' names, phones and ID numbers are purged; the matter "
            "itself stays in the archive."))
        self.case_label.setText(_("Voters' data, after the case is archived or closed"))
        self.outsider_label.setText(_("Outside participants' phones, after the activity"))
        for spin in (self.case_years, self.outsider_years):
            spin.setSuffix(_(" years"))  # the space belongs to the language
        self.save_button.setText(_("Save periods"))
        self.purge_button.setText(_("Purge now…"))
        allowed = self.session.can(Permission.PURGE)
        tip = "" if allowed else _("Your role may not change the retention or purge.")
        for w in (self.case_years, self.outsider_years, self.save_button, self.purge_button):
            w.setEnabled(allowed)
            w.setToolTip(tip)

    def refresh(self) -> None:
        r = privacy.retention(self.session)
        self.case_years.setValue(r.case_years)
        self.outsider_years.setValue(r.outsider_years)

    def save(self) -> Changes | None:
        self.marks.clear()
        changes = attempt(self, lambda: privacy.set_retention(
            self.session, case_years=self.case_years.value(),
            outsider_years=self.outsider_years.value()), self.marks)
        if changes is not None:
            self.status.setText(_("Saved."))
            self.changed.emit(changes)
        return changes

    def purge_now(self) -> QMessageBox | None:
        """Count what is due; when there is something, ask before purging it."""
        plan = attempt(self, lambda: privacy.purge_plan(self.session))
        if plan is None:
            return None
        if plan.empty:
            self.status.setText(_("Nothing is due for purging."))
            return None
        text = _("Purge now, and for good:\n\n"
                 "• voters whose cases were archived or closed before {case_date}: {voters} "
                 "(name, phone, ID number);\n"
                 "• outside participants of activities before {outsider_date}: {outsiders} "
                 "(phone).\n\n"
                 "The matters, numbers and dates stay. This cannot be undone, and it is "
                 "recorded in the audit trail.").format(
            voters=plan.voters, case_date=format_date(plan.case_cutoff),
            outsiders=plan.outsiders, outsider_date=format_date(plan.outsider_cutoff))
        box = QMessageBox(QMessageBox.Icon.Warning, _("Purge personal data"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(_("Purge"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        self.confirm = box

        def finished(result: int) -> None:
            self.confirm = None
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self._purge()
            box.deleteLater()

        box.finished.connect(finished)
        box.open()
        return box

    def _purge(self) -> None:
        changes = attempt(self, lambda: privacy.purge(self.session))
        if changes is None:
            return
        e = changes.extra
        self.status.setText(_("Purged. Voters: {voters}; outside participants' phones: "
                              "{outsiders}.").format(voters=e["voters"],
                                                     outsiders=e["outsiders"]))
        self.changed.emit(changes)

