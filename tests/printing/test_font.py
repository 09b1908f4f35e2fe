"""The bundled font: a TrueType subset that keeps rare name characters and Hangul."""
from __future__ import annotations

from fontTools.ttLib import TTFont

from station_desk import paths
from station_desk.printing import fonts


def test_the_subset_is_truetype_named_wenquanyi_and_about_three_and_a_half_mib():
    path = fonts.font_path()
    assert path.parent == paths.resources_dir() / "fonts"
    assert 3.0 * 2**20 < path.stat().st_size < 4.5 * 2**20
    font = TTFont(str(path))
    assert "glyf" in font and "CFF " not in font
    assert font["name"].getDebugName(1) == fonts.FAMILY == "WenQuanYi Micro Hei"


def test_the_subset_has_rare_name_characters_and_yanbian_hangul():
    cmap = TTFont(str(fonts.font_path())).getBestCmap()
    for ch in "喆堃昇珺玥赟" + "룡정련락" + "代表名册대표명단" + "，。：（）":
        assert ord(ch) in cmap, ch


def test_the_licence_travels_with_the_font():
    text = (fonts.font_path().parent / "LICENSE-WenQuanYi.txt").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0" in text
    assert "WenQuanYi" in text and "Qianqian Fang" in text


def test_reportlab_gets_the_bundled_font_under_one_name():
    name = fonts.register()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as TTFontRL

    font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFontRL)  # embedded TrueType, not a CID font
    assert font.face.filename == str(fonts.font_path())
    assert pdfmetrics.getFont(fonts.FONT_BOLD).face.filename == str(fonts.font_path())
    assert fonts.register() == name  # registering twice is harmless
    assert fonts.text_width("喆", 10) > 0
