"""The pseudo-locale (every message ‹stretched by 40 %›) on the real main window:
no button or label clips its text, so longer translations fit too."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QLabel, QListWidget, QPushButton, QStyle,
    QStyleOptionButton, QWidget,
)

from station_desk import i18n
from station_desk.services import registry, station as station_service
from station_desk.ui import language
from tests.conftest import deputy_data, mandate_data
from tests.ui.shell_helpers import chinese_afterwards, close_window  # noqa: F401  (fixture)


OFFICE_SCREEN_WIDTH = 1366


def settle() -> None:
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def _plain(text: str) -> str:
    """What a button shows: accelerator markers removed."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _button_room(button: QPushButton) -> int:
    """The width the style gives a push button's text."""
    opt = QStyleOptionButton()
    button.initStyleOption(opt)
    room = button.style().subElementRect(
        QStyle.SubElement.SE_PushButtonContents, opt, button).width()
    if not button.icon().isNull():
        room -= button.iconSize().width() + 4
    return room


def clipped_texts(root: QWidget) -> list[str]:
    """Visible push buttons and labels under ``root`` whose text does not fit."""
    found = []
    for button in root.findChildren(QPushButton):
        if not (button.isVisible() and button.text()):
            continue
        fm = button.fontMetrics()
        need = max(fm.horizontalAdvance(line) for line in _plain(button.text()).split("\n"))
        room = _button_room(button)
        if need > room:
            found.append(f"button {button.text()!r}: text {need}px > {room}px")
    for label in root.findChildren(QLabel):
        if not (label.isVisible() and label.text()) or label.wordWrap():
            continue
        need = label.sizeHint()
        if label.width() < need.width() or label.height() < need.height():
            found.append(f"label {label.text()!r}: {label.width()}x{label.height()} "
                         f"< {need.width()}x{need.height()}")
    return found


def clipped_list_items(view: QListWidget) -> list[str]:
    fm = view.fontMetrics()
    room = view.viewport().width()
    return [f"item {view.item(i).text()!r}" for i in range(view.count())
            if fm.horizontalAdvance(view.item(i).text()) + 12 > room]


@pytest.fixture
def pseudo_window(qtbot, session):
    from station_desk.ui.main_window import MainWindow

    registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()])
    station_service.add_staff(session, data={"name": "崔英浩", "name_ko": "최영호",
                                             "role": "head", "phone": "13840885036",
                                             "since": "2022-01-15"})
    language.apply_language(i18n.PSEUDO)
    w = MainWindow(session)
    w.show_screen("registry")  # the widest screen is laid out with the window
    w.show()
    qtbot.waitExposed(w)
    yield w
    close_window(qtbot, w)
    w.deleteLater()


def test_the_pseudo_locale_stretches_every_message_and_keeps_placeholders():
    t = i18n.translations(i18n.PSEUDO)
    text = t.gettext("Delete {name} from the registry?")
    assert text.startswith("‹Delete {name} from the registry?") and text.endswith("›")
    assert text.format(name="金明哲").count("金明哲") == 1
    assert len(t.gettext("Save profile")) >= len("Save profile") * 1.4
    assert t.gettext("&Import").count("&") == 1 and t.gettext("Edit…").endswith("…›")
    assert t.gettext("Paper:").endswith(":›")  # padded before a closing colon
    assert t.ngettext("{n} deputy", "{n} deputies", 3).startswith("‹{n} deputies")
    assert "pseudo" not in i18n.LANGUAGES  # never offered to users
    assert i18n.normalise("pseudo") == i18n.PSEUDO


@pytest.mark.parametrize("key", ["registry", "cases", "practical", "station", "settings"])
def test_no_text_is_clipped_in_the_pseudo_locale(qtbot, pseudo_window, key):
    w = pseudo_window
    assert w.screen("station").save_button.text().startswith("‹")
    w.show_screen(key)
    screen = w.screen(key)
    if key == "registry":
        screen.table.selectRow(0)
    elif key == "station":
        screen.staff_table.selectRow(0)
    settle()
    problems = clipped_texts(screen) + clipped_texts(w.statusBar())
    problems += clipped_list_items(w.nav)
    assert problems == [], "\n".join(problems)
    # Buttons and labels fit because the window may grow: even stretched, it still
    # fits a 1366-pixel office screen (the real catalogs need less than 1280).
    assert w.minimumSizeHint().width() <= OFFICE_SCREEN_WIDTH


def _terminate(window):
    from station_desk.domain.deputies import MandateEventKind

    screen = window.screen("registry")
    screen.detail.mandates.selectRow(0)
    return screen.record_event(MandateEventKind.TERMINATED)


def _from_screenshots(name):
    def make(window):
        from station_desk.ui import screenshots

        dialog = dict(screenshots.DIALOGS)[name](window)
        dialog.show()
        return dialog
    return make


DIALOGS = {
    "add deputy": lambda w: w.screen("registry").add_deputy(),
    "edit deputy": lambda w: w.screen("registry").edit_deputy(),
    "add mandate": lambda w: w.screen("registry").add_mandate(),
    "terminate": _terminate,
    "history": lambda w: w.screen("registry").show_history(),
    "import roster": lambda w: w.screen("registry").import_roster(),
    "first start": _from_screenshots("dialog-first-start"),
    "staff": _from_screenshots("dialog-staff"),
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_no_text_is_clipped_in_the_dialogs_in_the_pseudo_locale(qtbot, pseudo_window, name):
    w = pseudo_window
    w.show_screen("registry")
    w.screen("registry").table.selectRow(0)
    settle()
    dialog = DIALOGS[name](w)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    settle()
    problems = clipped_texts(dialog)
    dialog.reject()
    assert problems == [], "\n".join(problems)


def test_the_check_finds_clipped_texts(qtbot):
    from PySide6.QtWidgets import QVBoxLayout

    box = QWidget()
    layout = QVBoxLayout(box)
    button = QPushButton("A button with a long text")
    button.setFixedWidth(60)
    label = QLabel("A label with a long text")
    label.setFixedWidth(40)
    wrapped = QLabel("A wrapped label with a long text")
    wrapped.setWordWrap(True)
    wrapped.setFixedWidth(40)
    for widget in (button, label, wrapped):
        layout.addWidget(widget)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    found = clipped_texts(box)
    assert len(found) == 2
    assert found[0].startswith("button 'A button") and found[1].startswith("label 'A label")


@pytest.mark.parametrize("lang", ["zh_CN", "ko", "en"])
def test_the_real_languages_fit_the_default_window(qtbot, pseudo_window, lang):
    from station_desk.ui.main_window import DEFAULT_SIZE

    w = pseudo_window
    language.apply_language(lang)
    w.retranslate()
    w.show_screen("registry")
    w.screen("registry").table.selectRow(0)
    settle()
    assert w.minimumSizeHint().width() <= DEFAULT_SIZE.width()
    for key in ("registry", "station", "settings"):
        w.show_screen(key)
        settle()
        problems = clipped_texts(w.screen(key)) + clipped_list_items(w.nav)
        assert problems == [], "\n".join(problems)
