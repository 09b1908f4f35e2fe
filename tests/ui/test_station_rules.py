"""The rules on the wall and the station photo, driven through the station
screen and the rule dialog on a real database."""
from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from station_desk.i18n import _
from station_desk.services import notices
from station_desk.ui.dialogs.station_rule import StationRuleDialog
from station_desk.ui.screens.station import StationScreen
from station_desk.ui.widgets.errors import INVALID_STYLE


@pytest.fixture
def screen(qtbot, session):
    s = StationScreen(session)
    qtbot.addWidget(s)
    s.resize(1100, 760)
    s.show()
    return s


def fill_and_save(qtbot, when_open) -> list:
    """Act on the rule dialog once it is open (it runs modal)."""
    seen = []

    def act():
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, StationRuleDialog) and w.isVisible())
        seen.append(dialog)
        when_open(dialog)

    QTimer.singleShot(0, act)
    return seen


def titles(session) -> list[str]:
    return [r["title_zh"] for r in notices.rules(session)]


def add_through_dialog(qtbot, screen, title_zh, title_ko="", body_zh="一、条文。"):
    def fill(dialog):
        dialog.title_zh.setText(title_zh)
        dialog.title_ko.setText(title_ko)
        dialog.body_zh.setPlainText(body_zh)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save),
                         Qt.MouseButton.LeftButton)

    fill_and_save(qtbot, fill)
    with qtbot.waitSignal(screen.changed):
        qtbot.mouseClick(screen.wall_box.add_rule_button, Qt.MouseButton.LeftButton)


def test_add_edit_reorder_and_delete_rules(qtbot, screen, session, monkeypatch):
    box = screen.wall_box
    add_through_dialog(qtbot, screen, "接待选民制度", "선민접대제도")
    add_through_dialog(qtbot, screen, "学习培训制度")
    add_through_dialog(qtbot, screen, "经费管理制度")
    assert titles(session) == ["接待选民制度", "学习培训制度", "经费管理制度"]
    assert box.rule_list.count() == 3
    assert box.rule_list.item(0).text() == "1. 接待选民制度  ·  선민접대제도"
    assert box.selected_rule()["title_zh"] == "经费管理制度"  # the new one is selected

    box.select_rule(1)

    def edit(dialog):
        assert dialog.title_zh.text() == "学习培训制度"
        dialog.title_zh.setText("代表学习培训制度")
        dialog.body_ko.setPlainText("1. 학습한다.")
        dialog.accept()

    fill_and_save(qtbot, edit)
    with qtbot.waitSignal(screen.changed):
        qtbot.mouseClick(box.edit_rule_button, Qt.MouseButton.LeftButton)
    rule = notices.rules(session)[1]
    assert rule["title_zh"] == "代表学习培训制度" and rule["body_ko"] == "1. 학습한다."

    box.select_rule(2)
    assert not box.down_button.isEnabled()
    qtbot.mouseClick(box.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(box.up_button, Qt.MouseButton.LeftButton)
    assert titles(session) == ["经费管理制度", "接待选民制度", "代表学习培训制度"]
    assert box.selected_rule()["title_zh"] == "经费管理制度"
    assert not box.up_button.isEnabled()
    qtbot.mouseClick(box.down_button, Qt.MouseButton.LeftButton)
    assert titles(session) == ["接待选民制度", "经费管理制度", "代表学习培训制度"]

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    box.select_rule(1)
    qtbot.mouseClick(box.delete_rule_button, Qt.MouseButton.LeftButton)  # No: kept
    assert len(titles(session)) == 3
    with qtbot.waitSignal(screen.changed):
        qtbot.mouseClick(box.delete_rule_button, Qt.MouseButton.LeftButton)
    assert titles(session) == ["接待选民制度", "代表学习培训制度"]
    assert box.rule_list.count() == 2


def test_an_empty_title_is_refused_and_marked(qtbot, session):
    dialog = StationRuleDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title_ko.setText("선민접대제도")
    dialog.body_zh.setPlainText("一、条文。")
    dialog.accept()
    assert dialog.isVisible() and not dialog.changes
    assert dialog.title_zh.styleSheet() == INVALID_STYLE
    assert dialog.fields.errors["title_zh"].isVisible()
    assert dialog.fields.errors["title_zh"].text()
    assert not dialog.fields.errors["title_ko"].isVisible()
    assert notices.rules(session) == []


def test_the_station_photo_set_refused_and_removed(qtbot, screen, session, tmp_path,
                                                   monkeypatch):
    box = screen.wall_box
    assert not box.has_photo() and not box.remove_photo_button.isEnabled()

    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text, *a: warnings.append(text))
    assert box.choose_photo(broken) is False
    assert warnings == [notices.BadStationPhoto().message(_)]
    assert notices.station_photo(session) is None

    photo = tmp_path / "station.png"
    Image.new("RGB", (640, 480), (30, 120, 200)).save(photo)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(photo), ""))
    with qtbot.waitSignal(screen.changed):
        qtbot.mouseClick(box.set_photo_button, Qt.MouseButton.LeftButton)
    assert notices.station_photo(session) == photo.read_bytes()
    assert box.has_photo() and box.remove_photo_button.isEnabled()

    big = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (200, 120, 30)).save(big, quality=95)
    assert box.choose_photo(big)
    with Image.open(__import__("io").BytesIO(notices.station_photo(session))) as kept:
        assert max(kept.size) == 1600

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    qtbot.mouseClick(box.remove_photo_button, Qt.MouseButton.LeftButton)
    assert notices.station_photo(session) is not None
    with qtbot.waitSignal(screen.changed):
        qtbot.mouseClick(box.remove_photo_button, Qt.MouseButton.LeftButton)
    assert notices.station_photo(session) is None
    assert not box.has_photo()
