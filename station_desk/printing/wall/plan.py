"""The annual activity plan on the wall (年度活动计划 / 년도활동계획): twelve
month cards, each with the planned activities (kind and theme), those held
marked.  Input is plain data: ``services.activities.plan`` items.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm

from station_desk import i18n
from station_desk.domain.activities import KIND_LABELS
from station_desk.i18n import N_
from station_desk.printing.wall import board
from station_desk.printing.wall.board import ACCENT_DARK, GREY, INK, fit_text

TITLE = N_("Annual Activity Plan")
MSG_YEAR = N_("Year {year}")
MSG_HELD = N_("held")
MSG_NOTHING = N_("Nothing planned")
MONTH_FORMAT = {"zh_CN": "M月", "ko": "M월", "en": "MMMM"}


def render(items: list[dict], station: dict, *, year: int, lang: str, printed_on: date,
           size: str = "a4", orientation: str = "auto") -> bytes:
    """The plan of ``year`` as PDF bytes."""
    wall = board.make(TITLE, station, lang=lang, printed_on=printed_on, size=size,
                      orientation=orientation, default_landscape=True)
    wall.subtitle = wall.texts(MSG_YEAR, year=year)
    by_month: dict[int, list[dict]] = {}
    for item in items:
        by_month.setdefault(int(item["month"]), []).append(item)
    return board.render(wall, [board.Block(None, lambda c, w, h: _months(c, w, h, wall, year,
                                                                          by_month))])


def _months(c, width: float, height: float, wall, year: int, by_month: dict) -> None:
    k, pl = wall.k, wall.lang
    cols = 4 if wall.landscape else 3
    rows = 12 // cols
    gap = 4 * mm * k
    cw = (width - (cols - 1) * gap) / cols
    ch = (height - (rows - 1) * gap) / rows
    for m in range(1, 13):
        r, col = divmod(m - 1, cols)
        x, y = col * (cw + gap), height - (r + 1) * ch - r * gap
        title = list(dict.fromkeys(i18n.format_date(date(year, m, 1), code, fmt=MONTH_FORMAT[code])
                                   for code in pl.languages))
        ix, iy, iw, ih = board.card(c, x, y, cw, ch, k, title=[" / ".join(title)], title_size=13)
        entries = by_month.get(m, [])
        if not entries:
            fit_text(c, pl.texts(MSG_NOTHING), ix, iy + ih, iw, ih, size=10 * k, color=GREY)
            continue
        room = ih / len(entries)
        top = iy + ih
        for n, e in enumerate(entries):
            label = KIND_LABELS.get(e.get("kind"))
            kind = " / ".join(pl.texts(label)) if label else (e.get("kind") or "")
            if e.get("held"):
                kind += "  ✓ " + " / ".join(pl.texts(MSG_HELD))
            theme = (e.get("theme") or "").strip()
            share = 0.45 if theme else 1.0
            fit_text(c, [kind], ix, top, iw, room * share, size=10.5 * k, floor=5 * k,
                     color=ACCENT_DARK, leading=1.2)
            if theme:
                fit_text(c, [theme], ix, top - room * share, iw, room * (1 - share),
                         size=12 * k, floor=5 * k, color=INK, leading=1.2)
            if n:
                c.saveState()
                c.setStrokeColor(board.BORDER)
                c.setLineWidth(0.4 * k)
                c.line(ix, top + 0.8 * mm * k, ix + iw, top + 0.8 * mm * k)
                c.restoreState()
            top -= room
