"""The pieces of the bundle exchange both sides use: the fingerprint check of a
key file, the per-table summary of an import (dry run or kept report), the
export's counts, refusals that name the failed check, and the worker with its
cancellable progress dialog."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QMessageBox, QProgressDialog,
    QPushButton, QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
    QWidget,
)

from station_desk.domain import bundles as bundle_rules
from station_desk.domain.bundles import BundleError
from station_desk.domain.errors import DomainError
from station_desk.i18n import N_, _
from station_desk.services import bundles as bundle_service
from station_desk.ui import tasks
from station_desk.ui.widgets.errors import message_of

# the step of the import order that refused a bundle (domain/bundles.py ``check``)
TABLE_LABELS = {
    "deputies": N_("Deputies"), "mandates": N_("Mandates"),
    "mandate_events": N_("Mandate events"), "deputy_groups": N_("Deputy groups"),
    "deputy_photos": N_("Deputy photos"), "voters": N_("Voters (as the rules allow)"),
    "cases": N_("Voters' matters"), "case_events": N_("Steps of matters"),
    "case_deputies": N_("Deputies on matters"), "activities": N_("Activities"),
    "activity_plan": N_("Activity plan"), "activity_invitees": N_("Invitations"),
    "activity_photos": N_("Activity photos"), "reception_days": N_("Reception days"),
    "reception_rules": N_("Reception rules"), "duty_assignments": N_("Duty roster"),
    "calendar_days": N_("Work calendar"), "practical_matters": N_("Practical matters"),
    "practical_cases": N_("Practical matter cases"),
    "practical_events": N_("Practical matter steps"),
    "practical_deputies": N_("Deputies on practical matters"), "station": N_("Station profile"),
    "staff": N_("Staff"), "station_rules": N_("Station rules"),
    "station_photos": N_("Station photos"), "ledger_entries": N_("Performance entries"),
    "ledger_evidence": N_("Evidence of entries"), "suggestions": N_("Suggestions"),
    "model_deputies": N_("Model deputies"), "publicity": N_("Publicity"),
    "eval_schemes": N_("Evaluation schemes"), "eval_runs": N_("Evaluation runs"),
    "eval_results": N_("Evaluation results"), "county_replies": N_("County replies"),
    "county_roster": N_("County reference roster"),
}

OUTCOME_COLUMNS = (("new", N_("New")), ("updated", N_("Updated")),
                   ("unchanged", N_("Unchanged")), ("deleted", N_("Deleted")),
                   ("older", N_("Older")), ("conflict", N_("Conflicts")))


def table_label(table: str) -> str:
    msgid = TABLE_LABELS.get(table)
    return f"{_(msgid)} ({table})" if msgid else table


def refusal_text(exc: BaseException) -> str:
    """The refusal in the reader's language, with the check that failed."""
    if isinstance(exc, DomainError):
        return bundle_rules.refusal(exc, _)
    return message_of(exc)


def show_refusal(parent: QWidget | None, exc: BaseException,
                 title: str | None = None) -> QMessageBox:
    """The refusal in a message that does not block; a screen keeps it as ``dialog``."""
    box = QMessageBox(QMessageBox.Icon.Warning, title or _("The bundle was refused"),
                      refusal_text(exc), parent=parent)
    box.setObjectName("bundle_refusal")
    box.addButton(QMessageBox.StandardButton.Ok)
    if hasattr(parent, "dialog"):
        parent.dialog = box
    box.open()
    return box


def tell(screen, title: str, text: str, name: str) -> QMessageBox:
    """A message that does not block (tests and the worker's signals go on);
    kept as ``screen.dialog`` while it is open."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=screen)
    box.setObjectName(name)
    box.addButton(QMessageBox.StandardButton.Ok)
    screen.dialog = box
    box.open()
    return box


def note_text(note) -> str:
    msgid, params = note
    return _(msgid).format(**(params or {}))


# -- the worker -------------------------------------------------------------------

def worker_session(session):
    """A session of its own for a worker thread (the county's or a station's)."""
    from station_desk.services import county as county_service
    from station_desk.services.documents import worker_session as station_worker

    if bundle_service.is_county(session):
        own = county_service.open_county(session.path, actor=session.actor,
                                         clock=session.clock)
        own.account_id, own.role = session.account_id, session.role
        own.display_name = session.display_name
        return own
    return station_worker(session)


def _in_worker(session, fn: Callable, *, report, **kwargs):
    own = worker_session(session)
    try:
        return fn(own, progress=report, cancelled=lambda: report.cancelled, **kwargs)
    finally:
        own.close()


def start_task(parent: QWidget, session, fn: Callable, *, title: str, text: str,
               on_finished: Callable, on_failed: Callable, **kwargs) -> tasks.Task:
    """Run ``fn(session, progress=, cancelled=, **kwargs)`` on a worker with a
    progress dialog whose Cancel stops it (the service then changes nothing)."""
    progress = QProgressDialog(text, _("Cancel"), 0, 0, parent)
    progress.setObjectName("bundle_progress")
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setValue(0)

    def moved(done: int, total: int) -> None:
        progress.setMaximum(max(total, 1))
        progress.setValue(min(done, max(total, 1)))

    def finished(result) -> None:
        progress.canceled.disconnect()
        progress.close()
        progress.deleteLater()
        on_finished(result)

    def failed(exc) -> None:
        progress.canceled.disconnect()
        progress.close()
        progress.deleteLater()
        on_failed(exc)

    task = tasks.start(_in_worker, session, fn, report=True, on_progress=moved,
                       on_finished=finished, on_failed=failed, **kwargs)
    progress.canceled.connect(task.cancel)
    parent.progress_dialog = progress
    return task


# -- the fingerprint of a key file ----------------------------------------------------

class KeyConfirmDialog(QDialog):
    """A key file read (``info``: kind, code, name, fingerprint) and the
    fingerprint the person compares: typed from the other side's printout or
    as read out on the phone.  ``apply(fingerprint)`` stores it; a mismatch
    keeps the dialog open with the reason."""

    def __init__(self, info: dict, apply: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("key_confirm")
        self.info, self._apply = info, apply
        self.result_changes = None
        county = info["kind"] == "county"
        self.setWindowTitle(_("Import the county's key") if county else _("Enrol a station"))
        box = QVBoxLayout(self)
        who = QLabel(_("Key file of {code} {name}").format(code=info["code"],
                                                           name=info.get("name", "")))
        f = who.font()
        f.setBold(True)
        who.setFont(f)
        box.addWidget(who)
        explain = QLabel(
            _("Take the sheet the county printed with its key fingerprint, or have it read "
              "to you on the phone, and type it here. Only a matching fingerprint proves "
              "the file really comes from the county.") if county else
            _("Take the fingerprint sheet the station printed (or have the station read its "
              "fingerprint out on the phone) and type it here. Only a matching fingerprint "
              "proves the file really comes from that station."))
        explain.setWordWrap(True)
        box.addWidget(explain)
        form = QFormLayout()
        self.fingerprint = QLineEdit()
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setPlaceholderText("XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX")
        self.fingerprint.setMinimumWidth(self.fingerprint.fontMetrics().horizontalAdvance(
            "XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX") + 24)
        form.addRow(_("Printed fingerprint:"), self.fingerprint)
        self.replace = QCheckBox(_("Replace the key held now (the other side set the "
                                   "program up anew)"))
        self.replace.setObjectName("replace_key")
        form.addRow("", self.replace)
        box.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("key_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.hide()
        box.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton(_("Fingerprints match: accept the key"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("accept_key")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.result_changes = self._apply(self.fingerprint.text(),
                                              self.replace.isChecked())
        except DomainError as exc:
            self.problem.setText(refusal_text(exc))
            self.problem.show()
            self.fingerprint.setFocus()
            return
        super().accept()


# -- the summary of an import -----------------------------------------------------------

def normalise_result(item: dict) -> dict:
    """One file's result as the summary shows it, from a dry run, an import or a
    kept report (``bundle_imports`` row)."""
    if "error" in item:
        return {"file": Path(item["file"]).name, "error": item["error"]}
    if "report" in item:
        r = item["report"]
        return {"file": Path(item.get("file") or r.file).name, "sender": r.sender,
                "period": r.period, "serial": r.serial, "tables": r.tables,
                "notes": list(r.notes), "already_imported": r.already_imported,
                "applied": r.applied}
    summary = item.get("summary") or {}
    return {"file": item.get("file_name", ""), "sender": item.get("peer", ""),
            "period": item.get("period", ""), "serial": item.get("serial"),
            "tables": summary.get("tables", {}), "notes": summary.get("notes", []),
            "already_imported": None, "applied": True}


class ImportSummary(QTreeWidget):
    """Per bundle and per table: new / updated / unchanged / deleted / older /
    conflicts, each conflict with its reason; refused bundles with their reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_summary")
        self.setColumnCount(1 + len(OUTCOME_COLUMNS))
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.results: list[dict] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels([_("Bundle / table")] + [_(m) for _k, m in OUTCOME_COLUMNS])
        if self.results:
            self.show_results(self.results)

    def show_results(self, results: list[dict]) -> None:
        self.results = results
        self.clear()
        for res in results:
            top = QTreeWidgetItem(self)
            if res.get("error") is not None:
                top.setText(0, _("{file}: refused").format(file=res["file"]))
                top.setForeground(0, Qt.GlobalColor.darkRed)
                why = QTreeWidgetItem(top, [refusal_text(res["error"])])
                why.setFirstColumnSpanned(True)
                top.setExpanded(True)
                continue
            head = _("{file} — {station}, {period}, bundle no. {serial}").format(
                file=res["file"], station=res["sender"], period=res["period"],
                serial=res["serial"])
            if res.get("already_imported"):
                head += "  " + _("(already imported on {at}: nothing to do)").format(
                    at=str(res["already_imported"])[:16].replace("T", " "))
            top.setText(0, head)
            totals = {k: 0 for k, _m in OUTCOME_COLUMNS}
            for table, s in sorted(res["tables"].items()):
                child = QTreeWidgetItem(top, [table_label(table)])
                for col, (k, _m) in enumerate(OUTCOME_COLUMNS, start=1):
                    n = int(s.get(k, 0) or 0)
                    totals[k] += n
                    child.setText(col, str(n) if n else "·")
                    child.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
                for c in s.get("conflict_list", []):
                    reason = _(c["reason"]).format(**(c.get("params") or {}))
                    row = QTreeWidgetItem(child, [_("Conflict: {id} — {reason}").format(
                        id=str(c["id"])[:8], reason=reason)])
                    row.setFirstColumnSpanned(True)
                    row.setForeground(0, Qt.GlobalColor.darkRed)
                if s.get("conflict"):
                    child.setExpanded(True)
            for col, (k, _m) in enumerate(OUTCOME_COLUMNS, start=1):
                top.setText(col, str(totals[k]))
                top.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
            for note in res.get("notes", []):
                n = QTreeWidgetItem(top, [note_text(note)])
                n.setFirstColumnSpanned(True)
            top.setExpanded(len(results) == 1)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, self.columnCount()):
            self.header().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(False)

    def applicable(self) -> list[str]:
        """Files of the shown dry run that would change something."""
        return [r["file"] for r in self.results
                if r.get("error") is None and not r.get("already_imported")]


class ImportReportDialog(QDialog):
    """The dry run before the import is confirmed (Apply / Cancel), or the
    result of an import or a kept report (Close)."""

    def __init__(self, results: list[dict], *, dry_run: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_report")
        self.dry_run = dry_run
        self.setWindowTitle(_("What the import would change") if dry_run
                            else _("Import report"))
        box = QVBoxLayout(self)
        intro = QLabel(
            _("Nothing has been changed yet. Check the numbers per table, then apply the "
              "bundles that passed every check; refused bundles are left out.") if dry_run
            else _("What the import changed, per table."))
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.summary = ImportSummary()
        self.summary.show_results([normalise_result(r) for r in results])
        box.addWidget(self.summary, 1)
        buttons = QDialogButtonBox()
        if dry_run:
            self.apply_button = buttons.addButton(_("Apply"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
            self.apply_button.setObjectName("apply_import")
            self.apply_button.setEnabled(bool(self.summary.applicable()))
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            self.apply_button = None
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.resize(860, 520)


# -- the export's counts -------------------------------------------------------------

class ExportDialog(QDialog):
    """What the next bundle carries, per table, before it is written: the rows
    since the county's acknowledgement (or all, as a full snapshot), and the
    first rows of a table as they travel, masked."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_bundle")
        self.session = session
        self.setWindowTitle(_("Export the monthly bundle"))
        box = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        box.addWidget(self.heading)
        self.full = QCheckBox(_("Full snapshot: every row, not only what changed (when the "
                                "county asks for one)"))
        self.full.setObjectName("full_snapshot")
        self.full.toggled.connect(self.refresh)
        box.addWidget(self.full)
        row = QHBoxLayout()
        self.counts = QTableWidget(0, 2)
        self.counts.setObjectName("export_counts")
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.counts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.counts.verticalHeader().hide()
        self.counts.setHorizontalHeaderLabels([_("Table"), _("Rows")])
        self.counts.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.counts.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.counts.itemSelectionChanged.connect(self._show_preview)
        row.addWidget(self.counts, 2)
        self.preview = QTableWidget(0, 0)  # the selected table's first rows as they travel
        self.preview.setObjectName("export_preview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setToolTip(_("Select a table to see its first rows as they "
                                  "travel (phone and ID numbers masked)."))
        row.addWidget(self.preview, 3)
        box.addLayout(row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton(_("Choose the folder and export…"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export_to_folder")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.summary: dict = {}
        self.refresh()
        self.resize(880, 540)

    def refresh(self) -> None:
        self.summary = bundle_service.export_summary(self.session, full=self.full.isChecked())
        s = self.summary
        if s["full"] or not s["acknowledged"]:
            text = _("The bundle will carry every row of this station: {total} rows.")
        else:
            text = _("The bundle will carry {total} rows changed since the county's last "
                     "acknowledgement (change no. {seq}).")
        self.heading.setText(text.format(total=s["total"], seq=s["acknowledged"]))
        self.counts.setRowCount(0)
        for table, n in sorted(s["tables"].items(), key=lambda kv: -kv[1]):
            r = self.counts.rowCount()
            self.counts.insertRow(r)
            item = QTableWidgetItem(table_label(table))
            item.setData(Qt.ItemDataRole.UserRole, table)
            self.counts.setItem(r, 0, item)
            count = QTableWidgetItem(str(n))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.counts.setItem(r, 1, count)
        self.export_button.setEnabled(s["county"] is not None)
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)

    def _show_preview(self) -> None:
        items = self.counts.selectedItems()
        if not items:
            return
        table = self.counts.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        rows = bundle_service.preview_rows(self.session, table=table,
                                           full=self.full.isChecked(), limit=20)
        skip = {"change_seq", "row_version", "origin", "data", "id", "rowkey", "deleted"}
        # ids are for machines: the readable columns that hold something
        columns = [k for k in (rows[0] if rows else {})
                   if k not in skip and not k.endswith("_id")
                   and any(r.get(k) not in (None, "", 0) for r in rows)]
        self.preview.clear()
        self.preview.setColumnCount(len(columns))
        self.preview.setHorizontalHeaderLabels(columns)
        self.preview.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, k in enumerate(columns):
                value = r.get(k)
                self.preview.setItem(i, j, QTableWidgetItem("" if value is None else str(value)))
        self.preview.resizeColumnsToContents()
