"""break_lines: the fast line breaking tables use for wrapped cells."""
from __future__ import annotations

import pytest

from station_desk.printing import fonts, layout


def _fits(lines, width, size):
    return all(fonts.text_width(t, size) <= width + 0.01 for t in lines)


def test_chinese_breaks_between_characters_and_keeps_every_character():
    text = "开山屯镇金谷社区社区党委副书记"
    lines = layout.break_lines(text, 46, 9)
    assert len(lines) > 2 and _fits(lines, 46, 9)
    assert "".join(lines) == text


@pytest.mark.parametrize("text", ["主任（兼）《延边日报》通讯员。副主任，理事长、委员",
                                  "理事长兼总经理、村民委员会委员、" * 3])
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text):
    for width in range(30, 120, 7):
        lines = layout.break_lines(text, width, 9)
        assert "".join(lines) == text
        assert _fits(lines, width, 9)
        assert not any(line[0] in "，。、）》；：" for line in lines[1:])
        assert not any(line[-1] in "（《" for line in lines)


def test_korean_and_latin_break_at_spaces():
    lines = layout.break_lines("룡정시 제1대표소조", 50, 9)
    assert lines == ["룡정시", "제1대표소조"]
    text = "Chairman of the board of the cooperative, member of the village committee"
    lines = layout.break_lines(text, 80, 9)
    assert " ".join(lines).split() == text.split()
    assert _fits(lines, 80, 9)


def test_a_word_wider_than_the_line_is_split_where_the_line_is_full():
    word = "Yanbian-Longjing-Zhixin-Mingdong-Agricultural-Machinery"
    lines = layout.break_lines("有限公司，" + word, 60, 9)
    assert "".join(lines) == "有限公司，" + word
    assert _fits(lines, 60, 9)
    assert lines[0].startswith("有限公司，") and lines[0] != "有限公司，"  # the line was filled


def test_line_breaks_and_empty_lines_are_kept():
    assert layout.break_lines("甲\n\n乙", 50, 9) == ["甲", "", "乙"]
    assert layout.break_lines("", 50, 9) == [""]


def test_a_wrapped_table_cell_is_a_plain_string_with_the_same_lines():
    st = layout.styles(9)
    long = "东盛涌镇柳洞村民俗旅游点 个体工商户"
    table = layout.data_table(["单位"], [[long], [layout.cell("龙井市第一代表小组", st.cell, min_size=7.5)]],
                              [1], total_width=60, st=st)
    unit, group = table._cellvalues[1][0], table._cellvalues[2][0]
    assert isinstance(unit, str) and isinstance(group, str)
    assert unit.split("\n") == layout.break_lines(long, 54, 9)
    assert group.replace("\n", "") == "龙井市第一代表小组"


def test_a_cell_a_little_too_wide_is_shrunk_onto_one_line_in_the_table():
    st = layout.styles(9)
    text = "138****5678"
    width = fonts.text_width(text, 9) * 0.9 + 2 * layout.CELL_PADDING
    table = layout.data_table(["电话"], [[layout.cell(text, st.cell_center, min_size=6.5)]],
                              [1], total_width=width, st=st)
    assert table._cellvalues[1][0] == text
    style = table._cellStyles[1][0]
    assert style.fontsize < 9 and style.alignment == "CENTER"
    assert fonts.text_width(text, style.fontsize) <= width - 2 * layout.CELL_PADDING + 0.01
