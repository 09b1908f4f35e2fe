"""The voter reception register form (接待选民登记表 / 선민접대 등록표).

One form, two uses: filled from a case (every choice printed with its box,
the chosen one ■, the others □, so the filled form lines up with the blank
one the clerk fills by hand), or blank for paper use on a reception day.
A filled form adds the record of every step (who, when, what) after the form.
Phone and ID number arrive masked; the confidential mark is printed.

Input is plain data: ``case`` as ``services.cases.print_data`` gives it (None
for a blank form) and the station profile.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from station_desk.domain import cases as dom
from station_desk.domain.deputies import LEVEL_LABELS, Level
from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import Heading, PageSetup, PrintLanguage, Styles, para

TITLE = N_("Voter Reception Register Form")
MSG_TITLE_BLANK = N_("(blank, to fill in by hand)")
MSG_RECORD = N_("Record of the steps")
MSG_ID = N_("ID number")
MSG_ARCHIVED_ON = N_("Archived on")
MSG_DUPLICATE = N_("Duplicate of case {number}")
MSG_STEP = N_("Step")
MSG_BY = N_("By")
MSG_UNDONE = N_("[undone]")
CHECKED, UNCHECKED = "■", "□"
WORDS_HEIGHT = 55 * mm
TEXT_HEIGHT = 14 * mm
LABEL_SHARE = 0.17


def render(case: dict | None, station: dict, *, lang: str, printed_on: date) -> bytes:
    """The form for ``case`` (None: blank) as PDF bytes."""
    pl = layout.print_language(lang, station)
    subtitle = (tuple(pl.texts(MSG_TITLE_BLANK)) if case is None
                else tuple(dict.fromkeys(
                    PrintLanguage(code).tr(N_("Case {number} · {state}"), number=case["number"],
                                           state=PrintLanguage(code).tr(
                                               dom.STATE_LABELS[dom.CaseState(case["state"])]))
                    for code in pl.languages)))
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      subtitle=subtitle, body_size=9.5)
    st = layout.styles(9.5)
    c = case or {}
    body: list[Flowable] = [_form(c, pl, st, setup.frame_width)]
    if case is not None and case.get("timeline"):
        body += [Spacer(1, 6 * mm), _record(case["timeline"], pl, st, setup.frame_width)]
    return layout.render(setup, body, st=st)


def _label(pl: PrintLanguage, msgid: str) -> str:
    return " / ".join(pl.texts(msgid))


def _choices(pl: PrintLanguage, labels: dict, chosen: str | None) -> str:
    """Every option with its box; the chosen one ■ (primary language only: boxes
    must line up)."""
    return "   ".join(f"{CHECKED if chosen == k.value else UNCHECKED} {pl.tr(v)}"
                      for k, v in labels.items())


def _deputy(pl: PrintLanguage, d: dict) -> str:
    """金明哲 김명철（Township, County (city)）: the name (with its Korean reading
    when Korean is printed) and the levels of the mandates."""
    levels = [pl.tr(LEVEL_LABELS[Level(x)]) for x in d.get("levels") or [] if x in
              {lv.value for lv in Level}]
    name, reading = d["name"], (d.get("name_ko") or "").strip()
    if reading and reading != name and "ko" in pl.languages:
        name = f"{name} {reading}"
    return name + (f"（{'，'.join(levels)}）" if levels else "")


def _yes(pl: PrintLanguage, value: bool | None, blank: bool) -> str:
    return f"{UNCHECKED if blank or not value else CHECKED} {pl.tr(N_('Yes'))}"


def _form(c: dict, pl: PrintLanguage, st: Styles, width: float) -> Table:
    blank = not c
    v = c.get
    voter = c.get("voter") or {}
    deputies = "、".join(_deputy(pl, d) for d in c.get("deputies") or [])
    reply_v = (c.get("replies") or [{}])[-1] if c.get("replies") else {}
    closed = c.get("out_of_scope")
    rows: list[tuple] = [
        ("pair", N_("No."), v("number", ""), N_("Registered on"), layout.iso(v("registered_on"))),
        ("pair", N_("Place"), v("place", ""), N_("Number of people"),
         "" if blank else str(v("people", 1))),
        ("wide", N_("Channel"), _choices(pl, dom.CHANNEL_LABELS, v("channel"))),
        ("wide", N_("Deputies on duty"), deputies),
        ("pair", N_("Voter's name"), voter.get("name", ""), N_("Village / community"),
         voter.get("village", "")),
        ("pair", N_("Phone"), voter.get("phone", ""), MSG_ID, voter.get("id_number", "")),
        ("pair", N_("Language used"), _choices(pl, dom.LANGUAGE_LABELS, voter.get("language")),
         N_("Written consent to keep the data"), _yes(pl, voter.get("consent"), blank)),
        ("wide", N_("Category"), _choices(pl, dom.CATEGORY_LABELS, v("category"))),
        ("tall", N_("The voter's words, as said"), v("words", ""), WORDS_HEIGHT),
        ("wide", N_("Confidential (accuses a named person or office)"),
         _yes(pl, v("confidential"), blank)),
        ("tall", N_("Proposed handling"), v("proposal", ""), TEXT_HEIGHT),
        ("wide", N_("Route"), _choices(pl, dom.ROUTE_LABELS, v("route"))),
        ("pair", N_("Responsible unit"), v("unit", ""), N_("Due on"), layout.iso(v("due_on"))),
        ("wide", N_("Outcome"), _choices(pl, dom.OUTCOME_LABELS, v("outcome"))),
        ("tall", N_("Result"), v("result", ""), TEXT_HEIGHT),
        ("pair", N_("Reply to the voter"),
         _choices(pl, dom.REPLY_MODE_LABELS, reply_v.get("voter_mode")),
         N_("Replied to the voter on"), layout.iso(reply_v.get("voter_on"))),
        ("pair", N_("Reply to the deputy"),
         _choices(pl, dom.REPLY_MODE_LABELS, reply_v.get("deputy_mode")),
         N_("Replied to the deputy on"), layout.iso(reply_v.get("deputy_on"))),
        ("wide", N_("Satisfaction"), _choices(pl, dom.SATISFACTION_LABELS,
                                              reply_v.get("satisfaction"))),
        ("tall", N_("The voter's comment"), reply_v.get("comment", ""), TEXT_HEIGHT),
        ("wide", N_("Why it is out of scope"),
         _choices(pl, dom.OUT_OF_SCOPE_LABELS, closed.get("reason") if closed else None)),
        ("pair", N_("What was explained to the voter"),
         closed.get("explanation", "") if closed else "", N_("Redirected to"),
         closed.get("redirect", "") if closed else ""),
        ("pair", N_("Archive number"), v("archive_no", "") or "", MSG_ARCHIVED_ON,
         layout.iso(v("archived_on"))),
    ]
    if c.get("duplicate_of"):
        rows.insert(3, ("wide", N_("Mark as a duplicate"),
                        pl.tr(MSG_DUPLICATE, number=c["duplicate_of"])))
    label_w = width * LABEL_SHARE
    value_w = (width - 2 * label_w) / 2
    data, cmds = [], []

    def head(msgid: str) -> object:
        # broken here, not by the Paragraph: its CJK wrap would split a Korean word
        text = layout.break_lines(_label(pl, msgid), label_w - 12, st.small.fontSize)
        return para(layout.lines(text), st.small, is_markup=True)

    for n, row in enumerate(rows):
        kind = row[0]
        if kind == "pair":
            _, l1, v1, l2, v2 = row
            data.append([head(l1), para(v1, st.cell), head(l2), para(v2, st.cell)])
            cmds.append(("BACKGROUND", (2, n), (2, n), layout.HEAD_FILL))
        else:
            _, l1, v1, *extra = row
            value: object = para(v1, st.cell)
            if extra:  # at least this tall: room to write by hand, more when needed
                _w, h = value.wrap(width - label_w - 12, 10_000)
                value = [value, Spacer(1, max(0, extra[0] - h))]
                cmds.append(("VALIGN", (1, n), (1, n), "TOP"))
            data.append([head(l1), value, "", ""])
            cmds.append(("SPAN", (1, n), (3, n)))
    table = Table(data, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, layout.RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), layout.HEAD_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        *cmds,
    ]))
    return table


def _record(timeline: list[dict], pl: PrintLanguage, st: Styles, width: float) -> Flowable:
    header = [layout.cell(pl.texts(m), st.head) for m in (N_("Date"), MSG_STEP, MSG_BY,
                                                          N_("Details"))]
    rows = []
    for t in timeline:
        step = pl.tr(dom.EVENT_LABELS[dom.EventKind(t["kind"])])
        if t.get("undone"):
            step += " " + pl.tr(MSG_UNDONE)
        rows.append([layout.iso(t.get("on")), step, t.get("actor", ""), _detail(t, pl)])
    table = layout.data_table(header, rows, [0.16, 0.24, 0.14, 0.46], total_width=width, st=st,
                              center_columns=(0, 2))
    return KeepTogether([Heading([_label(pl, MSG_RECORD)], size=st.body.fontSize + 2,
                                 space_after=2 * mm, stroke=True), table])


def _detail(t: dict, pl: PrintLanguage) -> str:
    """A step's details; the reason of an out-of-scope close comes as its code
    (litigation ...) and is printed as its label."""
    detail = t.get("detail") or ""
    if t.get("kind") == dom.EventKind.CLOSE_OUT_OF_SCOPE:
        code, _, rest = detail.partition(" ")
        if code in dom.OutOfScope._value2member_map_:
            label = pl.tr(dom.OUT_OF_SCOPE_LABELS[dom.OutOfScope(code)])
            detail = " ".join(x for x in (label, rest) if x)
    return detail


COVER_TITLE = N_("Voter Reception Archive Cover")
MSG_NOT_ARCHIVED = N_("not archived yet")


def render_cover(case: dict, station: dict, *, lang: str, printed_on: date) -> bytes:
    """The cover sheet of an archived case's file: archive and case numbers, the
    voter (masked), the matter, its course and outcome, in large type."""
    pl = layout.print_language(lang, station)
    setup = PageSetup(title=COVER_TITLE, lang=pl, station=station, printed_on=printed_on,
                      body_size=12)
    st = layout.styles(12)
    voter = case.get("voter") or {}
    reply = (case.get("replies") or [{}])[-1] if case.get("replies") else {}
    archive_no = case.get("archive_no") or pl.tr(MSG_NOT_ARCHIVED)
    body: list[Flowable] = [Spacer(1, 8 * mm),
                            Heading([archive_no], size=30, space_after=8 * mm)]
    rows = [
        (N_("Archive number"), archive_no),
        (MSG_ARCHIVED_ON, layout.iso(case.get("archived_on"))),
        (N_("No."), case.get("number", "")),
        (N_("Registered on"), layout.iso(case.get("registered_on"))),
        (N_("Voter's name"), voter.get("name", "")),
        (N_("Village / community"), voter.get("village", "")),
        (N_("Phone"), voter.get("phone", "")),
        (N_("Category"), pl.tr(dom.CATEGORY_LABELS[dom.Category(case["category"])])
         if case.get("category") else ""),
        (N_("The voter's words, as said"), case.get("words", "")),
        (N_("Responsible unit"), case.get("unit", "")),
        (N_("Outcome"), pl.tr(dom.OUTCOME_LABELS[dom.Outcome(case["outcome"])])
         if case.get("outcome") else ""),
        (N_("Satisfaction"), pl.tr(dom.SATISFACTION_LABELS[dom.Satisfaction(
            reply["satisfaction"])]) if reply.get("satisfaction") else ""),
    ]
    if case.get("out_of_scope"):
        oos = case["out_of_scope"]
        rows.append((N_("Why it is out of scope"),
                     pl.tr(dom.OUT_OF_SCOPE_LABELS[dom.OutOfScope(oos["reason"])])
                     + " — " + oos.get("redirect", "")))
    width = setup.frame_width
    data = [[para(_label(pl, label), st.small), para(value, st.body)] for label, value in rows]
    table = Table(data, colWidths=[width * 0.28, width * 0.72], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, layout.RULE),
        ("BACKGROUND", (0, 0), (0, -1), layout.HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6.5),
    ]))
    body.append(table)
    return layout.render(setup, body, st=st)
