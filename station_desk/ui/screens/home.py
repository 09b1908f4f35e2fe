"""The start screen, "Today": what needs the clerk's attention.

Deputies absent without leave twice in a row, deputies with no activity last
quarter, overdue voter cases, the activities of the next 30 days and the next
reception day.  Each line opens the screen it is about (double-click or
Enter).  The lists are read after the window's first paint, so starting the
program pays nothing for them.
"""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractScrollArea, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QSizePolicy, QVBoxLayout, QWidget,
)

from station_desk.domain.evaluation import warning_text
from station_desk.i18n import N_, _, current_language, format_date, ngettext
from station_desk.ui.screens.base import Screen

# the longest list shown; the rest is counted in a last line
MAX_ITEMS = 50
UPCOMING_DAYS = 30
LOAD_DELAY_MS = 50
# an item's target: ("deputy", id) | ("activity", id) | ("cases", None) | ("reception", date)
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


def person_text(p: dict) -> str:
    """金明哲 (김명철), the Korean reading first when the interface is Korean."""
    name, ko = p.get("name") or "", p.get("name_ko") or ""
    if not ko or ko == name:
        return name
    return f"{ko} ({name})" if current_language() == "ko" else f"{name} ({ko})"


def short_date(value: str | date | None) -> str:
    if not value:
        return ""
    return format_date(value if isinstance(value, date) else str(value)[:10])


def quarter_text(quarter: object) -> str:
    """'2026-Q1' / (2026, 1) / {'year':…, 'quarter':…} -> '2026 Q1' in words."""
    year = q = None
    if isinstance(quarter, dict):
        year, q = quarter.get("year"), quarter.get("quarter")
    elif isinstance(quarter, (tuple, list)) and len(quarter) == 2:
        year, q = quarter
    elif isinstance(quarter, str) and "Q" in quarter.upper():
        head, _sep, tail = quarter.upper().partition("Q")
        year, q = head.strip("- "), tail.strip()
    if year is None or q is None:
        return str(quarter)
    return _("Q{quarter} {year}").format(quarter=q, year=year)


class HomeScreen(Screen):
    """Today's warnings and what is coming, each a way into the right screen."""

    key = "home"
    title_msgid = N_("Today")
    tables = frozenset({"activities", "activity_invitees", "cases", "case_events", "deputies",
                        "mandates", "mandate_events", "reception_days", "duty_assignments",
                        "ledger_entries", "eval_runs", "eval_results"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._data: dict = {}
        # the lists are read a moment after the first frame is on screen
        self._load_timer = QTimer(self)
        self._load_timer.setSingleShot(True)
        self._load_timer.setInterval(LOAD_DELAY_MS)
        self._load_timer.timeout.connect(self.refresh)
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 14, 16, 10)
        root.setSpacing(10)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.heading.setFont(f)
        root.addWidget(self.heading)

        columns = QHBoxLayout()
        columns.setSpacing(14)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.setSpacing(10)
        right.setSpacing(10)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self.boxes: dict[str, QGroupBox] = {}
        self.lists: dict[str, QListWidget] = {}
        # each list as high as its lines (up to ``rows`` of them, then it scrolls)
        for key, column, rows in (("absent", left, 8), ("ledger", left, 8), ("inactive", left, 14),
                                  ("upcoming", right, 8), ("cases", right, 2),
                                  ("reception", right, 3)):
            box = QGroupBox()
            box.setObjectName(f"box_{key}")
            lay = QVBoxLayout(box)
            lay.setContentsMargins(8, 6, 8, 8)
            lst = QListWidget()
            lst.setObjectName(key)
            lst.setWordWrap(True)
            lst.setUniformItemSizes(False)
            lst.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
            lst.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            lst.setMaximumHeight(rows * (lst.fontMetrics().height() + 8) + 6)
            lst.setStyleSheet("QListWidget { border: none; background: transparent; }"
                              "QListWidget::item { padding: 3px 2px;"
                              " border-bottom: 1px solid #e3e7ec; }"
                              "QListWidget::item:selected { background: #cfe3ff; color: black; }")
            lst.itemActivated.connect(self.open_item)
            lst.installEventFilter(self)
            lay.addWidget(lst)
            column.addWidget(box)
            self.boxes[key], self.lists[key] = box, lst
        left.addStretch(1)
        right.addStretch(1)
        root.addLayout(columns, 1)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setStyleSheet("color: #6b7280;")
        root.addWidget(self.hint)
        self.retranslate()

    # -- loading after the first paint -------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if not self._data and not self._load_timer.isActive():
            self._load_timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API)
        # hidden before the lists were read (e.g. the window closing): read them
        # when shown again, never on a database closed meanwhile
        self._load_timer.stop()
        super().hideEvent(event)

    def ensure_loaded(self) -> None:
        """Read the lists now (tests, screenshots) instead of after the first paint."""
        if not self._data:
            self.refresh()

    def refresh(self) -> None:
        from station_desk.services import activities, cases, evaluation, reception

        today = self.session.today()
        warnings = activities.warnings(self.session, today=today)
        upcoming = []
        horizon = (today + timedelta(days=UPCOMING_DAYS)).isoformat()
        for year in sorted({today.year, (today + timedelta(days=UPCOMING_DAYS)).year}):
            for a in activities.activities(self.session, year=year, status="scheduled"):
                if today.isoformat() <= (a.get("starts_at") or "")[:10] <= horizon:
                    upcoming.append(a)
        upcoming.sort(key=lambda a: a.get("starts_at") or "")
        try:
            next_day = reception.next_day(self.session, on_or_after=today)
        except Exception:  # noqa: BLE001  (no reception day set up: nothing to show)
            next_day = None
        self._data = {"today": today, "absent": warnings.get("absent_twice") or [],
                      "inactive": warnings.get("inactive") or [], "upcoming": upcoming,
                      "overdue": cases.overdue_count(self.session), "reception": next_day,
                      "ledger": evaluation.warnings(self.session, today=today)}
        self._render()

    # -- texts --------------------------------------------------------------------

    def retranslate(self) -> None:
        self.hint.setText(_("Double-click a line or press Enter to open it."))
        self._render()

    def _fill(self, key: str, items: list[tuple[str, tuple | None]], empty: str,
              total: int | None = None) -> None:
        lst = self.lists[key]
        lst.clear()
        for text, target in items[:MAX_ITEMS]:
            item = QListWidgetItem(text)
            item.setData(TARGET_ROLE, target)
            item.setToolTip(text)
            lst.addItem(item)
        total = len(items) if total is None else total
        if total > MAX_ITEMS:
            more = QListWidgetItem(_("… and {n} more").format(n=total - MAX_ITEMS))
            more.setForeground(Qt.GlobalColor.gray)
            lst.addItem(more)
        if not items:
            item = QListWidgetItem(empty)
            item.setForeground(Qt.GlobalColor.gray)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            lst.addItem(item)

    def _render(self) -> None:
        d = self._data
        # the date needs babel: not before the first paint
        self.heading.setText(_("Today, {date}").format(date=short_date(d["today"])) if d
                             else _("Today"))
        absent, inactive = d.get("absent") or [], d.get("inactive") or []
        self.boxes["absent"].setTitle(
            _("Absent without leave twice in a row ({n})").format(n=len(absent)))
        self.boxes["inactive"].setTitle(
            _("No activity last quarter ({n})").format(n=len(inactive)))
        ledger_warnings = d.get("ledger") or []
        self.boxes["ledger"].setTitle(
            _("Performance warnings ({n})").format(n=len(ledger_warnings)))
        self.boxes["upcoming"].setTitle(
            _("Activities in the next {days} days").format(days=UPCOMING_DAYS))
        self.boxes["cases"].setTitle(_("Voter cases"))
        self.boxes["reception"].setTitle(_("Next reception day"))
        if not d:
            for lst in self.lists.values():
                lst.clear()
            return
        self._fill("absent", [
            (_("{name}: {activities}").format(
                name=person_text(w), activities=_("; ").join(
                    f"{short_date(a.get('starts_at'))} {a.get('title') or ''}"
                    for a in w.get("activities") or [])),
             ("deputy", w["deputy_id"])) for w in absent],
            _("Nobody was absent without leave twice in a row."))
        self._fill("inactive", [
            (_("{name} — {quarter}").format(name=person_text(w),
                                            quarter=quarter_text(w.get("quarter"))),
             ("deputy", w["deputy_id"])) for w in inactive],
            _("Every deputy took part in an activity last quarter."))
        self._fill("ledger", [
            (_("{name}: {warning}").format(name=person_text(w), warning=warning_text(w, _)),
             ("ledger", w["deputy_id"])) for w in ledger_warnings],
            _("No deputy has a performance warning."))
        self._fill("upcoming", [
            (_("{date}  {title} — {n} invited").format(
                date=short_date(a.get("starts_at")) + " " + (a.get("starts_at") or "")[11:16],
                title=a.get("title") or "", n=self._invited(a)),
             ("activity", a["id"])) for a in d.get("upcoming") or []],
            _("No activity scheduled in the next {days} days.").format(days=UPCOMING_DAYS))
        n = d.get("overdue") or 0
        self._fill("cases", [
            (ngettext("{n} case is overdue", "{n} cases are overdue", n).format(n=n),
             ("cases", None))] if n else [],
            _("No case is overdue."))
        if n:
            item = self.lists["cases"].item(0)
            item.setForeground(QColor("#a61b1b"))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        day = d.get("reception")
        items = []
        if day:
            names = _("、").join(person_text(p) for p in day.get("deputies") or [])
            text = short_date(day["day"])
            if day.get("start_time"):
                text += f" {day['start_time']}"
            if day.get("place"):
                text += f"  {day['place']}"
            target = ("reception", day["day"].isoformat())
            items.append((text, target))
            if names:
                items.append((_("On duty: {names}").format(names=names), target))
        self._fill("reception", items, _("No reception day is set up."))

    @staticmethod
    def _invited(a: dict) -> int:
        counts = a.get("counts") or {}
        for key in ("invited", "expected", "invitees"):
            v = a.get(key, counts.get(key))
            if isinstance(v, int):
                return v
            if isinstance(v, list):
                return len(v)
        return 0

    # -- opening ------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress and isinstance(obj, QListWidget)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            item = obj.currentItem()
            if item is not None:
                self.open_item(item)
                return True
        return super().eventFilter(obj, event)

    def open_item(self, item: QListWidgetItem) -> bool:
        """Open what ``item`` is about in its screen; False when it leads nowhere."""
        target = item.data(TARGET_ROLE)
        if not target:
            return False
        kind, value = target
        window = self.window()
        if not hasattr(window, "show_screen"):
            return False
        try:
            if kind == "deputy":
                window.show_screen("registry")
                window.screen("registry").select_deputy(value)
            elif kind == "ledger":
                window.show_screen("ledger")
                window.screen("ledger").select_deputy(value)
            elif kind == "activity":
                window.show_screen("activities")
                screen = window.screen("activities")
                if hasattr(screen, "select_activity") and not screen.select_activity(value):
                    # listed under another year there: show that year, then select
                    starts = next((a.get("starts_at") or "" for a in self._data.get("upcoming", [])
                                   if a["id"] == value), "")
                    if starts[:4].isdigit() and hasattr(screen, "set_year"):
                        screen.set_year(int(starts[:4]))
                        screen.select_activity(value)
            elif kind == "cases":
                window.show_screen("cases")
                window.screen("cases").overdue_only.setChecked(True)
            elif kind == "reception":
                window.show_screen("reception")
                window.screen("reception").select_day(date.fromisoformat(value))
            else:
                return False
        except ValueError:  # that screen is not in this window
            return False
        return True
