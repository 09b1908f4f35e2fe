"""The bundle's layout (docs/bundle-format.md is the written spec).

Inside the age encryption a bundle is a zip::

    bundle.json                 what the bundle is (META_FIELDS)
    data/<table>.jsonl          one row per line, sync columns included
    attachments/<sha256>        binary column values, named by their hash
    manifest-sha256.txt         "<sha256>  <name>" for every member above
    manifest-sha256.txt.sig     Ed25519 signature (64 raw bytes) of the manifest

``bundle.json`` and its ``format_version`` keep this name and meaning in every
future format, so an older program can always say "update the program".
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Callable

from station_desk.domain.bundles import BadBundleStructure, FormatTooNew

FORMAT = "station-desk-bundle"
FORMAT_VERSION = 1
META_NAME = "bundle.json"
MANIFEST_NAME = "manifest-sha256.txt"
SIGNATURE_NAME = "manifest-sha256.txt.sig"
EXTENSION = ".age"
RETURN_EXTENSION = ".return.age"

KIND_STATION = "station"   # station -> county
KIND_RETURN = "return"     # county -> station

TABLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
NAME_RES = (
    re.compile(r"^data/([a-z_][a-z0-9_]{0,62})\.jsonl$"),
    re.compile(r"^attachments/([0-9a-f]{64})$"),
)
FIXED_NAMES = frozenset({META_NAME, MANIFEST_NAME, SIGNATURE_NAME})
ATTACHMENT_KEY = "attachment"   # a binary value is written {"attachment": "<sha256>"}


@dataclass(frozen=True)
class Limits:
    """What the importer accepts before it reads a byte of content (zip bombs,
    floods of members, monstrous lines)."""

    file_bytes: int = 2 * 1024 ** 3          # the encrypted file
    members: int = 200_000
    member_bytes: int = 512 * 1024 ** 2      # one member, uncompressed
    total_bytes: int = 2 * 1024 ** 3         # all members, uncompressed
    ratio: int = 200                         # uncompressed / compressed of one member
    ratio_floor: int = 1024 ** 2             # members smaller than this skip the ratio test
    meta_bytes: int = 1024 ** 2              # bundle.json, the manifest
    line_bytes: int = 64 * 1024 ** 2         # one jsonl row (a row with a big text)


DEFAULT_LIMITS = Limits()

# field -> check of its value; the whole of bundle.json of format 1
META_FIELDS: dict[str, Callable[[object], bool]] = {
    "format": lambda v: v == FORMAT,
    "format_version": lambda v: isinstance(v, int),
    "schema_version": lambda v: isinstance(v, int) and v >= 1,
    "app_version": lambda v: isinstance(v, str),
    "kind": lambda v: v in (KIND_STATION, KIND_RETURN),
    "station": lambda v: isinstance(v, str) and 0 < len(v) <= 64,
    "county": lambda v: isinstance(v, str) and 0 < len(v) <= 64,
    "bundle_id": lambda v: isinstance(v, str) and _is_uuid(v),
    "serial": lambda v: isinstance(v, int) and v >= 1,
    "seq_from": lambda v: isinstance(v, int) and v >= 0,
    "seq_to": lambda v: isinstance(v, int) and v >= 0,
    "acknowledged_base": lambda v: isinstance(v, int) and v >= 0,
    "peer_acknowledged": lambda v: isinstance(v, int) and v >= 0,
    "full": lambda v: isinstance(v, bool),
    "period": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}", v) is not None,
    "station_clock": lambda v: isinstance(v, str) and len(v) <= 40,
    "counts": lambda v: isinstance(v, dict) and all(
        isinstance(k, str) and TABLE_RE.match(k) and isinstance(c, dict)
        and isinstance(c.get("rows"), int) and isinstance(c.get("deleted"), int)
        for k, c in v.items()),
}


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def member_kind(name: str) -> tuple[str, str] | None:
    """("data", table) / ("attachment", sha) / ("fixed", name), or None for a
    name the format does not allow."""
    if name in FIXED_NAMES:
        return ("fixed", name)
    m = NAME_RES[0].match(name)
    if m:
        return ("data", m.group(1))
    m = NAME_RES[1].match(name)
    if m:
        return ("attachment", m.group(1))
    return None


def file_name(meta: dict) -> str:
    """``STATION_YYYY-MM_<id8>.age`` (a return bundle ends ``.return.age``)."""
    ext = RETURN_EXTENSION if meta["kind"] == KIND_RETURN else EXTENSION
    safe = re.sub(r"[^0-9A-Za-z_-]", "-", meta["station"])
    return f"{safe}_{meta['period']}_{meta['bundle_id'][:8]}{ext}"


def dumps_meta(meta: dict) -> bytes:
    return json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


# older format -> the next; a bundle of format n is upgraded n -> n+1 -> … on reading
META_UPGRADES: dict[int, Callable[[dict], dict]] = {}
ROW_UPGRADES: dict[int, Callable[[str, dict], dict]] = {}


def upgrade_meta(meta: dict) -> dict:
    """Bring an older format's ``bundle.json`` up to FORMAT_VERSION, one step at a time."""
    version = meta["format_version"]
    while version < FORMAT_VERSION:
        step = META_UPGRADES.get(version)
        if step is None:
            raise BadBundleStructure(detail=f"format {version} is not supported")
        meta = step(meta)
        version += 1
        meta["format_version"] = version
    return meta


def upgrade_row(format_version: int, table: str, row: dict) -> dict:
    """A row of an older format in today's shape (every step in turn)."""
    for version in range(format_version, FORMAT_VERSION):
        step = ROW_UPGRADES.get(version)
        if step is not None:
            row = step(table, row)
    return row


def parse_meta(raw: bytes) -> dict:
    """``bundle.json`` checked field by field; a newer format is refused first."""
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadBundleStructure(detail="bundle.json is not JSON") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BadBundleStructure(detail="bundle.json")
    version = meta.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BadBundleStructure(detail="format_version")
    if version > FORMAT_VERSION:
        raise FormatTooNew(found=version, known=FORMAT_VERSION)
    meta = upgrade_meta(meta)
    meta["_original_format"] = version   # rows are upgraded from this format on reading
    for name, ok in META_FIELDS.items():
        if name not in meta or not ok(meta[name]):
            raise BadBundleStructure(detail=f"bundle.json: {name}")
    # rows carry seq_from <= change_seq <= seq_to; an empty bundle has seq_to = seq_from - 1
    if meta["seq_to"] < meta["seq_from"] - 1:
        raise BadBundleStructure(detail="bundle.json: seq range")
    return meta
