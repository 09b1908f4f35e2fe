"""The language catalogs: complete, placeholders kept, no fuzzy or obsolete entries,
glossary terms used, dates in the local forms."""
from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po

from station_desk import i18n

LANGS = ("zh_CN", "ko", "en")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _catalog(lang: str):
    with (i18n.catalog_dir() / f"{lang}.po").open("rb") as f:
        return read_po(f, locale=lang)


def _pairs(lang: str):
    """(msgid, translation) for every message and every plural form."""
    for m in _catalog(lang):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        for n, s in enumerate(strings):
            yield ids[min(n, len(ids) - 1)], s


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_of_the_sources_is_translated(lang):
    missing = i18n.missing(lang)
    assert missing == [], (
        f"{len(missing)} message(s) without a {lang} translation "
        f"(run: python -m station_desk.i18n update, then translate):\n  " + "\n  ".join(missing))


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_placeholders(lang):
    wrong = [(mid, s) for mid, s in _pairs(lang)
             if s and set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(mid))]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_accelerators_and_ellipses_follow_the_id(lang):
    def has_accel(text: str) -> bool:
        return "&" in text.replace("&&", "") and "<" not in text

    wrong = [(mid, s) for mid, s in _pairs(lang) if s and (
        has_accel(mid) != has_accel(s) or mid.endswith("…") != s.endswith("…")
        or mid.count("\n") != s.count("\n"))]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_fuzzy_or_obsolete_entries(lang):
    catalog = _catalog(lang)
    assert not catalog.fuzzy, f"{lang}.po has a fuzzy header"
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    assert list(catalog.obsolete) == []
    text = (i18n.catalog_dir() / f"{lang}.po").read_text(encoding="utf-8")
    assert "\n#~ " not in text


def test_the_template_matches_the_sources():
    """The committed .pot lists exactly the ids found in the sources."""
    with (i18n.catalog_dir() / "station_desk.pot").open("rb") as f:
        pot = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    sources = {m.id if isinstance(m.id, str) else m.id[0] for m in i18n.extract() if m.id}
    assert sorted(sources - pot) == [], "run: python -m station_desk.i18n update"


def _glossary() -> list[list[str]]:
    lines = (i18n.catalog_dir() / "glossary.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines]


def test_glossary_has_four_columns_on_every_line():
    rows = _glossary()
    assert rows[0] == ["zh", "ko", "en", "note"]
    assert [(n + 1, row) for n, row in enumerate(rows) if len(row) != 4] == []
    assert all(row[0] and row[1] and row[2] for row in rows)


@pytest.mark.parametrize("lang, column", [("ko", 1), ("zh_CN", 0)])
def test_messages_that_are_glossary_terms_use_the_glossary_translation(lang, column):
    """A light consistency check: where a glossary term is a whole message id, its
    translation contains the glossary's term."""
    translations = {mid.casefold(): s for mid, s in _pairs(lang)}
    checked, wrong = 0, []
    for row in _glossary()[1:]:
        text = translations.get(row[2].casefold())
        if text is None:
            continue
        checked += 1
        if row[column] not in text:
            wrong.append((row[2], row[column], text))
    assert checked >= 20  # the check is not vacuous
    assert wrong == []


def test_korean_keeps_the_yanbian_spelling():
    """Initial ㄹ/ㄴ kept and 날자 (not the Seoul spellings)."""
    seoul = ("연락", "날짜", "노동", "이용", "여성", "이유", "이력", "연결", "예:")
    wrong = [(mid, s) for mid, s in _pairs("ko") if any(w in s for w in seoul)]
    assert wrong == []


def test_dates_in_the_local_forms():
    d = date(2026, 3, 9)
    assert i18n.format_date(d, "zh_CN") == "2026年3月9日"
    assert i18n.format_date(d, "ko") == "2026년 3월 9일"
    assert i18n.format_date(d, "en") == "9 March 2026"


def test_a_translated_message_reaches_the_program():
    assert i18n.gettext_for("zh_CN")("Deputy Roster") == "代表名册"
    assert i18n.gettext_for("ko")("Deputy Roster") == "대표명단"
    assert i18n.gettext_for("en")("Deputy Roster") == "Deputy Roster"
