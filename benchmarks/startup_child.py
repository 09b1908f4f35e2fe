"""One cold start, run as a script in a fresh interpreter by ``benchmarks.startup``.

    python benchmarks/startup_child.py bare
    python benchmarks/startup_child.py floor DB_PATH
    python benchmarks/startup_child.py floor-qt DB_PATH
    python benchmarks/startup_child.py app DB_PATH

``bare`` shows an empty PySide6 QMainWindow; ``floor`` does the same after
the two things any start of Station Desk must do besides Qt (import
sqlite-utils, run the start-up ``PRAGMA quick_check`` of DB_PATH), to show
how much of the budget they take; ``floor-qt`` also makes PySide6 create
the ``Qt`` namespace with its enums (lazily created on first use, which any
real window pays and the bare one does not); ``app`` starts Station Desk on
DB_PATH through ``station_desk.ui.app.start`` (what ``station-desk --db``
runs before the event loop), the sign-in step answered by the clerk's
account ``benchmarks.startup`` made: the password check (argon2id) is
counted, the typing is not.  Either way the process quits once the window's
first frame is painted and prints one JSON line: wall-clock times (ns since
the epoch, comparable with the parent's) of the milestones, the peak RSS,
and which heavy modules were loaded before first paint.

Nothing is imported here before the code under test except the stdlib.
"""
import json
import sys
import time

T_INTERPRETER = time.time_ns()
MODE = sys.argv[1]
HEAVY = ("reportlab", "openpyxl", "babel", "pypdfium2", "PIL")


def main() -> None:
    marks = {"interpreter": T_INTERPRETER}
    if MODE in ("bare", "floor", "floor-qt"):
        from PySide6.QtCore import QEvent, QObject, QSize, QTimer
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication, QMainWindow

        if MODE != "bare":
            import sqlite3

            import sqlite_utils  # noqa: F401
        if MODE == "floor-qt":
            from PySide6.QtCore import Qt

            Qt.AlignmentFlag  # noqa: B018 (first use creates the namespace's enums)

        marks["imported"] = time.time_ns()
        if MODE != "bare":
            conn = sqlite3.connect(sys.argv[2])
            conn.execute("PRAGMA quick_check").fetchone()
            conn.close()
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        # the size the real window takes on a first start
        size = QSize(1280, 800)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            size = size.boundedTo(screen.availableGeometry().size())
        window.resize(size)
        window.show()
        release = None
    else:
        from pathlib import Path

        from station_desk.ui import app as app_module

        def sign_in(session, parent=None) -> bool:
            from station_desk.services import accounts

            accounts.sign_in(session, login="bench-clerk", password="bench-start-2026")
            return True

        app_module.sign_in_step = sign_in
        marks["imported"] = time.time_ns()
        started = app_module.start(db=Path(sys.argv[2]), lang="zh_CN")
        if started.window is None:
            print(json.dumps({"error": f"start-up stopped with code {started.code}"}))
            sys.exit(1)
        window, app, release = started.window, app_module.application(), started.release
        from PySide6.QtCore import QEvent, QObject, QTimer
    marks["shown"] = time.time_ns()

    class FirstPaint(QObject):
        """Notes the first Paint event of the window; quits when that frame is done."""

        def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.Paint and "first_paint" not in marks:
                marks["first_paint"] = time.time_ns()
                # runs after the whole frame (children included) is painted and flushed
                QTimer.singleShot(0, frame_done)
            return False

    def frame_done() -> None:
        marks["frame_done"] = time.time_ns()
        app.quit()

    probe = FirstPaint()
    window.installEventFilter(probe)
    QTimer.singleShot(30_000, app.quit)  # never hang the benchmark
    app.exec()
    try:
        import resource

        # ru_maxrss: KiB on Linux, bytes on macOS
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss_mib = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
    except ImportError:  # Windows
        rss_mib = None
    rows = None
    table = window.findChild(QObject, "deputies")
    if table is not None:
        rows = table.model().rowCount()
    print(json.dumps({"mode": MODE, "marks": marks, "rss_mib": rss_mib, "rows": rows,
                      "heavy_loaded": sorted(m for m in HEAVY if m in sys.modules)}))
    sys.stdout.flush()
    if release is not None:
        release()


if __name__ == "__main__":
    main()
