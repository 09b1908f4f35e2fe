"""Personal data: reveal a masked value with a reason, the retention schedule, purge.

Every screen, paper and export shows phones and ID numbers masked
(domain/masking.py).  ``reveal`` hands one full value to a person who holds
``REVEAL_PERSONAL`` and gave a reason; the audit trail keeps who, what and why
— never the value.  ``purge`` clears the personal data of cases finished longer
ago than the retention schedule says (docs/privacy.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_desk.domain.accounts import NotPermitted, Permission
from station_desk.domain.changes import Changes
from station_desk.domain.errors import N_, FieldError, NotFound, ValidationError
from station_desk.domain.masking import PERSONAL_MASKS
from station_desk.services.session import Session
from station_desk.storage import cases as case_store, deputies as deputy_store
from station_desk.storage import meta, privacy as store

# what can be revealed: object type -> fields
REVEALABLE = {"case": ("phone", "id_number"), "voter": ("phone", "id_number"),
              "deputy": ("phone",), "staff": ("phone",)}

DEFAULT_CASE_YEARS = 5
DEFAULT_OUTSIDER_YEARS = 2
MAX_YEARS = 30
_KEYS = {"case_years": "retention.case_years", "outsider_years": "retention.outsider_years"}


def _refuse(session: Session, permission: Permission, action: str, object_type: str,
            object_id: str | None, after: dict | None = None) -> None:
    """Raise NotPermitted, leaving a 'refused' row in the trail (MLPS: denied
    attempts are events too)."""
    if session.can(permission):
        return
    with session.write():
        session.audit(action, object_type, object_id, after=after, result="refused")
    raise NotPermitted(session.role, permission)


def reveal(session: Session, *, object_type: str, object_id: str, field: str,
           reason: str) -> str:
    """The full value of one masked field (a voter's phone or ID number, a
    deputy's or a staff member's phone), for the person signed in to see once.

    Needs REVEAL_PERSONAL and a reason; recorded as action "reveal" with the
    field and the reason (never the value).  ``object_type`` "case" means the
    voter of that case."""
    if field not in REVEALABLE.get(object_type, ()) or field not in PERSONAL_MASKS:
        raise NotFound()
    reason = (reason or "").strip()
    _refuse(session, Permission.REVEAL_PERSONAL, "reveal", object_type, object_id,
            after={"field": field, "reason": reason})
    if not reason:
        raise ValidationError([FieldError("reason", N_("Say why the full value is needed."))])
    if len(reason) > 200:
        raise ValidationError([FieldError("reason", N_("Keep the reason under 200 characters."))])
    audited_type, audited_id, extra = object_type, object_id, {}
    if object_type in ("case", "voter"):
        voter_id = object_id
        if object_type == "case":
            from station_desk.services.cases import _readable  # confidential cases stay hidden

            row = _readable(session, case_store.get_case(session.db, object_id))
            if not row["voter_id"]:
                raise NotFound()
            voter_id, extra = row["voter_id"], {"case_id": object_id}
        record = case_store.get_voter(session.db, voter_id)
        audited_type, audited_id = "voter", voter_id
    elif object_type == "deputy":
        record = deputy_store.get(session.db, object_id)
    else:
        rows = list(session.db.query("SELECT phone FROM staff WHERE id = ? AND deleted = 0",
                                     [object_id]))
        record = rows[0] if rows else None
    if record is None:
        raise NotFound()
    with session.write():
        session.audit("reveal", audited_type, audited_id,
                      after={"field": field, "reason": reason, **extra})
    return record.get(field) or ""


# -- retention ------------------------------------------------------------------

@dataclass(frozen=True)
class Retention:
    """How long personal data is kept, in years: the voter's name, phone and ID
    number after their case was archived or closed; an outside participant's
    phone after the activity."""

    case_years: int = DEFAULT_CASE_YEARS
    outsider_years: int = DEFAULT_OUTSIDER_YEARS


def retention(session: Session) -> Retention:
    """The station's retention schedule (the defaults until it is changed)."""
    def years(key: str, default: int) -> int:
        try:
            return int(meta.get(session.db, _KEYS[key]) or default)
        except ValueError:
            return default
    return Retention(case_years=years("case_years", DEFAULT_CASE_YEARS),
                     outsider_years=years("outsider_years", DEFAULT_OUTSIDER_YEARS))


def set_retention(session: Session, *, case_years: object, outsider_years: object) -> Changes:
    """Change the schedule (PURGE permission); 1 to 30 years each; audited."""
    _refuse(session, Permission.PURGE, "edit", "retention", None)
    errors, values = [], {}
    for key, raw in (("case_years", case_years), ("outsider_years", outsider_years)):
        try:
            n = int(str(raw).strip())
            if not 1 <= n <= MAX_YEARS:
                raise ValueError
            values[key] = n
        except (TypeError, ValueError):
            errors.append(FieldError(key, N_("Enter a number of years from 1 to {max}."),
                                     {"max": MAX_YEARS}))
    if errors:
        raise ValidationError(errors)
    before = retention(session)
    with session.write():
        for key, n in values.items():
            meta.put(session.db, _KEYS[key], str(n))
        session.audit("edit", "retention", None,
                      before={"case_years": before.case_years,
                              "outsider_years": before.outsider_years}, after=values)
    return Changes.of("meta")


def _cutoff(today: date, years: int) -> str:
    try:
        return today.replace(year=today.year - years).isoformat()
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28).isoformat()


@dataclass(frozen=True)
class PurgePlan:
    """What a purge now would clear: how many voters (with their cases) and how
    many outside participants' phones, and the dates before which they count."""

    voters: int
    outsiders: int
    case_cutoff: str
    outsider_cutoff: str

    @property
    def empty(self) -> bool:
        return not (self.voters or self.outsiders)


def purge_plan(session: Session) -> PurgePlan:
    """Count what :func:`purge` would clear today; changes nothing."""
    r, today = retention(session), session.today()
    case_cutoff, outsider_cutoff = _cutoff(today, r.case_years), _cutoff(today, r.outsider_years)
    return PurgePlan(voters=len(store.eligible_voters(session.db, cutoff=case_cutoff)),
                     outsiders=len(store.eligible_outsiders(session.db, cutoff=outsider_cutoff)),
                     case_cutoff=case_cutoff, outsider_cutoff=outsider_cutoff)


def purge(session: Session) -> Changes:
    """Clear the personal data past the retention schedule, in one transaction:
    voters' name, phone and ID number (voter row, case list and search index,
    personal keys of the case events) and outside participants' phones.  Then
    the WAL is checkpointed and truncated, so with ``secure_delete`` the old
    bytes are gone from the database file and the WAL.  Needs PURGE; audited
    with the counts (never the values).  ``Changes.extra`` holds the counts and
    ``wal_truncated`` (False when another connection was reading: the old
    bytes leave the WAL at the next checkpoint)."""
    _refuse(session, Permission.PURGE, "purge", "retention", None)
    plan = purge_plan(session)
    now = session.now_iso()
    with session.write():
        voters = store.eligible_voters(session.db, cutoff=plan.case_cutoff)
        outsiders = store.eligible_outsiders(session.db, cutoff=plan.outsider_cutoff)
        events = sum(store.purge_voter(session.db, v, at=now) for v in voters)
        for i in outsiders:
            store.purge_outsider_phone(session.db, i)
        if voters:
            store.compact_search(session.db)
        session.audit("purge", "retention", None, after={
            "voters": len(voters), "events": events, "outsiders": len(outsiders),
            "case_cutoff": plan.case_cutoff, "outsider_cutoff": plan.outsider_cutoff})
    truncated = store.checkpoint_truncate(session.db)
    return Changes(frozenset({"voters", "cases", "case_events", "activity_invitees"}),
                   extra={"voters": len(voters), "events": events,
                          "outsiders": len(outsiders), "wal_truncated": truncated})
