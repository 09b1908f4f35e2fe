"""Adding or editing a deputy: basic data, photo and (when adding) the first mandate."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from station_desk.domain import codes
from station_desk.domain.changes import Changes
from station_desk.domain.deputies import SEX_LABELS, Sex, validate_deputy, validate_mandate
from station_desk.domain.errors import DomainError, FieldError, ValidationError
from station_desk.domain.masking import mask_phone
from station_desk.i18n import N_, _
from station_desk.services import registry
from station_desk.ui.dialogs.mandate_dialogs import MandateFields, grow_to_fit
from station_desk.ui.models.deputies import group_label
from station_desk.ui.widgets.date_edit import DateEdit
from station_desk.ui.widgets.errors import FieldMarks, attempt, message_of, show_error
from station_desk.ui.widgets.fields import FormFields
from station_desk.ui.widgets.photo import PhotoLabel, load_photo, photo_file_filter

FIELD_LABELS = {
    "name": N_("Name"),
    "name_ko": N_("Korean reading"),
    "sex": N_("Sex"),
    "ethnicity": N_("Ethnicity"),
    "birth_date": N_("Date of birth"),
    "party": N_("Political status"),
    "unit": N_("Work unit"),
    "post": N_("Post"),
    "phone": N_("Phone"),
    "village": N_("Village / community"),
    "group_id": N_("Deputy group"),
    "notes": N_("Notes"),
}

# Yanbian stations list these two first; the rest follow GB/T 3304 order.
ETHNICITY_FIRST = ("10", "01")


class GroupPicker(QWidget):
    """The deputy group combo with a 'New group…' button beside it."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.changes = Changes()
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.new_button = QPushButton(_("New group…"))
        self.new_button.setAutoDefault(False)
        box.addWidget(self.combo, 1)
        box.addWidget(self.new_button)
        self.setFocusProxy(self.combo)
        self.new_button.clicked.connect(self.new_group)
        self.fill()

    def fill(self, select: str | None = None) -> None:
        current = select if select is not None else self.combo.currentData()
        self.combo.clear()
        self.combo.addItem(_("— none —"), None)
        for g in registry.groups(self.session):
            self.combo.addItem(group_label(g), g["id"])
        i = self.combo.findData(current)
        self.combo.setCurrentIndex(i if i >= 0 else 0)

    def value(self) -> str | None:
        return self.combo.currentData()

    def set_value(self, group_id: str | None) -> None:
        i = self.combo.findData(group_id)
        self.combo.setCurrentIndex(i if i >= 0 else 0)

    def setStyleSheet(self, sheet: str) -> None:  # noqa: N802 - FieldMarks marks the combo
        self.combo.setStyleSheet(sheet)

    def setToolTip(self, tip: str) -> None:  # noqa: N802
        self.combo.setToolTip(tip)

    def new_group(self) -> None:
        dialog = NewGroupDialog(self.session, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.changes:
            self.changes = self.changes | dialog.changes
            self.fill(select=dialog.changes.created_id)


class NewGroupDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.changes = Changes()
        self.setWindowTitle(_("New deputy group"))
        box = QVBoxLayout(self)
        form = QFormLayout()
        self.fields = FormFields(form)
        self.name_zh = self.fields.add("name_zh", QLineEdit(), N_("Name (Chinese)"))
        self.name_ko = self.fields.add("name_ko", QLineEdit(), N_("Name (Korean)"))
        self.name_zh.setPlaceholderText("第一代表小组")
        self.name_ko.setPlaceholderText("제1대표소조")
        self.fields.add_fallback()
        box.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.resize(380, self.sizeHint().height())

    def save(self) -> None:
        self.changes = attempt(
            self, lambda: registry.create_group(self.session, name_zh=self.name_zh.text(),
                                                name_ko=self.name_ko.text()),
            self.fields.marks, on_invalid=lambda: grow_to_fit(self))
        if self.changes is not None:
            self.accept()


class DeputyForm(QDialog):
    """Add a deputy (``deputy=None``: with the first mandate) or edit one.

    After ``accept()``, ``changes`` holds what was written; nothing is written
    while a field is invalid."""

    def __init__(self, session, deputy: dict | None = None, parent: QWidget | None = None,
                 photo: bytes | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.deputy = deputy
        self.adding = deputy is None
        self.changes = Changes()
        self._photo = photo
        self._photo_changed = False
        self.setObjectName("deputy_form")
        self.setWindowTitle(_("Add deputy") if self.adding else _("Edit deputy"))

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        outer.addLayout(top)

        left_form, right_form = QFormLayout(), QFormLayout()
        for f in (left_form, right_form):
            f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = FormFields(left_form)
        right = FormFields(right_form)

        self.name = self.fields.add("name", QLineEdit(), FIELD_LABELS["name"])
        self.name.setMaxLength(40)
        self.name_ko = self.fields.add("name_ko", QLineEdit(), FIELD_LABELS["name_ko"])
        self.name_ko.setMaxLength(40)
        self.sex = self.fields.add("sex", QComboBox(), FIELD_LABELS["sex"])
        self.ethnicity = self.fields.add("ethnicity", QComboBox(), FIELD_LABELS["ethnicity"])
        self.birth_date = self.fields.add("birth_date", DateEdit(), FIELD_LABELS["birth_date"])
        self.party = self.fields.add("party", QComboBox(), FIELD_LABELS["party"])
        self.phone = self.fields.add("phone", QLineEdit(), FIELD_LABELS["phone"])
        self.phone.setMaxLength(20)

        self.unit = right.add("unit", QLineEdit(), FIELD_LABELS["unit"])
        self.unit.setMaxLength(120)
        self.post = right.add("post", QLineEdit(), FIELD_LABELS["post"])
        self.post.setMaxLength(80)
        self.village = right.add("village", QComboBox(), FIELD_LABELS["village"])
        self.village.setEditable(True)
        self.village.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.group = right.add("group_id", GroupPicker(session), FIELD_LABELS["group_id"])
        self.notes = right.add("notes", QPlainTextEdit(), FIELD_LABELS["notes"])
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(64)

        top.addLayout(left_form, 5)
        top.addSpacing(12)
        top.addLayout(right_form, 6)
        top.addSpacing(12)

        photo_box = QVBoxLayout()
        self.photo_view = PhotoLabel(width=120)
        self.photo_button = QPushButton(_("Choose photo…"))
        self.photo_remove = QPushButton(_("Remove photo"))
        for b in (self.photo_button, self.photo_remove):
            b.setAutoDefault(False)
        self.photo_error = QLabel()
        self.photo_error.setWordWrap(True)
        self.photo_error.setStyleSheet("color: #c0392b;")
        self.photo_error.setMaximumWidth(160)
        self.photo_error.hide()
        photo_box.addWidget(self.photo_view, 0, Qt.AlignmentFlag.AlignHCenter)
        photo_box.addWidget(self.photo_button)
        photo_box.addWidget(self.photo_remove)
        photo_box.addWidget(self.photo_error)
        photo_box.addStretch(1)
        top.addLayout(photo_box)
        self.photo_button.clicked.connect(self.choose_photo)
        self.photo_remove.clicked.connect(self.remove_photo)

        self.mandate: MandateFields | None = None
        self.mandate_box: QGroupBox | None = None
        self._mandate_fields: list[FormFields] = []
        if self.adding:
            self.mandate_box = QGroupBox(_("First mandate"))
            grid = QGridLayout(self.mandate_box)
            ml, mr = QFormLayout(), QFormLayout()
            for f in (ml, mr):
                f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            grid.addLayout(ml, 0, 0)
            grid.addLayout(mr, 0, 1)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
            mfl, mfr = FormFields(ml), FormFields(mr)
            self.mandate = MandateFields(mfl, mfr, prefix="mandates[0].")
            self._mandate_fields = [mfl, mfr]
            outer.addWidget(self.mandate_box)

        self.fallback = QLabel()
        self.fallback.setWordWrap(True)
        self.fallback.hide()
        outer.addWidget(self.fallback)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        # one FieldMarks over both columns and the mandate box
        pairs = {}
        for ff in (self.fields, right, *self._mandate_fields):
            pairs.update({n: (ff.widgets[n], ff.errors[n]) for n in ff.widgets})
        self.marks = FieldMarks(pairs, self.fallback)
        self._forms = [self.fields, right, *self._mandate_fields]

        self.save_button.setDefault(True)
        # Tab runs down the left column, then the right, then the mandate, then Save
        order = [self.name, self.name_ko, self.sex, self.ethnicity, self.birth_date.line,
                 self.party, self.phone, self.unit, self.post, self.village, self.group.combo,
                 self.group.new_button, self.notes]
        if self.mandate is not None:
            order += [self.mandate.level, self.mandate.term, self.mandate.constituency,
                      self.mandate.elected_on.line]
        order += [self.save_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                  self.photo_button, self.photo_remove]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

        self._fill_choices()
        if deputy is not None:
            self._load(deputy)
        self.photo_view.set_photo(self._photo, self.name.text())
        self._update_photo_buttons()
        self.name.setFocus()
        self.resize(860, self.sizeHint().height())

    # -- filling ----------------------------------------------------------------

    def _fill_choices(self) -> None:
        self.sex.addItem("—", None)
        for s in Sex:
            self.sex.addItem(_(SEX_LABELS[s]), s.value)
        self.ethnicity.addItem("—", None)
        order = list(ETHNICITY_FIRST) + [c for c in codes.ETHNICITY if c not in ETHNICITY_FIRST]
        for code in order:
            self.ethnicity.addItem(_(codes.ETHNICITY[code]), code)
        self.ethnicity.insertSeparator(len(ETHNICITY_FIRST) + 1)
        self.party.addItem("—", None)
        for code, msgid in codes.POLITICAL_STATUS.items():
            self.party.addItem(_(msgid), code)
        self.village.addItem("")
        for v in registry.villages(self.session):
            self.village.addItem(v)
        self.village.lineEdit().setPlaceholderText(_("Type or choose"))
        self.phone.setPlaceholderText(_("e.g. 13843312345 or 0433-1234567"))
        self.name_ko.setPlaceholderText(_("e.g. 김명철"))

    def _combo_set(self, combo: QComboBox, value) -> None:
        i = combo.findData(value)
        combo.setCurrentIndex(i if i >= 0 else 0)

    def _load(self, d: dict) -> None:
        self.name.setText(d.get("name") or "")
        self.name_ko.setText(d.get("name_ko") or "")
        self._combo_set(self.sex, d.get("sex"))
        self._combo_set(self.ethnicity, d.get("ethnicity"))
        self.birth_date.set_date(d.get("birth_date"))
        self._combo_set(self.party, d.get("party"))
        self.phone.setText(d.get("phone") or "")
        self.unit.setText(d.get("unit") or "")
        self.post.setText(d.get("post") or "")
        self.village.setCurrentText(d.get("village") or "")
        self.group.set_value(d.get("group_id"))
        self.notes.setPlainText(d.get("notes") or "")

    def data(self) -> dict:
        """The basic data as typed (the service cleans and checks it)."""
        return {
            "name": self.name.text(), "name_ko": self.name_ko.text(),
            "sex": self.sex.currentData() or "", "ethnicity": self.ethnicity.currentData() or "",
            "birth_date": self.birth_date.text(), "party": self.party.currentData() or "",
            "unit": self.unit.text(), "post": self.post.text(), "phone": self.phone.text(),
            "village": self.village.currentText(), "group_id": self.group.value(),
            "notes": self.notes.toPlainText(),
        }

    # -- photo ------------------------------------------------------------------

    def choose_photo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a photo"), "",
                                                    photo_file_filter())
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str) -> bool:
        """Load, scale and show a photo file; a clear message when it is not an image."""
        try:
            data = load_photo(path)
        except (DomainError, OSError) as exc:
            self.photo_error.setText(message_of(exc))
            self.photo_error.show()
            return False
        self.photo_error.hide()
        self._photo, self._photo_changed = data, True
        self.photo_view.set_photo(data, self.name.text())
        self._update_photo_buttons()
        return True

    def remove_photo(self) -> None:
        self._photo, self._photo_changed = None, True
        self.photo_view.set_photo(None, self.name.text())
        self._update_photo_buttons()

    def _update_photo_buttons(self) -> None:
        self.photo_remove.setEnabled(self._photo is not None)

    @property
    def photo(self) -> bytes | None:
        return self._photo

    # -- saving -----------------------------------------------------------------

    def _validate(self, data: dict, mandate: dict | None) -> dict:
        """The service's own checks, run first so every wrong field is marked
        before anything else is asked; returns the cleaned basic data."""
        today = self.session.today()
        errors: list[FieldError] = []
        birth = None
        clean: dict = {}
        try:
            clean = validate_deputy(data, today=today)
            birth = date.fromisoformat(clean["birth_date"]) if clean["birth_date"] else None
        except ValidationError as exc:
            errors += exc.errors
        if mandate is not None:
            try:
                validate_mandate(mandate, today=today, birth_date=birth)
            except ValidationError as exc:
                errors += [FieldError(f"mandates[0].{e.field}", e.msgid, e.params)
                           for e in exc.errors]
        if errors:
            raise ValidationError(errors)
        return clean

    def _confirm_duplicates(self, data: dict) -> bool:
        found = registry.likely_duplicates(self.session, data=data)
        if not found:
            return True
        lines = [_("{name}, born {birth}, phone {phone}").format(
            name=d["name"], birth=d["birth_date"] or "—", phone=mask_phone(d["phone"]) or "—")
            for d in found[:8]]
        text = (_("These deputies are already registered with the same name and date of birth, "
                  "or the same phone:") + "\n\n" + "\n".join(lines) + "\n\n"
                + _("Add {name} anyway?").format(name=data["name"].strip()))
        answer = QMessageBox.question(
            self, _("Possible duplicate"), text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def save(self) -> None:
        self.marks.clear()
        data = self.data()
        mandate = self.mandate.data() if self.mandate else None
        try:
            clean = self._validate(data, mandate)
            if self.adding:
                # compared in stored form: 1980年5月6日 is 1980-05-06, +86 138… is 138…
                if not self._confirm_duplicates(clean):
                    return
                self.changes = registry.create_deputy(self.session, data=data,
                                                      mandates=[mandate], photo=self._photo)
            else:
                did = self.deputy["id"]
                self.changes = registry.update_deputy(
                    self.session, deputy_id=did, data=data,
                    expected_version=self.deputy.get("row_version"))
                if self._photo_changed:
                    if self._photo:
                        self.changes |= registry.set_photo(self.session, deputy_id=did,
                                                           data=self._photo)
                    else:
                        self.changes |= registry.remove_photo(self.session, deputy_id=did)
        except ValidationError as exc:
            self.marks.show(exc)
            grow_to_fit(self)
            return
        except registry.StaleRecord as exc:
            show_error(self, exc, _("Changed by someone else"))
            return
        except DomainError as exc:
            show_error(self, exc)
            return
        self.changes = self.changes | self.group.changes
        self.accept()

    def reject(self) -> None:
        # a group made with 'New group…' is saved even when the form is cancelled
        self.changes = self.changes | self.group.changes
        super().reject()
