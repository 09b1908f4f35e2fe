"""Cases on real station files: the whole workflow, search, overdue, nothing half-saved."""
from __future__ import annotations

from datetime import date

import pytest

from station_desk.domain.cases import CaseFilter, ReturnTooLate
from station_desk.domain.errors import InvalidTransition, NotFound, ValidationError
from station_desk.services import cases, registry
from station_desk.storage import audit
from tests.conftest import deputy_data, mandate_data

VOTER = {"name": "朴英子", "village": "明东村", "phone": "13843312345",
         "id_number": "11010519491231002X", "language": "ko", "consent": True}


def _register(session, *, words="村里的路灯坏了三个月，晚上出门很危险", on="2026-02-24",
              voter=None, **case):
    data = {"on": on, "channel": "reception_day", "category": "help", "words": words,
            "place": "联络站接待室", **case}
    return cases.register(session, voter={**VOTER, **(voter or {})}, case=data).created_id


def _count(session, table):
    return session.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _forwarded(session, **kw):
    cid = _register(session, **kw)
    cases.sort_case(session, case_id=cid, on="2026-02-24")
    cases.forward_case(session, case_id=cid, route="township", unit="镇城建办", on="2026-02-25")
    return cid


def test_register_to_archive_with_the_archive_number(session):
    did = registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()]).created_id
    changes = cases.register(session, voter=VOTER, case={
        "on": "2026-02-24", "channel": "reception_day", "category": "help",
        "words": "村里的路灯坏了三个月", "duty_deputies": [did], "people": 3})
    cid = changes.created_id
    assert changes.touches("cases") and cid
    c = cases.case(session, cid)
    assert c["row"]["number"] == "2026-0001" and c["view"].state.value == "registered"
    assert [d["deputy_id"] for d in c["deputies"]] == [did]
    assert c["voter"]["phone"] == "138****2345"
    assert c["voter"]["id_number"] == "**************002X"

    cases.sort_case(session, case_id=cid, category="complaint", complex=True, on="2026-02-24",
                    proposal="转镇城建办")
    cases.forward_case(session, case_id=cid, route="township", unit="镇城建办", on="2026-02-25")
    c = cases.case(session, cid)
    # 10 working days from Wed 25 Feb; Sat 28 Feb is a swapped working day in 2026
    assert c["view"].due_on == date(2026, 3, 10) and c["row"]["due_on"] == "2026-03-10"
    assert c["row"]["open_due_on"] == "2026-03-10" and not c["overdue"]
    cases.chase_case(session, case_id=cid, note="电话催办", on="2026-03-02")
    cases.record_progress(session, case_id=cid, note="已派人查看", on="2026-03-03")
    cases.handle_case(session, case_id=cid, outcome="A", result="路灯已修好", on="2026-03-04")
    cases.reply_case(session, case_id=cid, voter_mode="face_to_face", deputy_mode="phone",
                     satisfaction="satisfied", voter_on="2026-03-05", deputy_on="2026-03-05")
    cases.archive_case(session, case_id=cid)
    c = cases.case(session, cid)
    assert c["view"].state.value == "archived" and c["row"]["archive_no"] == "2026-0001"
    assert c["row"]["open_due_on"] is None and c["next_actions"] == []
    assert [t["kind"] for t in c["timeline"]] == [
        "register", "sort", "forward", "chase", "progress", "handle", "reply", "archive"]
    assert all(t["actor"] == "tester" for t in c["timeline"])
    # the next archived case takes the next number of the year
    other = _forwarded(session)
    cases.handle_case(session, case_id=other, outcome="D", on="2026-03-04")
    cases.reply_case(session, case_id=other, voter_mode="phone", deputy_mode="phone",
                     satisfaction="basically")
    cases.archive_case(session, case_id=other)
    assert cases.case(session, other)["row"]["archive_no"] == "2026-0002"
    # locked: nothing more, not even an undo
    with pytest.raises(InvalidTransition):
        cases.undo_step(session, case_id=cid, reason="想改")
    kinds = [a["action"] for a in audit.for_object(session.db, "case", cid)]
    assert kinds[0] == "register" and kinds[-1] == "archive"


def test_reopen_after_unsatisfied_and_forward_again(session):
    cid = _forwarded(session)
    cases.handle_case(session, case_id=cid, outcome="B", on="2026-03-02")
    cases.reply_case(session, case_id=cid, voter_mode="phone", deputy_mode="phone",
                     satisfaction="basically")
    with pytest.raises(InvalidTransition):
        cases.reopen_case(session, case_id=cid, reason="再看看")
    cases.undo_step(session, case_id=cid, reason="满意度记错了")
    cases.reply_case(session, case_id=cid, voter_mode="phone", deputy_mode="phone",
                     satisfaction="unsatisfied", comment="回复了但没有解决我的问题")
    cases.reopen_case(session, case_id=cid, reason="选民不满意")
    c = cases.case(session, cid)
    assert c["view"].state.value == "sorted" and c["row"]["reopened"] == 1
    assert c["row"]["satisfaction"] is None and c["row"]["due_on"] is None
    assert [r["satisfaction"] for r in c["view"].replies] == ["unsatisfied"]
    cases.forward_case(session, case_id=cid, route="county", unit="龙井市住建局")
    c = cases.case(session, cid)
    assert c["row"]["responsible_unit"] == "龙井市住建局"
    assert c["row"]["due_on"] == "2026-03-16"  # 5 working days from Mon 9 March


def test_undo_is_an_event_and_keeps_the_timeline(session):
    cid = _forwarded(session)
    cases.undo_step(session, case_id=cid, reason="转错了单位")
    c = cases.case(session, cid)
    assert c["view"].state.value == "sorted" and c["row"]["responsible_unit"] == ""
    assert c["row"]["open_due_on"] is None
    assert [(t["kind"], t["undone"]) for t in c["timeline"]] == [
        ("register", False), ("sort", False), ("forward", True), ("undo", False)]
    assert c["timeline"][-1]["data"]["reason"] == "转错了单位"
    with pytest.raises(ValidationError):
        cases.undo_step(session, case_id=cid, reason="")


def test_out_of_scope_is_closed_with_the_redirect(session):
    cid = _register(session, words="和邻居因为宅基地吵架，法院已经立案")
    cases.close_out_of_scope(session, case_id=cid, reason="litigation",
                             explanation="案件已在法院审理，联络站不能干预",
                             redirect="龙井市人民法院诉讼服务中心")
    c = cases.case(session, cid)
    assert c["row"]["state"] == "closed" and c["row"]["closed_reason"] == "out_of_scope"
    assert c["view"].redirect == "龙井市人民法院诉讼服务中心"
    assert c["view"].out_of_scope == "litigation"
    cases.archive_case(session, case_id=cid)
    assert cases.case(session, cid)["row"]["archive_no"] == "2026-0001"


def test_duplicate_is_linked_to_its_original(session):
    first = _register(session)
    second = _register(session, words="路灯坏了")
    third = _register(session, words="还是路灯的事")
    cases.mark_duplicate(session, case_id=second, duplicate_of="2026-0001")
    cases.mark_duplicate(session, case_id=third, duplicate_of=second)  # follows to the first
    for dup in (second, third):
        row = cases.case(session, dup)["row"]
        assert row["state"] == "closed" and row["duplicate_of"] == first
    assert [d["id"] for d in cases.case(session, first)["duplicates"]] == [second, third]
    with pytest.raises(ValidationError) as e:
        cases.mark_duplicate(session, case_id=first, duplicate_of="2026-9999")
    assert e.value.for_field("duplicate_of")
    with pytest.raises(ValidationError):
        cases.mark_duplicate(session, case_id=first, duplicate_of=first)
    assert cases.count(session, CaseFilter(state="closed")) == 2


def test_overdue_with_the_fixed_clock(session):
    late = _forwarded(session)  # due Tue 3 March; today is 9 March
    _forwarded(session, confidential=True)
    on_time = _register(session, on="2026-03-06")
    cases.sort_case(session, case_id=on_time)
    cases.forward_case(session, case_id=on_time, route="village", unit="明东村村委会")
    assert cases.case(session, late)["view"].due_on == date(2026, 3, 3)
    assert cases.case(session, late)["overdue"]
    assert cases.overdue_count(session) == 2
    assert cases.count(session, CaseFilter(overdue=True)) == 2
    rows = cases.page(session, CaseFilter(), offset=0, limit=10)
    assert [r["overdue"] for r in rows] == [False, True, True]
    # a summary leaves the confidential case out
    assert cases.overdue_by_unit(session) == [
        {"unit": "镇城建办", "count": 1, "oldest_due": "2026-03-03"}]
    cases.handle_case(session, case_id=late, outcome="A")
    assert cases.overdue_count(session) == 1


def test_return_within_seven_working_days(session):
    cid = _forwarded(session)  # forwarded Wed 25 February
    with pytest.raises(ReturnTooLate):
        cases.return_case(session, case_id=cid, reason="不归我们管", on="2026-03-09")
    cases.return_case(session, case_id=cid, reason="不归我们管", on="2026-03-05")
    c = cases.case(session, cid)
    assert c["row"]["state"] == "sorted" and c["view"].returned
    assert c["overdue"]  # the due date keeps running while nobody has it
    cases.forward_case(session, case_id=cid, route="county", unit="龙井市交通局")
    assert not cases.case(session, cid)["overdue"]


@pytest.mark.parametrize("query, expected", [
    ("灯", {"路灯"}), ("路灯", {"路灯"}), ("路灯坏", {"路灯"}), ("水", {"自来水"}),
    ("明东", {"路灯", "自来水"}), ("英", {"路灯", "自来水"}), ("龙", {"低保"}),
    ("村里", {"路灯"}), ("自来水停", {"自来水"}), ("灯坏了三", {"路灯"}),
    ("灯水", set()), ("%", set()), ("东村朴", set()), ("Ab", {"低保"}),
])
def test_search_any_substring(session, query, expected):
    ids = {
        "路灯": _register(session, words="村里的路灯坏了三个月"),
        "自来水": _register(session, words="自来水停了一周"),
        "低保": _register(session, words="申请低保 AB-12", voter={"name": "李春花",
                                                          "village": "龙山村"}),
    }
    found = {r["id"] for r in cases.page(session, CaseFilter(query=query), offset=0, limit=50)}
    assert found == {ids[k] for k in expected}
    assert cases.count(session, CaseFilter(query=query)) == len(expected)


def test_filters(session):
    did = registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()]).created_id
    a = _register(session, on="2026-02-10", duty_deputies=[did])
    b = _register(session, on="2026-03-01", category="complaint",
                  voter={"village": "龙山村", "name": "李春花"})
    f = CaseFilter
    assert {r["id"] for r in cases.page(session, f(deputy_id=did), offset=0, limit=9)} == {a}
    assert cases.count(session, f(category="complaint")) == 1
    assert cases.count(session, f(village="龙山村")) == 1
    assert cases.count(session, f(date_from=date(2026, 2, 20))) == 1
    assert cases.count(session, f(date_to=date(2026, 2, 20))) == 1
    assert cases.count(session, f(state="registered", query="路灯")) == 2
    assert [r["id"] for r in cases.page(session, f(sort="oldest"), offset=0, limit=9)] == [a, b]
    assert [r["id"] for r in cases.page(session, f(), offset=1, limit=1)] == [a]
    assert cases.villages(session) == ["明东村", "龙山村"]


def test_nothing_saved_half_way(session):
    with pytest.raises(ValidationError) as e:
        cases.register(session, voter={**VOTER, "phone": "1384331234", "id_number": "123"},
                       case={"channel": "reception_day", "category": "help", "words": " ",
                             "on": "2026-03-10"})
    assert {x.field for x in e.value.errors} == {"phone", "id_number", "words", "on"}
    with pytest.raises(ValidationError) as e:
        cases.register(session, voter=VOTER, case={
            "channel": "phone", "category": "help", "words": "x", "duty_deputies": ["nobody"]})
    assert e.value.for_field("duty_deputies")
    for table in ("voters", "cases", "case_events", "case_deputies", "case_search"):
        assert _count(session, table) == 0, table

    cid = _register(session)
    before = [_count(session, t) for t in ("case_events", "audit")]
    with pytest.raises(InvalidTransition):
        cases.archive_case(session, case_id=cid)  # not replied yet
    with pytest.raises(ValidationError):
        cases.sort_case(session, case_id=cid, on="2026-02-01")  # before registration
    cases.sort_case(session, case_id=cid, on="2026-02-24")
    with pytest.raises(ValidationError):
        cases.forward_case(session, case_id=cid, route="township", unit="",
                           due_on="2026-02-01")
    after = [_count(session, t) for t in ("case_events", "audit")]
    assert after == [before[0] + 1, before[1] + 1]  # only the sort
    assert cases.case(session, cid)["row"]["state"] == "sorted"
    # the refused archive did not use up a number
    assert session.db.execute("SELECT COUNT(*) FROM case_counters WHERE kind = 'archive'"
                              ).fetchone()[0] == 0
    with pytest.raises(NotFound):
        cases.sort_case(session, case_id="no-such-case")


def test_events_are_append_only(session):
    import sqlite3

    cid = _register(session)
    with pytest.raises(sqlite3.DatabaseError):
        session.db.execute("UPDATE case_events SET data = '{}' WHERE case_id = ?", [cid])
    with pytest.raises(sqlite3.DatabaseError):
        session.db.execute("DELETE FROM case_events WHERE case_id = ?", [cid])


def test_reveal_is_recorded_in_the_audit(session):
    cid = _register(session)
    assert cases.reveal_phone(session, case_id=cid) == "13843312345"
    assert cases.reveal_id(session, case_id=cid) == "11010519491231002X"
    voter_id = cases.case(session, cid)["row"]["voter_id"]
    actions = [(a["action"], a["actor"], a["after"]["case_id"])
               for a in audit.for_object(session.db, "voter", voter_id)]
    assert actions == [("reveal_phone", "tester", cid), ("reveal_id_number", "tester", cid)]
    # the register audit entry holds no personal data
    reg = audit.for_object(session.db, "case", cid)[0]
    assert "13843312345" not in str(reg) and "朴英子" not in str(reg)


def test_case_numbers_are_unique_per_station_only(session):
    """A county file holds many stations' cases, each numbered from 2026-0001."""
    import sqlite3

    cid = _register(session)
    row = cases.case(session, cid)["row"]
    copy = {k: row[k] for k in ("number", "voter_name", "village", "registered_on", "channel",
                                "category", "words", "state", "updated_at")}
    session.db["cases"].insert({**copy, "id": "other-station-case", "origin": "222405-02",
                                "rowkey": 99})
    with pytest.raises(sqlite3.IntegrityError):
        session.db["cases"].insert({**copy, "id": "same-station-again", "origin": row["origin"],
                                    "rowkey": 100})
