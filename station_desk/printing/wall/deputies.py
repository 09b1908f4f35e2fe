"""The deputies on the notice board (代表公示 / 대표공시): a grid of cards, one
per serving deputy — photo (or a placeholder), name (with the Korean reading
in Korean and bilingual notices), levels, unit and post, the contact phone
the station chooses (its own office phone, the deputy's, or none) and group.

The grid adapts: from 10 to 60 deputies fill one page (A4 landscape by
default), the cards as large as the page allows; more continue on the next
pages.  Input is plain data: ``services.notices.wall_deputies`` rows.
"""
from __future__ import annotations

import math
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from station_desk.i18n import N_
from station_desk.printing.duty_roster import level_texts
from station_desk.printing.wall import board
from station_desk.printing.wall.board import ACCENT, ACCENT_DARK, GREY, INK, Wall, fit_text

TITLE = N_("Our Deputies")
MSG_COUNT = N_("{count} deputies")
MSG_NONE = N_("No serving deputy is registered yet.")
PER_PAGE = 60
CARD_ASPECT = 2.35        # width : height of a card with its photo on the left


def render(deputies: list[dict], station: dict, *, lang: str, printed_on: date,
           size: str = "a4", orientation: str = "auto", phone: str = "station") -> bytes:
    """The deputies' notice as PDF bytes; ``phone`` is station | deputy | none."""
    pages = max(1, math.ceil(len(deputies) / PER_PAGE))
    per = math.ceil(len(deputies) / pages) if deputies else 0
    wall = board.make(TITLE, station, lang=lang, printed_on=printed_on, size=size,
                      orientation=orientation, default_landscape=True)
    wall.subtitle = wall.texts(MSG_COUNT, count=len(deputies)) if deputies else []
    if not deputies:
        body = [board.Block(30 * mm * wall.k, lambda c, w, h: fit_text(
            c, wall.texts(MSG_NONE), 0, h, w, h, size=16 * wall.k, align="center"))]
        return board.render(wall, body)
    body: list = []
    for n in range(pages):
        chunk = deputies[n * per:(n + 1) * per]
        if n:
            body.append(PageBreak())
        body.append(board.Block(None, _grid(chunk, wall, station, phone)))
    return board.render(wall, body)


def grid_shape(count: int, width: float, height: float, gap: float,
               max_height: float) -> tuple[int, int, float, float]:
    """Columns, rows and card size that give ``count`` cards the largest
    card of the wanted shape in ``width`` × ``height``."""
    best = None
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        cw = (width - (cols - 1) * gap) / cols
        ch = (height - (rows - 1) * gap) / rows
        scale = min(cw / CARD_ASPECT, ch, max_height)
        if best is None or scale > best[0] + 1e-6:
            best = (scale, cols, rows, cw, min(ch, max_height))
    _, cols, rows, cw, ch = best
    # a card need not be wider than its shape asks: a little air keeps it readable
    return cols, rows, min(cw, ch * CARD_ASPECT * 1.25), ch


def _grid(chunk: list[dict], wall: Wall, station: dict, phone: str):
    k = wall.k

    def draw(c, width: float, height: float) -> None:
        gap = 2.4 * mm * k
        cols, rows, cw, ch = grid_shape(len(chunk), width, height, gap, 48 * mm * k)
        used_w = cols * cw + (cols - 1) * gap
        used_h = rows * ch + (rows - 1) * gap
        x0 = (width - used_w) / 2
        top = height - max(0.0, (height - used_h) / 3)
        for i, d in enumerate(chunk):
            r, col = divmod(i, cols)
            _card(c, d, x0 + col * (cw + gap), top - (r + 1) * ch - r * gap, cw, ch, wall,
                  station, phone)

    return draw


def _card(c, d: dict, x: float, y: float, w: float, h: float, wall: Wall, station: dict,
          phone: str) -> None:
    k, pl = wall.k, wall.lang
    c.saveState()
    c.setFillColor(board.PAPER)
    c.setStrokeColor(board.BORDER)
    c.setLineWidth(0.7 * k)
    c.roundRect(x, y, w, h, min(2 * mm * k, h * 0.08), stroke=1, fill=1)
    c.setFillColor(ACCENT)
    c.rect(x, y + h * 0.12, min(1.1 * mm * k, w * 0.02), h * 0.76, stroke=0, fill=1)
    c.restoreState()
    pad = min(2.6 * mm * k, h * 0.08)
    ph = h - 2 * pad
    pw = min(ph * 0.75, w * 0.36)
    board.photo(c, d.get("photo"), x + pad + 0.8 * mm * k, y + pad, pw, ph, k)
    tx = x + pad + 0.8 * mm * k + pw + pad
    tw = x + w - pad - tx
    top = y + h - pad
    unit = h - 2 * pad          # the text column's height
    # the smallest legible size is the same on any paper
    floor = 4.6 * min(k, 1.1) if unit < 20 * mm * k else 5.5 * min(k, 1.2)

    name = d.get("name") or ""
    reading = (d.get("name_ko") or "").strip()
    show_reading = bool(reading) and reading != name and any(code == "ko" for code in pl.languages)
    levels = " / ".join(level_texts(d.get("levels") or [], pl))
    post = " ".join(p for p in ((d.get("unit") or "").strip(), (d.get("post") or "").strip()) if p)
    number = {"station": (station.get("phone") or "").strip(),
              "deputy": (d.get("phone") or "").strip()}.get(phone, "")
    tel = f"{' / '.join(pl.texts(board.MSG_PHONE_LABEL))} {number}" if number else ""
    group = " / ".join(pl.pick(d.get("group_name"), d.get("group_name_ko")))

    def at(scale: float) -> float:
        return max(floor, base * scale)

    def lines(text: str, size: float, cap: int) -> int:
        if not text:
            return 0
        return min(cap, len(board.break_lines(text, tw, size)))

    # the largest body size at which every line fits the card's height
    lead = 1.2
    base = min(unit / 4, 13 * k)
    while True:
        contact = "    ".join(t for t in (tel, group) if t)
        contact_lines = lines(contact, at(0.85), 1) if lines(contact, at(0.85), 2) == 1 else \
            (bool(tel) + bool(group))
        # a long name (and its reading) wraps rather than being cut
        plan = [([name], lines(name, at(1.5), 3), at(1.5), INK, True)]
        if show_reading:
            plan.append(([reading], lines(reading, at(1), 3), at(1), GREY, False))
        if levels:
            plan.append(([levels], lines(levels, at(0.9), 2), at(0.9), ACCENT_DARK, False))
        if post:
            plan.append(([post], lines(post, at(1), 3), at(1), INK, False))
        if contact_lines == 1:
            plan.append(([contact], 1, at(0.85), GREY, False))
        else:
            plan += [([t], 1, at(0.85), GREY, False) for t in (tel, group) if t]
        need = sum(n * size * lead for _, n, size, _, _ in plan)
        if need <= unit or base <= floor:
            break
        base = max(floor, base - 0.25 * k)
    yy = top - max(0.0, (unit - need) / 2)
    # at the floor and still too tall: fewer wrapped lines ("…"), then the last lines
    # go; the name and its reading are the last to lose a line
    keep = 2 if show_reading else 1
    while need > unit + 0.01 and len(plan) > 1:
        spare = [i for i, p in enumerate(plan) if i >= keep and p[1] > 1]
        if spare:
            i = max(spare, key=lambda i: plan[i][1])
            texts, n, size, color, bold = plan[i]
            plan[i] = (texts, n - 1, size, color, bold)
        elif len(plan) > keep:
            plan.pop()
        elif plan[0][2] > floor:  # the name at the body size before any of it is cut
            plan[0] = ([name], lines(name, floor, 3), floor, INK, True)
        else:
            i = max(range(len(plan)), key=lambda i: plan[i][1])
            if plan[i][1] > 1:
                texts, n, size, color, bold = plan[i]
                plan[i] = (texts, n - 1, size, color, bold)
            else:
                plan.pop()
        need = sum(n * size * lead for _, n, size, _, _ in plan)
    for texts, n, size, color, bold in plan:
        box = n * size * lead
        fit_text(c, texts, tx, yy, tw, box, size=size, floor=floor, color=color, bold=bold,
                 leading=lead)
        yy -= box
