"""A deputy's photo (or a neat placeholder) and reading a photo file for saving."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from station_desk.domain.errors import DomainError
from station_desk.domain.validation import MAX_PHOTO_BYTES
from station_desk.i18n import N_, _

MAX_PHOTO_SIDE = 600


class NotAnImage(DomainError):
    msgid = N_("The file {name} is not a photo that can be read. Choose a JPEG or PNG image.")


class PhotoTooLarge(DomainError):
    msgid = N_("The file {name} is too large (at most 20 MB).")


def photo_file_filter() -> str:
    return _("Photos (*.jpg *.jpeg *.png);;All files (*)")


def load_photo(path: str | Path) -> bytes:
    """Read an image file, turn it upright, scale it to at most 600 px and
    encode it as JPEG (PNG when it has transparency).

    Raises NotAnImage for a file that is not a readable image."""
    path = Path(path)
    if path.stat().st_size > 20 * 1024 * 1024:
        raise PhotoTooLarge(name=path.name)
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # phone photos are often rotated by EXIF only
    image = reader.read()
    if image.isNull():
        raise NotAnImage(name=path.name)
    return encode_photo(image)


def encode_photo(image: QImage) -> bytes:
    if max(image.width(), image.height()) > MAX_PHOTO_SIDE:
        image = image.scaled(MAX_PHOTO_SIDE, MAX_PHOTO_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    fmt = "PNG" if image.hasAlphaChannel() else "JPEG"
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, fmt, 88 if fmt == "JPEG" else -1)
    buf.close()
    out = bytes(data)
    if len(out) > MAX_PHOTO_BYTES:  # a PNG with alpha could still be large
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "JPEG", 85)
        buf.close()
        out = bytes(data)
    return out


class PhotoLabel(QWidget):
    """Shows a photo scaled into a 3:4 frame, or the person's initial on grey."""

    def __init__(self, parent: QWidget | None = None, width: int = 120) -> None:
        super().__init__(parent)
        self._size = QSize(width, width * 4 // 3)
        self.setFixedSize(self._size)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._pixmap: QPixmap | None = None
        self._name = ""
        self._caption = ""

    def sizeHint(self) -> QSize:  # noqa: N802
        return self._size

    def has_photo(self) -> bool:
        return self._pixmap is not None

    def set_photo(self, data: bytes | None, name: str = "") -> None:
        self._name = name or ""
        self._pixmap = None
        if data:
            pm = QPixmap()
            if pm.loadFromData(data):
                self._pixmap = pm
        self._caption = _("No photo")
        self.setToolTip("" if self._pixmap else self._caption)
        self.update()

    def retranslate(self) -> None:
        self._caption = _("No photo")
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        clip = QPainterPath()
        clip.addRoundedRect(rect, 6, 6)
        p.setClipPath(clip)
        if self._pixmap is not None:
            scaled = self._pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                         Qt.TransformationMode.SmoothTransformation)
            x = (scaled.width() - self.width()) // 2
            y = (scaled.height() - self.height()) // 2
            p.drawPixmap(0, 0, scaled, x, y, self.width(), self.height())
        else:
            p.fillRect(rect, QColor("#e8ecf1"))
            initial = self._name[:1]
            if initial:
                f = QFont(self.font())
                f.setPixelSize(self.height() // 3)
                p.setFont(f)
                p.setPen(QColor("#8a97a8"))
                p.drawText(rect.adjusted(0, -self.height() // 8, 0, 0),
                           Qt.AlignmentFlag.AlignCenter, initial)
            f = QFont(self.font())
            f.setPixelSize(max(11, self.height() // 14))
            p.setFont(f)
            p.setPen(QColor("#8a97a8"))
            p.drawText(rect.adjusted(4, 0, -4, -8),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                       self._caption or _("No photo"))
        p.setClipping(False)
        p.setPen(QColor("#c5ccd6"))
        p.drawRoundedRect(rect, 6, 6)
        p.end()
