"""The evaluation of every deputy for a period: the scheme in use, computing,
stored results with who approved them, the ranking and the warnings."""
from __future__ import annotations

import json
from datetime import date
from typing import Callable

from station_desk.domain import evaluation as dom
from station_desk.domain.accounts import Permission
from station_desk.domain.changes import Changes
from station_desk.domain.evaluation import Period, Tally
from station_desk.services.session import Session
from station_desk.storage import ledger as store

EVAL_TABLES = ("eval_runs", "eval_results")
Progress = Callable[[int, int], object]


def preset(name: str) -> dict:
    """A fresh copy of a preset scheme (hunchun, yinchuan, jingmen_dongbao)."""
    return dom.validate_scheme(dom.PRESETS[name]())


def scheme(session: Session) -> dict:
    """The scheme in use: the last one saved, else the default (Hunchun)."""
    row = store.active_scheme(session.db)
    if row is None:
        return preset(dom.DEFAULT_PRESET) | {"id": None}
    return dom.validate_scheme(json.loads(row["body"])) | {"id": row["id"]}


def save_scheme(session: Session, *, scheme: dict) -> Changes:
    """Validate and store ``scheme`` as the one in use.  A wrong scheme raises
    ValidationError and leaves the saved scheme and every result as they were."""
    session.require(Permission.APPROVE)
    body = {k: v for k, v in scheme.items() if k != "id"}
    clean = dom.validate_scheme(body)
    with session.write():
        store.deactivate_schemes(session.db)
        row_id = store.insert(session.db, "eval_schemes", origin=session.station_code, fields={
            "name": clean["name"], "preset": clean.get("preset", ""),
            "body": json.dumps(clean, ensure_ascii=False), "active": 1,
            "saved_at": session.now_iso(), "saved_by": session.actor})
        session.audit("save", "eval_scheme", row_id, after={"name": clean["name"]})
    return Changes.of("eval_schemes", ids=[row_id], created_id=row_id)


def _tallies(session: Session, since: str, until: str,
             ids: set[str] | None = None) -> dict[str, Tally]:
    out: dict[str, Tally] = {}

    def of(deputy_id: str) -> Tally | None:
        if ids is not None and deputy_id not in ids:
            return None
        t = out.get(deputy_id)
        if t is None:
            t = out[deputy_id] = Tally()
        return t

    for deputy_id, kind, year, quarter, n in store.tally_counts(session.db, since, until):
        t = of(deputy_id)
        if t is not None:
            t.add_count(kind, year, quarter, n)
    for deputy_id, day, score in store.self_assessments(session.db, since, until):
        t = of(deputy_id)
        if t is not None:
            t.add("self_assessment", day, score)
    return out


def compute(session: Session, *, period: str, scheme_body: dict | None = None,
            progress: Progress | None = None) -> list[dict]:
    """Score every deputy serving in ``period`` (nothing is stored): dicts with
    deputy_id, name, name_ko, total, grade, rank, items, halves, warnings;
    ranked best first.  ``progress(done, total)`` is called as deputies are
    scored."""
    p = Period.parse(period)
    body = dom.validate_scheme(scheme_body) if scheme_body else scheme(session)
    since, until = p.start.isoformat(), p.end.isoformat()
    people = store.deputies_for_evaluation(session.db, since, until)
    ids = {r["id"] for r in people}
    tallies = _tallies(session, since, until, ids)
    absences = store.session_absences(session.db)
    failing = dom.failing_grade(body)
    earlier = store.grades_of_years(session.db, [p.year - 1]).get(p.year - 1, {})
    halves = p.split("half") if p.unit != "quarter" else []
    today = session.today()
    halves = [h for h in halves if h.end < today]  # a half not over yet is not inactive
    rows, total = [], len(people)
    step = max(1, total // 50)
    empty = Tally()
    for n, person in enumerate(people):
        t = tallies.get(person["id"], empty)
        s = dom.score(body, t, p)
        failing_years = []
        if earlier.get(person["id"]) in (failing.value, dom.Grade.NOT_COMPETENT.value,
                                         dom.Grade.POOR.value):
            failing_years.append(p.year - 1)
        if p.unit == "year" and s.grade == failing:
            failing_years.append(p.year)
        rows.append({"deputy_id": person["id"], "name": person["name"],
                     "name_ko": person["name_ko"], "total": s.total, "grade": s.grade.value,
                     "items": s.items, "halves": list(s.halves),
                     "warnings": dom.deputy_warnings(
                         t, halves=halves, failing_years=failing_years,
                         session_absences=absences.get(person["id"], 0))})
        if progress and (n % step == 0 or n == total - 1):
            progress(n + 1, total)
    ranks = dict(dom.rank({r["deputy_id"]: r["total"] for r in rows},
                          {r["deputy_id"]: r["name"] for r in rows}))
    for r in rows:
        r["rank"] = ranks[r["deputy_id"]]
    rows.sort(key=lambda r: (r["rank"], r["name"]))
    return rows


def evaluate(session: Session, *, period: str, progress: Progress | None = None) -> Changes:
    """Compute every deputy for ``period`` under the scheme in use and store the
    results (replacing an earlier, unapproved run of the same period).  An
    approved evaluation is not recomputed."""
    session.require(Permission.EDIT_DEPUTIES)
    p = Period.parse(period)
    old = store.run_of(session.db, str(p))
    if old and old["approved_by"]:
        raise dom.AlreadyApproved(period=str(p), by=old["approved_by"])
    body = scheme(session)
    rows = compute(session, period=str(p), scheme_body={k: v for k, v in body.items()
                                                         if k != "id"}, progress=progress)
    with session.write():
        scheme_id = body["id"]
        if scheme_id is None:  # the default, never saved: keep the one used
            scheme_id = store.insert(session.db, "eval_schemes", origin=session.station_code,
                                     fields={"name": body["name"], "preset": body["preset"],
                                             "body": json.dumps({k: v for k, v in body.items()
                                                                 if k != "id"},
                                                                ensure_ascii=False),
                                             "active": 1, "saved_at": session.now_iso(),
                                             "saved_by": session.actor})
        if old:
            store.drop_run(session.db, old["id"])
        run_id = store.insert(session.db, "eval_runs", origin=session.station_code, fields={
            "period": str(p), "scheme_id": scheme_id,
            "scheme_body": json.dumps({k: v for k, v in body.items() if k != "id"},
                                      ensure_ascii=False),
            "computed_at": session.now_iso(), "computed_by": session.actor})
        store.insert_results(session.db, origin=session.station_code, run_id=run_id,
                             rows=[{**r, "items": {"items": r["items"], "halves": r["halves"]}}
                                   for r in rows])
        session.audit("evaluate", "eval_run", run_id,
                      after={"period": str(p), "deputies": len(rows), "scheme": body["name"]})
    return Changes.of(*EVAL_TABLES, "eval_schemes", ids=[run_id], created_id=run_id)


def approve(session: Session, *, period: str) -> Changes:
    """The head signs the evaluation of ``period``; it is then kept as it is."""
    session.require(Permission.APPROVE)
    p = Period.parse(period)
    run = store.run_of(session.db, str(p))
    if run is None:
        raise dom.NoResults(period=str(p))
    if run["approved_by"]:
        raise dom.AlreadyApproved(period=str(p), by=run["approved_by"])
    with session.write():
        store.update(session.db, "eval_runs", run["id"],
                     {"approved_by": session.actor, "approved_at": session.now_iso()})
        session.audit("approve", "eval_run", run["id"], after={"period": str(p)})
    return Changes.of("eval_runs", ids=[run["id"]])


def results(session: Session, *, period: str) -> dict | None:
    """The stored evaluation of ``period``: ``run`` (period, computed_at/by,
    approved_by/at, scheme) and ``rows`` ranked, or None."""
    p = Period.parse(period)
    run = store.run_of(session.db, str(p))
    if run is None:
        return None
    rows = store.results(session.db, run["id"])
    for r in rows:
        r["halves"] = r["items"].get("halves", [])
        r["items"] = r["items"].get("items", {})
    run = dict(run)
    run["scheme"] = json.loads(run.pop("scheme_body"))
    return {"run": run, "rows": rows}


def periods(session: Session) -> list[str]:
    """Periods with a stored evaluation, newest first."""
    return [r["period"] for r in store.runs(session.db)]


def deputy_result(session: Session, *, deputy_id: str, period: str) -> dict | None:
    """The deputy's stored result for ``period`` (total, grade, rank, items,
    warnings, approved_by), or None."""
    r = store.deputy_result(session.db, deputy_id, str(Period.parse(period)))
    if r:
        r["halves"] = r["items"].get("halves", [])
        r["items"] = r["items"].get("items", {})
    return r


def warnings(session: Session, *, today: date | None = None) -> list[dict]:
    """For the start screen, deputies serving now: absent twice from the
    congress session without approval; the failing grade in the last two
    evaluated years; no activity in the last complete half year.  Each:
    {deputy_id, name, name_ko, kind, params}, by name."""
    today = today or session.today()
    half = dom.last_complete_half(today)
    # serving now and already at the start of the half (a newcomer is not "inactive")
    people = store.deputies_for_evaluation(session.db, today.isoformat(), half.start.isoformat())
    absences = store.session_absences(session.db)
    active = store.active_between(session.db, half.start.isoformat(), half.end.isoformat())
    years = [today.year - 2, today.year - 1]
    grades = store.grades_of_years(session.db, years)
    failing = {dom.Grade.NOT_COMPETENT.value, dom.Grade.POOR.value}
    out = []
    for person in people:
        d = person["id"]
        kinds = []
        if absences.get(d, 0) >= 2:
            kinds.append((dom.WarningKind.SESSION_ABSENT_TWICE, {}))
        if all(grades.get(y, {}).get(d) in failing for y in years):
            kinds.append((dom.WarningKind.NOT_COMPETENT_TWICE,
                          {"years": f"{years[0]}, {years[1]}"}))
        if d not in active:
            kinds.append((dom.WarningKind.NO_ACTIVITY_HALF, {"half": str(half)}))
        out += [{"deputy_id": d, "name": person["name"], "name_ko": person["name_ko"],
                 "kind": k.value, "params": params} for k, params in kinds]
    return sorted(out, key=lambda w: (w["name"], w["deputy_id"], w["kind"]))
