"""A new activity, or an activity's details changed: kind, title, theme, date and
times, place, organiser, the plan item it carries out, notice text and notes."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit,
    QPlainTextEdit, QVBoxLayout, QWidget,
)

from station_desk.domain.changes import Changes
from station_desk.domain.errors import DomainError, FieldError, ValidationError
from station_desk.domain.station import StaffRole
from station_desk.domain.validation import parse_date
from station_desk.i18n import N_, _, current_language
from station_desk.services import activities
from station_desk.services import station as station_service
from station_desk.ui.dialogs.plan_item import fill_kinds
from station_desk.ui.widgets.date_edit import DateEdit
from station_desk.ui.widgets.errors import show_error
from station_desk.ui.widgets.fields import FormFields


def station_head(session) -> str:
    """The name of the station's head now (Korean script in a Korean interface
    when one is kept), or "" when the staff list names none."""
    for person in station_service.staff(session, include_past=False):
        if person.get("role") == StaffRole.HEAD.value:
            if current_language() == "ko" and person.get("name_ko"):
                return person["name_ko"]
            return person.get("name", "")
    return ""


def _text_box(lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class ActivityFormDialog(QDialog):
    """Saves through services.activities.create_activity / update_activity;
    ``changes`` holds what changed.  ``activity`` (a row of
    ``activities.activity``) edits it; ``plan_item`` prefills a new one from an
    item of the plan."""

    def __init__(self, session, *, activity: dict | None = None, plan_item: dict | None = None,
                 year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.activity = activity
        self.changes = Changes()
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields = FormFields(form)
        self.kind = QComboBox()
        self.title_edit = QLineEdit()
        self.theme = QLineEdit()
        self.date = DateEdit()
        self.start = QLineEdit()
        self.end = QLineEdit()
        for box in (self.start, self.end):
            box.setMaxLength(5)
            box.setMaximumWidth(box.fontMetrics().horizontalAdvance("00:000") + 24)
        self.place = QLineEdit()
        self.organiser = QLineEdit()
        self.plan_item = QComboBox()
        self.notice = _text_box(4)
        self.notes = _text_box(2)
        self.fields.add("kind", self.kind, N_("Kind"))
        self.fields.add("title", self.title_edit, N_("Title"))
        self.fields.add("theme", self.theme, N_("Theme"))
        self.fields.add("date", self.date, N_("Date"))
        self.fields.add("start", self.start, N_("Starts at"))
        self.fields.add("end", self.end, N_("Ends at"))
        self.fields.add("place", self.place, N_("Place"))
        self.fields.add("organiser", self.organiser, N_("Organiser"))
        self.fields.add("plan_item_id", self.plan_item, N_("Plan item"))
        self.fields.add("notice", self.notice, N_("Notice text"))
        self.fields.add("notes", self.notes, N_("Notes"))
        self.fields.add_fallback()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._plan_year: int | None = None
        self._plan_keep: str | None = None
        self.retranslate()
        if activity:
            starts, ends = activity.get("starts_at") or "", activity.get("ends_at") or ""
            self.fields.set_values({k: activity.get(k) or "" for k in (
                "title", "theme", "place", "organiser", "notice", "notes")})
            self.fields.set_value("kind", activity["kind"])
            self.date.set_date(starts[:10])
            self.start.setText(starts[11:16])
            self.end.setText(ends[11:16])
            self._plan_keep = activity.get("plan_item_id")
        else:
            self.organiser.setText(station_head(session))
            self.start.setText("09:00")
            self.end.setText("11:00")
            if plan_item:
                self.fields.set_value("kind", plan_item["kind"])
                self.title_edit.setText(plan_item["theme"])
                self.theme.setText(plan_item["theme"])
                self._plan_keep = plan_item["id"]
                year, month = int(plan_item["year"]), int(plan_item["month"])
                today = session.today()
                day = today if (today.year, today.month) == (year, month) else None
                self.date.set_date(day.isoformat() if day else f"{year:04d}-{month:02d}-01")
            else:
                today = session.today()
                self.date.set_date(today if year in (None, today.year)
                                   else f"{year:04d}-01-01")
        self._fill_plan()
        self.date.changed.connect(self._fill_plan)
        self.title_edit.setFocus()

    # -- texts
    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit activity") if self.activity else _("New activity"))
        self.fields.retranslate()
        self.date.retranslate()
        fill_kinds(self.kind)
        for box in (self.start, self.end):
            box.setPlaceholderText(_("HH:MM"))
        self.title_edit.setPlaceholderText(_("e.g. Deputies' study session in March"))
        self.place.setPlaceholderText(_("e.g. the station's meeting room"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._plan_year = None
        self._fill_plan()

    def _year(self) -> int | None:
        try:
            d = parse_date(self.date.text())
        except ValueError:
            return None
        return d.year if d else None

    def _fill_plan(self) -> None:
        """The plan items of the activity's year to choose from (or none)."""
        year = self._year()
        if year is None or year == self._plan_year:
            return
        keep = self.plan_item.currentData() if self._plan_year is not None else self._plan_keep
        self._plan_year = year
        self.plan_item.clear()
        self.plan_item.addItem(_("(not from the plan)"), "")
        try:
            items = activities.plan(self.session, year=year)
        except DomainError as exc:
            show_error(self, exc)
            items = []
        for item in items:
            text = _("{month}: {theme}").format(month=int(item["month"]), theme=item["theme"])
            self.plan_item.addItem(text, item["id"])
            self.plan_item.setItemData(self.plan_item.count() - 1, text,
                                       Qt.ItemDataRole.ToolTipRole)  # a long theme in full
        i = self.plan_item.findData(keep or "")
        self.plan_item.setCurrentIndex(max(i, 0))

    # -- saving
    def values(self) -> dict:
        try:
            parsed = self.date.date()
        except ValueError:
            parsed = None
        day = parsed.isoformat() if parsed else self.date.text()
        return {
            "kind": self.kind.currentData(), "title": self.title_edit.text(),
            "theme": self.theme.text(),
            "starts_at": f"{day}T{self.start.text().strip()}",
            "ends_at": f"{day}T{self.end.text().strip()}",
            "place": self.place.text(), "organiser": self.organiser.text(),
            "plan_item_id": self.plan_item.currentData() or None,
            "notice": self.notice.toPlainText(), "notes": self.notes.toPlainText(),
        }

    def _placed(self, exc: ValidationError) -> ValidationError:
        """The service speaks of starts_at / ends_at; the form shows a date and two
        times, so each message goes under the part that is wrong."""
        try:
            date_ok = parse_date(self.date.text()) is not None
        except ValueError:
            date_ok = False
        errors = []
        for err in exc.errors:
            field = err.field
            if field in ("starts_at", "ends_at"):
                field = ("start" if field == "starts_at" else "end") if date_ok else "date"
            errors.append(FieldError(field, err.msgid, err.params))
        return ValidationError(errors)

    def accept(self) -> None:
        v = self.values()
        self.fields.marks.clear()
        try:
            if self.activity:
                changes = activities.update_activity(self.session,
                                                     activity_id=self.activity["id"], **v)
            else:
                changes = activities.create_activity(self.session, **v)
        except ValidationError as exc:
            self.fields.marks.show(self._placed(exc))
            return
        except DomainError as exc:
            show_error(self, exc)
            return
        self.changes = changes
        super().accept()
