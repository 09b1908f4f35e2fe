"""The station's rules on the wall (制度上墙 / 제도공시): one card per rule —
number, title and body, in Chinese, Korean or both (an English notice prints
the station's own Chinese texts).  A long rule continues on the next page.
Input is plain data: ``services.notices.rules``.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm

from station_desk.i18n import N_
from station_desk.printing.wall import board
from station_desk.printing.wall.board import fit_text

TITLE = N_("Rules of the Station")
MSG_NONE = N_("No rules have been entered yet.")


def _pick(rule: dict, code: str, field: str) -> str:
    zh = (rule.get(f"{field}_zh") or "").strip()
    ko = (rule.get(f"{field}_ko") or "").strip()
    return (ko or zh) if code == "ko" else zh


def render(rules: list[dict], station: dict, *, lang: str, printed_on: date, size: str = "a4",
           orientation: str = "auto") -> bytes:
    """The rules notice as PDF bytes."""
    wall = board.make(TITLE, station, lang=lang, printed_on=printed_on, size=size,
                      orientation=orientation, default_landscape=False)
    k = wall.k
    codes = [("ko" if code == "ko" else "zh_CN") for code in wall.lang.languages]
    codes = list(dict.fromkeys(codes))
    body: list = []
    if not rules:
        body.append(board.Block(30 * mm * k, lambda c, w, h: fit_text(
            c, wall.texts(MSG_NONE), 0, h, w, h, size=16 * k, align="center")))
    size_pt = 12 if len(rules) <= 4 else 11
    for n, rule in enumerate(rules, start=1):
        titles = list(dict.fromkeys(_pick(rule, code, "title") for code in codes))
        paragraphs: list[str] = []
        for i, code in enumerate(dict.fromkeys(codes)):
            text = _pick(rule, code, "body")
            if i and paragraphs and text and text not in paragraphs:
                paragraphs.append("")
            if text and text not in "\n".join(paragraphs):
                paragraphs += text.split("\n")
        titles = [f"{n}. {titles[0]}"] + titles[1:]
        body.append(board.TextCard(titles, paragraphs, k, size=size_pt,
                                   continued=wall.texts(board.MSG_CONTINUED),
                                   space_after=5 * mm * k))
    return board.render(wall, body)
