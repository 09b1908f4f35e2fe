"""The one bundled font, registered with reportlab on first use.

Only the TrueType subset in ``resources/fonts/`` is used: never reportlab's CID
fonts (not embedded, no Hangul) and never fonts installed on the PC, so a
form prints the same everywhere.  reportlab is imported inside the functions:
this module may be imported at start-up without paying for it.
"""
from __future__ import annotations

import threading
from pathlib import Path

from station_desk import paths

FONT_FILE = "WenQuanYiMicroHei-subset.ttf"
FAMILY = "WenQuanYi Micro Hei"
# reportlab's name for the face; the "-Bold" name maps to the same outlines so
# that <b> markup never fails (the font has no bold; titles use a stroke).
FONT = "WQYMicroHei"
FONT_BOLD = "WQYMicroHei-Bold"

_lock = threading.Lock()
_registered = False


class FontMissing(FileNotFoundError):
    """The bundled font file is not where the program expects it."""


def font_path() -> Path:
    """Where the bundled TrueType font lives (also used by Qt)."""
    return paths.resources_dir() / "fonts" / FONT_FILE


def register() -> str:
    """Register the bundled font with reportlab (once) and return its name."""
    global _registered
    if _registered:
        return FONT
    with _lock:
        if _registered:
            return FONT
        path = font_path()
        if not path.is_file():
            raise FontMissing(f"bundled font not found: {path}")
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(FONT, str(path)))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(path)))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT, bold, italic, FONT_BOLD if bold else FONT)
        _registered = True
    return FONT


def text_width(text: str, size: float, font: str = FONT) -> float:
    """Width in points of ``text`` set on one line in the bundled font."""
    register()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)
