import sqlite3

import pytest

from station_desk.storage import audit, db as storage_db


@pytest.fixture
def db(tmp_path):
    d = storage_db.open_database(tmp_path / "s.sqlite3", create=True)
    yield d
    storage_db.close(d)


def _seq(db):
    return db.execute("SELECT seq FROM sync_counter").fetchone()[0]


def test_change_seq_and_row_version_by_trigger(db):
    db.execute("INSERT INTO deputy_groups(id, origin, name_zh) VALUES ('g1', 'S', '一组')")
    db.execute("INSERT INTO deputy_groups(id, origin, name_zh) VALUES ('g2', 'S', '二组')")
    rows = {r["id"]: r for r in db.query("SELECT * FROM deputy_groups")}
    assert rows["g1"]["change_seq"] == 1 and rows["g2"]["change_seq"] == 2
    db.execute("UPDATE deputy_groups SET name_zh = '第一组' WHERE id = 'g1'")
    r = next(db.query("SELECT * FROM deputy_groups WHERE id = 'g1'"))
    assert (r["row_version"], r["change_seq"]) == (2, 3) and _seq(db) == 3
    # a tombstone is an edit too: it rides the next bundle
    db.execute("UPDATE deputy_groups SET deleted = 1 WHERE id = 'g2'")
    r = next(db.query("SELECT * FROM deputy_groups WHERE id = 'g2'"))
    assert (r["row_version"], r["change_seq"], r["deleted"]) == (2, 4, 1)


def test_explicit_row_version_is_kept(db):
    """An importer that sets row_version (from a bundle) is not overridden."""
    db.execute("INSERT INTO deputy_groups(id, origin, name_zh) VALUES ('g1', 'S', '一组')")
    db.execute("UPDATE deputy_groups SET name_zh = 'x', row_version = 7 WHERE id = 'g1'")
    assert db.execute("SELECT row_version FROM deputy_groups").fetchone()[0] == 7


def test_audit_is_append_only(db):
    audit.record(db, at="2026-03-09T10:00:00+08:00", actor="a", action="create",
                 object_type="deputy", object_id="d1", after={"name": "x"})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit SET actor = 'b'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit")
    assert audit.for_object(db, "deputy", "d1")[0]["after"] == {"name": "x"}


def test_mandate_events_are_append_only(db):
    db.execute("INSERT INTO deputies(id, origin, name, created_at) VALUES ('d', 'S', 'n', 't')")
    db.execute("INSERT INTO mandates(id, origin, deputy_id, level, term, elected_on, status_since)"
               " VALUES ('m', 'S', 'd', 'county', 18, '2021-01-01', '2021-01-01')")
    db.execute("INSERT INTO mandate_events(id, origin, mandate_id, kind, on_date, recorded_at,"
               " recorded_by) VALUES ('e', 'S', 'm', 'elected', '2021-01-01', 't', 'a')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE mandate_events SET kind = 'terminated'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM mandate_events")
