"""Inviting people to an activity: deputies picked from the registry by
group, level, village or search, plus outside participants.  Invite saves
them all in one service call (all or nothing)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSizePolicy,
    QTableView, QVBoxLayout, QWidget,
)

from station_desk.domain.changes import Changes
from station_desk.i18n import N_, _, ngettext
from station_desk.services import activities, registry
from station_desk.ui.models.blocks import RowBlocks
from station_desk.ui.models.deputies import group_label, levels_text, name_text
from station_desk.ui.widgets.deputy_filter import DeputyFilterBar
from station_desk.ui.widgets.errors import attempt

COLUMNS = (("name", N_("Name")), ("levels", N_("Levels")), ("unit", N_("Work unit")),
           ("village", N_("Village / community")), ("group", N_("Deputy group")))
OUTSIDER_FIELDS = (("name", N_("Name")), ("name_ko", N_("Korean reading")),
                   ("unit", N_("Work unit")), ("post", N_("Post")), ("phone", N_("Phone")))
INVITED_COLOR = QColor("#8c8c8c")


class PickModel(QAbstractTableModel):
    """The deputies a filter gives (windowed, as the registry list), each with a
    check box; those already invited are checked and cannot be unchecked."""

    def __init__(self, session, invited: set[str], parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.invited = invited
        self.checked: dict[str, None] = {}  # ticked, in the order ticked
        self.filter = None
        self._count = 0
        self.rows = RowBlocks(lambda offset, limit: registry.page(
            self.session, self.filter, offset=offset, limit=limit))

    def set_filter(self, filt) -> None:
        self.beginResetModel()
        self.filter = filt
        self.rows.clear()
        self._count = registry.count(self.session, filt)
        self.endResetModel()

    def row(self, row: int) -> dict | None:
        return self.rows.row(row) if 0 <= row < self._count else None

    def shown_ids(self) -> list[str]:
        """Every deputy the filter gives (not only the rows on screen)."""
        return [r["id"] for r in registry.page(self.session, self.filter, offset=0,
                                               limit=self._count)] if self._count else []

    def set_checked(self, ids, on: bool) -> None:
        for i in ids:
            if i in self.invited:
                continue
            if on:
                self.checked.setdefault(i)
            else:
                self.checked.pop(i, None)
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return _(COLUMNS[section][1])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        r = self.row(index.row()) if index.isValid() else None
        if r is None:
            return Qt.ItemFlag.NoItemFlags
        if r["id"] in self.invited:
            return Qt.ItemFlag.ItemIsSelectable  # shown, not changeable
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        r = self.row(index.row()) if index.isValid() else None
        if r is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.CheckStateRole and key == "name":
            on = r["id"] in self.checked or r["id"] in self.invited
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and r["id"] in self.invited:
            return INVITED_COLOR
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if key == "name":
                text = name_text(r)
                if r["id"] in self.invited:
                    text = _("{name} (invited)").format(name=text)
                return text
            if key == "levels":
                return levels_text(r.get("levels"))
            if key == "group":
                return group_label(r, zh_key="group_name", ko_key="group_name_ko")
            return r.get(key) or ""
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        r = self.row(index.row()) if index.isValid() else None
        if r is None or role != Qt.ItemDataRole.CheckStateRole or r["id"] in self.invited:
            return False
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        if on:
            self.checked.setdefault(r["id"])
        else:
            self.checked.pop(r["id"], None)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


class DeputyPickerDialog(QDialog):
    """Pick the people to invite to ``activity_id``; ``changes`` after Invite."""

    def __init__(self, session, activity_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.activity_id = activity_id
        self.changes = Changes()
        self.outsiders: list[dict] = []
        self.activity = activities.activity(session, activity_id)
        invited = {r["deputy_id"] for r in self.activity.get("invitees") or []
                   if r.get("deputy_id")}
        self.setObjectName("deputy_picker")
        self.resize(980, 700)

        root = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        root.addWidget(self.heading)

        self.filters = DeputyFilterBar(session)
        root.addWidget(self.filters)

        self.model = PickModel(session, invited, self)
        self.table = QTableView()
        self.table.setObjectName("deputies")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        fm = self.table.fontMetrics()
        hh.resizeSection(0, fm.horizontalAdvance(
            _("{name} (invited)").format(name="金明哲哲 (김명철철)")) + 40)
        hh.resizeSection(1, fm.averageCharWidth() * 16)
        root.addWidget(self.table, 1)

        pick_row = QHBoxLayout()
        self.select_all_button = QPushButton()
        self.select_all_button.setObjectName("select_all")
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clear_selection")
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.count_label.setStyleSheet("color: #555;")
        pick_row.addWidget(self.select_all_button)
        pick_row.addWidget(self.clear_button)
        pick_row.addStretch(1)
        pick_row.addWidget(self.count_label)
        root.addLayout(pick_row)

        self.outside_box = QGroupBox()
        self.outside_box.setObjectName("outside")
        obox = QHBoxLayout(self.outside_box)
        form = QGridLayout()
        form.setHorizontalSpacing(6)
        self.outsider_fields: dict[str, QLineEdit] = {}
        self.outsider_labels: dict[str, QLabel] = {}
        # two short rows: name, Korean reading, phone / work unit, post
        places = {"name": (0, 0), "name_ko": (0, 2), "phone": (0, 4), "unit": (1, 0),
                  "post": (1, 2)}
        for key, _msgid in OUTSIDER_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"outsider_{key}")
            label = QLabel()
            row, col = places[key]
            form.addWidget(label, row, col)
            form.addWidget(edit, row, col + 1)
            self.outsider_fields[key], self.outsider_labels[key] = edit, label
        self.add_outsider_button = QPushButton()
        self.add_outsider_button.setObjectName("add_outsider")
        form.addWidget(self.add_outsider_button, 1, 4, 1, 2)
        for col in (1, 3, 5):
            form.setColumnStretch(col, 1)
        obox.addLayout(form, 3)
        right = QVBoxLayout()
        self.outsider_list = QListWidget()
        self.outsider_list.setObjectName("outsiders")
        self.outsider_list.setMaximumHeight(self.outsider_list.fontMetrics().height() * 4 + 12)
        self.remove_outsider_button = QPushButton()
        self.remove_outsider_button.setObjectName("remove_outsider")
        right.addWidget(self.outsider_list, 1)
        right.addWidget(self.remove_outsider_button, 0, Qt.AlignmentFlag.AlignRight)
        obox.addLayout(right, 2)
        self.outside_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        root.addWidget(self.outside_box)

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        root.addWidget(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)

        self.filters.changed.connect(self.apply_filter)
        self.select_all_button.clicked.connect(self.select_all_shown)
        self.clear_button.clicked.connect(self.clear_selection)
        self.add_outsider_button.clicked.connect(self.add_outsider)
        self.outsider_fields["phone"].returnPressed.connect(self.add_outsider)
        self.remove_outsider_button.clicked.connect(self.remove_outsider)
        self.model.dataChanged.connect(lambda *_a: self._update_summary())
        self.table.activated.connect(self._toggle)

        self.apply_filter()
        self.retranslate()
        self.filters.search.setFocus()

    # -- texts ------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(_("Invite to the activity"))
        self.heading.setText(_("Who is invited to “{title}”?").format(
            title=self.activity.get("title") or ""))
        self.filters.retranslate()
        self.select_all_button.setText(_("Select all shown"))
        self.clear_button.setText(_("Clear selection"))
        self.outside_box.setTitle(_("Outside participants"))
        for key, msgid in OUTSIDER_FIELDS:
            self.outsider_labels[key].setText(_(msgid))
        self.add_outsider_button.setText(_("Add"))
        self.remove_outsider_button.setText(_("Remove"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Invite"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._update_count()
        self._update_summary()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(ngettext("{n} deputy shown", "{n} deputies shown", n).format(n=n))

    def _update_summary(self) -> None:
        d, o = len(self.model.checked), len(self.outsiders)
        self.summary.setText(_("To invite: {deputies}, {outsiders}").format(
            deputies=ngettext("{n} deputy", "{n} deputies", d).format(n=d),
            outsiders=ngettext("{n} outside participant", "{n} outside participants", o)
            .format(n=o)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(d or o))

    # -- picking ----------------------------------------------------------------

    def apply_filter(self) -> None:
        self.model.set_filter(self.filters.current_filter())
        self._update_count()

    def _toggle(self, index: QModelIndex) -> None:
        first = self.model.index(index.row(), 0)
        state = self.model.data(first, Qt.ItemDataRole.CheckStateRole)
        on = state != Qt.CheckState.Checked
        self.model.setData(first, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked,
                           Qt.ItemDataRole.CheckStateRole)

    def check(self, deputy_id: str, on: bool = True) -> None:
        """Tick (or untick) one deputy, shown or not."""
        self.model.set_checked([deputy_id], on)

    def select_all_shown(self) -> None:
        self.model.set_checked(self.model.shown_ids(), True)

    def clear_selection(self) -> None:
        self.model.set_checked(list(self.model.checked), False)

    def add_outsider(self) -> bool:
        """Add the outside participant typed in the fields to the list."""
        data = {k: e.text().strip() for k, e in self.outsider_fields.items()}
        if not data["name"]:
            self.outsider_fields["name"].setFocus()
            return False
        self.outsiders.append(data)
        parts = [name_text(data)] + [data[k] for k in ("unit", "post") if data[k]]
        self.outsider_list.addItem(QListWidgetItem(" · ".join(parts)))
        for e in self.outsider_fields.values():
            e.clear()
        self.outsider_fields["name"].setFocus()
        self._update_summary()
        return True

    def remove_outsider(self) -> None:
        row = self.outsider_list.currentRow()
        if 0 <= row < len(self.outsiders):
            del self.outsiders[row]
            self.outsider_list.takeItem(row)
            self._update_summary()

    def accept(self) -> None:
        """Invite everyone picked in one call; a refusal is shown and nothing saved."""
        ids = list(self.model.checked)  # the sheet's order: as they were ticked
        changes = attempt(self, lambda: activities.invite(
            self.session, activity_id=self.activity_id, deputy_ids=ids,
            outsiders=list(self.outsiders)), title=_("Not invited"))
        if changes is None:
            return
        self.changes = changes
        super().accept()
