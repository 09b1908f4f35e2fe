"""The annual evaluation (履职考评): the points scheme edited in the window
(a preset to start from, items and grade bands as tables, every wrong cell
marked), running the evaluation of a period with progress, the ranked
results with grades and warnings, and the head's approval."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QProgressDialog, QPushButton, QSplitter, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.errors import DomainError, ValidationError
from station_desk.domain.evaluation import (
    GRADE_LABELS, PERIOD_UNIT_LABELS, PERIOD_UNITS, PRESET_LABELS, PRESETS, Grade)
from station_desk.domain import evaluation as evaluation_domain
from station_desk.domain.ledger import KIND_LABELS, EntryKind
from station_desk.i18n import N_, _
from station_desk.services import evaluation
from station_desk.ui.permissions import restrict
from station_desk.ui.screens.base import Screen
from station_desk.ui.screens.ledger import deputy_name, paper_lang
from station_desk.ui.widgets.errors import attempt, show_error

ITEM_COLUMNS = (N_("Item"), N_("What it counts"), N_("Points"), N_("Cap"), N_("Sign"),
                N_("Per"))
BAND_COLUMNS = (N_("Grade"), N_("From (points)"), N_("Below"))
RESULT_COLUMNS = (N_("Rank"), N_("Name"), N_("Total"), N_("First / second half"), N_("Grade"),
                  N_("Warnings"))
INVALID = QColor("#fdecea")


def _num(x) -> str:
    return "" if x is None else f"{float(x):g}"


def warning_text(w: dict) -> str:
    return evaluation_domain.warning_text(w, _)


class KindsDialog(QDialog):
    """Choose the entry kinds an item counts."""

    def __init__(self, chosen: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        for k in EntryKind:
            item = QListWidgetItem(_(KIND_LABELS[k]))
            item.setData(Qt.ItemDataRole.UserRole, k.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if k.value in chosen
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowTitle(_("What the item counts"))

    def chosen(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


def _evaluate_in_worker(session, *, period: str, report):
    """``evaluation.evaluate`` on a connection of the worker's own."""
    from station_desk.services.documents import worker_session

    own = worker_session(session)
    try:
        return evaluation.evaluate(own, period=period, progress=report)
    finally:
        own.close()


class EvaluationScreen(Screen):
    """Scheme, run, results, approval."""

    key = "evaluation"
    title_msgid = N_("Evaluation")
    tables = frozenset({"eval_schemes", "eval_runs", "eval_results", "deputies"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.scheme: dict = {}
        self.results: dict | None = None
        self.task = None  # the evaluation running on a worker
        self.progress: QProgressDialog | None = None
        root = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)

        # -- the scheme
        self.scheme_box = QGroupBox()
        sl = QVBoxLayout(self.scheme_box)
        head = QHBoxLayout()
        self.preset_label = QLabel()
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        self.load_preset_button = QPushButton()
        self.load_preset_button.setObjectName("load_preset")
        head.addWidget(self.preset_label)
        head.addWidget(self.preset)
        head.addWidget(self.load_preset_button)
        sl.addLayout(head)
        self.name = QLineEdit()
        self.name.setObjectName("scheme_name")
        self.base = QLineEdit()
        self.base.setObjectName("base")
        self.max_total = QLineEdit()
        self.max_total.setObjectName("max_total")
        self.combine = QComboBox()
        self.combine.setObjectName("combine")
        self.self_weight = QDoubleSpinBox()
        self.self_weight.setObjectName("self_weight")
        self.self_weight.setRange(0, 0.99)
        self.self_weight.setSingleStep(0.05)
        self.form_labels = [QLabel() for _i in range(5)]
        row = QHBoxLayout()
        for n, (label, widget) in enumerate(zip(self.form_labels, (
                self.name, self.base, self.max_total, self.combine, self.self_weight))):
            target = head if n == 0 else row
            target.addWidget(label)
            target.addWidget(widget, 3 if widget is self.name else 1)
        row.addStretch(1)
        sl.addLayout(row)
        tables = QHBoxLayout()
        self.items = QTableWidget(0, len(ITEM_COLUMNS))
        self.items.setObjectName("items")
        self.items.verticalHeader().hide()
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        ih = self.items.horizontalHeader()
        for col in range(len(ITEM_COLUMNS)):
            ih.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        ih.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.items.cellDoubleClicked.connect(self._cell_double_clicked)
        tables.addWidget(self.items, 3)
        self.bands = QTableWidget(0, len(BAND_COLUMNS))
        self.bands.setObjectName("bands")
        self.bands.verticalHeader().hide()
        bh = self.bands.horizontalHeader()
        for col in range(len(BAND_COLUMNS)):
            bh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        tables.addWidget(self.bands, 1)
        sl.addLayout(tables)
        buttons = QHBoxLayout()
        self.add_item_button = QPushButton()
        self.remove_item_button = QPushButton()
        self.kinds_button = QPushButton()
        self.add_band_button = QPushButton()
        self.remove_band_button = QPushButton()
        self.save_scheme_button = QPushButton()
        self.save_scheme_button.setObjectName("save_scheme")
        for b in (self.add_item_button, self.remove_item_button, self.kinds_button,
                  self.add_band_button, self.remove_band_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_scheme_button)
        sl.addLayout(buttons)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c0392b;")
        self.problems.hide()
        sl.addWidget(self.problems)
        split.addWidget(self.scheme_box)

        # -- running and the results
        self.results_box = QGroupBox()
        rl = QVBoxLayout(self.results_box)
        run = QHBoxLayout()
        self.period_label = QLabel()
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.currentIndexChanged.connect(lambda *_a: self.refresh_results())
        self.run_button = QPushButton()
        self.run_button.setObjectName("run")
        self.approve_button = QPushButton()
        self.approve_button.setObjectName("approve_run")
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("save_table")
        self.state = QLabel()
        self.state.setObjectName("state")
        for w in (self.period_label, self.period, self.run_button, self.approve_button,
                  self.pdf_button):
            run.addWidget(w)
        run.addStretch(1)
        rl.addLayout(run)
        self.state.setWordWrap(True)
        rl.addWidget(self.state)
        self.table = QTableWidget(0, len(RESULT_COLUMNS))
        self.table.setObjectName("results")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        th = self.table.horizontalHeader()
        for col in range(len(RESULT_COLUMNS)):
            th.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        th.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        rl.addWidget(self.table, 1)
        split.addWidget(self.results_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        root.addWidget(split)

        self.load_preset_button.clicked.connect(self.load_preset)
        self.add_item_button.clicked.connect(self.add_item)
        self.remove_item_button.clicked.connect(self.remove_item)
        self.kinds_button.clicked.connect(lambda: self.choose_kinds(self.items.currentRow()))
        self.add_band_button.clicked.connect(self.add_band)
        self.remove_band_button.clicked.connect(self.remove_band)
        self.save_scheme_button.clicked.connect(self.save_scheme)
        self.run_button.clicked.connect(self.run)
        self.approve_button.clicked.connect(self.approve)
        self.pdf_button.clicked.connect(self.save_pdf)
        restrict(session, Permission.APPROVE, self.save_scheme_button, self.approve_button,
                 self.load_preset_button, self.add_item_button, self.remove_item_button,
                 self.kinds_button, self.add_band_button, self.remove_band_button)
        restrict(session, Permission.EDIT_DEPUTIES, self.run_button)
        restrict(session, Permission.PRINT_PERSONAL, self.pdf_button)
        self.retranslate()

    # -- texts -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.scheme_box.setTitle(_("Points scheme"))
        self.results_box.setTitle(_("Results"))
        self.preset_label.setText(_("Start from"))
        keep = self.preset.currentData()
        self.preset.clear()
        for key in PRESETS:
            self.preset.addItem(_(PRESET_LABELS[key]), key)
        if keep:
            self.preset.setCurrentIndex(max(0, self.preset.findData(keep)))
        self.load_preset_button.setText(_("Load the preset"))
        for label, msgid in zip(self.form_labels, (N_("Scheme name"), N_("Base points"),
                                                    N_("Highest total"), N_("Combined"),
                                                    N_("Self-assessment weight"))):
            label.setText(_(msgid))
        keep = self.combine.currentData()
        self.combine.clear()
        self.combine.addItem(_("Sum over the period"), "sum")
        self.combine.addItem(_("Two halves, averaged"), "halves")
        if keep:
            self.combine.setCurrentIndex(max(0, self.combine.findData(keep)))
        self.add_item_button.setText(_("Add an item"))
        self.remove_item_button.setText(_("Remove the item"))
        self.kinds_button.setText(_("What it counts…"))
        self.add_band_button.setText(_("Add a grade"))
        self.remove_band_button.setText(_("Remove the grade"))
        self.save_scheme_button.setText(_("Save the scheme"))
        self.period_label.setText(_("Period"))
        self.run_button.setText(_("Run the evaluation"))
        self.approve_button.setText(_("Approve"))
        self.pdf_button.setText(_("Save the table as PDF…"))
        self.items.setHorizontalHeaderLabels([_(c) for c in ITEM_COLUMNS])
        self.bands.setHorizontalHeaderLabels([_(c) for c in BAND_COLUMNS])
        self.table.setHorizontalHeaderLabels([_(c) for c in RESULT_COLUMNS])
        self._fill_periods()
        self.refresh()

    def _fill_periods(self) -> None:
        keep = self.period.currentData()
        year = self.session.today().year
        self.period.blockSignals(True)
        self.period.clear()
        for y in range(year, year - 6, -1):
            self.period.addItem(str(y), str(y))
            self.period.addItem(_("{year}, first half").format(year=y), f"{y}-H1")
            self.period.addItem(_("{year}, second half").format(year=y), f"{y}-H2")
            for q in range(1, 5):  # schemes posted quarterly (Jingmen Dongbao)
                self.period.addItem(_("{year}, quarter {q}").format(year=y, q=q), f"{y}-Q{q}")
        i = self.period.findData(keep) if keep else self.period.findData(str(year - 1))
        self.period.setCurrentIndex(max(0, i))
        self.period.blockSignals(False)

    def refresh(self) -> None:
        self.show_scheme(evaluation.scheme(self.session))
        self.refresh_results()

    # -- the scheme in the window -------------------------------------------------------------

    def show_scheme(self, scheme: dict) -> None:
        self.scheme = scheme
        self.problems.hide()
        self.name.setText(scheme.get("name", ""))
        self.name.setCursorPosition(0)
        self.base.setText(_num(scheme.get("base")))
        self.max_total.setText(_num(scheme.get("max_total")))
        self.combine.setCurrentIndex(max(0, self.combine.findData(scheme.get("combine", "sum"))))
        self.self_weight.setValue(float(scheme.get("self_weight") or 0))
        self.items.setRowCount(0)
        for item in scheme.get("items") or []:
            self._add_item_row(item)
        self.bands.setRowCount(0)
        for band in scheme.get("bands") or []:
            self._add_band_row(band)

    def _combo(self, values: list[tuple[str, str]], current: str) -> QComboBox:
        box = QComboBox()
        for text, value in values:
            box.addItem(text, value)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _add_item_row(self, item: dict) -> None:
        r = self.items.rowCount()
        self.items.insertRow(r)
        label = QTableWidgetItem(item.get("label", ""))
        label.setData(Qt.ItemDataRole.UserRole, item.get("key", ""))
        self.items.setItem(r, 0, label)
        kinds = QTableWidgetItem("、".join(_(KIND_LABELS[EntryKind(k)]) for k in item.get(
            "kinds", []) if k in EntryKind._value2member_map_))
        kinds.setData(Qt.ItemDataRole.UserRole, list(item.get("kinds", [])))
        kinds.setFlags(kinds.flags() & ~Qt.ItemFlag.ItemIsEditable)
        kinds.setToolTip(_("Double-click to choose what the item counts."))
        self.items.setItem(r, 1, kinds)
        self.items.setItem(r, 2, QTableWidgetItem(_num(item.get("points"))))
        self.items.setItem(r, 3, QTableWidgetItem(_num(item.get("cap"))))
        self.items.setCellWidget(r, 4, self._combo([("+", "+"), ("−", "-")],
                                                   item.get("sign", "+")))
        self.items.setCellWidget(r, 5, self._combo(
            [(_(PERIOD_UNIT_LABELS[u]), u) for u in PERIOD_UNITS], item.get("period", "year")))

    def _add_band_row(self, band: dict) -> None:
        r = self.bands.rowCount()
        self.bands.insertRow(r)
        self.bands.setCellWidget(r, 0, self._combo([(_(GRADE_LABELS[g]), g.value) for g in Grade],
                                                   band.get("grade", "competent")))
        self.bands.setItem(r, 1, QTableWidgetItem(_num(band.get("low"))))
        self.bands.setItem(r, 2, QTableWidgetItem(_num(band.get("high"))))

    def edited_scheme(self) -> dict:
        """The scheme as the tables now show it (not yet checked)."""
        items = []
        for r in range(self.items.rowCount()):
            items.append({
                "key": self.items.item(r, 0).data(Qt.ItemDataRole.UserRole) or f"item{r + 1}",
                "label": self.items.item(r, 0).text(),
                "kinds": self.items.item(r, 1).data(Qt.ItemDataRole.UserRole) or [],
                "points": self.items.item(r, 2).text(), "cap": self.items.item(r, 3).text(),
                "sign": self.items.cellWidget(r, 4).currentData(),
                "period": self.items.cellWidget(r, 5).currentData()})
        bands = [{"grade": self.bands.cellWidget(r, 0).currentData(),
                  "low": self.bands.item(r, 1).text(), "high": self.bands.item(r, 2).text()}
                 for r in range(self.bands.rowCount())]
        return {"name": self.name.text(), "preset": self.scheme.get("preset", ""),
                "base": self.base.text(), "max_total": self.max_total.text(),
                "combine": self.combine.currentData(), "self_weight": self.self_weight.value(),
                "items": items, "bands": bands}

    def load_preset(self) -> None:
        self.show_scheme(evaluation.preset(self.preset.currentData()) | {"id": None})

    def add_item(self) -> None:
        self._add_item_row({"label": "", "kinds": [], "points": 1, "cap": None, "sign": "+",
                            "period": "year"})

    def remove_item(self) -> None:
        if self.items.currentRow() >= 0:
            self.items.removeRow(self.items.currentRow())

    def add_band(self) -> None:
        self._add_band_row({"grade": "competent", "low": None, "high": None})

    def remove_band(self) -> None:
        if self.bands.currentRow() >= 0:
            self.bands.removeRow(self.bands.currentRow())

    def _cell_double_clicked(self, row: int, col: int) -> None:
        if col == 1:
            self.choose_kinds(row)

    def choose_kinds(self, row: int) -> KindsDialog | None:
        if row < 0:
            return None
        cell = self.items.item(row, 1)
        dlg = KindsDialog(cell.data(Qt.ItemDataRole.UserRole) or [], self)

        def done(d: KindsDialog) -> None:
            chosen = d.chosen()
            cell.setData(Qt.ItemDataRole.UserRole, chosen)
            cell.setText("、".join(_(KIND_LABELS[EntryKind(k)]) for k in chosen))
        return self.open_dialog(dlg, done)

    def _clear_marks(self) -> None:
        for table in (self.items, self.bands):
            for r in range(table.rowCount()):
                for c in range(table.columnCount()):
                    cell = table.item(r, c)
                    if cell is not None:
                        cell.setBackground(QColor(0, 0, 0, 0))
                        cell.setToolTip("")
        for w in (self.name, self.base, self.max_total):
            w.setStyleSheet("")
        self.problems.hide()

    def mark(self, exc: ValidationError) -> None:
        """Colour every cell a refusal names and list the reasons under the tables."""
        self._clear_marks()
        lines = []
        columns = {"label": 0, "kinds": 1, "points": 2, "cap": 3, "sign": 4, "period": 5,
                   "grade": 0, "low": 1, "high": 2}
        for err in exc.errors:
            text = err.message(_)
            parts = err.field.split(".")
            if len(parts) == 3 and parts[0] in ("items", "bands"):
                table = self.items if parts[0] == "items" else self.bands
                r, c = int(parts[1]), columns.get(parts[2], 0)
                cell = table.item(r, c)
                if cell is not None:
                    cell.setBackground(INVALID)
                    cell.setToolTip(text)
                where = (_("Item {n}") if parts[0] == "items" else _("Grade {n}")).format(n=r + 1)
                lines.append(f"{where}: {text}")
            else:
                widget = {"name": self.name, "base": self.base,
                          "max_total": self.max_total}.get(err.field)
                if widget is not None:
                    widget.setStyleSheet("border: 1px solid #c0392b; background: #fdecea;")
                lines.append(text)
        self.problems.setText("\n".join(lines))
        self.problems.show()

    def save_scheme(self) -> bool:
        """Check and store the scheme; a refusal marks the cells and keeps the
        saved scheme (and every result) as it was."""
        try:
            changes = evaluation.save_scheme(self.session, scheme=self.edited_scheme())
        except ValidationError as exc:
            self.mark(exc)
            return False
        except DomainError as exc:
            show_error(self, exc)
            return False
        self._clear_marks()
        self.emit_changes(changes)
        self.refresh()
        return True

    # -- running and results -------------------------------------------------------------------

    def current_period(self) -> str:
        return self.period.currentData() or str(self.session.today().year - 1)

    def set_period(self, period: str) -> None:
        i = self.period.findData(period)
        if i >= 0:
            self.period.setCurrentIndex(i)

    def run(self):
        """Evaluate every deputy for the period on a worker (its own connection),
        with a progress dialog; the results show when it is done."""
        from station_desk.ui import tasks

        if self.task is not None:
            return self.task
        progress = QProgressDialog(_("Evaluating the deputies…"), "", 0, 0, self)
        progress.setObjectName("evaluation_progress")
        progress.setWindowTitle(_("Evaluation"))
        progress.setCancelButton(None)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress = progress
        self.run_button.setEnabled(False)

        def moved(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, max(total, 1)))

        def ended() -> None:
            progress.close()
            progress.deleteLater()
            self.progress = None
            self.task = None

        def finished(changes) -> None:
            ended()
            self.emit_changes(changes)
            self.refresh_results()

        def failed(exc) -> None:
            ended()
            self.refresh_results()
            show_error(self, exc, _("Evaluation"))

        self.task = tasks.start(_evaluate_in_worker, self.session, period=self.current_period(),
                                report=True, on_progress=moved, on_finished=finished,
                                on_failed=failed)
        return self.task

    def approve(self) -> bool:
        changes = attempt(self, lambda: evaluation.approve(self.session,
                                                           period=self.current_period()))
        if changes is not None:
            self.emit_changes(changes)
            self.refresh_results()
        return changes is not None

    def refresh_results(self) -> None:
        try:
            self.results = evaluation.results(self.session, period=self.current_period())
        except DomainError as exc:
            show_error(self, exc)
            self.results = None
        rows = self.results["rows"] if self.results else []
        self.table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            halves = r.get("halves") or []
            cells = [str(r["rank"]), deputy_name(r), _num(r["total"]),
                     " / ".join(_num(h) for h in halves) if len(halves) == 2 else "",
                     _(GRADE_LABELS[Grade(r["grade"])]),
                     "; ".join(warning_text(w) for w in r.get("warnings") or [])]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (0, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if c == 4 and r["grade"] in ("not_competent", "poor"):
                    item.setForeground(QColor("#a61b1b"))
                if c == 5 and cells[5]:
                    item.setForeground(QColor("#a61b1b"))
                    item.setToolTip(cells[5])
                self.table.setItem(n, c, item)
        if not self.results:
            self.state.setText(_("Not evaluated yet."))
            self.approve_button.setEnabled(False)
            self.run_button.setEnabled(True)
            return
        run = self.results["run"]
        text = _("Computed on {date} by {name} under “{scheme}”.").format(
            date=run["computed_at"][:10], name=run["computed_by"], scheme=run["scheme"]["name"])
        if run.get("approved_by"):
            text += " " + _("Approved on {date} by {name}.").format(
                date=(run.get("approved_at") or "")[:10], name=run["approved_by"])
        else:
            text += " " + _("Not yet approved.")
        self.state.setText(text)
        self.approve_button.setEnabled(not run.get("approved_by"))
        self.run_button.setEnabled(not run.get("approved_by"))

    def save_pdf(self) -> Path | None:
        from station_desk.ui.printing import save_document

        return save_document(self, self.session, "evaluation-table", lang=paper_lang(),
                             options={"period": self.current_period()})
