"""Monthly bundles, station side, and the import machinery both sides share.

The station exports everything of its own with ``change_seq`` above what the
county last acknowledged (rows ride until acknowledged), signs and encrypts
it, writes it safely and reads it back.  It imports the county's return
bundle (acknowledgements, replies to forwarded cases, the reference roster)
with the same checks as the county uses (services/county.py).

Long calls take ``progress(done, total)`` and ``cancelled()``; a cancelled
call raises :class:`Cancelled` and changes nothing.  The window runs them in
a ui/tasks.py worker with its own session.
"""
from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from station_desk import __version__
from station_desk.bundles import crypto, format as fmt
from station_desk.bundles.reader import OpenedBundle, fsync_dir, open_bundle
from station_desk.bundles.writer import BundleWriter
from station_desk.domain import bundles as rule
from station_desk.domain.accounts import Permission
from station_desk.domain.bundles import (
    BadBundleStructure, BadKeyFile, Cancelled, CountyMode, ExportFailed, ExportUnverified,
    FingerprintMismatch, NoCountyKey, NotEnrolled, SchemaMismatch, SchemaTooNew,
    WrongAddressee,
)
from station_desk.domain.changes import Changes
from station_desk.domain.errors import N_
from station_desk.domain.masking import mask_record
from station_desk.services import session as session_service
from station_desk.services.session import Session
from station_desk.storage import bundles as store
from station_desk.storage.db import schema_version
from station_desk.storage.migrations import SCHEMA_VERSION

Progress = Callable[[int, int], None] | None
CancelCheck = Callable[[], bool] | None

KEY_FILE_FORMAT = "station-desk-key"
KEY_FILE_VERSION = 1
ROSTER_TABLE = "county_roster"
ROSTER_COLUMNS = ("station", "deputy_id", "name", "name_ko", "levels", "status")
PERSONAL_EVENT_KEYS = ("name", "name_ko", "voter_name", "phone", "id_number", "address")
TABLES = ("bundle_exports", "bundle_imports", "bundle_peers", "bundle_keys",
          "county_replies", "county_roster", "period_locks")


# -- modes and keys -----------------------------------------------------------------

is_county = session_service.is_county


def _keys_row(session: Session) -> dict:
    row = store.get_keys(session.db)
    if row is None:
        ensure_keys(session)
        row = store.get_keys(session.db)
    return row


def _keypair(row: dict) -> crypto.KeyPair:
    return crypto.KeyPair(signing_private=row["signing_private"],
                          signing_public=row["signing_public"],
                          age_identity=row["age_identity"], age_recipient=row["age_recipient"])


def ensure_keys(session: Session) -> Changes:
    """Make this installation's keys if it has none (a station made before
    bundles existed, the demo station: keys are made on first use)."""
    if store.get_keys(session.db) is not None:
        return Changes()
    keys = crypto.generate()
    with session.write():
        if store.get_keys(session.db) is None:
            store.save_keys(session.db, keys={**asdict(keys),
                                              "fingerprint": keys.public.fingerprint},
                            created_at=session.now_iso())
            session.audit("create_keys", "bundle_keys", "1",
                          after={"fingerprint": keys.public.fingerprint})
    return Changes.of("bundle_keys")


def own_key(session: Session) -> dict:
    """This installation's public keys: ``fingerprint`` (to read aloud or print),
    ``signing_public_pem``, ``age_recipient``, ``created_at``, ``backed_up_at``."""
    row = _keys_row(session)
    pub = crypto.PublicKeys(row["signing_public"], row["age_recipient"])
    return {"fingerprint": row["fingerprint"], "signing_public": row["signing_public"],
            "signing_public_pem": pub.signing_public_pem,
            "age_recipient": row["age_recipient"], "created_at": row["created_at"],
            "backed_up_at": row["backed_up_at"]}


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ExportFailed(folder=str(path.parent), detail=exc.strerror or str(exc)) from exc
    fsync_dir(path.parent)


def _key_file(session: Session, *, kind: str, code: str, name: str, name_ko: str,
              county: str) -> dict:
    key = own_key(session)
    return {"format": KEY_FILE_FORMAT, "format_version": KEY_FILE_VERSION, "kind": kind,
            "code": code, "name": name, "name_ko": name_ko, "county": county,
            "signing_public": key["signing_public"],
            "signing_public_pem": key["signing_public_pem"],
            "age_recipient": key["age_recipient"], "fingerprint": key["fingerprint"],
            "made_at": session.now_iso(), "app_version": __version__}


def export_enrolment(session: Session, *, folder: Path | str) -> Path:
    """Write the station's enrolment file (public keys only) into ``folder``;
    the county enrols the station from it after comparing the fingerprint."""
    session.require(Permission.IMPORT_EXPORT)
    if is_county(session):
        raise CountyMode()
    from station_desk.storage import station as station_store

    profile = station_store.get_profile(session.db) or {}
    data = _key_file(session, kind="station", code=session.station_code,
                     name=profile.get("name_zh", ""), name_ko=profile.get("name_ko", ""),
                     county=profile.get("county", ""))
    path = Path(folder) / f"{_safe(session.station_code)}.enrol.json"
    _write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    with session.write():
        session.audit("export_enrolment", "bundle_keys", "1",
                      after={"fingerprint": data["fingerprint"], "file": path.name})
    return path


def _safe(code: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in code)


def read_key_file(path: Path | str) -> dict:
    """A station's enrolment file or a county's key file, checked: ``kind``,
    ``code``, ``name``, ``county``, ``fingerprint`` (computed from the keys,
    never taken from the file), ``signing_public``, ``age_recipient``."""
    path = Path(path)
    try:
        if path.stat().st_size > 64 * 1024:
            raise BadKeyFile(detail="too large")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BadKeyFile(detail=type(exc).__name__) from exc
    if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT:
        raise BadKeyFile(detail="not a key file")
    if not isinstance(data.get("format_version"), int) or data["format_version"] > KEY_FILE_VERSION:
        raise BadKeyFile(detail="newer key file: update the program")
    for k in ("kind", "code", "signing_public", "age_recipient"):
        if not isinstance(data.get(k), str) or not data[k] or len(data[k]) > 200:
            raise BadKeyFile(detail=k)
    if data["kind"] not in ("station", "county"):
        raise BadKeyFile(detail="kind")
    crypto.check_public(data["signing_public"], data["age_recipient"])
    fp = crypto.fingerprint(data["signing_public"], data["age_recipient"])
    return {"kind": data["kind"], "code": data["code"],
            "name": str(data.get("name", ""))[:200], "name_ko": str(data.get("name_ko", ""))[:200],
            "county": str(data.get("county", ""))[:200], "fingerprint": fp,
            "signing_public": data["signing_public"], "age_recipient": data["age_recipient"]}


def accept_peer(session: Session, *, path: Path | str, kind: str, fingerprint: str,
                replace: bool = False) -> dict:
    """Check ``path``'s key file against the ``fingerprint`` the person compared
    and store the peer (inside the caller's write).  Returns the key file."""
    info = read_key_file(path)
    if info["kind"] != kind:
        raise BadKeyFile(detail=f"a {info['kind']} key file, not a {kind} one")
    if crypto.normalise_fingerprint(fingerprint) != info["fingerprint"]:
        raise FingerprintMismatch()
    old = store.get_peer(session.db, info["code"])
    if old is not None and old["fingerprint"] != info["fingerprint"] and not replace:
        raise rule.AlreadyEnrolled(station=info["code"], old=old["fingerprint"])
    store.save_peer(session.db, peer={**info, "enrolled_at": session.now_iso(),
                                      "enrolled_by": session.actor})
    return info


def import_county_key(session: Session, *, path: Path | str, fingerprint: str,
                      replace: bool = False) -> Changes:
    """Take the county's key file at the station, after the fingerprint read
    from the county's printout was typed or confirmed."""
    session.require(Permission.IMPORT_EXPORT)
    if is_county(session):
        raise CountyMode()
    with session.write():
        if not replace:
            current = county_key(session)
            info = read_key_file(path)
            if current is not None and current["code"] != info["code"]:
                raise rule.AlreadyEnrolled(station=current["code"],
                                           old=current["fingerprint"])
        info = accept_peer(session, path=path, kind="county", fingerprint=fingerprint,
                           replace=replace)
        if replace:
            session.db.execute("DELETE FROM bundle_peers WHERE kind = 'county' AND code <> ?",
                               [info["code"]])
        session.audit("import_county_key", "bundle_peers", info["code"],
                      after={"fingerprint": info["fingerprint"]})
    return Changes.of("bundle_peers", ids=[info["code"]])


def county_key(session: Session) -> dict | None:
    """The county this station sends to: code, name, fingerprint, counters; or None."""
    rows = store.peers(session.db, kind="county")
    return rows[0] if rows else None


# -- export -----------------------------------------------------------------------

def _ticker(total: int, progress: Progress, cancelled: CancelCheck,
            every: int = 250) -> Callable[[], None]:
    state = {"n": 0}

    def tick() -> None:
        state["n"] += 1
        if state["n"] % every == 0:
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(state["n"], total)
    return tick


def _counted(rows: Iterable[dict], tick: Callable[[], None]) -> Iterator[dict]:
    for r in rows:
        tick()
        yield r


def _outgoing(session: Session, table: str, above: int, travelling: set[str]) -> Iterator[dict]:
    """The rows of ``table`` as they may leave the station (docs/privacy.md)."""
    code = session.station_code
    if table == "voters":
        for r in store.voters_to_send(session.db, origin=code, above=above, ids=travelling):
            r["id_number"] = ""   # never needed at the county
            yield r
        return
    for r in store.changed_rows(session.db, table, origin=code, above=above):
        if table == "cases" and r["voter_id"] not in travelling:
            r["voter_id"], r["voter_name"] = None, ""
        elif table == "case_events":
            r["data"] = _event_data(r["data"], travelling)
        elif table == "activity_invitees":
            r["phone"] = ""       # outside participants are counted, never called
        yield r


def _event_data(raw: str, travelling: set[str]) -> str:
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(data, dict):
        return raw
    keep = data.get("voter_id") in travelling if data.get("voter_id") else False
    changed = False
    if data.get("voter_id") and not keep:
        data["voter_id"], changed = None, True
    for k in PERSONAL_EVENT_KEYS:
        if isinstance(data.get(k), str) and data[k] not in ("", "[purged]") and \
                (not keep or k == "id_number"):
            data[k], changed = "", True
    return json.dumps(data, ensure_ascii=False) if changed else raw


def _transformed_count(session: Session, table: str, above: int, travelling: set[str]) -> int:
    if table == "voters":
        return sum(1 for _ in store.voters_to_send(session.db, origin=session.station_code,
                                                   above=above, ids=travelling))
    return store.count_changed(session.db, table, origin=session.station_code, above=above)


def export_summary(session: Session, *, full: bool = False) -> dict:
    """What the next bundle would carry: ``tables`` {table: rows}, ``total``,
    ``acknowledged`` (the county's last acknowledged seq), ``full``, ``county``."""
    session.require(Permission.IMPORT_EXPORT)
    county = county_key(session)
    above = 0 if full or county is None else county["acked_seq"]
    travelling = store.travelling_voters(session.db, origin=session.station_code)
    tables = {t: _transformed_count(session, t, above, travelling)
              for t in store.station_tables(session.db)}
    tables = {t: n for t, n in tables.items() if n}
    return {"tables": tables, "total": sum(tables.values()), "acknowledged": above,
            "full": full, "county": county["code"] if county else None}


def preview_rows(session: Session, *, table: str, full: bool = False,
                 limit: int = 50) -> list[dict]:
    """The first rows of ``table`` as the next bundle carries them, masked
    (domain/masking.py): what the person preparing the bundle may look at."""
    session.require(Permission.IMPORT_EXPORT)
    if table not in store.station_tables(session.db):
        raise SchemaMismatch(detail=table)
    county = county_key(session)
    above = 0 if full or county is None else county["acked_seq"]
    travelling = store.travelling_voters(session.db, origin=session.station_code)
    out = []
    for r in _outgoing(session, table, above, travelling):
        out.append(mask_record({k: ("<binary>" if isinstance(v, bytes) else v)
                                for k, v in r.items()}))
        if len(out) >= limit:
            break
    return out


@dataclass
class ExportResult:
    """A bundle written and verified: where, what (``meta`` is its bundle.json)."""

    path: Path
    meta: dict
    size: int
    sha256: str

    @property
    def counts(self) -> dict:
        return self.meta["counts"]

    @property
    def rows(self) -> int:
        return sum(c["rows"] for c in self.meta["counts"].values())


def _open_out(path: Path):
    """The file a bundle is written to (a seam for the pulled-stick test)."""
    return open(path, "wb")


def write_bundle(session: Session, *, folder: Path | str, meta: dict,
                 tables: list[tuple[str, Iterable[dict]]], recipients: list[str],
                 verify_key: Callable[[dict], str]) -> ExportResult:
    """Pack, sign, encrypt and write one bundle into ``folder``: temp file ->
    fsync -> rename -> read back and verify; a failure leaves no bundle file."""
    keys = _keypair(_keys_row(session))
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportFailed(folder=str(folder), detail="not a folder")
    final = folder / fmt.file_name(meta)
    part = folder / (final.name + ".part")
    writer = BundleWriter()
    try:
        for name, rows in tables:
            writer.table(name, rows)
        meta = {**meta, "counts": writer.counts}
        try:
            with _open_out(part) as out:
                writer.seal(meta, keys, recipients, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, final)
            fsync_dir(folder)
        except OSError as exc:
            with contextlib.suppress(OSError):
                part.unlink()
            raise ExportFailed(folder=str(folder), detail=exc.strerror or str(exc)) from exc
    finally:
        writer.close()
    try:
        with open_bundle(final, identity=keys.age_identity, signer_key=verify_key) as b:
            if b.meta["bundle_id"] != meta["bundle_id"]:
                raise BadBundleStructure(detail="bundle_id")
            _check_rows(b)
        size = final.stat().st_size
        sha = b.sha256
    except (rule.BundleError, OSError) as exc:
        with contextlib.suppress(OSError):
            final.unlink()
        detail = exc.message(lambda s: s) if isinstance(exc, rule.BundleError) else str(exc)
        raise ExportUnverified(folder=str(folder), detail=detail) from exc
    return ExportResult(path=final, meta=meta, size=size, sha256=sha)


def _check_rows(b: OpenedBundle) -> int:
    """Read every row once (JSON, the counts in bundle.json) without a database."""
    n = 0
    counts = b.meta["counts"]
    if set(counts) != set(b.tables):
        raise SchemaMismatch(detail="tables do not match bundle.json")
    for t in b.tables:
        rows = sum(1 for _ in b.rows(t))
        if rows != counts[t]["rows"]:
            raise SchemaMismatch(detail=f"{t}: {rows} rows, bundle.json says {counts[t]['rows']}")
        n += rows
    return n


def _period(session: Session) -> str:
    return session.today().strftime("%Y-%m")


def export_bundle(session: Session, *, folder: Path | str, full: bool = False,
                  progress: Progress = None, cancelled: CancelCheck = None) -> ExportResult:
    """Export the monthly bundle into ``folder`` (a USB stick): every row of this
    station changed since the county's last acknowledgement (``full``: every
    row), signed, encrypted to the county and to this station, written safely,
    read back and verified, kept in the history and the audit trail."""
    session.require(Permission.IMPORT_EXPORT)
    if is_county(session):
        raise CountyMode()
    county = county_key(session)
    if county is None:
        raise NoCountyKey()
    own = _keys_row(session)
    above = 0 if full else county["acked_seq"]
    db = session.db
    db.conn.execute("BEGIN")   # one snapshot of the rows for the whole bundle
    try:
        seq_to = store.current_seq(db)
        travelling = store.travelling_voters(db, origin=session.station_code)
        names = store.station_tables(db)
        total = sum(_transformed_count(session, t, above, travelling) for t in names)
        tick = _ticker(total, progress, cancelled)
        meta = {"format": fmt.FORMAT, "format_version": fmt.FORMAT_VERSION,
                "schema_version": schema_version(db), "app_version": __version__,
                "kind": fmt.KIND_STATION, "station": session.station_code,
                "county": county["code"], "bundle_id": str(uuid.uuid4()),
                "serial": county["last_serial_out"] + 1, "seq_from": above + 1,
                "seq_to": max(seq_to, above), "acknowledged_base": above,
                "peer_acknowledged": county["received_seq"], "full": bool(full),
                "period": _period(session), "station_clock": session.now_iso()}
        tables = [(t, _counted(_outgoing(session, t, above, travelling), tick)) for t in names]
        own_public = own["signing_public"]

        def verify_key(m: dict) -> str:
            if m["station"] != session.station_code or m["kind"] != fmt.KIND_STATION:
                raise WrongAddressee(found=m["station"], expected=session.station_code)
            return own_public

        result = write_bundle(session, folder=folder, meta=meta, tables=tables,
                              recipients=[county["age_recipient"], own["age_recipient"]],
                              verify_key=verify_key)
    finally:
        db.conn.execute("COMMIT")
    if progress is not None:
        progress(total, total)
    with session.write():
        store.update_peer(db, county["code"], last_serial_out=meta["serial"])
        _record_export(session, result, peer=county["code"])
    return result


def _record_export(session: Session, result: ExportResult, *, peer: str) -> None:
    m = result.meta
    store.record_export(session.db, row={
        "bundle_id": m["bundle_id"], "kind": m["kind"], "peer": peer, "serial": m["serial"],
        "period": m["period"], "seq_from": m["seq_from"], "seq_to": m["seq_to"],
        "full": int(m["full"]), "counts": m["counts"], "file_name": result.path.name,
        "folder": str(result.path.parent), "sha256": result.sha256, "size": result.size,
        "created_at": session.now_iso(), "created_by": session.actor})
    session.audit("bundle_export", "bundle", m["bundle_id"], after={
        "kind": m["kind"], "peer": peer, "serial": m["serial"], "full": m["full"],
        "rows": result.rows, "file": result.path.name, "sha256": result.sha256})


def exports(session: Session) -> list[dict]:
    """The history of exported bundles, newest first."""
    session.require(Permission.VIEW_RECORDS)
    return store.exports(session.db)


def imports(session: Session, *, peer: str | None = None) -> list[dict]:
    """The kept import reports, newest first (``summary`` per table)."""
    session.require(Permission.VIEW_RECORDS)
    return store.imports(session.db, peer=peer)


# -- reading and importing (both sides) ---------------------------------------------

def _own_code(session: Session) -> str:
    return session.station_code


def _signer(session: Session) -> Callable[[dict], str]:
    """Which key must have signed a bundle arriving here, by its bundle.json."""
    county_mode = is_county(session)
    own = _own_code(session)

    def key(m: dict) -> str:
        if county_mode:
            if m["county"] != own:
                raise WrongAddressee(found=m["county"], expected=own)
            if m["kind"] == fmt.KIND_RETURN:     # our own return bundle, inspected
                return _keys_row(session)["signing_public"]
            peer = store.get_peer(session.db, m["station"])
            if peer is None or peer["kind"] != "station":
                raise NotEnrolled(station=m["station"])
            return peer["signing_public"]
        if m["station"] != own:
            raise WrongAddressee(found=m["station"], expected=own)
        if m["kind"] == fmt.KIND_STATION:        # our own bundle, inspected or verified
            return _keys_row(session)["signing_public"]
        peer = store.get_peer(session.db, m["county"])
        if peer is None or peer["kind"] != "county":
            raise NotEnrolled(station=m["county"])
        return peer["signing_public"]
    return key


def open_checked(session: Session, path: Path | str) -> OpenedBundle:
    """Decrypt and check a bundle (signature, enrolment, hashes); close it after use."""
    identity = _keys_row(session)["age_identity"]
    b = open_bundle(path, identity=identity, signer_key=_signer(session))
    if b.meta["schema_version"] > SCHEMA_VERSION:
        b.close()
        raise SchemaTooNew(found=b.meta["schema_version"], known=SCHEMA_VERSION)
    return b


def _public_meta(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if not k.startswith("_")}


def inspect_bundle(session: Session, *, path: Path | str, sample: int = 0) -> dict:
    """What a bundle is, after decryption and the signature and hash checks:
    ``meta`` (bundle.json), ``file``, ``sha256``, ``already_imported`` (when),
    and with ``sample`` the first rows of each table, masked."""
    session.require(Permission.IMPORT_EXPORT)
    with open_checked(session, path) as b:
        out = {"meta": _public_meta(b.meta), "file": Path(path).name, "sha256": b.sha256,
               "tables": b.tables}
        done = store.get_import(session.db, b.meta["bundle_id"])
        out["already_imported"] = done["imported_at"] if done else None
        if sample:
            out["sample"] = {}
            for t in b.tables:
                rows = []
                for r in b.rows(t):
                    rows.append(mask_record({k: ("<binary>" if isinstance(v, dict) else v)
                                             for k, v in r.items()}))
                    if len(rows) >= sample:
                        break
                out["sample"][t] = rows
    return out


def verify_bundle(session: Session, *, path: Path | str) -> dict:
    """Every check an import makes short of the database: decryption, signature
    and enrolment, hashes, every row read and counted.  Returns ``meta`` and
    ``rows``; raises the BundleError of the first failed check."""
    session.require(Permission.IMPORT_EXPORT)
    with open_checked(session, path) as b:
        return {"meta": _public_meta(b.meta), "rows": _check_rows(b), "sha256": b.sha256,
                "file": Path(path).name}


@dataclass
class ImportReport:
    """What an import did or (dry run) would do.

    ``tables``: {table: {rows, new, updated, deleted, unchanged, older,
    conflict, conflict_list: [{table, id, origin, reason, params}]}};
    ``notes``: [(msgid, params)] for the person importing (a lost bundle, a
    locked period); ``already_imported``: when, if the bundle was imported
    before (then nothing else is filled and nothing changed)."""

    bundle_id: str
    kind: str
    sender: str
    serial: int
    period: str
    file: str
    meta: dict
    applied: bool = False
    already_imported: str | None = None
    tables: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def total(self, outcome: str) -> int:
        return sum(t.get(outcome, 0) for t in self.tables.values())

    @property
    def conflicts(self) -> list[dict]:
        return [c for t in self.tables.values() for c in t.get("conflict_list", [])]

    def to_dict(self) -> dict:
        return asdict(self)


def _decoded(b: OpenedBundle, rows: Iterable[dict]) -> Iterator[dict]:
    for r in rows:
        yield {k: b.decode(v) for k, v in r.items()}


def run_import(session: Session, *, path: Path | str, expect_kind: str, commit: bool,
               allowed_tables: list[str], after: Callable | None = None,
               check: Callable[[str], Callable | None] | None = None,
               progress: Progress = None, cancelled: CancelCheck = None) -> ImportReport:
    """The import both sides share: checks, then the rows applied in one
    transaction (parents first) that is committed only when ``commit``.

    ``after(session, bundle, report)`` runs inside the transaction before the
    commit (acknowledgements, the period lock, the import record).
    ``check(table)`` gives a per-row refusal for a table (see storage)."""
    session.require(Permission.IMPORT_EXPORT)
    with open_checked(session, path) as b:
        m = b.meta
        sender = m["station"] if expect_kind == fmt.KIND_STATION else m["county"]
        report = ImportReport(bundle_id=m["bundle_id"], kind=m["kind"], sender=sender,
                              serial=m["serial"], period=m["period"], file=Path(path).name,
                              meta=_public_meta(m))
        if m["kind"] != expect_kind:
            raise BadBundleStructure(detail=f"a {m['kind']} bundle cannot be imported here")
        done = store.get_import(session.db, m["bundle_id"])
        if done is not None:
            report.already_imported = done["imported_at"]
            return report
        counts = m["counts"]
        if set(counts) != set(b.tables):
            raise SchemaMismatch(detail="tables do not match bundle.json")
        unknown = [t for t in b.tables if t not in allowed_tables and t != ROSTER_TABLE]
        if unknown:
            raise SchemaMismatch(detail=f"unknown table {unknown[0]}")
        total = sum(c["rows"] for c in counts.values())
        tick = _ticker(total, progress, cancelled)
        with store.import_transaction(session.db, commit=commit):
            for table in allowed_tables:
                if table not in counts:
                    continue
                summary = store.apply_table(
                    session.db, table, _decoded(b, b.rows(table)), sender=sender,
                    check=check(table) if check else None, on_row=tick)
                if summary["rows"] != counts[table]["rows"]:
                    raise SchemaMismatch(detail=f"{table}: {summary['rows']} rows, "
                                                f"bundle.json says {counts[table]['rows']}")
                report.tables[table] = summary
            if after is not None:
                after(session, b, report)
            if cancelled is not None and cancelled():
                raise Cancelled()
            report.applied = commit
    if progress is not None:
        progress(total, total)
    return report


def _record_import(session: Session, b: OpenedBundle, report: ImportReport, *,
                   peer: str) -> None:
    m = b.meta
    store.record_import(session.db, row={
        "bundle_id": m["bundle_id"], "kind": m["kind"], "peer": peer, "serial": m["serial"],
        "period": m["period"], "seq_from": m["seq_from"], "seq_to": m["seq_to"],
        "acknowledged_base": m["acknowledged_base"], "full": int(m["full"]),
        "station_clock": m["station_clock"], "file_name": report.file, "sha256": b.sha256,
        "summary": {"tables": report.tables, "notes": report.notes},
        "imported_at": session.now_iso(), "imported_by": session.actor})
    session.audit("bundle_import", "bundle", m["bundle_id"], after={
        "kind": m["kind"], "peer": peer, "serial": m["serial"],
        **{o: report.total(o) for o in rule.OUTCOMES}})


def advance_counters(session: Session, b: OpenedBundle, report: ImportReport, *,
                     peer: dict) -> None:
    """After a bundle from ``peer``: how far we hold its rows (without a gap)
    and what it holds of ours (the newest bundle's word counts)."""
    m = b.meta
    fields: dict = {}
    if m["acknowledged_base"] <= peer["received_seq"]:
        if m["seq_to"] > peer["received_seq"]:
            fields["received_seq"] = m["seq_to"]
    else:
        report.notes.append((N_LOST, {"held": peer["received_seq"],
                                      "base": m["acknowledged_base"]}))
    if m["serial"] > peer["last_serial_in"]:
        fields["last_serial_in"] = m["serial"]
        fields["acked_seq"] = m["peer_acknowledged"]
    if fields:
        store.update_peer(session.db, peer["code"], **fields)


N_LOST = N_("Rows between {held} and {base} of the sender have not arrived (a bundle "
                 "was lost, or this database was restored). They were applied as far as "
                 "they came; ask the sender for a full bundle.")
N_OLDER_RETURN = N_("This return bundle is older than one already imported: its "
                         "acknowledgement and roster were left as they are.")


def _station_check(session: Session) -> Callable[[str], Callable | None]:
    station = session.station_code

    def for_table(table: str):
        if table != "county_replies":
            return None

        def check(row: dict):
            if not store.exists(session.db, "cases", str(row.get("case_id")), origin=station):
                return rule.REASON_ORPHAN, {}
            return None
        return check
    return for_table


def _after_return(session: Session, b: OpenedBundle, report: ImportReport) -> None:
    county = county_key(session)
    newer = b.meta["serial"] > county["last_serial_in"]
    if ROSTER_TABLE in b.tables:
        if newer:
            rows = []
            for r in b.rows(ROSTER_TABLE):
                if set(r) - set(ROSTER_COLUMNS):
                    raise SchemaMismatch(detail=f"{ROSTER_TABLE}: columns")
                rows.append(r)
            n = store.replace_county_roster(session.db, rows)
            report.tables[ROSTER_TABLE] = {"rows": n, "new": n}
        else:
            report.notes.append((N_OLDER_RETURN, {}))
    advance_counters(session, b, report, peer=county)
    _record_import(session, b, report, peer=county["code"])


def import_return(session: Session, *, path: Path | str, dry_run: bool = False,
                  progress: Progress = None, cancelled: CancelCheck = None) -> ImportReport:
    """Import the county's return bundle at the station: the same checks as the
    county's import; county rows are only ever written here; the station's own
    rows are never touched by it.  ``dry_run``: the report, nothing kept."""
    if is_county(session):
        raise CountyMode()
    if county_key(session) is None:
        raise NoCountyKey()
    allowed = list(store.COUNTY_TABLES)
    report = run_import(session, path=path, expect_kind=fmt.KIND_RETURN, commit=not dry_run,
                        allowed_tables=allowed, after=_after_return,
                        check=_station_check(session), progress=progress,
                        cancelled=cancelled)
    return report


def import_changes(report: ImportReport) -> Changes:
    """The Changes of an applied import, for the window to refresh."""
    if not report.applied:
        return Changes()
    tables = {t for t, s in report.tables.items()
              if any(s.get(o) for o in (rule.NEW, rule.UPDATED, rule.DELETED))}
    return Changes.of(*tables, "bundle_imports", "bundle_peers")
