"""The sign-in sheet PDF vs a bare reportlab table of the same rows.

An activity with 60 invited deputies (and 20 blank rows, the default) is
rendered by ``printing.sign_in_sheet.render`` (activity dict → PDF bytes).
The baseline is a plain ``Table`` in a ``SimpleDocTemplate`` holding the same
80 rows as plain strings (number, name, levels, unit and post, masked phone,
three empty cells), in the same bundled font, A4 portrait, header row
repeated.  Both are timed warm (font registered, modules imported), median of
``runs``, alternating so each sees the same machine load.  A 500-person sheet
is timed too (target ≤ 2 s) and shown against the 500-row baseline.

The people are synthetic (names with rare characters and Korean readings,
long units for some): the sheet's cost does not depend on the database.
"""
from __future__ import annotations

import re
from datetime import date
from io import BytesIO

from benchmarks.common import Result, median, timed_ms

TARGET_RATIO = 2.0
TARGET_500_MS = 2000.0
LANG = "zh_CN"
PRINTED_ON = date(2026, 3, 9)
BLANK = 20

_NAMES = [("金喆", "김철"), ("李堃", "리곤"), ("王昇", ""), ("朴珺", "박군"), ("崔玥", "최월"),
          ("张赟", ""), ("金龙井", "김룡정"), ("韩龙", "한룡")]
_UNITS = [("智新镇明东村村民委员会", "主任"), ("智新镇中心小学", "教师"),
          ("龙井市智新镇明东村农业机械专业合作社暨朝鲜族民俗文化旅游发展有限公司", "理事长兼总经理"),
          ("智新镇卫生院", "院长")]


def make_activity(count: int) -> dict:
    """An activity of ``count`` invited people, as ``services.activities.activity`` gives it."""
    people = []
    for i in range(count):
        name, ko = _NAMES[i % len(_NAMES)]
        unit, post = _UNITS[i % len(_UNITS)]
        people.append({"id": f"i{i}", "deputy_id": f"d{i}", "name": f"{name}{i:03d}",
                       "name_ko": f"{ko}{i:03d}" if ko else "",
                       "levels": ["county", "township"] if i % 3 == 0 else ["township"],
                       "unit": unit, "post": post, "phone": f"1384331{i:04d}",
                       "attendance": "unmarked", "signed_at": "", "leave_reason": "",
                       "leave_approved_by": "", "outsider": False})
    return {"id": "bench", "title": "2026年第一季度代表集中学习活动",
            "theme": "学习贯彻全国人大会议精神，提高代表履职能力", "kind": "learning",
            "starts_at": "2026-03-12T09:00", "ends_at": "2026-03-12T11:30",
            "place": "智新镇代表之家二楼会议室", "organiser": "智新镇人大主席团",
            "status": "scheduled", "notice": "", "summary": "", "invitees": people,
            "photos": []}


def plain_rows(activity: dict, blank: int) -> tuple[list[str], list[list[str]]]:
    """Header and rows as the plain strings the sheet shows (Chinese)."""
    from station_desk.domain.masking import mask_phone
    from station_desk.i18n import gettext_for
    from station_desk.printing.duty_roster import level_texts
    from station_desk.printing.layout import PrintLanguage
    from station_desk.printing.sign_in_sheet import COLUMNS

    tr = gettext_for(LANG)
    pl = PrintLanguage(LANG)
    header = [tr(msgid) for msgid, _w, _a in COLUMNS]
    rows = [[str(n), p["name"], "\n".join(level_texts(p["levels"], pl)),
             f"{p['unit']} {p['post']}", mask_phone(p["phone"]), "", "", ""]
            for n, p in enumerate(activity["invitees"], start=1)]
    start = len(rows) + 1
    rows += [[str(n)] + [""] * 7 for n in range(start, start + blank)]
    return header, rows


def bare_table_pdf(header: list[str], rows: list[list[str]]) -> bytes:
    """The baseline: a plain reportlab Table of ``rows`` in the bundled font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from station_desk.printing import fonts
    from station_desk.printing.sign_in_sheet import COLUMNS

    font = fonts.register()
    buf = BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm)
    weights = [w for _m, w, _a in COLUMNS]
    widths = [doc.width * w / sum(weights) for w in weights]
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9),
                               ("GRID", (0, 0), (-1, -1), 0.4, "#333333")]))
    doc.build([table])
    return buf.getvalue()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def run(*, runs: int = 5, log=print) -> list[Result]:
    from station_desk.printing import sign_in_sheet

    station = {"name_zh": "龙井市智新镇人大代表联络站", "name_ko": "룡정시 지신진 인대대표련락소",
               "bilingual_order": "zh-ko"}
    results: list[Result] = []
    for count, blank, target in ((60, BLANK, "ratio"), (500, BLANK, "abs")):
        activity = make_activity(count)
        header, plain = plain_rows(activity, blank)

        def ours() -> bytes:
            return sign_in_sheet.render(activity, station, lang=LANG, printed_on=PRINTED_ON,
                                        blank_rows=blank)

        def bare() -> bytes:
            return bare_table_pdf(header, plain)

        log(f"sign-in sheet, {count} invited + {blank} blank rows ...")
        ours_ms, bare_ms = [], []
        for f in (ours, bare):
            f()  # warm-up
        for _ in range(runs):
            bare_ms += timed_ms(bare, runs=1, warmup=0)
            ours_ms += timed_ms(ours, runs=1, warmup=0)
        pages, base_pages = _pages(ours()), _pages(bare())
        note = (f"{pages} pages (baseline {base_pages}); baseline: plain Table of the same "
                f"{count + blank} rows in SimpleDocTemplate")
        name = f"sign-in sheet PDF, {count} invited + {blank} blank rows"
        if target == "ratio":
            results.append(Result(name, median(ours_ms), median(bare_ms),
                                  target_ratio=TARGET_RATIO, samples=ours_ms, note=note))
        else:
            results.append(Result(name, median(ours_ms), median(bare_ms),
                                  target_abs=TARGET_500_MS, samples=ours_ms, note=note))
    return results


if __name__ == "__main__":
    from benchmarks.common import table

    print(table(run()))
