"""Deputies' suggestions and motions (建议、议案): the list of a period, the
form (congress, session, title, co-signers, handling unit, outcome, reply,
satisfaction) and the rates, solved shown apart from completed."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.cases import OUTCOME_LABELS, SATISFACTION_LABELS, Outcome, Satisfaction
from station_desk.domain.deputies import LEVEL_LABELS, DeputyFilter, Level
from station_desk.domain.suggestions import CONGRESS_LEVELS, KIND_LABELS, SuggestionKind
from station_desk.i18n import N_, _
from station_desk.services import registry, suggestions
from station_desk.ui.permissions import restrict
from station_desk.ui.screens.base import Screen
from station_desk.ui.screens.ledger import deputy_name, paper_lang
from station_desk.ui.widgets.errors import attempt
from station_desk.ui.widgets.fields import FormFields

COLUMNS = (N_("Submitted"), N_("Deputy"), N_("Title"), N_("Congress"), N_("Handling unit"),
           N_("Outcome"), N_("Reply"), N_("Satisfaction"))


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:g} %"


class SuggestionForm(QDialog):
    """Add or change a suggestion; Save marks the fields a refusal names."""

    def __init__(self, session, row: dict | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.row = row
        self.changes = None
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        deputy = QComboBox()
        for d in registry.page(session, DeputyFilter(), offset=0, limit=5000):
            deputy.addItem(deputy_name(d), d["id"])
        self.fields.add("deputy_id", deputy, N_("Deputy"))
        kind = QComboBox()
        for k in SuggestionKind:
            kind.addItem(_(KIND_LABELS[k]), k.value)
        self.fields.add("kind", kind, N_("Kind"))
        congress = QComboBox()
        for level in CONGRESS_LEVELS:
            congress.addItem(_(LEVEL_LABELS[Level(level)]), level)
        congress.setCurrentIndex(CONGRESS_LEVELS.index("county"))
        self.fields.add("congress", congress, N_("Congress"))
        self.fields.add("session", QLineEdit(), N_("Session"))
        self.fields.add("title", QLineEdit(), N_("Title"))
        submitted = QLineEdit(session.today().isoformat())
        submitted.setPlaceholderText("YYYY-MM-DD")
        self.fields.add("submitted_on", submitted, N_("Submitted on"))
        self.fields.add("cosigners", QLineEdit(), N_("Co-signers"))
        self.fields.add("handling_unit", QLineEdit(), N_("Handling unit"))
        outcome = QComboBox()
        outcome.addItem(_("Not answered yet"), "")
        for o in Outcome:
            outcome.addItem(_(OUTCOME_LABELS[o]), o.value)
        self.fields.add("outcome", outcome, N_("Outcome"))
        reply = QLineEdit()
        reply.setPlaceholderText("YYYY-MM-DD")
        self.fields.add("reply_on", reply, N_("Reply date"))
        f2f = QComboBox()
        f2f.addItem("—", "")
        f2f.addItem(_("Face to face"), 1)
        f2f.addItem(_("Not face to face"), 0)
        self.fields.add("face_to_face", f2f, N_("Reply mode"))
        satisfaction = QComboBox()
        satisfaction.addItem("—", "")
        for s in Satisfaction:
            satisfaction.addItem(_(SATISFACTION_LABELS[s]), s.value)
        self.fields.add("satisfaction", satisfaction, N_("Satisfaction"))
        notes = QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setFixedHeight(notes.fontMetrics().lineSpacing() * 3 + 12)
        self.fields.add("notes", notes, N_("Notes"))
        self.fields.add_fallback()
        if row:
            self.fields.set_values({**row, "face_to_face": "" if row.get("face_to_face") is None
                                    else row["face_to_face"], "reply_on": row.get("reply_on") or ""})
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Change the suggestion") if row else _("Add a suggestion"))

    def accept(self) -> None:
        values = self.fields.values()
        if self.row:
            call = lambda: suggestions.update(self.session, suggestion_id=self.row["id"],  # noqa: E731
                                              data=values)
        else:
            call = lambda: suggestions.add(self.session, data=values)  # noqa: E731
        self.changes = attempt(self, call, self.fields.marks)
        if self.changes is not None:
            super().accept()


class SuggestionsScreen(Screen):
    """Every suggestion of a period with its handling and the rates."""

    key = "suggestions"
    title_msgid = N_("Suggestions")
    tables = frozenset({"suggestions", "deputies"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.rows: list[dict] = []
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.period_label = QLabel()
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.currentIndexChanged.connect(lambda *_a: self.refresh())
        bar.addWidget(self.period_label)
        bar.addWidget(self.period)
        bar.addStretch(1)
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_suggestion")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_suggestion")
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("delete_suggestion")
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("save_list")
        for b in (self.add_button, self.edit_button, self.delete_button, self.pdf_button):
            bar.addWidget(b)
        root.addLayout(bar)
        rates = QHBoxLayout()
        self.rate_labels: dict[str, QLabel] = {}
        for key in ("completion", "face_to_face", "satisfaction", "solved"):
            label = QLabel()
            label.setObjectName(f"rate_{key}")
            label.setStyleSheet("QLabel { border: 1px solid #c8d0d8; padding: 6px 10px;"
                                " background: #f7f9fb; }" if key != "solved" else
                                "QLabel { border: 2px solid #7a8794; padding: 6px 10px;"
                                " background: #eef5ee; }")
            rates.addWidget(label)
            self.rate_labels[key] = label
        root.addLayout(rates)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("suggestions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda *_a: self.edit())
        root.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.pdf_button.clicked.connect(self.save_pdf)
        restrict(session, Permission.EDIT_DEPUTIES, self.add_button, self.edit_button,
                 self.delete_button)
        self._fill_periods()
        self.retranslate()

    def _fill_periods(self) -> None:
        keep = self.period.currentData()
        year = self.session.today().year
        self.period.blockSignals(True)
        self.period.clear()
        for y in range(year, year - 6, -1):
            self.period.addItem(str(y), str(y))
        self.period.addItem(_("All years"), "")
        i = self.period.findData(keep) if keep is not None else 1
        self.period.setCurrentIndex(max(0, i))
        self.period.blockSignals(False)

    def retranslate(self) -> None:
        self.period_label.setText(_("Submitted in"))
        self.add_button.setText(_("Add a suggestion…"))
        self.edit_button.setText(_("Change…"))
        self.delete_button.setText(_("Delete"))
        self.pdf_button.setText(_("Save the list as PDF…"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self._fill_periods()
        self.refresh()

    def set_period(self, period: str) -> None:
        i = self.period.findData(period)
        if i >= 0:
            self.period.setCurrentIndex(i)

    def refresh(self) -> None:
        period = self.period.currentData() or None
        self.rows = suggestions.suggestions(self.session, period=period)
        r = suggestions.rates(self.session, period=period)
        self.rates = r
        texts = {
            "completion": _("Completion rate: {rate} ({n} of {of})").format(
                rate=rate_text(r["completion_rate"]), n=r["completed"], of=r["total"]),
            "face_to_face": _("Face-to-face reply rate: {rate} ({n} of {of})").format(
                rate=rate_text(r["face_to_face_rate"]), n=r["face_to_face"], of=r["completed"]),
            "satisfaction": _("Satisfaction rate: {rate} ({n} of {of})").format(
                rate=rate_text(r["satisfaction_rate"]), n=r["satisfied"], of=r["answered"]),
            "solved": _("Solved (outcome A): {rate} ({n} of {of})").format(
                rate=rate_text(r["solved_rate"]), n=r["solved"], of=r["total"]),
        }
        for key, text in texts.items():
            self.rate_labels[key].setText(text)
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            outcome = _(OUTCOME_LABELS[Outcome(row["outcome"])]) if row["outcome"] else \
                _("Not answered yet")
            reply = ""
            if row.get("reply_on"):
                reply = row["reply_on"] + "  " + (_("Face to face") if row.get("face_to_face")
                                                  else _("Not face to face"))
            satisfaction = _(SATISFACTION_LABELS[Satisfaction(row["satisfaction"])]) \
                if row.get("satisfaction") else ""
            congress = _(LEVEL_LABELS[Level(row["congress"])])
            if row.get("session"):
                congress += " " + row["session"]
            cells = [row["submitted_on"], deputy_name(row), row["title"], congress,
                     row.get("handling_unit") or "", outcome, reply, satisfaction]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2 and row.get("cosigners"):
                    item.setToolTip(_("Co-signers: {names}").format(names=row["cosigners"]))
                self.table.setItem(n, c, item)

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def add(self) -> SuggestionForm:
        return self.open_dialog(SuggestionForm(self.session, None, self),
                                lambda d: self._done(d.changes))

    def edit(self) -> SuggestionForm | None:
        row = self.selected()
        if row is None:
            return None
        return self.open_dialog(SuggestionForm(self.session, row, self),
                                lambda d: self._done(d.changes))

    def delete(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        answer = QMessageBox.question(self, _("Delete"), _(
            "Delete the suggestion \"{title}\"? Use this only for one recorded in error.").format(
            title=row["title"]))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        changes = attempt(self, lambda: suggestions.delete(self.session,
                                                           suggestion_id=row["id"]))
        self._done(changes)
        return changes is not None

    def _done(self, changes) -> None:
        if changes:
            self.emit_changes(changes)
            self.refresh()

    def save_pdf(self) -> Path | None:
        from station_desk.ui.printing import save_document

        return save_document(self, self.session, "suggestion-list", lang=paper_lang(),
                             options={"period": self.period.currentData() or "term"})

