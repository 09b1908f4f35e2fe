"""Ledger entries: evidence files, declarations, the calendar of active months,
suggestion rates."""
from __future__ import annotations

from datetime import date

import pytest

from station_desk.domain.errors import ValidationError
from station_desk.domain.ledger import (
    BadEvidence, Entry, EntryKind as K, EvidenceTooLarge, MAX_EVIDENCE_BYTES, Review, Source,
    active_months, check_evidence, evidence_mime, summary, validate_declaration)
from station_desk.domain.suggestions import rates, validate_suggestion

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("data, mime", [
    (PNG, "image/png"), (b"\xff\xd8\xff\xe0" + b"\0" * 10, "image/jpeg"), (PDF, "application/pdf"),
    (b"%PDF-1.4\n cut off", None), (b"PK\x03\x04 a zip", None), (b"", None),
    (b"plain text", None)])
def test_evidence_mime(data, mime):
    assert evidence_mime(data) == mime


def test_check_evidence_names_the_bad_file():
    assert [m for _n, m, _d in check_evidence([("a.png", PNG), ("b.pdf", PDF)])] == \
        ["image/png", "application/pdf"]
    with pytest.raises(BadEvidence) as exc:
        check_evidence([("a.png", PNG), ("notes.docx", b"PK\x03\x04")])
    assert exc.value.params == {"name": "notes.docx"}
    with pytest.raises(EvidenceTooLarge):
        check_evidence([("big.png", PNG + b"\0" * MAX_EVIDENCE_BYTES)])
    with pytest.raises(EvidenceTooLarge, match="At most 10"):
        check_evidence([(f"p{i}.png", PNG) for i in range(11)])


def test_declaration():
    today = date(2026, 3, 9)
    ok = validate_declaration({"kind": "training", "on_date": "2026-01-05",
                               "title": " 州人大代表培训班 "}, today=today)
    assert ok["title"] == "州人大代表培训班" and ok["score"] is None
    with pytest.raises(ValidationError) as exc:
        validate_declaration({"kind": "activity_absence", "on_date": "2026-04-01", "title": ""},
                             today=today)
    assert {f.field for f in exc.value.errors} == {"kind", "on_date", "title"}
    with pytest.raises(ValidationError) as exc:
        validate_declaration({"kind": "self_assessment", "on_date": "2026-01-05", "title": "自评",
                              "score": "120"}, today=today)
    assert exc.value.for_field("score")
    assert validate_declaration({"kind": "self_assessment", "on_date": "2026-01-05",
                                 "title": "自评", "score": "85.5"}, today=today)["score"] == 85.5


def test_active_months_and_summary():
    def e(kind, on, review=Review.APPROVED):
        return Entry("d", K(kind), date.fromisoformat(on), "t", Source.DECLARED, review=review)
    entries = [e("activity", "2025-01-03"), e("activity", "2025-01-20"),
               e("activity_absence", "2025-02-01"), e("training", "2025-03-01", Review.PENDING),
               e("reception", "2025-04-09"), e("speech", "2024-12-31")]
    months = active_months(entries, date(2025, 1, 1), date(2025, 4, 30))
    assert [(m["month"], m["count"]) for m in months] == [(1, 2), (2, 0), (3, 0), (4, 1)]
    assert len(active_months([], date(2021, 3, 1), date(2026, 2, 28))) == 60
    assert summary(entries) == {"activity": 2, "activity_absence": 1, "reception": 1,
                                "speech": 1}


def test_suggestion_rates_report_solved_apart_from_completed():
    rows = [
        {"outcome": "A", "reply_on": "2025-05-01", "face_to_face": 1, "satisfaction": "satisfied"},
        {"outcome": "B", "reply_on": "2025-05-01", "face_to_face": 1, "satisfaction": "basically"},
        {"outcome": "D", "reply_on": "2025-06-01", "face_to_face": 0,
         "satisfaction": "unsatisfied"},
        {"outcome": "C", "reply_on": "2025-06-01", "face_to_face": 1, "satisfaction": ""},
        {"outcome": "", "reply_on": None, "face_to_face": None, "satisfaction": ""},
    ]
    r = rates(rows)
    # completion 4/5 = 80 %; face to face 3/4 = 75 %; satisfied 2 of 3 answered = 66.7 %;
    # solved 1/5 = 20 %
    assert (r["completion_rate"], r["face_to_face_rate"], r["satisfaction_rate"],
            r["solved_rate"]) == (80.0, 75.0, 66.7, 20.0)
    assert rates([])["completion_rate"] is None


def test_validate_suggestion():
    today = date(2026, 3, 9)
    base = {"deputy_id": "d1", "congress": "county", "title": "修缮村道",
            "submitted_on": "2025-03-01"}
    assert validate_suggestion(base, today=today)["reply_on"] is None
    with pytest.raises(ValidationError) as exc:
        validate_suggestion({**base, "reply_on": "2025-02-01"}, today=today)
    assert {f.field for f in exc.value.errors} == {"reply_on", "outcome"}
    with pytest.raises(ValidationError) as exc:
        validate_suggestion({**base, "satisfaction": "satisfied"}, today=today)
    assert exc.value.for_field("reply_on")
    done = validate_suggestion({**base, "reply_on": "2025-05-01", "outcome": "A",
                                "face_to_face": True, "satisfaction": "satisfied"}, today=today)
    assert done["face_to_face"] == 1
