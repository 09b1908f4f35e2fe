"""The Bundles screen and county mode's screens in the pseudo-locale (every
message stretched by 40 %): nothing clipped, the window fits a 1366-px screen."""
from __future__ import annotations

import pytest

from station_desk import i18n
from station_desk.ui import language
from tests.ui.exchange_helpers import (  # noqa: F401  (fixtures)
    chinese_afterwards, county_window, forwarded_case, introduce, station_window, stick,
)
from tests.ui.test_pseudo_locale import OFFICE_SCREEN_WIDTH, clipped_list_items, clipped_texts, settle

COUNTY_KEYS = ["county_stations", "county_import", "county_cases", "county_returns",
               "county_key"]


@pytest.fixture
def pseudo(qtbot, monkeypatch, station_window, county_window, stick):
    forwarded_case(station_window.session)
    introduce(qtbot, monkeypatch, station_window, county_window, stick)
    language.apply_language(i18n.PSEUDO)
    station_window.retranslate()
    county_window.retranslate()
    return station_window, county_window


def test_the_bundles_screen_fits_in_the_pseudo_locale(qtbot, pseudo):
    w, _cw = pseudo
    w.show_screen("exchange")
    screen = w.screen("exchange")
    assert screen.export_button.text().startswith("‹")
    settle()
    problems = clipped_texts(screen) + clipped_list_items(w.nav)
    assert problems == [], "\n".join(problems)
    assert w.minimumSizeHint().width() <= OFFICE_SCREEN_WIDTH


@pytest.mark.parametrize("key", COUNTY_KEYS)
def test_the_county_screens_fit_in_the_pseudo_locale(qtbot, pseudo, key):
    _w, cw = pseudo
    cw.show_screen(key)
    screen = cw.screen(key)
    settle()
    problems = clipped_texts(screen) + clipped_texts(cw.statusBar()) + clipped_list_items(cw.nav)
    assert problems == [], "\n".join(problems)
    assert cw.minimumSizeHint().width() <= OFFICE_SCREEN_WIDTH


def test_the_export_dialog_fits_in_the_pseudo_locale(qtbot, pseudo):
    w, _cw = pseudo
    dialog = w.screen("exchange").export_bundle()
    qtbot.waitExposed(dialog)
    settle()
    problems = clipped_texts(dialog)
    dialog.reject()
    assert problems == [], "\n".join(problems)
