"""Reading a bundle as hostile input.

Order (design guide, "Sync bundles"): decrypt -> [layout and format version]
-> signature and enrolment -> hashes; the schema of the rows is checked by the
importer while it reads them (``rows``).  Defences: the encrypted file's size
is capped; the plain zip goes to an anonymous temporary file (no name from
the archive ever reaches the disk, nothing is extracted); member names are
allow-listed, duplicates refused, sizes and compression ratios capped, and
every read counts its bytes against the member's declared size.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Iterator

from station_desk.bundles import crypto
from station_desk.domain.bundles import (
    BadBundleStructure, BundleDamaged, BundleTooLarge, HashMismatch,
)
from station_desk.bundles.format import (
    ATTACHMENT_KEY, DEFAULT_LIMITS, MANIFEST_NAME, META_NAME, SIGNATURE_NAME, Limits,
    member_kind, parse_meta, upgrade_row,
)

CHUNK = 1024 ** 2


class _Capped:
    """A writer that refuses more than ``limit`` bytes (decrypting a flood)."""

    def __init__(self, target, limit: int) -> None:
        self.target, self.limit, self.n = target, limit, 0

    exceeded = False

    def write(self, data: bytes) -> int:
        self.n += len(data)
        if self.n > self.limit:
            self.exceeded = True
            raise BundleTooLarge(detail="decrypted size")
        return self.target.write(data)

    def flush(self) -> None:
        self.target.flush()


class OpenedBundle:
    """A decrypted, checked bundle: ``meta`` (bundle.json), ``tables`` (in the
    order the bundle lists them), ``rows(table)`` streamed, ``attachment(sha)``.

    Made by :func:`open_bundle`; close it (or use ``with``)."""

    def __init__(self, plain, zf: zipfile.ZipFile, meta: dict, limits: Limits,
                 sha256: str) -> None:
        self._plain, self._zip, self.meta, self.limits = plain, zf, meta, limits
        self.sha256 = sha256                     # of the encrypted file
        self.original_format = meta.get("_original_format", meta["format_version"])
        names = [i.filename for i in zf.infolist()]
        self.tables = [member_kind(n)[1] for n in names if member_kind(n)[0] == "data"]

    def __enter__(self) -> "OpenedBundle":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._plain.close()

    def rows(self, table: str) -> Iterator[dict]:
        """The rows of ``data/<table>.jsonl``, one dict per line; a line that is
        not a JSON object is a schema error with its line number."""
        from station_desk.domain.bundles import SchemaMismatch

        name = f"data/{table}.jsonl"
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            return
        with _read(self._zip, info) as f:
            line_no = 0
            while True:
                line = f.readline(self.limits.line_bytes + 1)
                if not line:
                    break
                line_no += 1
                if len(line) > self.limits.line_bytes:
                    raise BundleTooLarge(detail=f"{name} line {line_no}")
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise SchemaMismatch(detail=f"{name} line {line_no}") from exc
                if not isinstance(row, dict):
                    raise SchemaMismatch(detail=f"{name} line {line_no}")
                yield upgrade_row(self.original_format, table, row)

    def attachment(self, sha: str) -> bytes:
        """The bytes of ``attachments/<sha>`` (checked against the manifest already)."""
        from station_desk.domain.bundles import SchemaMismatch

        try:
            info = self._zip.getinfo(f"attachments/{sha}")
        except KeyError as exc:
            raise SchemaMismatch(detail=f"attachment {sha[:12]} missing") from exc
        with _read(self._zip, info) as f:
            return f.read()

    def decode(self, value: object) -> object:
        """A cell value as stored: an attachment reference becomes its bytes."""
        if isinstance(value, dict):
            from station_desk.domain.bundles import SchemaMismatch

            sha = value.get(ATTACHMENT_KEY)
            if len(value) != 1 or not isinstance(sha, str) or len(sha) != 64:
                raise SchemaMismatch(detail="a value is an object")
            return self.attachment(sha)
        return value


class _LimitedMember:
    """A member opened for reading that never yields more than its declared size."""

    def __init__(self, f, info: zipfile.ZipInfo) -> None:
        self._f, self._left = f, info.file_size
        self._name = info.filename

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._f.close()

    def _check(self, data: bytes) -> bytes:
        self._left -= len(data)
        if self._left < 0:
            raise BadBundleStructure(detail=f"{self._name} is longer than declared")
        return data

    def read(self, n: int = -1) -> bytes:
        try:
            return self._check(self._f.read(n))
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise BundleDamaged(check="structure") from exc

    def readline(self, limit: int = -1) -> bytes:
        try:
            return self._check(self._f.readline(limit))
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise BundleDamaged(check="structure") from exc


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> _LimitedMember:
    try:
        return _LimitedMember(zf.open(info), info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise BadBundleStructure(detail=info.filename) from exc


def _read_small(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise BundleTooLarge(detail=name)
    with _read(zf, info) as f:
        return f.read(limit + 1)


def check_layout(zf: zipfile.ZipFile, limits: Limits) -> None:
    """Names allow-listed, no duplicates, sizes and ratios within ``limits``."""
    infos = zf.infolist()
    if len(infos) > limits.members:
        raise BundleTooLarge(detail=f"{len(infos)} members")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if member_kind(name) is None:
            raise BadBundleStructure(detail=f"unexpected name {name[:80]!r}")
        if name in seen:
            raise BadBundleStructure(detail=f"duplicate name {name}")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise BadBundleStructure(detail=f"{name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BadBundleStructure(detail=f"{name} compression")
        if info.file_size > limits.member_bytes:
            raise BundleTooLarge(detail=name)
        total += info.file_size
        if total > limits.total_bytes:
            raise BundleTooLarge(detail="total size")
        if info.file_size > limits.ratio_floor and \
                info.file_size > limits.ratio * max(info.compress_size, 1):
            raise BundleTooLarge(detail=f"{name} compression ratio")
    for required in (META_NAME, MANIFEST_NAME, SIGNATURE_NAME):
        if required not in seen:
            raise BadBundleStructure(detail=f"{required} missing")


def parse_manifest(raw: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise BadBundleStructure(detail="manifest") from exc
    for line in text.splitlines():
        sha, sep, name = line.partition("  ")
        if not sep or len(sha) != 64 or member_kind(name) in (None, ("fixed", MANIFEST_NAME),
                                                             ("fixed", SIGNATURE_NAME)):
            raise BadBundleStructure(detail="manifest line")
        if name in out:
            raise BadBundleStructure(detail=f"manifest names {name} twice")
        out[name] = sha
    return out


def check_hashes(zf: zipfile.ZipFile, manifest: dict[str, str]) -> None:
    members = {i.filename for i in zf.infolist()} - {MANIFEST_NAME, SIGNATURE_NAME}
    if members != set(manifest):
        extra = sorted(members ^ set(manifest))
        raise HashMismatch(name=extra[0] if extra else "?")
    for name in sorted(manifest):
        sha = hashlib.sha256()
        with _read(zf, zf.getinfo(name)) as f:
            while chunk := f.read(CHUNK):
                sha.update(chunk)
        if sha.hexdigest() != manifest[name]:
            raise HashMismatch(name=name)


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def open_bundle(path: Path | str, *, identity: str,
                signer_key: Callable[[dict], str],
                limits: Limits = DEFAULT_LIMITS) -> OpenedBundle:
    """Decrypt and check the bundle at ``path``.

    ``identity``: this side's age secret key.  ``signer_key(meta)`` returns the
    base64 Ed25519 public key enrolled for the bundle's sender, or raises
    (NotEnrolled, WrongAddressee).  Raises a BundleError naming the failed
    check; on success the caller reads the rows and closes the bundle."""
    path = Path(path)
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise BundleTooLarge(detail=f"{size} bytes")
    sha256 = file_sha256(path)
    plain = tempfile.TemporaryFile()
    try:
        with open(path, "rb") as src:
            capped = _Capped(plain, limits.total_bytes + 64 * 1024 ** 2)
            try:
                crypto.decrypt_stream(src, capped, identity)
            except BundleDamaged:
                if capped.exceeded:   # the library reports our refusal as an I/O error
                    raise BundleTooLarge(detail="decrypted size") from None
                raise
        plain.flush()
        plain.seek(0)
        try:
            zf = zipfile.ZipFile(plain)
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise BadBundleStructure(detail="not a zip") from exc
        try:
            check_layout(zf, limits)
            meta = parse_meta(_read_small(zf, META_NAME, limits.meta_bytes))
            manifest_raw = _read_small(zf, MANIFEST_NAME, limits.meta_bytes)
            signature = _read_small(zf, SIGNATURE_NAME, 1024)
            crypto.verify(signer_key(meta), manifest_raw, signature)
            check_hashes(zf, parse_manifest(manifest_raw))
        except BaseException:
            zf.close()
            raise
        return OpenedBundle(plain, zf, meta, limits, sha256)
    except BaseException:
        plain.close()
        raise


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable where the platform allows it."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
