"""Every document in ``documents.DOCUMENTS`` rendered in every print language,
read back with pypdf: the page box holds every text run, the expected
scripts show, no English message id leaks into a Chinese or Korean print,
and the bilingual rules shared by all documents hold (equal size, the
station's order, glossary terms, names in both scripts).  Then the documents
that list deputies on extreme stations (1 deputy, 60 deputies, 40-character
names and units, no photos): nothing outside the page, table cells inside
their columns, no two lines of a column on top of each other.

A document added to the registry later is covered by the matrix
automatically, once it has a sample option set in :data:`SAMPLES` (the test
fails loudly until it does)."""
from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from station_desk import i18n
from station_desk.i18n import gettext_for
from station_desk.printing import fonts, layout
from station_desk.services import activities, cases, documents, reception, registry, station
from tests.conftest import CST, deputy_data, mandate_data
from tests.printing.conftest import squeeze

LANGS = ["zh_CN", "ko", "en", "bilingual"]
TODAY = date(2026, 3, 9)
HAN = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MM = 72 / 25.4


# -- sample options: a real demo object for each document ------------------------------

def _scheduled_activity(s) -> str:
    """The coming activity with the most invited people."""
    coming = [a for a in activities.activities(s) if a.get("status") == "scheduled"]
    best = max(coming, key=lambda a: len(activities.activity(s, a["id"])["invitees"]))
    return best["id"][:8]


def _held_activity(s) -> str:
    """A held activity, one with photos when there is one."""
    held = [a for a in activities.activities(s) if a.get("status") == "held"]
    best = max(held, key=lambda a: (len(activities.activity(s, a["id"]).get("photos") or []),
                                    len(activities.activity(s, a["id"])["invitees"])))
    return best["id"][:8]


def _archived_case(s) -> str:
    """An archived case, one that names deputies when there is one."""
    found = []
    for (cid,) in s.db.execute("SELECT id FROM cases ORDER BY id"):
        c = cases.case(s, cid)
        if c["view"].archive_no:
            found.append((bool(c["deputies"]), c["row"]["number"]))
    assert found, "the demo station has no archived case"
    return max(found, key=lambda f: f[0])[1]


def _reception_day(s) -> str:
    return reception.days(s, year=2026, month=3)[0]["day"].isoformat()


SAMPLES = {
    "roster": lambda s: {},
    "duty-roster": lambda s: {"year": "2026", "month": "3"},
    "reception-notice": lambda s: {"date": _reception_day(s)},
    "case-form": lambda s: {"case": _archived_case(s)},
    "archive-cover": lambda s: {"case": _archived_case(s)},
    "sign-in-sheet": lambda s: {"activity": _scheduled_activity(s), "blank": "5"},
    "activity-plan": lambda s: {"year": "2026"},
    "activity-notice": lambda s: {"activity": _scheduled_activity(s)},
    "activity-summary": lambda s: {"activity": _held_activity(s)},
    "wall-profile": lambda s: {},
    "wall-deputies": lambda s: {},
    "wall-reception": lambda s: {"month": "2026-03"},
    "wall-workflow": lambda s: {},
    "wall-rules": lambda s: {},
    "wall-summary": lambda s: {"month": "2026-03"},
    "wall-plan": lambda s: {"year": "2026"},
    "deputy-card": lambda s: {"deputy": "崔哲洙", "period": "2025"},
    "evaluation-table": lambda s: {"period": "2025"},
    "suggestion-list": lambda s: {"period": "2025"},
    "key-sheet": lambda s: {},
}


def test_every_document_has_a_sample():
    missing = sorted(set(documents.DOCUMENTS) - set(SAMPLES))
    assert not missing, f"add a sample option set to SAMPLES for: {missing}"


# -- the demo station, built once, rendered once per document and language ------------

@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    from station_desk.services.demo import make_demo

    return make_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite3", today=TODAY)


def _open(path: Path):
    from station_desk.services.session import open_session

    return open_session(path, clock=lambda: datetime(2026, 3, 9, 10, 30, tzinfo=CST))


@pytest.fixture(scope="module")
def demo(demo_path):
    s = _open(demo_path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def rendered(demo, tmp_path_factory):
    """name, lang -> the PDF of the document on the demo station (rendered on demand,
    once: the bilingual rules reuse the matrix's files)."""
    out = tmp_path_factory.mktemp("pdf")
    done: dict[tuple[str, str], Path] = {}

    def get(name: str, lang: str) -> Path:
        if (name, lang) not in done:
            if name not in SAMPLES:
                pytest.fail(f"no sample options for the document {name!r}: add it to SAMPLES")
            done[name, lang] = documents.render(demo, name, lang=lang,
                                                options=SAMPLES[name](demo),
                                                out=out / f"{name}-{lang}.pdf")
        return done[name, lang]

    return get


@pytest.fixture(scope="module")
def ko_first(demo_path, tmp_path_factory):
    """The demo station with bilingual_order "ko-zh" (a copy of the file)."""
    path = tmp_path_factory.mktemp("kozh") / "demo.sqlite3"
    shutil.copy(demo_path, path)
    s = _open(path)
    station.save_profile(s, data={**station.profile(s), "bilingual_order": "ko-zh"})
    yield s
    s.close()


# -- reading PDFs back ----------------------------------------------------------------------

def text_runs(page) -> list[tuple[str, float, float, float]]:
    """(text, x, y, size) of every drawn string in page coordinates; the pieces one
    string comes back in (one per font subset, each at the string's start) joined."""
    runs: list[list] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        size = font_size * tm[0] * cm[0]
        if runs and abs(runs[-1][1] - x) < 0.01 and abs(runs[-1][2] - y) < 0.01 \
                and not runs[-1][0].endswith("\n"):
            runs[-1][0] += text
        else:
            runs.append([text, x, y, size])

    page.extract_text(visitor_text=visit)
    return [(t.strip("\n"), x, y, size) for t, x, y, size in runs if t.strip()]


@lru_cache(maxsize=256)
def _read(path: Path, mtime: float) -> tuple[list[str], list[list[tuple]], list[tuple]]:
    reader = PdfReader(str(path))
    pages = list(reader.pages)
    return ([p.extract_text() or "" for p in pages], [text_runs(p) for p in pages],
            [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages])


def read(path: Path):
    """Page texts, text runs per page and page sizes of a PDF."""
    return _read(path, path.stat().st_mtime)


def _width(text: str, size: float) -> float:
    fonts.register()
    return layout.measure(text.rstrip()) * size


def assert_inside(path: Path, margin_mm: float = 10) -> int:
    """Every text run starts and ends inside the page, ``margin_mm`` (scaled with
    the paper: A3 is A4 enlarged) from each edge; returns how many runs."""
    _, runs, sizes = read(path)
    seen = 0
    for number, (page_runs, (width, height)) in enumerate(zip(runs, sizes), start=1):
        m = margin_mm * MM * min(width, height) / 595.28 - 0.5
        for text, x, y, size in page_runs:
            seen += 1
            right = x + _width(text, size)
            where = f"page {number}: {text!r}"
            assert x >= m, (where, x)
            assert right <= width - m, (where, right, width - m)
            assert m <= y <= height - m, (where, y)
            assert size >= 4.4, (where, size)
    return seen


# -- English left in a Chinese or Korean print -------------------------------------------

@lru_cache(maxsize=1)
def english_phrases() -> tuple[str, ...]:
    """The English catalog's message ids cut at their placeholders: the literal
    pieces of at least two words (one word alone may be a proper name or a code)."""
    from babel.messages.pofile import read_po

    with open(i18n.catalog_dir() / "en.po", "rb") as f:
        catalog = read_po(f)
    out: set[str] = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            for piece in re.split(r"\{[^}]*\}|\n", msgid or ""):
                piece = " ".join(piece.split()).strip(" :,.;()[]/-–")
                if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
                    out.add(piece)
    return tuple(sorted(out, key=len, reverse=True))


def leaks(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [p for p in english_phrases() if p in flat]


# -- the matrix ------------------------------------------------------------------------------

def _scripts(lang: str) -> list[re.Pattern]:
    return {"zh_CN": [HAN], "ko": [HANGUL], "bilingual": [HAN, HANGUL], "en": []}[lang]


# what a clerk posts or files as one sheet prints on one page for the demo station
ONE_PAGE = {"duty-roster", "reception-notice", "archive-cover", "activity-plan",
            "activity-notice", "activity-summary", "wall-profile", "wall-deputies",
            "wall-reception", "wall-workflow", "wall-summary", "wall-plan"}
MAX_PAGES = {"wall-rules": 3, "case-form": 3, "sign-in-sheet": 3, "roster": 5}

MATRIX = [pytest.param(name, lang, id=f"{name}-{lang}")
          for name in documents.DOCUMENTS for lang in LANGS]


@pytest.mark.parametrize("name, lang", MATRIX)
def test_every_document_renders_in_every_language(rendered, name, lang):
    pdf = rendered(name, lang)
    texts, runs, sizes = read(pdf)
    assert 1 <= len(texts) <= (1 if name in ONE_PAGE else MAX_PAGES.get(name, 10)), len(texts)
    assert all(w > 0 and h > 0 for w, h in sizes)
    assert assert_inside(pdf) > 5
    flat = "".join(texts)
    for script in _scripts(lang):
        assert script.search(flat), f"no {script.pattern} text in the {lang} print"
    if lang == "en":
        # labels in English; the station's name stays Chinese
        assert re.search(r"[A-Za-z]{3,}", flat)
    else:
        leaked = leaks(flat)
        assert not leaked, f"English message ids printed verbatim: {leaked[:8]}"


# -- bilingual rules (issue 6, item 3) --------------------------------------------------------

def _title(name: str) -> str:
    """The msgid of the title a document prints."""
    from station_desk.printing import (
        activity_notice, activity_plan, activity_summary, case_form, duty_roster,
        reception_notice, roster, sign_in_sheet,
    )
    from station_desk.printing.wall import deputies, plan, profile, reception as wall_reception
    from station_desk.printing.wall import rules, summary, workflow

    modules = {"roster": roster, "duty-roster": duty_roster, "reception-notice": reception_notice,
               "case-form": case_form, "sign-in-sheet": sign_in_sheet,
               "activity-plan": activity_plan, "activity-notice": activity_notice,
               "activity-summary": activity_summary, "wall-profile": profile,
               "wall-deputies": deputies, "wall-reception": wall_reception,
               "wall-workflow": workflow, "wall-rules": rules, "wall-summary": summary,
               "wall-plan": plan}
    from station_desk.printing import deputy_card, evaluation_table, suggestion_list

    modules.update({"deputy-card": deputy_card, "evaluation-table": evaluation_table,
                    "suggestion-list": suggestion_list})
    from station_desk.printing import key_sheet

    modules["key-sheet"] = key_sheet
    if name == "archive-cover":
        return case_form.COVER_TITLE
    return modules[name].TITLE


# labels besides the title whose two scripts are compared, per document
LABELS = {
    "roster": ["Name", "Phone", "Status"],
    "duty-roster": ["Date", "Place"],
    "reception-notice": ["Place", "Deputies on duty"],
    "case-form": ["ID number"],
    "archive-cover": ["Archive number", "Category"],
    "sign-in-sheet": ["Signature", "Leave reason"],
    "activity-plan": ["Month", "Theme"],
    "activity-notice": ["Place", "Theme"],
    "activity-summary": ["Attendance", "Summary"],
    "wall-profile": ["Address", "Opening hours"],
    "wall-deputies": [],
    "wall-reception": [],
    "wall-workflow": ["Register", "Archive", "Out of scope"],
    "wall-rules": [],
    "wall-summary": ["Matters received", "Matters handled"],
    "wall-plan": [],
    "deputy-card": ["Summary of the period", "Entries"],
    "evaluation-table": ["Rank", "Grade"],
    "suggestion-list": ["Completion rate", "Handling unit"],
}


def _find(runs: list[tuple], text: str) -> list[tuple[int, tuple]]:
    """(page, run) of every run holding ``text`` (spaces ignored)."""
    needle = squeeze(text)
    return [(n, r) for n, page in enumerate(runs) for r in page if needle in squeeze(r[0])]


@pytest.mark.parametrize("name", list(documents.DOCUMENTS))
def test_bilingual_scripts_are_the_same_size(rendered, name):
    _, runs, _ = read(rendered(name, "bilingual"))
    zh, ko = gettext_for("zh_CN"), gettext_for("ko")
    checked = 0
    for msgid in [_title(name)] + LABELS.get(name, []):
        zh_sizes = {round(r[3], 1) for _, r in _label_runs(runs, zh(msgid))}
        ko_sizes = {round(r[3], 1) for _, r in _label_runs(runs, ko(msgid))}
        assert zh_sizes and ko_sizes, (msgid, zh(msgid), ko(msgid))
        assert max(zh_sizes) == pytest.approx(max(ko_sizes), abs=0.15), (msgid, zh_sizes, ko_sizes)
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("name", list(documents.DOCUMENTS))
def test_a_long_station_name_keeps_both_scripts_the_same_size(long_named, tmp_path, name):
    """The station's name heads every document: with a name too long for its line
    the two scripts still come out at one size."""
    s = long_named
    out = documents.render(s, name, lang="bilingual", options=SAMPLES[name](s),
                           out=tmp_path / f"{name}.pdf")
    _, runs, _ = read(out)
    profile = station.profile(s)
    # the first words: a long name may wrap
    zh = {round(r[3], 1) for _, r in _find(runs[:1], profile["name_zh"][:8])}
    ko = {round(r[3], 1) for _, r in _find(runs[:1], profile["name_ko"][:8])}
    assert zh and ko
    assert max(zh) == pytest.approx(max(ko), abs=0.15), (zh, ko)


@pytest.fixture(scope="module")
def long_named(demo_path, tmp_path_factory):
    """The demo station renamed with a long Chinese name and a longer Korean one."""
    path = tmp_path_factory.mktemp("long") / "demo.sqlite3"
    shutil.copy(demo_path, path)
    s = _open(path)
    station.save_profile(s, data={
        **station.profile(s),
        "name_zh": "吉林省延边朝鲜族自治州龙井市智新镇人民代表大会代表联络站明东村长财村东盛涌村联合片区",
        "name_ko": "길림성 연변조선족자치주 룡정시 지신진 인민대표대회 대표련락소 명동촌 장재촌 련합구역"})
    yield s
    s.close()


def _label_runs(runs: list[tuple], text: str) -> list[tuple[int, tuple]]:
    """The runs that are the label ``text`` (alone or with its other script, "中 / 조"),
    else every run holding it (a label wrapped with other text)."""
    needle = squeeze(text)
    exact = [(n, r) for n, page in enumerate(runs) for r in page
             if needle in squeeze(r[0]).split("/") or squeeze(r[0]) == needle]
    return exact or _find(runs, text)


def _position(runs: list[tuple], text: str) -> tuple:
    """Reading position of the first occurrence of ``text``: page, top to bottom,
    left to right, then the place in its run."""
    found = _find(runs, text)
    assert found, text
    page, (t, x, y, _) = min(found, key=lambda f: (f[0], -f[1][2], f[1][1]))
    return page, -round(y, 1), round(x, 1), squeeze(t).index(squeeze(text))


@pytest.mark.parametrize("name", list(documents.DOCUMENTS))
def test_bilingual_order_is_the_stations(rendered, ko_first, tmp_path, name):
    title = _title(name)
    zh, ko = gettext_for("zh_CN")(title), gettext_for("ko")(title)
    _, runs, _ = read(rendered(name, "bilingual"))
    assert _position(runs, zh) < _position(runs, ko), "zh-ko: Chinese first"
    out = documents.render(ko_first, name, lang="bilingual", options=SAMPLES[name](ko_first),
                           out=tmp_path / f"{name}-ko-zh.pdf")
    _, runs, _ = read(out)
    assert _position(runs, ko) < _position(runs, zh), "ko-zh: Korean first"


@lru_cache(maxsize=1)
def glossary() -> list[tuple[str, str]]:
    rows = []
    text = (i18n.catalog_dir() / "glossary.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 2 and len(parts[0]) >= 2 and "/" not in parts[0]:
            rows.append((parts[0].strip(), parts[1].strip()))
    return rows


# glossary terms that are part of a longer Chinese word with another sense here
GLOSSARY_OTHER_SENSE = {
    "保存": "保存信息 is keeping the voter's data (보관), not the Save command (보존)",
}


@pytest.mark.parametrize("name", list(documents.DOCUMENTS))
def test_korean_terms_come_from_the_glossary(rendered, name):
    """A glossary term the Chinese print shows in a label (so the Korean print does
    not carry it as data) is printed in Korean with the glossary's word."""
    zh_flat = squeeze("".join(read(rendered(name, "zh_CN"))[0]))
    ko_flat = squeeze("".join(read(rendered(name, "ko"))[0]))
    wrong = [(zh, ko) for zh, ko in glossary()
             if zh in zh_flat and zh not in ko_flat and squeeze(ko) not in ko_flat
             and zh not in GLOSSARY_OTHER_SENSE]
    assert not wrong, wrong


def _deputies_named(session, name: str) -> list[dict]:
    """The deputies with a Korean reading a document on the demo station may name
    (a case's papers name the case's deputies; its voter is not a deputy even
    when a deputy has the same name)."""
    if name in ("case-form", "archive-cover"):
        options = documents.check_options(session, documents.document(name), SAMPLES[name](session))
        return [d for d in cases.case(session, options["case"])["deputies"] if d.get("name_ko")]
    return [d for d in registry.roster(session) if d.get("name_ko")]


@pytest.mark.parametrize("lang", ["ko", "bilingual"])
@pytest.mark.parametrize("name", list(documents.DOCUMENTS))
def test_deputy_names_come_with_their_korean_reading(demo, rendered, name, lang):
    flat = squeeze("".join(read(rendered(name, lang))[0]))
    missing = [d["name"] for d in _deputies_named(demo, name)
               if squeeze(d["name"]) in flat and squeeze(d["name_ko"]) not in flat]
    assert not missing, f"printed without the Korean reading: {missing}"


# -- extreme stations: 1 deputy, 60 deputies with long names and units, no photos -------------

LONG_UNIT = "龙井市智新镇明东村农业机械专业合作社暨朝鲜族民俗文化旅游发展有限公司第三分公司"  # 40 characters
LONG_POST = "理事长兼总经理、村民委员会委员、村务监督委员会主任"
LONG_NAMES = [
    ("欧阳买买提·阿不都热合曼·司马慕容诸葛长孙尉迟", "어우양마이마이티 아부두러허만 쓰마무룽 주거창쑨위츠"),
    ("南宫金龙井朴延吉崔图们", "남궁김룡정 박연길 최도문"),
]


def _extreme_station(path: Path, count: int) -> Path:
    """A station with ``count`` serving deputies and no photos: every other one with a
    name of 20+ characters and a Korean reading of 25+, units of 40 characters, three
    levels on every third, a reception rule with the days drawn, and an activity
    inviting every deputy."""
    from station_desk.services.session import create_station

    s = create_station(path, actor="tester", clock=lambda: datetime(2026, 3, 9, 10, 30, tzinfo=CST),
                       profile={"name_zh": "龙井市智新镇人大代表联络站",
                                "name_ko": "룡정시 지신진 인대대표련락소", "code": "222405-01",
                                "county": "龙井市"})
    try:
        station.save_profile(s, data={**station.profile(s), "phone": "0433-3221918",
                                      "address": "吉林省延边朝鲜族自治州龙井市智新镇政府街18号联络站一楼",
                                      "opening_hours": "周一至周五 8:30—11:30，13:30—16:30"})
        registry.create_group(s, name_zh="智新镇明东村、长财村、东盛涌村联合代表小组",
                              name_ko="지신진 명동촌, 장재촌, 동성용촌 련합대표소조")
        group = registry.groups(s)[0]["id"]
        ids = []
        for i in range(count):
            if i % 2:
                name, ko = LONG_NAMES[(i // 2) % 2]
                name, ko = f"{name}{i:02d}"[:40], f"{ko}{i:02d}"[:40]
                unit, post = LONG_UNIT, LONG_POST
            else:
                name, ko, unit, post = f"金{i:02d}哲", f"김{i:02d}철", "智新镇明东村", "村委会主任"
            mandates = [mandate_data()]
            if i % 3 == 0:
                mandates += [mandate_data(level="county", term=18),
                             mandate_data(level="prefecture", term=15)]
            data = deputy_data(name=name, name_ko=ko, unit=unit, post=post, group_id=group,
                               phone=f"1384331{i:04d}")
            ids.append(registry.create_deputy(s, data=data, mandates=mandates).created_id)
        reception.set_rule(s, data={"kind": "monthly", "days": "9, 19", "per_day": 4,
                                    "start": "08:30", "end": "11:30",
                                    "place": "智新镇人大代表联络站一楼选民接待室（镇政府院内东侧）"})
        reception.generate_days(s, year=2026, include_past=True)
        reception.draw_roster(s, year=2026, include_past=True)
        aid = activities.create_activity(
            s, kind="learning", title="关于开展“代表进站、履职为民”主题活动暨一季度代表集中学习的安排",
            theme="学习宪法，依法履职", starts_at="2026-03-12 09:00", ends_at="2026-03-12 11:30",
            place="代表之家二楼会议室", organiser="镇人大主席团").created_id
        activities.invite(s, activity_id=aid, deputy_ids=ids)
    finally:
        s.close()
    return path


@pytest.fixture(scope="module")
def extreme(tmp_path_factory):
    """count -> an open session on that station (built once per module)."""
    opened: dict[int, object] = {}

    def get(count: int):
        if count not in opened:
            path = _extreme_station(tmp_path_factory.mktemp(f"x{count}") / "station.sqlite3",
                                    count)
            opened[count] = _open(path)
        return opened[count]

    yield get
    for s in opened.values():
        s.close()


def _extreme_options(s, name: str) -> dict:
    act = activities.activities(s)[0]["id"][:8]
    return {"duty-roster": {"year": "2026", "month": "3"},
            "reception-notice": {"date": _reception_day(s)},
            "sign-in-sheet": {"activity": act, "blank": "3"},
            "activity-notice": {"activity": act},
            "activity-summary": {"activity": act},
            "wall-reception": {"month": "2026-03"},
            "wall-deputies": {"phone": "deputy"}}.get(name, {})


LISTING = ["roster", "duty-roster", "reception-notice", "sign-in-sheet", "activity-notice",
           "activity-summary", "wall-deputies", "wall-profile", "wall-reception"]
# documents that name every deputy of the station
EVERY_DEPUTY = {"roster", "sign-in-sheet", "activity-notice", "activity-summary", "wall-deputies"}

EXTREME = [pytest.param(count, name, lang, id=f"{name}-{count}-{lang}")
           for count in (1, 60) for name in LISTING for lang in LANGS]


@pytest.mark.parametrize("count, name, lang", EXTREME)
def test_extreme_stations_stay_inside_the_page(extreme, tmp_path, count, name, lang):
    s = extreme(count)
    pdf = documents.render(s, name, lang=lang, options=_extreme_options(s, name),
                           out=tmp_path / f"{name}-{count}-{lang}.pdf")
    texts, _, _ = read(pdf)
    assert assert_inside(pdf) > 5
    flat = squeeze("".join(texts))
    if name in EVERY_DEPUTY:
        for d in registry.roster(s):
            assert squeeze(d["name"]) in flat, d["name"]
            if lang in ("ko", "bilingual"):
                assert squeeze(d["name_ko"]) in flat, d["name_ko"]
    if name in TABLES:
        assert_cells_in_columns(pdf, name, lang)


def _table_geometry(name: str) -> tuple[list[float], list[str], str, float]:
    """Column edges (x), header msgids, the msgid of the line under the table and
    the lowest y a table line may have, for a table-based document."""
    from reportlab.lib.units import mm

    from station_desk.printing import duty_roster, roster, sign_in_sheet as sis

    if name == "sign-in-sheet":
        return (sis.column_edges(), [m for m, _, _ in sis.COLUMNS], sis.MSG_EXPECTED,
                sis.MARGIN + sis.FOOTER_H)
    margin = layout.PageSetup.margin
    floor = margin + 8 * mm
    if name == "roster":
        width = 841.89 - 2 * margin
        weights = [w for _, w, _ in roster.COLUMNS]
        xs = [margin]
        for w in weights:
            xs.append(xs[-1] + w * width / sum(weights))
        return xs, [m for m, _, _ in roster.COLUMNS], roster.MSG_TOTAL, floor
    width = 595.28 - 2 * margin
    mms = [w for _, w in duty_roster.COLUMNS]
    xs = [margin]
    for w in mms:
        xs.append(xs[-1] + w * width / sum(mms))
    # the deputies column holds name / level / group side by side
    inner = xs[5] - xs[4] - 2 * layout.CELL_PADDING
    subs, x = [], xs[4] + layout.CELL_PADDING
    for _, share in duty_roster.DEPUTY_PARTS[:-1]:
        x += inner * share
        subs.append(x)
    xs = xs[:5] + subs + xs[5:]
    heads = [m for m, _ in duty_roster.COLUMNS] + [m for m, _ in duty_roster.DEPUTY_PARTS]
    return xs, heads, duty_roster.MSG_DAYS, floor


TABLES = {"roster", "duty-roster", "sign-in-sheet"}


def assert_cells_in_columns(pdf: Path, name: str, lang: str) -> int:
    """Every line of the table's body stays within its column, and no two lines of
    one column overlap; returns how many lines were checked."""
    xs, heads, closing_msgid, floor = _table_geometry(name)
    codes = ["zh_CN", "ko"] if lang == "bilingual" else [lang]
    labels = {squeeze(gettext_for(c)(m)) for c in codes for m in heads}
    closing = {squeeze(gettext_for(c)(closing_msgid).split("{")[0]) for c in codes}
    _, runs, _ = read(pdf)
    checked = 0
    for number, page in enumerate(runs, start=1):
        head_ys = [y for t, x, y, s in page if squeeze(t) in labels]
        assert head_ys, f"no table header on page {number}"
        below_head = min(head_ys) - 1
        ends = [y for t, x, y, s in page if any(squeeze(t).startswith(c) for c in closing)]
        bottom = max(max(ends, default=floor), floor) + 1
        spans: dict[int, list[tuple[float, float]]] = {}
        for text, x, y, size in page:
            if not bottom < y < below_head:
                continue
            right = x + _width(text, size)
            col = next((i for i in range(len(xs) - 1) if xs[i] - 0.5 <= x < xs[i + 1] - 0.5), None)
            assert col is not None, (number, text, x)
            assert right <= xs[col + 1] + 0.5, (f"page {number}: {text!r} leaves column {col}",
                                                right, xs[col + 1])
            spans.setdefault(col, []).append((round(y - 0.2 * size, 1), round(y + 0.8 * size, 1)))
            checked += 1
        for col, boxes in spans.items():
            boxes = sorted(set(boxes))
            for (lo1, hi1), (lo2, hi2) in zip(boxes, boxes[1:]):
                assert hi1 <= lo2 + 0.3, (f"page {number}: two lines overlap in column {col}",
                                          (lo1, hi1), (lo2, hi2))
    assert checked > 3
    return checked


# lower-case words a Chinese or Korean print may show: user names of the demo
ALLOWED_WORDS = {"demo", "tester"}


@pytest.mark.parametrize("lang", ["zh_CN", "ko", "bilingual"])
@pytest.mark.parametrize("name", list(documents.DOCUMENTS))
def test_no_stored_code_is_printed_raw(rendered, name, lang):
    """Codes kept in the database (litigation, township, moved_out ...) are printed
    as their labels, never as themselves."""
    flat = " ".join(read(rendered(name, lang))[0])
    words = set(re.findall(r"(?<![A-Za-z])[a-z][a-z_]{3,}(?![A-Za-z])", flat)) - ALLOWED_WORDS
    assert not words, sorted(words)
