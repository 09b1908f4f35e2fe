"""The voter reception register form, filled from a case and blank, read back."""
from __future__ import annotations

import pytest

from station_desk.services import cases, documents, registry
from station_desk.services.documents import BadOption
from tests.conftest import deputy_data, mandate_data
from tests.printing.conftest import page_texts, squeeze


def _walked_case(session):
    did = registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()]).created_id
    cid = cases.register(session, voter={
        "name": "朴英子", "village": "明东村", "phone": "13843312345",
        "id_number": "11010519491231002X", "language": "ko", "consent": True}, case={
        "on": "2026-02-24", "channel": "reception_day", "category": "help",
        "words": "村里的路灯坏了三个月，晚上出门很危险", "duty_deputies": [did],
        "place": "联络站接待室", "people": 2}).created_id
    cases.sort_case(session, case_id=cid, on="2026-02-24", proposal="转镇城建办")
    cases.forward_case(session, case_id=cid, route="township", unit="镇城建办", on="2026-02-25")
    cases.handle_case(session, case_id=cid, outcome="A", result="路灯已修好", on="2026-03-02")
    cases.reply_case(session, case_id=cid, voter_mode="phone", deputy_mode="face_to_face",
                     satisfaction="satisfied", voter_on="2026-03-03", deputy_on="2026-03-03")
    cases.archive_case(session, case_id=cid)
    return cid


def test_a_filled_form_with_its_record_and_masked_numbers(session, out_dir):
    _walked_case(session)
    out = out_dir / "case.pdf"
    documents.render(session, "case-form", lang="zh", options={"case": "2026-0001"}, out=out)
    text = "".join(page_texts(out))
    flat = squeeze(text)
    assert "接待选民登记表" in flat and "2026-0001" in flat
    assert "138****2345" in flat and "13843312345" not in flat
    assert "**************002X" in flat and "11010519491231002X" not in flat
    assert "村里的路灯坏了三个月，晚上出门很危险" in flat
    assert "金明哲（乡(镇)）" in flat
    assert "镇城建办" in flat and "路灯已修好" in flat and "2026-03-02" in flat
    assert "■求助" in flat and "□投诉" in flat          # the chosen category, and the others
    assert "■A–已解决" in flat and "■满意" in flat
    assert "办理记录" in flat and "已归档" in flat and "tester" in flat


def test_a_blank_form_and_the_korean_and_bilingual_forms(session, out_dir):
    out = out_dir / "blank.pdf"
    documents.render(session, "case-form", lang="ko", options={}, out=out)
    flat = squeeze("".join(page_texts(out)))
    assert "선민접대등록표" in flat and "빈표" in flat
    assert "■" not in flat and "□신소" in flat
    assert "처리기록" not in flat  # no record on a blank form
    _walked_case(session)
    documents.render(session, "case-form", lang="bilingual", options={"case": "2026-0001"},
                     out=out)
    flat = squeeze("".join(page_texts(out)))
    assert "接待选民登记表" in flat and "선민접대등록표" in flat and "138****2345" in flat


def test_an_unknown_case_number_is_refused(session, out_dir):
    with pytest.raises(BadOption) as e:
        documents.render(session, "case-form", lang="zh", options={"case": "2026-9999"},
                         out=out_dir / "x.pdf")
    assert "2026-0001" in e.value.message(lambda m: m)
    assert not (out_dir / "x.pdf").exists()


def test_the_archive_cover_of_an_archived_case(session, out_dir):
    cid = _walked_case(session)
    out = out_dir / "cover.pdf"
    documents.render(session, "archive-cover", lang="zh", options={"case": "2026-0001"},
                     out=out)
    flat = squeeze("".join(page_texts(out)))
    assert cases.case(session, cid)["row"]["archive_no"] == "2026-0001"
    assert "接待选民归档封面" in flat and "2026-0001" in flat
    assert "138****2345" in flat and "13843312345" not in flat
    assert "A–已解决" in flat and "满意" in flat and "镇城建办" in flat
    open_case = cases.register(session, voter={"name": "李春花"}, case={
        "channel": "phone", "category": "enquiry", "words": "咨询医保"}).created_id
    assert open_case
    for value in ("2026-0002", ""):  # not archived; no case given
        with pytest.raises(BadOption):
            documents.render(session, "archive-cover", lang="zh", options={"case": value},
                             out=out_dir / "no.pdf")
    assert not (out_dir / "no.pdf").exists()
