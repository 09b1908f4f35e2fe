"""Random walks through the case workflow: the fold, undo and overdue rules hold on
every path hypothesis finds, not only on the ones written out by hand."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from station_desk.domain import cases as dom
from station_desk.domain.calendar import CN_2026_HOLIDAYS, CN_2026_WORKDAYS, WorkCalendar
from station_desk.domain.cases import CaseState, CaseView, EventKind as K

CAL = WorkCalendar(holidays=CN_2026_HOLIDAYS, workdays=CN_2026_WORKDAYS)
TODAY = date(2026, 12, 31)
AT = datetime(2026, 12, 31, 17, 0, tzinfo=timezone(timedelta(hours=8)))
START = date(2026, 1, 5)


def projection(v: CaseView) -> tuple:
    """The fields a step sets (notes and the history of replies aside)."""
    return (v.state, v.category, v.priority, v.complex, v.route, v.unit, v.forwarded_on,
            v.due_on, v.returned, v.outcome, v.satisfaction, v.archive_no, v.closed_reason,
            v.duplicate_of, v.reopened, v.confidential)


def raw_for(kind: K, draw, day: date) -> dict:
    iso = day.isoformat()
    pick = lambda enum: draw(st.sampled_from([e.value for e in enum]))  # noqa: E731
    return {
        K.SORT: lambda: {"category": pick(dom.Category), "priority": pick(dom.Priority),
                         "complex": draw(st.booleans()), "confidential": draw(st.booleans())},
        K.FORWARD: lambda: {"route": pick(dom.Route), "unit": "镇城建办"},
        K.RETURN_BY_UNIT: lambda: {"reason": "不属本单位职责"},
        K.CHASE: lambda: {"note": "催办"},
        K.PROGRESS: lambda: {"note": "进展"},
        K.HANDLE: lambda: {"outcome": pick(dom.Outcome)},
        K.REPLY: lambda: {"voter_mode": pick(dom.ReplyMode), "deputy_mode": pick(dom.ReplyMode),
                          "satisfaction": pick(dom.Satisfaction), "voter_on": iso,
                          "deputy_on": iso},
        K.ARCHIVE: lambda: {"number": f"{day.year}-0001"},
        K.CLOSE_OUT_OF_SCOPE: lambda: {"reason": pick(dom.OutOfScope), "explanation": "说明",
                                       "redirect": "信访办"},
        K.MARK_DUPLICATE: lambda: {"duplicate_of": "original"},
        K.REOPEN: lambda: {"reason": "不满意"},
        K.UNDO: lambda: {"reason": "录错了"},
    }[kind]() | {"on": iso}


def allowed(view: CaseView) -> list[K]:
    out = []
    for kind in K:
        try:
            dom.check_allowed(view, kind)
        except dom.InvalidTransition:
            continue
        out.append(kind)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_walks_keep_the_rules(data):
    draw = data.draw
    view, events, history = CaseView(), [], []   # history: projection before each event
    day = START
    first = dom.make_event(view, K.REGISTER, {
        "on": day.isoformat(), "channel": "phone", "category": "help", "words": "路灯坏了"},
        at=AT, actor="clerk", calendar=CAL)
    view = dom.apply(view, first, 0)
    events.append(first)
    history.append(None)
    for _ in range(draw(st.integers(1, 14))):
        kinds = allowed(view)
        if not kinds:
            break
        kind = draw(st.sampled_from(kinds))
        day = min(TODAY, max(day, view.last_on or day) + timedelta(days=draw(st.integers(0, 3))))
        try:
            event = dom.make_event(view, kind, raw_for(kind, draw, day), at=AT, actor="clerk",
                                   calendar=CAL)
        except dom.ReturnTooLate:
            assume(False)
        before = view
        view = dom.apply(view, event, len(events))
        events.append(event)
        history.append(projection(before))

        # the fold of the stored events is the view built step by step
        assert dom.fold(events) == view
        if kind is K.UNDO:
            (undone,) = view.undone - before.undone
            assert events[undone].kind not in (K.REGISTER, K.CHASE, K.PROGRESS, K.UNDO)
            assert projection(view) == history[undone]
        if kind in dom.NOTES:
            assert projection(view) == projection(before)
        target = dom.TARGET[kind]
        if target is not None:
            assert view.state is target
        # overdue only while a unit has it (or it came back and waits to be forwarded)
        if view.overdue(date(2030, 1, 1)):
            assert view.state is CaseState.FORWARDED or (
                view.state is CaseState.SORTED and view.returned)
        if view.due_on is not None and view.forwarded_on is not None:
            assert view.due_on > view.forwarded_on >= view.registered_on
        if view.state is CaseState.ARCHIVED:
            assert allowed(view) == [] and view.archive_no
