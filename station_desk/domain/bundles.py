"""Sync bundles: why a bundle was refused (one typed error per failed check,
each saying what to do: re-export, update the program, enrol the station) and
the one rule deciding what an incoming row does to the copy held here.

``check`` names the step of the import order (docs/bundle-format.md) that
failed: decrypt, format, structure, signature, enrolment, hashes, schema.
"""
from __future__ import annotations

from station_desk.domain.errors import DomainError, N_


class BundleError(DomainError):
    """Base of every refusal; nothing was written when one is raised."""

    check = "bundle"
    msgid = N_("The bundle was refused. Nothing was changed.")


class NotABundle(BundleError):
    check = "decrypt"
    msgid = N_("The file is not a station_desk bundle (or its beginning is damaged). "
               "Nothing was changed. Ask the sender to export the bundle again.")


class BundleDamaged(BundleError):
    msgid = N_("The bundle is damaged or incomplete. Nothing was "
               "changed. Ask the sender to export the bundle again and copy it anew.")

    def __init__(self, msgid: str | None = None, **params: object) -> None:
        super().__init__(msgid, **params)
        self.check = str(params.get("check", "decrypt"))


class BundleTooLarge(BundleError):
    check = "structure"
    msgid = N_("The bundle is larger than the program accepts ({detail}). Nothing was "
               "changed. Ask the sender to export the bundle again.")


class BadBundleStructure(BundleError):
    check = "structure"
    msgid = N_("The bundle's contents are not laid out as a bundle must be ({detail}). "
               "Nothing was changed. Ask the sender to export the bundle again.")


class CountyKeyMismatch(BundleError):
    check = "decrypt"
    msgid = N_("This bundle was not encrypted for this program's key (or its header is "
               "damaged). Nothing was changed. Check that the station has imported this "
               "county's current key file, then export the bundle again.")


class FormatTooNew(BundleError):
    check = "format"
    msgid = N_("The bundle was written by a newer version of the program (format {found}; "
               "this program reads up to {known}). Nothing was changed. Update the program.")


class SchemaTooNew(BundleError):
    check = "schema"
    msgid = N_("The bundle comes from a database newer than this program (schema {found}; "
               "this program knows up to {known}). Nothing was changed. Update the program.")


class WrongStationKey(BundleError):
    check = "signature"
    msgid = N_("The bundle's signature does not match the key enrolled for its sender. "
               "Nothing was changed. If the sender set up the program anew, enrol it again "
               "after comparing the fingerprint; otherwise treat the file as forged.")


class NotEnrolled(BundleError):
    check = "enrolment"
    msgid = N_("The bundle comes from {station}, which is not enrolled here. Nothing was "
               "changed. Enrol the station from its enrolment file first.")


class WrongAddressee(BundleError):
    check = "enrolment"
    msgid = N_("The bundle is addressed to {found}, not to {expected}. Nothing was changed. "
               "Import it where it belongs.")


class HashMismatch(BundleError):
    check = "hashes"
    msgid = N_("A part of the bundle ({name}) does not match its checksum. Nothing was "
               "changed. Ask the sender to export the bundle again.")


class SchemaMismatch(BundleError):
    check = "schema"
    msgid = N_("The bundle's data does not fit this database ({detail}). Nothing was "
               "changed. Ask the sender to export the bundle again; if it persists, update "
               "the program on both sides.")


class BadKeyFile(BundleError):
    check = "key"
    msgid = N_("The key file could not be read ({detail}). Nothing was changed. Export it "
               "again at its origin.")


class FingerprintMismatch(BundleError):
    check = "key"
    msgid = N_("The fingerprint typed does not match the key file's. Nothing was changed. "
               "Compare the printed fingerprint with the sender by phone or in person.")


class NoCountyKey(DomainError):
    msgid = N_("The county's key has not been imported yet. Import the county's key file "
               "(Bundles, County key) before exporting a bundle.")


class NotCountyMode(DomainError):
    msgid = N_("This database is not a county database. Create one with "
               "station-desk county create.")


class CountyMode(DomainError):
    msgid = N_("This is a county database; station bundles are exported at a station.")


class ExportFailed(DomainError):
    msgid = N_("The bundle could not be written to {folder} ({detail}). No bundle file was "
               "left there. Check the drive (space, write protection), then export again.")


class ExportUnverified(DomainError):
    msgid = N_("The bundle written to {folder} did not read back correctly ({detail}) and "
               "was deleted. The drive may be failing: try another one.")


class Cancelled(DomainError):
    msgid = N_("Cancelled. Nothing was changed.")


class AlreadyEnrolled(DomainError):
    msgid = N_("Station {station} is already enrolled with another key (fingerprint {old}). "
               "Nothing was changed. To replace its key, confirm the new fingerprint with "
               "the station and enrol it again with replace.")


class UnknownStation(DomainError):
    msgid = N_("Station {station} is not enrolled here.")


# what an incoming row does to the copy held here
NEW, UPDATED, DELETED, UNCHANGED, OLDER, CONFLICT = (
    "new", "updated", "deleted", "unchanged", "older", "conflict")
OUTCOMES = (NEW, UPDATED, DELETED, UNCHANGED, OLDER, CONFLICT)

OUTCOME_LABELS = {
    NEW: N_("new"), UPDATED: N_("updated"), DELETED: N_("deleted"),
    UNCHANGED: N_("unchanged"), OLDER: N_("older (a newer version is here)"),
    CONFLICT: N_("conflicts"),
}

REASON_FOREIGN = N_("the row belongs to {origin}, not to the sender")
REASON_TAKEN = N_("the id is held by a row of {origin}")
REASON_SAME_VERSION = N_("same version, different content (was the sender restored "
                         "from a backup?)")
REASON_CONSTRAINT = N_("refused by the database ({detail})")
REASON_ORPHAN = N_("points at a record that is not here")


def classify(incoming: dict, existing: dict | None, *, sender: str,
             same_content: bool | None = None) -> tuple[str, str | None]:
    """(outcome, reason) of one incoming row against the row with its id here.

    ``existing`` has ``origin``, ``row_version``, ``deleted`` (None: no such
    row).  Each row has one writer, its origin: a higher ``row_version`` wins,
    a lower one is older news (so an old bundle never brings a deleted row
    back), an equal one must be the same row.  ``same_content`` answers that
    last question when the caller has compared the rows."""
    origin = incoming["origin"]
    if origin != sender:
        return CONFLICT, REASON_FOREIGN
    if existing is None:
        return (DELETED if incoming["deleted"] else NEW), None
    if existing["origin"] != origin:
        return CONFLICT, REASON_TAKEN
    if incoming["row_version"] > existing["row_version"]:
        if incoming["deleted"] and not existing["deleted"]:
            return DELETED, None
        return UPDATED, None
    if incoming["row_version"] < existing["row_version"]:
        return OLDER, None
    if same_content is False:
        return CONFLICT, REASON_SAME_VERSION
    return UNCHANGED, None


# the steps of the import order (BundleError.check), in words
CHECK_LABELS = {
    "decrypt": N_("decryption"), "format": N_("format version"),
    "structure": N_("contents of the file"), "signature": N_("signature"),
    "enrolment": N_("enrolment of the sender"), "hashes": N_("checksums"),
    "schema": N_("database schema"), "key": N_("key file"), "bundle": N_("bundle"),
}


def refusal(exc: DomainError, gettext) -> str:
    """A refusal in ``gettext``'s language; a bundle's also names the check that
    failed (the window and the command line say the same)."""
    text = exc.message(gettext)
    if isinstance(exc, BundleError):
        label = CHECK_LABELS.get(exc.check, CHECK_LABELS["bundle"])
        text += "\n" + gettext("Failed check: {check}").format(check=gettext(label))
    return text
