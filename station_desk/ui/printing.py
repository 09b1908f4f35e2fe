""""Save PDF" and "Print…" for every document of ``services.documents``.

Printing renders the same PDF as Save PDF, then paints its pages onto the
printer the user chose in the system's print dialog (pages rasterised by
pdfium), so paper and PDF never differ.
"""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

from PySide6.QtCore import QRectF, QSizeF, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPaintDevice
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from station_desk.domain.errors import DomainError, N_
from station_desk.i18n import _
from station_desk.services import documents
from station_desk.services.session import Session
from station_desk.ui.widgets.errors import show_error

MAX_DPI = 300  # enough for forms; keeps a page image under ~30 MB

NO_PRINTER = N_("No printer is set up on this computer. Use \"Save PDF\" instead and "
                "print the file from a computer that has a printer.")


class PrintFailed(DomainError):
    msgid = N_("The printer could not be started. Check that it is switched on, or use Save PDF.")


def documents_folder() -> Path:
    """The user's Documents folder (home when the platform names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


@contextlib.contextmanager
def _busy() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def save_document(parent: QWidget | None, session: Session, name: str, *, lang: str,
                  options: dict | None = None) -> Path | None:
    """Ask where to save, render document ``name`` there; the path, or None
    when the user cancelled or it could not be written (already explained)."""
    try:
        suggested = documents_folder() / documents.default_file_name(session, name, lang=lang)
    except DomainError as exc:
        show_error(parent, exc, _("Not saved"))
        return None
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, _("Save PDF"), str(suggested), _("PDF files (*.pdf)"))
    if not chosen:
        return None
    out = Path(chosen)
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    try:
        with _busy():
            documents.render(session, name, lang=lang, options=options, out=out)
    except (DomainError, OSError) as exc:
        show_error(parent, exc, _("Not saved"))
        return None
    return out


def print_document(parent: QWidget | None, session: Session, name: str, *, lang: str,
                   options: dict | None = None) -> bool:
    """Render document ``name`` and print it through the system's print
    dialog; True when pages were sent to a printer."""
    if not QPrinterInfo.availablePrinters():
        if ask_save_instead(parent, _(NO_PRINTER)):
            save_document(parent, session, name, lang=lang, options=options)
        return False
    with tempfile.TemporaryDirectory(prefix="station_desk-print-") as tmp:
        pdf = Path(tmp) / "document.pdf"
        try:
            with _busy():
                documents.render(session, name, lang=lang, options=options, out=pdf,
                                 record=False)  # recorded below, once it is printed
                sizes = pdf_page_sizes(pdf)
        except (DomainError, OSError) as exc:
            show_error(parent, exc, _("Not printed"))
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(_(documents.document(name).label))
        printer.setFullPage(True)
        if sizes:
            _match_paper(printer, *sizes[0])
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(_("Print"))
        dialog.setMinMax(1, max(1, len(sizes)))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        pages = _chosen_pages(printer, len(sizes))
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        try:
            with _busy():
                paint_pdf(printer, pdf, pages=list(pages) * copies)
        except (DomainError, OSError) as exc:
            _record_print(session, name, lang, options, len(pages), copies, printer, "failed")
            show_error(parent, exc, _("Not printed"))
            return False
    _record_print(session, name, lang, options, len(pages), copies, printer, "ok")
    return True


def _record_print(session: Session, name: str, lang: str, options: dict | None, pages: int,
                  copies: int, printer: QPrinter, result: str) -> None:
    try:
        documents.record_print(session, name, lang=lang, options=options, pages=pages,
                               copies=max(copies, printer.copyCount()),
                               printer=printer.printerName(), result=result)
    except DomainError as exc:  # printed, but the trail could not take the row
        show_error(None, exc, _("Not recorded"))


def print_files(parent: QWidget | None, pdfs: Sequence[Path], *, title: str) -> bool:
    """Print PDF files already written (the wall set) through one print dialog:
    the printer and its settings are chosen once, each file is its own job.
    False when there is no printer or the user cancelled."""
    pdfs = [Path(p) for p in pdfs]
    if not pdfs:
        return False
    if not QPrinterInfo.availablePrinters():
        QMessageBox.information(parent, _("No printer"), _(NO_PRINTER))
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    sizes = pdf_page_sizes(pdfs[0])
    if sizes:
        _match_paper(printer, *sizes[0])
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    try:
        with _busy():
            for pdf in pdfs:
                printer.setDocName(f"{title} – {pdf.stem}")
                count = len(pdf_page_sizes(pdf))
                paint_pdf(printer, pdf, pages=list(range(count)) * copies)
    except (DomainError, OSError) as exc:
        show_error(parent, exc, _("Not printed"))
        return False
    return True


def ask_save_instead(parent: QWidget | None, text: str) -> bool:
    """Tell that nothing can be printed here and offer Save PDF; True when chosen."""
    Button = QMessageBox.StandardButton
    answer = QMessageBox.information(parent, _("No printer"), text,
                                     Button.Save | Button.Close, Button.Save)
    return answer == Button.Save


def _match_paper(printer: QPrinter, width_pt: float, height_pt: float) -> None:
    """Preselect the PDF's paper size (A4/A3) and orientation in the dialog."""
    size = QPageSize(QSizeF(min(width_pt, height_pt), max(width_pt, height_pt)),
                     QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyOrientationMatch)
    printer.setPageSize(size)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if width_pt > height_pt
                               else QPageLayout.Orientation.Portrait)


def _chosen_pages(printer: QPrinter, count: int) -> range:
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(count, printer.toPage() or count)
        return range(first - 1, last)
    return range(count)


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of each page."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [tuple(doc[i].get_size()) for i in range(len(doc))]
    finally:
        doc.close()


def paint_pdf(device: QPaintDevice, pdf: Path, *, pages: Sequence[int] | None = None,
              max_dpi: int = MAX_DPI) -> int:
    """Paint pages of ``pdf`` onto ``device`` (a QPrinter, QPdfWriter or
    QImage), one page per device page, each scaled to fit and centred, turned
    a quarter when the paper's orientation differs.  Returns pages painted."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    painter = QPainter()
    if not painter.begin(device):
        doc.close()
        raise PrintFailed()
    painted = 0
    try:
        indexes = list(range(len(doc))) if pages is None else list(pages)
        for n, index in enumerate(indexes):
            if n:
                device.newPage()
            target = QRectF(painter.viewport())
            page = doc[index]
            w_pt, h_pt = page.get_size()
            rotation = 0
            if (w_pt > h_pt) != (target.width() > target.height()):
                rotation, w_pt, h_pt = 270, h_pt, w_pt  # landscape on portrait paper: top to the left
            fit = min(target.width() / w_pt, target.height() / h_pt)  # device px per point
            scale = min(fit, max_dpi / 72)
            bitmap = page.render(scale=scale, rotation=rotation, rev_byteorder=True,
                                 optimize_mode="print")
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888 if bitmap.n_channels == 3
                           else QImage.Format.Format_RGBA8888).copy()
            page.close()
            w, h = w_pt * fit, h_pt * fit
            dest = QRectF(target.x() + (target.width() - w) / 2,
                          target.y() + (target.height() - h) / 2, w, h)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(dest, image)
            painted += 1
    finally:
        painter.end()
        doc.close()
    return painted
