"""Practical matters on a real station file."""
from __future__ import annotations

import pytest

from station_desk.domain.errors import ValidationError
from station_desk.services import cases, practical, registry
from tests.conftest import deputy_data, mandate_data


def _case(session):
    return cases.register(session, voter={"name": "朴英子", "village": "明东村"}, case={
        "channel": "reception_day", "category": "suggestion", "words": "希望修个文化广场",
        "on": "2026-01-05"}).created_id


def test_practical_matter_flow(session):
    d1 = registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()]).created_id
    d2 = registry.create_deputy(session, data=deputy_data(name="李春花", phone="13943300001"),
                                mandates=[mandate_data()]).created_id
    cid = _case(session)
    mid = practical.create_matter(session, title="修建明东村文化广场", leads=[d1],
                                  cases=[cid], on="2026-01-10").created_id
    practical.advance(session, matter_id=mid, on="2026-01-20", note="论证选址")
    practical.set_progress(session, matter_id=mid, percent=30)
    practical.add_milestone(session, matter_id=mid, text="召开村民座谈会", on="2026-02-02")
    practical.set_leads(session, matter_id=mid, leads=[d2])
    practical.advance(session, matter_id=mid, on="2026-02-02")
    practical.advance(session, matter_id=mid, on="2026-03-01")
    m = practical.matter(session, mid)
    assert m["row"]["stage"] == "done" and m["row"]["percent"] == 100
    assert m["row"]["done_on"] == "2026-03-01"
    assert [x["id"] for x in m["leads"]] == [d2]
    assert [x["id"] for x in m["cases"]] == [cid]
    assert m["view"].milestones == [{"on": "2026-02-02", "text": "召开村民座谈会"}]
    practical.undo_stage(session, matter_id=mid, reason="广场还没验收")
    m = practical.matter(session, mid)
    assert m["row"]["stage"] == "discussion" and m["row"]["done_on"] is None
    assert m["timeline"][-2]["undone"] and m["timeline"][-1]["kind"] == "undo"
    assert [x["id"] for x in practical.matters(session, deputy_id=d2)] == [mid]
    assert practical.matters(session, deputy_id=d1) == []
    assert [x["id"] for x in practical.matters(session, stage="discussion")] == [mid]


def test_bad_references_save_nothing(session):
    with pytest.raises(ValidationError) as e:
        practical.create_matter(session, title="x", leads=["nobody"], cases=["none"])
    assert {x.field for x in e.value.errors} == {"leads", "cases"}
    assert practical.matters(session) == []
    mid = practical.create_matter(session, title="修路").created_id
    with pytest.raises(ValidationError):
        practical.link_case(session, matter_id=mid, case_id="none")
    with pytest.raises(ValidationError):
        practical.set_progress(session, matter_id=mid, percent=101)
    assert len(practical.matter(session, mid)["timeline"]) == 1
