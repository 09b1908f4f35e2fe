"""The duty roster and the reception-day notice, rendered from a real station and read back."""
from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from station_desk import i18n
from station_desk.i18n import gettext_for
from station_desk.printing import duty_roster, layout, reception_notice
from station_desk.services import documents, reception, station
from tests.printing.conftest import PEOPLE, add_deputies, page_texts, squeeze

LANGS = ["zh_CN", "ko", "en", "bilingual"]
RULE = {"kind": "monthly", "days": "9, 19", "per_day": 2, "start": "08:30", "end": "11:30",
        "place": "联络站接待室"}


def _languages(lang: str) -> list[str]:
    return ["zh_CN", "ko"] if lang == "bilingual" else [lang]


def _page_label(lang: str, page: int, pages: int) -> str:
    if lang == "bilingual":
        return f"{page} / {pages}"
    return gettext_for(lang)(layout.MSG_PAGE).format(page=page, pages=pages)


@pytest.fixture
def roster_station(session):
    station.save_profile(session, data={**station.profile(session), "phone": "0433-3221234",
                                        "address": "龙井市智新镇政府一楼"})
    add_deputies(session, 8)
    reception.set_rule(session, data=RULE)
    reception.generate_days(session, year=2026)
    reception.draw_roster(session, year=2026)
    return session


@pytest.mark.parametrize("lang", LANGS)
def test_year_roster_lists_every_day_with_the_deputies_on_duty(roster_station, out_dir, lang):
    session = roster_station
    days = reception.days(session, year=2026)
    reception.update_day(session, day_id=days[3]["id"], cancelled=True, note="镇人代会")
    out = documents.render(session, "duty-roster", lang=lang, options={"year": "2026"},
                           out=out_dir / f"duty-{lang}.pdf")
    texts = page_texts(out)
    flat = squeeze("".join(texts))
    assert len(texts) >= 2
    for n, text in enumerate(texts, start=1):
        assert squeeze(_page_label(lang, n, len(texts))) in squeeze(text)
    for name, reading, _, _ in PEOPLE:
        assert name in flat
        if reading and lang != "en":
            assert reading in flat
    for code in _languages(lang):
        assert squeeze(gettext_for(code)(duty_roster.TITLE)) in flat
        for d in days:
            assert squeeze(i18n.format_date(d["day"], code)) in flat
        assert squeeze(i18n.format_date(date(2026, 3, 19), code, fmt="EEEE")) in flat
        assert squeeze(gettext_for(code)(duty_roster.MSG_CANCELLED)) in flat
    assert "镇人代会" in flat and "08:30–11:30" in flat and "联络站接待室" in flat
    assert PdfReader(str(out)).pages[0].mediabox.width == pytest.approx(595.28, abs=1)


def test_month_roster_has_only_that_month(roster_station, out_dir):
    out = documents.render(roster_station, "duty-roster", lang="ko",
                           options={"year": "2026", "month": "4"}, out=out_dir / "april.pdf")
    flat = squeeze("".join(page_texts(out)))
    assert "2026년4월" in flat
    assert "2026년4월9일" in flat and "2026년4월20일" in flat  # 19 April is a Sunday
    assert "2026년3월" + "19일" not in flat and "2026년5월" not in flat


@pytest.mark.parametrize("lang", LANGS)
def test_notice_for_a_reception_day(roster_station, out_dir, lang):
    session = roster_station
    day = next(d for d in reception.days(session, year=2026) if d["day"] == date(2026, 3, 19))
    out = documents.render(session, "reception-notice", lang=lang,
                           options={"date": "2026-03-19"}, out=out_dir / f"notice-{lang}.pdf")
    texts = page_texts(out)
    assert len(texts) == 1
    flat = squeeze(texts[0])
    assert squeeze(_page_label(lang, 1, 1)) in flat
    for p in day["deputies"]:
        assert p["name"] in flat
    for code in _languages(lang):
        tr = gettext_for(code)
        assert squeeze(tr(reception_notice.TITLE)) in flat
        assert squeeze(i18n.format_date(date(2026, 3, 19), code)) in flat
        assert squeeze(tr(reception_notice.MSG_BRING)) in flat
        assert squeeze(tr("Township")) in flat
    assert "08:30–11:30" in flat and "联络站接待室" in flat and "0433-3221234" in flat


def test_notice_defaults_to_the_next_day_and_refuses_a_day_without_reception(roster_station,
                                                                              out_dir):
    out = documents.render(roster_station, "reception-notice", lang="zh_CN", options={},
                           out=out_dir / "next.pdf")
    assert "2026年3月9日" in squeeze(page_texts(out)[0])
    with pytest.raises(documents.BadOption) as info:
        documents.render(roster_station, "reception-notice", lang="zh_CN",
                         options={"date": "2026-03-10"}, out=out_dir / "x.pdf")
    assert "2026-03-19" in str(info.value.params["allowed"])
    with pytest.raises(documents.BadOption):
        documents.render(roster_station, "duty-roster", lang="zh_CN", options={"month": "13"},
                         out=out_dir / "x.pdf")
    assert not (out_dir / "x.pdf").exists()


def test_both_documents_are_listed():
    names = [d["name"] for d in documents.describe()]
    assert "duty-roster" in names and "reception-notice" in names
