"""The page layout every printed document shares.

A document module builds a list of flowables (its body) with the helpers here
and hands it to :func:`render` with a :class:`PageSetup`; this module adds the
rest: the title block on the first page (station name, title, subtitle), a
running header on later pages, and on every page a footer with the print date
and "page x / y".

Languages: ``lang`` is ``zh_CN``, ``ko``, ``en`` or ``bilingual``.  Bilingual
prints Chinese and Korean at the same size, in the station's
``bilingual_order`` ("zh-ko" or "ko-zh").  Every label goes through
``i18n.gettext_for``; :class:`PrintLanguage` gives one text per language.

Helpers: :func:`data_table` (grid table filling the width, header row
repeated on every page), :func:`cell` and :class:`FitText` (text that shrinks
to fit one line, then wraps — the rule for every fixed-width box),
:func:`break_lines` and :func:`measure` (fast line breaking and widths from
cached character widths: Chinese between characters but not before closing
punctuation, Korean and Latin at spaces; tables use them to hand wrapped
cells to reportlab as plain multi-line strings, which costs a fraction of a
Paragraph), :func:`para` (escaped Paragraph; Chinese wraps by the CJK rules,
Korean and Latin at spaces), :class:`Heading` (equal-size title lines),
:func:`iso`.

A new document::

    pl = layout.print_language(lang, station)
    setup = layout.PageSetup(title=N_("Sign-in sheet"), lang=pl, station=station,
                             printed_on=today, subtitle=(...,))
    st = layout.styles(setup.body_size)
    table = layout.data_table([layout.cell(pl.texts(N_("Name")), st.head), ...], rows,
                              [3, 10, ...], total_width=setup.frame_width, st=st)
    pdf_bytes = layout.render(setup, [table], st=st)

This module imports reportlab at module level: import it only when printing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from typing import Callable, Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A3, A4, landscape as _landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from station_desk import i18n
from station_desk.i18n import N_
from station_desk.printing import fonts

PAGE_SIZES = {"A4": A4, "A3": A3}
BILINGUAL = "bilingual"
INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#333333")
HEAD_FILL = colors.HexColor("#e8e8e8")

GAP = "&nbsp;" * 6  # a visible gap between items of a line, in Paragraph markup

MSG_PAGE = N_("Page {page} / {pages}")
MSG_PRINTED = N_("Printed on {date}")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


# -- languages ---------------------------------------------------------------

class PrintLanguage:
    """The language(s) a document is printed in.

    ``languages`` holds one code (``zh_CN``/``ko``/``en``) or, for bilingual,
    ``zh_CN`` and ``ko`` in the station's order."""

    def __init__(self, lang: str, *, bilingual_order: str = "zh-ko") -> None:
        if lang == BILINGUAL:
            self.code = BILINGUAL
            self.languages: tuple[str, ...] = (
                ("ko", "zh_CN") if bilingual_order == "ko-zh" else ("zh_CN", "ko"))
        else:
            self.code = i18n.normalise(lang)
            self.languages = (self.code,)
        self._gettext = {code: i18n.gettext_for(code) for code in self.languages}

    @property
    def bilingual(self) -> bool:
        return self.code == BILINGUAL

    @property
    def primary(self) -> str:
        return self.languages[0]

    def tr(self, msgid: str, **params: object) -> str:
        """``msgid`` in the primary language, with ``params`` filled in."""
        return _fill(self._gettext[self.primary](msgid), params)

    def texts(self, msgid: str, *, zh: str | None = None, **params: object) -> list[str]:
        """``msgid`` in each language, in print order; identical texts once.

        ``zh`` is the official Chinese wording of a code-list label, used when
        the Chinese catalog has no translation yet."""
        out: list[str] = []
        for code in self.languages:
            text = self._gettext[code](msgid)
            if code == "zh_CN" and zh and text == msgid:
                text = zh
            text = _fill(text, params)
            if text not in out:
                out.append(text)
        return out

    def dates(self, d: date | datetime | str | None) -> list[str]:
        """A date written out in each language (2026年3月9日 / 2026년 3월 9일)."""
        out: list[str] = []
        for code in self.languages:
            text = i18n.format_date(d, code)
            if text not in out:
                out.append(text)
        return out

    def station_names(self, station: dict) -> list[str]:
        """The station's name as each language prints it (Chinese for English)."""
        zh = (station.get("name_zh") or "").strip()
        ko = (station.get("name_ko") or "").strip() or zh
        out: list[str] = []
        for code in self.languages:
            name = ko if code == "ko" else zh
            if name and name not in out:
                out.append(name)
        return out

    def pick(self, zh: str | None, ko: str | None) -> list[str]:
        """A value kept in two scripts (e.g. a group name), per language."""
        zh, ko = (zh or "").strip(), (ko or "").strip()
        out: list[str] = []
        for code in self.languages:
            value = (ko or zh) if code == "ko" else zh
            if value and value not in out:
                out.append(value)
        return out


def _fill(text: str, params: dict) -> str:
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def print_language(lang: str, station: dict | None = None) -> PrintLanguage:
    """The PrintLanguage for ``lang`` (``zh`` is accepted for zh_CN)."""
    order = (station or {}).get("bilingual_order") or "zh-ko"
    return PrintLanguage(lang, bilingual_order=order)


def iso(d: date | datetime | str | None) -> str:
    """A compact, language-neutral date for table cells: 2026-03-09."""
    if d is None or d == "":
        return ""
    if isinstance(d, (date, datetime)):
        return d.isoformat()[:10]
    return str(d)[:10]


# -- styles ------------------------------------------------------------------

@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a document, all in the bundled font."""

    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    head: ParagraphStyle
    subtitle: ParagraphStyle
    station: ParagraphStyle
    name: ParagraphStyle        # a person's name in a table cell
    reading: ParagraphStyle     # the Korean reading printed under the name


def styles(size: float = 9) -> Styles:
    """Styles for body text of ``size`` points (tables use the same size)."""
    font = fonts.register()
    lead = round(size * 1.28, 1)
    base = ParagraphStyle("body", fontName=font, fontSize=size, leading=lead,
                          textColor=INK, alignment=TA_LEFT)
    return Styles(
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=size - 1, leading=lead - 1.3,
                             textColor=GREY),
        cell=ParagraphStyle("cell", parent=base),
        cell_center=ParagraphStyle("cell_center", parent=base, alignment=TA_CENTER),
        head=ParagraphStyle("head", parent=base, alignment=TA_CENTER),
        subtitle=ParagraphStyle("subtitle", parent=base, fontSize=size + 0.5,
                                leading=lead + 1, alignment=TA_CENTER, textColor=GREY),
        station=ParagraphStyle("station", parent=base, fontSize=size + 3,
                               leading=(size + 3) * 1.35, alignment=TA_CENTER),
        name=ParagraphStyle("name", parent=base, fontSize=size + 0.5,
                            leading=(size + 0.5) * 1.25, alignment=TA_CENTER),
        reading=ParagraphStyle("reading", parent=base, fontSize=size - 0.5,
                               leading=(size - 0.5) * 1.25, alignment=TA_CENTER,
                               textColor=GREY),
    )


_cjk_styles: dict[int, ParagraphStyle] = {}


def _style_for(text: str, style: ParagraphStyle) -> ParagraphStyle:
    # Chinese wraps by the CJK rules (no line starts with "，" or "。");
    # Korean and Latin wrap at spaces, splitting only words wider than the cell.
    if not _HAN.search(text):
        return style
    cjk = _cjk_styles.get(id(style))
    if cjk is None or cjk.parent is not style:
        if len(_cjk_styles) > 512:  # styles are made per document: keep the cache small
            _cjk_styles.clear()
        cjk = ParagraphStyle(style.name + "-cjk", parent=style, wordWrap="CJK")
        _cjk_styles[id(style)] = cjk
    return cjk


def markup(text: str | None) -> str:
    """Plain text made safe for Paragraph markup (line breaks kept)."""
    return escape(text or "").replace("\n", "<br/>")


def lines(texts: Iterable[str | None]) -> str:
    """Several plain texts as Paragraph markup, one per line."""
    return "<br/>".join(markup(t) for t in texts if t)


def para(text: str | None, style: ParagraphStyle, *, is_markup: bool = False) -> Paragraph:
    """A Paragraph of plain ``text`` (escaped unless ``is_markup``)."""
    source = (text or "") if is_markup else markup(text)
    return Paragraph(source, _style_for(source, style))


def fit_font_size(text: str, width: float, size: float, min_size: float,
                  font: str = fonts.FONT) -> float:
    """The largest size from ``size`` down to ``min_size`` at which ``text``
    fits ``width`` on one line; ``min_size`` when none does."""
    natural = fonts.text_width(text, size, font)
    if natural <= width or natural == 0:
        return size
    return max(min_size, size * width / natural)


class FitText(Flowable):
    """Text for a box of fixed width: shrink-to-fit, then wrap.

    1. If the longest line fits the width at a size down to ``min_size``,
       it is set on one line at the largest such size.
    2. Otherwise it wraps at the full size (shrunk only as far as needed
       for its longest word to fit, never below ``floor_size``), so no
       word is split.
    3. With ``max_height`` (a box that cannot grow), the wrapped text keeps
       shrinking down to ``floor_size`` until it fits the height.

    ``text`` is plain text; "\\n" separates lines (e.g. the two languages
    of a bilingual cell).  With ``min_size`` equal to the style's size it is
    an ordinary wrapping cell.  Lines that fit are drawn directly, without
    the cost of a Paragraph."""

    def __init__(self, text: str, style: ParagraphStyle, *, min_size: float | None = None,
                 max_height: float | None = None, floor_size: float = 5.0) -> None:
        super().__init__()
        self.text = text or ""
        self.style = style
        self.min_size = min_size if min_size is not None else style.fontSize * 0.8
        self.max_height = max_height
        self.floor_size = min(floor_size, self.min_size)
        self._para: Paragraph | None = None
        self._lines: list[str] = []
        self._for_width: float | None = None
        self.size = style.fontSize

    def _at(self, size: float) -> Paragraph:
        scale = size / self.style.fontSize
        st = ParagraphStyle(f"{self.style.name}-fit", parent=self.style, fontSize=size,
                            leading=self.style.leading * scale)
        return para(self.text, st)

    def choose_size(self, width: float) -> float:
        """The font size rule 1 or 2 gives for ``width``."""
        font, full = self.style.fontName, self.style.fontSize
        natural = full * max(measure(t, font) for t in self.text.split("\n"))
        if natural <= width:
            return full
        if full * width / natural >= self.min_size:
            return full * width / natural
        words = [w for w in self.text.split() if not _HAN.search(w)]
        if not words:
            return full
        longest_word = max(words, key=lambda t: measure(t, font))
        return fit_font_size(longest_word, width, full, self.floor_size, font)

    def plain_lines(self, width: float) -> tuple[float, list[str]]:
        """The size rules 1 and 2 give for ``width`` and the lines at that size,
        broken by :func:`break_lines`: what a table draws as a plain string."""
        size = self.choose_size(width)
        font = self.style.fontName
        lines_ = self.text.split("\n")
        if all(measure(t, font) * size <= width + 1e-6 for t in lines_):
            return size, lines_
        return size, break_lines(self.text, width, size, font)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._for_width == avail_width:  # tables ask again on every page
            return avail_width, self.height
        size = self.choose_size(avail_width)
        leading = self.style.leading * size / self.style.fontSize
        lines_ = self.text.split("\n") if self.text else []
        font = self.style.fontName
        if all(fonts.text_width(t, size, font) <= avail_width for t in lines_) and (
                self.max_height is None or leading * len(lines_) <= self.max_height):
            self._para, self._lines, h = None, lines_, leading * len(lines_)
        else:
            p = self._at(size)
            _, h = p.wrap(avail_width, avail_height)
            while self.max_height is not None and h > self.max_height and size > self.floor_size:
                size = max(self.floor_size, size - 0.5)
                p = self._at(size)
                _, h = p.wrap(avail_width, avail_height)
            self._para, self._lines = p, []
        self.size, self._for_width = size, avail_width
        self.width, self.height = avail_width, h
        return avail_width, h

    def split(self, avail_width: float, avail_height: float) -> list:
        return []

    def draw(self) -> None:
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        c = self.canv
        c.setFont(self.style.fontName, self.size)
        c.setFillColor(self.style.textColor)
        leading = self.style.leading * self.size / self.style.fontSize
        y = self.height - self.size
        for text in self._lines:
            if self.style.alignment == TA_CENTER:
                c.drawCentredString(self.width / 2, y, text)
            elif self.style.alignment == TA_RIGHT:
                c.drawRightString(self.width, y, text)
            else:
                c.drawString(0, y, text)
            y -= leading


def cell(texts: str | Sequence[str], style: ParagraphStyle, *,
         min_size: float | None = None) -> FitText:
    """A table cell of one text or several lines (no shrinking unless
    ``min_size`` is given)."""
    text = texts if isinstance(texts, str) else "\n".join(t for t in texts if t)
    return FitText(text, style, min_size=style.fontSize if min_size is None else min_size)


# Breaking rules for drawn text.  A Chinese character (or CJK punctuation) is
# a unit of its own; any other run of non-space characters (a Korean or Latin
# word, a number) is one word, broken only at spaces unless it is wider than
# a whole line.
_CJK_UNIT = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKENS = re.compile(rf"\s+|[{_CJK_UNIT}]|[^\s{_CJK_UNIT}]+")
# never at the start of a line (closing punctuation) / never at its end (opening)
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’,.;:?!)]}%…·")
_NO_LINE_END = frozenset("（《「『【〔〈“‘([{")


@lru_cache(maxsize=8192)
def _unit_width(token: str, font: str) -> float:
    """Width of ``token`` at 1 pt; widths add up (TrueType, no kerning)."""
    fonts.register()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(token, font, 1.0)


def measure(text: str, font: str = fonts.FONT) -> float:
    """Width of ``text`` at 1 pt (multiply by the size), from the cached widths
    of its characters and words."""
    return sum(_unit_width(t, font) for t in _TOKENS.findall(text))


def break_lines(text: str, width: float, size: float, font: str = fonts.FONT) -> list[str]:
    """Greedy line breaking for text drawn as plain strings (not Paragraph).

    Chinese may break between any two characters, but no line starts with
    closing punctuation (，。、）》…) or ends with opening punctuation (（《…);
    Korean and Latin break at spaces, and a word wider than a whole line is
    split where the line is full.  "\n" always breaks.  Each character and
    word is measured once (cached), so long tables stay cheap."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        out += _break_paragraph(paragraph, width / size, font)
    return out or [""]


def _break_paragraph(text: str, room: float, font: str) -> list[str]:
    # ``room`` is the width in units of the font size (widths measured at 1 pt)
    out: list[str] = []
    line: list[str] = []       # tokens of the current line
    used = 0.0                 # their width, trailing spaces included

    def flush() -> None:
        nonlocal line, used
        while line and line[-1].isspace():
            line.pop()
        out.append("".join(line))
        line, used = [], 0.0

    for tok in _TOKENS.findall(text):
        w = _unit_width(tok, font)
        if tok.isspace():
            if line:  # spaces may hang past the edge; they are dropped at a break
                line.append(tok)
                used += w
            continue
        if used + w <= room + 1e-9:
            line.append(tok)
            used += w
            continue
        if w > room and len(tok) > 1:
            # wider than any line: fill this line, then split it where each line is full
            for ch in tok:
                cw = _unit_width(ch, font)
                if line and used + cw > room + 1e-9:
                    flush()
                line.append(ch)
                used += cw
            continue
        if not line:
            line.append(tok)  # a single character wider than the line: nothing better to do
            used += w
            continue
        carry: list[str] = []
        head = tok
        while head[0] in _NO_LINE_START and len(line) > 1 and not line[-1].isspace():
            head = line.pop()  # a closing mark takes the character before it along
            carry.insert(0, head)
        while len(line) > 1 and line[-1][-1] in _NO_LINE_END:
            carry.insert(0, line.pop())
        flush()
        line = carry + [tok]
        used = sum(_unit_width(t, font) for t in line)
    if line or not out:
        flush()
    return out


class Heading(Flowable):
    """Centred heading lines of equal size (bilingual titles): shrunk to fit
    the width down to half size, then wrapped; drawn with a thin stroke
    because the font has no bold."""

    def __init__(self, texts: Sequence[str], size: float = 18, *, space_after: float = 0,
                 stroke: bool = True) -> None:
        super().__init__()
        self.texts = [t for t in texts if t]
        self.size = size
        self.stroke = stroke
        self.space_after = space_after
        self._sizes: list[float] = []
        self._lines: list[str] = []
        self._common = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        fonts.register()
        self.width = avail_width
        # Bilingual lines stay the same size: the smallest any of them needs.
        self._common = min((fit_font_size(t, avail_width, self.size, self.size * 0.5)
                            for t in self.texts), default=self.size)
        self._sizes = [self._common] * len(self.texts)
        self._lines = [ln for t in self.texts for ln in break_lines(t, avail_width, self._common)]
        self.height = self._common * 1.3 * len(self._lines) + self.space_after
        return avail_width, self.height

    def draw(self) -> None:
        c = self.canv
        size, leading = self._common, self._common * 1.3
        y = self.height - self.space_after - size
        for text in self._lines:
            t = c.beginText()
            t.setFont(fonts.FONT, size)
            if self.stroke:
                t.setTextRenderMode(2)  # fill + stroke: a light bold
                c.setLineWidth(size / 40)
                c.setStrokeColor(INK)
            c.setFillColor(INK)
            t.setTextOrigin((self.width - fonts.text_width(text, size)) / 2, y)
            t.textOut(text)
            c.drawText(t)
            y -= leading


# -- tables ------------------------------------------------------------------

CELL_PADDING = 3
_ALIGN = {TA_LEFT: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}


def _plain_cell(value: object, width: float, st: Styles) -> tuple[str, float] | None:
    """A FitText cell as a plain string the Table draws itself, and its font
    size: any cell in the body font and colour that can grow in height.
    None for anything else (it stays a flowable)."""
    if not isinstance(value, FitText) or value.max_height is not None:
        return None
    s, body = value.style, st.cell
    if (s.fontName, s.fontSize, s.leading, s.textColor) != (
            body.fontName, body.fontSize, body.leading, body.textColor) \
            or s.alignment not in _ALIGN:
        return None
    size, lines_ = value.plain_lines(width)
    return "\n".join(lines_), size


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Increasing ``numbers`` as (first, last) runs of consecutive values."""
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def data_table(header: Sequence[object], rows: Sequence[Sequence[object]],
               widths: Sequence[float], *, total_width: float, st: Styles,
               center_columns: Iterable[int] = (), zebra: bool = False) -> Table:
    """A grid table filling ``total_width``, header repeated on each page.

    ``widths`` are relative column weights.  Header and body cells may be
    plain strings (wrapping cells, see :func:`cell`) or flowables (lists of
    them are stacked in the cell)."""
    scale = total_width / sum(widths)
    col_widths = [w * scale for w in widths]
    centered = set(center_columns)

    # per-cell style commands, as (command, column, *values) -> rows, later
    # merged into runs of rows (one command per run keeps setStyle cheap)
    cell_cmds: dict[tuple, list[int]] = {}

    def make(value: object, row: int, col: int, style: ParagraphStyle) -> object:
        if isinstance(value, str):
            value = cell(value, st.cell_center if col in centered and style is st.cell else style)
        plain = _plain_cell(value, col_widths[col] - 2 * CELL_PADDING, st)
        if plain is None:
            return value
        # the Table draws a plain string itself (wrapped lines joined by "\n"):
        # the same look as the flowable, a fraction of the cost
        text, size = plain
        if value.style.alignment != TA_LEFT:
            cell_cmds.setdefault(("ALIGN", col, _ALIGN[value.style.alignment]), []).append(row)
        if size != st.cell.fontSize:  # shrunk to fit one line
            key = ("FONT", col, fonts.FONT, size, st.cell.leading * size / st.cell.fontSize)
            cell_cmds.setdefault(key, []).append(row)
        return text

    data = [[make(v, 0, i, st.head) for i, v in enumerate(header)]]
    data += [[make(v, n, i, st.cell) for i, v in enumerate(r)] for n, r in enumerate(rows, 1)]
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT", splitByRow=1)
    cmds = [
        ("FONT", (0, 0), (-1, -1), fonts.FONT, st.cell.fontSize, st.cell.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), st.cell.textColor),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    for (name, col, *values), rows_ in cell_cmds.items():
        cmds += [(name, (col, first), (col, last), *values) for first, last in _runs(rows_)]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]))
    table.setStyle(TableStyle(cmds))
    return table


# -- pages -------------------------------------------------------------------

@dataclass(frozen=True)
class PageSetup:
    """What every page of a document shows around its body."""

    title: str                      # msgid of the document title
    lang: PrintLanguage
    station: dict                   # the station profile (name_zh, name_ko, ...)
    printed_on: date
    size: str = "A4"                # "A4" or "A3"
    landscape: bool = False
    margin: float = 12 * mm
    subtitle: tuple[str, ...] = field(default_factory=tuple)  # translated lines
    body_size: float = 9

    @property
    def pagesize(self) -> tuple[float, float]:
        size = PAGE_SIZES[self.size]
        return _landscape(size) if self.landscape else portrait(size)

    @property
    def header_height(self) -> float:
        return 8 * mm

    @property
    def footer_height(self) -> float:
        return 8 * mm

    @property
    def frame_width(self) -> float:
        """Width available to the body."""
        return self.pagesize[0] - 2 * self.margin

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - 2 * self.margin - self.header_height - self.footer_height

    def titles(self) -> list[str]:
        return self.lang.texts(self.title)


def title_block(setup: PageSetup, st: Styles) -> list[Flowable]:
    """Station name, document title and subtitle lines for the first page."""
    out: list[Flowable] = [
        para(lines(setup.lang.station_names(setup.station)), st.station, is_markup=True),
        Spacer(1, 1.5 * mm),
        Heading(setup.titles(), size=18),
    ]
    if setup.subtitle:
        out += [Spacer(1, 1 * mm), para(lines(setup.subtitle), st.subtitle, is_markup=True)]
    out.append(Spacer(1, 4 * mm))
    return out


def _decorate(c: Canvas, setup: PageSetup, page: int, pages: int) -> None:
    width, height = setup.pagesize
    m = setup.margin
    size = setup.body_size - 0.5
    c.saveState()
    c.setFont(fonts.FONT, size)
    c.setFillColor(GREY)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    if page > 1:
        top = height - m
        base = top - size
        left = "  ".join(setup.lang.station_names(setup.station))
        right = "  ".join(setup.titles())
        room = width - 2 * m - fonts.text_width(right, size) - 6 * mm
        c.setFont(fonts.FONT, fit_font_size(left, room, size, size * 0.6))
        c.drawString(m, base, left)
        c.setFont(fonts.FONT, size)
        c.drawRightString(width - m, base, right)
        c.line(m, base - 2.2 * mm, width - m, base - 2.2 * mm)
    rule_y = m + setup.footer_height - 2.5 * mm
    c.line(m, rule_y, width - m, rule_y)
    text_y = m + 1.5 * mm
    if setup.lang.bilingual:
        page_text = f"{page} / {pages}"
    else:
        page_text = setup.lang.tr(MSG_PAGE, page=page, pages=pages)
    printed = "    ".join(dict.fromkeys(
        _fill(i18n.gettext_for(code)(MSG_PRINTED), {"date": i18n.format_date(setup.printed_on, code)})
        for code in setup.lang.languages))
    c.setFont(fonts.FONT, size)
    c.drawRightString(width - m, text_y, page_text)
    room = width - 2 * m - fonts.text_width(page_text, size) - 8 * mm
    c.setFont(fonts.FONT, fit_font_size(printed, room, size, size * 0.6))
    c.drawString(m, text_y, printed)
    c.restoreState()


def held_pages_canvas(decorate: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds pages back until the total is known, then calls
    ``decorate(canvas, number, total)`` on each (header, footer, "page x / y")."""

    class _Canvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return _Canvas


def render(setup: PageSetup, body: list[Flowable], *, st: Styles | None = None) -> bytes:
    """The finished PDF: title block, then ``body``, with headers and footers."""
    fonts.register()
    st = st or styles(setup.body_size)
    buf = BytesIO()
    width, height = setup.pagesize
    doc = BaseDocTemplate(
        buf, pagesize=setup.pagesize, leftMargin=setup.margin, rightMargin=setup.margin,
        topMargin=setup.margin + setup.header_height,
        bottomMargin=setup.margin + setup.footer_height,
        title=" / ".join(setup.titles()),
        author=" / ".join(setup.lang.station_names(setup.station)),
        creator="station_desk", lang=_pdf_lang(setup.lang))
    frame = Frame(setup.margin, setup.margin + setup.footer_height, setup.frame_width,
                  setup.frame_height, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=setup.pagesize)])
    doc.build(title_block(setup, st) + list(body), canvasmaker=held_pages_canvas(
        lambda c, number, total: _decorate(c, setup, number, total)))
    return buf.getvalue()


def _pdf_lang(lang: PrintLanguage) -> str:
    return {"zh_CN": "zh-CN", "ko": "ko", "en": "en"}[lang.primary]
