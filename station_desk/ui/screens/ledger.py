"""A deputy's performance file (履职档案): the period's entries with their
source, the calendar of active months, declaring an entry with evidence, and
the station head's review (approve, or reject with a reason)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.errors import DomainError, ValidationError
from station_desk.domain.evaluation import GRADE_LABELS, Grade
from station_desk.domain.ledger import (
    DECLARABLE, KIND_LABELS, BadEvidence, EntryKind, EvidenceTooLarge)
from station_desk.i18n import N_, _, current_language
from station_desk.services import ledger, registry
from station_desk.ui.permissions import restrict
from station_desk.ui.screens.base import Screen
from station_desk.ui.widgets.errors import attempt, show_error
from station_desk.ui.widgets.fields import FormFields

COLUMNS = (N_("Date"), N_("Kind"), N_("Entry"), N_("Source"), N_("Review"), N_("Evidence"))
REVIEW_COLOURS = {"pending": "#b26a00", "rejected": "#a61b1b", "approved": "#1d6b35"}


def deputy_name(d: dict) -> str:
    if current_language() == "ko" and d.get("name_ko"):
        return d["name_ko"]
    return d["name"]


def paper_lang() -> str:
    return {"ko": "ko", "en": "en"}.get(current_language(), "zh_CN")


class EntriesModel(QAbstractTableModel):
    """The file's entries as a table; texts are made when a row is drawn, so a
    five-year file of thousands of entries opens as fast as a short one."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def text(self, row: int, col: int) -> str:
        e = self.rows[row]
        declared = e["source"] == "declared"
        if col == 0:
            return e["on"]
        if col == 1:
            return _(e["kind_label"])
        if col == 2:
            return entry_title(e)
        if col == 3:
            return _(e["source_label"])
        if col == 4:
            return _(e["review_label"]) if declared else ""
        return str(e.get("evidence_count") or "") if declared else ""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), col)
        if role == Qt.ItemDataRole.ForegroundRole and col == 4 and e["source"] == "declared":
            return QColor(REVIEW_COLOURS[e["review"]])
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 4 and e.get("reason"):
                return e["reason"]
            if col == 2 and e.get("notes"):
                return e["notes"]
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1,
                                                                len(COLUMNS) - 1))


def entry_title(e: dict) -> str:
    """The entry's title with its role, score, or the reason it was rejected."""
    title = e["title"]
    if e["source"] == "declared" and e.get("role"):
        title += f" ({e['role']})"
    if e["source"] == "declared" and e.get("score") is not None:
        title += f" — {e['score']:g}"
    if e["review"] == "rejected" and e.get("reason"):
        title += "  [" + e["reason"] + "]"
    return title


class MonthStrip(QWidget):
    """One small box per month of the period, filled when the deputy was
    active that month; the count is in the box and its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.months: list[dict] = []
        self.setMinimumHeight(40)
        self.setMouseTracking(True)

    def set_months(self, months: list[dict]) -> None:
        self.months = months
        self.setToolTip("  ".join(f"{m['year']}-{m['month']:02d}: {m['count']}"
                                  for m in months[-24:]))
        self.update()

    def active(self) -> int:
        return sum(1 for m in self.months if m["count"])

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(600, 40)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if not self.months:
            return
        p = QPainter(self)
        n = len(self.months)
        w = max(4.0, min(48.0, (self.width() - 4) / n))
        h = 18.0
        for i, m in enumerate(self.months):
            r = QRectF(2 + i * w, 16, w - 2, h)
            p.setPen(QPen(QColor("#9aa5b1"), 1))
            p.setBrush(QColor("#2f855a") if m["count"] else QColor("#f1f3f5"))
            p.drawRect(r)
            if m["month"] == 1 or i == 0:
                p.setPen(QColor("#333333"))
                p.drawText(QRectF(2 + i * w, 0, 60, 14), Qt.AlignmentFlag.AlignLeft,
                           str(m["year"]))
            if w >= 16 and m["count"]:
                p.setPen(QColor("white"))
                p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(m["count"]))
        p.end()


class DeclareDialog(QDialog):
    """Declare an entry from outside the station's records, with evidence files."""

    def __init__(self, session, deputy_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.deputy_id = deputy_id
        self.evidence: list[tuple[str, bytes]] = []
        self.changes = None
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        kind = QComboBox()
        for k in DECLARABLE:
            kind.addItem(_(KIND_LABELS[k]), k.value)
        self.fields.add("kind", kind, N_("Kind"))
        on = QLineEdit(session.today().isoformat())
        on.setPlaceholderText("YYYY-MM-DD")
        self.fields.add("on_date", on, N_("Date"))
        self.fields.add("title", QLineEdit(), N_("Entry"))
        self.fields.add("role", QLineEdit(), N_("Role"))
        self.fields.add("score", QLineEdit(), N_("Self-assessment score (0–100)"))
        notes = QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setFixedHeight(notes.fontMetrics().lineSpacing() * 3 + 12)
        self.fields.add("notes", notes, N_("Notes"))
        files = QWidget()
        fl = QVBoxLayout(files)
        fl.setContentsMargins(0, 0, 0, 0)
        self.files = QListWidget()
        self.files.setFixedHeight(self.files.fontMetrics().lineSpacing() * 3 + 12)
        self.add_file_button = QPushButton(_("Add a file…"))
        self.add_file_button.clicked.connect(self.choose_file)
        fl.addWidget(self.files)
        fl.addWidget(self.add_file_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow(QLabel(_("Evidence (image or PDF)")), files)
        self.evidence_error = QLabel()
        self.evidence_error.setWordWrap(True)
        self.evidence_error.setStyleSheet("color: #c0392b;")
        self.evidence_error.hide()
        form.addRow(self.evidence_error)
        self.fields.add_fallback()
        kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Declare a ledger entry"))

    def _kind_changed(self) -> None:
        self.fields.widgets["score"].setEnabled(
            self.fields.value("kind") == EntryKind.SELF_ASSESSMENT.value)

    def choose_file(self) -> None:
        chosen, _f = QFileDialog.getOpenFileNames(
            self, _("Evidence (image or PDF)"), "", _("Images and PDF (*.jpg *.jpeg *.png *.pdf)"))
        for path in chosen:
            self.add_evidence_file(path)

    def add_evidence_file(self, path: str | Path) -> bool:
        """Add a file as evidence; False (and a message) when it cannot be read."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            show_error(self, exc)
            return False
        self.evidence.append((path.name, data))
        self.files.addItem(path.name)
        return True

    def accept(self) -> None:
        values = self.fields.values()
        self.evidence_error.hide()
        self.fields.marks.clear()
        try:
            self.changes = ledger.declare(self.session, deputy_id=self.deputy_id, data=values,
                                          evidence=self.evidence)
        except (BadEvidence, EvidenceTooLarge) as exc:
            # said under the file list; what was typed stays
            self.evidence_error.setText(exc.message(_))
            self.evidence_error.show()
            return
        except ValidationError as exc:
            self.fields.marks.show(exc)
            return
        except DomainError as exc:
            show_error(self, exc)
            return
        super().accept()


class EvidenceDialog(QDialog):
    """The evidence of a declared entry: pictures shown, every file can be saved."""

    def __init__(self, session, entry_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entry = ledger.declared_entry(session, entry_id)
        layout = QVBoxLayout(self)
        self.files = QListWidget()
        self.files.setObjectName("evidence_files")
        for ev in self.entry["evidence"]:
            item = QListWidgetItem(f"{ev['name']}  ({ev['size'] // 1024 + 1} KB)")
            item.setData(Qt.ItemDataRole.UserRole, ev["id"])
            self.files.addItem(item)
        self.files.setFixedHeight(self.files.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.files)
        self.preview = QLabel()
        self.preview.setObjectName("evidence_preview")
        self.preview.setMinimumSize(420, 300)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("QLabel { background: #f4f5f7; border: 1px solid #d0d5db; }")
        layout.addWidget(self.preview, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.save_button = buttons.addButton(_("Save a copy…"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.files.currentRowChanged.connect(self.show_file)
        self.setWindowTitle(_("Evidence: {title}").format(title=self.entry["title"]))
        if self.files.count():
            self.files.setCurrentRow(0)
        else:
            self.preview.setText(_("No evidence was attached."))
            self.save_button.setEnabled(False)

    def _current(self) -> tuple[str, str, bytes] | None:
        item = self.files.currentItem()
        return ledger.evidence(self.session, item.data(Qt.ItemDataRole.UserRole)) if item else None

    def show_file(self, _row: int = 0) -> None:
        found = self._current()
        if not found:
            return
        _name, mime, data = found
        if mime.startswith("image/"):
            from PySide6.QtGui import QPixmap

            pix = QPixmap()
            pix.loadFromData(data)
            self.preview.setPixmap(pix.scaled(self.preview.size(),
                                              Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))
        else:
            self.preview.clear()
            self.preview.setText(_("A PDF file: save a copy to open it."))

    def save_copy(self) -> Path | None:
        found = self._current()
        if not found:
            return None
        name, _mime, data = found
        chosen, _f = QFileDialog.getSaveFileName(self, _("Save a copy…"), name)
        if not chosen:
            return None
        try:
            Path(chosen).write_bytes(data)
        except OSError as exc:
            show_error(self, exc)
            return None
        return Path(chosen)


class ReasonDialog(QDialog):
    """The head's reason for rejecting an entry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Why is the entry rejected? The clerk and the deputy "
                                  "will read this.")))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Reject"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Reject the entry"))
        self.call = None
        self.changes = None

    def accept(self) -> None:
        self.changes = attempt(self, lambda: self.call(self.reason.toPlainText()))
        if self.changes is not None:
            super().accept()


class LedgerScreen(Screen):
    """Every deputy's performance file and the review of declared entries."""

    key = "ledger"
    title_msgid = N_("Performance files")
    tables = frozenset({"ledger_entries", "ledger_evidence", "suggestions", "model_deputies",
                        "publicity", "activities", "activity_invitees", "duty_assignments",
                        "reception_days", "cases", "case_deputies", "practical_deputies",
                        "practical_matters", "deputies", "eval_runs", "eval_results"})
    deputy_changed = Signal(str)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.file: dict | None = None
        root = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.textChanged.connect(self._filter)
        ll.addWidget(self.search)
        self.deputies = QListWidget()
        self.deputies.setObjectName("deputies")
        self.deputies.currentItemChanged.connect(lambda *_a: self.refresh_file())
        ll.addWidget(self.deputies, 1)
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        ll.addWidget(self.pending_label)
        self.next_pending_button = QPushButton()
        self.next_pending_button.setObjectName("next_pending")
        self.next_pending_button.clicked.connect(self.next_pending)
        ll.addWidget(self.next_pending_button)
        left.setMinimumWidth(210)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.period_label = QLabel()
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.currentIndexChanged.connect(lambda *_a: self.refresh_file())
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        top.addStretch(1)
        self.card_button = QPushButton()
        self.card_button.setObjectName("save_card")
        self.card_button.clicked.connect(self.save_card)
        top.addWidget(self.card_button)
        rl.addLayout(top)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rl.addWidget(self.summary)
        self.months = MonthStrip()
        rl.addWidget(self.months)
        self.table = QTableView()
        self.table.setObjectName("entries")
        self.model = EntriesModel(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # a five-year file holds thousands of rows: size the columns by the first ones
        header.setResizeContentsPrecision(60)
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons())
        rl.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.declare_button = QPushButton()
        self.declare_button.setObjectName("declare")
        self.approve_button = QPushButton()
        self.approve_button.setObjectName("approve")
        self.reject_button = QPushButton()
        self.reject_button.setObjectName("reject")
        self.withdraw_button = QPushButton()
        self.withdraw_button.setObjectName("withdraw")
        self.evidence_button = QPushButton()
        self.evidence_button.setObjectName("evidence")
        self.model_button = QPushButton()
        self.model_button.setObjectName("add_model")
        self.publicity_button = QPushButton()
        self.publicity_button.setObjectName("add_publicity")
        for b in (self.declare_button, self.evidence_button, self.approve_button,
                  self.reject_button, self.withdraw_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.model_button)
        buttons.addWidget(self.publicity_button)
        rl.addLayout(buttons)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        root.addWidget(split)

        self.declare_button.clicked.connect(self.declare)
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.evidence_button.clicked.connect(self.show_evidence)
        self.model_button.clicked.connect(self.add_model)
        self.publicity_button.clicked.connect(self.add_publicity)
        restrict(session, Permission.EDIT_DEPUTIES, self.declare_button, self.withdraw_button,
                 self.model_button, self.publicity_button)
        restrict(session, Permission.APPROVE, self.approve_button, self.reject_button)
        restrict(session, Permission.PRINT_PERSONAL, self.card_button)
        self._fill_periods()
        self.retranslate()
        self.refresh()

    # -- texts ----------------------------------------------------------------------------

    def _fill_periods(self) -> None:
        keep = self.period.currentData()
        year = self.session.today().year
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItem(_("This year ({year})").format(year=year), str(year))
        for y in range(year - 1, year - 6, -1):
            self.period.addItem(str(y), str(y))
            self.period.addItem(_("{year}, first half").format(year=y), f"{y}-H1")
            self.period.addItem(_("{year}, second half").format(year=y), f"{y}-H2")
        self.period.addItem(_("Whole term"), "term")
        i = self.period.findData(keep) if keep else 1
        self.period.setCurrentIndex(max(0, i))
        self.period.blockSignals(False)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Find a deputy"))
        self.period_label.setText(_("Period"))
        self.card_button.setText(_("Save the card as PDF…"))
        self.declare_button.setText(_("Declare an entry…"))
        self.approve_button.setText(_("Approve"))
        self.reject_button.setText(_("Reject…"))
        self.withdraw_button.setText(_("Withdraw"))
        self.evidence_button.setText(_("Evidence…"))
        self.model_button.setText(_("Chosen as a model…"))
        self.publicity_button.setText(_("Publicity report…"))
        self.next_pending_button.setText(_("Next entry waiting for review"))
        self.model.retranslate()
        self._fill_periods()
        self.refresh()

    # -- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.deputy_id()
        pending = ledger.pending(self.session)
        waiting: dict[str, int] = {}
        for p in pending:
            waiting[p["deputy_id"]] = waiting.get(p["deputy_id"], 0) + 1
        self.deputies.blockSignals(True)
        self.deputies.clear()
        select = None
        for d in registry.roster(self.session):
            text = deputy_name(d)
            if waiting.get(d["id"]):
                text += "  " + _("({n} waiting)").format(n=waiting[d["id"]])
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, d["id"])
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{d['name']} {d.get('name_ko') or ''}")
            if waiting.get(d["id"]):
                item.setForeground(QColor(REVIEW_COLOURS["pending"]))
            self.deputies.addItem(item)
            if d["id"] == keep:
                select = item
        self.deputies.blockSignals(False)
        self._pending = pending
        self.pending_label.setText(_("Entries waiting for review: {n}").format(n=len(pending)))
        self.next_pending_button.setEnabled(bool(pending))
        self._filter(self.search.text())
        if select is None and self.deputies.count():
            select = self.deputies.item(0)
        if select is not None:
            self.deputies.setCurrentItem(select)
        self.refresh_file()

    def _filter(self, text: str) -> None:
        text = text.strip()
        for i in range(self.deputies.count()):
            item = self.deputies.item(i)
            item.setHidden(bool(text) and text not in item.data(Qt.ItemDataRole.UserRole + 1))

    def deputy_id(self) -> str | None:
        item = self.deputies.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_deputy(self, deputy_id: str) -> bool:
        for i in range(self.deputies.count()):
            if self.deputies.item(i).data(Qt.ItemDataRole.UserRole) == deputy_id:
                self.deputies.setCurrentRow(i)
                return True
        return False

    def set_period(self, period: str) -> bool:
        i = self.period.findData(period)
        if i >= 0:
            self.period.setCurrentIndex(i)
        return i >= 0

    def _bounds(self) -> tuple[object, object, str]:
        from station_desk.domain.evaluation import Period

        value = self.period.currentData() or str(self.session.today().year)
        deputy_id = self.deputy_id()
        if value == "term" and deputy_id:
            low, high = ledger.term_bounds(self.session, deputy_id)
            return low, high, ""
        p = Period.parse(value)
        return p.start, min(p.end, self.session.today()), str(p)

    def refresh_file(self) -> None:
        deputy_id = self.deputy_id()
        self.model.set_rows([])
        if not deputy_id:
            self.file = None
            self.summary.setText(_("Choose a deputy."))
            self.months.set_months([])
            self._update_buttons()
            return
        low, high, label = self._bounds()
        try:
            self.file = ledger.deputy_file(self.session, deputy_id=deputy_id, since=low,
                                           until=high)
        except DomainError as exc:
            show_error(self, exc)
            return
        from station_desk.services import evaluation

        result = evaluation.deputy_result(self.session, deputy_id=deputy_id, period=label) \
            if label else None
        entries = self.file["entries"]
        self.model.set_rows(entries)
        d = self.file["deputy"]
        counted = sum(1 for e in entries if e["counts"])
        lines = [_("{name}: {n} entries counted, {active} of {months} months active").format(
            name=deputy_name(d), n=counted, active=self.months_active(),
            months=len(self.file["months"]))]
        if self.file["pending"]:
            lines.append(_("{n} declared entries wait for the head's review.").format(
                n=self.file["pending"]))
        if result:
            lines.append(_("Evaluation {period}: {total} points, {grade}, rank {rank}").format(
                period=label, total=f"{result['total']:g}",
                grade=_(GRADE_LABELS[Grade(result["grade"])]), rank=result["rank"]))
        self.months.set_months(self.file["months"])
        self.summary.setText("\n".join(lines))
        self._update_buttons()

    def months_active(self) -> int:
        return sum(1 for m in (self.file or {}).get("months", []) if m["count"])

    def selected_entry(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not self.file:
            return None
        return self.file["entries"][rows[0].row()]

    def select_entry(self, title: str) -> bool:
        for r, e in enumerate((self.file or {}).get("entries", [])):
            if e["title"] == title:
                self.table.selectRow(r)
                return True
        return False

    def _update_buttons(self) -> None:
        e = self.selected_entry()
        waiting = bool(e and e["source"] == "declared" and e["review"] == "pending")
        for b in (self.approve_button, self.reject_button, self.withdraw_button):
            b.setEnabled(waiting)
        self.evidence_button.setEnabled(bool(e and e["source"] == "declared"
                                             and e.get("evidence_count")))
        for b in (self.declare_button, self.model_button, self.publicity_button):
            b.setEnabled(self.deputy_id() is not None)

    # -- doing -----------------------------------------------------------------------------

    def _done(self, changes) -> None:
        if changes:
            self.emit_changes(changes)
            self.refresh()

    def declare(self) -> DeclareDialog | None:
        deputy_id = self.deputy_id()
        if not deputy_id:
            return None
        dlg = DeclareDialog(self.session, deputy_id, self)
        return self.open_dialog(dlg, lambda d: self._done(d.changes))

    def approve_selected(self) -> bool:
        e = self.selected_entry()
        if not e:
            return False
        changes = attempt(self, lambda: ledger.approve(self.session, entry_id=e["source_id"]))
        self._done(changes)
        return changes is not None

    def reject_selected(self) -> ReasonDialog | None:
        e = self.selected_entry()
        if not e:
            return None
        dlg = ReasonDialog(self)
        dlg.call = lambda reason: ledger.reject(self.session, entry_id=e["source_id"],
                                                reason=reason)
        return self.open_dialog(dlg, lambda d: self._done(d.changes))

    def withdraw_selected(self) -> bool:
        e = self.selected_entry()
        if not e:
            return False
        changes = attempt(self, lambda: ledger.withdraw(self.session, entry_id=e["source_id"]))
        self._done(changes)
        return changes is not None

    def show_evidence(self) -> EvidenceDialog | None:
        e = self.selected_entry()
        if not e or e["source"] != "declared":
            return None
        return self.open_dialog(EvidenceDialog(self.session, e["source_id"], self))

    def add_model(self):
        """Record that the deputy was chosen as a model deputy (选树先进典型)."""
        from station_desk.ui.screens.practical import LINE, TEXT, MatterForm

        deputy_id = self.deputy_id()
        if not deputy_id:
            return None
        fields = [("year", N_("Year"), LINE), ("title", N_("Title"), LINE),
                  ("chosen_by", N_("Chosen by"), LINE), ("notes", N_("Notes"), TEXT)]
        form = MatterForm(self.session, N_("Chosen as a model deputy"), fields, lambda v:
                          ledger.add_model(self.session, deputy_id=deputy_id, **v), self)
        form.set_value("year", str(self.session.today().year))
        return self.open_dialog(form, lambda d: self._done(d.changes))

    def add_publicity(self):
        """Record a report about the deputy (事迹报道)."""
        from station_desk.ui.screens.practical import DATE, LINE, TEXT, MatterForm

        deputy_id = self.deputy_id()
        if not deputy_id:
            return None
        fields = [("on_date", N_("Date"), DATE), ("outlet", N_("Published in"), LINE),
                  ("title", N_("Title"), LINE), ("notes", N_("Notes"), TEXT)]
        form = MatterForm(self.session, N_("Publicity report"), fields, lambda v:
                          ledger.add_publicity(self.session, deputy_id=deputy_id, **v), self)
        return self.open_dialog(form, lambda d: self._done(d.changes))

    def next_pending(self) -> None:
        if self._pending:
            first = self._pending[0]
            self.select_deputy(first["deputy_id"])
            self.set_period(first["on_date"][:4])
            self.select_entry(first["title"])

    def save_card(self) -> Path | None:
        from station_desk.ui.printing import save_document

        deputy_id = self.deputy_id()
        if not deputy_id:
            return None
        period = self.period.currentData() or ""
        return save_document(self, self.session, "deputy-card", lang=paper_lang(),
                             options={"deputy": deputy_id[:8], "period": period})

