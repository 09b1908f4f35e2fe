"""The deputy's card, the evaluation table and the suggestion list, read back
from the PDF (pypdf)."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from station_desk.services import documents, evaluation, ledger, suggestions
from tests.printing.conftest import MOBILE, add_deputies


def _text(path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


@pytest.fixture
def station(session):
    ids = add_deputies(session, 3)
    for n in range(70):  # enough entries to run on to a second page
        e = ledger.declare(session, deputy_id=ids[0], data={
            "kind": "speech" if n % 2 else "meeting", "on_date": f"2025-{1 + n % 12:02d}-0{1 + n % 9}",
            "title": f"第{n + 1}次会议发言记录"}).created_id
        if n != 5:
            ledger.approve(session, entry_id=e)
    suggestions.add(session, data={"deputy_id": ids[1], "congress": "county",
                                   "title": "关于修缮明东村村道的建议", "submitted_on": "2025-03-01",
                                   "outcome": "A", "reply_on": "2025-05-01",
                                   "face_to_face": True, "satisfaction": "satisfied",
                                   "handling_unit": "龙井市交通运输局"})
    suggestions.add(session, data={"deputy_id": ids[2], "congress": "township",
                                   "title": "关于增设公交班次的建议", "submitted_on": "2025-04-01"})
    evaluation.evaluate(session, period="2025")
    return ids


@pytest.mark.parametrize("lang", ["zh_CN", "ko", "bilingual"])
def test_deputy_card(session, station, tmp_path, lang):
    out = documents.render(session, "deputy-card", lang=lang,
                           options={"deputy": "金喆", "period": "2025"}, out=tmp_path / "c.pdf")
    pages = _text(out)
    assert len(pages) >= 2, "70 entries run on to a second page"
    whole = "\n".join(pages)
    assert "金喆" in whole and "138****0000" in whole
    assert not MOBILE.search(whole), "the phone is masked"
    assert "第1次会议发言记录" in pages[0] and "第70次会议发言记录" in whole
    # every entry once
    assert len(re.findall(r"第\d+次会议发言记录", whole)) == 70
    assert "2025-01-01" in whole and "2025-12-31" in whole


def test_evaluation_table(session, station, tmp_path):
    out = documents.render(session, "evaluation-table", lang="zh_CN", options={"period": "2025"},
                           out=tmp_path / "e.pdf")
    whole = "\n".join(_text(out))
    res = evaluation.results(session, period="2025")
    for r in res["rows"]:
        assert r["name"] in whole
    top = res["rows"][0]
    assert top["name"] == "金喆" and f"{top['total']:g}" in whole
    for item in res["run"]["scheme"]["items"]:
        assert item["label"][:3] in whole.replace("\n", "")


def test_evaluation_table_without_results(session, station, tmp_path):
    out = documents.render(session, "evaluation-table", lang="en", options={"period": "2024"},
                           out=tmp_path / "e.pdf")
    assert "no evaluation" in _text(out)[0]


def test_suggestion_list_reports_solved_apart(session, station, tmp_path):
    out = documents.render(session, "suggestion-list", lang="en", options={"period": "2025"},
                           out=tmp_path / "s.pdf")
    whole = "\n".join(_text(out))
    assert "关于修缮明东村村道的建议" in whole and "关于增设公交班次的建议" in whole
    assert "Completion rate" in whole and "Solved (outcome A)" in whole
    assert "50% (1 of 2)" in whole          # completed 1 of 2 and solved 1 of 2
    assert "100% (1 of 1)" in whole         # face to face, satisfied
