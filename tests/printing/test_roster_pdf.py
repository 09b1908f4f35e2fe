"""The deputy roster PDF, rendered from a real station database and read back."""
from __future__ import annotations

import gettext

import pytest
from pypdf import PdfReader

from station_desk import i18n

from station_desk.domain.deputies import (
    DEPUTY_STATUS_LABELS, TERMINATION_LABELS, DeputyStatus, TerminationGround,
)
from station_desk.i18n import gettext_for
from station_desk.printing import fonts, layout, roster
from station_desk.services import documents, registry
from tests.printing.conftest import (
    A4_LANDSCAPE, MOBILE, PEOPLE, add_deputies, page_texts, squeeze, suspend, terminate,
)

LANGS = ["zh_CN", "ko", "en", "bilingual"]


def _languages(lang: str) -> list[str]:
    return ["zh_CN", "ko"] if lang == "bilingual" else [lang]


def _page_label(lang: str, page: int, pages: int) -> str:
    if lang == "bilingual":
        return f"{page} / {pages}"
    return gettext_for(lang)(layout.MSG_PAGE).format(page=page, pages=pages)


def _render(session, out_dir, lang, **options):
    out = out_dir / f"roster-{lang}.pdf"
    documents.render(session, "roster", lang=lang, options=options, out=out)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_roster_shows_every_deputy_with_masked_phone_and_exit_ground(session, out_dir, lang):
    ids = add_deputies(session, 6)
    terminate(session, ids[1], ground="moved_out")
    suspend(session, ids[2])

    pdf = _render(session, out_dir, lang)
    texts = page_texts(pdf)
    flat = squeeze("".join(texts))

    for name, reading, _, _ in PEOPLE[:6]:
        assert name in flat
        if reading:
            assert reading in flat
    for i in range(6):
        phone = f"1384331{i:04d}"
        assert f"138****{phone[-4:]}" in flat
        assert phone not in flat
    assert not any(MOBILE.search(t) for t in texts)

    for code in _languages(lang):
        tr = gettext_for(code)
        assert squeeze(tr(TERMINATION_LABELS[TerminationGround.MOVED_OUT])) in flat
        assert squeeze(tr(DEPUTY_STATUS_LABELS[DeputyStatus.FORMER])) in flat
        assert squeeze(tr(DEPUTY_STATUS_LABELS[DeputyStatus.SUSPENDED])) in flat
        assert squeeze(tr(roster.TITLE)) in flat
    assert "2025-06-30" in flat  # the end date of the former deputy
    # the station's name in the language(s) printed
    if lang in ("ko", "bilingual"):
        assert squeeze("룡정시 지신진 인대대표련락소") in flat
    if lang != "ko":
        assert "龙井市智新镇人大代表联络站" in flat

    reader = PdfReader(str(pdf))
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert float(box.width) == pytest.approx(A4_LANDSCAPE[0], abs=1)
        assert float(box.height) == pytest.approx(A4_LANDSCAPE[1], abs=1)
        assert _page_label(lang, number, len(reader.pages)) in texts[number - 1]


def test_bilingual_follows_the_station_order(session, out_dir):
    from station_desk.services import station

    add_deputies(session, 1)
    profile = station.profile(session)
    station.save_profile(session, data={**profile, "bilingual_order": "ko-zh"})
    text = page_texts(_render(session, out_dir, "bilingual"))[0]
    assert text.index("룡정시") < text.index("龙井市")

    station.save_profile(session, data={**profile, "bilingual_order": "zh-ko"})
    text = page_texts(_render(session, out_dir, "bilingual"))[0]
    assert text.index("龙井市") < text.index("룡정시")


def test_one_deputy_is_one_page(session, out_dir):
    add_deputies(session, 1)
    pdf = _render(session, out_dir, "zh_CN")
    texts = page_texts(pdf)
    assert len(texts) == 1
    assert _page_label("zh_CN", 1, 1) in texts[0]
    assert "金喆" in texts[0]


@pytest.mark.parametrize("lang", ["zh_CN", "bilingual"])
def test_eighty_deputies_paginate_with_the_header_on_every_page(session, out_dir, lang):
    add_deputies(session, 80)
    pdf = _render(session, out_dir, lang)
    texts = page_texts(pdf)
    assert len(texts) >= 3
    phone_header = squeeze(gettext_for(_languages(lang)[0])("Phone"))
    for number, text in enumerate(texts, start=1):
        assert phone_header in squeeze(text), f"no header row on page {number}"
        assert _page_label(lang, number, len(texts)) in text
    flat = squeeze("".join(texts))
    for i in range(80):
        assert flat.count(f"138****{i:04d}") == 1
    # the summary closes the last page only
    total = squeeze(gettext_for(_languages(lang)[0])(roster.MSG_TOTAL).format(count=80))
    assert total in squeeze(texts[-1])
    assert all(total not in squeeze(t) for t in texts[:-1])


def _text_runs(page):
    """(text, x, y, size) of every text run, in page coordinates."""
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        runs.append((text, x, y, font_size * tm[0] * cm[0]))

    page.extract_text(visitor_text=visit)
    return runs


class StretchedCatalog(gettext.NullTranslations):
    """A pseudo-locale: every label about 60% longer, placeholders kept."""

    def gettext(self, message):
        return f"[{message} ~~{'~' * (len(message) // 2)}]"


def _assert_inside(pdf) -> int:
    reader = PdfReader(str(pdf))
    margin = layout.PageSetup.margin
    fonts.register()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    seen = 0
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for text, x, y, size in _text_runs(page):
            seen += 1
            right = x + stringWidth(text.rstrip(), fonts.FONT, size)
            assert x >= margin - 0.5, (text, x)
            assert right <= width - margin + 0.5, (text, right, width - margin)
            assert margin - 0.5 <= y <= height - margin, (text, y)
    return seen


@pytest.mark.parametrize("lang", ["bilingual", "stretched"])
def test_very_long_units_and_labels_stay_inside_the_page(session, out_dir, monkeypatch, lang):
    if lang == "stretched":
        real = i18n.translations
        monkeypatch.setattr(i18n, "translations", lambda code: StretchedCatalog()
                            if i18n.normalise(code) == "en" else real(code))
        lang = "en"
    unit = ("龙井市智新镇明东村农业机械专业合作社暨朝鲜族民俗文化旅游发展有限公司，"
            "Yanbian-Longjing-Zhixin-Mingdong-Agricultural-Machinery-Cooperative ") * 2
    ids = add_deputies(session, 3, unit=unit[:120], post="理事长兼总经理、村民委员会委员、" * 5)
    terminate(session, ids[0], ground="absent_twice")
    pdf = _render(session, out_dir, lang)
    assert _assert_inside(pdf) > 50
    flat = squeeze("".join(page_texts(pdf)))
    assert "Yanbian" in flat and "理事长兼总经理" in flat


def test_printing_reads_plain_dicts_without_a_database():
    station = {"name_zh": "测试站", "name_ko": "시험소", "bilingual_order": "zh-ko"}
    rows = [{"name": "金喆", "name_ko": "김철", "sex": "M", "ethnicity": "10",
             "birth_date": "1970-01-02", "party": "01", "unit": "单位", "post": "职务",
             "phone": "13900001111", "village": "明东村", "group_name": "", "group_name_ko": "",
             "status": "active", "mandates": [{"level": "county", "term": 17, "status": "active",
                                               "status_since": "2021-10-01", "ended_on": None,
                                               "end_ground": None}]}]
    from datetime import date

    data = roster.render(rows, station, lang="zh_CN", printed_on=date(2026, 3, 9))
    assert data.startswith(b"%PDF")
    assert b"STSong" not in data and b"HYSMyeongJo" not in data  # no CID fonts
    assert b"/FontFile2" in data  # the TrueType font is embedded


def test_the_former_deputy_lists_every_distinct_end(session, out_dir):
    ids = add_deputies(session, 1)
    registry.add_mandate(session, deputy_id=ids[0], data={
        "level": "county", "term": 17, "elected_on": "2021-10-01"})
    terminate(session, ids[0], ground="death", on="2025-02-01")
    flat = squeeze("".join(page_texts(_render(session, out_dir, "en"))))
    ground = squeeze(gettext_for("en")(TERMINATION_LABELS[TerminationGround.DEATH]))
    assert flat.count(ground) == 1  # both mandates ended the same day: said once
