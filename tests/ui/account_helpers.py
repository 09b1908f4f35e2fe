"""Accounts for the UI tests: one per role on the test station, and signing in."""
from __future__ import annotations

from station_desk.services import accounts

PASSWORD = "Lianluo#2026"
LOGINS = {"admin": "admin", "head": "head", "clerk": "clerk", "auditor": "auditor"}


def make_people(session) -> None:
    """The administrator and one account of every other role (same password)."""
    if not accounts.has_accounts(session):
        accounts.create_first_admin(session, login="admin", display_name="王建国",
                                    password=PASSWORD)
    for login, name, role in (("head", "崔英浩", "head"), ("clerk", "金美兰", "clerk"),
                              ("auditor", "朴正浩", "auditor")):
        accounts.create_account(session, login=login, display_name=name, role=role,
                                password=PASSWORD)


def sign_in_as(session, role: str) -> None:
    """Make the accounts if needed and sign the person of ``role`` in."""
    if not accounts.has_accounts(session):
        make_people(session)
    accounts.sign_in(session, login=LOGINS[role], password=PASSWORD)
