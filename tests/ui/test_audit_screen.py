"""The audit trail screen: filters, detail, chain check, export; on a real database."""
from __future__ import annotations

import csv
import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import Qt

from station_desk.services import audit, registry
from station_desk.ui.main_window import MainWindow
from station_desk.ui.screens.audit import AuditScreen
from tests.conftest import deputy_data, mandate_data
from tests.ui.shell_helpers import chinese_afterwards  # noqa: F401


@pytest.fixture
def filled(session):
    for i, name in enumerate(("金明哲", "李春花", "朴英子")):
        registry.create_deputy(session, data=deputy_data(name=name, phone=f"1384331000{i}"),
                               mandates=[mandate_data()])
    session.actor = "auditor1"
    session.audit("reveal_phone", "voter", "v1", after={"reason": "回访"}, result="refused")
    session.actor = "tester"
    return session


@pytest.fixture
def screen(qtbot, filled):
    s = AuditScreen(filled)
    qtbot.addWidget(s)
    s.resize(1200, 700)
    s.show()
    return s


def _shown(screen) -> list[dict]:
    return [screen.model.row_at(r) for r in range(screen.model.rowCount())]


def _choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_lists_every_entry_newest_first_and_details_the_first(screen, filled):
    rows = _shown(screen)
    assert len(rows) == audit.count(filled) == screen.model.rowCount()
    assert rows[0]["action"] == "reveal_phone"
    assert [r["seq"] for r in rows] == sorted((r["seq"] for r in rows), reverse=True)
    text = screen.detail.toPlainText()
    assert "auditor1" in text and "reason: 回访" in text
    assert screen.model.data(screen.model.index(0, 5), Qt.ItemDataRole.ForegroundRole) is not None


def test_filters_by_who_action_object_result_and_search(screen, qtbot):
    _choose(screen.actor_filter, "auditor1")
    assert [r["action"] for r in _shown(screen)] == ["reveal_phone"]
    _choose(screen.actor_filter, None)
    _choose(screen.object_filter, "deputy")
    assert len(_shown(screen)) == 3
    _choose(screen.action_filter, "create")
    assert {r["object_type"] for r in _shown(screen)} == {"deputy"}
    _choose(screen.object_filter, None)
    _choose(screen.action_filter, None)
    _choose(screen.result_filter, "refused")
    assert [r["result"] for r in _shown(screen)] == ["refused"]
    _choose(screen.result_filter, None)
    screen.search.insert("李春花")  # arrives whole, as from an input method
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)  # after the typing pause
    rows = _shown(screen)
    assert rows[0]["after"]["name"] == "李春花" and rows[0]["action"] == "create"
    assert "1" in screen.count_label.text()


def test_period_and_dates(screen):
    total = screen.model.rowCount()
    _choose(screen.period, "today")  # the fixed clock's day: 2026-03-09
    assert screen.since.text() == "2026-03-09" and screen.model.rowCount() == total
    screen.since.setText("2026-03-10")
    assert screen.period.currentData() == "custom" and screen.model.rowCount() == 0
    screen.since.setText("")
    screen.until.setText("2026-03-08")
    assert screen.model.rowCount() == 0
    _choose(screen.period, "all")
    assert screen.until.text() == "" and screen.model.rowCount() == total


def test_ctrl_f_goes_to_the_search(screen):
    assert screen.focus_search()
    assert screen.search.hasFocus() or screen.focusWidget() is screen.search


def test_verify_says_ok_in_green(screen, qtbot):
    qtbot.mouseClick(screen.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.report is not None, timeout=10_000)
    assert screen.report.ok and screen.verify_label.isVisible()
    assert str(screen.model.rowCount()) in screen.verify_label.text()
    assert "#1e7b34" in screen.verify_label.styleSheet()


def test_verify_names_the_changed_entry_in_red(screen, filled, qtbot):
    target = _shown(screen)[2]["seq"]
    conn = sqlite3.connect(filled.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'nobody' WHERE seq = ?", [target])
    conn.close()
    qtbot.mouseClick(screen.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.report is not None, timeout=10_000)
    assert not screen.report.ok and screen.report.seq == target
    assert str(target) in screen.verify_label.text()
    assert "#b3261e" in screen.verify_label.styleSheet()


def test_export_writes_the_rows_shown_and_lands_in_the_list(screen, filled, tmp_path):
    _choose(screen.object_filter, "deputy")
    out = screen.export_to(tmp_path / "trail", csv=True)
    assert out == tmp_path / "trail.csv"
    with out.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert len(lines) == 4 and "朴英子" in "".join(lines[1])
    _choose(screen.object_filter, None)
    assert _shown(screen)[0]["action"] == "export"


def test_the_main_window_shows_the_screen_only_to_who_may_see_it(qtbot, filled):
    window = MainWindow(filled, auto_backup=False)
    qtbot.addWidget(window)
    keys = [window.nav.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(window.nav.count())]
    row = keys.index("audit")
    assert not window.nav.item(row).isHidden()
    filled.role = "clerk"
    window.update_visible_screens()
    assert window.nav.item(row).isHidden()
    filled.role = "auditor"
    window.update_visible_screens()
    assert not window.nav.item(row).isHidden()
    window.close_now()


def test_a_clerk_who_reaches_the_screen_sees_nothing(qtbot, filled):
    filled.role = "clerk"
    s = AuditScreen(filled)
    qtbot.addWidget(s)
    assert s.model.rowCount() == 0 and s.actor_filter.count() == 1
    s.verify()
    assert s.report is None and s.verify_label.isHidden()


def test_language_switch_retranslates(screen):
    from station_desk.ui import language

    language.apply_language("ko")
    screen.retranslate()
    assert screen.verify_button.text() != "Verify the chain"
    language.apply_language("zh_CN")
    screen.retranslate()
    assert screen.model.rowCount() >= 4
    assert date(2026, 3, 9)  # the fixed clock's day, used above
