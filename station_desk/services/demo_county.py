"""The demo county: the demo station's county, for screenshots and newcomers.

A county database with the demo station enrolled (fingerprints compared as a
person would), the station's first monthly bundle imported, and the county's
reply to one forwarded case written but not yet sent back: the next step of
the round trip is the return bundle.  The files that travelled (enrolment
file, county key file, the bundle) are kept in a folder beside the county
database, ``<name>-stick``, as if on the USB stick.
"""
from __future__ import annotations

import contextlib
from pathlib import Path

from station_desk import paths
from station_desk.services import accounts, bundles, county as county_svc
from station_desk.services.demo import DEMO_PASSWORD, DemoExists, make_demo
from station_desk.services.session import open_session, station_exists

CODE = "222405"
NAME = "龙井市人大常委会"
NAME_KO = "룡정시인대상무위원회"
REPLY_UNIT = "龙井市交通运输局"
REPLY_BODY = ("经县交通运输局现场查看，该路段已列入今年农村公路养护计划，"
              "预计五月底前完成修补。")


def default_path() -> Path:
    """Where ``station-desk demo --county`` writes the demo county."""
    return paths.data_dir() / "demo-county.sqlite3"


def stick_folder(path: Path | str) -> Path:
    """The folder beside the county database holding the files that travelled."""
    path = Path(path)
    return path.with_name(f"{path.stem}-stick")


def make_demo_county(path: Path | str, *, station: Path | str | None = None,
                     replace: bool = False) -> Path:
    """Write the demo county to ``path`` (the demo station at ``station`` is
    made first if missing, and learns this county's key) and return the path."""
    path = Path(path)
    station_path = Path(station) if station is not None else paths.demo_db()
    if station_exists(path):
        if not replace:
            raise DemoExists(path=str(path))
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(path) + suffix).unlink()
    if not station_exists(station_path):
        make_demo(station_path)
    stick = stick_folder(path)
    stick.mkdir(parents=True, exist_ok=True)
    st = open_session(station_path, actor="demo")
    co = county_svc.create_county(path, code=CODE, name=NAME, name_ko=NAME_KO, actor="demo")
    try:
        enrol = bundles.export_enrolment(st, folder=stick)
        county_svc.enrol_station(co, path=enrol,
                                 fingerprint=bundles.read_key_file(enrol)["fingerprint"])
        key = county_svc.export_county_key(co, folder=stick)
        bundles.import_county_key(st, path=key, replace=True,
                                  fingerprint=bundles.read_key_file(key)["fingerprint"])
        sent = bundles.export_bundle(st, folder=stick)
        county_svc.import_bundle(co, path=sent.path)
        waiting = [c for c in county_svc.forwarded_cases(co, station=st.station_code)
                   if not c["confidential"] and c["route"] == "county"]
        # a case still waiting for the county's word gets the reply; another stays open
        waiting.sort(key=lambda c: (c["state"] != "forwarded",
                                    c["responsible_unit"] != REPLY_UNIT))
        road = waiting[0] if waiting else None
        if road is not None:
            county_svc.reply_to_case(co, case_id=road["id"], on=co.today(), unit=REPLY_UNIT,
                                     body=REPLY_BODY)
        accounts.make_demo_accounts(co, password=DEMO_PASSWORD)
    finally:
        st.close()
        co.close()
    return path
