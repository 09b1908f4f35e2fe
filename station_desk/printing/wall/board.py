"""The look every wall notice shares: a notice board, not a spreadsheet.

A :class:`Wall` is one notice's page: A4 or A3, portrait or landscape, with a
red title band (station name, the notice's title in each print language at
equal size, a subtitle such as the month), a gold rule under it, generous
margins and a footer (station, phone, print date, page x / y).  Everything is
measured in :attr:`Wall.k` units, so an A3 notice is the A4 one enlarged.

The body is a list of flowables laid into the area under the band; the
helpers here draw what they need: :func:`fit_text` (a text box: shrink to a
floor size, then wrap, then cut with "…" — it never draws outside its box),
:func:`card` (a bordered card with a title strip), :func:`photo` (a photo
cropped to fill its box, or a neat placeholder when it is missing or
broken), :class:`Block` (a fixed-height flowable drawn by a function) and
:class:`TextCard` (a card of text that continues on the next page).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Callable, Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape as _landscape, portrait as _portrait
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from station_desk import i18n
from station_desk.i18n import N_
from station_desk.printing import fonts, layout
from station_desk.printing.layout import PrintLanguage, break_lines, measure

ACCENT = colors.HexColor("#a11d22")       # the red of an official notice board
ACCENT_DARK = colors.HexColor("#7a1519")
GOLD = colors.HexColor("#c9a13b")
TINT = colors.HexColor("#fbf1ef")         # card title strips
PAPER = colors.white
BORDER = colors.HexColor("#c7a3a1")
INK = layout.INK
GREY = layout.GREY
LIGHT = colors.HexColor("#eeeeee")
ELLIPSIS = "…"

MSG_PHONE_LABEL = N_("Phone")
MSG_CONTINUED = N_("(continued)")
KEEP_WHOLE = 16       # a text card of this many lines or fewer is never split


@dataclass
class Wall:
    """One wall notice's page setup."""

    title: str                       # msgid
    lang: PrintLanguage
    station: dict
    printed_on: date
    size: str = "a4"
    landscape: bool = False
    subtitle: list[str] = field(default_factory=list)   # translated lines

    @property
    def pagesize(self) -> tuple[float, float]:
        base = A3 if self.size.lower() == "a3" else A4
        return _landscape(base) if self.landscape else _portrait(base)

    @property
    def k(self) -> float:
        """The scale of this paper against A4 (A3: about 1.41)."""
        return min(self.pagesize) / min(A4)

    @property
    def margin(self) -> float:
        return 14 * mm * self.k

    @property
    def footer_height(self) -> float:
        return 9 * mm * self.k

    def band_lines(self) -> tuple[list[str], list[str], list[str]]:
        # the station's names and the subtitle are short: one line each, the
        # scripts side by side; the title keeps a line per language
        names = "    ".join(self.lang.station_names(self.station))
        sub = "    ".join(t for t in self.subtitle if t)
        # names too long to share a line (even shrunk) take a line each, never cut
        inner = self.pagesize[0] - 2 * self.margin - 16 * mm * self.k
        name_lines = ([names] if measure(names) * 11.5 * 0.8 * self.k <= inner
                      else self.lang.station_names(self.station)) if names else []
        return (name_lines, self.lang.texts(self.title), [sub] if sub else [])

    @property
    def band_height(self) -> float:
        k = self.k
        names, titles, sub = self.band_lines()
        return (7 * mm + 5.2 * mm * len(names) + 11.5 * mm * len(titles)
                + 5.6 * mm * len(sub) + 3 * mm) * k

    @property
    def body_box(self) -> tuple[float, float, float, float]:
        """x, y (bottom), width, height of the area under the band."""
        w, h = self.pagesize
        m, k = self.margin, self.k
        top = h - m - self.band_height - 6 * mm * k
        bottom = m + self.footer_height + 2 * mm * k
        return m, bottom, w - 2 * m, top - bottom

    def texts(self, msgid: str, **params: object) -> list[str]:
        return self.lang.texts(msgid, **params)

    def joined(self, msgid: str, **params: object) -> str:
        """``msgid`` in each print language on one line (bilingual: "中 / 조")."""
        return " / ".join(self.texts(msgid, **params))


# -- text in boxes -------------------------------------------------------------------

@dataclass
class Fitted:
    size: float
    lines: list[str]
    leading: float

    @property
    def height(self) -> float:
        return self.leading * len(self.lines)


def fit(paragraphs: Sequence[str], width: float, height: float, *, size: float,
        min_size: float | None = None, floor: float = 5.0, leading: float = 1.25) -> Fitted:
    """The size and lines ``paragraphs`` take in a ``width`` × ``height`` box.

    1. one line each, shrunk down to ``min_size`` (default 80 % of ``size``);
    2. else wrapped, shrinking from ``size`` to ``floor`` until the lines fit
       the height;
    3. else at the floor, the lines that fit, the last one ending in "…"."""
    paras = [p for p in paragraphs if p and p.strip()]
    if not paras or width <= 0:
        return Fitted(size, [], size * leading)
    floor = min(floor, size)
    min_size = max(floor, min_size if min_size is not None else size * 0.8)
    widest = max(measure(p) for p in paras)
    one_line = width / widest if widest else size
    if one_line >= min_size and len(paras) * min(size, one_line) * leading <= height + 0.01:
        s = min(size, one_line)
        return Fitted(s, list(paras), s * leading)
    s = size
    while True:
        lines = [ln for p in paras for ln in break_lines(p, width, s)]
        if len(lines) * s * leading <= height + 0.01 or s <= floor:
            break
        s = max(floor, s - max(0.25, s * 0.05))
    room = max(1, int((height + 0.01) // (s * leading)))
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1]
        while last and measure(last + ELLIPSIS) * s > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + ELLIPSIS
    # a single word wider than the box at the floor: cut it too
    lines = [_cut(ln, width, s) for ln in lines]
    return Fitted(s, lines, s * leading)


def _cut(line: str, width: float, size: float) -> str:
    if measure(line) * size <= width + 0.01:
        return line
    while line and measure(line + ELLIPSIS) * size > width:
        line = line[:-1]
    return line + ELLIPSIS


def draw_lines(c: Canvas, f: Fitted, x: float, top: float, width: float, *,
               align: str = "left", color=INK, bold: bool = False) -> float:
    """Draw fitted lines from ``top`` down; returns the height used."""
    c.saveState()
    c.setFillColor(color)
    y = top - f.size * 0.88 - (f.leading - f.size) / 2
    for line in f.lines:
        t = c.beginText()
        t.setFont(fonts.FONT, f.size)
        if bold:
            t.setTextRenderMode(2)
            c.setLineWidth(f.size / 38)
            c.setStrokeColor(color)
        w = measure(line) * f.size
        lx = x if align == "left" else (x + (width - w) / 2 if align == "center" else x + width - w)
        t.setTextOrigin(lx, y)
        t.textOut(line)
        c.drawText(t)
        y -= f.leading
    c.restoreState()
    return f.height


def fit_text(c: Canvas, paragraphs: Sequence[str], x: float, top: float, width: float,
             height: float, *, size: float, min_size: float | None = None, floor: float = 5.0,
             align: str = "left", color=INK, bold: bool = False, valign: str = "top",
             leading: float = 1.25) -> float:
    """Draw ``paragraphs`` inside the box (``top`` is its upper edge); the
    height used.  See :func:`fit` for the rules."""
    f = fit(paragraphs, width, height, size=size, min_size=min_size, floor=floor,
            leading=leading)
    if valign == "middle":
        top -= max(0.0, (height - f.height) / 2)
    elif valign == "bottom":
        top -= max(0.0, height - f.height)
    return draw_lines(c, f, x, top, width, align=align, color=color, bold=bold)


# -- cards and photos -------------------------------------------------------------------

def card(c: Canvas, x: float, y: float, w: float, h: float, k: float, *,
         title: Sequence[str] = (), title_size: float = 12, fill=PAPER) -> tuple[float, float, float, float]:
    """A rounded card with an optional title strip; returns the inner box
    (x, y, w, h) under the strip."""
    r = 2.2 * mm * k
    c.saveState()
    c.setFillColor(fill)
    c.setStrokeColor(BORDER)
    c.setLineWidth(0.8 * k)
    c.roundRect(x, y, w, h, r, stroke=1, fill=1)
    pad = 3.2 * mm * k
    top = y + h
    if title:
        size = title_size * k
        strip = size * 1.3 * len(title) + 3.4 * mm * k
        p = c.beginPath()
        p.roundRect(x, top - strip, w, strip, r)
        c.clipPath(p, stroke=0, fill=0)
        c.setFillColor(TINT)
        c.rect(x, top - strip, w, strip, stroke=0, fill=1)
        c.setFillColor(ACCENT)
        c.rect(x, top - strip, 1.6 * mm * k, strip, stroke=0, fill=1)
        c.restoreState()
        c.saveState()
        c.setStrokeColor(BORDER)
        c.setLineWidth(0.5 * k)
        c.line(x, top - strip, x + w, top - strip)
        fit_text(c, title, x + pad + 1 * mm * k, top - 1.7 * mm * k, w - 2 * pad - 1 * mm * k,
                 strip - 3.4 * mm * k, size=size, color=ACCENT_DARK, bold=True, floor=6 * k)
        top -= strip
    c.restoreState()
    return x + pad, y + pad, w - 2 * pad, top - y - 2 * pad


def title_strip_height(lines: int, k: float, title_size: float = 12) -> float:
    return title_size * k * 1.3 * lines + 3.4 * mm * k


def photo(c: Canvas, data: bytes | None, x: float, y: float, w: float, h: float, k: float,
          *, building: bool = False) -> bool:
    """The photo cropped to fill the box, with a thin frame; a placeholder
    (a grey silhouette of a person, or of a building) when there is none or it
    cannot be read.  True when a photo was drawn."""
    image = _image(data, w, h) if data else None
    c.saveState()
    if image is not None:
        c.drawImage(image, x, y, w, h)
    elif building:
        c.setFillColor(LIGHT)
        c.rect(x, y, w, h, stroke=0, fill=1)
        grey = colors.HexColor("#c4c4c4")
        bw, bh = w * 0.56, h * 0.40
        bx, by = x + (w - bw) / 2, y + h * 0.2
        c.setFillColor(grey)
        c.rect(bx, by, bw, bh, stroke=0, fill=1)
        p = c.beginPath()  # the roof
        p.moveTo(bx - bw * 0.06, by + bh)
        p.lineTo(bx + bw / 2, by + bh + h * 0.16)
        p.lineTo(bx + bw * 1.06, by + bh)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
        c.setFillColor(LIGHT)
        for row in range(2):
            for col in range(4):
                c.rect(bx + bw * (0.08 + col * 0.24), by + bh * (0.52 - row * 0.36),
                       bw * 0.12, bh * 0.2, stroke=0, fill=1)
        c.setFillColor(grey)
        c.rect(x + w * 0.1, y + h * 0.2 - 1.2 * k, w * 0.8, 2.4 * k, stroke=0, fill=1)
    else:
        c.setFillColor(LIGHT)
        c.rect(x, y, w, h, stroke=0, fill=1)
        c.setFillColor(colors.HexColor("#c4c4c4"))
        head = min(w, h) * 0.17
        cx = x + w / 2
        c.circle(cx, y + h * 0.62, head, stroke=0, fill=1)
        p = c.beginPath()
        p.rect(x, y, w, h)
        c.clipPath(p, stroke=0, fill=0)
        c.ellipse(cx - head * 2.1, y - head * 1.6, cx + head * 2.1, y + h * 0.62 - head * 1.25,
                  stroke=0, fill=1)
    c.restoreState()
    c.saveState()
    c.setStrokeColor(colors.HexColor("#bbbbbb"))
    c.setLineWidth(0.4 * k)
    c.rect(x, y, w, h, stroke=1, fill=0)
    c.restoreState()
    return image is not None


def _image(data: bytes, w: float, h: float):
    """The photo decoded, cropped to the box's shape and scaled to about
    200 dpi (a wall is read from a step away); None when it cannot be read."""
    from PIL import Image, UnidentifiedImageError
    from reportlab.lib.utils import ImageReader

    try:
        with Image.open(BytesIO(data)) as img:
            img.load()
            img = img.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    iw, ih = img.size
    if iw < 2 or ih < 2:
        return None
    want = w / h
    if iw / ih > want:
        cw = int(ih * want)
        img = img.crop(((iw - cw) // 2, 0, (iw - cw) // 2 + cw, ih))
    else:
        ch = int(iw / want)
        top = max(0, (ih - ch) // 5)  # faces sit in the upper part of a portrait
        img = img.crop((0, top, iw, top + ch))
    px = max(8, int(w / 72 * 200))
    if img.size[0] > px:
        img = img.resize((px, max(8, int(px / want))), Image.LANCZOS)
    buf = BytesIO()
    img.save(buf, "JPEG", quality=85)
    buf.seek(0)
    return ImageReader(buf)


# -- flowables ---------------------------------------------------------------------------

class Block(Flowable):
    """A fixed-height flowable drawn by ``draw(canvas, width, height)``; with
    ``height=None`` it takes the whole height left in the frame."""

    def __init__(self, height: float | None, draw: Callable[[Canvas, float, float], None],
                 *, space_after: float = 0) -> None:
        super().__init__()
        self._h = height
        self._draw = draw
        self.spaceAfter = space_after  # the frame leaves it below, unless at a page's end

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = (avail_height if self._h is None else self._h)
        return avail_width, self.height

    def draw(self) -> None:
        self._draw(self.canv, self.width, self.height)


class TextCard(Flowable):
    """A card with a title and paragraphs of text that continues on the next
    page when it does not fit (the rest is marked "(continued)")."""

    def __init__(self, title: list[str], paragraphs: list[str], k: float, *, size: float = 11,
                 badge: str = "", continued: list[str] | None = None, space_after: float = 0,
                 _lines: list[str] | None = None, _first: bool = True) -> None:
        super().__init__()
        self.title, self.paragraphs, self.k = title, paragraphs, k
        self.size, self.badge, self.continued = size * k, badge, continued or []
        self.spaceAfter = space_after
        self._lines = _lines
        self._first = _first

    @property
    def pad(self) -> float:
        return 3.2 * mm * self.k

    def _title(self) -> list[str]:
        if self._first:
            return self.title
        # the mark goes first: a long title is cut at its end
        mark = " / ".join(self.continued)
        return [f"{mark} {self.title[0]}".lstrip()] + list(self.title[1:])

    def _strip(self) -> float:
        return title_strip_height(len(self._title()), self.k, 13)

    def _text_width(self, width: float) -> float:
        return width - 2 * self.pad - 1 * mm * self.k

    def _all_lines(self, width: float) -> list[str]:
        if self._lines is None:
            out: list[str] = []
            for n, p in enumerate(self.paragraphs):
                if n and p.strip() and not out[-1:] == [""]:
                    pass
                out += break_lines(p, self._text_width(width), self.size) if p.strip() else [""]
            self._lines = out
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        lines = self._all_lines(avail_width)
        self.height = self._strip() + 2 * self.pad + len(lines) * self.size * 1.45
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._all_lines(avail_width)
        room = int((avail_height - self._strip() - 2 * self.pad) // (self.size * 1.45))
        # a short card moves whole to the next page; a long one leaves at least 3 lines each side
        if len(lines) <= KEEP_WHOLE or room < 3 or room > len(lines) - 3:
            return []
        k = self.k
        head = TextCard(self.title, [], k, size=self.size / k, badge=self.badge,
                        continued=self.continued, _lines=lines[:room], _first=self._first)
        tail = TextCard(self.title, [], k, size=self.size / k, badge=self.badge,
                        continued=self.continued, space_after=self.spaceAfter,
                        _lines=lines[room:], _first=False)
        return [head, tail]

    def draw(self) -> None:
        c, k = self.canv, self.k
        title = self._title()
        if self.badge and self._first:
            title = [f"{self.badge}  {title[0]}"] + title[1:]
        x, y, w, h = card(c, 0, 0, self.width, self.height, k, title=title, title_size=13)
        top = y + h
        c.saveState()
        c.setFillColor(INK)
        c.setFont(fonts.FONT, self.size)
        lead = self.size * 1.45
        yy = top - self.size * 1.05
        for line in self._lines or []:
            c.drawString(x + 1 * mm * k, yy, line)
            yy -= lead
        c.restoreState()


# -- the page ------------------------------------------------------------------------------

def _decorate(c: Canvas, wall: Wall, page: int, pages: int) -> None:
    W, H = wall.pagesize
    m, k = wall.margin, wall.k
    names, titles, sub = wall.band_lines()
    band_h = wall.band_height
    x0, top, bw = m, H - m, W - 2 * m
    c.saveState()
    c.setFillColor(ACCENT)
    c.roundRect(x0, top - band_h, bw, band_h, 2.5 * mm * k, stroke=0, fill=1)
    # a darker inner rule and the gold line under the band
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.7 * k)
    inset = 1.8 * mm * k
    c.roundRect(x0 + inset, top - band_h + inset, bw - 2 * inset, band_h - 2 * inset,
                1.6 * mm * k, stroke=1, fill=0)
    c.setLineWidth(1.6 * k)
    c.line(x0, top - band_h - 2.4 * mm * k, x0 + bw, top - band_h - 2.4 * mm * k)
    inner = bw - 16 * mm * k
    y = top - 4.2 * mm * k
    y -= fit_text(c, names, x0 + 8 * mm * k, y, inner, 5.2 * mm * k * len(names),
                  size=11.5 * k, align="center", color=colors.HexColor("#f6e7c1"), floor=6 * k,
                  leading=1.3)
    y -= 1.2 * mm * k
    tf = fit(titles, inner, 11.5 * mm * k * len(titles), size=27 * k, min_size=13 * k,
             floor=10 * k, leading=1.2)
    y -= draw_lines(c, tf, x0 + 8 * mm * k, y, inner, align="center", color=PAPER, bold=True)
    if sub:
        y -= 0.8 * mm * k
        fit_text(c, sub, x0 + 8 * mm * k, y, inner, 5.6 * mm * k * len(sub), size=12.5 * k,
                 align="center", color=colors.HexColor("#f6e7c1"), floor=6 * k, leading=1.3)
    # footer
    fy = m + wall.footer_height - 3 * mm * k
    c.setStrokeColor(BORDER)
    c.setLineWidth(0.6 * k)
    c.line(m, fy, W - m, fy)
    size = 8.5 * k
    c.setFont(fonts.FONT, size)
    c.setFillColor(GREY)
    page_text = f"{page} / {pages}" if wall.lang.bilingual else wall.lang.tr(layout.MSG_PAGE,
                                                                             page=page, pages=pages)
    printed = "    ".join(dict.fromkeys(
        i18n.gettext_for(code)(layout.MSG_PRINTED).format(
            date=i18n.format_date(wall.printed_on, code)) for code in wall.lang.languages))
    right = f"{printed}    {page_text}"
    rw = measure(right) * size
    c.drawRightString(W - m, m + 1.5 * mm * k, right)
    left = "  ".join(names)
    phone = (wall.station.get("phone") or "").strip()
    if phone:
        left += "    " + " / ".join(wall.texts(MSG_PHONE_LABEL)) + "  " + phone
    fit_text(c, [left], m, m + 1.5 * mm * k + size, W - 2 * m - rw - 8 * mm * k, size * 1.3,
             size=size, color=GREY, floor=5 * k)
    c.restoreState()


def render(wall: Wall, body: list[Flowable]) -> bytes:
    """The notice as PDF bytes: ``body`` laid under the title band, page after page."""
    fonts.register()
    buf = BytesIO()
    x, y, w, h = wall.body_box
    W, H = wall.pagesize
    doc = BaseDocTemplate(buf, pagesize=wall.pagesize, leftMargin=x, rightMargin=W - x - w,
                          topMargin=H - y - h, bottomMargin=y,
                          title=" / ".join(wall.texts(wall.title)),
                          author=" / ".join(wall.lang.station_names(wall.station)),
                          creator="station_desk",
                          lang={"zh_CN": "zh-CN", "ko": "ko", "en": "en"}[wall.lang.primary])
    frame = Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                  id="body")
    doc.addPageTemplates([PageTemplate(id="wall", frames=[frame], pagesize=wall.pagesize)])
    doc.build(list(body), canvasmaker=layout.held_pages_canvas(
        lambda c, number, total: _decorate(c, wall, number, total)))
    return buf.getvalue()


def make(title: str, station: dict, *, lang: str, printed_on: date, size: str,
         orientation: str, default_landscape: bool, subtitle: list[str] | None = None) -> Wall:
    """The Wall for a notice: ``orientation`` "auto" takes the notice's own choice."""
    pl = layout.print_language(lang, station)
    wide = default_landscape if orientation in ("auto", "", None) else orientation == "landscape"
    return Wall(title=title, lang=pl, station=station, printed_on=printed_on,
                size=(size or "a4").lower(), landscape=wide, subtitle=subtitle or [])


def month_texts(pl: PrintLanguage, year: int, month: int) -> list[str]:
    """"2026年3月" / "2026년 3월" / "March 2026", per print language."""
    from station_desk.printing.duty_roster import MONTH_PATTERNS

    return list(dict.fromkeys(i18n.format_date(date(year, month, 1), code,
                                               fmt=MONTH_PATTERNS[code]) for code in pl.languages))


# -- the reception-day rule in words ------------------------------------------------------

MSG_RULE_MONTHLY = N_("Every month on days {days}")
MSG_RULE_WEEKLY = N_("Every week on {weekday}")
MSG_RULE_MOVED = N_("A reception day on a holiday moves to the next working day.")


def rule_texts(pl: PrintLanguage, rule: dict | None) -> list[str]:
    """"每月9日、19日 08:30–11:30" per print language; [] without a rule."""
    from station_desk.domain.reception import WEEKDAY_LABELS

    if not rule:
        return []
    out: list[str] = []
    time = "–".join(t for t in (rule.get("start"), rule.get("end")) if t)
    for code in pl.languages:
        one = PrintLanguage(code)
        if rule.get("kind") == "weekly":
            text = one.tr(MSG_RULE_WEEKLY, weekday=one.tr(WEEKDAY_LABELS[rule.get("weekday") or 0]))
        else:
            sep = "、" if code == "zh_CN" else ", "
            text = one.tr(MSG_RULE_MONTHLY, days=sep.join(str(d) for d in rule.get("days") or []))
        if time:
            text += "  " + time
        if text not in out:
            out.append(text)
    return out
