"""A county-scale registry for the benchmarks: 10,000 deputies, ~13,000 mandates.

The services open one transaction per call, which is right for a clerk and far
too slow for ten thousand rows, so this generator writes through the storage
functions inside a single ``db.atomic()``: the rows are the same ones the
services would write (validated by the domain rules, one 'elected' event per
mandate, exit events with ground and document number, an audit row per
person).  The file is cached in the temp folder under a name that carries
the generator and schema versions, so only the first run pays for it.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

# Bump when the generated data changes shape: a new cache file is made.
GENERATOR_VERSION = 2
DEPUTIES = 10_000
SEED = 20260309
ROSTER_GROUP = "龙井市第一代表小组"  # exactly ROSTER_GROUP_SIZE members (the PDF benchmark)
ROSTER_GROUP_SIZE = 60

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 9, 10, 30, tzinfo=CST)

# Korean surnames and given-name syllables with their Yanbian readings (initial ㄹ kept).
KO_SURNAMES = [("金", "김"), ("李", "리"), ("朴", "박"), ("崔", "최"), ("郑", "정"),
               ("姜", "강"), ("赵", "조"), ("尹", "윤"), ("张", "장"), ("林", "림"),
               ("韩", "한"), ("吴", "오"), ("申", "신"), ("权", "권"), ("黄", "황"),
               ("安", "안"), ("宋", "송"), ("全", "전"), ("洪", "홍"), ("柳", "류"),
               ("高", "고"), ("文", "문"), ("孙", "손"), ("梁", "량"), ("白", "백"),
               ("许", "허"), ("南", "남"), ("沈", "심"), ("卢", "로"), ("玄", "현")]
KO_GIVEN = [("明", "명"), ("哲", "철"), ("英", "영"), ("淑", "숙"), ("春", "춘"),
            ("花", "화"), ("光", "광"), ("日", "일"), ("成", "성"), ("浩", "호"),
            ("永", "영"), ("洙", "수"), ("顺", "순"), ("玉", "옥"), ("美", "미"),
            ("善", "선"), ("东", "동"), ("秀", "수"), ("贤", "현"), ("政", "정"),
            ("泰", "태"), ("镇", "진"), ("国", "국"), ("勇", "용"), ("俊", "준"),
            ("熙", "희"), ("龙", "룡"), ("兰", "란"), ("虎", "호"), ("珠", "주"),
            ("铁", "철"), ("范", "범"), ("京", "경"), ("爱", "애"), ("锡", "석")]
HAN_SURNAMES = "王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
HAN_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉春海波宇辉鹏飞晶喆堃昇珺玥赟"
TOWNS = ["智新镇", "老头沟镇", "三合镇", "东盛涌镇", "白金乡", "德新乡", "开山屯镇", "朝阳川镇",
         "八道镇", "铜佛寺镇", "依兰镇", "长安镇"]
VILLAGE_STEMS = "明东 长财 龙山 仁化 东明 新华 光新 太阳 石井 平岗 南坪 柳洞 大成 富裕 和平 青山 " \
                "金谷 松林 水南 三道 勇新 新兴 民主 红星 东光 合成 胜利 丰产 长兴 德兴".split()
# unit (after the town, village or community name) -> posts held there
TOWN_UNITS = {"人民政府": ["副{head}长", "人大主席团专职副主席", "科员"], "中心小学": ["校长", "教师"],
              "卫生院": ["院长", "医生", "护士长"], "派出所": ["所长", "民警"],
              "农村信用社": ["主任", "会计"], "供销社": ["主任", "营业员"]}
VILLAGE_UNITS = {"村民委员会": ["主任", "委员", "妇女主任"], "村党支部": ["书记", "副书记"],
                 "农民专业合作社": ["理事长", "社员"], "养牛场": ["场长", "技术员"],
                 "大米加工厂": ["厂长", "工人"], "民俗旅游点": ["经理", "个体工商户"]}
COMMUNITY_UNITS = {"社区居民委员会": ["主任", "委员"], "社区党委": ["书记", "副书记"],
                   "社区卫生服务站": ["站长", "医生"], "超市": ["经理", "个体工商户"]}
# level -> (term, elected on, constituency pattern)
TERMS = {"township": (18, date(2021, 11, 20), "第{n}选区"),
         "county": (18, date(2021, 12, 10), "第{n}选区"),
         "prefecture": (16, date(2022, 1, 8), "龙井市第{n}选举单位"),
         "provincial": (14, date(2023, 1, 12), "延边州选举单位"),
         "national": (14, date(2023, 1, 15), "吉林省选举单位")}
LEVEL_WEIGHTS = {"township": 60, "county": 28, "prefecture": 9, "provincial": 2.5, "national": 0.5}
SUSPENSION_GROUNDS = ("detained", "serving_sentence")
TERMINATION_GROUNDS = ("moved_out", "resigned", "passive_resignation", "absent_twice",
                       "recalled", "deprived_of_rights", "lost_capacity", "death")


def cache_dir() -> Path:
    """Where generated registries are kept between runs."""
    override = os.environ.get("STATION_DESK_BENCH_CACHE")
    return Path(override) if override else Path(tempfile.gettempdir()) / "station_desk-bench"


def cached_file(stem: str, make, *, what: str, log=print) -> Path:
    """A generated database kept in cache_dir() between runs: ``make(path)``
    writes it on the first call.  The name carries the schema's text, not only
    its version: a migration edited before it is committed must not reuse a
    file made by its earlier wording."""
    from station_desk.storage.migrations import MIGRATIONS, SCHEMA_VERSION

    schema = hashlib.sha256("".join(step() for step in MIGRATIONS).encode()).hexdigest()[:8]
    path = cache_dir() / f"{stem}-s{SCHEMA_VERSION}-{schema}.sqlite3"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    log(f"generating {what} (cached afterwards) ...")
    make(tmp)
    os.replace(tmp, path)
    log(f"  done in {time.perf_counter() - started:.1f} s: {path}")
    return path


def cached_registry(*, deputies: int = DEPUTIES, log=print) -> Path:
    """The generated registry file (made on the first call, then reused)."""
    return cached_file(f"registry-{deputies}-g{GENERATOR_VERSION}",
                       lambda tmp: generate(tmp, deputies=deputies),
                       what=f"a registry of {deputies:,} deputies", log=log)


def working_copy(source: Path, folder: Path) -> Path:
    """A copy of the cached registry the benchmarks may open (and lock) freely."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def generate(path: Path, *, deputies: int = DEPUTIES, seed: int = SEED) -> None:
    """Write a station database with ``deputies`` people to ``path``."""
    from station_desk.domain.deputies import validate_deputy, validate_mandate
    from station_desk.services.session import create_station
    from station_desk.storage import deputies as store

    rng = random.Random(seed)
    session = create_station(path, clock=lambda: NOW, actor="generator", profile={
        "name_zh": "龙井市人大常委会代表工作室", "name_ko": "룡정시인대상무위원회 대표사업실",
        "code": "222405-00", "county": "龙井市"})
    db, origin, today = session.db, session.station_code, NOW.date()
    stamp = session.now_iso()
    try:
        with db.atomic():
            villages = [f"{town}{stem}{'社区' if i % 7 == 0 else '村'}"
                        for town in TOWNS for i, stem in enumerate(rng.sample(VILLAGE_STEMS, 22))]
            groups = [store.insert_group(db, origin=origin, name_zh=ROSTER_GROUP,
                                         name_ko="룡정시 제1대표소조", sort=0)]
            for n in range(2, 61):
                town = TOWNS[n % len(TOWNS)]
                groups.append(store.insert_group(db, origin=origin,
                                                 name_zh=f"{town}第{n}代表小组",
                                                 name_ko=f"제{n}대표소조", sort=n - 1))
            phones: set[str] = set()
            for i in range(deputies):
                data = _person(rng, villages, phones)
                data["group_id"] = groups[0] if i < ROSTER_GROUP_SIZE else rng.choice(groups[1:])
                fields = validate_deputy(data, today=today)
                deputy_id = store.insert(db, origin=origin, fields=fields, created_at=stamp)
                birth = date.fromisoformat(fields["birth_date"])
                for level in _levels(rng):
                    term, elected, pattern = TERMS[level]
                    m = validate_mandate({"level": level, "term": term, "elected_on": elected,
                                          "constituency": pattern.format(n=rng.randint(1, 40))},
                                         today=today, birth_date=birth)
                    mandate_id = store.insert_mandate(db, origin=origin, deputy_id=deputy_id,
                                                      fields=m)
                    _event(store, db, origin, mandate_id, "elected", elected, None,
                           m["constituency"], "", stamp)
                    _exit(rng, store, db, origin, mandate_id, elected, stamp)
                session.audit("create", "deputy", deputy_id, after=fields)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("ANALYZE")
    finally:
        session.close()


def _person(rng: random.Random, villages: list[str], phones: set[str]) -> dict:
    korean = rng.random() < 0.42
    if korean:
        sur, sur_ko = rng.choice(KO_SURNAMES)
        given = [rng.choice(KO_GIVEN) for _ in range(1 if rng.random() < 0.08 else 2)]
        name = sur + "".join(g[0] for g in given)
        name_ko = sur_ko + "".join(g[1] for g in given)
    else:
        name = rng.choice(HAN_SURNAMES) + "".join(
            rng.choice(HAN_GIVEN) for _ in range(1 if rng.random() < 0.35 else 2))
        name_ko = ""
    while True:
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        if phone not in phones:
            phones.add(phone)
            break
    village = rng.choice(villages)
    town = next(t for t in TOWNS if village.startswith(t))
    place, units = ((town, TOWN_UNITS) if rng.random() < 0.3 else
                    (village, COMMUNITY_UNITS if village.endswith("社区") else VILLAGE_UNITS))
    unit = rng.choice(list(units))
    post = rng.choice(units[unit]).format(head=town[-1])
    birth = date(1955, 1, 1) + timedelta(days=rng.randrange(365 * 40))
    return {"name": name, "name_ko": name_ko, "sex": "F" if rng.random() < 0.3 else "M",
            "ethnicity": "10" if korean else rng.choice(["01"] * 12 + ["11", "03"]),
            "birth_date": birth.isoformat(),
            "party": rng.choice(["01"] * 7 + ["13", "13", "12", "05", "03"]),
            "unit": place + unit, "post": post,
            "phone": phone, "village": village}


def _levels(rng: random.Random) -> list[str]:
    r = rng.random()
    count = 1 if r < 0.73 else 2 if r < 0.96 else 3
    names, weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
    chosen: list[str] = []
    while len(chosen) < count:
        level = rng.choices(names, weights)[0]
        if level not in chosen:
            chosen.append(level)
    return chosen


def _event(store, db, origin, mandate_id, kind, on, ground, detail, doc_no, stamp) -> None:
    store.insert_event(db, origin=origin, mandate_id=mandate_id, fields={
        "kind": kind, "on_date": on.isoformat(), "ground": ground, "detail": detail,
        "doc_no": doc_no, "recorded_at": stamp, "recorded_by": "generator"})


def _exit(rng, store, db, origin, mandate_id, elected: date, stamp: str) -> None:
    """About 1 % of mandates suspended (some restored), 2 % terminated."""
    r = rng.random()
    if r >= 0.035:
        return
    latest = NOW.date() - timedelta(days=10)
    on = min(elected + timedelta(days=rng.randrange(200, 1400)), latest - timedelta(days=60))
    if r < 0.012:
        ground = rng.choice(SUSPENSION_GROUNDS)
        _event(store, db, origin, mandate_id, "suspended", on, ground, "", "", stamp)
        if r < 0.004:
            back = min(on + timedelta(days=rng.randrange(30, 200)), latest)
            _event(store, db, origin, mandate_id, "restored", back, None, "", "", stamp)
            store.update_mandate(db, mandate_id, {"status": "active",
                                                  "status_since": back.isoformat()})
        else:
            store.update_mandate(db, mandate_id, {"status": "suspended",
                                                  "status_since": on.isoformat()})
        return
    ground = rng.choice(TERMINATION_GROUNDS)
    doc_no = f"龙人常〔{on.year}〕{rng.randint(1, 60)}号"
    _event(store, db, origin, mandate_id, "terminated", on, ground, "", doc_no, stamp)
    store.update_mandate(db, mandate_id, {"status": "terminated", "status_since": on.isoformat(),
                                          "ended_on": on.isoformat(), "end_ground": ground})
