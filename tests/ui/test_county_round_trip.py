"""Station → county → station, done in the windows by clicking: enrolment both
ways with the fingerprints typed, the monthly bundle exported in a worker, the
county's dry run then import, its reply to the forwarded case, the return
bundle, and the station's import of it with the reply on the case page."""
from __future__ import annotations

import hashlib

from station_desk.services import bundles, cases, county as county_service
from station_desk.ui.dialogs.bundles import ExportDialog, ImportReportDialog, KeyConfirmDialog
from tests.bundles.helpers import db_bytes
from tests.ui.exchange_helpers import (  # noqa: F401  (fixtures)
    WAIT, chinese_afterwards, county_window, forwarded_case, introduce, pick_file, pick_files,
    pick_folder, station_window, stick,
)


def test_the_whole_round_trip_by_clicking(qtbot, monkeypatch, station_window, county_window,
                                          stick):
    st, co = station_window.session, county_window.session
    cid = forwarded_case(st)
    introduce(qtbot, monkeypatch, station_window, county_window, stick)
    assert [s["code"] for s in county_service.stations(co)] == ["222405-01"]
    assert bundles.county_key(st)["code"] == "222405"

    # the station: counts first, then the export in a worker
    exchange = station_window.screen("exchange")
    assert exchange.export_button.isEnabled()
    exchange.export_button.click()
    dialog = exchange.dialog
    assert isinstance(dialog, ExportDialog)
    shown = {dialog.counts.item(r, 0).data(256): int(dialog.counts.item(r, 1).text())
             for r in range(dialog.counts.rowCount())}
    assert shown["cases"] == 1 and shown["voters"] == 1
    dialog.counts.selectRow(list(shown).index("voters"))
    p = dialog.preview
    cells = [p.item(r, c).text() for r in range(p.rowCount()) for c in range(p.columnCount())
             if p.item(r, c) is not None]
    assert p.rowCount() == 1 and "13843312345" not in cells   # the voter, phone masked
    assert any(c.startswith("138") and "****" in c for c in cells)
    pick_folder(monkeypatch, stick)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: exchange.last_export is not None, timeout=WAIT)
    sent = exchange.last_export.path
    assert sent.parent == stick and sent.exists()
    assert exchange.dialog.objectName() == "export_done" and sent.name in exchange.dialog.text()
    assert exchange.exports_table.rowCount() == 1
    exchange.dialog.accept()

    # the county: dry run, nothing kept; then apply
    importer = county_window.screen("county_import")
    pick_files(monkeypatch, [sent])
    before = db_bytes(co)
    importer.choose_button.click()
    qtbot.waitUntil(lambda: isinstance(importer.dialog, ImportReportDialog), timeout=WAIT)
    report = importer.dialog
    assert report.dry_run and report.apply_button.isEnabled()
    top = report.summary.topLevelItem(0)
    assert sent.name in top.text(0)
    tables = {top.child(i).text(0): top.child(i).text(1) for i in range(top.childCount())}
    assert any("(cases)" in name and new == "1" for name, new in tables.items())
    assert db_bytes(co) == before   # a dry run keeps nothing
    report.apply_button.click()
    qtbot.waitUntil(lambda: importer.last_results is not None
                    and "report" in importer.last_results[0]
                    and importer.last_results[0]["report"].applied, timeout=WAIT)
    assert importer.table.rowCount() == 1
    importer.dialog.reject()
    stations = county_window.screen("county_stations")
    assert stations.table.item(0, 2).text() == "1"                 # one bundle
    assert "2026-03" in stations.table.item(0, 7).text()           # the month accepted

    # the county answers the forwarded case
    fwd = county_window.screen("county_cases")
    fwd.select_case(cid)
    assert "村道坏了" in fwd.case_text.text()
    fwd.body.setPlainText("已安排四月修路")
    fwd.reply_button.click()
    assert [r["body"] for r in county_service.case_replies(co, case_id=cid)] == ["已安排四月修路"]
    assert "已安排四月修路" in fwd.case_text.text()

    # the return bundle for the station, in a worker
    returns = county_window.screen("county_returns")
    returns.stations.selectRow(0)
    back_dir = stick / "back"
    back_dir.mkdir()
    pick_folder(monkeypatch, back_dir)
    returns.one_button.click()
    qtbot.waitUntil(lambda: returns.last_results is not None, timeout=WAIT)
    [written] = returns.last_results
    back = written["result"].path
    assert back.parent == back_dir and back.name in returns.dialog.text()
    returns.dialog.accept()

    # the station imports it: dry run, apply, the reply on the case
    pick_file(monkeypatch, back)
    exchange.import_button.click()
    qtbot.waitUntil(lambda: isinstance(exchange.dialog, ImportReportDialog), timeout=WAIT)
    exchange.dialog.apply_button.click()
    qtbot.waitUntil(lambda: exchange.last_import is not None, timeout=WAIT)
    assert exchange.last_import.tables["county_replies"]["new"] == 1
    assert exchange.imports_table.rowCount() == 1
    exchange.dialog.accept()
    station_window.show_screen("cases")
    screen = station_window.screen("cases")
    screen.apply_filter()
    screen.select_row(0)
    assert "已安排四月修路" in screen.detail.text()
    # passed on to the voter: the handling step starts with the county's answer
    from station_desk.domain.cases import EventKind

    step = screen.record_step(EventKind.HANDLE)
    assert step.fields.widgets["result"].toPlainText() == "已安排四月修路"
    step.reject()
    assert cases.case(st, cid)["county_replies"][0]["body"] == "已安排四月修路"


def test_a_tampered_bundle_is_refused_with_its_check_and_the_county_is_unchanged(
        qtbot, monkeypatch, station_window, county_window, stick):
    st, co = station_window.session, county_window.session
    forwarded_case(st)
    introduce(qtbot, monkeypatch, station_window, county_window, stick)
    sent = bundles.export_bundle(st, folder=stick).path
    data = bytearray(sent.read_bytes())
    data[len(data) // 2] ^= 0x01
    sent.write_bytes(bytes(data))
    file_sha = hashlib.sha256(sent.read_bytes()).hexdigest()
    before = db_bytes(co)
    importer = county_window.screen("county_import")
    pick_files(monkeypatch, [sent])
    importer.choose_button.click()
    qtbot.waitUntil(lambda: isinstance(importer.dialog, ImportReportDialog), timeout=WAIT)
    report = importer.dialog
    assert not report.apply_button.isEnabled()
    top = report.summary.topLevelItem(0)
    assert "已拒收" in top.text(0) or "refused" in top.text(0)
    why = top.child(0).text(0)
    from station_desk.i18n import _

    # what to do, and the failed check named in words
    from station_desk.domain.bundles import BundleDamaged
    from station_desk.ui.widgets.errors import message_of

    assert why.startswith(message_of(BundleDamaged(check="decrypt")))
    assert why.splitlines()[-1] == _("Failed check: {check}").format(check=_("decryption"))
    report.reject()
    assert db_bytes(co) == before
    assert hashlib.sha256(sent.read_bytes()).hexdigest() == file_sha
    assert county_service.stations(co)[0]["bundles"] == 0


def test_a_wrong_fingerprint_keeps_the_key_dialog_open(qtbot, monkeypatch, station_window,
                                                       county_window, stick):
    co = county_window.session
    exchange = station_window.screen("exchange")
    pick_folder(monkeypatch, stick)
    exchange.save_enrolment(folder=stick)
    stations = county_window.screen("county_stations")
    dialog = stations.enrol(next(stick.glob("*.enrol.json")))
    assert isinstance(dialog, KeyConfirmDialog)
    dialog.fingerprint.setText("0000 0000 0000 0000 0000 0000 0000 0000")
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert county_service.stations(co) == []
    dialog.reject()
