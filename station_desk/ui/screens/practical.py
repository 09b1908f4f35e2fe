"""Practical matters for the people (为民办实事): the list with stage and progress,
a matter's milestones and linked cases, and its steps (add, advance with
confirmation, undo the last stage with a reason, progress, milestone, link a case)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QSplitter,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.cases import STATE_LABELS, CaseState
from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.errors import DomainError, NotFound
from station_desk.domain.practical import MATTER_EVENT_LABELS, STAGE_LABELS, MatterEventKind, Stage
from station_desk.i18n import N_, _, current_language, ngettext
from station_desk.services import cases, practical, registry
from station_desk.ui.screens.base import Screen
from station_desk.ui.permissions import restrict
from station_desk.ui.widgets.errors import attempt, show_error
from station_desk.ui.widgets.fields import FormFields

COLUMNS = (N_("Practical matter"), N_("Stage"), N_("Progress"), N_("Lead deputies"),
           N_("Linked cases"))
LINE, TEXT, DATE, DEPUTIES = "line", "text", "date", "deputies"


def deputy_name(d: dict) -> str:
    """The deputy's name, in Korean script when the interface is Korean and one is kept."""
    if current_language() == "ko" and d.get("name_ko"):
        return d["name_ko"]
    return d["name"]


class MatterForm(QDialog):
    """A small form from ``fields`` (name, label msgid, kind); Save runs
    ``call(values)`` and marks the fields a refusal names."""

    def __init__(self, session, title_msgid: str, fields: list[tuple[str, str, str]], call,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title_msgid = title_msgid
        self.spec = fields
        self.call = call
        self.changes = None
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        for name, label, kind in fields:
            if kind == TEXT:
                box = QPlainTextEdit()
                box.setTabChangesFocus(True)
                box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
                self.fields.add(name, box, label)
            elif kind == DEPUTIES:
                self.fields.add(name, self._deputy_list(), label)
            else:
                line = QLineEdit()
                if kind == DATE:
                    line.setPlaceholderText("YYYY-MM-DD")
                    line.setText(session.today().isoformat())
                self.fields.add(name, line, label)
        self.fields.add_fallback()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_(title_msgid))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _deputy_list(self) -> QListWidget:
        box = QListWidget()
        for d in registry.page(self.session, DeputyFilter(status="active"), offset=0,
                               limit=1000):
            item = QListWidgetItem(deputy_name(d))
            item.setData(Qt.ItemDataRole.UserRole, d["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            box.addItem(item)
        box.setFixedHeight(box.fontMetrics().lineSpacing() * 5 + 12)
        return box

    def set_value(self, name: str, value) -> None:
        widget = self.fields.widgets[name]
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                item = widget.item(i)
                item.setCheckState(Qt.CheckState.Checked
                                   if item.data(Qt.ItemDataRole.UserRole) in value
                                   else Qt.CheckState.Unchecked)
        else:
            self.fields.set_value(name, value)

    def values(self) -> dict:
        out = {}
        for name, _label, kind in self.spec:
            widget = self.fields.widgets[name]
            if kind == DEPUTIES:
                out[name] = [widget.item(i).data(Qt.ItemDataRole.UserRole)
                             for i in range(widget.count())
                             if widget.item(i).checkState() == Qt.CheckState.Checked]
            else:
                out[name] = self.fields.value(name)
        return out

    def accept(self) -> None:
        values = self.values()
        self.changes = attempt(self, lambda: self.call(values), self.fields.marks)
        if self.changes is not None:
            super().accept()


class PracticalScreen(Screen):
    """The station's practical matters for the people and their four stages."""

    key = "practical"
    title_msgid = N_("Practical matters")
    tables = frozenset(practical.TABLES) | {"deputies", "cases"}

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._rows: list[dict] = []
        self.current: dict | None = None
        root = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_matter")
        self.count_label = QLabel()
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        root.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        split.addWidget(self.table)

        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self.summary)
        lists = QHBoxLayout()
        self.milestones_label, self.cases_label, self.history_label = QLabel(), QLabel(), QLabel()
        self.milestones, self.cases, self.history = QListWidget(), QListWidget(), QListWidget()
        for label, box in ((self.milestones_label, self.milestones),
                           (self.cases_label, self.cases), (self.history_label, self.history)):
            col = QVBoxLayout()
            col.addWidget(label)
            col.addWidget(box)
            lists.addLayout(col)
        dl.addLayout(lists)
        buttons = QHBoxLayout()
        self.advance_button = QPushButton()
        self.advance_button.setObjectName("advance_stage")
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undo_stage")
        self.progress_button = QPushButton()
        self.progress_button.setObjectName("set_progress")
        self.milestone_button = QPushButton()
        self.milestone_button.setObjectName("add_milestone")
        self.link_button = QPushButton()
        self.link_button.setObjectName("link_case")
        for b in (self.advance_button, self.progress_button, self.milestone_button,
                  self.link_button, self.undo_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        dl.addLayout(buttons)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        root.addWidget(split, 1)

        self.add_button.clicked.connect(self.add_matter)
        self.advance_button.clicked.connect(self.advance)
        self.undo_button.clicked.connect(self.undo)
        self.progress_button.clicked.connect(self.set_progress)
        self.milestone_button.clicked.connect(self.add_milestone)
        self.link_button.clicked.connect(self.link_case)
        self.table.itemSelectionChanged.connect(self._show_current)
        restrict(session, Permission.EDIT_RECEPTION, self.add_button, self.advance_button,
                 self.undo_button, self.progress_button, self.milestone_button,
                 self.link_button)
        self.retranslate()
        self.refresh()

    # -- showing ---------------------------------------------------------------------

    def retranslate(self) -> None:
        self.add_button.setText(_("Add a practical matter…"))
        self.advance_button.setText(_("Next stage…"))
        self.undo_button.setText(_("Undo the last stage…"))
        self.progress_button.setText(_("Set progress…"))
        self.milestone_button.setText(_("Add a milestone…"))
        self.link_button.setText(_("Link a case…"))
        self.milestones_label.setText(_("Milestones"))
        self.cases_label.setText(_("Linked cases"))
        self.history_label.setText(_("Record of the steps"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.refresh()

    def refresh(self) -> None:
        """Re-read the matters; the selected one stays selected."""
        keep = self.current["row"]["id"] if self.current else None
        self._rows = []
        for row in practical.matters(self.session):
            try:
                self._rows.append(practical.matter(self.session, row["id"]))
            except NotFound:
                continue
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._rows))
        select = -1
        for r, m in enumerate(self._rows):
            view = m["view"]
            cells = (view.title, _(STAGE_LABELS[view.stage]), f"{view.percent} %",
                     "、".join(deputy_name(d) for d in m["leads"]), str(len(m["cases"])))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (2, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
            if m["row"]["id"] == keep:
                select = r
        self.table.blockSignals(False)
        self.count_label.setText(ngettext("{n} practical matter", "{n} practical matters",
                                          len(self._rows)).format(n=len(self._rows)))
        if select >= 0:
            self.table.selectRow(select)
        self._show_current()

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _show_current(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        r = rows[0].row() if rows else -1
        self.current = self._rows[r] if 0 <= r < len(self._rows) else None
        for box in (self.milestones, self.cases, self.history):
            box.clear()
        m = self.current
        for b in (self.advance_button, self.undo_button, self.progress_button,
                  self.milestone_button, self.link_button):
            b.setEnabled(m is not None)
        if m is None:
            self.summary.setText(_("Choose a practical matter, or add one."))
            return
        view = m["view"]
        lines = [view.title, _("Stage: {stage} · {percent} % done").format(
            stage=_(STAGE_LABELS[view.stage]), percent=view.percent)]
        if view.description:
            lines.append(view.description)
        lines.append(_("Started on {date}").format(date=view.started_on.isoformat()))
        if view.done_on:
            lines.append(_("Done on {date}").format(date=view.done_on.isoformat()))
        if m["leads"]:
            lines.append(_("Lead deputies: {names}").format(
                names="、".join(deputy_name(d) for d in m["leads"])))
        self.summary.setText("\n".join(lines))
        for ms in view.milestones:
            self.milestones.addItem(f"{ms['on']}  {ms['text']}")
        for c in m["cases"]:
            self.cases.addItem(f"{c['number']}  {_(STATE_LABELS[CaseState(c['state'])])}  "
                               f"{c['words']}")
        for t in m["timeline"]:
            text = f"{t['at'][:10]}  {_(MATTER_EVENT_LABELS[MatterEventKind(t['kind'])])}"
            detail = t["data"].get("to") or t["data"].get("reason") or t["data"].get("text")
            if t["kind"] == "advance":
                detail = _(STAGE_LABELS[Stage(t["data"]["to"])])
            elif t["kind"] == "progress":
                detail = f"{t['data']['percent']} %"
            if detail:
                text += f"  {detail}"
            if t["undone"]:
                text += "  " + _("(undone)")
            self.history.addItem(text)
        self.advance_button.setEnabled(view.next_stage is not None)
        self.undo_button.setEnabled(bool(view.moves))

    # -- steps -----------------------------------------------------------------------

    def _open(self, form: MatterForm, select_first: bool = False) -> MatterForm:
        """Show ``form`` window-modal; when saved, tell the window and re-read."""
        def saved(form: MatterForm) -> None:
            if select_first:
                self.current = None
                self.table.clearSelection()
            self.emit_changes(form.changes)
            self.refresh()
            if select_first and form.changes.created_id:
                ids = [m["row"]["id"] for m in self._rows]
                if form.changes.created_id in ids:
                    self.select_row(ids.index(form.changes.created_id))

        return self.open_dialog(form, saved)

    def _matter_id(self) -> str | None:
        return self.current["row"]["id"] if self.current else None

    def add_matter(self) -> MatterForm:
        """The form for a new practical matter (it starts at finding clues)."""
        fields = [("title", N_("Title"), LINE), ("description", N_("Description"), TEXT),
                  ("leads", N_("Lead deputies"), DEPUTIES), ("on", N_("Started on"), DATE)]

        def call(v: dict):
            return practical.create_matter(self.session, title=v["title"],
                                           description=v["description"], leads=v["leads"],
                                           on=v["on"])

        return self._open(MatterForm(self.session, N_("Add a practical matter"), fields, call,
                                     self), select_first=True)

    def advance(self) -> bool:
        """Move the selected matter to its next stage, after the clerk confirms."""
        matter_id = self._matter_id()
        if matter_id is None or self.current["view"].next_stage is None:
            return False
        view = self.current["view"]
        answer = QMessageBox.question(
            self, _("Next stage"),
            _("Move “{title}” from {stage} to {next}?").format(
                title=view.title, stage=_(STAGE_LABELS[view.stage]),
                next=_(STAGE_LABELS[view.next_stage])),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            changes = practical.advance(self.session, matter_id=matter_id)
        except DomainError as exc:
            show_error(self, exc)
            return False
        self.emit_changes(changes)
        self.refresh()
        return True

    def undo(self) -> MatterForm | None:
        """Take back the last stage move, with the reason."""
        matter_id = self._matter_id()
        if matter_id is None:
            return None
        return self._open(MatterForm(
            self.session, N_("Undo the last stage"), [("reason", N_("Reason"), TEXT)],
            lambda v: practical.undo_stage(self.session, matter_id=matter_id,
                                           reason=v["reason"]), self))

    def set_progress(self) -> MatterForm | None:
        matter_id = self._matter_id()
        if matter_id is None:
            return None
        form = MatterForm(
            self.session, N_("Set progress"),
            [("percent", N_("Progress (%)"), LINE), ("note", N_("Note"), TEXT),
             ("on", N_("Date"), DATE)],
            lambda v: practical.set_progress(self.session, matter_id=matter_id,
                                             percent=v["percent"], note=v["note"], on=v["on"]),
            self)
        form.set_value("percent", str(self.current["view"].percent))
        return self._open(form)

    def add_milestone(self) -> MatterForm | None:
        matter_id = self._matter_id()
        if matter_id is None:
            return None
        return self._open(MatterForm(
            self.session, N_("Add a milestone"),
            [("text", N_("Milestone"), LINE), ("on", N_("Date"), DATE)],
            lambda v: practical.add_milestone(self.session, matter_id=matter_id,
                                              text=v["text"], on=v["on"]), self))

    def link_case(self) -> MatterForm | None:
        matter_id = self._matter_id()
        if matter_id is None:
            return None

        def call(v: dict):
            number = v["case_id"].strip()
            case_id = cases.find(self.session, number) if number else ""
            return practical.link_case(self.session, matter_id=matter_id,
                                       case_id=case_id or number)

        return self._open(MatterForm(self.session, N_("Link a case"),
                                     [("case_id", N_("Case number"), LINE)], call, self))
