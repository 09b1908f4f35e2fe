"""The deputy's performance card (建档立卡 / 리직당안카드): photo and basic
data, the period's summary (entries per kind, active months, the evaluation
result when there is one), then every entry of the period; the list runs on
to further pages with its header repeated.  A4 portrait.

Input is plain data, as ``services.ledger.card_data`` gives it: ``deputy``
(the registry record with ``mandates`` and ``group_name``), ``photo`` (bytes
or None), ``since`` / ``until``, ``entries`` (entry views), ``summary``,
``months``, ``result`` (or None), and the station profile.  The phone is
always masked.
"""
from __future__ import annotations

from datetime import date
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Spacer, Table, TableStyle

from station_desk.domain import codes
from station_desk.domain.deputies import SEX_LABELS, Sex
from station_desk.domain.evaluation import GRADE_LABELS, Grade
from station_desk.domain.ledger import KIND_LABELS, REVIEW_LABELS, SOURCE_LABELS, EntryKind, \
    Review, Source
from station_desk.domain.masking import mask_phone
from station_desk.i18n import N_
from station_desk.printing import fonts, layout
from station_desk.printing.layout import Heading, PageSetup, PrintLanguage, Styles, para
from station_desk.printing.roster import _code_label, _levels

TITLE = N_("Deputy's Performance Card")
MSG_PERIOD = N_("Period: {since} to {until}")
MSG_NAME = N_("Name")
MSG_SEX = N_("Sex")
MSG_ETHNICITY = N_("Ethnicity")
MSG_BIRTH = N_("Date of birth")
MSG_PARTY = N_("Party")
MSG_UNIT = N_("Unit and post")
MSG_VILLAGE = N_("Village")
MSG_GROUP = N_("Group")
MSG_PHONE = N_("Phone")
MSG_LEVELS = N_("Levels (term)")
MSG_SUMMARY = N_("Summary of the period")
MSG_ACTIVE = N_("Active in {active} of {months} months")
MSG_RESULT = N_("Evaluation {period}: {total} points, {grade}, rank {rank}")
MSG_RESULT_APPROVED = N_("approved by {name}")
MSG_ENTRIES = N_("Entries")
MSG_NO_ENTRIES = N_("No entries in this period.")
MSG_NO_PHOTO = N_("No photo")
COL_NO = N_("No.")
COL_DATE = N_("Date")
COL_KIND = N_("Kind")
COL_TITLE = N_("Entry")
COL_SOURCE = N_("Source")
COL_REVIEW = N_("Review")
PHOTO_W, PHOTO_H = 30 * mm, 40 * mm


def render(card: dict, station: dict, *, lang: str, printed_on: date) -> bytes:
    """The card as PDF bytes."""
    pl = layout.print_language(lang, station)
    d = card["deputy"]
    name = d.get("name") or ""
    if d.get("name_ko") and d["name_ko"] != name and "ko" in pl.languages:
        name = f"{name}  {d['name_ko']}"
    periods = dict.fromkeys(PrintLanguage(c).tr(MSG_PERIOD, since=layout.iso(card["since"]),
                                                 until=layout.iso(card["until"]))
                            for c in pl.languages)
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      subtitle=(name, *periods), body_size=9.5)
    st = layout.styles(setup.body_size)
    width = setup.frame_width
    body: list[Flowable] = [_basic(card, pl, st, width), Spacer(1, 5 * mm),
                            _section(pl, MSG_SUMMARY, st), _summary(card, pl, st, width),
                            Spacer(1, 5 * mm), _section(pl, MSG_ENTRIES, st)]
    entries = card.get("entries") or []
    if entries:
        body.append(_entries(entries, pl, st, width))
    else:
        body.append(para(layout.lines(pl.texts(MSG_NO_ENTRIES)), st.small, is_markup=True))
    return layout.render(setup, body, st=st)


def _section(pl: PrintLanguage, msgid: str, st: Styles) -> Flowable:
    return Heading([" / ".join(pl.texts(msgid))], size=st.body.fontSize + 2, space_after=2 * mm)


def _label(pl: PrintLanguage, msgid: str, st: Styles):
    return para(layout.lines(pl.texts(msgid)), st.small, is_markup=True)


def _value(texts, st: Styles):
    if isinstance(texts, str):
        texts = [texts]
    return para(layout.lines([t for t in texts if t]), st.cell, is_markup=True)


def _photo(data: bytes | None, pl: PrintLanguage, st: Styles) -> Flowable:
    if data:
        try:
            from PIL import Image as PILImage

            with PILImage.open(BytesIO(data)) as im:
                im.load()
                w, h = im.size
            scale = min(PHOTO_W / w, PHOTO_H / h)
            return Image(BytesIO(data), width=w * scale, height=h * scale)
        except Exception:  # noqa: BLE001 - an unreadable photo prints as "no photo"
            pass
    return _value(pl.texts(MSG_NO_PHOTO), st)


def _basic(card: dict, pl: PrintLanguage, st: Styles, width: float) -> Table:
    d = card["deputy"]
    names = [d.get("name") or ""]
    if d.get("name_ko") and d["name_ko"] != d.get("name"):
        names.append(d["name_ko"])
    sex = pl.texts(SEX_LABELS[Sex(d["sex"])]) if d.get("sex") in {s.value for s in Sex} else []
    ethnicity = _code_label(pl, d.get("ethnicity"), codes.ETHNICITY, codes.ETHNICITY_ZH)
    party = _code_label(pl, d.get("party"), codes.POLITICAL_STATUS, codes.POLITICAL_STATUS_ZH)
    unit = " ".join(p for p in ((d.get("unit") or "").strip(), (d.get("post") or "").strip()) if p)
    group = pl.pick(d.get("group_name"), d.get("group_name_ko"))
    rows = [
        [(MSG_NAME, names), (MSG_SEX, sex)],
        [(MSG_ETHNICITY, ethnicity), (MSG_BIRTH, [layout.iso(d.get("birth_date"))])],
        [(MSG_PARTY, party), (MSG_PHONE, [mask_phone(d.get("phone"))])],
        [(MSG_VILLAGE, [d.get("village") or ""]), (MSG_GROUP, group)],
        [(MSG_UNIT, [unit]), None],
        [(MSG_LEVELS, _levels({"mandates": d.get("mandates") or [],
                               "status": d.get("status")}, pl)), None],
    ]
    photo_w = PHOTO_W + 6
    label_w = (width - photo_w) * 0.17
    value_w = (width - photo_w) / 2 - label_w
    data, spans = [], []
    for n, (left, right) in enumerate(rows):
        line = [_label(pl, left[0], st), _value(left[1], st)]
        if right:
            line += [_label(pl, right[0], st), _value(right[1], st)]
        else:
            line += ["", ""]
            spans.append(("SPAN", (1, n), (3, n)))
        line.append(_photo(card.get("photo"), pl, st) if n == 0 else "")
        data.append(line)
    table = Table(data, colWidths=[label_w, value_w, label_w, value_w, photo_w], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, layout.RULE),
        ("BACKGROUND", (0, 0), (0, -1), layout.HEAD_FILL),
        ("BACKGROUND", (2, 0), (2, 3), layout.HEAD_FILL),
        ("SPAN", (4, 0), (4, -1)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (4, 0), (4, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        *spans,
    ]))
    return table


def kind_texts(kind: str, pl: PrintLanguage) -> list[str]:
    try:
        return pl.texts(KIND_LABELS[EntryKind(kind)])
    except ValueError:
        return [kind]


def _summary(card: dict, pl: PrintLanguage, st: Styles, width: float) -> Table:
    counts = card.get("summary") or {}
    kinds = [k for k in EntryKind if counts.get(k.value)]
    cells = [(_value(kind_texts(k.value, pl), st), str(counts[k.value])) for k in kinds]
    months = card.get("months") or []
    active = sum(1 for m in months if m["count"])
    lines_ = [" / ".join(pl.texts(MSG_ACTIVE, active=active, months=len(months)))]
    result = card.get("result")
    if result:
        for code in pl.languages:
            one = PrintLanguage(code)
            grade = one.tr(GRADE_LABELS[Grade(result["grade"])])
            total = "{:g}".format(result["total"])
            text = one.tr(MSG_RESULT, period=result["period"], total=total, grade=grade,
                          rank=result["rank"])
            if result.get("approved_by"):
                text += "  (" + one.tr(MSG_RESULT_APPROVED, name=result["approved_by"]) + ")"
            if text not in lines_:
                lines_.append(text)
    per_row = 3
    data = []
    for i in range(0, len(cells), per_row):
        row = []
        for label, n in cells[i:i + per_row]:
            row += [label, n]
        row += ["", ""] * (per_row - len(cells[i:i + per_row]))
        data.append(row)
    data.append([para(layout.lines(lines_), st.body, is_markup=True)] + [""] * (2 * per_row - 1))
    pair = width / per_row
    table = Table(data, colWidths=[pair * 0.78, pair * 0.22] * per_row, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, layout.RULE),
        ("SPAN", (0, len(data) - 1), (-1, len(data) - 1)),
        ("ALIGN", (1, 0), (1, -1), "CENTER"), ("ALIGN", (3, 0), (3, -1), "CENTER"),
        ("ALIGN", (5, 0), (5, -1), "CENTER"),
        ("FONT", (0, 0), (-1, -1), fonts.FONT, st.cell.fontSize),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]))
    return table


def _entries(entries: list[dict], pl: PrintLanguage, st: Styles, width: float) -> Table:
    head = [layout.cell(pl.texts(m), st.head, min_size=7)
            for m in (COL_NO, COL_DATE, COL_KIND, COL_TITLE, COL_SOURCE, COL_REVIEW)]
    rows = []
    for n, e in enumerate(entries, start=1):
        source = pl.texts(SOURCE_LABELS[Source(e["source"])]) if e.get("source") in \
            {s.value for s in Source} else [e.get("source") or ""]
        review = pl.texts(REVIEW_LABELS[Review(e["review"])]) if e.get("source") == "declared" \
            else []
        title = e.get("title") or ""
        if e.get("role") and e.get("source") == "declared":
            title = f"{title} ({e['role']})" if pl.primary != "zh_CN" else f"{title}（{e['role']}）"
        rows.append([str(n), layout.iso(e.get("on")),
                     layout.cell(kind_texts(e["kind"], pl), st.cell, min_size=6.5),
                     title, layout.cell(source, st.cell, min_size=6.5),
                     layout.cell(review, st.cell_center, min_size=6.5)])
    return layout.data_table(head, rows, [3, 7.5, 11, 24, 8, 8], total_width=width, st=st,
                             center_columns=[0, 1, 5], zebra=True)
