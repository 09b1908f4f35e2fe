"""The voter reception case: transitions, fold, deadlines, return window, validation, masking."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from station_desk.domain import cases as dom
from station_desk.domain.calendar import WorkCalendar
from station_desk.domain.cases import CaseState, CaseView, EventKind as K
from station_desk.domain.errors import InvalidTransition, ValidationError

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 3, 20, 10, 0, tzinfo=CST)  # a Friday
PLAIN = WorkCalendar()
# a calendar with a holiday week and a swapped Sunday
HOLIDAYS = WorkCalendar(holidays=frozenset(date(2026, 4, d) for d in (6, 7, 8)),
                        workdays=frozenset({date(2026, 4, 12)}))

REGISTER = {"on": "2026-03-02", "channel": "reception_day", "category": "help",
            "words": "村里的路灯坏了三个月", "people": 2, "consent": True}
STEP_DATA = {
    K.REGISTER: REGISTER,
    K.SORT: {"on": "2026-03-02", "priority": "urgent", "proposal": "转镇城建办"},
    K.FORWARD: {"on": "2026-03-03", "route": "township", "unit": "镇城建办"},
    K.RETURN_BY_UNIT: {"on": "2026-03-05", "reason": "不属于本单位职责"},
    K.CHASE: {"on": "2026-03-06", "note": "电话催办"},
    K.PROGRESS: {"on": "2026-03-06", "note": "已派人查看"},
    K.HANDLE: {"on": "2026-03-10", "outcome": "A", "result": "路灯已修好"},
    K.REPLY: {"voter_on": "2026-03-11", "voter_mode": "phone", "deputy_on": "2026-03-11",
              "deputy_mode": "face_to_face", "satisfaction": "satisfied"},
    K.ARCHIVE: {"on": "2026-03-12", "number": "2026-0001"},
    K.CLOSE_OUT_OF_SCOPE: {"on": "2026-03-02", "reason": "litigation",
                           "explanation": "已在法院诉讼中", "redirect": "龙井市人民法院"},
    K.MARK_DUPLICATE: {"on": "2026-03-02", "duplicate_of": "original-id"},
    K.REOPEN: {"on": "2026-03-12", "reason": "回复没有解决问题"},
    K.UNDO: {"on": "2026-03-12", "reason": "点错了"},
}


def step(view: CaseView, kind: K, cal=PLAIN, at=AT, **overrides) -> CaseView:
    raw = {**STEP_DATA[kind], **overrides}
    event = dom.make_event(view, kind, raw, at=at, actor="clerk", calendar=cal)
    return dom.apply(view, event, len(view.steps) + 100)


def run(*kinds, cal=PLAIN, **last) -> CaseView:
    view = CaseView()
    for i, k in enumerate(kinds):
        view = step(view, k, cal, **(last if i == len(kinds) - 1 else {}))
    return view


# Paths to each state (the extra REPLIED_UNSATISFIED lets reopen be allowed).
PATHS = {
    "new": (),
    "registered": (K.REGISTER,),
    "sorted": (K.REGISTER, K.SORT),
    "returned": (K.REGISTER, K.SORT, K.FORWARD, K.RETURN_BY_UNIT),
    "forwarded": (K.REGISTER, K.SORT, K.FORWARD),
    "handled": (K.REGISTER, K.SORT, K.FORWARD, K.HANDLE),
    "replied": (K.REGISTER, K.SORT, K.FORWARD, K.HANDLE, K.REPLY),
    "replied_unsatisfied": (K.REGISTER, K.SORT, K.FORWARD, K.HANDLE, K.REPLY),
    "archived": (K.REGISTER, K.SORT, K.FORWARD, K.HANDLE, K.REPLY, K.ARCHIVE),
    "closed": (K.REGISTER, K.CLOSE_OUT_OF_SCOPE),
    "duplicate": (K.REGISTER, K.MARK_DUPLICATE),
}

# Written out by hand (not derived from dom.ALLOWED): which events each state accepts.
EXPECTED = {
    "new": {K.REGISTER},
    "registered": {K.SORT, K.CLOSE_OUT_OF_SCOPE, K.MARK_DUPLICATE},
    "sorted": {K.SORT, K.FORWARD, K.CLOSE_OUT_OF_SCOPE, K.MARK_DUPLICATE, K.UNDO},
    "returned": {K.SORT, K.FORWARD, K.CLOSE_OUT_OF_SCOPE, K.MARK_DUPLICATE, K.UNDO},
    "forwarded": {K.RETURN_BY_UNIT, K.CHASE, K.PROGRESS, K.HANDLE, K.UNDO},
    "handled": {K.PROGRESS, K.HANDLE, K.REPLY, K.UNDO},
    "replied": {K.ARCHIVE, K.UNDO},
    "replied_unsatisfied": {K.ARCHIVE, K.REOPEN, K.UNDO},
    "archived": set(),
    "closed": {K.ARCHIVE, K.UNDO},
    "duplicate": {K.ARCHIVE, K.UNDO},
}


def _view(name: str) -> CaseView:
    kinds = PATHS[name]
    if name == "replied_unsatisfied":
        view = run(*kinds, satisfaction="unsatisfied")
    else:
        view = run(*kinds) if kinds else CaseView()
    return view


@pytest.mark.parametrize("name", list(PATHS))
@pytest.mark.parametrize("kind", list(K))
def test_every_transition_allowed_or_refused(name, kind):
    view = _view(name)
    if kind in EXPECTED[name]:
        dom.check_allowed(view, kind)
        day = view.last_on.isoformat() if view.last_on else STEP_DATA[kind].get("on")
        after = step(view, kind, on=day, voter_on=day, deputy_on=day)
        target = dom.TARGET[kind]
        assert after.state is (target or after.state)
    else:
        with pytest.raises(InvalidTransition):
            dom.check_allowed(view, kind)
        with pytest.raises(InvalidTransition):
            step(view, kind)


@pytest.mark.parametrize("name, state", [
    ("registered", "registered"), ("sorted", "sorted"), ("returned", "sorted"),
    ("forwarded", "forwarded"), ("handled", "handled"), ("replied", "replied"),
    ("archived", "archived"), ("closed", "closed"), ("duplicate", "closed")])
def test_each_path_leads_to_its_state(name, state):
    assert _view(name).state == CaseState(state)


def test_reopen_only_after_unsatisfied_has_its_own_message():
    with pytest.raises(dom.ReopenNotAllowed):
        dom.check_allowed(_view("replied"), K.REOPEN)
    view = step(_view("replied_unsatisfied"), K.REOPEN)
    assert view.state is CaseState.SORTED and view.reopened == 1
    assert view.satisfaction is None and view.due_on is None and view.route is None
    assert len(view.replies) == 1  # the earlier reply stays on record


def test_fold_derives_every_field():
    events, view = [], CaseView()
    for kind, extra in [(K.REGISTER, {"duty_deputies": ["d1", "d2"], "confidential": True}),
                        (K.SORT, {"complex": True, "category": "complaint"}),
                        (K.FORWARD, {}), (K.CHASE, {}), (K.PROGRESS, {}),
                        (K.HANDLE, {"outcome": "B"}), (K.REPLY, {}), (K.ARCHIVE, {})]:
        e = dom.make_event(view, kind, {**STEP_DATA[kind], **extra}, at=AT, actor="clerk",
                           calendar=PLAIN)
        events.append(e)
        view = dom.apply(view, e, len(events) - 1)
    folded = dom.fold(events)
    assert folded.state is CaseState.ARCHIVED
    assert folded.category == "complaint" and folded.priority == "urgent" and folded.complex
    assert folded.duty_deputies == ["d1", "d2"] and folded.confidential and folded.people == 2
    assert folded.route == "township" and folded.unit == "镇城建办"
    # complex: 10 working days from Tue 3 March = Tue 17 March
    assert folded.forwarded_on == date(2026, 3, 3) and folded.due_on == date(2026, 3, 17)
    assert folded.outcome == "B" and folded.satisfaction == "satisfied"
    assert folded.archive_no == "2026-0001" and folded.archived_on == date(2026, 3, 12)
    assert [c["note"] for c in folded.chases] == ["电话催办"]
    assert [p["note"] for p in folded.progress] == ["已派人查看"]
    assert folded.replies[0]["voter_mode"] == "phone"
    assert folded.replies[0]["deputy_mode"] == "face_to_face"


def test_undo_takes_back_steps_one_by_one_but_keeps_notes():
    events, view = [], CaseView()
    for kind in (K.REGISTER, K.SORT, K.FORWARD, K.CHASE, K.HANDLE, K.UNDO, K.UNDO):
        e = dom.make_event(view, kind, STEP_DATA[kind], at=AT, actor="clerk", calendar=PLAIN)
        events.append(e)
        view = dom.apply(view, e, len(events) - 1)
    folded = dom.fold(events)
    assert folded.state is CaseState.SORTED
    assert folded.due_on is None and folded.route is None and folded.outcome is None
    assert [c["note"] for c in folded.chases] == ["电话催办"]
    assert folded.undone == {2, 4}  # the forward and the handle
    assert dom.undo_target(events) is events[1]  # next undo: the sort
    events.append(dom.make_event(folded, K.UNDO, STEP_DATA[K.UNDO], at=AT, actor="c",
                                 calendar=PLAIN))
    back = dom.fold(events)
    assert back.state is CaseState.REGISTERED
    with pytest.raises(InvalidTransition):  # register itself cannot be undone
        dom.check_allowed(back, K.UNDO)


def test_undo_needs_a_reason():
    with pytest.raises(ValidationError) as e:
        step(_view("forwarded"), K.UNDO, reason="  ")
    assert e.value.for_field("reason")


@pytest.mark.parametrize("forward_on, complex_, cal, due", [
    ("2026-03-06", False, PLAIN, date(2026, 3, 13)),       # Fri + 5 = next Fri
    ("2026-03-06", True, PLAIN, date(2026, 3, 20)),        # Fri + 10
    ("2026-04-02", False, HOLIDAYS, date(2026, 4, 13)),    # Thu; 6-8 Apr off, Sun 12 worked
    ("2026-04-02", False, PLAIN, date(2026, 4, 9)),
    ("2026-04-03", True, HOLIDAYS, date(2026, 4, 21)),
])
def test_due_date_counts_working_days(forward_on, complex_, cal, due):
    at = datetime(2026, 4, 20, 9, 0, tzinfo=CST)
    view = run(K.REGISTER, K.SORT)
    view = step(view, K.FORWARD, cal, at=at, on=forward_on, complex=complex_)
    assert view.due_on == due


def test_due_date_before_registration_is_refused():
    view = run(K.REGISTER, K.SORT)
    with pytest.raises(ValidationError) as e:
        step(view, K.FORWARD, due_on="2026-03-01")
    assert "registration" in e.value.for_field("due_on").msgid


def test_no_due_date_when_answered_on_the_spot_and_no_unit_needed():
    view = step(run(K.REGISTER, K.SORT), K.FORWARD, route="on_the_spot", unit="")
    assert view.due_on is None and view.unit == "" and not view.overdue(date(2027, 1, 1))


def test_forward_needs_a_unit_and_a_route():
    with pytest.raises(ValidationError) as e:
        step(run(K.REGISTER, K.SORT), K.FORWARD, unit="", route="")
    assert {x.field for x in e.value.errors} == {"route"}
    with pytest.raises(ValidationError) as e:
        step(run(K.REGISTER, K.SORT), K.FORWARD, unit="")
    assert [x.field for x in e.value.errors] == ["unit"]


@pytest.mark.parametrize("return_on, ok", [
    ("2026-04-02", True),    # forwarded Thu 2 April
    ("2026-04-15", True),    # 7 working days with the holidays and the swapped Sunday
    ("2026-04-16", False),
])
def test_return_only_within_seven_working_days(return_on, ok):
    at = datetime(2026, 4, 20, 9, 0, tzinfo=CST)
    view = step(run(K.REGISTER, K.SORT), K.FORWARD, HOLIDAYS, at=at, on="2026-04-02")
    if ok:
        after = step(view, K.RETURN_BY_UNIT, HOLIDAYS, at=at, on=return_on)
        assert after.state is CaseState.SORTED and after.returned
        assert after.returns[0]["unit"] == "镇城建办"
    else:
        with pytest.raises(dom.ReturnTooLate):
            step(view, K.RETURN_BY_UNIT, HOLIDAYS, at=at, on=return_on)


def test_return_needs_a_reason():
    with pytest.raises(ValidationError) as e:
        step(run(K.REGISTER, K.SORT, K.FORWARD), K.RETURN_BY_UNIT, reason="")
    assert e.value.for_field("reason")


def test_overdue_while_forwarded_or_returned_only():
    forwarded = run(K.REGISTER, K.SORT, K.FORWARD)  # due Tue 10 March
    assert forwarded.due_on == date(2026, 3, 10)
    assert not forwarded.overdue(date(2026, 3, 10)) and forwarded.overdue(date(2026, 3, 11))
    returned = step(forwarded, K.RETURN_BY_UNIT)
    assert returned.overdue(date(2026, 3, 11))
    handled = step(forwarded, K.HANDLE)
    assert not handled.overdue(date(2026, 3, 11))


@pytest.mark.parametrize("kind, raw, fields", [
    (K.REGISTER, {"words": "", "channel": "", "category": ""}, {"words", "channel", "category"}),
    (K.REGISTER, {"on": "2026-03-21"}, {"on"}),            # in the future
    (K.REGISTER, {"on": "3/2/2026"}, {"on"}),
    (K.REGISTER, {"channel": "fax"}, {"channel"}),
    (K.REGISTER, {"people": "0"}, {"people"}),
    (K.SORT, {"priority": "very"}, {"priority"}),
    (K.SORT, {"on": "2026-03-01"}, {"on"}),                # before registration
    (K.HANDLE, {"outcome": "E"}, {"outcome"}),
    (K.REPLY, {"voter_mode": "", "deputy_mode": "", "satisfaction": ""},
     {"voter_mode", "deputy_mode", "satisfaction"}),
    (K.REPLY, {"deputy_on": "2026-03-09"}, {"deputy_on"}),  # before it was handled
    (K.ARCHIVE, {"number": "26-1"}, {"number"}),
    (K.ARCHIVE, {"number": "2025-0001"}, {"number"}),
    (K.CLOSE_OUT_OF_SCOPE, {"reason": "", "explanation": "", "redirect": ""},
     {"reason", "explanation", "redirect"}),
    (K.MARK_DUPLICATE, {"duplicate_of": ""}, {"duplicate_of"}),
    (K.REOPEN, {"reason": ""}, {"reason"}),
])
def test_validation_names_every_wrong_field(kind, raw, fields):
    start = {K.REGISTER: "new", K.SORT: "registered", K.HANDLE: "forwarded",
             K.REPLY: "handled", K.ARCHIVE: "replied", K.CLOSE_OUT_OF_SCOPE: "registered",
             K.MARK_DUPLICATE: "registered", K.REOPEN: "replied_unsatisfied"}[kind]
    with pytest.raises(ValidationError) as e:
        step(_view(start), kind, **raw)
    assert {x.field for x in e.value.errors} == fields
    assert all(x.msgid for x in e.value.errors)


def test_validation_messages_say_what_to_fix():
    with pytest.raises(ValidationError) as e:
        step(CaseView(), K.REGISTER, words="  ", on="2026-03-21")
    assert e.value.for_field("words").msgid == "This field is required."
    assert e.value.for_field("on").msgid == "The date cannot be in the future."


@pytest.mark.parametrize("voter, fields", [
    ({"name": "朴英子", "phone": "13843312345"}, set()),
    ({"name": "朴英子", "phone": "0433-3212345"}, set()),
    ({"name": "", "phone": "1384331234"}, {"name", "phone"}),
    ({"name": "朴英子", "phone": "23843312345"}, {"phone"}),
    ({"name": "朴英子", "id_number": "11010519491231002X"}, set()),
    ({"name": "朴英子", "id_number": "110105194912310021"}, {"id_number"}),
    ({"name": "朴英子", "language": "ja"}, {"language"}),
])
def test_voter_validation(voter, fields):
    if fields:
        with pytest.raises(ValidationError) as e:
            dom.validate_voter(voter)
        assert {x.field for x in e.value.errors} == fields
    else:
        out = dom.validate_voter(voter)
        assert out["language"] == "zh" and out["consent"] is False


def test_voter_masking():
    shown = dom.masked_voter({"name": "朴英子", "phone": "13843312345",
                              "id_number": "11010519491231002X"})
    assert shown["phone"] == "138****2345"
    assert shown["id_number"] == "**************002X"
    assert shown["name"] == "朴英子"


def test_every_enum_value_has_a_label():
    pairs = [(dom.CaseState, dom.STATE_LABELS), (dom.Channel, dom.CHANNEL_LABELS),
             (dom.Category, dom.CATEGORY_LABELS), (dom.Route, dom.ROUTE_LABELS),
             (dom.Outcome, dom.OUTCOME_LABELS), (dom.ReplyMode, dom.REPLY_MODE_LABELS),
             (dom.Satisfaction, dom.SATISFACTION_LABELS),
             (dom.OutOfScope, dom.OUT_OF_SCOPE_LABELS), (dom.EventKind, dom.EVENT_LABELS),
             (dom.Priority, dom.PRIORITY_LABELS), (dom.Language, dom.LANGUAGE_LABELS),
             (dom.EventKind, dom.ACTION_LABELS)]
    for enum, labels in pairs:
        assert set(labels) == set(enum), enum
