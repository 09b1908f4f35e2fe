"""The deputy registry screen, driven through its real widgets on a real station database."""
from __future__ import annotations

import gettext

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.validation import MSG_PHONE, MSG_REQUIRED
from station_desk import i18n
from station_desk.i18n import _
from station_desk.services import registry
from station_desk.ui.models.deputies import COLUMN_KEYS, ID_ROLE
from station_desk.ui.screens.registry import RegistryScreen
from station_desk.ui.widgets.errors import INVALID_STYLE
from tests.conftest import deputy_data, mandate_data


def type_text(qtbot, widget, text: str) -> None:
    """Type as a clerk does: ASCII by keys, Chinese and Korean through the input
    method (QTest cannot press keys for characters beyond Latin-1)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


class MarkingCatalog(gettext.NullTranslations):
    """Every message comes back as ‹message›: a text not re-set after a switch shows."""

    def gettext(self, message):
        return f"‹{message}›"

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


@pytest.fixture
def marked_korean(monkeypatch):
    """Korean gets the marking catalog; the language is Chinese again afterwards."""
    from station_desk.ui import language

    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda lang: MarkingCatalog()
                        if i18n.normalise(lang) == "ko" else real(lang))
    yield MarkingCatalog().gettext
    language.apply_language("zh_CN")


class Boxes:
    """Stands in for the user at QMessageBox prompts: records each, answers ``answer``."""

    def __init__(self) -> None:
        self.questions: list[str] = []
        self.warnings: list[str] = []
        self.answer = QMessageBox.StandardButton.Yes

    def question(self, parent, title, text, *args, **kwargs):
        self.questions.append(text)
        return self.answer

    def warning(self, parent, title, text, *args, **kwargs):
        self.warnings.append(text)
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def boxes(monkeypatch):
    b = Boxes()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(b.question))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(b.warning))
    return b


def add(session, mandates=None, **kw) -> str:
    return registry.create_deputy(session, data=deputy_data(**kw),
                                  mandates=mandates or [mandate_data()]).created_id


@pytest.fixture
def screen(qtbot, session, boxes):
    w = RegistryScreen(session)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def shown_names(screen) -> list[str]:
    m = screen.model
    return [m.row(r)["name"] for r in range(m.rowCount())]


def cell(screen, row: int, key: str) -> str:
    return screen.model.index(row, COLUMN_KEYS.index(key)).data()


def select(screen, qtbot, deputy_id: str) -> None:
    screen._select_row_of(deputy_id)
    qtbot.waitUntil(lambda: screen.current_id == deputy_id and screen.detail.deputy is not None)


def three(session) -> dict[str, str]:
    g1 = registry.create_group(session, name_zh="明东片代表小组", name_ko="명동편 대표소조").created_id
    g2 = registry.create_group(session, name_zh="智新片代表小组", name_ko="지신편 대표소조").created_id
    return {
        "kim": add(session, group_id=g1),
        "li": add(session, name="李春花", name_ko="리춘화", sex="F", phone="13943300001",
                  village="智新村", group_id=g2,
                  mandates=[mandate_data(level="county", term=17, elected_on="2021-10-01")]),
        "wang": add(session, name="王建国", name_ko="", phone="13943300002", village="长财村",
                    birth_date="1990-01-01", group_id=g2),
        "g1": g1, "g2": g2,
    }


# -- search and filters ---------------------------------------------------------------

def test_one_character_is_a_query(screen, session, qtbot):
    three(session)
    screen.refresh()
    assert screen.model.rowCount() == 3
    type_text(qtbot, screen.search, "春")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    assert shown_names(screen) == ["李春花"]
    assert cell(screen, 0, "name") == "李春花 (리춘화)"
    assert "1" in screen.count_label.text()
    qtbot.keyClick(screen.search, Qt.Key.Key_Escape)
    assert screen.search.text() == "" and screen.model.rowCount() == 3


def test_the_korean_reading_finds_the_person(screen, session, qtbot):
    three(session)
    screen.refresh()
    type_text(qtbot, screen.search, "김")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    assert shown_names(screen) == ["金明哲"]
    screen.search.clear()
    type_text(qtbot, screen.search, "명철")
    qtbot.waitUntil(lambda: shown_names(screen) == ["金明哲"])
    screen.search.clear()
    type_text(qtbot, screen.search, "없음")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0)
    assert screen.empty_label.isVisible()


def choose(combo, value) -> None:
    i = combo.findData(value)
    assert i >= 0, value
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def test_filters_by_level_status_group_and_village(screen, session, qtbot):
    ids = three(session)
    m = registry.deputy(session, ids["wang"])["mandates"][0]
    registry.record_mandate_event(session, mandate_id=m["id"], kind="suspended", on="2025-01-01",
                                  ground="detained")
    screen.refresh()

    choose(screen.level_filter, "county")
    assert shown_names(screen) == ["李春花"]
    choose(screen.level_filter, None)
    choose(screen.status_filter, "suspended")
    assert shown_names(screen) == ["王建国"]
    assert cell(screen, 0, "status") == _("Suspended")
    choose(screen.status_filter, None)
    choose(screen.group_filter, ids["g2"])
    assert sorted(shown_names(screen)) == sorted(["李春花", "王建国"])
    choose(screen.village_filter, "长财村")
    assert shown_names(screen) == ["王建国"]
    # filters combine with the search
    type_text(qtbot, screen.search, "李")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0)
    # the village list comes from the registry
    assert {screen.village_filter.itemData(i) for i in range(screen.village_filter.count())} == {
        None, "明东村", "智新村", "长财村"}


def click_header(qtbot, screen, key: str) -> None:
    hh = screen.table.horizontalHeader()
    col = COLUMN_KEYS.index(key)
    pos = QPoint(hh.sectionViewportPosition(col) + hh.sectionSize(col) // 2, hh.height() // 2)
    qtbot.mouseClick(hh.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_sorting_by_clicking_a_header(screen, session, qtbot):
    three(session)
    screen.refresh()
    click_header(qtbot, screen, "birth_date")
    assert screen.model.filter.sort == "birth_date" and not screen.model.filter.descending
    births = [screen.model.row(r)["birth_date"] for r in range(3)]
    assert births == sorted(births)
    click_header(qtbot, screen, "birth_date")
    assert screen.model.filter.descending
    assert cell(screen, 0, "name") == "王建国"  # born 1990, the youngest
    click_header(qtbot, screen, "levels")
    assert screen.model.filter.sort == "levels"
    assert cell(screen, 0, "levels") == _("County (city)")


# -- adding and editing -------------------------------------------------------------------

def fill_new_deputy(qtbot, form, *, name="朴英玉", phone="13843300099") -> None:
    type_text(qtbot, form.name, name)
    type_text(qtbot, form.name_ko, "박영옥")
    form.sex.setCurrentIndex(form.sex.findData("F"))
    form.ethnicity.setCurrentIndex(form.ethnicity.findData("10"))
    type_text(qtbot, form.birth_date.line, "1980年5月6日")
    type_text(qtbot, form.phone, phone)
    type_text(qtbot, form.unit, "智新镇中心小学")
    type_text(qtbot, form.post, "教师")
    form.village.setCurrentText("大成村")
    form.mandate.level.setCurrentIndex(form.mandate.level.findData("township"))
    type_text(qtbot, form.mandate.term, "18")
    type_text(qtbot, form.mandate.constituency, "第5选区")
    type_text(qtbot, form.mandate.elected_on.line, "2021-11-20")


def test_add_a_deputy_through_the_dialog(screen, session, qtbot):
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    assert form is not None and form.isVisible() and form.adding
    fill_new_deputy(qtbot, form)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)

    rows = registry.page(session, DeputyFilter(), offset=0, limit=10)
    assert [r["name"] for r in rows] == ["朴英玉"]
    new = registry.deputy(session, rows[0]["id"])
    assert new["birth_date"] == "1980-05-06" and new["village"] == "大成村"
    assert [(m["level"], m["term"], m["constituency"]) for m in new["mandates"]] == [
        ("township", 18, "第5选区")]
    # the new row is listed, selected and shown in the detail pane
    assert shown_names(screen) == ["朴英玉"]
    assert screen.current_id == new["id"]
    assert screen.table.selectionModel().currentIndex().data(ID_ROLE) == new["id"]
    assert screen.detail.name_label.text() == "朴英玉 (박영옥)"
    assert screen.detail.values["phone"].text().startswith("138****0099")


def test_an_invalid_phone_is_marked_and_nothing_is_saved(screen, session, qtbot, boxes):
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    fill_new_deputy(qtbot, form, phone="12345")
    form.mandate.term.clear()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    error = form.fields.errors["phone"]
    assert error.isVisibleTo(form) and error.text() == _(MSG_PHONE)
    assert form.phone.styleSheet() == INVALID_STYLE
    term_error = form.marks.fields["mandates[0].term"][1]
    assert term_error.text() == _(MSG_REQUIRED)
    assert registry.count(session, DeputyFilter()) == 0
    assert boxes.questions == []  # no duplicate check before the fields are right
    # corrected, it saves
    form.phone.setText("13843300099")
    type_text(qtbot, form.mandate.term, "18")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)
    assert registry.count(session, DeputyFilter()) == 1


def test_a_likely_duplicate_is_shown_before_saving(screen, session, qtbot, boxes):
    add(session, name="朴英玉", birth_date="1980-05-06", phone="13900000000")
    screen.refresh()
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    fill_new_deputy(qtbot, form)
    boxes.answer = QMessageBox.StandardButton.No
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert len(boxes.questions) == 1 and "朴英玉" in boxes.questions[0]
    assert "1980-05-06" in boxes.questions[0]
    assert form.isVisible() and registry.count(session, DeputyFilter()) == 1
    boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)
    assert registry.count(session, DeputyFilter()) == 2


def test_a_photo_that_is_not_an_image_is_refused(screen, session, qtbot, tmp_path):
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    bad = tmp_path / "photo.jpg"
    bad.write_text("not a picture")
    assert not form.set_photo_file(str(bad))
    assert form.photo_error.isVisibleTo(form) and "photo.jpg" in form.photo_error.text()
    big = tmp_path / "big.png"
    img = QImage(1600, 1200, QImage.Format.Format_RGB32)
    img.fill(QColor("#336699"))
    img.save(str(big))
    assert form.set_photo_file(str(big))
    fill_new_deputy(qtbot, form)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)
    stored = QImage.fromData(registry.photo(session, screen.current_id))
    assert (stored.width(), stored.height()) == (600, 450)
    assert screen.detail.photo.has_photo()


def test_edit_with_enter_and_a_stale_record(screen, session, qtbot, boxes):
    did = add(session)
    screen.refresh()
    select(screen, qtbot, did)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    form = screen.dialog
    assert form is not None and not form.adding and form.name.text() == "金明哲"
    form.post.setText("村委会主任")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)
    assert registry.deputy(session, did)["post"] == "村委会主任"
    assert cell(screen, 0, "post") == "村委会主任"

    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    form = screen.dialog
    registry.update_deputy(session, deputy_id=did, data=deputy_data(post="someone else's edit"))
    form.post.setText("mine")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert boxes.warnings == [_(registry.StaleRecord.msgid)]
    assert registry.deputy(session, did)["post"] == "someone else's edit"
    form.reject()


# -- the exit of a mandate ----------------------------------------------------------------

def event_dialog(screen, qtbot, button):
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_suspend_restore_terminate(screen, session, qtbot, boxes):
    did = add(session)
    screen.refresh()
    select(screen, qtbot, did)
    d = screen.detail
    assert d.suspend_button.isEnabled() and d.terminate_button.isEnabled()
    assert not d.restore_button.isEnabled()

    dlg = event_dialog(screen, qtbot, d.suspend_button)
    save(qtbot, dlg)  # no ground chosen
    assert dlg.isVisible() and dlg.fields.errors["ground"].text() == _(MSG_REQUIRED)
    assert boxes.questions == []
    dlg.ground.setCurrentIndex(dlg.ground.findData("detained"))
    dlg.on.setText("2025-06-01")
    type_text(qtbot, dlg.doc_no, "龙人常〔2025〕12号")
    save(qtbot, dlg)
    qtbot.waitUntil(lambda: screen.dialog is None)
    assert "金明哲" in boxes.questions[-1]
    assert cell(screen, 0, "status") == _("Suspended")
    assert not d.suspend_button.isEnabled() and d.restore_button.isEnabled()

    dlg = event_dialog(screen, qtbot, d.restore_button)
    dlg.on.setText("2025-12-01")
    save(qtbot, dlg)
    qtbot.waitUntil(lambda: screen.dialog is None)
    assert cell(screen, 0, "status") == _("Serving")

    dlg = event_dialog(screen, qtbot, d.terminate_button)
    dlg.ground.setCurrentIndex(dlg.ground.findData("resigned"))
    dlg.on.setText("2026-02-01")
    type_text(qtbot, dlg.detail, "迁居延吉市")
    save(qtbot, dlg)  # the document number is required
    assert dlg.isVisible() and dlg.fields.errors["doc_no"].text() == _(MSG_REQUIRED)
    type_text(qtbot, dlg.doc_no, "龙人常〔2026〕3号")
    boxes.answer = QMessageBox.StandardButton.No  # the clerk hesitates: nothing recorded
    save(qtbot, dlg)
    assert dlg.isVisible()
    assert registry.deputy(session, did)["status"] == "active"
    boxes.answer = QMessageBox.StandardButton.Yes
    save(qtbot, dlg)
    qtbot.waitUntil(lambda: screen.dialog is None)

    person = registry.deputy(session, did)
    assert person["status"] == "former"
    m = person["mandates"][0]
    assert (m["status"], m["ended_on"], m["end_ground"]) == ("terminated", "2026-02-01", "resigned")
    assert cell(screen, 0, "status") == _("Former deputy")
    assert screen.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    assert not (d.suspend_button.isEnabled() or d.restore_button.isEnabled()
                or d.terminate_button.isEnabled())
    assert d.mandates.item(0, 6).text() == _("Resigned (voluntary)")

    qtbot.mouseClick(d.history_button, Qt.MouseButton.LeftButton)
    hist = screen.dialog
    texts = hist.texts()
    kinds = [row[1].split(" — ")[0] for row in texts]
    for label in ("Elected", "Mandate suspended", "Mandate restored", "Mandate terminated"):
        assert _(label) in kinds
    terminated = next(r for r in texts if r[1].startswith(_("Mandate terminated")))
    assert terminated[2] == _("Resigned (voluntary)") and terminated[3] == "龙人常〔2026〕3号"
    assert "迁居延吉市" in terminated[1] and terminated[4] == "tester"
    hist.reject()


def test_add_mandate(screen, session, qtbot):
    did = add(session)
    screen.refresh()
    select(screen, qtbot, did)
    dlg = event_dialog(screen, qtbot, screen.detail.add_mandate_button)
    dlg.mandate.level.setCurrentIndex(dlg.mandate.level.findData("county"))
    type_text(qtbot, dlg.mandate.term, "18")
    type_text(qtbot, dlg.mandate.elected_on.line, "2030-01-01")  # in the future
    save(qtbot, dlg)
    assert dlg.isVisible() and dlg.fields.errors["elected_on"].isVisibleTo(dlg)
    dlg.mandate.elected_on.setText("2021-10-01")
    save(qtbot, dlg)
    qtbot.waitUntil(lambda: screen.dialog is None)
    assert screen.detail.mandates.rowCount() == 2
    assert cell(screen, 0, "levels") == _(", ").join([_("County (city)"), _("Township")])


# -- delete and undo ------------------------------------------------------------------------

def test_delete_with_the_delete_key_and_undo(screen, session, qtbot, boxes):
    ids = three(session)
    screen.refresh()
    select(screen, qtbot, ids["kim"])
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    assert "金明哲" in boxes.questions[-1]
    assert "金明哲" not in shown_names(screen)
    assert registry.count(session, DeputyFilter()) == 2
    assert screen.notice.isVisible() and screen.notice.action.isVisible()
    # the next person in the list is selected (王建国 came after 金明哲's row)
    assert screen.detail.deputy["name"] == "王建国"

    qtbot.mouseClick(screen.notice.action, Qt.MouseButton.LeftButton)
    assert registry.count(session, DeputyFilter()) == 3
    assert "金明哲" in shown_names(screen)
    assert screen.current_id == ids["kim"] and not screen.notice.isVisible()


def test_delete_asks_first(screen, session, qtbot, boxes):
    did = add(session)
    screen.refresh()
    select(screen, qtbot, did)
    boxes.answer = QMessageBox.StandardButton.No
    qtbot.mouseClick(screen.detail.delete_button, Qt.MouseButton.LeftButton)
    assert registry.count(session, DeputyFilter()) == 1 and not screen.notice.isVisible()


# -- photo, keyboard, language ----------------------------------------------------------------

def test_set_and_remove_photo(screen, session, qtbot, tmp_path, boxes):
    did = add(session)
    screen.refresh()
    select(screen, qtbot, did)
    assert not screen.detail.photo.has_photo()
    assert not screen.detail.remove_photo_button.isEnabled()
    path = tmp_path / "p.jpg"
    img = QImage(300, 400, QImage.Format.Format_RGB32)
    img.fill(QColor("#884422"))
    img.save(str(path))
    assert screen.set_photo_file(path)
    assert registry.photo(session, did) is not None and screen.detail.photo.has_photo()
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert not screen.set_photo_file(text)
    assert "notes.txt" in boxes.warnings[-1]
    qtbot.mouseClick(screen.detail.remove_photo_button, Qt.MouseButton.LeftButton)
    assert registry.photo(session, did) is None and not screen.detail.photo.has_photo()


def test_keyboard(screen, session, qtbot):
    add(session)
    screen.refresh()
    assert screen.focus_search() and screen.search.hasFocus()
    qtbot.keyClick(screen.search, Qt.Key.Key_Down)
    assert screen.table.hasFocus() and screen.current_id is not None
    qtbot.keyClick(screen.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert screen.dialog is not None and screen.dialog.adding
    screen.dialog.reject()


def test_phone_is_masked_until_asked(screen, session, qtbot):
    did = add(session, phone="13843312345")
    screen.refresh()
    select(screen, qtbot, did)
    assert cell(screen, 0, "phone") == "138****2345"
    assert "138****2345" in screen.detail.values["phone"].text()
    screen.detail.toggle_phone()  # "show…": a reason first
    assert "13843312345" not in screen.detail.values["phone"].text()
    screen.dialog.reason.setText("通知开会")
    screen.dialog.accept()
    assert "13843312345" in screen.detail.values["phone"].text()
    [row] = session.db.execute("SELECT after FROM audit WHERE action = 'reveal'").fetchall()
    assert "通知开会" in row[0] and "13843312345" not in row[0]
    screen.detail.toggle_phone()  # hide
    assert "13843312345" not in screen.detail.values["phone"].text()


def test_language_switch_retranslates(screen, session, qtbot, marked_korean):
    from station_desk.ui import language

    ids = three(session)
    screen.refresh()
    select(screen, qtbot, ids["kim"])
    language.apply_language("ko")
    screen.retranslate()
    hh = screen.model.headerData(0, Qt.Orientation.Horizontal)
    assert hh == marked_korean("Name")
    assert screen.add_button.text() == marked_korean("Add deputy…")
    assert screen.detail.terminate_button.text() == marked_korean("Terminate…")
    assert screen.level_filter.itemText(0) == marked_korean("All levels")
    assert cell(screen, 0, "status") == marked_korean("Serving")
    # the group's own Korean name, and the paper language follows the interface
    kim_row = screen.model.cached_row_of(ids["kim"])
    assert cell(screen, kim_row, "group") == "명동편 대표소조"
    assert screen.detail.values["group"].text() == "명동편 대표소조"
    assert screen.paper_lang.currentData() == "ko"
    assert screen.detail.captions["unit"].text() == marked_korean("Work unit")


# -- the windowed model ----------------------------------------------------------------------

def test_the_model_fetches_only_the_blocks_it_shows(qtbot, session, boxes, monkeypatch):
    with session.db.atomic():  # one commit for the 2,000 inserts
        for i in range(2000):
            registry.create_deputy(
                session, data=deputy_data(name=f"代表{i:04d}", name_ko="", phone=f"138{i:08d}",
                                          birth_date=f"{1950 + i % 50}-01-{1 + i % 28:02d}"),
                mandates=[mandate_data()])
    calls = []
    real_page = registry.page

    def counting_page(session_, filt, *, offset, limit):
        calls.append((filt.sort, filt.descending, offset, limit))
        return real_page(session_, filt, offset=offset, limit=limit)

    monkeypatch.setattr(registry, "page", counting_page)
    screen = RegistryScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    screen.show()
    qtbot.waitExposed(screen)
    model = screen.model
    assert model.rowCount() == 2000
    qtbot.waitUntil(lambda: model.cached_blocks() == [0])  # the first paint
    assert len(calls) == 1

    screen.table.scrollToBottom()
    qtbot.waitUntil(lambda: 9 in model.cached_blocks())
    assert set(model.cached_blocks()) <= {0, 8, 9} and len(calls) <= 3
    assert cell(screen, 1999, "name") == "代表1999"

    before = len(calls)
    click_header(qtbot, screen, "birth_date")
    click_header(qtbot, screen, "birth_date")  # descending: the youngest first
    screen.table.scrollToTop()
    qtbot.waitUntil(lambda: 0 in model.cached_blocks())
    assert all(c[0] == "birth_date" for c in calls[before:])
    assert len(calls) - before <= 3  # sorting did not read the whole list
    assert model.row(0)["birth_date"] == "1999-01-28"
    assert model.filter.descending and calls[-1][1] is True

    # a search re-counts in SQL and drops the cache
    type_text(qtbot, screen.search, "代表199")
    qtbot.waitUntil(lambda: model.rowCount() == 10)
    assert len(model.cached_blocks()) <= 1


# -- export ------------------------------------------------------------------------------------

def test_export_to_excel_exports_what_the_filters_show(screen, session, qtbot, tmp_path):
    from openpyxl import load_workbook

    ids = three(session)
    screen.refresh()
    choose(screen.group_filter, ids["g2"])
    assert screen.export_to(tmp_path / "roster")  # .xlsx is added
    wb = load_workbook(tmp_path / "roster.xlsx", read_only=True)
    cells = {str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c}
    assert {"李春花", "王建国"} <= cells and "金明哲" not in cells
    assert screen.notice.isVisible() and "roster.xlsx" in screen.notice.label.text()


def test_import_through_the_screen(screen, session, qtbot, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text("姓名,朝鲜文姓名,性别,联系电话,村(社区),层级,届次,当选日期\n"
                    "崔英顺,최영순,女,13843300011,明东村,乡镇,18,2021-11-20\n"
                    "郑光植,정광식,男,13843300012,智新村,县(市),18,2021-10-01\n",
                    encoding="utf-8")
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.load(path)
    assert dialog.check_rows()
    assert dialog.do_import()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)
    assert sorted(shown_names(screen)) == sorted(["崔英顺", "郑光植"])
    assert {screen.village_filter.itemData(i) for i in range(screen.village_filter.count())} == {
        None, "明东村", "智新村"}


def test_paper_follows_the_filters_and_the_paper_language(screen, session, qtbot, tmp_path,
                                                         monkeypatch):
    import re

    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    from station_desk.ui import printing

    ids = three(session)
    m = registry.deputy(session, ids["li"])["mandates"][0]
    registry.record_mandate_event(session, mandate_id=m["id"], kind="terminated", on="2026-01-05",
                                  ground="moved_out", doc_no="龙人常〔2026〕1号")
    screen.refresh()
    choose(screen.status_filter, "former")
    screen.paper_lang.setCurrentIndex(screen.paper_lang.findData("bilingual"))
    out = tmp_path / "former.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    qtbot.mouseClick(screen.pdf_button, Qt.MouseButton.LeftButton)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(str(out)).pages))
    assert "李春花" in text and "리춘화" in text
    assert "金明哲" not in text and "王建国" not in text

    calls, infos = [], []
    real = printing.print_document
    monkeypatch.setattr(printing, "print_document",
                        lambda *a, **k: calls.append((a[2:], k)) or real(*a, **k))
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text, *a: infos.append(text)))
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    assert calls == [(("roster",), {"lang": "bilingual", "options": {
        "status": "former", "level": None, "group": None}})]
    if not printing.QPrinterInfo.availablePrinters():
        assert infos  # "no printer: use Save PDF"


def test_tab_runs_through_the_form_in_reading_order(screen, qtbot):
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    form.activateWindow()
    form.name.setFocus()
    qtbot.waitUntil(form.name.hasFocus)
    seen = []
    for _step in range(19):
        seen.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    expected = [form.name, form.name_ko, form.sex, form.ethnicity, form.birth_date.line,
                form.party, form.phone, form.unit, form.post]
    assert seen[:len(expected)] == expected
    assert seen.index(form.mandate.level) < seen.index(form.mandate.elected_on.line) \
        < seen.index(form.save_button)
    form.reject()
