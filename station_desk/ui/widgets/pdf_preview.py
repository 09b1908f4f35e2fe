"""A PDF shown page by page, as it will print: page x / y, previous / next,
fit width or fit page; or a message in its place (a document that cannot be
made yet says why there).

Pages are rasterised by pdfium on a worker thread (``ui.tasks``) from the PDF
bytes held in memory; only the page shown is rendered, at the size the view
needs, and a finished image is kept until the size or the document changes.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from shiboken6 import isValid
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout,
    QWidget,
)

from station_desk.i18n import N_, _
from station_desk.ui import tasks

FIT_WIDTH, FIT_PAGE = "width", "page"
ZOOMS = ((FIT_WIDTH, N_("Fit width")), (FIT_PAGE, N_("Fit page")))
MAX_SCALE = 4.0  # pixels per point: 288 dpi, enough for any zoom on a screen
# pdfium is not thread-safe: one page at a time, whichever thread asks
PDFIUM_LOCK = threading.Lock()


def page_count(data: bytes) -> tuple[int, list[tuple[float, float]]]:
    """The number of pages of a PDF and each page's (width, height) in points."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            sizes = [tuple(doc[i].get_size()) for i in range(len(doc))]
        finally:
            doc.close()
    return len(sizes), sizes


def render_page(data: bytes, index: int, *, width_px: int | None = None,
                scale: float | None = None) -> QImage:
    """Page ``index`` of the PDF ``data`` as an image ``width_px`` wide (or at
    ``scale`` pixels per point).  Safe on a worker thread (QImage, not QPixmap)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            page = doc[index]
            w_pt, _h = page.get_size()
            if scale is None:
                scale = (width_px or 600) / w_pt
            bitmap = page.render(scale=min(max(scale, 0.05), MAX_SCALE), rev_byteorder=True,
                                 may_draw_forms=False)
            fmt = (QImage.Format.Format_RGB888 if bitmap.n_channels == 3
                   else QImage.Format.Format_RGBA8888)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
            bitmap.close()  # here, under the lock, not by a finaliser on another thread
            page.close()
        finally:
            doc.close()
    return image


class _Page(QLabel):
    """The page image on a light grey desk, with a thin shadow-like frame."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: white; border: 1px solid #b8bec8;")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)


class PdfPreview(QWidget):
    """``set_pdf(bytes)`` shows the first page; ``set_message(text)`` shows a
    message instead; ``set_busy()`` says a new version is being made."""

    page_shown = Signal(int)  # index of the page now on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: bytes | None = None
        self._sizes: list[tuple[float, float]] = []
        self._index = 0
        self._zoom = FIT_WIDTH
        self._images: dict[tuple[int, int], QImage] = {}  # (page, width px) -> image
        self._task: tasks.Task | None = None
        self._wanted: tuple[int, int] | None = None
        self._generation = 0
        self.message_text = ""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        self.prev_button = QToolButton()
        self.prev_button.setObjectName("preview_prev")
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button = QToolButton()
        self.next_button.setObjectName("preview_next")
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.clicked.connect(self.next_page)
        self.page_label = QLabel()
        self.page_label.setObjectName("preview_page")
        self.page_label.setMinimumWidth(90)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom = QComboBox()
        self.zoom.setObjectName("preview_zoom")
        for value, msgid in ZOOMS:
            self.zoom.addItem(_(msgid), value)
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        self.status = QLabel()
        self.status.setObjectName("preview_status")
        self.status.setStyleSheet("color: palette(mid);")
        bar.addWidget(self.prev_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        bar.addSpacing(12)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.zoom)
        layout.addLayout(bar)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("preview_area")
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll.setStyleSheet("QScrollArea { background: #dde1e6; }")
        self.scroll.viewport().setStyleSheet("background: #dde1e6;")
        self.page = _Page()
        self.page.setObjectName("preview_image")
        self.message = QLabel()
        self.message.setObjectName("preview_message")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet(
            "QLabel { background: #fff8e6; border: 1px solid #e0c27a; border-radius: 6px;"
            " padding: 18px; color: #5a4300; }")
        holder = QWidget()
        holder.setStyleSheet("background: #dde1e6;")
        hbox = QVBoxLayout(holder)
        hbox.setContentsMargins(12, 12, 12, 12)
        hbox.addWidget(self.page, 0, Qt.AlignmentFlag.AlignHCenter)
        hbox.addWidget(self.message)
        hbox.addStretch(1)
        self.scroll.setWidget(holder)
        self.scroll.setWidgetResizable(True)
        layout.addWidget(self.scroll, 1)

        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(120)
        self._resize_timer.timeout.connect(self._show_current)
        for key, slot in ((QKeySequence.StandardKey.MoveToPreviousPage, self.previous_page),
                          (QKeySequence.StandardKey.MoveToNextPage, self.next_page)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        self.page.hide()
        self.message.hide()
        self.retranslate()
        self._update_bar()

    # -- what is shown
    def retranslate(self) -> None:
        for i, (_value, msgid) in enumerate(ZOOMS):
            self.zoom.setItemText(i, _(msgid))
        self.prev_button.setToolTip(_("Previous page (PgUp)"))
        self.next_button.setToolTip(_("Next page (PgDn)"))
        self._update_bar()

    def set_pdf(self, data: bytes, sizes: list[tuple[float, float]] | None = None,
                keep_page: bool = True) -> None:
        """Show ``data`` (a PDF); the page shown stays where it was if it still exists."""
        self._generation += 1
        self._data = data
        self._sizes = sizes if sizes is not None else page_count(data)[1]
        self._images.clear()
        if not keep_page or self._index >= len(self._sizes):
            self._index = 0
        self.message_text = ""
        self.message.hide()
        self.status.setText("")
        self._show_current()

    def set_message(self, text: str) -> None:
        """Show ``text`` where the pages would be (no pages)."""
        self._generation += 1
        self._data = None
        self._sizes = []
        self._images.clear()
        self._index = 0
        self.message_text = text
        self.page.hide()
        self.message.setText(text)
        self.message.show()
        self.status.setText("")
        self._update_bar()

    def set_busy(self, busy: bool = True) -> None:
        self.status.setText(_("Making the preview…") if busy else "")

    def pages(self) -> int:
        return len(self._sizes)

    def current_page(self) -> int:
        """The index of the page shown (0-based)."""
        return self._index

    def has_image(self) -> bool:
        """Whether the page on screen is a rendered image of the current document."""
        return self.page.isVisible() and self.page.pixmap() is not None \
            and not self.page.pixmap().isNull()

    def idle(self) -> bool:
        """No page is being rendered (for tests and screenshots)."""
        return self._task is None

    # -- navigation
    def previous_page(self) -> None:
        self.go_to(self._index - 1)

    def next_page(self) -> None:
        self.go_to(self._index + 1)

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self._sizes) and index != self._index:
            self._index = index
            self._show_current()

    def set_zoom(self, zoom: str) -> None:
        self.zoom.setCurrentIndex(max(self.zoom.findData(zoom), 0))

    def _zoom_changed(self, _i: int) -> None:
        self._zoom = self.zoom.currentData() or FIT_WIDTH
        self._show_current()

    def _update_bar(self) -> None:
        count = len(self._sizes)
        self.page_label.setText(_("Page {page} / {pages}").format(page=self._index + 1,
                                                                  pages=count) if count else "")
        self.prev_button.setEnabled(count > 0 and self._index > 0)
        self.next_button.setEnabled(count > 0 and self._index < count - 1)
        self.zoom.setEnabled(count > 0)

    # -- rendering
    def _target_width(self) -> int:
        """The page's width on screen, in device pixels, for the zoom chosen."""
        w_pt, h_pt = self._sizes[self._index]
        view = self.scroll.viewport().size()
        avail_w = max(120, view.width() - 24 - 2 - self.scroll.verticalScrollBar().sizeHint().width())
        avail_h = max(120, view.height() - 24 - 2)
        if self._zoom == FIT_PAGE:
            width = min(avail_w, avail_h * w_pt / h_pt)
        else:
            width = avail_w
        return max(100, int(width))

    def _show_current(self) -> None:
        self._update_bar()
        if self._data is None or not self._sizes:
            return
        width = self._target_width()
        key = (self._index, width)
        image = self._images.get(key)
        if image is not None:
            self._put(image, width)
            return
        # meanwhile the last image of this page (another size) stands in, scaled
        stand_in = next((im for (i, _w), im in self._images.items() if i == self._index), None)
        if stand_in is not None:
            self._put(stand_in, width)
        self._wanted = key
        self._start_render()

    def _start_render(self) -> None:
        if self._task is not None or self._wanted is None or self._data is None:
            return
        index, width = self._wanted
        ratio = self.devicePixelRatioF() or 1.0
        generation = self._generation
        # callbacks connected by start(), before the task can finish
        self._task = tasks.start(
            render_page, self._data, index, width_px=int(width * ratio),
            on_finished=lambda image, k=(index, width), g=generation: self._rendered(k, g, image),
            on_failed=lambda exc, g=generation: self._render_failed(g, exc))

    def _rendered(self, key: tuple[int, int], generation: int, image: QImage) -> None:
        if not isValid(self):  # the widget went while the worker ran
            return
        self._task = None
        if generation == self._generation:
            image.setDevicePixelRatio(self.devicePixelRatioF() or 1.0)
            self._images[key] = image
            if key[0] == self._index:
                self._put(image, key[1])
                self.page_shown.emit(self._index)
        self._next_render()

    def _render_failed(self, generation: int, exc: BaseException) -> None:
        if not isValid(self):
            return
        self._task = None
        if generation == self._generation:
            from station_desk.ui.widgets.errors import message_of

            self.set_message(message_of(exc))
        self._next_render()

    def _next_render(self) -> None:
        """Render what was asked for while the last page was being made."""
        if self._wanted is not None and self._wanted in self._images:
            self._wanted = None
        if self._wanted is not None and self._data is not None:
            self._start_render()

    def _put(self, image: QImage, width: int) -> None:
        w_pt, h_pt = self._sizes[self._index]
        size = QSize(width, int(round(width * h_pt / w_pt)))
        pixmap = QPixmap.fromImage(image)
        if pixmap.deviceIndependentSize().toSize() != size:
            pixmap = pixmap.scaled(size * pixmap.devicePixelRatio(),
                                   Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.page.setFixedSize(size.width() + 2, size.height() + 2)
        self.page.setPixmap(pixmap)
        self.page.show()
        self.message.hide()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._data is not None:
            self._resize_timer.start()
