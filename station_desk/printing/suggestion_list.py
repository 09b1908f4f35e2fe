"""The list of deputies' suggestions and motions (代表建议办理情况一览表 /
대표건의처리정황일람표) of a period with their handling, and the rates:
completion, face-to-face reply, satisfaction, and solved (outcome A) shown
apart, because completed is not solved.  A4 landscape.

Input is plain data: the rows of ``services.suggestions.suggestions`` and
the dict of ``services.suggestions.rates``, plus the station profile.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from station_desk.domain.cases import OUTCOME_LABELS, SATISFACTION_LABELS, Outcome, Satisfaction
from station_desk.domain.deputies import LEVEL_LABELS, Level
from station_desk.domain.suggestions import KIND_LABELS, SuggestionKind
from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import PageSetup, PrintLanguage, Styles, para

TITLE = N_("Deputies' Suggestions and Their Handling")
MSG_PERIOD = N_("Submitted in {period}")
MSG_ALL = N_("All periods")
MSG_NONE = N_("No suggestions in this period.")
MSG_RATES = N_("Rates")
MSG_COMPLETION = N_("Completion rate")
MSG_F2F = N_("Face-to-face reply rate")
MSG_SATISFACTION = N_("Satisfaction rate")
MSG_SOLVED = N_("Solved (outcome A)")
MSG_FRACTION = N_("{rate} ({n} of {of})")
MSG_FACE_TO_FACE = N_("Face to face")
MSG_NOT_F2F = N_("Not face to face")
MSG_WAITING = N_("Waiting for reply")
COLUMNS = [(N_("No."), 3, True), (N_("Deputy"), 6.5, True), (N_("Kind"), 4.5, True),
           (N_("Congress"), 8.5, True), (N_("Title"), 19, False), (N_("Co-signers"), 8, False),
           (N_("Handling unit"), 10.5, False), (N_("Outcome"), 9.5, True),
           (N_("Reply"), 8.5, True), (N_("Satisfaction"), 6.5, True)]


def render(rows: list[dict], rates: dict, station: dict, *, lang: str, printed_on: date,
           period: str | None = None, readings: dict[str, str] | None = None) -> bytes:
    """The list as PDF bytes.  ``readings`` (name -> Korean reading) adds the
    reading to a co-signer named in the Korean and bilingual prints."""
    pl = layout.print_language(lang, station)
    subtitle = tuple(dict.fromkeys(
        PrintLanguage(c).tr(MSG_PERIOD, period=period) if period else PrintLanguage(c).tr(MSG_ALL)
        for c in pl.languages))
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      landscape=True, subtitle=subtitle, body_size=8.5)
    st = layout.styles(setup.body_size)
    width = setup.frame_width
    body = [_rates(rates, pl, st, width), Spacer(1, 4 * mm)]
    if rows:
        head = [layout.cell(pl.texts(m), st.head, min_size=6) for m, _, _ in COLUMNS]
        readings = (readings or {}) if "ko" in pl.languages else {}
        body.append(layout.data_table(head, [_row(n, r, pl, st, readings)
                                             for n, r in enumerate(rows, 1)],
                                      [w for _, w, _ in COLUMNS], total_width=width, st=st,
                                      center_columns=[i for i, (_, _, c) in enumerate(COLUMNS)
                                                      if c], zebra=True))
    else:
        body.append(para(layout.lines(pl.texts(MSG_NONE)), st.body, is_markup=True))
    return layout.render(setup, body, st=st)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:g}%"


def _rates(r: dict, pl: PrintLanguage, st: Styles, width: float) -> Table:
    pairs = [(MSG_COMPLETION, r["completion_rate"], r["completed"], r["total"]),
             (MSG_F2F, r["face_to_face_rate"], r["face_to_face"], r["completed"]),
             (MSG_SATISFACTION, r["satisfaction_rate"], r["satisfied"], r["answered"]),
             (MSG_SOLVED, r["solved_rate"], r["solved"], r["total"])]
    head = [para(layout.lines(pl.texts(m)), st.small, is_markup=True) for m, *_ in pairs]
    values = [para(layout.lines(pl.texts(MSG_FRACTION, rate=_pct(rate), n=n, of=of)), st.body,
                   is_markup=True) for _m, rate, n, of in pairs]
    table = Table([head, values], colWidths=[width / 4] * 4, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, layout.RULE),
        ("BACKGROUND", (0, 0), (-1, 0), layout.HEAD_FILL),
        # solved stands apart from the three handling rates
        ("LINEBEFORE", (3, 0), (3, -1), 1.6, layout.RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _label(table: dict, enum, value: str | None, pl: PrintLanguage) -> list[str]:
    try:
        return pl.texts(table[enum(value)])
    except ValueError:
        return [value or ""]


def _cosigners(text: str, readings: dict[str, str]) -> str:
    """Co-signers as typed, each known deputy followed by their Korean reading."""
    import re

    parts = re.split(r"([、,，;；\s]+)", text or "")
    return "".join(f"{p} {readings[p]}" if p in readings else p for p in parts)


def _row(n: int, r: dict, pl: PrintLanguage, st: Styles, readings: dict[str, str]) -> list:
    name = [layout.cell(r.get("name") or "", st.cell_center)]
    if r.get("name_ko") and r["name_ko"] != r.get("name") and "ko" in pl.languages:
        name.append(layout.cell(r["name_ko"], st.reading))
    if r.get("reply_on"):
        mode = MSG_FACE_TO_FACE if r.get("face_to_face") else MSG_NOT_F2F
        reply = [layout.iso(r["reply_on"]), *pl.texts(mode)]
    else:
        reply = pl.texts(MSG_WAITING)
    outcome = _label(OUTCOME_LABELS, Outcome, r.get("outcome"), pl) if r.get("outcome") else []
    satisfaction = (_label(SATISFACTION_LABELS, Satisfaction, r.get("satisfaction"), pl)
                    if r.get("satisfaction") else [])
    congress = _label(LEVEL_LABELS, Level, r.get("congress"), pl)
    if r.get("session"):
        congress = congress + [r["session"]]
    return [str(n), name,
            layout.cell(_label(KIND_LABELS, SuggestionKind, r.get("kind"), pl), st.cell_center,
                        min_size=6),
            layout.cell(congress, st.cell_center, min_size=6),
            r.get("title") or "", _cosigners(r.get("cosigners") or "", readings),
            r.get("handling_unit") or "",
            layout.cell(outcome, st.cell_center, min_size=6),
            layout.cell(reply, st.cell_center, min_size=6),
            layout.cell(satisfaction, st.cell_center, min_size=6)]
