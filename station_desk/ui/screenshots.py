"""``station-desk screenshots``: every screen and dialog, in every language, offscreen.

The demo station is built in a temporary folder (the user's data is never
touched), the real main window is opened at 1280×800, and each screen is saved
as ``<out>/<screen-key>-<lang>.png``.  Dialogs join through ``DIALOGS``: a name
and a factory that gets the main window and returns the dialog, saved as
``<out>/<name>-<lang>.png``.  ``PREPARE`` lets a screen be put in a telling
state first (e.g. a deputy selected).  ``VIEWS`` adds more pictures of one
screen in other states (e.g. a case in each step of its workflow), saved as
``<out>/<name>-<lang>.png`` for the languages each names.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEventLoop, QSize, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

LANGS = ("zh_CN", "ko", "en")
WINDOW_SIZE = QSize(1280, 800)


def _first_start(window) -> QWidget:
    from station_desk.ui.dialogs.first_start import FirstStartDialog

    return FirstStartDialog(window.session.path.with_name("station.sqlite3"), window)


def _staff(window) -> QWidget:
    from station_desk.services import station as station_service
    from station_desk.ui.dialogs.staff import StaffDialog

    staff = station_service.staff(window.session)
    return StaffDialog(window.session, staff=staff[0] if staff else None, parent=window)


def _sign_in(state: str) -> Callable[[QWidget], QWidget]:
    """The sign-in dialog of the demo station: ``normal``, after a wrong password
    (``failed``), or with the auditor's account ``locked`` by five of them."""

    def factory(window) -> QWidget:
        from station_desk.ui.dialogs.sign_in import SignInDialog

        login = {"normal": "clerk", "failed": "clerk", "locked": "auditor"}[state]
        dialog = SignInDialog(window.session, window, login=login)
        for _i in range({"normal": 0, "failed": 1, "locked": 5}[state]):
            dialog.login.setText(login)
            dialog.password.setText("wrong-password")
            dialog.accept()  # refused: the session stays as it was
        return dialog

    return factory


def _first_admin(window) -> QWidget:
    from station_desk.ui.dialogs.first_start import FirstAdminDialog

    return FirstAdminDialog(window.session, window)


def _new_account(window) -> QWidget:
    from station_desk.ui.dialogs.accounts import NewAccountDialog

    return NewAccountDialog(window.session, window)


class _SignedInWindow(QWidget):
    """A stand-in main window whose session has the demo clerk signed in, so the
    lock screen is pictured as the clerk would see it (the real window's session
    stays the system's, which may show every screen)."""

    def __init__(self, window) -> None:
        import dataclasses

        super().__init__(window)  # owned by the window, never shown
        self.hide()
        self.session = dataclasses.replace(window.session, account_id="demo-clerk",
                                           role="clerk", actor="clerk",
                                           display_name="金美兰")
        self.resize(WINDOW_SIZE)


def _lock_screen(switching: bool) -> Callable[[QWidget], QWidget]:
    def factory(window) -> QWidget:
        from station_desk.ui.lock import LockScreen

        stand_in = _SignedInWindow(window)
        lock = LockScreen(stand_in)
        lock.resize(WINDOW_SIZE)
        lock.set_switching(switching)
        lock.setProperty("closing", True)
        return lock

    return factory


# (file name, factory(main window) -> dialog); other screens add theirs here
def _a_deputy(window) -> dict:
    from station_desk.domain.deputies import DeputyFilter
    from station_desk.services import registry

    first = registry.page(window.session, DeputyFilter(), offset=0, limit=1)[0]
    return registry.deputy(window.session, first["id"])


def _deputy_form(window) -> QWidget:
    from station_desk.ui.dialogs.deputy_form import DeputyForm

    return DeputyForm(window.session, _a_deputy(window), window)


def _terminate(window) -> QWidget:
    from station_desk.domain.deputies import MandateEventKind
    from station_desk.ui.dialogs.mandate_dialogs import MandateEventDialog

    deputy = _a_deputy(window)
    return MandateEventDialog(window.session, deputy, deputy["mandates"][0],
                              MandateEventKind.TERMINATED, window)


def _history(window) -> QWidget:
    from station_desk.ui.dialogs.history import HistoryDialog

    return HistoryDialog(window.session, _a_deputy(window), window)


def _roster_import(window) -> QWidget:
    from station_desk.ui.dialogs.roster_import import RosterImportDialog

    return RosterImportDialog(window.session, window)


def _plan_item(window) -> QWidget:
    from station_desk.services import activities
    from station_desk.ui.dialogs.plan_item import PlanItemDialog

    year = window.session.today().year
    items = activities.plan(window.session, year=year)
    return PlanItemDialog(window.session, year=year, item=items[0] if items else None,
                          parent=window)


def _activity_form(window) -> QWidget:
    from station_desk.services import activities
    from station_desk.ui.dialogs.activity_form import ActivityFormDialog

    rows = activities.activities(window.session)
    activity = activities.activity(window.session, rows[0]["id"]) if rows else None
    return ActivityFormDialog(window.session, activity=activity, parent=window)


def _demo_activity(window, status: str) -> str:
    """The newest demo activity with ``status`` and many invited people."""
    from station_desk.services import activities

    rows = [a for a in activities.activities(window.session, status=status) if a["invited"]]
    rows.sort(key=lambda a: (a["invited"] >= 12, a["starts_at"]), reverse=True)
    return rows[0]["id"]


def _attendance(stage: str) -> Callable[[QWidget], QWidget]:
    """The attendance dialog on the newest held demo activity: ``before`` any
    mark, ``halfway`` (the first half ticked with the keys) or ``done``.  The
    marks are put back as they were when the dialog closes."""

    def factory(window) -> QWidget:
        from station_desk.domain.activities import Attendance
        from station_desk.services import activities
        from station_desk.ui.dialogs.attendance import AttendanceDialog

        session = window.session
        activity_id = _demo_activity(window, "held")
        original = activities.activity(session, activity_id)["invitees"]
        if stage != "done":
            activities.mark(session, activity_id=activity_id,
                            marks={r["id"]: "unmarked" for r in original})
        dialog = AttendanceDialog(session, activity_id, window)
        if stage == "halfway":
            for i, r in enumerate(original[:len(original) // 2]):
                dialog.set_current_row(i)
                dialog.key_mark(Attendance(r["attendance"]))
        elif stage == "done":
            dialog.set_current_row(len(original) - 1)

        def restore(_result=None) -> None:
            activities.mark(session, activity_id=activity_id,
                            marks={r["id"]: r["attendance"] for r in original},
                            signed_at={r["id"]: r["signed_at"] for r in original
                                       if r["attendance"] == "present" and r["signed_at"]})

        dialog.finished.connect(restore)
        return dialog

    return factory


def _deputy_picker(window) -> QWidget:
    """Inviting to a coming demo activity: one group's deputies ticked and an
    outside participant added (nothing is saved)."""
    from station_desk.ui.dialogs.deputy_picker import DeputyPickerDialog

    dialog = DeputyPickerDialog(window.session, _demo_activity(window, "scheduled"), window)
    combo = dialog.filters.group
    best, most = None, 0
    for i in range(1, combo.count()):  # the group with the most people not yet invited
        dialog.filters.select(combo, combo.itemData(i))
        left = len(set(dialog.model.shown_ids()) - dialog.model.invited)
        if left > most:
            best, most = combo.itemData(i), left
    dialog.filters.select(combo, best)
    dialog.select_all_shown()
    fields = dialog.outsider_fields
    for key, value in (("name", "张丽"), ("name_ko", "장려"), ("unit", "龙井市司法局"),
                       ("post", "普法科科员"), ("phone", "13904437788")):
        fields[key].setText(value)
    dialog.add_outsider()
    return dialog


def _station_rule(window) -> QWidget:
    from station_desk.services import notices
    from station_desk.ui.dialogs.station_rule import StationRuleDialog

    rules = notices.rules(window.session)
    return StationRuleDialog(window.session, rule=rules[1] if len(rules) > 1 else None,
                             parent=window)


def _print_centre(document: str) -> Callable[[QWidget], None]:
    """The print centre with ``document`` chosen and its preview made."""

    def prepare(screen) -> None:
        import time

        screen.select_document(document)
        screen.request_preview()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            settle(40)
            if not screen.preview_busy():
                break
        settle(120)

    return prepare


def _reveal(window) -> QWidget:
    """The reason asked before a voter's full phone is shown."""
    from station_desk.domain.cases import CaseFilter
    from station_desk.services import cases
    from station_desk.ui.dialogs.reveal import RevealDialog

    first = cases.page(window.session, CaseFilter(), offset=0, limit=1)[0]
    return RevealDialog(window.session, object_type="case", object_id=first["id"],
                        field="phone", who=first["voter_name"], parent=window)


def _declare(window) -> QWidget:
    from station_desk.ui.screens.ledger import DeclareDialog

    dialog = DeclareDialog(window.session, _a_deputy(window)["id"], window)
    dialog.fields.set_value("kind", "training")
    dialog.fields.set_value("title", "延边州人大代表履职能力培训班")
    dialog.evidence.append(("结业证书.jpg", b""))
    dialog.files.addItem("结业证书.jpg")
    return dialog


def _reject_entry(window) -> QWidget:
    from station_desk.ui.screens.ledger import ReasonDialog

    dialog = ReasonDialog(window)
    dialog.reason.setPlainText("证明材料为会议通知，未见出席记录，请补充签到表复印件")
    return dialog


def _suggestion_form(window) -> QWidget:
    from station_desk.services import suggestions
    from station_desk.ui.screens.suggestions import SuggestionForm

    rows = suggestions.suggestions(window.session)
    return SuggestionForm(window.session, rows[0] if rows else None, window)


DIALOGS: list[tuple[str, Callable[[QWidget], QWidget]]] = [
    ("dialog-sign-in", _sign_in("normal")),
    ("dialog-sign-in-failed", _sign_in("failed")),
    ("dialog-sign-in-locked", _sign_in("locked")),
    ("dialog-first-admin", _first_admin),
    ("dialog-new-account", _new_account),
    ("lock-screen", _lock_screen(False)),
    ("lock-screen-switch-user", _lock_screen(True)),
    ("dialog-station-rule", _station_rule),
    ("dialog-first-start", _first_start),
    ("dialog-staff", _staff),
    ("dialog-deputy-edit", _deputy_form),
    ("dialog-terminate-mandate", _terminate),
    ("dialog-history", _history),
    ("dialog-roster-import", _roster_import),
    ("dialog-attendance-1-before", _attendance("before")),
    ("dialog-attendance-2-halfway", _attendance("halfway")),
    ("dialog-attendance-3-done", _attendance("done")),
    ("dialog-deputy-picker", _deputy_picker),
    ("dialog-plan-item", _plan_item),
    ("dialog-activity", _activity_form),
    ("dialog-reveal", _reveal),
    ("dialog-declare-entry", _declare),
    ("dialog-reject-entry", _reject_entry),
    ("dialog-suggestion", _suggestion_form),
]


def _select_first_staff(screen) -> None:
    if screen.staff_table.rowCount():
        screen.staff_table.selectRow(0)


def _select_first_deputy(screen) -> None:
    if screen.table.model().rowCount():
        screen.table.selectRow(0)


def _select_next_reception_day(screen) -> None:
    screen.select_next_day()


def _show_cases_in(state: str | None) -> Callable[[QWidget], None]:
    """Filter the case list to ``state`` (None: every case) and select the first."""

    def prepare(screen) -> None:
        combo = screen.state_filter
        combo.setCurrentIndex(max(combo.findData(state), 0) if state else 0)
        screen.apply_filter()
        if screen.model.rowCount():
            screen.select_row(0)

    return prepare


# screen key -> function run on the screen before it is grabbed
def _select_last_matter(screen) -> None:
    if screen.table.rowCount():
        screen.table.selectRow(screen.table.rowCount() - 1)


def _show_plan(screen) -> None:
    screen.tabs.setCurrentIndex(0)


def _show_held_activity(screen) -> None:
    """The activity list with the latest held activity's page (attendance, summary)."""
    screen.tabs.setCurrentIndex(1)
    rows = screen._rows
    held = next((r for r, a in enumerate(rows) if a["status"] == "held"), 0 if rows else -1)
    if held >= 0:
        screen.select_row(held)


def _audit_checked(screen) -> None:
    """The trail with the first entry's detail and the check's real answer."""
    from station_desk.services import audit

    screen.object_filter.setCurrentIndex(0)  # all entries, also after the view below
    screen.apply_filter()
    screen.show_report(audit.verify(screen.session))


def _audit_broken(screen) -> None:
    """The answer a tampered trail gets (an entry edited with sqlite3), staged on the
    demo's own trail: the entry named is selected so its detail shows."""
    from station_desk.domain.audit import ChainProblem, ChainReport

    _choose_data(screen.object_filter, "case")
    row = screen.model.row_at(min(3, screen.model.rowCount() - 1))
    if row is None:
        return
    screen.select_row(min(3, screen.model.rowCount() - 1))
    screen.show_report(ChainReport(checked=row["seq"] - 1, problem=ChainProblem.EDITED,
                                   seq=row["seq"], seconds=0.01))


def _show_locked_account(screen) -> None:
    """The accounts with the one the sign-in pictures locked, selected."""
    screen.refresh()
    locked = next((r["login"] for r in screen._rows if r["locked"]), None)
    if locked:
        screen.select_login(locked)


def _choose_data(combo, value) -> None:
    combo.setCurrentIndex(max(combo.findData(value), 0))


def _ledger_file(screen) -> None:
    """A deputy's file of last year: the model deputy with the most entries."""
    from station_desk.services import ledger

    year = str(screen.session.today().year - 1)
    models = ledger.models(screen.session)
    if models:
        screen.select_deputy(models[0]["deputy_id"])
    screen.set_period(year)


def _ledger_pending(screen) -> None:
    """The first declaration waiting for the head, selected."""
    screen.next_pending()


def _evaluation_last_year(screen) -> None:
    screen.set_period(str(screen.session.today().year - 1))


def _evaluation_invalid(screen) -> None:
    """The scheme with a cap below zero and overlapping grades, refused and marked."""
    from station_desk.domain.errors import ValidationError
    from station_desk.services import evaluation

    scheme = evaluation.preset("hunchun")
    scheme["items"][2]["cap"] = -4
    scheme["bands"][2]["low"] = 85
    screen.show_scheme(scheme)
    try:
        from station_desk.domain.evaluation import validate_scheme

        validate_scheme(screen.edited_scheme())
    except ValidationError as exc:
        screen.mark(exc)


PREPARE: dict[str, Callable[[QWidget], None]] = {
    "ledger": _ledger_file,
    "evaluation": _evaluation_last_year,
    "print": _print_centre("wall-deputies"),
    "audit": _audit_checked,
    "home": lambda screen: screen.ensure_loaded(),
    "activities": _show_plan,
    "cases": _show_cases_in(None),
    "practical": _select_last_matter,
    "registry": _select_first_deputy,
    "reception": _select_next_reception_day,
    "station": _select_first_staff,
}


CASE_STATES = ("registered", "sorted", "forwarded", "handled", "replied", "archived")

# (file name, screen key, prepare(screen), languages): more views of a screen
VIEWS: list[tuple[str, str, Callable[[QWidget], None], tuple[str, ...]]] = [
    (f"case-{state}", "cases", _show_cases_in(state), ("zh_CN", "ko"))
    for state in CASE_STATES
] + [
    ("print-sign-in-sheet", "print", _print_centre("sign-in-sheet"), ("zh_CN", "ko")),
    ("activities-list", "activities", _show_held_activity, ("zh_CN", "ko", "en")),
    ("audit-broken-chain", "audit", _audit_broken, ("zh_CN", "ko", "en")),
    ("accounts-locked", "accounts", _show_locked_account, ("zh_CN", "ko", "en")),
    ("ledger-review", "ledger", _ledger_pending, ("zh_CN", "ko")),
    ("evaluation-invalid-scheme", "evaluation", _evaluation_invalid, ("zh_CN", "ko")),
]


def _export_dialog(window) -> QWidget:
    """The station's export dialog with its counts and a table's rows as they travel."""
    from station_desk.ui.dialogs.bundles import ExportDialog

    dialog = ExportDialog(window.session, window)
    tables = [dialog.counts.item(r, 0).data(256) for r in range(dialog.counts.rowCount())]
    if tables:
        dialog.counts.selectRow(tables.index("cases") if "cases" in tables else 0)
    return dialog


DIALOGS.append(("dialog-export-bundle", _export_dialog))

# the county's screens, pictured on the demo county (services/demo_county.py)
COUNTY_SCREENS = ("county_stations", "county_import", "county_cases", "county_returns",
                  "county_key")


def _county_pictures(out: Path, lang: str, window, county_db: Path, state: dict) -> list[Path]:
    """County mode and the round trip's steps: the county's screens, its dry run of
    the station's next bundle, a reply being written, the station's dry run of the
    return bundle and the county's reply on the station's case."""
    from station_desk.services import bundles, county as county_service
    from station_desk.ui.county_window import CountyWindow
    from station_desk.ui.dialogs.bundles import ImportReportDialog

    stick = county_db.with_name("round-trip-stick")
    if "county" not in state:
        stick.mkdir(exist_ok=True)
        cw = CountyWindow(county_service.open_county(county_db), auto_backup=False)
        cw.resize(WINDOW_SIZE)
        cw.show()
        cs = cw.session
        state["county"] = cw
        sent = bundles.export_bundle(window.session, folder=stick)
        state["county_dry_run"] = {"file": str(sent.path),
                                   "report": county_service.preview_import(cs, path=sent.path)}
        replied = [c for c in county_service.forwarded_cases(cs) if c["replies"]]
        state["replied"] = replied[0]["id"] if replied else None
        state["waiting"] = next((c["id"] for c in county_service.forwarded_cases(cs)
                                 if not c["replies"] and c["state"] == "forwarded"
                                 and not c["confidential"]), None)
        back = county_service.export_return(cs, station=window.session.station_code,
                                            folder=stick)
        state["station_dry_run"] = {"file": str(back.path), "report": bundles.import_return(
            window.session, path=back.path, dry_run=True)}
        window.on_screen_changed(bundles.import_changes(
            bundles.import_return(window.session, path=back.path)))
    cw = state["county"]
    cw.retranslate()
    written: list[Path] = []

    def grab(widget, name: str) -> None:
        settle()
        path = out / f"{name}-{lang}.png"
        widget.grab().save(str(path))
        written.append(path)

    for key in COUNTY_SCREENS:
        cw.show_screen(key)
        screen = cw.screen(key)
        if key == "county_cases" and state["replied"]:
            screen.select_case(state["replied"])
        elif key in ("county_stations", "county_returns"):
            (screen.table if key == "county_stations" else screen.stations).selectRow(0)
        grab(cw, key.replace("_", "-"))
    cases_screen = cw.screen("county_cases")
    cw.show_screen("county_cases")
    if state["waiting"]:
        cases_screen.select_case(state["waiting"])
        cases_screen.body.setPlainText("已转县交通运输局，列入下月道路养护计划，四月底前答复选民。")
        grab(cw, "round-trip-2-county-reply")
        cases_screen.body.clear()
    for name, parent, item in (("round-trip-1-county-dry-run", cw, state["county_dry_run"]),
                               ("round-trip-3-station-return-dry-run", window,
                                state["station_dry_run"])):
        dialog = ImportReportDialog([item], dry_run=True, parent=parent)
        dialog.show()
        grab(dialog, name)
        dialog.close()
        dialog.deleteLater()
    window.show_screen("cases")
    screen = window.screen("cases")
    if state["replied"]:
        screen.state_filter.setCurrentIndex(0)
        screen.apply_filter()
        rows = [i for i in range(screen.model.rowCount())
                if screen.model.case_id(i) == state["replied"]]
        if rows:
            screen.select_row(rows[0])
            screen.table.scrollTo(screen.model.index(rows[0], 0))
        grab(window, "round-trip-4-station-case-reply")
    window.show_screen("exchange")
    grab(window, "round-trip-5-station-bundles")
    return written


def _quiet(kind: QtMsgType, context, message: str) -> None:
    """The offscreen platform warns about every dialog; keep the rest."""
    if "propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


def settle(ms: int = 80) -> None:
    """Let layouts, timers and lazy models finish before grabbing."""
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def run(out: Path) -> int:
    """Render every screen and dialog in zh_CN, ko and en to ``out``; returns 0."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    saved_env = os.environ.get("STATION_DESK_DATA")
    with tempfile.TemporaryDirectory(prefix="station-desk-shots-") as tmp:
        os.environ["STATION_DESK_DATA"] = tmp  # preferences and backups stay in tmp
        try:
            written = _render(out, Path(tmp))
        finally:
            if saved_env is None:
                os.environ.pop("STATION_DESK_DATA", None)
            else:
                os.environ["STATION_DESK_DATA"] = saved_env
    for path in written:
        print(path)
    return 0


def _render(out: Path, tmp: Path) -> list[Path]:
    from station_desk.services import backup, demo
    from station_desk.services.session import open_session
    from station_desk.ui import app as app_module
    from station_desk.ui import language
    from station_desk.ui.main_window import MainWindow

    previous = qInstallMessageHandler(_quiet)
    app = app_module.application()
    app_module.register_font(app)
    db = tmp / "demo-station.sqlite3"
    demo.make_demo(db)
    from station_desk.services import demo_county

    county_db = tmp / "demo-county.sqlite3"
    demo_county.make_demo_county(county_db, station=db)  # the station learns its key
    county_state: dict = {}
    backup.backup_now(db, reason="manual")  # so Settings shows a listed, checked copy
    session = open_session(db)
    window = MainWindow(session, auto_backup=False)
    window.resize(WINDOW_SIZE)
    window.show()
    written: list[Path] = []
    try:
        for lang in LANGS:
            window.set_language(lang)
            for screen in window.screens:
                window.show_screen(screen.key)
                prepare = PREPARE.get(screen.key)
                if prepare is not None:
                    prepare(screen)
                settle()
                path = out / f"{screen.key}-{lang}.png"
                window.grab().save(str(path))
                written.append(path)
            for name, factory in DIALOGS:
                dialog = factory(window)
                dialog.show()
                settle()
                path = out / f"{name}-{lang}.png"
                dialog.grab().save(str(path))
                written.append(path)
                dialog.close()
                dialog.deleteLater()
            for name, key, prepare, langs in VIEWS:
                if lang not in langs:
                    continue
                window.show_screen(key)
                prepare(window.screen(key))
                settle()
                path = out / f"{name}-{lang}.png"
                window.grab().save(str(path))
                written.append(path)
            written += _county_pictures(out, lang, window, county_db, county_state)
    finally:
        if "county" in county_state:
            county_state["county"].close_now()
        window.close_now()  # nothing was changed: no exit backup
        settle(0)
        window.deleteLater()
        language.apply_language("zh_CN")
        qInstallMessageHandler(previous)
    return written


if __name__ == "__main__":
    raise SystemExit(run(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
