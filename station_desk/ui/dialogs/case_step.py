"""One form for every step of a case, and for registering a new one.

Each step's fields come from ``STEP_FIELDS`` (name, label msgid, kind); the
names are the service's keyword arguments and the field names its
ValidationError uses, so a refused step marks exactly the wrong fields.
Keyboard only: Tab moves between fields (also out of the text boxes), Enter
in a line saves.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QVBoxLayout, QWidget,
)

from station_desk.domain import cases as dom
from station_desk.domain.cases import EventKind as K
from station_desk.domain.changes import Changes
from station_desk.domain.deputies import DeputyFilter
from station_desk.i18n import N_, _
from station_desk.services import cases, registry
from station_desk.ui.widgets.errors import attempt
from station_desk.ui.widgets.fields import FormFields

DATE = "date"        # a date, today unless changed
OPT_DATE = "opt_date"  # a date that may stay empty
LINE, TEXT, CHECK, NUMBER = "line", "text", "check", "number"
DEPUTIES = "deputies"  # serving deputies to tick; today's duty deputies ticked

ON = ("on", N_("Date"), DATE)
STEP_FIELDS: dict[K, list[tuple[str, str, object]]] = {
    K.REGISTER: [
        ("name", N_("Voter's name"), LINE),
        ("village", N_("Village / community"), LINE),
        ("phone", N_("Phone"), LINE),
        ("id_number", N_("ID number (rarely needed)"), LINE),
        ("language", N_("Language used"), dom.LANGUAGE_LABELS),
        ("channel", N_("Channel"), dom.CHANNEL_LABELS),
        ("category", N_("Category"), dom.CATEGORY_LABELS),
        ("words", N_("The voter's words, as said"), TEXT),
        ("people", N_("Number of people"), NUMBER),
        ("place", N_("Place"), LINE),
        ("consent", N_("Written consent to keep the data"), CHECK),
        ("confidential", N_("Confidential (accuses a named person or office)"), CHECK),
        ("duty_deputies", N_("Deputies on duty"), DEPUTIES),
        ON,
    ],
    K.SORT: [
        ("category", N_("Category"), dom.CATEGORY_LABELS),
        ("priority", N_("Priority"), dom.PRIORITY_LABELS),
        ("complex", N_("Complex (10 working days instead of 5)"), CHECK),
        ("proposal", N_("Proposed handling"), TEXT),
        ON,
    ],
    K.FORWARD: [
        ("route", N_("Route"), dom.ROUTE_LABELS),
        ("unit", N_("Responsible unit"), LINE),
        ("complex", N_("Complex (10 working days instead of 5)"), CHECK),
        ("due_on", N_("Due on (empty: counted in working days)"), OPT_DATE),
        ("note", N_("Note"), TEXT),
        ON,
    ],
    K.RETURN_BY_UNIT: [("reason", N_("Reason given by the unit"), TEXT), ON],
    K.CHASE: [("note", N_("Note"), TEXT), ON],
    K.PROGRESS: [("note", N_("Progress"), TEXT), ON],
    K.HANDLE: [("outcome", N_("Outcome"), dom.OUTCOME_LABELS),
               ("result", N_("Result"), TEXT), ON],
    K.REPLY: [
        ("voter_mode", N_("Reply to the voter"), dom.REPLY_MODE_LABELS),
        ("voter_on", N_("Replied to the voter on"), DATE),
        ("deputy_mode", N_("Reply to the deputy"), dom.REPLY_MODE_LABELS),
        ("deputy_on", N_("Replied to the deputy on"), DATE),
        ("text", N_("What was replied"), TEXT),
        ("satisfaction", N_("Satisfaction"), dom.SATISFACTION_LABELS),
        ("comment", N_("The voter's comment"), TEXT),
    ],
    K.ARCHIVE: [ON],
    K.CLOSE_OUT_OF_SCOPE: [
        ("reason", N_("Why it is out of scope"), dom.OUT_OF_SCOPE_LABELS),
        ("explanation", N_("What was explained to the voter"), TEXT),
        ("redirect", N_("Redirected to"), LINE),
        ON,
    ],
    K.MARK_DUPLICATE: [("duplicate_of", N_("Number of the original case"), LINE),
                       ("note", N_("Note"), TEXT), ON],
    K.REOPEN: [("reason", N_("Reason"), TEXT), ON],
    K.UNDO: [("reason", N_("Reason"), TEXT)],
}

SERVICES = {
    K.SORT: cases.sort_case, K.FORWARD: cases.forward_case, K.RETURN_BY_UNIT: cases.return_case,
    K.CHASE: cases.chase_case, K.PROGRESS: cases.record_progress, K.HANDLE: cases.handle_case,
    K.REPLY: cases.reply_case, K.ARCHIVE: cases.archive_case,
    K.CLOSE_OUT_OF_SCOPE: cases.close_out_of_scope, K.MARK_DUPLICATE: cases.mark_duplicate,
    K.REOPEN: cases.reopen_case, K.UNDO: cases.undo_step,
}
VOTER_FIELDS = ("name", "village", "phone", "id_number", "language", "consent")


class CaseStepDialog(QDialog):
    """Records one step of ``case`` (or registers a new case when ``case`` is None);
    ``changes`` holds what changed once it was saved."""

    def __init__(self, session, kind: K, case: dict | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.case = case
        self.changes = Changes()
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        self._choices: dict[str, dict] = {}
        today = session.today().isoformat()
        for name, label, kind_ in STEP_FIELDS[kind]:
            if isinstance(kind_, dict):
                combo = QComboBox()
                combo.addItem("", "")
                for value in kind_:
                    combo.addItem(_(kind_[value]), value.value)
                self._choices[name] = kind_
                self.fields.add(name, combo, label)
            elif kind_ == CHECK:
                self.fields.add(name, QCheckBox(), label)
            elif kind_ == DEPUTIES:
                self.fields.add(name, self._deputy_list(), label)
            elif kind_ == TEXT:
                box = QPlainTextEdit()
                box.setTabChangesFocus(True)
                box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
                self.fields.add(name, box, label)
            else:
                line = QLineEdit()
                if kind_ in (DATE, OPT_DATE):
                    line.setPlaceholderText("YYYY-MM-DD")
                if kind_ == DATE:
                    line.setText(today)
                if kind_ == NUMBER:
                    line.setText("1")
                self.fields.add(name, line, label)
        self.fields.add_fallback()
        self._prefill()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def _deputy_list(self) -> QListWidget:
        """Serving deputies, those on duty today ticked (from the duty roster)."""
        box = QListWidget()
        on_duty = set(cases.duty_deputies_on(self.session, self.session.today()))
        for d in registry.page(self.session, DeputyFilter(status="active"), offset=0,
                               limit=1000):
            item = QListWidgetItem(d["name"])
            item.setData(Qt.ItemDataRole.UserRole, d["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if d["id"] in on_duty
                               else Qt.CheckState.Unchecked)
            box.addItem(item)
        box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
        return box

    def checked_deputies(self) -> list[str]:
        box = self.fields.widgets.get("duty_deputies")
        if box is None:
            return []
        return [box.item(i).data(Qt.ItemDataRole.UserRole) for i in range(box.count())
                if box.item(i).checkState() == Qt.CheckState.Checked]

    def _prefill(self) -> None:
        if self.kind is K.REGISTER:
            self.fields.set_value("language", dom.Language.ZH.value)
            self.fields.set_value("channel", dom.Channel.RECEPTION_DAY.value)
            return
        view = self.case["view"] if self.case else None
        if view is None:
            return
        if self.kind is K.SORT:
            self.fields.set_value("category", view.category)
            self.fields.set_value("priority", view.priority)
            self.fields.set_value("complex", view.complex)
            self.fields.set_value("proposal", view.proposal)
        elif self.kind is K.FORWARD:
            self.fields.set_value("complex", view.complex)
        county = (self.case.get("county_replies") or [])
        if county and self.kind in (K.HANDLE, K.REPLY):  # the county's answer, passed on
            self.fields.set_value("result" if self.kind is K.HANDLE else "text",
                                  county[-1]["body"])

    def retranslate(self) -> None:
        title = _(dom.ACTION_LABELS[self.kind])
        self.setWindowTitle(title)
        if self.case:
            row = self.case["row"]
            self.heading.setText(_("Case {number} · {state}").format(
                number=row["number"], state=_(dom.STATE_LABELS[dom.CaseState(row["state"])])))
        else:
            self.heading.setText(_("A voter's matter, as registered on the reception day."))
        self.fields.retranslate()
        for name, labels in self._choices.items():
            combo = self.fields.widgets[name]
            for i, value in enumerate(labels, start=1):
                combo.setItemText(i, _(labels[value]))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def values(self) -> dict:
        out = {}
        for name, _label, kind_ in STEP_FIELDS[self.kind]:
            if kind_ == DEPUTIES:
                out[name] = self.checked_deputies()
            elif kind_ == OPT_DATE and not str(self.fields.value(name)).strip():
                out[name] = None
            else:
                out[name] = self.fields.value(name)
        return out

    def accept(self) -> None:
        data = self.values()
        if self.kind is K.REGISTER:
            voter = {k: data.pop(k) for k in VOTER_FIELDS}
            call = lambda: cases.register(self.session, voter=voter, case=data)  # noqa: E731
        else:
            service = SERVICES[self.kind]
            case_id = self.case["row"]["id"]
            call = lambda: service(self.session, case_id=case_id, **data)  # noqa: E731
        self.changes = attempt(self, call, self.fields.marks)
        if self.changes is not None:
            super().accept()
