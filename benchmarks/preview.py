"""One page of the print centre's preview: PDF bytes → an image for the screen.

Two real documents are previewed the way ``ui.widgets.pdf_preview.render_page``
does it on its worker thread (pdfium opens the bytes, renders the page at the
width the view needs, the bitmap becomes a QImage): the sign-in sheet of a
60-person activity (A4 portrait, page 1 of 4) and the wall deputies notice of
a 60-deputy station with photos (A4 landscape, 60 photo cards).  Each is timed
at two widths: 560 px (the preview pane at 1280×800) and 1120 px (the same on
a 2× screen).  The baseline, in the same run and at the same widths, is a bare
one-page reportlab PDF of the same page size holding one line of text.
Target: a page on screen in ≤ 200 ms (issue 6).
"""
from __future__ import annotations

import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path

from benchmarks.common import Result, median, timed_ms

TARGET_MS = 200.0
WIDTHS = (560, 1120)


def bare_page(width_pt: float, height_pt: float) -> bytes:
    """A one-page PDF of the given size with one line of text (the baseline)."""
    from reportlab.pdfgen.canvas import Canvas

    from station_desk.printing import fonts

    out = BytesIO()
    c = Canvas(out, pagesize=(width_pt, height_pt))
    c.setFont(fonts.register(), 12)
    c.drawString(72, height_pt - 72, "龙井市智新镇人大代表联络站 룡정시 지신진")
    c.showPage()
    c.save()
    return out.getvalue()


def documents_to_preview(tmp: Path) -> list[tuple[str, bytes]]:
    """(name, PDF bytes) of the sign-in sheet and the wall deputies notice."""
    from benchmarks import sign_in_sheet, wall_set
    from station_desk.printing import sign_in_sheet as sheet_pdf
    from station_desk.services import notices, station

    session = wall_set.build_station(tmp / "station.sqlite3")
    try:
        profile = station.profile(session)
        sheet = sheet_pdf.render(sign_in_sheet.make_activity(60), profile, lang="zh_CN",
                                 printed_on=date(2026, 3, 9), blank_rows=20, counts="auto")
        deputies = notices.render_wall(session, "wall-deputies", lang="zh_CN",
                                       options={"size": "a4", "orientation": "auto"})
    finally:
        session.close()
    return [("sign-in sheet (60 people), page 1", sheet),
            ("wall deputies notice (60 photo cards)", deputies)]


def run(*, runs: int = 5, log=print) -> list[Result]:
    from station_desk.ui.widgets.pdf_preview import page_count, render_page

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="station_desk-bench-preview-") as tmp:
        log("  building a 60-deputy station with photos for the previews ...")
        docs = documents_to_preview(Path(tmp))
    for name, data in docs:
        count, sizes = page_count(data)
        w_pt, h_pt = sizes[0]
        bare = bare_page(w_pt, h_pt)
        for width in WIDTHS:
            ours_ms, bare_ms = [], []
            render_page(data, 0, width_px=width)  # warm: pdfium loaded, fonts parsed once
            render_page(bare, 0, width_px=width)
            for _ in range(runs):  # alternating: both see the same machine load
                bare_ms += timed_ms(lambda: render_page(bare, 0, width_px=width), runs=1,
                                    warmup=0)
                ours_ms += timed_ms(lambda: render_page(data, 0, width_px=width), runs=1,
                                    warmup=0)
            image = render_page(data, 0, width_px=width)
            results.append(Result(
                f"preview {name}, {width} px", median(ours_ms), median(bare_ms),
                target_abs=TARGET_MS, samples=ours_ms,
                note=(f"{count} pages, {w_pt:.0f}×{h_pt:.0f} pt, image "
                      f"{image.width()}×{image.height()}; baseline: a bare one-page PDF "
                      "of the same size" if width == WIDTHS[0] else "")))
    return results


if __name__ == "__main__":
    from benchmarks.common import table

    print(table(run(runs=5, log=print)))
