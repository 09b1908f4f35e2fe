"""The audit service: list, filters, check, export; and every audited action."""
from __future__ import annotations

import csv
import json
import sqlite3
from datetime import date, datetime, timedelta

import openpyxl
import pytest

from station_desk.domain.accounts import NotPermitted
from station_desk.domain.audit import ChainProblem
from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.errors import DiskFull
from station_desk.services import audit, backup, documents, registry, roster_io
from station_desk.services.session import open_session
from tests.conftest import CST, NOW, deputy_data, mandate_data


def _rows(session, action: str, object_type: str | None = None) -> list[dict]:
    rows = audit.entries(session, action=action, object_type=object_type, limit=100)
    return rows


def _deputy(session, **kw) -> str:
    return registry.create_deputy(session, data=deputy_data(**kw),
                                  mandates=[mandate_data()]).created_id


def test_a_new_station_verifies_and_records_result_ok(session):
    _deputy(session)
    report = audit.verify(session)
    assert report.ok and report.checked == audit.count(session) >= 2
    assert {r["result"] for r in audit.entries(session)} == {"ok"}


def test_entries_are_newest_first_with_their_fields(session):
    did = _deputy(session)
    registry.update_deputy(session, deputy_id=did, data=deputy_data(post="镇长"))
    top = audit.entries(session, limit=1)[0]
    assert (top["action"], top["object_type"], top["object_id"]) == ("update", "deputy", did)
    assert top["actor"] == "tester" and top["at"] == "2026-03-09T10:30:00+08:00"
    assert top["before"]["post"] == "村党支部书记" and top["after"]["post"] == "镇长"


def test_filters_and_paging(session):
    for i in range(5):
        _deputy(session, name=f"代表{i}", phone=f"1384331230{i}")
    session.actor = "金老师"
    session.audit("reveal_phone", "voter", "v1", result="refused")
    total = audit.count(session)
    assert audit.count(session, object_type="deputy", action="create") == 5
    assert audit.count(session, actor="金老师") == 1
    assert audit.count(session, result="refused") == 1
    assert audit.count(session, search="代表3") == 1
    assert audit.count(session, search="代表 3") >= 1
    assert audit.count(session, since=date(2026, 3, 9), until=date(2026, 3, 9)) == total
    assert audit.count(session, since=date(2026, 3, 10)) == 0
    assert audit.count(session, until=date(2026, 3, 8)) == 0
    first = audit.entries(session, limit=3)
    second = audit.entries(session, limit=3, offset=3)
    assert [r["seq"] for r in first + second] == sorted(
        (r["seq"] for r in first + second), reverse=True)
    assert len({r["seq"] for r in first + second}) == 6
    assert "金老师" in audit.choices(session)["actor"]


def test_a_clerk_may_not_read_the_trail(session):
    session.role = "clerk"
    with pytest.raises(NotPermitted):
        audit.entries(session)
    with pytest.raises(NotPermitted):
        audit.verify(session)
    session.role = "auditor"
    assert audit.count(session) >= 1


def test_verify_finds_an_edit_made_with_sqlite3(session):
    _deputy(session)
    seq = audit.entries(session, limit=1)[0]["seq"]
    conn = sqlite3.connect(session.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'someone' WHERE seq = ?", [seq])
    conn.close()
    report = audit.verify_file(session.path)
    assert (report.problem, report.seq) == (ChainProblem.EDITED, seq)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_writes_the_filtered_rows_and_is_audited(session, tmp_path, suffix):
    _deputy(session, name="朴英子")
    _deputy(session, name="崔哲")
    out = tmp_path / f"trail.{suffix}"
    n = audit.export(session, out=out, object_type="deputy")
    assert n == 2
    if suffix == "csv":
        with out.open(encoding="utf-8-sig", newline="") as f:
            lines = list(csv.reader(f))
    else:
        wb = openpyxl.load_workbook(out, read_only=True)
        lines = [[c if c is not None else "" for c in r] for r in wb.active.iter_rows(
            values_only=True)]
    assert len(lines) == 3
    text = "\n".join(",".join(str(c) for c in r) for r in lines)
    assert "朴英子" in text and "崔哲" in text and "station" not in text
    top = audit.entries(session, limit=1)[0]
    assert (top["action"], top["object_type"]) == ("export", "audit")
    assert top["after"]["file"] == out.name and top["after"]["rows"] == 2
    assert top["after"]["filters"] == {"object_type": "deputy"}
    assert not list(tmp_path.glob(".*tmp"))


def test_a_failed_export_is_recorded_as_failed(session, tmp_path):
    with pytest.raises(DiskFull):
        audit.export(session, out=tmp_path / "no-such-folder" / "trail.csv")
    top = audit.entries(session, limit=1)[0]
    assert (top["action"], top["result"]) == ("export", "failed")


def test_export_refuses_an_unknown_format(session, tmp_path):
    with pytest.raises(audit.BadExportFormat):
        audit.export(session, out=tmp_path / "trail.txt")


# -- every action of issue 8 leaves its row -----------------------------------------------

def test_backup_and_a_failed_backup_are_recorded(session, tmp_path, monkeypatch):
    backup.backup_now(session.path, reason="manual", actor="tester", clock=lambda: NOW)
    assert _rows(session, "backup")[0]["result"] == "ok"
    blocker = tmp_path / "data-file"
    blocker.write_text("x")
    from station_desk import paths

    monkeypatch.setattr(paths, "backup_dir", lambda db_path: blocker / "backups")
    with pytest.raises(DiskFull):
        backup.backup_now(session.path, reason="manual", actor="tester", clock=lambda: NOW)
    rows = _rows(session, "backup")
    assert [r["result"] for r in rows] == ["failed", "ok"]
    assert audit.verify(session).ok


def test_restore_is_recorded_in_the_restored_database(session):
    info = backup.backup_now(session.path, reason="manual", actor="tester",
                             clock=lambda: NOW - timedelta(hours=1))
    session.close()
    backup.restore(session.path, info.path, actor="tester", clock=lambda: NOW)
    s = open_session(session.path)
    try:
        rows = _rows(s, "restore")
        assert len(rows) == 1 and rows[0]["after"]["from"] == info.path.name
        assert audit.verify(s).ok
    finally:
        s.close()


def test_a_refused_restore_is_recorded_as_failed(session, tmp_path):
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_bytes(b"nothing of ours" * 100)
    session.close()
    with pytest.raises(Exception):
        backup.restore(session.path, bad, actor="tester", clock=lambda: NOW)
    s = open_session(session.path)
    try:
        rows = _rows(s, "restore")
        assert [r["result"] for r in rows] == ["failed"]
        assert rows[0]["after"]["from"] == bad.name
    finally:
        s.close()


def test_roster_import_and_export_are_recorded(session, tmp_path):
    _deputy(session)
    out = tmp_path / "roster.xlsx"
    roster_io.export_xlsx(session, out, DeputyFilter(status="active"))
    row = _rows(session, "export", "roster")[0]
    assert row["after"] == {"file": "roster.xlsx", "format": "xlsx", "rows": 1,
                            "filter": {"status": "active"}}
    session2 = session  # import the exported file into the same station: a duplicate
    table = roster_io.read_table(out)
    preview = roster_io.preview(session2, table, roster_io.guess_mapping(table.headers))
    roster_io.apply(session2, preview, skip_duplicates=False)
    row = _rows(session, "import", "roster")[0]
    assert row["after"]["file"] == "roster.xlsx" and row["after"]["imported"] == 1


def test_a_failed_roster_export_is_recorded(session, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(roster_io.ExportFileError):
        roster_io.export_xlsx(session, blocker / "roster.xlsx")
    assert _rows(session, "export", "roster")[0]["result"] == "failed"


def test_saving_a_document_with_personal_data_is_recorded(session, tmp_path):
    _deputy(session)
    documents.render(session, "roster", lang="zh_CN", options={"status": "active"},
                     out=tmp_path / "roster.pdf")
    row = _rows(session, "save", "document")[0]
    assert row["object_id"] == "roster"
    assert row["after"] == {"document": "roster", "lang": "zh_CN",
                            "options": {"status": "active"}, "file": "roster.pdf"}
    before = audit.count(session)
    documents.render(session, "wall-workflow", lang="zh_CN", out=tmp_path / "wall.pdf")
    assert audit.count(session) == before  # no personal data: not recorded


def test_a_document_rendered_for_the_printer_is_recorded_once_printed(session, tmp_path):
    _deputy(session)
    before = audit.count(session)
    documents.render(session, "roster", lang="ko", out=tmp_path / "p.pdf", record=False)
    assert audit.count(session) == before
    documents.record_print(session, "roster", lang="ko", options=None, pages=2, copies=3,
                           printer="HP LaserJet")
    row = _rows(session, "print", "document")[0]
    assert row["after"] == {"document": "roster", "lang": "ko", "options": {}, "pages": 2,
                            "copies": 3, "printer": "HP LaserJet"}


def test_a_failed_document_save_is_recorded(session, tmp_path):
    _deputy(session)
    with pytest.raises(DiskFull):
        documents.render(session, "roster", lang="zh_CN", out=tmp_path / "none" / "r.pdf")
    assert _rows(session, "save", "document")[0]["result"] == "failed"


def test_dates_of_the_trail_keep_their_offset(session):
    session.clock = lambda: datetime(2026, 3, 9, 23, 59, tzinfo=CST)
    session.audit("x", "y")
    assert audit.entries(session, limit=1)[0]["at"] == "2026-03-09T23:59:00+08:00"
    assert json.dumps(audit.verify(session).ok) == "true"
