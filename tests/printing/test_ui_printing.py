"""Save PDF and Print… from the window (pytest-qt, offscreen)."""
from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QMarginsF, QTimer
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from station_desk.i18n import _
from station_desk.services import documents
from station_desk.ui import printing
from tests.printing.conftest import add_deputies, page_texts, squeeze


def _answer_next_box(seen: list[str], tries: int = 200) -> None:
    """Read and close the next message box once it is shown."""
    def look(left=tries):
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        elif left:
            QTimer.singleShot(25, lambda: look(left - 1))
    QTimer.singleShot(0, look)


@pytest.fixture
def chosen(monkeypatch):
    """The file the user picks in the save dialog; records what was suggested."""
    state = {"answer": "", "suggested": None}

    def get_save_file_name(parent, caption, directory, filter_):
        state["suggested"] = directory
        return state["answer"], filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    return state


def test_save_pdf_suggests_a_name_in_documents_and_writes_it(qtbot, session, tmp_path, chosen):
    add_deputies(session, 2)
    chosen["answer"] = str(tmp_path / "名册")  # typed without .pdf
    path = printing.save_document(None, session, "roster", lang="ko")
    assert path == tmp_path / "名册.pdf"
    assert "金喆" in squeeze("".join(page_texts(path)))
    suggested = Path(chosen["suggested"])
    assert suggested.parent == printing.documents_folder()
    assert suggested.name == documents.default_file_name(session, "roster", lang="ko")


def test_cancelling_the_save_dialog_writes_nothing(qtbot, session, tmp_path, chosen):
    chosen["answer"] = ""
    assert printing.save_document(None, session, "roster", lang="zh_CN") is None
    assert list(tmp_path.glob("*.pdf")) == []


def test_an_unwritable_place_is_explained(qtbot, session, tmp_path, chosen):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    chosen["answer"] = str(blocker / "roster.pdf")
    seen: list[str] = []
    _answer_next_box(seen)
    assert printing.save_document(None, session, "roster", lang="zh_CN",
                                  options={"status": "all"}) is None
    assert len(seen) == 1 and "roster.pdf" in seen[0]


@pytest.mark.skipif(bool(QPrinterInfo.availablePrinters()), reason="this machine has a printer")
def test_print_without_a_printer_says_to_save_a_pdf(qtbot, session):
    seen: list[str] = []
    _answer_next_box(seen)
    assert printing.print_document(None, session, "roster", lang="zh_CN") is False
    assert seen == [_(printing.NO_PRINTER)]


def _roster_pdf(session, tmp_path, count=40) -> Path:
    add_deputies(session, count)
    out = tmp_path / "roster.pdf"
    documents.render(session, "roster", lang="zh_CN", options={}, out=out)
    return out


def test_pages_are_painted_one_per_device_page(qtbot, session, tmp_path):
    pdf = _roster_pdf(session, tmp_path)
    pages = len(PdfReader(str(pdf)).pages)
    assert pages >= 2
    target = tmp_path / "painted.pdf"
    writer = QPdfWriter(str(target))
    writer.setResolution(100)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)))
    assert printing.paint_pdf(writer, pdf) == pages
    del writer  # finishes the file
    painted = PdfReader(str(target))
    assert len(painted.pages) == pages
    box = painted.pages[0].mediabox
    assert float(box.width) > float(box.height)


def _ink_box(image: QImage) -> tuple[int, int, int, int]:
    xs, ys = [], []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y).lightness() < 128:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def test_a_landscape_page_is_turned_on_portrait_paper(qtbot, session, tmp_path):
    pdf = _roster_pdf(session, tmp_path, count=3)
    image = QImage(210, 297, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    assert printing.paint_pdf(image, pdf, pages=[0]) == 1
    left, top, right, bottom = _ink_box(image)
    assert bottom - top > right - left  # the long side of the page runs down the paper
