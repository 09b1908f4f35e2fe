"""The station's profile on the wall (联络站简介 / 련락소 소개): a photo of the
station (or a placeholder), its address, phone, opening hours, rooms and
reception days, its staff, and how many deputies it serves at which levels.
Input is plain data: ``services.notices.wall_profile``.
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm

from station_desk.domain.deputies import LEVEL_LABELS, Level
from station_desk.domain.station import STAFF_ROLE_LABELS, StaffRole
from station_desk.i18n import N_
from station_desk.printing.wall import board
from station_desk.printing.wall.board import ACCENT, ACCENT_DARK, GREY, INK, fit_text

TITLE = N_("About the Station")
MSG_ADDRESS = N_("Address")
MSG_PHONE = N_("Phone")
MSG_HOURS = N_("Opening hours")
MSG_ROOMS = N_("Rooms")
MSG_RECEPTION = N_("Reception days")
MSG_STAFF = N_("Staff")
MSG_DEPUTIES = N_("Deputies of the station")
MSG_ALL = N_("Deputies")
MSG_GROUPS = N_("Deputy groups")
MSG_NO_STAFF = N_("No staff entered yet.")


def render(data: dict, station: dict, *, lang: str, printed_on: date, size: str = "a4",
           orientation: str = "auto") -> bytes:
    """The profile notice as PDF bytes."""
    wall = board.make(TITLE, station, lang=lang, printed_on=printed_on, size=size,
                      orientation=orientation, default_landscape=False)
    return board.render(wall, [board.Block(None, lambda c, w, h: _page(c, w, h, wall, data))])


def _facts(wall, data: dict) -> list[tuple[list[str], list[str]]]:
    st, pl = data.get("station") or {}, wall.lang
    out = []
    for msgid, value in ((MSG_ADDRESS, st.get("address")), (MSG_PHONE, st.get("phone")),
                         (MSG_HOURS, st.get("opening_hours")), (MSG_ROOMS, st.get("rooms"))):
        if (value or "").strip():
            out.append((pl.texts(msgid), [value.strip()]))
    rule = board.rule_texts(pl, data.get("rule"))
    if rule:
        place = ((data.get("rule") or {}).get("place") or "").strip()
        out.append((pl.texts(MSG_RECEPTION), rule + ([place] if place else [])))
    return out


def _page(c, width: float, height: float, wall, data: dict) -> None:
    k, pl = wall.k, wall.lang
    gap = 5 * mm * k
    wide = wall.landscape
    top_h = height * (0.52 if wide else 0.42)
    # the photo and the facts
    pw = width * (0.47 if not wide else 0.40)
    board.photo(c, data.get("photo"), 0, height - top_h, pw, top_h, k, building=True)
    fx = pw + gap
    x, y, iw, ih = board.card(c, fx, height - top_h, width - fx, top_h, k,
                              title=pl.station_names(data.get("station") or {})
                              or pl.texts(TITLE), title_size=14)
    facts = _facts(wall, data)
    if facts:
        weights = [1.0 + 0.45 * (len(v) + len(lab) - 1) for lab, v in facts]
        per = ih / sum(weights)
        yy = y + ih
        label_w = iw * 0.26
        for (label, values), wgt in zip(facts, weights):
            box = per * wgt
            fit_text(c, label, x, yy, label_w - 2 * mm * k, box, size=12 * k, floor=6 * k,
                     color=ACCENT_DARK, bold=True, leading=1.3)
            fit_text(c, values, x + label_w, yy, iw - label_w, box, size=12.5 * k, floor=5.5 * k,
                     leading=1.35)
            yy -= box
    # the staff
    staff = data.get("staff") or []
    staff_h = height * (0.25 if not wide else 0.22)
    sy = height - top_h - gap - staff_h
    x, y, iw, ih = board.card(c, 0, sy, width, staff_h, k, title=[" / ".join(pl.texts(MSG_STAFF))],
                              title_size=13)
    if not staff:
        fit_text(c, pl.texts(MSG_NO_STAFF), x, y + ih, iw, ih, size=11 * k, color=GREY)
    else:
        cols = min(len(staff), 4)
        rows = -(-len(staff) // cols)
        cw, chh = iw / cols, ih / rows
        for i, person in enumerate(staff):
            r, col = divmod(i, cols)
            px, top = x + col * cw, y + ih - r * chh
            role = person.get("role")
            label = STAFF_ROLE_LABELS.get(StaffRole(role)) if role in StaffRole._value2member_map_ else None
            fit_text(c, [" / ".join(pl.texts(label))] if label else [], px + 2 * mm * k, top,
                     cw - 4 * mm * k, chh * 0.3, size=11 * k, floor=5 * k, color=ACCENT)
            names = [person.get("name") or ""]
            ko = (person.get("name_ko") or "").strip()
            if ko and any(code == "ko" for code in pl.languages):
                names.append(ko)
            fit_text(c, names, px + 2 * mm * k, top - chh * 0.3, cw - 4 * mm * k, chh * 0.66,
                     size=17 * k, min_size=10 * k, floor=6 * k, bold=True, leading=1.2)
    # the deputies in figures
    ty = 0
    tiles_h = sy - gap - ty
    levels = data.get("levels") or {}
    tiles = [(pl.texts(MSG_ALL), data.get("deputies") or 0),
             (pl.texts(MSG_GROUPS), data.get("groups") or 0)]
    tiles += [(pl.texts(LEVEL_LABELS[lv]), levels[lv.value]) for lv in Level if levels.get(lv.value)]
    x, y, iw, ih = board.card(c, 0, ty, width, tiles_h, k,
                              title=[" / ".join(pl.texts(MSG_DEPUTIES))], title_size=13)
    n = len(tiles)
    tw = (iw - (n - 1) * 3 * mm * k) / n
    for i, (label, count) in enumerate(tiles):
        tx = x + i * (tw + 3 * mm * k)
        c.saveState()
        c.setFillColor(board.TINT if i > 1 else ACCENT)
        c.roundRect(tx, y, tw, ih, 2 * mm * k, stroke=0, fill=1)
        c.restoreState()
        color = board.PAPER if i <= 1 else ACCENT_DARK
        fit_text(c, [str(count)], tx, y + ih - ih * 0.08, tw, ih * 0.5, size=min(ih * 0.42, 40 * k),
                 align="center", color=color, bold=True, valign="middle", leading=1.1)
        fit_text(c, label, tx + 1.5 * mm * k, y + ih * 0.42, tw - 3 * mm * k, ih * 0.38,
                 size=11 * k, floor=5 * k, align="center",
                 color=board.PAPER if i <= 1 else INK, valign="middle", leading=1.2)
