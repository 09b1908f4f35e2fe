"""The evaluation schemes: validation, the scoring function on hand-worked
examples of each preset, caps and negative points, grades, ranking, warnings."""
from __future__ import annotations

from datetime import date

import pytest

from station_desk.domain.errors import ValidationError
from station_desk.domain.evaluation import (
    BadPeriod, Grade, PRESETS, Period, WarningKind, deputy_warnings, failing_grade, grade_of,
    hunchun, jingmen_dongbao, rank, score, validate_scheme, yinchuan)
from station_desk.domain.ledger import Entry, EntryKind as K, Review, Source


def e(kind, on, *, review=Review.APPROVED, score=None) -> Entry:
    return Entry("d1", K(kind), date.fromisoformat(on), "x", Source.DECLARED,
                 review=review, score=score)


def many(kind, on, n) -> list[Entry]:
    return [e(kind, on) for _ in range(n)]


# -- periods ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
    ("2025-h2", date(2025, 7, 1), date(2025, 12, 31)),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
])
def test_periods(text, start, end):
    p = Period.parse(text)
    assert (p.start, p.end) == (start, end)
    assert str(Period.parse(str(p))) == str(p)


@pytest.mark.parametrize("text", ["", "25", "2025-H3", "2025-Q5", "abcd", "2025-M1"])
def test_bad_period(text):
    with pytest.raises(BadPeriod):
        Period.parse(text)


def test_split():
    assert [str(p) for p in Period(2025).split("quarter")] == \
        ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert [str(p) for p in Period.parse("2025-H2").split("quarter")] == ["2025-Q3", "2025-Q4"]
    assert [str(p) for p in Period.parse("2025-Q2").split("year")] == ["2025-Q2"]


# -- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_are_valid(name):
    assert validate_scheme(PRESETS[name]())["preset"] == name


def _fields(exc) -> dict[str, str]:
    return {f.field: f.msgid for f in exc.value.errors}


def test_cap_below_zero_is_refused():
    s = hunchun()
    s["items"][2]["cap"] = -5
    with pytest.raises(ValidationError) as exc:
        validate_scheme(s)
    assert "items.2.cap" in _fields(exc)
    assert "cap cannot be below zero" in _fields(exc)["items.2.cap"]
    assert exc.value.for_field("items.2.cap").params == {"row": 3}


def test_negative_points_are_refused_use_the_sign():
    s = yinchuan()
    s["items"][0]["points"] = -1
    with pytest.raises(ValidationError) as exc:
        validate_scheme(s)
    assert "items.0.points" in _fields(exc)


@pytest.mark.parametrize("bands, field, words", [
    # overlap: 称职 60–90 and 优秀 85–
    ([(Grade.NOT_COMPETENT, None, 60), (Grade.COMPETENT, 60, 90), (Grade.EXCELLENT, 85, None)],
     "bands.2.low", "overlap"),
    # gap: nothing covers 80–85
    ([(Grade.NOT_COMPETENT, None, 60), (Grade.COMPETENT, 60, 80), (Grade.EXCELLENT, 85, None)],
     "bands.2.low", "no grade"),
    # the lowest band starts at 0: negative totals fall nowhere
    ([(Grade.NOT_COMPETENT, 0, 60), (Grade.EXCELLENT, 60, None)], "bands.0.low", "below"),
    # the highest band ends at 100
    ([(Grade.NOT_COMPETENT, None, 60), (Grade.EXCELLENT, 60, 100)], "bands.1.high", "up"),
    # upside down
    ([(Grade.NOT_COMPETENT, None, 60), (Grade.COMPETENT, 90, 60), (Grade.EXCELLENT, 90, None)],
     "bands.1.high", "upper bound"),
])
def test_bad_bands(bands, field, words):
    s = hunchun()
    s["bands"] = [{"grade": g.value, "low": lo, "high": hi} for g, lo, hi in bands]
    with pytest.raises(ValidationError) as exc:
        validate_scheme(s)
    assert field in _fields(exc)
    assert words in _fields(exc)[field]


def test_validation_does_not_touch_the_input():
    s = hunchun()
    s["items"][0]["cap"] = "-1"
    before = repr(s)
    with pytest.raises(ValidationError):
        validate_scheme(s)
    assert repr(s) == before


def test_empty_cap_means_no_cap():
    s = hunchun()
    s["items"][0]["cap"] = ""
    assert validate_scheme(s)["items"][0]["cap"] is None


# -- the presets on hand-worked examples ---------------------------------------------------------

def test_hunchun_by_hand():
    s = validate_scheme(hunchun())
    entries = (
        # first half
        many("meeting", "2025-03-01", 4)       # 4 × 2 = 8, capped at 6        -> 6
        + many("activity", "2025-04-10", 3)    # 3 × 2 = 6 (cap 10)            -> 6
        + many("suggestion", "2025-05-02", 1)  # 1 × 3 = 3 (cap 6)             -> 3
        + many("activity_absence", "2025-06-01", 1)  # 1 × 3, minus, no cap  -> -3
        + [e("self_assessment", "2025-06-30", score=90)]
        # second half
        + many("reception", "2025-08-09", 2)   # 2 × 2 = 4 (cap 8)             -> 4
        + many("case", "2025-09-19", 5)        # 5 × 2 = 10; with reception 14, cap 8 -> 8
        + many("report_back", "2025-12-01", 1)  # 4 (cap 4)                    -> 4
        + [e("self_assessment", "2025-12-20", score=80)]
        # the year: one session absence -> -20
        + many("session_absence", "2025-01-15", 1)
        # not counted: a pending and a rejected declaration
        + [e("training", "2025-02-01", review=Review.PENDING),
           e("training", "2025-02-02", review=Review.REJECTED)]
    )
    # H1: org = 60 + 6 + 6 + 3 - 3 = 72; blended 0.7 × 72 + 0.3 × 90 = 50.4 + 27 = 77.4
    # H2: org = 60 + 8 + 4 = 72;         blended 0.7 × 72 + 0.3 × 80 = 50.4 + 24 = 74.4
    # year = (77.4 + 74.4) / 2 - 20 = 75.9 - 20 = 55.9 -> 不称职 (below 60)
    result = score(s, entries, Period(2025))
    assert result.halves == (77.4, 74.4)
    assert result.total == 55.9
    assert result.grade == Grade.NOT_COMPETENT
    assert result.items["meeting"] == 6
    assert result.items["reception"] == 8       # H1 nothing, H2 capped at 8
    assert result.items["absence"] == -3
    assert result.items["session"] == -20
    # without the session absence: 75.9 -> 称职
    no_session = [x for x in entries if x.kind != K.SESSION_ABSENCE]
    assert score(s, no_session, Period(2025)).total == 75.9
    assert score(s, no_session, Period(2025)).grade == Grade.COMPETENT


def test_hunchun_half_year_and_missing_self_assessment():
    s = validate_scheme(hunchun())
    entries = many("meeting", "2025-02-01", 2) + many("practical", "2025-03-01", 3)
    # H1 alone, no self-assessment: 60 + 2×2 + min(3×3, 6) = 60 + 4 + 6 = 70
    assert score(s, entries, Period.parse("2025-H1")).total == 70
    # the year: H1 70, H2 60 (base only) -> 65
    assert score(s, entries, Period(2025)).total == 65


def test_hunchun_is_held_within_100():
    s = validate_scheme(hunchun())
    entries = []
    for kind in ("meeting", "speech", "activity", "reception", "suggestion", "report_back",
                 "practical", "award"):
        entries += many(kind, "2025-03-01", 10) + many(kind, "2025-09-01", 10)
    # each half: 60 + 6+4+10+8+6+4+6+4 = 108 -> held at 100
    r = score(s, entries, Period(2025))
    assert r.halves == (100, 100) and r.total == 100 and r.grade == Grade.EXCELLENT


def test_yinchuan_by_hand():
    s = validate_scheme(yinchuan())
    entries = (many("meeting", "2025-03-01", 3)     # 3 × 4 = 12 (cap 20)   -> 12
               + many("speech", "2025-03-02", 4)    # +4 × 4 = 16; 28 capped -> 20 (with 12 above)
               + many("activity", "2025-05-01", 6)  # 6 × 4 = 24, cap 20     -> 20
               + many("reception", "2025-06-09", 1)  # 5 (cap 10)            -> 5
               + many("suggestion", "2025-07-01", 2)  # 10 (cap 15)          -> 10
               + many("report_back", "2025-11-01", 1)  # 10                  -> 10
               + many("activity_absence", "2025-08-01", 2)  # 2 × 5, minus   -> -10
               )
    # meeting item counts meetings and speeches together: 7 × 4 = 28 -> cap 20
    # total = 0 + 20 + 20 + 5 + 10 + 10 - 10 = 55 -> 差 (below 60)
    r = score(s, entries, Period(2025))
    assert r.items == {"meeting": 20, "activity": 20, "reception": 5, "case": 0,
                       "suggestion": 10, "report_back": 10, "practical": 0, "honour": 0,
                       "absence": -10}
    assert r.total == 55 and r.grade == Grade.POOR
    # two more reception days: +10 (cap 10 -> +5 more) and a practical matter +5 -> 65 较好
    r2 = score(s, entries + many("reception", "2025-10-09", 2) + many("practical", "2025-10-01", 1),
               Period(2025))
    assert r2.total == 65 and r2.grade == Grade.FAIRLY_GOOD


def test_yinchuan_deductions_are_capped_and_total_never_below_zero():
    s = validate_scheme(yinchuan())
    # 10 absences: 50 points, cap 20 -> -20; total 0 - 20 held at 0
    r = score(s, many("activity_absence", "2025-03-01", 10), Period(2025))
    assert r.items["absence"] == -20 and r.total == 0 and r.grade == Grade.POOR


def test_jingmen_dongbao_by_hand():
    s = validate_scheme(jingmen_dongbao())
    entries = (many("activity", "2025-01-10", 5)     # Q1 5 × 2 = 10, no cap
               + many("activity", "2025-04-10", 4)   # Q2 4 × 2 = 8
               + many("suggestion", "2025-07-01", 3)  # Q3 3 × 3 = 9
               + many("practical", "2025-11-01", 2)  # Q4 2 × 3 = 6
               + many("activity_absence", "2025-11-15", 1))  # Q4 -2
    # year = 60 + 10 + 8 + 9 + 6 - 2 = 91 -> 优秀 (from 85); no ceiling
    r = score(s, entries, Period(2025))
    assert r.total == 91 and r.grade == Grade.EXCELLENT
    # posted quarterly: Q1 = 60 + 10 = 70 称职
    assert score(s, entries, Period.parse("2025-Q1")).total == 70
    # no ceiling: 40 activities in Q1 -> 60 + 80 = 140
    assert score(s, many("activity", "2025-02-01", 40), Period(2025)).total == 140


def test_cap_is_per_period_unit():
    s = hunchun()
    s["combine"] = "sum"
    s["items"] = [{"key": "a", "label": "a", "kinds": ["activity"], "points": 2, "cap": 4,
                   "sign": "+", "period": "quarter"}]
    s = validate_scheme(s)
    entries = many("activity", "2025-01-05", 5) + many("activity", "2025-05-05", 1)
    # Q1 10 -> 4; Q2 2 -> 2; 60 + 6 = 66
    assert score(s, entries, Period(2025)).total == 66


def test_zero_cap_turns_an_item_off():
    s = yinchuan()
    s["items"][1]["cap"] = 0
    s = validate_scheme(s)
    assert score(s, many("activity", "2025-03-01", 3), Period(2025)).items["activity"] == 0


def test_grade_bounds_and_failing_grade():
    s = validate_scheme(hunchun())
    assert [grade_of(x, s) for x in (-5, 59.99, 60, 89.99, 90, 100)] == [
        Grade.NOT_COMPETENT, Grade.NOT_COMPETENT, Grade.COMPETENT, Grade.COMPETENT,
        Grade.EXCELLENT, Grade.EXCELLENT]
    assert failing_grade(s) == Grade.NOT_COMPETENT
    assert failing_grade(validate_scheme(yinchuan())) == Grade.POOR


def test_rank_ties_share_a_place():
    totals = {"a": 80, "b": 92, "c": 80, "d": 70}
    assert rank(totals, {"a": "An", "c": "Bo"}) == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


# -- warnings --------------------------------------------------------------------------------

def test_warnings():
    h = Period.parse("2025-H2")
    two = many("session_absence", "2024-03-05", 1) + many("session_absence", "2025-03-05", 1)
    kinds = lambda ws: [w["kind"] for w in ws]  # noqa: E731
    assert kinds(deputy_warnings(two + many("activity", "2025-08-01", 1), halves=[h])) == \
        [WarningKind.SESSION_ABSENT_TWICE]
    # a pending absence does not count
    pending = [e("session_absence", "2025-03-06", review=Review.PENDING)]
    assert kinds(deputy_warnings(two[:1] + pending + many("activity", "2025-08-01", 1),
                                 halves=[h])) == []
    ws = deputy_warnings(many("activity", "2025-08-01", 1), halves=[h], failing_years=[2023, 2025])
    assert ws == []
    ws = deputy_warnings(many("activity", "2025-08-01", 1), halves=[h], failing_years=[2024, 2025])
    assert ws == [{"kind": "not_competent_twice", "params": {"years": "2024, 2025"}}]
    # only an absence in the half: no activity
    ws = deputy_warnings(many("activity_absence", "2025-08-01", 1), halves=[h])
    assert ws == [{"kind": "no_activity_half", "params": {"half": "2025-H2"}}]
