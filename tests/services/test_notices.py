"""The station's rules and photo, and the anonymous monthly summary, on real station files."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from station_desk.domain.errors import NotFound, ValidationError
from station_desk.domain.notices import MAX_RULES, TooManyRules
from station_desk.services import cases, notices
from station_desk.storage import audit

RULE = {"title_zh": "接待选民制度", "title_ko": "선민접대제도",
        "body_zh": "一、每月9日、19日为接待日。\n二、热情接待，如实登记。",
        "body_ko": "1. 매달 9일, 19일을 접대일로 한다.\n2. 친절히 접대하고 사실대로 등록한다."}


def _count(session, table, where="1"):
    return session.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0]


def _audits(session):
    return _count(session, "audit")


def test_add_update_delete_reorder_with_sync_columns(session):
    a = notices.add_rule(session, data=RULE)
    assert a.touches("station_rules") and a.created_id
    b = notices.add_rule(session, data={**RULE, "title_zh": "学习培训制度", "title_ko": ""}).created_id
    c = notices.add_rule(session, data={"title_zh": "活动经费管理制度"}).created_id
    assert [r["title_zh"] for r in notices.rules(session)] == [
        "接待选民制度", "学习培训制度", "活动经费管理制度"]
    first = notices.rules(session)[0]
    assert first["body_zh"].split("\n") == ["一、每月9日、19日为接待日。", "二、热情接待，如实登记。"]
    row = session.db.execute("SELECT origin, row_version, change_seq FROM station_rules "
                             "WHERE id = ?", [a.created_id]).fetchone()
    assert row[0] == "222405-01" and row[1] == 1 and row[2] > 0

    notices.update_rule(session, rule_id=a.created_id, data={**RULE, "title_zh": "接待选民工作制度"})
    after = session.db.execute("SELECT row_version, change_seq FROM station_rules WHERE id = ?",
                               [a.created_id]).fetchone()
    assert after[0] == 2 and after[1] > row[2]
    notices.reorder_rules(session, order=[c, a.created_id, b])
    assert [r["id"] for r in notices.rules(session)] == [c, a.created_id, b]
    notices.delete_rule(session, rule_id=b)
    assert [r["id"] for r in notices.rules(session)] == [c, a.created_id]
    # a tombstone, so the deletion travels with the next bundle
    assert _count(session, "station_rules", "deleted = 1") == 1
    actions = [x["action"] for x in audit.for_object(session.db, "station_rule", a.created_id)]
    assert actions == ["create", "update"]


@pytest.mark.parametrize("data, field", [
    ({**RULE, "title_zh": "   "}, "title_zh"),
    ({**RULE, "title_zh": ""}, "title_zh"),
    ({**RULE, "title_zh": "制" * 61}, "title_zh"),
    ({**RULE, "title_ko": "제" * 61}, "title_ko"),
    ({**RULE, "body_zh": "条" * 4001}, "body_zh"),
])
def test_bad_rules_are_refused_and_nothing_is_saved(session, data, field):
    notices.add_rule(session, data=RULE)
    rule_id = notices.rules(session)[0]["id"]
    before = (_count(session, "station_rules"), _audits(session), notices.rules(session))
    with pytest.raises(ValidationError) as err:
        notices.add_rule(session, data=data)
    assert err.value.for_field(field) is not None
    with pytest.raises(ValidationError):
        notices.update_rule(session, rule_id=rule_id, data=data)
    assert (_count(session, "station_rules"), _audits(session), notices.rules(session)) == before


def test_unknown_rules_and_bad_orders_change_nothing(session):
    ids = [notices.add_rule(session, data={**RULE, "title_zh": f"制度{i}"}).created_id
           for i in range(3)]
    before = (notices.rules(session), _audits(session))
    with pytest.raises(NotFound):
        notices.update_rule(session, rule_id="nope", data=RULE)
    with pytest.raises(NotFound):
        notices.delete_rule(session, rule_id="nope")
    for order in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], [*ids, "nope"], []):
        with pytest.raises(ValidationError):
            notices.reorder_rules(session, order=order)
    assert (notices.rules(session), _audits(session)) == before


def test_a_wall_holds_a_limited_number_of_rules(session):
    for i in range(MAX_RULES):
        notices.add_rule(session, data={"title_zh": f"制度{i}"})
    with pytest.raises(TooManyRules):
        notices.add_rule(session, data=RULE)
    assert len(notices.rules(session)) == MAX_RULES


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 80)).save(buf, "PNG")
    return buf.getvalue()


def test_station_photo_is_kept_replaced_and_removed(session):
    assert notices.station_photo(session) is None
    notices.set_station_photo(session, data=_png())
    assert notices.station_photo(session) == _png()
    with pytest.raises(notices.BadStationPhoto):
        notices.set_station_photo(session, data=b"GIF89a not a photo")
    assert notices.station_photo(session) == _png()
    notices.remove_station_photo(session)
    assert notices.station_photo(session) is None
    notices.set_station_photo(session, data=_png())  # the tombstone comes back to life
    assert _count(session, "station_photos") == 1 and notices.station_photo(session)


VOTER = {"name": "朴英子", "village": "明东村", "phone": "13843312345", "language": "ko",
         "consent": True}


def _case(session, on, category, *, confidential=False, outcome=None, satisfaction=None,
          handled_on=None):
    cid = cases.register(session, voter=VOTER, case={
        "on": on, "channel": "reception_day", "category": category,
        "words": "路灯坏了", "confidential": confidential}).created_id
    if outcome:
        cases.sort_case(session, case_id=cid, on=on)
        cases.forward_case(session, case_id=cid, route="on_the_spot", on=on)
        cases.handle_case(session, case_id=cid, outcome=outcome, on=handled_on or on)
        if satisfaction:
            cases.reply_case(session, case_id=cid, voter_mode="phone", deputy_mode="phone",
                             satisfaction=satisfaction, voter_on=handled_on or on,
                             deputy_on=handled_on or on)
    return cid


def test_monthly_summary_counts_the_month_and_leaves_confidential_matters_out(session):
    _case(session, "2026-02-20", "help", outcome="A", satisfaction="satisfied",
          handled_on="2026-03-02")
    _case(session, "2026-03-02", "help", outcome="B", satisfaction="basically")
    _case(session, "2026-03-03", "complaint", outcome="A", satisfaction="unsatisfied")
    _case(session, "2026-03-04", "suggestion")
    _case(session, "2026-03-05", "complaint", confidential=True, outcome="A",
          satisfaction="satisfied")
    s = notices.monthly_summary(session, year=2026, month=3)
    assert s["received"] == {"help": 1, "complaint": 1, "suggestion": 1}
    assert s["handled"] == {"A": 2, "B": 1}
    assert s["satisfaction"] == {"satisfied": 1, "basically": 1, "unsatisfied": 1}
    feb = notices.monthly_summary(session, year=2026, month=2)
    assert feb["received"] == {"help": 1} and feb["handled"] == {}
    # counts only: nothing personal can travel to the wall
    text = repr(s)
    assert "朴英子" not in text and "13843312345" not in text and "路灯" not in text


def test_the_demo_has_its_rules_in_two_languages(tmp_path):
    from datetime import date

    from station_desk.services.demo import make_demo
    from station_desk.services.session import open_session

    path = make_demo(tmp_path / "demo.sqlite3", today=date(2026, 3, 9))
    s = open_session(path)
    try:
        found = notices.rules(s)
        assert 4 <= len(found) <= 6
        assert found[0]["title_zh"] == "代表联络站工作制度"
        assert all(r["title_ko"] and r["body_zh"] and r["body_ko"] for r in found)
        assert any("련락소" in r["title_ko"] for r in found)
    finally:
        s.close()
