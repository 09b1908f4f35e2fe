"""Background tasks: results, errors and progress arrive on the UI thread."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Slot

from station_desk.ui import tasks


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.got = []

    @Slot(object)
    def done(self, value):
        self.got.append(("done", value, threading.current_thread() is threading.main_thread()))

    @Slot(object)
    def failed(self, exc):
        self.got.append(("failed", exc, threading.current_thread() is threading.main_thread()))

    @Slot(int, int)
    def progress(self, done, total):
        self.got.append(("progress", (done, total), None))


def test_result_and_progress_reach_the_ui_thread(qtbot):
    r = Receiver()

    def work(n, *, report):
        assert threading.current_thread() is not threading.main_thread()
        for i in range(1, n + 1):
            report(i, n)
        return n * 10

    task = tasks.start(work, 3, report=True, on_finished=r.done, on_progress=r.progress)
    qtbot.waitUntil(lambda: any(g[0] == "done" for g in r.got), timeout=5000)
    assert [g[1] for g in r.got if g[0] == "progress"] == [(1, 3), (2, 3), (3, 3)]
    assert r.got[-1] == ("done", 30, True)
    assert task.done() and task.result == 30
    qtbot.waitUntil(lambda: tasks.running() == 0)


def test_an_error_is_reported_not_lost(qtbot):
    r = Receiver()

    def work():
        raise OSError(28, "No space left on device")

    task = tasks.start(work, on_finished=r.done, on_failed=r.failed)
    qtbot.waitUntil(lambda: bool(r.got), timeout=5000)
    kind, exc, on_ui_thread = r.got[0]
    assert kind == "failed" and isinstance(exc, OSError) and exc.errno == 28 and on_ui_thread
    assert task.error is exc


def test_cancel_is_seen_by_a_function_that_looks(qtbot):
    started, release = threading.Event(), threading.Event()

    def work(*, report):
        started.set()
        release.wait(5)
        return "stopped" if report.cancelled else "ran"

    task = tasks.start(work, report=True)
    assert started.wait(5)
    task.cancel()
    release.set()
    assert task.wait(5) and task.result == "stopped"
