"""The whole wall set (seven notices, one PDF each) of a 60-deputy station with photos.

The station is built once in a temporary folder through the services, as a
clerk would: profile, staff, 60 deputies each with a 300×400 photo, the
reception rule and the year's roster, five rules, 40 cases.  The measured
figure is ``services.notices.wall_set`` (services → seven PDF files written
atomically), in Chinese and bilingual.  The baseline, measured in the same
run, is a bare reportlab canvas: seven pages holding the same 60 photos
(embedded as given) and the same texts drawn with ``drawString`` in the same
bundled font, one file per page.  Target: the set in ≤ 3 s (issue 6).
"""
from __future__ import annotations

import random
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from benchmarks.common import Result, median, timed_ms

TARGET_MS = 3000.0
DEPUTIES = 60
NOW = datetime(2026, 3, 9, 10, 30, tzinfo=timezone(timedelta(hours=8)))


def build_station(path: Path):
    """A station of 60 deputies with photos, rules, a roster and some cases."""
    from station_desk.services import cases, demo, notices, reception, registry, station
    from station_desk.services.session import create_station

    session = create_station(path, profile=demo.PROFILE, actor="bench", clock=lambda: NOW)
    rng = random.Random(6)
    for person in demo.STAFF:
        station.add_staff(session, data=person)
    groups = [registry.create_group(session, name_zh=zh, name_ko=ko).created_id
              for zh, ko in demo.GROUPS]
    surnames, given = "金李朴崔郑姜赵尹张林韩吴", ["英子", "明哲", "春花", "永吉", "成国", "光男"]
    for i in range(DEPUTIES):
        levels = [{"level": "township", "term": 18, "elected_on": "2021-11-18"}]
        if i % 4 == 0:
            levels.append({"level": "county", "term": 18, "elected_on": "2021-10-20"})
        registry.create_deputy(session, data={
            "name": f"{surnames[i % 12]}{given[i % 6]}{i // 72 or ''}",
            "name_ko": "김영자", "sex": "F" if i % 2 else "M", "ethnicity": "10",
            "birth_date": "1970-05-01", "party": "01", "unit": "智新镇明东村村民委员会",
            "post": "村委会主任", "phone": f"1384331{i:04d}", "village": "明东村",
            "group_id": groups[i % len(groups)]},
            mandates=levels, photo=demo.avatar(rng))
    reception.set_rule(session, data={"kind": "monthly", "days": "9, 19", "per_day": 3,
                                      "start": "08:30", "end": "11:30", "place": "联络站一楼接待室"})
    reception.generate_days(session, year=2026, include_past=True)
    reception.draw_roster(session, year=2026, include_past=True)
    notices.seed_demo(session)
    for n in range(40):
        on = date(2026, 1 + n % 3, 1 + n % 27)
        if on > NOW.date():
            on = NOW.date()
        cases.register(session, voter={"name": "朴英子", "village": "明东村", "consent": True},
                       case={"on": on, "channel": "reception_day",
                             "category": ("help", "complaint", "suggestion", "enquiry")[n % 4],
                             "words": "村里的路灯坏了"})
    return session


def bare_set(out_dir: Path, texts: list[list[str]], photos: list[bytes]) -> None:
    """The baseline: one bare canvas page per notice with the same photos and texts."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from station_desk.printing import fonts

    font = fonts.register()
    for n, page in enumerate(texts):
        c = Canvas(str(out_dir / f"bare-{n}.pdf"), pagesize=landscape(A4))
        c.setFont(font, 8)
        if n == 1:  # the deputies' page carries the photos
            for i, data in enumerate(photos):
                c.drawImage(ImageReader(BytesIO(data)), 15 * mm + (i % 10) * 27 * mm,
                            20 * mm + (i // 10) * 28 * mm, 10 * mm, 13 * mm)
        for i, line in enumerate(page):
            c.drawString(15 * mm + (i % 4) * 65 * mm, 190 * mm - (i // 4) * 3.2 * mm, line[:40])
        c.showPage()
        c.save()


def run(*, runs: int = 5, log=print) -> list[Result]:
    from pypdf import PdfReader

    from station_desk.services import notices

    with tempfile.TemporaryDirectory(prefix="station_desk-bench-wall-") as tmp:
        tmp_path = Path(tmp)
        log("  building a 60-deputy station with photos ...")
        session = build_station(tmp_path / "station.sqlite3")
        try:
            photos = list(notices.wall_deputies(session))
            assert len(photos) == DEPUTIES and all(d["photo"] for d in photos)
            out = tmp_path / "wall"

            def ours(lang: str):
                return lambda: notices.wall_set(session, lang=lang, options={}, out_dir=out / lang)

            ours("zh_CN")()  # warm-up, and the texts the baseline draws
            texts = [[t for t in (p.extract_text() or "").split("\n") if t.strip()]
                     for f in sorted((out / "zh_CN").glob("*.pdf"))
                     for p in PdfReader(str(f)).pages]
            images = [d["photo"] for d in photos]
            base_dir = tmp_path / "bare"
            base_dir.mkdir()

            def bare():
                bare_set(base_dir, texts, images)

            bare()
            zh_ms, bi_ms, bare_ms = [], [], []
            for _ in range(runs):
                bare_ms += timed_ms(bare, runs=1, warmup=0)
                zh_ms += timed_ms(ours("zh_CN"), runs=1, warmup=0)
                bi_ms += timed_ms(ours("bilingual"), runs=1, warmup=0)
            files = sorted((out / "zh_CN").glob("*.pdf"))
            pages = sum(len(PdfReader(str(f)).pages) for f in files)
            size_kb = sum(f.stat().st_size for f in files) / 1024
        finally:
            session.close()
    base = median(bare_ms)
    return [
        Result(f"wall set, {DEPUTIES} deputies with photos, zh: notices.wall_set",
               median(zh_ms), base, target_abs=TARGET_MS, samples=zh_ms,
               note=f"{len(files)} PDFs, {pages} pages, {size_kb:.0f} KiB; baseline: bare "
                    "canvas pages with the same photos and texts"),
        Result("  the same set, bilingual", median(bi_ms), base, target_abs=TARGET_MS,
               samples=bi_ms),
    ]


if __name__ == "__main__":
    from benchmarks.common import table

    print(table(run(runs=3, log=print)))
