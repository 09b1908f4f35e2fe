"""The attendance dialog for 200 invited people, in this process.

Measured: ``AttendanceDialog(session, activity_id)`` created, shown, until the
end of the first frame its table's viewport paints (the service reads the
activity and its 200 invitees in sheet order, the model is filled, the view
lays out and paints).  Baseline, in the same run: the same 200 rows read with
plain SQL on a separate sqlite3 connection into a bare ``QTableView`` with a
minimal list model, of the same size, to its first painted frame.  Target:
≤ 100 ms (issue 4); the ratio to the bare table is printed beside it.
"""
from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from benchmarks.common import Result, median

TARGET_MS = 100.0
PEOPLE = 200
DIALOG_SIZE = (960, 680)

PLAIN_ROWS = (
    "SELECT i.id, coalesce(d.name, i.name), coalesce(d.name_ko, i.name_ko), "
    "coalesce(d.unit, i.unit) || ' · ' || coalesce(d.post, i.post), i.attendance, "
    "i.signed_at, i.leave_reason FROM activity_invitees i "
    "LEFT JOIN deputies d ON d.id = i.deputy_id "
    "WHERE i.activity_id = ? AND i.deleted = 0 ORDER BY i.sort, i.rowid")


def _prepare(db: Path, tmp: Path) -> tuple[Path, str]:
    """A copy of ``db`` with one held activity and ``PEOPLE`` invited deputies,
    a third of them already marked."""
    from station_desk.domain.deputies import DeputyFilter
    from station_desk.services import activities, registry
    from station_desk.services.session import open_session

    copy = tmp / "attendance-bench.sqlite3"
    shutil.copyfile(db, copy)
    session = open_session(copy)
    try:
        people = [r["id"] for r in registry.page(session, DeputyFilter(status="active"),
                                                 offset=0, limit=PEOPLE)]
        activity_id = activities.create_activity(
            session, kind="learning", title="学习宣传贯彻党的二十大精神",
            starts_at="2025-06-10 09:00", ends_at="2025-06-10 11:30",
            place="联络站代表活动室", organiser="镇人大主席团").created_id
        activities.invite(session, activity_id=activity_id, deputy_ids=people)
        sheet = activities.activity(session, activity_id)["invitees"]
        activities.mark(session, activity_id=activity_id,
                        marks={r["id"]: "present" for r in sheet[:PEOPLE // 3]},
                        signed_at={r["id"]: "08:50" for r in sheet[:PEOPLE // 3]})
    finally:
        session.close()
    return copy, activity_id


def run(db: Path, *, runs: int = 5, log=print) -> list[Result]:
    """The dialog and the bare table, alternating, ``runs`` times each (medians)."""
    from PySide6.QtCore import (
        QAbstractTableModel, QEvent, QEventLoop, QModelIndex, QObject, Qt, QTimer,
    )
    from PySide6.QtWidgets import QApplication, QTableView

    from benchmarks.registry import _quiet_offscreen_warning
    from station_desk.services.session import open_session
    from station_desk.ui import app as app_module
    from station_desk.ui.dialogs.attendance import AttendanceDialog

    qapp = app_module.application()
    _quiet_offscreen_warning()
    app_module.setup(qapp, "zh_CN")

    class FrameProbe(QObject):
        """The end of the first frame in which ``widget`` gets a Paint event."""

        def __init__(self, widget) -> None:
            super().__init__()
            self.widget = widget
            self.done_at: float | None = None
            self.loop = QEventLoop()
            widget.installEventFilter(self)

        def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.Paint and self.done_at is None:
                QTimer.singleShot(0, self._done)
            return False

        def _done(self) -> None:
            if self.done_at is None:
                self.done_at = time.perf_counter()
                self.loop.quit()

        def wait(self) -> float:
            if self.done_at is None:
                QTimer.singleShot(10_000, self.loop.quit)
                self.loop.exec()
            self.widget.removeEventFilter(self)
            if self.done_at is None:
                raise RuntimeError("not painted within 10 s")
            return self.done_at

    class PlainModel(QAbstractTableModel):
        def __init__(self, rows) -> None:
            super().__init__()
            self.rows = rows

        def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
            return len(self.rows)

        def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
            return 7

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rows[index.row()][index.column()]
            return None

    import tempfile

    with tempfile.TemporaryDirectory(prefix="station_desk-bench-attendance-") as tmp:
        copy, activity_id = _prepare(db, Path(tmp))
        session = open_session(copy)
        conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
        try:
            def dialog() -> float:
                t0 = time.perf_counter()
                dlg = AttendanceDialog(session, activity_id)
                dlg.resize(*DIALOG_SIZE)
                probe = FrameProbe(dlg.table.viewport())
                dlg.show()
                ms = (probe.wait() - t0) * 1000
                if dlg.model.rowCount() != PEOPLE:
                    raise AssertionError(f"{dlg.model.rowCount()} rows, not {PEOPLE}")
                dlg.close()
                dlg.deleteLater()
                QApplication.processEvents()
                return ms

            def bare() -> float:
                t0 = time.perf_counter()
                rows = [list(r) for r in conn.execute(PLAIN_ROWS, [activity_id])]
                view = QTableView()
                view.setModel(PlainModel(rows))
                view.resize(*DIALOG_SIZE)
                probe = FrameProbe(view.viewport())
                view.show()
                ms = (probe.wait() - t0) * 1000
                if len(rows) != PEOPLE:
                    raise AssertionError(f"{len(rows)} plain rows, not {PEOPLE}")
                view.close()
                view.deleteLater()
                QApplication.processEvents()
                return ms

            dialog(), bare()  # warm-up: first use of every widget class
            ours, base = [], []
            for i in range(runs):
                ours.append(dialog())
                base.append(bare())
                log(f"  run {i + 1}/{runs}: dialog {ours[-1]:.0f} ms, bare table {base[-1]:.0f} ms")
        finally:
            conn.close()
            session.close()
    return [Result(f"attendance: dialog for {PEOPLE} invited → table painted", median(ours),
                   median(base), target_abs=TARGET_MS, samples=ours,
                   note=f"baseline: the same {PEOPLE} rows by plain SQL in a bare QTableView "
                        "of the same size; a third already marked present")]
