"""This installation's preferences (language, window geometry) in an INI file.

The file sits in the data folder (``paths.data_dir()``), beside the databases,
rather than in the Windows registry: it moves with the data folder, a clerk's
helper can read it, and each test gets its own (STATION_DESK_DATA).
"""
from __future__ import annotations

from PySide6.QtCore import QSettings

from station_desk import paths
from station_desk.i18n import LANGUAGES

LANGUAGE_KEY = "ui/language"


def settings() -> QSettings:
    """The preferences file of this installation."""
    return QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def saved_language() -> str | None:
    """The language chosen last time, or None."""
    value = settings().value(LANGUAGE_KEY)
    return value if isinstance(value, str) and value in LANGUAGES else None


def save_language(lang: str) -> None:
    s = settings()
    s.setValue(LANGUAGE_KEY, lang)
    s.sync()
