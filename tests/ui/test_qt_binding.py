"""The Qt binding itself must not corrupt the interpreter.

PySide6-Essentials 6.12.0 on Python 3.11 lowers None's reference count on
every Qt call that returns nothing; after a few thousand clicks the program
aborts with "none_dealloc".  pyproject.toml keeps that release out; this test
fails if such a build comes back."""
import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("x")
        label.setVisible(False)
    assert sys.getrefcount(None) - before > -100
