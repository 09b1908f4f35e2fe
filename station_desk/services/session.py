"""An open station database with the person using it and the clock."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from station_desk.domain.accounts import NotPermitted, Permission, allows
from station_desk.domain.errors import DomainError, N_
from station_desk.domain.masking import mask_record
from station_desk.domain.station import validate_profile
from station_desk.storage import audit, db as storage_db, meta as meta_store
from station_desk.storage import station as station_store
from station_desk.storage import reception as reception_store


def _now() -> datetime:
    return datetime.now().astimezone()


class StationExists(DomainError):
    msgid = N_("A station database already exists at {path}.")


@dataclass
class Session:
    db: sqlite_utils.Database
    path: Path
    actor: str = "clerk"
    clock: Callable[[], datetime] = _now
    station_code: str = ""
    listeners: list = field(default_factory=list)
    # who is signed in: None for the system itself (command line, tests, migrations),
    # which may do everything; the window always signs someone in.  "" after a
    # sign-out: nobody, who may do nothing.
    account_id: str | None = None
    role: str | None = None
    display_name: str = ""

    def can(self, permission: Permission | str) -> bool:
        """Whether the person signed in (or the system) holds ``permission``."""
        return self.role is None or allows(self.role, Permission(permission))

    def require(self, permission: Permission | str) -> None:
        """Raise :class:`NotPermitted` unless :meth:`can` ``(permission)``."""
        if not self.can(permission):
            raise NotPermitted(self.role, Permission(permission))

    def now(self) -> datetime:
        return self.clock()

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def today(self) -> date:
        return self.clock().date()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One user action = one transaction; sqlite errors become typed errors."""
        with storage_db.sqlite_errors(self.path):
            with self.db.atomic():
                yield self.db

    def audit(self, action: str, object_type: str, object_id: str | None = None,
              before: dict | None = None, after: dict | None = None, *,
              result: str = "ok") -> None:
        """Append a row to the audit trail (inside the action's transaction);
        ``result`` is "ok", "failed" or "refused"."""
        # phones and ID numbers enter the trail masked (one rule: domain/masking.py)
        audit.record(self.db, at=self.now_iso(), actor=self.actor, action=action,
                     object_type=object_type, object_id=object_id,
                     before=mask_record(before), after=mask_record(after), result=result)

    def close(self) -> None:
        storage_db.close(self.db)


def check_file(path: Path | str) -> str:
    """The start-up integrity check (``PRAGMA quick_check``) of an existing station
    database on its own connection: "ok" or the first problem.  It may run on a
    worker thread; hand its answer to :func:`open_session`."""
    return storage_db.quick_check(Path(path))


def open_session(path: Path | str, *, actor: str = "clerk",
                 clock: Callable[[], datetime] = _now,
                 check_result: Callable[[], str] | None = None) -> Session:
    """Open an existing station database (checked, migrated).

    ``check_result`` gives the answer of a :func:`check_file` started earlier
    (start-up runs it while the window is built); without it the check runs
    here.  Either way nothing is read or written before the file passed it."""
    path = Path(path)
    db = storage_db.open_database(path, quick_check_result=check_result)
    profile = station_store.get_profile(db)
    return Session(db=db, path=path, actor=actor, clock=clock,
                   station_code=profile["code"] if profile else "")


def create_station(path: Path | str, *, profile: dict, actor: str = "clerk",
                   clock: Callable[[], datetime] = _now) -> Session:
    """Create a new station database with its profile; refuses to overwrite."""
    path = Path(path)
    fields = validate_profile(profile)
    if path.exists() and path.stat().st_size > 0:
        raise StationExists(path=str(path))
    db = storage_db.open_database(path, create=True)
    session = Session(db=db, path=path, actor=actor, clock=clock, station_code=fields["code"])
    with session.write():
        row_id = station_store.save_profile(db, origin=fields["code"], fields=fields)
        session.audit("create", "station", row_id, after=fields)
        reception_store.seed_calendar(db, origin=fields["code"])  # the default holidays
    return session


def station_exists(path: Path | str) -> bool:
    p = Path(path)
    return p.exists() and p.stat().st_size > 0


def is_county(session: Session) -> bool:
    """Whether the open database is a county database (services/county.py);
    here, not with the bundles, so the window's start asks it cheaply."""
    return meta_store.get(session.db, "mode") == "county"
