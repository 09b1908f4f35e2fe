"""The monthly public summary (月度公示 / 월간공시): how many matters voters
brought to the station in the month by category, how many were handled by
outcome, and how satisfied the voters were — counts only: no name, no phone,
no words of any voter, and confidential matters are not counted.
Input is plain data: ``services.notices.monthly_summary``.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm

from station_desk.domain.cases import (
    CATEGORY_LABELS, OUTCOME_LABELS, SATISFACTION_LABELS, Category, Outcome, Satisfaction,
)
from station_desk.i18n import N_
from station_desk.printing.wall import board
from station_desk.printing.wall.board import ACCENT, ACCENT_DARK, GOLD, GREY, INK, fit_text

TITLE = N_("Monthly Public Summary")
MSG_RECEIVED = N_("Matters received")
MSG_HANDLED = N_("Matters handled")
MSG_REPLIED = N_("Replies to voters")
MSG_SATISFIED = N_("Satisfied or basically satisfied")
MSG_BY_CATEGORY = N_("Received, by kind of matter")
MSG_BY_OUTCOME = N_("Handled, by outcome")
MSG_BY_SATISFACTION = N_("Voters' satisfaction with the replies")
MSG_NOTE = N_("This summary gives numbers only: it names no voter. Matters handled in "
              "confidence are not counted.")
MSG_NONE = N_("None this month")


def render(data: dict, station: dict, *, lang: str, printed_on: date, size: str = "a4",
           orientation: str = "auto") -> bytes:
    """The summary of ``data['year']``/``data['month']`` as PDF bytes."""
    wall = board.make(TITLE, station, lang=lang, printed_on=printed_on, size=size,
                      orientation=orientation, default_landscape=False)
    wall.subtitle = board.month_texts(wall.lang, data["year"], data["month"])
    k, pl = wall.k, wall.lang
    received = data.get("received") or {}
    handled = data.get("handled") or {}
    satisfaction = data.get("satisfaction") or {}
    replied = sum(satisfaction.values())
    good = satisfaction.get("satisfied", 0) + satisfaction.get("basically", 0)
    rate = f"{round(100 * good / replied)}%" if replied else "–"
    tiles = [(MSG_RECEIVED, str(sum(received.values()))), (MSG_HANDLED, str(sum(handled.values()))),
             (MSG_REPLIED, str(replied)), (MSG_SATISFIED, rate)]

    def kpis(c, w, h):
        gap = 4 * mm * k
        tw = (w - 3 * gap) / 4
        for i, (msgid, value) in enumerate(tiles):
            x = i * (tw + gap)
            c.saveState()
            c.setFillColor(ACCENT if i == 0 else board.TINT)
            c.setStrokeColor(board.BORDER)
            c.setLineWidth(0.6 * k)
            c.roundRect(x, 0, tw, h, 2.2 * mm * k, stroke=0 if i == 0 else 1, fill=1)
            c.restoreState()
            color = board.PAPER if i == 0 else ACCENT_DARK
            fit_text(c, [value], x, h - 2 * mm * k, tw, h * 0.5, size=min(h * 0.4, 38 * k),
                     align="center", color=color, bold=True, valign="middle", leading=1.1)
            fit_text(c, pl.texts(msgid), x + 2 * mm * k, h * 0.46, tw - 4 * mm * k, h * 0.42,
                     size=11 * k, floor=5 * k, align="center",
                     color=board.PAPER if i == 0 else INK, valign="middle", leading=1.2)

    sections = [
        (MSG_BY_CATEGORY, [(CATEGORY_LABELS[c_], received.get(c_.value, 0)) for c_ in Category]),
        (MSG_BY_OUTCOME, [(OUTCOME_LABELS[o], handled.get(o.value, 0)) for o in Outcome]),
        (MSG_BY_SATISFACTION, [(SATISFACTION_LABELS[s], satisfaction.get(s.value, 0))
                               for s in Satisfaction]),
    ]
    def page(c, w: float, h: float) -> None:
        gap = 5 * mm * k
        kpi_h = min(34 * mm * k, h * 0.18)
        note_h = 12 * mm * k
        c.saveState()
        c.translate(0, h - kpi_h)
        kpis(c, w, kpi_h)
        c.restoreState()
        room = h - kpi_h - note_h - 4 * gap
        weights = [len(bars) + 1.6 for _, bars in sections]
        top = h - kpi_h - gap
        for (msgid, bars), weight in zip(sections, weights):
            sh = room * weight / sum(weights)
            c.saveState()
            c.translate(0, top - sh)
            _bars(pl.texts(msgid), bars, wall)(c, w, sh)
            c.restoreState()
            top -= sh + gap
        fit_text(c, pl.texts(MSG_NOTE), 0, note_h, w, note_h, size=10.5 * k, floor=5 * k,
                 color=GREY, leading=1.3)

    body: list = [board.Block(None, page)]
    return board.render(wall, body)


def _bars(title: list[str], bars: list[tuple[str, int]], wall):
    k, pl = wall.k, wall.lang

    def draw(c, w: float, h: float) -> None:
        x, y, iw, ih = board.card(c, 0, 0, w, h, k, title=[" / ".join(title)], title_size=13)
        total = sum(n for _, n in bars)
        most = max([n for _, n in bars] + [1])
        label_w = iw * (0.46 if pl.bilingual else 0.36)
        row = ih / len(bars)
        for i, (msgid, n) in enumerate(bars):
            top = y + ih - i * row
            fit_text(c, [" / ".join(pl.texts(msgid))], x + 1 * mm * k, top, label_w - 3 * mm * k, row,
                     size=11.5 * k, floor=5 * k, valign="middle", leading=1.2)
            bx = x + label_w
            bw_full = iw - label_w - 22 * mm * k
            bar_h = min(row * 0.5, 7 * mm * k)
            by = top - row / 2 - bar_h / 2
            c.saveState()
            c.setFillColor(board.LIGHT)
            c.roundRect(bx, by, bw_full, bar_h, bar_h / 3, stroke=0, fill=1)
            if n:
                c.setFillColor(ACCENT)
                c.roundRect(bx, by, max(bar_h, bw_full * n / most), bar_h, bar_h / 3, stroke=0,
                            fill=1)
            c.restoreState()
            share = f"{n}  ({round(100 * n / total)}%)" if total else str(n)
            fit_text(c, [share], bx + bw_full + 2 * mm * k, top, 20 * mm * k, row, size=11.5 * k,
                     floor=5 * k, color=ACCENT_DARK, valign="middle", bold=True)

    return draw
