"""The key fingerprint sheet (密钥指纹单 / 키 지문표): printed where a key is
made (a station, the county) and handed over with the key file, so the other
side types the fingerprint from paper and so knows the file is genuine.

Input is plain data: ``key`` (kind "station" or "county", code, fingerprint,
created_at) and the header's ``station`` dict (name_zh, name_ko).
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from station_desk.i18n import N_
from station_desk.printing import layout
from station_desk.printing.layout import Heading, PageSetup, para

TITLE = N_("Key Fingerprint Sheet")
MSG_WHO_STATION = N_("Station {name}, code {code}")
MSG_WHO_COUNTY = N_("County {name}, code {code}")
MSG_FINGERPRINT = N_("Fingerprint of the key")
MSG_MADE = N_("Key made on {date}")
MSG_HOW_STATION = N_("Give this sheet to the county with the enrolment file. When the county "
                     "enrols the station, it types this fingerprint; the program accepts the "
                     "file only if the fingerprints match. If they do not, the file is not "
                     "this station's: do not enrol it.")
MSG_HOW_COUNTY = N_("Give this sheet to each station with the county's key file. The station "
                    "types this fingerprint when it imports the key file; the program accepts "
                    "the file only if the fingerprints match. If they do not, do not use the "
                    "file and call the county.")
MSG_HANDED = N_("Handed over by: ____________    Received by: ____________    "
                "Date: ____________")


def render(key: dict, station: dict, *, lang: str, printed_on: date) -> bytes:
    """The sheet for ``key`` as PDF bytes."""
    pl = layout.print_language(lang, station)
    setup = PageSetup(title=TITLE, lang=pl, station=station, printed_on=printed_on)
    st = layout.styles(12)
    county = key["kind"] == "county"
    name = " / ".join(pl.station_names(station))
    body: list[Flowable] = []
    for text in pl.texts(MSG_WHO_COUNTY if county else MSG_WHO_STATION, name=name,
                         code=key["code"]):
        body.append(para(text, st.body))
    body += [Spacer(1, 8 * mm), Heading(pl.texts(MSG_FINGERPRINT), size=14, space_after=3 * mm)]
    groups = key["fingerprint"].split()
    half = (len(groups) + 1) // 2
    body += [Heading([" ".join(groups[:half])], size=30, space_after=2 * mm),
             Heading([" ".join(groups[half:])], size=30, space_after=6 * mm)]
    made = (key.get("created_at") or "")[:10]
    if made:
        for text in pl.texts(MSG_MADE, date=made):
            body.append(para(text, st.body))
    body.append(Spacer(1, 8 * mm))
    for text in pl.texts(MSG_HOW_COUNTY if county else MSG_HOW_STATION):
        body += [para(text, st.body), Spacer(1, 2 * mm)]
    body.append(Spacer(1, 20 * mm))
    for text in pl.texts(MSG_HANDED):
        body += [para(text, st.body), Spacer(1, 4 * mm)]
    return layout.render(setup, body, st=st)
