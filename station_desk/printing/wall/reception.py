"""Reception days and this month's duty roster on the wall (接待日安排 /
접대일 안배): the station's rule (when and where voters are received) and
each reception day of the month as a calendar leaf with the time, the place
and the deputies on duty.  Input is plain data: ``services.notices.wall_reception``.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm

from station_desk import i18n
from station_desk.i18n import N_
from station_desk.printing.duty_roster import level_texts, weekday
from station_desk.printing.wall import board
from station_desk.printing.wall.board import ACCENT, ACCENT_DARK, GREY, INK, fit_text

TITLE = N_("Voter Reception Days")
MSG_WHEN = N_("When and where voters are received")
MSG_ROSTER = N_("Deputies on duty this month")
MSG_NO_DAYS = N_("No reception day this month.")
MSG_NO_RULE = N_("The reception days will be announced.")
MSG_CANCELLED = N_("Cancelled")
MSG_NOBODY = N_("The deputies on duty will be announced.")
MSG_WELCOME = N_("Every voter is welcome: you may speak Chinese or Korean.")
PER_ROW = 4   # deputies side by side in a day's card
DAY_FORMAT = {"zh_CN": "M月d日", "ko": "M월 d일", "en": "d MMMM"}


def render(data: dict, station: dict, *, lang: str, printed_on: date, size: str = "a4",
           orientation: str = "auto") -> bytes:
    """The reception notice of ``data['year']``/``data['month']`` as PDF bytes."""
    year, month = data["year"], data["month"]
    wall = board.make(TITLE, station, lang=lang, printed_on=printed_on, size=size,
                      orientation=orientation, default_landscape=False)
    wall.subtitle = board.month_texts(wall.lang, year, month)
    k, pl = wall.k, wall.lang
    rule = data.get("rule")
    lines = board.rule_texts(pl, rule)
    place = ((rule or {}).get("place") or station.get("address") or "").strip()
    moved, welcome = pl.texts(board.MSG_RULE_MOVED), pl.texts(MSG_WELCOME)
    extra = [f"{a} {b}" for a, b in zip(moved * 2 if len(moved) == 1 else moved,
                                         welcome * 2 if len(welcome) == 1 else welcome)]
    extra = list(dict.fromkeys(extra))
    rule_h = (30 + 9 * len(lines) + 7 * len(extra)) * mm * k * (0.85 if pl.bilingual else 1)

    def when(c, w, h):
        x, y, iw, ih = board.card(c, 0, 0, w, h, k, title=[" / ".join(pl.texts(MSG_WHEN))],
                                  title_size=14)
        big = lines + ([place] if place else []) if lines else pl.texts(MSG_NO_RULE)
        used = fit_text(c, big, x + 2 * mm * k, y + ih, iw - 4 * mm * k, ih * 0.62, size=20 * k,
                        min_size=12 * k, floor=8 * k, color=ACCENT_DARK, bold=True,
                        valign="middle", leading=1.3)
        fit_text(c, extra, x + 2 * mm * k, y + ih * 0.37, iw - 4 * mm * k, ih * 0.37,
                 size=11.5 * k, floor=5.5 * k, color=GREY, valign="middle", leading=1.3)
        del used

    body: list = [board.Block(rule_h, when, space_after=6 * mm * k)]
    head = " / ".join(pl.texts(MSG_ROSTER))
    body.append(board.Block(12 * mm * k, lambda c, w, h: _heading(c, w, h, k, head)))
    days = data.get("days") or []
    if not days:
        body.append(board.Block(20 * mm * k, lambda c, w, h: fit_text(
            c, pl.texts(MSG_NO_DAYS), 0, h, w, h, size=14 * k, align="center", color=GREY,
            valign="middle")))
    heights = []
    for d in days:
        people = d.get("deputies") or []
        rows = max(1, -(-len(people) // PER_ROW))
        heights.append(max(30 * mm * k, (14 + 15 * rows) * mm * k * (1.2 if pl.bilingual else 1)))
    gap = 4 * mm * k
    room = wall.body_box[3] - rule_h - 6 * mm * k - 12 * mm * k - 1 * mm * k
    total = sum(heights) + gap * len(heights)
    if total > room:  # a weekly station: the days close up to stay on one page when they can
        scale = max((room - gap * len(heights) - 2) / sum(heights), 0.55)
        heights = [h * scale for h in heights]
        total = sum(heights) + gap * len(heights)
    for d, height in zip(days, heights):
        body.append(board.Block(height, _day(d, wall), space_after=gap))
    spare = room - total - (20 * mm * k if not days else 0)
    if spare >= 34 * mm * k:
        body.append(board.Block(min(spare - 1 * mm * k, 70 * mm * k), _bring(wall, station)))
    return board.render(wall, body)


def _bring(wall, station: dict):
    """What voters can bring and how to reach the station, in the space left."""
    from station_desk.printing.reception_notice import BRING, MSG_BRING, MSG_CONTACT

    k, pl = wall.k, wall.lang

    def draw(c, w: float, h: float) -> None:
        x, y, iw, ih = board.card(c, 0, 0, w, h, k, title=[" / ".join(pl.texts(MSG_BRING))],
                                  title_size=13)
        lines = [f"{n}. {t}" for n, msgid in enumerate(BRING, start=1) for t in pl.texts(msgid)]
        phone = (station.get("phone") or "").strip()
        tail = pl.texts(MSG_CONTACT, phone=phone) if phone else []
        f = board.fit(lines + tail, iw - 2 * mm * k, ih, size=12 * k, floor=5.5 * k, leading=1.4)
        top = y + ih
        body_lines = board.fit(lines, iw - 2 * mm * k, ih - len(tail) * f.leading, size=f.size,
                               min_size=f.size, floor=f.size, leading=1.4)
        top -= board.draw_lines(c, body_lines, x + 1 * mm * k, top, iw - 2 * mm * k)
        if tail:
            board.fit_text(c, [" / ".join(tail)] if not pl.bilingual else tail, x + 1 * mm * k,
                           top - 1 * mm * k, iw - 2 * mm * k, y + ih - (y + ih - top) - y,
                           size=f.size, floor=5.5 * k, color=ACCENT_DARK, bold=True,
                           leading=1.4)

    return draw


def _heading(c, w: float, h: float, k: float, text: str) -> None:
    c.saveState()
    c.setFillColor(ACCENT)
    c.rect(0, h * 0.2, 2 * mm * k, h * 0.6, stroke=0, fill=1)
    c.restoreState()
    fit_text(c, [text], 4 * mm * k, h, w - 4 * mm * k, h, size=16 * k, color=ACCENT_DARK,
             bold=True, valign="middle", floor=8 * k)


def _day(d: dict, wall):
    k, pl = wall.k, wall.lang

    def draw(c, w: float, h: float) -> None:
        day: date = d["day"]
        cancelled = d.get("cancelled")
        c.saveState()
        c.setFillColor(board.PAPER)
        c.setStrokeColor(board.BORDER)
        c.setLineWidth(0.8 * k)
        c.roundRect(0, 0, w, h, 2.2 * mm * k, stroke=1, fill=1)
        leaf = 36 * mm * k
        c.setFillColor(GREY if cancelled else ACCENT)
        p = c.beginPath()
        p.roundRect(0, 0, leaf, h, 2.2 * mm * k)
        c.clipPath(p, stroke=0, fill=0)
        c.rect(0, 0, leaf, h, stroke=0, fill=1)
        c.restoreState()
        dates = list(dict.fromkeys(i18n.format_date(day, code, fmt=DAY_FORMAT[code])
                                   for code in pl.languages))
        fit_text(c, [str(day.day)], 0, h - 2 * mm * k, leaf, h * 0.5, size=min(h * 0.42, 34 * k),
                 align="center", color=board.PAPER, bold=True, valign="middle", leading=1.05)
        fit_text(c, [" ".join(dates[:1])] + weekday(day, pl), 2 * mm * k, h * 0.48, leaf - 4 * mm * k,
                 h * 0.44, size=10.5 * k, floor=5 * k, align="center", color=board.PAPER,
                 valign="middle", leading=1.25)
        x = leaf + 4 * mm * k
        iw = w - x - 4 * mm * k
        time = "–".join(t for t in (d.get("start_time"), d.get("end_time")) if t)
        info = "    ".join(t for t in (time, d.get("place") or "") if t)
        if cancelled:
            info = "    ".join([" / ".join(pl.texts(MSG_CANCELLED))] + ([d["note"]] if d.get("note") else []))
        fit_text(c, [info], x, h - 2.5 * mm * k, iw, 8 * mm * k, size=13 * k, floor=6 * k,
                 color=GREY if cancelled else ACCENT_DARK, bold=True, valign="middle")
        people = d.get("deputies") or []
        area_top, area_h = h - 11 * mm * k, h - 13 * mm * k
        if not people:
            fit_text(c, pl.texts(MSG_NOBODY), x, area_top, iw, area_h, size=11 * k, color=GREY)
            return
        cols = min(PER_ROW, len(people))
        rows = -(-len(people) // cols)
        cw, rh = iw / cols, area_h / rows
        show_ko = any(code == "ko" for code in pl.languages)
        for i, p in enumerate(people):
            r, col = divmod(i, cols)
            px, top = x + col * cw, area_top - r * rh
            names = [p.get("name") or ""]
            reading = (p.get("name_ko") or "").strip()
            if show_ko and reading and reading != names[0]:
                names[0] += f"  {reading}"
            fit_text(c, names, px, top, cw - 3 * mm * k, rh * 0.55, size=14 * k, min_size=9 * k,
                     floor=5.5 * k, color=INK, bold=True, valign="middle")
            fit_text(c, [" / ".join(level_texts(p.get("levels") or [], pl))], px,
                     top - rh * 0.55, cw - 3 * mm * k, rh * 0.42, size=10 * k, floor=5 * k,
                     color=GREY)

    return draw
