"""The mandate state machine, table-driven: every allowed and forbidden step."""
from datetime import date

import pytest

from station_desk.domain.deputies import (
    ALLOWED, MandateEvent, MandateEventKind as K, MandateStatus as S, MandateState,
    apply_event, deputy_status, fold, validate_deputy, validate_mandate,
)
from station_desk.domain.errors import InvalidTransition, ValidationError

TODAY = date(2026, 3, 9)
GOOD = {K.SUSPENDED: ("detained", ""), K.RESTORED: (None, ""),
        K.TERMINATED: ("moved_out", "龙人发〔2026〕3号")}


@pytest.mark.parametrize("start", list(S))
@pytest.mark.parametrize("kind", [K.SUSPENDED, K.RESTORED, K.TERMINATED])
def test_every_transition(start, kind):
    state = MandateState(start, date(2022, 1, 1))
    ground, doc = GOOD[kind]
    event = MandateEvent(kind, date(2025, 1, 1), ground, "", doc)
    if kind in ALLOWED[start]:
        new = apply_event(state, event, today=TODAY)
        assert new.status == {K.SUSPENDED: S.SUSPENDED, K.RESTORED: S.ACTIVE,
                              K.TERMINATED: S.TERMINATED}[kind]
    else:
        with pytest.raises(InvalidTransition):
            apply_event(state, event, today=TODAY)


def test_termination_needs_ground_and_document():
    state = MandateState(S.ACTIVE, date(2022, 1, 1))
    with pytest.raises(ValidationError) as e:
        apply_event(state, MandateEvent(K.TERMINATED, date(2025, 1, 1)), today=TODAY)
    assert {x.field for x in e.value.errors} == {"ground", "doc_no"}


def test_event_date_not_before_state_nor_in_future():
    state = MandateState(S.ACTIVE, date(2022, 1, 1))
    for d in (date(2021, 12, 31), date(2026, 3, 10)):
        with pytest.raises(ValidationError):
            apply_event(state, MandateEvent(K.SUSPENDED, d, "detained"), today=TODAY)


def test_fold_replays_history():
    events = [MandateEvent(K.SUSPENDED, date(2023, 1, 1), "detained"),
              MandateEvent(K.RESTORED, date(2023, 6, 1)),
              MandateEvent(K.TERMINATED, date(2024, 1, 1), "death", "", "doc 1")]
    s = fold(date(2021, 11, 20), events)
    assert s.status is S.TERMINATED and s.ended_on == date(2024, 1, 1) and s.end_ground == "death"


@pytest.mark.parametrize("statuses,expected", [
    ([S.ACTIVE, S.TERMINATED], "active"), ([S.SUSPENDED, S.TERMINATED], "suspended"),
    ([S.TERMINATED], "former"), ([S.SUSPENDED, S.ACTIVE], "active"),
])
def test_deputy_status(statuses, expected):
    assert deputy_status(statuses).value == expected


def test_validate_deputy_marks_each_field():
    with pytest.raises(ValidationError) as e:
        validate_deputy({"name": "", "phone": "12", "birth_date": "1990-02-31", "sex": "X"},
                        today=TODAY)
    assert {x.field for x in e.value.errors} == {"name", "phone", "birth_date", "sex"}


def test_validate_mandate():
    ok = validate_mandate({"level": "county", "term": "18", "elected_on": "2021-11-20"},
                          today=TODAY)
    assert ok["term"] == 18
    with pytest.raises(ValidationError) as e:
        validate_mandate({"level": "galactic", "term": "x", "elected_on": "2021-11-20"},
                         today=TODAY, birth_date=date(2022, 1, 1))
    assert {x.field for x in e.value.errors} == {"level", "term", "elected_on"}
