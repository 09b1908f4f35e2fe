"""Deputies' suggestions and motions (建议、议案) and their handling rates.

A suggestion is *completed* (办结) once a reply date is recorded; it is
*solved* only with outcome A.  The seed reports completion, face-to-face reply
and satisfaction rates; solved is reported separately because completed is
not solved.
"""
from __future__ import annotations

from datetime import date
from enum import StrEnum

from station_desk.domain.cases import OUTCOME_LABELS, SATISFACTION_LABELS, Outcome, Satisfaction
from station_desk.domain.errors import N_, NotFound
from station_desk.domain.validation import Checker, clean

__all__ = ["OUTCOME_LABELS", "SATISFACTION_LABELS", "Outcome", "Satisfaction",
           "SuggestionKind", "KIND_LABELS", "CONGRESS_LEVELS", "validate_suggestion",
           "rates", "SuggestionNotFound"]


class SuggestionKind(StrEnum):
    SUGGESTION = "suggestion"  # 建议
    MOTION = "motion"          # 议案


KIND_LABELS = {SuggestionKind.SUGGESTION: N_("Suggestion"),
               SuggestionKind.MOTION: N_("Motion")}

# the congress the suggestion goes to, as the levels of domain/deputies.py
CONGRESS_LEVELS = ("national", "provincial", "prefecture", "county", "township")


class SuggestionNotFound(NotFound):
    msgid = N_("The suggestion no longer exists.")


def validate_suggestion(raw: dict, *, today: date) -> dict:
    """Check a suggestion: deputy, kind, congress, session, title, date submitted,
    co-signers, handling unit, outcome, reply mode, reply date (not before the
    submission), satisfaction (only with a reply)."""
    c = Checker()
    deputy_id = c.required("deputy_id", raw.get("deputy_id"), max_len=64)
    kind = c.choice("kind", raw.get("kind") or "suggestion", [k.value for k in SuggestionKind])
    congress = c.choice("congress", raw.get("congress"), CONGRESS_LEVELS)
    session = c.optional("session", raw.get("session"), max_len=60)
    title = c.required("title", raw.get("title"), max_len=200)
    submitted = c.date("submitted_on", raw.get("submitted_on"), required=True, not_after=today)
    cosigners = c.optional("cosigners", raw.get("cosigners"), max_len=300)
    unit = c.optional("handling_unit", raw.get("handling_unit"), max_len=100)
    outcome = c.choice("outcome", raw.get("outcome"), [o.value for o in Outcome],
                       required=False) or ""
    reply_on = c.date("reply_on", raw.get("reply_on"), not_after=today, not_before=submitted)
    f2f_raw = raw.get("face_to_face")
    face_to_face = None if f2f_raw in (None, "") else int(bool(f2f_raw))
    satisfaction = c.choice("satisfaction", raw.get("satisfaction"),
                            [s.value for s in Satisfaction], required=False) or ""
    if reply_on is None and (satisfaction or face_to_face is not None):
        c.add("reply_on", N_("Enter the reply date before the reply mode or satisfaction."))
    if reply_on is not None and not outcome:
        c.add("outcome", N_("A replied suggestion needs its outcome (A–D)."))
    notes = c.optional("notes", raw.get("notes"), max_len=1000)
    c.raise_if_any()
    return {"deputy_id": deputy_id, "kind": kind, "congress": congress, "session": session,
            "title": title, "submitted_on": submitted.isoformat(), "cosigners": cosigners,
            "handling_unit": unit, "outcome": outcome,
            "reply_on": reply_on.isoformat() if reply_on else None,
            "face_to_face": face_to_face, "satisfaction": satisfaction,
            "notes": clean(notes)}


def _pct(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


def rates(rows: list[dict]) -> dict:
    """Counts and rates (percent, one decimal; None when there is nothing to
    divide by) of ``rows`` (dicts with outcome, reply_on, face_to_face,
    satisfaction):

    - completion: replied / all;
    - face_to_face: replied face to face / replied;
    - satisfaction: satisfied or basically satisfied / replied with an answer;
    - solved: outcome A / all."""
    total = len(rows)
    replied = [r for r in rows if r.get("reply_on")]
    f2f = sum(1 for r in replied if r.get("face_to_face"))
    answered = [r for r in replied if r.get("satisfaction")]
    content = sum(1 for r in answered if r["satisfaction"] in ("satisfied", "basically"))
    solved = sum(1 for r in rows if r.get("outcome") == "A")
    return {"total": total, "completed": len(replied), "face_to_face": f2f,
            "satisfied": content, "answered": len(answered), "solved": solved,
            "completion_rate": _pct(len(replied), total),
            "face_to_face_rate": _pct(f2f, len(replied)),
            "satisfaction_rate": _pct(content, len(answered)),
            "solved_rate": _pct(solved, total)}
