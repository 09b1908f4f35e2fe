"""The reception-days screen on a real station file: rule, draw, swap, warnings, calendar."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from station_desk.i18n import _
from station_desk.services import calendar as calendar_service
from station_desk.services import reception, registry
from station_desk.ui.screens.reception import ReceptionScreen
from station_desk.ui.widgets.errors import INVALID_STYLE
from tests.conftest import deputy_data, mandate_data


def add_deputies(session, n: int) -> list[str]:
    return [registry.create_deputy(
        session, data=deputy_data(name=f"代表{i:02d}", name_ko=f"대표{i:02d}",
                                  phone=f"1384331{i:04d}"),
        mandates=[mandate_data()]).created_id for i in range(n)]


@pytest.fixture
def screen(qtbot, session):
    s = ReceptionScreen(session)
    qtbot.addWidget(s)
    s.resize(1200, 760)
    s.show()
    s.changed.connect(s.on_changes)  # what the main window does for every screen
    return s


def type_into(qtbot, widget, text):
    widget.clear()
    qtbot.keyClicks(widget, text)


def cell(screen, row, col):
    return screen.table.item(row, col).text()


def test_rule_then_draw_then_warning_free(qtbot, screen, session):
    add_deputies(session, 6)
    screen.refresh()
    assert screen.table.rowCount() == 0
    assert not screen.draw_button.isEnabled()
    # a wrong day of the month is marked on the field, nothing saved
    type_into(qtbot, screen.fields.widgets["days"], "9, 40")
    qtbot.mouseClick(screen.rule_button, Qt.MouseButton.LeftButton)
    assert screen.fields.widgets["days"].styleSheet() == INVALID_STYLE
    assert reception.rule(session) is None
    type_into(qtbot, screen.fields.widgets["days"], "9, 19")
    type_into(qtbot, screen.fields.widgets["place"], "jiedaishi")
    qtbot.mouseClick(screen.rule_button, Qt.MouseButton.LeftButton)
    assert reception.rule(session).place == "jiedaishi"
    assert screen.table.rowCount() == 20
    assert "nobody" in cell(screen, 0, 3) or _("nobody yet") == cell(screen, 0, 3)

    qtbot.mouseClick(screen.draw_button, Qt.MouseButton.LeftButton)
    days = reception.days(session, year=2026)
    assert all(len(d["deputies"]) == 2 for d in days)
    first = days[0]
    for p in first["deputies"]:
        assert p["name"] in cell(screen, 0, 3)
    assert screen.warnings.count() == 1
    assert "⚠" not in screen.warnings.item(0).text()

    # a second draw asks first; "fill gaps only" changes nothing
    asked = []
    screen._confirm_redraw = lambda n: asked.append(n) or "gaps"
    qtbot.mouseClick(screen.draw_button, Qt.MouseButton.LeftButton)
    assert asked == [20]
    assert [[p["id"] for p in d["deputies"]] for d in reception.days(session, year=2026)] \
        == [[p["id"] for p in d["deputies"]] for d in days]


def test_swap_through_the_dialog(qtbot, screen, session):
    add_deputies(session, 6)
    reception.set_rule(session, data={"kind": "monthly", "days": "9, 19", "per_day": 2,
                                      "start": "08:30", "end": "11:30", "place": ""})
    reception.generate_days(session, year=2026)
    reception.draw_roster(session, year=2026)
    screen.refresh()
    days = reception.days(session, year=2026)
    a, b = days[0], days[1]
    screen.select_day(a["day"])
    assert screen.swap_button.isEnabled()
    qtbot.mouseClick(screen.swap_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    x = next(p["id"] for p in a["deputies"] if p["id"] not in {q["id"] for q in b["deputies"]})
    y = next(p["id"] for p in b["deputies"] if p["id"] not in {q["id"] for q in a["deputies"]})
    dialog.select(dialog.who, x)
    dialog.select(dialog.other_day, b["id"])
    dialog.select(dialog.other, y)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    a_now = reception.day(session, day_id=a["id"])
    assert y in {p["id"] for p in a_now["deputies"]}
    assert x in {p["id"] for p in reception.day(session, day_id=b["id"])["deputies"]}
    names = {p["id"]: p["name"] for p in a_now["deputies"]}
    assert names[y] in cell(screen, 0, 3)  # the table shows the change


def test_refused_swap_is_explained_in_the_dialog(qtbot, screen, session):
    add_deputies(session, 3)
    reception.set_rule(session, data={"kind": "monthly", "days": "9, 19", "per_day": 2,
                                      "start": "08:30", "end": "11:30", "place": ""})
    reception.generate_days(session, year=2026)
    reception.draw_roster(session, year=2026)
    screen.refresh()
    days = reception.days(session, year=2026)
    a = days[0]
    b = next(d for d in days[1:] if set(p["id"] for p in d["deputies"])
             & set(p["id"] for p in a["deputies"]))
    shared = next(iter(set(p["id"] for p in b["deputies"]) & set(p["id"] for p in a["deputies"])))
    other = next(p["id"] for p in a["deputies"] if p["id"] != shared)
    screen.select_day(a["day"])
    screen.swap_duty()
    dialog = screen.dialog
    dialog.select(dialog.who, other)
    dialog.select(dialog.other_day, b["id"])
    dialog.select(dialog.other, shared)  # already on day a
    dialog.accept()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text()
    assert [p["id"] for p in reception.day(session, day_id=a["id"])["deputies"]] \
        == [p["id"] for p in a["deputies"]]
    dialog.reject()


def test_replace_lists_candidates_and_shortfall_warning_shows(qtbot, screen, session):
    ids = add_deputies(session, 25)  # 20 days x 2 < 50: ten deputies get one duty
    reception.set_rule(session, data={"kind": "monthly", "days": "9, 19", "per_day": 2,
                                      "start": "08:30", "end": "11:30", "place": ""})
    reception.generate_days(session, year=2026)
    screen.refresh()
    qtbot.mouseClick(screen.draw_button, Qt.MouseButton.LeftButton)
    texts = [screen.warnings.item(i).text() for i in range(screen.warnings.count())]
    assert len(texts) == 10 and all(t.startswith("⚠") for t in texts)
    assert all("代表" in t for t in texts)

    screen.select_day(date(2026, 3, 9))
    qtbot.mouseClick(screen.replace_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    on_duty = {dialog.who.itemData(i) for i in range(dialog.who.count())}
    offered = [dialog.other.itemData(i) for i in range(dialog.other.count())]
    assert set(offered) == set(ids) - on_duty
    dialog.other.setCurrentIndex(0)  # fewest duties first
    new = dialog.other.currentData()
    dialog.accept()
    assert new in {p["id"] for p in reception.day(session,
                                                  day_id=dialog.day["id"])["deputies"]}
    assert screen.warnings.count() == 10  # one shortfall less, one more


def test_cancel_day_and_calendar_edits(qtbot, screen, session):
    add_deputies(session, 2)
    reception.set_rule(session, data={"kind": "monthly", "days": "9, 19", "per_day": 2,
                                      "start": "08:30", "end": "11:30", "place": ""})
    reception.generate_days(session, year=2026)
    screen.refresh()
    screen.select_day(date(2026, 3, 19))
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    assert reception.days(session, year=2026)[1]["cancelled"]
    assert _("Cancelled") in cell(screen, 1, 5)
    assert screen.cancel_button.text() == _("Restore day")

    screen.tabs.setCurrentIndex(1)
    before = screen.calendar_table.rowCount()
    screen.cal_date.setText("2026-03-10")
    screen.cal_kind.setCurrentIndex(screen.cal_kind.findData("holiday"))
    qtbot.mouseClick(screen.cal_add, Qt.MouseButton.LeftButton)
    assert screen.calendar_table.rowCount() == before + 1
    assert date(2026, 3, 10) in calendar_service.work_calendar(session).holidays
    row = next(r for r in range(screen.calendar_table.rowCount())
               if screen.calendar_table.item(r, 0).data(Qt.ItemDataRole.UserRole)
               == next(c["id"] for c in calendar_service.calendar_days(session)
                       if c["day"] == "2026-03-10"))
    screen.calendar_table.selectRow(row)
    qtbot.mouseClick(screen.cal_remove, Qt.MouseButton.LeftButton)
    assert date(2026, 3, 10) not in calendar_service.work_calendar(session).holidays
    assert screen.calendar_table.rowCount() == before


def test_print_options_follow_the_screen(screen, session):
    add_deputies(session, 2)
    reception.set_rule(session, data={"kind": "weekly", "weekday": 0, "per_day": 1,
                                      "start": "09:00", "end": "11:00", "place": ""})
    reception.generate_days(session, year=2026)
    screen.refresh()
    screen.month.setCurrentIndex(screen.month.findData(4))
    assert screen.print_options("duty-roster") == {"year": "2026", "month": "4"}
    screen.select_day(date(2026, 3, 16))
    assert screen.print_options("reception-notice") == {"date": "2026-03-16"}


def test_another_year_without_holidays_is_flagged(qtbot, screen):
    screen.year.setValue(2027)
    texts = [screen.warnings.item(i).text() for i in range(screen.warnings.count())]
    assert len(texts) == 1 and "2027" in texts[0] and texts[0].startswith("⚠")
    screen.year.setValue(2026)
    assert screen.warnings.count() == 0  # no days yet, nothing to warn about


def test_save_roster_and_notice_from_the_buttons(qtbot, screen, session, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    answers = iter([str(tmp_path / "roster.pdf"), str(tmp_path / "notice.pdf")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (next(answers), "")))
    add_deputies(session, 4)
    reception.set_rule(session, data={"kind": "monthly", "days": "9, 19", "per_day": 2,
                                      "start": "08:30", "end": "11:30", "place": "接待室"})
    reception.generate_days(session, year=2026)
    reception.draw_roster(session, year=2026)
    screen.refresh()
    screen.paper_lang.setCurrentIndex(screen.paper_lang.findData("ko"))
    screen.month.setCurrentIndex(screen.month.findData(3))
    qtbot.mouseClick(screen.roster_pdf, Qt.MouseButton.LeftButton)
    roster = "".join(p.extract_text() for p in PdfReader(str(tmp_path / "roster.pdf")).pages)
    assert "2026년 3월 19일" in roster and "2026년 4월" not in roster
    screen.select_day(date(2026, 3, 19))
    qtbot.mouseClick(screen.notice_pdf, Qt.MouseButton.LeftButton)
    notice = PdfReader(str(tmp_path / "notice.pdf")).pages[0].extract_text()
    assert "2026년 3월 19일" in notice and "접대일" in notice
    for p in reception.day(session, day_id=screen.selected_day()["id"])["deputies"]:
        assert p["name"] in notice


def test_weekly_rule_uses_the_weekday(qtbot, screen, session):
    screen.kind.setCurrentIndex(screen.kind.findData("weekly"))
    assert screen.weekday.isEnabled() and not screen.fields.widgets["days"].isEnabled()
    screen.weekday.setCurrentIndex(screen.weekday.findData(2))
    qtbot.mouseClick(screen.rule_button, Qt.MouseButton.LeftButton)
    assert reception.rule(session).weekday == 2
    assert all(screen._days[r]["day"].weekday() == 2 or screen._days[r]["day"] in
               {date(2026, 10, 8)} for r in range(screen.table.rowCount()))
    assert screen.table.rowCount() == len(reception.days(session, year=2026)) > 40


def test_add_a_day_outside_the_rule(qtbot, screen, session):
    add_deputies(session, 2)
    reception.set_rule(session, data={"kind": "monthly", "days": "9, 19", "per_day": 2,
                                      "start": "08:30", "end": "11:30", "place": "接待室"})
    reception.generate_days(session, year=2026)
    screen.refresh()
    assert "2026" in screen.note.text() and "3" in screen.note.text()
    qtbot.mouseClick(screen.add_day_button, Qt.MouseButton.LeftButton)
    dialog = screen.day_dialog
    dialog.date.setText("2026-03-19")  # already a reception day: refused, dialog stays
    dialog.accept()
    assert dialog.isVisible() and "2026-03-19" in dialog.fields.errors["on"].text()
    dialog.date.setText("2026-13-01")
    dialog.accept()
    assert dialog.isVisible() and dialog.fields.errors["on"].isVisible()
    dialog.date.setText("2026-09-30")
    dialog.fields.widgets["note"].setText("before National Day")
    dialog.accept()
    assert not dialog.isVisible()
    added = next(d for d in reception.days(session, year=2026) if d["day"] == date(2026, 9, 30))
    assert added["place"] == "接待室" and added["note"] == "before National Day"
    assert screen.table.rowCount() == 21
