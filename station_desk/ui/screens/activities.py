"""Activities of the station's deputies (活动): the year's plan as a month grid, and
the list of activities with the selected one's page (invitees and attendance,
summary, photos, and the notice, sign-in sheet and summary to print)."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QImageReader, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFileDialog, QFormLayout, QFrame, QHBoxLayout,
    QHeaderView, QInputDialog, QLabel, QLineEdit, QListView, QListWidget, QListWidgetItem,
    QMenu, QMessageBox, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QSplitter,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.activities import (
    ATTENDANCE_LABELS, KIND_LABELS, STATUS_LABELS, ActivityKind, ActivityStatus, Attendance,
)
from station_desk.domain.deputies import LEVEL_LABELS, Level
from station_desk.domain.errors import DomainError, NotFound
from station_desk.i18n import N_, _, current_language, format_date, ngettext
from station_desk.services import activities
from station_desk.services import station as station_service
from station_desk.ui.dialogs.activity_form import ActivityFormDialog, station_head
from station_desk.ui.dialogs.plan_item import PlanItemDialog, month_name
from station_desk.ui.screens.base import Screen
from station_desk.ui.permissions import restrict
from station_desk.ui.widgets.errors import attempt
from station_desk.ui.widgets.fields import FormFields
from station_desk.ui.widgets.month_grid import GridEntry, MonthGrid
from station_desk.ui.widgets.photo import PhotoTooLarge, photo_file_filter

SEARCH_DELAY_MS = 150
THUMB = 96
ACTIVITY_PHOTO_SIDE = 1600  # enough to print on a summary; a phone photo is 4000 px
HELD_COLOR, MISSED_COLOR = "#1e7b34", "#a61b1b"
# Paper languages: each in its own script, so they need no translation.
PAPER_LANGUAGES = (("zh_CN", "中文"), ("ko", "조선어"), ("bilingual", "双语 중문+조선어"),
                   ("en", "English"))
# Short kind names for the plan grid's narrow cells; the full label is the tooltip.
KIND_SHORT = {
    ActivityKind.LEARNING: N_("Learning"),
    ActivityKind.THEORY: N_("Theory talk"),
    ActivityKind.INSPECTION: N_("Inspection"),
    ActivityKind.SERVICE: N_("Service"),
    ActivityKind.MEETING: N_("Meeting"),
    ActivityKind.SUPERVISION_MEETING: N_("Supervision"),
    ActivityKind.SUPERVISION_COURT: N_("Supervision"),
    ActivityKind.SUPERVISION_WINDOW: N_("Supervision"),
    ActivityKind.DOUBLE_CONTACT: N_("Double contact"),
    ActivityKind.REPORT_BACK: N_("Report-back"),
}
LIST_COLUMNS = (N_("Date"), N_("Title"), N_("Kind"), N_("Status"), N_("Invited"),
                N_("Attended"))
INVITEE_COLUMNS = (N_("No."), N_("Name"), N_("Level"), N_("Unit and post"), N_("Attendance"),
                   N_("Leave reason"))
ID_ROLE = Qt.ItemDataRole.UserRole


def _label(labels: dict, enum, value: str, fallback: str = "") -> str:
    try:
        return _(labels[enum(value)])
    except (ValueError, KeyError):
        return value or fallback


def kind_label(kind: str) -> str:
    return _label(KIND_LABELS, ActivityKind, kind)


def kind_short(kind: str) -> str:
    return _label(KIND_SHORT, ActivityKind, kind)


def status_label(status: str) -> str:
    return _label(STATUS_LABELS, ActivityStatus, status)


def attendance_label(mark: str) -> str:
    return _label(ATTENDANCE_LABELS, Attendance, mark)


def person_name(p: dict) -> str:
    """Korean script in a Korean interface when one is kept."""
    if current_language() == "ko" and p.get("name_ko"):
        return p["name_ko"]
    return p.get("name") or ""


def levels_text(levels) -> str:
    if not levels:
        return ""
    if isinstance(levels, str):
        levels = [x for x in levels.replace("，", ",").split(",") if x]
    return "、".join(_label(LEVEL_LABELS, Level, str(lv).strip()) for lv in levels)


def when_text(starts_at: str, ends_at: str) -> str:
    """2026年3月9日 09:00–11:00."""
    if not starts_at:
        return ""
    day = format_date(starts_at[:10], fmt="long")
    end = ends_at[11:16] if ends_at[:10] == starts_at[:10] else \
        f"{format_date(ends_at[:10], fmt='short')} {ends_at[11:16]}"
    return f"{day} {starts_at[11:16]}–{end}"


def _first_lines(text: str, lines: int = 2) -> str:
    """The first lines of a long text, "…" when there is more (the page stays short)."""
    parts = text.splitlines() or [""]
    return "\n".join(parts[:lines]) + (" …" if len(parts) > lines else "")


def _button(name: str) -> QPushButton:
    b = QPushButton()
    b.setObjectName(name)
    return b


class ActivitiesScreen(Screen):
    """The annual plan (a month grid) and the activities with their pages."""

    key = "activities"
    title_msgid = N_("Activities")
    tables = frozenset({"activity_plan", "activities", "activity_invitees", "activity_photos",
                        "deputies", "staff"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.current: dict | None = None  # the selected activity (activities.activity)
        self._own_changes = None
        self._list_filled = False
        self._rows: list[dict] = []
        self._plan: list[dict] = []
        self._summary: list[dict] = []
        self.year = session.today().year

        root = QVBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 6)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("activity_tabs")
        self.tabs.addTab(self._build_plan_page(), "")
        self.tabs.addTab(self._build_list_page(), "")
        root.addWidget(self.tabs, 1)
        self.tab_shortcuts = []
        for n, key in enumerate(("Alt+1", "Alt+2")):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda i=n: self.tabs.setCurrentIndex(i))
            self.tab_shortcuts.append(sc)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_list)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.refresh_list)
        restrict(session, Permission.EDIT_ACTIVITIES, self.add_item_button,
                 self.edit_item_button, self.delete_item_button, self.from_item_button,
                 self.new_button, self.edit_button, self.cancel_button,
                 self.attendance_button, self.invite_button, self.uninvite_button,
                 self.up_button, self.down_button, self.leave_button,
                 self.save_summary_button, self.add_photo_button, self.remove_photo_button)
        self.retranslate()  # reads the plan and the list too

    # ======================================================================
    # building
    def _shortcut(self, page: QWidget, keys, slot) -> QShortcut:
        sc = QShortcut(QKeySequence(keys), page)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(slot)
        return sc

    def _paper_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for code, label in PAPER_LANGUAGES:
            combo.addItem(label, code)
        combo.activated.connect(lambda _i: combo.setProperty("picked", True))
        return combo

    def _follow_language(self) -> None:
        """Paper in the interface's language until the clerk picks another."""
        for combo in (self.plan_paper, self.paper):
            if not combo.property("picked"):
                combo.setCurrentIndex(max(combo.findData(current_language()), 0))

    def _print_button(self, name: str, document: str, options) -> tuple[QPushButton, QMenu]:
        """A button whose menu saves ``document`` as PDF or prints it."""
        button = _button(name)
        menu = QMenu(button)
        save = menu.addAction("")
        save.setObjectName(f"{name}_pdf")
        printing = menu.addAction("")
        printing.setObjectName(f"{name}_print")
        save.triggered.connect(lambda: self.save_pdf(document, options()))
        printing.triggered.connect(lambda: self.print_paper(document, options()))
        button.setMenu(menu)
        return button, menu

    def _build_plan_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("plan_page")
        box = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.year_label = QLabel()
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("year")
        self.year_label.setBuddy(self.year_combo)
        self.totals_label = QLabel()
        self.totals_label.setObjectName("plan_totals")
        font = self.totals_label.font()
        font.setBold(True)
        self.totals_label.setFont(font)
        self.plan_paper_label = QLabel()
        self.plan_paper = self._paper_combo("plan_paper")
        self.plan_paper_label.setBuddy(self.plan_paper)
        self.print_plan_button, self.print_plan_menu = self._print_button(
            "print_plan", "activity-plan", lambda: {"year": str(self.year)})
        bar.addWidget(self.year_label)
        bar.addWidget(self.year_combo)
        bar.addSpacing(16)
        bar.addWidget(self.totals_label)
        bar.addStretch(1)
        bar.addWidget(self.plan_paper_label)
        bar.addWidget(self.plan_paper)
        bar.addWidget(self.print_plan_button)
        box.addLayout(bar)

        self.grid = MonthGrid()
        self.grid.setObjectName("plan_grid")
        box.addWidget(self.grid, 1)

        actions = QHBoxLayout()
        self.add_item_button = _button("add_plan_item")
        self.edit_item_button = _button("edit_plan_item")
        self.delete_item_button = _button("delete_plan_item")
        self.from_item_button = _button("activity_from_item")
        self.legend = QLabel()
        self.legend.setObjectName("plan_legend")
        self.legend.setStyleSheet("color: #555;")
        for b in (self.add_item_button, self.edit_item_button, self.delete_item_button,
                  self.from_item_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.legend)
        box.addLayout(actions)

        self.year_combo.activated.connect(lambda _i: self.set_year(self.year_combo.currentData()))
        self.add_item_button.clicked.connect(lambda: self.add_plan_item())
        self.edit_item_button.clicked.connect(lambda: self.edit_plan_item())
        self.delete_item_button.clicked.connect(lambda: self.delete_plan_item())
        self.from_item_button.clicked.connect(lambda: self.activity_from_item())
        self.grid.current_changed.connect(lambda _id: self._update_plan_buttons())
        self.grid.activated.connect(lambda item_id: self.edit_plan_item(item_id))
        self.grid.delete_requested.connect(lambda item_id: self.delete_plan_item(item_id))
        self.grid.month_activated.connect(lambda month: self.add_plan_item(month))
        self.plan_shortcuts = [
            self._shortcut(page, QKeySequence.StandardKey.New, self.add_plan_item),
            self._shortcut(page, "Ctrl+E", self.edit_plan_item),
            self._shortcut(page, "Ctrl+Shift+N", self.activity_from_item),
            self._shortcut(page, QKeySequence.StandardKey.Print,
                           lambda: self.print_paper("activity-plan", {"year": str(self.year)})),
        ]
        return page

    def _build_list_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("list_page")
        row = QHBoxLayout(page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        row.addWidget(self.splitter)

        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        lbox.addWidget(self.search)
        filters = QHBoxLayout()
        self.list_year = QComboBox()
        self.list_year.setObjectName("list_year")
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("kind_filter")
        self.kind_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_filter.setMinimumContentsLength(8)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        filters.addWidget(self.list_year)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.status_filter)
        lbox.addLayout(filters)
        self.table = QTableWidget(0, len(LIST_COLUMNS))
        self.table.setObjectName("activities")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lbox.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.new_button = _button("new_activity")
        font = self.new_button.font()
        font.setBold(True)
        self.new_button.setFont(font)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.count_label.setStyleSheet("color: #555;")
        bottom.addWidget(self.new_button)
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)
        lbox.addLayout(bottom)
        self.splitter.addWidget(left)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self._build_activity_page())
        self.splitter.addWidget(self.scroll)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setSizes([470, 650])

        for combo in (self.list_year, self.kind_filter, self.status_filter):
            combo.activated.connect(lambda _i: self.refresh_list())
        self.table.itemSelectionChanged.connect(self._show_current)
        self.table.cellDoubleClicked.connect(lambda *_a: self.edit_activity())
        self.table.installEventFilter(self)
        self.new_button.clicked.connect(lambda: self.new_activity())
        self.list_shortcuts = [
            self._shortcut(page, QKeySequence.StandardKey.New, self.new_activity),
            self._shortcut(page, "Ctrl+E", self.edit_activity),
            self._shortcut(page, "Ctrl+I", self.invite),
            self._shortcut(page, "Ctrl+T", self.attendance),
            self._shortcut(page, "Ctrl+L", self.record_leave),
            self._shortcut(page, "Ctrl+S", self.save_summary),
            self._shortcut(page, QKeySequence.StandardKey.Print,
                           lambda: self.print_paper("sign-in-sheet", self._activity_option())),
        ]
        return page

    def _build_activity_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("activity_page")
        box = QVBoxLayout(page)
        box.setContentsMargins(8, 0, 4, 0)
        self.page_title = QLabel()
        self.page_title.setObjectName("activity_title")
        self.page_title.setWordWrap(True)
        font = self.page_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.page_title.setFont(font)
        box.addWidget(self.page_title)

        facts_row = QHBoxLayout()
        self.facts_forms = (QFormLayout(), QFormLayout(), QFormLayout())
        self.facts_parts = [FormFields(form) for form in self.facts_forms]
        for form in self.facts_forms:
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        facts_row.addLayout(self.facts_forms[0], 1)
        facts_row.addSpacing(12)
        facts_row.addLayout(self.facts_forms[1], 1)
        # left: what and when; right: who and why; below, the long texts
        for part, name, label in (
                (0, "kind", N_("Kind")), (0, "status", N_("Status")),
                (0, "when", N_("Date and time")), (0, "place", N_("Place")),
                (1, "theme", N_("Theme")), (1, "organiser", N_("Organiser")),
                (1, "plan", N_("Plan item")), (2, "notice", N_("Notice text")),
                (2, "notes", N_("Notes"))):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts_parts[part].add(name, value, label)
        self.facts = {n: w for part in self.facts_parts for n, w in part.widgets.items()}
        self.fact_labels = {n: lab for part in self.facts_parts
                            for n, (lab, _msgid) in part.labels.items()}
        box.addLayout(facts_row)
        box.addLayout(self.facts_forms[2])

        actions = QHBoxLayout()
        self.edit_button = _button("edit_activity")
        self.cancel_button = _button("cancel_activity")
        self.attendance_button = _button("attendance")
        for b in (self.edit_button, self.attendance_button, self.cancel_button):
            actions.addWidget(b)
        actions.addStretch(1)
        box.addLayout(actions)

        papers = QHBoxLayout()
        self.paper_label = QLabel()
        self.paper = self._paper_combo("paper")
        self.paper_label.setBuddy(self.paper)
        opts = self._activity_option
        self.sheet_button, self.sheet_menu = self._print_button("sign_in_sheet", "sign-in-sheet",
                                                                opts)
        self.notice_button, self.notice_menu = self._print_button("notice", "activity-notice",
                                                                  opts)
        self.summary_print_button, self.summary_menu = self._print_button(
            "summary_print", "activity-summary", opts)
        papers.addWidget(self.paper_label)
        papers.addWidget(self.paper)
        for b in (self.sheet_button, self.notice_button, self.summary_print_button):
            papers.addWidget(b)
        papers.addStretch(1)
        box.addLayout(papers)

        self.invitees_label = QLabel()
        self.invitees_label.setObjectName("invitees_heading")
        self.invitees_label.setFont(self._bold())
        box.addWidget(self.invitees_label)
        self.invitees = QTableWidget(0, len(INVITEE_COLUMNS))
        self.invitees.setObjectName("invitees")
        self.invitees.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.invitees.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.invitees.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.invitees.setWordWrap(False)
        self.invitees.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.invitees.verticalHeader().hide()
        self.invitees.verticalHeader().setDefaultSectionSize(
            self.invitees.fontMetrics().height() + 8)
        self.invitees.setMinimumHeight(self.invitees.verticalHeader().defaultSectionSize() * 5)
        ih = self.invitees.horizontalHeader()
        ih.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.invitees.installEventFilter(self)
        box.addWidget(self.invitees, 3)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("counts")
        self.counts_label.setWordWrap(True)
        box.addWidget(self.counts_label)
        inv = QHBoxLayout()
        self.invite_button = _button("invite")
        self.uninvite_button = _button("uninvite")
        self.up_button = _button("move_up")
        self.down_button = _button("move_down")
        self.leave_button = _button("record_leave")
        for b in (self.invite_button, self.uninvite_button, self.up_button, self.down_button,
                  self.leave_button):
            inv.addWidget(b)
        inv.addStretch(1)
        box.addLayout(inv)

        # the summary and the photos side by side, so the page needs no scrolling
        lower = QHBoxLayout()
        scol = QVBoxLayout()
        self.summary_label = QLabel()
        self.summary_label.setFont(self._bold())
        scol.addWidget(self.summary_label)
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("summary")
        self.summary.setTabChangesFocus(True)
        self.summary.setMinimumHeight(THUMB + 28)
        self.summary_label.setBuddy(self.summary)
        scol.addWidget(self.summary, 1)
        srow = QHBoxLayout()
        self.save_summary_button = _button("save_summary")
        self.summary_state = QLabel()
        self.summary_state.setStyleSheet("color: #555;")
        srow.addWidget(self.save_summary_button)
        srow.addWidget(self.summary_state)
        srow.addStretch(1)
        scol.addLayout(srow)
        lower.addLayout(scol, 3)

        pcol = QVBoxLayout()
        self.photos_label = QLabel()
        self.photos_label.setFont(self._bold())
        pcol.addWidget(self.photos_label)
        self.photos = QListWidget()
        self.photos.setObjectName("photos")
        self.photos.setViewMode(QListView.ViewMode.IconMode)
        self.photos.setIconSize(QSize(THUMB, THUMB))
        self.photos.setGridSize(QSize(THUMB + 12, THUMB + 12))
        self.photos.setResizeMode(QListView.ResizeMode.Adjust)
        self.photos.setMovement(QListView.Movement.Static)
        self.photos.setMinimumWidth(2 * (THUMB + 12) + 24)
        self.photos.setMinimumHeight(THUMB + 28)
        self.photos.installEventFilter(self)
        pcol.addWidget(self.photos, 1)
        # the page fits the pane: these grow into what is left, from their minimum up
        for view in (self.invitees, self.summary, self.photos):
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        prow = QHBoxLayout()
        self.add_photo_button = _button("add_photo")
        self.remove_photo_button = _button("remove_photo")
        prow.addWidget(self.add_photo_button)
        prow.addWidget(self.remove_photo_button)
        prow.addStretch(1)
        pcol.addLayout(prow)
        lower.addLayout(pcol, 2)
        box.addLayout(lower, 2)


        self.edit_button.clicked.connect(lambda: self.edit_activity())
        self.cancel_button.clicked.connect(lambda: self.cancel_activity())
        self.attendance_button.clicked.connect(lambda: self.attendance())
        self.invite_button.clicked.connect(lambda: self.invite())
        self.uninvite_button.clicked.connect(lambda: self.uninvite())
        self.up_button.clicked.connect(lambda: self.move_invitee(-1))
        self.down_button.clicked.connect(lambda: self.move_invitee(1))
        self.leave_button.clicked.connect(lambda: self.record_leave())
        self.save_summary_button.clicked.connect(lambda: self.save_summary())
        self.summary.textChanged.connect(self._summary_edited)
        self.add_photo_button.clicked.connect(lambda: self.add_photo())
        self.remove_photo_button.clicked.connect(lambda: self.remove_photo())
        self.invitees.itemSelectionChanged.connect(self._update_activity_buttons)
        self.photos.itemSelectionChanged.connect(self._update_activity_buttons)
        return page

    def _bold(self):
        font = self.font()
        font.setBold(True)
        return font

    # ======================================================================
    # Screen
    def focus_search(self) -> bool:
        self.tabs.setCurrentIndex(1)
        self.search.setFocus()
        self.search.selectAll()
        return True

    def retranslate(self) -> None:
        self.tabs.setTabText(0, _("Annual &plan"))
        self.tabs.setTabText(1, _("Acti&vity list"))
        self.tabs.setTabToolTip(0, "Alt+1")
        self.tabs.setTabToolTip(1, "Alt+2")
        # plan
        self.year_label.setText(_("&Year:"))
        self.plan_paper_label.setText(_("Paper:"))
        self.print_plan_button.setText(_("P&rint the plan"))
        self.add_item_button.setText(_("&Add to the plan…"))
        self.add_item_button.setToolTip(_("Ctrl+N; Enter on an empty month"))
        self.edit_item_button.setText(_("&Edit…"))
        self.edit_item_button.setToolTip(_("Enter or Ctrl+E"))
        self.delete_item_button.setText(_("&Delete…"))
        self.delete_item_button.setToolTip(_("Delete key"))
        self.from_item_button.setText(_("&Create activity from this item…"))
        self.from_item_button.setToolTip("Ctrl+Shift+N")
        self.legend.setText(_("✓ held   ◷ scheduled   ✗ planned, not held"))
        # list
        self.search.setPlaceholderText(_("Search title, theme or place (Ctrl+F)"))
        self.table.setHorizontalHeaderLabels([_(c) for c in LIST_COLUMNS])
        self.table.horizontalHeaderItem(5).setToolTip(_("Present / on leave / absent"))
        self.invitees.setHorizontalHeaderLabels([_(c) for c in INVITEE_COLUMNS])
        self.new_button.setText(_("&New activity…"))
        self.new_button.setToolTip("Ctrl+N")
        for part in self.facts_parts:
            part.retranslate()
        self.edit_button.setText(_("&Edit…"))
        self.edit_button.setToolTip(_("Enter or Ctrl+E"))
        self.cancel_button.setText(_("Cancel activit&y…"))
        self.cancel_button.setToolTip(_("Delete key in the list"))
        self.attendance_button.setText(_("A&ttendance…"))
        self.attendance_button.setToolTip("Ctrl+T")
        self.invite_button.setText(_("&Invite…"))
        self.invite_button.setToolTip("Ctrl+I")
        self.uninvite_button.setText(_("&Remove invitee…"))
        self.uninvite_button.setToolTip(_("Delete key in the list"))
        self.up_button.setText(_("Move &up"))
        self.up_button.setToolTip(_("Ctrl+Up in the list"))
        self.down_button.setText(_("Move do&wn"))
        self.down_button.setToolTip(_("Ctrl+Down in the list"))
        self.leave_button.setText(_("Record &leave…"))
        self.leave_button.setToolTip("Ctrl+L")
        self.invitees_label.setText(_("Invited, in the order of the sign-in sheet"))
        self.summary_label.setText(_("&Summary"))
        self.save_summary_button.setText(_("Save summary"))
        self.save_summary_button.setToolTip("Ctrl+S")
        self.photos_label.setText(_("Photos"))
        self.add_photo_button.setText(_("Add p&hoto…"))
        self.remove_photo_button.setText(_("Remove photo…"))
        self.remove_photo_button.setToolTip(_("Delete key in the list"))
        self.print_plan_button.setToolTip("Ctrl+P")
        self.paper_label.setText(_("Paper:"))
        self.sheet_button.setText(_("Si&gn-in sheet"))
        self.sheet_button.setToolTip(_("Ctrl+P prints the sign-in sheet"))
        self.notice_button.setText(_("N&otice"))
        self.summary_print_button.setText(_("Su&mmary"))
        for menu in (self.print_plan_menu, self.sheet_menu, self.notice_menu, self.summary_menu):
            save, printing = menu.actions()
            save.setText(_("Save PDF…"))
            printing.setText(_("Print…"))
        self._follow_language()
        self._fill_static_filters()
        self._size_columns()
        self.refresh()

    def _size_columns(self) -> None:
        fm = self.table.fontMetrics()
        widths = {0: fm.horizontalAdvance("2026-03-09") + 20,
                  2: min(max(fm.horizontalAdvance(_(t)) for t in KIND_SHORT.values()) + 20,
                         fm.horizontalAdvance("M") * 7),
                  3: max(fm.horizontalAdvance(_(t)) for t in STATUS_LABELS.values()) + 20,
                  4: fm.horizontalAdvance(_(LIST_COLUMNS[4])) + 20,
                  5: max(fm.horizontalAdvance(_(LIST_COLUMNS[5])), fm.horizontalAdvance(
                      "00/00/00")) + 20}
        for col, width in widths.items():
            self.table.setColumnWidth(col, width)
        fm = self.invitees.fontMetrics()
        iw = {0: fm.horizontalAdvance("000") + 16, 1: fm.horizontalAdvance("金明哲哲") + 20,
              2: fm.horizontalAdvance(_("Township")) * 2 + 20,
              4: max(fm.horizontalAdvance(_(t)) for t in ATTENDANCE_LABELS.values()) + 20,
              5: fm.horizontalAdvance("家中有事，提前请假") + 16}
        for col, width in iw.items():
            self.invitees.setColumnWidth(col, width)

    def refresh(self) -> None:
        """Re-read the plan and the list; the selections stay."""
        self._fill_years()
        self.refresh_plan()
        self.refresh_list()

    # ======================================================================
    # the plan
    def _fill_years(self) -> None:
        """The years to choose from: those with a plan or activities, this year and
        the next (to plan ahead); the list may also show every year."""
        try:
            years = set(activities.years(self.session))
        except DomainError:
            years = set()
        today = self.session.today().year
        years = sorted(years | {today, today + 1, self.year}, reverse=True)
        # the list starts on this year; later "all years" (None) stays chosen
        keep_list = self.list_year.currentData() if self._list_filled else today
        self._list_filled = True
        for combo, keep, everything in ((self.year_combo, self.year, False),
                                        (self.list_year, keep_list, True)):
            combo.blockSignals(True)
            combo.clear()
            if everything:
                combo.addItem(_("All years"), None)
            for y in years:
                combo.addItem(str(y), y)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
            combo.blockSignals(False)

    def set_year(self, year: int) -> None:
        self.year = int(year)
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(self.year), 0))
        self.refresh_plan()

    def refresh_plan(self) -> None:
        self._plan = activities.plan(self.session, year=self.year)
        self._summary = activities.plan_summary(self.session, year=self.year)
        today = self.session.today()
        by_month: dict[int, list[dict]] = {m: [] for m in range(1, 13)}
        for item in self._plan:
            by_month[int(item["month"])].append(item)
        summary = {int(r["month"]): r for r in self._summary}
        for m in range(1, 13):
            past = (self.year, m) < (today.year, today.month)
            entries = []
            for item in by_month[m]:
                held = bool(item.get("held"))
                mark, color, state = "○", None, _("Planned")
                if held:
                    mark, color, state = "✓", HELD_COLOR, _("Held")
                elif past:
                    mark, color, state = "✗", MISSED_COLOR, _("Planned, not held")
                elif any(a["status"] == ActivityStatus.SCHEDULED
                         for a in item.get("activities") or []):
                    mark, state = "◷", _("Scheduled")
                text = _("{mark} [{kind}] {theme}").format(mark=mark, kind=kind_short(item["kind"]),
                                                          theme=item["theme"])
                held_on = [_("{status} on {date}").format(
                    status=status_label(a["status"]), date=format_date(a["starts_at"][:10]))
                    for a in item.get("activities") or []]
                tip = "\n".join(x for x in (item["theme"], kind_label(item["kind"]), state,
                                            *held_on, item.get("notes") or "") if x)
                entries.append(GridEntry(item["id"], text, tip, color))
            row = summary.get(m, {})
            counts = _("Planned {planned} · held {held}").format(
                planned=row.get("planned", len(by_month[m])), held=row.get("held", 0))
            if row.get("unplanned"):
                counts += " · " + _("{n} outside the plan").format(n=row["unplanned"])
            self.grid.set_month(m, month_name(self.year, m), counts, entries,
                                is_current=(self.year, m) == (today.year, today.month))
        self.grid.finish()
        planned = sum(int(r.get("planned", 0)) for r in self._summary)
        held = sum(int(r.get("held", 0)) for r in self._summary)
        self.totals_label.setText(_("{year}: {planned} planned, {held} held").format(
            year=self.year, planned=planned, held=held))
        self._update_plan_buttons()

    def plan_item(self, item_id: str | None = None) -> dict | None:
        item_id = item_id or self.grid.current_id()
        return next((i for i in self._plan if i["id"] == item_id), None)

    def _update_plan_buttons(self) -> None:
        has = self.plan_item() is not None
        for b in (self.edit_item_button, self.delete_item_button, self.from_item_button):
            b.setEnabled(has)

    def _apply(self, changes) -> None:
        """After a service call: show the result here and tell the other screens."""
        if changes:
            self._own_changes = changes
            self.refresh()
            self.emit_changes(changes)

    def on_changes(self, changes) -> None:
        if changes is self._own_changes:  # ours, already shown
            return
        super().on_changes(changes)

    def add_plan_item(self, month: int | None = None) -> QDialog:
        """The form for a new item of the plan (in ``month``, or the month in focus)."""
        def done(dialog) -> None:
            self._apply(dialog.changes)
            if dialog.changes.created_id:
                self.grid.select(dialog.changes.created_id)

        return self.open_dialog(PlanItemDialog(self.session, year=self.year,
                                         month=month or self.grid.current_month(), parent=self),
                          done)

    def edit_plan_item(self, item_id: str | None = None) -> QDialog | None:
        item = self.plan_item(item_id)
        if item is None:
            return None

        def done(dialog) -> None:
            self._apply(dialog.changes)
            self.grid.select(item["id"])

        return self.open_dialog(PlanItemDialog(self.session, year=self.year, item=item, parent=self),
                          done)

    def delete_plan_item(self, item_id: str | None = None) -> bool:
        """Delete an item of the plan, after the clerk confirms."""
        item = self.plan_item(item_id)
        if item is None:
            return False
        answer = QMessageBox.question(
            self, _("Delete plan item"),
            _("Delete “{theme}” ({month}) from the plan?").format(
                theme=item["theme"], month=month_name(self.year, int(item["month"]))),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        changes = attempt(self, lambda: activities.delete_plan_item(self.session,
                                                                    item_id=item["id"]),
                          title=_("Not deleted"))
        if changes is None:
            return False
        self._apply(changes)
        return True

    def activity_from_item(self) -> QDialog | None:
        """A new activity prefilled from the current plan item."""
        item = self.plan_item()
        if item is None:
            return None
        return self.new_activity(plan_item=item)

    # ======================================================================
    # the list
    def _fill_static_filters(self) -> None:
        for combo, all_text, labels in (
                (self.kind_filter, _("All kinds"), KIND_LABELS),
                (self.status_filter, _("All states"), STATUS_LABELS)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, None)
            for value, label in labels.items():
                combo.addItem(_(label), value.value)
                combo.setItemData(combo.count() - 1, _(label), Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
            combo.blockSignals(False)

    def refresh_list(self) -> None:
        """Re-read the activities for the filters; the selected one stays selected."""
        self._search_timer.stop()
        keep = self.current["id"] if self.current else None
        self._rows = activities.activities(
            self.session, year=self.list_year.currentData(), month=None,
            kind=self.kind_filter.currentData(), status=self.status_filter.currentData(),
            search=self.search.text().strip())
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(self._rows))
        select = -1
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, a in enumerate(self._rows):
            marks = f"{a.get('present', 0)}/{a.get('leave', 0)}/{a.get('absent', 0)}"
            title_tip = "\n".join(x for x in (a["title"], a.get("theme")) if x)
            cells = ((a["starts_at"][:10], None), (a["title"], title_tip),
                     (kind_short(a["kind"]), kind_label(a["kind"])),
                     (status_label(a["status"]), None), (str(a.get("invited", 0)), None),
                     (marks if a["status"] != ActivityStatus.CANCELLED else "—",
                      _("Present / on leave / absent")))
            for c, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip or text)
                if c == 0:
                    item.setData(ID_ROLE, a["id"])
                if c in (4, 5):
                    item.setTextAlignment(right)
                if a["status"] == ActivityStatus.CANCELLED:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
            if a["id"] == keep:
                select = r
        self.table.blockSignals(False)
        self.count_label.setText(ngettext("{n} activity", "{n} activities",
                                          len(self._rows)).format(n=len(self._rows)))
        if select >= 0:
            self.table.selectRow(select)
        self._show_current()

    def select_activity(self, activity_id: str) -> bool:
        for r, a in enumerate(self._rows):
            if a["id"] == activity_id:
                self.table.selectRow(r)
                return True
        return False

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _show_current(self) -> None:
        r = self._selected_row()
        activity_id = self._rows[r]["id"] if 0 <= r < len(self._rows) else None
        previous = self.current["id"] if self.current else None
        if previous and activity_id != previous and self._summary_dirty():
            self._offer_to_save_summary()
        self.current = None
        if activity_id is not None:
            try:
                self.current = activities.activity(self.session, activity_id)
            except NotFound:
                self.current = None
        self._render_page(keep_summary=activity_id == previous)

    def _render_page(self, keep_summary: bool = False) -> None:
        a = self.current
        self.scroll.widget().setEnabled(a is not None)
        if a is None:
            self.page_title.setText(_("Choose an activity in the list, or create one."))
            for widget in self.facts.values():
                widget.setText("")
            self.invitees.setRowCount(0)
            self.counts_label.setText("")
            self.summary.blockSignals(True)
            self.summary.setPlainText("")
            self.summary.blockSignals(False)
            self.summary_state.setText("")
            self.photos.clear()
            self._update_activity_buttons()
            return
        self.page_title.setText(a["title"])
        plan = next((i for i in self._plan_items_of(a) if i["id"] == a.get("plan_item_id")), None)
        status = status_label(a["status"])
        if a["status"] == ActivityStatus.CANCELLED and a.get("cancel_reason"):
            status = _("{status}: {reason}").format(status=status, reason=a["cancel_reason"])
        values = {
            "kind": kind_label(a["kind"]), "status": status, "theme": a.get("theme") or "—",
            "when": when_text(a["starts_at"], a["ends_at"]), "place": a.get("place") or "—",
            "organiser": a.get("organiser") or "—",
            "plan": (_("{month}: {theme}").format(month=int(plan["month"]), theme=plan["theme"])
                     if plan else _("(not from the plan)")),
            "notice": _first_lines(a.get("notice") or "—"),
            "notes": _first_lines(a.get("notes") or "—"),
        }
        for name, text in values.items():
            self.facts[name].setText(text)
        for name in ("notice", "notes"):  # in full on hovering; printed with the notice
            self.facts[name].setToolTip(a.get(name) or "")
        self._fill_invitees(a)
        if not keep_summary or not self._summary_dirty():
            self.summary.blockSignals(True)
            self.summary.setPlainText(a.get("summary") or "")
            self.summary.blockSignals(False)
            self.summary_state.setText("")
        self._fill_photos(a)
        self._update_activity_buttons()

    def _plan_items_of(self, a: dict) -> list[dict]:
        year = int(a["starts_at"][:4])
        if year == self.year:
            return self._plan
        try:
            return activities.plan(self.session, year=year)
        except DomainError:
            return []

    def _fill_invitees(self, a: dict) -> None:
        keep = self.current_invitee()
        people = a.get("invitees") or []
        self.invitees.blockSignals(True)
        self.invitees.setRowCount(len(people))
        select = -1
        for r, p in enumerate(people):
            name = person_name(p)
            if p.get("outsider") or not p.get("deputy_id"):
                name = _("{name} (guest)").format(name=name)
            unit = "，".join(x for x in (p.get("unit"), p.get("post")) if x)
            mark = attendance_label(p.get("attendance") or "unmarked")
            leave = p.get("leave_reason") or ""
            if leave and p.get("leave_approved_by"):
                leave = _("{reason} (approved by {name})").format(
                    reason=leave, name=p["leave_approved_by"])
            for c, text in enumerate((str(r + 1), name, levels_text(p.get("levels")), unit,
                                      mark, leave)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setData(ID_ROLE, p["id"])
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if c == 4:
                    color = {"present": HELD_COLOR, "absent": MISSED_COLOR}.get(p.get("attendance"))
                    if color:
                        item.setForeground(QColor(color))
                self.invitees.setItem(r, c, item)
            if p["id"] == keep:
                select = r
        self.invitees.blockSignals(False)
        if select >= 0:
            self.invitees.selectRow(select)
        c = a.get("counts") or {}
        self.counts_label.setText(_(
            "Invited {invited} · present {present} · on leave {leave} · absent {absent}"
            " · not marked {unmarked}").format(
            invited=c.get("expected", len(people)), present=c.get("present", 0),
            leave=c.get("leave", 0), absent=c.get("absent", 0), unmarked=c.get("unmarked", 0)))

    def _fill_photos(self, a: dict) -> None:
        self.photos.clear()
        for p in a.get("photos") or []:
            pix = QPixmap()
            try:
                _mime, data = activities.photo(self.session, p["id"])
                pix.loadFromData(data)
            except DomainError:
                pass
            item = QListWidgetItem(QIcon(pix), "")
            item.setData(ID_ROLE, p["id"])
            item.setToolTip(p.get("caption") or "")
            self.photos.addItem(item)

    def current_invitee(self) -> str | None:
        rows = self.invitees.selectionModel().selectedRows()
        item = self.invitees.item(rows[0].row(), 0) if rows else None
        return item.data(ID_ROLE) if item else None

    def _invitee(self, invitee_id: str | None) -> dict | None:
        if not self.current or invitee_id is None:
            return None
        return next((p for p in self.current.get("invitees") or [] if p["id"] == invitee_id),
                    None)

    def _update_activity_buttons(self) -> None:
        a = self.current
        open_ = a is not None and a["status"] != ActivityStatus.CANCELLED
        invitee = self.current_invitee() is not None
        row = self.invitees.currentRow() if invitee else -1
        self.edit_button.setEnabled(a is not None)
        self.cancel_button.setEnabled(a is not None and a["status"] == ActivityStatus.SCHEDULED)
        self.attendance_button.setEnabled(open_ and bool(a.get("invitees")))
        self.invite_button.setEnabled(open_)
        self.uninvite_button.setEnabled(open_ and invitee)
        self.up_button.setEnabled(open_ and invitee and row > 0)
        self.down_button.setEnabled(open_ and invitee and 0 <= row < self.invitees.rowCount() - 1)
        self.leave_button.setEnabled(open_ and invitee)
        self.save_summary_button.setEnabled(a is not None and self._summary_dirty())
        self.add_photo_button.setEnabled(a is not None)
        self.remove_photo_button.setEnabled(a is not None and bool(self.photos.selectedItems()))
        for b in (self.sheet_button, self.notice_button, self.summary_print_button):
            b.setEnabled(a is not None)

    # -- keys
    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.KeyPress:
            key, mods = event.key(), event.modifiers()
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if obj is self.table and enter and self.current:
                self.edit_activity()
                return True
            if obj is self.table and key == Qt.Key.Key_Delete and self.current:
                self.cancel_activity()  # activities are cancelled with a reason, not deleted
                return True
            if obj is self.invitees:
                if key == Qt.Key.Key_Delete:
                    self.uninvite()
                    return True
                if mods & Qt.KeyboardModifier.ControlModifier and key in (Qt.Key.Key_Up,
                                                                          Qt.Key.Key_Down):
                    self.move_invitee(-1 if key == Qt.Key.Key_Up else 1)
                    return True
                if enter:
                    self.record_leave()
                    return True
            if obj is self.photos and key == Qt.Key.Key_Delete:
                self.remove_photo()
                return True
        return super().eventFilter(obj, event)

    # ======================================================================
    # activity actions
    def _activity_option(self) -> dict | None:
        return {"activity": self.current["id"]} if self.current else None

    def new_activity(self, plan_item: dict | None = None) -> QDialog:
        """The form for a new activity (prefilled from a plan item when given)."""
        def done(dialog) -> None:
            created = dialog.changes.created_id
            self.search.clear()
            self._apply(dialog.changes)
            if created and not self.select_activity(created):
                self.list_year.setCurrentIndex(0)
                self.kind_filter.setCurrentIndex(0)
                self.status_filter.setCurrentIndex(0)
                self.refresh_list()
                self.select_activity(created)
            self.tabs.setCurrentIndex(1)

        return self.open_dialog(ActivityFormDialog(self.session, plan_item=plan_item, year=self.year,
                                             parent=self), done)

    def edit_activity(self) -> QDialog | None:
        if self.current is None:
            return None
        return self.open_dialog(ActivityFormDialog(self.session, activity=self.current, parent=self),
                          lambda d: self._apply(d.changes))

    def cancel_activity(self) -> bool:
        """Cancel the selected activity, with the reason the clerk gives."""
        a = self.current
        if a is None or a["status"] != ActivityStatus.SCHEDULED:
            return False
        reason, ok = QInputDialog.getText(
            self, _("Cancel activity"),
            _("Why is “{title}” cancelled?").format(title=a["title"]))
        if not ok:
            return False
        changes = attempt(self, lambda: activities.cancel_activity(
            self.session, activity_id=a["id"], reason=reason))
        self._apply(changes)
        return changes is not None

    def _run_sheet(self, dialog_cls) -> QDialog | None:
        """A dialog that saves as it goes (picker, attendance): its ``changes``
        are shown and passed on however it was closed."""
        a = self.current
        if a is None:
            return None
        def passed_on(dialog: QDialog) -> None:
            changes = getattr(dialog, "changes", None)
            if changes:
                self._apply(changes)

        dialog = dialog_cls(self.session, a["id"], self)
        return self.open_dialog(dialog, passed_on, otherwise=passed_on)

    def invite(self) -> QDialog | None:
        """The deputy picker: whom to invite to the selected activity."""
        if self.current is None or self.current["status"] == ActivityStatus.CANCELLED:
            return None
        from station_desk.ui.dialogs.deputy_picker import DeputyPickerDialog

        return self._run_sheet(DeputyPickerDialog)

    def attendance(self) -> QDialog | None:
        """The attendance sheet: present / leave / absent, one key per person."""
        if self.current is None or not self.current.get("invitees"):
            return None
        from station_desk.ui.dialogs.attendance import AttendanceDialog

        return self._run_sheet(AttendanceDialog)

    def uninvite(self) -> bool:
        p = self._invitee(self.current_invitee())
        if p is None or self.current["status"] == ActivityStatus.CANCELLED:
            return False
        answer = QMessageBox.question(
            self, _("Remove invitee"),
            _("Remove {name} from the invited of “{title}”?").format(
                name=person_name(p), title=self.current["title"]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        changes = attempt(self, lambda: activities.uninvite(self.session, invitee_id=p["id"]))
        self._apply(changes)
        return changes is not None

    def move_invitee(self, step: int) -> bool:
        invitee_id = self.current_invitee()
        if invitee_id is None:
            return False
        to = self.invitees.currentRow() + step
        if not 0 <= to < self.invitees.rowCount():
            return False
        changes = attempt(self, lambda: activities.move_invitee(self.session,
                                                                invitee_id=invitee_id,
                                                                to_index=to))
        self._apply(changes)
        self.invitees.setFocus()
        return changes is not None

    def record_leave(self) -> QDialog | None:
        """Leave asked before the activity: the reason, approved by the station head
        (the first offered) or another member of the staff."""
        from station_desk.ui.dialogs.attendance import LeaveDialog

        p = self._invitee(self.current_invitee())
        if p is None or self.current["status"] == ActivityStatus.CANCELLED:
            return None

        def done(dialog) -> None:
            reason, approved_by = dialog.values()
            self._apply(attempt(self, lambda: activities.record_leave(
                self.session, invitee_id=p["id"], reason=reason, approved_by=approved_by)))

        return self.open_dialog(LeaveDialog(person_name(p), self._approvers(), self,
                                      reason=p.get("leave_reason") or "",
                                      approved_by=p.get("leave_approved_by") or ""), done)

    def _approvers(self) -> list[str]:
        """Who may approve a leave: the station head first, then the other staff."""
        head = station_head(self.session)
        others = [s["name"] for s in station_service.staff(self.session, include_past=False)
                  if s.get("name") and s["name"] != head]
        return ([head] if head else []) + others

    def _summary_dirty(self) -> bool:
        return self.current is not None and \
            self.summary.toPlainText() != (self.current.get("summary") or "")

    def _summary_edited(self) -> None:
        self.summary_state.setText(_("Not saved yet") if self._summary_dirty() else "")
        self.save_summary_button.setEnabled(self._summary_dirty())

    def _offer_to_save_summary(self) -> None:
        """Leaving an activity whose summary was edited: save it or let it go."""
        answer = QMessageBox.question(
            self, _("Summary not saved"),
            _("The summary of “{title}” was changed. Save it?").format(
                title=self.current["title"]),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            activity_id, text = self.current["id"], self.summary.toPlainText()
            changes = attempt(self, lambda: activities.write_summary(
                self.session, activity_id=activity_id, summary=text))
            if changes:
                self._own_changes = changes
                self.emit_changes(changes)

    def save_summary(self) -> bool:
        a = self.current
        if a is None:
            return False
        changes = attempt(self, lambda: activities.write_summary(
            self.session, activity_id=a["id"], summary=self.summary.toPlainText()))
        if changes is None:
            return False
        self._apply(changes)
        self.summary_state.setText(_("Saved"))
        return True

    def add_photo(self, path: str | None = None) -> bool:
        """Attach a photo from a file; a file that is not an image is refused
        by the service with its message."""
        a = self.current
        if a is None:
            return False
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Add photo"), "",
                                                        photo_file_filter())
            if not path:
                return False
        changes = attempt(self, lambda: activities.add_photo(
            self.session, activity_id=a["id"], data=self._photo_bytes(path), caption=""),
            title=_("Photo not added"))
        self._apply(changes)
        return changes is not None

    @staticmethod
    def _photo_bytes(path: str) -> bytes:
        """A readable image scaled to at most 1600 px; anything else as it is, for
        the service to judge."""
        from pathlib import Path

        file = Path(path)
        if file.stat().st_size > 20 * 1024 * 1024:
            raise PhotoTooLarge(name=file.name)
        reader = QImageReader(str(file))
        reader.setAutoTransform(True)
        image = reader.read()
        if image.isNull():
            return file.read_bytes()
        if max(image.width(), image.height()) > ACTIVITY_PHOTO_SIDE:
            image = image.scaled(ACTIVITY_PHOTO_SIDE, ACTIVITY_PHOTO_SIDE,
                                 Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        return _encode_jpeg(image)

    def remove_photo(self) -> bool:
        items = self.photos.selectedItems()
        if self.current is None or not items:
            return False
        answer = QMessageBox.question(
            self, _("Remove photo"), _("Remove the selected photo from this activity?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        photo_id = items[0].data(ID_ROLE)
        changes = attempt(self, lambda: activities.remove_photo(self.session, photo_id=photo_id))
        self._apply(changes)
        return changes is not None

    # -- paper
    def save_pdf(self, document: str, options: dict | None):
        from station_desk.ui import printing

        if options is None:
            return None
        combo = self.plan_paper if document == "activity-plan" else self.paper
        return printing.save_document(self, self.session, document,
                                      lang=combo.currentData(), options=options)

    def print_paper(self, document: str, options: dict | None) -> bool:
        from station_desk.ui import printing

        if options is None:
            return False
        combo = self.plan_paper if document == "activity-plan" else self.paper
        return printing.print_document(self, self.session, document,
                                       lang=combo.currentData(), options=options)


def _encode_jpeg(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(image.Format.Format_RGB32).save(buf, "JPEG", 85)
    buf.close()
    return bytes(data)
