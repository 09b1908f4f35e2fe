"""Writing a bundle: rows streamed into the zip, the manifest signed, the zip
age-encrypted.  Nothing holds the whole bundle in memory."""
from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from typing import BinaryIO, Iterable

from station_desk.bundles import crypto
from station_desk.bundles.format import (
    ATTACHMENT_KEY, MANIFEST_NAME, META_NAME, SIGNATURE_NAME, TABLE_RE, dumps_meta,
)

SPOOL_BYTES = 32 * 1024 ** 2   # the plain zip stays in memory up to this size


class _Hashing:
    """A writable member that hashes what passes through it."""

    def __init__(self, target) -> None:
        self.target, self.sha = target, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        return self.target.write(data)


class _Guarded:
    """The output file, remembering a failed write: the encryption library may
    report it vaguely or not at all, and a stick pulled out must not pass."""

    def __init__(self, target) -> None:
        self.target, self.error = target, None

    def write(self, data: bytes) -> int:
        try:
            return self.target.write(data)
        except OSError as exc:
            self.error = self.error or exc
            raise

    def flush(self) -> None:
        self.target.flush()


class BundleWriter:
    """Build the plain zip of one bundle; :meth:`seal` signs and encrypts it.

    Use: ``table(name, rows)`` for each table (parents first), then
    ``seal(meta, keys, recipients, out)``."""

    def __init__(self, *, compresslevel: int = 6) -> None:
        self._plain = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        self._zip = zipfile.ZipFile(self._plain, "w", zipfile.ZIP_DEFLATED,
                                    compresslevel=compresslevel)
        self._hashes: dict[str, str] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def _member(self, name: str, data: bytes) -> None:
        self._zip.writestr(name, data)
        self._hashes[name] = hashlib.sha256(data).hexdigest()

    def attachment(self, data: bytes) -> dict:
        """Store binary ``data`` once (named by its hash); the value to put in the row."""
        sha = hashlib.sha256(data).hexdigest()
        name = f"attachments/{sha}"
        if name not in self._hashes:
            self._member(name, data)
        return {ATTACHMENT_KEY: sha}

    def table(self, name: str, rows: Iterable[dict]) -> int:
        """Write ``rows`` (dicts of column -> value; bytes become attachments)
        as ``data/<name>.jsonl``; returns the number of rows."""
        if not TABLE_RE.match(name):
            raise ValueError(name)
        member = f"data/{name}.jsonl"
        n = deleted = 0
        # rows go to a spool first: attachments are zip members of their own, and
        # the zip takes no other member while one is open for writing
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            buf: list[str] = []
            for row in rows:
                row = {k: (self.attachment(bytes(v)) if isinstance(v, (bytes, memoryview))
                           else v) for k, v in row.items()}
                buf.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
                n += 1
                deleted += 1 if row.get("deleted") else 0
                if len(buf) >= 2000:
                    spool.write(("\n".join(buf) + "\n").encode("utf-8"))
                    buf = []
            if buf:
                spool.write(("\n".join(buf) + "\n").encode("utf-8"))
            spool.seek(0)
            with self._zip.open(member, "w", force_zip64=True) as raw:
                out = _Hashing(raw)
                while chunk := spool.read(1024 ** 2):
                    out.write(chunk)
        self._hashes[member] = out.sha.hexdigest()
        self.counts[name] = {"rows": n, "deleted": deleted}
        return n

    def manifest(self, meta: dict) -> bytes:
        """Write ``bundle.json`` (with the counts) and return the manifest's bytes."""
        self._member(META_NAME, dumps_meta({**meta, "counts": self.counts}))
        return "".join(f"{sha}  {name}\n" for name, sha in sorted(self._hashes.items())
                       ).encode("ascii")

    def seal(self, meta: dict, keys: crypto.KeyPair, recipients: list[str],
             out: BinaryIO) -> None:
        """Sign the manifest, close the zip, encrypt it into ``out``."""
        manifest = self.manifest(meta)
        self._zip.writestr(MANIFEST_NAME, manifest)
        self._zip.writestr(SIGNATURE_NAME, crypto.sign(keys, manifest))
        self._zip.close()
        self._plain.seek(0)
        guarded = _Guarded(out)
        try:
            crypto.encrypt_stream(self._plain, guarded, recipients)
        except Exception as exc:
            raise guarded.error or OSError(str(exc)) from exc
        if guarded.error is not None:
            raise guarded.error
        self._plain.close()

    def close(self) -> None:
        """Drop the plain zip (after :meth:`seal` or on failure)."""
        try:
            self._zip.close()
        except Exception:  # a failed member write leaves the zip unfinishable
            pass
        self._plain.close()
