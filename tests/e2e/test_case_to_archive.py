"""End to end: in the main window a clerk registers a voter's matter with the keyboard,
walks it through sort, forward, handle, reply and archive with the step forms, and
saves its register form; the PDF read back holds the archive number, the voter's
words, the masked phone, the outcome and the satisfaction."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from station_desk.domain.cases import OUTCOME_LABELS, SATISFACTION_LABELS, Outcome, Satisfaction
from station_desk.i18n import gettext_for
from station_desk.services import cases
from tests.printing.conftest import MOBILE, page_texts, squeeze
from tests.ui.case_helpers import register_by_keyboard, walk_steps
from tests.ui.shell_helpers import chinese_afterwards, window  # noqa: F401 (fixtures)

WORDS = "村道结冰老人摔倒，请尽快撒融雪剂"


def test_a_case_from_the_register_form_to_the_archive_and_its_printed_form(
        window, session, qtbot, tmp_path, monkeypatch):
    window.show_screen("cases")
    screen = window.screen("cases")
    qtbot.waitExposed(screen)

    register_by_keyboard(qtbot, screen, name="崔顺姬", village="明东村", phone="13943312345",
                         category="help", words=WORDS)
    number = screen.detail.case["row"]["number"]
    assert screen.detail.case["row"]["words"] == WORDS
    assert "139****2345" in screen.detail.text() and "13943312345" not in screen.detail.text()

    walk_steps(qtbot, screen)
    case_id = screen.detail.case["row"]["id"]
    row = cases.case(session, case_id)["row"]
    assert row["state"] == "archived" and row["archive_no"] == "2026-0001"

    # the record in the database: one event per step, in order
    timeline = cases.case(session, case_id)["timeline"]
    assert [t["kind"] for t in timeline] == [
        "register", "sort", "forward", "handle", "reply", "archive"]

    # the register form of that case, saved from the screen in Chinese
    out = tmp_path / "case-form.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    zh_index = screen.detail.paper_lang.findData("zh_CN")
    assert zh_index >= 0
    screen.detail.paper_lang.setCurrentIndex(zh_index)
    qtbot.mouseClick(screen.detail.form_pdf_button, Qt.MouseButton.LeftButton)
    assert out.exists()
    text = "".join(page_texts(out))
    flat = squeeze(text)
    zh = gettext_for("zh_CN")
    assert number in flat and "2026-0001" in flat
    assert squeeze(WORDS) in flat
    assert "139****2345" in flat
    assert not MOBILE.search(text) and not re.search(r"1[3-9]\d{9}", flat)
    assert "■" + squeeze(zh(OUTCOME_LABELS[Outcome.SOLVED])) in flat
    assert "□" + squeeze(zh(OUTCOME_LABELS[Outcome.UNDER_WAY])) in flat
    assert "■" + squeeze(zh(SATISFACTION_LABELS[Satisfaction.SATISFIED])) in flat
    assert "□" + squeeze(zh(SATISFACTION_LABELS[Satisfaction.UNSATISFIED])) in flat
    assert "镇交通办" in flat and "已撒融雪剂" in flat
