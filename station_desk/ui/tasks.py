"""Background work: run a function on a pool thread, hear about it through signals.

The function runs on a worker thread, so it must not touch any widget and must
open its own database connection (services that take a path do).  Results,
errors and progress come back as Qt signals, delivered on the UI thread::

    task = tasks.start(backup.backup_now, path, reason="timer",
                       on_finished=self._backed_up, on_failed=self._backup_failed)

A function that wants to report progress or notice a cancel takes a keyword
argument ``report`` (pass ``report=True`` to ``Task``/``start``); it calls
``report(done, total)`` and may check ``report.cancelled``.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

_running: set["Task"] = set()  # keeps Python wrappers alive while Qt runs them


class TaskSignals(QObject):
    """Lives on the UI thread; emitted from the worker, delivered queued."""

    finished = Signal(object)  # the function's return value
    failed = Signal(object)  # the exception it raised
    progress = Signal(int, int)  # done, total
    ended = Signal()  # after finished or failed, always

    def __init__(self, task: "Task") -> None:
        super().__init__()
        self._task = task
        self.ended.connect(self._release)

    @Slot()
    def _release(self) -> None:
        _running.discard(self._task)


class Report:
    """Handed to the function as ``report``: progress and the cancel flag."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self.cancelled = False

    def __call__(self, done: int, total: int) -> None:
        self._signals.progress.emit(int(done), int(total))


class Task(QRunnable):
    """One call of ``fn(*args, **kwargs)`` on a pool thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, report: bool = False,
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = TaskSignals(self)
        self.report = Report(self.signals) if report else None
        self.result: Any = None
        self.error: BaseException | None = None
        self._done = threading.Event()

    def run(self) -> None:  # worker thread
        kwargs = dict(self.kwargs)
        if self.report is not None:
            kwargs["report"] = self.report
        try:
            self.result = self.fn(*self.args, **kwargs)
        except BaseException as exc:  # reported to the UI, never lost
            self.error = exc
            self._done.set()
            self.signals.failed.emit(exc)
        else:
            self._done.set()
            self.signals.finished.emit(self.result)
        self.signals.ended.emit()

    def cancel(self) -> None:
        """Ask the function to stop at its next check (only if it looks)."""
        if self.report is not None:
            self.report.cancelled = True

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the function returned or raised (signals arrive later)."""
        return self._done.wait(timeout)


def start(fn: Callable[..., Any], *args: Any,
          on_finished: Callable[[Any], None] | None = None,
          on_failed: Callable[[BaseException], None] | None = None,
          on_progress: Callable[[int, int], None] | None = None,
          report: bool = False, pool: QThreadPool | None = None, **kwargs: Any) -> Task:
    """Run ``fn`` in the background and connect the callbacks; returns the task."""
    task = Task(fn, *args, report=report, **kwargs)
    if on_finished is not None:
        task.signals.finished.connect(on_finished)
    if on_failed is not None:
        task.signals.failed.connect(on_failed)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    _running.add(task)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def running() -> int:
    """How many tasks have not yet reported their end (for tests and exit)."""
    return len(_running)
