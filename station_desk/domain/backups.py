"""Backups: names, what a listing shows, which copies to keep, when one is due.

Pure rules only (no file is touched here); ``storage.backup`` does the I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Iterable

from station_desk.domain.errors import N_

SUFFIX = ".sqlite3"
BACKUP_INTERVAL = timedelta(minutes=30)
KEEP_DAYS = 12
KEEP_WEEKS = 10
KEEP_MONTHS = 9
KEEP_SAFETY = 5


class BackupKind(StrEnum):
    """Why a copy exists.  Only REGULAR copies take part in the 12/10/9 rotation."""

    REGULAR = "regular"
    SAFETY = "safety"      # the database as it was just before a restore or replacement
    DAMAGED = "damaged"    # a raw copy of a database that failed its check, kept as evidence


BACKUP_KIND_LABELS = {
    BackupKind.REGULAR: N_("Backup"),
    BackupKind.SAFETY: N_("Copy kept before a restore"),
    BackupKind.DAMAGED: N_("Damaged database kept aside"),
}

_INFIX = {BackupKind.REGULAR: "", BackupKind.SAFETY: "before-restore-",
          BackupKind.DAMAGED: "damaged-"}
_STAMP_RE = re.compile(r"^(\d{8})-(\d{6})(?:_(\d+))?$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the Settings screen lists it."""

    path: Path
    created_at: datetime  # aware, in the computer's local time zone
    size: int
    kind: BackupKind
    verified: bool        # passed integrity_check when made and its header is still sound

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: where from, and the copy kept of what was replaced."""

    db_path: Path
    restored: BackupInfo
    safety: BackupInfo | None


def local_naive(moment: datetime) -> datetime:
    """``moment`` as wall-clock time of this computer (naive input is taken as local)."""
    return moment.astimezone().replace(tzinfo=None)


def backup_name(stem: str, at: datetime, kind: BackupKind = BackupKind.REGULAR,
                serial: int = 0) -> str:
    """``<stem>-YYYYmmdd-HHMMSS.sqlite3`` (local time); ``serial`` separates two copies
    made in the same second."""
    stamp = local_naive(at).strftime("%Y%m%d-%H%M%S")
    extra = f"_{serial}" if serial else ""
    return f"{stem}-{_INFIX[kind]}{stamp}{extra}{SUFFIX}"


def parse_backup_name(stem: str, name: str) -> tuple[BackupKind, datetime] | None:
    """The kind and (aware, local) time of a backup file name, or None if it is not one."""
    prefix = stem + "-"
    if not (name.startswith(prefix) and name.endswith(SUFFIX)):
        return None
    rest = name[len(prefix):-len(SUFFIX)]
    kind = BackupKind.REGULAR
    for k, infix in _INFIX.items():
        if infix and rest.startswith(infix):
            kind, rest = k, rest[len(infix):]
            break
    m = _STAMP_RE.match(rest)
    if not m:
        return None
    try:
        naive = datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return kind, naive.astimezone()


def _newest_per_period(times: list[datetime], key, count: int) -> set[datetime]:
    """The newest time in each of the ``count`` most recent periods that hold one."""
    kept: dict[object, datetime] = {}
    for t in sorted(times, key=local_naive, reverse=True):
        k = key(local_naive(t))
        if k not in kept:
            if len(kept) == count:
                break
            kept[k] = t
    return set(kept.values())


def select_kept(times: Iterable[datetime], *, days: int = KEEP_DAYS, weeks: int = KEEP_WEEKS,
                months: int = KEEP_MONTHS) -> set[datetime]:
    """Grandfather-father-son: the newest backup of each of the last ``days`` days,
    ``weeks`` ISO weeks and ``months`` months; a backup kept by any rule stays.

    "Last" counts periods that hold a backup, not calendar periods before today:
    a station PC left off for a season, or a clock that jumped, never loses every
    copy.  With daily backups up to today both readings are the same."""
    times = list(times)
    return (_newest_per_period(times, lambda t: t.date(), days)
            | _newest_per_period(times, lambda t: t.isocalendar()[:2], weeks)
            | _newest_per_period(times, lambda t: (t.year, t.month), months))


def select_kept_safety(times: Iterable[datetime], *, count: int = KEEP_SAFETY) -> set[datetime]:
    """Copies made before a restore are kept apart from the rotation: the newest ``count``."""
    return set(sorted(times, key=local_naive, reverse=True)[:count])


def backup_due(last_backup_at: datetime | None, last_change_at: datetime | None,
               now: datetime, *, interval: timedelta = BACKUP_INTERVAL) -> bool:
    """True when something changed since the last backup and it is at least
    ``interval`` (30 minutes) old.  A clock that went back behind the last backup
    does not hold backups off until it catches up."""
    if last_change_at is None:
        return False
    if last_backup_at is None:
        return True
    last, change, current = (local_naive(t) for t in (last_backup_at, last_change_at, now))
    if current < last:
        return True  # the clock went back: times cannot be compared, so copy now
    return change > last and current - last >= interval
