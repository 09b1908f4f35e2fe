"""County mode: one database holding the rows of every enrolled station.

Rows keep their origin; each station is the only writer of its rows, the
county writes its own (replies to forwarded cases) pointing at them.  The
county enrols stations from their enrolment files, imports their bundles
(dry run, confirm, one transaction each), answers forwarded cases, and writes
a return bundle per station (acknowledgement, replies, reference roster).
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Callable

from station_desk import __version__
from station_desk.bundles import format as fmt
from station_desk.domain import bundles as rule
from station_desk.domain.accounts import Permission
from station_desk.domain.bundles import (
    NotCountyMode, NotEnrolled, UnknownStation,
)
from station_desk.domain.changes import Changes
from station_desk.domain.errors import (
    N_, DomainError, NotFound,
)
from station_desk.domain.validation import Checker
from station_desk.services import bundles as svc
from station_desk.services.bundles import (
    CancelCheck, ExportResult, ImportReport, Progress,
)
from station_desk.services.session import Session, StationExists, _now
from station_desk.storage import bundles as store, db as storage_db, meta as meta_store
from station_desk.storage.db import schema_version

# a station is late when this day of the month has passed without a bundle this month
LATE_AFTER_DAY = 10

N_LOCKED = N_("The period {period} of {station} was already accepted (locked) with an "
              "earlier bundle; this bundle's rows were applied as late changes.")
N_LOCKED_NOW = N_("The period {period} of {station} is now accepted (locked).")


# -- the county database ---------------------------------------------------------

def create_county(path: Path | str, *, code: str, name: str, name_ko: str = "",
                  actor: str = "clerk", clock: Callable[[], datetime] = _now) -> Session:
    """Create a county database with its key pair; refuses to overwrite.  Then
    show :func:`key_backup` to the person setting it up (offline copy)."""
    c = Checker()
    code = c.required("code", code, max_len=32)
    name = c.required("name", name, max_len=100)
    c.raise_if_any()
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise StationExists(path=str(path))
    db = storage_db.open_database(path, create=True)
    session = Session(db=db, path=path, actor=actor, clock=clock, station_code=code)
    with session.write():
        meta_store.put(db, "mode", "county")
        meta_store.put(db, "county_code", code)
        meta_store.put(db, "county_name", name)
        meta_store.put(db, "county_name_ko", name_ko or "")
        session.audit("create", "county", code, after={"code": code, "name": name})
    svc.ensure_keys(session)
    return session


def open_county(path: Path | str, *, actor: str = "clerk",
                clock: Callable[[], datetime] = _now) -> Session:
    """Open a county database (checked and migrated like a station's)."""
    path = Path(path)
    db = storage_db.open_database(path)
    if meta_store.get(db, "mode") != "county":
        storage_db.close(db)
        raise NotCountyMode()
    return Session(db=db, path=path, actor=actor, clock=clock,
                   station_code=meta_store.get(db, "county_code") or "")


def _require_county(session: Session) -> None:
    if not svc.is_county(session):
        raise NotCountyMode()


def county_profile(session: Session) -> dict:
    _require_county(session)
    return {"code": session.station_code, "name": meta_store.get(session.db, "county_name"),
            "name_ko": meta_store.get(session.db, "county_name_ko") or ""}


def key_backup(session: Session) -> dict:
    """What to print and keep offline (a safe, not this PC): the county's secret
    keys, their fingerprint, and how to use them (docs/bundle-format.md).
    Without them no bundle sent to this county can ever be opened again if the
    PC is lost.  Needs BACKUP; the look is audited."""
    _require_county(session)
    session.require(Permission.BACKUP)
    row = store.get_keys(session.db)
    with session.write():
        session.audit("show_key_backup", "bundle_keys", "1",
                      after={"fingerprint": row["fingerprint"]})
    return {"county": session.station_code, "fingerprint": row["fingerprint"],
            "age_identity": row["age_identity"], "age_recipient": row["age_recipient"],
            "signing_private": row["signing_private"],
            "signing_public": row["signing_public"], "created_at": row["created_at"],
            "backed_up_at": row["backed_up_at"]}


def confirm_key_backup(session: Session) -> Changes:
    """The person confirms the printed key backup is stored offline."""
    _require_county(session)
    session.require(Permission.BACKUP)
    with session.write():
        store.mark_keys_backed_up(session.db, at=session.now_iso())
        session.audit("key_backup_kept", "bundle_keys", "1")
    return Changes.of("bundle_keys")


def export_county_key(session: Session, *, folder: Path | str) -> Path:
    """The county's key file (public keys only) for its stations to import."""
    _require_county(session)
    session.require(Permission.IMPORT_EXPORT)
    p = county_profile(session)
    data = svc._key_file(session, kind="county", code=p["code"], name=p["name"] or "",
                         name_ko=p["name_ko"], county=p["code"])
    path = Path(folder) / f"{svc._safe(p['code'])}.county-key.json"
    svc._write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    with session.write():
        session.audit("export_county_key", "bundle_keys", "1",
                      after={"fingerprint": data["fingerprint"], "file": path.name})
    return path


def enrol_station(session: Session, *, path: Path | str, fingerprint: str,
                  replace: bool = False) -> Changes:
    """Enrol a station from its enrolment file once the fingerprint printed at
    the station was compared (typed or confirmed).  ``replace``: a new key for
    a station enrolled before (it set the program up anew)."""
    _require_county(session)
    session.require(Permission.IMPORT_EXPORT)
    with session.write():
        info = svc.accept_peer(session, path=path, kind="station", fingerprint=fingerprint,
                               replace=replace)
        session.audit("enrol_station", "bundle_peers", info["code"],
                      after={"fingerprint": info["fingerprint"], "name": info["name"]})
    return Changes.of("bundle_peers", ids=[info["code"]])


def _gaps(serials: list[int]) -> list[int]:
    if not serials:
        return []
    have = set(serials)
    return [n for n in range(1, max(serials)) if n not in have]


def stations(session: Session) -> list[dict]:
    """Every enrolled station: ``code``, ``name``, ``fingerprint``, ``bundles``
    (imported), ``last_imported_at``, ``last_period``, ``first_period`` (the
    periods covered), ``gaps`` (bundle serial numbers never imported — their
    rows came with later bundles if ``received_seq`` moved on), ``late``
    (no bundle this month after day LATE_AFTER_DAY), ``received_seq``,
    ``locked_periods``."""
    _require_county(session)
    session.require(Permission.VIEW_RECORDS)
    today = session.today()
    month_start = today.replace(day=1).isoformat()
    out = []
    for s in store.station_overview(session.db):
        s = dict(s)
        s["gaps"] = _gaps(store.import_serials(session.db, s["code"]))
        last = s["last_imported_at"] or ""
        s["late"] = today.day > LATE_AFTER_DAY and last[:10] < month_start
        s["locked_periods"] = [p["period"] for p in
                               store.period_locks(session.db, peer=s["code"])]
        out.append(s)
    return out


# -- import --------------------------------------------------------------------------

def _after_station(session: Session, b, report: ImportReport) -> None:
    m = b.meta
    peer = store.get_peer(session.db, m["station"])
    if peer is None:
        raise NotEnrolled(station=m["station"])
    svc.advance_counters(session, b, report, peer=peer)
    if store.lock_period(session.db, peer=m["station"], period=m["period"],
                         at=session.now_iso(), by=session.actor, bundle_id=m["bundle_id"]):
        report.notes.append((N_LOCKED_NOW, {"period": m["period"], "station": m["station"]}))
    else:
        report.notes.append((N_LOCKED, {"period": m["period"], "station": m["station"]}))
    svc._record_import(session, b, report, peer=m["station"])


def preview_import(session: Session, *, path: Path | str, progress: Progress = None,
                   cancelled: CancelCheck = None) -> ImportReport:
    """The dry run: every check, then the bundle applied in a transaction that
    is rolled back; the report says what the import would do, per table."""
    _require_county(session)
    return svc.run_import(session, path=path, expect_kind=fmt.KIND_STATION, commit=False,
                          allowed_tables=store.station_tables(session.db),
                          after=_after_station, progress=progress, cancelled=cancelled)


def import_bundle(session: Session, *, path: Path | str, progress: Progress = None,
                  cancelled: CancelCheck = None) -> ImportReport:
    """Import one station bundle: every check again, then one atomic transaction;
    the report is kept (services.bundles.imports).  A bundle imported before
    is a no-op (``report.already_imported``)."""
    _require_county(session)
    return svc.run_import(session, path=path, expect_kind=fmt.KIND_STATION, commit=True,
                          allowed_tables=store.station_tables(session.db),
                          after=_after_station, progress=progress, cancelled=cancelled)


def import_many(session: Session, *, paths: list[Path | str], dry_run: bool = False,
                progress: Progress = None, cancelled: CancelCheck = None) -> list[dict]:
    """Import (or dry-run) several bundles, each on its own: one refused bundle
    does not stop the others.  Returns per file ``{"file", "report"}`` or
    ``{"file", "error"}`` (a DomainError); ``progress(files done, files)``."""
    out = []
    for i, path in enumerate(paths):
        if cancelled is not None and cancelled():
            raise rule.Cancelled()
        try:
            fn = preview_import if dry_run else import_bundle
            out.append({"file": str(path), "report": fn(session, path=path,
                                                        cancelled=cancelled)})
        except rule.Cancelled:
            raise
        except DomainError as exc:
            out.append({"file": str(path), "error": exc})
        if progress is not None:
            progress(i + 1, len(paths))
    return out


# -- replies to forwarded cases ----------------------------------------------------

def forwarded_cases(session: Session, *, station: str | None = None) -> list[dict]:
    """Cases the stations forwarded to a county unit or turned into a
    suggestion, with ``replies`` (how many the county wrote); words masked."""
    _require_county(session)
    session.require(Permission.VIEW_RECORDS)
    from station_desk.domain.masking import mask_text

    rows = store.forwarded_cases(session.db, station=station)
    for r in rows:
        r["words"] = mask_text(r["words"])
    return rows


def reply_to_case(session: Session, *, case_id: str, on: object, body: str,
                  unit: str = "") -> Changes:
    """The county's reply to a station's forwarded case: a county row (origin =
    county) pointing at the case; it goes back in the station's return bundle."""
    _require_county(session)
    session.require(Permission.EDIT_CASES)
    c = Checker()
    on_date = c.date("on", on, required=True, not_after=session.today())
    body = c.required("body", body, max_len=4000)
    unit = c.optional("unit", unit, max_len=100)
    c.raise_if_any()
    row = session.db.execute("SELECT origin, route FROM cases WHERE id = ? AND deleted = 0",
                             [case_id]).fetchone()
    if row is None:
        raise NotFound()
    reply_id = str(uuid.uuid4())
    with session.write():
        store.insert_county_reply(session.db, row={
            "id": reply_id, "origin": session.station_code, "case_id": case_id,
            "on_date": on_date.isoformat(), "unit": unit, "body": body,
            "author": session.actor, "at": session.now_iso()})
        session.audit("county_reply", "case", case_id, after={"reply": reply_id,
                                                              "station": row[0]})
    return Changes.of("county_replies", ids=[case_id], created_id=reply_id)


# -- return bundles -----------------------------------------------------------------

def export_return(session: Session, *, station: str, folder: Path | str,
                  progress: Progress = None, cancelled: CancelCheck = None) -> ExportResult:
    """The return bundle for ``station``: the acknowledgement of its rows, the
    county's replies it has not acknowledged, and the reference roster."""
    _require_county(session)
    session.require(Permission.IMPORT_EXPORT)
    peer = store.get_peer(session.db, station)
    if peer is None or peer["kind"] != "station":
        raise UnknownStation(station=station)
    own = svc._keys_row(session)
    county = session.station_code
    db = session.db
    db.conn.execute("BEGIN")
    try:
        above = peer["acked_seq"]
        seq_to = store.current_seq(db)
        replies = list(store.replies_for_station(db, county=county, station=station,
                                                 above=above))
        roster = store.roster_for(db)
        total = len(replies) + len(roster)
        tick = svc._ticker(total, progress, cancelled)
        meta = {"format": fmt.FORMAT, "format_version": fmt.FORMAT_VERSION,
                "schema_version": schema_version(db), "app_version": __version__,
                "kind": fmt.KIND_RETURN, "station": station, "county": county,
                "bundle_id": str(uuid.uuid4()), "serial": peer["last_serial_out"] + 1,
                "seq_from": above + 1, "seq_to": max(seq_to, above),
                "acknowledged_base": above, "peer_acknowledged": peer["received_seq"],
                "full": False, "period": session.today().strftime("%Y-%m"),
                "station_clock": session.now_iso()}

        def verify_key(m: dict) -> str:
            return own["signing_public"]

        result = svc.write_bundle(
            session, folder=folder, meta=meta,
            tables=[("county_replies", svc._counted(replies, tick)),
                    (svc.ROSTER_TABLE, svc._counted(roster, tick))],
            recipients=[peer["age_recipient"], own["age_recipient"]], verify_key=verify_key)
    finally:
        db.conn.execute("COMMIT")
    with session.write():
        store.update_peer(db, station, last_serial_out=meta["serial"])
        svc._record_export(session, result, peer=station)
    return result


def export_returns(session: Session, *, folder: Path | str, stations: list[str] | None = None,
                   progress: Progress = None, cancelled: CancelCheck = None) -> list[dict]:
    """A return bundle per station (all enrolled by default): per station
    ``{"station", "result"}`` or ``{"station", "error"}``."""
    _require_county(session)
    codes = stations or [p["code"] for p in store.peers(session.db, kind="station")]
    out = []
    for i, code in enumerate(codes):
        if cancelled is not None and cancelled():
            raise rule.Cancelled()
        try:
            out.append({"station": code, "result": export_return(session, station=code,
                                                                 folder=folder)})
        except DomainError as exc:
            out.append({"station": code, "error": exc})
        if progress is not None:
            progress(i + 1, len(codes))
    return out


def period_locks(session: Session, *, station: str | None = None) -> list[dict]:
    """The accepted (locked) months, per station."""
    _require_county(session)
    return store.period_locks(session.db, peer=station)


def case_replies(session: Session, *, case_id: str) -> list[dict]:
    """The county's replies to one forwarded case, oldest first (the county
    window shows them under the case)."""
    _require_county(session)
    session.require(Permission.VIEW_RECORDS)
    return store.county_replies(session.db, case_id)
