"""The station's evaluation table (代表履职考评表 / 대표리직평가표): every
deputy ranked, the points of each item of the scheme, the total, the grade
and the warnings; the grade counts and the head's signature line below.
A4 landscape, header repeated on every page.

Input is plain data, as ``services.evaluation.results`` gives it: ``run``
(period, computed_at/by, approved_by/at, ``scheme``) and ``rows``, plus the
station profile.  The item labels are the scheme's own words (data).
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from station_desk.domain.evaluation import GRADE_LABELS, Grade, warning_text
from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import PageSetup, PrintLanguage, Styles, para

TITLE = N_("Deputies' Performance Evaluation")
MSG_PERIOD = N_("Period {period}, scheme: {scheme}")
MSG_COMPUTED = N_("Computed on {date} by {name}")
MSG_APPROVED = N_("Approved on {date} by {name}")
MSG_NOT_APPROVED = N_("Not yet approved")
MSG_GRADE_COUNT = N_("{grade}: {count}")
MSG_TOTAL_COUNT = N_("Deputies evaluated: {count}")
MSG_SIGN = N_("Station head (signature): ______________    Date: ______________")
MSG_NO_RESULTS = N_("There is no evaluation of this period yet.")
COL_RANK = N_("Rank")
COL_NAME = N_("Name")
COL_HALVES = N_("First / second half")
COL_TOTAL = N_("Total")
COL_GRADE = N_("Grade")
COL_WARNINGS = N_("Warnings")


def render(results: dict | None, station: dict, *, lang: str, printed_on: date,
           period: str = "") -> bytes:
    """The evaluation table as PDF bytes (a page saying there is none yet when
    ``results`` is None)."""
    pl = layout.print_language(lang, station)
    if not results:
        setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                          landscape=True, subtitle=(period,))
        st = layout.styles(setup.body_size)
        return layout.render(setup, [para(layout.lines(pl.texts(MSG_NO_RESULTS)), st.body,
                                          is_markup=True)], st=st)
    run, rows = results["run"], results["rows"]
    scheme = run["scheme"]
    subtitle = []
    for code in pl.languages:
        one = PrintLanguage(code)
        line = one.tr(MSG_PERIOD, period=run["period"], scheme=scheme.get("name", ""))
        line += "    " + one.tr(MSG_COMPUTED, date=layout.iso(run["computed_at"]),
                                name=run.get("computed_by") or "")
        line += "    " + (one.tr(MSG_APPROVED, date=layout.iso(run["approved_at"]),
                                 name=run["approved_by"]) if run.get("approved_by")
                          else one.tr(MSG_NOT_APPROVED))
        if line not in subtitle:
            subtitle.append(line)
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      landscape=True, subtitle=tuple(subtitle), body_size=8.5)
    st = layout.styles(setup.body_size)
    items = scheme.get("items") or []
    halves = scheme.get("combine") == "halves" and any(r.get("halves") for r in rows)
    head = [layout.cell(pl.texts(COL_RANK), st.head, min_size=6),
            layout.cell(pl.texts(COL_NAME), st.head, min_size=6)]
    # item names wrap rather than shrink: they are the scheme's own words, often long
    head += [layout.cell([it["label"] + (" (-)" if it.get("sign") == "-" else "")], st.head,
                         min_size=st.head.fontSize) for it in items]
    if halves:
        head.append(layout.cell(pl.texts(COL_HALVES), st.head, min_size=6))
    head += [layout.cell(pl.texts(COL_TOTAL), st.head, min_size=6),
             layout.cell(pl.texts(COL_GRADE), st.head, min_size=6),
             layout.cell(pl.texts(COL_WARNINGS), st.head, min_size=6)]
    body_rows = [_row(r, items, halves, pl, st) for r in rows]
    widths = [3.2, 7.5] + [5.2] * len(items) + ([7.5] if halves else []) + [4.6, 6, 11]
    n_items = len(items) + (1 if halves else 0)
    table = layout.data_table(head, body_rows, widths, total_width=setup.frame_width, st=st,
                              center_columns=[0, *range(2, 2 + n_items + 2)], zebra=True)
    body: list[Flowable] = [table, Spacer(1, 3 * mm), _counts(rows, pl, st), Spacer(1, 8 * mm),
                            para(layout.lines(pl.texts(MSG_SIGN)), st.body, is_markup=True)]
    return layout.render(setup, body, st=st)


def _fmt(x: object) -> str:
    # + 0.0 turns a deduction of nothing (-0.0) into 0
    return f"{float(x) + 0.0:g}" if x not in (None, "") else ""


def _grade_texts(grade: str, pl: PrintLanguage) -> list[str]:
    try:
        return pl.texts(GRADE_LABELS[Grade(grade)])
    except ValueError:
        return [grade]


def warning_texts(w: dict, pl: PrintLanguage) -> list[str]:
    out: list[str] = []
    for code in pl.languages:
        text = warning_text(w, PrintLanguage(code).tr)
        if text not in out:
            out.append(text)
    return out


def _row(r: dict, items: list[dict], halves: bool, pl: PrintLanguage, st: Styles) -> list:
    name = [layout.cell(r.get("name") or "", st.name)]
    if r.get("name_ko") and r["name_ko"] != r.get("name") and "ko" in pl.languages:
        name.append(layout.cell(r["name_ko"], st.reading))
    halves_cell = []
    if halves:
        h = r.get("halves") or []
        halves_cell = [f"{_fmt(h[0])} / {_fmt(h[1])}" if len(h) == 2 else ""]
    warnings = []
    for w in r.get("warnings") or []:
        warnings += warning_texts(w, pl)
    return [str(r["rank"]), name,
            *[_fmt(r["items"].get(it["key"], 0)) for it in items],
            *halves_cell, _fmt(r["total"]),
            layout.cell(_grade_texts(r["grade"], pl), st.cell_center, min_size=6),
            layout.cell(warnings, st.cell, min_size=6) if warnings else ""]


def _counts(rows: list[dict], pl: PrintLanguage, st: Styles) -> Flowable:
    counts = Counter(r["grade"] for r in rows)
    out = []
    for code in pl.languages:
        one = PrintLanguage(code)
        parts = [one.tr(MSG_TOTAL_COUNT, count=len(rows))]
        parts += [one.tr(MSG_GRADE_COUNT, grade=one.tr(GRADE_LABELS[g]), count=counts[g.value])
                  for g in Grade if counts.get(g.value)]
        line = layout.GAP.join(layout.markup(p) for p in parts)
        if line not in out:
            out.append(line)
    return para("<br/>".join(out), st.body, is_markup=True)
