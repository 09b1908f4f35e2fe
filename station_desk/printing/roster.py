"""The deputy roster (代表名册 / 대표명단): A4 landscape, one row per deputy.

Input is plain data: the rows of ``services.registry.roster`` (each with its
``mandates``) and the station profile.  Phones are always masked.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from station_desk.domain import codes
from station_desk.domain.deputies import (
    DEPUTY_STATUS_LABELS, LEVEL_LABELS, SEX_LABELS, SUSPENSION_LABELS, TERMINATION_LABELS,
    DeputyStatus, Level, Sex,
)
from station_desk.domain.masking import mask_phone
from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import PageSetup, PrintLanguage, Styles, para

TITLE = N_("Deputy Roster")

# (header msgid, relative width, centred)
COLUMNS: list[tuple[str, float, bool]] = [
    (N_("No."), 3.2, True),
    (N_("Name"), 8.0, True),
    (N_("Sex"), 4.0, True),
    (N_("Ethnicity"), 5.6, True),
    (N_("Date of birth"), 7.2, True),
    (N_("Party"), 7.6, True),
    (N_("Levels (term)"), 12.4, False),
    (N_("Unit and post"), 19.0, False),
    (N_("Village"), 7.0, False),
    (N_("Group"), 8.2, False),
    (N_("Phone"), 8.4, True),
    (N_("Status"), 12.2, False),
]

MSG_LEVEL_TERM = N_("{level}, term {term}")
MSG_SUSPENDED_MANDATE = N_("{level}, term {term} (suspended)")
MSG_SINCE = N_("since {date}")
MSG_ENDED = N_("Ended {date}: {ground}")
MSG_TOTAL = N_("Total: {count}")
MSG_COUNT = N_("{label}: {count}")
MSG_STATUS_FILTER = N_("Status: {value}")
MSG_GROUP_FILTER = N_("Group: {value}")
MSG_LEVEL_FILTER = N_("Level: {value}")
MSG_ALL_STATUSES = N_("all deputies, former included")

STATUS_ORDER = (DeputyStatus.ACTIVE, DeputyStatus.SUSPENDED, DeputyStatus.FORMER)


def render(deputies: list[dict], station: dict, *, lang: str, printed_on: date,
           criteria: dict | None = None) -> bytes:
    """The roster as PDF bytes.

    ``criteria`` describes the selection for the subtitle: ``status``
    (active/suspended/former/all), ``group`` (a group name), ``level``."""
    pl = layout.print_language(lang, station)
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      landscape=True, subtitle=tuple(_subtitle(pl, criteria or {})))
    st = layout.styles(setup.body_size)
    head_cells = [layout.cell(pl.texts(msgid), st.head, min_size=7) for msgid, _, _ in COLUMNS]
    rows = [_row(i, d, pl, st) for i, d in enumerate(deputies, start=1)]
    table = layout.data_table(
        head_cells, rows, [w for _, w, _ in COLUMNS], total_width=setup.frame_width, st=st,
        center_columns=[i for i, (_, _, c) in enumerate(COLUMNS) if c])
    body = [table, Spacer(1, 3 * mm), _summary(deputies, pl, st)]
    return layout.render(setup, body, st=st)


def _subtitle(pl: PrintLanguage, criteria: dict) -> list[str]:
    """One line per language describing the selection."""
    out = []
    for code in pl.languages:
        one = PrintLanguage(code)
        parts = []
        status = criteria.get("status") or "all"
        if status == "all":
            value = one.tr(MSG_ALL_STATUSES)
        else:
            value = one.tr(DEPUTY_STATUS_LABELS[DeputyStatus(status)])
        parts.append(one.tr(MSG_STATUS_FILTER, value=value))
        if criteria.get("group"):
            parts.append(one.tr(MSG_GROUP_FILTER, value=criteria["group"]))
        if criteria.get("level"):
            parts.append(one.tr(MSG_LEVEL_FILTER, value=one.tr(LEVEL_LABELS[Level(criteria["level"])])))
        line = "    ".join(parts)
        if line not in out:
            out.append(line)
    return out


def _row(number: int, d: dict, pl: PrintLanguage, st: Styles) -> list[object]:
    name = [layout.cell(d.get("name") or "", st.name)]
    if d.get("name_ko") and d.get("name_ko") != d.get("name"):
        name.append(layout.cell(d["name_ko"], st.reading))
    sex = pl.texts(SEX_LABELS[Sex(d["sex"])]) if d.get("sex") in {s.value for s in Sex} else []
    ethnicity = _code_label(pl, d.get("ethnicity"), codes.ETHNICITY, codes.ETHNICITY_ZH)
    party = _code_label(pl, d.get("party"), codes.POLITICAL_STATUS, codes.POLITICAL_STATUS_ZH)
    unit_post = " ".join(p for p in ((d.get("unit") or "").strip(), (d.get("post") or "").strip()) if p)
    group = pl.pick(d.get("group_name"), d.get("group_name_ko"))
    phone = mask_phone(d.get("phone"))
    return [
        str(number),
        name,
        layout.cell(sex, st.cell_center, min_size=6.5),
        layout.cell(ethnicity, st.cell_center, min_size=6.5),
        layout.cell(layout.iso(d.get("birth_date")), st.cell_center, min_size=6.5),
        layout.cell(party, st.cell_center, min_size=6.5),
        layout.cell(_levels(d, pl), st.cell),
        unit_post,
        d.get("village") or "",
        layout.cell(group, st.cell, min_size=7.5),
        layout.cell(phone, st.cell_center, min_size=6.5),
        layout.cell(_status(d, pl), st.cell),
    ]


def _code_label(pl: PrintLanguage, code: str | None, table: dict, zh_table: dict) -> list[str]:
    if not code or code not in table:
        return [code] if code else []
    return pl.texts(table[code], zh=zh_table.get(code))


def _level_text(pl: PrintLanguage, m: dict, code: str, msgid: str) -> str:
    one = PrintLanguage(code)
    level = Level(m["level"]) if m["level"] in {lv.value for lv in Level} else None
    label = one.tr(LEVEL_LABELS[level]) if level else m["level"]
    return one.tr(msgid, level=label, term=m["term"])


def _levels(d: dict, pl: PrintLanguage) -> list[str]:
    """One line per mandate: the current ones, or for a former deputy the ended ones."""
    mandates = d.get("mandates") or []
    current = [m for m in mandates if m["status"] != "terminated"]
    shown = current if current else mandates
    out: list[str] = []
    for code in pl.languages:
        for m in shown:
            msgid = MSG_SUSPENDED_MANDATE if (m["status"] == "suspended" and current
                                              and d.get("status") != "suspended") else MSG_LEVEL_TERM
            text = _level_text(pl, m, code, msgid)
            if text not in out:
                out.append(text)
    return out


def _status(d: dict, pl: PrintLanguage) -> list[str]:
    """Status label; for a suspended deputy since when and why, for a former
    deputy the end date and legal ground of each mandate."""
    status = DeputyStatus(d.get("status") or "active")
    mandates = d.get("mandates") or []
    out: list[str] = []
    for code in pl.languages:
        one = PrintLanguage(code)
        out.append(one.tr(DEPUTY_STATUS_LABELS[status]))
        if status is DeputyStatus.SUSPENDED:
            since = sorted({m["status_since"] for m in mandates if m["status"] == "suspended"})
            if since:
                out.append(one.tr(MSG_SINCE, date=layout.iso(since[-1])))
        elif status is DeputyStatus.FORMER:
            seen = []
            for m in sorted(mandates, key=lambda m: m.get("ended_on") or ""):
                key = (m.get("ended_on"), m.get("end_ground"))
                if m["status"] != "terminated" or key in seen:
                    continue
                seen.append(key)
                ground = m.get("end_ground") or ""
                label = TERMINATION_LABELS.get(ground) or SUSPENSION_LABELS.get(ground)
                out.append(one.tr(MSG_ENDED, date=layout.iso(m.get("ended_on")),
                                  ground=one.tr(label) if label else ground))
    deduped: list[str] = []
    for t in out:
        if t not in deduped:
            deduped.append(t)
    return deduped


def _summary(deputies: list[dict], pl: PrintLanguage, st: Styles) -> Paragraph:
    """"Total: 8    Serving: 6    Suspended: 1 ..." — one line per language."""
    counts = Counter(d.get("status") or "active" for d in deputies)
    out: list[str] = []
    for code in pl.languages:
        one = PrintLanguage(code)
        parts = [one.tr(MSG_TOTAL, count=len(deputies))]
        parts += [one.tr(MSG_COUNT, label=one.tr(DEPUTY_STATUS_LABELS[s]), count=counts[s.value])
                  for s in STATUS_ORDER if counts[s.value]]
        line = layout.GAP.join(layout.markup(p) for p in parts)
        if line not in out:
            out.append(line)
    return para("<br/>".join(out), st.body, is_markup=True)
