"""The main window on a real station database: navigation, shortcuts, language,
status bar, changes passed to every screen, backup on exit, geometry."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QApplication, QGroupBox, QMessageBox, QPushButton

from station_desk import __version__, i18n
from station_desk.i18n import current_language, gettext_for
from station_desk.services import backup as backup_service
from station_desk.ui import language, prefs
from station_desk.ui.main_window import MainWindow
from tests.ui.shell_helpers import (  # noqa: F401  (fixtures)
    MARK_OPEN, chinese_afterwards, close_window, marked_korean, window,
)


def nav_texts(w) -> list[str]:
    return [w.nav.item(i).text() for i in range(w.nav.count())]


def test_opens_on_the_database(window, session):
    keys = [s.key for s in window.screens]
    assert keys[:2] == ["home", "registry"] and keys[-1] == "settings"  # later issues between
    assert {"reception", "station"} <= set(keys)
    assert nav_texts(window) == [s.title() for s in window.screens]
    assert window.current_screen().key == "home"
    assert window.station_label.text() == "龙井市智新镇人大代表联络站"
    assert window.db_label.text() == "station.sqlite3"
    assert window.backup_label.text() == i18n._("No backup yet")
    assert "龙井市智新镇人大代表联络站" in window.windowTitle()


def _index(window, key: str) -> int:
    return [s.key for s in window.screens].index(key)


def test_navigation_by_click_and_by_ctrl_number(qtbot, window):
    station = _index(window, "station")
    rect = window.nav.visualItemRect(window.nav.item(station))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.screen("station")

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    key = {n: getattr(Qt.Key, f"Key_{n}") for n in range(1, 10)}
    qtbot.keyClick(window, key[_index(window, "reception") + 1],
                   Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.screen("reception")
    qtbot.keyClick(window, key[station + 1], Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.screen("station")
    assert window.nav.currentRow() == station
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    ninth = window.screens[8] if len(window.screens) >= 9 else window.screen("station")
    assert window.stack.currentWidget() is ninth


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.show_screen("registry")
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.screen("registry").search


def test_language_switch_retranslates_without_restart(qtbot, window, marked_korean):
    station, settings = window.screen("station"), window.screen("settings")
    window.language_actions["ko"].trigger()
    assert current_language() == "ko"
    assert nav_texts(window)[_index(window, "station")] == marked_korean("Station")
    assert nav_texts(window) == [s.title() for s in window.screens]
    assert window.language_menu.title() == marked_korean("&Language")
    assert station.save_button.text() == marked_korean("Save profile")
    assert station.fields.labels["phone"][0].text() == marked_korean("Phone")
    assert settings.backup_button.text() == marked_korean("Back up now")
    assert window.backup_label.text() == marked_korean("No backup yet")
    # every button and group title of every screen was re-set
    stale = [w.text() for w in window.findChildren(QPushButton)
             if w.text() and not w.text().startswith(MARK_OPEN)]
    stale += [g.title() for g in window.findChildren(QGroupBox)
              if g.title() and not g.title().startswith(MARK_OPEN)]
    assert stale == []
    # Qt's own dialogs follow
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "취소"
    assert prefs.saved_language() == "ko"

    window.set_language("zh_CN")
    assert nav_texts(window)[_index(window, "station")] == gettext_for("zh_CN")("Station")
    assert not station.save_button.text().startswith(MARK_OPEN)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert window.language_actions["zh_CN"].isChecked()

    window.set_language("en")
    assert station.save_button.text() == gettext_for("en")("Save profile")
    assert language.qt_translator() is None
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert prefs.saved_language() == "en"


def test_each_language_shows_its_own_texts(qtbot, window):
    """Meaningful once the catalogs are filled: what the user sees is the catalog's."""
    for lang in ("ko", "en", "zh_CN"):
        window.set_language(lang)
        t = gettext_for(lang)
        assert nav_texts(window)[_index(window, "station")] == t("Station")
        assert nav_texts(window)[_index(window, "settings")] == t("Settings")
        assert window.help_menu.title() == t("&Help")
        assert window.screen("settings").restore_button.text() == t("Restore backup…")


def test_status_bar_names_the_station_in_korean(window):
    window.set_language("ko")
    assert window.station_label.text() == "룡정시 지신진 인대대표련락소"
    window.set_language("zh_CN")
    assert window.station_label.text() == "龙井市智新镇人大代表联络站"


def test_a_change_reaches_every_screen_and_marks_the_database(qtbot, window):
    heard = {}
    for screen in window.screens:
        original = screen.on_changes

        def spy(changes, key=screen.key, original=original):
            heard[key] = changes
            original(changes)
        screen.on_changes = spy
    assert not window.keeper.needs_backup()
    station = window.screen("station")
    station.fields.widgets["name_zh"].setText("龙井市智新镇代表之家")
    station.save_profile()
    assert set(heard) == {s.key for s in window.screens}
    assert all(c.touches("station") for c in heard.values())
    assert window.keeper.needs_backup()
    assert window.station_label.text() == "龙井市智新镇代表之家"


def test_closing_after_a_change_backs_up_first(qtbot, window, session):
    station = window.screen("station")
    station.fields.widgets["rooms"].setText("接待室、会议室")
    station.save_profile()
    assert backup_service.list_backups(session.path) == []
    close_window(qtbot, window)
    backups = backup_service.list_backups(session.path)
    assert len(backups) == 1 and backups[0].verified


def test_closing_without_changes_makes_no_backup(qtbot, window, session):
    close_window(qtbot, window)
    assert backup_service.list_backups(session.path) == []


def test_ctrl_q_quits(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_f1_shows_about(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert len(shown) == 1 and __version__ in shown[0]


def test_window_geometry_is_restored(qtbot, window, session):
    # the offscreen screen is 800 px wide, narrower than the window's minimum, so
    # Qt clamps the width on restore; the height shows whether geometry came back
    assert window.height() != 560
    window.resize(window.width(), 560)
    window.move(QPoint(40, 30))
    qtbot.waitUntil(lambda: window.height() == 560)
    close_window(qtbot, window)
    from station_desk.services.session import open_session

    again = MainWindow(open_session(session.path))
    try:
        assert again.height() == 560
    finally:
        again.show()
        close_window(qtbot, again)


def test_the_screen_entries_name_their_classes_truly():
    """The navigation names each screen without importing it; what it says of
    the screen (key, title, permission) must be what the class says."""
    from station_desk.ui.county_window import COUNTY_SCREENS
    from station_desk.ui.main_window import SCREENS

    for entry in (*SCREENS, *COUNTY_SCREENS):
        cls = entry.load()
        assert cls.key == entry.key
        assert entry.title_msgid == cls.title_msgid, entry.key
        assert entry.permission == getattr(cls, "permission", None), entry.key


def test_start_up_imports_only_the_first_screens():
    """Start-up pays for the screen shown first (and the one whose title counts
    something), not for every screen's module."""
    import subprocess
    import sys

    code = ("import sys; import station_desk.ui.main_window; "
            "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules "
            "if m.startswith('station_desk.ui.screens.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert eval(out) == ["base"]  # noqa: S307 (our own printed list)
