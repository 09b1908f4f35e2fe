"""The shared page layout: page sizes, languages, the shrink-then-wrap rule."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from station_desk.i18n import N_, gettext_for
from station_desk.printing import fonts, layout

STATION = {"name_zh": "龙井市智新镇人大代表联络站", "name_ko": "룡정시 지신진 인대대표련락소",
           "bilingual_order": "ko-zh"}


def _pdf(setup, body) -> PdfReader:
    return PdfReader(BytesIO(layout.render(setup, body)))


def test_a3_portrait_with_many_pages_numbers_each(tmp_path):
    pl = layout.print_language("en", STATION)
    setup = layout.PageSetup(title=N_("Deputy Roster"), lang=pl, station=STATION,
                             printed_on=date(2026, 3, 9), size="A3")
    st = layout.styles()
    body = [layout.para(f"line {i}", st.body) for i in range(300)]
    reader = _pdf(setup, body)
    assert len(reader.pages) >= 2
    for n, page in enumerate(reader.pages, start=1):
        assert float(page.mediabox.width) == pytest.approx(841.89, abs=1)
        assert float(page.mediabox.height) == pytest.approx(1190.55, abs=1)
        text = page.extract_text()
        assert gettext_for("en")(layout.MSG_PAGE).format(page=n, pages=len(reader.pages)) in text
        assert "9 March 2026" in text  # the print date, written out by babel


def test_bilingual_prints_both_names_and_dates_in_the_station_order():
    pl = layout.print_language("bilingual", STATION)
    assert pl.languages == ("ko", "zh_CN")
    assert pl.station_names(STATION) == [STATION["name_ko"], STATION["name_zh"]]
    assert pl.dates(date(2026, 3, 9)) == ["2026년 3월 9일", "2026年3月9日"]
    assert layout.print_language("zh", STATION).languages == ("zh_CN",)
    assert layout.print_language("en", STATION).station_names(STATION) == [STATION["name_zh"]]


def test_code_list_labels_fall_back_to_the_official_chinese_wording():
    pl = layout.print_language("zh_CN")
    translated = gettext_for("zh_CN")("Korean (Chaoxian)")
    expected = "朝鲜族" if translated == "Korean (Chaoxian)" else translated
    assert pl.texts("Korean (Chaoxian)", zh="朝鲜族") == [expected]


@pytest.fixture
def st():
    return layout.styles(9)


def test_text_that_fits_keeps_its_size(st):
    f = layout.FitText("138****5678", st.cell, min_size=6.5)
    f.wrap(200, 1000)
    assert f.size == 9 and f.height == pytest.approx(st.cell.leading)


def test_text_a_little_too_wide_shrinks_onto_one_line(st):
    text = "138****5678"
    width = fonts.text_width(text, 9) * 0.85
    f = layout.FitText(text, st.cell, min_size=6.5)
    f.wrap(width, 1000)
    assert 6.5 <= f.size < 9
    assert fonts.text_width(text, f.size) <= width + 0.01
    assert f.height == pytest.approx(st.cell.leading * f.size / 9)  # one line


def test_text_far_too_wide_wraps_at_full_size_without_splitting_words(st):
    text = "Moved out of the administrative area"
    f = layout.FitText(text, st.cell, min_size=7)
    f.wrap(60, 1000)
    assert f.size == 9
    assert f.height > 2 * st.cell.leading
    lines = [" ".join(w if isinstance(w, str) else w.text for w in getattr(ln, "words", []))
             for ln in f._para.blPara.lines]
    assert all(word in text.split() for line in lines for word in line.split())


def test_a_box_that_cannot_grow_shrinks_the_wrapped_text_until_it_fits(st):
    text = "龙井市智新镇明东村农业机械专业合作社暨朝鲜族民俗文化旅游发展有限公司" * 2
    f = layout.FitText(text, st.cell, min_size=8, max_height=40)
    _, h = f.wrap(80, 1000)
    assert h <= 40 and f.size < 8


def test_a_heading_too_long_for_the_page_is_shrunk_to_the_width():
    h = layout.Heading(["代表名册" * 20, "대표명단"], size=18)
    width = 400
    h.wrap(width, 1000)
    assert h._sizes[0] == h._sizes[1] == 9  # both languages the same size, half at most
    assert len(h._lines) > 2  # what still does not fit wraps
    assert all(fonts.text_width(t, 9) <= width + 0.01 for t in h._lines)
    assert "".join(h._lines) == "代表名册" * 20 + "대표명단"


def test_drawn_lines_break_latin_at_spaces_only():
    lines = layout.break_lines("Deputy Roster of the Zhixin township station 代表名册", 120, 12)
    assert len(lines) > 1
    assert " ".join(lines).replace("  ", " ").split() == \
        "Deputy Roster of the Zhixin township station 代表名册".split()
