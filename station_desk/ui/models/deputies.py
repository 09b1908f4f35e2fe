"""The deputy list as a windowed table model.

The row count comes from SQL; rows are fetched in blocks of ``block_size`` as
the view asks for them and kept in a small cache.  Sorting and filtering are
done by SQL (``DeputyFilter``); any change of them drops the cache.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from station_desk.domain.deputies import (
    DEPUTY_STATUS_LABELS, LEVEL_LABELS, SEX_LABELS, STATUS_LABELS, SUSPENSION_LABELS,
    TERMINATION_LABELS, DeputyFilter, DeputyStatus, Level, MandateStatus, Sex,
)
from station_desk.domain.masking import mask_phone
from station_desk.i18n import N_, _, current_language
from station_desk.services import registry
from station_desk.ui.models.blocks import RowBlocks

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

# (key, header msgid, SQL sort key)
COLUMNS: list[tuple[str, str, str]] = [
    ("name", N_("Name"), "name"),
    ("sex", N_("Sex"), "sex"),
    ("birth_date", N_("Date of birth"), "birth_date"),
    ("levels", N_("Levels"), "levels"),
    ("unit", N_("Work unit"), "unit"),
    ("post", N_("Post"), "post"),
    ("village", N_("Village / community"), "village"),
    ("group", N_("Deputy group"), "group"),
    ("phone", N_("Phone"), "phone"),
    ("status", N_("Status"), "status"),
]
COLUMN_KEYS = [c[0] for c in COLUMNS]

FORMER_COLOR = QColor("#8c8c8c")
SUSPENDED_COLOR = QColor("#b35c00")


# -- labels shared by the registry screen and its dialogs ----------------------

def level_label(value: str | None) -> str:
    try:
        return _(LEVEL_LABELS[Level(value)])
    except ValueError:
        return value or ""


def levels_text(levels: str | None) -> str:
    """'county,township' (ordered by rank in SQL) -> translated labels."""
    parts = [level_label(v) for v in (levels or "").split(",") if v]
    return _(", ").join(parts) if parts else ""


def sex_label(value: str | None) -> str:
    try:
        return _(SEX_LABELS[Sex(value)])
    except ValueError:
        return ""


def deputy_status_label(value: str | None) -> str:
    try:
        return _(DEPUTY_STATUS_LABELS[DeputyStatus(value)])
    except ValueError:
        return value or ""


def mandate_status_label(value: str | None) -> str:
    try:
        return _(STATUS_LABELS[MandateStatus(value)])
    except ValueError:
        return value or ""


def ground_label(kind: str | None, ground: str | None) -> str:
    """The translated legal ground of a suspension or termination."""
    if not ground:
        return ""
    for table in (TERMINATION_LABELS, SUSPENSION_LABELS) if kind != "suspended" else (
            SUSPENSION_LABELS, TERMINATION_LABELS):
        for key, msgid in table.items():
            if key.value == ground:
                return _(msgid)
    return ground


def group_label(group: dict | None, *, zh_key: str = "name_zh", ko_key: str = "name_ko") -> str:
    """A group's name in the current language (Korean name when the UI is Korean)."""
    if not group:
        return ""
    if current_language() == "ko" and group.get(ko_key):
        return group[ko_key]
    return group.get(zh_key) or group.get(ko_key) or ""


def name_text(row: dict) -> str:
    """金明哲 (김명철): the name with its Korean reading when there is one."""
    name, ko = row.get("name") or "", row.get("name_ko") or ""
    return f"{name} ({ko})" if ko and ko != name else name


class DeputyTableModel(QAbstractTableModel):
    """Windowed, read-only model over ``services.registry.count/page``."""

    def __init__(self, session, parent=None, *, block_size: int = 200, max_blocks: int = 30) -> None:
        super().__init__(parent)
        self.session = session
        self._filter = DeputyFilter()
        self._count = 0
        self.rows = RowBlocks(lambda offset, limit: registry.page(
            self.session, self._filter, offset=offset, limit=limit),
            block_size=block_size, max_blocks=max_blocks)
        self._count = registry.count(self.session, self._filter)

    # -- what is shown ----------------------------------------------------------

    @property
    def filter(self) -> DeputyFilter:
        return self._filter

    def set_filter(self, filt: DeputyFilter) -> bool:
        """Show the deputies matching ``filt`` (the sort stays the view's);
        True when the filter changed and the rows were re-read."""
        filt = replace(filt, sort=self._filter.sort, descending=self._filter.descending)
        if filt == self._filter:
            return False
        self._filter = filt
        self.refresh()
        return True

    def refresh(self) -> None:
        """Re-count and drop every cached row (after a change or a new filter)."""
        self.beginResetModel()
        self.rows.clear()
        self._count = registry.count(self.session, self._filter)
        self.endResetModel()

    @property
    def block_size(self) -> int:
        return self.rows.block_size

    def cached_blocks(self) -> list[int]:
        return self.rows.cached()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][2]
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._filter.sort, self._filter.descending):
            return
        # The order changes in SQL, so old row numbers mean nothing: a reset.
        self.beginResetModel()
        self._filter = replace(self._filter, sort=key, descending=descending)
        self.rows.clear()
        self.endResetModel()

    def sort_column(self) -> int:
        keys = [c[2] for c in COLUMNS]
        return keys.index(self._filter.sort) if self._filter.sort in keys else 0

    def retranslate(self) -> None:
        """Headers and translated cells in the new language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    # -- rows -------------------------------------------------------------------

    def row(self, row: int) -> dict | None:
        """The row dict at ``row`` (fetching its block when needed)."""
        if not 0 <= row < self._count:
            return None
        return self.rows.row(row)

    def deputy_id(self, row: int) -> str | None:
        r = self.row(row)
        return r["id"] if r else None

    def cached_row_of(self, deputy_id: str) -> int | None:
        """The row number of ``deputy_id`` if its block is cached (no query)."""
        return self.rows.cached_row_of(deputy_id)

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
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
                        ID_ROLE, ROW_ROLE):
            return None
        r = self.row(index.row())
        if r is None:
            return None
        if role == ID_ROLE:
            return r["id"]
        if role == ROW_ROLE:
            return r
        key = COLUMN_KEYS[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if r["status"] == DeputyStatus.FORMER:
                return FORMER_COLOR
            if key == "status" and r["status"] == DeputyStatus.SUSPENDED:
                return SUSPENDED_COLOR
            return None
        if role == Qt.ItemDataRole.FontRole:
            if key == "status" and r["status"] == DeputyStatus.FORMER:
                f = QFont()
                f.setItalic(True)
                return f
            return None
        text = self._text(r, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if key in ("name", "unit", "post", "levels", "group") and text else None
        return text

    def _text(self, r: dict, key: str) -> str:
        if key == "name":
            return name_text(r)
        if key == "sex":
            return sex_label(r.get("sex"))
        if key == "birth_date":
            return r.get("birth_date") or ""
        if key == "levels":
            return levels_text(r.get("levels"))
        if key == "group":
            return group_label(r, zh_key="group_name", ko_key="group_name_ko")
        if key == "phone":
            return mask_phone(r.get("phone"))
        if key == "status":
            return deputy_status_label(r.get("status"))
        return r.get(key) or ""
