"""The duty roster (接待日值班表 / 접대일 당직표): A4, one row per reception day
with the deputies on duty, their levels and groups, for a month or a year.

Input is plain data: the days of ``services.reception.days`` (each with its
``deputies``) and the station profile.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from station_desk import i18n
from station_desk.domain.deputies import LEVEL_LABELS, Level
from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import PageSetup, PrintLanguage, Styles, para

TITLE = N_("Reception Day Duty Roster")

# (header msgid, width in mm); the deputies column holds name / level / group
COLUMNS: list[tuple[str, float]] = [
    (N_("No."), 8), (N_("Date"), 25), (N_("Weekday"), 15), (N_("Time"), 18),
    (N_("Deputies on duty"), 80), (N_("Place"), 24), (N_("Note"), 16),
]
DEPUTY_PARTS = ((N_("Name"), 0.36), (N_("Level"), 0.30), (N_("Group"), 0.34))

MSG_YEAR = N_("Year {year}")
MONTH_PATTERNS = {"zh_CN": "y年M月", "ko": "y년 M월", "en": "MMMM y"}
MSG_DAYS = N_("Reception days: {count}")
MSG_CANCELLED_COUNT = N_("Cancelled: {count}")
MSG_DUTIES = N_("Duties per deputy: {list}")
MSG_CANCELLED = N_("Cancelled")
MSG_NOBODY = N_("No deputy on duty yet")


def render(days: list[dict], station: dict, *, lang: str, printed_on: date, year: int,
           month: int | None = None) -> bytes:
    """The roster of ``days`` (one month or a whole year) as PDF bytes."""
    pl = layout.print_language(lang, station)
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      subtitle=tuple(_subtitle(pl, year, month)))
    st = layout.styles(setup.body_size)
    scale = setup.frame_width / (sum(w for _, w in COLUMNS) * mm)
    deputy_width = COLUMNS[4][1] * mm * scale - 2 * layout.CELL_PADDING
    header = [layout.cell(pl.texts(msgid), st.head, min_size=6.5) for msgid, _ in COLUMNS]
    header[4] = _deputy_header(pl, st, deputy_width)
    rows = [_row(n, d, pl, st, deputy_width) for n, d in enumerate(days, start=1)]
    table = layout.data_table(header, rows, [w for _, w in COLUMNS],
                              total_width=setup.frame_width, st=st,
                              center_columns=(0, 1, 2, 3))
    body = [table, Spacer(1, 3 * mm), _summary(days, pl, st)]
    return layout.render(setup, body, st=st)


def _subtitle(pl: PrintLanguage, year: int, month: int | None) -> list[str]:
    out: list[str] = []
    for code in pl.languages:
        if month:
            text = i18n.format_date(date(year, month, 1), code, fmt=MONTH_PATTERNS[code])
        else:
            text = PrintLanguage(code).tr(MSG_YEAR, year=year)
        if text not in out:
            out.append(text)
    return out


def weekday(d: date, pl: PrintLanguage) -> list[str]:
    """星期一 / 월요일 / Monday, in each language."""
    return list(dict.fromkeys(i18n.format_date(d, code, fmt="EEEE") for code in pl.languages))


def level_texts(levels: list[str], pl: PrintLanguage) -> list[str]:
    """The levels of a deputy, one line per language (乡(镇)、县(市))."""
    out: list[str] = []
    for code in pl.languages:
        one = PrintLanguage(code)
        sep = "、" if code == "zh_CN" else ", "
        text = sep.join(one.tr(LEVEL_LABELS[Level(lv)]) if lv in Level._value2member_map_ else lv
                        for lv in levels)
        if text and text not in out:
            out.append(text)
    return out


def name_texts(person: dict) -> list[str]:
    name, ko = (person.get("name") or "").strip(), (person.get("name_ko") or "").strip()
    return [name] + ([ko] if ko and ko != name else [])


def _inner(rows: list[list[object]], width: float, *, head: bool = False) -> Table:
    widths = [width * share for _, share in DEPUTY_PARTS]
    t = Table(rows, colWidths=widths, hAlign="LEFT")
    cmds = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if not head and len(rows) > 1:
        cmds.append(("LINEBELOW", (0, 0), (-1, -2), 0.25, layout.HEAD_FILL))
    t.setStyle(TableStyle(cmds))
    return t


def _deputy_header(pl: PrintLanguage, st: Styles, width: float) -> list[object]:
    top = layout.cell(pl.texts(COLUMNS[4][0]), st.head, min_size=6.5)
    parts = [layout.cell(pl.texts(msgid), st.small, min_size=5.5) for msgid, _ in DEPUTY_PARTS]
    return [top, _inner([parts], width, head=True)]


def _row(n: int, d: dict, pl: PrintLanguage, st: Styles, width: float) -> list[object]:
    day: date = d["day"]
    people = d.get("deputies") or []
    if people:
        deputies: object = _inner([[
            layout.cell(name_texts(p), st.cell, min_size=6.5),
            layout.cell(level_texts(p.get("levels") or [], pl), st.cell, min_size=6),
            layout.cell(pl.pick(p.get("group_name"), p.get("group_name_ko")), st.cell, min_size=6),
        ] for p in people], width)
    else:
        deputies = layout.cell(pl.texts(MSG_NOBODY), st.small)
    note = [t for t in ([*pl.texts(MSG_CANCELLED)] if d.get("cancelled") else [])]
    if d.get("note"):
        note.append(d["note"])
    time = "–".join(t for t in (d.get("start_time"), d.get("end_time")) if t)
    return [
        str(n),
        layout.cell(pl.dates(day), st.cell_center, min_size=6.5),
        layout.cell(weekday(day, pl), st.cell_center, min_size=6.5),
        layout.cell(time, st.cell_center, min_size=6.5),
        deputies,
        layout.cell(d.get("place") or "", st.cell, min_size=7),
        layout.cell(note, st.cell, min_size=6.5),
    ]


def _summary(days: list[dict], pl: PrintLanguage, st: Styles) -> Paragraph:
    """Days, cancelled days and each deputy's number of duties, per language."""
    live = [d for d in days if not d.get("cancelled")]
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for d in live:
        for p in d.get("deputies") or []:
            counts[p["id"]] += 1
            names[p["id"]] = p.get("name") or ""
    ranked = sorted(counts, key=lambda i: (-counts[i], names[i]))
    out: list[str] = []
    for code in pl.languages:
        one = PrintLanguage(code)
        parts = [one.tr(MSG_DAYS, count=len(live))]
        if len(live) != len(days):
            parts.append(one.tr(MSG_CANCELLED_COUNT, count=len(days) - len(live)))
        line = layout.GAP.join(layout.markup(p) for p in parts)
        if ranked:
            sep = "、" if code == "zh_CN" else ", "
            listing = sep.join(f"{names[i]} {counts[i]}" for i in ranked)
            line += "<br/>" + layout.markup(one.tr(MSG_DUTIES, list=listing))
        if line not in out:
            out.append(line)
    return para("<br/>".join(out), st.body, is_markup=True)
