"""The auditor's screen (审计日志): the audit trail with filters, each entry's
before/after, the chain check and the export.

The list is windowed (``RowBlocks``): the count comes from SQL and rows are
read in blocks as the view scrolls, so a trail of 100,000 rows opens at once.
The check of the chain runs on a worker with its own connection.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QGridLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter, QTableView,
    QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.audit import RESULT_LABELS, AuditResult, ChainReport
from station_desk.domain.errors import DomainError
from station_desk.i18n import N_, _
from station_desk.services import audit
from station_desk.ui import tasks
from station_desk.ui.models.blocks import RowBlocks
from station_desk.ui.printing import documents_folder
from station_desk.ui.screens.base import Screen
from station_desk.ui.widgets.date_edit import DateEdit
from station_desk.ui.widgets.errors import show_error

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
OK_COLOR, BAD_COLOR = QColor("#1e7b34"), QColor("#b3261e")

ACTION_LABELS = {
    "create": N_("Created"), "update": N_("Changed"), "delete": N_("Deleted"),
    "undelete": N_("Deletion undone"), "import": N_("Imported"), "export": N_("Exported"),
    "backup": N_("Backup made"), "restore": N_("Backup restored"),
    "save": N_("Saved as PDF"), "print": N_("Printed"),
    "reveal_phone": N_("Phone number shown"), "reveal_id_number": N_("ID number shown"),
    "reveal": N_("Personal data shown"),
    "sign_in": N_("Signed in"), "sign_in_failed": N_("Sign-in failed"),
    "sign_out": N_("Signed out"), "role_change": N_("Role changed"),
    "register": N_("Registered"), "sort": N_("Sorted"), "forward": N_("Forwarded"),
    "handle": N_("Handled"), "reply": N_("Replied"), "archive": N_("Archived"),
    "cancel": N_("Cancelled"), "purge": N_("Purged"), "edit": N_("Changed"),
    "account_locked": N_("Account locked"), "password_change": N_("Password changed"),
    "password_reset": N_("Password reset"), "unlock": N_("Unlocked"),
    "disable": N_("Account disabled"), "enable": N_("Account enabled"),
    "settings": N_("Settings changed"), "reorder": N_("Order changed"),
    "photo": N_("Photo changed"), "photo_removed": N_("Photo removed"),
    "invite": N_("Invited"), "uninvite": N_("Invitation withdrawn"),
    "leave": N_("Leave recorded"), "mark": N_("Attendance marked"),
    "summary": N_("Summary written"), "held": N_("Held"),
    "draw": N_("Duty roster drawn"), "generate": N_("Reception days generated"),
    "replace": N_("Deputy on duty replaced"), "swap": N_("Duty days swapped"),
    "add_duty": N_("Added to duty"), "remove_duty": N_("Removed from duty"),
    "chase": N_("Chased"), "progress": N_("Progress"), "reopen": N_("Reopened"),
    "return_by_unit": N_("Returned by the unit"), "mark_duplicate": N_("Marked as duplicate"),
    "close_out_of_scope": N_("Closed: out of scope"), "advance": N_("Stage advanced"),
    "milestone": N_("Milestone"), "suspended": N_("Suspended"),
    "terminated": N_("Terminated"), "restored": N_("Mandate restored"),
}
OBJECT_LABELS = {
    "deputy": N_("Deputy"), "mandate": N_("Mandate"), "deputy_group": N_("Deputy group"),
    "case": N_("Case"), "voter": N_("Voter"), "practical_matter": N_("Practical matter"),
    "activity": N_("Activity record"), "activity_plan": N_("Activity plan"),
    "reception_day": N_("Reception day"), "reception_days": N_("Reception days"),
    "reception_rule": N_("Reception rule"), "duty_roster": N_("Duty roster"),
    "station": N_("Station"), "staff": N_("Staff"), "station_rule": N_("Station rule"),
    "station_photo": N_("Station photo"), "calendar_day": N_("Calendar day"),
    "database": N_("Database"), "roster": N_("Roster"), "document": N_("Document"),
    "audit": N_("Audit trail"), "account": N_("Account"), "meta": N_("Setting"),
    "retention": N_("Retention"),
}
# (label msgid, days back from today or None for all time / this year)
PERIODS = (("all", N_("All time")), ("today", N_("Today only")), ("7", N_("Last 7 days")),
           ("30", N_("Last 30 days")), ("year", N_("This year")), ("custom", N_("Chosen dates")))
COLUMNS = (("seq", N_("No.")), ("at", N_("Time")), ("actor", N_("Who")),
           ("action", N_("Action")), ("object", N_("Object")), ("result", N_("Result")))


def action_label(code: str) -> str:
    return _(ACTION_LABELS[code]) if code in ACTION_LABELS else code


def object_label(code: str) -> str:
    return _(OBJECT_LABELS[code]) if code in OBJECT_LABELS else code


def result_label(code: str) -> str:
    try:
        return _(RESULT_LABELS[AuditResult(code)])
    except ValueError:
        return code


def _value(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    return str(value)


def detail_lines(row: dict) -> list[str]:
    """An entry as readable lines: who, when, what, and each field before → after."""
    lines = [
        _("Entry {seq}").format(seq=row["seq"]),
        _("Time: {at}").format(at=row["at"].replace("T", " ")),
        _("Who: {actor}").format(actor=row["actor"]),
        _("Action: {label} ({code})").format(label=action_label(row["action"]),
                                               code=row["action"]),
        _("Object: {label} {id}").format(label=object_label(row["object_type"]),
                                         id=row["object_id"] or "").rstrip(),
        _("Result: {result}").format(result=result_label(row["result"])),
    ]
    before, after = row.get("before") or {}, row.get("after") or {}
    keys = list(dict.fromkeys([*before, *after]))
    if keys:
        lines.append("")
        lines.append(_("Before → after:") if before and after
                     else _("Before:") if before else _("Recorded:"))
    for key in keys:
        if before and after:
            old, new = before.get(key), after.get(key)
            mark = "" if old != new else "  " + _("(unchanged)")
            lines.append(f"  {key}: {_value(old)} → {_value(new)}{mark}")
        else:
            lines.append(f"  {key}: {_value((before or after).get(key))}")
    return lines


def report_text(report: ChainReport) -> str:
    """The chain check's answer in plain words."""
    if report.ok:
        return _("The audit trail is whole: {count} entries checked, none changed, "
                 "removed or reordered ({seconds:.1f} s).").format(
            count=report.checked, seconds=report.seconds)
    problem = _(report.msgid).format(**report.params)
    return _("The audit trail was tampered with. {problem} Entries before it are intact "
             "({count} checked).").format(problem=problem, count=report.checked)


class AuditModel(QAbstractTableModel):
    """The filtered trail, newest first, read in blocks."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.filters: dict = {}
        self._count = 0
        self.blocks = RowBlocks(self._fetch)

    def _fetch(self, offset: int, limit: int) -> list[dict]:
        return audit.entries(self.session, limit=limit, offset=offset, **self.filters)

    def set_filters(self, filters: dict) -> None:
        self.beginResetModel()
        self.filters = dict(filters)
        self.blocks.clear()
        # a person without the permission (after a switch of user) sees an empty list
        self._count = (audit.count(self.session, **self.filters)
                       if self.session.can(Permission.VIEW_AUDIT) else 0)
        self.endResetModel()

    def reload(self) -> None:
        self.set_filters(self.filters)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        return None

    def row_at(self, row: int) -> dict | None:
        return self.blocks.row(row) if 0 <= row < self._count else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "seq":
                return str(row["seq"])
            if key == "at":
                return row["at"][:19].replace("T", " ")
            if key == "action":
                return action_label(row["action"])
            if key == "object":
                oid = row["object_id"] or ""
                return f"{object_label(row['object_type'])} {oid[:8]}".rstrip()
            if key == "result":
                return result_label(row["result"])
            return row.get(key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "at":
            return row["at"]
        if role == Qt.ItemDataRole.ForegroundRole and row["result"] != "ok":
            return BAD_COLOR
        return None


class AuditScreen(Screen):
    key = "audit"
    title_msgid = N_("Audit Trail")
    permission = Permission.VIEW_AUDIT  # the main window hides the screen from others

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._stale = False
        self._verify_task = None
        self.report: ChainReport | None = None

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.actor_filter, self.action_filter = QComboBox(self), QComboBox(self)
        self.object_filter, self.result_filter = QComboBox(self), QComboBox(self)
        self.period = QComboBox(self)
        self.since, self.until = DateEdit(self), DateEdit(self)
        self.count_label = QLabel(self)
        self.verify_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.verify_label = QLabel(self)
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        filters = QGridLayout()
        self._labels = {name: QLabel(self) for name in
                        ("search", "actor", "action", "object", "result", "period", "since",
                         "until")}
        for col, (name, widget) in enumerate((("search", self.search),
                                              ("actor", self.actor_filter),
                                              ("action", self.action_filter),
                                              ("object", self.object_filter))):
            filters.addWidget(self._labels[name], 0, col * 2)
            filters.addWidget(widget, 0, col * 2 + 1)
        for col, (name, widget) in enumerate((("result", self.result_filter),
                                              ("period", self.period),
                                              ("since", self.since), ("until", self.until))):
            filters.addWidget(self._labels[name], 1, col * 2)
            filters.addWidget(widget, 1, col * 2 + 1)
        for col in (1, 3, 5, 7):
            filters.setColumnStretch(col, 1)

        self.model = AuditModel(session, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((60, 150, 90, 130, 150, 70)):
            self.table.setColumnWidth(col, width)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        bar = QHBoxLayout()
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.verify_button)

        box = QVBoxLayout(self)
        box.addLayout(filters)
        box.addLayout(bar)
        box.addWidget(self.verify_label)
        box.addWidget(split, 1)
        self.verify_label.hide()

        # a search of the whole trail per keystroke is wasted work: wait for a pause
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        for combo in (self.actor_filter, self.action_filter, self.object_filter,
                      self.result_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.since.changed.connect(self._dates_typed)
        self.until.changed.connect(self._dates_typed)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)

        self._setting_period = False
        self.retranslate()
        self._fill_choices()
        self.apply_filter()

    # -- texts
    def retranslate(self) -> None:
        texts = {"search": _("Search"), "actor": _("Who"), "action": _("Action"),
                 "object": _("Object"), "result": _("Result"), "period": _("Period"),
                 "since": _("From"), "until": _("To")}
        for name, text in texts.items():
            self._labels[name].setText(text)
        self.search.setPlaceholderText(_("Words in any field (Ctrl+F)"))
        self.verify_button.setText(_("Verify the chain"))
        self.verify_button.setToolTip(_("Check that no entry of the trail was changed, "
                                        "removed or reordered."))
        self.export_button.setText(_("Export…"))
        self.export_button.setToolTip(_("Save the entries shown as a CSV or Excel file."))
        self.since.retranslate()
        self.until.retranslate()
        period = self.period.currentData()
        self._setting_period = True
        self.period.clear()
        for key, msgid in PERIODS:
            self.period.addItem(_(msgid), key)
        self.period.setCurrentIndex(max(self.period.findData(period), 0))
        self._setting_period = False
        self._fill_choices()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._update_count()
        if self.report is not None:
            self.show_report(self.report)
        self._show_detail()

    def _fill_choices(self) -> None:
        """The filter lists from the values in the trail, keeping the choices made."""
        found = (audit.choices(self.session) if self.session.can(Permission.VIEW_AUDIT)
                 else {"actor": [], "action": [], "object_type": []})
        found["result"] = [r.value for r in AuditResult]
        labels = {"actor": str, "action": action_label, "object_type": object_label,
                  "result": result_label}
        for combo, column in ((self.actor_filter, "actor"), (self.action_filter, "action"),
                              (self.object_filter, "object_type"),
                              (self.result_filter, "result")):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("All"), None)
            values = found[column]
            for value in sorted(values, key=labels[column]) if column != "result" else values:
                combo.addItem(labels[column](value), value)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    # -- filters
    def _period_chosen(self) -> None:
        if self._setting_period:
            return
        key, today = self.period.currentData(), self.session.today()
        start = {"all": None, "today": today, "7": today - timedelta(days=6),
                 "30": today - timedelta(days=29), "year": date(today.year, 1, 1)}
        if key == "custom":
            return
        self._setting_period = True
        self.since.set_date(start.get(key))
        self.until.set_date(None)
        self._setting_period = False
        self.apply_filter()

    def _dates_typed(self) -> None:
        if self._setting_period:
            return
        self._setting_period = True
        self.period.setCurrentIndex(self.period.findData("custom"))
        self._setting_period = False
        self.apply_filter()

    def _date(self, edit: DateEdit) -> date | None:
        try:
            return edit.date()
        except ValueError:
            return None  # half typed: no limit until it is a date

    def filters(self) -> dict:
        """The filters as the audit service takes them."""
        return {"actor": self.actor_filter.currentData(),
                "action": self.action_filter.currentData(),
                "object_type": self.object_filter.currentData(),
                "result": self.result_filter.currentData(),
                "since": self._date(self.since), "until": self._date(self.until),
                "search": self.search.text()}

    def apply_filter(self) -> None:
        try:
            self.model.set_filters(self.filters())
        except DomainError as exc:
            show_error(self, exc)
            return
        self._update_count()
        if self.model.rowCount():
            self.select_row(0)
        else:
            self._show_detail()

    def _update_count(self) -> None:
        self.count_label.setText(_("{count} entries").format(count=self.model.rowCount()))

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _show_detail(self, *_args) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        self.detail.setPlainText("\n".join(detail_lines(row)) if row else "")

    # -- refresh
    def refresh(self) -> None:
        self._fill_choices()
        self.model.reload()
        self._update_count()
        self._stale = False

    def on_changes(self, changes) -> None:
        # almost every action writes a row here, whatever table it touched
        if changes:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    # -- verify and export
    def verify(self) -> None:
        """Check the chain on a worker; the answer shows in green or red."""
        if self._verify_task is not None:
            return
        if not self.session.can(Permission.VIEW_AUDIT):
            return
        self.verify_button.setEnabled(False)
        self.verify_label.setText(_("Checking the audit trail…"))
        self.verify_label.setStyleSheet("")
        self.verify_label.show()
        self._verify_task = tasks.start(audit.verify_file, self.session.path,
                                        on_finished=self._verified, on_failed=self._not_verified)

    def _verified(self, report: ChainReport) -> None:
        self._verify_task = None
        self.verify_button.setEnabled(True)
        self.show_report(report)

    def _not_verified(self, exc: BaseException) -> None:
        self._verify_task = None
        self.verify_button.setEnabled(True)
        self.verify_label.hide()
        show_error(self, exc, _("Not checked"))

    def show_report(self, report: ChainReport) -> None:
        """Show a check's answer; a broken chain also selects the row where it shows."""
        self.report = report
        color = OK_COLOR if report.ok else BAD_COLOR
        self.verify_label.setText(("✔ " if report.ok else "✖ ") + report_text(report))
        self.verify_label.setStyleSheet(
            f"QLabel {{ color: white; background: {color.name()}; padding: 6px; "
            "border-radius: 3px; font-weight: bold; }")
        self.verify_label.show()

    def export(self) -> Path | None:
        """Ask where, then write the entries shown (filters applied) to CSV or XLSX."""
        suggested = documents_folder() / _("audit-trail-{day}.xlsx").format(
            day=self.session.today().isoformat())
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self, _("Export the audit trail"), str(suggested),
            _("Excel workbook (*.xlsx)") + ";;" + _("CSV file (*.csv)"))
        if not chosen:
            return None
        return self.export_to(Path(chosen), csv="csv" in chosen_filter.lower())

    def export_to(self, out: Path, *, csv: bool = False) -> Path | None:
        if out.suffix.lower() not in (".csv", ".xlsx"):
            out = out.with_name(out.name + (".csv" if csv else ".xlsx"))
        try:
            audit.export(self.session, out=out, **self.filters())
        except DomainError as exc:
            show_error(self, exc, _("Not exported"))
            return None
        self.refresh()  # the export is itself in the trail
        return out
