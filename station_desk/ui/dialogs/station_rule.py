"""Add or edit one of the station's rules on the wall (制度上墙): its title and
text in Chinese and in Korean."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
    QWidget,
)

from station_desk.domain.changes import Changes
from station_desk.domain.notices import BODY_MAX, TITLE_MAX
from station_desk.i18n import N_, _
from station_desk.services import notices
from station_desk.ui.widgets.errors import attempt
from station_desk.ui.widgets.fields import FormFields


class StationRuleDialog(QDialog):
    """Saves through services.notices; ``changes`` holds what changed."""

    def __init__(self, session, *, rule: dict | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rule = rule
        self.changes = Changes()
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #50586a;")
        layout.addWidget(self.note)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(form)
        self.fields = FormFields(form)
        self.title_zh = QLineEdit()
        self.title_zh.setMaxLength(TITLE_MAX)
        self.title_ko = QLineEdit()
        self.title_ko.setMaxLength(TITLE_MAX)
        self.body_zh = QPlainTextEdit()
        self.body_ko = QPlainTextEdit()
        for body in (self.body_zh, self.body_ko):
            body.setTabChangesFocus(True)
            body.setMinimumHeight(body.fontMetrics().lineSpacing() * 7 + 12)
        self.fields.add("title_zh", self.title_zh, N_("Title (Chinese)"))
        self.fields.add("body_zh", self.body_zh, N_("Text (Chinese)"))
        self.fields.add("title_ko", self.title_ko, N_("Title (Korean)"))
        self.fields.add("body_ko", self.body_ko, N_("Text (Korean)"))
        self.fields.add_fallback()
        self.count = QLabel()
        self.count.setStyleSheet("color: #50586a;")
        layout.addWidget(self.count)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for body in (self.body_zh, self.body_ko):
            body.textChanged.connect(self._count)
        if rule:
            self.fields.set_values(rule)
        self.retranslate()
        self.title_zh.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit rule") if self.rule else _("Add a rule"))
        self.note.setText(_("The rules are printed on the notice \"Rules of the Station\" in "
                            "this order. Put one article on each line. A Korean title or text "
                            "left empty prints the Chinese one."))
        self.fields.retranslate()
        self.title_zh.setPlaceholderText(_("e.g. 接待选民制度"))
        self.title_ko.setPlaceholderText(_("e.g. 선민접대제도"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self._count()

    def _count(self) -> None:
        self.count.setText(_("Chinese {zh} / {max} characters, Korean {ko} / {max}").format(
            zh=len(self.body_zh.toPlainText()), ko=len(self.body_ko.toPlainText()),
            max=BODY_MAX))

    def values(self) -> dict:
        return {"title_zh": self.title_zh.text(), "title_ko": self.title_ko.text(),
                "body_zh": self.body_zh.toPlainText(), "body_ko": self.body_ko.toPlainText()}

    def accept(self) -> None:
        data = self.values()
        if self.rule:
            call = lambda: notices.update_rule(  # noqa: E731
                self.session, rule_id=self.rule["id"], data=data)
        else:
            call = lambda: notices.add_rule(self.session, data=data)  # noqa: E731
        changes = attempt(self, call, self.fields.marks)
        if changes is not None:
            self.changes = changes
            super().accept()
