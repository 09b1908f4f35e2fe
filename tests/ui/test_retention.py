"""Settings: the retention periods and "Purge now…", driven through the widgets."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from station_desk import i18n
from station_desk.domain.masking import PURGED_MARK
from station_desk.services import cases
from tests.conftest import NOW


@pytest.fixture
def settings(qtbot, session):
    from station_desk.ui.screens.settings import SettingsScreen

    i18n.set_language("en")
    s = SettingsScreen(session)
    qtbot.addWidget(s)
    s.resize(900, 800)
    s.show()
    yield s
    i18n.set_language("zh_CN")


def _closed_case(session):
    cid = cases.register(session, voter={"name": "朴英子", "village": "明东村",
                                         "phone": "13987650123"}, case={
        "on": "2026-02-24", "channel": "reception_day", "category": "help",
        "words": "邻里纠纷"}).created_id
    cases.close_out_of_scope(session, case_id=cid, reason="personal_dispute",
                             explanation="已说明", redirect="村调解委员会", on="2026-02-24")
    return cid


def test_periods_are_shown_and_saved(settings, session, qtbot):
    box = settings.retention_box
    assert box.case_years.value() == 5 and box.outsider_years.value() == 2
    box.case_years.setValue(7)
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert box.status.text() == "Saved."
    from station_desk.services import privacy
    assert privacy.retention(session).case_years == 7


def test_purge_now_counts_asks_and_purges(settings, session, qtbot):
    cid = _closed_case(session)
    box = settings.retention_box
    box.purge_now()
    assert box.confirm is None and box.status.text() == "Nothing is due for purging."
    later = NOW + timedelta(days=365 * 5 + 30)
    session.clock = lambda: later
    dialog = box.purge_now()
    assert ": 1 (name, phone, ID number)" in dialog.text()
    dialog.button(QMessageBox.StandardButton.Cancel).click()  # nothing happens
    assert cases.case(session, cid)["voter"]["name"] == "朴英子"
    dialog = box.purge_now()
    dialog.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: box.confirm is None)
    assert cases.case(session, cid)["voter"]["name"] == PURGED_MARK
    assert "Voters: 1;" in box.status.text()
    [row] = session.db.execute("SELECT after FROM audit WHERE action = 'purge'").fetchall()
    assert json.loads(row[0])["voters"] == 1


def test_a_clerk_sees_the_periods_but_cannot_change_or_purge(qtbot, session):
    from station_desk.ui.screens.settings import SettingsScreen

    session.role = "clerk"
    s = SettingsScreen(session)
    qtbot.addWidget(s)
    box = s.retention_box
    assert box.case_years.value() == 5
    assert not box.purge_button.isEnabled() and not box.save_button.isEnabled()
