"""Bundles station -> county -> station on real files: round trips, re-import,
lost bundles, deletions, conflicts, privacy, replies, history and audit."""
from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from station_desk.domain.bundles import NoCountyKey, NotCountyMode, FingerprintMismatch
from station_desk.services import bundles, cases, county as county_svc, registry
from station_desk.storage import bundles as store
from tests.bundles.helpers import (
    COUNTY, db_bytes, make_county, make_pair, make_station, synced_rows,
)
from tests.conftest import NOW, deputy_data, mandate_data

CODE = "222405-01"
VOTER = {"name": "朴英子", "village": "明东村", "phone": "13843312345",
         "id_number": "11010519491231002X", "language": "ko", "consent": True}


def _register(session, *, voter=None, words="村里的路灯坏了三个月", confidential=False):
    return cases.register(session, voter={**VOTER, **(voter or {})}, case={
        "on": "2026-03-02", "channel": "reception_day", "category": "help", "words": words,
        "place": "联络站", "confidential": confidential}).created_id


def _forward(session, case_id, route="county"):
    cases.sort_case(session, case_id=case_id, category="help", on="2026-03-03")
    cases.forward_case(session, case_id=case_id, route=route, unit="县交通局",
                       on="2026-03-04")


def _send(pair, **kw):
    return bundles.export_bundle(pair.station, folder=pair.stick, **kw)


def _tables_equal(station, county, tables=("deputies", "mandates", "mandate_events",
                                           "deputy_groups", "station", "deputy_photos")):
    for t in tables:
        assert synced_rows(county, t, CODE) == synced_rows(station, t, CODE), t


@pytest.fixture
def pair(tmp_path, clock):
    p = make_pair(tmp_path, clock)
    yield p
    p.station.close()
    p.county.close()


def test_round_trip_and_return(pair):
    d = registry.create_deputy(pair.station, data=deputy_data(), mandates=[mandate_data()],
                               photo=None).created_id
    registry.create_group(pair.station, name_zh="第一小组")
    result = _send(pair)
    assert result.path.name.startswith(f"{CODE}_2026-03_") and result.path.suffix == ".age"
    assert result.counts["deputies"] == {"rows": 1, "deleted": 0}
    preview = county_svc.preview_import(pair.county, path=result.path)
    assert preview.tables["deputies"]["new"] == 1 and not preview.applied
    assert synced_rows(pair.county, "deputies", CODE) == {}      # the dry run kept nothing
    report = county_svc.import_bundle(pair.county, path=result.path)
    assert report.applied and report.total("new") == preview.total("new")
    _tables_equal(pair.station, pair.county)
    # history on both sides, audited
    assert bundles.exports(pair.station)[0]["bundle_id"] == result.meta["bundle_id"]
    assert bundles.imports(pair.county)[0]["summary"]["tables"]["deputies"]["new"] == 1
    for s, action in ((pair.station, "bundle_export"), (pair.county, "bundle_import")):
        assert s.db.execute("SELECT count(*) FROM audit WHERE action = ?",
                            [action]).fetchone()[0] == 1
    # the return bundle acknowledges: the next station bundle is empty
    ret = county_svc.export_return(pair.county, station=CODE, folder=pair.stick)
    assert ret.path.name.endswith(".return.age")
    back = bundles.import_return(pair.station, path=ret.path)
    assert back.applied
    assert bundles.export_summary(pair.station)["total"] == 0
    assert [r["deputy_id"] for r in store.county_roster(pair.station.db)] == [d]
    # a change after the acknowledgement rides the next bundle alone
    registry.update_deputy(pair.station, deputy_id=d, data=deputy_data(post="村主任"))
    assert bundles.export_summary(pair.station)["tables"] == {"deputies": 1}


def test_reimport_is_a_no_op(pair):
    registry.create_deputy(pair.station, data=deputy_data(), mandates=[mandate_data()])
    result = _send(pair)
    county_svc.import_bundle(pair.county, path=result.path)
    before = db_bytes(pair.county)
    again = county_svc.import_bundle(pair.county, path=result.path)
    assert again.already_imported == NOW.isoformat() and not again.applied
    assert db_bytes(pair.county) == before


def test_lost_bundle_then_next_repairs(pair):
    d = registry.create_deputy(pair.station, data=deputy_data(), mandates=[mandate_data()]
                               ).created_id
    lost = _send(pair)
    lost.path.unlink()                      # the stick is lost on the way
    registry.update_deputy(pair.station, deputy_id=d, data=deputy_data(post="村主任"))
    second = _send(pair)
    assert second.meta["serial"] == 2 and second.counts["deputies"]["rows"] == 1
    report = county_svc.import_bundle(pair.county, path=second.path)
    assert report.tables["mandates"]["new"] == 1   # the rows of the lost bundle rode along
    _tables_equal(pair.station, pair.county)
    [row] = county_svc.stations(pair.county)
    assert row["gaps"] == [1] and row["bundles"] == 1


def test_out_of_order_and_deletion_never_resurrected(pair):
    d = registry.create_deputy(pair.station, data=deputy_data(), mandates=[mandate_data()]
                               ).created_id
    first = _send(pair)
    registry.delete_deputy(pair.station, deputy_id=d)
    second = _send(pair)
    report = county_svc.import_bundle(pair.county, path=second.path)
    assert report.tables["deputies"]["deleted"] == 1
    older = county_svc.import_bundle(pair.county, path=first.path)
    assert older.tables["deputies"]["older"] == 1 and older.tables["deputies"]["updated"] == 0
    assert synced_rows(pair.county, "deputies", CODE)[d]["deleted"] == 1
    _tables_equal(pair.station, pair.county)


def test_deletion_travels(pair):
    d = registry.create_deputy(pair.station, data=deputy_data(), mandates=[mandate_data()]
                               ).created_id
    county_svc.import_bundle(pair.county, path=_send(pair).path)
    registry.delete_deputy(pair.station, deputy_id=d)
    report = county_svc.import_bundle(pair.county, path=_send(pair).path)
    assert report.tables["deputies"]["deleted"] == 1
    assert pair.county.db.execute("SELECT deleted FROM deputies WHERE id = ?",
                                  [d]).fetchone()[0] == 1


def test_conflicts_are_reported_not_overwritten(pair):
    d = registry.create_deputy(pair.station, data=deputy_data(), mandates=[mandate_data()]
                               ).created_id
    county_svc.import_bundle(pair.county, path=_send(pair).path)
    # the station restored from an old copy edits the same version differently
    # (an explicit change_seq keeps the trigger from raising the version)
    pair.station.db.execute("UPDATE sync_counter SET seq = 9999")
    pair.station.db.execute("UPDATE deputies SET post = '会计', change_seq = 9999 "
                            "WHERE id = ?", [d])
    report = county_svc.import_bundle(pair.county, path=_send(pair).path)
    [c] = report.conflicts
    assert c["id"] == d and "same version" in c["reason"]
    assert pair.county.db.execute("SELECT post FROM deputies WHERE id = ?",
                                  [d]).fetchone()[0] == "村党支部书记"


def test_privacy_rules_of_the_bundle(pair):
    travelling = _register(pair.station)
    _forward(pair.station, travelling, route="county")
    local = _register(pair.station, voter={"name": "李春花", "phone": "13943300001"})
    _forward(pair.station, local, route="village")
    secret = _register(pair.station, voter={"name": "崔哲"}, confidential=True)
    _forward(pair.station, secret, route="county")
    county_svc.import_bundle(pair.county, path=_send(pair).path)
    voters = pair.county.db.execute("SELECT name, phone, id_number FROM voters").fetchall()
    assert voters == [("朴英子", "13843312345", "")]          # full phone, never the ID
    rows = dict(pair.county.db.execute("SELECT id, voter_name FROM cases").fetchall())
    assert rows == {travelling: "朴英子", local: "", secret: ""}
    for (data,) in pair.county.db.execute(
            "SELECT data FROM case_events WHERE kind = 'register' AND case_id <> ?",
            [travelling]):
        assert json.loads(data)["voter_id"] is None
    # the preview the clerk sees is masked
    rows = bundles.preview_rows(pair.station, table="voters", full=True)
    assert rows[0]["phone"] == "138****2345"


def test_county_reply_reaches_the_case(pair):
    cid = _register(pair.station)
    _forward(pair.station, cid)
    county_svc.import_bundle(pair.county, path=_send(pair).path)
    [fwd] = county_svc.forwarded_cases(pair.county)
    assert fwd["id"] == cid and fwd["replies"] == 0
    county_svc.reply_to_case(pair.county, case_id=cid, on="2026-03-09", unit="县交通局",
                             body="路灯已列入三月维修计划")
    ret = county_svc.export_return(pair.county, station=CODE, folder=pair.stick)
    assert ret.counts["county_replies"]["rows"] == 1
    bundles.import_return(pair.station, path=ret.path)
    [reply] = cases.case(pair.station, cid)["county_replies"]
    assert reply["body"] == "路灯已列入三月维修计划" and reply["origin"] == COUNTY
    # county rows are the county's: the station never sends them back
    assert bundles.export_summary(pair.station, full=True)["tables"].get("county_replies") is None
    # a second return without news re-sends the reply until the station acknowledges it
    county_svc.import_bundle(pair.county, path=_send(pair).path)
    again = county_svc.export_return(pair.county, station=CODE, folder=pair.stick)
    assert again.counts["county_replies"]["rows"] == 0


def test_keys_made_lazily_and_modes(tmp_path, clock, session):
    assert store.get_keys(session.db) is None
    key = bundles.own_key(session)
    assert len(key["fingerprint"].split()) == 8 and "PUBLIC KEY" in key["signing_public_pem"]
    with pytest.raises(NoCountyKey):
        bundles.export_bundle(session, folder=tmp_path)
    with pytest.raises(NotCountyMode):
        county_svc.stations(session)
    county = make_county(tmp_path, clock)
    enrol = bundles.export_enrolment(session, folder=tmp_path)
    with pytest.raises(FingerprintMismatch):
        county_svc.enrol_station(county, path=enrol, fingerprint="0000 1111")
    assert county_svc.stations(county) == []
    backup = county_svc.key_backup(county)
    assert backup["age_identity"].startswith("AGE-SECRET-KEY-1")
    county.close()


def test_many_bundles_one_refused(pair, tmp_path):
    registry.create_deputy(pair.station, data=deputy_data(), mandates=[mandate_data()])
    good = _send(pair).path
    bad = pair.stick / "junk.age"
    bad.write_bytes(b"not a bundle")
    out = county_svc.import_many(pair.county, paths=[bad, good])
    assert "error" in out[0] and out[1]["report"].applied


# -- Hypothesis: random station edits -> export -> import -> county equals station

EDIT = st.sampled_from(["add", "edit", "delete", "undelete", "group", "send"])


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(edits=st.lists(st.tuples(EDIT, st.integers(0, 5)), min_size=1, max_size=12))
def test_county_equals_station_after_random_edits(tmp_path_factory, clock, edits):
    tmp = tmp_path_factory.mktemp("rt")
    pair = make_pair(tmp, clock)
    try:
        ids: list[str] = []
        for kind, n in edits:
            if kind == "add" or not ids:
                ids.append(registry.create_deputy(
                    pair.station, data=deputy_data(name=f"代表{len(ids)}"),
                    mandates=[mandate_data()]).created_id)
                continue
            d = ids[n % len(ids)]
            deleted = pair.station.db.execute("SELECT deleted FROM deputies WHERE id = ?",
                                              [d]).fetchone()[0]
            if kind == "edit" and not deleted:
                registry.update_deputy(pair.station, deputy_id=d,
                                       data=deputy_data(name=f"代表{n}", post=f"岗位{n}"))
            elif kind == "delete" and not deleted:
                registry.delete_deputy(pair.station, deputy_id=d)
            elif kind == "undelete" and deleted:
                registry.undo_delete(pair.station, deputy_id=d)
            elif kind == "group":
                registry.create_group(pair.station, name_zh=f"小组{n}")
            elif kind == "send":
                county_svc.import_bundle(pair.county, path=_send(pair).path)
                if n % 2:
                    ret = county_svc.export_return(pair.county, station=CODE,
                                                   folder=pair.stick)
                    bundles.import_return(pair.station, path=ret.path)
        county_svc.import_bundle(pair.county, path=_send(pair).path)
        _tables_equal(pair.station, pair.county)
    finally:
        pair.station.close()
        pair.county.close()


def test_two_stations_in_one_county(pair, clock):
    """Each station numbers its cases and calendar from 1: both fit in the county."""
    from tests.bundles.helpers import introduce

    other = make_station(pair.tmp, clock, code="222405-02", name="老头沟镇联络站")
    introduce(other, pair.county, pair.tmp)
    a = _register(pair.station)
    b = _register(other, words="水井坏了")
    for s in (pair.station, other):
        report = county_svc.import_bundle(pair.county, path=bundles.export_bundle(
            s, folder=pair.stick).path)
        assert report.conflicts == [] and report.tables["cases"]["new"] == 1
        assert report.tables["calendar_days"]["new"] == 39
    rows = dict(pair.county.db.execute("SELECT id, origin FROM cases").fetchall())
    assert rows == {a: CODE, b: "222405-02"}
    assert len({r[0] for r in pair.county.db.execute("SELECT rowkey FROM cases")}) == 2
    assert [s["code"] for s in county_svc.stations(pair.county)] == [CODE, "222405-02"]
    other.close()
