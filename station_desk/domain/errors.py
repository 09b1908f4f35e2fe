"""Typed errors.  Each carries a message id (translated by the caller's
language layer) and its parameters, never a finished sentence."""
from __future__ import annotations

from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


class DomainError(Exception):
    """Base of every error the program explains to its user."""

    msgid: str = N_("The operation could not be completed.")

    def __init__(self, msgid: str | None = None, **params: object) -> None:
        self.msgid = msgid or type(self).msgid
        self.params = params
        super().__init__(self.msgid.format(**params) if params else self.msgid)

    def message(self, gettext) -> str:
        """The message in the language of ``gettext``."""
        text = gettext(self.msgid)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError):
            return text


@dataclass(frozen=True)
class FieldError:
    field: str
    msgid: str
    params: dict = field(default_factory=dict)

    def message(self, gettext) -> str:
        text = gettext(self.msgid)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError):
            return text


class ValidationError(DomainError):
    """One or more fields are wrong; ``errors`` names each with its reason."""

    msgid = N_("Some fields need correcting.")

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__(None)
        self.args = (", ".join(f"{e.field}: {e.msgid}" for e in self.errors),)

    def for_field(self, name: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == name), None)


class NotFound(DomainError):
    msgid = N_("The record no longer exists.")


class InvalidTransition(DomainError):
    msgid = N_("This step is not allowed from the current state ({state}).")


class DatabaseError(DomainError):
    """Base for problems with the database file itself."""


class DatabaseTooNew(DatabaseError):
    msgid = N_(
        "This database was written by a newer version of the program "
        "(schema {found}, this program knows up to {known}). "
        "Update the program; the database was not opened or changed."
    )


class DatabaseCorrupt(DatabaseError):
    msgid = N_(
        "The database file failed its integrity check ({detail}). "
        "It was not opened. Restore the newest backup in Settings."
    )


class DatabaseLocked(DatabaseError):
    msgid = N_(
        "The database is in use by another program or window. "
        "Close the other station_desk window and try again."
    )


class DiskFull(DatabaseError):
    msgid = N_(
        "The disk is full or not writable ({detail}). Nothing was saved; "
        "free some space and try again."
    )


class NotADatabase(DatabaseError):
    msgid = N_("The file {path} is not a station_desk database.")


class ImportFileError(DomainError):
    msgid = N_("The file could not be read: {detail}")


class BackupFailed(DatabaseError):
    msgid = N_(
        "The backup copy failed its integrity check ({detail}) and was deleted. "
        "The database itself may be damaged: keep the older backups and ask for help."
    )


class BackupDamaged(DatabaseError):
    msgid = N_(
        "The backup {name} is damaged or incomplete ({detail}). Nothing was restored "
        "and the current database is unchanged; choose another backup."
    )


class BackupOtherStation(DatabaseError):
    msgid = N_(
        "The backup {name} belongs to another station ({found}; this one is {expected}). "
        "Nothing was restored."
    )


class DemoExists(DomainError):
    msgid = N_(
        "A file already exists at {path} and was left unchanged. To replace it with "
        "a new demo station, run: station-desk demo --force"
    )
