"""The demo station: what it holds, that it is valid, and that it is repeatable."""
from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from datetime import date

import pytest
from PIL import Image

from station_desk import cli, paths
from station_desk.domain.backups import BackupKind
from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.errors import DemoExists
from station_desk.services import backup, demo, registry, station
from station_desk.services.session import open_session

TODAY = date(2026, 3, 9)
HANGUL = re.compile(r"^[\uac00-\ud7a3]{2,4}$")
# Yanbian spelling keeps the initial ㄹ of these surnames
INITIAL_RIEUL = {"李": "리", "柳": "류", "林": "림", "卢": "로"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo-station.sqlite3"
    demo.make_demo(path, today=TODAY)
    return path


@pytest.fixture
def s(demo_db):
    session = open_session(demo_db)
    yield session
    session.close()


def test_profile_and_staff(s):
    p = station.profile(s)
    assert p["name_zh"] == "龙井市智新镇人大代表联络站"
    assert p["name_ko"] == "룡정시 지신진 인대대표련락소"
    assert (p["code"], p["county"]) == ("222405-01", "龙井市")
    assert p["address"] and p["opening_hours"] and p["phone"].startswith("0433-")
    roles = Counter(x["role"] for x in station.staff(s))
    assert roles == {"head": 1, "deputy_head": 1, "worker": 2}


def test_deputies_groups_villages_and_levels(s):
    rows = registry.roster(s)
    assert len(rows) == len(demo.DEPUTIES) == 32
    groups = registry.groups(s)
    assert len(groups) == 5 and all(g["name_ko"] for g in groups)
    assert Counter(r["group_id"] for r in rows).keys() == {g["id"] for g in groups}
    assert set(registry.villages(s)) == {"智新村", "明东村", "长财村", "大成村"}
    assert {r["sex"] for r in rows} == {"M", "F"}
    assert Counter(r["ethnicity"] for r in rows).most_common(1)[0][0] == "10"
    assert "01" in {r["ethnicity"] for r in rows}
    levels = Counter(m["level"] for r in rows for m in r["mandates"])
    assert levels["township"] > levels["county"] > levels["prefecture"] > levels["provincial"] == 1
    assert registry.count(s, DeputyFilter(level="provincial")) == 1
    assert all(r["phone"] and r["birth_date"] and r["unit"] and r["post"] for r in rows)
    assert len({r["phone"] for r in rows}) == len(rows)


def test_korean_names_have_hangul_readings_in_yanbian_spelling(s):
    rows = registry.roster(s)
    for r in rows:
        if r["ethnicity"] == "10":
            assert HANGUL.match(r["name_ko"]), r["name"]
            assert len(r["name_ko"]) == len(r["name"]), r["name"]
        else:
            assert r["name_ko"] == ""
        if r["name"][0] in INITIAL_RIEUL and r["name_ko"]:
            assert r["name_ko"].startswith(INITIAL_RIEUL[r["name"][0]]), r["name"]
    surnames = {r["name"][0] for r in rows if r["ethnicity"] == "10"}
    assert {"金", "李", "朴", "崔", "郑", "姜", "尹", "林", "柳", "卢"} <= surnames
    # the Korean reading finds the person
    assert registry.count(s, DeputyFilter(query="리춘화")) == 1


def test_statuses_and_exits(s):
    assert registry.count(s, DeputyFilter(status="suspended")) == 1
    assert registry.count(s, DeputyFilter(status="former")) == 2
    ends = {}
    for r in registry.roster(s):
        for m in r["mandates"]:
            if m["status"] == "terminated":
                ends[r["name"]] = m["end_ground"]
            if m["status"] == "suspended":
                suspended = r["id"]
    assert sorted(ends.values()) == ["moved_out", "resigned"]
    history = registry.history(s, suspended)
    suspension = [h for h in history if h["kind"] == "suspended"]
    assert suspension and suspension[0]["ground"] == "detained"
    moved = next(n for n, g in ends.items() if g == "moved_out")
    moved_id = registry.page(s, DeputyFilter(query=moved), offset=0, limit=1)[0]["id"]
    terminated = [h for h in registry.history(s, moved_id) if h["kind"] == "terminated"]
    assert terminated[0]["doc_no"]  # a document number, as the law requires
    # a suspension that was lifted again, and later edits, show in histories
    kinds = Counter(h["kind"] for r in registry.roster(s) for h in registry.history(s, r["id"]))
    assert kinds["restored"] == 1 and kinds["update"] >= 2
    assert kinds["elected"] == sum(len(r["mandates"]) for r in registry.roster(s))


def test_photos_are_valid_jpegs(s):
    rows = registry.roster(s)
    photos = [registry.photo(s, r["id"]) for r in rows]
    present = [p for p in photos if p]
    assert len(rows) - len(present) == len(demo.WITHOUT_PHOTO)
    for data in present:
        img = Image.open(io.BytesIO(data))
        img.verify()
        img = Image.open(io.BytesIO(data))
        assert img.format == "JPEG" and img.size == (300, 400)
        assert 8_000 < len(data) < 40_000
    assert len({hashlib.sha256(p).hexdigest() for p in present}) == len(present)
    backgrounds = {Image.open(io.BytesIO(p)).getpixel((5, 5)) for p in present}
    assert len(backgrounds) > 4  # varied colours


def _content(path) -> list:
    """Everything a person sees in the demo, without the random record ids."""
    session = open_session(path)
    try:
        out = [station.profile(session)["name_zh"],
               [(x["name"], x["phone"]) for x in station.staff(session)]]
        for r in registry.roster(session):
            photo = registry.photo(session, r["id"])
            out.append((r["name"], r["name_ko"], r["phone"], r["post"], r["group_name"],
                        r["status"], hashlib.sha256(photo).hexdigest() if photo else None,
                        [(m["level"], m["term"], m["status"], m["end_ground"])
                         for m in r["mandates"]]))
        return out
    finally:
        session.close()


def test_same_seed_same_station_other_seed_other_details(demo_db, tmp_path):
    again = demo.make_demo(tmp_path / "again.sqlite3", today=TODAY)
    other = demo.make_demo(tmp_path / "other.sqlite3", today=TODAY, seed=7)
    assert _content(again) == _content(demo_db)
    a, b = _content(demo_db), _content(other)
    assert [x[:2] for x in a[2:]] == [x[:2] for x in b[2:]]  # same people
    assert [x[2] for x in a[2:]] != [x[2] for x in b[2:]]    # other phones and photos


def test_an_existing_file_is_refused_unless_replace(demo_db, tmp_path):
    path = tmp_path / "mine.sqlite3"
    demo.make_demo(path, today=TODAY)
    s = open_session(path)
    registry.create_group(s, name_zh="clerk's own group")
    s.close()
    before = path.read_bytes()
    with pytest.raises(DemoExists) as e:
        demo.make_demo(path, today=TODAY)
    assert str(path) in str(e.value) and "--force" in str(e.value)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    demo.make_demo(path, today=TODAY, replace=True)
    s = open_session(path)
    try:
        assert "clerk's own group" not in [g["name_zh"] for g in registry.groups(s)]
    finally:
        s.close()
    kept = [b for b in backup.list_backups(path) if b.kind is BackupKind.SAFETY]
    assert len(kept) == 1 and kept[0].path.parent == paths.backup_dir(path)
    old = open_session(kept[0].path)
    try:
        assert "clerk's own group" in [g["name_zh"] for g in registry.groups(old)]
    finally:
        old.close()


def test_cli_demo_command(tmp_path, capsys):
    path = tmp_path / "cli-demo.sqlite3"
    assert cli.main(["demo", "--db", str(path)]) == 0
    assert path.is_file() and str(path) in capsys.readouterr().out
    assert cli.main(["demo", "--db", str(path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert cli.main(["demo", "--db", str(path), "--force"]) == 0


def test_a_wrong_clock_still_gives_the_whole_demo(tmp_path):
    """A station PC whose battery died thinks it is 2009: the demo is still complete."""
    path = demo.make_demo(tmp_path / "old-clock.sqlite3", today=date(2009, 1, 1))
    s = open_session(path)
    try:
        assert registry.count(s, DeputyFilter()) == 32
        assert registry.count(s, DeputyFilter(status="former")) == 2
    finally:
        s.close()


def test_practical_matters_at_every_later_stage(s):
    from station_desk.services import practical

    found = {m["title"]: m for m in practical.matters(s)}
    assert len(found) == 3
    assert {m["stage"] for m in found.values()} == {"study", "discussion", "done"}
    done = practical.matter(s, found["明东村道路路灯安装"]["id"])["view"]
    assert done.percent == 100 and len(done.milestones) == 3 and len(done.leads) == 2


def test_nothing_in_the_demo_is_dated_after_its_today(s):
    """The demo's clock ticks at every call; thousands of calls must still end
    on ``today``, or the clerk would see records from tomorrow."""
    newest = s.db.execute("SELECT max(at) FROM audit").fetchone()[0]
    assert newest[:10] == TODAY.isoformat()
