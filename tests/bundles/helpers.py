"""A station and a county that know each other, on real files in a tmp dir."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from station_desk.services import bundles, county as county_svc
from station_desk.services.session import Session, create_station

COUNTY = "222405"


@dataclass
class Pair:
    station: Session
    county: Session
    stick: Path
    tmp: Path


def make_station(tmp: Path, clock, code: str = "222405-01", name: str = "智新镇联络站") -> Session:
    return create_station(tmp / f"station-{code}.sqlite3", clock=clock, actor="clerk",
                          profile={"name_zh": name, "name_ko": "지신진", "code": code,
                                   "county": "龙井市"})


def make_county(tmp: Path, clock) -> Session:
    return county_svc.create_county(tmp / "county.sqlite3", code=COUNTY, name="龙井市人大常委会",
                                    actor="county-clerk", clock=clock)


def introduce(station: Session, county: Session, tmp: Path) -> None:
    """Enrolment both ways, fingerprints compared as a person would."""
    enrol = bundles.export_enrolment(station, folder=tmp)
    fp = bundles.read_key_file(enrol)["fingerprint"]
    county_svc.enrol_station(county, path=enrol, fingerprint=fp.lower().replace(" ", "-"))
    key = county_svc.export_county_key(county, folder=tmp)
    bundles.import_county_key(station, path=key, fingerprint=bundles.read_key_file(key)["fingerprint"])


def make_pair(tmp: Path, clock) -> Pair:
    station = make_station(tmp, clock)
    county = make_county(tmp, clock)
    introduce(station, county, tmp)
    stick = tmp / "stick"
    stick.mkdir()
    return Pair(station, county, stick, tmp)


def db_bytes(session: Session) -> str:
    """sha256 of the database file and its WAL: the whole state on disk."""
    session.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        p = Path(str(session.path) + suffix)
        h.update(p.read_bytes() if p.exists() else b"")
    return h.hexdigest()


def synced_rows(session: Session, table: str, origin: str) -> dict:
    """Rows of ``origin`` in ``table`` without the local change_seq."""
    rows = session.db.execute(f"SELECT * FROM {table} WHERE origin = ? ORDER BY id",
                              [origin])
    cols = [d[0] for d in rows.description]
    return {r[0]: {c: v for c, v in zip(cols, r) if c != "change_seq"} for r in rows}
