"""The annual activity plan (年度活动计划 / 년도 활동계획): A4 portrait, one row
per planned activity, month by month: month, kind, theme, notes and (option)
whether and when it was held.

Input is plain data: the items of ``services.activities.plan`` (month, kind,
theme, notes, held, activities) and the station profile.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from station_desk import i18n
from station_desk.domain.activities import STATUS_LABELS, ActivityStatus
from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import PageSetup, PrintLanguage, Styles, para
from station_desk.printing.sign_in_sheet import kind_texts

TITLE = N_("Annual Activity Plan")
MSG_YEAR = N_("Year {year}")
MSG_PLANNED = N_("Planned: {count}")
MSG_HELD_COUNT = N_("Held: {count}")
MONTH_PATTERNS = {"zh_CN": "M月", "ko": "M월", "en": "MMMM"}
DAY_PATTERNS = {"zh_CN": "M月d日", "ko": "M월 d일", "en": "d MMM"}

# (header msgid, relative width, centred)
COLUMNS: list[tuple[str, float, bool]] = [
    (N_("Month"), 12, True),
    (N_("Kind"), 30, True),
    (N_("Theme"), 58, False),
    (N_("Notes"), 34, False),
]
HELD_COLUMN = (N_("Held on"), 20, True)


def render(items: list[dict], station: dict, *, lang: str, printed_on: date, year: int,
           show_held: bool = True) -> bytes:
    """The plan of ``year`` as PDF bytes (``items`` in month order)."""
    pl = layout.print_language(lang, station)
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      subtitle=tuple(pl.texts(MSG_YEAR, year=year)), body_size=9.5)
    st = layout.styles(setup.body_size)
    columns = COLUMNS + ([HELD_COLUMN] if show_held else [])
    header = [layout.cell(pl.texts(m), st.head, min_size=7) for m, _, _ in columns]
    rows = []
    previous = None
    for item in sorted(items, key=lambda i: int(i.get("month") or 0)):
        month = int(item.get("month") or 0)
        row = [
            layout.cell(_month(year, month, pl) if month != previous else "", st.cell_center),
            layout.cell(kind_texts(item.get("kind"), pl), st.cell_center, min_size=7),
            item.get("theme") or "",
            item.get("notes") or "",
        ]
        if show_held:
            row.append(layout.cell(_held(item, pl), st.cell_center, min_size=7))
        rows.append(row)
        previous = month
    table = layout.data_table(header, rows, [w for _, w, _ in columns],
                              total_width=setup.frame_width, st=st,
                              center_columns=[i for i, c in enumerate(columns) if c[2]])
    body = [table, Spacer(1, 3 * mm)]
    if show_held:
        body.append(_summary(items, pl, st))
    return layout.render(setup, body, st=st)


def _month(year: int, month: int, pl: PrintLanguage) -> list[str]:
    if not 1 <= month <= 12:
        return []
    return list(dict.fromkeys(i18n.format_date(date(year, month, 1), code,
                                               fmt=MONTH_PATTERNS[code])
                              for code in pl.languages))


def held_activities(item: dict) -> list[dict]:
    return [a for a in item.get("activities") or []
            if a.get("status") == ActivityStatus.HELD]


def _held(item: dict, pl: PrintLanguage) -> list[str]:
    """The days the item was held on (3月12日); "cancelled" when its only
    activities were cancelled; empty when nothing was held yet."""
    held = held_activities(item)
    days = sorted({(a.get("starts_at") or "")[:10] for a in held if a.get("starts_at")})
    if days:
        out: list[str] = []
        for code in pl.languages:
            text = "、".join(i18n.format_date(d, code, fmt=DAY_PATTERNS[code]) for d in days) \
                if code == "zh_CN" else ", ".join(i18n.format_date(d, code, fmt=DAY_PATTERNS[code])
                                                  for d in days)
            if text not in out:
                out.append(text)
        return out
    if item.get("held"):
        return ["✓"]
    activities = item.get("activities") or []
    if activities and all(a.get("status") == ActivityStatus.CANCELLED for a in activities):
        return pl.texts(STATUS_LABELS[ActivityStatus.CANCELLED])
    return []


def _summary(items: list[dict], pl: PrintLanguage, st: Styles) -> Paragraph:
    held = sum(1 for i in items if held_activities(i) or i.get("held"))
    out: list[str] = []
    for code in pl.languages:
        one = PrintLanguage(code)
        line = layout.GAP.join(layout.markup(t) for t in (
            one.tr(MSG_PLANNED, count=len(items)), one.tr(MSG_HELD_COUNT, count=held)))
        if line not in out:
            out.append(line)
    return para("<br/>".join(out), st.body, is_markup=True)
