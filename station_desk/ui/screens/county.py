"""The county's screens (county mode): its stations, importing their bundles,
answering forwarded cases, the return bundles and the county's own key.

A month of a station is accepted (locked) by the first bundle imported for it
(services/county.py); the stations list shows the accepted months.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
    QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout,
    QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.domain.errors import DomainError
from station_desk.i18n import N_, _
from station_desk.services import bundles as bundle_service
from station_desk.services import county as county_service
from station_desk.ui import tasks
from station_desk.ui.dialogs.bundles import (
    ImportReportDialog, KeyConfirmDialog, show_refusal, start_task, tell,
)
from station_desk.ui.models.cases import state_label
from station_desk.ui.permissions import restrict
from station_desk.ui.screens.base import Screen
from station_desk.ui.screens.exchange import (
    BUNDLE_FILTER, KEY_FILTER, fill, fingerprint_label, history_table, save_key_sheet, when,
)
from station_desk.ui.widgets.date_edit import DateEdit
from station_desk.ui.widgets.errors import FieldMarks, attempt, show_error


def _button_row(*buttons: QPushButton, stretch_first: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    if stretch_first:
        row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    return row


def _selected_data(table) -> object | None:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    return table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)


class CountyStationsScreen(Screen):
    """Every enrolled station: last bundle, months covered, gaps, late this month."""

    key = "county_stations"
    title_msgid = N_("Stations")
    tables = frozenset({"bundle_peers", "bundle_imports", "period_locks"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        box = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        box.addWidget(self.intro)
        self.table = history_table(8)
        self.table.setObjectName("county_stations")
        box.addWidget(self.table, 1)
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("enrol_station")
        self.enrol_button.clicked.connect(lambda: self.enrol())
        box.addLayout(_button_row(self.enrol_button))
        restrict(session, Permission.IMPORT_EXPORT, self.enrol_button)
        self.rows: list[dict] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(_(
            "A month of a station is accepted (locked) with the first bundle imported for "
            "it; rows of a later bundle for that month are applied as late changes. A "
            "station is late when no bundle came this month by day {day}.").format(
                day=county_service.LATE_AFTER_DAY))
        self.enrol_button.setText(_("Enrol a station…"))
        self.table.setHorizontalHeaderLabels(
            [_("Code"), _("Station"), _("Bundles"), _("Last bundle"), _("Months covered"),
             _("Missing bundle no."), _("Late this month"), _("Accepted months")])
        self.refresh()

    def refresh(self) -> None:
        self.rows = county_service.stations(self.session)
        fill(self.table, [[
            s["code"], s.get("name") or "", str(s["bundles"]), when(s["last_imported_at"]),
            (f"{s['first_period']} – {s['last_period']}" if s["first_period"] else "—"),
            ", ".join(str(n) for n in s["gaps"]) or "—",
            _("late") if s["late"] else "—",
            ", ".join(s["locked_periods"][-3:]) or "—"] for s in self.rows],
            [s["code"] for s in self.rows])
        for r, s in enumerate(self.rows):
            if s["late"] or s["gaps"]:
                for c in (5, 6):
                    self.table.item(r, c).setForeground(Qt.GlobalColor.darkRed)

    def enrol(self, path: str | Path | None = None) -> KeyConfirmDialog | None:
        """Read a station's enrolment file, then ask for its printed fingerprint."""
        if path is None:
            path, _f = QFileDialog.getOpenFileName(self, _("The station's enrolment file"),
                                                   "", _(KEY_FILTER))
            if not path:
                return None
        try:
            info = bundle_service.read_key_file(path)
        except DomainError as exc:
            show_refusal(self, exc, _("Station not enrolled"))
            return None

        def apply(fingerprint: str, replace: bool):
            return county_service.enrol_station(self.session, path=path,
                                                fingerprint=fingerprint, replace=replace)

        return self.open_dialog(KeyConfirmDialog(info, apply, self),
                                lambda d: self.emit_changes(d.result_changes))


class CountyImportScreen(Screen):
    """Pick bundle files, see the dry run per bundle and table, confirm, apply."""

    key = "county_import"
    title_msgid = N_("Import bundles")
    permission = Permission.IMPORT_EXPORT
    tables = frozenset({"bundle_imports"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.task: tasks.Task | None = None
        self.progress_dialog = None
        self.last_results: list[dict] | None = None
        box = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        box.addWidget(self.intro)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("choose_bundles")
        self.choose_button.clicked.connect(lambda: self.choose())
        box.addLayout(_button_row(self.choose_button))
        self.history_box = QGroupBox()
        hb = QVBoxLayout(self.history_box)
        self.table = history_table(6)
        self.table.setObjectName("county_import_history")
        self.table.doubleClicked.connect(lambda _i: self.show_report())
        hb.addWidget(self.table)
        self.report_button = QPushButton()
        self.report_button.setObjectName("show_import_report")
        self.report_button.clicked.connect(lambda: self.show_report())
        hb.addLayout(_button_row(self.report_button))
        box.addWidget(self.history_box, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(_(
            "Choose the bundles the stations brought (one or many). Every bundle is checked "
            "and tried first without keeping anything; you see per station and table what "
            "would change, then apply. A refused bundle changes nothing and says why."))
        self.choose_button.setText(_("Choose bundle files…"))
        self.history_box.setTitle(_("Imported bundles (the kept reports)"))
        self.report_button.setText(_("Show report…"))
        self.table.setHorizontalHeaderLabels(
            [_("Imported"), _("Station"), _("Period"), _("Bundle no."), _("Rows"), _("File")])
        self.refresh()

    def refresh(self) -> None:
        self.rows = bundle_service.imports(self.session)

        def rows_of(i: dict) -> int:
            return sum(int(t.get("rows", 0) or 0)
                       for t in i["summary"].get("tables", {}).values())

        fill(self.table, [[when(i["imported_at"]), i["peer"], i["period"], str(i["serial"]),
                           str(rows_of(i)), i["file_name"]] for i in self.rows],
             list(range(len(self.rows))))

    def choose(self, paths: list[str | Path] | None = None) -> tasks.Task | None:
        """The dry run of the chosen files, in a worker; then the summary."""
        if paths is None:
            paths, _f = QFileDialog.getOpenFileNames(self, _("Bundles from the stations"), "",
                                                     _(BUNDLE_FILTER))
            if not paths:
                return None
        paths = [Path(p) for p in paths]
        self.task = start_task(self, self.session, county_service.import_many,
                               title=_("Import bundles"),
                               text=_("Checking the bundles (nothing is kept yet)…"),
                               on_finished=lambda res: self._previewed(paths, res),
                               on_failed=self._failed, paths=paths, dry_run=True)
        return self.task

    def _previewed(self, paths: list[Path], results: list[dict]) -> None:
        self.task = None
        self.last_results = results
        dialog = ImportReportDialog(results, dry_run=True, parent=self)
        ok = {Path(r["file"]) for r in results
              if "report" in r and not r["report"].already_imported}
        self.open_dialog(dialog, lambda d: self.apply([p for p in paths if p in ok]))

    def apply(self, paths: list[Path]) -> tasks.Task | None:
        if not paths:
            return None
        self.task = start_task(self, self.session, county_service.import_many,
                               title=_("Import bundles"), text=_("Importing the bundles…"),
                               on_finished=self._applied, on_failed=self._failed, paths=paths)
        return self.task

    def _applied(self, results: list[dict]) -> None:
        self.task = None
        self.last_results = results
        self.emit_changes(Changes.of("bundle_imports", "bundle_peers", "period_locks", "cases",
                                     "county_replies"))
        self.refresh()
        self.open_dialog(ImportReportDialog(results, dry_run=False, parent=self))

    def _failed(self, exc) -> None:
        self.task = None
        show_refusal(self, exc)

    def show_report(self) -> ImportReportDialog | None:
        index = _selected_data(self.table)
        if index is None:
            return None
        return self.open_dialog(ImportReportDialog([self.rows[index]], dry_run=False,
                                                   parent=self))


class CountyCasesScreen(Screen):
    """Cases the stations forwarded to county units; the county's reply to each."""

    key = "county_cases"
    title_msgid = N_("Forwarded cases")
    tables = frozenset({"cases", "county_replies", "bundle_peers"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.station_label = QLabel()
        self.station_filter = QComboBox()
        self.station_filter.setObjectName("station_filter")
        self.station_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.station_label)
        top.addWidget(self.station_filter)
        top.addStretch(1)
        outer.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = history_table(7)
        self.table.setObjectName("forwarded_cases")
        self.table.itemSelectionChanged.connect(self._show_current)
        split.addWidget(self.table)
        lower = QWidget()
        row = QHBoxLayout(lower)
        row.setContentsMargins(0, 0, 0, 0)
        self.case_box = QGroupBox()
        cb = QVBoxLayout(self.case_box)
        self.case_text = QLabel()
        self.case_text.setObjectName("county_case_text")
        self.case_text.setWordWrap(True)
        self.case_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.case_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cb.addWidget(self.case_text, 1)
        row.addWidget(self.case_box, 1)
        self.reply_box = QGroupBox()
        form = QFormLayout(self.reply_box)
        self.on = DateEdit()
        self.on.setObjectName("reply_on")
        self.unit = QLineEdit()
        self.unit.setObjectName("reply_unit")
        self.body = QPlainTextEdit()
        self.body.setObjectName("reply_body")
        self.body.setTabChangesFocus(True)
        self.on_label, self.unit_label, self.body_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.on_label, self.on)
        form.addRow(self.unit_label, self.unit)
        form.addRow(self.body_label, self.body)
        self.marks_labels = {k: QLabel() for k in ("on", "unit", "body")}
        self.fallback = QLabel()
        form.addRow("", self.fallback)
        self.marks = FieldMarks({"on": (self.on, self.marks_labels["on"]),
                                 "unit": (self.unit, self.marks_labels["unit"]),
                                 "body": (self.body, self.marks_labels["body"])},
                                self.fallback)
        for label in self.marks_labels.values():
            form.addRow("", label)
        self.reply_button = QPushButton()
        self.reply_button.setObjectName("save_reply")
        self.reply_button.clicked.connect(lambda: self.save_reply())
        form.addRow("", self.reply_button)
        row.addWidget(self.reply_box, 1)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        restrict(session, Permission.EDIT_CASES, self.reply_button)
        self.rows: list[dict] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.station_label.setText(_("Station:"))
        self.case_box.setTitle(_("The case as the station forwarded it"))
        self.reply_box.setTitle(_("The county's reply"))
        self.on_label.setText(_("Date:"))
        self.unit_label.setText(_("Unit:"))
        self.body_label.setText(_("Reply:"))
        self.reply_button.setText(_("Save reply"))
        self.on.retranslate()
        self.table.setHorizontalHeaderLabels(
            [_("Station"), _("Number"), _("Registered"), _("Responsible unit"), _("State"),
             _("Replies"), _("Words (masked)")])
        current = self.station_filter.currentData()
        self.station_filter.blockSignals(True)
        self.station_filter.clear()
        self.station_filter.addItem(_("All stations"), None)
        for s in county_service.stations(self.session):
            self.station_filter.addItem(f"{s['code']} {s.get('name') or ''}", s["code"])
        self.station_filter.setCurrentIndex(max(self.station_filter.findData(current), 0))
        self.station_filter.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        selected = self.current_case()
        rows = county_service.forwarded_cases(self.session,
                                              station=self.station_filter.currentData())
        # the cases still waiting for the county first, newest first within each
        rows.sort(key=lambda r: r["registered_on"] or "", reverse=True)
        rows.sort(key=lambda r: (r["replies"] > 0, r["state"] != "forwarded"))
        self.rows = rows
        fill(self.table, [[r["origin"], str(r["number"]), r["registered_on"] or "",
                           r["responsible_unit"] or "", state_label(r["state"]), str(r["replies"]),
                           (r["words"] or "").replace("\n", " ")[:60]] for r in self.rows],
             [r["id"] for r in self.rows])
        ids = [r["id"] for r in self.rows]
        if selected in ids:
            self.table.selectRow(ids.index(selected))
        self._show_current()

    def current_case(self) -> str | None:
        return _selected_data(self.table)

    def select_case(self, case_id: str) -> None:
        ids = [r["id"] for r in self.rows]
        if case_id in ids:
            self.table.selectRow(ids.index(case_id))

    def _show_current(self) -> None:
        case_id = self.current_case()
        row = next((r for r in self.rows if r["id"] == case_id), None)
        self.reply_button.setEnabled(row is not None
                                     and self.session.can(Permission.EDIT_CASES))
        if row is None:
            self.case_text.setText(_("Select a case to answer it."))
            return
        lines = [_("Case {number} of {station}, registered {date}").format(
                     number=row["number"], station=row["origin"], date=row["registered_on"]),
                 _("Responsible unit: {unit}, due {due}").format(
                     unit=row["responsible_unit"] or "—", due=row["due_on"] or "—"),
                 "", row["words"] or ""]
        replies = county_service.case_replies(self.session, case_id=case_id)
        if replies:
            lines.append("")
        for r in replies:
            lines.append(_("County reply {date} ({unit}): {body}").format(
                date=r["on_date"], unit=r["unit"] or "—", body=r["body"]))
        self.case_text.setText("\n".join(lines))
        if not self.unit.text():
            self.unit.setText(row["responsible_unit"] or "")

    def save_reply(self) -> Changes | None:
        case_id = self.current_case()
        if case_id is None:
            return None
        changes = attempt(self, lambda: county_service.reply_to_case(
            self.session, case_id=case_id, on=self.on.text() or self.session.today(),
            unit=self.unit.text(), body=self.body.toPlainText()), self.marks)
        if changes is None:
            return None
        self.marks.clear()
        self.body.clear()
        self.emit_changes(changes)
        return changes


class CountyReturnsScreen(Screen):
    """Return bundles: acknowledgement, replies and the roster, per station."""

    key = "county_returns"
    title_msgid = N_("Return bundles")
    permission = Permission.IMPORT_EXPORT
    tables = frozenset({"bundle_exports", "bundle_peers", "county_replies"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.task: tasks.Task | None = None
        self.progress_dialog = None
        self.last_results: list[dict] | None = None
        box = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        box.addWidget(self.intro)
        self.stations = history_table(3)
        self.stations.setObjectName("return_stations")
        box.addWidget(self.stations, 1)
        self.one_button = QPushButton()
        self.one_button.setObjectName("write_return")
        self.one_button.clicked.connect(lambda: self.write(all_stations=False))
        self.all_button = QPushButton()
        self.all_button.setObjectName("write_all_returns")
        self.all_button.clicked.connect(lambda: self.write(all_stations=True))
        box.addLayout(_button_row(self.one_button, self.all_button))
        self.history_box = QGroupBox()
        hb = QVBoxLayout(self.history_box)
        self.history = history_table(4)
        self.history.setObjectName("return_history")
        hb.addWidget(self.history)
        box.addWidget(self.history_box, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(_(
            "A return bundle tells a station which of its rows the county holds, brings the "
            "county's replies to its forwarded cases and the reference roster. Write one "
            "after importing the station's bundle."))
        self.one_button.setText(_("Write for the selected station…"))
        self.all_button.setText(_("Write for every station…"))
        self.history_box.setTitle(_("Return bundles written"))
        self.stations.setHorizontalHeaderLabels([_("Code"), _("Station"), _("Last bundle")])
        self.history.setHorizontalHeaderLabels([_("Written"), _("Station"), _("Rows"),
                                                _("File")])
        self.refresh()

    def refresh(self) -> None:
        rows = county_service.stations(self.session)
        fill(self.stations, [[s["code"], s.get("name") or "", when(s["last_imported_at"])]
                             for s in rows], [s["code"] for s in rows])
        exports = bundle_service.exports(self.session)
        fill(self.history, [[when(e["created_at"]), e["peer"],
                             str(sum(c["rows"] for c in e["counts"].values())),
                             e["file_name"]] for e in exports])

    def write(self, *, all_stations: bool, folder: str | Path | None = None,
              station: str | None = None) -> tasks.Task | None:
        codes = None
        if not all_stations:
            code = station or _selected_data(self.stations)
            if code is None:
                tell(self, _("Return bundles"), _("Select a station first."), "no_station")
                return None
            codes = [code]
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Folder for the return bundles"))
            if not folder:
                return None
        self.task = start_task(self, self.session, county_service.export_returns,
                               title=_("Return bundles"),
                               text=_("Writing, reading back and checking the return "
                                      "bundles…"),
                               on_finished=self._written, on_failed=self._failed,
                               folder=Path(folder), stations=codes)
        return self.task

    def _written(self, results: list[dict]) -> None:
        from station_desk.ui.widgets.errors import message_of

        self.task = None
        self.last_results = results
        self.emit_changes(Changes.of("bundle_exports", "bundle_peers"))
        lines = []
        for r in results:
            if "result" in r:
                lines.append(_("{station}: {file} written and verified.").format(
                    station=r["station"], file=r["result"].path.name))
            else:
                lines.append(_("{station}: not written. {reason}").format(
                    station=r["station"], reason=message_of(r["error"])))
        tell(self, _("Return bundles"), "\n".join(lines), "returns_done")

    def _failed(self, exc) -> None:
        self.task = None
        show_refusal(self, exc, _("Return bundles"))


class KeyBackupDialog(QDialog):
    """The county's secret keys to copy on paper or to an offline medium."""

    def __init__(self, backup: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("key_backup")
        self.setWindowTitle(_("Offline copy of the county's key"))
        box = QVBoxLayout(self)
        warn = QLabel(_(
            "Copy these lines to paper or to a medium kept offline (a safe, not this PC). "
            "Whoever has them can open every bundle sent to the county; without them no "
            "bundle can be opened again if this PC is lost."))
        warn.setWordWrap(True)
        box.addWidget(warn)
        text = QPlainTextEdit()
        text.setObjectName("key_backup_text")
        text.setReadOnly(True)
        text.setPlainText("\n".join([
            _("County: {code}").format(code=backup["county"]),
            _("Fingerprint: {fp}").format(fp=backup["fingerprint"]),
            "age identity: " + backup["age_identity"],
            "age recipient: " + backup["age_recipient"],
            "Ed25519 private: " + backup["signing_private"],
            "Ed25519 public: " + backup["signing_public"]]))
        box.addWidget(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.resize(760, 320)


class CountyKeyScreen(Screen):
    """The county's key: its fingerprint, the key file for the stations, and the
    offline copy (asked for until someone confirms it is kept)."""

    key = "county_key"
    title_msgid = N_("County key")
    tables = frozenset({"bundle_keys"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        box = QVBoxLayout(self)
        self.key_box = QGroupBox()
        kb = QVBoxLayout(self.key_box)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.fingerprint = fingerprint_label()
        self.fingerprint.setObjectName("county_fingerprint")
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_county_key")
        self.save_button.clicked.connect(lambda: self.save_key_file())
        kb.addWidget(self.intro)
        kb.addWidget(self.fingerprint)
        self.sheet_button = QPushButton()
        self.sheet_button.setObjectName("fingerprint_sheet")
        self.sheet_button.clicked.connect(lambda: save_key_sheet(self))
        kb.addLayout(_button_row(self.sheet_button, self.save_button))
        box.addWidget(self.key_box)
        self.backup_box = QGroupBox()
        bb = QVBoxLayout(self.backup_box)
        self.backup_state = QLabel()
        self.backup_state.setObjectName("key_backup_state")
        self.backup_state.setWordWrap(True)
        self.show_backup_button = QPushButton()
        self.show_backup_button.setObjectName("show_key_backup")
        self.show_backup_button.clicked.connect(lambda: self.show_backup())
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("confirm_key_backup")
        self.confirm_button.clicked.connect(lambda: self.confirm_backup())
        bb.addWidget(self.backup_state)
        bb.addLayout(_button_row(self.show_backup_button, self.confirm_button))
        box.addWidget(self.backup_box)
        box.addStretch(1)
        restrict(session, Permission.IMPORT_EXPORT, self.save_button)
        restrict(session, Permission.BACKUP, self.show_backup_button, self.confirm_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.key_box.setTitle(_("The county's key"))
        self.intro.setText(_(
            "Give each station the county's key file on a USB stick and this fingerprint "
            "on paper (or read it out on the phone); the station types it to accept the "
            "key."))
        self.save_button.setText(_("Save the county's key file…"))
        self.sheet_button.setText(_("Fingerprint sheet PDF…"))
        self.backup_box.setTitle(_("Offline copy of the secret key"))
        self.show_backup_button.setText(_("Show the key backup…"))
        self.confirm_button.setText(_("The copy is stored offline"))
        self.refresh()

    def refresh(self) -> None:
        key = bundle_service.own_key(self.session)
        self.fingerprint.setText(key["fingerprint"])
        if key["backed_up_at"]:
            self.backup_state.setText(_("An offline copy was confirmed on {at}.").format(
                at=when(key["backed_up_at"])))
            self.backup_state.setStyleSheet("")
        else:
            self.backup_state.setText(_(
                "No offline copy of the county's secret key has been confirmed yet. If this "
                "PC is lost, no bundle sent to the county can be opened. Show the backup, "
                "copy it to paper or an offline medium kept in a safe, then confirm."))
            self.backup_state.setStyleSheet("color: #c0392b;")
        self.confirm_button.setVisible(not key["backed_up_at"]
                                       and self.session.can(Permission.BACKUP))

    def save_key_file(self, folder: str | Path | None = None) -> Path | None:
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Folder for the county's key file"))
            if not folder:
                return None
        try:
            path = county_service.export_county_key(self.session, folder=Path(folder))
        except DomainError as exc:
            show_error(self, exc)
            return None
        tell(self, _("Key file saved"), _(
            "{file} was saved in {folder}. Give it to the stations with the fingerprint:\n"
            "{fingerprint}").format(file=path.name, folder=str(path.parent),
                                    fingerprint=self.fingerprint.text()), "key_saved")
        return path

    def show_backup(self) -> KeyBackupDialog | None:
        try:
            backup = county_service.key_backup(self.session)
        except DomainError as exc:
            show_error(self, exc)
            return None
        return self.open_dialog(KeyBackupDialog(backup, self))

    def confirm_backup(self, *, ask: bool = True) -> None:
        if ask and QMessageBox.question(self, _("Offline copy of the secret key"), _(
                "Is the copy of the county's secret key stored offline, away from this PC?")
        ) != QMessageBox.StandardButton.Yes:
            return
        changes = attempt(self, lambda: county_service.confirm_key_backup(self.session))
        if changes is not None:
            self.emit_changes(changes)
