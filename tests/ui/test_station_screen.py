"""The station screen: profile form and staff table, on a real database."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit

from station_desk.i18n import _
from station_desk.services import station as station_service
from station_desk.ui.dialogs.staff import StaffDialog
from station_desk.ui.screens.station import StationScreen
from station_desk.ui.widgets.errors import INVALID_STYLE


def audit_count(session) -> int:
    return session.db.execute("SELECT count(*) FROM audit").fetchone()[0]


@pytest.fixture
def screen(qtbot, session):
    s = StationScreen(session)
    qtbot.addWidget(s)
    s.resize(1100, 700)
    s.show()
    return s


def type_into(qtbot, widget, text):
    """Type ASCII key by key; CJK and Hangul arrive whole, as from an input method
    (QtTest cannot synthesise non-ASCII key presses)."""
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    elif isinstance(widget, QPlainTextEdit):
        widget.insertPlainText(text)
    else:
        widget.insert(text)


def test_form_shows_the_profile(screen):
    f = screen.fields.widgets
    assert f["name_zh"].text() == "龙井市智新镇人大代表联络站"
    assert f["name_ko"].text() == "룡정시 지신진 인대대표련락소"
    assert f["code"].text() == "222405-01"
    assert f["code"].isReadOnly()
    assert screen.order.currentData() == "zh-ko"


def test_invalid_phone_is_marked_and_nothing_is_saved(qtbot, screen, session):
    before = station_service.profile(session)
    audits = audit_count(session)
    phone = screen.fields.widgets["phone"]
    type_into(qtbot, phone, "12345")
    type_into(qtbot, screen.fields.widgets["address"], "智新镇政府二楼")
    with qtbot.assertNotEmitted(screen.changed):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    error = screen.fields.errors["phone"]
    assert phone.styleSheet() == INVALID_STYLE
    assert error.isVisible()
    assert error.text() == _("Enter an 11-digit mobile number (1xxxxxxxxxx) "
                             "or a landline such as 0433-1234567.")
    assert not screen.fields.errors["address"].isVisible()
    assert station_service.profile(session) == before
    assert audit_count(session) == audits


def test_valid_profile_is_saved_and_announced(qtbot, screen, session):
    type_into(qtbot, screen.fields.widgets["phone"], "0433 - 3221234")
    type_into(qtbot, screen.fields.widgets["opening_hours"], "周一至周五 8:30–16:30")
    screen.order.setCurrentIndex(screen.order.findData("ko-zh"))
    with qtbot.waitSignal(screen.changed) as sig:
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert sig.args[0].touches("station")
    saved = station_service.profile(session)
    assert saved["phone"] == "0433-3221234"
    assert saved["opening_hours"] == "周一至周五 8:30–16:30"
    assert saved["bilingual_order"] == "ko-zh"
    assert screen.saved_note.text() == _("Saved.")


def _fill_staff_dialog(qtbot, monkeypatch, values: dict, role: str = "head"):
    """Replace exec so the real dialog is filled by typing and its Save clicked."""
    seen = {}

    def fake_exec(dialog):
        seen["dialog"] = dialog
        for name, text in values.items():
            type_into(qtbot, dialog.fields.widgets[name], text)
        dialog.role.setCurrentIndex(dialog.role.findData(role))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        return dialog.result()

    monkeypatch.setattr(StaffDialog, "exec", fake_exec)
    return seen


def test_add_staff_through_the_dialog(qtbot, monkeypatch, screen, session):
    _fill_staff_dialog(qtbot, monkeypatch, {"name": "朴英子", "name_ko": "박영자",
                                            "phone": "13904331234", "since": "2021-03-01"})
    with qtbot.waitSignal(screen.changed) as sig:
        qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    screen.on_changes(sig.args[0])  # what the main window does with every Changes
    staff = station_service.staff(session)
    assert [(p["name"], p["role"], p["since"]) for p in staff] == [
        ("朴英子", "head", "2021-03-01")]
    assert screen.staff_table.rowCount() == 1
    assert screen.staff_table.item(0, 0).text() == "朴英子"
    assert screen.staff_table.item(0, 2).text() == _("Station head")


def test_staff_dialog_marks_a_bad_date_and_saves_nothing(qtbot, monkeypatch, screen, session):
    seen = _fill_staff_dialog(qtbot, monkeypatch, {"name": "李明", "since": "2021-13-45"})
    with qtbot.assertNotEmitted(screen.changed):
        qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    dialog = seen["dialog"]
    assert dialog.fields.widgets["since"].styleSheet() == INVALID_STYLE
    assert dialog.fields.errors["since"].text() == _("Enter a date as YYYY-MM-DD, e.g. 2026-03-09.")
    assert station_service.staff(session) == []


def _add(session, name, role="worker"):
    station_service.add_staff(session, data={"name": name, "role": role})


def test_remove_staff_asks_first(qtbot, monkeypatch, screen, session):
    _add(session, "崔正浩")
    _add(session, "金红梅")
    screen.refresh()
    assert screen.staff_table.rowCount() == 2
    assert not screen.remove_button.isEnabled()
    screen.staff_table.selectRow(0)
    name = screen.staff_table.item(0, 0).text()
    asked = []

    def answer(reply):
        def question(parent, title, text, *args):
            asked.append(text)
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    with qtbot.assertNotEmitted(screen.changed):
        qtbot.mouseClick(screen.remove_button, Qt.MouseButton.LeftButton)
    assert len(station_service.staff(session)) == 2
    assert name in asked[0]

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(screen.changed) as sig:
        qtbot.mouseClick(screen.remove_button, Qt.MouseButton.LeftButton)
    screen.on_changes(sig.args[0])
    left = [p["name"] for p in station_service.staff(session)]
    assert name not in left and len(left) == 1
    assert screen.staff_table.rowCount() == 1
    tomb = session.db.execute("SELECT deleted FROM staff WHERE name = ?", [name]).fetchone()
    assert tomb == (1,)  # a tombstone, not a deleted row


def test_edit_staff_sets_the_leaving_date(qtbot, monkeypatch, screen, session):
    _add(session, "崔正浩")
    screen.refresh()
    screen.staff_table.selectRow(0)
    _fill_staff_dialog(qtbot, monkeypatch, {"until": "2025-12-31"}, role="worker")
    with qtbot.waitSignal(screen.changed) as sig:
        qtbot.mouseClick(screen.edit_button, Qt.MouseButton.LeftButton)
    screen.on_changes(sig.args[0])
    assert station_service.staff(session)[0]["until"] == "2025-12-31"
    assert screen.staff_table.item(0, 5).text() != ""
