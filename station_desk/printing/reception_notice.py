"""The reception-day notice (选民接待日公告 / 선민접대일 공고), posted three days
ahead on the notice board: A4 portrait in large type — the date and time, the
place, the deputies on duty with their levels, what voters can bring, and
the station's phone.  Bilingual notices print both scripts at equal size.

Input is plain data: one day of ``services.reception.days`` and the station
profile.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.duty_roster import level_texts, name_texts, weekday
from station_desk.printing.layout import Heading, PageSetup, PrintLanguage, Styles, para

TITLE = N_("Voter Reception Day Notice")
BODY_SIZE = 14

MSG_INTRO = N_("Deputies to the people's congress will receive voters at the station on "
               "this day. Every voter is welcome to come and tell them of opinions, "
               "suggestions, problems and requests.")
MSG_WHEN = N_("Date and time")
MSG_PLACE = N_("Place")
MSG_ON_DUTY = N_("Deputies on duty")
MSG_BRING = N_("What you can bring")
BRING = (
    N_("Your matter in your own words: you may speak Chinese or Korean."),
    N_("Papers that explain it, as copies: keep the originals."),
    N_("Your identity card, if you want a written reply."),
)
MSG_CONTACT = N_("Contact phone: {phone}")
MSG_ADDRESS = N_("Address: {address}")
MSG_HOURS = N_("Opening hours: {hours}")
MSG_CANCELLED_NOTICE = N_("This reception day is cancelled.")
MSG_NOBODY = N_("The deputies on duty will be announced.")
COLUMNS = ((N_("Name"), 0.32), (N_("Level"), 0.38), (N_("Group"), 0.30))


def render(day: dict, station: dict, *, lang: str, printed_on: date) -> bytes:
    """The notice for ``day`` (a reception day with its ``deputies``) as PDF bytes."""
    pl = layout.print_language(lang, station)
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on)
    # two scripts take twice the lines: a smaller size keeps the notice on one page
    size = BODY_SIZE - 2 if pl.bilingual else BODY_SIZE
    gap = 0.6 if pl.bilingual else 1.0
    st = layout.styles(size)
    body: list[Flowable] = []
    d: date = day["day"]
    if day.get("cancelled"):
        body += [Heading(pl.texts(MSG_CANCELLED_NOTICE), size=22, space_after=4 * mm)]
    when = [f"{text}  {wd}" for text, wd in zip(pl.dates(d), _pad(weekday(d, pl), pl))]
    body += [Heading(when, size=26 if not pl.bilingual else 22, space_after=1 * mm)]
    time = "–".join(t for t in (day.get("start_time"), day.get("end_time")) if t)
    if time:
        body.append(Heading([time], size=24 if not pl.bilingual else 20, space_after=3 * mm))
    body += [_label_value(pl, MSG_PLACE, day.get("place") or station.get("address") or "", st),
             Spacer(1, 3 * mm * gap)]
    body += _paras(pl.texts(MSG_INTRO), st) + [Spacer(1, 5 * mm * gap)]
    body += _on_duty(day.get("deputies") or [], pl, st, setup.frame_width)
    body += [Spacer(1, 6 * mm * gap), _section(pl, MSG_BRING, st)]
    for n, msgid in enumerate(BRING, start=1):
        body += _paras([f"{n}. {t}" for t in pl.texts(msgid)], st)
        body.append(Spacer(1, 1.5 * mm * gap))
    body += [Spacer(1, 5 * mm * gap)]
    body += _contact(station, pl, st)
    return layout.render(setup, body, st=st)


def _paras(texts: list[str], st: Styles) -> list[Flowable]:
    """One paragraph per language, so each wraps by its own script's rules."""
    return [para(t, st.body) for t in texts]


def _pad(texts: list[str], pl: PrintLanguage) -> list[str]:
    """One text per print language (the same text repeated when they agree)."""
    return (texts * len(pl.languages))[:len(pl.languages)] if len(texts) == 1 else texts


def _section(pl: PrintLanguage, msgid: str, st: Styles) -> Flowable:
    return Heading([" / ".join(pl.texts(msgid))], size=st.body.fontSize + 3, space_after=2 * mm,
                   stroke=True)


def _label_value(pl: PrintLanguage, msgid: str, value: str, st: Styles) -> Flowable:
    label = " / ".join(pl.texts(msgid))
    colon = "：" if pl.primary == "zh_CN" else ": "
    return para(f"{layout.markup(label)}{colon}{layout.markup(value)}", st.body, is_markup=True)


def _on_duty(people: list[dict], pl: PrintLanguage, st: Styles, width: float) -> list[Flowable]:
    title = _section(pl, MSG_ON_DUTY, st)
    if not people:
        return [title, para(layout.lines(pl.texts(MSG_NOBODY)), st.body, is_markup=True)]
    header = [layout.cell(pl.texts(msgid), st.head, min_size=9) for msgid, _ in COLUMNS]
    rows = [[layout.cell(name_texts(p), st.name, min_size=10),
             layout.cell(level_texts(p.get("levels") or [], pl), st.cell_center, min_size=9),
             layout.cell(pl.pick(p.get("group_name"), p.get("group_name_ko")), st.cell_center,
                         min_size=9)] for p in people]
    table = layout.data_table(header, rows, [share for _, share in COLUMNS], total_width=width,
                              st=st)
    return [KeepTogether([title, table])]


def _contact(station: dict, pl: PrintLanguage, st: Styles) -> list[Flowable]:
    """Phone, address and opening hours: one line per language (or per item
    when a single language prints them)."""
    items = [(msgid, name, (station.get(key) or "").strip())
             for msgid, key, name in ((MSG_CONTACT, "phone", "phone"),
                                      (MSG_ADDRESS, "address", "address"),
                                      (MSG_HOURS, "opening_hours", "hours"))]
    items = [i for i in items if i[2]]
    if not pl.bilingual:
        return [para(pl.tr(msgid, **{name: value}), st.body) for msgid, name, value in items]
    out: list[Flowable] = []
    for code in pl.languages:
        one = PrintLanguage(code)
        line = layout.GAP.join(layout.markup(one.tr(msgid, **{name: value}))
                               for msgid, name, value in items)
        out.append(para(line, st.body, is_markup=True))
    return out
