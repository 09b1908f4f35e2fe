from datetime import date

import pytest

from station_desk.domain import validation as v
from station_desk.domain.masking import mask_id_number, mask_phone


@pytest.mark.parametrize("phone,ok", [
    ("13843312345", True), ("+86 138 4331 2345", True), ("0433-2512345", True),
    ("04332512345", True), ("12843312345", False), ("1384331234", False),
    ("138433123456", False), ("abc", False), ("0433-12", False),
])
def test_phone(phone, ok):
    assert v.is_valid_phone(phone) is ok


@pytest.mark.parametrize("number,ok", [
    ("11010519491231002X", True), ("11010519491231002x", True),
    ("110105194912310021", False),  # wrong check digit
    ("11010519491331002X", False),  # month 13
    ("1101051949123100", False),
])
def test_id_number(number, ok):
    assert v.is_valid_id_number(number) is ok


@pytest.mark.parametrize("text,expected", [
    ("2026-03-09", date(2026, 3, 9)), ("2026/3/9", date(2026, 3, 9)),
    ("2026年3月9日", date(2026, 3, 9)), ("20260309", date(2026, 3, 9)),
    ("2026.03.09", date(2026, 3, 9)), ("", None), (None, None),
])
def test_parse_date(text, expected):
    assert v.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "09/03/2026", "yesterday", "2026-13-01"])
def test_parse_date_refuses(text):
    with pytest.raises(ValueError):
        v.parse_date(text)


def test_masking():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0433-2512345") == "0433-***2345"
    assert mask_id_number("11010519491231123X") == "**************123X"
    assert mask_phone("") == "" and mask_id_number(None) == ""


def test_checker_collects_every_field():
    c = v.Checker()
    c.required("name", "  ")
    c.phone("phone", "123")
    c.date("birth", "2030-01-01", not_after=date(2026, 1, 1))
    assert [e.field for e in c.errors] == ["name", "phone", "birth"]
    assert c.errors[2].msgid == v.MSG_DATE_FUTURE
