"""The voter reception workflow as a drawn flow chart (接待选民工作流程 /
선민접대 사업절차): six boxes joined by arrows — register → sort → forward →
handle → reply → archive — with the time limits the program itself enforces
(``domain.cases``), and the three side roads: out of scope, returned by a
unit, an unsatisfied voter.  Landscape: one row; portrait: two rows.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm

from station_desk.domain.cases import COMPLEX_DAYS, NORMAL_DAYS, RETURN_WINDOW_DAYS
from station_desk.i18n import N_
from station_desk.printing.layout import measure
from station_desk.printing.wall import board
from station_desk.printing.wall.board import ACCENT, ACCENT_DARK, GOLD, GREY, INK, Wall, fit_text

TITLE = N_("Voter Reception Workflow")

STEPS = (
    (N_("Register"), N_("Number and date, the voter, the matter in the voter's own words, "
                        "its category")),
    (N_("Sort"), N_("Classify, set the priority, link repeated matters, propose how to "
                    "handle it")),
    (N_("Forward"), N_("To the village committee, the township government, a county "
                       "department, or a higher congress")),
    (N_("Handle"), N_("The unit handles it: A solved, B under way, C planned, D kept for "
                      "reference")),
    (N_("Reply"), N_("To the voter and to the deputy; the voter says how satisfied")),
    (N_("Archive"), N_("An archive number is given and the case is locked")),
)
MSG_DUE = N_("Due in {normal} working days; {complex} if complex")
MSG_ON_SPOT = N_("Answered on the spot when it can be")
SIDE = (
    (1, N_("Out of scope"), N_("Personal disputes, matters in court or arbitration, unlawful "
                               "demands: registered, explained, and the voter shown where to go")),
    (2, N_("Not the right unit"), N_("The unit returns it within {days} working days with a "
                                     "reason; the station forwards it again")),
    (4, N_("Not satisfied"), N_("A voter who is not satisfied with the reply can have the "
                                "matter taken up again")),
)
MSG_RECEPTION = N_("Reception days")
MSG_OVERDUE = N_("Every step is recorded: who, when, what. Overdue matters are chased.")


def render(station: dict, *, rule: dict | None, lang: str, printed_on: date,
           size: str = "a4", orientation: str = "auto") -> bytes:
    """The flow chart as PDF bytes; ``rule`` (the reception-day rule) is printed under it."""
    wall = board.make(TITLE, station, lang=lang, printed_on=printed_on, size=size,
                      orientation=orientation, default_landscape=True)
    return board.render(wall, [board.Block(None, lambda c, w, h: _chart(c, w, h, wall, rule))])


def _arrow(c, x1: float, y1: float, x2: float, y2: float, k: float, *, color=ACCENT,
           dashed: bool = False, width: float = 2.0) -> None:
    import math

    c.saveState()
    c.setStrokeColor(color)
    c.setFillColor(color)
    c.setLineWidth(width * k)
    if dashed:
        c.setDash(3 * k, 2.5 * k)
    head = 3.2 * mm * k
    ang = math.atan2(y2 - y1, x2 - x1)
    bx, by = x2 - head * 0.8 * math.cos(ang), y2 - head * 0.8 * math.sin(ang)
    c.line(x1, y1, bx, by)
    c.setDash()
    p = c.beginPath()
    p.moveTo(x2, y2)
    p.lineTo(x2 - head * math.cos(ang - 0.42), y2 - head * math.sin(ang - 0.42))
    p.lineTo(x2 - head * math.cos(ang + 0.42), y2 - head * math.sin(ang + 0.42))
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.restoreState()


def _chart(c, width: float, height: float, wall: Wall, rule: dict | None) -> None:
    k, pl = wall.k, wall.lang
    two_rows = not wall.landscape
    cols = 3 if two_rows else 6
    gap = (13 if two_rows else 9) * mm * k
    bw = (width - (cols - 1) * gap) / cols
    rows = 2 if two_rows else 1
    foot = 24 * mm * k if pl.bilingual else 19 * mm * k       # the reception strip at the bottom
    side_h = (height - foot) * (0.24 if two_rows else 0.25)
    flow_h = height - foot - side_h - 7 * mm * k
    row_gap = 12 * mm * k
    bh = (flow_h - (rows - 1) * row_gap) / rows
    boxes = []
    for i in range(6):
        r, col = divmod(i, cols)
        if two_rows and r == 1:
            col = cols - 1 - col            # the second row runs back, right to left
        x = col * (bw + gap)
        y = height - (r + 1) * bh - r * row_gap
        boxes.append((x, y))
    due = [pl.tr(MSG_DUE, normal=NORMAL_DAYS, complex=COMPLEX_DAYS)] if not pl.bilingual else \
        pl.texts(MSG_DUE, normal=NORMAL_DAYS, complex=COMPLEX_DAYS)
    badges = {0: board.rule_texts(pl, rule)[:2], 2: due}
    # one size for every box's name, text and time limit, the smallest any needs
    sizes: dict[str, float] = {}
    for i, (name, what) in enumerate(STEPS):
        for key, size in _step_sizes(pl.texts(name), pl.texts(what), badges.get(i, []), bw, bh,
                                     k).items():
            sizes[key] = min(size, sizes.get(key, size))
    for i, ((name, what), (x, y)) in enumerate(zip(STEPS, boxes)):
        _step(c, i + 1, pl.texts(name), pl.texts(what), badges.get(i, []), x, y, bw, bh, k,
              sizes)
    # arrows between the steps
    for i in range(5):
        (x1, y1), (x2, y2) = boxes[i], boxes[i + 1]
        if abs(y1 - y2) < 1:
            if x2 > x1:
                _arrow(c, x1 + bw + 1.2 * mm * k, y1 + bh / 2, x2 - 1.2 * mm * k, y2 + bh / 2, k)
            else:
                _arrow(c, x1 - 1.2 * mm * k, y1 + bh / 2, x2 + bw + 1.2 * mm * k, y2 + bh / 2, k)
        else:
            _arrow(c, x1 + bw / 2, y1 - 1.2 * mm * k, x2 + bw / 2, y2 + bh + 1.2 * mm * k, k)
    # side roads under (or beside) their step
    sw = (width - 2 * gap) / 3
    sy = foot + 4 * mm * k
    params = {"days": RETURN_WINDOW_DAYS}
    strip = board.title_strip_height(1, k, 11.5)
    inner_w, inner_h = sw - 6.4 * mm * k - 1 * mm * k, side_h - strip - 6.4 * mm * k
    side_size = min(board.fit(pl.texts(text, **params), inner_w, inner_h, size=12 * k,
                              floor=5.5 * k, leading=1.3).size for _, _, text in SIDE)
    for n, (step, title, text) in enumerate(SIDE):
        sx = n * (sw + gap)
        x, y, iw, ih = board.card(c, sx, sy, sw, side_h, k, title=[" / ".join(pl.texts(title))],
                                  title_size=11.5)
        fit_text(c, pl.texts(text, **params), x + 1 * mm * k, y + ih, iw - 1 * mm * k, ih,
                 size=side_size, min_size=side_size, floor=5.5 * k, leading=1.3)
        bx, by = boxes[step]
        if not two_rows:
            _arrow(c, bx + bw / 2, by - 1.2 * mm * k, bx + bw / 2 if abs(bx + bw / 2 - (sx + sw / 2)) < 1
                   else sx + sw / 2, sy + side_h + 1.2 * mm * k, k, color=GOLD, dashed=True,
                   width=1.5)
    # the reception strip
    c.saveState()
    c.setFillColor(board.TINT)
    c.setStrokeColor(board.BORDER)
    c.setLineWidth(0.6 * k)
    c.roundRect(0, 0, width, foot, 2 * mm * k, stroke=1, fill=1)
    c.restoreState()
    label = " / ".join(pl.texts(MSG_RECEPTION))
    lw = min(measure(label) * 12 * k + 8 * mm * k, width * 0.3)
    fit_text(c, [label], 4 * mm * k, foot - 2.5 * mm * k, lw - 4 * mm * k, foot - 5 * mm * k,
             size=12 * k, color=ACCENT_DARK, bold=True, valign="middle", floor=6 * k)
    where = (rule or {}).get("place") or ""
    lines = ["    ".join(p for p in (t, where) if p) for t in board.rule_texts(pl, rule)]
    lines += ["  ".join(pair) for pair in zip(_pad(pl.texts(board.MSG_RULE_MOVED), pl),
                                              _pad(pl.texts(MSG_OVERDUE), pl))]
    fit_text(c, lines, lw + 2 * mm * k, foot - 2.5 * mm * k, width - lw - 6 * mm * k,
             foot - 5 * mm * k, size=11 * k, floor=5 * k, valign="middle", leading=1.3)


def _pad(texts: list[str], pl) -> list[str]:
    return (texts * len(pl.languages))[:len(pl.languages)] if len(texts) == 1 else texts


def _geometry(names: list[str], badge: list[str], w: float, h: float, k: float) -> dict:
    """The parts of a step box, relative to its lower left corner."""
    head = min(h * 0.28, (13 + 8 * len(names)) * mm * k * 0.6)
    r = min(head * 0.30, 5 * mm * k)
    cx = 2.5 * mm * k + r
    nx = cx + r + 2 * mm * k
    pad = 2.8 * mm * k
    badge_h = (4.0 * mm * k * 2 * len(badge) + 2.2 * mm * k) if badge else 0  # two lines each
    body_top = h - head - pad
    return {"head": head, "r": r, "cx": cx, "nx": nx, "pad": pad, "badge_h": badge_h,
            "name_w": w - nx - 2 * mm * k, "name_h": head - 3 * mm * k,
            "body_top": body_top, "body_w": w - 2 * pad,
            "body_h": body_top - pad - badge_h - (1.5 * mm * k if badge else 0),
            "badge_w": w - 2 * pad, "badge_in": badge_h - 2 * mm * k}


def _step_sizes(names: list[str], what: list[str], badge: list[str], w: float, h: float,
                k: float) -> dict[str, float]:
    g = _geometry(names, badge, w, h, k)
    out = {"name": board.fit(names, g["name_w"], g["name_h"], size=17 * k, min_size=9 * k,
                             floor=7 * k, leading=1.15).size,
           "what": board.fit(what, g["body_w"], g["body_h"], size=13 * k, floor=5 * k,
                             leading=1.3).size}
    if badge:
        out["badge"] = board.fit(badge, g["badge_w"], g["badge_in"], size=11 * k, floor=5 * k,
                                 leading=1.25).size
    return out


def _step(c, number: int, names: list[str], what: list[str], badge: list[str], x: float,
          y: float, w: float, h: float, k: float, sizes: dict[str, float]) -> None:
    g = _geometry(names, badge, w, h, k)
    head, r, pad, badge_h = g["head"], g["r"], g["pad"], g["badge_h"]
    c.saveState()
    c.setFillColor(board.PAPER)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.4 * k)
    c.roundRect(x, y, w, h, 3 * mm * k, stroke=1, fill=1)
    p = c.beginPath()
    p.roundRect(x, y + h - head, w, head, 3 * mm * k)
    c.clipPath(p, stroke=0, fill=0)
    c.setFillColor(ACCENT)
    c.rect(x, y + h - head, w, head, stroke=0, fill=1)
    c.restoreState()
    c.saveState()
    cx, cy = x + g["cx"], y + h - head / 2
    c.setFillColor(GOLD)
    c.circle(cx, cy, r, stroke=0, fill=1)
    c.setFillColor(board.PAPER)
    c.setFont(board.fonts.FONT, r * 1.3)
    c.drawCentredString(cx, cy - r * 0.45, str(number))
    c.restoreState()
    s = sizes["name"]
    fit_text(c, names, x + g["nx"], y + h - 1.5 * mm * k, g["name_w"], g["name_h"], size=s,
             min_size=s, floor=min(s, 7 * k), color=board.PAPER, bold=True, valign="middle",
             leading=1.15)
    s = sizes["what"]
    fit_text(c, what, x + pad, y + g["body_top"], g["body_w"], g["body_h"], size=s, min_size=s,
             floor=min(s, 5 * k), leading=1.3)
    if badge:
        c.saveState()
        c.setFillColor(colors_badge())
        c.setStrokeColor(GOLD)
        c.setLineWidth(0.6 * k)
        c.roundRect(x + pad * 0.6, y + pad * 0.6, w - 1.2 * pad, badge_h, 1.5 * mm * k,
                    stroke=1, fill=1)
        c.restoreState()
        s = sizes["badge"]
        fit_text(c, badge, x + pad, y + pad * 0.6 + badge_h - 1.2 * mm * k, g["badge_w"],
                 g["badge_in"], size=s, min_size=s, floor=min(s, 5 * k), color=ACCENT_DARK,
                 valign="middle", leading=1.25)


def colors_badge():
    from reportlab.lib import colors

    return colors.HexColor("#fff7e0")
