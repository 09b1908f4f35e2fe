"""A row of deputy filters: search (name, Korean reading, and the work unit if
asked), level, status, group and village, giving a ``DeputyFilter`` for
``services.registry``.  Used by the registry screen and the deputy picker."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from station_desk.domain.deputies import (
    DEPUTY_STATUS_LABELS, LEVEL_LABELS, DeputyFilter, DeputyStatus, Level,
)
from station_desk.i18n import N_, _
from station_desk.services import registry
from station_desk.ui.models.deputies import group_label

SEARCH_DELAY_MS = 150


def fill_combo(combo: QComboBox, all_text: str, items: list[tuple[str, str]]) -> None:
    """Refill ``combo`` with "all" then ``items`` (value, label), keeping the choice."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_text, None)
    for value, label in items:
        combo.addItem(label, value)
    i = combo.findData(current)
    combo.setCurrentIndex(i if i >= 0 else 0)
    combo.blockSignals(False)


class DeputyFilterBar(QWidget):
    """Search box and filter combos; ``changed`` fires when the filter changes
    (the search after a short pause while typing)."""

    changed = Signal()

    def __init__(self, session, parent: QWidget | None = None, *,
                 status: str | None = DeputyStatus.ACTIVE.value, search_unit: bool = True,
                 placeholder: str = N_("Search by name, Korean reading or unit")) -> None:
        """``status``: the status chosen at first (None: all); ``search_unit``: the
        search also matches the work unit; ``placeholder``: msgid of the hint."""
        super().__init__(parent)
        self.session = session
        self.search_unit = search_unit
        self.placeholder = placeholder
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.level = QComboBox()
        self.level.setObjectName("level_filter")
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.group = QComboBox()
        self.group.setObjectName("group_filter")
        self.village = QComboBox()
        self.village.setObjectName("village_filter")
        row.addWidget(self.search, 3)
        for combo in (self.level, self.status, self.group, self.village):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.activated.connect(self._emit)
            row.addWidget(combo)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._emit)
        self._groups: list[dict] = []
        self._villages: list[str] = []
        self.load_values()
        self.retranslate()
        if status is not None:
            self.status.setCurrentIndex(max(self.status.findData(status), 0))

    def load_values(self) -> None:
        """Read the groups and villages offered (again)."""
        self._groups = registry.groups(self.session)
        self._villages = registry.villages(self.session)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_(self.placeholder))
        fill_combo(self.level, _("All levels"), [(lv.value, _(LEVEL_LABELS[lv])) for lv in Level])
        fill_combo(self.status, _("All statuses"),
                   [(s.value, _(DEPUTY_STATUS_LABELS[s])) for s in DeputyStatus])
        fill_combo(self.group, _("All groups"), [(g["id"], group_label(g)) for g in self._groups])
        fill_combo(self.village, _("All villages"), [(v, v) for v in self._villages])

    def select(self, combo: QComboBox, value: str | None) -> None:
        """Choose ``value`` in one of the combos and apply it."""
        combo.setCurrentIndex(max(combo.findData(value), 0))
        self._emit()

    def current_filter(self) -> DeputyFilter:
        return DeputyFilter(query=self.search.text().strip(), level=self.level.currentData(),
                            status=self.status.currentData(), group_id=self.group.currentData(),
                            village=self.village.currentData(), search_unit=self.search_unit)

    def cancel_pending(self) -> None:
        """Forget a search typed but not yet applied (the owner applies it now)."""
        self._timer.stop()

    def _emit(self) -> None:
        self._timer.stop()
        self.changed.emit()
