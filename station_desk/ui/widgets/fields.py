"""A form of labelled fields, each with a message line for its error.

Labels are message ids (mark them with ``N_``) so ``retranslate()`` can re-set
them in another language; ``marks`` is the FieldMarks that shows a
ValidationError on the right fields.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from station_desk.i18n import _
from station_desk.ui.widgets.errors import FieldMarks


class FormFields:
    """Rows of a QFormLayout: field name -> (label, input, error line)."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self.labels: dict[str, tuple[QLabel, str]] = {}
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.fallback = QLabel()
        self.fallback.setWordWrap(True)
        self._marks: FieldMarks | None = None

    def add(self, name: str, widget: QWidget, label_msgid: str) -> QWidget:
        """Add a row; ``label_msgid`` is an English message id marked with N_."""
        label = QLabel(_(label_msgid))
        label.setBuddy(widget)
        cell = QWidget()
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = QLabel()
        error.setWordWrap(True)
        error.setObjectName(f"error_{name}")
        error.hide()
        box.addWidget(error)
        self.layout.addRow(label, cell)
        widget.setObjectName(name)
        self.labels[name] = (label, label_msgid)
        self.widgets[name] = widget
        self.errors[name] = error
        self._marks = None
        return widget

    def add_fallback(self) -> None:
        """Put the line for errors of fields the form does not show."""
        self.fallback.hide()
        self.layout.addRow(self.fallback)

    @property
    def marks(self) -> FieldMarks:
        if self._marks is None:
            self._marks = FieldMarks({n: (self.widgets[n], self.errors[n]) for n in self.widgets},
                                     self.fallback)
        return self._marks

    def retranslate(self) -> None:
        for label, msgid in self.labels.values():
            label.setText(_(msgid))

    def value(self, name: str):
        w = self.widgets[name]
        if isinstance(w, QLineEdit):
            return w.text()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            data = w.currentData()
            return data if data is not None else w.currentText()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        raise TypeError(type(w))

    def values(self) -> dict:
        return {name: self.value(name) for name in self.widgets}

    def set_value(self, name: str, value) -> None:
        w = self.widgets[name]
        if isinstance(w, QLineEdit):
            w.setText("" if value is None else str(value))
            w.setCursorPosition(0)  # show the start of a long address, not its end
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("" if value is None else str(value))
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            w.setCurrentIndex(i if i >= 0 else 0)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        else:
            raise TypeError(type(w))

    def set_values(self, data: dict) -> None:
        for name in self.widgets:
            if name in data:
                self.set_value(name, data[name])
