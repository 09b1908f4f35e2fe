"""Accounts: hashing, password rules, sign-in, lockout, administration, and every
service writer refusing a role without its permission (table-driven)."""
from __future__ import annotations

import ast
import inspect
from datetime import timedelta
from pathlib import Path

import pytest

from station_desk.domain.accounts import (
    PERMISSIONS, AccountLocked, LastAdministrator, LoginTaken, NotPermitted, Permission, Role,
    SignInFailed,
)
from station_desk.domain.errors import ValidationError
from station_desk.i18n import gettext_for
from station_desk.services import accounts as acc
from station_desk.services import (
    activities, backup, calendar, cases, notices, practical, reception, registry, roster_io,
    station,
)
from tests.conftest import NOW

PW = "Lianluo#2026"
PROGRAM_COST = dict(acc.HASH_PARAMS)  # read at import, before the tests lower it


class MovableClock:
    def __init__(self, at=NOW):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def admin(session):
    acc.create_first_admin(session, login="admin", display_name="王建国", password=PW)
    return session


def _people(session):
    for login, role in (("clerk", "clerk"), ("head", "head"), ("audit", "auditor")):
        acc.create_account(session, login=login, display_name=login.title(), role=role,
                           password=PW)


def test_first_admin_signs_in_and_stores_an_argon2id_hash(session):
    assert not acc.has_accounts(session)
    acc.create_first_admin(session, login="Admin ", display_name="王建国", password=PW)
    assert acc.has_accounts(session)
    assert (session.role, session.actor, session.display_name) == ("admin", "admin", "王建国")
    row = session.db.execute("SELECT password_hash FROM accounts").fetchone()[0]
    assert row.startswith("$argon2id$") and PW not in row
    with pytest.raises(acc.AccountsExist):
        acc.create_first_admin(session, login="other", display_name="X", password=PW)


def test_production_cost_is_owasp(monkeypatch):
    # the tests lower the cost through this setting; the program's own is OWASP's
    assert PROGRAM_COST == {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
    monkeypatch.setattr(acc, "HASH_PARAMS", PROGRAM_COST)
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in acc.hash_password("irrelevant-pass")


@pytest.mark.parametrize("password,problem", [
    ("short7!", "at least"), ("password123", "too easy"), ("88888888", "too easy"),
    ("WOAINI1314", "too easy"), ("newclerk", "too easy"),
])
def test_password_rules(admin, password, problem):
    with pytest.raises(ValidationError) as err:
        acc.create_account(admin, login="newclerk", display_name="N", role="clerk",
                           password=password)
    assert problem in err.value.for_field("password").msgid


def test_login_taken_and_no_role(admin):
    _people(admin)
    with pytest.raises(LoginTaken):
        acc.create_account(admin, login="CLERK", display_name="C", role="clerk", password=PW)
    with pytest.raises(ValidationError) as err:
        acc.create_account(admin, login="x1", display_name="", role="boss", password=PW)
    assert {e.field for e in err.value.errors} == {"display_name", "role"}


def test_failure_message_is_the_same_for_an_unknown_login_and_a_wrong_password(admin):
    _people(admin)
    with pytest.raises(SignInFailed) as wrong:
        acc.sign_in(admin, login="clerk", password="wrong-password")
    with pytest.raises(SignInFailed) as unknown:
        acc.sign_in(admin, login="nobody", password="wrong-password")
    en = gettext_for("en")
    assert wrong.value.message(en) == unknown.value.message(en)
    assert "nobody" not in unknown.value.message(en)
    actions = [r[0] for r in admin.db.execute(
        "SELECT action FROM audit WHERE object_type = 'account' ORDER BY seq")]
    assert actions.count("sign_in_failed") == 2


def test_five_failures_lock_for_15_minutes_then_the_lock_expires(tmp_path):
    from station_desk.services.session import create_station

    clock = MovableClock()
    s = create_station(tmp_path / "s.sqlite3", clock=clock, profile={
        "name_zh": "站", "code": "222405-01", "county": "龙井市"})
    try:
        acc.create_first_admin(s, login="admin", display_name="A", password=PW)
        _people(s)
        for _ in range(4):
            with pytest.raises(SignInFailed):
                acc.sign_in(s, login="clerk", password="bad-password")
        with pytest.raises(AccountLocked) as locked:
            acc.sign_in(s, login="clerk", password="bad-password")
        assert locked.value.until == NOW + timedelta(minutes=15)
        assert "10:45" in locked.value.message(gettext_for("en"))
        # the right password during the lock is still refused, with the time
        clock.at = NOW + timedelta(minutes=14)
        with pytest.raises(AccountLocked):
            acc.sign_in(s, login="clerk", password=PW)
        # another account is not touched
        acc.sign_in(s, login="head", password=PW)
        assert s.role == "head"
        clock.at = NOW + timedelta(minutes=15, seconds=1)
        acc.sign_in(s, login="clerk", password=PW)
        assert s.role == "clerk"
        actions = [r[0] for r in s.db.execute("SELECT action FROM audit ORDER BY seq")]
        assert "account_locked" in actions and actions[-1] == "sign_in"
    finally:
        s.close()


def test_after_an_expired_lock_a_new_count_starts(admin):
    _people(admin)
    clock = MovableClock()
    admin.clock = clock
    for _ in range(5):
        with pytest.raises((SignInFailed, AccountLocked)):
            acc.sign_in(admin, login="clerk", password="bad-password")
    clock.at = NOW + timedelta(minutes=16)
    with pytest.raises(SignInFailed):  # one failure after the lock: not locked again
        acc.sign_in(admin, login="clerk", password="bad-password")


def test_admin_unlocks_early(admin):
    _people(admin)
    for _ in range(5):
        with pytest.raises((SignInFailed, AccountLocked)):
            acc.sign_in(admin, login="clerk", password="bad-password")
    acc.sign_in(admin, login="admin", password=PW)
    clerk = next(a for a in acc.accounts(admin) if a["login"] == "clerk")
    assert clerk["locked"] and clerk["locked_until"] == NOW + timedelta(minutes=15)
    acc.unlock(admin, account_id=clerk["id"])
    assert not next(a for a in acc.accounts(admin) if a["login"] == "clerk")["locked"]
    acc.sign_in(admin, login="clerk", password=PW)
    assert admin.role == "clerk"
    # a clerk may not unlock, reset or create
    with pytest.raises(NotPermitted):
        acc.unlock(admin, account_id=clerk["id"])


def test_role_change_is_audited_and_the_last_admin_stays(admin):
    _people(admin)
    rows = {a["login"]: a for a in acc.accounts(admin)}
    acc.set_role(admin, account_id=rows["clerk"]["id"], role="head")
    before, after = admin.db.execute(
        "SELECT before, after FROM audit WHERE action = 'role_change'").fetchone()
    assert '"clerk"' in before and '"head"' in after
    with pytest.raises(LastAdministrator):
        acc.set_role(admin, account_id=rows["admin"]["id"], role="clerk")
    with pytest.raises(LastAdministrator):
        acc.disable_account(admin, account_id=rows["admin"]["id"])


def test_reset_password_disable_and_change_own(admin):
    _people(admin)
    rows = {a["login"]: a for a in acc.accounts(admin)}
    acc.reset_password(admin, account_id=rows["clerk"]["id"], password="Neues-2026")
    acc.disable_account(admin, account_id=rows["head"]["id"])
    with pytest.raises(Exception) as err:
        acc.sign_in(admin, login="head", password="wrong-one-1")
    assert isinstance(err.value, SignInFailed)
    acc.sign_in(admin, login="clerk", password="Neues-2026")
    with pytest.raises(ValidationError):
        acc.change_password(admin, old_password="wrong", new_password="Another-2026")
    acc.change_password(admin, old_password="Neues-2026", new_password="Another-2026")
    acc.sign_out(admin)
    assert admin.role == "" and not admin.can(Permission.VIEW_RECORDS)
    acc.sign_in(admin, login="clerk", password="Another-2026")


def test_idle_minutes_setting(admin):
    assert acc.idle_minutes(admin) == 5
    acc.set_idle_minutes(admin, minutes=12)
    assert acc.idle_minutes(admin) == 12
    with pytest.raises(ValidationError):
        acc.set_idle_minutes(admin, minutes=0)


def test_demo_has_one_account_per_role(tmp_path):
    from station_desk.services.demo import DEMO_PASSWORD, make_demo
    from station_desk.services.session import open_session

    path = make_demo(tmp_path / "demo.sqlite3")
    s = open_session(path)
    try:
        assert acc.is_demo(s)
        for login in ("admin", "head", "clerk", "auditor"):
            acc.sign_in(s, login=login, password=DEMO_PASSWORD)
            assert s.role == {"auditor": "auditor"}.get(login, login)
    finally:
        s.close()


def test_a_new_station_is_not_the_demo(session):
    assert not acc.is_demo(session)


# -- every writer refuses a role without its permission ---------------------------

P = Permission
WRITERS = {
    registry: (P.EDIT_DEPUTIES, "create_deputy update_deputy add_mandate record_mandate_event "
                                "set_photo remove_photo delete_deputy undo_delete create_group"),
    cases: (P.EDIT_CASES, "register sort_case forward_case return_case chase_case "
                          "record_progress handle_case reply_case archive_case "
                          "close_out_of_scope mark_duplicate reopen_case undo_step"),
    reception: (P.EDIT_RECEPTION, "set_rule generate_days add_day update_day draw_roster "
                                  "replace_duty swap_duties add_duty remove_duty"),
    practical: (P.EDIT_RECEPTION, "create_matter advance set_progress add_milestone set_leads "
                                  "link_case undo_stage"),
    calendar: (P.EDIT_RECEPTION, "add_calendar_day remove_calendar_day"),
    activities: (P.EDIT_ACTIVITIES, "add_plan_item update_plan_item delete_plan_item "
                                    "create_activity update_activity cancel_activity "
                                    "set_status_held write_summary invite uninvite move_invitee "
                                    "record_leave mark add_photo remove_photo"),
    station: (P.EDIT_STATION, "save_profile add_staff update_staff remove_staff"),
    notices: (P.EDIT_STATION, "add_rule update_rule delete_rule reorder_rules "
                              "set_station_photo remove_station_photo"),
    roster_io: (P.IMPORT_EXPORT, "preview apply export_xlsx"),
    acc: (P.MANAGE_ACCOUNTS, "create_account reset_password set_role unlock disable_account "
                             "set_idle_minutes accounts"),
}
CASES = [(mod, name, perm) for mod, (perm, names) in WRITERS.items() for name in names.split()]
CASES += [(cases, "reveal_phone", P.REVEAL_PERSONAL), (cases, "reveal_id", P.REVEAL_PERSONAL)]


def _call(session, fn):
    """Call ``fn`` with None for each argument it requires (the check comes first)."""
    sig = inspect.signature(fn)
    args, kwargs = [], {}
    for name, p in sig.parameters.items():
        if name == "session":
            args.append(session)
        elif p.default is inspect.Parameter.empty:
            if p.kind is p.KEYWORD_ONLY:
                kwargs[name] = None
            else:
                args.append(None)
    return fn(*args, **kwargs)


@pytest.mark.parametrize("mod,name,permission", CASES,
                         ids=[f"{m.__name__.rsplit('.', 1)[1]}.{n}" for m, n, _p in CASES])
def test_each_writer_needs_its_permission(session, mod, name, permission):
    fn = getattr(mod, name)
    for role in Role:
        session.role = role
        if permission in PERMISSIONS[role]:
            try:
                _call(session, fn)
            except NotPermitted:  # pragma: no cover - the failure this test looks for
                pytest.fail(f"{role} holds {permission} yet {name} refused it")
            except Exception:  # None arguments fail later, past the check
                pass
        else:
            with pytest.raises(NotPermitted) as err:
                _call(session, fn)
            assert err.value.permission == permission


def test_every_writer_is_in_the_table():
    """A new service function that writes must be added to WRITERS (and check)."""
    listed = {(m.__name__, n) for m, n, _p in CASES}
    for mod in WRITERS:
        src = Path(mod.__file__).read_text(encoding="utf-8")
        for node in ast.parse(src).body:
            if (isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
                    and "session.write()" in ast.get_source_segment(src, node)
                    and node.args.args and node.args.args[0].arg == "session"):
                if mod is acc and node.name in {"create_first_admin", "sign_in", "sign_out",
                                                "change_password", "make_demo_accounts"}:
                    continue  # not role-bound: a sign-in, one's own password, the demo
                if mod is notices and node.name == "seed_demo":
                    continue
                assert (mod.__name__, node.name) in listed, node.name


def test_backup_and_restore_by_role(session, tmp_path):
    session.close()
    with pytest.raises(NotPermitted):
        backup.backup_now(session.path, role="auditor")
    info = backup.backup_now(session.path, role="clerk")
    with pytest.raises(NotPermitted):
        backup.restore(session.path, info.path, role="head")
    backup.restore(session.path, info.path, role="admin")


def test_confidential_cases_hidden_without_the_permission(session):
    from station_desk.domain.cases import CaseFilter
    from station_desk.domain.errors import NotFound
    from tests.services.test_cases import _register

    open_id = _register(session)
    secret_id = _register(session, words="举报村干部", confidential=True)
    number = cases.case(session, secret_id)["row"]["number"]
    session.role = "clerk"
    assert [r["id"] for r in cases.page(session, CaseFilter(), offset=0, limit=10)] == [open_id]
    assert cases.count(session, CaseFilter()) == 1
    with pytest.raises(NotFound):
        cases.case(session, secret_id)
    assert cases.find(session, number) is None
    session.role = "head"
    assert cases.count(session, CaseFilter()) == 2
    assert cases.case(session, secret_id)["view"].confidential
    session.role = "admin"  # the administrator sees no case contents at all
    with pytest.raises(NotPermitted):
        cases.case(session, open_id)
    with pytest.raises(NotPermitted):
        cases.page(session, CaseFilter(), offset=0, limit=10)


def test_documents_with_personal_data_need_the_permission(session, tmp_path):
    from station_desk.services import documents

    session.role = "auditor"
    with pytest.raises(NotPermitted):
        documents.render(session, "roster", lang="zh_CN", out=tmp_path / "roster.pdf")
    assert not (tmp_path / "roster.pdf").exists()
    session.role = "clerk"
    documents.render(session, "roster", lang="zh_CN", out=tmp_path / "roster.pdf")
    assert (tmp_path / "roster.pdf").stat().st_size > 0
