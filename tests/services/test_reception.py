"""Reception days, the duty roster and the working-day calendar on a real station file."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from station_desk.domain.calendar import CN_2026_HOLIDAYS, CN_2026_WORKDAYS
from station_desk.domain.errors import NotFound, ValidationError
from station_desk.domain.reception import AlreadyOnDuty, NotActiveOn, NotOnDuty, SameDay
from station_desk.services import calendar as calendar_service
from station_desk.services import reception, registry
from station_desk.services.session import open_session
from station_desk.storage import audit
from tests.conftest import deputy_data, mandate_data

RULE = {"kind": "monthly", "days": "9, 19", "per_day": 2, "start": "08:30", "end": "11:30",
        "place": "联络站接待室"}


def add_deputies(session, n: int) -> list[str]:
    return [registry.create_deputy(
        session, data=deputy_data(name=f"代表{i:02d}", name_ko=f"대표{i:02d}",
                                  phone=f"1384331{i:04d}"),
        mandates=[mandate_data()]).created_id for i in range(n)]


def setup_year(session, n: int = 10) -> list[str]:
    ids = add_deputies(session, n)
    reception.set_rule(session, data=RULE)
    reception.generate_days(session, year=2026)
    return ids


# -- calendar -------------------------------------------------------------------------

def test_a_new_station_starts_with_the_2026_holidays(session):
    cal = calendar_service.work_calendar(session)
    assert cal.holidays == CN_2026_HOLIDAYS and cal.workdays == CN_2026_WORKDAYS
    rows = calendar_service.calendar_days(session, year=2026)
    assert all(r["origin"] == "222405-01" for r in rows)


def test_calendar_edits_change_the_deadlines_and_are_kept(session):
    assert calendar_service.work_calendar(session).add_working_days(date(2026, 3, 6), 5) \
        == date(2026, 3, 13)
    changes = calendar_service.add_calendar_day(session, on="2026-03-10", kind="holiday",
                                                note="镇里停电")
    assert changes.touches("calendar_days")
    assert calendar_service.work_calendar(session).add_working_days(date(2026, 3, 6), 5) \
        == date(2026, 3, 16)
    calendar_service.add_calendar_day(session, on="2026-03-14", kind="workday")
    assert calendar_service.work_calendar(session).add_working_days(date(2026, 3, 6), 5) \
        == date(2026, 3, 14)
    # reopened from the file: still there
    again = open_session(session.path)
    try:
        cal = calendar_service.work_calendar(again)
        assert date(2026, 3, 10) in cal.holidays and date(2026, 3, 14) in cal.workdays
    finally:
        again.close()
    row = next(r for r in calendar_service.calendar_days(session, year=2026)
               if r["day"] == "2026-03-10")
    calendar_service.remove_calendar_day(session, day_id=row["id"])
    assert date(2026, 3, 10) not in calendar_service.work_calendar(session).holidays
    assert [a["action"] for a in audit.for_object(session.db, "calendar_day", row["id"])] \
        == ["create", "delete"]


@pytest.mark.parametrize("on, kind, error", [
    ("2026-03-14", "holiday", calendar_service.NotAChange),   # Saturday already off
    ("2026-03-11", "workday", calendar_service.NotAChange),   # Wednesday already worked
    ("2026-10-01", "holiday", calendar_service.DayAlreadyInCalendar),
    ("2026-13-01", "holiday", ValidationError),
    ("2026-03-11", "festival", ValidationError),
])
def test_calendar_bad_input_is_refused(session, on, kind, error):
    before = len(calendar_service.calendar_days(session))
    with pytest.raises(error):
        calendar_service.add_calendar_day(session, on=on, kind=kind)
    assert len(calendar_service.calendar_days(session)) == before
    with pytest.raises(NotFound):
        calendar_service.remove_calendar_day(session, day_id="nope")


# -- rule and days ------------------------------------------------------------------------

def test_rule_is_checked_and_stored(session):
    assert reception.rule(session) is None
    with pytest.raises(reception.NoRule):
        reception.generate_days(session, year=2026)
    with pytest.raises(ValidationError) as info:
        reception.set_rule(session, data={**RULE, "days": "0, 40"})
    assert info.value.for_field("days")
    reception.set_rule(session, data=RULE)
    r = reception.rule(session)
    assert r.days == (9, 19) and r.per_day == 2 and r.place == "联络站接待室"
    reception.set_rule(session, data={**RULE, "kind": "weekly", "weekday": 0})
    assert reception.rule(session).weekday == 0
    assert session.db.execute("SELECT COUNT(*) FROM reception_rules").fetchone()[0] == 1


def test_generate_days_from_today_on_over_the_holidays(session):
    setup_year(session, 2)
    days = reception.days(session, year=2026)
    dates = [d["day"] for d in days]
    # today is 2026-03-09 in the tests: past days are history and are not made
    assert dates[0] == date(2026, 3, 9)
    assert date(2026, 10, 9) in dates and date(2026, 8, 10) in dates  # 9 Aug is a Sunday
    assert len(dates) == 20
    assert all(d["place"] == "联络站接待室" and d["start_time"] == "08:30" for d in days)
    # a second run adds nothing
    assert reception.generate_days(session, year=2026).extra["added"] == 0
    # a holiday added later moves the day on the next run
    calendar_service.add_calendar_day(session, on="2026-06-09", kind="holiday")
    changes = reception.generate_days(session, year=2026)
    assert changes.extra == {"added": 1, "removed": 1, "kept": 0}
    dates = [d["day"] for d in reception.days(session, year=2026)]
    assert date(2026, 6, 10) in dates and date(2026, 6, 9) not in dates


def test_a_changed_rule_keeps_days_with_duties_and_hand_made_days(session):
    setup_year(session, 4)
    reception.draw_roster(session, year=2026)
    monthly = {d["day"] for d in reception.days(session, year=2026)}
    extra = reception.add_day(session, on="2026-09-30", note="国庆前加开")
    reception.set_rule(session, data={**RULE, "kind": "weekly", "weekday": 2, "days": ""})
    changes = reception.generate_days(session, year=2026)
    # the drawn days stay until the clerk cancels them (those on a Wednesday are rule days)
    assert changes.extra["kept"] == len({d for d in monthly if d.weekday() != 2})
    assert changes.extra["removed"] == 0
    dates = {d["day"] for d in reception.days(session, year=2026)}
    assert monthly <= dates
    assert date(2026, 9, 30) in dates and date(2026, 3, 11) in dates
    assert extra.created_id in {d["id"] for d in reception.days(session, year=2026)}
    with pytest.raises(reception.DayExists):
        reception.add_day(session, on="2026-09-30")


# -- the draw -------------------------------------------------------------------------------

def test_draw_is_fair_and_repeatable(session, tmp_path):
    ids = setup_year(session, 10)
    changes = reception.draw_roster(session, year=2026)
    assert changes.touches("duty_assignments") and changes.extra["days"] == 20
    days = reception.days(session, year=2026)
    assert all(len(d["deputies"]) == 2 for d in days)
    counts = Counter(p["id"] for d in days for p in d["deputies"])
    assert set(counts) == set(ids)
    assert min(counts.values()) >= 2 and max(counts.values()) - min(counts.values()) <= 1
    assert reception.warnings(session, year=2026) == []
    first = [[p["id"] for p in d["deputies"]] for d in days]
    # a second draw fills gaps only: nothing changes
    assert reception.draw_roster(session, year=2026).extra["assigned"] == 0
    # redo with the same seed: the same roster
    reception.draw_roster(session, year=2026, redo=True)
    again = [[p["id"] for p in d["deputies"]] for d in reception.days(session, year=2026)]
    assert sorted(map(sorted, again)) == sorted(map(sorted, first))
    assert reception.drawn_days(session, year=2026) == 20
    log = audit.for_object(session.db, "duty_roster", "2026")
    assert [a["action"] for a in log] == ["draw", "draw", "draw"]


def test_shortfall_warning_when_days_are_too_few(session):
    setup_year(session, 25)  # 20 days x 2 = 40 duties < 50
    reception.draw_roster(session, year=2026)
    found = reception.warnings(session, year=2026)
    shortfalls = [w for w in found if w["kind"] == "shortfall"]
    assert len(shortfalls) == 10
    assert all(w["duties"] == 1 and w["deputy"]["name"].startswith("代表") for w in shortfalls)


def test_terminated_deputy_is_flagged_then_replaced_by_the_next_draw(session):
    ids = setup_year(session, 6)
    reception.draw_roster(session, year=2026)
    victim = next(p["id"] for d in reception.days(session, year=2026)
                  if d["day"] > date(2026, 7, 1) for p in d["deputies"])
    m = registry.deputy(session, victim)["mandates"][0]
    registry.record_mandate_event(session, mandate_id=m["id"], kind="terminated",
                                  on="2026-03-09", ground="moved_out",
                                  doc_no="龙人常〔2026〕3号")
    flagged = [w for w in reception.warnings(session, year=2026) if w["kind"] == "inactive"]
    assert flagged and all(w["deputy"]["id"] == victim for w in flagged)
    reception.draw_roster(session, year=2026)
    after = reception.days(session, year=2026)
    assert all(victim not in {p["id"] for p in d["deputies"]} for d in after)
    assert all(len(d["deputies"]) == 2 for d in after)
    assert not [w for w in reception.warnings(session, year=2026) if w["kind"] != "shortfall"]
    assert len(ids) == 6


def test_replace_and_swap_are_checked_and_kept_on_redraw(session):
    ids = setup_year(session, 6)
    reception.draw_roster(session, year=2026)
    days = reception.days(session, year=2026)
    a, b = days[0], days[1]
    a_ids = [p["id"] for p in a["deputies"]]
    b_ids = [p["id"] for p in b["deputies"]]
    outsider = next(i for i in ids if i not in a_ids)
    reception.replace_duty(session, day_id=a["id"], old_deputy_id=a_ids[0],
                           new_deputy_id=outsider)
    a_now = {p["id"] for p in reception.day(session, day_id=a["id"])["deputies"]}
    assert a_now == {outsider, a_ids[1]}

    with pytest.raises(AlreadyOnDuty):
        reception.replace_duty(session, day_id=a["id"], old_deputy_id=outsider,
                               new_deputy_id=a_ids[1])
    with pytest.raises(NotOnDuty):
        reception.replace_duty(session, day_id=a["id"], old_deputy_id=a_ids[0],
                               new_deputy_id=outsider)
    with pytest.raises(SameDay):
        reception.swap_duties(session, day_id=a["id"], deputy_id=outsider,
                              other_day_id=a["id"], other_deputy_id=a_ids[1])

    # swap someone of day a with someone of day b who is not on day a
    x = a_ids[1]
    y = next(i for i in b_ids if i not in a_now)
    if x in b_ids:
        x = outsider
    reception.swap_duties(session, day_id=a["id"], deputy_id=x, other_day_id=b["id"],
                          other_deputy_id=y)
    assert y in {p["id"] for p in reception.day(session, day_id=a["id"])["deputies"]}
    assert x in {p["id"] for p in reception.day(session, day_id=b["id"])["deputies"]}
    kept = {d["id"]: [p["id"] for p in d["deputies"]] for d in reception.days(session, year=2026)}
    reception.draw_roster(session, year=2026, redo=True)
    redone = {d["id"]: [p["id"] for p in d["deputies"]] for d in reception.days(session, year=2026)}
    assert sorted(redone[a["id"]]) == sorted(kept[a["id"]])
    assert sorted(redone[b["id"]]) == sorted(kept[b["id"]])
    actions = [e["action"] for e in audit.for_object(session.db, "reception_day", a["id"])]
    assert actions == ["replace", "swap"]


def test_no_one_inactive_can_be_put_on_duty(session):
    ids = setup_year(session, 3)
    late = registry.create_deputy(
        session, data=deputy_data(name="新代表", phone="13900000000"),
        mandates=[mandate_data(elected_on="2026-03-01")]).created_id
    m = registry.deputy(session, late)["mandates"][0]
    registry.record_mandate_event(session, mandate_id=m["id"], kind="suspended", on="2026-03-05",
                                  ground="detained")
    reception.draw_roster(session, year=2026)
    d = reception.days(session, year=2026)[0]
    assert late not in {p["id"] for p in reception.candidates(session, day_id=d["id"])}
    with pytest.raises(NotActiveOn):
        reception.replace_duty(session, day_id=d["id"], old_deputy_id=d["deputies"][0]["id"],
                               new_deputy_id=late)
    with pytest.raises(NotActiveOn):
        reception.add_duty(session, day_id=d["id"], deputy_id=late)
    assert len(ids) == 3


def test_cancel_and_candidates_and_next_day(session):
    setup_year(session, 5)
    reception.draw_roster(session, year=2026)
    first = reception.days(session, year=2026)[0]
    assert reception.next_day(session, on_or_after=date(2026, 3, 9))["id"] == first["id"]
    reception.update_day(session, day_id=first["id"], cancelled=True, note="镇人代会")
    assert reception.next_day(session, on_or_after=date(2026, 3, 9))["day"] == date(2026, 3, 19)
    cands = reception.candidates(session, day_id=first["id"])
    assert len(cands) == 3 and cands == sorted(cands, key=lambda p: (p["duties"], p["name"]))
    reception.remove_duty(session, day_id=first["id"], deputy_id=first["deputies"][0]["id"])
    assert len(reception.day(session, day_id=first["id"])["deputies"]) == 1
    with pytest.raises(reception.NoReceptionDay):
        reception.next_day(session, on_or_after=date(2027, 12, 31))


def test_a_year_entered_after_the_fact_includes_its_past_days(session):
    add_deputies(session, 12)
    reception.set_rule(session, data=RULE)
    assert reception.generate_days(session, year=2026, include_past=True).extra["added"] == 24
    reception.draw_roster(session, year=2026, include_past=True)
    days = reception.days(session, year=2026)
    assert days[0]["day"] == date(2026, 1, 9) and all(len(d["deputies"]) == 2 for d in days)
    assert reception.warnings(session, year=2026) == []


def test_the_demo_station_has_a_drawn_year(tmp_path):
    from station_desk.services import demo

    path = demo.make_demo(tmp_path / "demo.sqlite3", today=date(2026, 3, 9))
    s = open_session(path)
    try:
        days = reception.days(s, year=2026)
        assert len(days) == 24 and all(len(d["deputies"]) == 3 for d in days)
        assert all(p["active"] for d in days for p in d["deputies"])
        assert [w for w in reception.warnings(s, year=2026) if w["kind"] != "shortfall"] == []
    finally:
        s.close()


def test_a_year_without_calendar_entries_is_flagged(session):
    assert reception.warnings(session, year=2026) == []
    assert reception.warnings(session, year=2027) == [{"kind": "no_calendar", "year": 2027}]
    calendar_service.add_calendar_day(session, on="2027-01-01", kind="holiday", note="元旦")
    assert reception.warnings(session, year=2027) == []
