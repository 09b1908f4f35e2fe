"""The deputy roster PDF of 60 deputies vs a bare reportlab table of the same rows.

The 60 deputies are the members of one deputy group of the big registry, read
through ``services.registry.roster`` as the document does.  The measured
figure is ``printing.roster.render`` (rows → PDF bytes); the baseline is a
plain ``Table`` in a ``SimpleDocTemplate`` holding the same rows as plain
strings (the same texts the roster prints, in Chinese), in the same bundled
font, A4 landscape, header row repeated.  Both are timed warm (font registered,
modules imported), median of ``runs``.  The whole document path (services →
PDF file written atomically) is shown too, against the same baseline.
"""
from __future__ import annotations

import re
import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path

from benchmarks.common import Result, median, timed_ms
from benchmarks.generate import ROSTER_GROUP, ROSTER_GROUP_SIZE

TARGET_RATIO = 2.0
LANG = "zh_CN"
PRINTED_ON = date(2026, 3, 9)


def _plain_rows(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Header and rows as the plain strings the roster shows (Chinese)."""
    from station_desk.domain import codes
    from station_desk.domain.deputies import (
        DEPUTY_STATUS_LABELS, LEVEL_LABELS, SEX_LABELS, DeputyStatus, Level, Sex,
    )
    from station_desk.domain.masking import mask_phone
    from station_desk.i18n import gettext_for
    from station_desk.printing.roster import COLUMNS, MSG_LEVEL_TERM

    tr = gettext_for(LANG)
    header = [tr(msgid) for msgid, _w, _c in COLUMNS]
    out = []
    for i, d in enumerate(rows, start=1):
        levels = "\n".join(tr(MSG_LEVEL_TERM).format(level=tr(LEVEL_LABELS[Level(m["level"])]),
                                                     term=m["term"])
                           for m in d["mandates"] if m["status"] != "terminated")
        out.append([
            str(i), d["name"] + (f"\n{d['name_ko']}" if d.get("name_ko") else ""),
            tr(SEX_LABELS[Sex(d["sex"])]) if d.get("sex") else "",
            codes.ETHNICITY_ZH.get(d.get("ethnicity") or "", ""),
            d.get("birth_date") or "",
            codes.POLITICAL_STATUS_ZH.get(d.get("party") or "", ""),
            levels, f"{d.get('unit') or ''} {d.get('post') or ''}".strip(),
            d.get("village") or "", d.get("group_name") or "", mask_phone(d.get("phone")),
            tr(DEPUTY_STATUS_LABELS[DeputyStatus(d.get("status") or "active")]),
        ])
    return header, out


def bare_table_pdf(header: list[str], rows: list[list[str]]) -> bytes:
    """The baseline: a plain reportlab Table of ``rows`` in the bundled font."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from station_desk.printing import fonts
    from station_desk.printing.roster import COLUMNS

    font = fonts.register()
    buf = BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=20 * mm, bottomMargin=20 * mm)
    weights = [w for _m, w, _c in COLUMNS]
    widths = [doc.width * w / sum(weights) for w in weights]
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9),
                               ("GRID", (0, 0), (-1, -1), 0.4, "#333333")]))
    doc.build([table])
    return buf.getvalue()


def run(db: Path, *, runs: int = 5, log=print) -> list[Result]:
    from station_desk.domain.deputies import DeputyFilter
    from station_desk.printing import roster as roster_pdf
    from station_desk.services import documents, registry, station
    from station_desk.services.session import open_session

    session = open_session(db)
    try:
        group = next(g for g in registry.groups(session) if g["name_zh"] == ROSTER_GROUP)
        rows = registry.roster(session, DeputyFilter(group_id=group["id"]))
        if len(rows) != ROSTER_GROUP_SIZE:
            raise AssertionError(f"expected {ROSTER_GROUP_SIZE} deputies, got {len(rows)}")
        profile = station.profile(session)
        header, plain = _plain_rows(rows)

        def ours() -> bytes:
            return roster_pdf.render(rows, profile, lang=LANG, printed_on=PRINTED_ON,
                                     criteria={"status": "all", "group": ROSTER_GROUP})

        def bare() -> bytes:
            return bare_table_pdf(header, plain)

        with tempfile.TemporaryDirectory(prefix="station_desk-bench-pdf-") as tmp:
            out = Path(tmp) / "roster.pdf"

            def whole() -> None:
                documents.render(session, "roster", lang=LANG,
                                 options={"group": ROSTER_GROUP}, out=out)

            # alternate the three so each sees the same machine load
            ours_ms, bare_ms, whole_ms = [], [], []
            for f in (ours, bare, whole):
                f()  # warm-up
            for _ in range(runs):
                bare_ms += timed_ms(bare, runs=1, warmup=0)
                ours_ms += timed_ms(ours, runs=1, warmup=0)
                whole_ms += timed_ms(whole, runs=1, warmup=0)
            pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", ours()))
        base = median(bare_ms)
        return [
            Result(f"roster PDF, {len(rows)} deputies: printing.roster.render", median(ours_ms),
                   base, target_ratio=TARGET_RATIO, samples=ours_ms,
                   note=f"{pages} pages; baseline: plain Table in SimpleDocTemplate"),
            Result("  whole document path: services → PDF file", median(whole_ms), base),
        ]
    finally:
        session.close()
