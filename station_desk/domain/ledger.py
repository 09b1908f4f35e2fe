"""The performance ledger (履职档案): entry kinds, review of declared entries,
evidence, the calendar of active months.

Entries come from two places.  *Derived* entries are read from the station's
own records (activities attended, reception days on duty, cases handled,
practical matters led, suggestions, model-deputy choices and publicity) each
time the file is opened, so they always match their source.  *Declared*
entries come from elsewhere (a congress session, a training course away, a
donation): the clerk records them with evidence and the station head approves
or rejects them; only approved ones count in an evaluation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from station_desk.domain.errors import DomainError, N_
from station_desk.domain.validation import Checker, image_mime


class EntryKind(StrEnum):
    MEETING = "meeting"                  # 出席会议
    SPEECH = "speech"                    # 审议发言
    ACTIVITY = "activity"                # 参加活动
    ACTIVITY_ABSENCE = "activity_absence"  # 活动缺席 (not excused)
    ACTIVITY_LEAVE = "activity_leave"    # 活动请假 (listed, no points in the presets)
    RECEPTION = "reception"              # 接待选民值班
    CASE = "case"                        # 联系选民、办理群众诉求
    SUGGESTION = "suggestion"            # 建议、议案
    REPORT_BACK = "report_back"          # 向选民述职
    TRAINING = "training"                # 学习培训
    PRACTICAL = "practical"              # 领办为民实事
    AWARD = "award"                      # 表彰、选树先进典型
    PUBLICITY = "publicity"              # 事迹报道
    DONATION = "donation"                # 捐款捐物
    SESSION_ABSENCE = "session_absence"  # 未经批准不出席人代会
    SELF_ASSESSMENT = "self_assessment"  # 半年自评 (a score)


KIND_LABELS = {
    EntryKind.MEETING: N_("Meeting attended"),
    EntryKind.SPEECH: N_("Speech in deliberation"),
    EntryKind.ACTIVITY: N_("Activity attended"),
    EntryKind.ACTIVITY_ABSENCE: N_("Absent from an activity"),
    EntryKind.ACTIVITY_LEAVE: N_("On leave from an activity"),
    EntryKind.RECEPTION: N_("Voter reception on duty"),
    EntryKind.CASE: N_("Voter's matter handled"),
    EntryKind.SUGGESTION: N_("Suggestion or motion"),
    EntryKind.REPORT_BACK: N_("Report-back to voters"),
    EntryKind.TRAINING: N_("Training"),
    EntryKind.PRACTICAL: N_("Practical matter led"),
    EntryKind.AWARD: N_("Award, chosen as a model deputy"),
    EntryKind.PUBLICITY: N_("Publicity report"),
    EntryKind.DONATION: N_("Donation"),
    EntryKind.SESSION_ABSENCE: N_("Absent from the congress session without approval"),
    EntryKind.SELF_ASSESSMENT: N_("Half-year self-assessment"),
}

# What a clerk may declare (the rest are derived from the station's records).
DECLARABLE = (EntryKind.MEETING, EntryKind.SPEECH, EntryKind.REPORT_BACK, EntryKind.TRAINING,
              EntryKind.AWARD, EntryKind.PUBLICITY, EntryKind.DONATION, EntryKind.ACTIVITY,
              EntryKind.SESSION_ABSENCE, EntryKind.SELF_ASSESSMENT)

# Kinds that show a deputy was active in a month (absences and leave do not).
ACTIVE_KINDS = frozenset(EntryKind) - {EntryKind.ACTIVITY_ABSENCE, EntryKind.ACTIVITY_LEAVE,
                                       EntryKind.SESSION_ABSENCE, EntryKind.SELF_ASSESSMENT}


class Source(StrEnum):
    ACTIVITY = "activity"
    RECEPTION = "reception"
    CASE = "case"
    PRACTICAL = "practical"
    SUGGESTION = "suggestion"
    MODEL = "model"
    PUBLICITY = "publicity"
    DECLARED = "declared"


SOURCE_LABELS = {
    Source.ACTIVITY: N_("Activities"),
    Source.RECEPTION: N_("Reception duty"),
    Source.CASE: N_("Voters' matters"),
    Source.PRACTICAL: N_("Practical matters"),
    Source.SUGGESTION: N_("Suggestions"),
    Source.MODEL: N_("Model deputies"),
    Source.PUBLICITY: N_("Publicity"),
    Source.DECLARED: N_("Declared"),
}


class Review(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


REVIEW_LABELS = {
    Review.PENDING: N_("Waiting for review"),
    Review.APPROVED: N_("Approved"),
    Review.REJECTED: N_("Rejected"),
}


@dataclass(frozen=True)
class Entry:
    """One line of a deputy's file.  ``review`` is APPROVED for derived entries
    (the station's own records need no review)."""
    deputy_id: str
    kind: EntryKind
    on: date
    title: str
    source: Source
    source_id: str = ""
    role: str = ""
    review: Review = Review.APPROVED
    score: float | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def counts(self) -> bool:
        """Whether the entry counts in an evaluation."""
        return self.review == Review.APPROVED


class EntryNotFound(DomainError):
    msgid = N_("The ledger entry no longer exists.")


class AlreadyReviewed(DomainError):
    msgid = N_("This entry was already reviewed ({state}).")


class RejectNeedsReason(DomainError):
    msgid = N_("Give a reason for rejecting the entry.")


class BadEvidence(DomainError):
    msgid = N_("The evidence file {name} is not a readable image or PDF. Nothing was saved.")


class EvidenceTooLarge(DomainError):
    msgid = N_("The evidence file {name} is larger than {mb} MB. Nothing was saved.")


class TooManyEvidenceFiles(EvidenceTooLarge):
    msgid = N_("At most {n} evidence files can be attached to one entry. Nothing was saved.")


MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10


def evidence_mime(data: bytes) -> str | None:
    """The MIME type of an evidence file: JPEG, PNG or PDF by their magic bytes
    (a PDF must also carry its end-of-file mark, so a cut-off copy is refused)."""
    mime = image_mime(data)
    if mime:
        return mime
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return "application/pdf"
    return None


def check_evidence(files: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """(name, mime, data) of each evidence file, or BadEvidence / EvidenceTooLarge
    naming the first bad one (TooManyEvidenceFiles past the limit)."""
    if len(files) > MAX_EVIDENCE_FILES:
        raise TooManyEvidenceFiles(n=MAX_EVIDENCE_FILES)
    out = []
    for name, data in files:
        if len(data) > MAX_EVIDENCE_BYTES:
            raise EvidenceTooLarge(name=name, mb=MAX_EVIDENCE_BYTES // (1024 * 1024))
        mime = evidence_mime(data) if data else None
        if mime is None:
            raise BadEvidence(name=name)
        out.append((name, mime, data))
    return out


def validate_declaration(raw: dict, *, today: date) -> dict:
    """Check a declared entry: kind, date (not in the future), title, role,
    notes; a self-assessment carries a score 0–100."""
    c = Checker()
    kind = c.choice("kind", raw.get("kind"), [k.value for k in DECLARABLE])
    on = c.date("on_date", raw.get("on_date"), required=True, not_after=today)
    title = c.required("title", raw.get("title"), max_len=200)
    role = c.optional("role", raw.get("role"), max_len=100)
    notes = c.optional("notes", raw.get("notes"), max_len=1000)
    score = None
    if kind == EntryKind.SELF_ASSESSMENT:
        try:
            score = float(str(raw.get("score", "")).strip())
            if not 0 <= score <= 100:
                raise ValueError
        except ValueError:
            c.add("score", N_("Enter a score from 0 to 100."))
    c.raise_if_any()
    return {"kind": kind, "on_date": on.isoformat(), "title": title, "role": role,
            "notes": notes, "score": score}


def active_months(entries: list[Entry], since: date, until: date) -> list[dict]:
    """One dict per month from ``since`` to ``until``: year, month, count of
    counting entries that show activity (absences, leave, rejected or pending
    declarations do not)."""
    counts: dict[tuple[int, int], int] = {}
    for e in entries:
        if e.counts and e.kind in ACTIVE_KINDS and since <= e.on <= until:
            key = (e.on.year, e.on.month)
            counts[key] = counts.get(key, 0) + 1
    out = []
    y, m = since.year, since.month
    while (y, m) <= (until.year, until.month):
        out.append({"year": y, "month": m, "count": counts.get((y, m), 0)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def summary(entries: list[Entry]) -> dict[str, int]:
    """Counting entries per kind."""
    out: dict[str, int] = {}
    for e in entries:
        if e.counts:
            out[e.kind.value] = out.get(e.kind.value, 0) + 1
    return out
