"""Personal data: reveal with a reason, the retention schedule and the purge, on
real station files (the purge test reads the raw bytes of the file and its WAL)."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

import pytest

from station_desk.domain.accounts import NotPermitted
from station_desk.domain.errors import NotFound, ValidationError
from station_desk.domain.masking import PURGED_MARK
from station_desk.services import activities, cases, privacy, registry
from station_desk.services.session import open_session
from tests.conftest import NOW, deputy_data, mandate_data

PHONE = "13987650123"  # distinctive: appears nowhere else in the file
ID_NUMBER = "222405198001010036"
VOTER = {"name": "朴英子", "village": "明东村", "phone": PHONE, "id_number": ID_NUMBER,
         "language": "ko", "consent": True}


def _register(session, *, name="朴英子", phone=PHONE, id_number=ID_NUMBER):
    return cases.register(session, voter={**VOTER, "name": name, "phone": phone,
                                          "id_number": id_number}, case={
        "on": "2026-02-24", "channel": "reception_day", "category": "help",
        "words": "村里的路灯坏了三个月", "place": "联络站接待室"}).created_id


def _archived(session):
    cid = _register(session)
    cases.sort_case(session, case_id=cid, on="2026-02-24")
    cases.forward_case(session, case_id=cid, route="on_the_spot", on="2026-02-24")
    cases.handle_case(session, case_id=cid, outcome="A", result="已解决", on="2026-02-25")
    cases.reply_case(session, case_id=cid, voter_mode="face_to_face", deputy_mode="phone",
                     satisfaction="satisfied", voter_on="2026-02-26", deputy_on="2026-02-26")
    cases.archive_case(session, case_id=cid, on="2026-03-02")
    return cid


def _audit(session, action):
    return [dict(r) for r in session.db.query(
        "SELECT * FROM audit WHERE action = ? ORDER BY seq", [action])]


def _years_later(session, years):
    later = NOW + timedelta(days=365 * years + 2)
    session.clock = lambda: later


# -- reveal ---------------------------------------------------------------------

def test_reveal_gives_the_value_and_audits_the_reason_but_never_the_value(session):
    cid = _register(session)
    assert privacy.reveal(session, object_type="case", object_id=cid, field="phone",
                          reason="回访选民") == PHONE
    assert privacy.reveal(session, object_type="case", object_id=cid, field="id_number",
                          reason="核对身份") == ID_NUMBER
    rows = _audit(session, "reveal")
    assert [(r["object_type"], r["actor"], json.loads(r["after"])["field"],
             json.loads(r["after"])["reason"]) for r in rows] == [
        ("voter", "tester", "phone", "回访选民"), ("voter", "tester", "id_number", "核对身份")]
    trail = json.dumps([dict(r) for r in session.db.query("SELECT * FROM audit")],
                       ensure_ascii=False)
    assert PHONE not in trail and ID_NUMBER not in trail


def test_reveal_of_a_deputy_phone(session):
    did = registry.create_deputy(session, data=deputy_data(phone="13943300001"),
                                 mandates=[mandate_data()]).created_id
    assert privacy.reveal(session, object_type="deputy", object_id=did, field="phone",
                          reason="通知开会") == "13943300001"
    # the deputy's creation entry in the trail holds the phone masked
    after = session.db.execute("SELECT after FROM audit WHERE object_id = ? AND action = "
                               "'create'", [did]).fetchone()[0]
    assert "139****0001" in after and "13943300001" not in after


def test_reveal_needs_a_reason(session):
    cid = _register(session)
    with pytest.raises(ValidationError) as exc:
        privacy.reveal(session, object_type="case", object_id=cid, field="phone", reason="  ")
    assert exc.value.errors[0].field == "reason"
    assert _audit(session, "reveal") == []


def test_reveal_is_refused_without_the_permission_and_the_refusal_is_audited(session):
    cid = _register(session)
    session.role = "clerk"
    with pytest.raises(NotPermitted):
        privacy.reveal(session, object_type="case", object_id=cid, field="phone", reason="回访")
    [row] = _audit(session, "reveal")
    assert row["result"] == "refused" and PHONE not in (row["after"] or "")
    session.role = "head"
    assert privacy.reveal(session, object_type="case", object_id=cid, field="phone",
                          reason="回访") == PHONE


def test_reveal_of_an_unknown_field_or_object(session):
    cid = _register(session)
    with pytest.raises(NotFound):
        privacy.reveal(session, object_type="case", object_id=cid, field="words", reason="x")
    with pytest.raises(NotFound):
        privacy.reveal(session, object_type="case", object_id="nope", field="phone", reason="x")


# -- retention --------------------------------------------------------------------

def test_retention_defaults_change_and_bounds(session):
    assert privacy.retention(session) == privacy.Retention(case_years=5, outsider_years=2)
    privacy.set_retention(session, case_years="3", outsider_years=1)
    assert privacy.retention(session) == privacy.Retention(case_years=3, outsider_years=1)
    with pytest.raises(ValidationError) as exc:
        privacy.set_retention(session, case_years=0, outsider_years="x")
    assert {e.field for e in exc.value.errors} == {"case_years", "outsider_years"}
    assert privacy.retention(session).case_years == 3
    assert [json.loads(r["after"]) for r in _audit(session, "edit")
            if r["object_type"] == "retention"] == [{"case_years": 3, "outsider_years": 1}]
    session.role = "clerk"
    with pytest.raises(NotPermitted):
        privacy.set_retention(session, case_years=9, outsider_years=9)


def test_only_cases_finished_before_the_cutoff_are_planned(session):
    _archived(session)
    _register(session, name="李春花", phone="13600001111", id_number="")  # still open
    assert privacy.purge_plan(session).voters == 0
    _years_later(session, 4)
    assert privacy.purge_plan(session).voters == 0
    _years_later(session, 5)
    plan = privacy.purge_plan(session)
    assert plan.voters == 1 and not plan.empty  # the open case is kept, however old


def test_purge_is_refused_without_the_permission(session):
    _archived(session)
    _years_later(session, 6)
    session.role = "auditor"
    with pytest.raises(NotPermitted):
        privacy.purge(session)
    assert privacy.purge_plan(session).voters == 1


def test_purge_clears_the_voter_everywhere_and_keeps_the_matter(session):
    cid = _archived(session)
    _years_later(session, 6)
    changes = privacy.purge(session)
    assert changes.extra["voters"] == 1 and changes.extra["wal_truncated"]
    c = cases.case(session, cid)
    assert c["voter"]["name"] == PURGED_MARK and c["voter"]["phone"] == ""
    assert c["voter"]["id_number"] == "" and c["row"]["voter_name"] == PURGED_MARK
    assert c["view"].words == "村里的路灯坏了三个月" and c["row"]["archive_no"]
    # the name is gone from the search, the matter is still found
    from station_desk.domain.cases import CaseFilter
    assert cases.count(session, CaseFilter(query="朴英子")) == 0
    assert cases.count(session, CaseFilter(query="路灯")) == 1
    [row] = _audit(session, "purge")
    assert json.loads(row["after"])["voters"] == 1
    assert privacy.purge_plan(session).empty  # a second purge finds nothing


def test_the_purged_number_is_gone_from_the_database_file_and_the_wal(session, tmp_path):
    """The bytes, not just the rows: secure_delete and a truncated WAL."""
    _archived(session)
    path = session.path
    # a second connection reading the file proves nothing is cached elsewhere
    other = open_session(path, clock=session.clock)
    other.close()
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                               if path.with_name(path.name + "-wal").exists() else b"")
    assert PHONE.encode() in raw  # the test can see the number before the purge
    _years_later(session, 6)
    privacy.purge(session)
    for f in (path, path.with_name(path.name + "-wal")):
        if f.exists():
            data = f.read_bytes()
            assert PHONE.encode() not in data, f
            assert ID_NUMBER.encode() not in data, f
            assert "朴英子".encode() not in data, f
    assert session.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_outside_participants_phones_are_purged_after_their_own_period(session):
    start = NOW.replace(tzinfo=None) - timedelta(days=10)
    aid = activities.create_activity(
        session, kind="learning", title="学习会", starts_at=start.strftime("%Y-%m-%dT09:00"),
        ends_at=start.strftime("%Y-%m-%dT11:00")).created_id
    activities.invite(session, activity_id=aid, outsiders=[
        {"name": "外来人员", "unit": "镇政府", "phone": "13711112222"}])
    _years_later(session, 2)
    assert privacy.purge_plan(session).outsiders == 1
    privacy.purge(session)
    phones = [r[0] for r in session.db.execute(
        "SELECT phone FROM activity_invitees WHERE deputy_id IS NULL")]
    assert phones == [""]


def test_the_event_redaction_path_is_narrow(session):
    """Only the personal keys of a case event's data may be replaced by the
    mark, together with redacted 0 -> 1; nothing else may change."""
    cid = _register(session)
    db = session.db
    eid, data = db.execute("SELECT id, data FROM case_events WHERE case_id = ?",
                           [cid]).fetchone()
    d = json.loads(data)
    withname = json.dumps({**d, "words": "changed"}, ensure_ascii=False, sort_keys=True)
    for sql, params in (
            ("UPDATE case_events SET data = ? WHERE id = ?", [withname, eid]),
            ("UPDATE case_events SET data = ?, redacted = 1 WHERE id = ?", [withname, eid]),
            ("UPDATE case_events SET data = ?, redacted = 1 WHERE id = ?",
             [json.dumps({**d, "extra": 1}), eid]),
            ("UPDATE case_events SET data = ?, redacted = 1 WHERE id = ?",
             [json.dumps({k: v for k, v in d.items() if k != "words"}), eid]),
            ("UPDATE case_events SET kind = 'sort', redacted = 1 WHERE id = ?", [eid]),
            ("DELETE FROM case_events WHERE id = ?", [eid])):
        with pytest.raises(sqlite3.DatabaseError):
            db.execute(sql, params)
    # an event written with a personal key (as a county's bundle may bring) can be redacted
    db.execute("DROP TRIGGER case_events_no_edit")  # plant one, bypassing the rule
    db.execute("UPDATE case_events SET data = ? WHERE id = ?",
               [json.dumps({**d, "phone": PHONE}, sort_keys=True), eid])
    from station_desk.storage import migrations
    script = migrations._m008_retention()
    trigger = script[script.index("CREATE TRIGGER"):script.index("CREATE INDEX")]
    db.execute(trigger)
    db.execute("UPDATE case_events SET data = ?, redacted = 1 WHERE id = ?",
               [json.dumps({**d, "phone": PURGED_MARK}, sort_keys=True), eid])
    with pytest.raises(sqlite3.DatabaseError):  # and never back
        db.execute("UPDATE case_events SET data = ?, redacted = 0 WHERE id = ?",
                   [json.dumps({**d, "phone": PHONE}, sort_keys=True), eid])
