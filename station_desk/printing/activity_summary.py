"""The activity summary (活动小结 / 활동소결): what was held, who came, who was
on leave (with the reason) and who was absent, the clerk's summary text
(long text runs on to the next page), and up to four photos — a photo that
cannot be read prints as a framed placeholder.  A4 portrait.

Input is plain data: the activity as ``services.activities.activity`` gives
it, with each photo's bytes under ``data`` in ``photos``, and the station
profile.
"""
from __future__ import annotations

from datetime import date
from io import BytesIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from station_desk.domain.activities import STATUS_LABELS, ActivityStatus, Attendance
from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import Heading, PageSetup, PrintLanguage, Styles, para
from station_desk.printing.sign_in_sheet import kind_texts, when_texts

TITLE = N_("Activity Summary")
MSG_ACTIVITY = N_("Activity")
MSG_KIND = N_("Kind")
MSG_THEME = N_("Theme")
MSG_WHEN = N_("Date and time")
MSG_PLACE = N_("Place")
MSG_ORGANISER = N_("Organiser")
MSG_STATUS = N_("Status")
MSG_ATTENDANCE = N_("Attendance")
MSG_COUNTS = N_("Expected {expected}, present {present}, on leave {leave}, absent {absent}")
MSG_PRESENT_LIST = N_("Present ({count})")
MSG_LEAVE_LIST = N_("On leave ({count})")
MSG_ABSENT_LIST = N_("Absent ({count})")
MSG_UNMARKED_LIST = N_("Not marked ({count})")
MSG_SUMMARY = N_("Summary")
MSG_NO_SUMMARY = N_("No summary written yet.")
MSG_PHOTOS = N_("Photos")
MSG_PHOTO_BROKEN = N_("This photo cannot be shown.")
MAX_PHOTOS = 4
PHOTO_W, PHOTO_H = 84 * mm, 60 * mm


def render(activity: dict, station: dict, *, lang: str, printed_on: date) -> bytes:
    """The summary of ``activity`` as PDF bytes."""
    pl = layout.print_language(lang, station)
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on,
                      subtitle=(activity.get("title") or "",), body_size=10)
    st = layout.styles(10)
    width = setup.frame_width
    body: list[Flowable] = [_details(activity, pl, st, width), Spacer(1, 5 * mm)]
    body += _attendance(activity, pl, st, width)
    body += [Spacer(1, 5 * mm), _section(pl, MSG_SUMMARY, st)]
    text = (activity.get("summary") or "").strip()
    if text:
        prose = ParagraphStyle("prose", parent=st.body, firstLineIndent=2 * st.body.fontSize,
                               leading=st.body.fontSize * 1.6, spaceAfter=2)
        body += [para(chunk.strip(), prose) for chunk in text.split("\n") if chunk.strip()]
    else:
        body.append(para(layout.lines(pl.texts(MSG_NO_SUMMARY)), st.small, is_markup=True))
    photos = [p for p in activity.get("photos") or []][:MAX_PHOTOS]
    if photos:
        body += [Spacer(1, 5 * mm), _photos(photos, pl, st, width)]
    return layout.render(setup, body, st=st)


def _section(pl: PrintLanguage, msgid: str, st: Styles) -> Flowable:
    return Heading([" / ".join(pl.texts(msgid))], size=st.body.fontSize + 2,
                   space_after=2 * mm)


def _label(pl: PrintLanguage, msgid: str) -> str:
    return layout.lines(pl.texts(msgid))


def _details(activity: dict, pl: PrintLanguage, st: Styles, width: float) -> Table:
    status = activity.get("status")
    status_texts = (pl.texts(STATUS_LABELS[ActivityStatus(status)])
                    if status in ActivityStatus._value2member_map_ else [])
    pairs = [
        ((MSG_KIND, kind_texts(activity.get("kind"), pl)), (MSG_STATUS, status_texts)),
        ((MSG_WHEN, when_texts(activity, pl)), (MSG_PLACE, [activity.get("place") or ""])),
        ((MSG_THEME, [activity.get("theme") or ""]),
         (MSG_ORGANISER, [activity.get("organiser") or ""])),
    ]
    label_w = width * 0.14
    value_w = (width - 2 * label_w) / 2
    data = []
    for (l1, v1), (l2, v2) in pairs:
        data.append([para(_label(pl, l1), st.small, is_markup=True),
                     para(layout.lines(v1), st.cell, is_markup=True),
                     para(_label(pl, l2), st.small, is_markup=True),
                     para(layout.lines(v2), st.cell, is_markup=True)])
    table = Table(data, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, layout.RULE),
        ("BACKGROUND", (0, 0), (0, -1), layout.HEAD_FILL),
        ("BACKGROUND", (2, 0), (2, -1), layout.HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
    ]))
    return table


def _counts(activity: dict) -> dict:
    invitees = activity.get("invitees") or []
    counts = dict(activity.get("counts") or {})
    for state in Attendance:
        counts.setdefault(state.value, sum(1 for p in invitees
                                           if (p.get("attendance") or "unmarked") == state))
    counts.setdefault("expected", len(invitees))
    return counts


def _attendance(activity: dict, pl: PrintLanguage, st: Styles, width: float) -> list[Flowable]:
    invitees = activity.get("invitees") or []
    counts = _counts(activity)
    sep = {"zh_CN": "、"}.get(pl.primary, ", ")
    out: list[Flowable] = [_section(pl, MSG_ATTENDANCE, st)]
    out.append(para(layout.lines(pl.texts(MSG_COUNTS, expected=counts["expected"],
                                          present=counts["present"], leave=counts["leave"],
                                          absent=counts["absent"])), st.body, is_markup=True))
    out.append(Spacer(1, 2 * mm))
    rows = []
    for state, msgid in ((Attendance.PRESENT, MSG_PRESENT_LIST),
                         (Attendance.LEAVE, MSG_LEAVE_LIST),
                         (Attendance.ABSENT, MSG_ABSENT_LIST),
                         (Attendance.UNMARKED, MSG_UNMARKED_LIST)):
        people = [p for p in invitees if (p.get("attendance") or "unmarked") == state]
        if state == Attendance.UNMARKED and not people:
            continue
        if state == Attendance.LEAVE:
            names = [para(_leave_line(p, pl), st.cell) for p in people]
        else:
            # broken here, not by the Paragraph: its CJK wrap would split a Korean reading
            text = sep.join(_name(p, pl) for p in people)
            room = width * 0.82 - 12  # the column less the table's default padding
            names = [para(layout.lines(layout.break_lines(text, room, st.cell.fontSize)),
                          st.cell, is_markup=True)] if people else []
        rows.append([para(_label(pl, msgid).format(count=len(people)), st.small, is_markup=True),
                     names or ""])
    table = Table(rows, colWidths=[width * 0.18, width * 0.82], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, layout.RULE),
        ("BACKGROUND", (0, 0), (0, -1), layout.HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
    ]))
    out.append(table)
    return out


def _name(p: dict, pl: PrintLanguage) -> str:
    """The name, with its Korean reading when Korean is printed (金明哲 김명철)."""
    name, reading = (p.get("name") or "").strip(), (p.get("name_ko") or "").strip()
    if reading and reading != name and "ko" in pl.languages:
        return f"{name} {reading}"
    return name


def _leave_line(p: dict, pl: PrintLanguage) -> str:
    reason = (p.get("leave_reason") or "").strip()
    if not reason:
        return _name(p, pl)
    open_, close = ("（", "）") if pl.primary == "zh_CN" else (" (", ")")
    return f"{_name(p, pl)}{open_}{reason}{close}"


def _photos(photos: list[dict], pl: PrintLanguage, st: Styles, width: float) -> Flowable:
    caption = ParagraphStyle("caption", parent=st.small, alignment=TA_CENTER)
    cells = [[_photo(p, pl, st), Spacer(1, 1.5 * mm), para(p.get("caption") or "", caption)]
             for p in photos]
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    if len(rows[-1]) < 2:
        rows[-1].append("")
    table = Table(rows, colWidths=[width / 2] * 2, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return KeepTogether([_section(pl, MSG_PHOTOS, st), table])


class _Placeholder(Flowable):
    """A framed box with a short message where a photo could not be read."""

    def __init__(self, texts: list[str], st: Styles) -> None:
        super().__init__()
        self.texts, self.st = texts, st
        self.width, self.height = PHOTO_W, PHOTO_H

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(layout.GREY)
        c.setDash(3, 2)
        c.setLineWidth(0.6)
        c.rect(0, 0, self.width, self.height)
        c.setFont(self.st.body.fontName, self.st.small.fontSize)
        c.setFillColor(layout.GREY)
        y = self.height / 2 + (len(self.texts) - 1) * 6
        for text in self.texts:
            c.drawCentredString(self.width / 2, y, text)
            y -= 12


def _photo(photo: dict, pl: PrintLanguage, st: Styles) -> Flowable:
    """The photo scaled into the box, keeping its proportions; a placeholder when
    its bytes are not a readable image."""
    data = photo.get("data") or b""
    try:
        from PIL import Image as PILImage

        with PILImage.open(BytesIO(data)) as im:
            im.load()
            w, h = im.size
        scale = min(PHOTO_W / w, PHOTO_H / h)
        return Image(BytesIO(data), width=w * scale, height=h * scale)
    except Exception:  # noqa: BLE001 - any unreadable image prints as a placeholder
        return _Placeholder(pl.texts(MSG_PHOTO_BROKEN), st)
