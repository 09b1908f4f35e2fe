"""The automatic backup policy of the open database, run in the background.

After a change, a backup is made once ``backup_due`` says so (at most every
30 minutes), checked by a timer; another on exit when something changed since
the last one.  The backup itself (SQLite backup API, fsync, integrity check,
rename, rotation) is ``services.backup.backup_now`` on a worker thread.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from station_desk.services import backup as backup_service
from station_desk.ui import tasks

CHECK_INTERVAL_MS = 60_000


def _now() -> datetime:
    return datetime.now().astimezone()


class BackupKeeper(QObject):
    """Decides when to back up ``db_path`` and runs one backup at a time."""

    started = Signal(str)  # reason
    succeeded = Signal(object)  # BackupInfo
    failed = Signal(object)  # exception
    idle = Signal()  # after every backup, whatever its outcome

    def __init__(self, db_path: Path, *, actor: str = "clerk",
                 clock: Callable[[], datetime] = _now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.actor = actor
        self.clock = clock
        self.last_change_at: datetime | None = None
        self.last_backup_at: datetime | None = None
        self.last_info = None
        self.task: tasks.Task | None = None
        self._started_at: datetime | None = None
        # changes are counted, not compared by time: a copy covers exactly the
        # changes made before it started, whatever the clock does
        self._changes = 0
        self._covered = 0
        self._copying = 0
        self.reload()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def reload(self) -> None:
        """Re-read the newest backup from the backup folder."""
        self.last_info = backup_service.last_backup(self.db_path)
        self.last_backup_at = self.last_info.created_at if self.last_info else None

    @property
    def busy(self) -> bool:
        return self.task is not None

    def mark_changed(self) -> None:
        """The database was changed now (called for every Changes)."""
        self.last_change_at = self.clock()
        self._changes += 1

    def forget_changes(self) -> None:
        """The database was replaced (restore): nothing of it is unsaved."""
        self.last_change_at = None
        self._covered = self._copying = self._changes

    def needs_backup(self) -> bool:
        """True when something changed after the newest backup was started."""
        return self._changes > self._covered

    @Slot()
    def check(self) -> None:
        """Timer tick: back up when the policy says it is due."""
        if self.busy or not self.needs_backup():
            return
        if backup_service.backup_due(self.last_backup_at, self.last_change_at, self.clock()):
            self.backup_now("auto")

    def backup_now(self, reason: str = "manual") -> bool:
        """Start a backup in the background; False if one is already running."""
        if self.busy:
            return False
        self._started_at = self.clock()
        self._copying = self._changes
        self.task = tasks.start(backup_service.backup_now, self.db_path, reason=reason,
                                actor=self.actor)
        self.task.signals.finished.connect(self._finished)
        self.task.signals.failed.connect(self._failed)
        self.started.emit(reason)
        return True

    @Slot(object)
    def _finished(self, info) -> None:
        self.task = None
        self.last_info = info
        # changes made while the copy ran are not in it: count from its start
        self.last_backup_at = self._started_at
        self._covered = self._copying
        self.succeeded.emit(info)
        self.idle.emit()

    @Slot(object)
    def _failed(self, exc) -> None:
        self.task = None
        self.failed.emit(exc)
        self.idle.emit()

    def stop(self) -> None:
        self.timer.stop()
