"""A demo station: a realistic Yanbian township station with its deputies.

龙井市智新镇人大代表联络站 (룡정시 지신진 인대대표련락소): profile, staff, five deputy
groups and 32 deputies — Korean (朝鲜族, with Hangul readings in Yanbian spelling)
and Han, township, county, prefecture and one provincial mandate — with one
suspended, one who moved out, one who resigned, edits and photos.  Everything
goes through the services, so the demo obeys the same rules as a clerk.

The people are invented; any likeness to real persons is coincidental.
"""
from __future__ import annotations

import io
import random
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path

from station_desk import paths
from station_desk.domain.errors import DemoExists
from station_desk.services import accounts, registry, station
from station_desk.services.session import Session, create_station, station_exists
from station_desk.storage import backup as files

DEMO_SEED = 20211118
# the password of the demo station's four accounts (admin, head, clerk, auditor);
# its sign-in dialog names them, and only the demo station's
DEMO_PASSWORD = "demo-2026"
# The demo's history runs to mid-2025; a computer whose clock is older still gets it.
EARLIEST_TODAY = date(2025, 9, 1)
PHOTO_SIZE = (300, 400)

PROFILE = {
    "name_zh": "龙井市智新镇人大代表联络站",
    "name_ko": "룡정시 지신진 인대대표련락소",
    "code": "222405-01",
    "county": "龙井市",
    "address": "吉林省延边朝鲜族自治州龙井市智新镇政府街18号（镇人大办公室一楼）",
    "opening_hours": "周一至周五 8:30—11:30，13:30—16:30；每月9日、19日为代表接待选民日",
    "phone": "0433-3221918",
    "rooms": "选民接待室、代表活动室、档案资料室",
    "bilingual_order": "zh-ko",
}

STAFF = [
    {"name": "崔英浩", "name_ko": "최영호", "role": "head", "since": "2022-01-15"},
    {"name": "王丽娟", "name_ko": "", "role": "deputy_head", "since": "2022-01-15"},
    {"name": "金美兰", "name_ko": "김미란", "role": "worker", "since": "2021-03-01"},
    {"name": "李海燕", "name_ko": "리해연", "role": "worker", "since": "2023-09-01"},
]

GROUPS = [
    ("镇直代表小组", "진직속대표소조"),
    ("智新村代表小组", "지신촌대표소조"),
    ("明东村代表小组", "명동촌대표소조"),
    ("长财村代表小组", "장재촌대표소조"),
    ("大成村代表小组", "대성촌대표소조"),
]

# Mandates: T = township (第十八届), C = county (龙井市第十八届), P = prefecture
# (延边州第十七届), S = provincial (吉林省第十四届).
_MANDATE = {
    "T": {"level": "township", "term": 18, "elected_on": "2021-11-18"},
    "C": {"level": "county", "term": 18, "elected_on": "2021-11-18"},
    "P": {"level": "prefecture", "term": 17, "elected_on": "2021-12-28",
          "constituency": "龙井市"},
    "S": {"level": "provincial", "term": 14, "elected_on": "2022-12-20",
          "constituency": "延边朝鲜族自治州"},
}

# name, Korean reading, sex, ethnicity (GB/T 3304), birth date, party (GB/T 4762),
# unit, post, village, group index, mandates
DEPUTIES = [
    ("朴成龙", "박성룡", "M", "10", "1970-03-12", "01", "中共龙井市智新镇委员会", "党委书记", "智新村", 0, "TCP"),
    ("韩光日", "한광일", "M", "10", "1974-08-05", "01", "龙井市智新镇人民政府", "镇长", "智新村", 0, "TC"),
    ("王建国", "", "M", "01", "1968-11-23", "01", "龙井市智新镇人民代表大会", "人大主席", "智新村", 0, "TC"),
    ("姜贞淑", "강정숙", "F", "10", "1979-06-18", "01", "龙井市智新镇中心小学", "校长", "智新村", 0, "T"),
    ("刘淑华", "", "F", "01", "1981-02-09", "05", "龙井市智新镇卫生院", "医生", "智新村", 0, "T"),
    ("尹东浩", "윤동호", "M", "10", "1985-12-01", "13", "龙井市海兰江苹果梨专业合作社", "理事长", "智新村", 0, "T"),
    ("于海波", "", "M", "01", "1976-04-04", "01", "龙井市公安局智新派出所", "所长", "智新村", 0, "T"),
    ("金明哲", "김명철", "M", "10", "1966-04-12", "01", "智新镇智新村村民委员会", "村党支部书记、村委会主任", "智新村", 1, "TC"),
    ("李春花", "리춘화", "F", "10", "1972-09-30", "01", "智新镇智新村村民委员会", "村妇联主席", "智新村", 1, "T"),
    ("张伟", "", "M", "01", "1977-05-14", "13", "龙井市智新米业有限公司", "总经理", "智新村", 1, "TC"),
    ("郑英爱", "정영애", "F", "10", "1983-07-22", "13", "智新镇智新村", "农家乐经营者", "智新村", 1, "T"),
    ("赵玉梅", "", "F", "01", "1975-10-03", "01", "龙井市智新镇中心幼儿园", "教师", "智新村", 1, "T"),
    ("林春玉", "림춘옥", "F", "10", "1990-01-17", "03", "智新镇智新村村民委员会", "村委会委员", "智新村", 1, "T"),
    ("崔哲洙", "최철수", "M", "10", "1963-02-27", "01", "智新镇明东村村民委员会", "村党支部书记", "明东村", 2, "TC"),
    ("金顺子", "김순자", "F", "10", "1969-11-11", "01", "明东历史文化村", "讲解员", "明东村", 2, "T"),
    ("柳成浩", "류성호", "M", "10", "1980-06-06", "13", "龙井市明东水稻种植专业合作社", "理事长", "明东村", 2, "TC"),
    ("卢京子", "로경자", "F", "10", "1971-03-08", "13", "智新镇明东村", "村民", "明东村", 2, "T"),
    ("孙立新", "", "M", "01", "1973-08-19", "01", "龙井市农业农村局", "明东村驻村第一书记", "明东村", 2, "T"),
    ("许银姬", "허은희", "F", "10", "1987-04-25", "02", "智新镇明东村村民委员会", "村委会委员", "明东村", 2, "T"),
    ("朴永洙", "박영수", "M", "10", "1965-12-14", "01", "智新镇长财村村民委员会", "村党支部书记", "长财村", 3, "TC"),
    ("李吉男", "리길남", "M", "10", "1976-10-29", "13", "龙井市长财松茸专业合作社", "理事长", "长财村", 3, "T"),
    ("南惠英", "남혜영", "F", "10", "1982-05-02", "01", "智新镇长财村卫生室", "乡村医生", "长财村", 3, "T"),
    ("杨志刚", "", "M", "01", "1978-01-30", "13", "龙井市长财肉牛养殖场", "负责人", "长财村", 3, "T"),
    ("全贤淑", "전현숙", "F", "10", "1974-07-07", "01", "智新镇长财村村民委员会", "村委会主任", "长财村", 3, "TC"),
    ("文学哲", "문학철", "M", "10", "1960-09-09", "01", "智新镇长财村", "退休教师", "长财村", 3, "T"),
    ("金在浩", "김재호", "M", "10", "1967-03-03", "01", "智新镇大成村村民委员会", "村党支部书记", "大成村", 4, "TCP"),
    ("玄昌浩", "현창호", "M", "10", "1964-05-16", "01", "龙井市大成现代农业发展有限公司", "董事长", "大成村", 4, "CPS"),
    ("崔明玉", "최명옥", "F", "10", "1970-12-20", "01", "智新镇大成村", "苹果梨种植户", "大成村", 4, "T"),
    ("陈红", "", "F", "01", "1984-09-12", "13", "智新镇大成村电商服务站", "负责人", "大成村", 4, "T"),
    ("申相哲", "신상철", "M", "10", "1979-11-02", "12", "龙井市智新镇畜牧兽医站", "兽医", "大成村", 4, "T"),
    ("黄英子", "황영자", "F", "10", "1968-02-14", "01", "智新镇大成村村民委员会", "村妇联主席", "大成村", 4, "T"),
    ("安太浩", "안태호", "M", "10", "1988-08-08", "03", "智新镇大成村", "返乡创业青年", "大成村", 4, "T"),
]
CONSTITUENCY = {"智新村": 1, "明东村": 2, "长财村": 3, "大成村": 4}
WITHOUT_PHOTO = {"文学哲", "陈红"}  # as in a real roster, a few photos are still missing

# What happened to some mandates since the election: (name, level, kind, date, ground,
# document number, detail).
EVENTS = [
    ("杨志刚", "township", "terminated", "2024-10-08", "moved_out",
     "智新镇人大主席团公告〔2024〕第3号", "户籍迁出龙井市，代表资格终止"),
    ("申相哲", "township", "suspended", "2024-03-02", "detained", "",
     "因涉嫌交通肇事被依法刑事拘留"),
    ("申相哲", "township", "restored", "2024-04-20", None, "",
     "公安机关撤销案件，恢复执行代表职务"),
    ("卢京子", "township", "terminated", "2025-03-20", "resigned",
     "智新镇人大主席团公告〔2025〕第1号", "因身体原因书面提出辞去镇人大代表职务，经主席团接受"),
    ("李吉男", "township", "suspended", "2025-08-14", "detained",
     "智新镇人大主席团〔2025〕5号", "因涉嫌刑事犯罪被依法刑事拘留，暂停执行代表职务"),
]
# A by-election and two later corrections, so histories show more than the election.
BY_ELECTION = ("尹东浩", {"level": "county", "term": 18, "elected_on": "2023-06-15",
                         "constituency": "智新镇第3选区（补选）"})
EDITS = [("林春玉", {"post": "村委会副主任"}), ("韩光日", {"phone": None})]

_MOBILE_PREFIXES = ("130", "131", "132", "135", "138", "139", "150", "151", "155",
                    "156", "158", "186", "187", "188")
_BACKGROUNDS = [  # soft top/bottom colours of the photo background
    ((196, 214, 232), (139, 167, 199)), ((201, 226, 220), (128, 178, 166)),
    ((222, 230, 206), (165, 186, 139)), ((236, 224, 204), (200, 175, 140)),
    ((226, 214, 232), (170, 150, 190)), ((214, 220, 228), (150, 162, 178)),
    ((240, 218, 210), (206, 160, 146)), ((210, 226, 238), (120, 160, 196)),
]


_GRAIN = bytes(118 + v * 21 // 256 for v in range(256))  # 0..255 -> 118..138


class _Clock:
    """A ticking demo clock: 09:00 on ``today``, a little later at every call.

    The demo makes some thousands of calls; at 5 s each it ends around noon,
    never on the next day (which would be the future for the clerk)."""

    def __init__(self, today: date) -> None:
        self.start = datetime.combine(today, time(9, 0)).astimezone()
        self.calls = 0

    def __call__(self) -> datetime:
        self.calls += 1
        return self.start + timedelta(seconds=5 * self.calls)


def _phones(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}")
    return sorted(seen, key=lambda _: rng.random())


def avatar(rng: random.Random) -> bytes:
    """A neutral head-and-shoulders silhouette on a soft coloured background (JPEG)."""
    from PIL import Image, ImageDraw, ImageFilter

    w, h = PHOTO_SIZE
    s = 2  # drawn at twice the size, then scaled down for smooth edges
    top, bottom = rng.choice(_BACKGROUNDS)
    img = Image.new("RGB", (w * s, h * s))
    draw = ImageDraw.Draw(img)
    for y in range(h * s):
        t = y / (h * s - 1)
        draw.line([(0, y), (w * s, y)],
                  fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    tone = rng.randint(232, 246)
    figure = (tone, tone, min(255, tone + 3))
    shade = tuple(round(c * 0.88) for c in bottom)
    cx = w * s // 2 + rng.randint(-5, 5) * s
    head_w, head_h = rng.randint(54, 60) * s, rng.randint(68, 74) * s
    head_cy = rng.randint(150, 160) * s
    shoulder_top = head_cy + head_h + rng.randint(4, 12) * s
    spread = rng.randint(132, 146) * s          # half the width of the shoulders
    depth = round(spread * 0.62)                # their slope: a flat, wide curve
    shadow = Image.new("L", img.size, 0)
    sd = ImageDraw.Draw(shadow)
    sd.rounded_rectangle([cx - spread - 4 * s, shoulder_top + 8 * s, cx + spread + 4 * s,
                          h * s + 4 * depth], radius=depth, fill=110)
    sd.ellipse([cx - head_w - 2 * s, head_cy - head_h + 10 * s, cx + head_w + 2 * s,
                head_cy + head_h + 12 * s], fill=110)
    shadow = shadow.filter(ImageFilter.GaussianBlur(9 * s))
    img.paste(Image.new("RGB", img.size, shade), (0, 0), shadow)
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle([cx - spread, shoulder_top, cx + spread, h * s + 4 * depth],
                           radius=depth, fill=figure)
    neck = head_w * 0.46
    draw.rectangle([cx - neck, head_cy + head_h * 0.5, cx + neck, shoulder_top + 10 * s],
                   fill=figure)
    draw.ellipse([cx - head_w, head_cy - head_h, cx + head_w, head_cy + head_h], fill=figure)
    img = img.resize((w, h), Image.LANCZOS)
    # a faint grain, as a printed portrait has; keeps flat areas from banding
    grain = Image.frombytes("L", (w, h), rng.randbytes(w * h).translate(_GRAIN))
    img = Image.blend(img, Image.merge("RGB", (grain, grain, grain)), 0.16)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


def _fill(session: Session, rng: random.Random) -> None:
    for person in STAFF:
        station.add_staff(session, data={**person, "phone": _phones(rng, 1)[0]})
    group_ids = [registry.create_group(session, name_zh=zh, name_ko=ko).created_id
                 for zh, ko in GROUPS]
    phones = _phones(rng, len(DEPUTIES))
    ids: dict[str, str] = {}
    for (name, name_ko, sex, eth, birth, party, unit, post, village, group, levels), phone \
            in zip(DEPUTIES, phones):
        mandates = []
        for code in levels:
            m = dict(_MANDATE[code])
            if code == "T":
                m["constituency"] = f"智新镇第{CONSTITUENCY[village]}选区"
            elif code == "C":
                m["constituency"] = f"智新镇第{(CONSTITUENCY[village] + 1) // 2}选区"
            mandates.append(m)
        photo = None if name in WITHOUT_PHOTO else avatar(rng)
        ids[name] = registry.create_deputy(session, data={
            "name": name, "name_ko": name_ko, "sex": sex, "ethnicity": eth,
            "birth_date": birth, "party": party, "unit": unit, "post": post,
            "phone": phone, "village": village, "group_id": group_ids[group]},
            mandates=mandates, photo=photo).created_id

    name, mandate = BY_ELECTION
    registry.add_mandate(session, deputy_id=ids[name], data=mandate)
    for name, level, kind, on, ground, doc_no, detail in EVENTS:
        mandate_id = next(m["id"] for m in registry.deputy(session, ids[name])["mandates"]
                          if m["level"] == level)
        registry.record_mandate_event(session, mandate_id=mandate_id, kind=kind, on=on,
                                      ground=ground, doc_no=doc_no, detail=detail)
    for name, change in EDITS:
        current = registry.deputy(session, ids[name])
        if "phone" in change and change["phone"] is None:
            change = {"phone": _phones(rng, 1)[0]}  # a new mobile number
        registry.update_deputy(session, deputy_id=ids[name], data={**current, **change},
                               expected_version=current["row_version"])
    _reception_days(session)
    from station_desk.services import demo_cases

    case_ids = demo_cases.fill_cases(session, rng)
    _practical_matters(session, leads=list(ids.values()), case_ids=case_ids)
    from station_desk.services import demo_activities

    demo_activities.fill_activities(session, random.Random(rng.randrange(2 ** 32)))
    from station_desk.services import demo_ledger

    demo_ledger.fill_ledger(session, random.Random(rng.randrange(2 ** 32)))
    from station_desk.services import notices

    notices.seed_demo(session)  # the rules on the wall


# (title, description, stages advanced, progress %, milestones)
PRACTICAL = [
    ("明东村道路路灯安装", "村民反映村内主路夜间无照明，代表牵头协调安装太阳能路灯。", 3, 100,
     ["完成摸排，涉及主路1.2公里", "镇政府同意列入年度计划", "40盏路灯安装完毕"]),
    ("长财村自来水管网改造", "老旧管网冬季易冻裂，代表组织座谈，争取县水利局项目资金。", 2, 40,
     ["水利局现场踏勘", "召开村民座谈会"]),
    ("智新镇留守老人日间照料点", "代表走访留守老人，提出在镇中心设日间照料点。", 1, 15,
     ["走访留守老人35户"]),
]


def _practical_matters(session: Session, *, leads: list[str], case_ids: list[str]) -> None:
    """Three practical matters (为民办实事) at different stages, led by deputies."""
    from station_desk.services import practical

    today = session.today()
    for i, (title, description, stages, percent, milestones) in enumerate(PRACTICAL):
        start = today - timedelta(days=200 - 50 * i)
        matter_id = practical.create_matter(
            session, title=title, description=description, leads=leads[2 * i:2 * i + 2],
            cases=case_ids[i:i + 1], on=start).created_id
        for n, text in enumerate(milestones):
            practical.add_milestone(session, matter_id=matter_id, text=text,
                                    on=start + timedelta(days=20 + 30 * n))
        for n in range(stages):
            practical.advance(session, matter_id=matter_id,
                              on=start + timedelta(days=30 + 40 * n))
        practical.set_progress(session, matter_id=matter_id, percent=percent,
                               on=start + timedelta(days=30 + 40 * stages))


def _reception_days(session: Session) -> None:
    """Reception on the 9th and 19th, three deputies on duty, the year's roster drawn."""
    from station_desk.services import reception

    reception.set_rule(session, data={"kind": "monthly", "days": "9, 19", "per_day": 3,
                                      "start": "08:30", "end": "11:30",
                                      "place": "联络站一楼接待室"})
    year = session.today().year
    reception.generate_days(session, year=year, include_past=True)
    reception.draw_roster(session, year=year, include_past=True)


def make_demo(path: Path | str, *, replace: bool = False, today: date | None = None,
              seed: int = DEMO_SEED) -> Path:
    """Write the demo station to ``path`` and return the path.

    The same ``seed`` and ``today`` give the same station (record ids aside).
    An existing file is refused with DemoExists unless ``replace``; a replaced
    station database is first kept as a safety copy in its backup folder.  The demo
    is built in a temporary file and moved into place whole, so an interrupted run
    never leaves half a station behind."""
    path = Path(path)
    if station_exists(path) and not replace:
        raise DemoExists(path=str(path))
    today = max(today or date.today(), EARLIEST_TODAY)
    clock = _Clock(today)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.demo-tmp")
    try:
        session = create_station(temp, profile=PROFILE, actor="demo", clock=clock)
        try:
            _fill(session, random.Random(seed))
            accounts.make_demo_accounts(session, password=DEMO_PASSWORD)
        finally:
            session.close()
        files.finish_file(temp)
        if station_exists(path) and not replace:  # appeared meanwhile
            raise DemoExists(path=str(path))
        files.install_file(path, temp, paths.backup_dir(path), at=clock())
    finally:
        files.discard(temp)
    return path
