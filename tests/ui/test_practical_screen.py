"""The practical matters screen (为民办实事), driven through its widgets on a real
station database: add a matter, move it on, record a milestone, undo the move."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from station_desk import i18n
from station_desk.services import cases, practical, registry
from station_desk.ui.screens.practical import PracticalScreen
from tests.conftest import deputy_data, mandate_data
from tests.ui.test_registry_screen import type_text


@pytest.fixture
def deputy(session):
    return registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()]).created_id


@pytest.fixture
def screen(qtbot, session, deputy):
    i18n.set_language("en")
    s = PracticalScreen(session)
    qtbot.addWidget(s)
    s.resize(1100, 700)
    s.show()
    qtbot.waitExposed(s)
    yield s
    i18n.set_language("zh_CN")


def save(qtbot, screen):
    dialog = screen.dialog
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    return dialog


def cell(screen, row, col):
    return screen.table.item(row, col).text()


def test_add_advance_milestone_and_undo(screen, session, qtbot, monkeypatch, deputy):
    asked = []

    def yes(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    assert screen.table.rowCount() == 0 and not screen.advance_button.isEnabled()

    # add
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    type_text(qtbot, form.fields.widgets["title"], "村口修建候车亭")
    form.set_value("leads", [deputy])
    save(qtbot, screen)
    assert screen.dialog is None, form.fields.fallback.text()
    assert screen.table.rowCount() == 1
    assert [cell(screen, 0, c) for c in range(5)] == [
        "村口修建候车亭", "Finding clues", "0 %", "金明哲", "0"]
    matter_id = screen.current["row"]["id"]
    assert practical.matter(session, matter_id)["view"].leads == [deputy]

    # advance, confirmed
    qtbot.mouseClick(screen.advance_button, Qt.MouseButton.LeftButton)
    assert asked and "村口修建候车亭" in asked[0] and "Preliminary study" in asked[0]
    assert practical.matter(session, matter_id)["row"]["stage"] == "study"
    assert cell(screen, 0, 1) == "Preliminary study"

    # progress and a milestone
    qtbot.mouseClick(screen.progress_button, Qt.MouseButton.LeftButton)
    screen.dialog.fields.widgets["percent"].setText("40")
    save(qtbot, screen)
    qtbot.mouseClick(screen.milestone_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, screen.dialog.fields.widgets["text"], "选址已定")
    save(qtbot, screen)
    assert screen.dialog is None
    assert cell(screen, 0, 2) == "40 %"
    assert screen.milestones.item(0).text() == "2026-03-09  选址已定"
    view = practical.matter(session, matter_id)["view"]
    assert view.percent == 40 and view.milestones == [{"on": "2026-03-09", "text": "选址已定"}]

    # undo the stage move: a reason is required
    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)
    form = save(qtbot, screen)
    assert screen.dialog is form and form.fields.errors["reason"].text()
    assert practical.matter(session, matter_id)["row"]["stage"] == "study"
    form.fields.set_value("reason", "论证材料不全，退回摸排")
    save(qtbot, screen)
    assert screen.dialog is None
    m = practical.matter(session, matter_id)
    assert m["row"]["stage"] == "clues" and m["view"].milestones  # the record stays
    assert [t["kind"] for t in m["timeline"]] == [
        "create", "advance", "progress", "milestone", "undo"]
    assert m["timeline"][1]["undone"] and m["timeline"][-1]["data"]["reason"] == "论证材料不全，退回摸排"
    assert cell(screen, 0, 1) == "Finding clues" and not screen.undo_button.isEnabled()
    assert "(undone)" in screen.history.item(1).text()


def test_advance_needs_the_confirmation(screen, session, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    practical.create_matter(session, title="敬老院换暖气")
    screen.refresh()
    screen.select_row(0)
    assert screen.advance() is False
    assert practical.matters(session)[0]["stage"] == "clues"


def test_link_a_case_by_its_number(screen, session, qtbot):
    practical.create_matter(session, title="路灯亮化")
    cid = cases.register(session, voter={"name": "朴英子", "village": "明东村"}, case={
        "on": "2026-03-02", "channel": "reception_day", "category": "help",
        "words": "村里的路灯坏了"}).created_id
    screen.refresh()
    screen.select_row(0)
    qtbot.mouseClick(screen.link_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    form.fields.widgets["case_id"].setText("2099-9999")
    save(qtbot, screen)
    assert screen.dialog is form and form.fields.fallback.text()  # no such case
    form.fields.widgets["case_id"].setText("2026-0001")
    save(qtbot, screen)
    assert screen.dialog is None
    assert [c["id"] for c in practical.matter(session, screen.current["row"]["id"])["cases"]] \
        == [cid]
    assert cell(screen, 0, 4) == "1"
    assert screen.cases.item(0).text().startswith("2026-0001")


def test_the_window_lists_it_after_the_cases_and_builds_it_when_shown(qtbot, session):
    from station_desk.ui.main_window import MainWindow, SCREENS
    from tests.ui.shell_helpers import close_window

    keys = [cls.key for cls in SCREENS]
    assert keys.index("practical") == keys.index("cases") + 1
    w = MainWindow(session)
    w.show()
    qtbot.waitExposed(w)
    try:
        assert not any(isinstance(s, PracticalScreen) for _i, s in w._built_screens())
        assert w.nav.item(keys.index("practical")).text() == i18n._("Practical matters")
        w.show_screen("practical")
        assert isinstance(w.screen("practical"), PracticalScreen)
    finally:
        close_window(qtbot, w)
        w.deleteLater()
