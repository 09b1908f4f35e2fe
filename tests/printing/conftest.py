"""Helpers for the printing tests: a station with deputies, PDFs read back."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from station_desk.services import registry
from tests.conftest import deputy_data, mandate_data

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
A4_LANDSCAPE = (841.89, 595.28)

# Names with characters a GB2312-only font lacks, with Korean readings.
PEOPLE = [
    ("金喆", "김철", "M", "10"), ("李堃", "리곤", "M", "10"), ("王昇", "", "M", "01"),
    ("朴珺", "박군", "F", "10"), ("崔玥", "최월", "F", "10"), ("张赟", "", "F", "01"),
    ("金龙井", "김룡정", "M", "10"), ("韩龙", "한룡", "F", "10"),
]


def add_deputies(session, count: int, **overrides) -> list[str]:
    """``count`` deputies with distinct names and phones 1384331xxxx."""
    registry.create_group(session, name_zh="第一代表小组", name_ko="제1대표소조")
    group = registry.groups(session)[0]["id"]
    ids = []
    for i in range(count):
        name, ko, sex, eth = PEOPLE[i % len(PEOPLE)]
        if count > len(PEOPLE):
            name, ko = f"{name}{i:02d}", f"{ko}{i:02d}" if ko else ""
        data = deputy_data(name=name, name_ko=ko, sex=sex, ethnicity=eth,
                           phone=f"1384331{i:04d}", group_id=group, **overrides)
        ids.append(registry.create_deputy(session, data=data,
                                          mandates=[mandate_data()]).created_id)
    return ids


def terminate(session, deputy_id: str, ground: str = "moved_out", on: str = "2025-06-30") -> None:
    for m in registry.deputy(session, deputy_id)["mandates"]:
        registry.record_mandate_event(session, mandate_id=m["id"], kind="terminated", on=on,
                                      ground=ground, doc_no="龙人常〔2025〕12号")


def suspend(session, deputy_id: str) -> None:
    m = registry.deputy(session, deputy_id)["mandates"][0]
    registry.record_mandate_event(session, mandate_id=m["id"], kind="suspended",
                                  on="2025-12-01", ground="detained")


def page_texts(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def squeeze(text: str) -> str:
    """Text without the line breaks and spaces a wrapped cell adds."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def out_dir(tmp_path) -> Path:
    d = tmp_path / "out"
    d.mkdir()
    return d
