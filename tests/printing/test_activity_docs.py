"""The annual activity plan, the activity notice and the activity summary,
rendered from a real station file through ``documents.render`` (clock
2026-03-09 10:30) and read back with pypdf."""
from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

from station_desk import i18n
from station_desk.i18n import gettext_for
from station_desk.printing import activity_notice, activity_plan, activity_summary
from station_desk.services import activities as act, documents
from tests.printing.conftest import MOBILE, PEOPLE, add_deputies, page_texts, squeeze

LANGS = ["zh_CN", "ko", "en", "bilingual"]
STATION = {"name_zh": "龙井市智新镇人大代表联络站", "name_ko": "룡정시 지신진 인대대표련락소",
           "bilingual_order": "zh-ko"}


def _languages(lang: str) -> list[str]:
    return ["zh_CN", "ko"] if lang == "bilingual" else [lang]


def _png(size=(120, 80), colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _render(session, out_dir, name, lang, **options):
    out = out_dir / f"{name}-{lang}.pdf"
    documents.render(session, name, lang=lang, options=options, out=out)
    return out


@pytest.fixture
def year(session):
    """A plan for 2026 with a held January activity (five deputies, one on
    leave, one absent) and a scheduled one in March with a notice."""
    ids = add_deputies(session, 5)
    jan = act.add_plan_item(session, year=2026, month=1, kind="learning",
                            theme="学习宪法修正案", notes="全体代表参加").created_id
    act.add_plan_item(session, year=2026, month=3, kind="inspection", theme="视察农村人居环境")
    act.add_plan_item(session, year=2026, month=6, kind="report_back", theme="向选民述职")
    held = act.create_activity(session, kind="learning", title="一月代表集中学习",
                               theme="学习宪法修正案", starts_at="2026-01-20 09:00",
                               ends_at="2026-01-20 11:00", place="代表之家",
                               organiser="镇人大主席团", plan_item_id=jan).created_id
    act.invite(session, activity_id=held, deputy_ids=ids)
    inv = act.activity(session, held)["invitees"]
    act.record_leave(session, invitee_id=inv[1]["id"], reason="住院治疗", approved_by="崔站长")
    act.mark(session, activity_id=held, marks={inv[0]["id"]: "present", inv[2]["id"]: "present",
                                                inv[3]["id"]: "present", inv[4]["id"]: "absent"})
    coming = act.create_activity(session, kind="inspection", title="视察明东村人居环境整治",
                                 theme="农村人居环境", starts_at="2026-03-12 08:30",
                                 ends_at="2026-03-12 16:00", place="明东村村委会",
                                 organiser="镇人大主席团",
                                 notice="请穿便于行走的鞋，自备饮用水。").created_id
    act.invite(session, activity_id=coming, deputy_ids=ids[:4],
               outsiders=[{"name": "赵列席", "unit": "镇司法所", "post": "所长",
                           "phone": "13900001234"}])
    return {"held": held, "coming": coming}


# -- the plan ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_plan_lists_the_year_by_month_with_the_held_days(session, out_dir, year, lang):
    pdf = _render(session, out_dir, "activity-plan", lang, year="2026")
    flat = squeeze("".join(page_texts(pdf)))
    for theme in ("学习宪法修正案", "视察农村人居环境", "向选民述职", "全体代表参加"):
        assert theme in flat
    assert flat.index("学习宪法修正案") < flat.index("视察农村人居环境") < flat.index("向选民述职")
    for code in _languages(lang):
        tr = gettext_for(code)
        assert squeeze(tr(activity_plan.TITLE)) in flat
        assert squeeze(tr(activity_plan.MSG_PLANNED).format(count=3)) in flat
        assert squeeze(tr(activity_plan.MSG_HELD_COUNT).format(count=1)) in flat
    day = {"zh_CN": "1月20日", "ko": "1월20일", "en": "20Jan"}
    assert day[_languages(lang)[0]] in flat
    assert "2026" in flat


def test_the_plan_without_the_held_column(session, out_dir, year):
    pdf = _render(session, out_dir, "activity-plan", "zh_CN", year="2026", held="no")
    flat = squeeze("".join(page_texts(pdf)))
    assert "1月20日" not in flat and "学习宪法修正案" in flat


def test_an_empty_year_still_prints(session, out_dir):
    pdf = _render(session, out_dir, "activity-plan", "ko", year="2030")
    assert squeeze(gettext_for("ko")(activity_plan.TITLE)) in squeeze(page_texts(pdf)[0])


# -- the notice -------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_notice_is_a_letter_to_the_invited(session, out_dir, year, lang):
    pdf = _render(session, out_dir, "activity-notice", lang, activity=year["coming"][:8])
    texts = page_texts(pdf)
    flat = squeeze("".join(texts))
    for text in ("视察明东村人居环境整治", "明东村村委会", "农村人居环境", "镇人大主席团",
                 "请穿便于行走的鞋，自备饮用水。", "08:30–16:00", "赵列席"):
        assert squeeze(text) in flat, text
    for name, _, _, _ in PEOPLE[:4]:
        assert flat.count(name) == 1
    assert PEOPLE[4][0] not in flat  # not invited to this one
    for code in _languages(lang):
        tr = gettext_for(code)
        for msgid in (activity_notice.TITLE, activity_notice.MSG_DEAR,
                      activity_notice.MSG_LEAVE_TEXT):
            assert squeeze(tr(msgid)) in flat, (code, msgid)
    for code in _languages(lang):  # the date under the station's name, and in the footer
        assert flat.count(squeeze(i18n.format_date(date(2026, 3, 9), code))) >= 2
    assert flat.count(squeeze("龙井市智新镇人大代表联络站" if lang != "ko"
                              else "룡정시 지신진 인대대표련락소")) == 2
    assert not any(MOBILE.search(t) for t in texts)
    assert len(texts) == 1


def test_the_notice_in_zh_says_ask_the_station_head():
    text = gettext_for("zh_CN")(activity_notice.MSG_LEAVE_TEXT)
    assert "请假须经站长同意" in text
    assert "소장" in gettext_for("ko")(activity_notice.MSG_LEAVE_TEXT)


# -- the summary ------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_shows_attendance_text_and_photos(session, out_dir, year, lang):
    act.write_summary(session, activity_id=year["held"],
                      summary="代表们认真学习了宪法修正案。\n大家结合本村实际交流了体会。")
    act.add_photo(session, activity_id=year["held"], data=_png(), caption="学习现场")
    pdf = _render(session, out_dir, "activity-summary", lang, activity=year["held"])
    flat = squeeze("".join(page_texts(pdf)))
    assert "一月代表集中学习" in flat and "代表们认真学习了宪法修正案。" in flat
    assert "住院治疗" in flat and "学习现场" in flat
    present = [PEOPLE[i][0] for i in (0, 2, 3)]
    assert all(flat.count(n) == 1 for n in present + [PEOPLE[1][0], PEOPLE[4][0]])
    for code in _languages(lang):
        tr = gettext_for(code)
        assert squeeze(tr(activity_summary.TITLE)) in flat
        assert squeeze(tr(activity_summary.MSG_COUNTS).format(
            expected=5, present=3, leave=1, absent=1)) in flat
        assert squeeze(tr(activity_summary.MSG_PHOTO_BROKEN)) not in flat
    images = [name for page in PdfReader(str(pdf)).pages
              for name, obj in (page["/Resources"].get("/XObject") or {}).items()
              if obj.get_object().get("/Subtype") == "/Image"]
    assert len(images) == 1


def test_a_broken_photo_prints_a_placeholder(session, out_dir, year):
    broken = _png()[:60]  # a PNG signature and header, the picture cut off
    act.add_photo(session, activity_id=year["held"], data=broken, caption="坏照片")
    act.add_photo(session, activity_id=year["held"], data=_png(colour=(0, 0, 200)),
                  caption="合影")
    pdf = _render(session, out_dir, "activity-summary", "ko", activity=year["held"])
    flat = squeeze("".join(page_texts(pdf)))
    assert squeeze(gettext_for("ko")(activity_summary.MSG_PHOTO_BROKEN)) in flat
    assert "坏照片" in flat and "合影" in flat


def test_at_most_four_photos_print():
    people = [{"name": "金喆", "attendance": "present"}]
    photos = [{"data": _png(colour=(i * 40, 0, 0)), "caption": f"照片{i}"} for i in range(6)]
    data = activity_summary.render({"title": "t", "invitees": people, "photos": photos},
                                   STATION, lang="zh_CN", printed_on=date(2026, 3, 9))
    reader = PdfReader(io.BytesIO(data))
    flat = squeeze("".join(p.extract_text() for p in reader.pages))
    assert "照片3" in flat and "照片4" not in flat


def test_a_long_summary_continues_on_the_next_page():
    paragraph = "代表们围绕人居环境整治深入田间地头，察看了垃圾分类、污水处理和道路硬化情况。" * 4
    text = "\n".join(f"第{n}段。{paragraph}" for n in range(1, 31)) + "\n全文完。"
    data = activity_summary.render(
        {"title": "长篇小结", "kind": "inspection", "summary": text, "invitees": []},
        STATION, lang="bilingual", printed_on=date(2026, 3, 9))
    reader = PdfReader(io.BytesIO(data))
    texts = [squeeze(p.extract_text()) for p in reader.pages]
    assert len(texts) >= 2
    assert "第1段。" in texts[0] and "全文完。" in texts[-1]
    assert sum(t.count("第30段。") for t in texts) == 1


@pytest.mark.parametrize("name", ["activity-notice", "activity-summary"])
def test_the_activity_option_is_required_and_checked(session, out_dir, year, name):
    out = out_dir / "x.pdf"
    for options in ({}, {"activity": "nothing-like-it"}):
        with pytest.raises(documents.BadOption):
            documents.render(session, name, lang="zh", options=options, out=out)
    assert not out.exists()


def test_a_plan_item_whose_activity_was_cancelled_says_so():
    items = [{"month": 6, "kind": "supervision_court", "theme": "旁听庭审", "notes": "",
              "held": False, "activities": [{"id": "x", "title": "旁听庭审",
                                             "starts_at": "2026-06-09T09:00",
                                             "status": "cancelled"}]},
             {"month": 7, "kind": "double_contact", "theme": "双联", "notes": "",
              "held": False, "activities": []}]
    data = activity_plan.render(items, STATION, lang="zh_CN", printed_on=date(2026, 3, 9),
                                year=2026)
    flat = squeeze("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    cancelled = squeeze(gettext_for("zh_CN")("Cancelled"))
    assert flat.count(cancelled) == 1 and "旁听庭审" in flat
    assert squeeze(gettext_for("zh_CN")(activity_plan.HELD_COLUMN[0])) in flat
