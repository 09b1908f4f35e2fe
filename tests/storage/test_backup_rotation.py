"""The 12 daily / 10 weekly / 9 monthly rule, the backup file names and the
30-minute policy: pure, table-driven, plus one pass over real files."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from station_desk.domain.backups import (
    BackupKind, backup_due, backup_name, parse_backup_name, select_kept, select_kept_safety,
)
from station_desk.storage import backup as store

CST = timezone(timedelta(hours=8))


def daily(first: date, last: date, *, at=(23, 0)) -> list[datetime]:
    out, d = [], first
    while d <= last:
        out.append(datetime(d.year, d.month, d.day, *at))
        d += timedelta(days=1)
    return out


def days_of(kept) -> list[str]:
    return sorted(t.date().isoformat() for t in kept)


# A year of daily backups up to Monday 2026-03-09 (ISO week 2026-W11), worked out by hand:
YEAR_KEPT = sorted(
    # the last 12 days
    [f"2026-02-{d}" for d in range(26, 29)] + [f"2026-03-0{d}" for d in range(1, 10)]
    # newest of each of the last 10 ISO weeks not already kept: the Sundays of W02..W08
    + ["2026-01-11", "2026-01-18", "2026-01-25", "2026-02-01", "2026-02-08", "2026-02-15",
       "2026-02-22"]
    # newest of each of the last 9 months not already kept: Jul 2025 .. Jan 2026
    + ["2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31",
       "2026-01-31"])


@pytest.mark.parametrize("times, expected", [
    pytest.param(daily(date(2025, 3, 10), date(2026, 3, 9)), YEAR_KEPT, id="year-of-dailies"),
    pytest.param([], [], id="none"),
    pytest.param([datetime(2026, 3, 9, 9), datetime(2026, 3, 9, 12), datetime(2026, 3, 9, 18)],
                 ["2026-03-09"], id="three-today-keeps-the-newest"),
    pytest.param(daily(date(2026, 3, 1), date(2026, 3, 9)),
                 [f"2026-03-0{d}" for d in range(1, 10)], id="fewer-than-12-days"),
    # Two weeks off in February: the 12 days are the 12 newest days *with* a backup.
    pytest.param(daily(date(2026, 1, 20), date(2026, 2, 1)) + daily(date(2026, 2, 16),
                                                                   date(2026, 2, 20)),
                 ["2026-01-26", "2026-01-27", "2026-01-28", "2026-01-29", "2026-01-30",
                  "2026-01-31", "2026-02-01", "2026-02-16", "2026-02-17", "2026-02-18",
                  "2026-02-19", "2026-02-20",
                  "2026-01-25"],  # newest of ISO week W04 (Jan 19-25)
                 id="gap-in-february"),
])
def test_rule_table(times, expected):
    assert days_of(select_kept(times)) == sorted(expected)


def test_within_a_day_the_newest_is_kept():
    times = [datetime(2026, 3, 9, h, 30) for h in (8, 12, 17)]
    assert select_kept(times) == {datetime(2026, 3, 9, 17, 30)}


def _calendar_expectation(times: list[datetime], today: date) -> set[datetime]:
    """The rule written the other way round, by calendar arithmetic from today."""
    def newest(pred):
        inside = [t for t in times if pred(t.date())]
        return {max(inside)} if inside else set()

    kept = set()
    for i in range(12):
        kept |= newest(lambda d, i=i: d == today - timedelta(days=i))
    monday = today - timedelta(days=today.weekday())
    for i in range(10):
        start = monday - timedelta(weeks=i)
        kept |= newest(lambda d, s=start: s <= d < s + timedelta(days=7))
    y, m = today.year, today.month
    for _ in range(9):
        kept |= newest(lambda d, y=y, m=m: (d.year, d.month) == (y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return kept


def test_a_year_of_rotations_day_by_day_matches_the_calendar_rule():
    """Three backups a day for a year, rotating after each as the program does."""
    kept: set[datetime] = set()
    day = date(2025, 3, 10)
    everything: list[datetime] = []
    while day <= date(2026, 3, 9):
        for hour, minute in ((8, 5), (12, 40), (17, 55)):
            t = datetime(day.year, day.month, day.day, hour, minute)
            everything.append(t)
            kept = select_kept(kept | {t})
            assert t in kept  # the copy just made always stays
            assert len(kept) <= 12 + 10 + 9
        assert kept == _calendar_expectation(everything, day), day
        day += timedelta(days=1)
    assert days_of(kept) == YEAR_KEPT


def test_a_season_switched_off_keeps_the_old_copies():
    """Unused from April 2025 to March 2026: a new backup must not wipe the old ones."""
    old = daily(date(2025, 1, 1), date(2025, 3, 31))
    kept = select_kept(old + [datetime(2026, 3, 9, 10)])
    assert datetime(2026, 3, 9, 10) in kept
    assert datetime(2025, 3, 31, 23) in kept and datetime(2025, 1, 31, 23) in kept
    assert len(kept) >= 20


def test_aware_times_are_judged_in_local_time():
    t = datetime(2026, 3, 9, 10, 30, tzinfo=CST)
    assert select_kept([t, t - timedelta(minutes=5)]) == {t}


def test_safety_copies_keep_the_newest_five():
    times = [datetime(2026, 1, d) for d in range(1, 9)]
    assert select_kept_safety(times) == set(times[-5:])


@pytest.mark.parametrize("last, change, now, due", [
    (None, None, "10:00", False),
    (None, "09:00", "09:01", True),          # never backed up
    ("10:00", None, "12:00", False),          # nothing changed (this session)
    ("10:00", "09:59", "12:00", False),       # changed before the last backup
    ("10:00", "10:05", "10:20", False),       # changed, but the last backup is fresh
    ("10:00", "10:05", "10:29", False),
    ("10:00", "10:05", "10:30", True),        # exactly 30 minutes
    ("10:00", "11:59", "12:00", True),
])
def test_backup_due_table(last, change, now, due):
    def t(hhmm):
        return None if hhmm is None else datetime(2026, 3, 9, *map(int, hhmm.split(":")),
                                                  tzinfo=CST)
    assert backup_due(t(last), t(change), t(now)) is due


def test_backup_due_when_the_clock_went_back():
    last = datetime(2026, 3, 9, 10, 0, tzinfo=CST)
    assert backup_due(last, datetime(2025, 1, 1, 9, tzinfo=CST), datetime(2025, 1, 1, 9, 1,
                                                                          tzinfo=CST))


def test_backup_due_compares_across_time_zones():
    last = datetime(2026, 3, 9, 10, 0, tzinfo=CST)
    change = datetime(2026, 3, 9, 2, 10, tzinfo=timezone.utc)   # 10:10 in Yanbian
    assert not backup_due(last, change, datetime(2026, 3, 9, 2, 20, tzinfo=timezone.utc))
    assert backup_due(last, change, datetime(2026, 3, 9, 2, 31, tzinfo=timezone.utc))


@pytest.mark.parametrize("kind", list(BackupKind))
def test_names_round_trip(kind):
    at = datetime(2026, 3, 9, 10, 30, 5).astimezone()
    name = backup_name("demo-station", at, kind)
    assert name.endswith(".sqlite3")
    assert parse_backup_name("demo-station", name) == (kind, at)
    assert parse_backup_name("demo-station", backup_name("demo-station", at, kind, 2)) == (kind, at)


def test_regular_name_format():
    at = datetime(2026, 3, 9, 10, 30, 5).astimezone()
    assert backup_name("station", at) == "station-20260309-103005.sqlite3"


@pytest.mark.parametrize("name", [
    "station.sqlite3", "other-20260309-103005.sqlite3", "station-20260309-103005.sqlite3-wal",
    ".station-20260309-103005.sqlite3.1a2b3c4d.tmp", "station-20261309-103005.sqlite3",
    "station-notes.txt", "station-2026-03-09.sqlite3",
])
def test_names_that_are_not_backups(name):
    assert parse_backup_name("station", name) is None


def test_rotation_over_real_files(tmp_path):
    """A year of daily files in a folder: rotate() deletes exactly what the rule drops,
    and never touches files that are not regular backups."""
    folder = tmp_path / "backups"
    folder.mkdir()
    for t in daily(date(2025, 3, 10), date(2026, 3, 9)):
        (folder / backup_name("station", t.astimezone())).write_bytes(b"x")
    keepers = [folder / "notes.txt", folder / backup_name(
        "station", datetime(2024, 1, 1).astimezone(), BackupKind.DAMAGED)]
    for p in keepers:
        p.write_bytes(b"keep me")
    deleted = store.rotate(folder, "station")
    assert len(deleted) == 365 - len(YEAR_KEPT)
    left = store.list_backups(folder, "station")
    regular = [b for b in left if b.kind is BackupKind.REGULAR]
    assert days_of(b.created_at.replace(tzinfo=None) for b in regular) == YEAR_KEPT
    assert all(p.exists() for p in keepers)
    assert not any(b.verified for b in left)  # one-byte files are no databases
