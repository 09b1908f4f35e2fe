"""The deputy registry: search, filters, the list, a deputy's details and every action on them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFileDialog, QFrame, QGridLayout, QHBoxLayout,
    QHeaderView, QLabel, QMessageBox, QPushButton, QSplitter,
    QTableView, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget,
)

from station_desk.domain import codes
from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.domain.deputies import (
    ALLOWED, DEPUTY_STATUS_LABELS, DeputyFilter, DeputyStatus,
    MandateEventKind, MandateStatus,
)
from station_desk.domain.errors import DomainError, NotFound
from station_desk.domain.masking import mask_phone
from station_desk.i18n import N_, _, current_language, format_date, ngettext
from station_desk.services import registry
from station_desk.ui.models.deputies import (
    COLUMNS, DeputyTableModel, ground_label, group_label, level_label, levels_text,
    mandate_status_label, name_text, sex_label,
)
from station_desk.ui.screens.base import Screen
from station_desk.ui.permissions import restrict
from station_desk.ui.widgets.deputy_filter import DeputyFilterBar
from station_desk.ui.widgets.errors import show_error
from station_desk.ui.widgets.photo import PhotoLabel, load_photo, photo_file_filter

# Initial widths in average characters; the unit column takes what is left.
COLUMN_CHARS = {"name": 15, "sex": 4, "birth_date": 10, "levels": 13, "post": 13,
                "village": 9, "group": 11, "phone": 11, "status": 8}

MANDATE_HEADERS = (N_("Level"), N_("Term"), N_("Constituency"), N_("Elected on"),
                   N_("Status"), N_("Since / ended on"), N_("Ground"))

# Paper languages: each in its own script, so they need no translation.
PAPER_LANGUAGES = (("zh_CN", "中文"), ("ko", "조선어"), ("en", "English"),
                   ("bilingual", "双语 중문+조선어"))

STATUS_COLORS = {DeputyStatus.ACTIVE: ("#1e6b34", "#e3f3e7"),
                 DeputyStatus.SUSPENDED: ("#8a4b00", "#fdf0dc"),
                 DeputyStatus.FORMER: ("#5f6368", "#eceff1")}


class NoticeBar(QFrame):
    """A one-line message under the list, with an optional action (e.g. Undo)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice_bar")
        self.setStyleSheet("#notice_bar { background: #fff6d6; border: 1px solid #e8d48a;"
                           " border-radius: 4px; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        self.label = QLabel()
        self.action = QPushButton()
        self.action.setObjectName("notice_action")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        row.addWidget(self.label, 1)
        row.addWidget(self.action)
        row.addWidget(self.close_button)
        self.close_button.clicked.connect(self.dismiss)
        self.action.clicked.connect(self._act)
        self._callback = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def show_message(self, text: str, action_text: str | None = None, callback=None,
                     timeout_ms: int = 30000) -> None:
        self.label.setText(text)
        self._callback = callback
        self.action.setVisible(bool(action_text))
        self.action.setText(action_text or "")
        self.show()
        self._timer.start(timeout_ms)

    def dismiss(self) -> None:
        self._callback = None
        self._timer.stop()
        self.hide()

    def _act(self) -> None:
        callback = self._callback
        self.dismiss()
        if callback:
            callback()


class DeputyDetail(QWidget):
    """What the clerk sees of the selected deputy: photo, basic data, mandates."""

    ROWS = (("sex", N_("Sex")), ("ethnicity", N_("Ethnicity")),
            ("birth_date", N_("Date of birth")), ("party", N_("Political status")),
            ("unit", N_("Work unit")), ("post", N_("Post")),
            ("phone", N_("Phone")), ("village", N_("Village / community")),
            ("group", N_("Deputy group")), ("notes", N_("Notes")))

    # "show" on the masked phone: the screen asks the reason and calls show_full_phone
    reveal_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deputy: dict | None = None
        self.history: list[dict] = []
        self.photo_bytes: bytes | None = None
        self.full_phone: str | None = None  # revealed for this deputy only

        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.setSpacing(14)

        # photo column
        photo_col = QVBoxLayout()
        self.photo = PhotoLabel(width=120)
        self.set_photo_button = QPushButton()
        self.set_photo_button.setObjectName("set_photo")
        self.remove_photo_button = QPushButton()
        self.remove_photo_button.setObjectName("remove_photo")
        photo_col.addWidget(self.photo)
        photo_col.addWidget(self.set_photo_button)
        photo_col.addWidget(self.remove_photo_button)
        photo_col.addStretch(1)
        outer.addLayout(photo_col)

        # basic data column
        data_col = QVBoxLayout()
        data_col.setSpacing(6)
        head = QHBoxLayout()
        self.name_label = QLabel()
        self.name_label.setObjectName("detail_name")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        f = self.name_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.45)
        f.setBold(True)
        self.name_label.setFont(f)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_badge = QLabel()
        self.status_badge.setObjectName("detail_status")
        head.addWidget(self.name_label)
        head.addWidget(self.status_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addStretch(1)
        data_col.addLayout(head)
        self.levels_label = QLabel()
        self.levels_label.setObjectName("detail_levels")
        self.levels_label.setStyleSheet("color: #444;")
        data_col.addWidget(self.levels_label)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for i, (key, _msgid) in enumerate(self.ROWS):
            cap = QLabel()
            cap.setStyleSheet("color: #6b7280;")
            cap.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            cap.setWordWrap(True)  # a long caption takes two lines, not the window's width
            val = QLabel()
            val.setObjectName(f"detail_{key}")
            val.setTextFormat(Qt.TextFormat.PlainText)  # typed data is never markup
            val.setWordWrap(True)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.captions[key], self.values[key] = cap, val
            if key == "notes":
                row = (len(self.ROWS) + 1) // 2
                grid.addWidget(cap, row, 0)
                grid.addWidget(val, row, 1, 1, 3)
                continue
            row, col = divmod(i, 2)
            if key == "phone":
                # the number is masked; "show" asks a reason, then shows it in full
                val.setWordWrap(False)
                val.setTextFormat(Qt.TextFormat.RichText)
                val.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
                val.linkActivated.connect(lambda _link: self.toggle_phone())
            grid.addWidget(cap, row, col * 2)
            grid.addWidget(val, row, col * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        data_col.addLayout(grid)
        data_col.addStretch(1)

        person_buttons = QHBoxLayout()
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit")
        self.history_button = QPushButton()
        self.history_button.setObjectName("history")
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("delete")
        self.file_button = QPushButton()
        self.file_button.setObjectName("performance_file")
        for b in (self.edit_button, self.history_button, self.file_button, self.delete_button):
            person_buttons.addWidget(b)
        person_buttons.addStretch(1)
        data_col.addLayout(person_buttons)
        outer.addLayout(data_col, 4)

        # mandates column
        mand_col = QVBoxLayout()
        mand_col.setSpacing(4)
        self.mandates_title = QLabel()
        tf = self.mandates_title.font()
        tf.setBold(True)
        self.mandates_title.setFont(tf)
        mand_col.addWidget(self.mandates_title)
        self.mandates = QTableWidget(0, len(MANDATE_HEADERS))
        self.mandates.setObjectName("mandates")
        self.mandates.verticalHeader().hide()
        self.mandates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mandates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mandates.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.mandates.setAlternatingRowColors(True)
        self.mandates.setWordWrap(False)
        mh = self.mandates.horizontalHeader()
        mh.setStretchLastSection(True)
        mh.setHighlightSections(False)
        mand_col.addWidget(self.mandates, 1)
        mandate_buttons = QHBoxLayout()
        self.add_mandate_button = QPushButton()
        self.add_mandate_button.setObjectName("add_mandate")
        self.suspend_button = QPushButton()
        self.suspend_button.setObjectName("suspend")
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restore")
        self.terminate_button = QPushButton()
        self.terminate_button.setObjectName("terminate")
        for b in (self.add_mandate_button, self.suspend_button, self.restore_button,
                  self.terminate_button):
            mandate_buttons.addWidget(b)
        mandate_buttons.addStretch(1)
        mand_col.addLayout(mandate_buttons)
        outer.addLayout(mand_col, 7)

        self.mandates.itemSelectionChanged.connect(self.update_buttons)
        self.retranslate()
        self.show_deputy(None)

    # -- state --------------------------------------------------------------------

    def selected_mandate(self) -> dict | None:
        if not self.deputy:
            return None
        rows = self.mandates.selectionModel().selectedRows()
        if not rows:
            return None
        i = rows[0].row()
        ms = self.deputy.get("mandates") or []
        return ms[i] if i < len(ms) else None

    def select_mandate(self, mandate_id: str | None) -> None:
        ms = (self.deputy or {}).get("mandates") or []
        for i, m in enumerate(ms):
            if m["id"] == mandate_id:
                self.mandates.selectRow(i)
                return

    def allowed_events(self) -> frozenset[MandateEventKind]:
        m = self.selected_mandate()
        return ALLOWED[MandateStatus(m["status"])] if m else frozenset()

    def update_buttons(self) -> None:
        has = self.deputy is not None
        for b in (self.edit_button, self.history_button, self.delete_button,
                  self.add_mandate_button, self.set_photo_button, self.file_button):
            b.setEnabled(has)
        self.remove_photo_button.setEnabled(has and self.photo_bytes is not None)
        allowed = self.allowed_events()
        self.suspend_button.setEnabled(MandateEventKind.SUSPENDED in allowed)
        self.restore_button.setEnabled(MandateEventKind.RESTORED in allowed)
        self.terminate_button.setEnabled(MandateEventKind.TERMINATED in allowed)

    def show_deputy(self, deputy: dict | None, photo: bytes | None = None,
                    history: list[dict] | None = None, keep_mandate: str | None = None) -> None:
        if deputy is None or deputy.get("id") != (self.deputy or {}).get("id"):
            self.full_phone = None
        self.deputy, self.photo_bytes, self.history = deputy, photo, history or []
        self._render(keep_mandate)

    def _render(self, keep_mandate: str | None = None) -> None:
        d = self.deputy
        if d is None:
            self.name_label.setText(_("No deputy selected"))
            self.name_label.setStyleSheet("color: #8a97a8;")
            self.status_badge.hide()
            self.levels_label.setText(_("Choose a deputy in the list to see the details, "
                                        "or add one with “Add deputy…” (Ctrl+N)."))
            self.levels_label.setWordWrap(True)
            for v in self.values.values():
                v.setText("")
            for c in self.captions.values():
                c.setVisible(False)
            self.photo.set_photo(None, "")
            self.mandates.setRowCount(0)
            self.update_buttons()
            return
        self.name_label.setStyleSheet("")
        self.name_label.setText(name_text(d))
        status = DeputyStatus(d.get("status") or "active")
        fg, bg = STATUS_COLORS[status]
        self.status_badge.setText(_(DEPUTY_STATUS_LABELS[status]))
        self.status_badge.setStyleSheet(f"color: {fg}; background: {bg}; border-radius: 8px;"
                                        " padding: 1px 8px;")
        self.status_badge.show()
        self.levels_label.setWordWrap(False)
        self.levels_label.setText(levels_text(d.get("levels")))
        for c in self.captions.values():
            c.setVisible(True)
        eth = d.get("ethnicity")
        party = d.get("party")
        values = {
            "sex": sex_label(d.get("sex")),
            "ethnicity": _(codes.ETHNICITY[eth]) if eth in codes.ETHNICITY else "",
            "birth_date": format_date(d.get("birth_date")),
            "party": _(codes.POLITICAL_STATUS[party]) if party in codes.POLITICAL_STATUS else "",
            "unit": d.get("unit") or "",
            "post": d.get("post") or "",
            "phone": self.full_phone if self.full_phone is not None else mask_phone(d.get("phone")),
            "village": d.get("village") or "",
            "group": group_label(d, zh_key="group_name", ko_key="group_name_ko"),
            "notes": d.get("notes") or "",
        }
        for key, text in values.items():
            self.values[key].setText(text or "—")
        if d.get("phone"):
            import html  # only once a deputy is shown, never before the first paint

            link = _("hide") if self.full_phone is not None else _("show…")
            self.values["phone"].setText(
                f'{html.escape(values["phone"])}&nbsp;&nbsp;<a href="#phone">{html.escape(link)}</a>')
        self.photo.set_photo(self.photo_bytes, d.get("name") or "")
        self._render_mandates(keep_mandate)
        self.update_buttons()

    def _suspension_grounds(self) -> dict[tuple, str]:
        """(level, term) -> ground of the latest suspension, from the history."""
        out = {}
        for e in self.history:
            if e.get("source") == "mandate" and e["kind"] == "suspended":
                out[(e["level"], e["term"])] = e.get("ground") or ""
        return out

    def _render_mandates(self, keep_mandate: str | None) -> None:
        ms = self.deputy.get("mandates") or []
        previous = keep_mandate or (self.selected_mandate() or {}).get("id")
        suspension = self._suspension_grounds()
        self.mandates.blockSignals(True)
        self.mandates.setRowCount(len(ms))
        for row, m in enumerate(ms):
            status = m["status"]
            if status == MandateStatus.TERMINATED:
                since, ground = m.get("ended_on") or "", ground_label("terminated", m.get("end_ground"))
            elif status == MandateStatus.SUSPENDED:
                since = m.get("status_since") or ""
                ground = ground_label("suspended", suspension.get((m["level"], m["term"])))
            else:
                since, ground = m.get("status_since") or "", ""
            cells = [level_label(m["level"]), str(m["term"]), m.get("constituency") or "",
                     m.get("elected_on") or "", mandate_status_label(status), since, ground]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if status == MandateStatus.TERMINATED:
                    item.setForeground(Qt.GlobalColor.gray)
                elif status == MandateStatus.SUSPENDED and col == 4:
                    item.setForeground(Qt.GlobalColor.darkYellow)
                self.mandates.setItem(row, col, item)
        self.mandates.blockSignals(False)
        self._size_mandate_columns()
        # keep the mandate the clerk worked on; else the first one still open
        target = None
        if previous and any(m["id"] == previous for m in ms):
            target = previous
        else:
            target = next((m["id"] for m in ms if m["status"] != MandateStatus.TERMINATED),
                          ms[0]["id"] if ms else None)
        self.mandates.clearSelection()
        if target:
            self.select_mandate(target)

    def _size_mandate_columns(self) -> None:
        fm = self.mandates.fontMetrics()
        h = self.mandates.horizontalHeader()
        for col in range(self.mandates.columnCount() - 1):
            texts = [self.mandates.horizontalHeaderItem(col).text()] + [
                self.mandates.item(r, col).text() for r in range(self.mandates.rowCount())]
            width = max(fm.horizontalAdvance(t) for t in texts) + 16
            h.resizeSection(col, min(width, 120))

    def toggle_phone(self) -> None:
        """Hide a shown phone; ask for it (reveal_requested) when masked."""
        if self.full_phone is not None:
            self.full_phone = None
            self._render()
        else:
            self.reveal_requested.emit()

    def show_full_phone(self, phone: str) -> None:
        self.full_phone = phone
        self._render()

    def retranslate(self) -> None:
        for key, msgid in self.ROWS:
            self.captions[key].setText(_(msgid))
        self.mandates_title.setText(_("Mandates"))
        self.mandates.setHorizontalHeaderLabels([_(h) for h in MANDATE_HEADERS])
        self.set_photo_button.setText(_("Set photo…"))
        self.remove_photo_button.setText(_("Remove photo"))
        self.edit_button.setText(_("Edit…"))
        self.edit_button.setToolTip(_("Edit the deputy's details (Enter)"))
        self.history_button.setText(_("History…"))
        self.file_button.setText(_("Performance file…"))
        self.delete_button.setText(_("Delete"))
        self.delete_button.setToolTip(_("Delete a record entered by mistake (Del). "
                                        "A deputy who leaves office is terminated instead."))
        self.add_mandate_button.setText(_("Add mandate…"))
        self.suspend_button.setText(_("Suspend…"))
        self.restore_button.setText(_("Restore…"))
        self.terminate_button.setText(_("Terminate…"))
        self.photo.retranslate()
        self._render()


class RegistryScreen(Screen):
    """The list of deputies with search and filters, and the selected deputy's details."""

    key = "registry"
    title_msgid = N_("Deputies")
    tables = frozenset({"deputies", "mandates", "mandate_events", "deputy_photos",
                        "deputy_groups"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.current_id: str | None = None
        self._last_changes: Changes | None = None
        self._paper_lang_touched = False

        root = QVBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 6)
        root.setSpacing(6)

        # search and filters (the same row as the deputy picker's)
        bar = QHBoxLayout()
        self.filters = DeputyFilterBar(session, status=None, search_unit=False,
                                       placeholder=N_("Search by name or Korean reading (Ctrl+F)"))
        self.search = self.filters.search
        self.search.setMinimumWidth(220)
        self.level_filter = self.filters.level
        self.status_filter = self.filters.status
        self.group_filter = self.filters.group
        self.village_filter = self.filters.village
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.count_label.setStyleSheet("color: #555;")
        bar.addWidget(self.filters, 3)
        bar.addSpacing(8)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        root.addLayout(bar)

        # actions on the whole registry
        actions = QHBoxLayout()
        self.add_button = QPushButton()
        self.add_button.setObjectName("add")
        f = self.add_button.font()
        f.setBold(True)
        self.add_button.setFont(f)
        self.import_button = QPushButton()
        self.import_button.setObjectName("import")
        self.export_button = QPushButton()
        self.export_button.setObjectName("export")
        self.paper_label = QLabel()
        self.paper_lang = QComboBox()
        self.paper_lang.setObjectName("paper_lang")
        for code, label in PAPER_LANGUAGES:
            self.paper_lang.addItem(label, code)
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("save_pdf")
        self.print_button = QPushButton()
        self.print_button.setObjectName("print")
        actions.addWidget(self.add_button)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)
        actions.addWidget(self.paper_label)
        actions.addWidget(self.paper_lang)
        actions.addWidget(self.pdf_button)
        actions.addWidget(self.print_button)
        root.addLayout(actions)

        # the list and the detail pane
        self.model = DeputyTableModel(session, self)
        self.table = QTableView()
        self.table.setObjectName("deputies")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        hh.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setObjectName("empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #8a97a8; font-size: 14px;")
        self.empty_label.hide()
        self.table.viewport().installEventFilter(self)

        self.detail = DeputyDetail()
        self.detail.setObjectName("detail")
        self.detail.reveal_requested.connect(self.reveal_phone)
        self.detail.setMinimumHeight(260)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        root.addWidget(self.splitter, 1)

        self.notice = NoticeBar()
        root.addWidget(self.notice)

        # behaviour
        self.filters.changed.connect(self.apply_filter)  # a choice, or a pause in typing
        self.search.returnPressed.connect(self._search_now)
        self.search.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_deputy())
        self.table.installEventFilter(self)
        self.model.modelReset.connect(self._after_reset)

        self.add_button.clicked.connect(self.add_deputy)
        self.import_button.clicked.connect(self.import_roster)
        self.export_button.clicked.connect(self.export_excel)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_roster)
        self.paper_lang.activated.connect(self._paper_lang_chosen)
        d = self.detail
        d.edit_button.clicked.connect(self.edit_deputy)
        d.history_button.clicked.connect(self.show_history)
        d.file_button.clicked.connect(self.open_performance_file)
        d.delete_button.clicked.connect(self.delete_deputy)
        d.add_mandate_button.clicked.connect(self.add_mandate)
        d.suspend_button.clicked.connect(lambda: self.record_event(MandateEventKind.SUSPENDED))
        d.restore_button.clicked.connect(lambda: self.record_event(MandateEventKind.RESTORED))
        d.terminate_button.clicked.connect(lambda: self.record_event(MandateEventKind.TERMINATED))
        d.set_photo_button.clicked.connect(self.choose_photo)
        d.remove_photo_button.clicked.connect(self.remove_photo)

        self.add_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        self.add_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.add_shortcut.activated.connect(self.add_deputy)

        QWidget.setTabOrder(self.search, self.level_filter)
        QWidget.setTabOrder(self.level_filter, self.status_filter)
        QWidget.setTabOrder(self.status_filter, self.group_filter)
        QWidget.setTabOrder(self.group_filter, self.village_filter)
        QWidget.setTabOrder(self.village_filter, self.table)
        QWidget.setTabOrder(self.table, d.edit_button)
        # only what the role may do is offered (the services refuse the rest)
        restrict(session, Permission.EDIT_DEPUTIES, self.add_button, self.import_button,
                 d.edit_button, d.delete_button, d.set_photo_button, d.remove_photo_button,
                 d.add_mandate_button, d.suspend_button, d.restore_button, d.terminate_button)
        restrict(session, Permission.IMPORT_EXPORT, self.import_button, self.export_button)
        self.add_shortcut.setEnabled(session.can(Permission.EDIT_DEPUTIES))

        self.retranslate()
        self._update_count()

    # -- texts ------------------------------------------------------------------

    def retranslate(self) -> None:
        self.filters.retranslate()
        self.add_button.setText(_("Add deputy…"))
        self.add_button.setToolTip(_("Add a deputy (Ctrl+N)"))
        self.import_button.setText(_("Import…"))
        self.import_button.setToolTip(_("Import a roster from Excel or CSV"))
        self.export_button.setText(_("Export to Excel…"))
        self.paper_label.setText(_("Paper:"))
        self.paper_lang.setToolTip(_("Language of the printed roster"))
        self.pdf_button.setText(_("Save roster PDF…"))
        self.print_button.setText(_("Print roster…"))
        self.notice.close_button.setToolTip(_("Close"))
        if not self._paper_lang_touched:
            i = self.paper_lang.findData(current_language())
            self.paper_lang.setCurrentIndex(max(i, 0))
        self.model.retranslate()
        self._size_columns()
        self.detail.retranslate()
        self._update_count()
        self._update_empty()

    def _size_columns(self) -> None:
        """Widths from typical content and the header in the current language
        (the clerk can still drag them); the work unit takes what is left."""
        fm = self.table.fontMetrics()
        hh = self.table.horizontalHeader()
        hfm = hh.fontMetrics()
        hh.setMinimumSectionSize(36)
        for col, (key, msgid, _sort) in enumerate(COLUMNS):
            if key == "unit":
                hh.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
                continue
            hh.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            content = fm.averageCharWidth() * COLUMN_CHARS[key]
            header = hfm.horizontalAdvance(_(msgid)) + 28  # room for the sort arrow
            hh.resizeSection(col, max(content + 16, min(header, content * 3 // 2)))
        # a Chinese name with its Korean reading: 金明哲 (김명철)
        hh.resizeSection(0, max(hh.sectionSize(0), fm.horizontalAdvance("金明哲 (김명철)") + 24))

    # -- filtering --------------------------------------------------------------

    def current_filter(self) -> DeputyFilter:
        f = self.model.filter
        return DeputyFilter(query=self.search.text().strip(),
                            level=self.level_filter.currentData(),
                            status=self.status_filter.currentData(),
                            group_id=self.group_filter.currentData(),
                            village=self.village_filter.currentData(),
                            sort=f.sort, descending=f.descending)

    def _search_now(self) -> None:
        self.filters.cancel_pending()
        self.apply_filter()
        if self.model.rowCount() and self.current_id is None:
            self.table.setFocus()
            self.table.selectRow(0)

    def apply_filter(self) -> None:
        self.filters.cancel_pending()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(ngettext("{n} deputy", "{n} deputies", n).format(n=n))
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.rowCount():
            self.empty_label.hide()
            return
        f = self.model.filter
        filtered = f.query or f.level or f.status or f.group_id or f.village
        self.empty_label.setText(
            _("No deputy matches the search and filters.") if filtered else
            _("No deputies yet. Add the first one with “Add deputy…” (Ctrl+N) "
              "or import a roster."))
        self.empty_label.resize(self.table.viewport().size())
        self.empty_label.show()

    # -- selection --------------------------------------------------------------

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        deputy_id = self.model.deputy_id(current.row())
        if deputy_id and deputy_id != self.current_id:
            self.show_deputy(deputy_id)

    def _after_reset(self) -> None:
        self._update_count()
        if self.current_id:
            self._select_row_of(self.current_id)

    def _select_row_of(self, deputy_id: str) -> bool:
        row = self.model.cached_row_of(deputy_id)
        if row is None:
            row = registry.position(self.session, self.model.filter, deputy_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        sm = self.table.selectionModel()
        sm.setCurrentIndex(index, sm.SelectionFlag.ClearAndSelect | sm.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def select_deputy(self, deputy_id: str) -> None:
        """Show ``deputy_id`` in the detail pane and select its row when listed."""
        self.show_deputy(deputy_id)
        self._select_row_of(deputy_id)

    def show_deputy(self, deputy_id: str | None, keep_mandate: str | None = None) -> None:
        """Re-read and show one deputy (None: nothing selected)."""
        self.current_id = deputy_id
        if deputy_id is None:
            self.detail.show_deputy(None)
            return
        try:
            d = registry.deputy(self.session, deputy_id)
        except NotFound:
            self.current_id = None
            self.detail.show_deputy(None)
            return
        self.detail.show_deputy(d, registry.photo(self.session, deputy_id),
                                registry.history(self.session, deputy_id), keep_mandate)

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    # -- refreshing -------------------------------------------------------------

    def refresh(self) -> None:
        # the groups and villages are read again on refresh, not on every retranslate:
        # listing the villages of 10,000 deputies takes a few ms
        self.filters.load_values()
        self.filters.retranslate()
        keep = (self.detail.selected_mandate() or {}).get("id")
        if not self.model.set_filter(self.current_filter()):
            self.model.refresh()
        self.show_deputy(self.current_id, keep_mandate=keep)

    def on_changes(self, changes: Changes) -> None:
        if changes is self._last_changes:  # our own change, already shown
            return
        super().on_changes(changes)

    def _apply(self, changes: Changes, select: str | None = None) -> None:
        """After a service call: show the result here and tell the other screens."""
        if not changes:
            return
        if select:
            self.current_id = select
        self._last_changes = changes
        self.refresh()
        self.emit_changes(changes)

    # -- events -----------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if obj is self.table:
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_id:
                    self.edit_deputy()
                    return True
                if key == Qt.Key.Key_Delete and self.current_id:
                    self.delete_deputy()
                    return True
            elif obj is self.search:
                if key == Qt.Key.Key_Escape and self.search.text():
                    self.search.clear()
                    self.apply_filter()
                    return True
                if key == Qt.Key.Key_Down and self.model.rowCount():
                    self.table.setFocus()
                    if not self.table.selectionModel().hasSelection():
                        self.table.selectRow(0)
                    return True
        elif event.type() == QEvent.Type.Resize and obj is self.table.viewport():
            self.empty_label.resize(self.table.viewport().size())
        return super().eventFilter(obj, event)

    # -- dialogs ----------------------------------------------------------------

    def reveal_phone(self) -> QDialog | None:
        """Ask the reason, then show the selected deputy's full phone in the detail
        (audited as "reveal"; refused for a role without the permission)."""
        from station_desk.ui.dialogs.reveal import RevealDialog

        d = self.detail.deputy
        if d is None:
            return None
        dialog = RevealDialog(self.session, object_type="deputy", object_id=d["id"],
                              field="phone", who=d.get("name") or "", parent=self)
        return self._open_form(dialog, lambda dlg: self.detail.show_full_phone(dlg.value or ""))

    def _open_form(self, dialog: QDialog, done) -> QDialog:
        """``open_dialog``, also passing on what a cancelled form already saved
        (e.g. a group made in it)."""
        def cancelled(form: QDialog) -> None:
            changes = getattr(form, "changes", None)
            if changes:
                self._apply(changes)

        return self.open_dialog(dialog, done, otherwise=cancelled)

    def _deputy(self) -> dict | None:
        return self.detail.deputy

    def add_deputy(self) -> QDialog:
        from station_desk.ui.dialogs.deputy_form import DeputyForm

        return self._open_form(DeputyForm(self.session, None, self),
                          lambda dlg: self._apply(dlg.changes, select=dlg.changes.created_id))

    def edit_deputy(self) -> QDialog | None:
        d = self._deputy()
        if d is None:
            return None
        from station_desk.ui.dialogs.deputy_form import DeputyForm

        return self._open_form(DeputyForm(self.session, d, self, photo=self.detail.photo_bytes),
                          lambda dlg: self._apply(dlg.changes))

    def add_mandate(self) -> QDialog | None:
        d = self._deputy()
        if d is None:
            return None
        from station_desk.ui.dialogs.mandate_dialogs import MandateDialog

        def done(dlg):
            self.detail.select_mandate(None)
            self._apply(dlg.changes)
            self.detail.select_mandate(dlg.changes.created_id)

        return self._open_form(MandateDialog(self.session, d, self), done)

    def record_event(self, kind: MandateEventKind) -> QDialog | None:
        d, m = self._deputy(), self.detail.selected_mandate()
        if d is None or m is None or kind not in self.detail.allowed_events():
            return None
        from station_desk.ui.dialogs.mandate_dialogs import MandateEventDialog

        return self._open_form(MandateEventDialog(self.session, d, m, kind, self),
                          lambda dlg: self._apply(dlg.changes))

    def open_performance_file(self) -> bool:
        """Show the deputy's performance file (履职档案) in its screen."""
        d = self._deputy()
        window = self.window()
        if d is None or not hasattr(window, "show_screen") or not window.has_screen("ledger"):
            return False
        window.show_screen("ledger")
        return window.screen("ledger").select_deputy(d["id"])

    def show_history(self) -> QDialog | None:
        d = self._deputy()
        if d is None:
            return None
        from station_desk.ui.dialogs.history import HistoryDialog

        return self._open_form(HistoryDialog(self.session, d, self), lambda dlg: None)

    # -- photo ------------------------------------------------------------------

    def choose_photo(self) -> None:
        if self._deputy() is None:
            return
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a photo"), "",
                                                    photo_file_filter())
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str | Path) -> bool:
        d = self._deputy()
        if d is None:
            return False
        try:
            data = load_photo(path)
            changes = registry.set_photo(self.session, deputy_id=d["id"], data=data)
        except (DomainError, OSError) as exc:
            show_error(self, exc, _("Photo not saved"))
            return False
        self._apply(changes)
        return True

    def remove_photo(self) -> None:
        d = self._deputy()
        if d is None or self.detail.photo_bytes is None:
            return
        answer = QMessageBox.question(
            self, _("Remove photo"), _("Remove the photo of {name}?").format(name=d["name"]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            changes = registry.remove_photo(self.session, deputy_id=d["id"])
        except DomainError as exc:
            show_error(self, exc)
            return
        self._apply(changes)

    # -- delete / undo ----------------------------------------------------------

    def delete_deputy(self) -> bool:
        d = self._deputy()
        if d is None:
            return False
        answer = QMessageBox.question(
            self, _("Delete deputy"),
            _("Delete {name} from the registry?\n\n"
              "Use this only for a record entered by mistake. When a deputy leaves office, "
              "terminate the mandate instead: the history is kept.").format(name=name_text(d)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            changes = registry.delete_deputy(self.session, deputy_id=d["id"])
        except DomainError as exc:
            show_error(self, exc)
            return False
        deleted_id, name = d["id"], d["name"]
        row = self.table.currentIndex().row()
        self.current_id = None
        self._apply(changes)
        if row >= 0 and self.model.rowCount():  # the clerk goes on with the next person
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        self.notice.show_message(_("Deleted: {name}").format(name=name), _("Undo"),
                                 lambda: self.undo_delete(deleted_id))
        return True

    def undo_delete(self, deputy_id: str) -> None:
        try:
            changes = registry.undo_delete(self.session, deputy_id=deputy_id)
        except DomainError as exc:
            show_error(self, exc)
            return
        self._apply(changes, select=deputy_id)
        self._select_row_of(deputy_id)

    # -- import / export / paper -------------------------------------------------

    def import_roster(self) -> QDialog | None:
        try:
            from station_desk.ui.dialogs.roster_import import RosterImportDialog
        except ImportError as exc:
            show_error(self, exc, _("Import"))
            return None

        def done(dlg):
            changes = getattr(dlg, "changes", None) or Changes()
            self._apply(changes)

        return self._open_form(RosterImportDialog(self.session, self), done)

    def export_excel(self) -> None:
        default = str(Path.home() / _("deputy-roster-{date}.xlsx").format(
            date=self.session.today().isoformat()))
        path, _filter = QFileDialog.getSaveFileName(self, _("Export to Excel"), default,
                                                    _("Excel workbook (*.xlsx)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> bool:
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            from station_desk.services import roster_io

            result = roster_io.export_xlsx(self.session, path, self.model.filter)
        except (DomainError, OSError, ImportError) as exc:
            show_error(self, exc, _("Export failed"))
            return False
        n = result if isinstance(result, int) else self.model.rowCount()
        self.notice.show_message(
            ngettext("Exported {n} deputy to {file}", "Exported {n} deputies to {file}", n)
            .format(n=n, file=path.name), None, None, 10000)
        return True

    def _paper_lang_chosen(self) -> None:
        self._paper_lang_touched = True

    def paper_options(self) -> dict:
        """The roster's options from the filters shown (search and village are not
        options of the printed roster)."""
        f = self.model.filter
        return {"status": f.status or "all", "level": f.level, "group": f.group_id}

    def save_pdf(self) -> None:
        try:
            from station_desk.ui import printing

            printing.save_document(self, self.session, "roster",
                                   lang=self.paper_lang.currentData(),
                                   options=self.paper_options())
        except (DomainError, OSError, ImportError) as exc:
            show_error(self, exc, _("Not printed"))

    def print_roster(self) -> None:
        try:
            from station_desk.ui import printing

            printing.print_document(self, self.session, "roster",
                                    lang=self.paper_lang.currentData(),
                                    options=self.paper_options())
        except (DomainError, OSError, ImportError) as exc:
            show_error(self, exc, _("Not printed"))
