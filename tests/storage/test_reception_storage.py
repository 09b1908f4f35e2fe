"""Migration 3 on a station made before it; the reception tables' sync columns and uniqueness."""
from __future__ import annotations

import sqlite3

import pytest

from station_desk.domain.calendar import CN_2026_HOLIDAYS, CN_2026_WORKDAYS
from station_desk.storage import db as storage_db, migrations, reception as store
from station_desk.storage.sync import new_id


def _database_at(path, version: int) -> None:
    """A station database as a program with only the first ``version`` steps left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in migrations.MIGRATIONS[:version]:
        for statement in storage_db._split_sql(step()):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {storage_db.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO station(id, origin, code, name_zh) VALUES (?, ?, ?, ?)",
                 [new_id(), "222405-01", "222405-01", "智新镇联络站"])
    conn.close()


def test_an_older_station_gets_the_tables_and_the_default_holidays(tmp_path):
    path = tmp_path / "old.sqlite3"
    _database_at(path, 2)
    db = storage_db.open_database(path)
    try:
        assert storage_db.schema_version(db) == migrations.SCHEMA_VERSION
        rows = store.calendar_days(db)
        assert {r["day"] for r in rows if r["kind"] == "holiday"} \
            == {d.isoformat() for d in CN_2026_HOLIDAYS}
        assert {r["day"] for r in rows if r["kind"] == "workday"} \
            == {d.isoformat() for d in CN_2026_WORKDAYS}
        assert {r["origin"] for r in rows} == {"222405-01"}
        ids = [r["id"] for r in rows]
        assert len(set(ids)) == len(ids) and all(len(i) == 36 and i[14] == "4" for i in ids)
        seqs = [r["change_seq"] for r in rows]
        assert min(seqs) > 0 and len(set(seqs)) == len(seqs)
    finally:
        storage_db.close(db)


def test_one_live_day_per_date_and_one_duty_per_deputy_and_day(session):
    db = session.db
    day = store.insert_day(db, origin="x", fields={"day": "2026-03-09"})
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_day(db, origin="x", fields={"day": "2026-03-09"})
    store.tombstone(db, "reception_days", day)
    again = store.insert_day(db, origin="x", fields={"day": "2026-03-09"})  # a tombstone frees it
    deputy = new_id()
    db["deputies"].insert({"id": deputy, "origin": "x", "name": "金喆", "created_at": "now"})
    duty = store.insert_duty(db, origin="x", day_id=again, deputy_id=deputy, manual=False)
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_duty(db, origin="x", day_id=again, deputy_id=deputy, manual=True)
    before = db.execute("SELECT row_version, change_seq FROM duty_assignments WHERE id = ?",
                        [duty]).fetchone()
    store.update_duty(db, duty, {"manual": 1})
    after = db.execute("SELECT row_version, change_seq FROM duty_assignments WHERE id = ?",
                       [duty]).fetchone()
    assert after[0] == before[0] + 1 and after[1] > before[1]
    # one live calendar row per date and station (a county file holds every station's)
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_calendar_day(db, origin=session.station_code, day="2026-10-01",
                                  kind="holiday", note="")
