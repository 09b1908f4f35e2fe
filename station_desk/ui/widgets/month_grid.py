"""A year as twelve month cells, each listing its entries with a few counts.

Used for the annual activity plan: every cell shows its month's name, a line of
counts and a list of entries (text, tooltip, id).  One entry of the whole grid
is current at a time; Enter asks to open it, Delete to remove it, and the
arrow keys move within a month and on to the next or previous month.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout,
    QWidget,
)

ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class GridEntry:
    """One line of a month cell."""

    id: str
    text: str
    tooltip: str = ""
    color: str | None = None  # text colour, e.g. for "planned but not held"


class MonthCell(QFrame):
    """One month: its name, a counts line and the list of its entries."""

    def __init__(self, month: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.month = month
        self.setObjectName(f"month_{month}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 4, 6, 6)
        box.setSpacing(2)
        self.name_label = QLabel()
        font = self.name_label.font()
        font.setBold(True)
        self.name_label.setFont(font)
        self.counts_label = QLabel()
        self.counts_label.setObjectName(f"month_counts_{month}")
        self.counts_label.setStyleSheet("color: #555;")
        self.counts_label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName(f"month_list_{month}")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setWordWrap(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * 2 + 8)
        box.addWidget(self.name_label)
        box.addWidget(self.counts_label)
        box.addWidget(self.list, 1)

    def set_current_month(self, on: bool) -> None:
        """Frame the month we are in, so the clerk finds today at a glance."""
        self.setStyleSheet(f"#month_{self.month} {{ border: 2px solid #2f6fb3; }}" if on else "")

    def set_entries(self, entries: list[GridEntry], keep: str | None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for e in entries:
            item = QListWidgetItem(e.text)
            item.setData(ID_ROLE, e.id)
            item.setToolTip(e.tooltip or e.text)
            if e.color:
                item.setForeground(QBrush(QColor(e.color)))
            self.list.addItem(item)
            if e.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def ids(self) -> list[str]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]


class MonthGrid(QWidget):
    """Twelve MonthCells in ``columns`` columns (4 × 3 by default)."""

    current_changed = Signal(object)   # entry id or None
    activated = Signal(str)            # Enter or double click on an entry
    delete_requested = Signal(str)     # Delete on an entry
    month_activated = Signal(int)      # Enter or double click on an empty month

    def __init__(self, parent: QWidget | None = None, columns: int = 4) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.cells: list[MonthCell] = []
        self._current: str | None = None
        self._month = 1  # the month of the current entry, or the last one focused
        for m in range(1, 13):
            cell = MonthCell(m, self)
            grid.addWidget(cell, (m - 1) // columns, (m - 1) % columns)
            cell.list.currentItemChanged.connect(
                lambda cur, _prev, month=m: self._picked(month, cur))
            cell.list.itemActivated.connect(lambda item: self.activated.emit(item.data(ID_ROLE)))
            cell.list.installEventFilter(self)
            self.cells.append(cell)
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        for r in range((12 + columns - 1) // columns):
            grid.setRowStretch(r, 1)

    # -- data
    def cell(self, month: int) -> MonthCell:
        return self.cells[month - 1]

    def set_month(self, month: int, name: str, counts: str, entries: list[GridEntry],
                  *, is_current: bool = False) -> None:
        cell = self.cell(month)
        cell.name_label.setText(name)
        cell.counts_label.setText(counts)
        cell.set_entries(entries, self._current)
        cell.set_current_month(is_current)

    def finish(self) -> None:
        """After every month was set: forget a current entry that is gone."""
        if self._current is not None and not any(self._current in c.ids() for c in self.cells):
            self._current = None
            self.current_changed.emit(None)

    # -- current entry
    def current_id(self) -> str | None:
        return self._current

    def current_month(self) -> int:
        """The month of the current entry, or the month last focused."""
        return self._month

    def select(self, entry_id: str | None) -> bool:
        """Make ``entry_id`` current (None: none); False when it is not shown."""
        for cell in self.cells:
            ids = cell.ids()
            if entry_id in ids:
                cell.list.setCurrentRow(ids.index(entry_id))
                cell.list.setFocus()
                return True
        self._clear_others(None)
        self._set_current(None)
        return entry_id is None

    def _picked(self, month: int, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self._month = month
        self._clear_others(self.cell(month))
        self._set_current(item.data(ID_ROLE))

    def _clear_others(self, keep: MonthCell | None) -> None:
        for cell in self.cells:
            if cell is not keep:
                cell.list.blockSignals(True)
                cell.list.setCurrentRow(-1)
                cell.list.clearSelection()
                cell.list.blockSignals(False)

    def _set_current(self, entry_id: str | None) -> None:
        if entry_id != self._current:
            self._current = entry_id
            self.current_changed.emit(entry_id)

    # -- keys
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn:
            for cell in self.cells:
                if obj is cell.list:
                    self._month = cell.month
                    if cell.list.currentItem() is not None:
                        self._picked(cell.month, cell.list.currentItem())
                    else:  # an empty month: what Edit or Delete would act on is none
                        self._clear_others(cell)
                        self._set_current(None)
        elif event.type() == QEvent.Type.KeyPress:
            cell = next((c for c in self.cells if c.list is obj), None)
            if cell is not None:
                return self._key(cell, event.key())
        return super().eventFilter(obj, event)

    def _key(self, cell: MonthCell, key: int) -> bool:
        lst = cell.list
        row = lst.currentRow()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if lst.currentItem() is not None and lst.currentItem().isSelected():
                self.activated.emit(lst.currentItem().data(ID_ROLE))
            else:
                self.month_activated.emit(cell.month)
            return True
        if key == Qt.Key.Key_Delete and lst.currentItem() is not None:
            self.delete_requested.emit(lst.currentItem().data(ID_ROLE))
            return True
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(key)
        if step is None:
            return False
        if 0 <= row + step < lst.count():
            return False  # the list moves within the month itself
        month = cell.month + step
        if not 1 <= month <= 12:
            return True
        target = self.cell(month)  # an empty month takes the focus too: Enter adds there
        target.list.setFocus()
        if target.list.count():
            target.list.setCurrentRow(0 if step > 0 else target.list.count() - 1)
        return True
