"""Accounts on the station's shared PC: roles and what each may do.

The permission table is data (``PERMISSIONS``): the services refuse a call the
signed-in role lacks, and the window hides or disables what it may not do.
MLPS 2.0 level 2 asks for separated duties, so the administrator manages
accounts, settings and backups but does not handle voters' matters, and the
auditor reads the trail and the records but changes nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from station_desk.domain.errors import DomainError, FieldError, N_, ValidationError


class Role(StrEnum):
    CLERK = "clerk"
    HEAD = "head"
    AUDITOR = "auditor"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.CLERK: N_("Clerk"),
    Role.HEAD: N_("Station head"),
    Role.AUDITOR: N_("Auditor"),
    Role.ADMIN: N_("Administrator"),
}


class Permission(StrEnum):
    VIEW_RECORDS = "view_records"            # deputies, cases, activities, reception
    EDIT_DEPUTIES = "edit_deputies"          # registry, mandates, photos, groups
    EDIT_CASES = "edit_cases"                # register, sort, forward, handle, reply, archive
    VIEW_CONFIDENTIAL = "view_confidential"  # confidential cases (accusations)
    EDIT_ACTIVITIES = "edit_activities"      # plan, activities, invitations, attendance
    EDIT_RECEPTION = "edit_reception"        # reception days, duty roster, work calendar,
                                             # practical matters
    APPROVE = "approve"                      # leave, declared ledger entries, evaluations
    REVEAL_PERSONAL = "reveal_personal"      # show a masked phone / ID number (with a reason)
    PRINT_PERSONAL = "print_personal"        # documents carrying personal data
    IMPORT_EXPORT = "import_export"          # roster import / export, bundles
    EDIT_STATION = "edit_station"            # station profile, staff, rules on the wall
    BACKUP = "backup"                        # make backups
    RESTORE = "restore"                      # restore a backup
    MANAGE_ACCOUNTS = "manage_accounts"      # create accounts, roles, unlock, reset passwords
    VIEW_AUDIT = "view_audit"                # the audit trail, its export and check
    PURGE = "purge"                          # retention: purge old personal data


P = Permission
_WORK = frozenset({P.VIEW_RECORDS, P.EDIT_DEPUTIES, P.EDIT_CASES, P.EDIT_ACTIVITIES,
                   P.EDIT_RECEPTION, P.PRINT_PERSONAL, P.IMPORT_EXPORT, P.BACKUP})

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _WORK,
    Role.HEAD: _WORK | {P.VIEW_CONFIDENTIAL, P.APPROVE, P.REVEAL_PERSONAL, P.EDIT_STATION,
                        P.PURGE},
    Role.AUDITOR: frozenset({P.VIEW_RECORDS, P.VIEW_AUDIT}),
    Role.ADMIN: frozenset({P.EDIT_STATION, P.BACKUP, P.RESTORE, P.MANAGE_ACCOUNTS}),
}


def allows(role: Role | str | None, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``; no role holds nothing."""
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False


# What each permission lets a person do, as the end of "Your role (…) may not …".
PERMISSION_LABELS = {
    P.VIEW_RECORDS: N_("view the station's records"),
    P.EDIT_DEPUTIES: N_("change deputies, their mandates or groups"),
    P.EDIT_CASES: N_("register or handle voters' matters"),
    P.VIEW_CONFIDENTIAL: N_("see confidential matters"),
    P.EDIT_ACTIVITIES: N_("change activities or the activity plan"),
    P.EDIT_RECEPTION: N_("change reception days, the duty roster, the calendar or practical matters"),
    P.APPROVE: N_("approve"),
    P.REVEAL_PERSONAL: N_("reveal a masked phone or ID number"),
    P.PRINT_PERSONAL: N_("print documents carrying personal data"),
    P.IMPORT_EXPORT: N_("import or export data"),
    P.EDIT_STATION: N_("change the station's profile, staff or rules"),
    P.BACKUP: N_("make a backup"),
    P.RESTORE: N_("restore a backup"),
    P.MANAGE_ACCOUNTS: N_("manage accounts"),
    P.VIEW_AUDIT: N_("view the audit trail"),
    P.PURGE: N_("purge old personal data"),
}

MIN_PASSWORD_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
DEFAULT_IDLE_MINUTES = 5
LOGIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


class NotPermitted(DomainError):
    """The signed-in role lacks a permission; the window should not have offered it."""

    msgid = N_("Your role ({role}) may not {action}.")

    def __init__(self, role: Role | str | None, permission: Permission) -> None:
        self.permission = Permission(permission)
        try:
            role_label = ROLE_LABELS[Role(role)]
        except ValueError:
            role_label = str(role)
        super().__init__(None, role=role_label, action=PERMISSION_LABELS[self.permission])

    def message(self, gettext) -> str:
        # the role and the action are message ids too
        return gettext(self.msgid).format(role=gettext(self.params["role"]),
                                          action=gettext(self.params["action"]))


class SignInFailed(DomainError):
    """Wrong login or wrong password: which of the two is never said."""

    msgid = N_("Sign-in failed. Check the login name and the password.")


class AccountLocked(DomainError):
    """Too many failed attempts; ``until`` is the local time the lock ends."""

    msgid = N_("This account is locked after too many failed sign-ins until {until}. "
               "An administrator can unlock it earlier.")

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(None, until=until.strftime("%H:%M"))


class AccountDisabled(DomainError):
    msgid = N_("This account is disabled.")


class LoginTaken(DomainError):
    msgid = N_("The login name {login} is already in use.")


class LastAdministrator(DomainError):
    msgid = N_("The last active administrator cannot be removed or changed to another role.")


def normalise_login(login: str) -> str:
    return (login or "").strip().lower()


def validate_login(login: str) -> str:
    """A login name: 2–32 of a–z, 0–9, '.', '_', '-'."""
    login = normalise_login(login)
    if not login:
        raise ValidationError([FieldError("login", N_("Enter a login name."))])
    if not 2 <= len(login) <= 32 or not set(login) <= LOGIN_CHARS:
        raise ValidationError([FieldError(
            "login", N_("A login name has 2 to 32 letters a–z, digits, '.', '_' or '-'."))])
    return login


def password_problem(password: str, *, login: str, common: frozenset[str]) -> str | None:
    """The msgid of what is wrong with ``password``, or None when it may be used."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return N_("A password needs at least {n} characters.")
    if password.lower() == normalise_login(login) or password.lower() in common:
        return N_("This password is too easy to guess. Choose another.")
    return None


def validate_password(password: str, *, login: str, common: frozenset[str],
                      field: str = "password") -> None:
    """Raise a ValidationError on ``field`` when ``password`` may not be used."""
    problem = password_problem(password, login=login, common=common)
    if problem:
        raise ValidationError([FieldError(field, problem, {"n": MIN_PASSWORD_LENGTH})])


def lock_until(failed_count: int, now: datetime) -> datetime | None:
    """When a run of ``failed_count`` failures locks the account, the end of the lock."""
    if failed_count >= MAX_FAILED_ATTEMPTS:
        return now + timedelta(minutes=LOCK_MINUTES)
    return None
