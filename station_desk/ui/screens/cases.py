"""Voter reception cases: the list with search, filters and overdue highlight,
and a short view of the selected case (its timeline and next step)."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMenu, QPushButton, QSplitter, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from station_desk.domain.cases import (
    ACTION_LABELS, CATEGORY_LABELS, EVENT_LABELS, OUT_OF_SCOPE_LABELS, OUTCOME_LABELS,
    SATISFACTION_LABELS, STATE_LABELS, CaseFilter, EventKind, OutOfScope, Outcome, Satisfaction,
)
from station_desk.domain.accounts import Permission
from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.errors import NotFound
from station_desk.domain.masking import mask_text
from station_desk.i18n import _
from station_desk.services import cases, registry
from station_desk.ui.models.cases import (
    COLUMN_KEYS, CaseTableModel, category_label, state_label,
)
from station_desk.ui.screens.base import Screen
from station_desk.ui.permissions import restrict
from station_desk.ui.widgets.date_edit import DateEdit

SEARCH_DELAY_MS = 150
# Paper languages: each in its own script, so they need no translation.
PAPER_LANGUAGES = (("zh_CN", "中文"), ("ko", "조선어"), ("en", "English"),
                   ("bilingual", "双语 중문+조선어"))
# Sample texts that fix each column's initial width; the words take what is left.
COLUMN_SAMPLES = {"number": "2026-00000", "registered_on": "2026-03-09", "voter_name": "金明哲哲",
                  "village": "明东村村委", "responsible_unit": "龙井市住建局", "due_on": "2026-03-09"}


def event_label(kind: str) -> str:
    try:
        return _(EVENT_LABELS[EventKind(kind)])
    except ValueError:
        return kind


def _timeline_detail(entry: dict) -> str:
    """What a timeline line adds to its step: the unit, the reason, the note."""
    d = entry["data"]
    if entry["kind"] == EventKind.FORWARD:
        return d.get("unit") or ""
    for key in ("reason", "note", "redirect"):
        if d.get(key) and not (entry["kind"] == EventKind.CLOSE_OUT_OF_SCOPE and key == "reason"):
            return str(d[key])
    return ""


class CaseDetail(QWidget):
    """The selected case in a few lines: who, what, where it stands, what happened.
    The phone and ID number are masked; "Show…" asks for a reason and shows the
    full value until another case is selected (services/privacy.reveal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_detail")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("case_detail_text")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setMargin(8)
        row = QHBoxLayout()
        self.step_button = QPushButton()
        self.step_button.setObjectName("next_step")
        f = self.step_button.font()
        f.setBold(True)
        self.step_button.setFont(f)
        self.more_button = QToolButton()
        self.more_button.setObjectName("other_steps")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(self.more_button)
        self.more_button.setMenu(self.more_menu)
        self.reveal_button = QPushButton()
        self.reveal_button.setObjectName("reveal_phone")
        self.reveal_id_button = QPushButton()
        self.reveal_id_button.setObjectName("reveal_id")
        self.may_reveal = True  # the screen sets it from the signed-in role
        self.form_pdf_button = QPushButton()
        self.form_pdf_button.setObjectName("save_form_pdf")
        self.form_print_button = QPushButton()
        self.form_print_button.setObjectName("print_form")
        row.addWidget(self.step_button)
        row.addWidget(self.more_button)
        row.addStretch(1)
        self.paper_label = QLabel()
        self.paper_lang = QComboBox()
        self.paper_lang.setObjectName("paper_lang")
        for code, label in PAPER_LANGUAGES:
            self.paper_lang.addItem(label, code)
        self.blank_button = QPushButton()
        self.blank_button.setObjectName("blank_form")
        row.addWidget(self.reveal_button)
        row.addWidget(self.reveal_id_button)
        row.addSpacing(8)
        row.addWidget(self.paper_label)
        row.addWidget(self.paper_lang)
        row.addWidget(self.form_pdf_button)
        row.addWidget(self.form_print_button)
        row.addWidget(self.blank_button)
        box.addWidget(self.label, 1)
        box.addLayout(row)
        self.case: dict | None = None
        self.revealed: dict[str, str] = {}  # field -> full value, for this case only

    def text(self) -> str:
        return self.label.text()

    def show_case(self, case: dict | None) -> None:
        self.case = case
        self.revealed = {}
        self.render()

    @property
    def phone(self) -> str | None:
        return self.revealed.get("phone")

    def show_value(self, field: str, value: str) -> None:
        """Show the full ``field`` of this case's voter (until another case)."""
        self.revealed[field] = value
        self.render()

    def show_phone(self, phone: str) -> None:
        self.show_value("phone", phone)

    def render(self) -> None:
        c = self.case
        self.reveal_button.setText(_("Show phone number…"))
        self.reveal_id_button.setText(_("Show ID number…"))
        self.paper_label.setText(_("Paper:"))
        self.blank_button.setText(_("Blank form PDF…"))
        self.form_pdf_button.setText(_("Save form PDF…"))
        self.form_print_button.setText(_("Print form…"))
        self.form_pdf_button.setVisible(c is not None)
        self.form_print_button.setVisible(c is not None)
        voter = (c or {}).get("voter") or {}
        not_allowed = "" if self.may_reveal else _("Your role may not reveal personal data.")
        for field, button in (("phone", self.reveal_button), ("id_number", self.reveal_id_button)):
            button.setVisible(bool(voter.get(field)) and field not in self.revealed)
            button.setEnabled(self.may_reveal)
            button.setToolTip(not_allowed)
        actions = c["next_actions"] if c else []
        self.step_button.setVisible(bool(actions))
        self.more_button.setVisible(len(actions) > 1)
        self.more_button.setText(_("Other steps"))
        self.more_menu.clear()
        if actions:
            self.step_button.setText(_(ACTION_LABELS[actions[0]]) + "…")
            for kind in actions[1:]:
                action = self.more_menu.addAction(_(ACTION_LABELS[kind]) + "…")
                action.setData(kind.value)
        if c is None:
            self.label.setText(_("Select a case to see its record."))
            return
        row, view = c["row"], c["view"]
        lines = [
            _("Case {number} · {state}").format(number=row["number"],
                                                 state=state_label(row["state"])),
            _("Voter: {name}, {village}, phone {phone}").format(
                name=voter.get("name", ""), village=voter.get("village", ""),
                phone=self.revealed.get("phone") or voter.get("phone") or "—"),
        ]
        if voter.get("id_number"):
            lines.append(_("ID number: {number}").format(
                number=self.revealed.get("id_number") or voter["id_number"]))
        lines += [
            _("Category: {category}").format(category=category_label(row["category"])),
            mask_text(view.words),  # a number the voter dictated into their words
        ]
        if row["responsible_unit"]:
            lines.append(_("Responsible unit: {unit}, due {due}").format(
                unit=row["responsible_unit"], due=row["due_on"] or "—"))
        if c["overdue"]:
            lines.append(_("Overdue since {date}").format(date=row["due_on"]))
        for reply in c.get("county_replies", []):  # brought by the county's return bundle
            lines.append(_("County's reply of {date} ({unit}): {body}").format(
                date=reply["on_date"], unit=reply["unit"] or "—", body=reply["body"]))
        if view.outcome:
            lines.append(_("Outcome: {outcome}").format(outcome=_(OUTCOME_LABELS[
                Outcome(view.outcome)])) + (f" — {view.result}" if view.result else ""))
        if view.satisfaction:
            comment = view.replies[-1].get("comment") if view.replies else ""
            lines.append(_("Satisfaction: {satisfaction}").format(satisfaction=_(
                SATISFACTION_LABELS[Satisfaction(view.satisfaction)]))
                + (f" — {comment}" if comment else ""))
        if view.out_of_scope:
            lines.append(_("Out of scope: {reason}; redirected to {place}").format(
                reason=_(OUT_OF_SCOPE_LABELS[OutOfScope(view.out_of_scope)]),
                place=view.redirect))
        if c.get("original"):
            lines.append(_("Duplicate of case {number}").format(number=c["original"]))
        if view.archive_no:
            lines.append(_("Archive number: {number}").format(number=view.archive_no))
        if c["next_actions"]:
            lines.append(_("Next step: {step}").format(
                step=_(ACTION_LABELS[c["next_actions"][0]])))
        lines.append("")
        for t in c["timeline"]:
            day = t["data"].get("on") or t["at"][:10]
            text = f"{day}  {event_label(t['kind'])}  ({t['actor']})"
            detail = _timeline_detail(t)
            if detail:
                text += f"  {detail}"
            if t["undone"]:
                text += "  " + _("[undone]")
            lines.append(text)
        self.label.setText("\n".join(lines))


class CasesScreen(Screen):
    """Every case of the station, newest first, with search, filters and overdue marks."""

    key = "cases"
    tables = frozenset({"cases", "case_events", "case_deputies", "voters", "deputies",
                        "county_replies"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        root = QVBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 6)
        root.setSpacing(6)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("state_filter")
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("category_filter")
        self.village_filter = QComboBox()
        self.village_filter.setObjectName("village_filter")
        self.deputy_filter = QComboBox()
        self.deputy_filter.setObjectName("deputy_filter")
        for combo in (self.state_filter, self.category_filter, self.village_filter,
                      self.deputy_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        bar.addWidget(self.search, 3)
        for combo in (self.state_filter, self.category_filter, self.village_filter,
                      self.deputy_filter):
            bar.addWidget(combo)
        bar.addStretch(1)
        root.addLayout(bar)

        bar2 = QHBoxLayout()
        self.register_button = QPushButton()
        self.register_button.setObjectName("register")
        f = self.register_button.font()
        f.setBold(True)
        self.register_button.setFont(f)
        bar2.addWidget(self.register_button)
        bar2.addSpacing(12)
        self.from_label = QLabel()
        self.date_from = DateEdit()
        self.date_from.setObjectName("date_from")
        self.to_label = QLabel()
        self.date_to = DateEdit()
        self.date_to.setObjectName("date_to")
        self.overdue_only = QCheckBox()
        self.overdue_only.setObjectName("overdue_only")
        self.overdue_button = QPushButton()
        self.overdue_button.setObjectName("overdue_badge")
        self.overdue_button.setFlat(True)
        self.overdue_button.setStyleSheet("color: #a61b1b; font-weight: bold;")
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.count_label.setStyleSheet("color: #555;")
        bar2.addWidget(self.from_label)
        bar2.addWidget(self.date_from)
        bar2.addWidget(self.to_label)
        bar2.addWidget(self.date_to)
        bar2.addSpacing(12)
        bar2.addWidget(self.overdue_only)
        self.unit_filter = QComboBox()
        self.unit_filter.setObjectName("unit_filter")
        self.unit_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unit_filter.hide()
        bar2.addWidget(self.unit_filter)
        bar2.addWidget(self.overdue_button)
        bar2.addStretch(1)
        bar2.addWidget(self.count_label)
        root.addLayout(bar2)

        self.model = CaseTableModel(session, self)
        self.table = QTableView()
        self.table.setObjectName("cases")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionResizeMode(COLUMN_KEYS.index("words"), QHeaderView.ResizeMode.Stretch)
        fm = self.table.fontMetrics()
        for key, sample in COLUMN_SAMPLES.items():
            self.table.setColumnWidth(COLUMN_KEYS.index(key), fm.horizontalAdvance(sample) + 24)
        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setObjectName("empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #8a97a8; font-size: 14px;")
        self.empty_label.hide()

        self.detail = CaseDetail()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        root.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.state_filter, self.category_filter, self.village_filter,
                      self.deputy_filter):
            combo.activated.connect(self.apply_filter)
        self.date_from.changed.connect(self.apply_filter)
        self.date_to.changed.connect(self.apply_filter)
        self.overdue_only.toggled.connect(self._overdue_toggled)
        self.unit_filter.activated.connect(self.apply_filter)
        self.overdue_button.clicked.connect(lambda: self.overdue_only.setChecked(True))
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.model.modelReset.connect(self._after_reset)
        self.model.rowsInserted.connect(self._after_reset)
        self.detail.reveal_button.clicked.connect(self.reveal_phone)
        self.detail.reveal_id_button.clicked.connect(lambda: self.reveal("id_number"))
        self.detail.may_reveal = session.can(Permission.REVEAL_PERSONAL)
        self.register_button.clicked.connect(self.register)
        self.detail.blank_button.clicked.connect(lambda: self.save_form(blank=True))
        self.detail.form_pdf_button.clicked.connect(lambda: self.save_form())
        self.detail.form_print_button.clicked.connect(self.print_form)
        self.detail.step_button.clicked.connect(self.next_step)
        self.detail.more_menu.triggered.connect(
            lambda action: self.record_step(EventKind(action.data())))

        self._filters_stale = True
        self._overdue = 0
        # only what the role may do is offered (the services refuse the rest)
        restrict(session, Permission.EDIT_CASES, self.register_button,
                 self.detail.step_button, self.detail.more_button)
        restrict(session, Permission.PRINT_PERSONAL, self.detail.form_pdf_button,
                 self.detail.form_print_button)
        self.retranslate()
        self.refresh()

    # -- Screen -----------------------------------------------------------------

    @classmethod
    def navigation_title(cls, session) -> str:
        """"Voter reception (3 overdue)": the count from the service, so the
        window names the screen (badge included) without building it."""
        n = cases.overdue_count(session)
        return _("Voter reception ({count} overdue)").format(count=n) if n else \
            _("Voter reception")

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    def retranslate(self) -> None:
        self.register_button.setText(_("Register a voter's matter…"))
        self.search.setPlaceholderText(_("Search the voter's words, name or village"))
        self.from_label.setText(_("Registered from"))
        self.to_label.setText(_("to"))
        self.overdue_only.setText(_("Overdue only"))
        self.date_from.retranslate()
        self.date_to.retranslate()
        self._fill_static_filters()
        self._fill_dynamic_filters()
        self.model.retranslate()
        self._size_label_columns()
        self.detail.render()
        self._update_labels()

    def _size_label_columns(self) -> None:
        """Category and state columns as wide as their longest label in this language."""
        fm = self.table.fontMetrics()
        widest = {
            "category": max(fm.horizontalAdvance(_(t)) for t in CATEGORY_LABELS.values()),
            "state": max(fm.horizontalAdvance(_("{state} (overdue)").format(state=_(t)))
                         for t in STATE_LABELS.values()),
        }
        for key, width in widest.items():
            self.table.setColumnWidth(COLUMN_KEYS.index(key), width + 24)

    def refresh(self) -> None:
        self._overdue = cases.overdue_count(self.session)
        self._fill_dynamic_filters()
        self.model.refresh()
        self._update_labels()
        self._show_current()

    # -- filters ------------------------------------------------------------------

    @staticmethod
    def _refill(combo: QComboBox, all_text: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, None)
        for value, text in items:
            combo.addItem(text, value)
        i = combo.findData(current)
        combo.setCurrentIndex(i if i >= 0 else 0)
        combo.blockSignals(False)

    def _fill_static_filters(self) -> None:
        self._refill(self.state_filter, _("All states"),
                     [(s.value, _(label)) for s, label in STATE_LABELS.items()])
        self._refill(self.category_filter, _("All categories"),
                     [(c.value, _(label)) for c, label in CATEGORY_LABELS.items()])

    def _overdue_toggled(self, on: bool) -> None:
        self.unit_filter.setVisible(on)
        self._fill_units()
        self.apply_filter()

    def _fill_units(self) -> None:
        """The overdue view: one entry per responsible unit, with its overdue count."""
        if not self.overdue_only.isChecked():
            return
        groups = cases.overdue_by_unit(self.session)
        self._refill(self.unit_filter, _("All units"), [
            (g["unit"], _("{unit}: {count} overdue since {date}").format(
                unit=g["unit"] or _("(no unit)"), count=g["count"], date=g["oldest_due"]))
            for g in groups])

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._filters_stale:
            self._fill_dynamic_filters()

    def _fill_dynamic_filters(self) -> None:
        """Villages, deputies and units to filter by; read when the screen is
        shown (a hidden screen costs the window's start nothing)."""
        if not self.isVisible():
            self._filters_stale = True
            return
        self._filters_stale = False
        self._fill_units()
        self._refill(self.village_filter, _("All villages"),
                     [(v, v) for v in cases.villages(self.session)])
        deputies = registry.page(self.session, DeputyFilter(), offset=0, limit=2000)
        self._refill(self.deputy_filter, _("All deputies"),
                     [(d["id"], d["name"]) for d in deputies])

    def current_filter(self) -> CaseFilter:
        return CaseFilter(
            query=self.search.text().strip(),
            state=self.state_filter.currentData(),
            category=self.category_filter.currentData(),
            village=self.village_filter.currentData(),
            deputy_id=self.deputy_filter.currentData(),
            date_from=self.date_from.date(), date_to=self.date_to.date(),
            overdue=self.overdue_only.isChecked(),
            unit=self.unit_filter.currentData() if self.overdue_only.isChecked() else None)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        filt = self.current_filter()
        if self.model.set_filter(replace(filt, sort=self.model.filter.sort)):
            self._update_labels()
            self._show_current()

    # -- list and detail ------------------------------------------------------------

    def _after_reset(self) -> None:
        self._update_labels()

    def _update_labels(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(_("{count} cases").format(count=n) if self.model.exact
                                 else _("At least {count} cases").format(count=n))
        # counted by refresh (after a change), not at every search or filter
        overdue = self._overdue
        self.overdue_button.setVisible(overdue > 0)
        self.overdue_button.setText(_("{count} overdue").format(count=overdue))
        filtered = self.model.filter != CaseFilter(sort=self.model.filter.sort)
        self.empty_label.setText(_("No case matches the search and filters.") if filtered
                                 else _("No case registered yet."))
        self.empty_label.setVisible(n == 0)
        self.empty_label.resize(self.table.viewport().size())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.empty_label.resize(self.table.viewport().size())

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _show_current(self) -> None:
        index = self.table.currentIndex()
        case_id = self.model.case_id(index.row()) if index.isValid() else None
        if case_id is None:
            self.detail.show_case(None)
            return
        try:
            self.detail.show_case(cases.case(self.session, case_id))
        except NotFound:
            self.detail.show_case(None)

    def _form_options(self, blank: bool) -> dict | None:
        if blank:
            return {}
        case = self.detail.case
        return {"case": case["row"]["number"]} if case else None

    def save_form(self, *, blank: bool = False):
        """Save the register form of the selected case (or a blank one) as PDF."""
        from station_desk.ui import printing

        options = self._form_options(blank)
        if options is None:
            return None
        return printing.save_document(self, self.session, "case-form",
                                      lang=self.detail.paper_lang.currentData(), options=options)

    def print_form(self) -> bool:
        from station_desk.ui import printing

        options = self._form_options(False)
        if options is None:
            return False
        return printing.print_document(self, self.session, "case-form",
                                       lang=self.detail.paper_lang.currentData(), options=options)

    def reveal_phone(self) -> QDialog | None:
        return self.reveal("phone")

    def reveal(self, field: str) -> QDialog | None:
        """Ask the reason, then show the selected voter's full ``field`` (phone or
        id_number) in this view only; the audit trail records who looked and why."""
        from station_desk.ui.dialogs.reveal import RevealDialog

        case = self.detail.case
        if case is None:
            return None
        voter = case.get("voter") or {}
        dialog = RevealDialog(self.session, object_type="case", object_id=case["row"]["id"],
                              field=field, who=voter.get("name", ""), parent=self)
        return self.open_dialog(dialog, lambda d: self.detail.show_value(field, d.value or ""))

    # -- steps ----------------------------------------------------------------------

    def register(self) -> QDialog:
        """The form for a new case (a voter's matter on the reception day)."""
        from station_desk.ui.dialogs.case_step import CaseStepDialog

        def done(dialog) -> None:
            self.emit_changes(dialog.changes)
            self.refresh()
            self.select_row(0)

        return self.open_dialog(CaseStepDialog(self.session, EventKind.REGISTER, parent=self), done)

    def next_step(self) -> QDialog | None:
        case = self.detail.case
        if not case or not case["next_actions"]:
            return None
        return self.record_step(case["next_actions"][0])

    def record_step(self, kind: EventKind) -> QDialog | None:
        """The form for ``kind`` on the selected case."""
        from station_desk.ui.dialogs.case_step import CaseStepDialog

        case = self.detail.case
        if case is None:
            return None
        row = self.table.currentIndex().row()

        def done(dialog) -> None:
            self.emit_changes(dialog.changes)
            self.refresh()
            self.select_row(row)

        return self.open_dialog(CaseStepDialog(self.session, kind, case, parent=self), done)

    def select_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, 0))
