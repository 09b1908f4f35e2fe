"""The station's Bundles screen and county mode's start: who sees what, the
county's key before the first bundle, a cancelled export, opening a county file."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from station_desk.i18n import _
from station_desk.services import bundles, county as county_service
from station_desk.services.demo_county import make_demo_county
from station_desk.ui import app as app_module
from station_desk.ui.main_window import MainWindow
from tests.ui.exchange_helpers import (  # noqa: F401  (fixtures)
    WAIT, chinese_afterwards, county_window, forwarded_case, introduce, pick_folder,
    station_window, stick,
)


@pytest.mark.parametrize("role, sees", [("clerk", True), ("head", True),
                                        ("auditor", False), ("admin", False)])
def test_only_roles_with_import_export_see_the_bundles(qtbot, session, role, sees):
    session.role = role
    w = MainWindow(session, auto_backup=False)
    try:
        assert w.has_screen("exchange") is sees
    finally:
        w.close_now()
        w.deleteLater()


def test_the_county_window_hides_import_and_returns_from_the_auditor(qtbot, tmp_path, clock):
    from station_desk.ui.county_window import CountyWindow
    from tests.bundles.helpers import make_county

    co = make_county(tmp_path, clock)
    co.role = "auditor"
    w = CountyWindow(co, auto_backup=False)
    try:
        assert w.has_screen("county_stations") and w.has_screen("county_cases")
        assert not w.has_screen("county_import") and not w.has_screen("county_returns")
        assert not w.screen("county_cases").reply_button.isEnabled()
    finally:
        w.close_now()
        w.deleteLater()


def test_no_export_before_the_county_key(qtbot, station_window):
    exchange = station_window.screen("exchange")
    assert not exchange.export_button.isEnabled()
    assert exchange.own_fingerprint.text() == bundles.own_key(station_window.session)[
        "fingerprint"]
    assert exchange.county_state.text() == _(
        "Not imported yet. The county gives its key file on a USB stick and its fingerprint "
        "on paper; import the file and type the fingerprint.")


def test_an_export_to_a_missing_stick_is_told_and_kept_nowhere(qtbot, monkeypatch,
                                                               station_window, county_window,
                                                               stick):
    st = station_window.session
    forwarded_case(st)
    introduce(qtbot, monkeypatch, station_window, county_window, stick)
    exchange = station_window.screen("exchange")
    exchange.start_export(folder=stick / "pulled-out")
    qtbot.waitUntil(lambda: exchange.task is None, timeout=WAIT)
    assert exchange.last_export is None
    assert exchange.dialog.objectName() == "bundle_refusal"
    assert "pulled-out" in exchange.dialog.text()
    assert bundles.exports(st) == [] and exchange.exports_table.rowCount() == 0


def test_a_county_file_opens_the_county_window(qtbot, tmp_path, monkeypatch):
    from station_desk.ui.county_window import CountyWindow

    seen = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: seen.append(a))
    path = make_demo_county(tmp_path / "county.sqlite3", station=tmp_path / "st.sqlite3")
    started = app_module.start(county=path)
    try:
        assert seen == [] and isinstance(started.window, CountyWindow)
        assert started.window.session.station_code == "222405"
        assert "龙井市人大常委会" in started.window.station_label.text()
        cases_screen = started.window.screen("county_cases")
        assert any(r["replies"] for r in cases_screen.rows)   # the demo's reply
    finally:
        started.window.close_now()
        started.release()
    # the same file given as --db opens in county mode too
    started = app_module.start(db=path)
    try:
        assert isinstance(started.window, CountyWindow)
    finally:
        started.window.close_now()
        started.release()


def test_a_missing_county_file_is_explained(qtbot, tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: seen.append(text))
    started = app_module.start(county=tmp_path / "nowhere.sqlite3")
    assert started.window is None and started.code == 1
    assert "station-desk county create" in seen[0]


def test_the_key_backup_is_asked_for_until_confirmed(qtbot, county_window):
    from PySide6.QtWidgets import QPlainTextEdit

    county_window.show_screen("county_key")
    screen = county_window.screen("county_key")
    assert screen.confirm_button.isVisible()
    assert screen.backup_state.text().startswith(_(
        "No offline copy of the county's secret key has been confirmed yet. If this PC is "
        "lost, no bundle sent to the county can be opened. Show the backup, copy it to paper "
        "or an offline medium kept in a safe, then confirm.")[:10])
    dialog = screen.show_backup()
    text = dialog.findChild(QPlainTextEdit, "key_backup_text").toPlainText()
    assert screen.fingerprint.text() in text and "AGE-SECRET-KEY-" in text
    dialog.reject()
    screen.confirm_backup(ask=False)
    assert county_service.key_backup(county_window.session)["backed_up_at"]
    assert not screen.confirm_button.isVisible()


def test_the_fingerprint_sheets_print_the_fingerprints(qtbot, monkeypatch, tmp_path,
                                                       station_window, county_window):
    from PySide6.QtWidgets import QFileDialog
    from pypdf import PdfReader

    for window, key in ((station_window, "exchange"), (county_window, "county_key")):
        out = tmp_path / f"{key}.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, o=out, **k: (str(o), ""))
        screen = window.screen(key)
        screen.sheet_button.click()
        text = "".join(p.extract_text() for p in PdfReader(out).pages)
        groups = bundles.own_key(window.session)["fingerprint"].split()
        assert all(g in text for g in groups)
        assert window.session.station_code in text
