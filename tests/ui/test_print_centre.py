"""The print centre on a real station database: choosing documents, options and
languages, the page preview against the PDF read back, Save PDF, the wall set."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from shiboken6 import isValid
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from station_desk.domain.notices import WALL_NOTICES
from station_desk.i18n import _
from station_desk.services import documents, notices
from station_desk.ui.screens.print_centre import PrintCentreScreen
from tests.ui.activity_helpers import add_activity, add_deputies


@pytest.fixture
def screen(qtbot, session):
    s = PrintCentreScreen(session)
    qtbot.addWidget(s)
    s.resize(1200, 800)
    s.show()
    wait_preview(qtbot, s)
    yield s
    # no worker left to answer a closed screen
    qtbot.waitUntil(lambda: not isValid(s) or not s.preview_busy(), timeout=20_000)


def wait_preview(qtbot, screen) -> None:
    """Until the preview shows the current options (a page image or a message)."""
    qtbot.waitUntil(lambda: not screen.preview_busy(), timeout=20_000)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def shown_pdf(screen) -> bytes:
    data = screen.preview._data
    assert data is not None, screen.last_error
    return data


def test_every_document_is_listed_in_its_group(screen):
    assert sorted(screen.names()) == sorted(documents.DOCUMENTS)
    groups = [screen.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1)
              for i in range(screen.tree.topLevelItemCount())]
    assert groups == ["wall", "forms", "reports"]
    wall = screen.tree.topLevelItem(0)
    assert [wall.child(j).data(0, Qt.ItemDataRole.UserRole)
            for j in range(wall.childCount())] == list(WALL_NOTICES)


def test_search_narrows_the_list_and_enter_previews(qtbot, screen):
    screen.focus_search()
    qtbot.keyClicks(screen.search, "sign-in")
    assert screen.names() == ["sign-in-sheet"]
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.document_name() == "sign-in-sheet"
    screen.search.clear()
    assert len(screen.names()) == len(documents.DOCUMENTS)


def test_wall_notice_preview_matches_the_pdf_and_follows_the_options(qtbot, screen, session):
    add_deputies(session)
    screen.select_document("wall-deputies")
    screen.set_language("zh_CN")
    wait_preview(qtbot, screen)
    pages, text = pdf_text(shown_pdf(screen))
    assert screen.preview.pages() == pages == 1
    assert screen.preview.has_image()
    assert screen.preview.page_label.text() == _("Page {page} / {pages}").format(page=1, pages=1)
    assert "金明哲" in text and "人大代表" in text
    a4_width = PdfReader(BytesIO(shown_pdf(screen))).pages[0].mediabox.width

    screen.set_option("size", "a3")
    screen.set_language("ko")
    wait_preview(qtbot, screen)
    reader = PdfReader(BytesIO(shown_pdf(screen)))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(float(a4_width) * 2 ** 0.5,
                                                                  rel=0.01)
    assert "대표" in reader.pages[0].extract_text()


def test_sign_in_sheet_pages_navigation_and_save(qtbot, screen, session, tmp_path, monkeypatch):
    people = add_deputies(session)
    add_activity(session, title="代表集中学习", invited=people)
    screen.refresh()  # the activity came after the screen was built
    screen.select_document("sign-in-sheet")
    screen.set_option("blank", "120")  # long enough for several pages
    wait_preview(qtbot, screen)
    pages, text = pdf_text(shown_pdf(screen))
    assert pages > 1 and screen.preview.pages() == pages
    assert "代表集中学习" in text and "金明哲" in text
    screen.preview.setFocus()
    qtbot.keyClick(screen.preview, Qt.Key.Key_PageDown)
    assert screen.preview.current_page() == 1
    qtbot.waitUntil(lambda: screen.preview.idle(), timeout=10_000)
    assert screen.preview.page_label.text() == _("Page {page} / {pages}").format(
        page=2, pages=pages)
    qtbot.keyClick(screen.preview, Qt.Key.Key_PageUp)
    assert screen.preview.current_page() == 0
    screen.preview.set_zoom("page")
    qtbot.waitUntil(lambda: screen.preview.idle(), timeout=10_000)
    image = screen.preview.page.pixmap().deviceIndependentSize()
    assert image.height() <= screen.preview.scroll.viewport().height()

    out = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.keyClick(screen, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved_pages, saved_text = pdf_text(out.read_bytes())
    assert saved_pages == pages
    assert "代表集中学习" in saved_text and "金明哲" in saved_text


def test_no_activity_yet_shows_the_documents_message(qtbot, screen):
    screen.select_document("sign-in-sheet")
    wait_preview(qtbot, screen)
    assert not screen.preview.has_image()
    assert screen.preview.message.isVisible()
    assert screen.preview.message_text == screen.last_error
    assert "activity" in screen.last_error.lower() or "活动" in screen.last_error
    assert screen.preview.pages() == 0
    assert not screen.preview.next_button.isEnabled()


def test_a_bad_option_shows_its_message_in_the_preview(qtbot, screen):
    screen.select_document("reception-notice")
    wait_preview(qtbot, screen)
    screen.select_document("roster")
    screen._inputs["group"].addItem("没有这个小组", "没有这个小组")  # a group deleted meanwhile
    screen.set_option("group", "没有这个小组")
    wait_preview(qtbot, screen)
    assert screen.preview.message.isVisible()
    assert "没有这个小组" in screen.preview.message_text
    screen.set_option("group", "")
    wait_preview(qtbot, screen)
    assert screen.preview.has_image() and not screen.preview.message.isVisible()


def test_wall_set_writes_one_pdf_per_notice(qtbot, screen, session, tmp_path, monkeypatch):
    add_deputies(session)
    notices.add_rule(session, data={"title_zh": "接待选民制度", "body_zh": "一、每月接待。"})
    shown = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda parent, title, text, *a: shown.append(text))
    screen.select_document("wall-rules")
    screen.set_option("size", "a3")
    task = screen.print_wall_set(tmp_path / "wall")
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    assert task.error is None
    written = sorted(p.name for p in (tmp_path / "wall").iterdir())
    assert written == sorted(f"{n}.pdf" for n in WALL_NOTICES)
    assert [p.name for p in screen.wall_written] == [f"{n}.pdf" for n in WALL_NOTICES]
    rules = PdfReader(str(tmp_path / "wall" / "wall-rules.pdf"))
    assert "接待选民制度" in rules.pages[0].extract_text()
    assert float(rules.pages[0].mediabox.height) > 1100  # A3 (1191 pt), not A4 (842)
    assert str(len(WALL_NOTICES)) in shown[0]


def test_print_without_a_printer_offers_save_pdf(qtbot, screen, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinterInfo

    from station_desk.ui import printing

    monkeypatch.setattr(QPrinterInfo, "availablePrinters", staticmethod(lambda: []))
    asked = []

    def choose_save(parent, text):
        asked.append(text)
        return True

    monkeypatch.setattr(printing, "ask_save_instead", choose_save)
    out = tmp_path / "instead.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    screen.select_document("wall-workflow")
    assert screen.print_paper() is False
    assert asked == [_(printing.NO_PRINTER)]
    assert PdfReader(str(out)).pages


def test_print_language_follows_the_window_until_chosen(qtbot, screen):
    from station_desk.ui import language

    assert screen.print_language() == "zh_CN"
    try:
        language.apply_language("ko")
        screen.retranslate()
        assert screen.print_language() == "ko"
        assert screen.save_button.text() == _("Save PDF…")
        screen.set_language("bilingual")
        language.apply_language("en")
        screen.retranslate()
        assert screen.print_language() == "bilingual"
    finally:
        language.apply_language("zh_CN")


def test_wall_set_can_go_to_the_printer(qtbot, screen, session, tmp_path, monkeypatch):
    """With a printer (here Qt's PDF output behind the system dialog), the saved set
    is offered for printing: one dialog, one job per notice."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo

    from station_desk.ui import printing

    monkeypatch.setattr(QPrinterInfo, "availablePrinters",
                        staticmethod(lambda: [QPrinterInfo()]))
    printed = tmp_path / "printer-out.pdf"

    def exec_dialog(dialog):
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(printed))
        return 1

    monkeypatch.setattr(QPrintDialog, "exec", exec_dialog)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    jobs = []
    real = printing.paint_pdf
    monkeypatch.setattr(printing, "paint_pdf",
                        lambda device, pdf, **k: jobs.append(Path(pdf).name) or real(device, pdf,
                                                                                     **k))
    task = screen.print_wall_set(tmp_path / "wall")
    qtbot.waitUntil(lambda: len(jobs) == len(WALL_NOTICES), timeout=60_000)
    assert task.error is None
    assert jobs == [f"{n}.pdf" for n in WALL_NOTICES]
    last = PdfReader(str(tmp_path / "wall" / f"{WALL_NOTICES[-1]}.pdf"))
    assert len(PdfReader(str(printed)).pages) == len(last.pages)


def test_a_role_that_may_not_print_personal_data_sees_why(qtbot, session):
    session.role = "auditor"
    s = PrintCentreScreen(session)
    qtbot.addWidget(s)
    s.show()
    s.select_document("roster")
    wait_preview(qtbot, s)
    assert not s.preview.has_image() and s.preview.message.isVisible()
    assert s.last_error
    s.select_document("wall-workflow")  # no personal data: shown
    wait_preview(qtbot, s)
    assert s.preview.has_image()


def test_a_change_elsewhere_is_read_when_the_screen_is_shown_again(qtbot, screen, session):
    from station_desk.domain.changes import Changes

    screen.select_document("activity-notice")
    wait_preview(qtbot, screen)
    assert screen.preview.message.isVisible()  # no activity yet
    screen.hide()
    people = add_deputies(session)
    add_activity(session, title="视察调研", invited=people[:2])
    screen.on_changes(Changes.of("activities"))
    assert screen._inputs["activity"].count() == 0  # not read behind other screens
    screen.show()
    wait_preview(qtbot, screen)
    assert screen._inputs["activity"].count() == 1
    assert screen.preview.has_image()
    assert "视察调研" in pdf_text(shown_pdf(screen))[1]
