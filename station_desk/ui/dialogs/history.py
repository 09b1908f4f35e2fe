"""A deputy's whole history: elections, suspensions, terminations and edits."""
from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from station_desk.domain.deputies import EVENT_LABELS, MandateEventKind
from station_desk.i18n import N_, _, format_date, format_datetime
from station_desk.services import registry
from station_desk.ui.dialogs.deputy_form import FIELD_LABELS
from station_desk.ui.dialogs.mandate_dialogs import ground_label, mandate_text
from station_desk.ui.models.deputies import name_text

AUDIT_LABELS = {
    "create": N_("Record created"),
    "update": N_("Details edited"),
    "photo": N_("Photo set"),
    "photo_removed": N_("Photo removed"),
    "delete": N_("Record deleted (entered by mistake)"),
    "undelete": N_("Deletion undone"),
}

HEADERS = (N_("Date"), N_("What happened"), N_("Ground"), N_("Document no."), N_("Recorded by"))


def _when(iso: str | None) -> str:
    try:
        return format_datetime(datetime.fromisoformat(iso or ""), fmt="medium")
    except ValueError:
        return iso or ""


def describe(entry: dict) -> str:
    """What happened, in the current language."""
    if entry["source"] == "mandate":
        try:
            what = _(EVENT_LABELS[MandateEventKind(entry["kind"])])
        except ValueError:
            what = entry["kind"]
        text = _("{event} — {mandate}").format(event=what, mandate=mandate_text(entry))
        if entry.get("detail"):
            text += "\n" + entry["detail"]
        return text
    what = _(AUDIT_LABELS[entry["kind"]]) if entry["kind"] in AUDIT_LABELS else entry["kind"]
    fields = [_(FIELD_LABELS[f]) for f in entry.get("fields") or () if f in FIELD_LABELS]
    if entry["kind"] == "update" and fields:
        # TRANSLATORS: "Details edited: phone, post"
        what = _("{what}: {fields}").format(what=what, fields=_(", ").join(fields))
    return what


class HistoryDialog(QDialog):
    def __init__(self, session, deputy: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_dialog")
        self.setWindowTitle(_("History of {name}").format(name=deputy["name"]))
        self.entries = registry.history(session, deputy["id"])
        box = QVBoxLayout(self)
        head = QLabel(f"<b>{html.escape(name_text(deputy))}</b>")
        box.addWidget(head)
        self.table = QTableWidget(len(self.entries), len(HEADERS))
        self.table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        for row, e in enumerate(self.entries):
            cells = [
                format_date(e["at"]),
                describe(e),
                ground_label(e["kind"], e.get("ground")) if e["source"] == "mandate" else "",
                e.get("doc_no") or "",
                e.get("actor") or "",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if col != 4 else
                                _("Recorded at {time}").format(time=_when(e.get("recorded_at"))))
                if e["source"] == "audit":
                    item.setForeground(Qt.GlobalColor.darkGray)
                self.table.setItem(row, col, item)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        h.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(2, 220)
        self.table.resizeRowsToContents()
        box.addWidget(self.table)
        if not self.entries:
            box.addWidget(QLabel(_("Nothing has been recorded yet.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.resize(860, 420)

    def texts(self) -> list[list[str]]:
        """What the table shows, row by row (for tests and copying)."""
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]
