"""The performance ledger, suggestions, evaluation schemes and results, model
deputies and publicity (issue 5).

The ``*_rows`` readers give the raw rows derived entries are made from; they
are read every time, never copied into ``ledger_entries``.  :func:`tally_counts`
returns grouped counts ``(deputy_id, kind, year, quarter, n)`` for every
deputy in a date range: the evaluation of a county's ten thousand deputies
reads them in one grouped scan per source.
"""
from __future__ import annotations

import json

import sqlite_utils

from station_desk.storage.sync import new_id

_TABLES = ("ledger_entries", "ledger_evidence", "suggestions", "eval_schemes", "eval_runs",
           "eval_results", "model_deputies", "publicity")

# activity kinds that are a meeting / a report-back / training in the ledger
_ACTIVITY_KIND_SQL = (
    "CASE WHEN a.kind IN ('meeting', 'supervision_meeting') THEN 'meeting' "
    "WHEN a.kind = 'report_back' THEN 'report_back' "
    "WHEN a.kind = 'learning' THEN 'training' ELSE 'activity' END")
_ATTENDANCE_SQL = (
    f"CASE i.attendance WHEN 'present' THEN {_ACTIVITY_KIND_SQL} "
    "WHEN 'absent' THEN 'activity_absence' ELSE 'activity_leave' END")


def insert(db: sqlite_utils.Database, table: str, *, origin: str, fields: dict) -> str:
    if table not in _TABLES:
        raise ValueError(table)
    row_id = new_id()
    db[table].insert({"id": row_id, "origin": origin, **fields})
    return row_id


def update(db: sqlite_utils.Database, table: str, row_id: str, fields: dict) -> None:
    if table not in _TABLES:
        raise ValueError(table)
    db[table].update(row_id, fields)


def get(db: sqlite_utils.Database, table: str, row_id: str) -> dict | None:
    if table not in _TABLES:
        raise ValueError(table)
    rows = list(db.query(f"SELECT * FROM {table} WHERE id = ? AND deleted = 0", [row_id]))
    return rows[0] if rows else None


# -- declared entries and their evidence -------------------------------------------------

def declared(db: sqlite_utils.Database, deputy_id: str, since: str, until: str) -> list[dict]:
    return list(db.query(
        "SELECT e.*, (SELECT count(*) FROM ledger_evidence v WHERE v.entry_id = e.id "
        "AND v.deleted = 0) AS evidence_count FROM ledger_entries e "
        "WHERE e.deputy_id = ? AND e.deleted = 0 AND e.on_date BETWEEN ? AND ? "
        "ORDER BY e.on_date, e.rowid", [deputy_id, since, until]))


def pending(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query(
        "SELECT e.*, d.name, d.name_ko FROM ledger_entries e JOIN deputies d ON d.id = e.deputy_id "
        "WHERE e.review = 'pending' AND e.deleted = 0 AND d.deleted = 0 "
        "ORDER BY e.declared_at, e.rowid"))


def evidence_of(db: sqlite_utils.Database, entry_id: str) -> list[dict]:
    return list(db.query(
        "SELECT id, name, mime, length(data) AS size FROM ledger_evidence "
        "WHERE entry_id = ? AND deleted = 0 ORDER BY rowid", [entry_id]))


def evidence_data(db: sqlite_utils.Database, evidence_id: str) -> dict | None:
    rows = list(db.query("SELECT name, mime, data FROM ledger_evidence "
                         "WHERE id = ? AND deleted = 0", [evidence_id]))
    return rows[0] if rows else None


# -- rows the derived entries are made from ------------------------------------------------

def activity_rows(db: sqlite_utils.Database, deputy_id: str, since: str, until: str) -> list[dict]:
    """Marked invitations of the deputy to held activities in [since, until] (dates)."""
    return list(db.query(
        f"SELECT a.id, substr(a.starts_at, 1, 10) AS day, a.title, a.kind AS activity_kind, "
        f"i.attendance, i.leave_reason, {_ATTENDANCE_SQL} AS kind "
        "FROM activity_invitees i JOIN activities a ON a.id = i.activity_id "
        "WHERE i.deputy_id = ? AND i.deleted = 0 AND a.deleted = 0 AND a.status = 'held' "
        "AND i.attendance <> 'unmarked' AND a.starts_at >= ? AND a.starts_at < ? "
        "ORDER BY a.starts_at", [deputy_id, since, until + "T99"]))


def duty_rows(db: sqlite_utils.Database, deputy_id: str, since: str, until: str) -> list[dict]:
    """Reception days the deputy was on duty (not cancelled, not after ``until``)."""
    return list(db.query(
        "SELECT d.id, d.day, d.place FROM duty_assignments a "
        "JOIN reception_days d ON d.id = a.day_id "
        "WHERE a.deputy_id = ? AND a.deleted = 0 AND d.deleted = 0 AND d.cancelled = 0 "
        "AND d.day BETWEEN ? AND ? ORDER BY d.day", [deputy_id, since, until]))


def case_rows(db: sqlite_utils.Database, deputy_id: str, since: str, until: str) -> list[dict]:
    """Cases the deputy was on duty for or handled (closed ones left out)."""
    return list(db.query(
        "SELECT c.id, c.number, c.registered_on AS day, c.category, c.confidential, "
        "c.state, c.outcome, min(cd.role) AS role FROM case_deputies cd "
        "JOIN cases c ON c.id = cd.case_id "
        "WHERE cd.deputy_id = ? AND cd.deleted = 0 AND c.deleted = 0 AND c.state <> 'closed' "
        "AND c.registered_on BETWEEN ? AND ? GROUP BY c.id ORDER BY c.registered_on",
        [deputy_id, since, until]))


def practical_rows(db: sqlite_utils.Database, deputy_id: str, since: str,
                   until: str) -> list[dict]:
    return list(db.query(
        "SELECT m.id, m.title, m.started_on AS day, m.stage, m.percent FROM practical_deputies p "
        "JOIN practical_matters m ON m.id = p.matter_id "
        "WHERE p.deputy_id = ? AND p.deleted = 0 AND m.deleted = 0 "
        "AND m.started_on BETWEEN ? AND ? ORDER BY m.started_on", [deputy_id, since, until]))


def suggestion_rows(db: sqlite_utils.Database, *, deputy_id: str | None = None,
                    since: str | None = None, until: str | None = None) -> list[dict]:
    clauses, params = ["s.deleted = 0", "d.deleted = 0"], []
    if deputy_id:
        clauses.append("s.deputy_id = ?")
        params.append(deputy_id)
    if since:
        clauses.append("s.submitted_on >= ?")
        params.append(since)
    if until:
        clauses.append("s.submitted_on <= ?")
        params.append(until)
    return list(db.query(
        "SELECT s.*, d.name, d.name_ko FROM suggestions s JOIN deputies d ON d.id = s.deputy_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY s.submitted_on, s.rowid", params))


def model_rows(db: sqlite_utils.Database, deputy_id: str | None = None) -> list[dict]:
    where, params = ("AND m.deputy_id = ?", [deputy_id]) if deputy_id else ("", [])
    return list(db.query(
        "SELECT m.*, d.name, d.name_ko FROM model_deputies m JOIN deputies d ON d.id = m.deputy_id "
        f"WHERE m.deleted = 0 AND d.deleted = 0 {where} ORDER BY m.year DESC, d.name", params))


def publicity_rows(db: sqlite_utils.Database, deputy_id: str | None = None) -> list[dict]:
    where, params = ("AND p.deputy_id = ?", [deputy_id]) if deputy_id else ("", [])
    return list(db.query(
        "SELECT p.*, d.name, d.name_ko FROM publicity p JOIN deputies d ON d.id = p.deputy_id "
        f"WHERE p.deleted = 0 AND d.deleted = 0 {where} ORDER BY p.on_date DESC", params))


# -- the whole station at once (evaluation) -------------------------------------------------

def _quarter_sql(column: str) -> str:
    return (f"CAST(substr({column}, 1, 4) AS INTEGER), "
            f"(CAST(substr({column}, 6, 2) AS INTEGER) + 2) / 3")


def tally_counts(db: sqlite_utils.Database, since: str, until: str):
    """(deputy_id, kind, year, quarter, count) of every entry, derived or
    approved, of every deputy between the dates (self-assessments aside: see
    :func:`self_assessments`); one grouped scan per source, so a county's
    millions of entries reach Python as a few hundred thousand counts."""
    yield from db.execute(
        f"SELECT i.deputy_id, {_ATTENDANCE_SQL}, {_quarter_sql('a.starts_at')}, count(*) "
        "FROM activities a CROSS JOIN activity_invitees i ON i.activity_id = a.id "
        "WHERE a.starts_at >= ? AND a.starts_at < ? AND a.deleted = 0 AND a.status = 'held' "
        "AND i.deleted = 0 AND i.attendance IN ('present', 'absent') "
        "AND +i.deputy_id IS NOT NULL GROUP BY 1, 2, 3, 4", [since, until + "T99"])
    yield from db.execute(
        f"SELECT a.deputy_id, 'reception', {_quarter_sql('d.day')}, count(*) "
        "FROM reception_days d CROSS JOIN duty_assignments a ON a.day_id = d.id "
        "WHERE d.day BETWEEN ? AND ? AND d.deleted = 0 AND d.cancelled = 0 AND a.deleted = 0 "
        "GROUP BY 1, 3, 4", [since, until])
    yield from db.execute(
        f"SELECT deputy_id, 'case', {_quarter_sql('day')}, count(*) FROM ("
        "SELECT DISTINCT cd.deputy_id, cd.case_id, c.registered_on AS day FROM cases c "
        "CROSS JOIN case_deputies cd ON cd.case_id = c.id "
        "WHERE c.registered_on BETWEEN ? AND ? AND c.deleted = 0 AND c.state <> 'closed' "
        "AND cd.deleted = 0) GROUP BY 1, 3, 4", [since, until])
    yield from db.execute(
        f"SELECT p.deputy_id, 'practical', {_quarter_sql('m.started_on')}, count(*) "
        "FROM practical_matters m CROSS JOIN practical_deputies p ON p.matter_id = m.id "
        "WHERE m.started_on BETWEEN ? AND ? AND m.deleted = 0 AND p.deleted = 0 "
        "GROUP BY 1, 3, 4", [since, until])
    yield from db.execute(
        f"SELECT deputy_id, 'suggestion', {_quarter_sql('submitted_on')}, count(*) "
        "FROM suggestions WHERE submitted_on BETWEEN ? AND ? AND deleted = 0 "
        "GROUP BY 1, 3, 4", [since, until])
    yield from db.execute(
        "SELECT deputy_id, 'award', year, 4, count(*) FROM model_deputies "
        "WHERE printf('%04d-12-31', year) BETWEEN ? AND ? AND deleted = 0 GROUP BY 1, 3",
        [since, until])
    yield from db.execute(
        f"SELECT deputy_id, 'publicity', {_quarter_sql('on_date')}, count(*) FROM publicity "
        "WHERE on_date BETWEEN ? AND ? AND deleted = 0 GROUP BY 1, 3, 4", [since, until])
    yield from db.execute(
        f"SELECT deputy_id, kind, {_quarter_sql('on_date')}, count(*) FROM ledger_entries "
        "WHERE on_date BETWEEN ? AND ? AND review = 'approved' AND deleted = 0 "
        "AND kind <> 'self_assessment' GROUP BY 1, 2, 3, 4", [since, until])


def self_assessments(db: sqlite_utils.Database, since: str, until: str):
    """(deputy_id, on_date, score) of the approved self-assessments between the
    dates, oldest first."""
    yield from db.execute(
        "SELECT deputy_id, on_date, score FROM ledger_entries WHERE kind = 'self_assessment' "
        "AND on_date BETWEEN ? AND ? AND review = 'approved' AND deleted = 0 "
        "ORDER BY on_date, rowid", [since, until])


def deputies_for_evaluation(db: sqlite_utils.Database, since: str, until: str) -> list[dict]:
    """Live deputies with a mandate active at some time in [since, until]."""
    return list(db.query(
        "SELECT d.id, d.name, d.name_ko FROM deputies d WHERE d.deleted = 0 AND EXISTS ("
        "SELECT 1 FROM mandates m WHERE m.deputy_id = d.id AND m.deleted = 0 "
        "AND m.elected_on <= ? AND (m.ended_on IS NULL OR m.ended_on >= ?)) ORDER BY d.name",
        [until, since]))


def session_absences(db: sqlite_utils.Database) -> dict[str, int]:
    return {r[0]: r[1] for r in db.execute(
        "SELECT deputy_id, count(*) FROM ledger_entries WHERE kind = 'session_absence' "
        "AND review = 'approved' AND deleted = 0 GROUP BY deputy_id")}


def active_between(db: sqlite_utils.Database, since: str, until: str) -> set[str]:
    """Deputies with at least one activity-showing entry in [since, until]."""
    return {r[0] for r in tally_counts(db, since, until)
            if r[1] not in ("activity_absence", "session_absence")}


# -- schemes and results ---------------------------------------------------------------------

def active_scheme(db: sqlite_utils.Database) -> dict | None:
    rows = list(db.query("SELECT * FROM eval_schemes WHERE active = 1 AND deleted = 0 "
                         "ORDER BY saved_at DESC, rowid DESC LIMIT 1"))
    return rows[0] if rows else None


def deactivate_schemes(db: sqlite_utils.Database) -> None:
    db.execute("UPDATE eval_schemes SET active = 0 WHERE active = 1")


def run_of(db: sqlite_utils.Database, period: str) -> dict | None:
    rows = list(db.query("SELECT * FROM eval_runs WHERE period = ? AND deleted = 0 "
                         "ORDER BY computed_at DESC, rowid DESC LIMIT 1", [period]))
    return rows[0] if rows else None


def runs(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM eval_runs WHERE deleted = 0 ORDER BY period DESC"))


def drop_run(db: sqlite_utils.Database, run_id: str) -> None:
    db.execute("UPDATE eval_results SET deleted = 1 WHERE run_id = ? AND deleted = 0", [run_id])
    db.execute("UPDATE eval_runs SET deleted = 1 WHERE id = ?", [run_id])


def insert_results(db: sqlite_utils.Database, *, origin: str, run_id: str,
                   rows: list[dict]) -> None:
    db["eval_results"].insert_all(
        ({"id": new_id(), "origin": origin, "run_id": run_id, "deputy_id": r["deputy_id"],
          "total": r["total"], "grade": r["grade"], "rank": r["rank"],
          "items": json.dumps(r["items"], ensure_ascii=False),
          "warnings": json.dumps(r["warnings"], ensure_ascii=False)} for r in rows),
        batch_size=500)


def results(db: sqlite_utils.Database, run_id: str) -> list[dict]:
    out = []
    for r in db.query(
            "SELECT r.*, d.name, d.name_ko FROM eval_results r JOIN deputies d "
            "ON d.id = r.deputy_id WHERE r.run_id = ? AND r.deleted = 0 ORDER BY r.rank, d.name",
            [run_id]):
        r["items"] = json.loads(r["items"])
        r["warnings"] = json.loads(r["warnings"])
        out.append(r)
    return out


def grades_of_years(db: sqlite_utils.Database, years: list[int]) -> dict[int, dict[str, str]]:
    """Year -> deputy -> grade of the newest run of each whole-year period."""
    out: dict[int, dict[str, str]] = {}
    for y in years:
        run = run_of(db, str(y))
        if run:
            out[y] = {r[0]: r[1] for r in db.execute(
                "SELECT deputy_id, grade FROM eval_results WHERE run_id = ? AND deleted = 0",
                [run["id"]])}
    return out


def deputy_result(db: sqlite_utils.Database, deputy_id: str, period: str) -> dict | None:
    run = run_of(db, period)
    if not run:
        return None
    rows = list(db.query("SELECT * FROM eval_results WHERE run_id = ? AND deputy_id = ? "
                         "AND deleted = 0", [run["id"], deputy_id]))
    if not rows:
        return None
    r = rows[0]
    r["items"] = json.loads(r["items"])
    r["warnings"] = json.loads(r["warnings"])
    r["approved_by"] = run["approved_by"]
    return r
