"""Start-up: the Qt application, font, language, which database, its lock, the window."""
from __future__ import annotations

import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QLockFile
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from station_desk import i18n, paths
from station_desk.domain.errors import DatabaseCorrupt, DomainError, NotADatabase
from station_desk.i18n import _, format_datetime
from station_desk.services import backup as backup_service
from station_desk.services import session as session_service
from station_desk.ui import language, prefs
from station_desk.ui.widgets.errors import message_of

APP_NAME = "station_desk"
ORG_NAME = "station_desk"
FONT_FILE = "WenQuanYiMicroHei-subset.ttf"
FONT_FAMILY = "WenQuanYi Micro Hei"


def application() -> QApplication:
    """The one QApplication of the process (made on first call)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    return app


def register_font(app: QApplication) -> str | None:
    """Make the bundled CJK + Hangul font the application font.

    Returns its family, or None when the file is missing or unreadable: the
    program then starts with the system's fonts rather than not at all."""
    path = paths.resources_dir() / "fonts" / FONT_FILE
    if not path.is_file():
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    family = FONT_FAMILY if FONT_FAMILY in families else families[0]
    font = QFont(app.font())
    font.setFamilies([family, *[f for f in app.font().families() if f != family]])
    app.setFont(font)
    return family


def startup_language(lang: str | None) -> str:
    """--lang, else the saved choice, else Chinese."""
    return i18n.normalise(lang or prefs.saved_language() or i18n.DEFAULT_LANGUAGE)


def setup(app: QApplication, lang: str | None = None) -> str:
    """Font and language; returns the language in use."""
    register_font(app)
    return language.apply_language(startup_language(lang))


def database_path(db: Path | None = None, demo: bool = False) -> Path:
    if db is not None:
        return Path(db).expanduser().resolve()
    return paths.demo_db() if demo else paths.default_db()


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock")


def acquire_lock(db_path: Path) -> QLockFile | None:
    """Take the single-instance lock of ``db_path``; None when another process holds it.

    A lock left by a crashed process (its PID no longer runs) is recovered by
    QLockFile.  Age never makes a lock stale: a window can stay open for days."""
    lock = QLockFile(str(lock_path(db_path)))
    lock.setStaleLockTime(0)
    return lock if lock.tryLock(0) else None


@dataclass
class Started:
    """What ``start`` made: the window (None if start-up stopped) and the exit code."""

    window: QWidget | None
    code: int
    lock: QLockFile | None = None

    def release(self) -> None:
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None


def start(*, db: Path | None = None, demo: bool = False, lang: str | None = None,
          county: Path | None = None) -> Started:
    """Everything ``run`` does before the event loop; messages go to the user.

    ``county``: open that county database (county mode).  A county database
    given as ``db`` opens in county mode too."""
    app = application()
    setup(app, lang)
    path = database_path(county if county is not None else db, demo)
    if county is not None and not session_service.station_exists(path):
        _critical(_("Cannot open the county database"), _(
            "{path} does not exist. Create the county database first with\n"
            "station-desk county create --db PATH --code CODE --name NAME\n"
            "or try the demo county: station-desk demo --county").format(path=str(path)))
        return Started(None, 1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _critical(_("Cannot open the station database"), message_of(exc))
        return Started(None, 1)

    lock = acquire_lock(path)
    if lock is None:
        _critical(_("Already open"), _(
            "The station database {name} is already open in another Station Desk window. "
            "Switch to that window: only one window at a time may work on a database.").format(
                name=path.name))
        return Started(None, 1)

    # The start-up check of an existing database (quick_check of the whole file)
    # runs on a worker thread while the window's modules are imported; the
    # database is opened, and a refusal handled, once it has answered.
    check = BackgroundCheck(path) if session_service.station_exists(path) else None
    from station_desk.ui.main_window import MainWindow

    session, code = _open_or_create(path, demo=demo, check=check)
    if session is None:
        lock.unlock()
        return Started(None, code)
    window_class = MainWindow
    if _is_county(session):
        session = _county_session(session)
        if session is None:
            lock.unlock()
            return Started(None, 1)
        from station_desk.ui.county_window import CountyWindow

        window_class = CountyWindow
    elif county is not None:
        session.close()
        lock.unlock()
        _critical(_("Cannot open the county database"), _(
            "{path} is a station database, not a county database.").format(path=str(path)))
        return Started(None, 1)
    if not sign_in_step(session):
        session.close()
        lock.unlock()
        return Started(None, 0)

    window = window_class(session)
    window.show()
    return Started(window, 0, lock)


def run(*, db: Path | None = None, demo: bool = False, lang: str | None = None,
        county: Path | None = None) -> int:
    """Open the window and run until it closes; returns the process exit code."""
    started = start(db=db, demo=demo, lang=lang, county=county)
    if started.window is None:
        return started.code
    previous_hook = sys.excepthook
    sys.excepthook = _report_unexpected
    try:
        return application().exec()
    finally:
        sys.excepthook = previous_hook
        started.release()


def _report_unexpected(kind, exc, tb) -> None:
    """An error no screen expected: keep the trace on stderr, tell the user plainly.

    Each action is one transaction, so the database holds either all of the
    action or none of it; the window stays open."""
    traceback.print_exception(kind, exc, tb)
    if isinstance(exc, KeyboardInterrupt):
        QApplication.quit()
        return
    QMessageBox.critical(QApplication.activeWindow(), _("Something went wrong"), message_of(exc))


def _is_county(session) -> bool:
    return session_service.is_county(session)


def _county_session(session):
    """The same file opened as the county database it is (its county code)."""
    from station_desk.services import county as county_service

    path = session.path
    session.close()
    try:
        return county_service.open_county(path)
    except (DomainError, OSError) as exc:
        _critical(_("Cannot open the county database"), message_of(exc))
        return None


# -- signing in -------------------------------------------------------------------

def sign_in_step(session, parent: QWidget | None = None) -> bool:
    """Before the window: the first administrator is made on a station without
    accounts, otherwise someone signs in.  False when the user gave up (quit)."""
    from station_desk.services import accounts

    if not accounts.has_accounts(session):
        from station_desk.ui.dialogs.first_start import FirstAdminDialog

        return bool(FirstAdminDialog(session, parent).exec())
    from station_desk.ui.dialogs.sign_in import SignInDialog

    login = "clerk" if accounts.is_demo(session) else ""
    return bool(SignInDialog(session, parent, login=login).exec())


# -- opening ---------------------------------------------------------------------

class BackgroundCheck:
    """``check_file(path)`` on a worker thread, started at once.

    SQLite checks the file without holding Python's interpreter lock, so the
    check costs start-up little while the window's modules are imported.
    ``result()`` waits for it and returns its answer, or raises what it raised;
    the database itself is opened on the UI thread."""

    def __init__(self, path: Path) -> None:
        self._answer: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._check, args=(path,),
                                        name="check-station-database", daemon=True)
        self._thread.start()

    def _check(self, path: Path) -> None:
        try:
            self._answer = session_service.check_file(path)
        except BaseException as exc:  # raised on the UI thread by result()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> str:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._answer


def _open_or_create(path: Path, *, demo: bool, check: BackgroundCheck | None = None):
    """(session, 0), or (None, exit code) when start-up stops: 0 if the user
    cancelled the first start, 1 if something went wrong (already told)."""
    if check is not None:
        try:
            session = open_station(path, check_result=check.result)
        finally:
            check.wait()  # a file refused before its check was needed is not left open
        return session, (0 if session else 1)
    if session_service.station_exists(path):
        session = open_station(path)
        return session, (0 if session else 1)
    if demo:
        try:
            from station_desk.services import demo as demo_service

            demo_service.make_demo(path)
        except (DomainError, OSError) as exc:
            _critical(_("Cannot create the demo station"), message_of(exc))
            return None, 1
        session = open_station(path)
        return session, (0 if session else 1)
    from station_desk.ui.dialogs.first_start import FirstStartDialog

    dialog = FirstStartDialog(path)
    if not dialog.exec():
        return None, 0
    return dialog.session, 0


def open_station(path: Path, parent: QWidget | None = None, *,
                 check_result: Callable[[], str] | None = None):
    """Open ``path``; on a known problem tell the user and return None.

    ``check_result``: the answer of a start-up check already running (see
    ``session_service.open_session``).  The file is never written when it is
    refused (too new, damaged, not ours, locked).  A damaged one is never opened
    silently: the clerk is told and offered the newest backup that passes its
    check, or to quit."""
    try:
        return session_service.open_session(path, check_result=check_result)
    except (DatabaseCorrupt, NotADatabase) as exc:
        # a file whose header is gone is "not a database": damaged, when this
        # database has backups
        if isinstance(exc, NotADatabase) and not backup_service.list_backups(path):
            _critical(_("Cannot open the station database"), message_of(exc), parent)
            return None
        if _offer_restore(path, exc, parent):
            try:
                return session_service.open_session(path)
            except (DomainError, OSError) as again:
                _critical(_("Cannot open the station database"), message_of(again), parent)
        return None
    except (DomainError, OSError) as exc:
        _critical(_("Cannot open the station database"), message_of(exc), parent)
        return None


def _offer_restore(path: Path, exc: DomainError, parent: QWidget | None) -> bool:
    """Tell the clerk the database failed its check and offer the newest backup that
    passes a full check now, or to quit; True once restored.

    Restoring keeps the damaged file (and its side files) aside byte for byte in the
    backup folder; nothing is deleted."""
    folder = paths.backup_dir(path)
    best = backup_service.newest_sound_backup(path)
    # not DatabaseCorrupt's own text, which sends the clerk to Settings: the offer is here
    text = (_("The station database {name} failed its check at start-up ({detail}) and was "
              "not opened.").format(name=path.name, detail=exc.params.get("detail", ""))
            if isinstance(exc, DatabaseCorrupt) else message_of(exc))
    box = QMessageBox(QMessageBox.Icon.Critical, _("The station database is damaged"), text,
                      parent=parent)
    box.setObjectName("damagedDatabase")
    restore = None
    if best is not None:
        box.setInformativeText(_(
            "The newest backup that passes its check is from {time} ({name}). Restore it? "
            "Changes made after that time are not in it. The damaged file is kept aside "
            "in {folder}.").format(time=format_datetime(best.created_at, fmt="medium"),
                                   name=best.name, folder=str(folder)))
        restore = box.addButton(_("Restore this backup"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(restore)
    else:
        box.setInformativeText(_(
            "No backup of this database that passes its check was found in {folder}. "
            "The file was not opened or changed; ask for help before using it again.").format(
                folder=str(folder)))
    box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore is None or box.clickedButton() is not restore:
        return False
    try:
        result = backup_service.restore(path, best.path)
    except (DomainError, OSError) as err:
        _critical(_("Restore failed"), message_of(err), parent)
        return False
    done = QMessageBox(QMessageBox.Icon.Information, _("Backup restored"), _(
        "The backup from {time} was restored. The damaged file is kept as {name}.").format(
            time=format_datetime(best.created_at, fmt="medium"),
            name=result.safety.name if result.safety else "-"), parent=parent)
    done.setObjectName("backupRestored")
    done.addButton(QMessageBox.StandardButton.Ok)
    done.exec()
    return True


def _critical(title: str, text: str, parent: QWidget | None = None) -> None:
    QMessageBox.critical(parent, title, text)
