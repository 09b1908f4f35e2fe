"""The sign-in sheet of an activity (签到表 / 출석서명부): A4 portrait.

Every page carries the full header — station, document title, activity,
theme, kind, date and time, place, organiser and "page x / y" — and the
table header.  Rows: number, name (with the Korean reading in Korean and
bilingual prints), level(s), unit and post, masked phone, a wide signature
box, time, leave reason.  The invited people come first in the sheet's order,
then numbered blank rows for walk-ins.  The last page closes with the counts
(expected / present / on leave / absent) and the organiser's signature line:
blank slots to fill by hand before the activity (leave already granted shows
on its row, with the reason), the figures when it is reprinted after anyone
was marked present or absent — then each row also shows its mark, the signed
time and the leave reason.

The sheet is drawn straight on the canvas: every cell's lines are measured
with :func:`layout.break_lines` (cached character widths) under the
:class:`layout.FitText` rule (shrink to a floor, then wrap), rows grow to
their tallest cell, pages are cut before drawing so "page x / y" is known.
That keeps 500 people well under a second.

Input is plain data: the activity as ``services.activities.activity`` gives
it (with ``invitees`` and ``counts``) and the station profile.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from station_desk import i18n
from station_desk.domain.activities import ATTENDANCE_LABELS, KIND_LABELS, ActivityKind, Attendance
from station_desk.domain.masking import mask_phone
from station_desk.i18n import N_
from station_desk.printing import fonts, layout
from station_desk.printing.duty_roster import level_texts, weekday
from station_desk.printing.layout import PrintLanguage

TITLE = N_("Sign-in Sheet")
MSG_ACTIVITY = N_("Activity")
MSG_THEME = N_("Theme")
MSG_KIND = N_("Kind")
MSG_WHEN = N_("Date and time")
MSG_PLACE = N_("Place")
MSG_ORGANISER = N_("Organiser")
MSG_EXPECTED = N_("Expected")
MSG_PRESENT = N_("Present")
MSG_LEAVE = N_("On leave")
MSG_ABSENT = N_("Absent")
MSG_UNMARKED = N_("Not marked")
MSG_ORGANISER_SIGNATURE = N_("Organiser's signature")
MSG_DATE = N_("Date")
MSG_GUEST = N_("Guest")
MSG_APPROVED_BY = N_("approved by {name}")

# (header msgid, width in points of the 527 pt A4 frame, alignment)
COLUMNS: list[tuple[str, float, str]] = [
    (N_("No."), 22, "c"),
    (N_("Name"), 64, "c"),
    (N_("Level"), 58, "c"),
    (N_("Unit and post"), 112, "l"),
    (N_("Phone"), 62, "c"),
    (N_("Signature"), 88, "c"),
    (N_("Time"), 39, "c"),
    (N_("Leave reason"), 82, "l"),
]
COUNTS_MODES = ("auto", "blank", "filled")

PAGE_W, PAGE_H = A4
MARGIN = 12 * mm
FRAME_W = PAGE_W - 2 * MARGIN
BODY = 9.0            # body size of the table
MIN_SIZE = 7.0        # shrink a one-line cell down to this, then wrap
FLOOR = 5.5           # a word never shrinks below this
LEAD = 1.25           # leading as a multiple of the size
PAD_X, PAD_Y = 3.0, 3.0
ROW_MIN = 8 * mm      # room to sign by hand
LABEL_W = 64.0        # label column of the header box
FOOTER_H = 7 * mm     # printed date at the bottom of every page
GREY = layout.GREY
INK = layout.INK


@dataclass
class _Cell:
    lines: list[str]
    size: float
    align: str = "c"      # "c" or "l"
    grey: bool = False

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEAD


def _fit(texts: str | list[str], width: float, *, size: float = BODY,
         min_size: float = MIN_SIZE, align: str = "c", grey: bool = False) -> _Cell:
    """Lines of ``texts`` for a box ``width`` wide: shrink to ``min_size``, then wrap."""
    text = texts if isinstance(texts, str) else "\n".join(t for t in texts if t)
    if not text:
        return _Cell([], size, align, grey)
    room = width - 2 * PAD_X
    parts = text.split("\n")
    natural = max(layout.measure(t) for t in parts) * size
    if natural <= room:
        return _Cell(parts, size, align, grey)
    if size * room / natural >= min_size:
        return _Cell(parts, size * room / natural, align, grey)
    # wrap at full size, shrunk only as far as the longest unbreakable word needs
    words = [w for p in parts for w in p.split() if not layout._HAN.search(w)]
    if words:
        longest = max(layout.measure(w) for w in words) * size
        if longest > room:
            size = max(FLOOR, size * room / longest)
    return _Cell(layout.break_lines(text, room, size), size, align, grey)


def column_edges(frame_width: float = FRAME_W) -> list[float]:
    """The x of every column line of the table, left to right (len(COLUMNS) + 1)."""
    scale = frame_width / sum(w for _, w, _ in COLUMNS)
    xs = [MARGIN]
    for _, w, _ in COLUMNS:
        xs.append(xs[-1] + w * scale)
    return xs


def render(activity: dict, station: dict, *, lang: str, printed_on: date,
           blank_rows: int = 20, counts: str = "auto") -> bytes:
    """The sign-in sheet of ``activity`` as PDF bytes.

    ``counts``: "blank" (a clean sheet: slots to fill by hand, no marks),
    "filled" (the figures and each row's mark), "auto" (filled once anyone is
    marked present or absent; before that, blank slots, but leave already
    granted shows on its row with the reason, so nobody waits for that signature)."""
    if counts not in COUNTS_MODES:
        raise ValueError(f"counts must be one of {COUNTS_MODES}")
    fonts.register()
    pl = layout.print_language(lang, station)
    invitees = list(activity.get("invitees") or [])
    held = any(p.get("attendance") in (Attendance.PRESENT, Attendance.ABSENT) for p in invitees)
    filled = counts == "filled" or (counts == "auto" and held)
    sheet = _Sheet(activity, station, pl, printed_on, filled, leave=counts != "blank")
    rows = [sheet.person_row(n, p) for n, p in enumerate(invitees, start=1)]
    rows += [sheet.blank_row(n) for n in range(len(invitees) + 1,
                                               len(invitees) + max(0, blank_rows) + 1)]
    pages = sheet.paginate(rows)
    buf = BytesIO()
    c = Canvas(buf, pagesize=A4, lang=_pdf_lang(pl), initialFontName=fonts.FONT)
    c.setTitle(" / ".join(pl.texts(TITLE)) + " — " + (activity.get("title") or ""))
    c.setAuthor(" / ".join(pl.station_names(station)))
    c.setCreator("station_desk")
    for number, page_rows in enumerate(pages, start=1):
        sheet.draw_page(c, page_rows, number, len(pages), last=number == len(pages))
        c.showPage()
    c.save()
    return buf.getvalue()


def _pdf_lang(pl: PrintLanguage) -> str:
    return {"zh_CN": "zh-CN", "ko": "ko", "en": "en"}[pl.primary]


def _label(pl: PrintLanguage, msgid: str) -> list[str]:
    return pl.texts(msgid)


def _clock(value: str | None) -> str:
    """"09:05" from "09:05", "2026-03-12T09:05" or "2026-03-12 09:05:31"."""
    v = (value or "").strip()
    if "T" in v:
        v = v.split("T", 1)[1]
    elif " " in v:
        v = v.split(" ", 1)[1]
    return v[:5]


def when_texts(activity: dict, pl: PrintLanguage) -> list[str]:
    """Date, weekday and time span, one line per language:
    2026年3月12日 星期四 09:00–11:30."""
    start, end = activity.get("starts_at") or "", activity.get("ends_at") or ""
    if not start:
        return []
    d0 = date.fromisoformat(start[:10])
    d1 = date.fromisoformat(end[:10]) if len(end) >= 10 else d0
    out: list[str] = []
    for code in pl.languages:
        one = PrintLanguage(code)
        text = f"{i18n.format_date(d0, code)} {weekday(d0, one)[0]} {_clock(start)}"
        if end:
            text += f"–{_clock(end)}" if d1 == d0 else \
                f" – {i18n.format_date(d1, code)} {_clock(end)}"
        if text not in out:
            out.append(text)
    return out


def kind_texts(kind: str | None, pl: PrintLanguage) -> list[str]:
    if kind in ActivityKind._value2member_map_:
        return pl.texts(KIND_LABELS[ActivityKind(kind)])
    return [kind] if kind else []


class _Sheet:
    """Measures rows and draws pages of one sheet."""

    def __init__(self, activity: dict, station: dict, pl: PrintLanguage, printed_on: date,
                 filled: bool, leave: bool = True) -> None:
        self.a, self.station, self.pl = activity, station, pl
        self.printed_on, self.filled = printed_on, filled
        self.show_leave = filled or leave
        self.xs = column_edges()
        self.widths = [b - a for a, b in zip(self.xs, self.xs[1:])]
        self.show_reading = any(code == "ko" for code in pl.languages)
        self.head_cells = [_fit(_label(pl, m), w, size=8.5, min_size=6)
                           for (m, _, _), w in zip(COLUMNS, self.widths)]
        self.head_h = max(c.height for c in self.head_cells) + 2 * PAD_Y
        self._header = self._measure_header()
        self._labels = {a: pl.texts(ATTENDANCE_LABELS[a]) for a in Attendance}
        self.table_top = PAGE_H - MARGIN - self._header[0]
        self.bottom = MARGIN + FOOTER_H
        self.closing_h = self._closing_height()

    # -- rows -----------------------------------------------------------------

    def person_row(self, number: int, p: dict) -> tuple[float, list[_Cell]]:
        w = self.widths
        name = (p.get("name") or "").strip()
        ko = (p.get("name_ko") or "").strip()
        names = [name] + ([ko] if self.show_reading and ko and ko != name else [])
        levels = list(p.get("levels") or [])
        level_cell = _fit(level_texts(levels, self.pl), w[2], size=8.5,
                          min_size=6.5 if self.pl.bilingual else 8)
        if len(levels) > 1 and len(level_cell.lines) > len(self.pl.languages):
            # several levels that do not fit one line: one level a line (both scripts
            # side by side when bilingual), never split
            level_cell = _fit([" ".join(level_texts([lv], self.pl)) for lv in levels], w[2],
                              size=8.5, min_size=6)
        if not levels and p.get("outsider"):
            level_cell = _fit(self.pl.texts(MSG_GUEST), w[2], size=8.5, min_size=6.5)
        unit_post = [x for x in ((p.get("unit") or "").strip(), (p.get("post") or "").strip())
                     if x]
        unit_cell = _fit(" ".join(unit_post), w[3], align="l", min_size=8)
        if len(unit_cell.lines) > 1 and len(unit_post) == 2:
            unit_cell = _fit(unit_post, w[3], align="l", min_size=7.5)  # the post on its own line
        sign = time = reason = _Cell([], BODY)
        state = p.get("attendance") or "unmarked"
        if self.filled or (self.show_leave and state == Attendance.LEAVE):
            if state in Attendance._value2member_map_ and state != Attendance.UNMARKED:
                sign = _fit(self._labels[Attendance(state)], w[5], grey=True)
            if state == Attendance.PRESENT:
                time = _fit(_clock(p.get("signed_at")), w[6])
            if state == Attendance.LEAVE:
                text = (p.get("leave_reason") or "").strip()
                if p.get("leave_approved_by"):
                    text = "\n".join(t for t in (text, self.pl.tr(
                        MSG_APPROVED_BY, name=p["leave_approved_by"])) if t)
                reason = _fit(text, w[7], align="l", min_size=7)
        cells = [
            _fit(str(number), w[0]),
            _fit(names, w[1], size=BODY + 0.5),
            level_cell,
            unit_cell,
            _fit(mask_phone(p.get("phone")), w[4], min_size=6.5),
            sign, time, reason,
        ]
        return max(ROW_MIN, max(c.height for c in cells) + 2 * PAD_Y), cells

    def blank_row(self, number: int) -> tuple[float, list[_Cell]]:
        return ROW_MIN, [_fit(str(number), self.widths[0])] + [_Cell([], BODY)] * 7

    def paginate(self, rows: list[tuple[float, list[_Cell]]]) -> list[list]:
        """Rows cut into pages; the last page keeps room for the closing block."""
        room = self.table_top - self.head_h - self.bottom
        pages: list[list] = [[]]
        used = 0.0
        for row in rows:
            h = min(row[0], room)  # a row taller than a page is clipped, never overlaps
            if pages[-1] and used + h > room:
                pages.append([])
                used = 0.0
            pages[-1].append((h, row[1]))
            used += h
        moved: list = []
        while pages[-1] and used + self.closing_h > room and len(pages[-1]) > 1:
            row = pages[-1].pop()
            used -= row[0]
            moved.insert(0, row)
        if used + self.closing_h > room and pages[-1]:
            moved = pages[-1][-1:] + moved
            pages[-1] = pages[-1][:-1]
        if moved:
            pages.append(moved)
        return [p for p in pages if p] or [[]]

    # -- header ---------------------------------------------------------------

    def _measure_header(self) -> tuple[float, list]:
        pl, a = self.pl, self.a
        wide = FRAME_W - LABEL_W
        half = (FRAME_W - 2 * LABEL_W) / 2
        lab = dict(size=8, min_size=6)
        rows = [
            [(_fit(_label(pl, MSG_ACTIVITY), LABEL_W, **lab), LABEL_W),
             (_fit(a.get("title") or "", wide, size=10.5, min_size=8, align="l"), wide)],
            [(_fit(_label(pl, MSG_THEME), LABEL_W, **lab), LABEL_W),
             (_fit(a.get("theme") or "", wide, min_size=7.5, align="l"), wide)],
            [(_fit(_label(pl, MSG_WHEN), LABEL_W, **lab), LABEL_W),
             (_fit(when_texts(a, pl), half, min_size=7, align="l"), half),
             (_fit(_label(pl, MSG_PLACE), LABEL_W, **lab), LABEL_W),
             (_fit(a.get("place") or "", half, min_size=7, align="l"), half)],
            [(_fit(_label(pl, MSG_ORGANISER), LABEL_W, **lab), LABEL_W),
             (_fit(a.get("organiser") or "", half, min_size=7, align="l"), half),
             (_fit(_label(pl, MSG_KIND), LABEL_W, **lab), LABEL_W),
             (_fit(kind_texts(a.get("kind"), pl), half, min_size=6.5, align="l"), half)],
        ]
        heights = [max(16.0, max(c.height for c, _ in r) + 2 * 2.5) for r in rows]
        self._station = [t for t in pl.station_names(self.station)]
        self._title = "    ".join(pl.texts(TITLE))
        self._title_size = layout.fit_font_size(self._title, FRAME_W * 0.7, 17, 11)
        top = 11 * LEAD * max(1, len(self._station)) + 3 + self._title_size * 1.35 + 3
        self._info = list(zip(heights, rows))
        return top + sum(heights) + 3 * mm, rows

    def _draw_header(self, c: Canvas, page: int, pages: int) -> None:
        y = PAGE_H - MARGIN
        c.setFillColor(INK)
        page_text = (f"{page} / {pages}" if self.pl.bilingual
                     else self.pl.tr(layout.MSG_PAGE, page=page, pages=pages))
        c.setFont(fonts.FONT, 8.5)
        c.setFillColor(GREY)
        c.drawRightString(PAGE_W - MARGIN, y - 8.5, page_text)
        room = FRAME_W - 2 * (fonts.text_width(page_text, 8.5) + 4 * mm)
        c.setFillColor(INK)
        # both scripts at one size: the smallest either needs
        size = min((layout.fit_font_size(name, room, 11, 7) for name in self._station),
                   default=11)
        for name in self._station:
            c.setFont(fonts.FONT, size)
            y -= 11 * LEAD
            c.drawCentredString(PAGE_W / 2, y + 2, name)
        y -= 3 + self._title_size * 1.1
        c.saveState()  # the stroke mode of the title must not reach the table
        t = c.beginText()
        t.setFont(fonts.FONT, self._title_size)
        t.setTextRenderMode(2)  # fill + stroke: the font has no bold
        c.setLineWidth(self._title_size / 40)
        c.setStrokeColor(INK)
        t.setTextOrigin(PAGE_W / 2 - fonts.text_width(self._title, self._title_size) / 2, y)
        t.textOut(self._title)
        c.drawText(t)
        c.restoreState()
        y -= self._title_size * 0.25 + 3
        top = y
        c.setLineWidth(0.4)
        c.setStrokeColor(layout.RULE)
        for h, row in self._info:
            x = MARGIN
            for i, (cell, w) in enumerate(row):
                if i % 2 == 0:
                    c.setFillColor(layout.HEAD_FILL)
                    c.rect(x, y - h, w, h, stroke=0, fill=1)
                _draw_cell(c, cell, x, y, w, h)
                x += w
                c.line(x, y, x, y - h)
            y -= h
            c.line(MARGIN, y, MARGIN + FRAME_W, y)
        c.line(MARGIN, top, MARGIN + FRAME_W, top)
        c.setLineWidth(0.9)
        c.rect(MARGIN, y, FRAME_W, top - y, stroke=1, fill=0)

    # -- pages ----------------------------------------------------------------

    def draw_page(self, c: Canvas, rows: list, page: int, pages: int, *, last: bool) -> None:
        self._draw_header(c, page, pages)
        xs = self.xs
        top = self.table_top
        # the table header
        c.setFillColor(layout.HEAD_FILL)
        c.rect(MARGIN, top - self.head_h, FRAME_W, self.head_h, stroke=0, fill=1)
        for cell, x0, x1 in zip(self.head_cells, xs, xs[1:]):
            _draw_cell(c, cell, x0, top, x1 - x0, self.head_h)
        ys = [top, top - self.head_h]
        y = ys[-1]
        for h, cells in rows:
            for cell, x0, x1 in zip(cells, xs, xs[1:]):
                if cell.lines:
                    _draw_cell(c, cell, x0, y, x1 - x0, h)
            y -= h
            ys.append(y)
        c.setStrokeColor(layout.RULE)
        c.setLineWidth(0.4)
        c.grid(xs, ys)
        c.setLineWidth(0.9)
        c.rect(MARGIN, y, FRAME_W, top - y, stroke=1, fill=0)
        c.line(MARGIN, ys[1], MARGIN + FRAME_W, ys[1])
        if last:
            self._draw_closing(c, y)
        printed = "    ".join(dict.fromkeys(
            layout._fill(i18n.gettext_for(code)(layout.MSG_PRINTED),
                         {"date": i18n.format_date(self.printed_on, code)})
            for code in self.pl.languages))
        c.setFont(fonts.FONT, 7.5)
        c.setFillColor(GREY)
        c.drawString(MARGIN, MARGIN + 1.5 * mm, printed)
        title = (self.a.get("title") or "").strip()
        if title:
            room = FRAME_W - fonts.text_width(printed, 7.5) - 10 * mm
            c.setFont(fonts.FONT, layout.fit_font_size(title, room, 7.5, 5))
            c.drawRightString(PAGE_W - MARGIN, MARGIN + 1.5 * mm, title)

    # -- closing block: counts and the organiser's signature --------------------

    def _count_items(self) -> list[tuple[str, str]]:
        invitees = self.a.get("invitees") or []
        counts = dict(self.a.get("counts") or {})
        for state in Attendance:
            counts.setdefault(state.value, sum(1 for p in invitees
                                               if (p.get("attendance") or "unmarked") == state))
        counts.setdefault("expected", len(invitees))
        items = [(MSG_EXPECTED, "expected"), (MSG_PRESENT, "present"), (MSG_LEAVE, "leave"),
                 (MSG_ABSENT, "absent")]
        if self.filled and counts.get("unmarked"):
            items.append((MSG_UNMARKED, "unmarked"))
        return [(" / ".join(self.pl.texts(m)), str(counts.get(k, 0)) if self.filled else "")
                for m, k in items]

    def _closing_height(self) -> float:
        return 4 * mm + 7 * mm + 9 * mm

    def _draw_closing(self, c: Canvas, y: float) -> None:
        colon = "：" if self.pl.primary == "zh_CN" else ": "
        items = self._count_items()
        slot = 14 * mm
        each = FRAME_W / len(items)
        base = y - 4 * mm - 4
        c.setStrokeColor(INK)
        c.setLineWidth(0.6)
        for i, (label, value) in enumerate(items):
            x = MARGIN + i * each
            text = label + colon
            size = layout.fit_font_size(text, each - slot - 3 * mm, 9.5, 6)
            c.setFillColor(INK)
            c.setFont(fonts.FONT, size)
            c.drawString(x, base, text)
            sx = x + fonts.text_width(text, size) + 1
            c.line(sx, base - 2, sx + slot, base - 2)
            if value:
                c.setFont(fonts.FONT, 10.5)
                c.drawCentredString(sx + slot / 2, base, value)
        base -= 9 * mm
        c.setFont(fonts.FONT, 9.5)
        parts = [(" / ".join(self.pl.texts(MSG_ORGANISER_SIGNATURE)) + colon, 45 * mm),
                 (" / ".join(self.pl.texts(MSG_DATE)) + colon, 30 * mm)]
        x = PAGE_W - MARGIN - sum(fonts.text_width(t, 9.5) + w + 6 * mm for t, w in parts)
        x = max(MARGIN, x)
        for text, w in parts:
            c.drawString(x, base, text)
            x += fonts.text_width(text, 9.5) + 1
            c.line(x, base - 2, x + w, base - 2)
            x += w + 6 * mm


def _draw_cell(c: Canvas, cell: _Cell, x: float, top: float, w: float, h: float) -> None:
    """The lines of ``cell`` centred vertically in the box (x, top - h, w, h)."""
    if not cell.lines:
        return
    lead = cell.size * LEAD
    block = lead * len(cell.lines)
    # the first baseline: the block centred, the text sitting on it
    y = top - (h - block) / 2 - cell.size * 0.95
    c.setFont(fonts.FONT, cell.size)
    c.setFillColor(GREY if cell.grey else INK)
    for text in cell.lines:
        if y < top - h:  # clipped: never draw into the next row
            break
        if cell.align == "l":
            c.drawString(x + PAD_X, y, text)
        else:
            c.drawCentredString(x + w / 2, y, text)
        y -= lead
