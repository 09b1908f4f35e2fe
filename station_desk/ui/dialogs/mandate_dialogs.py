"""Adding a mandate, and its exit by law: suspension, restoration, termination."""
from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox,
    QPlainTextEdit, QVBoxLayout, QWidget,
)

from station_desk.domain.changes import Changes
from station_desk.domain.deputies import (
    LEVEL_LABELS, SUSPENSION_LABELS, TERMINATION_LABELS, Level, MandateEvent, MandateEventKind,
    MandateState, MandateStatus, check_event,
)
from station_desk.domain.errors import DomainError, ValidationError
from station_desk.domain.validation import Checker
from station_desk.i18n import N_, _, format_date
from station_desk.services import registry
from station_desk.ui.models.deputies import (
    ground_label, level_label, mandate_status_label, name_text,
)
from station_desk.ui.widgets.date_edit import DateEdit
from station_desk.ui.widgets.errors import attempt, show_error
from station_desk.ui.widgets.fields import FormFields

MANDATE_FIELD_LABELS = {
    "level": N_("Level"),
    "term": N_("Term"),
    "constituency": N_("Constituency"),
    "elected_on": N_("Elected on"),
}


def mandate_text(mandate: dict) -> str:
    """'Township, term 18' in the current language."""
    return _("{level}, term {term}").format(level=level_label(mandate.get("level")),
                                          term=mandate.get("term"))


class MandateFields:
    """Level, term, constituency and election date, added to one or two form layouts.

    ``prefix`` is put before each field name so errors of ``create_deputy``
    (``mandates[0].term``) land on the right widget."""

    def __init__(self, left: FormFields, right: FormFields | None = None, *, prefix: str = "") -> None:
        right = right or left
        self.prefix = prefix
        self.level = QComboBox()
        self.term = QLineEdit()
        self.term.setValidator(QIntValidator(1, 99))
        self.term.setMaxLength(2)
        self.constituency = QLineEdit()
        self.constituency.setMaxLength(80)
        self.elected_on = DateEdit()
        left.add(prefix + "level", self.level, MANDATE_FIELD_LABELS["level"])
        left.add(prefix + "term", self.term, MANDATE_FIELD_LABELS["term"])
        right.add(prefix + "constituency", self.constituency, MANDATE_FIELD_LABELS["constituency"])
        right.add(prefix + "elected_on", self.elected_on, MANDATE_FIELD_LABELS["elected_on"])
        self.retranslate()

    def widgets(self) -> list[QWidget]:
        return [self.level, self.term, self.constituency, self.elected_on]

    def retranslate(self) -> None:
        current = self.level.currentData()
        self.level.blockSignals(True)
        self.level.clear()
        self.level.addItem(_("— choose —"), None)
        for lv in Level:
            self.level.addItem(_(LEVEL_LABELS[lv]), lv.value)
        i = self.level.findData(current)
        self.level.setCurrentIndex(i if i >= 0 else 0)
        self.level.blockSignals(False)
        self.term.setPlaceholderText(_("e.g. 18"))
        self.constituency.setPlaceholderText(_("e.g. Constituency 3"))
        self.elected_on.retranslate()

    def data(self) -> dict:
        return {"level": self.level.currentData() or "", "term": self.term.text().strip(),
                "constituency": self.constituency.text(), "elected_on": self.elected_on.text()}


def grow_to_fit(dialog: QDialog) -> None:
    """Make the dialog tall enough for the error lines just shown under its fields."""
    lay = dialog.layout()
    lay.activate()
    need = (lay.totalHeightForWidth(dialog.width()) if lay.hasHeightForWidth()
            else lay.totalSizeHint().height())
    need = max(need, lay.totalMinimumSize().height())
    if need > dialog.height():
        dialog.resize(dialog.width(), need)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                           | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Save).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    box.rejected.connect(dialog.reject)
    return box


class MandateDialog(QDialog):
    """Add a mandate to an existing deputy."""

    def __init__(self, session, deputy: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.deputy = deputy
        self.changes = Changes()
        self.setObjectName("mandate_dialog")
        self.setWindowTitle(_("Add mandate"))
        box = QVBoxLayout(self)
        head = QLabel(f"<b>{html.escape(name_text(deputy))}</b>")
        head.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(head)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = FormFields(form)
        self.mandate = MandateFields(self.fields)
        self.fields.add_fallback()
        box.addLayout(form)
        self.buttons = _buttons(self, _("Save"))
        self.buttons.accepted.connect(self.save)
        box.addWidget(self.buttons)
        self.resize(440, self.sizeHint().height())

    def save(self) -> None:
        self.fields.marks.clear()
        self.changes = attempt(
            self, lambda: registry.add_mandate(self.session, deputy_id=self.deputy["id"],
                                               data=self.mandate.data()),
            self.fields.marks, on_invalid=lambda: grow_to_fit(self))
        if self.changes is not None:
            self.accept()


EVENT_TITLES = {
    MandateEventKind.SUSPENDED: N_("Suspend mandate"),
    MandateEventKind.RESTORED: N_("Restore mandate"),
    MandateEventKind.TERMINATED: N_("Terminate mandate"),
}
EVENT_BUTTONS = {
    MandateEventKind.SUSPENDED: N_("Suspend"),
    MandateEventKind.RESTORED: N_("Restore"),
    MandateEventKind.TERMINATED: N_("Terminate"),
}


class MandateEventDialog(QDialog):
    """Record a suspension, restoration or termination of one mandate.

    Nothing is written until the clerk confirms; the event is then kept for ever."""

    def __init__(self, session, deputy: dict, mandate: dict, kind: MandateEventKind | str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.deputy = deputy
        self.mandate = mandate
        self.kind = MandateEventKind(kind)
        self.changes = Changes()
        self.setObjectName(f"event_dialog_{self.kind.value}")
        self.setWindowTitle(_(EVENT_TITLES[self.kind]))

        box = QVBoxLayout(self)
        head = QLabel()
        head.setTextFormat(Qt.TextFormat.RichText)
        head.setWordWrap(True)
        since = format_date(mandate.get("status_since"))
        state = _("{mandate} — {status} since {since}").format(
            mandate=mandate_text(mandate), status=mandate_status_label(mandate.get("status")),
            since=since)
        head.setText(f"<b>{html.escape(name_text(deputy))}</b><br>{html.escape(state)}")
        box.addWidget(head)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = FormFields(form)
        self.ground: QComboBox | None = None
        if self.kind is not MandateEventKind.RESTORED:
            self.ground = QComboBox()
            self.ground.addItem(_("— choose the legal ground —"), None)
            labels = (TERMINATION_LABELS if self.kind is MandateEventKind.TERMINATED
                      else SUSPENSION_LABELS)
            for key, msgid in labels.items():
                self.ground.addItem(_(msgid), key.value)
            self.fields.add("ground", self.ground, N_("Legal ground"))
        self.on = DateEdit()
        self.on.set_date(session.today())
        self.fields.add("on", self.on, N_("Date"))
        self.doc_no = QLineEdit()
        self.doc_no.setMaxLength(60)
        self.doc_no.setPlaceholderText(_("e.g. {example}").format(example="龙人发〔2026〕3号"))
        self.fields.add("doc_no", self.doc_no,
                        N_("Document no. (required)") if self.kind is MandateEventKind.TERMINATED
                        else N_("Document no."))
        self.detail: QPlainTextEdit | None = None
        if self.kind is not MandateEventKind.RESTORED:
            self.detail = QPlainTextEdit()
            self.detail.setTabChangesFocus(True)
            self.detail.setFixedHeight(70)
            if self.kind is MandateEventKind.TERMINATED:
                self.detail.setPlaceholderText(
                    _("e.g. the reason for resigning: moved for work, health …"))
            self.fields.add("detail", self.detail, N_("Details"))
        self.fields.add_fallback()
        box.addLayout(form)

        note = QLabel(_("This step is recorded permanently in the deputy's history.")
                      if self.kind is not MandateEventKind.TERMINATED else
                      _("This step is recorded permanently in the deputy's history. "
                        "A terminated mandate cannot be reopened."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        box.addWidget(note)
        self.buttons = _buttons(self, _(EVENT_BUTTONS[self.kind]))
        self.buttons.accepted.connect(self.save)
        box.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def event_values(self) -> dict:
        return {
            "kind": self.kind.value,
            "on": self.on.text(),
            "ground": self.ground.currentData() if self.ground else None,
            "doc_no": self.doc_no.text().strip(),
            "detail": self.detail.toPlainText().strip() if self.detail else "",
        }

    def _check(self, values: dict) -> date:
        """The same checks the service makes, before asking for confirmation."""
        c = Checker()
        on = c.date("on", values["on"], required=True)
        c.raise_if_any()
        m = self.mandate
        state = MandateState(MandateStatus(m["status"]), date.fromisoformat(m["status_since"]))
        check_event(state, MandateEvent(self.kind, on, values["ground"], values["detail"],
                                        values["doc_no"]), today=self.session.today())
        return on

    def confirm_text(self, values: dict, on: date) -> str:
        args = {"name": name_text(self.deputy), "mandate": mandate_text(self.mandate),
                "date": format_date(on), "ground": ground_label(self.kind.value, values["ground"])}
        if self.kind is MandateEventKind.SUSPENDED:
            text = _("Suspend the mandate of {name} ({mandate}) from {date}?\n"
                     "Ground: {ground}").format(**args)
        elif self.kind is MandateEventKind.RESTORED:
            text = _("Restore the mandate of {name} ({mandate}) on {date}?").format(**args)
        else:
            text = _("Terminate the mandate of {name} ({mandate}) on {date}?\n"
                     "Ground: {ground}").format(**args)
        return text + "\n\n" + _("The step is recorded permanently and cannot be deleted.")

    def save(self) -> None:
        self.fields.marks.clear()
        values = self.event_values()
        try:
            on = self._check(values)
        except ValidationError as exc:
            self.fields.marks.show(exc)
            grow_to_fit(self)
            return
        except DomainError as exc:
            show_error(self, exc)
            return
        answer = QMessageBox.question(
            self, _(EVENT_TITLES[self.kind]), self.confirm_text(values, on),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.changes = attempt(
            self, lambda: registry.record_mandate_event(
                self.session, mandate_id=self.mandate["id"], kind=self.kind.value, on=on,
                ground=values["ground"], detail=values["detail"], doc_no=values["doc_no"]),
            self.fields.marks, on_invalid=lambda: grow_to_fit(self))
        if self.changes is not None:
            self.accept()
