"""The ledger, suggestions and the evaluation on real station files (clock at
2026-03-09 10:30): derived entries follow their source, declarations and their
review, bad input leaves the scheme and results intact."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from station_desk.domain.accounts import NotPermitted, Role
from station_desk.domain.errors import ValidationError
from station_desk.domain.evaluation import AlreadyApproved
from station_desk.domain.ledger import AlreadyReviewed, BadEvidence, RejectNeedsReason
from station_desk.services import activities as act, cases, evaluation, ledger, practical
from station_desk.services import reception, registry, suggestions
from station_desk.storage import audit
from tests.conftest import deputy_data, mandate_data


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 90, 200)).save(out, "PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def two(session):
    a = registry.create_deputy(session, data=deputy_data(name="金明哲", phone="13843310001"),
                               mandates=[mandate_data()]).created_id
    b = registry.create_deputy(session, data=deputy_data(name="李春花", name_ko="리춘화",
                                                         phone="13843310002"),
                               mandates=[mandate_data()]).created_id
    return a, b


def _held(session, deputies, marks, *, on="2025-04-10", kind="inspection"):
    aid = act.create_activity(session, kind=kind, title="视察村道建设", starts_at=f"{on} 09:00",
                              ends_at=f"{on} 11:00", place="明东村").created_id
    act.invite(session, activity_id=aid, deputy_ids=list(deputies))
    inv = {i["deputy_id"]: i["id"] for i in act.activity(session, aid)["invitees"]}
    act.mark(session, activity_id=aid, marks={inv[d]: m for d, m in zip(deputies, marks)})
    return aid, inv


def _kinds(session, deputy_id, **kw):
    return [(e.kind.value, e.on.isoformat()) for e in
            ledger.entries(session, deputy_id=deputy_id, since="2025-01-01", until="2026-03-09",
                           **kw)]


def test_derived_entries_follow_their_source(session, two):
    a, b = two
    aid, inv = _held(session, [a, b], ["present", "absent"])
    assert _kinds(session, a) == [("activity", "2025-04-10")]
    assert _kinds(session, b) == [("activity_absence", "2025-04-10")]
    # the clerk corrects the attendance: both files change, nothing was copied
    act.mark(session, activity_id=aid, marks={inv[a]: "absent", inv[b]: "present"})
    assert _kinds(session, a) == [("activity_absence", "2025-04-10")]
    assert _kinds(session, b) == [("activity", "2025-04-10")]
    assert session.db.execute("SELECT count(*) FROM ledger_entries").fetchone()[0] == 0

    # a reception day on duty, then taken off duty
    day = reception.add_day(session, on="2025-06-09", place="联络站接待室").created_id
    reception.add_duty(session, day_id=day, deputy_id=a)
    assert ("reception", "2025-06-09") in _kinds(session, a)
    reception.remove_duty(session, day_id=day, deputy_id=a)
    assert ("reception", "2025-06-09") not in _kinds(session, a)

    # a practical matter led, then the lead changed
    mid = practical.create_matter(session, title="明东村路灯维修", leads=[a],
                                  on="2025-07-01").created_id
    assert ("practical", "2025-07-01") in _kinds(session, a)
    practical.set_leads(session, matter_id=mid, leads=[b])
    assert ("practical", "2025-07-01") not in _kinds(session, a)
    assert ("practical", "2025-07-01") in _kinds(session, b)

    # a case registered with the deputy on duty: the file shows its number, not the words
    cid = cases.register(session, voter={"name": "朴英子", "village": "明东村",
                                         "phone": "13843312345", "consent": True},
                         case={"on": "2025-08-19", "channel": "reception_day",
                               "category": "help", "words": "路灯坏了", "place": "接待室",
                               "duty_deputies": [a]}).created_id
    found = [e for e in ledger.entries(session, deputy_id=a, since="2025-01-01")
             if e.kind.value == "case"]
    assert [e.source_id for e in found] == [cid]
    assert "路灯" not in found[0].title

    # a suggestion: recorded, then deleted
    sid = suggestions.add(session, data={"deputy_id": a, "congress": "county",
                                         "title": "关于修缮明东村村道的建议",
                                         "submitted_on": "2025-09-01"}).created_id
    assert ("suggestion", "2025-09-01") in _kinds(session, a)
    suggestions.delete(session, suggestion_id=sid)
    assert ("suggestion", "2025-09-01") not in _kinds(session, a)


def test_file_has_months_and_summary(session, two):
    a, _b = two
    _held(session, [a], ["present"], on="2025-02-03")
    _held(session, [a], ["present"], on="2025-02-20", kind="meeting")
    f = ledger.deputy_file(session, deputy_id=a, since="2025-01-01", until="2025-04-30")
    assert [(m["month"], m["count"]) for m in f["months"]] == [(1, 0), (2, 2), (3, 0), (4, 0)]
    assert f["summary"] == {"activity": 1, "meeting": 1}
    assert f["deputy"]["name"] == "金明哲"


def test_declare_review_flow_and_audit(session, two):
    a, _b = two
    cid = ledger.declare(session, deputy_id=a, data={
        "kind": "training", "on_date": "2025-05-12", "title": "州人大代表履职培训班"},
        evidence=[("证书.png", _png()), ("通知.pdf", PDF)])
    eid = cid.created_id
    row = ledger.declared_entry(session, eid)
    assert row["review"] == "pending" and [e["mime"] for e in row["evidence"]] == \
        ["image/png", "application/pdf"]
    entries = ledger.entries(session, deputy_id=a, since="2025-01-01")
    assert [e.counts for e in entries] == [False]
    assert [p["id"] for p in ledger.pending(session)] == [eid]

    with pytest.raises(RejectNeedsReason):
        ledger.reject(session, entry_id=eid, reason="  ")
    ledger.approve(session, entry_id=eid)
    assert [e.counts for e in ledger.entries(session, deputy_id=a, since="2025-01-01")] == [True]
    with pytest.raises(AlreadyReviewed):
        ledger.reject(session, entry_id=eid, reason="late")
    assert ledger.pending(session) == []
    actions = [r["action"] for r in audit.page(session.db, limit=10, object_type="ledger_entry")]
    assert actions == ["approve", "declare"]  # newest first

    second = ledger.declare(session, deputy_id=a, data={
        "kind": "donation", "on_date": "2025-06-01", "title": "捐款"}).created_id
    ledger.reject(session, entry_id=second, reason="无凭证")
    r = ledger.declared_entry(session, second)
    assert (r["review"], r["reason"], r["reviewer"]) == ("rejected", "无凭证", "tester")


def test_bad_evidence_saves_nothing(session, two):
    a, _b = two
    with pytest.raises(BadEvidence) as exc:
        ledger.declare(session, deputy_id=a, data={
            "kind": "training", "on_date": "2025-05-12", "title": "培训"},
            evidence=[("ok.png", _png()), ("记录.docx", b"PK\x03\x04whatever")])
    assert exc.value.params["name"] == "记录.docx"
    assert session.db.execute("SELECT count(*) FROM ledger_entries").fetchone()[0] == 0
    assert session.db.execute("SELECT count(*) FROM ledger_evidence").fetchone()[0] == 0
    # a picture cut off half way: the first bytes say PNG, the rest is missing
    cut = _png()[:40]
    with pytest.raises(BadEvidence):
        ledger.declare(session, deputy_id=a, data={
            "kind": "training", "on_date": "2025-05-12", "title": "培训"},
            evidence=[("scan.png", cut)])
    assert session.db.execute("SELECT count(*) FROM ledger_entries").fetchone()[0] == 0


def test_only_the_head_reviews(session, two):
    a, _b = two
    eid = ledger.declare(session, deputy_id=a, data={
        "kind": "speech", "on_date": "2025-05-12", "title": "审议发言"}).created_id
    session.role = Role.CLERK.value
    with pytest.raises(NotPermitted):
        ledger.approve(session, entry_id=eid)
    with pytest.raises(NotPermitted):
        evaluation.save_scheme(session, scheme=evaluation.preset("yinchuan"))
    session.role = Role.HEAD.value
    ledger.approve(session, entry_id=eid)


def test_suggestion_rates(session, two):
    a, b = two
    base = {"congress": "county", "submitted_on": "2025-03-01"}
    suggestions.add(session, data={**base, "deputy_id": a, "title": "一", "outcome": "A",
                                   "reply_on": "2025-06-01", "face_to_face": True,
                                   "satisfaction": "satisfied"})
    sid = suggestions.add(session, data={**base, "deputy_id": b, "title": "二"}).created_id
    suggestions.add(session, data={**base, "deputy_id": b, "title": "旧",
                                   "submitted_on": "2024-03-01"})
    r = suggestions.rates(session, period="2025")
    assert (r["total"], r["completion_rate"], r["solved_rate"]) == (2, 50.0, 50.0)
    suggestions.update(session, suggestion_id=sid, data={"outcome": "B", "reply_on": "2025-07-01",
                                                         "face_to_face": False,
                                                         "satisfaction": "basically"})
    r = suggestions.rates(session, period="2025")
    assert (r["completion_rate"], r["face_to_face_rate"], r["satisfaction_rate"],
            r["solved_rate"]) == (100.0, 50.0, 100.0, 50.0)


def test_evaluate_store_approve_and_ranking(session, two):
    a, b = two
    for on in ("2025-02-10", "2025-03-10", "2025-04-10"):
        _held(session, [a, b], ["present", "absent"], on=on)
    _held(session, [a, b], ["present", "present"], on="2025-09-10")
    seen = []
    evaluation.evaluate(session, period="2025", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (2, 2)
    res = evaluation.results(session, period="2025")
    rows = {r["name"]: r for r in res["rows"]}
    # Hunchun: a: H1 60 + 3×2 = 66, H2 60 + 2 = 62 -> 64;  b: H1 60 - 9 = 51, H2 62 -> 56.5
    assert rows["金明哲"]["total"] == 64 and rows["金明哲"]["grade"] == "competent"
    assert rows["李春花"]["total"] == 56.5 and rows["李春花"]["grade"] == "not_competent"
    assert [r["rank"] for r in res["rows"]] == [1, 2]
    assert res["run"]["approved_by"] == ""
    evaluation.approve(session, period="2025")
    assert evaluation.results(session, period="2025")["run"]["approved_by"] == "tester"
    with pytest.raises(AlreadyApproved):
        evaluation.evaluate(session, period="2025")
    assert evaluation.deputy_result(session, deputy_id=b, period="2025")["rank"] == 2


def test_bad_scheme_keeps_the_previous_scheme_and_results(session, two):
    evaluation.save_scheme(session, scheme=evaluation.preset("yinchuan"))
    evaluation.evaluate(session, period="2025")
    before = evaluation.results(session, period="2025")
    broken = evaluation.preset("jingmen_dongbao")
    broken["items"][0]["cap"] = -1
    with pytest.raises(ValidationError) as exc:
        evaluation.save_scheme(session, scheme=broken)
    assert exc.value.for_field("items.0.cap")
    gapped = evaluation.preset("hunchun")
    gapped["bands"][1]["high"] = 80.0
    with pytest.raises(ValidationError):
        evaluation.save_scheme(session, scheme=gapped)
    assert evaluation.scheme(session)["preset"] == "yinchuan"
    assert evaluation.results(session, period="2025") == before


def test_warnings_for_the_start_screen(session, two):
    a, b = two
    for on in ("2024-11-08", "2025-11-08"):
        e = ledger.declare(session, deputy_id=b, data={
            "kind": "session_absence", "on_date": on, "title": "镇人代会"}).created_id
        ledger.approve(session, entry_id=e)
    _held(session, [a], ["present"], on="2025-09-10")
    ws = evaluation.warnings(session)
    got = {(w["name"], w["kind"]) for w in ws}
    assert got == {("李春花", "session_absent_twice"), ("李春花", "no_activity_half")}


def test_station_scoring_matches_the_file(session, two):
    """The evaluation reads grouped counts; scoring each deputy's own file
    entry by entry gives the same totals and items."""
    from station_desk.domain import evaluation as dom_eval

    a, b = two
    _held(session, [a, b], ["present", "absent"], on="2025-02-10")
    _held(session, [a, b], ["present", "present"], on="2025-08-10", kind="meeting")
    day = reception.add_day(session, on="2025-06-09").created_id
    reception.add_duty(session, day_id=day, deputy_id=b)
    practical.create_matter(session, title="路灯", leads=[a], on="2025-07-01")
    suggestions.add(session, data={"deputy_id": b, "congress": "county", "title": "建议",
                                   "submitted_on": "2025-09-01"})
    ledger.add_model(session, deputy_id=a, year=2025, title="优秀代表")
    ledger.add_publicity(session, deputy_id=b, on_date="2025-10-01", outlet="延边人大",
                         title="报道")
    for who, score, on in ((a, 92, "2025-06-30"), (a, 88, "2025-12-20"), (b, 70, "2025-06-30")):
        e = ledger.declare(session, deputy_id=who, data={
            "kind": "self_assessment", "on_date": on, "title": "自评", "score": score}).created_id
        ledger.approve(session, entry_id=e)
    for preset in ("hunchun", "yinchuan", "jingmen_dongbao"):
        scheme = evaluation.preset(preset)
        rows = {r["deputy_id"]: r for r in evaluation.compute(session, period="2025",
                                                              scheme_body=scheme)}
        for d in (a, b):
            own = dom_eval.score(scheme, ledger.entries(session, deputy_id=d, since="2025-01-01",
                                                        until="2025-12-31"),
                                 dom_eval.Period(2025))
            assert (rows[d]["total"], rows[d]["items"]) == (own.total, own.items), preset
