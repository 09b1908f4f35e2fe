"""Import a roster from Excel or CSV: choose the file, check the columns, check the rows, import.

Nothing is saved before the last step; the import itself is one transaction
(services.roster_io.apply).  After ``exec()``/``open()`` the caller reads
``dialog.changes`` (a Changes, or None when nothing was imported).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QFileDialog, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox, QStackedWidget, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from station_desk.domain.changes import Changes
from station_desk.domain.deputies import LEVEL_LABELS, Level
from station_desk.domain.errors import DomainError
from station_desk.i18n import _, ngettext
from station_desk.services import roster_io
from station_desk.ui.widgets.errors import message_of

SAMPLE_ROWS = 3
WRAP_LIMIT = 2000  # measuring wrapped rows is slow; longer reports keep one line a row
ERROR_COLOR = "#c0392b"
STATUS_COLORS = {
    roster_io.RowStatus.OK: "#1e7b34",
    roster_io.RowStatus.NOTE: "#1f618d",
    roster_io.RowStatus.DUPLICATE: "#a04000",
    roster_io.RowStatus.ERROR: ERROR_COLOR,
}


def _status_text(status: roster_io.RowStatus) -> str:
    return {
        roster_io.RowStatus.OK: _("Ready"),
        roster_io.RowStatus.NOTE: _("Ready, see note"),
        roster_io.RowStatus.DUPLICATE: _("Likely duplicate"),
        roster_io.RowStatus.ERROR: _("Error: not imported"),
    }[status]


class RosterImportDialog(QDialog):
    """A three-step wizard over services.roster_io; ``load(path)`` skips the file chooser."""

    FILE, MAPPING, REPORT = range(3)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.changes: Changes | None = None
        self.table: roster_io.RawTable | None = None
        self.preview: roster_io.ImportPreview | None = None
        self.import_result: roster_io.ImportResult | None = None
        self.combos: list[QComboBox] = []
        self.setWindowTitle(_("Import roster"))
        self.resize(860, 580)

        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._file_page())
        self.stack.addWidget(self._mapping_page())
        self.stack.addWidget(self._report_page())

        buttons = QHBoxLayout()
        self.back_button = QPushButton(_("&Back"))
        self.next_button = QPushButton(_("&Next: check the rows"))
        self.import_button = QPushButton(_("&Import"))
        self.close_button = QPushButton(_("Cancel"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.check_rows)
        self.import_button.clicked.connect(self.do_import)
        self.close_button.clicked.connect(self._close)
        for b in (self.back_button, self.next_button, self.import_button):
            b.setAutoDefault(False)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._show_page(self.FILE)

    # -- pages ----------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        title = QLabel(_("Import deputies from an Excel workbook or a CSV file"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        box.addWidget(title)
        intro = QLabel(_(
            "The file needs one deputy per row and a row of column headers, such as 姓名, "
            "性别, 出生年月, 联系电话, 代表层级 or 이름, 성별. Excel workbooks (.xlsx) and CSV "
            "files (UTF-8 or GBK) can be read. Nothing is saved until you confirm the import "
            "in the last step."))
        intro.setWordWrap(True)
        box.addWidget(intro)
        row = QHBoxLayout()
        label = QLabel(_("&File:"))
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(_("No file chosen"))
        label.setBuddy(self.path_edit)
        self.choose_button = QPushButton(_("&Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        row.addWidget(label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        box.addLayout(row)
        self.file_error = QLabel()
        self.file_error.setWordWrap(True)
        self.file_error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.file_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_error.hide()
        box.addWidget(self.file_error)
        box.addSpacing(12)
        fields = QLabel(_(
            "Columns that can be imported: {fields}. Only the name is required; a level, term "
            "and election date for the whole file can be given in the next step. A deputy with "
            "several mandates has one line per mandate in those cells.").format(
                fields=", ".join(_(roster_io.FIELD_LABELS[f]) for f in roster_io.FIELDS)))
        fields.setWordWrap(True)
        fields.setStyleSheet("color: #555555;")
        box.addWidget(fields)
        box.addStretch(1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.file_summary = QLabel()
        self.file_summary.setWordWrap(True)
        font = self.file_summary.font()
        font.setBold(True)
        self.file_summary.setFont(font)
        box.addWidget(self.file_summary)
        hint = QLabel(_("Check which field each column of the file holds; the first rows are "
                        "shown to help. Columns set to “Not imported” are left out."))
        hint.setWordWrap(True)
        box.addWidget(hint)
        self.mapping_table = QTableWidget(0, 2 + SAMPLE_ROWS)
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setTabKeyNavigation(False)  # Tab walks the combo boxes
        self.mapping_table.setWordWrap(False)
        self.mapping_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        box.addWidget(self.mapping_table, 1)
        self.mapping_error = QLabel()
        self.mapping_error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.mapping_error.hide()
        box.addWidget(self.mapping_error)

        defaults = QGroupBox(_("For rows with an empty level, term or election date, use"))
        row = QHBoxLayout(defaults)
        self.default_level = QComboBox()
        self.default_level.addItem("—", None)
        for lv in Level:
            self.default_level.addItem(_(LEVEL_LABELS[lv]), lv.value)
        self.default_term = QSpinBox()
        self.default_term.setRange(0, 99)
        self.default_term.setSpecialValueText("—")
        self.default_elected = QLineEdit()
        self.default_elected.setPlaceholderText(_("YYYY-MM-DD"))
        self.default_elected.setMaximumWidth(130)
        for text, widget in ((_("&Level"), self.default_level), (_("&Term"), self.default_term),
                             (_("&Elected on"), self.default_elected)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            row.addSpacing(12)
        row.addStretch(1)
        box.addWidget(defaults)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        box.addWidget(self.summary)
        self.groups_label = QLabel()
        self.groups_label.setWordWrap(True)
        box.addWidget(self.groups_label)
        self.report_table = QTableWidget(0, 4)
        self.report_table.setHorizontalHeaderLabels(
            [_("Row"), _("Name"), _("Result"), _("Details")])
        self.report_table.verticalHeader().hide()
        self.report_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.report_table.setWordWrap(True)
        header = self.report_table.horizontalHeader()
        header.setStretchLastSection(True)
        header.sectionResized.connect(self._fit_rows)
        box.addWidget(self.report_table, 1)
        options = QHBoxLayout()
        self.skip_duplicates = QCheckBox(_("&Skip likely duplicates"))
        self.skip_duplicates.setChecked(True)
        self.skip_duplicates.toggled.connect(self._update_import_button)
        self.problems_only = QCheckBox(_("Show only rows that need &attention"))
        self.problems_only.toggled.connect(self._filter_report)
        options.addWidget(self.skip_duplicates)
        options.addSpacing(16)
        options.addWidget(self.problems_only)
        options.addStretch(1)
        box.addLayout(options)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        box.addWidget(self.result_label)
        return page

    # -- navigation -----------------------------------------------------------

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        done = self.import_result is not None
        self.back_button.setEnabled(index != self.FILE and not done)
        self.next_button.setVisible(index != self.REPORT)
        self.next_button.setEnabled(index == self.MAPPING and self._mapping_ok())
        self.import_button.setVisible(index == self.REPORT)
        self.close_button.setText(_("Close") if done else _("Cancel"))
        if index == self.FILE:
            self.choose_button.setDefault(True)
            self.choose_button.setFocus()
        elif index == self.MAPPING:
            self.next_button.setDefault(True)
            if self.combos:
                self.combos[0].setFocus()
        else:
            self._update_import_button()
            self.import_button.setDefault(True)
            self.report_table.setFocus()
            QTimer.singleShot(0, self._fit_rows)  # once the page has its final width

    def go_back(self) -> None:
        self._show_page(max(self.stack.currentIndex() - 1, self.FILE))

    def _close(self) -> None:
        self.reject()

    def reject(self) -> None:
        """Cancel, Close and Esc: after an import the dialog ends as accepted."""
        if self.changes:
            self.accept()
        else:
            super().reject()

    # -- step 1: the file -----------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a roster file"), str(Path.home()),
            _("Rosters (*.xlsx *.xlsm *.csv *.txt);;Excel workbooks (*.xlsx *.xlsm);;"
              "CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.load(path)

    def load(self, path: str | Path) -> bool:
        """Read ``path`` and show its columns; on a bad file, say why and stay on step 1."""
        self.path_edit.setText(str(path))
        self.file_error.hide()
        self.preview = None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.table = roster_io.read_table(path)
        except (DomainError, OSError) as exc:
            self.table = None
            self.file_error.setText(message_of(exc))
            self.file_error.show()
            self._show_page(self.FILE)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._fill_mapping(roster_io.guess_mapping(self.table.headers))
        self._show_page(self.MAPPING)
        return True

    # -- step 2: the columns --------------------------------------------------

    def _fill_mapping(self, mapping: dict[int, str]) -> None:
        t = self.table
        text = ngettext("{file}: {n} row of data", "{file}: {n} rows of data",
                        len(t.rows)).format(file=t.file_name, n=len(t.rows))
        if t.header_row != 1:
            text += " · " + _("headers in row {row}").format(row=t.header_row)
        if t.sheet:
            text += " · " + _("sheet “{sheet}”").format(sheet=t.sheet)
        self.file_summary.setText(text)

        samples = min(SAMPLE_ROWS, len(t.rows))
        mt = self.mapping_table
        mt.clear()
        mt.setColumnCount(2 + samples)
        mt.setHorizontalHeaderLabels(
            [_("Column in the file"), _("Imports as")]
            + [_("Row {n}").format(n=t.row_numbers[i]) for i in range(samples)])
        mt.setRowCount(len(t.headers))
        self.combos = []
        bold = QFont(mt.font())
        bold.setBold(True)
        for i in range(len(t.headers)):
            item = QTableWidgetItem(t.column_label(i))
            item.setFont(bold)
            mt.setItem(i, 0, item)
            combo = QComboBox()
            combo.addItem(_("— Not imported —"), None)
            for f in roster_io.FIELDS:
                combo.addItem(_(roster_io.FIELD_LABELS[f]), f)
            combo.setCurrentIndex(max(combo.findData(mapping.get(i)), 0))
            combo.setAccessibleName(t.column_label(i))
            combo.currentIndexChanged.connect(lambda _i, c=combo: self._combo_changed(c))
            mt.setCellWidget(i, 1, combo)
            self.combos.append(combo)
            for s in range(samples):
                value = roster_io.cell_text(t.rows[s][i]).replace("\n", " / ")
                sample = QTableWidgetItem(value)
                sample.setToolTip(value)
                sample.setForeground(QColor("#555555"))
                mt.setItem(i, 2 + s, sample)
        mt.resizeColumnsToContents()
        for col in range(mt.columnCount()):
            mt.setColumnWidth(col, min(max(mt.columnWidth(col) + 12, 90), 260))
        self._mapping_changed()

    def mapping(self) -> dict[int, str]:
        """The mapping as chosen in the combo boxes: column index -> field."""
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    def combo_for(self, column: int) -> QComboBox:
        return self.combos[column]

    def set_field(self, column: int, field: str | None) -> None:
        combo = self.combos[column]
        combo.setCurrentIndex(max(combo.findData(field), 0))

    def _combo_changed(self, combo: QComboBox) -> None:
        field = combo.currentData()
        if field:  # a field is held by one column: take it from the other one
            for other in self.combos:
                if other is not combo and other.currentData() == field:
                    other.blockSignals(True)
                    other.setCurrentIndex(0)
                    other.blockSignals(False)
        self.preview = None
        self._mapping_changed()

    def _mapping_ok(self) -> bool:
        return self.table is not None and "name" in self.mapping().values()

    def _mapping_changed(self) -> None:
        ok = self._mapping_ok()
        self.mapping_error.setText("" if ok else _("Choose the column that holds the name."))
        self.mapping_error.setVisible(not ok)
        for combo in self.combos:
            combo.setStyleSheet("" if combo.currentData() else "color: #777777;")
        if self.stack.currentIndex() == self.MAPPING:
            self.next_button.setEnabled(ok)

    def defaults(self) -> dict:
        return {"level": self.default_level.currentData(),
                "term": self.default_term.value() or None,
                "elected_on": self.default_elected.text().strip() or None}

    # -- step 3: the rows -----------------------------------------------------

    def check_rows(self) -> bool:
        """Check every row against the mapping and show the report."""
        if not self._mapping_ok():
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.preview = roster_io.preview(self.session, self.table, self.mapping(),
                                             defaults=self.defaults())
        except DomainError as exc:
            self.mapping_error.setText(message_of(exc))
            self.mapping_error.show()
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._fill_report()
        self._show_page(self.REPORT)
        return True

    def _column_name(self, error: roster_io.CellError) -> str:
        columns = {f: i for i, f in self.preview.mapping.items()}
        if error.field in columns:
            name = self.table.column_label(columns[error.field])
        elif error.field in roster_io.FIELD_LABELS:
            name = _(roster_io.FIELD_LABELS[error.field])
        else:
            name = ""
        if error.line:
            name = _("{column}, line {line}").format(column=name, line=error.line)
        return name

    def _details(self, r: roster_io.RowReport) -> str:
        lines = []
        for e in r.errors + r.notes:
            column = self._column_name(e)
            text = e.message(_)
            lines.append(f"{column}: {text}" if column else text)
        for d in r.duplicates:
            if d.deputy_id:
                lines.append(_("Already in the registry: {name}").format(name=d.name))
            else:
                lines.append(_("Same person as row {row} of the file?").format(row=d.row))
        return "\n".join(lines)

    def _fill_report(self) -> None:
        p = self.preview
        parts = [ngettext("{n} row", "{n} rows", len(p.rows)).format(n=len(p.rows)),
                 ngettext("{n} ready to import", "{n} ready to import",
                          p.valid_count - p.duplicate_count).format(
                     n=p.valid_count - p.duplicate_count)]
        if p.duplicate_count:
            parts.append(ngettext("{n} likely duplicate", "{n} likely duplicates",
                                  p.duplicate_count).format(n=p.duplicate_count))
        if p.error_count:
            parts.append(ngettext("{n} with errors (not imported)",
                                  "{n} with errors (not imported)",
                                  p.error_count).format(n=p.error_count))
        self.summary.setText(" · ".join(parts))
        if p.new_groups:
            self.groups_label.setText(_("New deputy groups will be created: {groups}").format(
                groups=", ".join(p.new_groups)))
        self.groups_label.setVisible(bool(p.new_groups))
        self.skip_duplicates.setEnabled(bool(p.duplicate_count))
        self.result_label.hide()

        rt = self.report_table
        rt.setRowCount(len(p.rows))
        for i, r in enumerate(p.rows):
            number = QTableWidgetItem()
            number.setData(Qt.ItemDataRole.DisplayRole, r.row)
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            rt.setItem(i, 0, number)
            rt.setItem(i, 1, QTableWidgetItem(r.name or "—"))
            status = QTableWidgetItem(_status_text(r.status))
            status.setForeground(QColor(STATUS_COLORS[r.status]))
            status.setData(Qt.ItemDataRole.UserRole, r.status.value)
            rt.setItem(i, 2, status)
            details = QTableWidgetItem(self._details(r))
            details.setToolTip(details.text())
            details.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            rt.setItem(i, 3, details)
            for col in (1, 2):
                rt.item(i, col).setTextAlignment(Qt.AlignmentFlag.AlignLeft
                                                 | Qt.AlignmentFlag.AlignTop)
        for col in range(3):
            rt.resizeColumnToContents(col)
        rt.setWordWrap(len(p.rows) <= WRAP_LIMIT)
        self._fit_rows()
        self._filter_report()

    def _fit_rows(self, *_args) -> None:
        # the details column wraps: row heights follow its width
        if self.preview is not None and len(self.preview.rows) <= WRAP_LIMIT:
            self.report_table.resizeRowsToContents()

    def _mark_imported(self, imported: set[int]) -> None:
        """After the import, say per row what happened to it."""
        for i, r in enumerate(self.preview.rows):
            if r.row in imported:
                text, color = _("Imported"), STATUS_COLORS[roster_io.RowStatus.OK]
            elif r.valid:
                text, color = _("Skipped"), STATUS_COLORS[roster_io.RowStatus.DUPLICATE]
            else:
                continue
            item = self.report_table.item(i, 2)
            item.setText(text)
            item.setForeground(QColor(color))
        self.report_table.resizeColumnToContents(2)

    def _filter_report(self) -> None:
        if self.preview is None:
            return
        only = self.problems_only.isChecked()
        for i, r in enumerate(self.preview.rows):
            self.report_table.setRowHidden(i, only and r.status is roster_io.RowStatus.OK)

    def rows_to_import(self) -> int:
        if self.preview is None:
            return 0
        return len(self.preview.to_import(skip_duplicates=self.skip_duplicates.isChecked()))

    def _update_import_button(self) -> None:
        n = self.rows_to_import() if self.import_result is None else 0
        self.import_button.setText(ngettext("&Import {n} deputy", "&Import {n} deputies", n)
                                   .format(n=n) if n else _("&Import"))
        self.import_button.setEnabled(n > 0)

    # -- the import -----------------------------------------------------------

    def do_import(self) -> bool:
        """Import the valid rows in one transaction and say what happened."""
        if self.preview is None or self.rows_to_import() == 0:
            return False
        skip = self.skip_duplicates.isChecked()
        chosen = {r.row for r in self.preview.to_import(skip_duplicates=skip)}
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.import_result = roster_io.apply(self.session, self.preview, skip_duplicates=skip)
        except DomainError as exc:
            self.result_label.setStyleSheet(f"color: {ERROR_COLOR};")
            self.result_label.setText(
                _("Nothing was imported: {reason}").format(reason=message_of(exc)))
            self.result_label.show()
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.changes = self.import_result.changes
        res = self.import_result
        text = ngettext("Imported {n} deputy.", "Imported {n} deputies.",
                        res.imported).format(n=res.imported)
        if res.skipped_invalid:
            text += " " + ngettext("{n} row with errors was not imported.",
                                   "{n} rows with errors were not imported.",
                                   res.skipped_invalid).format(n=res.skipped_invalid)
        if res.skipped_duplicates:
            text += " " + ngettext("{n} likely duplicate was skipped.",
                                   "{n} likely duplicates were skipped.",
                                   res.skipped_duplicates).format(n=res.skipped_duplicates)
        if res.groups_created:
            text += " " + _("New deputy groups: {groups}.").format(
                groups=", ".join(res.groups_created))
        self.result_label.setStyleSheet(f"color: {STATUS_COLORS[roster_io.RowStatus.OK]};"
                                        " font-weight: bold;")
        self.result_label.setText(text)
        self.result_label.show()
        self._mark_imported(chosen)
        self.skip_duplicates.setEnabled(False)
        self._show_page(self.REPORT)
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        return True
