"""The deputy picker on a real station file: filters, ticking, select all shown,
outside participants, one invitation call, refusals that save nothing."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from station_desk.services import activities as act, registry
from station_desk.ui.dialogs.deputy_picker import DeputyPickerDialog
from tests.ui.activity_helpers import add_activity, add_deputies


@pytest.fixture
def setup(session):
    people = add_deputies(session)
    group = registry.create_group(session, name_zh="第一代表小组", name_ko="제1대표소조").created_id
    for d in people[:3]:
        data = registry.deputy(session, d)
        registry.update_deputy(session, deputy_id=d, data={**data, "group_id": group})
    activity = add_activity(session, day="2026-03-20", invited=people[5:])
    return people, group, activity


def open_picker(qtbot, session, activity_id) -> DeputyPickerDialog:
    dlg = DeputyPickerDialog(session, activity_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def shown_names(dlg) -> list[str]:
    return [dlg.model.row(i)["name"] for i in range(dlg.model.rowCount())]


def invited(session, activity_id) -> list[str]:
    return [r["name"] for r in act.activity(session, activity_id)["invitees"]]


def test_filter_by_group_pick_and_invite(qtbot, session, setup):
    people, group, activity = setup
    dlg = open_picker(qtbot, session, activity)
    assert len(shown_names(dlg)) == 6  # active deputies only, by default
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    # the one already invited is ticked and cannot be unticked
    row = shown_names(dlg).index("安太浩")
    index = dlg.model.index(row, 0)
    assert dlg.model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not dlg.model.flags(index) & Qt.ItemFlag.ItemIsEnabled
    assert not dlg.model.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)

    dlg.filters.select(dlg.filters.group, group)
    assert sorted(shown_names(dlg)) == sorted(["金明哲", "李春花", "朴成龙"])
    dlg.select_all_button.click()
    assert len(dlg.model.checked) == 3
    dlg.filters.select(dlg.filters.group, None)
    # a tick by hand (click on the check box column, or Enter on a row)
    row = shown_names(dlg).index("王建国")
    dlg.model.setData(dlg.model.index(row, 0), Qt.CheckState.Checked,
                      Qt.ItemDataRole.CheckStateRole)
    assert "4" in dlg.summary.text()
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert dlg.result() == dlg.DialogCode.Accepted
    assert dlg.changes.touches("activity_invitees")
    names = invited(session, activity)
    assert names[0] == "安太浩" and sorted(names[1:]) == sorted(["金明哲", "李春花", "朴成龙", "王建国"])


def test_search_by_korean_reading_and_unit(qtbot, session, setup):
    _people, _group, activity = setup
    dlg = open_picker(qtbot, session, activity)
    dlg.filters.search.setText("명옥")
    dlg.filters.search.returnPressed.emit()
    assert shown_names(dlg) == ["崔明玉"]
    dlg.filters.search.setText("第5村")
    dlg.filters.search.returnPressed.emit()
    assert shown_names(dlg) == ["王建国"]


def test_outside_participants_are_added_and_invited(qtbot, session, setup):
    _people, _group, activity = setup
    dlg = open_picker(qtbot, session, activity)
    f = dlg.outsider_fields
    assert not dlg.add_outsider()  # a name is needed
    f["name"].setText("张丽")
    f["name_ko"].setText("장려")
    f["unit"].setText("龙井市司法局")
    f["post"].setText("科员")
    f["phone"].setText("13904430000")
    dlg.add_outsider_button.click()
    assert dlg.outsider_list.count() == 1 and "张丽" in dlg.outsider_list.item(0).text()
    assert f["name"].text() == ""
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    rows = act.activity(session, activity)["invitees"]
    assert [(r["name"], r["outsider"]) for r in rows] == [("安太浩", False), ("张丽", True)]
    assert rows[1]["unit"] == "龙井市司法局"


def test_a_refused_invitation_saves_nothing(qtbot, session, setup, monkeypatch):
    people, _group, activity = setup
    dlg = open_picker(qtbot, session, activity)
    dlg.check(people[0])
    # someone else invited the same deputy meanwhile: the whole call is refused
    act.invite(session, activity_id=activity, deputy_ids=[people[0]])
    dlg.check(people[1])
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: told.append(text))
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert dlg.isVisible() and not dlg.changes
    assert len(told) == 1 and "金明哲" in told[0]
    assert invited(session, activity) == ["安太浩", "金明哲"]  # 李春花 not saved either
