"""Telling the user what went wrong, in their language, and marking bad fields."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from station_desk.domain.errors import DomainError, ValidationError
from station_desk.i18n import _

INVALID_STYLE = "border: 1px solid #c0392b; background: #fdecea;"


def message_of(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.message(_)
    if isinstance(exc, OSError):
        return _("The file could not be read or written: {detail}").format(
            detail=exc.strerror or str(exc))
    return _("An unexpected error occurred: {detail}").format(detail=str(exc))


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or _("Not saved"), message_of(exc))


class FieldMarks:
    """Marks invalid fields of a form with a red frame and a message under each.

    ``fields`` maps a field name (as in ValidationError) to (input widget,
    message label).  Unknown field names go to ``fallback`` (a QLabel)."""

    def __init__(self, fields: dict[str, tuple[QWidget, QLabel]],
                 fallback: QLabel | None = None) -> None:
        self.fields = fields
        self.fallback = fallback
        self.clear()

    def clear(self) -> None:
        for widget, label in self.fields.values():
            widget.setStyleSheet("")
            widget.setToolTip("")
            label.setText("")
            label.hide()
        if self.fallback is not None:
            self.fallback.setText("")
            self.fallback.hide()

    def show(self, exc: ValidationError) -> None:
        self.clear()
        extra = []
        first = None
        for err in exc.errors:
            text = err.message(_)
            if err.field in self.fields:
                widget, label = self.fields[err.field]
                widget.setStyleSheet(INVALID_STYLE)
                widget.setToolTip(text)
                label.setText(text)
                label.setStyleSheet("color: #c0392b;")
                label.show()
                first = first or widget
            else:
                extra.append(text)
        if extra and self.fallback is not None:
            self.fallback.setText("\n".join(extra))
            self.fallback.setStyleSheet("color: #c0392b;")
            self.fallback.show()
        if first is not None:
            first.setFocus()


def attempt(parent: QWidget | None, call, marks: FieldMarks | None = None, *,
            on_invalid=None, title: str | None = None):
    """Run a service call the way every form does: invalid fields are marked
    (``on_invalid`` runs after, e.g. to grow the dialog), any other domain
    error is told in a message box.  Returns the call's result, or None when
    it failed (services never return None)."""
    try:
        return call()
    except ValidationError as exc:
        if marks is None:
            show_error(parent, exc, title)
        else:
            marks.show(exc)
            if on_invalid is not None:
                on_invalid()
        return None
    except DomainError as exc:
        show_error(parent, exc, title)
        return None
