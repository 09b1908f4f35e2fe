"""A station window and a county window on real files, side by side."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from station_desk.services import cases, registry
from tests.bundles.helpers import make_county, make_station
from tests.conftest import deputy_data, mandate_data
from tests.ui.shell_helpers import chinese_afterwards, close_window  # noqa: F401  (fixture)

WAIT = 30000


def forwarded_case(station) -> str:
    """A voter's matter the station forwarded to a county unit."""
    deputy = registry.create_deputy(station, data=deputy_data(),
                                    mandates=[mandate_data()]).created_id
    cid = cases.register(station, voter={"name": "朴英子", "village": "明东村",
                                         "phone": "13843312345", "language": "ko",
                                         "consent": True},
                         case={"on": "2026-03-02", "channel": "reception_day",
                               "category": "help", "words": "村道坏了", "place": "联络站",
                               "duty_deputies": [deputy]}).created_id
    cases.sort_case(station, case_id=cid, category="help", on="2026-03-03")
    cases.forward_case(station, case_id=cid, route="county", unit="县交通局", on="2026-03-04")
    return cid


def pick_folder(monkeypatch, folder) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))


def pick_file(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def pick_files(monkeypatch, paths) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(p) for p in paths], ""))


@pytest.fixture
def stick(tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


@pytest.fixture
def station_window(qtbot, tmp_path, clock):
    from station_desk.ui.main_window import MainWindow

    session = make_station(tmp_path, clock)
    w = MainWindow(session, auto_backup=False)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close_now()
    w.deleteLater()


@pytest.fixture
def county_window(qtbot, tmp_path, clock):
    from station_desk.ui.county_window import CountyWindow

    session = make_county(tmp_path, clock)
    w = CountyWindow(session, auto_backup=False)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close_now()
    w.deleteLater()


def confirm_key(qtbot, screen, fingerprint: str) -> None:
    """Type the printed fingerprint into the open key dialog and accept it."""
    dialog = screen.dialog
    dialog.fingerprint.setText(fingerprint)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: screen.dialog is not dialog, timeout=WAIT)


def introduce(qtbot, monkeypatch, station_window, county_window, stick) -> None:
    """Enrolment both ways, clicked: the station saves its file, the county enrols
    it typing the station's fingerprint; the county saves its key file, the
    station imports it typing the county's fingerprint."""
    exchange = station_window.screen("exchange")
    pick_folder(monkeypatch, stick)
    exchange.enrol_button.click()
    enrol = next(stick.glob("*.enrol.json"))
    stations = county_window.screen("county_stations")
    pick_file(monkeypatch, enrol)
    stations.enrol_button.click()
    confirm_key(qtbot, stations, exchange.own_fingerprint.text())
    key_screen = county_window.screen("county_key")
    key_screen.save_button.click()
    key = next(stick.glob("*.county-key.json"))
    pick_file(monkeypatch, key)
    exchange.county_key_button.click()
    confirm_key(qtbot, exchange, key_screen.fingerprint.text())
