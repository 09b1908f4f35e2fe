"""Accounts on the station's shared PC: roles and what each may do.

The permission table is data (``PERMISSIONS``): the services refuse a call the
signed-in role lacks, and the window hides or disables what it may not do.
MLPS 2.0 level 2 asks for separated duties, so the administrator manages
accounts, settings and backups but does not handle voters' matters, and the
auditor reads the trail and the records but changes nothing.
"""
from __future__ import annotations

from enum import StrEnum

from station_desk.domain.errors import N_


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
    EDIT_RECEPTION = "edit_reception"        # reception days, duty roster, practical matters
    APPROVE = "approve"                      # leave, declared ledger entries, evaluations
    REVEAL_PERSONAL = "reveal_personal"      # show a masked phone / ID number (with a reason)
    PRINT_PERSONAL = "print_personal"        # documents carrying personal data
    IMPORT_EXPORT = "import_export"          # roster import / export, bundles
    EDIT_STATION = "edit_station"            # station profile, staff, calendar, rules on the wall
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
