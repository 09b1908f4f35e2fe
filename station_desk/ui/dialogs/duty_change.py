"""Change who is on duty on a reception day: replace one deputy by another, or
swap two deputies between two days.  The service checks the change (active
mandate on the day, not on it already); a refusal is shown in the dialog."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget,
)

from station_desk.domain.changes import Changes
from station_desk.domain.errors import DomainError
from station_desk.i18n import _, format_date, ngettext
from station_desk.services import reception
from station_desk.ui.widgets.errors import message_of

REPLACE = "replace"
SWAP = "swap"


def person_label(p: dict) -> str:
    ko = p.get("name_ko") or ""
    return f"{p['name']} ({ko})" if ko and ko != p["name"] else p["name"]


class DutyChangeDialog(QDialog):
    """``mode`` REPLACE or SWAP for ``day`` (a day of services.reception.days);
    ``changes`` holds what changed after Save."""

    def __init__(self, session, day: dict, mode: str = REPLACE,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.day = day
        self.mode = mode
        self.changes = Changes()
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        form = QFormLayout()
        layout.addLayout(form)
        self.who = QComboBox()
        self.who.setObjectName("who")
        for p in day["deputies"]:
            self.who.addItem(person_label(p), p["id"])
        self.who_label = QLabel()
        form.addRow(self.who_label, self.who)
        self.other_day = QComboBox()
        self.other_day.setObjectName("other_day")
        self.other = QComboBox()
        self.other.setObjectName("other")
        self.other_day_label = QLabel()
        self.other_label = QLabel()
        if mode == SWAP:
            self._days = [d for d in reception.days(session, year=day["day"].year)
                          if d["id"] != day["id"] and not d["cancelled"] and d["deputies"]
                          and d["day"] >= session.today()]
            for d in self._days:
                self.other_day.addItem("", d["id"])
            form.addRow(self.other_day_label, self.other_day)
            self.other_day.currentIndexChanged.connect(self._fill_other)
        else:
            self._days = []
        form.addRow(self.other_label, self.other)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill_other()
        self.retranslate()

    def retranslate(self) -> None:
        when = format_date(self.day["day"])
        if self.mode == SWAP:
            self.setWindowTitle(_("Swap duties"))
            self.heading.setText(_("Swap a deputy on duty on {date} with a deputy on duty "
                                   "on another day.").format(date=when))
            self.other_day_label.setText(_("Other day"))
            self.other_label.setText(_("Deputy on that day"))
            for i, d in enumerate(self._days):
                names = "、".join(p["name"] for p in d["deputies"])
                self.other_day.setItemText(i, f"{format_date(d['day'])}  {names}")
        else:
            self.setWindowTitle(_("Replace a deputy on duty"))
            self.heading.setText(_("Put another deputy on duty on {date}. Only deputies "
                                   "with an active mandate that day are listed, fewest "
                                   "duties first.").format(date=when))
            self.other_label.setText(_("Replace with"))
        self.who_label.setText(_("On duty"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _fill_other(self) -> None:
        self.other.clear()
        if self.mode == SWAP:
            i = self.other_day.currentIndex()
            people = self._days[i]["deputies"] if 0 <= i < len(self._days) else []
            for p in people:
                self.other.addItem(person_label(p), p["id"])
        else:
            for p in reception.candidates(self.session, day_id=self.day["id"]):
                n = p["duties"]
                self.other.addItem(
                    ngettext("{name} — {n} duty this year", "{name} — {n} duties this year", n)
                    .format(name=person_label(p), n=n), p["id"])
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Save) if hasattr(
            self, "buttons") else None
        if ok is not None:
            ok.setEnabled(self.other.count() > 0 and self.who.count() > 0)

    def select(self, combo: QComboBox, value: str) -> None:
        """Choose the entry whose data is ``value`` (deputy or day id)."""
        combo.setCurrentIndex(combo.findData(value))

    def accept(self) -> None:
        who, other = self.who.currentData(), self.other.currentData()
        if not who or not other:
            return
        try:
            if self.mode == SWAP:
                self.changes = reception.swap_duties(
                    self.session, day_id=self.day["id"], deputy_id=who,
                    other_day_id=self.other_day.currentData(), other_deputy_id=other)
            else:
                self.changes = reception.replace_duty(
                    self.session, day_id=self.day["id"], old_deputy_id=who, new_deputy_id=other)
        except DomainError as exc:
            self.error.setText(message_of(exc))
            self.error.show()
            return
        super().accept()
