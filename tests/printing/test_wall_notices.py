"""Every wall notice rendered from the demo station and from extreme stations, read back:
key texts present, no text outside the page, the expected number of pages."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from PIL import Image
from pypdf import PdfReader

from station_desk.cli import main
from station_desk.domain.cases import COMPLEX_DAYS, NORMAL_DAYS, RETURN_WINDOW_DAYS
from station_desk.domain.notices import WALL_NOTICES
from station_desk.i18n import gettext_for
from station_desk.printing import fonts
from station_desk.printing.wall import deputies as deputies_pdf, workflow
from station_desk.services import activities, documents, notices, registry, station
from tests.conftest import CST, deputy_data, mandate_data
from tests.printing.conftest import page_texts, squeeze

LANGS = ["zh_CN", "ko", "en", "bilingual"]
A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)


def _languages(lang: str) -> list[str]:
    return ["zh_CN", "ko"] if lang == "bilingual" else [lang]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from station_desk.services.demo import make_demo
    from station_desk.services.session import open_session

    path = make_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite3", today=date(2026, 3, 9))
    s = open_session(path, clock=lambda: datetime(2026, 3, 9, 10, 30, tzinfo=CST))
    yield s
    s.close()


def _text_runs(page):
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        runs.append((text, x, y, font_size * tm[0] * cm[0]))

    page.extract_text(visitor_text=visit)
    return runs


def assert_inside(pdf) -> int:
    """Every text run starts and ends inside the page's margins; returns how many."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts.register()
    reader = PdfReader(str(pdf))
    seen = 0
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        margin = 14 * 2.8346 * min(width, height) / A4[0] - 0.5
        for text, x, y, size in _text_runs(page):
            seen += 1
            right = x + stringWidth(text.rstrip(), fonts.FONT, size)
            assert x >= margin, (text, x)
            assert right <= width - margin, (text, right, width - margin)
            assert margin <= y <= height - margin, (text, y)
            assert size >= 4.4, (text, size)
    return seen


def _render(session, out_dir, name, lang, **options):
    return documents.render(session, name, lang=lang, options=options,
                            out=out_dir / f"{name}-{lang}.pdf")


def _has(flat: str, msgid: str, lang: str, **params) -> None:
    for code in _languages(lang):
        assert squeeze(gettext_for(code)(msgid).format(**params)) in flat, (code, msgid)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", WALL_NOTICES)
def test_every_notice_renders_from_the_demo(demo, out_dir, name, lang):
    out = _render(demo, out_dir, name, lang)
    texts = page_texts(out)
    flat = squeeze("".join(texts))
    assert assert_inside(out) > 10
    if lang != "ko":
        assert "龙井市智新镇人大代表联络站" in flat
    if lang in ("ko", "bilingual"):
        assert squeeze("룡정시 지신진 인대대표련락소") in flat
    reader = PdfReader(str(out))
    first = reader.pages[0].mediabox
    assert sorted((float(first.width), float(first.height))) == pytest.approx(sorted(A4), abs=1)
    expected_pages = {"wall-rules": (1, 3)}.get(name, (1, 1))
    assert expected_pages[0] <= len(texts) <= expected_pages[1], len(texts)
    module = {"wall-profile": "profile", "wall-deputies": "deputies", "wall-reception": "reception",
              "wall-workflow": "workflow", "wall-rules": "rules", "wall-summary": "summary",
              "wall-plan": "plan"}[name]
    from station_desk.printing import wall

    _has(flat, getattr(wall, module).TITLE, lang)
    if name == "wall-profile":
        assert "智新镇政府街18号" in flat and "0433-3221918" in flat and "崔英浩" in flat
    elif name == "wall-deputies":
        serving = notices.wall_deputies(demo)
        for d in serving:
            assert squeeze(d["name"]) in flat
        with_reading = [d for d in serving if d["name_ko"]]
        assert with_reading
        for d in with_reading:
            assert (squeeze(d["name_ko"]) in flat) == (lang in ("ko", "bilingual"))
        former = [d for d in registry.roster(demo) if d["status"] == "former"]
        assert former and all(squeeze(d["name"]) not in flat for d in former)
    elif name == "wall-reception":
        days = [d for d in notices.wall_reception(demo, year=2026, month=3)["days"]]
        assert days and "08:30–11:30" in flat
        for d in days:
            for p in d["deputies"]:
                assert squeeze(p["name"]) in flat
    elif name == "wall-workflow":
        for msgid, _ in workflow.STEPS:
            _has(flat, msgid, lang)
        _has(flat, workflow.MSG_DUE, lang, normal=NORMAL_DAYS, complex=COMPLEX_DAYS)
        _has(flat, workflow.SIDE[1][2], lang, days=RETURN_WINDOW_DAYS)
    elif name == "wall-rules":
        for rule in notices.rules(demo):
            if lang != "ko":
                assert squeeze(rule["title_zh"]) in flat
            if lang in ("ko", "bilingual"):
                assert squeeze(rule["title_ko"]) in flat
    elif name == "wall-summary":
        from station_desk.printing.wall import summary

        _has(flat, summary.MSG_RECEIVED, lang)
        s = notices.monthly_summary(demo, year=2026, month=3)
        assert str(sum(s["received"].values())) in flat
    elif name == "wall-plan":
        for item in activities.plan(demo, year=2026):
            assert squeeze(item["theme"])[:6] in flat


def test_the_monthly_summary_names_no_voter(demo, out_dir):
    voters = demo.db.execute("SELECT name, phone FROM voters").fetchall()
    words = [w for (w,) in demo.db.execute("SELECT words FROM cases")]
    assert voters
    for month in ("2026-01", "2026-02", "2026-03"):
        flat = squeeze("".join(page_texts(_render(demo, out_dir, "wall-summary", "bilingual",
                                                  month=month))))
        for name, phone in voters:
            assert squeeze(name) not in flat
            assert phone[-4:] not in flat or phone == ""
        assert all(squeeze(w)[:8] not in flat for w in words)


def test_a3_is_the_a4_notice_enlarged(demo, out_dir):
    for name in WALL_NOTICES:
        out = _render(demo, out_dir, name, "zh_CN", size="a3")
        box = PdfReader(str(out)).pages[0].mediabox
        assert sorted((float(box.width), float(box.height))) == pytest.approx(sorted(A3), abs=1)
        assert assert_inside(out) > 10


def test_orientation_can_be_chosen(demo, out_dir):
    out = _render(demo, out_dir, "wall-workflow", "ko", orientation="portrait")
    box = PdfReader(str(out)).pages[0].mediabox
    assert float(box.width) < float(box.height)
    out = _render(demo, out_dir, "wall-rules", "ko", orientation="landscape")
    box = PdfReader(str(out)).pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_bad_options_are_refused(demo, out_dir):
    for options in ({"size": "a5"}, {"month": "2026-13"}, {"month": "March"},
                    {"phone": "mine"}, {"orientation": "upside"}):
        with pytest.raises(documents.BadOption):
            documents.render(demo, "wall-deputies" if "phone" in options else "wall-summary"
                             if "month" in options else "wall-rules", lang="zh_CN",
                             options=options, out=out_dir / "x.pdf")
    assert not (out_dir / "x.pdf").exists()


# -- extreme stations --------------------------------------------------------------------

def _jpeg(colour=(180, 200, 220)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 400), colour).save(buf, "JPEG")
    return buf.getvalue()


def _deputies(session, count: int, *, long: bool = False, photos: str = "ok") -> list[str]:
    registry.create_group(session, name_zh="第一代表小组", name_ko="제1대표소조")
    group = registry.groups(session)[0]["id"]
    ids = []
    for i in range(count):
        name, ko = f"金{i:02d}哲", f"김{i:02d}철"
        unit = "龙井市智新镇明东村农业机械专业合作社暨朝鲜族民俗文化旅游发展有限公司" if long \
            else "智新镇明东村"
        if long and i % 2:
            name, ko = "欧阳买买提·阿不都热合曼" + f"{i:02d}", "어우양마이마이티아부두러허만" + f"{i:02d}"
        data = deputy_data(name=name, name_ko=ko, phone=f"1384331{i:04d}", group_id=group,
                           unit=unit, post="理事长兼总经理、村民委员会委员" if long else "村委会主任")
        mandates = [mandate_data()] + ([mandate_data(level="county", term=18)] if i % 3 == 0 else [])
        ids.append(registry.create_deputy(session, data=data, mandates=mandates,
                                          photo=_jpeg() if photos == "ok" else None).created_id)
    if photos == "broken":
        # a photo that passed the magic-byte check but cannot be decoded
        session.db.execute("INSERT INTO deputy_photos (id, origin, deputy_id, mime, data) "
                           "VALUES ('p1', 'x', ?, 'image/jpeg', ?)",
                           [ids[0], b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50])
        session.db.conn.commit()
    return ids


@pytest.mark.parametrize("count, size, pages", [
    (1, "a4", 1), (10, "a4", 1), (60, "a4", 1), (60, "a3", 1), (61, "a4", 2), (130, "a3", 3),
])
def test_the_deputies_grid_fits_one_page_up_to_sixty(session, out_dir, count, size, pages):
    _deputies(session, count)
    out = _render(session, out_dir, "wall-deputies", "bilingual", size=size)
    texts = page_texts(out)
    assert len(texts) == pages
    flat = squeeze("".join(texts))
    for i in range(count):
        assert f"金{i:02d}哲" in flat and squeeze(f"김{i:02d}철") in flat
    assert assert_inside(out) >= count * 4


@pytest.mark.parametrize("lang", LANGS)
def test_long_names_units_and_missing_or_broken_photos_stay_in_their_boxes(session, out_dir, lang):
    _deputies(session, 24, long=True, photos="broken")
    station.save_profile(session, data={**station.profile(session), "phone": "0433-3221234",
                                        "address": "吉林省延边朝鲜族自治州龙井市智新镇政府街18号" * 3,
                                        "opening_hours": "周一至周五 8:30—11:30，13:30—16:30" * 3})
    notices.add_rule(session, data={"title_zh": "代表联络站工作制度" * 6,
                                    "body_zh": "联络站在镇人大主席团领导下开展工作。" * 160,
                                    "body_ko": "련락소는 진인대 주석단의 령도밑에서 사업한다. " * 120})
    notices.set_station_photo(session, data=_jpeg((90, 120, 90)))
    session.db.execute("UPDATE station_photos SET data = ?", [b"\x89PNG\r\n\x1a\n broken"])
    session.db.conn.commit()
    for name in WALL_NOTICES:
        out = _render(session, out_dir, name, lang, phone="deputy") if name == "wall-deputies" \
            else _render(session, out_dir, name, lang)
        assert assert_inside(out) > 5, name
        if name == "wall-rules":
            assert len(page_texts(out)) >= 2  # the long rule continues
            flat = squeeze("".join(page_texts(out)))
            _has(flat, "(continued)", lang)
        if name == "wall-deputies":
            flat = squeeze("".join(page_texts(out)))
            assert "13843310000" in flat  # the deputy's own phone when the station says so


def test_deputy_cards_with_no_deputies_and_the_phone_choice(session, out_dir):
    out = _render(session, out_dir, "wall-deputies", "zh_CN")
    assert squeeze(gettext_for("zh_CN")(deputies_pdf.MSG_NONE)) in squeeze("".join(page_texts(out)))
    _deputies(session, 3)
    station.save_profile(session, data={**station.profile(session), "phone": "0433-3229999"})
    flat = squeeze("".join(page_texts(_render(session, out_dir, "wall-deputies", "zh_CN"))))
    assert "0433-3229999" in flat and "13843310000" not in flat
    flat = squeeze("".join(page_texts(_render(session, out_dir, "wall-deputies", "zh_CN",
                                              phone="none"))))
    assert "0433-3229999" not in flat.split("打印日期")[0].replace("电话：0433-3229999", "")


def test_an_empty_station_prints_every_notice(session, out_dir):
    for name in WALL_NOTICES:
        for lang in ("zh_CN", "bilingual"):
            out = _render(session, out_dir, name, lang)
            assert len(page_texts(out)) == 1, name
            assert assert_inside(out) > 3


# -- the whole set ---------------------------------------------------------------------------

def test_wall_set_writes_one_pdf_per_notice(demo, tmp_path, capsys):
    out = tmp_path / "wall"
    assert main(["print", "wall-set", "--db", str(demo.path), "--out", str(out),
                 "--lang", "bilingual", "--option", "size=a3"]) == 0
    written = sorted(p.name for p in out.glob("*.pdf"))
    assert written == sorted(f"{n}.pdf" for n in WALL_NOTICES)
    for name in written:
        box = PdfReader(str(out / name)).pages[0].mediabox
        assert max(float(box.width), float(box.height)) == pytest.approx(A3[1], abs=1)
    assert capsys.readouterr().out.count(".pdf") == len(WALL_NOTICES)


def test_wall_set_refuses_an_unknown_option_before_writing(demo, tmp_path, capsys):
    out = tmp_path / "wall"
    assert main(["print", "wall-set", "--db", str(demo.path), "--out", str(out),
                 "--option", "colour=red"]) == 2
    assert "colour" in capsys.readouterr().err
    assert not list(out.glob("*.pdf")) if out.exists() else True
    assert main(["print", "wall-set", "--db", str(demo.path)]) == 2


def test_one_notice_by_name_from_the_command_line(demo, tmp_path):
    out = tmp_path / "f.pdf"
    assert main(["print", "wall-deputies", "--db", str(demo.path), "--lang", "ko",
                 "--out", str(out)]) == 0
    assert PdfReader(str(out)).pages[0].mediabox.width > PdfReader(str(out)).pages[0].mediabox.height


def test_a_weekly_station_keeps_its_month_on_one_page(session, out_dir):
    from station_desk.services import reception

    _deputies(session, 20)
    reception.set_rule(session, data={"kind": "weekly", "weekday": 0, "per_day": 4,
                                      "start": "08:30", "end": "11:30", "place": "联络站接待室"})
    reception.generate_days(session, year=2026, include_past=True)
    reception.draw_roster(session, year=2026, include_past=True)
    days = reception.days(session, year=2026, month=3)
    assert len(days) == 5  # five Mondays in March 2026
    for lang in ("zh_CN", "bilingual"):
        out = _render(session, out_dir, "wall-reception", lang, month="2026-03")
        texts = page_texts(out)
        assert len(texts) == 1
        flat = squeeze(texts[0])
        for d in days:
            for p in d["deputies"]:
                assert squeeze(p["name"]) in flat
        assert assert_inside(out) > 30
