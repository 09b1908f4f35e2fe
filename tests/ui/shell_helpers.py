"""Helpers for the tests of the application shell (main window, settings, start-up)."""
from __future__ import annotations

import gettext

import pytest

from station_desk import i18n
from station_desk.ui import language

MARK_OPEN, MARK_CLOSE = "‹", "›"


class MarkingCatalog(gettext.NullTranslations):
    """A test catalog: every message comes back wrapped in ‹ ›, so a text that was
    not re-set after a language switch is easy to see."""

    def gettext(self, message):
        return f"{MARK_OPEN}{message}{MARK_CLOSE}"

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


@pytest.fixture
def marked_korean(monkeypatch):
    """Korean gets the marking catalog (the real one is filled later)."""
    real = i18n.translations

    def translations(lang):
        return MarkingCatalog() if i18n.normalise(lang) == "ko" else real(lang)

    monkeypatch.setattr(i18n, "translations", translations)
    return MarkingCatalog().gettext


@pytest.fixture(autouse=True)
def chinese_afterwards():
    """The interface language is process-wide: every test leaves it Chinese."""
    yield
    language.apply_language("zh_CN")


def close_window(qtbot, window, timeout: int = 20000) -> None:
    """Close the main window and wait for its exit backup, as a user would."""
    if window.isVisible() or not window._ready_to_close:
        window.close()
        qtbot.waitUntil(lambda: window._ready_to_close and not window.isVisible(),
                        timeout=timeout)


@pytest.fixture
def window(qtbot, session):
    from station_desk.ui.main_window import MainWindow

    w = MainWindow(session)
    w.show()
    qtbot.waitExposed(w)
    yield w
    close_window(qtbot, w)
    w.deleteLater()
