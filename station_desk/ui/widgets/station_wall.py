"""The station's texts for the notice board, on the station screen: the rules
on the wall (add, edit, delete, reorder) and the station's photo."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QListWidget,
    QListWidgetItem, QMessageBox, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from station_desk.domain.errors import DomainError
from station_desk.domain.validation import MAX_PHOTO_BYTES, image_mime
from station_desk.i18n import _
from station_desk.services import notices
from station_desk.ui.widgets.errors import attempt, show_error
from station_desk.ui.widgets.photo import photo_file_filter

PHOTO_SIZE = QSize(224, 168)  # 4:3, as the profile notice prints it
MAX_SIDE = 1600  # a photo made smaller than this stays sharp on an A3 notice


def read_station_photo(path: str | Path) -> bytes:
    """The bytes to keep for a station photo chosen from a file: the file
    itself when it is a JPEG or PNG small enough, else the picture re-encoded
    as JPEG at most 1600 px.  A file that is no readable picture raises the
    service's BadStationPhoto."""
    path = Path(path)
    raw = path.read_bytes()
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise notices.BadStationPhoto()
    if image_mime(raw) and len(raw) <= MAX_PHOTO_BYTES and max(image.width(),
                                                                 image.height()) <= MAX_SIDE:
        return raw
    if max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "JPEG", 88)
    buf.close()
    return bytes(data)


class StationWallBox(QGroupBox):
    """Emits ``changed`` with each Changes (the screen passes it on)."""

    changed = Signal(object)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._rules: list[dict] = []
        outer = QHBoxLayout(self)

        # -- the rules
        rules_col = QVBoxLayout()
        self.rules_label = QLabel()
        self.rules_label.setStyleSheet("font-weight: bold;")
        self.rule_list = QListWidget()
        self.rule_list.setObjectName("rule_list")
        self.rule_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rule_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rule_list.setTextElideMode(Qt.TextElideMode.ElideRight)  # whole title: tooltip
        self.rule_list.itemSelectionChanged.connect(self._update_buttons)
        self.rule_list.itemDoubleClicked.connect(lambda _i: self.edit_rule())
        rules_col.addWidget(self.rules_label)
        rules_col.addWidget(self.rule_list, 1)
        row = QHBoxLayout()
        row2 = QHBoxLayout()
        self.add_rule_button = QPushButton()
        self.add_rule_button.setObjectName("add_rule")
        self.edit_rule_button = QPushButton()
        self.edit_rule_button.setObjectName("edit_rule")
        self.delete_rule_button = QPushButton()
        self.delete_rule_button.setObjectName("delete_rule")
        self.up_button = QPushButton()
        self.up_button.setObjectName("rule_up")
        self.down_button = QPushButton()
        self.down_button.setObjectName("rule_down")
        self.add_rule_button.clicked.connect(self.add_rule)
        self.edit_rule_button.clicked.connect(self.edit_rule)
        self.delete_rule_button.clicked.connect(self.delete_rule)
        self.up_button.clicked.connect(lambda: self.move_rule(-1))
        self.down_button.clicked.connect(lambda: self.move_rule(1))
        for b in (self.add_rule_button, self.edit_rule_button, self.delete_rule_button):
            row.addWidget(b)
        row.addStretch(1)
        for b in (self.up_button, self.down_button):  # a second row: the box stays narrow
            row2.addWidget(b)
        row2.addStretch(1)
        rules_col.addLayout(row)
        rules_col.addLayout(row2)
        outer.addLayout(rules_col, 1)

        # -- the photo
        photo_col = QVBoxLayout()
        self.photo_label = QLabel()
        self.photo_label.setStyleSheet("font-weight: bold;")
        self.photo = QLabel()
        self.photo.setObjectName("station_photo")
        self.photo.setFixedSize(PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.photo.setWordWrap(True)
        self.set_photo_button = QPushButton()
        self.set_photo_button.setObjectName("set_station_photo")
        self.remove_photo_button = QPushButton()
        self.remove_photo_button.setObjectName("remove_station_photo")
        self.set_photo_button.clicked.connect(lambda: self.choose_photo())
        self.remove_photo_button.clicked.connect(self.remove_photo)
        photo_col.addWidget(self.photo_label)
        photo_col.addWidget(self.photo)
        prow = QHBoxLayout()
        prow.addWidget(self.set_photo_button)
        prow.addWidget(self.remove_photo_button)
        prow.addStretch(1)
        photo_col.addLayout(prow)
        photo_col.addStretch(1)
        outer.addLayout(photo_col)

        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setTitle(_("Notice board"))
        self.rules_label.setText(_("Rules on the wall"))
        self.rule_list.setToolTip(_("Printed in this order on the notice \"Rules of the "
                                    "Station\"; double-click to edit."))
        self.add_rule_button.setText(_("Add…"))
        self.edit_rule_button.setText(_("Edit…"))
        self.delete_rule_button.setText(_("Delete…"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.photo_label.setText(_("Station photo"))
        self.set_photo_button.setText(_("Choose photo…"))
        self.remove_photo_button.setText(_("Remove…"))
        self._show_photo()

    def refresh(self) -> None:
        self._rules = notices.rules(self.session)
        self._fill_rules()
        self._show_photo()

    # -- rules
    def _fill_rules(self, select: str | None = None) -> None:
        select = select or (self.selected_rule() or {}).get("id")
        self.rule_list.clear()
        for n, rule in enumerate(self._rules, start=1):
            text = f"{n}. {rule['title_zh']}"
            if rule.get("title_ko"):
                text += f"  ·  {rule['title_ko']}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, rule["id"])
            item.setToolTip(text + "\n\n" + (rule.get("body_zh") or ""))
            self.rule_list.addItem(item)
            if rule["id"] == select:
                self.rule_list.setCurrentItem(item)
        self._update_buttons()

    def selected_rule(self) -> dict | None:
        row = self.rule_list.currentRow() if self.rule_list.selectedItems() else -1
        return self._rules[row] if 0 <= row < len(self._rules) else None

    def select_rule(self, index: int) -> None:
        self.rule_list.setCurrentRow(index)

    def _update_buttons(self) -> None:
        row = self.rule_list.currentRow() if self.rule_list.selectedItems() else -1
        has = row >= 0
        self.edit_rule_button.setEnabled(has)
        self.delete_rule_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self._rules) - 1)

    def _apply(self, changes, select: str | None = None) -> None:
        if changes:
            self._rules = notices.rules(self.session)
            self._fill_rules(select)
            self.changed.emit(changes)

    def rule_dialog(self, rule: dict | None = None):
        from station_desk.ui.dialogs.station_rule import StationRuleDialog

        return StationRuleDialog(self.session, rule=rule, parent=self)

    def add_rule(self) -> None:
        dialog = self.rule_dialog()
        if dialog.exec():
            self._apply(dialog.changes, dialog.changes.created_id)

    def edit_rule(self) -> None:
        rule = self.selected_rule()
        if rule is None:
            return
        dialog = self.rule_dialog(rule)
        if dialog.exec():
            self._apply(dialog.changes, rule["id"])

    def delete_rule(self) -> None:
        rule = self.selected_rule()
        if rule is None:
            return
        answer = QMessageBox.question(
            self, _("Delete rule"),
            _("Take the rule \"{title}\" off the wall? It is no longer printed.").format(
                title=rule["title_zh"]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._apply(attempt(self, lambda: notices.delete_rule(self.session, rule_id=rule["id"]),
                            title=_("Not deleted")))

    def move_rule(self, step: int) -> None:
        rule = self.selected_rule()
        if rule is None:
            return
        order = [r["id"] for r in self._rules]
        i = order.index(rule["id"])
        j = i + step
        if not 0 <= j < len(order):
            return
        order[i], order[j] = order[j], order[i]
        self._apply(attempt(self, lambda: notices.reorder_rules(self.session, order=order)),
                    rule["id"])

    # -- the photo
    def _show_photo(self) -> None:
        data = notices.station_photo(self.session)
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.photo.setPixmap(pixmap.scaled(
                PHOTO_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
            self.photo.setStyleSheet("border: 1px solid #c5ccd6; background: #f4f6f8;")
        else:
            self.photo.setPixmap(QPixmap())
            self.photo.setText(_("No photo. The profile notice prints a neat frame "
                                 "in its place."))
            self.photo.setStyleSheet("border: 1px dashed #aab3c0; background: #eef1f5;"
                                     " color: #6a7686; padding: 8px;")
        self.remove_photo_button.setEnabled(bool(data))

    def has_photo(self) -> bool:
        return self.photo.pixmap() is not None and not self.photo.pixmap().isNull()

    def choose_photo(self, path: str | Path | None = None) -> bool:
        """Ask for a picture (unless given) and keep it as the station's photo."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Station photo"), "",
                                                        photo_file_filter())
            if not path:
                return False
        try:
            data = read_station_photo(path)
        except (DomainError, OSError) as exc:
            show_error(self, exc)
            return False
        changes = attempt(self, lambda: notices.set_station_photo(self.session, data=data))
        if changes is None:
            return False
        self._show_photo()
        self.changed.emit(changes)
        return True

    def remove_photo(self) -> None:
        answer = QMessageBox.question(
            self, _("Remove photo"), _("Remove the station's photo from the profile notice?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        changes = attempt(self, lambda: notices.remove_station_photo(self.session),
                          title=_("Not deleted"))
        if changes is not None:
            self._show_photo()
            self.changed.emit(changes)
