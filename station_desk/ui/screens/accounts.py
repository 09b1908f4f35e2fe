"""Accounts (administrator): who may sign in, their roles, locks and passwords,
and how long the window waits before it locks itself."""
from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import ROLE_LABELS, Role
from station_desk.domain.changes import Changes
from station_desk.i18n import N_, _, format_datetime
from station_desk.services import accounts
from station_desk.ui.dialogs.accounts import NewAccountDialog, ResetPasswordDialog
from station_desk.ui.screens.base import Screen
from station_desk.ui.widgets.errors import attempt

COLUMNS = (N_("Login name"), N_("Name"), N_("User role"), N_("State"), N_("Last sign-in"))
ROLE_ORDER = (Role.CLERK, Role.HEAD, Role.AUDITOR, Role.ADMIN)


class AccountsScreen(Screen):
    key = "accounts"
    title_msgid = N_("Accounts")
    tables = frozenset({"accounts", "settings"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._rows: list[dict] = []
        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        outer.addWidget(self.heading)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("accounts_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.change_role())
        outer.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_account")
        self.role_button = QPushButton()
        self.role_button.setObjectName("change_role")
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("reset_password")
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlock_account")
        self.disable_button = QPushButton()
        self.disable_button.setObjectName("disable_account")
        for button, slot in ((self.new_button, self.new_account),
                             (self.role_button, self.change_role),
                             (self.reset_button, self.reset_password),
                             (self.unlock_button, self.unlock),
                             (self.disable_button, self.toggle_disabled)):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer.addLayout(buttons)

        self.lock_box = QGroupBox()
        row = QHBoxLayout(self.lock_box)
        self.idle_label = QLabel()
        self.idle = QSpinBox()
        self.idle.setObjectName("idle_minutes")
        self.idle.setRange(accounts.MIN_IDLE, accounts.MAX_IDLE)
        self.idle_save = QPushButton()
        self.idle_save.setObjectName("save_idle_minutes")
        self.idle_save.clicked.connect(self.save_idle)
        row.addWidget(self.idle_label)
        row.addWidget(self.idle)
        row.addWidget(self.idle_save)
        row.addStretch(1)
        outer.addWidget(self.lock_box)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.heading.setText(_("Accounts"))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.new_button.setText(_("New account…"))
        self.role_button.setText(_("Change role…"))
        self.reset_button.setText(_("Reset password…"))
        self.unlock_button.setText(_("Unlock"))
        self.lock_box.setTitle(_("Screen lock"))
        self.idle_label.setText(_("Lock the window after this many minutes without use:"))
        self.idle.setSuffix(_(" min"))
        self.idle_save.setText(_("Save"))
        self._fill()

    def refresh(self) -> None:
        self._rows = accounts.accounts(self.session)
        self.idle.setValue(accounts.idle_minutes(self.session))
        self._fill()

    def _state(self, row: dict) -> str:
        if row["disabled"]:
            return _("Disabled")
        if row["locked"]:
            return _("Locked until {time}").format(
                time=format_datetime(row["locked_until"], fmt="short"))
        return _("Active")

    def _fill(self) -> None:
        selected = self.selected()
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            last = row["last_sign_in_at"]
            values = (row["login"], row["display_name"], _(ROLE_LABELS[Role(row["role"])]),
                      self._state(row),
                      format_datetime(datetime.fromisoformat(last), fmt="short") if last else "")
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if row["disabled"]:
                    item.setForeground(QColor("#888888"))
                elif row["locked"] and c == 3:
                    item.setForeground(QColor("#c0392b"))
                self.table.setItem(r, c, item)
            if selected and row["id"] == selected["id"]:
                self.table.selectRow(r)
        self._update_buttons()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def select_login(self, login: str) -> None:
        for r, row in enumerate(self._rows):
            if row["login"] == login:
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.role_button, self.reset_button, self.disable_button):
            button.setEnabled(row is not None)
        self.unlock_button.setEnabled(bool(row and row["locked"]))
        self.disable_button.setText(_("Enable") if row and row["disabled"] else _("Disable"))

    # -- actions
    def _done(self, changes) -> None:
        if changes is not None:
            self.refresh()
            self.emit_changes(changes)

    def new_account(self) -> None:
        dialog = NewAccountDialog(self.session, self)
        if dialog.exec():
            self.refresh()
            self.emit_changes(Changes.of("accounts"))

    def change_role(self) -> None:
        row = self.selected()
        if row is None:
            return
        labels = [_(ROLE_LABELS[r]) for r in ROLE_ORDER]
        choice, ok = QInputDialog.getItem(
            self, _("Change role"), _("Role of {name}:").format(name=row["display_name"]),
            labels, ROLE_ORDER.index(Role(row["role"])), False)
        if ok:
            role = ROLE_ORDER[labels.index(choice)]
            self._done(attempt(self, lambda: accounts.set_role(
                self.session, account_id=row["id"], role=role)))

    def reset_password(self) -> None:
        row = self.selected()
        if row is not None and ResetPasswordDialog(self.session, row, self).exec():
            self.refresh()

    def unlock(self) -> None:
        row = self.selected()
        if row is not None:
            self._done(attempt(self, lambda: accounts.unlock(self.session, account_id=row["id"])))

    def toggle_disabled(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row["disabled"] and QMessageBox.question(
                self, _("Disable account"),
                _("{name} will no longer be able to sign in. Disable the account?").format(
                    name=row["display_name"])) != QMessageBox.StandardButton.Yes:
            return
        self._done(attempt(self, lambda: accounts.disable_account(
            self.session, account_id=row["id"], disabled=not row["disabled"])))

    def save_idle(self) -> None:
        self._done(attempt(self, lambda: accounts.set_idle_minutes(
            self.session, minutes=self.idle.value())))
