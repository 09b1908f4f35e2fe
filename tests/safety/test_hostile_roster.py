"""Hostile rosters through the importer (read_table → guess_mapping → preview →
apply), generated with Hypothesis: random bytes, truncated and bit-flipped
workbooks, valid zips with garbage parts, odd sheet shapes, huge cells, formulas,
wrong types, dates as text and numbers, duplicate headers, CSV in any encoding.

Only the typed DomainError family may escape, and an import that is refused (at
any step) leaves the database exactly as it was; one that goes through adds
exactly the rows it reports.  (Sync bundles do not exist yet: issue 7.)"""
from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis.errors import InvalidArgument
from hypothesis import strategies as st

from station_desk.domain.errors import DomainError
from station_desk.services import roster_io

SETTINGS = dict(deadline=None, derandomize=False, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

HEADERS = ["姓名", "朝鲜文姓名", "性别", "民族", "出生年月", "出生日期", "政治面貌", "工作单位",
           "职务", "联系电话", "村(社区)", "代表小组", "代表层级", "届次", "选区", "当选日期",
           "状态", "状态日期", "原因", "文号", "备注", "이름", "성별", "Name", "Phone", "Level"]
FORMULAS = ["=1/0", "=SUM(A1:A3)", '=HYPERLINK("http://example.invalid","点")', "=A1",
            "=cmd|' /C calc'!A0", "=NOW()", '=IMPORTXML("x","y")', "=" + "A1+" * 200 + "1"]


def _clean(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


texts = st.text(max_size=30).map(_clean)
cells = st.one_of(
    st.none(), texts, st.sampled_from(HEADERS),
    st.sampled_from(["男", "女", "朝鲜族", "汉族", "中共党员", "乡镇", "县级", "18", "十八",
                     "2021-11-20", "2021/11/20", "2021年11月20日", "20211120", "1975.1",
                     "1975-04", "13843312345", "1.3843312345E10", "在任", "终止", "暂停"]),
    st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)),
    st.times(), st.sampled_from(FORMULAS),
    st.integers(min_value=1, max_value=40).map(lambda n: "长" * (1000 * n)),  # huge cells
)
header_rows = st.lists(st.one_of(st.sampled_from(HEADERS), texts), max_size=14)
sheets = st.tuples(
    st.lists(cells, max_size=3),                              # title rows above the header
    header_rows,
    st.lists(st.lists(cells, max_size=16), max_size=12),      # ragged data rows
)


def workbook_bytes(sheet_list, *, empty_first: bool) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    first = True
    for title_cells, header, rows in sheet_list:
        ws = wb.active if first else wb.create_sheet()
        if first and empty_first:
            ws = wb.create_sheet()
        first = False
        if title_cells:
            ws.append(title_cells)
        ws.append(header)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def garbage_member(data: bytes, index: int, garbage: bytes) -> bytes:
    """The same zip with one member's content replaced (the zip itself stays valid)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        infos = src.infolist()
        victim = infos[index % len(infos)].filename
        for info in infos:
            z.writestr(info.filename, garbage if info.filename == victim else src.read(info))
    return out.getvalue()


garbage = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: f"<?xml version='1.0'?><a><b>{t}</a>".encode()),
    st.just(b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>"
            b"<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]><x>&b;</x>"),
    st.just(b""),
)

xlsx_files = st.builds(
    lambda sheet_list, empty_first, how, cut, member, junk, flips: mutate(
        workbook_bytes(sheet_list, empty_first=empty_first), how, cut, member, junk, flips),
    st.lists(sheets, min_size=1, max_size=3), st.booleans(),
    st.sampled_from(["as is", "as is", "truncated", "member", "flipped"]),
    st.floats(min_value=0, max_value=1), st.integers(min_value=0, max_value=50), garbage,
    st.lists(st.tuples(st.floats(min_value=0, max_value=1), st.integers(0, 255)), max_size=8))


def mutate(data: bytes, how: str, cut: float, member: int, junk: bytes, flips) -> bytes:
    if how == "truncated":
        return data[: int(len(data) * cut)]
    if how == "member":
        return garbage_member(data, member, junk)
    if how == "flipped":
        data = bytearray(data)
        for where, value in flips:
            data[min(int(len(data) * where), len(data) - 1)] = value
        return bytes(data)
    return data


def csv_text(header, rows, delimiter) -> str:
    def cell(c):
        text = "" if c is None else str(c)
        return text if c is None or not isinstance(c, str) or len(text) < 2 else (
            '"' + text.replace('"', '""') + '"' if delimiter in text else text)
    return "\n".join(delimiter.join(cell(c) for c in row) for row in [header, *rows])


csv_files = st.builds(
    lambda header, rows, delimiter, encoding, tail: (
        csv_text(header, rows, delimiter).encode(encoding, errors="ignore") + tail),
    header_rows, st.lists(st.lists(cells, max_size=16), max_size=12),
    st.sampled_from([",", ";", "\t", "|", "，"]),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5", "euc-kr", "latin-1"]),
    st.one_of(st.just(b""), st.binary(max_size=20), st.just(b'"unclosed quote, \n')))

mappings = st.one_of(
    st.none(),  # the importer's own guess
    st.dictionaries(st.integers(min_value=-2, max_value=20),
                    st.sampled_from([*roster_io.FIELDS, "", "nonsense"]), max_size=8))


def note(text: str) -> None:
    try:
        event(text)
    except InvalidArgument:  # outside a Hypothesis test
        pass


def digest(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        h = hashlib.sha256()
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite_%' ORDER BY name"):
            for row in sorted(repr(r) for r in conn.execute(f"SELECT * FROM '{table}'")):
                h.update(row.encode())
        return h.hexdigest()
    finally:
        conn.close()


def deputies(session) -> int:
    return session.db.execute("SELECT COUNT(*) FROM deputies").fetchone()[0]


def import_file(session, path: Path, data: bytes, mapping, skip: bool) -> None:
    """The whole import path on ``data``; only DomainError may escape it, and a
    refusal changes nothing."""
    path.write_bytes(data)
    before, count = digest(session.path), deputies(session)
    try:
        table = roster_io.read_table(path)
        chosen = roster_io.guess_mapping(table.headers) if mapping is None else mapping
        preview = roster_io.preview(session, table, chosen)
        result = roster_io.apply(session, preview, skip_duplicates=skip)
    except DomainError as exc:
        note(f"refused: {type(exc).__name__}")
        assert digest(session.path) == before, "a refused import changed the database"
        return
    note("imported rows" if result.imported else "nothing to import")
    assert deputies(session) - count == result.imported
    if result.imported == 0:
        assert digest(session.path) == before
    else:
        assert result.imported == len(preview.to_import(skip_duplicates=skip))


@settings(max_examples=90, **SETTINGS)
@given(data=xlsx_files, mapping=mappings, skip=st.booleans(),
       suffix=st.sampled_from([".xlsx", ".xlsx", ".xlsm", ".csv", ""]))
def test_hostile_workbooks(session, tmp_path, data, mapping, skip, suffix):
    import_file(session, tmp_path / f"roster{suffix}", data, mapping, skip)


@settings(max_examples=150, **SETTINGS)
@given(data=csv_files, mapping=mappings, skip=st.booleans(),
       suffix=st.sampled_from([".csv", ".txt", ".xlsx", ""]))
def test_hostile_csv(session, tmp_path, data, mapping, skip, suffix):
    import_file(session, tmp_path / f"roster{suffix}", data, mapping, skip)


@settings(max_examples=200, **SETTINGS)
@given(data=st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=500).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),
    st.binary(max_size=500).map(lambda b: b"\xff\xfe" + b)),
    suffix=st.sampled_from([".xlsx", ".csv", ".xls", ""]))
def test_random_bytes(session, tmp_path, data, suffix):
    import_file(session, tmp_path / f"roster{suffix}", data, None, False)


NAMES = ["金明哲", "李春花", "朴英子", "崔正浩", "郑美兰", "金明哲", "喆堃", "김명철"]


def mostly(good, bad=cells):
    """Usually a sound value, now and then a hostile one."""
    # mapped, so one_of does not flatten the hostile strategy's own branches into its own
    return st.one_of(*[good] * 12, bad.map(lambda value: value))


plausible_rows = st.lists(st.tuples(
    mostly(st.sampled_from(NAMES), cells),
    mostly(st.sampled_from(["男", "女", "M", "F"]), cells),
    mostly(st.sampled_from(["乡镇", "县级", "乡镇、县级", "乡镇\n县级"]), cells),
    mostly(st.sampled_from([18, "18", "18\n18"]), cells),
    mostly(st.sampled_from([date(2021, 11, 20), "2021-11-20", "2021年11月20日"]), cells),
    mostly(st.sampled_from(["13843312345", 13843312345, "0433-2512345", ""]), cells),
    mostly(st.sampled_from(["", "第一代表小组", "第二代表小组"]), cells),
    mostly(st.sampled_from(["", "在任"]), cells),
).map(list), min_size=1, max_size=15)
clean_rows = st.lists(st.tuples(
    st.sampled_from(NAMES), st.sampled_from(["男", "女"]), st.sampled_from(["乡镇", "县级"]),
    st.just(18), st.just(date(2021, 11, 20)), st.just(""), st.just(""), st.just("")).map(list),
    min_size=1, max_size=4)
PLAIN_HEADER = ["姓名", "性别", "代表层级", "届次", "当选日期", "联系电话", "代表小组", "状态"]


@settings(max_examples=80, **SETTINGS)
@given(clean=clean_rows, rows=plausible_rows, extra=header_rows, as_csv=st.booleans(),
       skip=st.sampled_from([False, False, False, True]), clean_first=st.booleans())
def test_plausible_rosters_with_hostile_cells(session, tmp_path, clean, rows, extra, as_csv,
                                              skip, clean_first):
    """Mostly sound rosters, so that rows really are imported (all or nothing)."""
    rows = clean + rows if clean_first else rows + clean
    header = PLAIN_HEADER + extra
    if as_csv:
        buf = io.StringIO()
        csv.writer(buf).writerows([header, *rows])
        data, suffix = buf.getvalue().encode("utf-8"), ".csv"
    else:
        data, suffix = workbook_bytes([([], header, rows)], empty_first=False), ".xlsx"
    import_file(session, tmp_path / f"roster{suffix}", data, None, skip)


def test_a_good_roster_still_imports(session, tmp_path):
    """The generators above reach the importer's success path too."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "代表层级", "届次", "当选日期", "联系电话"])
    wb.active.append(["金明哲", "男", "乡镇", 18, date(2021, 11, 20), "13843312345"])
    path = tmp_path / "good.xlsx"
    wb.save(path)
    import_file(session, path, path.read_bytes(), None, False)
    assert deputies(session) == 1
