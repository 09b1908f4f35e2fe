"""Practical matters: four stages forward only, undo with a reason, progress and milestones."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from station_desk.domain import practical as dom
from station_desk.domain.errors import InvalidTransition, ValidationError
from station_desk.domain.practical import MatterEventKind as K, MatterView, Stage

AT = datetime(2026, 3, 9, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def play(*steps):
    events, view = [], MatterView()
    for kind, raw in steps:
        e = dom.make_event(view, kind, raw, at=AT, actor="clerk")
        events.append(e)
        view = dom.apply(view, e, len(events) - 1)
    assert dom.fold(events) == view
    return view


CREATE = (K.CREATE, {"title": "修建明东村文化广场", "on": "2026-01-10", "leads": ["d1"]})
ADV = (K.ADVANCE, {"on": "2026-02-01"})


def test_stages_move_forward_one_at_a_time_to_done():
    view = play(CREATE)
    assert view.stage is Stage.CLUES and view.percent == 0 and view.leads == ["d1"]
    stages = []
    for _ in range(3):
        view = play(CREATE, *[ADV] * (len(stages) + 1))
        stages.append(view.stage)
    assert stages == [Stage.STUDY, Stage.DISCUSSION, Stage.DONE]
    assert view.percent == 100 and view.done_on.isoformat() == "2026-02-01"
    with pytest.raises(dom.MatterDone):
        play(CREATE, ADV, ADV, ADV, ADV)


def test_undo_takes_back_the_last_stage_move_only():
    view = play(CREATE, ADV, (K.PROGRESS, {"percent": "40%"}),
                (K.MILESTONE, {"text": "完成选址", "on": "2026-02-03"}), ADV,
                (K.UNDO, {"reason": "座谈会延期"}))
    assert view.stage is Stage.STUDY and view.percent == 40
    assert view.milestones == [{"on": "2026-02-03", "text": "完成选址"}]
    assert view.undone == {4}
    view = play(CREATE, ADV, ADV, ADV, (K.UNDO, {"reason": "还没完工"}))
    assert view.stage is Stage.DISCUSSION and view.done_on is None and view.percent == 0
    with pytest.raises(dom.NoStageToUndo):
        play(CREATE, (K.UNDO, {"reason": "x"}))
    with pytest.raises(ValidationError):
        play(CREATE, ADV, (K.UNDO, {"reason": ""}))


@pytest.mark.parametrize("kind, raw, field", [
    (K.PROGRESS, {"percent": "120"}, "percent"),
    (K.PROGRESS, {"percent": "abc"}, "percent"),
    (K.MILESTONE, {"text": ""}, "text"),
    (K.MILESTONE, {"text": "x", "on": "2026-01-01"}, "on"),   # before it started
    (K.ADVANCE, {"on": "2026-04-01"}, "on"),                  # in the future
    (K.LINK_CASE, {"case_id": ""}, "case_id"),
])
def test_validation(kind, raw, field):
    with pytest.raises(ValidationError) as e:
        play(CREATE, (kind, raw))
    assert e.value.for_field(field)


def test_only_one_create_and_nothing_before_it():
    with pytest.raises(InvalidTransition):
        play(CREATE, CREATE)
    with pytest.raises(InvalidTransition):
        play(ADV)
    with pytest.raises(ValidationError) as e:
        play((K.CREATE, {"title": ""}))
    assert e.value.for_field("title")


def test_links_and_leads():
    view = play(CREATE, (K.LINK_CASE, {"case_id": "c1"}), (K.SET_LEADS, {"leads": ["d2", "d3"]}))
    assert view.cases == ["c1"] and view.leads == ["d2", "d3"]
    with pytest.raises(ValidationError):
        play(CREATE, (K.LINK_CASE, {"case_id": "c1"}), (K.LINK_CASE, {"case_id": "c1"}))
