"""The roster import dialog, driven like a clerk would, on a real station database."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from station_desk.domain.deputies import DeputyFilter
from station_desk.i18n import set_language
from station_desk.services import registry
from station_desk.ui.dialogs.roster_import import RosterImportDialog
from tests.conftest import deputy_data, mandate_data

HEADERS = ["序号", "姓名", "朝鲜文姓名", "性别", "出生年月", "联系电话", "代表小组", "代表层级",
           "届次", "当选日期", "身高"]
ROWS = [
    [1, "金明哲", "김명철", "男", "1975-04-12", "13843312345", "第一代表小组", "乡镇", "第十八届",
     datetime(2021, 11, 20), ""],
    [2, "李春花", "리춘화", "女", "1980.02", "13943300001", "第一代表小组", "县(市)\n乡镇", "17\n18",
     "2021-11-20", ""],
    [3, "王建国", "", "男", "1975.1", "13943300002", "", "村级", "18", "2021-11-20", ""],
    [4, "朴英姬", "박영희", "女", "1968-07-21", "13943300004", "", "乡镇", "18", "2021-11-20", ""],
]


@pytest.fixture(autouse=True)
def english_interface():
    """The assertions read the English texts (the catalogs are filled)."""
    set_language("en")
    yield
    set_language("zh_CN")


@pytest.fixture
def roster(tmp_path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["智新镇人大代表名册"])
    ws.append(HEADERS)
    for r in ROWS:
        ws.append(r)
    path = tmp_path / "名册.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def dialog(qtbot, session):
    dlg = RosterImportDialog(session)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _count(session, **f) -> int:
    return registry.count(session, DeputyFilter(**f))


def _report(dlg) -> list[tuple[str, str, str]]:
    t = dlg.report_table
    return [(t.item(i, 0).text(), t.item(i, 2).text(), t.item(i, 3).text())
            for i in range(t.rowCount())]


def test_load_check_and_import(dialog, session, roster, qtbot):
    assert dialog.stack.currentIndex() == dialog.FILE and not dialog.next_button.isEnabled()
    assert dialog.load(roster)
    assert dialog.stack.currentIndex() == dialog.MAPPING
    assert "名册.xlsx" in dialog.file_summary.text() and "2" in dialog.file_summary.text()

    mt = dialog.mapping_table
    assert [mt.item(i, 0).text() for i in range(mt.rowCount())] == HEADERS
    shown = {mt.item(i, 0).text(): dialog.combo_for(i).currentText() for i in range(mt.rowCount())}
    assert shown["姓名"] == "Name" and shown["出生年月"] == "Birth date"
    assert shown["序号"] == shown["身高"] == "— Not imported —"
    assert mt.item(1, 2).text() == "金明哲"  # the first data row is previewed
    assert mt.item(7, 3).text() == "县(市) / 乡镇"  # a two-line cell, on one line
    assert mt.horizontalHeaderItem(2).text() == "Row 3"  # numbered as Excel shows them

    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.stack.currentIndex() == dialog.REPORT
    report = _report(dialog)
    assert [(r[0], r[1]) for r in report] == [
        ("3", "Ready"), ("4", "Ready, see note"), ("5", "Error: not imported"), ("6", "Ready")]
    assert "出生年月: “1975.1” could be January or October" in report[2][2]
    assert "代表层级: “村级” is not a value this column can hold." in report[2][2]
    assert "stored as the 1st of that month" in report[1][2]
    assert "3 ready to import" in dialog.summary.text()
    assert "1 with errors" in dialog.summary.text()
    assert "第一代表小组" in dialog.groups_label.text() and dialog.groups_label.isVisible()
    assert dialog.import_button.isEnabled() and "3" in dialog.import_button.text()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _count(session) == 3 and _count(session, level="county") == 1
    assert [g["name_zh"] for g in registry.groups(session)] == ["第一代表小组"]
    assert dialog.changes and dialog.changes.touches("deputies")
    assert "Imported 3 deputies" in dialog.result_label.text()
    assert [r[1] for r in _report(dialog)] == ["Imported", "Imported", "Error: not imported",
                                               "Imported"]
    assert not dialog.import_button.isEnabled() and not dialog.back_button.isEnabled()
    assert dialog.close_button.text() == "Close"
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


@pytest.mark.parametrize("content", [os.urandom(2048), b"", b"PK\x03\x04broken"])
def test_a_bad_file_is_explained_on_the_first_step(dialog, session, tmp_path, content):
    registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()])
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    assert not dialog.load(path)
    assert dialog.stack.currentIndex() == dialog.FILE
    assert dialog.file_error.isVisible() and dialog.file_error.text()
    assert not dialog.next_button.isEnabled()
    assert dialog.changes is None and _count(session) == 1
    dialog.close_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_the_mapping_can_be_changed_and_the_name_is_required(dialog, roster, qtbot):
    dialog.load(roster)
    name_col, ko_col = HEADERS.index("姓名"), HEADERS.index("朝鲜文姓名")
    dialog.set_field(name_col, None)
    assert not dialog.next_button.isEnabled() and dialog.mapping_error.isVisible()
    # choosing a field another column holds takes it from that column
    dialog.set_field(ko_col, "name")
    assert dialog.next_button.isEnabled() and not dialog.mapping_error.isVisible()
    dialog.set_field(name_col, "name")
    assert dialog.combo_for(ko_col).currentData() is None
    dialog.set_field(HEADERS.index("身高"), "notes")
    assert dialog.mapping()[HEADERS.index("身高")] == "notes"
    assert dialog.check_rows()
    assert dialog.preview.mapping[HEADERS.index("身高")] == "notes"


def test_defaults_for_the_whole_file(dialog, session, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["甲", "13900000001"])
    wb.save(tmp_path / "short.xlsx")
    dialog.load(tmp_path / "short.xlsx")
    dialog.check_rows()
    assert not dialog.import_button.isEnabled()  # no level, term or election date
    dialog.go_back()
    dialog.default_level.setCurrentIndex(dialog.default_level.findData("township"))
    dialog.default_term.setValue(18)
    dialog.default_elected.setText("2021-11-20")
    dialog.check_rows()
    assert dialog.import_button.isEnabled()
    dialog.do_import()
    assert _count(session, level="township") == 1


def test_likely_duplicates_are_shown_and_skipped_on_request(dialog, session, roster, qtbot):
    registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()])  # 金明哲
    dialog.load(roster)
    dialog.check_rows()
    assert _report(dialog)[0][1] == "Likely duplicate"
    assert "Already in the registry: 金明哲" in _report(dialog)[0][2]
    assert dialog.skip_duplicates.isChecked() and "2" in dialog.import_button.text()
    dialog.problems_only.setChecked(True)
    hidden = [dialog.report_table.isRowHidden(i) for i in range(4)]
    assert hidden == [False, False, False, True]  # only the plain "Ready" row is hidden
    dialog.skip_duplicates.setChecked(False)
    assert "3" in dialog.import_button.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _count(session, query="金明哲") == 2


def test_a_failed_import_says_so_and_saves_nothing(dialog, session, roster):
    session.db.execute("CREATE TEMP TRIGGER fail_insert BEFORE INSERT ON main.deputies "
                       "WHEN NEW.name = '朴英姬' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    dialog.load(roster)
    dialog.check_rows()
    assert not dialog.do_import()
    assert "Nothing was imported" in dialog.result_label.text()
    assert dialog.result_label.isVisible()
    assert dialog.changes is None and _count(session) == 0 and registry.groups(session) == []
    assert dialog.import_button.isEnabled()  # the clerk may try again


def test_keyboard_only(dialog, session, roster, qtbot):
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # mnemonics work in the active window
    dialog.load(roster)
    first = dialog.combo_for(0)
    assert first.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.combo_for(1)  # Tab walks the column fields
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default button: check the rows
    assert dialog.stack.currentIndex() == dialog.REPORT
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # &Import
    qtbot.waitUntil(lambda: dialog.changes is not None)
    assert _count(session) == 3
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Accepted  # Esc after an import = Close
    assert dialog.changes


def test_mapping_and_report_pages_render(dialog, roster, tmp_path):
    dialog.load(roster)
    assert not dialog.grab().isNull()
    dialog.check_rows()
    image = dialog.grab().toImage()
    assert image.width() >= 600 and image.height() >= 400
