"""Accounts: first administrator, sign-in with lockout, passwords, roles, the idle lock.

Passwords are hashed with argon2id (``argon2-cffi``) at OWASP's parameters
(m = 19 MiB, t = 2, p = 1).  ``HASH_PARAMS`` is module-level so the tests can
lower the cost; hashes made at another cost are re-made at the next sign-in.
A failed sign-in never says whether the login exists: an unknown login costs
the same hashing time and gives the same message as a wrong password.
"""
from __future__ import annotations

import inspect
from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from station_desk import paths
from station_desk.domain import accounts as rules
from station_desk.domain.accounts import (
    AccountDisabled, AccountLocked, LastAdministrator, LoginTaken, Permission, Role,
    SignInFailed,
)
from station_desk.domain.changes import Changes
from station_desk.domain.errors import DomainError, FieldError, N_, NotFound, ValidationError
from station_desk.services.session import Session
from station_desk.storage import accounts as store
from station_desk.storage import meta

HASH_PARAMS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
DEMO_FLAG = "demo_station"
IDLE_KEY = "idle_lock_minutes"
MIN_IDLE, MAX_IDLE = 1, 120


class AccountsExist(DomainError):
    msgid = N_("This station already has accounts; an administrator creates new ones.")


def _hasher() -> PasswordHasher:
    return PasswordHasher(type=Type.ID, **HASH_PARAMS)


def hash_password(password: str) -> str:
    """The argon2id hash (PHC string) of ``password`` at the current cost."""
    return _hasher().hash(password)


@lru_cache(maxsize=4)
def _dummy_hash(params: tuple) -> str:
    return PasswordHasher(type=Type.ID, **dict(params)).hash("not a password of anyone")


def _verify(stored: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(stored or _dummy_hash(tuple(sorted(HASH_PARAMS.items()))),
                             password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _common_from(path: str) -> frozenset[str]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        return frozenset()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def common_passwords() -> frozenset[str]:
    """The bundled list of passwords too common to use (resources/passwords/common.txt)."""
    return _common_from(str(paths.resources_dir() / "passwords" / "common.txt"))


def _audit(session: Session, action: str, object_id: str | None, *, before=None, after=None,
           result: str = "ok", actor: str | None = None) -> None:
    """``session.audit`` of an account event; ``actor`` stands in for the session's
    (a failed sign-in is written under the login that was tried)."""
    kwargs = {"before": before, "after": after}
    if "result" in inspect.signature(session.audit).parameters:
        kwargs["result"] = result
    saved = session.actor
    if actor is not None:
        session.actor = actor
    try:
        session.audit(action, "account", object_id, **kwargs)
    finally:
        session.actor = saved


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "password_hash"}


def _local(iso: str | None, session: Session) -> datetime | None:
    if not iso:
        return None
    return datetime.fromisoformat(iso).astimezone(session.now().tzinfo)


def _check_display_name(display_name: str) -> str:
    name = (display_name or "").strip()
    if not name:
        raise ValidationError([FieldError("display_name", N_("Enter the person's name."))])
    if len(name) > 60:
        raise ValidationError([FieldError("display_name", N_("At most 60 characters."))])
    return name


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError([FieldError("role", N_("Choose a role."))]) from None


# -- reading -----------------------------------------------------------------------

def has_accounts(session: Session) -> bool:
    """Whether anyone can sign in yet (no → the first administrator is to be made)."""
    return store.count(session.db) > 0


def accounts(session: Session) -> list[dict]:
    """Every account (no hashes), with ``locked`` true while a lock runs."""
    session.require(Permission.MANAGE_ACCOUNTS)
    now = session.now()
    out = []
    for row in store.all_accounts(session.db):
        row = _public(row)
        until = _local(row["locked_until"], session)
        row["locked_until"] = until if until and until > now else None
        row["locked"] = row["locked_until"] is not None
        row["disabled"] = bool(row["disabled"])
        out.append(row)
    return out


def is_demo(session: Session) -> bool:
    """Whether this is the demo station (its sign-in dialog names the demo accounts)."""
    return meta.get(session.db, DEMO_FLAG) == "1"


def idle_minutes(session: Session) -> int:
    """Minutes without input before the window locks itself (default 5)."""
    try:
        value = int(meta.get(session.db, IDLE_KEY) or rules.DEFAULT_IDLE_MINUTES)
    except ValueError:
        return rules.DEFAULT_IDLE_MINUTES
    return min(max(value, MIN_IDLE), MAX_IDLE)


# -- writing -----------------------------------------------------------------------

def create_first_admin(session: Session, *, login: str, display_name: str,
                       password: str) -> Changes:
    """The first account of a new station: its administrator.  Refused once any
    account exists.  The session is signed in as the new administrator."""
    login = rules.validate_login(login)
    name = _check_display_name(display_name)
    rules.validate_password(password, login=login, common=common_passwords())
    password_hash = hash_password(password)
    with session.write():
        if store.count(session.db):
            raise AccountsExist()
        account_id = store.insert(session.db, login=login, display_name=name,
                                  role=Role.ADMIN, password_hash=password_hash,
                                  at=session.now_iso())
        _audit(session, "create", account_id, actor=login,
               after={"login": login, "display_name": name, "role": Role.ADMIN})
    _become(session, account_id, login, name, Role.ADMIN)
    return Changes.of("accounts", ids=[account_id], created_id=account_id)


def create_account(session: Session, *, login: str, display_name: str, role: str,
                   password: str) -> Changes:
    """A new account (administrator only); the person changes the password later."""
    session.require(Permission.MANAGE_ACCOUNTS)
    errors: list[FieldError] = []
    for check in (lambda: rules.validate_login(login), lambda: _check_display_name(display_name),
                  lambda: _check_role(role),
                  lambda: rules.validate_password(password, login=login,
                                                  common=common_passwords())):
        try:
            check()
        except ValidationError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationError(errors)
    login, name, role = rules.normalise_login(login), display_name.strip(), Role(role)
    password_hash = hash_password(password)
    with session.write():
        if store.by_login(session.db, login):
            raise LoginTaken(login=login)
        account_id = store.insert(session.db, login=login, display_name=name, role=role,
                                  password_hash=password_hash, at=session.now_iso())
        _audit(session, "create", account_id,
               after={"login": login, "display_name": name, "role": role})
    return Changes.of("accounts", ids=[account_id], created_id=account_id)


def _become(session: Session, account_id: str | None, login: str, name: str,
            role: str) -> None:
    session.account_id, session.actor = account_id, login
    session.display_name, session.role = name, role


def sign_in(session: Session, *, login: str, password: str) -> Changes:
    """Sign ``login`` in on ``session``.

    Raises :class:`SignInFailed` for an unknown login or a wrong password
    alike, :class:`AccountLocked` (with the time it ends) during a lock.  The
    fifth failure in a row locks the account for 15 minutes."""
    login = rules.normalise_login(login)
    now = session.now()
    row = store.by_login(session.db, login)
    ok = _verify(row["password_hash"] if row else None, password or "")
    if row is not None:
        until = _local(row["locked_until"], session)
        if until is not None and until > now:
            with session.write():
                _audit(session, "sign_in_failed", row["id"], actor=login, result="refused",
                       after={"login": login, "reason": "locked"})
            raise AccountLocked(until)
    if row is None or not ok or row["disabled"]:
        error: DomainError = SignInFailed()
        with session.write():
            if row is None:
                _audit(session, "sign_in_failed", None, actor=login or "?", result="failed",
                       after={"login": login})
            else:
                # a lock that ran out starts a new count
                failed = (0 if row["locked_until"] else row["failed_count"]) + 1
                if row["disabled"] and ok:
                    failed, error = row["failed_count"], AccountDisabled()
                until = rules.lock_until(failed, now)
                store.update(session.db, row["id"], failed_count=0 if until else failed,
                             locked_until=until.isoformat(timespec="seconds") if until
                             else None)
                _audit(session, "sign_in_failed", row["id"], actor=login, result="failed",
                       after={"login": login, "failed_count": failed})
                if until is not None:
                    _audit(session, "account_locked", row["id"], actor=login, result="ok",
                           after={"locked_until": until.isoformat(timespec="seconds")})
                    error = AccountLocked(until)
        raise error
    fields = {"failed_count": 0, "locked_until": None, "last_sign_in_at": session.now_iso()}
    if _hasher().check_needs_rehash(row["password_hash"]):
        fields["password_hash"] = hash_password(password)
    with session.write():
        store.update(session.db, row["id"], **fields)
        _audit(session, "sign_in", row["id"], actor=login, after={"login": login})
    _become(session, row["id"], login, row["display_name"], row["role"])
    return Changes.of("session")


def sign_out(session: Session) -> Changes:
    """Nobody is signed in afterwards: the session may do nothing until a sign-in."""
    if session.account_id is not None:
        with session.write():
            _audit(session, "sign_out", session.account_id)
    _become(session, None, "", "", "")
    return Changes.of("session")


def verify_current(session: Session, *, password: str) -> Changes:
    """Unlock the idle lock: the signed-in person's password, counted like a sign-in."""
    login = session.actor
    return sign_in(session, login=login, password=password)


def change_password(session: Session, *, old_password: str, new_password: str) -> Changes:
    """The signed-in person changes their own password (the old one is asked)."""
    if not session.account_id:
        raise SignInFailed()
    row = store.by_id(session.db, session.account_id)
    if row is None or not _verify(row["password_hash"], old_password):
        raise ValidationError([FieldError("old_password", N_("The current password is wrong."))])
    rules.validate_password(new_password, login=row["login"], common=common_passwords(),
                            field="password")
    password_hash = hash_password(new_password)
    with session.write():
        store.update(session.db, row["id"], password_hash=password_hash,
                     password_changed_at=session.now_iso())
        _audit(session, "password_change", row["id"])
    return Changes.of("accounts", ids=[row["id"]])


def _account(session: Session, account_id: str) -> dict:
    row = store.by_id(session.db, account_id)
    if row is None:
        raise NotFound()
    return row


def reset_password(session: Session, *, account_id: str, password: str) -> Changes:
    """An administrator sets a new password (and ends a lock) for someone who forgot theirs."""
    session.require(Permission.MANAGE_ACCOUNTS)
    row = _account(session, account_id)
    rules.validate_password(password, login=row["login"], common=common_passwords())
    password_hash = hash_password(password)
    with session.write():
        store.update(session.db, account_id, password_hash=password_hash, failed_count=0,
                     locked_until=None, password_changed_at=session.now_iso())
        _audit(session, "password_reset", account_id, after={"login": row["login"]})
    return Changes.of("accounts", ids=[account_id])


def set_role(session: Session, *, account_id: str, role: str) -> Changes:
    """Give an account another role (administrator only); the last administrator stays one."""
    session.require(Permission.MANAGE_ACCOUNTS)
    role = _check_role(role)
    row = _account(session, account_id)
    if row["role"] == role:
        return Changes()
    with session.write():
        if (row["role"] == Role.ADMIN and not row["disabled"]
                and store.count_active_admins(session.db) <= 1):
            raise LastAdministrator()
        store.update(session.db, account_id, role=role)
        _audit(session, "role_change", account_id, before={"role": row["role"]},
               after={"role": role})
    if account_id == session.account_id:
        session.role = role
    return Changes.of("accounts", ids=[account_id])


def unlock(session: Session, *, account_id: str) -> Changes:
    """End a lock after failed sign-ins before its 15 minutes are over."""
    session.require(Permission.MANAGE_ACCOUNTS)
    row = _account(session, account_id)
    with session.write():
        store.update(session.db, account_id, failed_count=0, locked_until=None)
        _audit(session, "unlock", account_id, before={"locked_until": row["locked_until"]})
    return Changes.of("accounts", ids=[account_id])


def disable_account(session: Session, *, account_id: str, disabled: bool = True) -> Changes:
    """Disable (or enable again) an account; it is kept for the audit trail's names."""
    session.require(Permission.MANAGE_ACCOUNTS)
    row = _account(session, account_id)
    if bool(row["disabled"]) == disabled:
        return Changes()
    with session.write():
        if (disabled and row["role"] == Role.ADMIN
                and store.count_active_admins(session.db) <= 1):
            raise LastAdministrator()
        store.update(session.db, account_id, disabled=1 if disabled else 0)
        _audit(session, "disable" if disabled else "enable", account_id,
               after={"login": row["login"]})
    return Changes.of("accounts", ids=[account_id])


def set_idle_minutes(session: Session, *, minutes: int) -> Changes:
    """How long the window waits without input before it locks (1–120 minutes)."""
    session.require(Permission.MANAGE_ACCOUNTS)
    if not MIN_IDLE <= int(minutes) <= MAX_IDLE:
        raise ValidationError([FieldError("idle_minutes", N_("Between {low} and {high} minutes."),
                                          {"low": MIN_IDLE, "high": MAX_IDLE})])
    with session.write():
        before = meta.get(session.db, IDLE_KEY)
        meta.put(session.db, IDLE_KEY, str(int(minutes)))
        session.audit("settings", "meta", IDLE_KEY, before={"value": before},
                      after={"value": int(minutes)})
    return Changes.of("settings")


def make_demo_accounts(session: Session, *, password: str) -> None:
    """The demo station's four accounts, one per role, sharing ``password``;
    marks the database as the demo (the sign-in dialog then names them)."""
    people = [("admin", "王建国", Role.ADMIN), ("head", "崔英浩", Role.HEAD),
              ("clerk", "金美兰", Role.CLERK), ("auditor", "朴正浩", Role.AUDITOR)]
    with session.write():
        for login, name, role in people:
            store.insert(session.db, login=login, display_name=name, role=role,
                         password_hash=hash_password(password), at=session.now_iso())
        meta.put(session.db, DEMO_FLAG, "1")
