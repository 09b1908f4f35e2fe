"""The main window: navigation, the screens, the status bar, language and backups."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import (
    QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence, QShortcut,
)
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox,
    QProgressDialog, QStackedWidget, QWidget,
)

from station_desk import __version__, paths
from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.domain.errors import DomainError
from station_desk.i18n import LANGUAGES, N_, _, current_language, format_datetime
from station_desk.services import accounts as accounts_service
from station_desk.services import backup as backup_service
from station_desk.services import session as session_service
from station_desk.services import station as station_service
from station_desk.ui import language, prefs, tasks
from station_desk.ui import lock as idle_lock
from station_desk.ui.backups import BackupKeeper
from station_desk.ui.screens.base import Screen, ScreenEntry
from station_desk.ui.widgets.errors import message_of

if TYPE_CHECKING:
    from station_desk.ui.screens.settings import SettingsScreen

_S = "station_desk.ui.screens."
SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("home", _S + "home:HomeScreen", N_("Today")),
    ScreenEntry("registry", _S + "registry:RegistryScreen", N_("Deputies")),
    ScreenEntry("cases", _S + "cases:CasesScreen"),  # its title counts the overdue
    ScreenEntry("practical", _S + "practical:PracticalScreen", N_("Practical matters")),
    ScreenEntry("activities", _S + "activities:ActivitiesScreen", N_("Activities")),
    ScreenEntry("reception", _S + "reception:ReceptionScreen", N_("Reception days")),
    ScreenEntry("station", _S + "station:StationScreen", N_("Station")),
    ScreenEntry("ledger", _S + "ledger:LedgerScreen", N_("Performance files")),
    ScreenEntry("suggestions", _S + "suggestions:SuggestionsScreen", N_("Suggestions")),
    ScreenEntry("evaluation", _S + "evaluation:EvaluationScreen", N_("Evaluation")),
    ScreenEntry("exchange", _S + "exchange:ExchangeScreen", N_("Bundles"),
                Permission.IMPORT_EXPORT),
    ScreenEntry("audit", _S + "audit:AuditScreen", N_("Audit Trail"), Permission.VIEW_AUDIT),
    ScreenEntry("accounts", _S + "accounts:AccountsScreen", N_("Accounts")),
    ScreenEntry("print", _S + "print_centre:PrintCentreScreen", N_("Print centre")),
    ScreenEntry("settings", _S + "settings:SettingsScreen", N_("Settings")),
)
# what a role needs to see a screen at all (besides a screen's own ``permission``):
# the administrator sees no records, a clerk no accounts
SCREEN_PERMISSIONS = {"home": Permission.VIEW_RECORDS, "registry": Permission.VIEW_RECORDS,
                      "cases": Permission.VIEW_RECORDS, "practical": Permission.VIEW_RECORDS,
                      "activities": Permission.VIEW_RECORDS,
                      "reception": Permission.VIEW_RECORDS,
                      "print": Permission.VIEW_RECORDS,
                      "ledger": Permission.VIEW_RECORDS,
                      "suggestions": Permission.VIEW_RECORDS,
                      "evaluation": Permission.VIEW_RECORDS,
                      "exchange": Permission.VIEW_RECORDS,
                      "accounts": Permission.MANAGE_ACCOUNTS}
GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
DEFAULT_SIZE = QSize(1280, 800)


def allowed_entries(session, entries: tuple[ScreenEntry, ...],
                    permissions: dict[str, Permission]) -> list[ScreenEntry]:
    """Those of ``entries`` that ``session``'s role may see: what the window
    requires (``permissions``, by key) and what the screen itself requires."""
    def allowed(entry: ScreenEntry) -> bool:
        needed = [permissions.get(entry.key), entry.permission]
        return all(p is None or session.can(p) for p in needed)
    return [e for e in entries if allowed(e)]


class MainWindow(QMainWindow):
    """Owns the session of the open database and tells every screen what changed."""

    def __init__(self, session, parent: QWidget | None = None, *,
                 auto_backup: bool = True) -> None:
        super().__init__(parent)
        self.session = session
        # the screens the signed-in role may see, in SCREENS' order
        self._classes: list[ScreenEntry] = self.allowed_screens(session)
        # one entry per self._classes: the screen, or None until it is first shown
        self._screens: list[Screen | None] = []
        self._ready_to_close = False
        self._exit_backup_tried = False
        self._progress: QProgressDialog | None = None
        self._restore_task: tasks.Task | None = None
        self._reopen_on: str | None = None
        self._close_requested = False

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet(
            "QListWidget { border: none; border-right: 1px solid palette(mid); outline: 0; }"
            "QListWidget::item { padding: 9px 14px; }"
            "QListWidget::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }")
        self.stack = QStackedWidget()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_row)

        self.station_label = QLabel()
        self.station_label.setObjectName("status_station")
        self.db_label = QLabel()
        self.db_label.setObjectName("status_db")
        self.backup_label = QLabel()
        self.backup_label.setObjectName("status_backup")
        for label in (self.station_label, self.db_label, self.backup_label):
            label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addWidget(self.station_label, 1)
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.backup_label)

        self.keeper = BackupKeeper(session.path, actor=session.actor, parent=self)
        if not auto_backup:
            self.keeper.stop()
        self.keeper.started.connect(self._backup_started)
        self.keeper.succeeded.connect(self._backup_succeeded)
        self.keeper.failed.connect(self._backup_failed)

        # the idle lock runs while someone is signed in (not for the system's session)
        self.idle = idle_lock.IdleWatcher(60_000 * accounts_service.idle_minutes(session), self)
        self.idle.idle.connect(self.lock)
        self.lock_screen: idle_lock.LockScreen | None = None
        if session.account_id is not None:
            self.idle.start()

        self._build_menus()
        self._build_shortcuts()
        self._install_screens()
        self._retranslate_window()  # the screens were made in the current language
        self._restore_geometry()

    # -- building
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.backup_action = QAction(self)
        self.backup_action.triggered.connect(self.backup_now)
        self.switch_action = QAction(self)
        self.switch_action.setObjectName("switch_user")
        self.switch_action.triggered.connect(self.switch_user)
        self.lock_action = QAction(self)
        self.lock_action.setObjectName("lock_now")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.password_action = QAction(self)
        self.password_action.setObjectName("change_password")
        self.password_action.triggered.connect(self.change_password)
        for action in (self.switch_action, self.lock_action, self.password_action):
            action.setEnabled(self.session.account_id is not None)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.switch_action)
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.password_action)
        self.addAction(self.lock_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.addAction(self.quit_action)

        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)
        self.addAction(self.about_action)

    def _build_shortcuts(self) -> None:
        self.screen_shortcuts: list[QShortcut] = []
        for n in range(1, 10):
            sc = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
            sc.activated.connect(lambda i=n - 1: self.show_screen(i))
            self.screen_shortcuts.append(sc)
        self.search_shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self.search_shortcut.activated.connect(self.focus_search)

    def _remove_screens(self) -> None:
        while self.stack.count():
            page = self.stack.widget(0)
            self.stack.removeWidget(page)
            page.deleteLater()
        self._screens = []
        self.nav.clear()

    def _install_screens(self, current: str | None = None) -> None:
        """(Re)build the screens on the session's database.

        The screen shown first is built at once; a screen whose title is known
        without it (``Screen.navigation_title``) gets an empty page and is built
        when it is first shown, so start-up pays only for what the clerk sees."""
        self._remove_screens()
        self._classes = self.allowed_screens(self.session)
        keys = [cls.key for cls in self._classes]
        first = keys.index(current) if current in keys else 0
        for i, cls in enumerate(self._classes):
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, cls.key)
            self.nav.addItem(item)
            title = cls.navigation_title(self.session) if i != first else None
            if title is not None:
                self._screens.append(None)
                self.stack.addWidget(QWidget())
                item.setText(title)
            else:
                screen = self._make_screen(cls.load())
                self._screens.append(screen)
                self.stack.addWidget(screen)
                item.setText(screen.title())
        self.update_visible_screens()
        self.show_screen(first)

    def update_visible_screens(self) -> None:
        """Hide from the navigation each screen whose ``permission`` the person
        signed in lacks (e.g. the audit trail for a clerk)."""
        for i, cls in enumerate(self._classes):
            needed = cls.permission
            self.nav.item(i).setHidden(needed is not None and not self.session.can(needed))

    @staticmethod
    def allowed_screens(session) -> list[ScreenEntry]:
        """The screens ``session``'s role may see (every one for the system)."""
        return allowed_entries(session, SCREENS, SCREEN_PERMISSIONS)

    def has_screen(self, key: str) -> bool:
        """Whether the navigation offers the screen ``key`` to the person signed in."""
        return key in [cls.key for cls in self._classes]

    # -- accounts: lock, switch user, own password
    @Slot()
    def lock(self) -> None:
        """Cover the window until the signed-in person's password is given."""
        if self.session.account_id is None:
            return
        self.idle.stop()
        if self.lock_screen is None:
            self.lock_screen = idle_lock.LockScreen(self)
            self.lock_screen.unlocked.connect(self._unlocked)
            self.lock_screen.switched.connect(self._user_switched)
        self.lock_screen.set_switching(False)
        self.lock_screen.cover()

    def is_locked(self) -> bool:
        return self.lock_screen is not None and self.lock_screen.isVisible()

    @Slot()
    def _unlocked(self) -> None:
        self.idle.start()

    @Slot()
    def switch_user(self) -> None:
        """Another person signs in without closing the program (asked first when
        forms are open: they are closed)."""
        if self.session.account_id is None:
            return
        self.lock()
        self.lock_screen.set_switching(True)

    @Slot()
    def _user_switched(self) -> None:
        """Build the screens again for the new person's role."""
        current = self.current_screen().key if self._screens else None
        self.keeper.actor = self.session.actor
        self._install_screens(current)
        self._retranslate_window()
        self.idle.start()

    @Slot()
    def change_password(self) -> None:
        from station_desk.ui.dialogs.accounts import ChangePasswordDialog

        if self.session.account_id is not None:
            ChangePasswordDialog(self.session, self).exec()

    def _make_screen(self, cls: type[Screen]) -> Screen:
        screen = cls(self.session, self)
        screen.changed.connect(self.on_screen_changed)
        if screen.key == "settings":
            screen.language_requested.connect(self.set_language)
            screen.backup_requested.connect(self.backup_now)
            screen.restore_requested.connect(self.restore_backup)
            screen.set_busy(self.keeper.busy)
        return screen

    def _screen_at(self, index: int) -> Screen:
        """The screen at ``index``, built now if it was not yet."""
        screen = self._screens[index]
        if screen is None:
            screen = self._screens[index] = self._make_screen(self._classes[index].load())
            placeholder = self.stack.widget(index)
            shown = self.stack.currentWidget() is placeholder
            self.stack.insertWidget(index, screen)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            if shown:
                self.stack.setCurrentWidget(screen)
        return screen

    def _built_screens(self) -> list[tuple[int, Screen]]:
        return [(i, s) for i, s in enumerate(self._screens) if s is not None]

    def _title(self, index: int) -> str:
        screen = self._screens[index]
        if screen is not None:
            return screen.title()
        return self._classes[index].navigation_title(self.session) or ""

    @property
    def screens(self) -> list[Screen]:
        """Every screen of the window (those not yet shown are built now)."""
        return [self._screen_at(i) for i in range(len(self._screens))]

    # -- screens
    def current_screen(self) -> Screen:
        return self._screen_at(self.stack.currentIndex())

    def screen(self, key: str) -> Screen:
        return self._screen_at([cls.key for cls in self._classes].index(key))

    def settings_screen(self) -> "SettingsScreen | None":
        """The settings screen, or None while it has not been shown."""
        return next((s for _i, s in self._built_screens() if s.key == "settings"),
                    None)

    def show_screen(self, index_or_key: int | str) -> None:
        if isinstance(index_or_key, str):
            keys = [cls.key for cls in self._classes]
            if index_or_key not in keys:  # not for this role
                return
            index = keys.index(index_or_key)
        else:
            index = index_or_key
        if 0 <= index < len(self._screens):
            self.nav.setCurrentRow(index)

    @Slot(int)
    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._screens):
            self._screen_at(row)
            self.stack.setCurrentIndex(row)

    @Slot()
    def focus_search(self) -> None:
        if self._screens:
            self.current_screen().focus_search()

    @Slot(object)
    def on_screen_changed(self, changes: Changes) -> None:
        """A screen changed the database: every screen hears of it, backups too."""
        self.keeper.mark_changed()
        self.dispatch(changes)

    def dispatch(self, changes: Changes) -> None:
        # a screen not built yet reads everything when it is first shown
        for _i, screen in self._built_screens():
            screen.on_changes(changes)
        if changes.touches("cases"):  # a title may carry a count (overdue cases)
            for i in range(len(self._screens)):
                self.nav.item(i).setText(self._title(i))
        if changes.touches("station"):
            self._update_status()

    # -- language
    @Slot(str)
    def set_language(self, lang: str) -> None:
        """Switch every text of the window and its screens, without restart."""
        lang = language.apply_language(lang)
        prefs.save_language(lang)
        self.retranslate()

    def retranslate(self) -> None:
        for _i, screen in self._built_screens():  # one built later is translated then
            screen.retranslate()
        self._retranslate_window()

    def _retranslate_window(self) -> None:
        """The window's own texts and the navigation (not the screens')."""
        self.file_menu.setTitle(_("&File"))
        self.backup_action.setText(_("Back up now"))
        self.backup_action.setEnabled(self.session.can(Permission.BACKUP))
        self.switch_action.setText(_("Switch user…"))
        self.lock_action.setText(_("Lock now"))
        self.password_action.setText(_("Change password…"))
        self.quit_action.setText(_("Quit"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("About Station Desk"))
        if current_language() in self.language_actions:  # not the pseudo-locale
            self.language_actions[current_language()].setChecked(True)
        for i in range(len(self._screens)):
            title = self._title(i)
            item = self.nav.item(i)
            item.setText(title)
            item.setToolTip(_("{screen} (Ctrl+{n})").format(screen=title, n=i + 1))
        self._update_status()

    def station_name(self) -> str:
        profile = station_service.profile(self.session)
        if current_language() == "ko" and profile.get("name_ko"):
            return profile["name_ko"]
        return profile.get("name_zh", "")

    def _update_status(self) -> None:
        name = self.station_name()
        self.setWindowTitle(_("{station} — Station Desk").format(station=name) if name
                            else _("Station Desk"))
        self.station_label.setText(name)
        self.db_label.setText(self.session.path.name)
        self.db_label.setToolTip(str(self.session.path))
        self._update_backup_label()

    def _update_backup_label(self, text: str | None = None) -> None:
        if text is None:
            at = self.keeper.last_info.created_at if self.keeper.last_info else None
            text = (_("Last backup: {time}").format(time=format_datetime(at, fmt="medium"))
                    if at else _("No backup yet"))
        self.backup_label.setText(text)

    # -- backups
    @Slot()
    def backup_now(self) -> None:
        self.keeper.backup_now("manual")

    @Slot(str)
    def _backup_started(self, _reason: str) -> None:
        self._update_backup_label(_("Backing up…"))
        if settings := self.settings_screen():  # one built later asks the keeper
            settings.set_busy(True)

    @Slot(object)
    def _backup_succeeded(self, _info) -> None:
        self._update_backup_label()
        if settings := self.settings_screen():
            settings.set_busy(False)
            settings.on_changes(Changes.of("backups"))

    @Slot(object)
    def _backup_failed(self, exc) -> None:
        self._update_backup_label()
        if settings := self.settings_screen():
            settings.set_busy(False, _("Backup failed: {reason}").format(reason=message_of(exc)))
        QMessageBox.warning(self, _("Backup failed"), message_of(exc))

    # -- restore
    @Slot(object)
    def restore_backup(self, backup_path: Path) -> None:
        """Replace the database by ``backup_path`` and reopen it; the service keeps a
        copy of the current state in the backup folder first."""
        if self.keeper.busy:
            self.keeper.idle.connect(lambda: self.restore_backup(backup_path),
                                     Qt.ConnectionType.SingleShotConnection)
            return
        self._show_progress(_("Restoring the backup…"))
        self._reopen_on = self.current_screen().key
        self._remove_screens()  # nothing may read the database while it is swapped
        self.keeper.stop()
        self.session.close()
        self._restore_task = tasks.start(backup_service.restore, self.session.path,
                                         Path(backup_path), actor=self.session.actor,
                                         role=self.session.role)
        self._restore_task.signals.finished.connect(self._restored)
        self._restore_task.signals.failed.connect(self._restore_failed)

    @Slot(object)
    def _restored(self, _result) -> None:
        self._hide_progress()
        if self._reopen():
            QMessageBox.information(
                self, _("Backup restored"),
                _("The backup was restored and the station database reopened."))

    @Slot(object)
    def _restore_failed(self, exc) -> None:
        self._hide_progress()
        if self._reopen():
            QMessageBox.warning(self, _("Restore failed"), message_of(exc))

    def _reopen(self) -> bool:
        """Open the database again after a restore; without it the window closes."""
        self._restore_task = None
        path, actor, clock = self.session.path, self.session.actor, self.session.clock
        who = (self.session.account_id, self.session.role, self.session.display_name)
        try:
            self.session = session_service.open_session(path, actor=actor, clock=clock)
            # the person signed in stays signed in on the restored database
            (self.session.account_id, self.session.role, self.session.display_name) = who
        except (DomainError, OSError) as exc:
            QMessageBox.critical(self, _("Cannot open the station database"), message_of(exc))
            self._ready_to_close = True
            QTimer.singleShot(0, self.close)
            return False
        if self._close_requested:
            QTimer.singleShot(0, self.close)
        self.keeper.actor = actor
        self.keeper.reload()
        self.keeper.forget_changes()
        self.keeper.timer.start()
        self._install_screens(self._reopen_on)
        self._retranslate_window()
        return True

    # -- progress
    def _show_progress(self, text: str) -> None:
        self._progress = QProgressDialog(text, "", 0, 0, self)
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle(_("Please wait"))
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(0)
        self._progress.show()

    def _hide_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    # -- about
    def show_about(self) -> None:
        QMessageBox.about(self, _("About Station Desk"), _(
            "<b>Station Desk</b> {version}<br>"
            "For township deputy liaison stations: deputies, voters' matters, "
            "activities and notices, in Chinese, Korean and English.<br><br>"
            "Licence: Apache-2.0. Font: WenQuanYi Micro Hei (Apache-2.0).<br>"
            "Data folder: {folder}").format(version=__version__, folder=str(paths.data_dir())))

    # -- geometry and closing
    def _restore_geometry(self) -> None:
        s = prefs.settings()
        geometry = s.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)
            screen = QGuiApplication.primaryScreen()
            if screen is not None:  # an old 1024x768 office screen gets a window that fits
                self.resize(DEFAULT_SIZE.boundedTo(screen.availableGeometry().size()))
        state = s.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def _save_geometry(self) -> None:
        s = prefs.settings()
        s.setValue(GEOMETRY_KEY, self.saveGeometry())
        s.setValue(STATE_KEY, self.saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._restore_task is not None:
            event.ignore()  # closed once the restore has finished
            self._close_requested = True
            return
        if not self._ready_to_close:
            event.ignore()
            self._exit_step()
            return
        self._save_geometry()
        self.keeper.stop()
        self.idle.remove()
        self.session.close()
        event.accept()

    def close_now(self) -> None:
        """Close without the exit backup (screenshots and benchmarks change nothing)."""
        self._ready_to_close = True
        self.close()

    def _exit_step(self) -> None:
        """Before closing: let a running backup end, then back up what changed."""
        if self.keeper.busy:
            self._show_progress(_("Backing up the station database before closing…"))
            self.keeper.idle.connect(self._exit_step, Qt.ConnectionType.SingleShotConnection)
            return
        if not self._exit_backup_tried and self.keeper.needs_backup():
            self._exit_backup_tried = True
            if self._progress is None:
                self._show_progress(_("Backing up the station database before closing…"))
            self.keeper.backup_now("exit")
            self.keeper.idle.connect(self._exit_step, Qt.ConnectionType.SingleShotConnection)
            return
        self._hide_progress()
        self._ready_to_close = True
        QTimer.singleShot(0, self.close)  # not from inside closeEvent: Qt would ignore it


