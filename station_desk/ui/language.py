"""Switching the interface language at run time: our catalogs and Qt's own."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from station_desk import i18n

_qt_translator: QTranslator | None = None

# Qt's own catalog for each of our languages (standard buttons, file dialogs)
QT_CATALOG = {"zh_CN": "qtbase_zh_CN", "ko": "qtbase_ko", "en": None}
QT_LOCALE = {"zh_CN": "zh_CN", "ko": "ko_KR", "en": "en_GB"}


def qt_translations_dir() -> Path:
    """Where PySide6 (or a PyInstaller bundle of it) keeps ``qtbase_*.qm``."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install_qt_translator(lang: str) -> bool:
    """Replace Qt's translator with the one for ``lang``; True if one is active."""
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    name = QT_CATALOG.get(i18n.normalise(lang))
    if not name:
        return False
    translator = QTranslator(app)
    if not translator.load(name, str(qt_translations_dir())):
        return False
    app.installTranslator(translator)
    _qt_translator = translator
    return True


def qt_translator() -> QTranslator | None:
    """The Qt translator now installed (None for English or when missing)."""
    return _qt_translator


def apply_language(lang: str) -> str:
    """Make ``lang`` the interface language everywhere; returns the normalised code.

    Widgets still have to re-set their texts: callers run ``retranslate()``."""
    lang = i18n.normalise(lang)
    i18n.set_language(lang)
    QLocale.setDefault(QLocale(QT_LOCALE.get(lang, "en_GB")))
    install_qt_translator(lang)
    return lang
