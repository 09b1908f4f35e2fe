"""Shared fixtures: real SQLite files in tmp dirs, a fixed clock, offscreen Qt."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 3, 9, 10, 30, tzinfo=CST)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own data folder (backups, settings)."""
    monkeypatch.setenv("STATION_DESK_DATA", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch):
    """argon2id at the lowest cost: the same hashing code, fast enough for tests."""
    from station_desk.services import accounts

    monkeypatch.setattr(accounts, "HASH_PARAMS",
                        {"time_cost": 1, "memory_cost": 8, "parallelism": 1})


def pytest_configure(config):
    config.addinivalue_line("markers", "sign_in_at_start: start-up asks for the sign-in "
                            "(other start-up tests open the window as the system)")


@pytest.fixture(autouse=True)
def _no_sign_in_at_start(request, monkeypatch):
    """``app.start`` signs nobody in unless the test is about that step: the
    start-up tests of opening, recovery and the lock file stay as they were."""
    if request.node.get_closest_marker("sign_in_at_start") is None:
        monkeypatch.setattr("station_desk.ui.app.sign_in_step", lambda session, parent=None: True)


@pytest.fixture
def clock():
    return lambda: NOW


@pytest.fixture
def session(tmp_path, clock):
    from station_desk.services.session import create_station

    s = create_station(tmp_path / "station.sqlite3", clock=clock, actor="tester", profile={
        "name_zh": "龙井市智新镇人大代表联络站", "name_ko": "룡정시 지신진 인대대표련락소",
        "code": "222405-01", "county": "龙井市"})
    yield s
    s.close()


def deputy_data(**overrides):
    data = {"name": "金明哲", "name_ko": "김명철", "sex": "M", "ethnicity": "10",
            "birth_date": "1975-04-12", "party": "01", "unit": "智新镇明东村",
            "post": "村党支部书记", "phone": "13843312345", "village": "明东村"}
    data.update(overrides)
    return data


def mandate_data(**overrides):
    data = {"level": "township", "term": 18, "constituency": "第3选区", "elected_on": "2021-11-20"}
    data.update(overrides)
    return data
