"""Child of the case memory figure: ``python cases_memory_child.py app|bare <db>``.

Prints the process's peak RSS in MB once the window is painted: ``app`` is the
main window on the database with the case list shown; ``bare`` an empty
QMainWindow of the same size."""
from __future__ import annotations

import resource
import sys
from pathlib import Path


def main() -> None:
    kind, db = sys.argv[1], Path(sys.argv[2])
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    if kind == "bare":
        window = QMainWindow()
    else:
        from station_desk.services.session import open_session
        from station_desk.ui import app as app_module
        from station_desk.ui.main_window import MainWindow

        app_module.setup(app, "zh_CN")
        window = MainWindow(open_session(db), auto_backup=False)
        window.show_screen("cases")
    window.resize(1280, 800)
    window.show()
    for _ in range(5):
        app.processEvents()
    print(peak_mb())


def peak_mb() -> float:
    """Peak RSS of this process in MB.  On Linux VmHWM of /proc/self/status: unlike
    ru_maxrss it starts afresh at exec, so the parent's size before the fork does
    not count."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


if __name__ == "__main__":
    main()
