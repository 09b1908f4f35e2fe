"""Bundles (与县里交换): the station's side of the monthly exchange with the county.

The station's key fingerprint and enrolment file, the county's key taken after
comparing its printed fingerprint, the monthly bundle exported to a USB stick
(counts first, then a worker with a cancellable progress dialog), the county's
return bundle imported after a dry run, and the history of both.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.domain.errors import DomainError
from station_desk.i18n import N_, _
from station_desk.services import bundles as bundle_service
from station_desk.ui import tasks
from station_desk.ui.dialogs.bundles import (
    ExportDialog, ImportReportDialog, KeyConfirmDialog, show_refusal, start_task, tell,
)
from station_desk.ui.permissions import restrict
from station_desk.ui.screens.base import Screen
from station_desk.ui.widgets.errors import show_error

BUNDLE_FILTER = N_("Bundles (*.age);;All files (*)")
KEY_FILTER = N_("Key files (*.json);;All files (*)")


def fingerprint_label() -> QLabel:
    label = QLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    f = label.font()
    f.setPointSizeF(f.pointSizeF() * 1.5)
    f.setBold(True)
    f.setLetterSpacing(f.SpacingType.AbsoluteSpacing, 1.5)
    label.setFont(f)
    return label


def history_table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, rows: list[list[str]], data: list | None = None) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if data is not None and c == 0:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def when(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


def save_key_sheet(screen: Screen) -> Path | None:
    """The printable fingerprint sheet (documents "key-sheet"), both scripts."""
    from station_desk.ui.printing import save_document

    return save_document(screen, screen.session, "key-sheet", lang="bilingual")


class ExchangeScreen(Screen):
    """The clerk's monthly round trip with the county, by clicking."""

    key = "exchange"
    title_msgid = N_("Bundles")
    permission = Permission.IMPORT_EXPORT
    tables = frozenset({"bundle_keys", "bundle_peers", "bundle_exports", "bundle_imports",
                        "county_replies"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.task: tasks.Task | None = None
        self.progress_dialog = None
        self.last_export = None   # ExportResult of the last export from this screen
        self.last_import = None   # ImportReport of the last return imported
        outer = QVBoxLayout(self)
        top = QHBoxLayout()

        self.own_box = QGroupBox()
        own = QVBoxLayout(self.own_box)
        self.own_intro = QLabel()
        self.own_intro.setWordWrap(True)
        self.own_fingerprint = fingerprint_label()
        self.own_fingerprint.setObjectName("own_fingerprint")
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("save_enrolment")
        self.enrol_button.clicked.connect(lambda: self.save_enrolment())
        own.addWidget(self.own_intro)
        own.addWidget(self.own_fingerprint)
        own.addStretch(1)
        self.sheet_button = QPushButton()
        self.sheet_button.setObjectName("fingerprint_sheet")
        self.sheet_button.clicked.connect(lambda: save_key_sheet(self))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.sheet_button)
        row.addWidget(self.enrol_button)
        own.addLayout(row)
        top.addWidget(self.own_box, 1)

        self.county_box = QGroupBox()
        cbox = QVBoxLayout(self.county_box)
        self.county_state = QLabel()
        self.county_state.setObjectName("county_state")
        self.county_state.setWordWrap(True)
        self.county_fingerprint = fingerprint_label()
        self.county_key_button = QPushButton()
        self.county_key_button.setObjectName("import_county_key")
        self.county_key_button.clicked.connect(lambda: self.import_county_key())
        cbox.addWidget(self.county_state)
        cbox.addWidget(self.county_fingerprint)
        cbox.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.county_key_button)
        cbox.addLayout(row)
        top.addWidget(self.county_box, 1)
        outer.addLayout(top)

        self.month_box = QGroupBox()
        grid = QGridLayout(self.month_box)
        self.month_text = QLabel()
        self.month_text.setObjectName("month_text")
        self.month_text.setWordWrap(True)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_bundle")
        self.export_button.clicked.connect(lambda: self.export_bundle())
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_return")
        self.import_button.clicked.connect(lambda: self.import_return())
        grid.addWidget(self.month_text, 0, 0, 1, 3)
        grid.addWidget(self.export_button, 1, 1)
        grid.addWidget(self.import_button, 1, 2)
        grid.setColumnStretch(0, 1)
        outer.addWidget(self.month_box)

        hist = QHBoxLayout()
        self.exports_box = QGroupBox()
        ebox = QVBoxLayout(self.exports_box)
        self.exports_table = history_table(4)
        self.exports_table.setObjectName("export_history")
        ebox.addWidget(self.exports_table)
        hist.addWidget(self.exports_box, 1)
        self.imports_box = QGroupBox()
        ibox = QVBoxLayout(self.imports_box)
        self.imports_table = history_table(4)
        self.imports_table.setObjectName("import_history")
        self.imports_table.doubleClicked.connect(lambda _i: self.show_report())
        ibox.addWidget(self.imports_table)
        self.report_button = QPushButton()
        self.report_button.setObjectName("show_import_report")
        self.report_button.clicked.connect(lambda: self.show_report())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.report_button)
        ibox.addLayout(row)
        hist.addWidget(self.imports_box, 1)
        outer.addLayout(hist, 1)

        restrict(session, Permission.IMPORT_EXPORT, self.enrol_button, self.county_key_button,
                 self.export_button, self.import_button)
        self.retranslate()

    # -- texts and data
    def retranslate(self) -> None:
        self.own_box.setTitle(_("This station's key"))
        self.own_intro.setText(_(
            "Print this fingerprint or read it out to the county when it enrols the station; "
            "give the county the enrolment file on the USB stick."))
        self.enrol_button.setText(_("Save enrolment file…"))
        self.sheet_button.setText(_("Fingerprint sheet PDF…"))
        self.county_box.setTitle(_("The county's key"))
        self.county_key_button.setText(_("Import the county's key file…"))
        self.month_box.setTitle(_("Monthly exchange"))
        self.export_button.setText(_("Export monthly bundle…"))
        self.import_button.setText(_("Import the county's return bundle…"))
        self.exports_box.setTitle(_("Bundles exported"))
        self.imports_box.setTitle(_("Return bundles imported"))
        self.report_button.setText(_("Show report…"))
        self.exports_table.setHorizontalHeaderLabels(
            [_("Written"), _("Period"), _("Rows"), _("File")])
        self.imports_table.setHorizontalHeaderLabels(
            [_("Imported"), _("Period"), _("Replies"), _("File")])
        self.refresh()

    def refresh(self) -> None:
        key = bundle_service.own_key(self.session)
        self.own_fingerprint.setText(key["fingerprint"])
        county = bundle_service.county_key(self.session)
        if county is None:
            self.county_state.setText(_(
                "Not imported yet. The county gives its key file on a USB stick and its "
                "fingerprint on paper; import the file and type the fingerprint."))
            self.county_fingerprint.setText("")
            self.month_text.setText(_("Import the county's key before the first bundle."))
        else:
            self.county_state.setText(_("{code} {name}, accepted on {at}.").format(
                code=county["code"], name=county.get("name", ""),
                at=when(county.get("enrolled_at"))))
            self.county_fingerprint.setText(county["fingerprint"])
            self.month_text.setText(_(
                "The county has acknowledged this station's changes up to no. {acked}. "
                "Unacknowledged rows travel again in every bundle until it does, so a lost "
                "stick costs nothing.").format(acked=county["acked_seq"])
                if county["acked_seq"] else _(
                "The county has not acknowledged a bundle of this station yet, so the next "
                "bundle carries every row. Rows travel again in every bundle until the "
                "county acknowledges them, so a lost stick costs nothing."))
        self.export_button.setEnabled(county is not None
                                      and self.session.can(Permission.IMPORT_EXPORT))
        self.import_button.setEnabled(county is not None
                                      and self.session.can(Permission.IMPORT_EXPORT))
        exports = [e for e in bundle_service.exports(self.session)]
        fill(self.exports_table, [[when(e["created_at"]), e["period"],
                                   str(sum(c["rows"] for c in e["counts"].values())),
                                   e["file_name"]] for e in exports])
        self._imports = bundle_service.imports(self.session)
        fill(self.imports_table, [[when(i["imported_at"]), i["period"],
                                   str(i["summary"].get("tables", {}).get(
                                       "county_replies", {}).get("new", 0)),
                                   i["file_name"]] for i in self._imports])

    # -- keys
    def save_enrolment(self, folder: str | Path | None = None) -> Path | None:
        """Write the enrolment file into a chosen folder (the stick)."""
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Folder for the enrolment file"))
            if not folder:
                return None
        try:
            path = bundle_service.export_enrolment(self.session, folder=Path(folder))
        except DomainError as exc:
            show_error(self, exc, _("Not saved"))
            return None
        tell(self, _("Enrolment file saved"), _(
            "{file} was saved in {folder}. Take it to the county with the printed "
            "fingerprint:\n{fingerprint}").format(
                file=path.name, folder=str(path.parent),
                fingerprint=bundle_service.own_key(self.session)["fingerprint"]),
             "enrolment_saved")
        self.emit_changes(Changes.of("bundle_keys"))
        return path

    def import_county_key(self, path: str | Path | None = None) -> KeyConfirmDialog | None:
        """Read the county's key file, then ask for the printed fingerprint."""
        if path is None:
            path, _f = QFileDialog.getOpenFileName(self, _("The county's key file"), "",
                                                   _(KEY_FILTER))
            if not path:
                return None
        try:
            info = bundle_service.read_key_file(path)
        except DomainError as exc:
            show_refusal(self, exc, _("Key not imported"))
            return None

        def apply(fingerprint: str, replace: bool):
            return bundle_service.import_county_key(self.session, path=path,
                                                    fingerprint=fingerprint, replace=replace)

        dialog = KeyConfirmDialog(info, apply, self)
        return self.open_dialog(dialog, lambda d: self.emit_changes(d.result_changes))

    # -- export
    def export_bundle(self) -> ExportDialog | None:
        """Show what the bundle carries; on OK ask for the folder and export."""
        try:
            dialog = ExportDialog(self.session, self)
        except DomainError as exc:
            show_error(self, exc)
            return None
        return self.open_dialog(dialog, lambda d: self.start_export(full=d.full.isChecked()))

    def start_export(self, *, full: bool = False,
                     folder: str | Path | None = None) -> tasks.Task | None:
        if folder is None:
            folder = QFileDialog.getExistingDirectory(
                self, _("Folder for the bundle (the USB stick)"))
            if not folder:
                return None
        self.task = start_task(self, self.session, bundle_service.export_bundle,
                               title=_("Export monthly bundle"),
                               text=_("Writing, reading back and checking the bundle…"),
                               on_finished=self._exported, on_failed=self._export_failed,
                               folder=Path(folder), full=full)
        return self.task

    def _exported(self, result) -> None:
        self.task = None
        self.last_export = result
        self.emit_changes(Changes.of("bundle_exports", "bundle_peers"))
        tell(self, _("Bundle exported"), _(
            "{file} ({rows} rows) was written to {folder}, read back and verified. "
            "Take the stick to the county.").format(file=result.path.name, rows=result.rows,
                                                   folder=str(result.path.parent)),
             "export_done")

    def _export_failed(self, exc) -> None:
        self.task = None
        show_refusal(self, exc, _("The bundle was not exported"))

    # -- the county's return
    def import_return(self, path: str | Path | None = None) -> tasks.Task | None:
        """Pick the return bundle; a dry run in a worker, then the summary."""
        if path is None:
            path, _f = QFileDialog.getOpenFileName(self, _("The county's return bundle"), "",
                                                   _(BUNDLE_FILTER))
            if not path:
                return None
        path = Path(path)
        self.task = start_task(self, self.session, bundle_service.import_return,
                               title=_("Import the county's return bundle"),
                               text=_("Checking the bundle…"),
                               on_finished=lambda r: self._previewed(path, r),
                               on_failed=self._import_failed, path=path, dry_run=True)
        return self.task

    def _previewed(self, path: Path, report) -> None:
        self.task = None
        dialog = ImportReportDialog([{"file": str(path), "report": report}], dry_run=True,
                                    parent=self)
        self.open_dialog(dialog, lambda d: self._apply_return(path))

    def _apply_return(self, path: Path) -> None:
        self.task = start_task(self, self.session, bundle_service.import_return,
                               title=_("Import the county's return bundle"),
                               text=_("Importing the bundle…"),
                               on_finished=self._returned, on_failed=self._import_failed,
                               path=path)

    def _returned(self, report) -> None:
        self.task = None
        self.last_import = report
        self.emit_changes(bundle_service.import_changes(report))
        self.refresh()
        replies = (report.tables.get("county_replies") or {}).get("new", 0)
        tell(self, _("Return bundle imported"), _(
            "The county's return bundle was imported: {replies} new replies. They are shown "
            "on their cases (Voters' matters) to be passed on to the voters.").format(
                replies=replies), "return_done")

    def _import_failed(self, exc) -> None:
        self.task = None
        show_refusal(self, exc)

    def show_report(self) -> ImportReportDialog | None:
        rows = self.imports_table.selectionModel().selectedRows()
        if not rows:
            return None
        dialog = ImportReportDialog([self._imports[rows[0].row()]], dry_run=False,
                                    parent=self)
        return self.open_dialog(dialog)
