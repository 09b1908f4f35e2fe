"""Ticking attendance from the signed sheet, one key per row.

The rows are the invitees in the sign-in sheet's order.  P / 1 marks the
current row present, L / 2 on leave (asking the reason and who approved it
when none is recorded), A / 3 absent, Space / 0 / Backspace clears the mark;
each key saves at once through ``services.activities`` and moves to the next
row.  Ctrl+Z puts back the state before the last mark.  The whole list is
read once (one service call) into a plain table model, so 200 people open at
once.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from station_desk.domain.activities import ATTENDANCE_LABELS, Attendance
from station_desk.domain.changes import Changes
from station_desk.domain.errors import DomainError
from station_desk.i18n import N_, _, format_date
from station_desk.services import activities
from station_desk.ui.widgets.errors import message_of

# (key, header msgid)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", N_("No.")),
    ("name", N_("Name")),
    ("name_ko", N_("Korean reading")),
    ("unit", N_("Unit / post")),
    ("attendance", N_("Attendance")),
    ("time", N_("Time")),
    ("leave", N_("Leave reason")),
)
COLUMN_KEYS = tuple(c[0] for c in COLUMNS)
STATE_COLUMN = COLUMN_KEYS.index("attendance")

# colours of a state: (text, background)
STATE_COLORS = {
    Attendance.PRESENT: ("#1e6b34", "#e3f3e7"),
    Attendance.LEAVE: ("#8a4b00", "#fdf0dc"),
    Attendance.ABSENT: ("#a8261b", "#fbe4e2"),
    Attendance.UNMARKED: ("#6b7280", None),
}

KEYS = {
    Qt.Key.Key_P: Attendance.PRESENT, Qt.Key.Key_1: Attendance.PRESENT,
    Qt.Key.Key_L: Attendance.LEAVE, Qt.Key.Key_2: Attendance.LEAVE,
    Qt.Key.Key_A: Attendance.ABSENT, Qt.Key.Key_3: Attendance.ABSENT,
    Qt.Key.Key_Space: Attendance.UNMARKED, Qt.Key.Key_0: Attendance.UNMARKED,
    Qt.Key.Key_Backspace: Attendance.UNMARKED,
}


def time_text(signed_at: str | None) -> str:
    """'2026-03-09T14:05' or '14:05:00' -> '14:05'."""
    if not signed_at:
        return ""
    t = signed_at.split("T")[-1].split(" ")[-1]
    return t[:5]


class AttendanceModel(QAbstractTableModel):
    """The invitees of one activity, as the service gave them (one read)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes = {state: (QBrush(QColor(fg)), QBrush(QColor(bg)) if bg else None)
                         for state, (fg, bg) in STATE_COLORS.items()}
        self._labels: dict[str, str] = {}
        self.retranslate()

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def replace_rows(self, rows: list[dict]) -> None:
        """New data for the same people (after a mark): no reset, the view keeps
        its current row and scroll position."""
        if [r["id"] for r in rows] != [r["id"] for r in self.rows]:
            self.set_rows(rows)
            return
        self.rows = list(rows)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def retranslate(self) -> None:
        self._labels = {state.value: _(msgid) for state, msgid in ATTENDANCE_LABELS.items()}
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def state_label(self, state: str) -> str:
        return self._labels.get(state, state)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return _(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        key = COLUMN_KEYS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(index.row(), r, key)
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if key in ("unit", "leave", "name") and text else None
            return text
        state = r.get("attendance") or Attendance.UNMARKED
        if key == "attendance":
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._brushes[Attendance(state)][0]
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._brushes[Attendance(state)][1]
            if role == Qt.ItemDataRole.FontRole and state != Attendance.UNMARKED:
                return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("number", "time"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, row: int, r: dict, key: str) -> str:
        if key == "number":
            return str(row + 1)
        if key == "name":
            name = r.get("name") or ""
            return f"{name} *" if r.get("outsider") else name
        if key == "name_ko":
            return r.get("name_ko") or ""
        if key == "unit":
            return " · ".join(x for x in (r.get("unit"), r.get("post")) if x)
        if key == "attendance":
            return self.state_label(r.get("attendance") or Attendance.UNMARKED)
        if key == "time":
            return time_text(r.get("signed_at")) if r.get("attendance") == "present" else ""
        if key == "leave":
            if r.get("attendance") != Attendance.LEAVE:
                return ""
            reason = r.get("leave_reason") or ""
            by = r.get("leave_approved_by") or ""
            if reason and by:
                return _("{reason} (approved by {name})").format(reason=reason, name=by)
            return reason
        return ""


class LeaveDialog(QDialog):
    """The reason for a leave and who approved it (the station head by default)."""

    def __init__(self, person: str, approvers: list[str], parent: QWidget | None = None, *,
                 reason: str = "", approved_by: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Leave: {name}").format(name=person))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.reason = QLineEdit(reason)
        self.reason.setObjectName("leave_reason")
        self.reason.setPlaceholderText(_("e.g. ill, away on business"))
        self.approved_by = QComboBox()
        self.approved_by.setObjectName("leave_approved_by")
        self.approved_by.setEditable(True)
        for name in approvers:
            self.approved_by.addItem(name)
        self.approved_by.setEditText(approved_by or (approvers[0] if approvers else ""))
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("Approved by"), self.approved_by)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Record leave"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.reason.text().strip()))

    def values(self) -> tuple[str, str]:
        return self.reason.text().strip(), self.approved_by.currentText().strip()


class AttendanceDialog(QDialog):
    """Attendance of one activity.  Every mark is saved at once; ``changes``
    holds all of them when the dialog closes (the caller emits them)."""

    def __init__(self, session, activity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.activity_id = activity_id
        self.changes = Changes()
        # (invitee id, attendance, signed_at) before each mark, newest last
        self.undo_stack: list[list[tuple[str, str, str]]] = []
        self.leave_dialog: LeaveDialog | None = None  # open while asking (tests fill it)
        self.activity: dict = {}
        self.setObjectName("attendance_dialog")
        self.resize(960, 680)

        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 10)
        root.setSpacing(8)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.heading.setFont(f)
        self.when = QLabel()
        self.when.setObjectName("when")
        self.when.setTextFormat(Qt.TextFormat.PlainText)
        self.when.setStyleSheet("color: #555;")
        root.addWidget(self.heading)
        root.addWidget(self.when)

        counts = QHBoxLayout()
        counts.setSpacing(6)
        self.count_labels: dict[str, QLabel] = {}
        for key in ("expected", "present", "leave", "absent", "unmarked"):
            label = QLabel()
            label.setObjectName(f"count_{key}")
            fg, bg = STATE_COLORS.get(Attendance(key), ("#1f2937", "#eef2f7")) \
                if key != "expected" else ("#1f2937", "#eef2f7")
            label.setStyleSheet(f"color: {fg}; background: {bg or '#f1f3f5'};"
                                " border-radius: 10px; padding: 3px 12px;")
            self.count_labels[key] = label
            counts.addWidget(label)
        counts.addStretch(1)
        root.addLayout(counts)

        self.keys_help = QLabel()
        self.keys_help.setObjectName("keys_help")
        self.keys_help.setWordWrap(True)
        self.keys_help.setStyleSheet("color: #444; background: #f5f7fa; border: 1px solid #dde3ea;"
                                     " border-radius: 4px; padding: 5px 8px;")
        root.addWidget(self.keys_help)

        self.model = AttendanceModel(self)
        self.table = QTableView()
        self.table.setObjectName("attendance")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(True)
        # a clear current row even when the table has not the focus
        self.table.setStyleSheet(
            "QTableView::item:selected { background: #cfe3ff; color: black; }"
            "QTableView::item:selected:!active { background: #cfe3ff; color: black; }")
        self.table.installEventFilter(self)
        root.addWidget(self.table, 1)

        self.message = QFrame()
        self.message.setObjectName("message")
        self.message.setStyleSheet("#message { background: #fdecea; border: 1px solid #e6a39c;"
                                   " border-radius: 4px; }")
        mrow = QHBoxLayout(self.message)
        mrow.setContentsMargins(10, 4, 10, 4)
        self.message_label = QLabel()
        self.message_label.setObjectName("message_text")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #a8261b;")
        mrow.addWidget(self.message_label, 1)
        self.message.hide()
        root.addWidget(self.message)

        bottom = QHBoxLayout()
        self.all_present_button = QPushButton()
        self.all_present_button.setObjectName("all_present")
        self.all_absent_button = QPushButton()
        self.all_absent_button.setObjectName("all_absent")
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undo")
        self.close_button = QPushButton()
        self.close_button.setObjectName("close")
        for b in (self.all_present_button, self.all_absent_button, self.undo_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the table
            bottom.addWidget(b)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        root.addLayout(bottom)

        self.all_present_button.clicked.connect(lambda: self.mark_all_unmarked(Attendance.PRESENT))
        self.all_absent_button.clicked.connect(lambda: self.mark_all_unmarked(Attendance.ABSENT))
        self.undo_button.clicked.connect(self.undo)
        self.close_button.clicked.connect(self.accept)
        self.undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        self.undo_shortcut.activated.connect(self.undo)

        self.reload()
        self.retranslate()
        self._size_columns()
        if self.model.rowCount():
            first = next((i for i, r in enumerate(self.model.rows)
                          if r.get("attendance", "unmarked") == Attendance.UNMARKED), 0)
            self.set_current_row(first)
        self.table.setFocus()

    # -- data -------------------------------------------------------------------

    def reload(self) -> None:
        """Read the activity and its invitees again (one service call)."""
        self.activity = activities.activity(self.session, self.activity_id)
        self.model.replace_rows(self.activity.get("invitees") or [])
        self._update_counts()
        self._update_heading()

    def _update_heading(self) -> None:
        a = self.activity
        self.heading.setText(a.get("title") or "")
        starts, ends = a.get("starts_at") or "", a.get("ends_at") or ""
        when = f"{format_date(starts[:10])} {starts[11:16]}"
        if ends:
            same_day = ends[:10] == starts[:10]
            when += " – " + (ends[11:16] if same_day else
                             f"{format_date(ends[:10])} {ends[11:16]}")
        place = a.get("place") or ""
        self.when.setText(f"{when}    {place}".strip())

    def _update_counts(self) -> None:
        c = self.activity.get("counts") or {}
        texts = {"expected": _("Expected: {n}"), "present": _("Present: {n}"),
                 "leave": _("On leave: {n}"), "absent": _("Absent: {n}"),
                 "unmarked": _("Not marked: {n}")}
        for key, label in self.count_labels.items():
            label.setText(texts[key].format(n=c.get(key, 0)))
        unmarked = c.get("unmarked", 0)
        self.all_present_button.setEnabled(unmarked > 0)
        self.all_absent_button.setEnabled(unmarked > 0)
        self.undo_button.setEnabled(bool(self.undo_stack))

    def counts(self) -> dict:
        return dict(self.activity.get("counts") or {})

    # -- texts ------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(_("Attendance"))
        self.keys_help.setText(_(
            "One key per row, as on the signed sheet:  P or 1 present  ·  L or 2 on leave  ·  "
            "A or 3 absent  ·  Space or 0 clear  ·  ↑ ↓ move  ·  Ctrl+Z undo.  "
            "Every mark is saved at once."))
        self.all_present_button.setText(_("All not marked → present"))
        self.all_absent_button.setText(_("All not marked → absent"))
        self.undo_button.setText(_("Undo (Ctrl+Z)"))
        self.close_button.setText(_("Close"))
        self.model.retranslate()
        self._update_counts()
        self._update_heading()

    def _size_columns(self) -> None:
        fm = self.table.fontMetrics()
        hh = self.table.horizontalHeader()
        hfm = hh.fontMetrics()

        def width(key: str, sample: str) -> int:
            msgid = COLUMNS[COLUMN_KEYS.index(key)][1]
            return max(fm.horizontalAdvance(sample), hfm.horizontalAdvance(_(msgid))) + 24

        hh.resizeSection(0, width("number", "000"))
        hh.resizeSection(1, width("name", "金明哲哲 *"))
        hh.resizeSection(2, width("name_ko", "김명철철"))
        hh.resizeSection(3, fm.averageCharWidth() * 34)
        hh.resizeSection(4, width("attendance", max(
            (_(m) for m in ATTENDANCE_LABELS.values()), key=fm.horizontalAdvance)))
        hh.resizeSection(5, width("time", "00:00"))

    # -- navigation -------------------------------------------------------------

    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def set_current_row(self, row: int) -> None:
        if not self.model.rowCount():
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, 0)
        sm = self.table.selectionModel()
        sm.setCurrentIndex(index, sm.SelectionFlag.ClearAndSelect | sm.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.table and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress:
            if event.matches(QKeySequence.StandardKey.Undo):
                self.undo()
                return True
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods == Qt.KeyboardModifier.NoModifier and event.key() in KEYS:
                self.key_mark(KEYS[Qt.Key(event.key())])
                return True
            if mods == Qt.KeyboardModifier.NoModifier and event.key() in (
                    Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.set_current_row(self.current_row() + 1)
                return True
            # Home / End go to the first / last person (the view would change column)
            if event.key() == Qt.Key.Key_Home:
                self.set_current_row(0)
                return True
            if event.key() == Qt.Key.Key_End:
                self.set_current_row(self.model.rowCount() - 1)
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Enter moves down in the table; it must not close the dialog
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)

    # -- marking ----------------------------------------------------------------

    def key_mark(self, state: Attendance) -> bool:
        """Mark the current row ``state``, save it, move to the next row."""
        row = self.current_row()
        if not 0 <= row < self.model.rowCount():
            return False
        r = self.model.rows[row]
        if state == Attendance.LEAVE and not (r.get("leave_reason") or "").strip():
            if not self.ask_leave(row):
                return False
            # the leave reason was saved with the mark
            self.set_current_row(row + 1)
            return True
        if not self._save({r["id"]: state.value}):
            return False
        self.set_current_row(row + 1)
        return True

    def _approvers(self) -> list[str]:
        """Who may approve a leave: the station head first, then the other staff."""
        from station_desk.domain.station import StaffRole
        from station_desk.services import station

        staff = [s for s in station.staff(self.session, include_past=False)]
        order = {StaffRole.HEAD.value: 0, StaffRole.DEPUTY_HEAD.value: 1}
        staff.sort(key=lambda s: order.get(s.get("role"), 2))
        return [s["name"] for s in staff if s.get("name")]

    def ask_leave(self, row: int) -> bool:
        """Ask the reason and approver of a leave for ``row``, then save both
        and the mark; False when cancelled or refused."""
        r = self.model.rows[row]
        dialog = LeaveDialog(r.get("name") or "", self._approvers(), self,
                             reason=r.get("leave_reason") or "",
                             approved_by=r.get("leave_approved_by") or "")
        self.leave_dialog = dialog
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            reason, approved_by = dialog.values()
        finally:
            self.leave_dialog = None
            dialog.deleteLater()
        before = self._snapshot([r["id"]])
        try:  # the service marks the person on leave with the reason
            changes = activities.record_leave(self.session, invitee_id=r["id"], reason=reason,
                                              approved_by=approved_by)
        except DomainError as exc:
            self._refused(exc)
            return False
        self._saved(changes, before)
        return True

    def _snapshot(self, ids: list[str]) -> list[tuple[str, str, str]]:
        by_id = {r["id"]: r for r in self.model.rows}
        return [(i, by_id[i].get("attendance") or Attendance.UNMARKED.value,
                 by_id[i].get("signed_at") or "") for i in ids]

    def _save(self, marks: dict[str, str], *, remember: bool = True) -> bool:
        before = self._snapshot(list(marks))
        try:
            changes = activities.mark(self.session, activity_id=self.activity_id, marks=marks)
        except DomainError as exc:
            self._refused(exc)
            return False
        self._saved(changes, before if remember else None)
        return True

    def _saved(self, changes: Changes, before: list | None) -> None:
        self.changes = self.changes | changes
        if before is not None:
            self.undo_stack.append(before)
        self.message.hide()
        self.reload()

    def _refused(self, exc: DomainError) -> None:
        self.message_label.setText(message_of(exc))
        self.message.show()

    def mark_all_unmarked(self, state: Attendance, *, confirm: bool = True) -> bool:
        """Every row not marked yet gets ``state`` (after a question), in one save."""
        ids = [r["id"] for r in self.model.rows
               if (r.get("attendance") or Attendance.UNMARKED) == Attendance.UNMARKED]
        if not ids:
            return False
        if confirm:
            text = (_("Mark the {n} people not marked yet as present?") if state ==
                    Attendance.PRESENT else _("Mark the {n} people not marked yet as absent?"))
            answer = QMessageBox.question(
                self, _("Attendance"), text.format(n=len(ids)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self._save({i: state.value for i in ids})

    def undo(self) -> bool:
        """Put back the states before the last mark."""
        if not self.undo_stack:
            return False
        before = self.undo_stack[-1]
        marks = {invitee_id: state for invitee_id, state, _t in before}
        # someone present again gets back the time they signed at
        times = {invitee_id: t for invitee_id, state, t in before
                 if state == Attendance.PRESENT and t}
        try:
            changes = activities.mark(self.session, activity_id=self.activity_id, marks=marks,
                                      signed_at=times or None)
        except DomainError as exc:
            self._refused(exc)
            self.reload()
            return False
        self.undo_stack.pop()
        self._saved(changes, None)
        ids = [b[0] for b in before]
        rows = [i for i, r in enumerate(self.model.rows) if r["id"] in ids]
        if rows:
            self.set_current_row(rows[0])
        return True
