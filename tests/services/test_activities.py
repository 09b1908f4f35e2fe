"""Activities on a real station file: plan vs held, invitations, attendance,
leave, photos, the deputies' side and the warnings.  The session clock stands
at 2026-03-09 10:30."""
from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from station_desk.domain import activities as dom
from station_desk.domain.errors import ValidationError
from station_desk.services import activities as act, registry
from tests.conftest import deputy_data, mandate_data


def _deputy(session, name, phone, **mandate):
    return registry.create_deputy(session, data=deputy_data(name=name, phone=phone),
                                  mandates=[mandate_data(**mandate)]).created_id


@pytest.fixture
def people(session):
    return [_deputy(session, n, f"1384331{i:04d}") for i, n in enumerate(
        ["金明哲", "李春花", "朴成龙", "崔明玉", "王建国"])]


def _activity(session, *, starts="2026-03-05 09:00", ends="2026-03-05 11:30", **kw):
    data = {"kind": "learning", "title": "学习宣传贯彻党的二十大精神", "starts_at": starts,
            "ends_at": ends, "place": "联络站代表活动室", "organiser": "镇人大主席团", **kw}
    return act.create_activity(session, **data).created_id


def _png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _rows(session, table):
    return session.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# -- plan ------------------------------------------------------------------------------

def test_plan_vs_held_per_month(session, people):
    jan = act.add_plan_item(session, year=2026, month=1, kind="learning",
                            theme="学习宣传贯彻党的二十大精神").created_id
    feb = act.add_plan_item(session, year=2026, month=2, kind="inspection",
                            theme="视察农村人居环境整治").created_id
    feb2 = act.add_plan_item(session, year=2026, month=2, kind="supervision_court",
                             theme="旁听庭审").created_id
    apr = act.add_plan_item(session, year=2026, month=4, kind="report_back",
                            theme="向选民述职").created_id
    a1 = _activity(session, starts="2026-01-20 09:00", ends="2026-01-20 11:00", plan_item_id=jan)
    act.invite(session, activity_id=a1, deputy_ids=people[:2])
    inv = act.activity(session, a1)["invitees"]
    act.mark(session, activity_id=a1, marks={inv[0]["id"]: "present"})
    a2 = _activity(session, starts="2026-02-10 09:00", ends="2026-02-10 11:00", plan_item_id=feb)
    act.cancel_activity(session, activity_id=a2, reason="大雪封路")
    _activity(session, starts="2026-04-10 09:00", ends="2026-04-10 11:00", plan_item_id=apr)
    # held in March with no plan item: unplanned
    a4 = _activity(session, starts="2026-03-02 09:00", ends="2026-03-02 10:00")
    act.set_status_held(session, activity_id=a4)

    items = act.plan(session, year=2026)
    assert [i["month"] for i in items] == [1, 2, 2, 4]
    assert [i["id"] for i in items if i["month"] == 2] == [feb, feb2]
    assert [i["held"] for i in items] == [True, False, False, False]
    assert items[0]["activities"][0]["id"] == a1
    summary = {r["month"]: r for r in act.plan_summary(session, year=2026)}
    assert len(summary) == 12
    assert summary[1] == {"month": 1, "planned": 1, "held": 1, "scheduled": 0, "cancelled": 0,
                          "unplanned": 0}
    assert (summary[2]["planned"], summary[2]["held"], summary[2]["cancelled"]) == (2, 0, 1)
    assert (summary[3]["planned"], summary[3]["unplanned"]) == (0, 1)
    assert (summary[4]["planned"], summary[4]["scheduled"]) == (1, 1)
    assert act.years(session) == [2026]


def test_plan_item_with_a_live_activity_cannot_be_deleted(session):
    item = act.add_plan_item(session, year=2026, month=5, kind="service",
                             theme="代表联络站进站接待选民").created_id
    a = _activity(session, starts="2026-05-09 08:30", ends="2026-05-09 11:30", plan_item_id=item)
    with pytest.raises(dom.PlanItemInUse) as e:
        act.delete_plan_item(session, item_id=item)
    assert "学习宣传" in str(e.value)
    act.cancel_activity(session, activity_id=a, reason="与镇党委会议冲突")
    act.delete_plan_item(session, item_id=item)
    assert act.plan(session, year=2026) == []


def test_plan_item_validation(session):
    with pytest.raises(ValidationError) as e:
        act.add_plan_item(session, year=2026, month=13, kind="party", theme=" ")
    assert {x.field for x in e.value.errors} == {"month", "kind", "theme"}
    assert _rows(session, "activity_plan") == 0


# -- activities -------------------------------------------------------------------------

def test_activity_ending_before_it_starts_is_refused(session):
    for ends in ("2026-03-05 09:00", "2026-03-05 08:00"):
        with pytest.raises(ValidationError) as e:
            _activity(session, ends=ends)
        assert e.value.for_field("ends_at").msgid == dom.MSG_ENDS_BEFORE
    with pytest.raises(ValidationError) as e:
        act.create_activity(session, kind="dance", title="", starts_at="明天",
                            ends_at="2026-03-05 11:00")
    assert {x.field for x in e.value.errors} == {"kind", "title", "starts_at"}
    with pytest.raises(ValidationError) as e:
        _activity(session, plan_item_id="nope")
    assert e.value.errors[0].field == "plan_item_id"
    assert _rows(session, "activities") == 0


def test_create_read_update_and_list(session, people):
    a = _activity(session, starts="2026-03-05T09:00", theme="二十大精神", notice="请准时参加。\n带笔记本。")
    row = act.activity(session, a)
    assert (row["starts_at"], row["ends_at"], row["status"]) == (
        "2026-03-05T09:00", "2026-03-05T11:30", "scheduled")
    assert row["notice"] == "请准时参加。\n带笔记本。"
    assert row["invitees"] == [] and row["photos"] == []
    assert row["counts"] == {"expected": 0, "present": 0, "leave": 0, "absent": 0,
                             "unmarked": 0}
    act.update_activity(session, activity_id=a, kind="theory", title="普法讲座",
                        starts_at="2026-03-06 14:00", ends_at="2026-03-06 16:00",
                        place="镇政府三楼会议室")
    row = act.activity(session, a)
    assert (row["kind"], row["title"], row["starts_at"]) == ("theory", "普法讲座",
                                                              "2026-03-06T14:00")
    b = _activity(session, starts="2026-02-01 09:00", ends="2026-02-01 10:00", title="视察")
    act.invite(session, activity_id=a, deputy_ids=people[:3])
    listed = act.activities(session, year=2026)
    assert [x["id"] for x in listed] == [a, b]
    assert (listed[0]["invited"], listed[0]["unmarked"], listed[1]["invited"]) == (3, 3, 0)
    assert [x["id"] for x in act.activities(session, year=2026, month=2)] == [b]
    assert [x["id"] for x in act.activities(session, kind="theory")] == [a]
    assert [x["id"] for x in act.activities(session, search="会议室")] == [a]
    assert act.activities(session, search="100%") == []
    with pytest.raises(dom.ActivityNotFound):
        act.activity(session, "nope")


def test_cancelled_activity_cannot_be_changed(session, people):
    a = _activity(session)
    with pytest.raises(ValidationError):
        act.cancel_activity(session, activity_id=a, reason="  ")
    act.cancel_activity(session, activity_id=a, reason="上级临时通知开会")
    row = act.activity(session, a)
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "上级临时通知开会")
    with pytest.raises(dom.ActivityCancelled):
        act.update_activity(session, activity_id=a, kind="learning", title="x",
                            starts_at="2026-03-05 09:00", ends_at="2026-03-05 10:00")
    with pytest.raises(dom.ActivityCancelled):
        act.invite(session, activity_id=a, deputy_ids=people[:1])
    with pytest.raises(dom.ActivityCancelled):
        act.mark(session, activity_id=a, marks={})


# -- invitations --------------------------------------------------------------------------

def test_invite_in_order_with_outsiders_and_levels(session, people):
    county = registry.create_deputy(
        session, data=deputy_data(name="韩光日", phone="13900000001"),
        mandates=[mandate_data(), mandate_data(level="county")]).created_id
    a = _activity(session)
    act.invite(session, activity_id=a, deputy_ids=[people[2], county],
               outsiders=[{"name": "赵律师", "unit": "龙井市司法局", "post": "律师",
                           "phone": "13812345678"}])
    act.invite(session, activity_id=a, deputy_ids=[people[0]])
    inv = act.activity(session, a)["invitees"]
    assert [i["name"] for i in inv] == ["朴成龙", "韩光日", "赵律师", "金明哲"]
    assert inv[1]["levels"] == ["county", "township"]
    assert inv[2]["levels"] == [] and inv[2]["outsider"] and inv[2]["deputy_id"] is None
    assert (inv[2]["unit"], inv[2]["phone"]) == ("龙井市司法局", "13812345678")
    assert not inv[0]["outsider"] and inv[0]["unit"] == "智新镇明东村"
    act.move_invitee(session, invitee_id=inv[3]["id"], to_index=0)
    act.uninvite(session, invitee_id=inv[1]["id"])
    assert [i["name"] for i in act.activity(session, a)["invitees"]] == [
        "金明哲", "朴成龙", "赵律师"]


def test_invite_refusals_save_nothing(session, people):
    a = _activity(session)
    act.invite(session, activity_id=a, deputy_ids=[people[0]])
    before = _rows(session, "activity_invitees")
    with pytest.raises(dom.AlreadyInvited) as e:
        act.invite(session, activity_id=a, deputy_ids=[people[1], people[0]])
    assert "金明哲" in str(e.value)
    with pytest.raises(dom.InvitedTwice) as e:
        act.invite(session, activity_id=a, deputy_ids=[people[1], people[2], people[1]])
    assert "李春花" in str(e.value)
    with pytest.raises(dom.UnknownDeputy):
        act.invite(session, activity_id=a, deputy_ids=[people[1], "nobody"])
    registry.delete_deputy(session, deputy_id=people[3])
    with pytest.raises(dom.UnknownDeputy):
        act.invite(session, activity_id=a, deputy_ids=[people[3]])
    with pytest.raises(ValidationError) as e:
        act.invite(session, activity_id=a, deputy_ids=[people[1]],
                   outsiders=[{"name": "赵律师"}, {"name": " ", "unit": "司法局"}])
    assert e.value.errors[0].field == "outsiders[1].name"
    assert _rows(session, "activity_invitees") == before


# -- attendance ---------------------------------------------------------------------------

def test_mark_sets_held_and_counts(session, people):
    a = _activity(session)
    act.invite(session, activity_id=a, deputy_ids=people[:4])
    inv = [i["id"] for i in act.activity(session, a)["invitees"]]
    act.record_leave(session, invitee_id=inv[2], reason="住院", approved_by="崔英浩")
    ch = act.mark(session, activity_id=a, marks={inv[0]: "present"},
                  signed_at={inv[0]: "8:52"})
    assert ch.touches("activities")
    act.mark(session, activity_id=a, marks={inv[1]: "absent", inv[2]: "leave"})
    row = act.activity(session, a)
    assert row["status"] == "held"
    assert row["counts"] == {"expected": 4, "present": 1, "leave": 1, "absent": 1,
                             "unmarked": 1}
    first = row["invitees"][0]
    assert (first["attendance"], first["signed_at"]) == ("present", "08:52")
    assert (row["invitees"][2]["leave_reason"], row["invitees"][2]["leave_approved_by"]) == (
        "住院", "崔英浩")
    ch = act.mark(session, activity_id=a, marks={inv[3]: "present"})
    assert not ch.touches("activities")  # already held


def test_mark_refusals_save_nothing(session, people):
    a = _activity(session)
    other = _activity(session, title="旁听庭审")
    act.invite(session, activity_id=a, deputy_ids=people[:2])
    act.invite(session, activity_id=other, deputy_ids=people[2:3])
    inv = [i["id"] for i in act.activity(session, a)["invitees"]]
    stranger = act.activity(session, other)["invitees"][0]["id"]
    with pytest.raises(dom.NotInvited):
        act.mark(session, activity_id=a, marks={inv[0]: "present", stranger: "present"})
    with pytest.raises(dom.LeaveNeedsReason) as e:
        act.mark(session, activity_id=a, marks={inv[0]: "present", inv[1]: "leave"})
    assert "李春花" in str(e.value)
    with pytest.raises(ValidationError):
        act.mark(session, activity_id=a, marks={inv[0]: "late"})
    with pytest.raises(ValidationError):
        act.mark(session, activity_id=a, marks={inv[0]: "present"}, signed_at={inv[0]: "25:00"})
    row = act.activity(session, a)
    assert row["status"] == "scheduled"
    assert [i["attendance"] for i in row["invitees"]] == ["unmarked", "unmarked"]

    future = _activity(session, starts="2026-03-12 09:00", ends="2026-03-12 11:00")
    act.invite(session, activity_id=future, deputy_ids=people[:2])
    finv = [i["id"] for i in act.activity(session, future)["invitees"]]
    with pytest.raises(dom.NotStarted):
        act.mark(session, activity_id=future, marks={finv[0]: "present"})
    # leave may be asked before the activity, and marked as such
    act.record_leave(session, invitee_id=finv[1], reason="外出务工", approved_by="崔英浩")
    assert act.activity(session, future)["invitees"][1]["attendance"] == "leave"
    act.mark(session, activity_id=future, marks={finv[1]: "leave"})
    assert act.activity(session, future)["status"] == "scheduled"


def test_leave_without_reason_is_refused(session, people):
    a = _activity(session)
    act.invite(session, activity_id=a, deputy_ids=people[:1])
    inv = act.activity(session, a)["invitees"][0]["id"]
    with pytest.raises(ValidationError) as e:
        act.record_leave(session, invitee_id=inv, reason=" ", approved_by="崔英浩")
    assert e.value.errors[0].field == "reason"
    assert act.activity(session, a)["invitees"][0]["attendance"] == "unmarked"


# -- summary and photos -----------------------------------------------------------------------

def test_summary_and_photos(session):
    a = _activity(session)
    act.write_summary(session, activity_id=a, summary="  参加代表12人。\n会上学习了……  ")
    assert act.activity(session, a)["summary"] == "参加代表12人。\n会上学习了……"
    with pytest.raises(dom.BadPhoto):
        act.add_photo(session, activity_id=a, data=b"%PDF-1.4 not an image")
    with pytest.raises(dom.BadPhoto):
        act.add_photo(session, activity_id=a, data=b"")
    assert _rows(session, "activity_photos") == 0
    pid = act.add_photo(session, activity_id=a, data=_png(), caption="集中学习").created_id
    assert act.activity(session, a)["photos"] == [{"id": pid, "mime": "image/png",
                                                   "caption": "集中学习"}]
    mime, data = act.photo(session, pid)
    assert mime == "image/png" and Image.open(io.BytesIO(data)).size == (8, 8)
    act.remove_photo(session, photo_id=pid)
    assert act.activity(session, a)["photos"] == []
    with pytest.raises(dom.PhotoNotFound):
        act.photo(session, pid)


# -- the deputies' side and warnings ---------------------------------------------------------------

def _held(session, day, invited, marks, title=None):
    a = _activity(session, starts=f"{day} 09:00", ends=f"{day} 11:00", title=title or day)
    act.invite(session, activity_id=a, deputy_ids=invited)
    ids = {i["deputy_id"]: i["id"] for i in act.activity(session, a)["invitees"]}
    for d, m in marks.items():
        if m == "leave":
            act.record_leave(session, invitee_id=ids[d], reason="事假", approved_by="崔英浩")
        else:
            act.mark(session, activity_id=a, marks={ids[d]: m})
    return a


def test_deputy_activities(session, people):
    d = people[0]
    a1 = _held(session, "2026-01-10", people[:2], {d: "present"})
    a2 = _held(session, "2026-02-10", people[:2], {d: "leave"})
    _held(session, "2026-02-11", people[1:2], {})
    rows = act.deputy_activities(session, deputy_id=d)
    assert [(r["id"], r["attendance"]) for r in rows] == [(a1, "present"), (a2, "leave")]
    assert rows[1]["leave_reason"] == "事假"
    assert [r["id"] for r in act.deputy_activities(session, deputy_id=d,
                                                   since=date(2026, 2, 1))] == [a2]
    assert [r["id"] for r in act.deputy_activities(session, deputy_id=d,
                                                   until="2026-01-10")] == [a1]


def test_warnings_absent_twice_and_inactive(session, people):
    d0, d1, d2, d3, d4 = people
    # d0: absent twice in a row; d1: absent then leave (excused);
    # d2: absent, then present, then absent (not in a row); d3: present in 2025-Q4
    _held(session, "2025-11-05", people, {d0: "present", d1: "absent", d2: "absent",
                                          d3: "present"})
    _held(session, "2026-01-15", people, {d0: "absent", d1: "absent", d2: "present"})
    _held(session, "2026-02-20", people, {d0: "absent", d1: "leave", d2: "absent"})
    w = act.warnings(session)
    assert [x["deputy_id"] for x in w["absent_twice"]] == [d0]
    assert [x["title"] for x in w["absent_twice"][0]["activities"]] == [
        "2026-02-20", "2026-01-15"]
    assert w["absent_twice"][0]["name"] == "金明哲"
    assert {x["deputy_id"] for x in w["inactive"]} == {d1, d2, d4}
    assert {x["quarter"] for x in w["inactive"]} == {"2025-Q4"}
    # a deputy whose mandate ended is no longer listed
    mandate = registry.deputy(session, d0)["mandates"][0]["id"]
    registry.record_mandate_event(session, mandate_id=mandate, kind="terminated",
                                  on="2026-03-01", ground="moved_out",
                                  doc_no="智新镇人大主席团公告〔2026〕第1号")
    assert act.warnings(session)["absent_twice"] == []
    # a deputy elected in the quarter did not serve it whole
    late = _deputy(session, "安太浩", "13900000009", elected_on="2025-11-20")
    assert late not in {x["deputy_id"] for x in act.warnings(session)["inactive"]}
    assert late in {x["deputy_id"] for x in act.warnings(session, today=date(2026, 4, 2))[
        "inactive"]}


@pytest.mark.parametrize("chunk, lookups", [(64, 200), (1, 0), (2, 3), (3, 1), (5, 100)])
def test_absent_twice_read_in_chunks_agrees_with_the_whole_history(session, monkeypatch,
                                                                   chunk, lookups):
    """warnings() reads the newest activities in chunks, then the histories of the
    deputies still undecided; any split gives what the whole history gives."""
    import random

    rng = random.Random(7)
    people = [_deputy(session, f"代表{i:02d}", f"1384332{i:04d}") for i in range(10)]
    for n in range(9):
        day = f"2026-0{1 + n % 2}-{10 + n // 2:02d}" if n != 8 else "2026-01-10"  # a tie
        invited = rng.sample(people, rng.randint(3, 8))
        _held(session, day, invited, {d: rng.choice(["present", "absent", "absent", "leave"])
                                      for d in invited}, title=f"活动{n}")
    everything = [{**r, "deputy_id": d, "activity_id": r["id"]} for d in people
                  for r in act.deputy_activities(session, deputy_id=d)
                  if r["status"] == "held" and r["attendance"] != "unmarked"]
    expected = set(dom.absent_twice(everything))
    monkeypatch.setattr(act, "_CHUNK", chunk)
    monkeypatch.setattr(act, "_LOOKUPS", lookups)
    got = act.warnings(session)["absent_twice"]
    assert {x["deputy_id"] for x in got} == expected
    assert expected  # the data has someone to list
    for x in got:
        mine = dom.newest_first([r for r in everything if r["deputy_id"] == x["deputy_id"]])
        assert [a["id"] for a in x["activities"]] == [r["activity_id"] for r in mine[:2]]


def test_one_signing_time_for_every_mark_and_empty_calls(session, people):
    a = _activity(session)
    act.invite(session, activity_id=a, deputy_ids=people[:3])
    inv = [i["id"] for i in act.activity(session, a)["invitees"]]
    assert act.mark(session, activity_id=a, marks={}) == act.Changes()
    assert act.activity(session, a)["status"] == "scheduled"
    act.mark(session, activity_id=a, marks={inv[0]: "present", inv[1]: "absent"},
             signed_at="8:55")
    rows = act.activity(session, a)["invitees"]
    assert [(r["attendance"], r["signed_at"]) for r in rows] == [
        ("present", "08:55"), ("absent", ""), ("unmarked", "")]
    # a present row keeps its time when marked again without one; others lose it
    act.mark(session, activity_id=a, marks={inv[0]: "present"})
    assert act.activity(session, a)["invitees"][0]["signed_at"] == "08:55"
    act.mark(session, activity_id=a, marks={inv[0]: "unmarked"})
    assert act.activity(session, a)["invitees"][0]["signed_at"] == ""
    # a person already on leave may be marked back as such (the reason stays)
    act.record_leave(session, invitee_id=inv[2], reason="外出", approved_by="")
    act.mark(session, activity_id=a, marks={inv[2]: "unmarked"})
    act.mark(session, activity_id=a, marks={inv[2]: "leave"})
    assert act.activity(session, a)["invitees"][2]["leave_reason"] == "外出"


def test_held_without_marks_and_its_limits(session, people):
    future = _activity(session, starts="2026-03-12 09:00", ends="2026-03-12 11:00")
    with pytest.raises(dom.NotStarted):
        act.set_status_held(session, activity_id=future)
    a = _activity(session)
    act.set_status_held(session, activity_id=a)
    assert act.activity(session, a)["status"] == "held"
    with pytest.raises(dom.ActivityAlreadyHeld):
        act.cancel_activity(session, activity_id=a, reason="写错了")
    with pytest.raises(ValidationError) as e:
        act.update_activity(session, activity_id=a, kind="learning", title="学习",
                            starts_at="2026-03-20 09:00", ends_at="2026-03-20 10:00")
    assert e.value.errors[0].field == "starts_at"
    assert act.activity(session, a)["starts_at"] == "2026-03-05T09:00"


def test_plan_item_update_moves_it_to_the_end_of_its_new_month(session):
    a = act.add_plan_item(session, year=2026, month=6, kind="theory", theme="普法").created_id
    b = act.add_plan_item(session, year=2026, month=7, kind="service", theme="走访").created_id
    act.update_plan_item(session, item_id=a, month=7, kind="theory", theme="宪法宣传",
                         notes="朝汉双语")
    items = act.plan(session, year=2026)
    assert [(i["id"], i["month"]) for i in items] == [(b, 7), (a, 7)]
    assert (items[1]["theme"], items[1]["notes"]) == ("宪法宣传", "朝汉双语")
    with pytest.raises(dom.PlanItemNotFound):
        act.update_plan_item(session, item_id="nope", month=1, kind="theory", theme="x",
                             notes="")


def test_sheet_changes_on_a_cancelled_activity_are_refused(session, people):
    a = _activity(session)
    act.invite(session, activity_id=a, deputy_ids=people[:2])
    inv = [i["id"] for i in act.activity(session, a)["invitees"]]
    act.cancel_activity(session, activity_id=a, reason="暴雪")
    for call in (lambda: act.uninvite(session, invitee_id=inv[0]),
                 lambda: act.move_invitee(session, invitee_id=inv[1], to_index=0),
                 lambda: act.record_leave(session, invitee_id=inv[0], reason="病假"),
                 lambda: act.write_summary(session, activity_id=a, summary="x"),
                 lambda: act.add_photo(session, activity_id=a, data=_png())):
        with pytest.raises(dom.ActivityCancelled):
            call()
    assert [i["id"] for i in act.activity(session, a)["invitees"]] == inv
    with pytest.raises(dom.InviteeNotFound):
        act.uninvite(session, invitee_id="nope")


def test_every_change_is_audited(session, people):
    a = _activity(session)
    act.invite(session, activity_id=a, deputy_ids=people[:1])
    inv = act.activity(session, a)["invitees"][0]["id"]
    act.mark(session, activity_id=a, marks={inv: "present"})
    rows = session.db.execute("SELECT action, actor FROM audit WHERE object_type = 'activity' "
                              "AND object_id = ? ORDER BY seq", [a]).fetchall()
    assert [r[0] for r in rows] == ["create", "invite", "mark"]
    assert {r[1] for r in rows} == {"tester"}
