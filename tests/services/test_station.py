import pytest

from station_desk.domain.errors import ValidationError
from station_desk.services import station
from station_desk.services.session import StationExists, create_station, open_session


def test_profile_round_trip(session):
    p = station.profile(session)
    assert p["code"] == "222405-01"
    data = dict(p, address="智新镇政府一楼", phone="0433-3212345", opening_hours="周一至周五 8:30-16:30")
    station.save_profile(session, data=data)
    assert station.profile(session)["phone"] == "0433-3212345"


def test_profile_validation(session):
    with pytest.raises(ValidationError) as e:
        station.save_profile(session, data={"name_zh": "", "code": "a b", "county": "x",
                                            "phone": "12"})
    assert {x.field for x in e.value.errors} == {"name_zh", "code", "phone"}


def test_staff(session):
    station.add_staff(session, data={"name": "崔英", "role": "worker", "phone": "13812345678"})
    station.add_staff(session, data={"name": "金站长", "role": "head"})
    names = [s["name"] for s in station.staff(session)]
    assert names == ["金站长", "崔英"]
    sid = station.staff(session)[1]["id"]
    station.remove_staff(session, staff_id=sid)
    assert [s["name"] for s in station.staff(session)] == ["金站长"]


def test_create_refuses_existing_and_reopens(session, tmp_path):
    with pytest.raises(StationExists):
        create_station(session.path, profile={"name_zh": "x", "code": "AB", "county": "y"})
    again = open_session(session.path)
    assert again.station_code == "222405-01"
    again.close()
