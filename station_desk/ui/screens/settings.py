"""Settings: the interface language and the backups of the station database."""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from station_desk import paths
from station_desk.domain.accounts import Permission
from station_desk.domain.backups import BACKUP_KIND_LABELS
from station_desk.domain.changes import Changes
from station_desk.i18n import LANGUAGES, N_, _, current_language, format_datetime, format_number
from station_desk.services import backup as backup_service
from station_desk.ui.screens.base import Screen
from station_desk.ui.permissions import restrict
from station_desk.ui.widgets.retention import RetentionBox

BACKUP_COLUMNS = (N_("Time"), N_("Size"), N_("Verified"), N_("Kind"))


def format_size(n: int) -> str:
    """1.2 MB / 350 KB in the current language's number format."""
    if n >= 1024 * 1024:
        return _("{size} MB").format(size=format_number(round(n / 1024 / 1024, 1)))
    return _("{size} KB").format(size=format_number(max(1, round(n / 1024))))


class SettingsScreen(Screen):
    """The main window acts on the requests (it owns the session and the lock)."""

    key = "settings"
    title_msgid = N_("Settings")
    tables = frozenset({"backups"})  # not a database table: the backup folder changed

    language_requested = Signal(str)
    backup_requested = Signal()
    restore_requested = Signal(object)  # Path of the chosen backup

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._backups: list = []
        self._busy = False
        layout = QVBoxLayout(self)

        self.language_box = QGroupBox()
        form = QFormLayout(self.language_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.language_label = QLabel()
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language_combo")
        self.language_combo.setMinimumContentsLength(10)
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.activated.connect(self._language_chosen)
        form.addRow(self.language_label, self.language_combo)
        layout.addWidget(self.language_box)

        self.retention_box = RetentionBox(session)
        self.retention_box.changed.connect(self.emit_changes)
        layout.addWidget(self.retention_box)

        self.backup_box = QGroupBox()
        bbox = QVBoxLayout(self.backup_box)
        self.backup_intro = QLabel()
        self.backup_intro.setWordWrap(True)
        bbox.addWidget(self.backup_intro)
        self.backup_table = QTableWidget(0, len(BACKUP_COLUMNS))
        self.backup_table.setObjectName("backup_table")
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.verticalHeader().hide()
        self.backup_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.backup_table.horizontalHeader().setStretchLastSection(True)
        self.backup_table.itemSelectionChanged.connect(self._update_buttons)
        bbox.addWidget(self.backup_table, 1)
        row = QHBoxLayout()
        self.backup_button = QPushButton()
        self.backup_button.setObjectName("backup_now")
        self.backup_button.clicked.connect(self.backup_requested)
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.status = QLabel()
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addWidget(self.status, 1)
        bbox.addLayout(row)
        self.db_label = QLabel()
        self.db_label.setWordWrap(True)
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bbox.addWidget(self.db_label)
        folder_row = QHBoxLayout()
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self.open_folder)
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.folder_button)
        bbox.addLayout(folder_row)
        layout.addWidget(self.backup_box, 1)
        restrict(session, Permission.BACKUP, self.backup_button)
        restrict(session, Permission.RESTORE, self.restore_button)

        self.retranslate()
        self.refresh()

    # -- Screen
    def retranslate(self) -> None:
        self.language_box.setTitle(_("Language"))
        self.language_label.setText(_("Interface language"))
        self.language_combo.setCurrentIndex(self.language_combo.findData(current_language()))
        self.backup_box.setTitle(_("Backups"))
        self.backup_intro.setText(_(
            "A copy of the station database is made automatically after changes (at most "
            "every 30 minutes) and when the program closes; each copy is checked before it "
            "is kept. 12 daily, 10 weekly and 9 monthly copies are kept."))
        self.backup_table.setHorizontalHeaderLabels([_(m) for m in BACKUP_COLUMNS])
        self.backup_button.setText(_("Back up now"))
        self.restore_button.setText(_("Restore backup…"))
        self.db_label.setText(_("Station database: {path}").format(path=str(self.session.path)))
        self.folder_label.setText(_("Backups are kept in {folder}").format(
            folder=str(paths.backup_dir(self.session.path))))
        self.folder_button.setText(_("Open folder"))
        self.retention_box.retranslate()
        self._fill()
        self.set_busy(self._busy)

    def refresh(self) -> None:
        self._backups = backup_service.list_backups(self.session.path)
        self._fill()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*self.tables):
            self.refresh()

    # -- backups
    def _fill(self) -> None:
        t = self.backup_table
        t.setRowCount(len(self._backups))
        for r, info in enumerate(self._backups):
            cells = (format_datetime(info.created_at, fmt="medium"),
                     format_size(info.size),
                     _("Yes") if info.verified else _("No"),
                     _(BACKUP_KIND_LABELS.get(info.kind, info.kind)))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(r, c, item)
        if not self._backups:
            self.status.setText(_("No backup yet."))
        elif not self._busy:
            self.status.setText("")
        self._update_buttons()

    def selected_backup(self):
        rows = self.backup_table.selectionModel().selectedRows()
        if not rows:
            return None
        r = rows[0].row()
        return self._backups[r] if 0 <= r < len(self._backups) else None

    def set_busy(self, busy: bool, message: str = "") -> None:
        """While a backup runs, the buttons wait."""
        self._busy = busy
        self.backup_button.setEnabled(not busy)
        if message or busy:
            self.status.setText(message or _("Backing up…"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(not self._busy and self.selected_backup() is not None)

    def restore_selected(self) -> None:
        info = self.selected_backup()
        if info is None:
            return
        when = format_datetime(info.created_at, fmt="medium")
        answer = QMessageBox.question(
            self, _("Restore a backup"),
            _("Replace the station database with the backup of {time}?\n\n"
              "First a copy of the current state is kept in the backup folder, so nothing "
              "is lost. Then the database is replaced by the backup and reopened; what was "
              "entered after {time} will only be in that copy.").format(time=when),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(info.path)

    def open_folder(self) -> None:
        folder = paths.backup_dir(self.session.path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- language
    def _language_chosen(self, index: int) -> None:
        lang = self.language_combo.itemData(index)
        if lang and lang != current_language():
            self.language_requested.emit(lang)
