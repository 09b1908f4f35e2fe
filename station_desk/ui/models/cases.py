"""The case list as a windowed table model (the pattern of ``models/deputies.py``).

The row count comes from SQL (``services.cases.count``); rows are fetched in
blocks as the view asks for them and kept in a small cache.  Filters, search
and order are SQL's (``CaseFilter``); any change of them drops the cache.

Counting every match of a common search at a million cases takes 0.1–0.3 s,
so the count stops at ``count_cap`` rows: the list paints at once, and when
the view scrolls to the end Qt's ``fetchMore`` counts further.  ``exact``
says whether ``rowCount`` is the whole count.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from station_desk.domain.cases import (
    CATEGORY_LABELS, STATE_LABELS, Category, CaseFilter, CaseState,
)
from station_desk.i18n import N_, _
from station_desk.services import cases
from station_desk.ui.models.blocks import RowBlocks

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

# (key, header msgid)
COLUMNS: list[tuple[str, str]] = [
    ("number", N_("No.")),
    ("registered_on", N_("Registered on")),
    ("voter_name", N_("Voter")),
    ("village", N_("Village / community")),
    ("category", N_("Category")),
    ("words", N_("The voter's words")),
    ("state", N_("State")),
    ("responsible_unit", N_("Responsible unit")),
    ("due_on", N_("Due on")),
]
COLUMN_KEYS = [c[0] for c in COLUMNS]

OVERDUE_TEXT = QColor("#a61b1b")
OVERDUE_BACKGROUND = QColor("#fde8e8")
DONE_TEXT = QColor("#6b7280")


def state_label(value: str | None) -> str:
    try:
        return _(STATE_LABELS[CaseState(value)])
    except ValueError:
        return value or ""


def category_label(value: str | None) -> str:
    try:
        return _(CATEGORY_LABELS[Category(value)])
    except ValueError:
        return value or ""


class CaseTableModel(QAbstractTableModel):
    """Windowed, read-only model over ``services.cases.count/page``."""

    def __init__(self, session, parent=None, *, block_size: int = 200,
                 max_blocks: int = 30, count_cap: int = 5000) -> None:
        super().__init__(parent)
        self.session = session
        self.count_cap = count_cap
        self._filter = CaseFilter()
        self.rows = RowBlocks(lambda offset, limit: cases.page(
            self.session, self._filter, offset=offset, limit=limit),
            block_size=block_size, max_blocks=max_blocks)
        self._cap = count_cap
        self._count = 0
        self.exact = True
        self._recount()

    def _recount(self) -> None:
        self._count = cases.count(self.session, self._filter, cap=self._cap)
        self.exact = self._count < self._cap

    @property
    def filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, filt: CaseFilter) -> bool:
        """Show the cases matching ``filt`` (the order stays the model's);
        True when the filter changed and the rows were re-read."""
        filt = replace(filt, sort=self._filter.sort)
        if filt == self._filter:
            return False
        self._filter = filt
        self.refresh()
        return True

    def set_sort(self, key: str) -> None:
        if key == self._filter.sort:
            return
        self._filter = replace(self._filter, sort=key)
        self.refresh()

    def refresh(self) -> None:
        """Re-count and drop every cached row (after a change or a new filter)."""
        self.beginResetModel()
        self.rows.clear()
        self._cap = self.count_cap
        self._recount()
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and not self.exact

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: N802
        """Count further (the view reached the end of what was counted)."""
        if parent.isValid() or self.exact:
            return
        before = self._count
        self._cap *= 4
        found = cases.count(self.session, self._filter, cap=self._cap)
        self.exact = found < self._cap
        if found > before:
            self.beginInsertRows(QModelIndex(), before, found - 1)
            self._count = found
            self.endInsertRows()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    def row(self, row: int) -> dict | None:
        """The row dict at ``row`` (fetching its block when needed)."""
        if not 0 <= row < self._count:
            return None
        return self.rows.row(row)

    def case_id(self, row: int) -> str | None:
        r = self.row(row)
        return r["id"] if r else None

    # -- Qt model API -----------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return _(COLUMNS[section][1])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.row(index.row())
        if r is None:
            return None
        if role == ID_ROLE:
            return r["id"]
        if role == ROW_ROLE:
            return r
        key = COLUMN_KEYS[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return OVERDUE_BACKGROUND if r["overdue"] else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if r["overdue"]:
                return OVERDUE_TEXT
            if r["state"] in (CaseState.ARCHIVED, CaseState.CLOSED):
                return DONE_TEXT
            return None
        if role == Qt.ItemDataRole.FontRole:
            if r["overdue"] and key in ("due_on", "state"):
                f = QFont()
                f.setBold(True)
                return f
            if r["confidential"] and key == "number":
                f = QFont()
                f.setItalic(True)
                return f
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "words":
                return r["words"]
            if key == "due_on" and r["overdue"]:
                return _("Overdue")
            if key == "number" and r["confidential"]:
                return _("Confidential: accuses a named person or office")
        return None

    def _text(self, r: dict, key: str) -> str:
        if key == "state":
            text = state_label(r["state"])
            return _("{state} (overdue)").format(state=text) if r["overdue"] else text
        if key == "category":
            return category_label(r["category"])
        if key == "words":
            return (r["words"] or "").replace("\n", " ")
        return r.get(key) or ""
