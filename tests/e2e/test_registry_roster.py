"""End to end: a clerk adds a deputy in the window, terminates the mandate, and
the printed roster shows it right (read back from the PDF)."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from station_desk.domain.deputies import (
    DEPUTY_STATUS_LABELS, LEVEL_LABELS, TERMINATION_LABELS, DeputyStatus, Level,
    TerminationGround,
)
from station_desk.i18n import gettext_for
from station_desk.services import documents, registry


def type_text(qtbot, widget, text: str) -> None:
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def pdf_text(path) -> str:
    """All text of the PDF with white space removed (table cells wrap)."""
    text = "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", "", text)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def window(qtbot, session):
    from station_desk.ui import language
    from station_desk.ui.main_window import MainWindow

    w = MainWindow(session, auto_backup=False)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()  # the exit backup runs in the background: wait for it
    qtbot.waitUntil(lambda: w._ready_to_close and not w.isVisible(), timeout=20000)
    language.apply_language("zh_CN")


def test_add_terminate_and_print_the_roster(window, session, qtbot, tmp_path, monkeypatch):
    questions = []

    def yes(parent, title, text, *args, **kwargs):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    screen = window.screen("registry")
    window.show_screen("registry")
    registry.create_deputy(session, data={"name": "王建国", "phone": "13943300002"},
                           mandates=[{"level": "township", "term": 18,
                                      "elected_on": "2021-11-20"}])
    screen.refresh()

    # add a deputy in the window (Ctrl+N)
    window.activateWindow()
    screen.table.setFocus()
    qtbot.waitUntil(screen.table.hasFocus)
    qtbot.keyClick(screen.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = screen.dialog
    assert form is not None and form.adding
    type_text(qtbot, form.name, "朴英玉")
    type_text(qtbot, form.name_ko, "박영옥")
    form.sex.setCurrentIndex(form.sex.findData("F"))
    type_text(qtbot, form.birth_date.line, "1980-05-06")
    type_text(qtbot, form.phone, "13843300099")
    type_text(qtbot, form.unit, "智新镇中心小学")
    form.mandate.level.setCurrentIndex(form.mandate.level.findData("county"))
    type_text(qtbot, form.mandate.term, "18")
    type_text(qtbot, form.mandate.elected_on.line, "2021-10-01")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)
    new_id = screen.current_id
    assert registry.deputy(session, new_id)["name"] == "朴英玉"

    # terminate the mandate: she resigned
    assert screen.detail.terminate_button.isEnabled()
    qtbot.mouseClick(screen.detail.terminate_button, Qt.MouseButton.LeftButton)
    dlg = screen.dialog
    dlg.ground.setCurrentIndex(dlg.ground.findData("resigned"))
    dlg.on.setText("2026-02-01")
    type_text(qtbot, dlg.doc_no, "龙人常〔2026〕3号")
    type_text(qtbot, dlg.detail, "迁居延吉市")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)
    assert any("朴英玉" in q for q in questions)
    assert registry.deputy(session, new_id)["status"] == "former"

    # Save roster PDF… in Chinese, from the screen
    out = tmp_path / "roster-zh.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    screen.paper_lang.setCurrentIndex(screen.paper_lang.findData("zh_CN"))
    qtbot.mouseClick(screen.pdf_button, Qt.MouseButton.LeftButton)
    assert out.exists()
    zh = gettext_for("zh_CN")
    text = pdf_text(out)
    assert "朴英玉" in text and "박영옥" in text and "王建国" in text
    assert "138****0099" in text and "13843300099" not in text
    assert squeeze(zh(DEPUTY_STATUS_LABELS[DeputyStatus.FORMER])) in text
    assert squeeze(zh(TERMINATION_LABELS[TerminationGround.RESIGNED])) in text
    assert "2026-02-01" in text
    assert squeeze(zh(DEPUTY_STATUS_LABELS[DeputyStatus.ACTIVE])) in text  # 王建国

    # the same roster in both scripts, headless through the same document code
    both = documents.render(session, "roster", lang="bilingual", options={"status": "former"},
                            out=tmp_path / "roster-bilingual.pdf")
    text = pdf_text(both)
    assert "朴英玉" in text and "王建国" not in text
    for lang in ("zh_CN", "ko"):
        tr = gettext_for(lang)
        assert squeeze(tr(TERMINATION_LABELS[TerminationGround.RESIGNED])) in text
        assert squeeze(tr(LEVEL_LABELS[Level.COUNTY])) in text
