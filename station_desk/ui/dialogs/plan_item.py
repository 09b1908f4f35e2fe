"""Add or edit one item of the year's activity plan: month, kind, theme, notes."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout,
    QWidget,
)

from station_desk.domain.activities import KIND_LABELS
from station_desk.domain.changes import Changes
from station_desk.i18n import N_, _, format_date
from station_desk.services import activities
from station_desk.ui.widgets.errors import attempt
from station_desk.ui.widgets.fields import FormFields


def month_name(year: int, month: int) -> str:
    """The month's name in the interface language (三月 / 3월 / March)."""
    return format_date(date(year, month, 1), fmt="LLLL")


def fill_kinds(combo: QComboBox, current: str | None = None) -> None:
    """The activity kinds, in the order of the domain, labels translated."""
    current = current if current is not None else combo.currentData()
    combo.clear()
    for kind, label in KIND_LABELS.items():
        combo.addItem(_(label), kind.value)
        combo.setItemData(combo.count() - 1, _(label), Qt.ItemDataRole.ToolTipRole)
    i = combo.findData(current)
    combo.setCurrentIndex(max(i, 0))


class PlanItemDialog(QDialog):
    """Saves through services.activities; ``changes`` holds what changed."""

    def __init__(self, session, *, year: int, item: dict | None = None, month: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.year = year
        self.item = item
        self.changes = Changes()
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        self.month = QComboBox()
        self.kind = QComboBox()
        self.theme = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.fields.add("month", self.month, N_("Month"))
        self.fields.add("kind", self.kind, N_("Kind"))
        self.fields.add("theme", self.theme, N_("Theme"))
        self.fields.add("notes", self.notes, N_("Notes"))
        self.fields.add_fallback()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()
        if item:
            self.fields.set_values({"month": int(item["month"]), "kind": item["kind"],
                                    "theme": item["theme"], "notes": item.get("notes", "")})
        elif month:
            self.fields.set_value("month", month)
        self.theme.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(
            (_("Edit plan item ({year})") if self.item else _("Add to the plan ({year})"))
            .format(year=self.year))
        self.fields.retranslate()
        current = self.month.currentData()
        self.month.clear()
        for m in range(1, 13):
            self.month.addItem(month_name(self.year, m), m)
        self.month.setCurrentIndex(max(self.month.findData(current), 0))
        fill_kinds(self.kind)
        self.theme.setPlaceholderText(_("e.g. Learning the revised Law on Deputies"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def values(self) -> dict:
        return {"month": self.month.currentData(), "kind": self.kind.currentData(),
                "theme": self.theme.text(), "notes": self.notes.toPlainText()}

    def accept(self) -> None:
        v = self.values()
        if self.item:
            call = lambda: activities.update_plan_item(  # noqa: E731
                self.session, item_id=self.item["id"], **v)
        else:
            call = lambda: activities.add_plan_item(  # noqa: E731
                self.session, year=self.year, **v)
        changes = attempt(self, call, self.fields.marks)
        if changes is not None:
            self.changes = changes
            super().accept()
