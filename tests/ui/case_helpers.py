"""Helpers for the tests that drive the case screen: the keyboard registration and
the walk through the steps, pressing the forms' Save buttons as a clerk would."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.ui.test_registry_screen import type_text

# The steps after registration, with what the clerk fills in each form.
SIX_STEPS = [
    ("sort", {}),
    ("forward", {"route": "township", "unit": "镇交通办"}),
    ("handle", {"outcome": "A", "result": "已撒融雪剂"}),
    ("reply", {"voter_mode": "phone", "deputy_mode": "face_to_face",
               "satisfaction": "satisfied"}),
    ("archive", {}),
]


def fill(dialog, **values) -> None:
    """Set the named fields of a step form."""
    for name, value in values.items():
        dialog.fields.set_value(name, value)


def register_by_keyboard(qtbot, screen, *, name: str, village: str, phone: str,
                         category: str, words: str):
    """Open the register form and fill it with the keyboard only (Tab between fields,
    Enter saves); returns the form, closed once saved."""
    dialog = screen.register()
    qtbot.waitExposed(dialog)
    name_box = dialog.fields.widgets["name"]
    dialog.activateWindow()
    name_box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name_box)
    type_text(qtbot, name_box, name)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    type_text(qtbot, QApplication.focusWidget(), village)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), phone)
    for _ in range(4):  # ID number, language, channel (pre-filled), category
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.fields.widgets["category"]
    dialog.fields.set_value("category", category)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.fields.widgets["words"]
    type_text(qtbot, QApplication.focusWidget(), words)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)     # number of people
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # save
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=2000)
    return dialog


def walk_steps(qtbot, screen, steps=SIX_STEPS) -> None:
    """Record each step on the selected case through its form: the state's main
    step must be the one offered, its form is filled and saved with the Save button."""
    for kind, values in steps:
        assert screen.detail.case["next_actions"][0].value == kind
        assert screen.detail.step_button.isVisible()
        qtbot.mouseClick(screen.detail.step_button, Qt.MouseButton.LeftButton)
        dialog = screen.dialog
        assert dialog is not None and dialog.kind.value == kind
        fill(dialog, **values)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
        assert screen.dialog is None, dialog.fields.fallback.text()
