"""The sign-in sheet PDF, rendered and read back with pypdf: rows in order
across pages, blank rows, the header on every page, the counts blank before
the activity and filled after, long cells inside their columns, languages.

Most tests hand the printing module plain dicts (as the services give them);
the last ones go through the services, ``documents.render`` and the command
line on a real station file (clock 2026-03-09 10:30)."""
from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from station_desk.cli import main
from station_desk.domain.activities import ATTENDANCE_LABELS, Attendance
from station_desk.i18n import gettext_for
from station_desk.printing import fonts, layout, sign_in_sheet as sis
from station_desk.services import activities as act, documents
from tests.printing.conftest import MOBILE, PEOPLE, add_deputies, page_texts, squeeze

STATION = {"name_zh": "龙井市智新镇人大代表联络站", "name_ko": "룡정시 지신진 인대대표련락소",
           "bilingual_order": "zh-ko"}
LANGS = ["zh_CN", "ko", "en", "bilingual"]
TODAY = date(2026, 3, 9)


def _languages(lang: str) -> list[str]:
    return ["zh_CN", "ko"] if lang == "bilingual" else [lang]


def _page_label(lang: str, page: int, pages: int) -> str:
    if lang == "bilingual":
        return f"{page} / {pages}"
    return gettext_for(lang)(layout.MSG_PAGE).format(page=page, pages=pages)


def person(i: int, **kw) -> dict:
    name, ko, _, _ = PEOPLE[i % len(PEOPLE)]
    p = {"id": f"inv{i}", "deputy_id": f"dep{i}", "name": f"{name}{i:03d}",
         "name_ko": f"{ko}{i:03d}" if ko else "", "levels": ["county", "township"],
         "unit": "智新镇明东村村民委员会", "post": "主任", "phone": f"1384331{i:04d}",
         "attendance": "unmarked", "signed_at": "", "leave_reason": "",
         "leave_approved_by": "", "outsider": False}
    p.update(kw)
    return p


def activity(people: list[dict], **kw) -> dict:
    a = {"id": "a1b2c3d4e5", "title": "一季度代表集中学习", "theme": "学习宪法，依法履职",
         "kind": "learning", "starts_at": "2026-03-12T09:00", "ends_at": "2026-03-12T11:30",
         "place": "代表之家二楼会议室", "organiser": "镇人大主席团", "status": "scheduled",
         "notice": "", "summary": "", "invitees": people, "photos": []}
    a.update(kw)
    return a


def write(tmp_path, a: dict, lang: str = "zh_CN", name: str = "sheet.pdf", **kw):
    out = tmp_path / name
    out.write_bytes(sis.render(a, STATION, lang=lang, printed_on=TODAY, **kw))
    return out


def text_runs(page) -> list[tuple[str, float, float, float]]:
    """(text, x, y, size) of every drawn string, in page coordinates.

    One string may come back in pieces (one per font subset), each reported at
    the string's start: the pieces are joined again."""
    runs: list[list] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip("\n"):
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


def number_column(path) -> list[list[int]]:
    """The numbers printed in the "No." column, page by page."""
    xs = sis.column_edges()
    out = []
    for page in PdfReader(str(path)).pages:
        nums = [int(t) for t, x, y, _ in text_runs(page)
                if xs[0] <= x < xs[1] and t.strip().isdigit() and y < 700]
        out.append(nums)
    return out


def marks(path, lang: str, state: Attendance) -> int:
    """How many rows show ``state`` in the signature column."""
    xs = sis.column_edges()
    label = squeeze(gettext_for(lang)(ATTENDANCE_LABELS[state]))
    return sum(1 for page in PdfReader(str(path)).pages for t, x, y, _ in text_runs(page)
               if xs[5] <= x < xs[6] and squeeze(t) == label)


# -- rows -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_invited_name_once_in_order_across_pages(tmp_path, lang):
    people = [person(i) for i in range(60)]
    pdf = write(tmp_path, activity(people), lang)
    texts = page_texts(pdf)
    assert len(texts) >= 3
    flat = squeeze("".join(texts))
    positions = []
    for p in people:
        assert flat.count(p["name"]) == 1, p["name"]
        positions.append(flat.index(p["name"]))
        if p["name_ko"]:
            assert (flat.count(p["name_ko"]) == 1) == (lang in ("ko", "bilingual"))
    assert positions == sorted(positions)
    assert not any(MOBILE.search(t) for t in texts)  # phones masked
    assert "138****0059" in flat


def test_blank_rows_follow_the_invited_and_continue_the_numbers(tmp_path):
    people = [person(i) for i in range(3)]
    numbers = number_column(write(tmp_path, activity(people), blank_rows=5))
    assert sum(numbers, []) == list(range(1, 9))
    numbers = number_column(write(tmp_path, activity(people), blank_rows=0))
    assert sum(numbers, []) == [1, 2, 3]
    numbers = number_column(write(tmp_path, activity(people)))  # default: 20
    assert sum(numbers, []) == list(range(1, 24))


def test_an_activity_with_nobody_invited_prints_blank_rows(tmp_path):
    numbers = number_column(write(tmp_path, activity([]), blank_rows=12))
    assert sum(numbers, []) == list(range(1, 13))


@pytest.mark.parametrize("lang", ["zh_CN", "bilingual"])
def test_the_header_is_on_every_page(tmp_path, lang):
    pdf = write(tmp_path, activity([person(i) for i in range(60)]), lang)
    texts = page_texts(pdf)
    signature = squeeze(gettext_for(_languages(lang)[0])("Signature"))
    for number, text in enumerate(texts, start=1):
        flat = squeeze(text)
        assert "龙井市智新镇人大代表联络站" in flat
        assert "一季度代表集中学习" in flat and "学习宪法，依法履职" in flat
        assert "代表之家二楼会议室" in flat and "镇人大主席团" in flat
        assert "09:00–11:30" in flat
        assert signature in flat, f"no table header on page {number}"
        assert _page_label(lang, number, len(texts)) in text
        if lang == "bilingual":
            assert squeeze("룡정시 지신진 인대대표련락소") in flat


def test_five_hundred_people_paginate_with_the_header_on_each_page(tmp_path):
    people = [person(i) for i in range(500)]
    pdf = write(tmp_path, activity(people), "bilingual")
    texts = page_texts(pdf)
    assert len(texts) >= 15
    flat = squeeze("".join(texts))
    for p in people:
        assert flat.count(p["name"]) == 1
    for number, text in enumerate(texts, start=1):
        assert "一季度代表集中学习" in squeeze(text)
        assert _page_label("bilingual", number, len(texts)) in text
    numbers = sum(number_column(pdf), [])
    assert numbers == list(range(1, 521))


# -- counts -----------------------------------------------------------------------

def _count_text(lang: str, msgid: str, value: str = "") -> str:
    colon = "：" if lang == "zh_CN" else ":"
    return squeeze(gettext_for(lang)(msgid) + colon + value)


def _marked() -> list[dict]:
    marks = ["present", "present", "present", "leave", "leave", "absent", "absent"]
    return [person(i, attendance=m, signed_at="2026-03-12T08:5%d" % i if m == "present" else "",
                   leave_reason="外出务工" if m == "leave" else "",
                   leave_approved_by="崔站长" if m == "leave" else "")
            for i, m in enumerate(marks)]


def test_counts_are_blank_before_the_activity(tmp_path):
    pdf = write(tmp_path, activity([person(i) for i in range(40)]), "zh_CN")
    texts = page_texts(pdf)
    last = squeeze(texts[-1])
    expected, present = _count_text("zh_CN", sis.MSG_EXPECTED), _count_text("zh_CN", "Present")
    assert expected + present in last  # empty slot between the labels
    assert all(expected not in squeeze(t) for t in texts[:-1])  # the last page only
    assert squeeze(gettext_for("zh_CN")(sis.MSG_ORGANISER_SIGNATURE)) in last
    # no row carries a mark
    for state in (Attendance.PRESENT, Attendance.LEAVE, Attendance.ABSENT):
        assert marks(pdf, "zh_CN", state) == 0


@pytest.mark.parametrize("lang", ["zh_CN", "ko"])
def test_counts_and_marks_are_filled_after_the_activity(tmp_path, lang):
    pdf = write(tmp_path, activity(_marked(), status="held"), lang)
    flat = squeeze("".join(page_texts(pdf)))
    assert _count_text(lang, sis.MSG_EXPECTED, "7") in flat
    assert _count_text(lang, "Present", "3") in flat
    assert _count_text(lang, "On leave", "2") in flat
    assert _count_text(lang, "Absent", "2") in flat
    # each row's mark
    assert marks(pdf, lang, Attendance.PRESENT) == 3
    assert marks(pdf, lang, Attendance.ABSENT) == 2
    assert marks(pdf, lang, Attendance.LEAVE) == 2
    assert "08:50" in flat and "08:52" in flat  # signed times
    assert flat.count("外出务工") == 2
    assert "崔站长" in flat


def test_leave_granted_before_the_activity_shows_on_a_blank_sheet(tmp_path):
    people = [person(i) for i in range(4)]
    people[2].update(attendance="leave", leave_reason="住院治疗", leave_approved_by="崔站长")
    flat = squeeze("".join(page_texts(write(tmp_path, activity(people)))))
    assert _count_text("zh_CN", sis.MSG_EXPECTED) + _count_text("zh_CN", "Present") in flat
    assert "住院治疗" in flat and "崔站长" in flat
    assert marks(tmp_path / "sheet.pdf", "zh_CN", Attendance.LEAVE) == 1
    flat = squeeze("".join(page_texts(write(tmp_path, activity(people), counts="blank"))))
    assert "住院治疗" not in flat
    assert marks(tmp_path / "sheet.pdf", "zh_CN", Attendance.LEAVE) == 0


def test_counts_option_overrides_auto(tmp_path):
    marked = activity(_marked(), status="held")
    flat = squeeze("".join(page_texts(write(tmp_path, marked, counts="blank"))))
    assert _count_text("zh_CN", sis.MSG_EXPECTED) + _count_text("zh_CN", "Present") in flat
    assert "外出务工" not in flat and "08:50" not in flat  # a clean sheet to sign
    unmarked = activity([person(i) for i in range(4)])
    flat = squeeze("".join(page_texts(write(tmp_path, unmarked, counts="filled"))))
    assert _count_text("zh_CN", sis.MSG_EXPECTED, "4") in flat
    assert _count_text("zh_CN", "Present", "0") in flat
    with pytest.raises(ValueError):
        sis.render(unmarked, STATION, lang="zh_CN", printed_on=TODAY, counts="some")


# -- geometry ---------------------------------------------------------------------

LONG_UNIT = ("龙井市智新镇明东村农业机械专业合作社暨朝鲜族民俗文化旅游发展有限公司，"
             "Yanbian-Longjing-Zhixin-Mingdong-Agricultural-Machinery-Cooperative")


@pytest.mark.parametrize("lang", ["zh_CN", "bilingual"])
def test_long_names_and_units_stay_inside_their_cells(tmp_path, lang):
    people = [person(i, name="欧阳诸葛司马慕容" * (1 + i % 3), name_ko="남궁제갈사마모용선우",
                     unit=LONG_UNIT * (1 + i % 2), post="理事长兼总经理、村民委员会委员" * 2,
                     levels=["national", "provincial", "prefecture", "county", "township"],
                     attendance="leave", leave_reason="参加县人大常委会组织的培训班，为期三天" * 2,
                     leave_approved_by="崔站长")
              for i in range(30)]
    pdf = write(tmp_path, activity(people, title="关于开展“代表进站、履职为民”主题活动的安排"
                                   * 3, place="智新镇代表之家" * 6), lang)
    xs = sis.column_edges()
    fonts.register()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    reader = PdfReader(str(pdf))
    checked = 0
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        runs = text_runs(page)
        table_top = max(y for t, x, y, s in runs
                        if squeeze(t) == squeeze(gettext_for(_languages(lang)[0])("No.")))
        # the counts line is the only text starting at the left margin above the footer
        closing = max((y for t, x, y, s in runs
                       if abs(x - sis.MARGIN) < 0.5 and y > sis.MARGIN + sis.FOOTER_H), default=-1)
        boxes: dict[int, list[tuple[float, float]]] = {}
        for text, x, y, size in runs:
            right = x + stringWidth(text.rstrip(), fonts.FONT, size)
            assert sis.MARGIN - 0.5 <= x and right <= width - sis.MARGIN + 0.5, text
            assert sis.MARGIN - 0.5 <= y <= height - sis.MARGIN, text
            if y >= table_top - 1 or y <= closing + 1 or y < sis.MARGIN + 10 * 2.83:
                continue  # the header, the counts and the footer
            col = next(i for i in range(len(xs) - 1) if xs[i] - 0.5 <= x < xs[i + 1])
            assert right <= xs[col + 1] + 0.5, (text, col, right, xs[col + 1])
            boxes.setdefault(col, []).append((y - 0.2 * size, y + 0.8 * size))  # descent, ascent
            checked += 1
        for col, spans in boxes.items():  # no two lines of a column overlap
            # one line may come back as several runs (font subsets): one span per baseline
            spans = sorted(set((round(lo, 1), round(hi, 1)) for lo, hi in spans))
            for (lo1, hi1), (lo2, hi2) in zip(spans, spans[1:]):
                assert hi1 <= lo2 + 0.3, (col, hi1, lo2)
    assert checked > 300
    flat = squeeze("".join(page_texts(pdf)))
    assert "Cooperative" in flat and "理事长兼总经理" in flat


# -- languages --------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_language_renders_with_translated_labels(tmp_path, lang):
    pdf = write(tmp_path, activity([person(i) for i in range(3)]), lang)
    flat = squeeze("".join(page_texts(pdf)))
    for code in _languages(lang):
        tr = gettext_for(code)
        for msgid in (sis.TITLE, "Signature", "Leave reason", sis.MSG_ORGANISER):
            assert squeeze(tr(msgid)) in flat, (code, msgid)
    assert float(PdfReader(str(pdf)).pages[0].mediabox.height) > 800  # A4 portrait


def test_korean_labels_come_from_the_catalog(tmp_path):
    ko = gettext_for("ko")
    for msgid in (sis.TITLE, "Signature", "Leave reason", sis.MSG_EXPECTED, sis.MSG_THEME,
                  sis.MSG_ORGANISER, sis.MSG_ORGANISER_SIGNATURE):
        assert ko(msgid) != msgid, msgid
    flat = squeeze("".join(page_texts(write(tmp_path, activity([person(0)]), "ko"))))
    assert squeeze(ko(sis.TITLE)) in flat and "Sign-in" not in flat


def test_bilingual_follows_the_station_order(tmp_path):
    a = activity([person(0)])
    out = tmp_path / "b.pdf"
    out.write_bytes(sis.render(a, {**STATION, "bilingual_order": "ko-zh"}, lang="bilingual",
                               printed_on=TODAY))
    text = page_texts(out)[0]
    assert text.index("룡정시") < text.index("龙井市")


# -- through the services, documents and the command line ---------------------------

@pytest.fixture
def held(session):
    """An activity of 2026-03-05 with five deputies and an outside participant:
    three present, one on leave, one absent, the guest not marked."""
    ids = add_deputies(session, 5)
    aid = act.create_activity(session, kind="theory", title="宪法宣传周进村宣讲",
                              theme="宪法进万家", starts_at="2026-03-05 09:00",
                              ends_at="2026-03-05 11:00", place="明东村村委会",
                              organiser="镇人大主席团").created_id
    act.invite(session, activity_id=aid, deputy_ids=ids,
               outsiders=[{"name": "赵列席", "unit": "镇司法所", "post": "所长",
                           "phone": "13900001234"}])
    inv = act.activity(session, aid)["invitees"]
    act.record_leave(session, invitee_id=inv[3]["id"], reason="住院治疗", approved_by="崔站长")
    act.mark(session, activity_id=aid,
             marks={inv[0]["id"]: "present", inv[1]["id"]: "present", inv[2]["id"]: "present",
                    inv[4]["id"]: "absent"},
             signed_at={inv[0]["id"]: "08:55"})
    return aid


def test_documents_render_the_sheet_from_the_database(session, out_dir, held):
    out = out_dir / "s.pdf"
    documents.render(session, "sign-in-sheet", lang="zh",
                     options={"activity": held[:8], "blank": "3"}, out=out)
    texts = page_texts(out)
    flat = squeeze("".join(texts))
    names = [p[0] for p in PEOPLE[:5]] + ["赵列席"]
    assert [flat.index(n) for n in names] == sorted(flat.index(n) for n in names)
    assert "宪法宣传周进村宣讲" in flat and "住院治疗" in flat and "08:55" in flat
    assert _count_text("zh_CN", sis.MSG_EXPECTED, "6") in flat
    assert _count_text("zh_CN", "Present", "3") in flat
    assert not any(MOBILE.search(t) for t in texts)
    assert sum(number_column(out), []) == list(range(1, 10))
    documents.render(session, "sign-in-sheet", lang="zh",
                     options={"activity": held, "counts": "blank"}, out=out)
    assert "住院治疗" not in squeeze("".join(page_texts(out)))


def test_print_sign_in_sheet_from_the_command_line(session, tmp_path, held, capsys):
    out = tmp_path / "f.pdf"
    assert main(["print", "sign-in-sheet", "--db", str(session.path), "--option",
                 f"activity={held[:8]}", "--lang", "ko", "--out", str(out)]) == 0
    flat = squeeze("".join(page_texts(out)))
    assert squeeze(gettext_for("ko")(sis.TITLE)) in flat and "김철" in flat
    assert main(["print", "--list"]) == 0
    assert "sign-in-sheet" in capsys.readouterr().out


@pytest.mark.parametrize("options", [{}, {"activity": "zzzzzzzz"}, {"activity": "ab"},
                                     {"activity": "ID", "blank": "many"},
                                     {"activity": "ID", "counts": "some"}])
def test_bad_sheet_options_are_typed_errors(session, out_dir, held, options):
    options = {k: (held if v == "ID" else v) for k, v in options.items()}
    out = out_dir / "x.pdf"
    with pytest.raises(documents.BadOption):
        documents.render(session, "sign-in-sheet", lang="zh", options=options, out=out)
    assert not out.exists()
