"""The case list screen, driven through its real widgets on a real station database."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from station_desk import i18n
from station_desk.services import cases, registry
from station_desk.ui.models.cases import COLUMN_KEYS, OVERDUE_BACKGROUND
from station_desk.ui.screens.cases import CasesScreen
from tests.conftest import deputy_data, mandate_data
from tests.ui.case_helpers import fill, register_by_keyboard, walk_steps
from tests.ui.test_registry_screen import type_text

VOTER = {"name": "朴英子", "village": "明东村", "phone": "13843312345"}
NOW_DAY = date(2026, 3, 9)


def _register(session, words, *, on="2026-02-24", voter=None, **case):
    return cases.register(session, voter={**VOTER, **(voter or {})}, case={
        "on": on, "channel": "reception_day", "category": "help", "words": words,
        **case}).created_id


@pytest.fixture
def data(session):
    did = registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()]).created_id
    late = _register(session, "村里的路灯坏了三个月", duty_deputies=[did])
    cases.sort_case(session, case_id=late, on="2026-02-24")
    cases.forward_case(session, case_id=late, route="township", unit="镇城建办",
                       on="2026-02-25")  # due 3 March, today is 9 March
    water = _register(session, "自来水停了一周", on="2026-03-02", category="complaint")
    aid = _register(session, "申请低保", on="2026-03-05", voter={"name": "李春花",
                                                            "village": "龙山村",
                                                            "phone": "13943300001"})
    return {"late": late, "water": water, "aid": aid, "deputy": did}


@pytest.fixture
def screen(qtbot, session, data):
    i18n.set_language("en")
    s = CasesScreen(session)
    qtbot.addWidget(s)
    s.resize(1200, 700)
    s.show()
    yield s
    i18n.set_language("zh_CN")


def shown(screen) -> list[str]:
    m = screen.model
    return [m.data(m.index(r, COLUMN_KEYS.index("words"))) for r in range(m.rowCount())]


def test_lists_newest_first_with_the_overdue_case_marked(screen):
    assert shown(screen) == ["申请低保", "自来水停了一周", "村里的路灯坏了三个月"]
    m = screen.model
    late_row = 2
    assert m.data(m.index(late_row, 0), Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert m.data(m.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert m.data(m.index(late_row, COLUMN_KEYS.index("state"))) == "Forwarded (overdue)"
    assert m.data(m.index(late_row, COLUMN_KEYS.index("due_on"))) == "2026-03-03"
    assert screen.count_label.text() == "3 cases"
    assert screen.overdue_button.isVisible() and screen.overdue_button.text() == "1 overdue"
    assert screen.title() == "Voter reception (1 overdue)"


def test_search_one_two_three_characters(screen, qtbot):
    for text, expected in [("灯", ["村里的路灯坏了三个月"]), ("龙山", ["申请低保"]),
                           ("朴英子", ["自来水停了一周", "村里的路灯坏了三个月"])]:
        screen.search.clear()
        type_text(qtbot, screen.search, text)
        qtbot.waitUntil(lambda: shown(screen) == expected, timeout=2000)
    screen.search.clear()
    type_text(qtbot, screen.search, "没有的事")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0, timeout=2000)
    assert screen.empty_label.isVisible()
    assert screen.empty_label.text() == "No case matches the search and filters."


def test_filters(screen, qtbot, data):
    def choose(combo, value):
        combo.setCurrentIndex(combo.findData(value))
        combo.activated.emit(combo.currentIndex())

    choose(screen.state_filter, "forwarded")
    assert shown(screen) == ["村里的路灯坏了三个月"]
    choose(screen.state_filter, None)
    choose(screen.category_filter, "complaint")
    assert shown(screen) == ["自来水停了一周"]
    choose(screen.category_filter, None)
    choose(screen.village_filter, "龙山村")
    assert shown(screen) == ["申请低保"]
    choose(screen.village_filter, None)
    choose(screen.deputy_filter, data["deputy"])
    assert shown(screen) == ["村里的路灯坏了三个月"]
    choose(screen.deputy_filter, None)
    screen.date_from.setText("2026-03-01")
    screen.apply_filter()
    assert shown(screen) == ["申请低保", "自来水停了一周"]
    screen.date_from.setText("")
    screen.apply_filter()
    qtbot.mouseClick(screen.overdue_button, Qt.MouseButton.LeftButton)
    assert screen.overdue_only.isChecked() and shown(screen) == ["村里的路灯坏了三个月"]


def test_detail_shows_the_record_with_the_phone_masked(screen, data):
    screen.select_row(2)
    text = screen.detail.text()
    assert "138****2345" in text and "13843312345" not in text
    assert "Overdue since 2026-03-03" in text
    assert "Next step: Record the outcome" in text
    assert "镇城建办" in text and "Forwarded" in text


def test_refreshes_when_a_case_changes_and_follows_the_language(screen, session, data):
    changes = cases.handle_case(session, case_id=data["late"], outcome="A")
    screen.on_changes(changes)
    assert not screen.overdue_button.isVisible()
    assert screen.model.data(screen.model.index(2, COLUMN_KEYS.index("state"))) == "Handled"
    i18n.set_language("zh_CN")
    screen.retranslate()
    assert screen.model.headerData(0, Qt.Orientation.Horizontal) == i18n._("No.")
    assert screen.state_filter.itemText(0) == i18n._("All states")


def test_the_navigation_shows_the_overdue_count(qtbot, session, data):
    from tests.ui.shell_helpers import close_window
    from station_desk.ui.main_window import MainWindow

    w = MainWindow(session)
    w.show()
    qtbot.waitExposed(w)
    try:
        from station_desk.ui.main_window import SCREENS

        keys = [cls.key for cls in SCREENS]
        assert keys.index("cases") == keys.index("registry") + 1
        item = w.nav.item(keys.index("cases"))
        # named with its count before it is built (the window opens on the registry)
        assert not any(isinstance(s, CasesScreen) for _i, s in w._built_screens())
        assert item.text() == i18n._("Voter reception ({count} overdue)").format(count=1)
        w.on_screen_changed(cases.handle_case(session, case_id=data["late"], outcome="A"))
        assert item.text() == i18n._("Voter reception")
    finally:
        close_window(qtbot, w)
        w.deleteLater()


def test_the_count_stops_at_the_cap_and_grows_when_scrolled(qtbot, session, data):
    from station_desk.ui.models.cases import CaseTableModel

    for i in range(6):
        _register(session, f"第{i}件")
    model = CaseTableModel(session, count_cap=4)
    assert model.rowCount() == 4 and not model.exact and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 9 and model.exact and not model.canFetchMore()
    assert model.row(8)["words"] == "村里的路灯坏了三个月"
    s = CasesScreen(session)
    qtbot.addWidget(s)
    s.model.count_cap = 2
    s.model.refresh()
    assert s.count_label.text() == i18n._("At least {count} cases").format(count=2)


def test_the_phone_is_revealed_with_a_reason_and_the_look_is_audited(screen, session, qtbot,
                                                                    data):
    from station_desk.storage import audit

    screen.select_row(2)
    assert "138****2345" in screen.detail.text()
    assert screen.detail.reveal_button.isVisible()
    qtbot.mouseClick(screen.detail.reveal_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    dialog.accept()  # no reason: refused, the dialog stays
    assert dialog.isVisible() and dialog.reason_error.text()
    assert "13843312345" not in screen.detail.text()
    dialog.reason.setText("回访选民")  # typed through an input method
    from PySide6.QtWidgets import QDialogButtonBox
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert "13843312345" in screen.detail.text()
    assert not screen.detail.reveal_button.isVisible()
    voter_id = cases.case(session, data["late"])["row"]["voter_id"]
    [entry] = audit.for_object(session.db, "voter", voter_id)
    assert entry["action"] == "reveal"
    assert entry["after"]["reason"] == "回访选民" and entry["after"]["field"] == "phone"
    assert "13843312345" not in str(entry)
    screen.select_row(0)  # another case: masked again
    assert "139****0001" in screen.detail.text()
    assert screen.detail.reveal_button.isVisible()


def test_a_role_without_the_permission_cannot_reveal(screen, session, qtbot, data,
                                                    monkeypatch):
    session.role = "clerk"
    screen.detail.may_reveal = session.can("reveal_personal")
    screen.select_row(2)
    assert not screen.detail.reveal_button.isEnabled()
    # even when asked directly, the service refuses and nothing is shown
    dialog = screen.reveal("phone")
    qtbot.keyClicks(dialog.reason, "call back")
    import station_desk.ui.dialogs.reveal as reveal_module
    shown = []  # the message box the clerk would read
    monkeypatch.setattr(reveal_module, "show_error", lambda parent, exc: shown.append(exc))
    dialog.accept()
    assert type(shown[0]).__name__ == "NotPermitted" and "13843312345" not in screen.detail.text()


def test_register_by_keyboard_and_walk_all_six_steps(screen, session, qtbot):
    register_by_keyboard(qtbot, screen, name="崔顺姬", village="明东村", phone="13943312345",
                         category="help", words="村道结冰老人摔倒")
    assert shown(screen)[0] == "村道结冰老人摔倒"
    assert "139****2345" in screen.detail.text()

    walk_steps(qtbot, screen)
    row = screen.detail.case["row"]
    assert row["state"] == "archived" and row["archive_no"] == "2026-0001"
    assert not screen.detail.step_button.isVisible()
    assert [t["kind"] for t in screen.detail.case["timeline"]] == [
        "register", "sort", "forward", "handle", "reply", "archive"]


def test_a_refused_step_marks_the_fields_and_saves_nothing(screen, session, data):
    screen.select_row(0)  # 申请低保, registered
    dialog = screen.next_step()
    assert dialog.kind.value == "sort"
    dialog.fields.set_value("on", "2026-03-01")  # before the registration (5 March)
    dialog.accept()
    assert screen.dialog is dialog and dialog.isVisible()
    assert dialog.fields.errors["on"].text()
    assert cases.case(session, data["aid"])["row"]["state"] == "registered"
    dialog.reject()


def test_other_steps_are_in_the_menu(screen, data):
    screen.select_row(2)  # forwarded and overdue
    texts = [a.text() for a in screen.detail.more_menu.actions()]
    assert texts == [i18n._(t) + "…" for t in (
        "Add a progress note", "Chase the unit", "Record a return by the unit",
        "Undo the last step")]
    screen.detail.more_menu.actions()[1].trigger()
    dialog = screen.dialog
    assert dialog.kind.value == "chase"
    dialog.fields.set_value("note", "电话催办，答应周五前修好")
    dialog.accept()
    timeline = cases.case(screen.session, data["late"])["timeline"]
    assert timeline[-1]["kind"] == "chase"
    assert timeline[-1]["data"]["note"] == "电话催办，答应周五前修好"


def test_the_deputies_on_duty_today_are_ticked(screen, session, data):
    from station_desk.services import reception

    other = registry.create_deputy(session, data=deputy_data(name="李春花", phone="13943300001"),
                                   mandates=[mandate_data()]).created_id
    day_id = reception.add_day(session, on="2026-03-09").created_id
    reception.add_duty(session, day_id=day_id, deputy_id=other)
    assert cases.duty_deputies_on(session, NOW_DAY) == [other]
    dialog = screen.register()
    assert dialog.checked_deputies() == [other]
    fill(dialog, name="崔顺姬", category="enquiry", words="咨询医保报销")
    dialog.accept()
    case = screen.detail.case
    assert [d["deputy_id"] for d in case["deputies"]] == [other]
    assert case["row"]["voter_name"] == "崔顺姬"


def test_the_overdue_view_groups_by_unit(screen, session, qtbot, data):
    other = _register(session, "河道护栏坏了", on="2026-02-24")
    cases.sort_case(session, case_id=other, on="2026-02-24")
    cases.forward_case(session, case_id=other, route="township", unit="镇应急办", on="2026-02-24")
    screen.refresh()
    assert not screen.unit_filter.isVisible()
    screen.overdue_only.setChecked(True)
    assert screen.unit_filter.isVisible()
    texts = [screen.unit_filter.itemText(i) for i in range(screen.unit_filter.count())]
    assert texts == ["All units", "镇城建办: 1 overdue since 2026-03-03",
                     "镇应急办: 1 overdue since 2026-03-02"]
    assert len(shown(screen)) == 2
    screen.unit_filter.setCurrentIndex(2)
    screen.unit_filter.activated.emit(2)
    assert shown(screen) == ["河道护栏坏了"]
    screen.overdue_only.setChecked(False)
    assert len(shown(screen)) == 4 and not screen.unit_filter.isVisible()


def test_a_hidden_screen_reads_its_filter_lists_when_first_shown(qtbot, session, data):
    s = CasesScreen(session)
    qtbot.addWidget(s)
    assert s.deputy_filter.count() == 0 and s.village_filter.count() == 0  # read on show
    s.show()
    assert s.deputy_filter.findData(data["deputy"]) > 0
    assert s.village_filter.findData("龙山村") > 0


def test_the_record_shows_outcome_reply_closing_and_archive(screen, session, data):
    cases.handle_case(session, case_id=data["late"], outcome="B", result="已报修，等配件")
    cases.reply_case(session, case_id=data["late"], voter_mode="phone", deputy_mode="phone",
                     satisfaction="unsatisfied", comment="一直没修")
    cases.close_out_of_scope(session, case_id=data["aid"], reason="litigation",
                             explanation="已在诉讼中", redirect="法院诉讼服务中心")
    cases.mark_duplicate(session, case_id=data["water"], duplicate_of=data["late"])
    screen.refresh()
    screen.select_row(2)
    text = screen.detail.text()
    assert "Outcome: B – under way — 已报修，等配件" in text
    assert "Satisfaction: Unsatisfied — 一直没修" in text
    assert "Forwarded  (tester)  镇城建办" in text
    screen.select_row(0)
    assert ("Out of scope: In litigation or arbitration; redirected to 法院诉讼服务中心"
            in screen.detail.text())
    screen.select_row(1)
    assert "Duplicate of case 2026-0001" in screen.detail.text()


def test_the_form_of_the_selected_case_and_a_blank_one_are_saved(screen, tmp_path, monkeypatch,
                                                                 data):
    from PySide6.QtWidgets import QFileDialog

    from tests.printing.conftest import page_texts, squeeze

    answers = iter([str(tmp_path / "form.pdf"), str(tmp_path / "blank.pdf")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (next(answers), "")))
    screen.select_row(2)
    screen.detail.paper_lang.setCurrentIndex(screen.detail.paper_lang.findData("ko"))
    qtbot_click = screen.detail.form_pdf_button
    assert qtbot_click.isVisible()
    qtbot_click.click()
    flat = squeeze("".join(page_texts(tmp_path / "form.pdf")))
    assert "선민접대등록표" in flat and "2026-0001" in flat and "138****2345" in flat
    screen.detail.blank_button.click()
    flat = squeeze("".join(page_texts(tmp_path / "blank.pdf")))
    assert "선민접대등록표" in flat and "2026-0001" not in flat
