"""The audit trail for the auditor: list with filters, check the chain, export.

Reading the trail needs the VIEW_AUDIT permission (auditor); the export is
itself written to the trail.
"""
from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta
from pathlib import Path

from station_desk.domain.accounts import Permission
from station_desk.domain.audit import ChainReport, check_chain
from station_desk.domain.errors import DiskFull, DomainError, N_
from station_desk.i18n import _
from station_desk.services.documents import write_atomically
from station_desk.services.session import Session
from station_desk.storage import audit as store, db as storage_db

EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_COLUMNS = ("seq", "at", "actor", "action", "object_type", "object_id", "result",
                  "before", "after", "hash")
EXPORT_HEADERS = {
    "seq": N_("No."), "at": N_("Time"), "actor": N_("Who"), "action": N_("Action"),
    "object_type": N_("Object"), "object_id": N_("Object id"), "result": N_("Result"),
    "before": N_("Before"), "after": N_("After"), "hash": N_("Hash"),
}


class BadExportFormat(DomainError):
    msgid = N_("The audit trail can be exported as .csv or .xlsx, not “{suffix}”.")


def _filters(*, actor: str | None = None, action: str | None = None,
             object_type: str | None = None, since: date | None = None,
             until: date | None = None, result: str | None = None,
             search: str = "") -> dict:
    """The filters in the storage's terms: ``until`` is inclusive here, exclusive there."""
    return {"actor": actor or None, "action": action or None,
            "object_type": object_type or None, "result": result or None,
            "since": since.isoformat() if since else None,
            "until": (until + timedelta(days=1)).isoformat() if until else None,
            "search": (search or "").strip()}


def entries(session: Session, *, limit: int = 200, offset: int = 0, **filters) -> list[dict]:
    """Rows of the trail, newest first.  Filters: ``actor``, ``action``,
    ``object_type``, ``result`` (exact), ``since`` / ``until`` (dates, both
    inclusive), ``search`` (every word somewhere in the row)."""
    session.require(Permission.VIEW_AUDIT)
    return store.page(session.db, limit=limit, offset=offset, **_filters(**filters))


def count(session: Session, **filters) -> int:
    """How many rows :func:`entries` gives for ``filters``."""
    session.require(Permission.VIEW_AUDIT)
    return store.count(session.db, **_filters(**filters))


def choices(session: Session) -> dict[str, list[str]]:
    """The actors, actions and object types found in the trail (for the filters)."""
    session.require(Permission.VIEW_AUDIT)
    return {c: store.distinct(session.db, c) for c in ("actor", "action", "object_type")}


def _verify_db(db) -> ChainReport:
    started = time.perf_counter()
    report = check_chain(store.chain_rows(db), store.head(db))
    return ChainReport(report.checked, report.problem, report.seq, report.detail,
                       seconds=time.perf_counter() - started)


def verify(session: Session) -> ChainReport:
    """Check the whole chain on the session's connection: ok, or the first row
    where it breaks and how (edited, removed, reordered, tail cut, added)."""
    session.require(Permission.VIEW_AUDIT)
    return _verify_db(session.db)


def verify_file(db_path: Path | str) -> ChainReport:
    """:func:`verify` on a connection of its own (for a worker thread).  The caller
    checks the permission before starting it."""
    db = storage_db.open_database(Path(db_path))
    try:
        return _verify_db(db)
    finally:
        storage_db.close(db)


def _cell(row: dict, column: str) -> object:
    value = row.get(column)
    if column in ("before", "after"):
        return "" if value is None else "; ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else value


def export(session: Session, *, out: Path | str, **filters) -> int:
    """Write the rows matching ``filters`` (see :func:`entries`) to ``out``, a .csv
    (UTF-8 with BOM, so Excel reads Chinese and Korean) or .xlsx file, written
    atomically; returns the number of rows.  The export is recorded in the trail,
    also when it fails (result "failed")."""
    session.require(Permission.VIEW_AUDIT)
    out = Path(out)
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in EXPORT_FORMATS:
        raise BadExportFormat(suffix=out.suffix or out.name)
    flt = _filters(**filters)
    total = store.count(session.db, **flt)
    headers = [_(EXPORT_HEADERS[c]) for c in EXPORT_COLUMNS]

    def rows():
        for offset in range(0, total, 2000):
            for r in store.page(session.db, limit=2000, offset=offset, **flt):
                yield [_cell(r, c) for c in EXPORT_COLUMNS]

    audit_after = {"file": out.name, "format": suffix, "rows": total,
                   "filters": {k: v for k, v in flt.items() if v}}
    try:
        if suffix == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(headers)
            writer.writerows(rows())
            data = buf.getvalue().encode("utf-8-sig")
        else:
            data = _xlsx(headers, rows())
        write_atomically(out, data)
    except (DiskFull, OSError) as exc:
        with session.write():
            session.audit("export", "audit", None, after={**audit_after, "error": str(exc)},
                          result="failed")
        raise
    with session.write():
        session.audit("export", "audit", None, after=audit_after)
    return total


def _xlsx(headers: list[str], rows) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(_("Audit trail")[:31])
    for i, width in enumerate((7, 26, 12, 14, 16, 38, 9, 40, 40, 20), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
