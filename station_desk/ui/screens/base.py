"""What every screen of the main window is."""
from __future__ import annotations

from PySide6.QtCore import Signal
import importlib
from dataclasses import dataclass
from typing import Callable

from PySide6.QtWidgets import QDialog, QWidget

from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.i18n import _


class Screen(QWidget):
    """A page of the main window.

    A screen never runs SQL: it calls a service, gets a ``Changes`` back and
    emits ``changed`` with it; the main window passes every ``Changes`` to every
    screen, which refreshes only when a table it shows (``tables``) changed.
    """

    changed = Signal(object)  # Changes
    tables: frozenset[str] = frozenset()
    key: str = ""  # stable id, e.g. "registry" (screenshots, settings)
    # msgid of a fixed title (see navigation_title)
    title_msgid: str = ""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dialog: QDialog | None = None  # the dialog now open (tests drive it)

    @classmethod
    def navigation_title(cls, session) -> str | None:
        """The translated title without building the screen, or None if only the
        screen knows it.  With a title, the main window names the screen in its
        navigation and builds it when it is first shown.  ``_(title_msgid)`` by
        default; a title that counts something (e.g. overdue cases) overrides
        this with a call to its service."""
        return _(cls.title_msgid) if cls.title_msgid else None

    def title(self) -> str:
        """Translated, for the navigation (``navigation_title`` unless overridden)."""
        title = self.navigation_title(self.session)
        if title is None:
            raise NotImplementedError
        return title

    def retranslate(self) -> None:
        """Re-set every visible string in the current language."""

    def refresh(self) -> None:
        """Re-read what the screen shows from the services."""

    def focus_search(self) -> bool:
        """Put the cursor in the screen's search box (Ctrl+F); False if it has none."""
        return False

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*self.tables):
            self.refresh()

    def emit_changes(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)

    def open_dialog(self, dialog: QDialog, done: Callable[[QDialog], None] | None = None,
                    *, otherwise: Callable[[QDialog], None] | None = None) -> QDialog:
        """Show ``dialog`` window-modal as ``self.dialog``; ``done(dialog)`` runs
        when it is accepted, ``otherwise(dialog)`` when it is closed any other way."""
        self.dialog = dialog

        def finished(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            then = done if result == QDialog.DialogCode.Accepted else otherwise
            if then is not None:
                then(dialog)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog


@dataclass(frozen=True)
class ScreenEntry:
    """A screen of the navigation, named without importing its module: the
    window imports a screen when it first shows it, so start-up pays for the
    first screen only.  ``title_msgid`` and ``permission`` repeat the class's
    (tests/ui/test_main_window.py keeps them equal); an empty ``title_msgid``
    means the class computes its title (e.g. a count), which loads it."""

    key: str
    target: str  # "package.module:ClassName"
    title_msgid: str = ""
    permission: Permission | None = None

    def load(self) -> type[Screen]:
        module, _sep, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)

    def navigation_title(self, session) -> str | None:
        if self.title_msgid:
            return _(self.title_msgid)
        return self.load().navigation_title(session)
