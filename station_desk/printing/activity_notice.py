"""The activity notice (活动通知 / 활동통지), printed 2–3 days ahead: a letter
to the invited deputies — date and time, place, theme, organiser, what to
bring, the leave rule (leave is asked of the station head), the invited
names, and the station's name and the date at the foot.  A4 portrait.

Input is plain data: the activity as ``services.activities.activity`` gives
it and the station profile.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import Heading, PageSetup, PrintLanguage, Styles, para
from station_desk.printing.sign_in_sheet import kind_texts, when_texts

TITLE = N_("Activity Notice")
MSG_DEAR = N_("Dear deputies:")
MSG_INTRO = N_("The station will hold the activity \"{title}\". The arrangements are as "
               "follows; please attend on time.")
MSG_WHEN = N_("Date and time")
MSG_PLACE = N_("Place")
MSG_THEME = N_("Theme")
MSG_KIND = N_("Kind")
MSG_ORGANISER = N_("Organiser")
MSG_BRING = N_("What to bring and notes")
MSG_LEAVE_RULE = N_("Leave")
MSG_LEAVE_TEXT = N_("Anyone who cannot attend must ask the station head for leave before "
                    "the activity; leave counts only when the station head agrees.")
MSG_INVITED = N_("Invited deputies ({count})")
NAME_COLUMNS = 5
BODY_SIZE = 11.5


def render(activity: dict, station: dict, *, lang: str, printed_on: date) -> bytes:
    """The notice of ``activity`` as PDF bytes."""
    pl = layout.print_language(lang, station)
    size = BODY_SIZE - 2 if pl.bilingual else BODY_SIZE
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      body_size=size)
    st = layout.styles(size)
    width = setup.frame_width
    body: list[Flowable] = [Heading([activity.get("title") or ""], size=size + 4,
                                    space_after=5 * mm, stroke=False)]
    for code in pl.languages:
        one = PrintLanguage(code)
        body.append(para(one.tr(MSG_DEAR), st.body))
    body.append(Spacer(1, 2 * mm))
    indent = ParagraphStyle("indent", parent=st.body, firstLineIndent=2 * size,
                            leading=size * 1.6)
    for code in pl.languages:
        one = PrintLanguage(code)
        body += [para(one.tr(MSG_INTRO, title=activity.get("title") or ""), indent),
                 Spacer(1, 1.5 * mm)]
    body += [Spacer(1, 3 * mm), _details(activity, pl, st, width), Spacer(1, 6 * mm)]
    body += _invited(activity.get("invitees") or [], pl, st, width)
    body += [Spacer(1, (6 if pl.bilingual else 12) * mm), _signature(station, pl, st, printed_on)]
    return layout.render(setup, body, st=st)


def _label(pl: PrintLanguage, msgid: str) -> str:
    return "\n".join(pl.texts(msgid))


def _details(activity: dict, pl: PrintLanguage, st: Styles, width: float) -> Table:
    """Label / value rows; the leave rule in every language printed."""
    rows: list[tuple[str, list[str] | str]] = [
        (MSG_WHEN, when_texts(activity, pl)),
        (MSG_PLACE, activity.get("place") or ""),
        (MSG_THEME, activity.get("theme") or ""),
        (MSG_KIND, kind_texts(activity.get("kind"), pl)),
        (MSG_ORGANISER, activity.get("organiser") or ""),
    ]
    if (activity.get("notice") or "").strip():
        rows.append((MSG_BRING, activity["notice"].strip()))
    rows.append((MSG_LEAVE_RULE, pl.texts(MSG_LEAVE_TEXT)))
    label_st = ParagraphStyle("label", parent=st.body, fontSize=st.body.fontSize - 1,
                              leading=(st.body.fontSize - 1) * 1.3, textColor=layout.GREY)
    data = []
    for msgid, value in rows:
        texts = value if isinstance(value, list) else [value]
        data.append([para(layout.lines(pl.texts(msgid)), label_st, is_markup=True),
                     [para(t, st.body) for t in texts if t]])
    label_w = 30 * mm if not pl.bilingual else 36 * mm
    table = Table(data, colWidths=[label_w, width - label_w], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, layout.HEAD_FILL),
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, layout.RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, layout.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5 if pl.bilingual else 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4 if pl.bilingual else 6),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    return table


def _invited(invitees: list[dict], pl: PrintLanguage, st: Styles, width: float) -> list[Flowable]:
    if not invitees:
        return []
    title = para(layout.lines(pl.texts(MSG_INVITED, count=len(invitees))), st.body,
                 is_markup=True)
    reading = any(code == "ko" for code in pl.languages)
    cells = []
    for p in invitees:
        name, ko = (p.get("name") or "").strip(), (p.get("name_ko") or "").strip()
        texts = [name] + ([ko] if reading and ko and ko != name else [])
        cells.append(layout.cell(texts, st.cell_center, min_size=st.cell.fontSize * 0.7))
    n = NAME_COLUMNS + (1 if pl.bilingual else 0)
    rows = [cells[i:i + n] for i in range(0, len(cells), n)]
    rows[-1] += [""] * (n - len(rows[-1]))
    # the title is the table's first row: it splits by rows and the title
    # stays with the names that follow it
    rows.insert(0, [title] + [""] * (n - 1))
    table = Table(rows, colWidths=[width / n] * n, hAlign="LEFT",
                  splitByRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5 if pl.bilingual else 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2 if pl.bilingual else 3),
        ("SPAN", (0, 0), (-1, 0)),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
    ]))
    return [table]


def _signature(station: dict, pl: PrintLanguage, st: Styles, printed_on: date) -> Flowable:
    """The station's name and the date, at the right as a letter ends."""
    right = ParagraphStyle("right", parent=st.body, alignment=TA_RIGHT,
                           leading=st.body.fontSize * 1.6)
    texts = pl.station_names(station) + [" / ".join(pl.dates(printed_on))]
    return KeepTogether([para(layout.lines(texts), right, is_markup=True)])
