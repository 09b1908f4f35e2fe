"""A date field that may be empty: type 2026-03-09 or 2026年3月9日, or pick from a calendar."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget, QFrame, QHBoxLayout, QLineEdit, QToolButton, QVBoxLayout, QWidget,
)

from station_desk.domain.validation import parse_date
from station_desk.i18n import _


class _CalendarPopup(QFrame):
    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self)
        box.setContentsMargins(2, 2, 2, 2)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        box.addWidget(self.calendar)
        self.calendar.activated.connect(self._pick)
        self.calendar.clicked.connect(self._pick)

    def _pick(self, d: QDate) -> None:
        self.picked.emit(d)
        self.hide()


class DateEdit(QWidget):
    """Line edit plus calendar button.  ``text()`` is what the service parses;
    an empty field means 'no date'."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        self.line = QLineEdit(self)
        self.line.setMaxLength(20)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        box.addWidget(self.line, 1)
        box.addWidget(self.button)
        self.setFocusProxy(self.line)
        self._popup: _CalendarPopup | None = None
        self.button.clicked.connect(self.show_calendar)
        self.line.editingFinished.connect(self._normalise)
        self.line.textChanged.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.line.setPlaceholderText(_("YYYY-MM-DD"))
        self.button.setToolTip(_("Choose from a calendar"))

    # the same small API as QLineEdit, so forms can treat it alike
    def text(self) -> str:
        return self.line.text().strip()

    def setText(self, text: str | None) -> None:  # noqa: N802 (Qt naming)
        self.line.setText(text or "")

    def date(self) -> date | None:
        """The date typed, None when empty; raises ValueError when it is not a date."""
        return parse_date(self.text())

    def set_date(self, value: date | str | None) -> None:
        if isinstance(value, date):
            value = value.isoformat()
        self.setText(value or "")

    def setStyleSheet(self, sheet: str) -> None:  # noqa: N802 - FieldMarks marks the line
        self.line.setStyleSheet(sheet)

    def setToolTip(self, tip: str) -> None:  # noqa: N802
        self.line.setToolTip(tip)

    def _normalise(self) -> None:
        """Show what was typed as 2026-03-09 once it is understood."""
        try:
            d = self.date()
        except ValueError:
            return
        if d is not None and self.line.text() != d.isoformat():
            self.line.setText(d.isoformat())

    def show_calendar(self) -> None:
        if self._popup is None:
            self._popup = _CalendarPopup(self)
            self._popup.picked.connect(self._picked)
        cal = self._popup.calendar
        cal.setLocale(QLocale())
        try:
            current = self.date()
        except ValueError:
            current = None
        if current:
            cal.setSelectedDate(QDate(current.year, current.month, current.day))
        else:
            cal.setSelectedDate(QDate.currentDate())
        self._popup.adjustSize()
        pos = self.mapToGlobal(self.rect().bottomLeft())
        self._popup.move(pos)
        self._popup.show()
        cal.setFocus()

    def _picked(self, d: QDate) -> None:
        self.line.setText(date(d.year(), d.month(), d.day()).isoformat())
        self.line.setFocus()
