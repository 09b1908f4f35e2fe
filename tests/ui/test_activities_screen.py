"""The activities screen (活动) on a real station database: the plan's month grid
with its counts, plan items added and deleted, an activity created through its
form, its page with invitees, counts, summary and photos, and the language switch."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from station_desk import i18n
from station_desk.domain.deputies import DeputyFilter
from station_desk.services import activities, registry, station as station_service
from station_desk.ui import language
from station_desk.ui.screens.activities import ActivitiesScreen
from tests.conftest import deputy_data, mandate_data
from tests.ui.shell_helpers import MARK_OPEN, chinese_afterwards, marked_korean  # noqa: F401
from tests.ui.test_registry_screen import type_text


@pytest.fixture
def data(session):
    """Three deputies, the station head, a plan for 2026 and a held activity in
    January (present, on leave, absent)."""
    ids = [registry.create_deputy(session, data=deputy_data(name=name, name_ko=ko,
                                                            phone=f"1384331234{i}"),
                                  mandates=[mandate_data()]).created_id
           for i, (name, ko) in enumerate((("金明哲", "김명철"), ("朴英子", "박영자"),
                                           ("李春花", "리춘화")))]
    station_service.add_staff(session, data={"name": "崔英浩", "name_ko": "최영호",
                                             "role": "head", "phone": "13840885036",
                                             "since": "2022-01-15"})
    jan = activities.add_plan_item(session, year=2026, month=1, kind="learning",
                                   theme="学习新修订的代表法").created_id
    activities.add_plan_item(session, year=2026, month=2, kind="inspection",
                             theme="视察村级道路建设")
    activities.add_plan_item(session, year=2026, month=5, kind="theory", theme="普法宣讲进村屯")
    held = activities.create_activity(
        session, kind="learning", title="一月学习会", theme="学习新修订的代表法",
        starts_at="2026-01-15T09:00", ends_at="2026-01-15T11:00", place="联络站会议室",
        organiser="崔英浩", plan_item_id=jan).created_id
    activities.invite(session, activity_id=held, deputy_ids=ids)
    inv = activities.activity(session, held)["invitees"]
    activities.record_leave(session, invitee_id=inv[1]["id"], reason="外出务工",
                            approved_by="崔英浩")
    activities.mark(session, activity_id=held,
                    marks={inv[0]["id"]: "present", inv[2]["id"]: "absent"})
    return {"deputies": ids, "held": held, "jan": jan}


@pytest.fixture
def screen(qtbot, session, data):
    i18n.set_language("en")
    s = ActivitiesScreen(session)
    qtbot.addWidget(s)
    s.resize(1110, 760)
    s.show()
    qtbot.waitExposed(s)
    yield s
    i18n.set_language("zh_CN")


def save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def answer(monkeypatch, *replies):
    """QMessageBox.question answers ``replies`` in turn; returns the questions asked."""
    asked, queue = [], list(replies)

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return queue.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_the_grid_shows_planned_and_held_counts_as_the_service_counts(screen, session):
    summary = activities.plan_summary(session, year=2026)
    for row in summary:
        cell = screen.grid.cell(row["month"])
        assert cell.counts_label.text().startswith(
            f"Planned {row['planned']} · held {row['held']}"), row
        assert cell.list.count() == row["planned"]
    assert screen.totals_label.text() == "2026: 3 planned, 1 held"
    jan, feb, may = (screen.grid.cell(m).list.item(0) for m in (1, 2, 5))
    assert jan.text().startswith("✓") and "学习新修订的代表法" in jan.text()
    assert feb.text().startswith("✗")  # February is past and nothing was held
    assert may.text().startswith("○")
    assert "Planned, not held" in feb.toolTip()


def test_add_and_delete_a_plan_item_with_confirmation(screen, session, qtbot, monkeypatch):
    dialog = screen.add_plan_item(month=4)
    save(qtbot, dialog)  # no theme: refused, marked
    assert screen.dialog is dialog and dialog.fields.errors["theme"].text()
    assert len(activities.plan(session, year=2026)) == 3
    dialog.kind.setCurrentIndex(dialog.kind.findData("service"))
    type_text(qtbot, dialog.theme, "为敬老院办实事")
    save(qtbot, dialog)
    assert screen.dialog is None
    items = activities.plan(session, year=2026)
    added = next(i for i in items if i["theme"] == "为敬老院办实事")
    assert (added["month"], added["kind"]) == (4, "service")
    assert screen.grid.cell(4).list.count() == 1 and screen.grid.current_id() == added["id"]
    assert screen.grid.cell(4).counts_label.text().startswith("Planned 1 · held 0")

    asked = answer(monkeypatch, QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    screen.grid.cell(4).list.setFocus()
    qtbot.keyClick(screen.grid.cell(4).list, Qt.Key.Key_Delete)
    assert asked and "为敬老院办实事" in asked[0]
    assert len(activities.plan(session, year=2026)) == 4  # "No" keeps it
    assert screen.delete_plan_item(added["id"]) is True
    assert len(activities.plan(session, year=2026)) == 3
    assert screen.grid.cell(4).list.count() == 0 and screen.totals_label.text().startswith(
        "2026: 3 planned")


def test_create_an_activity_through_the_form(screen, session, qtbot):
    screen.tabs.setCurrentIndex(1)
    before = len(activities.activities(session))
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    assert form.organiser.text() == "崔英浩"  # the station head
    type_text(qtbot, form.title_edit, "三月视察")
    form.date.setText("2026-03-20")
    form.start.setText("14:00")
    form.end.setText("13:30")
    save(qtbot, form)
    assert screen.dialog is form and form.fields.errors["end"].isVisible()
    assert form.fields.errors["end"].text()
    assert len(activities.activities(session)) == before  # nothing saved
    form.date.setText("2026-02-30")  # no such day: said under the date
    form.end.setText("16:00")
    save(qtbot, form)
    assert screen.dialog is form and form.fields.errors["date"].text()
    assert not form.fields.errors["end"].text()
    form.date.setText("2026-03-20")
    save(qtbot, form)
    assert screen.dialog is None
    rows = activities.activities(session)
    assert len(rows) == before + 1
    created = next(r for r in rows if r["title"] == "三月视察")
    assert (created["starts_at"], created["ends_at"]) == ("2026-03-20T14:00", "2026-03-20T16:00")
    assert screen.current["id"] == created["id"]
    assert screen.page_title.text() == "三月视察"


def test_an_activity_from_a_plan_item_is_prefilled(screen, data, qtbot):
    screen.grid.select(data["jan"])
    form = screen.activity_from_item()
    assert form.title_edit.text() == "学习新修订的代表法"
    assert form.kind.currentData() == "learning"
    assert form.plan_item.currentData() == data["jan"]
    assert form.date.text().startswith("2026-01")
    form.reject()


def test_the_page_shows_invitees_counts_and_saves_the_summary(screen, session, data, qtbot):
    assert screen.focus_search() and screen.tabs.currentIndex() == 1  # Ctrl+F
    assert screen.search.hasFocus()
    assert screen.select_activity(data["held"])
    t = screen.invitees
    assert [t.item(r, 1).text() for r in range(t.rowCount())] == ["金明哲", "朴英子", "李春花"]
    assert [t.item(r, 4).text() for r in range(t.rowCount())] == ["Present", "On leave", "Absent"]
    assert "外出务工" in t.item(1, 5).text() and "崔英浩" in t.item(1, 5).text()
    assert screen.counts_label.text().startswith(
        "Invited 3 · present 1 · on leave 1 · absent 1")
    assert screen.table.item(0, 5).text() == "1/1/1"

    screen.summary.setFocus()
    type_text(qtbot, screen.summary, "学习认真")
    assert screen.save_summary_button.isEnabled()
    qtbot.keyClick(screen.summary, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert activities.activity(session, data["held"])["summary"] == "学习认真"
    assert not screen.save_summary_button.isEnabled()


def test_move_an_invitee_down(screen, session, data, qtbot):
    screen.tabs.setCurrentIndex(1)
    screen.select_activity(data["held"])
    screen.invitees.selectRow(0)
    screen.invitees.setFocus()
    qtbot.keyClick(screen.invitees, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    names = [p["name"] for p in activities.activity(session, data["held"])["invitees"]]
    assert names == ["朴英子", "金明哲", "李春花"]
    assert screen.invitees.item(1, 1).text() == "金明哲"


def test_a_file_that_is_not_an_image_is_refused_with_the_service_message(
        screen, session, data, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a, **k: said.append(text)))
    screen.tabs.setCurrentIndex(1)
    screen.select_activity(data["held"])
    notes = tmp_path / "notes.jpg"
    notes.write_text("not a photo at all", encoding="utf-8")
    assert screen.add_photo(str(notes)) is False
    assert len(said) == 1 and said[0]
    assert activities.activity(session, data["held"])["photos"] == []
    assert screen.photos.count() == 0


def test_a_photo_is_added_as_a_thumbnail_and_removed_after_confirming(
        screen, session, data, tmp_path, qtbot, monkeypatch):
    from PySide6.QtGui import QColor, QImage

    image = QImage(2400, 1800, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    path = tmp_path / "meeting.png"
    image.save(str(path))
    screen.tabs.setCurrentIndex(1)
    screen.select_activity(data["held"])
    assert screen.add_photo(str(path)) is True
    photos = activities.activity(session, data["held"])["photos"]
    assert len(photos) == 1 and screen.photos.count() == 1
    mime, stored = activities.photo(session, photos[0]["id"])
    back = QImage.fromData(stored)
    assert max(back.width(), back.height()) == 1600  # scaled down before saving

    asked = answer(monkeypatch, QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    screen.photos.setCurrentRow(0)
    screen.photos.setFocus()
    qtbot.keyClick(screen.photos, Qt.Key.Key_Delete)
    assert len(asked) == 1 and activities.activity(session, data["held"])["photos"]
    qtbot.mouseClick(screen.remove_photo_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and activities.activity(session, data["held"])["photos"] == []
    assert screen.photos.count() == 0


def test_language_switch_retranslates(screen, marked_korean):
    language.apply_language("ko")
    screen.retranslate()
    assert screen.tabs.tabText(0).startswith(MARK_OPEN)
    assert screen.add_item_button.text().startswith(MARK_OPEN)
    assert screen.grid.cell(1).counts_label.text().startswith(MARK_OPEN)
    assert screen.new_button.text().startswith(MARK_OPEN)
    assert screen.table.horizontalHeaderItem(0).text().startswith(MARK_OPEN)
    assert screen.fact_labels["kind"].text().startswith(MARK_OPEN)
    assert screen.sheet_menu.actions()[0].text().startswith(MARK_OPEN)


def test_the_window_lists_it_after_practical_matters(qtbot, session):
    from station_desk.ui.main_window import SCREENS

    keys = [cls.key for cls in SCREENS]
    assert keys.index("activities") == keys.index("practical") + 1
    assert ActivitiesScreen.navigation_title(session) == i18n._("Activities")


def test_the_sign_in_sheet_and_the_plan_are_saved_as_pdf(screen, data, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    chosen = iter([tmp_path / "sheet", tmp_path / "plan.pdf"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(next(chosen)), "")))
    screen.tabs.setCurrentIndex(1)
    screen.select_activity(data["held"])
    screen.paper.setCurrentIndex(screen.paper.findData("zh_CN"))
    screen.sheet_menu.actions()[0].trigger()  # Save PDF…
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "sheet.pdf").pages)
    assert all(name in text for name in ("金明哲", "朴英子", "李春花"))
    screen.tabs.setCurrentIndex(0)
    screen.print_plan_menu.actions()[0].trigger()
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "plan.pdf").pages)
    assert "视察村级道路建设" in text


def test_record_leave_for_an_invitee_approved_by_the_station_head(screen, session, qtbot):
    created = activities.create_activity(
        session, kind="meeting", title="四月例会", starts_at="2026-04-10T09:00",
        ends_at="2026-04-10T10:00").created_id
    deputy = registry.page(session, DeputyFilter(), offset=0, limit=1)[0]["id"]
    activities.invite(session, activity_id=created, deputy_ids=[deputy])
    screen.tabs.setCurrentIndex(1)
    screen.refresh()
    assert screen.select_activity(created)
    screen.invitees.selectRow(0)
    screen.invitees.setFocus()
    qtbot.keyClick(screen.invitees, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = screen.dialog
    assert dialog.approved_by.currentText() == "崔英浩"
    type_text(qtbot, dialog.reason, "外出开会")
    dialog.accept()
    p = activities.activity(session, created)["invitees"][0]
    assert (p["attendance"], p["leave_reason"], p["leave_approved_by"]) == (
        "leave", "外出开会", "崔英浩")
    assert screen.invitees.item(0, 4).text() == "On leave"


def test_cancel_an_activity_with_the_reason(screen, session, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    created = activities.create_activity(
        session, kind="meeting", title="四月例会", starts_at="2026-04-10T09:00",
        ends_at="2026-04-10T10:00").created_id
    screen.refresh()
    screen.tabs.setCurrentIndex(1)
    assert screen.select_activity(created)
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("镇里临时有紧急任务", True)))
    with qtbot.waitSignal(screen.changed):
        screen.table.setFocus()
        qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    row = activities.activity(session, created)
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "镇里临时有紧急任务")
    assert "镇里临时有紧急任务" in screen.facts["status"].text()
    assert not screen.cancel_button.isEnabled() and not screen.invite_button.isEnabled()


def test_invite_and_attendance_open_their_dialogs_on_the_selected_activity(screen, data):
    from station_desk.ui.dialogs.attendance import AttendanceDialog
    from station_desk.ui.dialogs.deputy_picker import DeputyPickerDialog

    screen.tabs.setCurrentIndex(1)
    screen.select_activity(data["held"])
    picker = screen.invite()
    assert isinstance(picker, DeputyPickerDialog) and screen.dialog is picker
    picker.reject()
    sheet = screen.attendance()
    assert isinstance(sheet, AttendanceDialog) and screen.dialog is sheet
    sheet.reject()
    assert screen.dialog is None


def test_attendance_ticked_in_the_sheet_shows_on_the_page(screen, session, data, qtbot):
    started = activities.create_activity(
        session, kind="meeting", title="三月例会", starts_at="2026-03-02T09:00",
        ends_at="2026-03-02T10:00").created_id
    activities.invite(session, activity_id=started, deputy_ids=data["deputies"])
    screen.refresh()
    screen.tabs.setCurrentIndex(1)
    assert screen.select_activity(started)
    sheet = screen.attendance()
    qtbot.waitExposed(sheet)
    qtbot.keyClick(sheet.table, Qt.Key.Key_P)
    with qtbot.waitSignal(screen.changed):
        sheet.reject()
    assert screen.invitees.item(0, 4).text() == "Present"
    assert screen.counts_label.text().startswith("Invited 3 · present 1")
    row = next(r for r in range(screen.table.rowCount())
               if screen.table.item(r, 1).text() == "三月例会")
    assert screen.table.item(row, 3).text() == "Held"


def test_the_grid_by_keyboard(screen, qtbot, data):
    jan = screen.grid.cell(1).list
    screen.grid.select(data["jan"])
    assert screen.grid.current_id() == data["jan"] and screen.edit_item_button.isEnabled()
    qtbot.keyClick(jan, Qt.Key.Key_Down)  # January's last item: on to February
    feb_item = screen.grid.cell(2).list.item(0)
    assert screen.grid.current_id() == feb_item.data(Qt.ItemDataRole.UserRole)
    assert screen.from_item_button.isEnabled()
    qtbot.keyClick(screen.grid.cell(2).list, Qt.Key.Key_Down)  # March is empty
    assert screen.grid.current_id() is None and screen.grid.current_month() == 3
    assert not screen.edit_item_button.isEnabled()
    qtbot.keyClick(screen.grid.cell(3).list, Qt.Key.Key_Return)  # Enter adds in March
    assert screen.dialog is not None and screen.dialog.month.currentData() == 3
    screen.dialog.reject()
    screen.grid.select(data["jan"])
    qtbot.keyClick(jan, Qt.Key.Key_Return)  # Enter on an item edits it
    assert screen.dialog.item["id"] == data["jan"]
    screen.dialog.reject()


def test_the_grid_marks_a_scheduled_item_and_not_a_cancelled_one(screen, session):
    may = next(i for i in activities.plan(session, year=2026) if i["month"] == 5)
    created = activities.create_activity(
        session, kind="theory", title="五月宣讲", starts_at="2026-05-20T09:00",
        ends_at="2026-05-20T11:00", plan_item_id=may["id"]).created_id
    screen.refresh()
    assert screen.grid.cell(5).list.item(0).text().startswith("◷")
    activities.cancel_activity(session, activity_id=created, reason="改期")
    screen.refresh()
    assert screen.grid.cell(5).list.item(0).text().startswith("○")


def test_leaving_an_edited_summary_offers_to_save_it(screen, session, data, qtbot,
                                                    monkeypatch):
    other = activities.create_activity(
        session, kind="meeting", title="四月例会", starts_at="2026-04-10T09:00",
        ends_at="2026-04-10T10:00").created_id
    screen.refresh()
    screen.tabs.setCurrentIndex(1)
    screen.select_activity(data["held"])
    type_text(qtbot, screen.summary, "会议开得好")
    asked = answer(monkeypatch, QMessageBox.StandardButton.Save)
    screen.select_activity(other)
    assert len(asked) == 1 and "一月学习会" in asked[0]
    assert activities.activity(session, data["held"])["summary"] == "会议开得好"
    assert screen.current["id"] == other and screen.summary.toPlainText() == ""
