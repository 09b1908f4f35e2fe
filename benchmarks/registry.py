"""The registry list and the name search on the big registry, in this process.

Screen figures run from the action (creating the RegistryScreen, choosing a
filter, searching) to the end of the first frame the table's viewport paints
after it.  Service figures are ``registry.count`` + ``registry.page`` of the
first block the model asks for.  The baseline of each is the plain SQL a
hand-written program would run for the same first page (same people, same
order, checked), on a separate sqlite3 connection to the same file.
"""
from __future__ import annotations

import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import Result, median, timed_ms

LIST_TARGET_MS = 100.0
SEARCH_TARGET_MS = 30.0
SCREEN_SIZE = (1100, 760)
# 1 character (a common given-name syllable), 2 characters, a Korean reading
SEARCHES = (("明", "1 character"), ("金明", "2 characters"), ("김명", "Korean reading"))

PLAIN_PAGE = ("SELECT d.id, d.name, d.name_ko, d.sex, d.birth_date, d.unit, d.post, d.phone, "
              "d.village, d.group_id FROM deputies d WHERE {where} ORDER BY d.name, d.id LIMIT ?")
_SERVING = "SELECT 1 FROM mandates m WHERE m.deputy_id = d.id AND m.deleted = 0 AND m.status = '{}'"
RAW_WHERE = {
    "all": ("d.deleted = 0", []),
    "suspended": (f"d.deleted = 0 AND NOT EXISTS ({_SERVING.format('active')}) "
                  f"AND EXISTS ({_SERVING.format('suspended')})", []),
    "national": ("d.deleted = 0 AND EXISTS (SELECT 1 FROM mandates m WHERE m.deputy_id = d.id "
                 "AND m.deleted = 0 AND m.level = 'national' AND m.status != 'terminated')", []),
}


def _like_where(query: str) -> tuple[str, list]:
    like = f"%{query}%"
    return "d.deleted = 0 AND (d.name LIKE ? OR d.name_ko LIKE ?)", [like, like]


@dataclass
class RawPage:
    """The baseline: COUNT + first page with plain SQL."""

    conn: sqlite3.Connection
    where: str
    params: list
    limit: int

    def __call__(self) -> list[str]:
        self.conn.execute(f"SELECT COUNT(*) FROM deputies d WHERE {self.where}",
                          self.params).fetchone()
        rows = self.conn.execute(PLAIN_PAGE.format(where=self.where),
                                 self.params + [self.limit]).fetchall()
        return [r[0] for r in rows]


def run(db: Path, *, runs: int = 5, log=print) -> list[Result]:
    """Every registry figure; needs a QApplication (made here if missing)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from station_desk.domain.deputies import DeputyFilter
    from station_desk.services import registry
    from station_desk.services.session import open_session
    from station_desk.ui import app as app_module
    from station_desk.ui.screens.registry import RegistryScreen

    qapp = app_module.application()
    _quiet_offscreen_warning()
    app_module.setup(qapp, "zh_CN")  # the bundled font and the language, as at start-up

    class FrameProbe(QObject):
        """The end of the first frame in which ``widget`` gets a Paint event."""

        def __init__(self, widget) -> None:
            super().__init__()
            self.widget = widget
            self.done_at: float | None = None
            self._seen = False
            self.loop = QEventLoop()
            widget.installEventFilter(self)

        def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.Paint and not self._seen:
                self._seen = True
                QTimer.singleShot(0, self._done)  # after the frame is painted and flushed
            return False

        def _done(self) -> None:
            self.done_at = time.perf_counter()
            self.loop.quit()

        def wait(self) -> float:
            if self.done_at is None:
                guard = QTimer()
                guard.setSingleShot(True)
                guard.timeout.connect(self.loop.quit)
                guard.start(10_000)
                self.loop.exec()
                guard.stop()
            self.widget.removeEventFilter(self)
            if self.done_at is None:
                raise RuntimeError("the table was not painted within 10 s")
            return self.done_at

    def painted_after(widget, action) -> float:
        """ms from the start of ``action()`` to the end of the widget's next painted frame."""
        probe = FrameProbe(widget)
        t0 = time.perf_counter()
        action()
        return (probe.wait() - t0) * 1000

    def settle(action) -> None:
        """Run ``action()`` (untimed) and let the table repaint if the list changed."""
        before = screen.model.filter
        probe = FrameProbe(screen.table.viewport())
        action()
        if screen.model.filter != before:
            probe.wait()
        else:
            screen.table.viewport().removeEventFilter(probe)

    session = open_session(db)
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    results: list[Result] = []
    try:
        # -- a new registry screen -------------------------------------------------
        holder: dict = {}

        def create() -> None:
            screen = RegistryScreen(session)
            screen.resize(*SCREEN_SIZE)
            holder["screen"] = screen
            holder["probe"] = FrameProbe(screen.table.viewport())
            screen.show()

        def one_screen() -> float:
            t0 = time.perf_counter()
            create()
            ms = (holder["probe"].wait() - t0) * 1000
            holder["screen"].close()
            holder["screen"].deleteLater()
            QApplication.processEvents()
            return ms

        one_screen()  # warm-up: first use of every widget class
        screen_ms = [one_screen() for _ in range(runs)]
        screen = RegistryScreen(session)
        screen.resize(*SCREEN_SIZE)
        probe = FrameProbe(screen.table.viewport())
        screen.show()
        probe.wait()
        block = screen.model.block_size
        raw_all = RawPage(conn, *RAW_WHERE["all"], limit=block)
        _check_same(raw_all(), registry.page(session, DeputyFilter(), offset=0, limit=block))
        base = median(timed_ms(raw_all, runs=runs))
        results.append(Result(f"registry: new screen → table painted ({screen.model.rowCount():,} rows)",
                               median(screen_ms), base, target_abs=LIST_TARGET_MS,
                               samples=screen_ms))

        # -- a new filter on the open screen ----------------------------------------
        def choose(combo, value) -> None:
            combo.setCurrentIndex(max(combo.findData(value), 0))
            screen.apply_filter()

        for label, combo, value, raw_key, filt in (
                ("status = suspended", screen.status_filter, "suspended", "suspended",
                 DeputyFilter(status="suspended")),
                ("level = national", screen.level_filter, "national", "national",
                 DeputyFilter(level="national"))):
            samples = []
            for _ in range(runs + 1):  # the first is a warm-up
                settle(lambda: choose(combo, None))
                samples.append(painted_after(screen.table.viewport(),
                                             lambda: choose(combo, value)))
            settle(lambda: choose(combo, None))
            raw = RawPage(conn, *RAW_WHERE[raw_key], limit=block)
            _check_same(raw(), registry.page(session, filt, offset=0, limit=block))
            results.append(Result(f"registry: filter {label} → table painted",
                                  median(samples[1:]), median(timed_ms(raw, runs=runs)),
                                  target_abs=LIST_TARGET_MS, samples=samples[1:]))

        # -- name search -------------------------------------------------------------
        def search(text: str) -> None:
            screen.search.setText(text)
            screen.apply_filter()  # what the search box's short delay then runs

        for query, label in SEARCHES:
            filt = DeputyFilter(query=query)
            raw = RawPage(conn, *_like_where(query), limit=block)
            ids = raw()
            _check_same(ids, registry.page(session, filt, offset=0, limit=block))
            base = median(timed_ms(raw, runs=runs))

            def service() -> None:
                registry.count(session, filt)
                registry.page(session, filt, offset=0, limit=block)

            svc = timed_ms(service, runs=runs)
            results.append(Result(f"search “{query}” ({label}, {registry.count(session, filt)} found): "
                                  "count + first page", median(svc), base,
                                  target_abs=SEARCH_TARGET_MS, samples=svc))
            samples = []
            for _ in range(runs + 1):
                settle(lambda: search(""))
                samples.append(painted_after(screen.table.viewport(), lambda: search(query)))
            results.append(Result(f"search “{query}”: screen, model reset → table painted",
                                  median(samples[1:]), base, target_abs=SEARCH_TARGET_MS,
                                  samples=samples[1:]))
        screen.close()
    finally:
        conn.close()
        session.close()
    return results


def _quiet_offscreen_warning() -> None:
    """Drop the offscreen plugin's "does not support propagateSizeHints()" noise."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(mode, context, message):
        if "propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def _check_same(raw_ids: list[str], page: list[dict]) -> None:
    """The baseline must read the same people in the same order as the service."""
    if raw_ids != [r["id"] for r in page]:
        raise AssertionError("baseline SQL and registry.page disagree on the first page")
