"""Reception days (接待日): the rule, the year's days with the deputies on duty,
the fair draw, swaps, warnings, the working-day calendar, and the printed
duty roster and reception-day notice."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QSpinBox, QSplitter,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.deputies import LEVEL_LABELS, Level
from station_desk.domain.errors import DomainError
from station_desk.domain.reception import (
    CALENDAR_KIND_LABELS, MAX_PER_DAY, RULE_KIND_LABELS, WEEKDAY_LABELS, CalendarKind, RuleKind,
)
from station_desk.i18n import N_, _, current_language, format_date, ngettext
from station_desk.services import calendar as calendar_service
from station_desk.services import reception
from station_desk.ui.dialogs.duty_change import REPLACE, SWAP, DutyChangeDialog, person_label
from station_desk.ui.dialogs.reception_day import AddDayDialog
from station_desk.ui.screens.base import Screen
from station_desk.ui.permissions import restrict
from station_desk.ui.widgets.date_edit import DateEdit
from station_desk.ui.widgets.errors import attempt, show_error
from station_desk.ui.widgets.fields import FormFields

PAPER_LANGUAGES = (("zh_CN", "中文"), ("ko", "조선어"), ("en", "English"),
                   ("bilingual", "双语 중문+조선어"))
DAY_COLUMNS = (N_("Date"), N_("Weekday"), N_("Time"), N_("Deputies on duty"), N_("Place"),
               N_("Note"))
CALENDAR_COLUMNS = (N_("Date"), N_("Weekday"), N_("Kind"), N_("Note"))
WARNING_COLOR = "#8a4b00"
NOTICE_DAYS = 3  # the notice is posted three days ahead
PAST_COLOR = "#888888"


class ReceptionScreen(Screen):
    """The year's reception days with the deputies on duty, and the calendar."""

    key = "reception"
    title_msgid = N_("Reception days")
    tables = frozenset({"reception_rules", "reception_days", "duty_assignments",
                        "calendar_days", "deputies", "mandates"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._days: list[dict] = []
        self._calendar: list[dict] = []
        self.dialog: DutyChangeDialog | None = None
        self.day_dialog: AddDayDialog | None = None
        root = QVBoxLayout(self)

        # -- top bar: year, draw, printing
        bar = QHBoxLayout()
        self.year_label = QLabel()
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(session.today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.year_label.setBuddy(self.year)
        self.draw_button = QPushButton()
        self.draw_button.setObjectName("draw")
        f = self.draw_button.font()
        f.setBold(True)
        self.draw_button.setFont(f)
        self.draw_button.clicked.connect(self.draw_roster)
        self.paper_lang = QComboBox()
        self.paper_lang.setObjectName("paper_lang")
        for code, label in PAPER_LANGUAGES:
            self.paper_lang.addItem(label, code)
        self._paper_lang_touched = False
        self.paper_lang.activated.connect(self._paper_lang_chosen)
        self.month = QComboBox()
        self.month.setObjectName("month")
        self.month.addItem("", None)
        for m in range(1, 13):
            self.month.addItem("", m)
        self.roster_pdf = QPushButton()
        self.roster_pdf.setObjectName("roster_pdf")
        self.roster_pdf.clicked.connect(lambda: self._print("duty-roster", save=True))
        self.roster_print = QPushButton()
        self.roster_print.setObjectName("roster_print")
        self.roster_print.clicked.connect(lambda: self._print("duty-roster", save=False))
        bar.addWidget(self.year_label)
        bar.addWidget(self.year)
        bar.addWidget(self.draw_button)
        bar.addStretch(1)
        self.paper_label = QLabel()
        bar.addWidget(self.paper_label)
        bar.addWidget(self.paper_lang)
        bar.addWidget(self.month)
        bar.addWidget(self.roster_pdf)
        bar.addWidget(self.roster_print)
        root.addLayout(bar)
        self.note = QLabel()
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        root.addWidget(self.note)

        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_days_tab(), "")
        self.tabs.addTab(self._build_calendar_tab(), "")
        restrict(session, Permission.EDIT_RECEPTION, self.draw_button, self.replace_button,
                 self.swap_button, self.cancel_button, self.add_day_button, self.rule_button,
                 self.cal_add, self.cal_remove)

        self.retranslate()
        self.refresh()
        self.select_next_day()

    # -- building
    def _build_days_tab(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        split = QSplitter(Qt.Orientation.Horizontal)
        row.addWidget(split)

        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(DAY_COLUMNS))
        self.table.setObjectName("days")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda *_a: self.replace_duty())
        lbox.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.replace_button = QPushButton()
        self.replace_button.setObjectName("replace")
        self.replace_button.clicked.connect(self.replace_duty)
        self.swap_button = QPushButton()
        self.swap_button.setObjectName("swap")
        self.swap_button.clicked.connect(self.swap_duty)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancel_day")
        self.cancel_button.clicked.connect(self.toggle_cancelled)
        self.add_day_button = QPushButton()
        self.add_day_button.setObjectName("add_day")
        self.add_day_button.clicked.connect(self.add_day)
        self.notice_pdf = QPushButton()
        self.notice_pdf.setObjectName("notice_pdf")
        self.notice_pdf.clicked.connect(lambda: self._print("reception-notice", save=True))
        self.notice_print = QPushButton()
        self.notice_print.setObjectName("notice_print")
        self.notice_print.clicked.connect(lambda: self._print("reception-notice", save=False))
        for b in (self.replace_button, self.swap_button, self.cancel_button,
                  self.add_day_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.notice_pdf)
        actions.addWidget(self.notice_print)
        lbox.addLayout(actions)
        split.addWidget(left)

        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        self.rule_box = QGroupBox()
        form = QFormLayout(self.rule_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields = FormFields(form)
        self.kind = QComboBox()
        for kind in RuleKind:
            self.kind.addItem("", kind.value)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.fields.add("kind", self.kind, N_("Reception days"))
        self.weekday = QComboBox()
        for i in range(7):
            self.weekday.addItem("", i)
        self.fields.add("weekday", self.weekday, N_("Weekday"))
        self.fields.add("days", QLineEdit(), N_("Days of the month"))
        self.per_day = QComboBox()
        for n in range(1, MAX_PER_DAY + 1):
            self.per_day.addItem(str(n), n)
        self.fields.add("per_day", self.per_day, N_("Deputies per day"))
        self.fields.add("start", QLineEdit(), N_("Start time"))
        self.fields.add("end", QLineEdit(), N_("End time"))
        self.fields.add("place", QLineEdit(), N_("Place"))
        self.fields.add_fallback()
        self.rule_button = QPushButton()
        self.rule_button.setObjectName("save_rule")
        self.rule_button.clicked.connect(self.save_rule)
        form.addRow(self.rule_button)
        rbox.addWidget(self.rule_box)
        self.warnings_box = QGroupBox()
        wbox = QVBoxLayout(self.warnings_box)
        self.warnings = QListWidget()
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        wbox.addWidget(self.warnings)
        rbox.addWidget(self.warnings_box, 1)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        return page

    def _build_calendar_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.calendar_intro = QLabel()
        self.calendar_intro.setWordWrap(True)
        box.addWidget(self.calendar_intro)
        self.calendar_table = QTableWidget(0, len(CALENDAR_COLUMNS))
        self.calendar_table.setObjectName("calendar")
        self.calendar_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.calendar_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.calendar_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.calendar_table.verticalHeader().hide()
        header = self.calendar_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.calendar_table.itemSelectionChanged.connect(self._update_buttons)
        box.addWidget(self.calendar_table, 1)
        add = QHBoxLayout()
        self.cal_date = DateEdit()
        self.cal_date.setObjectName("cal_date")
        self.cal_kind = QComboBox()
        self.cal_kind.setObjectName("cal_kind")
        for kind in CalendarKind:
            self.cal_kind.addItem("", kind.value)
        self.cal_note = QLineEdit()
        self.cal_note.setObjectName("cal_note")
        self.cal_add = QPushButton()
        self.cal_add.setObjectName("cal_add")
        self.cal_add.clicked.connect(self.add_calendar_day)
        self.cal_remove = QPushButton()
        self.cal_remove.setObjectName("cal_remove")
        self.cal_remove.clicked.connect(self.remove_calendar_day)
        add.addWidget(self.cal_date)
        add.addWidget(self.cal_kind)
        add.addWidget(self.cal_note, 1)
        add.addWidget(self.cal_add)
        add.addStretch(0)
        add.addWidget(self.cal_remove)
        box.addLayout(add)
        return page

    # -- Screen
    def title(self) -> str:
        return _("Reception days")

    def retranslate(self) -> None:
        self.year_label.setText(_("Year"))
        self.draw_button.setText(_("Draw the roster"))
        self.draw_button.setToolTip(_(
            "Name the deputies on duty for the coming reception days, fairly: fewest duties "
            "first, at least two a year each where the days allow."))
        self.paper_label.setText(_("Print in"))
        self.month.setItemText(0, _("Whole year"))
        for m in range(1, 13):
            self.month.setItemText(m, format_date(date(2026, m, 1), fmt="MMMM"))
        self.roster_pdf.setText(_("Save duty roster PDF…"))
        self.roster_print.setText(_("Print duty roster…"))
        self.tabs.setTabText(0, _("Reception days and duty roster"))
        self.tabs.setTabText(1, _("Working-day calendar"))
        self.table.setHorizontalHeaderLabels([_(m) for m in DAY_COLUMNS])
        self.replace_button.setText(_("Replace…"))
        self.swap_button.setText(_("Swap…"))
        self.add_day_button.setText(_("Add day…"))
        self.add_day_button.setToolTip(_("A reception day outside the rule, e.g. before a "
                                         "festival."))
        self.notice_pdf.setText(_("Save notice PDF…"))
        self.notice_print.setText(_("Print notice…"))
        self.notice_pdf.setToolTip(_("The notice to post three days before the selected "
                                     "reception day."))
        self.rule_box.setTitle(_("Reception-day rule"))
        self.fields.retranslate()
        for i, kind in enumerate(RuleKind):
            self.kind.setItemText(i, _(RULE_KIND_LABELS[kind]))
        for i, msgid in enumerate(WEEKDAY_LABELS):
            self.weekday.setItemText(i, _(msgid))
        self.fields.widgets["days"].setPlaceholderText(_("e.g. 9, 19"))
        self.fields.widgets["days"].setToolTip(_(
            "A day that is not a working day moves to the next working day."))
        self.fields.widgets["start"].setPlaceholderText("08:30")
        self.fields.widgets["end"].setPlaceholderText("11:30")
        self.rule_button.setText(_("Save rule and make the year's days"))
        self.warnings_box.setTitle(_("Warnings"))
        self.calendar_intro.setText(_(
            "Public holidays and swapped working days (调休) of the station. Deadlines count "
            "working days with this calendar, and a reception day that falls on a day off "
            "moves to the next working day. Check it against the State Council's notice "
            "each year."))
        self.calendar_table.setHorizontalHeaderLabels([_(m) for m in CALENDAR_COLUMNS])
        for i, kind in enumerate(CalendarKind):
            self.cal_kind.setItemText(i, _(CALENDAR_KIND_LABELS[kind]))
        self.cal_note.setPlaceholderText(_("Note, e.g. National Day"))
        self.cal_add.setText(_("Add"))
        self.cal_remove.setText(_("Remove"))
        self.cal_date.retranslate()
        if not self._paper_lang_touched:
            i = self.paper_lang.findData(current_language())
            self.paper_lang.setCurrentIndex(max(i, 0))
        self._fill_days()
        self._fill_warnings()
        self._fill_calendar()

    def refresh(self) -> None:
        year = self.year.value()
        self._days = reception.days(self.session, year=year)
        self._warnings = reception.warnings(self.session, year=year)
        self._calendar = calendar_service.calendar_days(self.session, year=year)
        current = reception.rule(self.session)
        self._has_rule = current is not None
        shown = current or reception.default_rule(self.session)
        self.fields.set_values({
            "kind": shown.kind.value, "weekday": shown.weekday,
            "days": ", ".join(str(d) for d in shown.days), "per_day": shown.per_day,
            "start": shown.start, "end": shown.end, "place": shown.place})
        self._kind_changed()
        self._fill_days()
        self._fill_warnings()
        self._fill_calendar()

    # -- filling
    def _fill_days(self) -> None:
        if not hasattr(self, "_warnings"):
            return
        selected = self.selected_day()
        today = self.session.today()
        table = self.table
        table.setRowCount(len(self._days))
        for r, d in enumerate(self._days):
            people = []
            for p in d["deputies"]:
                text = person_label(p)
                if not p["active"]:
                    text = "⚠ " + text
                people.append(text)
            levels = "\n".join(
                f"{p['name']}: " + "、".join(_(LEVEL_LABELS[Level(lv)]) for lv in p["levels"]
                                            if lv in Level._value2member_map_)
                for p in d["deputies"])
            note = d["note"]
            if d["cancelled"]:
                note = _("Cancelled") + (f" — {note}" if note else "")
            values = [format_date(d["day"], fmt="medium"), format_date(d["day"], fmt="EEEE"),
                      "–".join(t for t in (d["start_time"], d["end_time"]) if t),
                      "、".join(people) if people else _("nobody yet"), d["place"], note]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, d["id"])
                if c == 3 and levels:
                    item.setToolTip(levels)
                if d["cancelled"] or d["day"] < today:
                    item.setForeground(QBrush(QColor(PAST_COLOR)))
                if d["cancelled"]:
                    font = item.font()
                    font.setStrikeOut(c < 4)
                    item.setFont(font)
                if c == 3 and any(not p["active"] for p in d["deputies"]):
                    item.setForeground(QBrush(QColor(WARNING_COLOR)))
                table.setItem(r, c, item)
        if selected:
            for r, d in enumerate(self._days):
                if d["id"] == selected["id"]:
                    table.selectRow(r)
        self._update_note()
        self._update_buttons()

    def _update_note(self) -> None:
        if not self._has_rule:
            text = _("Set the reception-day rule on the right, then make the year's days.")
        elif not self._days:
            text = _("No reception days in {year} yet: save the rule to make them.").format(
                year=self.year.value())
        else:
            live = [d for d in self._days if not d["cancelled"]]
            text = ngettext("{n} reception day in {year}", "{n} reception days in {year}",
                            len(live)).format(n=len(live), year=self.year.value())
            empty = sum(1 for d in live if not d["deputies"])
            if empty:
                text += " — " + ngettext("{n} without deputies on duty: draw the roster.",
                                         "{n} without deputies on duty: draw the roster.",
                                         empty).format(n=empty)
            today = self.session.today()
            coming = next((d for d in live if d["day"] >= today), None)
            if coming is not None:
                text += "  " + _("Next: {date}; post its notice by {post_by}.").format(
                    date=format_date(coming["day"]),
                    post_by=format_date(coming["day"] - timedelta(days=NOTICE_DAYS)))
        self.note.setText(text)

    def warning_texts(self) -> list[str]:
        out = []
        for w in getattr(self, "_warnings", []):
            if w["kind"] == "shortfall":
                out.append(ngettext(
                    "{name}: {n} duty this year (at least {minimum})",
                    "{name}: {n} duties this year (at least {minimum})", w["duties"]).format(
                        name=person_label(w["deputy"]), n=w["duties"], minimum=w["minimum"]))
            elif w["kind"] == "inactive":
                out.append(_("{name} is on duty on {date} but holds no active mandate then: "
                             "replace them or draw the roster.").format(
                                 name=person_label(w["deputy"]), date=format_date(w["day"])))
            elif w["kind"] == "no_calendar":
                out.append(_("The working-day calendar has no holidays for {year}: enter them "
                             "from the State Council's notice before making the days.").format(
                                 year=w["year"]))
            elif w["kind"] == "short_day":
                out.append(_("{date}: {count} of {per_day} deputies on duty.").format(
                    date=format_date(w["day"]), count=w["count"], per_day=w["per_day"]))
        return out

    def _fill_warnings(self) -> None:
        self.warnings.clear()
        texts = self.warning_texts()
        for text in texts:
            item = QListWidgetItem("⚠ " + text)
            item.setForeground(QBrush(QColor(WARNING_COLOR)))
            self.warnings.addItem(item)
        if not texts and self._days:
            self.warnings.addItem(_("No warnings: every deputy has at least two duties this "
                                    "year."))

    def _fill_calendar(self) -> None:
        table = self.calendar_table
        table.setRowCount(len(self._calendar))
        for r, row in enumerate(self._calendar):
            kind = CalendarKind(row["kind"])
            values = [format_date(row["day"], fmt="medium"), format_date(row["day"], fmt="EEEE"),
                      _(CALENDAR_KIND_LABELS[kind]), row["note"]]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                if kind is CalendarKind.WORKDAY:
                    item.setForeground(QBrush(QColor("#1e6b34")))
                table.setItem(r, c, item)
        self._update_buttons()

    # -- selection
    def selected_day(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows() if self.table.model() else []
        if not rows:
            return None
        r = rows[0].row()
        return self._days[r] if 0 <= r < len(self._days) else None

    def select_day(self, on: date) -> None:
        for r, d in enumerate(self._days):
            if d["day"] == on:
                self.table.selectRow(r)
                return

    def select_next_day(self) -> None:
        """Select (and scroll to) the next reception day from today, if any."""
        today = self.session.today()
        for r, d in enumerate(self._days):
            if d["day"] >= today and not d["cancelled"]:
                self.table.selectRow(r)
                self.table.scrollToItem(self.table.item(r, 0),
                                        QAbstractItemView.ScrollHint.PositionAtCenter)
                return

    def selected_calendar_day(self) -> dict | None:
        rows = self.calendar_table.selectionModel().selectedRows()
        if not rows:
            return None
        r = rows[0].row()
        return self._calendar[r] if 0 <= r < len(self._calendar) else None

    def _update_buttons(self) -> None:
        d = self.selected_day()
        editable = d is not None and d["day"] >= self.session.today()
        self.replace_button.setEnabled(bool(editable and d["deputies"] and not d["cancelled"]))
        self.swap_button.setEnabled(bool(editable and d["deputies"] and not d["cancelled"]))
        self.cancel_button.setEnabled(bool(editable))
        self.cancel_button.setText(_("Restore day") if d and d["cancelled"] else _("Cancel day"))
        self.notice_pdf.setEnabled(d is not None and not d["cancelled"])
        self.notice_print.setEnabled(d is not None and not d["cancelled"])
        self.draw_button.setEnabled(bool(self._days))
        self.cal_remove.setEnabled(self.selected_calendar_day() is not None)

    def _kind_changed(self) -> None:
        weekly = self.kind.currentData() == RuleKind.WEEKLY.value
        for name, show in (("weekday", weekly), ("days", not weekly)):
            self.fields.widgets[name].setEnabled(show)

    # -- actions
    def save_rule(self) -> None:
        year = self.year.value()

        def call():
            return reception.set_rule(self.session, data=self.fields.values()) | \
                reception.generate_days(self.session, year=year)

        self.fields.marks.clear()
        changes = attempt(self, call, self.fields.marks)
        if changes is not None:
            self.emit_changes(changes)

    def _confirm_redraw(self, drawn: int) -> str | None:
        """"gaps", "redo" or None (cancelled): asked when days already have deputies."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Draw the roster"), ngettext(
            "{n} coming day already has deputies on duty. Fill only the days that lack "
            "deputies, or draw every coming day again? Days changed by hand are kept.",
            "{n} coming days already have deputies on duty. Fill only the days that lack "
            "deputies, or draw every coming day again? Days changed by hand are kept.",
            drawn).format(n=drawn), QMessageBox.StandardButton.NoButton, self)
        gaps = box.addButton(_("Fill gaps only"), QMessageBox.ButtonRole.AcceptRole)
        redo = box.addButton(_("Draw again"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        box.setDefaultButton(gaps)
        box.exec()
        return {gaps: "gaps", redo: "redo"}.get(box.clickedButton())

    def draw_roster(self) -> None:
        year = self.year.value()
        redo = False
        drawn = reception.drawn_days(self.session, year=year)
        if drawn:
            choice = self._confirm_redraw(drawn)
            if choice is None:
                return
            redo = choice == "redo"
        try:
            changes = reception.draw_roster(self.session, year=year, redo=redo)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.emit_changes(changes)
        self.note.setText(self.note.text() + "  " + ngettext(
            "Drawn: {n} day.", "Drawn: {n} days.", changes.extra.get("days", 0)).format(
                n=changes.extra.get("days", 0)))

    def _open_dialog(self, mode: str) -> None:
        d = self.selected_day()
        if d is None or not d["deputies"]:
            return
        self.dialog = DutyChangeDialog(self.session, d, mode, self)
        self.dialog.accepted.connect(lambda dlg=self.dialog: self.emit_changes(dlg.changes))
        self.dialog.open()

    def replace_duty(self) -> None:
        if self.replace_button.isEnabled():
            self._open_dialog(REPLACE)

    def swap_duty(self) -> None:
        self._open_dialog(SWAP)

    def add_day(self) -> None:
        self.day_dialog = AddDayDialog(self.session, self)
        self.day_dialog.accepted.connect(
            lambda dlg=self.day_dialog: self.emit_changes(dlg.changes))
        self.day_dialog.open()

    def toggle_cancelled(self) -> None:
        d = self.selected_day()
        if d is None:
            return
        changes = attempt(self, lambda: reception.update_day(
            self.session, day_id=d["id"], cancelled=not d["cancelled"]))
        if changes is not None:
            self.emit_changes(changes)

    def add_calendar_day(self) -> None:
        changes = attempt(self, lambda: calendar_service.add_calendar_day(
            self.session, on=self.cal_date.text(), kind=self.cal_kind.currentData(),
            note=self.cal_note.text()))
        if changes is not None:
            self.cal_date.setText("")
            self.cal_note.setText("")
            self.emit_changes(changes)

    def remove_calendar_day(self) -> None:
        row = self.selected_calendar_day()
        if row is None:
            return
        changes = attempt(self, lambda: calendar_service.remove_calendar_day(
            self.session, day_id=row["id"]))
        if changes is not None:
            self.emit_changes(changes)

    # -- printing
    def _paper_lang_chosen(self) -> None:
        self._paper_lang_touched = True

    def print_options(self, name: str) -> dict:
        if name == "duty-roster":
            month = self.month.currentData()
            return {"year": str(self.year.value()), "month": str(month) if month else None}
        d = self.selected_day()
        return {"date": d["day"].isoformat() if d else None}

    def _print(self, name: str, *, save: bool) -> None:
        try:
            from station_desk.ui import printing

            run = printing.save_document if save else printing.print_document
            run(self, self.session, name, lang=self.paper_lang.currentData(),
                options=self.print_options(name))
        except (DomainError, OSError, ImportError) as exc:
            show_error(self, exc, _("Not printed"))
