"""The station itself: its profile and its staff (四好家站)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from station_desk.domain.accounts import Permission
from station_desk.domain.errors import DomainError
from station_desk.domain.masking import mask_phone
from station_desk.domain.station import STAFF_ROLE_LABELS, StaffRole
from station_desk.i18n import N_, _, format_date
from station_desk.services import station as station_service
from station_desk.ui.dialogs.staff import StaffDialog
from station_desk.ui.screens.base import Screen
from station_desk.ui.permissions import restrict
from station_desk.ui.widgets.errors import attempt, show_error
from station_desk.ui.widgets.fields import FormFields
from station_desk.ui.widgets.station_wall import StationWallBox

BILINGUAL_ORDERS = (("zh-ko", N_("Chinese first, then Korean")),
                    ("ko-zh", N_("Korean first, then Chinese")))
STAFF_COLUMNS = (("name", N_("Name")), ("name_ko", N_("Korean name")), ("role", N_("Role")),
                 ("phone", N_("Phone")), ("since", N_("Since")), ("until", N_("Until")))


class StationScreen(Screen):
    """Profile form with Save, and the staff table with add / edit / remove."""

    key = "station"
    title_msgid = N_("Station")
    tables = frozenset({"station", "staff", "station_rules", "station_photos"})

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._staff: list[dict] = []

        outer = QHBoxLayout(self)

        # -- profile
        self.profile_box = QGroupBox()
        pbox = QVBoxLayout(self.profile_box)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        pbox.addLayout(form)
        self.fields = FormFields(form)
        self.fields.add("name_zh", QLineEdit(), N_("Station name (Chinese)"))
        self.fields.add("name_ko", QLineEdit(), N_("Station name (Korean)"))
        code = self.fields.add("code", QLineEdit(), N_("Station code"))
        code.setReadOnly(True)
        self.fields.add("county", QLineEdit(), N_("County or city"))
        self.fields.add("address", QLineEdit(), N_("Address"))
        hours = QPlainTextEdit()
        hours.setTabChangesFocus(True)
        hours.setFixedHeight(hours.fontMetrics().lineSpacing() * 3 + 12)
        self.fields.add("opening_hours", hours, N_("Opening hours"))
        self.fields.add("phone", QLineEdit(), N_("Phone"))
        self.fields.add("rooms", QLineEdit(), N_("Rooms"))
        self.order = QComboBox()
        for value, msgid in BILINGUAL_ORDERS:
            self.order.addItem(_(msgid), value)
        self.fields.add("bilingual_order", self.order, N_("Bilingual notices"))
        self.fields.add_fallback()
        row = QHBoxLayout()
        self.saved_note = QLabel()
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_profile")
        self.save_button.clicked.connect(self.save_profile)
        row.addWidget(self.saved_note, 1)
        row.addWidget(self.save_button)
        pbox.addLayout(row)
        pbox.addStretch(1)
        outer.addWidget(self.profile_box, 4)

        # -- staff
        self.staff_box = QGroupBox()
        sbox = QVBoxLayout(self.staff_box)
        self.staff_table = QTableWidget(0, len(STAFF_COLUMNS))
        self.staff_table.setObjectName("staff_table")
        self.staff_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.staff_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.staff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staff_table.verticalHeader().hide()
        header = self.staff_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.staff_table.itemSelectionChanged.connect(self._update_buttons)
        self.staff_table.cellDoubleClicked.connect(lambda *_a: self.edit_staff())
        sbox.addWidget(self.staff_table)
        self.staff_note = QLabel()
        self.staff_note.setWordWrap(True)
        sbox.addWidget(self.staff_note)
        buttons = QHBoxLayout()
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_staff")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_staff")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("remove_staff")
        self.add_button.clicked.connect(self.add_staff)
        self.edit_button.clicked.connect(self.edit_staff)
        self.remove_button.clicked.connect(self.remove_staff)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        sbox.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(self.staff_box, 1)
        self.wall_box = StationWallBox(session)  # the rules on the wall and the photo
        self.wall_box.changed.connect(self.emit_changes)
        right.addWidget(self.wall_box, 1)
        outer.addLayout(right, 5)
        w = self.wall_box
        restrict(session, Permission.EDIT_STATION, self.save_button, self.add_button,
                 self.edit_button, self.remove_button, w.add_rule_button, w.edit_rule_button,
                 w.delete_rule_button, w.up_button, w.down_button, w.set_photo_button,
                 w.remove_photo_button)

        self.retranslate()
        self.refresh()

    # -- Screen
    def retranslate(self) -> None:
        self.profile_box.setTitle(_("Station profile"))
        self.staff_box.setTitle(_("Staff"))
        self.fields.retranslate()
        for i, (_value, msgid) in enumerate(BILINGUAL_ORDERS):
            self.order.setItemText(i, _(msgid))
        self.fields.widgets["code"].setToolTip(
            _("The station code marks this station's records in the bundles sent to the "
              "county; it is fixed when the station is created."))
        self.fields.widgets["opening_hours"].setPlaceholderText(_("e.g. Mon–Fri 8:30–16:30"))
        self.save_button.setText(_("Save profile"))
        self.saved_note.setText("")
        self.staff_table.setHorizontalHeaderLabels([_(m) for _k, m in STAFF_COLUMNS])
        self.staff_note.setText(_("Former staff stay in the list, greyed, with the date "
                                  "they left."))
        self.wall_box.retranslate()
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_("Edit…"))
        self.remove_button.setText(_("Remove…"))
        self._fill_staff()

    def refresh(self) -> None:
        self.fields.set_values(station_service.profile(self.session))
        self.fields.marks.clear()
        self._staff = station_service.staff(self.session)
        self._fill_staff()
        self.wall_box.refresh()

    # -- profile
    def save_profile(self) -> None:
        self.saved_note.setText("")
        changes = attempt(
            self, lambda: station_service.save_profile(self.session, data=self.fields.values()),
            self.fields.marks)
        if changes is None:
            return
        self.fields.marks.clear()
        self.saved_note.setText(_("Saved."))
        self.emit_changes(changes)

    # -- staff
    def _fill_staff(self) -> None:
        table = self.staff_table
        selected = self.selected_staff()
        table.setRowCount(len(self._staff))
        for r, person in enumerate(self._staff):
            for c, (key, _m) in enumerate(STAFF_COLUMNS):
                value = person.get(key) or ""
                if key == "role" and value in StaffRole._value2member_map_:
                    value = _(STAFF_ROLE_LABELS[StaffRole(value)])
                elif key in ("since", "until") and value:
                    value = format_date(value, fmt="medium")
                elif key == "phone":
                    value = mask_phone(value)
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, person["id"])
                if person.get("until"):
                    item.setForeground(QColor("#888888"))
                table.setItem(r, c, item)
        if selected:
            for r, person in enumerate(self._staff):
                if person["id"] == selected["id"]:
                    table.selectRow(r)
        self._update_buttons()

    def selected_staff(self) -> dict | None:
        rows = self.staff_table.selectionModel().selectedRows() if self.staff_table.model() else []
        if not rows:
            return None
        r = rows[0].row()
        return self._staff[r] if 0 <= r < len(self._staff) else None

    def _update_buttons(self) -> None:
        has = self.selected_staff() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def add_staff(self) -> None:
        dialog = StaffDialog(self.session, parent=self)
        if dialog.exec():
            self.emit_changes(dialog.changes)

    def edit_staff(self) -> None:
        person = self.selected_staff()
        if person is None:
            return
        dialog = StaffDialog(self.session, staff=person, parent=self)
        if dialog.exec():
            self.emit_changes(dialog.changes)

    def remove_staff(self) -> None:
        person = self.selected_staff()
        if person is None:
            return
        answer = QMessageBox.question(
            self, _("Remove staff member"),
            _("Remove {name} from the staff list? If the person has left, edit the entry "
              "and set the date they left instead, so the history is kept.").format(
                name=person["name"]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            changes = station_service.remove_staff(self.session, staff_id=person["id"])
        except DomainError as exc:
            show_error(self, exc)
            return
        self.emit_changes(changes)
