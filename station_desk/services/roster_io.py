"""Roster import (CSV / XLSX) and export (XLSX).

Import is three steps, so the clerk sees everything before anything is saved:

1. ``read_table(path)`` reads the file into a ``RawTable`` (header row + data
   rows).  Anything that is not a readable spreadsheet — broken, encrypted,
   empty, too big — raises an ``ImportFileError`` subclass with a clear message.
2. ``guess_mapping(headers)`` proposes which column holds which field (Chinese,
   Korean and English headers); the user may change it.  ``preview(session,
   table, mapping)`` cleans and checks every row with the same rules as the
   registry form, finds likely duplicates (in the file and in the registry) and
   the deputy groups to be created.  It writes nothing.
3. ``apply(session, preview, skip_duplicates=...)`` imports the valid rows in
   ONE transaction: either every one of them is saved or none.

Cell rules (decisions, so nobody has to guess what the importer guessed):

* Dates: real Excel dates, ``2026-03-09``, ``2026/3/9``, ``2026.3.9``,
  ``2026年3月9日`` and ``20260309`` are accepted everywhere.
* Birth *month* only (``1975-04``, ``1975.04``, ``1975年4月``, ``197504``): the
  standard Chinese cadre roster has a 出生年月 column, so refusing it would
  reject nearly every real roster.  It is stored as the 1st of that month and
  the row carries a visible note in the report, so the clerk knows the day was
  not in the file.  ``1975.1`` is refused: Excel turns a typed ``1975.10`` into
  the number 1975.1, so January and October cannot be told apart.
* Every other date (election, status) must be a full date: a clear error is
  better than a guessed day.
* A deputy with several mandates has one line per mandate in the level, term,
  constituency, election date, status, status date, ground and document-number
  cells (Alt+Enter in Excel; the export writes it so).  Level and term cells may
  also be separated by 、 , ; .  A single term or election date applies to
  every level of the row.  Values given for a whole import (``defaults``) fill
  empty level / term / election-date cells.
* A mandate imported as suspended or terminated gets that exit as an event,
  checked like one recorded on screen (a termination needs its ground and
  document number).  Only the final state is imported, not the whole history.
"""
from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import math
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path

from station_desk.domain.accounts import Permission
from station_desk.domain import codes
from station_desk.domain.changes import Changes
from station_desk.domain.deputies import (
    DEPUTY_STATUS_LABELS, LEVEL_LABELS, SEX_LABELS, STATUS_LABELS, SUSPENSION_LABELS,
    TERMINATION_LABELS, DeputyFilter, DeputyStatus, Level, MandateEvent, MandateEventKind,
    MandateStatus, Sex, SuspensionGround, TerminationGround, apply_event, initial_state,
)
from station_desk.domain.errors import (
    N_, DomainError, FieldError, ImportFileError, ValidationError,
)
from station_desk.domain.masking import mask_phone
from station_desk.domain.validation import MSG_DATE, clean, normalise_phone, parse_date
from station_desk.i18n import LANGUAGES, _, current_language, gettext_for
from station_desk.services import registry
from station_desk.services.session import Session
from station_desk.storage import deputies as store

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an .xlsx is a zip: refuse zip bombs
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_SHEET_ROWS = 1_048_576  # Excel's own limit; blank rows count too
HEADER_SEARCH_ROWS = 10  # rosters often have a title row or two above the headers

# -- errors -------------------------------------------------------------------


class NotASpreadsheet(ImportFileError):
    msgid = N_("The file is not an Excel workbook (.xlsx) or a CSV file.")


class BrokenWorkbook(ImportFileError):
    msgid = N_("The Excel file is damaged or incomplete and cannot be read ({detail}). "
               "Open it in Excel, save it again as .xlsx and retry.")


class EncryptedWorkbook(ImportFileError):
    msgid = N_("The Excel file is protected with a password. Open it in Excel, remove the "
               "password (or save an unprotected copy) and retry.")


class OldExcelFormat(ImportFileError):
    msgid = N_("This is an old Excel 97-2003 file (.xls). Open it in Excel or WPS and save it "
               "as an Excel workbook (.xlsx) or as CSV, then retry.")


class FileTooLarge(ImportFileError):
    msgid = N_("The file is too large to be a roster (more than {limit} MB).")


class TooManyRows(ImportFileError):
    msgid = N_("The file has more than {limit} rows; split it into smaller files.")


class EmptyFile(ImportFileError):
    msgid = N_("The file is empty: there is nothing to import.")


class NoDataRows(ImportFileError):
    msgid = N_("The file has a header row but no rows of data below it.")


class UnknownEncoding(ImportFileError):
    msgid = N_("The text of the CSV file is in an unknown encoding. Save it from Excel as "
               "\"CSV UTF-8\" and retry.")


class MappingError(DomainError):
    msgid = N_("Choose which column holds the name.")


class DuplicateMapping(MappingError):
    msgid = N_("Two columns are set to the same field ({field}); keep one.")


class ExportFileError(DomainError):
    msgid = N_("The roster could not be saved as {path}: {detail}. If the file is open in "
               "Excel, close it; or choose another folder.")


# -- fields -------------------------------------------------------------------

MANDATE_IMPORT_FIELDS = ("level", "term", "constituency", "elected_on", "status",
                         "status_date", "ground", "doc_no")
# The order of the export's columns and of the mapping combo boxes.
FIELDS = ("name", "name_ko", "sex", "ethnicity", "birth_date", "party", "unit", "post",
          "phone", "village", "group", *MANDATE_IMPORT_FIELDS, "notes")

FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "name_ko": N_("Name in Korean"),
    "sex": N_("Sex"),
    "ethnicity": N_("Ethnicity"),
    "birth_date": N_("Birth date"),
    "party": N_("Political status"),
    "unit": N_("Work unit"),
    "post": N_("Post"),
    "phone": N_("Phone"),
    "village": N_("Village (community)"),
    "group": N_("Deputy group"),
    "level": N_("Level"),
    "term": N_("Term"),
    "constituency": N_("Constituency"),
    "elected_on": N_("Elected on"),
    "status": N_("Mandate status"),
    "status_date": N_("Status since"),
    "ground": N_("Ground"),
    "doc_no": N_("Document no."),
    "notes": N_("Notes"),
}

MSG_UNKNOWN_VALUE = N_("“{value}” is not a value this column can hold.")
MSG_FULL_DATE = N_("Enter the full date (year, month and day).")
MSG_MONTH_AMBIGUOUS = N_("“{value}” could be January or October (Excel turns 1975.10 into "
                         "1975.1). Type the month as 1975-10 or 1975-01.")
MSG_BIRTH_MONTH = N_("Only the month of birth is given; it is stored as the 1st of that month.")
MSG_EXCEL_NUMBER = N_("Excel shortened this number to “{value}”. Format the column as text in "
                      "Excel, retype the numbers and save again.")
MSG_LINES = N_("This cell has {count} lines but the row has {mandates} mandates; "
               "give one line per mandate.")
MSG_MASKED_PHONE = N_("The phone “{value}” is masked in this file; it is left empty.")
MSG_GROUP_LONG = N_("A group name has at most {max} characters.")

# Header aliases (compared after _norm).  The export headers in every UI
# language are added from the catalogs, so an exported file maps itself.
_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "代表姓名", "名字", "姓 名", "이름", "성명", "대표이름", "대표성명",
             "name", "fullname", "deputyname", "deputy"),
    "name_ko": ("朝鲜文姓名", "朝鲜语姓名", "朝文姓名", "朝鲜文", "朝鲜文名", "韩文姓名",
                "朝鲜族姓名", "조선어이름", "조선문이름", "조선글이름", "조선어성명",
                "조선문성명", "koreanname", "nameinkorean", "name(korean)"),
    "sex": ("性别", "성별", "sex", "gender"),
    "ethnicity": ("民族", "族别", "민족", "ethnicity", "ethnicgroup", "nationality"),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "生日", "出生时间", "생년월일",
                   "출생일자", "출생날자", "출생년월", "출생년월일", "birthdate",
                   "dateofbirth", "born", "dob", "birthday"),
    "party": ("政治面貌", "党派", "政治身份", "党派团体", "정치면모", "정치면목", "당파",
              "party", "politicalstatus", "politicalaffiliation"),
    "unit": ("工作单位", "单位", "工作单位及职务", "所在单位", "단위", "사업단위", "직장",
             "사업단위및직무", "workunit", "unit", "employer", "workplace"),
    "post": ("职务", "职位", "职务职称", "现任职务", "직무", "직위", "post", "position",
             "jobtitle"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码",
              "移动电话", "전화", "전화번호", "련락전화", "연락전화", "휴대폰", "핸드폰",
              "손전화", "phone", "mobile", "telephone", "tel", "phonenumber"),
    "village": ("村(社区)", "村", "社区", "所在村", "所在村(社区)", "村屯", "村/社区",
                "村社区", "마을", "촌", "사회구역", "촌(사회구역)", "village", "community",
                "village(community)"),
    "group": ("代表小组", "小组", "所属小组", "所在小组", "소조", "대표소조", "group",
              "deputygroup"),
    "level": ("代表层级", "层级", "级别", "代表级别", "代表类别", "급별", "대표급별", "등급",
              "level", "levels"),
    "term": ("届次", "届", "届别", "기", "기수", "회기", "term"),
    "constituency": ("选区", "所在选区", "选举单位", "선거구", "constituency",
                     "electoraldistrict"),
    "elected_on": ("当选日期", "当选时间", "选举日期", "当选年月日", "선거일자", "당선일자",
                   "당선날자", "선거날자", "electedon", "dateelected", "electiondate"),
    "status": ("状态", "任职状态", "代表状态", "상태", "status"),
    "status_date": ("状态日期", "变动日期", "状态变动日期", "상태일자", "변동일자",
                    "statussince", "statusdate"),
    "ground": ("事由", "原因", "终止事由", "暂停事由", "사유", "ground", "reason"),
    "doc_no": ("文号", "文件号", "批准文号", "문서번호", "문건번호", "documentno.",
               "documentno", "docno"),
    "notes": ("备注", "비고", "notes", "remarks", "note", "comment"),
}

_LEVEL_ALIASES: dict[Level, tuple[str, ...]] = {
    Level.TOWNSHIP: ("乡镇", "乡(镇)", "乡", "镇", "街道", "향진", "향(진)", "향", "진",
                     "township", "town"),
    Level.COUNTY: ("县", "县(市)", "县市", "市", "县级市", "县(市、区)", "县(市区)", "区", "县区",
                   "현", "현(시)", "시", "county", "county(city)", "city"),
    Level.PREFECTURE: ("州", "自治州", "延边州", "주", "자치주", "prefecture"),
    Level.PROVINCIAL: ("省", "성", "province", "provincial"),
    Level.NATIONAL: ("全国", "国家", "전국", "national", "npc"),
}
_LEVEL_SUFFIXES = ("人民代表大会代表", "人大代表", "人大", "代表", "级", "인대대표", "대표",
                   "급", "level", "deputy")

_SEX_ALIASES = {
    Sex.MALE: ("男", "男性", "남", "남성", "남자", "m", "male", "1"),
    Sex.FEMALE: ("女", "女性", "녀", "여", "녀성", "여성", "녀자", "여자", "f", "female", "2"),
}

_ETHNICITY_ALIASES = {"10": ("조선족", "korean", "chaoxian", "朝鲜"), "01": ("한족", "han"),
                      "11": ("만족", "manchu"), "03": ("회족", "hui"), "02": ("몽골족",)}

_PARTY_ALIASES = {
    "01": ("中国共产党党员", "共产党员", "党员", "中共", "중공당원", "중국공산당원", "공산당원",
           "당원", "cpc", "cpcmember"),
    "02": ("预备党员", "중공예비당원", "예비당원"),
    "03": ("团员", "공청단원", "단원", "cyl"),
    "12": ("无党派", "무당파", "무당파인사"),
    "13": ("무소속", "군중", "masses"),
}

_STATUS_ALIASES = {
    MandateStatus.ACTIVE: ("在任", "现任", "正常", "任职", "履职", "재임", "현임", "정상",
                           "serving", "active"),
    MandateStatus.SUSPENDED: ("暂停", "暂停执行代表职务", "暂停职务", "停职", "정지",
                              "직무정지", "대표직무정지", "suspended"),
    MandateStatus.TERMINATED: ("终止", "资格终止", "代表资格终止", "已终止", "离任", "卸任",
                               "종지", "자격종지", "종료", "terminated", "ended", "former"),
}

_GROUND_ALIASES: dict[str, tuple[str, ...]] = {
    TerminationGround.MOVED_OUT: ("迁出", "迁出本行政区域", "调离本行政区域", "调离"),
    TerminationGround.RESIGNED: ("辞职", "사직"),
    TerminationGround.PASSIVE_RESIGNATION: ("被动辞职",),
    TerminationGround.ABSENT_TWICE: ("两次缺席", "连续两次缺席"),
    TerminationGround.RECALLED: ("罢免", "被罢免", "파면"),
    TerminationGround.LOST_NATIONALITY: ("丧失国籍", "丧失中华人民共和国国籍"),
    TerminationGround.DEPRIVED_OF_RIGHTS: ("被剥夺政治权利", "剥夺政治权利"),
    TerminationGround.LOST_CAPACITY: ("丧失行为能力",),
    TerminationGround.DEATH: ("死亡", "去世", "病故", "逝世", "사망"),
    SuspensionGround.DETAINED: ("羁押", "被羁押"),
    SuspensionGround.SERVING_SENTENCE: ("服刑", "正在服刑"),
}


def _norm(text: object) -> str:
    """Compare labels the way people type them: full/half width, case, spaces, markers."""
    t = unicodedata.normalize("NFKC", str(text or "")).lower()
    t = re.sub(r"\s+", "", t)
    return t.strip("*:：")


def _translations(msgid: str) -> set[str]:
    """``msgid`` and its translation in every UI language, normalised."""
    return {_norm(msgid)} | {_norm(gettext_for(lang)(msgid)) for lang in LANGUAGES}


def _lookup(pairs) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, labels in pairs:
        for label in labels:
            out.setdefault(_norm(label), key)
    return out


def _header_table() -> dict[str, str]:
    pairs = [(f, _translations(FIELD_LABELS[f])) for f in FIELDS]
    pairs += list(_HEADER_ALIASES.items())
    return _lookup(pairs)


def _strip_level(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for suffix in _LEVEL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[:-len(suffix)], True
    return text


def _level_table() -> dict[str, object]:
    pairs = [(lv, {_strip_level(t) for t in _translations(LEVEL_LABELS[lv]) | {lv.value}})
             for lv in Level]
    pairs += list(_LEVEL_ALIASES.items())
    return _lookup(pairs)


def _status_table() -> dict[str, object]:
    pairs = [(s, _translations(STATUS_LABELS[s]) | {s.value}) for s in MandateStatus]
    pairs.append((MandateStatus.TERMINATED, _translations(DEPUTY_STATUS_LABELS[DeputyStatus.FORMER])))
    pairs += list(_STATUS_ALIASES.items())
    return _lookup(pairs)


def _ground_table() -> dict[str, object]:
    labels = {**TERMINATION_LABELS, **SUSPENSION_LABELS}
    pairs = [(g.value, _translations(msgid) | {g.value}) for g, msgid in labels.items()]
    pairs += [(g.value, a) for g, a in _GROUND_ALIASES.items()]
    return _lookup(pairs)


def _code_lookup(label: str, table_zh: dict[str, str], msgids: dict[str, str],
                 aliases: dict[str, tuple[str, ...]]) -> str | None:
    code = codes.code_for(label, table_zh)
    if code:
        return code
    table = _lookup([(c, _translations(m)) for c, m in msgids.items()] + list(aliases.items()))
    return table.get(_norm(label))


# -- reading files ------------------------------------------------------------

Cell = object  # str | int | float | bool | date | datetime | time | None


@dataclass(frozen=True)
class RawTable:
    """A sheet as read: the header row and the data rows (blank rows left out)."""

    file_name: str
    headers: list[str]
    rows: list[list[Cell]]
    row_numbers: list[int]  # each data row's number in the file, as Excel shows it
    header_row: int = 1
    sheet: str = ""

    def column_label(self, index: int) -> str:
        """The header of column ``index``, or its letter when the header is blank."""
        h = self.headers[index] if index < len(self.headers) else ""
        return h or _column_letter(index)


def _column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_table(path: Path | str) -> RawTable:
    """Read a roster from an .xlsx workbook or a CSV file.

    Raises an ``ImportFileError`` (subclass) for anything that is not a
    readable, non-empty roster; reading never changes the database."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise ImportFileError(detail=exc.strerror or str(exc)) from exc
    if size == 0:
        raise EmptyFile()
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(limit=MAX_FILE_BYTES // (1024 * 1024))
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE: .xls or encrypted .xlsx
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedWorkbook()
        raise OldExcelFormat()
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        grid, sheet = _read_xlsx(path)
    elif suffix in (".xlsx", ".xlsm", ".xltx", ".xls"):
        raise BrokenWorkbook(detail=_("not a zip archive"))
    else:
        grid, sheet = _read_csv(path.read_bytes()), ""
    return _to_table(path.name, grid, sheet)


def _read_xlsx(path: Path) -> tuple[list[tuple[int, list[Cell]]], str]:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                raise FileTooLarge(limit=MAX_FILE_BYTES // (1024 * 1024))
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml")
                                                          for n in names):
                raise NotASpreadsheet()
    except zipfile.BadZipFile as exc:
        raise BrokenWorkbook(detail=str(exc)) from exc
    except OSError as exc:
        raise ImportFileError(detail=exc.strerror or str(exc)) from exc

    import openpyxl  # imported here: only the import/export needs it

    wb = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheets = [wb.active] + [ws for ws in wb.worksheets if ws is not wb.active]
            for ws in sheets:
                if ws is None or not hasattr(ws, "iter_rows"):
                    continue  # a chart sheet
                ws.reset_dimensions()  # some writers store a wrong sheet size
                grid = []
                for number, row in enumerate(
                        ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
                    if number > MAX_SHEET_ROWS:
                        raise TooManyRows(limit=MAX_ROWS)
                    if all(_is_blank(c) for c in row):
                        continue
                    grid.append((number, list(row)))
                    if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        raise TooManyRows(limit=MAX_ROWS)
                if grid:
                    return grid, ws.title
            return [], ""
    except ImportFileError:
        raise
    except MemoryError as exc:
        raise FileTooLarge(limit=MAX_FILE_BYTES // (1024 * 1024)) from exc
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise BrokenWorkbook(detail=f"{type(exc).__name__}: {exc}"[:200]) from exc
    finally:
        if wb is not None:
            wb.close()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnknownEncoding() from exc
    if b"\x00" in data:
        raise NotASpreadsheet()
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 covers GBK and GB2312
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnknownEncoding()


def _sniff_delimiter(text: str) -> str:
    sample_lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    sample = "\n".join(sample_lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        first = sample_lines[0] if sample_lines else ""
        counts = {d: first.count(d) for d in ",\t;"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _read_csv(data: bytes) -> list[tuple[int, list[Cell]]]:
    text = _decode(data)
    if not text.strip():
        raise EmptyFile()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text[:4096]):
        raise NotASpreadsheet()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    grid = []
    try:
        # numbered by record, as Excel numbers the rows when it opens the file
        for number, row in enumerate(reader, start=1):
            if all(_is_blank(c) for c in row):
                continue
            grid.append((number, row[:MAX_COLUMNS]))
            if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise TooManyRows(limit=MAX_ROWS)
    except csv.Error as exc:
        raise NotASpreadsheet() from exc
    return grid


def _to_table(file_name: str, grid: list[tuple[int, list[Cell]]], sheet: str) -> RawTable:
    if not grid:
        raise EmptyFile()
    # The header row is the one (of the first few) whose cells look most like headers.
    best, best_score = 0, 1
    for i, (_n, row) in enumerate(grid[:HEADER_SEARCH_ROWS]):
        score = len(guess_mapping([cell_text(c) for c in row]))
        if score > best_score:
            best, best_score = i, score
    header_number, header = grid[best]
    data = grid[best + 1:]
    if not data:
        raise NoDataRows()
    if len(data) > MAX_ROWS:
        raise TooManyRows(limit=MAX_ROWS)
    width = 0
    for _n, row in [grid[best], *data]:
        for j in range(len(row) - 1, -1, -1):
            if not _is_blank(row[j]):
                width = max(width, j + 1)
                break
    headers = [cell_text(c) for c in header[:width]] + [""] * (width - len(header))
    rows = [list(r[:width]) + [None] * (width - len(r)) for _n, r in data]
    return RawTable(file_name=file_name, headers=headers, rows=rows,
                    row_numbers=[n for n, _r in data], header_row=header_number, sheet=sheet)


# -- column mapping -----------------------------------------------------------

def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Which column holds which field, from the header texts (zh / ko / en).

    Each field goes to the first column that names it; unknown headers are
    left out (ignored on import)."""
    table = _header_table()
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for i, h in enumerate(headers):
        key = _norm(h)
        if not key:
            continue
        f = table.get(key) or table.get(re.sub(r"\(.*\)$", "", key))
        if f is None:  # "代表姓名（中文）", "手机号码（必填）" ...
            f = next((table[k] for k in sorted(table, key=len, reverse=True)
                      if len(k) >= 2 and k in key), None)
        if f is not None and f not in taken:
            mapping[i] = f
            taken.add(f)
    return mapping


# -- preview ------------------------------------------------------------------

class RowStatus(StrEnum):
    OK = "ok"
    NOTE = "note"  # valid, with something the clerk should know
    DUPLICATE = "duplicate"  # valid, but probably already there
    ERROR = "error"  # not imported


@dataclass(frozen=True)
class CellError(FieldError):
    """A FieldError of one import field; ``line`` is the mandate line of a multi-line cell."""

    line: int | None = None


@dataclass(frozen=True)
class Duplicate:
    """Why a row is probably a person already known."""

    name: str
    reason: str  # "name_birth" | "phone"
    row: int | None = None  # an earlier row of the file
    deputy_id: str | None = None  # a deputy already in the registry


@dataclass
class RowReport:
    row: int
    name: str
    deputy: dict | None = None  # the cleaned person, as create_deputy stores it
    group: str = ""
    mandates: list[dict] = field(default_factory=list)
    events: list[MandateEvent | None] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    notes: list[CellError] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors and self.deputy is not None

    @property
    def status(self) -> RowStatus:
        if not self.valid:
            return RowStatus.ERROR
        if self.duplicates:
            return RowStatus.DUPLICATE
        return RowStatus.NOTE if self.notes else RowStatus.OK


@dataclass
class ImportPreview:
    file_name: str
    mapping: dict[int, str]
    rows: list[RowReport]
    new_groups: list[str]
    defaults: dict

    @property
    def valid_count(self) -> int:
        return sum(r.valid for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(not r.valid for r in self.rows)

    @property
    def duplicate_count(self) -> int:
        return sum(r.valid and bool(r.duplicates) for r in self.rows)

    def to_import(self, *, skip_duplicates: bool) -> list[RowReport]:
        """The rows ``apply`` imports: the valid ones, without likely duplicates if asked.

        A row that repeats an earlier row of the file is skipped only when that
        earlier row is imported itself, so nobody is lost."""
        chosen, taken = [], set()
        for r in self.rows:
            if not r.valid:
                continue
            if skip_duplicates and any(d.deputy_id or d.row in taken for d in r.duplicates):
                continue
            chosen.append(r)
            taken.add(r.row)
        return chosen


def cell_text(cell: Cell) -> str:
    """A cell as text: Excel numbers without a spurious '.0', dates as ISO."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        if math.isfinite(cell) and cell.is_integer() and abs(cell) < 1e16:
            return str(int(cell))
        return repr(cell)
    return str(cell)


def _split(cell: Cell, *, loose: bool) -> list[str]:
    """The lines of a mandate cell; ``loose`` also splits on 、 , ; (level and term)."""
    if _is_blank(cell):
        return []
    if not isinstance(cell, str):
        return [cell_text(cell)]
    t = cell.replace("\r\n", "\n").replace("\r", "\n").rstrip().lstrip(" \t")
    if "\n" in t:
        return [clean(x) for x in t.split("\n")]
    pattern = r"[;；、,，/]" if loose else r"[;；]"
    return [clean(x) for x in re.split(pattern, t) if clean(x)]


_MONTH_RE = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
_EXCEL_E_RE = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)


def _date_cell(cell: Cell, *, field_name: str, allow_month: bool
               ) -> tuple[str | None, CellError | None, CellError | None]:
    """(ISO date or the text for the domain check, an error, a note)."""
    if _is_blank(cell):
        return None, None, None
    if isinstance(cell, datetime):
        return cell.date().isoformat(), None, None
    if isinstance(cell, date):
        return cell.isoformat(), None, None
    if isinstance(cell, time):
        return None, CellError(field_name, MSG_DATE), None
    text = clean(cell_text(cell))
    m = re.match(r"^(\d{4}\D\d{1,2}\D\d{1,2})\s+\d{1,2}:\d{2}(:\d{2})?$", text)
    if m:  # "1975-04-12 00:00:00" from a CSV saved by Excel
        text = m.group(1)
    try:
        d = parse_date(text)
        return (d.isoformat() if d else None), None, None
    except ValueError:
        pass
    m = _MONTH_RE.match(text)
    if not m:
        return text, None, None  # the domain check says what a date looks like
    if re.match(r"^\d{4}\.1$", text):
        return None, CellError(field_name, MSG_MONTH_AMBIGUOUS, {"value": text}), None
    if not allow_month:
        return None, CellError(field_name, MSG_FULL_DATE), None
    year, month = int(m.group(1)), int(m.group(2) or m.group(3))
    if not 1 <= month <= 12:
        return None, CellError(field_name, MSG_DATE), None
    return date(year, month, 1).isoformat(), None, CellError(field_name, MSG_BIRTH_MONTH)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def _term(text: str) -> str:
    """'第十八届', '18届', '제18기', '18th' -> '18'; anything else is returned for the domain check."""
    t = _norm(text)
    t = re.sub(r"^(第|제)", "", t)
    t = re.sub(r"(届|기|th|st|nd|rd|term)$", "", t)
    if t.isdigit():
        return t
    if t and all(c in _CN_DIGITS or c == "十" for c in t):
        if "十" in t:
            tens, _sep, ones = t.partition("十")
            n = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
        else:
            n = int("".join(str(_CN_DIGITS[c]) for c in t))
        return str(n)
    return clean(text)


class _Tables:
    """The label lookups, built once per preview (they read every catalog)."""

    def __init__(self) -> None:
        self.level = _level_table()
        self.status = _status_table()
        self.ground = _ground_table()
        self.sex = _lookup([(s.value, _translations(SEX_LABELS[s]) | set(a))
                            for s, a in _SEX_ALIASES.items()])
        self.ethnicity_cache: dict[str, str | None] = {}
        self.party_cache: dict[str, str | None] = {}

    def ethnicity(self, label: str) -> str | None:
        if label not in self.ethnicity_cache:
            self.ethnicity_cache[label] = _code_lookup(label, codes.ETHNICITY_ZH, codes.ETHNICITY,
                                                       _ETHNICITY_ALIASES)
        return self.ethnicity_cache[label]

    def party(self, label: str) -> str | None:
        if label not in self.party_cache:
            self.party_cache[label] = _code_lookup(label, codes.POLITICAL_STATUS_ZH,
                                                   codes.POLITICAL_STATUS, _PARTY_ALIASES)
        return self.party_cache[label]


def _check_mapping(mapping: dict[int, str]) -> None:
    seen: set[str] = set()
    for i, f in mapping.items():
        if i < 0 or f not in FIELD_LABELS:  # a column is counted from 0
            raise MappingError()
        if f in seen:
            raise DuplicateMapping(field=f)
        seen.add(f)
    if "name" not in seen:
        raise MappingError()


def preview(session: Session, table: RawTable, mapping: dict[int, str], *,
            defaults: dict | None = None) -> ImportPreview:
    """Clean and check every row; find likely duplicates and groups to create.

    ``defaults`` (level, term, elected_on) fill empty mandate cells.  Writes
    nothing.  Raises MappingError when no column holds the name."""
    session.require(Permission.IMPORT_EXPORT)
    mapping = {int(i): f for i, f in mapping.items() if f}
    _check_mapping(mapping)
    defaults = {k: v for k, v in (defaults or {}).items() if v not in (None, "")}
    tables = _Tables()
    known_groups = _group_index(session)
    reports = [_row_report(session, tables, table, i, mapping, defaults)
               for i in range(len(table.rows))]
    _find_duplicates(session, reports)
    new_groups: list[str] = []
    for r in reports:
        if r.valid and r.group and r.group not in known_groups and r.group not in new_groups:
            new_groups.append(r.group)
    return ImportPreview(file_name=table.file_name, mapping=mapping, rows=reports,
                         new_groups=new_groups, defaults=defaults)


def _group_index(session: Session) -> dict[str, str]:
    index: dict[str, str] = {}
    for g in registry.groups(session):
        for name in (g["name_zh"], g["name_ko"]):
            if clean(name):
                index.setdefault(clean(name), g["id"])
    return index


def _row_report(session: Session, tables: _Tables, table: RawTable, index: int,
                mapping: dict[int, str], defaults: dict) -> RowReport:
    row = table.rows[index]
    cells = {f: (row[i] if i < len(row) else None) for i, f in mapping.items()}
    report = RowReport(row=table.row_numbers[index], name=clean(cell_text(cells.get("name"))))
    errors: list[CellError] = []

    def text(f: str) -> str:
        return clean(cell_text(cells.get(f)))

    data: dict = {f: text(f) for f in ("name", "name_ko", "unit", "post", "village", "notes")}
    sex = text("sex")
    data["sex"] = tables.sex.get(_norm(sex)) if sex else None
    if sex and data["sex"] is None:
        errors.append(CellError("sex", MSG_UNKNOWN_VALUE, {"value": sex}))
    for f, lookup in (("ethnicity", tables.ethnicity), ("party", tables.party)):
        label = text(f)
        data[f] = lookup(label) if label else None
        if label and data[f] is None:
            errors.append(CellError(f, MSG_UNKNOWN_VALUE, {"value": label}))
    phone = re.sub(r"\.0$", "", text("phone"))  # a number cell from a CSV
    if "*" in phone:  # a masked export (docs/privacy.md): the number is not in the file
        report.notes.append(CellError("phone", MSG_MASKED_PHONE, {"value": phone}))
        phone = ""
    if _EXCEL_E_RE.match(phone):
        errors.append(CellError("phone", MSG_EXCEL_NUMBER, {"value": phone}))
        phone = ""
    data["phone"] = normalise_phone(phone)
    data["birth_date"], err, note = _date_cell(cells.get("birth_date"), field_name="birth_date",
                                               allow_month=True)
    errors += [err] if err else []
    report.notes += [note] if note else []
    report.group = text("group")
    if len(report.group) > 40:
        errors.append(CellError("group", MSG_GROUP_LONG, {"max": 40}))

    mandates, events, mandate_errors = _mandates(session, tables, cells, defaults)
    errors += mandate_errors
    try:
        fields, checked = registry._validate_new(session, data=data, mandates=mandates)
    except ValidationError as exc:
        for e in exc.errors:
            errors.append(_cell_error(e, len(mandates)))
    else:
        if not errors:
            errors += _check_events(session, checked, events)
        report.deputy, report.mandates, report.events = fields, checked, events
    # one message per cell: the importer's own (clearer) one wins, and a message
    # about a whole cell (line None) covers its lines
    whole = {e.field for e in errors if e.line is None}
    seen: set[tuple[str, int | None]] = set()
    for e in errors:
        if e.line is not None and e.field in whole:
            continue
        if (e.field, e.line) not in seen:
            seen.add((e.field, e.line))
            report.errors.append(e)
    if report.errors:
        report.deputy = None
    return report


def _cell_error(e: FieldError, count: int) -> CellError:
    m = re.match(r"^mandates\[(\d+)\]\.(\w+)$", e.field)
    if m:
        return CellError(m.group(2), e.msgid, e.params,
                         line=int(m.group(1)) + 1 if count > 1 else None)
    return CellError(e.field, e.msgid, e.params)


def _mandates(session: Session, tables: _Tables, cells: dict, defaults: dict
              ) -> tuple[list[dict], list[tuple | None], list[CellError]]:
    """The mandate dicts of a row (for validate_mandate) and the exit of each, if any."""
    errors: list[CellError] = []
    lines = {f: _split(cells.get(f), loose=f in ("level", "term")) for f in MANDATE_IMPORT_FIELDS}
    for f in ("level", "term", "elected_on"):
        if not lines[f] and f in defaults:
            value = defaults[f]
            lines[f] = [value.value if isinstance(value, Level) else cell_text(value)]
    n = len(lines["level"]) or max(len(lines["term"]), len(lines["elected_on"]), 1)
    for f, values in lines.items():
        broadcast = f in ("term", "elected_on")
        if len(values) == n or (broadcast and len(values) == 1) or (not broadcast and len(values) < n):
            continue
        errors.append(CellError(f, MSG_LINES, {"count": len(values), "mandates": n}))
        lines[f] = []

    def at(f: str, i: int) -> str:
        values = lines[f]
        if len(values) == 1 and f in ("term", "elected_on"):
            return values[0]
        return values[i] if i < len(values) else ""

    elected_cell = cells.get("elected_on")
    mandates, events = [], []
    for i in range(n):
        line = i + 1 if n > 1 else None
        level_text = at("level", i)
        level = tables.level.get(_strip_level(_norm(level_text))) if level_text else None
        if level_text and level is None:
            errors.append(CellError("level", MSG_UNKNOWN_VALUE, {"value": level_text}, line))
        # a real date cell keeps its type; a line of text is parsed like one
        raw_elected = elected_cell if (n == 1 and isinstance(elected_cell, (date, datetime))) \
            else at("elected_on", i)
        elected, err, _note = _date_cell(raw_elected, field_name="elected_on", allow_month=False)
        if err:
            errors.append(CellError(err.field, err.msgid, err.params, line))
        mandates.append({"level": level.value if isinstance(level, Level) else (level or ""),
                         "term": _term(at("term", i)), "constituency": at("constituency", i),
                         "elected_on": elected})

        status_text = at("status", i)
        status = tables.status.get(_norm(status_text)) if status_text else MandateStatus.ACTIVE
        if status is None:
            errors.append(CellError("status", MSG_UNKNOWN_VALUE, {"value": status_text}, line))
        if status in (MandateStatus.SUSPENDED, MandateStatus.TERMINATED):
            raw_since = cells.get("status_date") if n == 1 else at("status_date", i)
            since, err, _note = _date_cell(raw_since, field_name="status_date", allow_month=False)
            if err:
                errors.append(CellError(err.field, err.msgid, err.params, line))
            ground_text = at("ground", i)
            ground = tables.ground.get(_norm(ground_text)) if ground_text else None
            if ground_text and ground is None:
                errors.append(CellError("ground", MSG_UNKNOWN_VALUE, {"value": ground_text}, line))
            kind = (MandateEventKind.SUSPENDED if status is MandateStatus.SUSPENDED
                    else MandateEventKind.TERMINATED)
            events.append((kind, since, ground, at("doc_no", i), line))
        else:
            events.append(None)
    return mandates, events, errors


_EVENT_FIELDS = {"on": "status_date", "ground": "ground", "doc_no": "doc_no", "detail": "notes"}


def _check_events(session: Session, mandates: list[dict], events: list[tuple | None]
                  ) -> list[CellError]:
    """Check each exit against its mandate; on success ``events`` holds MandateEvents."""
    errors = []
    for i, (m, ev) in enumerate(zip(mandates, events)):
        if ev is None:
            continue
        kind, since, ground, doc_no, line = ev
        if not since:
            errors.append(CellError("status_date", N_("This field is required."), {}, line))
            continue
        event = MandateEvent(kind, date.fromisoformat(since), ground, "", doc_no)
        try:
            apply_event(initial_state(date.fromisoformat(m["elected_on"])), event,
                        today=session.today())
        except ValidationError as exc:
            errors += [CellError(_EVENT_FIELDS.get(e.field, e.field), e.msgid, e.params, line)
                       for e in exc.errors]
        except DomainError as exc:
            errors.append(CellError("status", exc.msgid, exc.params, line))
        else:
            events[i] = event
    return errors


def _find_duplicates(session: Session, reports: list[RowReport]) -> None:
    """Likely duplicates: same name and birth date, or same phone; in the file and the registry."""
    by_name_birth: dict[tuple[str, str], list[dict]] = {}
    by_phone: dict[str, list[dict]] = {}
    total = registry.count(session, DeputyFilter())
    for d in registry.page(session, DeputyFilter(), offset=0, limit=max(total, 1)):
        if d["birth_date"]:
            by_name_birth.setdefault((d["name"], d["birth_date"]), []).append(d)
        if d["phone"]:
            by_phone.setdefault(d["phone"], []).append(d)
    seen_name_birth: dict[tuple[str, str], RowReport] = {}
    seen_phone: dict[str, RowReport] = {}
    for r in reports:
        if r.deputy is None:
            continue
        keys = []
        if r.deputy["birth_date"]:
            keys.append(("name_birth", (r.deputy["name"], r.deputy["birth_date"]),
                         by_name_birth, seen_name_birth))
        if r.deputy["phone"]:
            keys.append(("phone", r.deputy["phone"], by_phone, seen_phone))
        found: dict[tuple, Duplicate] = {}
        for reason, key, in_db, in_file in keys:
            for d in in_db.get(key, []):
                found.setdefault(("db", d["id"]), Duplicate(d["name"], reason, deputy_id=d["id"]))
            earlier = in_file.get(key)
            if earlier is not None:
                found.setdefault(("row", earlier.row), Duplicate(earlier.name, reason,
                                                                 row=earlier.row))
            else:
                in_file[key] = r
        r.duplicates = list(found.values())


# -- apply --------------------------------------------------------------------

@dataclass(frozen=True)
class ImportResult:
    changes: Changes
    imported: int
    skipped_invalid: int
    skipped_duplicates: int
    groups_created: list[str]


def _is_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text) and not any(
        "\u4e00" <= ch <= "\u9fff" for ch in text)


def apply(session: Session, preview: ImportPreview, *, skip_duplicates: bool) -> ImportResult:
    """Import the valid rows of ``preview`` in one transaction, creating missing groups.

    Rows with errors are never imported; an error part-way leaves the database
    as it was.  Records one audit entry "import" with the file name and counts."""
    session.require(Permission.IMPORT_EXPORT)
    rows = preview.to_import(skip_duplicates=skip_duplicates)
    skipped_duplicates = preview.valid_count - len(rows)
    if not rows:
        return ImportResult(Changes(), 0, preview.error_count, skipped_duplicates, [])
    today = session.today()
    deputy_ids: list[str] = []
    created: list[str] = []
    with session.write():
        groups = _group_index(session)
        for r in rows:
            if r.group and r.group not in groups:
                gid = registry.create_group(
                    session, name_zh=r.group,
                    name_ko=r.group if _is_hangul(r.group) else "").created_id
                groups[r.group] = gid
                created.append(r.group)
        for r in rows:
            fields = dict(r.deputy, group_id=groups[r.group] if r.group else None)
            deputy_id, mandate_ids = registry._insert_new(session, fields=fields,
                                                          mandates=r.mandates)
            for mandate_id, m, event in zip(mandate_ids, r.mandates, r.events):
                if event is not None:
                    before = initial_state(date.fromisoformat(m["elected_on"]))
                    after = apply_event(before, event, today=today)
                    registry._write_event(session, mandate_id=mandate_id, before=before,
                                          event=event, after=after)
            deputy_ids.append(deputy_id)
        session.audit("import", "roster", None, after={
            "file": preview.file_name, "imported": len(rows),
            "skipped_invalid": preview.error_count, "skipped_duplicates": skipped_duplicates,
            "groups_created": created})
    changes = Changes.of(*registry.TABLES, "deputy_groups", ids=deputy_ids)
    return ImportResult(changes, len(rows), preview.error_count, skipped_duplicates, created)


# -- export -------------------------------------------------------------------

def _ethnicity_label(code: str | None) -> str:
    if not code:
        return ""
    if current_language() == "zh_CN":
        return codes.ETHNICITY_ZH.get(code, code)
    return _(codes.ETHNICITY[code]) if code in codes.ETHNICITY else code


def _party_label(code: str | None) -> str:
    if not code:
        return ""
    if current_language() == "zh_CN":
        return codes.POLITICAL_STATUS_ZH.get(code, code)
    return _(codes.POLITICAL_STATUS[code]) if code in codes.POLITICAL_STATUS else code


def _exit_of(session: Session, m: dict) -> tuple[str, str, str]:
    """(date, ground label, document number) of a suspended or terminated mandate."""
    status = MandateStatus(m["status"])
    if status is MandateStatus.ACTIVE:
        return "", "", ""
    kind = "suspended" if status is MandateStatus.SUSPENDED else "terminated"
    events = [e for e in store.events_of_mandate(session.db, m["id"]) if e["kind"] == kind]
    last = events[-1] if events else {}
    ground = (m["end_ground"] if status is MandateStatus.TERMINATED else last.get("ground")) or ""
    labels = {**TERMINATION_LABELS, **SUSPENSION_LABELS}
    ground_label = _(labels[ground]) if ground in labels else ground
    on = m["ended_on"] if status is MandateStatus.TERMINATED else m["status_since"]
    return on or "", ground_label, last.get("doc_no") or ""


def _export_row(session: Session, d: dict) -> list[Cell]:
    mandates = d["mandates"]
    exits = [_exit_of(session, m) for m in mandates]

    def lines(values: list[str]) -> str:
        return "\n".join(values).rstrip("\n")

    def date_lines(values: list[str]):
        if len(values) == 1 and values[0]:
            return date.fromisoformat(values[0])
        return lines(values) or None

    levels = [_(LEVEL_LABELS[Level(m["level"])]) for m in mandates]
    return [
        d["name"], d["name_ko"],
        _(SEX_LABELS[Sex(d["sex"])]) if d["sex"] else "",
        _ethnicity_label(d["ethnicity"]),
        date.fromisoformat(d["birth_date"]) if d["birth_date"] else None,
        # the group's Chinese name is its required, unique name: it maps back on import
        _party_label(d["party"]), d["unit"], d["post"], d["phone"], d["village"], d["group_name"],
        lines(levels),
        mandates[0]["term"] if len(mandates) == 1 else lines([str(m["term"]) for m in mandates]),
        lines([m["constituency"] or "" for m in mandates]),
        date_lines([m["elected_on"] for m in mandates]),
        lines([_(STATUS_LABELS[MandateStatus(m["status"])]) for m in mandates]),
        date_lines([e[0] for e in exits]) if any(e[0] for e in exits) else None,
        lines([e[1] for e in exits]), lines([e[2] for e in exits]),
        d.get("notes") or "",
    ]


def _display_width(text: str) -> int:
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)


def export_xlsx(session: Session, path: Path | str, filt: DeputyFilter | None = None, *,
                full_phones: bool = False) -> int:
    """Write the roster (deputies matching ``filt``) to an .xlsx file; returns the row count.

    Phones are masked (domain/masking.py) unless ``full_phones``, which needs
    REVEAL_PERSONAL: the full file is the one the county's office keeps to
    reach its deputies (docs/privacy.md).

    Headers and labels are in the current UI language; one row per deputy, with
    one line per mandate in the mandate columns.  The file is written beside
    the target and renamed over it, so a failed export leaves no half file.
    Raises ExportFileError when the target cannot be written."""
    session.require(Permission.IMPORT_EXPORT)
    if full_phones:
        session.require(Permission.REVEAL_PERSONAL)
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    deputies = registry.roster(session, filt)
    for d in deputies:  # the notes are not in the list query
        d["notes"] = (store.raw(session.db, d["id"]) or {}).get("notes") or ""
        if not full_phones:
            d["phone"] = mask_phone(d["phone"])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _("Deputies")[:31]
    headers = [_(FIELD_LABELS[f]) for f in FIELDS]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    widths = [_display_width(h) for h in headers]
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    text_columns = {FIELDS.index(f) for f in ("phone", "doc_no")}
    for row_number, d in enumerate(deputies, start=2):
        values = _export_row(session, d)
        ws.append(values)
        multi_line = any(isinstance(v, str) and "\n" in v for v in values)
        for j, v in enumerate(values):
            cell = ws.cell(row=row_number, column=j + 1)
            if isinstance(v, date):
                cell.number_format = "yyyy-mm-dd"
                widths[j] = max(widths[j], 10)
            else:
                widths[j] = max(widths[j], _display_width(cell_text(v)))
                if j in text_columns:
                    cell.number_format = "@"
            if multi_line:  # styles are costly per cell: only rows that need them
                cell.alignment = wrap if isinstance(v, str) and "\n" in v else top
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(w + 2, 6), 50)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".roster-", suffix=".xlsx.tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        wb.save(tmp)
        # on the disk before the rename: a full disk often shows only here, and a
        # power cut must not leave an empty file under the final name
        fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        with contextlib.suppress(DomainError):  # the disk may refuse the audit row too
            _record_export(session, path, len(deputies), filt, result="failed",
                           error=exc.strerror or str(exc), full_phones=full_phones)
        raise ExportFileError(path=str(path), detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    _record_export(session, path, len(deputies), filt, full_phones=full_phones)
    return len(deputies)


def _record_export(session: Session, path: Path, rows: int, filt: DeputyFilter | None, *,
                   result: str = "ok", error: str = "", full_phones: bool = False) -> None:
    """The export in the audit trail: the file's name, the rows, the filter and
    whether the phones were written in full."""
    criteria = {k: v for k, v in (dataclasses.asdict(filt) if filt else {}).items()
                if k not in ("sort", "descending") and v not in (None, "", False)}
    after = {"file": path.name, "format": "xlsx", "rows": rows, "filter": criteria}
    if full_phones:
        after["full_phones"] = True
    if error:
        after["error"] = error
    with session.write():
        session.audit("export", "roster", None, after=after, result=result)
