"""The window offers only what the signed-in role may do.

The services are the real guard (``session.require``); this keeps the window
from offering a button whose click would only be refused."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from station_desk.domain.accounts import Permission


class _KeepHidden(QObject):
    """Hides its widget again whenever a screen's own logic shows it."""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Show:
            obj.hide()
        elif event.type() == QEvent.Type.EnabledChange and obj.isEnabled():
            obj.setEnabled(False)
        return False


def restrict(session, permission: Permission, *widgets: QWidget) -> bool:
    """Hide and disable ``widgets`` unless the role holds ``permission``;
    returns whether it does."""
    if session.can(permission):
        return True
    for widget in widgets:
        keeper = _KeepHidden(widget)
        widget.installEventFilter(keeper)
        widget.setProperty("not_permitted", True)
        widget.setEnabled(False)
        widget.hide()
    return False


def not_permitted(widget: QWidget) -> bool:
    """Whether ``widget`` was withheld from the role signed in."""
    return bool(widget.property("not_permitted"))
