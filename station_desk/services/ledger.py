"""A deputy's performance file (履职档案): derived entries read at the moment
from the station's records, declared entries with evidence and their review,
model deputies and publicity reports."""
from __future__ import annotations

from datetime import date, timedelta

from station_desk.domain import ledger as dom
from station_desk.domain.accounts import Permission
from station_desk.domain.activities import KIND_LABELS as ACTIVITY_KIND_LABELS
from station_desk.domain.changes import Changes
from station_desk.domain.errors import FieldError, N_, NotFound, ValidationError
from station_desk.domain.ledger import Entry, EntryKind, Review, Source
from station_desk.domain.validation import Checker, parse_date
from station_desk.services import registry
from station_desk.services.session import Session
from station_desk.storage import ledger as store

LEDGER_TABLES = ("ledger_entries", "ledger_evidence")


def _day(value: object, default: date) -> date:
    try:
        d = parse_date(value) if not isinstance(value, date) else value
    except ValueError:
        raise ValidationError([FieldError("period", N_("Enter a date as YYYY-MM-DD, e.g. "
                                                       "2026-03-09."))]) from None
    return d or default


def _bounds(session: Session, since: object, until: object) -> tuple[date, date]:
    today = session.today()
    low = _day(since, date(today.year, 1, 1))
    high = _day(until, today)
    if high < low:
        raise ValidationError([FieldError("period", N_("The date cannot be before {other}."),
                                          {"other": low.isoformat()})])
    return low, high


def entries(session: Session, *, deputy_id: str, since: object = None,
            until: object = None) -> list[Entry]:
    """Every entry of the deputy's file between the dates (both included),
    oldest first: derived ones from activities, reception duty, cases,
    practical matters, suggestions, model-deputy choices and publicity, plus the
    declared ones (with their review state)."""
    low, high = _bounds(session, since, until)
    s, u, db = low.isoformat(), high.isoformat(), session.db
    out: list[Entry] = []
    d = lambda text: date.fromisoformat(text[:10])  # noqa: E731
    for r in store.activity_rows(db, deputy_id, s, u):
        out.append(Entry(deputy_id, EntryKind(r["kind"]), d(r["day"]), r["title"],
                         Source.ACTIVITY, r["id"], role=r["attendance"],
                         extra={"activity_kind": r["activity_kind"],
                                "leave_reason": r["leave_reason"]}))
    for r in store.duty_rows(db, deputy_id, s, u):
        out.append(Entry(deputy_id, EntryKind.RECEPTION, d(r["day"]), r["place"],
                         Source.RECEPTION, r["id"], role="duty"))
    for r in store.case_rows(db, deputy_id, s, u):
        # a case enters the file by its number and category only: the voter's
        # words stay in the case (confidential ones especially)
        out.append(Entry(deputy_id, EntryKind.CASE, d(r["day"]), r["number"], Source.CASE,
                         r["id"], role=r["role"],
                         extra={"category": r["category"], "outcome": r["outcome"] or "",
                                "state": r["state"], "confidential": r["confidential"]}))
    for r in store.practical_rows(db, deputy_id, s, u):
        out.append(Entry(deputy_id, EntryKind.PRACTICAL, d(r["day"]), r["title"],
                         Source.PRACTICAL, r["id"], role="lead",
                         extra={"stage": r["stage"], "percent": r["percent"]}))
    for r in store.suggestion_rows(db, deputy_id=deputy_id, since=s, until=u):
        out.append(Entry(deputy_id, EntryKind.SUGGESTION, d(r["submitted_on"]), r["title"],
                         Source.SUGGESTION, r["id"], role=r["kind"],
                         extra={"outcome": r["outcome"], "congress": r["congress"]}))
    for r in store.model_rows(db, deputy_id):
        # chosen "in a year": dated at its end, or at the end of a period that stops earlier
        on = min(date(r["year"], 12, 31), high)
        if low.year <= r["year"] <= high.year and low <= on:
            out.append(Entry(deputy_id, EntryKind.AWARD, on, r["title"], Source.MODEL, r["id"],
                             role=r["chosen_by"]))
    for r in store.publicity_rows(db, deputy_id):
        on = d(r["on_date"])
        if low <= on <= high:
            out.append(Entry(deputy_id, EntryKind.PUBLICITY, on, r["title"], Source.PUBLICITY,
                             r["id"], role=r["outlet"]))
    for r in store.declared(db, deputy_id, s, u):
        out.append(Entry(deputy_id, EntryKind(r["kind"]), d(r["on_date"]), r["title"],
                         Source.DECLARED, r["id"], role=r["role"], review=Review(r["review"]),
                         score=r["score"],
                         extra={"reviewer": r["reviewer"], "reason": r["reason"],
                                "notes": r["notes"], "evidence_count": r["evidence_count"],
                                "declared_by": r["declared_by"]}))
    out.sort(key=lambda e: (e.on, e.kind.value, e.title))
    return out


def entry_view(e: Entry) -> dict:
    """An entry as a plain dict for screens and prints (message ids for labels)."""
    return {"deputy_id": e.deputy_id, "kind": e.kind.value, "kind_label": dom.KIND_LABELS[e.kind],
            "on": e.on.isoformat(), "title": e.title, "source": e.source.value,
            "source_label": dom.SOURCE_LABELS[e.source], "source_id": e.source_id,
            "role": e.role, "review": e.review.value,
            "review_label": dom.REVIEW_LABELS[e.review], "score": e.score,
            "counts": e.counts, **e.extra}


def deputy_file(session: Session, *, deputy_id: str, since: object = None,
                until: object = None) -> dict:
    """The deputy's file for a period: ``deputy`` (the registry record, phone
    masked), ``since``/``until``, ``entries`` (dicts, oldest first), ``months``
    (the active-months calendar), ``summary`` (counting entries per kind) and
    ``pending`` (declarations waiting for review)."""
    low, high = _bounds(session, since, until)
    person = registry.deputy(session, deputy_id)
    found = entries(session, deputy_id=deputy_id, since=low, until=high)
    return {"deputy": person, "since": low.isoformat(), "until": high.isoformat(),
            "entries": [entry_view(e) for e in found],
            "months": dom.active_months(found, low, high),
            "summary": dom.summary(found),
            "pending": sum(1 for e in found if e.review == Review.PENDING)}


def term_bounds(session: Session, deputy_id: str) -> tuple[date, date]:
    """From the earliest election date of the deputy's mandates to today."""
    person = registry.deputy(session, deputy_id)
    days = [m["elected_on"] for m in person["mandates"] if m.get("elected_on")]
    today = session.today()
    low = date.fromisoformat(min(days)[:10]) if days else today - timedelta(days=365 * 5)
    return low, today


# -- declared entries -------------------------------------------------------------------------

def declare(session: Session, *, deputy_id: str, data: dict,
            evidence: list[tuple[str, bytes]] = ()) -> Changes:
    """Record an entry from outside the station's records, with evidence files
    (JPEG, PNG or PDF); it waits for the head's review.  Bad evidence saves
    nothing."""
    session.require(Permission.EDIT_DEPUTIES)
    fields = dom.validate_declaration(data, today=session.today())
    files = dom.check_evidence(list(evidence))
    for name, mime, blob in files:
        if mime.startswith("image/") and not _image_decodes(blob):
            raise dom.BadEvidence(name=name)
    registry.deputy(session, deputy_id)
    with session.write():
        entry_id = store.insert(session.db, "ledger_entries", origin=session.station_code,
                                fields={**fields, "deputy_id": deputy_id,
                                        "declared_at": session.now_iso(),
                                        "declared_by": session.actor})
        for name, mime, blob in files:
            store.insert(session.db, "ledger_evidence", origin=session.station_code,
                         fields={"entry_id": entry_id, "name": name, "mime": mime, "data": blob})
        session.audit("declare", "ledger_entry", entry_id,
                      after={**fields, "deputy_id": deputy_id, "evidence": len(files)})
    return Changes.of(*LEDGER_TABLES, ids=[entry_id], created_id=entry_id)


def _pending_entry(session: Session, entry_id: str) -> dict:
    row = store.get(session.db, "ledger_entries", entry_id)
    if row is None:
        raise dom.EntryNotFound()
    if row["review"] != Review.PENDING:
        raise dom.AlreadyReviewed(state=dom.REVIEW_LABELS[Review(row["review"])])
    return row


def _image_decodes(data: bytes) -> bool:
    """Whether Pillow reads the whole picture (a cut-off copy with the right
    first bytes is refused)."""
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as im:
            im.load()
        return True
    except Exception:  # noqa: BLE001 - any decoding failure means unreadable
        return False


def approve(session: Session, *, entry_id: str) -> Changes:
    """The head passes a declared entry: it counts from now on."""
    session.require(Permission.APPROVE)
    with session.write():
        _pending_entry(session, entry_id)
        store.update(session.db, "ledger_entries", entry_id,
                     {"review": Review.APPROVED.value, "reviewer": session.actor,
                      "reviewed_at": session.now_iso(), "reason": ""})
        session.audit("approve", "ledger_entry", entry_id, after={"review": "approved"})
    return Changes.of("ledger_entries", ids=[entry_id])


def reject(session: Session, *, entry_id: str, reason: str) -> Changes:
    """The head fails a declared entry, giving the reason; it stays in the file,
    marked rejected, and never counts."""
    session.require(Permission.APPROVE)
    c = Checker()
    reason = c.optional("reason", reason, max_len=500)
    if not reason:
        raise dom.RejectNeedsReason()
    with session.write():
        _pending_entry(session, entry_id)
        store.update(session.db, "ledger_entries", entry_id,
                     {"review": Review.REJECTED.value, "reviewer": session.actor,
                      "reviewed_at": session.now_iso(), "reason": reason})
        session.audit("reject", "ledger_entry", entry_id,
                      after={"review": "rejected", "reason": reason})
    return Changes.of("ledger_entries", ids=[entry_id])


def withdraw(session: Session, *, entry_id: str) -> Changes:
    """Remove a declaration that has not been reviewed yet (typed in error)."""
    session.require(Permission.EDIT_DEPUTIES)
    with session.write():
        row = _pending_entry(session, entry_id)
        store.update(session.db, "ledger_entries", entry_id, {"deleted": 1})
        session.audit("withdraw", "ledger_entry", entry_id, before={"title": row["title"]})
    return Changes.of(*LEDGER_TABLES, ids=[entry_id])


def pending(session: Session) -> list[dict]:
    """Declarations waiting for the head, oldest first, with the deputy's name."""
    return store.pending(session.db)


def declared_entry(session: Session, entry_id: str) -> dict:
    row = store.get(session.db, "ledger_entries", entry_id)
    if row is None:
        raise dom.EntryNotFound()
    row["evidence"] = store.evidence_of(session.db, entry_id)
    return row


def evidence(session: Session, evidence_id: str) -> tuple[str, str, bytes]:
    """(name, mime, bytes) of an evidence file."""
    row = store.evidence_data(session.db, evidence_id)
    if row is None:
        raise NotFound()
    return row["name"], row["mime"], row["data"]


# -- model deputies and publicity ---------------------------------------------------------------

def add_model(session: Session, *, deputy_id: str, year: object, title: str,
              chosen_by: str = "", notes: str = "") -> Changes:
    """Record that a deputy was chosen as a model deputy (选树先进典型)."""
    session.require(Permission.EDIT_DEPUTIES)
    c = Checker()
    title = c.required("title", title, max_len=200)
    chosen_by = c.optional("chosen_by", chosen_by, max_len=100)
    notes = c.optional("notes", notes, max_len=500)
    try:
        y = int(str(year))
        if not 1950 <= y <= session.today().year:
            raise ValueError
    except ValueError:
        c.add("year", N_("Enter a year such as 2025."))
        y = 0
    c.raise_if_any()
    registry.deputy(session, deputy_id)
    fields = {"deputy_id": deputy_id, "year": y, "title": title, "chosen_by": chosen_by,
              "notes": notes}
    with session.write():
        row_id = store.insert(session.db, "model_deputies", origin=session.station_code,
                              fields=fields)
        session.audit("create", "model_deputy", row_id, after=fields)
    return Changes.of("model_deputies", ids=[row_id], created_id=row_id)


def add_publicity(session: Session, *, deputy_id: str, on_date: object, outlet: str,
                  title: str, notes: str = "") -> Changes:
    """Record a report about a deputy (事迹报道): when, where, the headline."""
    session.require(Permission.EDIT_DEPUTIES)
    c = Checker()
    on = c.date("on_date", on_date, required=True, not_after=session.today())
    outlet = c.required("outlet", outlet, max_len=100)
    title = c.required("title", title, max_len=200)
    notes = c.optional("notes", notes, max_len=500)
    c.raise_if_any()
    registry.deputy(session, deputy_id)
    fields = {"deputy_id": deputy_id, "on_date": on.isoformat(), "outlet": outlet,
              "title": title, "notes": notes}
    with session.write():
        row_id = store.insert(session.db, "publicity", origin=session.station_code,
                              fields=fields)
        session.audit("create", "publicity", row_id, after=fields)
    return Changes.of("publicity", ids=[row_id], created_id=row_id)


def models(session: Session) -> list[dict]:
    return store.model_rows(session.db)


def publicity(session: Session) -> list[dict]:
    return store.publicity_rows(session.db)


def activity_kind_label(kind: str) -> str:
    """The message id of an activity kind (for a derived entry's detail)."""
    from station_desk.domain.activities import ActivityKind
    try:
        return ACTIVITY_KIND_LABELS[ActivityKind(kind)]
    except ValueError:
        return kind


def card_data(session: Session, *, deputy_id: str, period: str = "") -> dict:
    """What the deputy's card prints: the file of ``period`` (2025, 2025-H1, …;
    "term" for the whole term; empty for last year), the photo and the stored
    evaluation result of that period (if any), with the deputy's group name."""
    from station_desk.domain.evaluation import Period
    from station_desk.services import evaluation

    if period == "term":
        low, high = term_bounds(session, deputy_id)
        label = ""
    else:
        p = Period.parse(period) if period else Period(session.today().year - 1)
        low, high, label = p.start, min(p.end, session.today()), str(p)
    data = deputy_file(session, deputy_id=deputy_id, since=low, until=high)
    data["photo"] = registry.photo(session, deputy_id)
    result = evaluation.deputy_result(session, deputy_id=deputy_id, period=label) if label \
        else None
    data["result"] = {**result, "period": label} if result else None
    return data


def find_deputy(session: Session, text: str) -> list[dict]:
    """Deputies whose name, Korean reading or id (prefix of 4+) is ``text``."""
    text = (text or "").strip()
    out = []
    for r in registry.roster(session):
        if text in (r["name"], r.get("name_ko")) or \
                (len(text) >= 4 and r["id"].lower().startswith(text.lower())):
            out.append(r)
    return out
