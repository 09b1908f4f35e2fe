import pytest

from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.errors import InvalidTransition, NotFound, ValidationError
from station_desk.services import registry
from tests.conftest import deputy_data, mandate_data

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
       b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _add(session, **kw):
    mandates = kw.pop("mandates", [mandate_data()])
    return registry.create_deputy(session, data=deputy_data(**kw), mandates=mandates).created_id


def test_create_and_read_back(session):
    changes = registry.create_deputy(
        session, data=deputy_data(), photo=PNG,
        mandates=[mandate_data(), mandate_data(level="county", term=17, elected_on="2021-10-01")])
    assert changes.touches("deputies") and changes.created_id
    d = registry.deputy(session, changes.created_id)
    assert d["name"] == "金明哲" and d["status"] == "active"
    assert d["levels"] == "county,township"  # ordered by rank
    assert registry.photo(session, d["id"]) == PNG
    hist = registry.history(session, d["id"])
    assert [h["kind"] for h in hist if h["source"] == "mandate"] == ["elected", "elected"]


def test_invalid_data_saves_nothing(session):
    with pytest.raises(ValidationError) as e:
        registry.create_deputy(session, data=deputy_data(name="", phone="999"),
                               mandates=[mandate_data(elected_on="2030-01-01")])
    fields = {x.field for x in e.value.errors}
    assert fields == {"name", "phone", "mandates[0].elected_on"}
    assert registry.count(session, DeputyFilter()) == 0


def test_photo_must_be_an_image(session):
    with pytest.raises(registry.BadPhoto):
        registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()],
                               photo=b"%PDF-1.4 not an image")
    assert registry.count(session, DeputyFilter()) == 0


def test_search_one_character_and_korean_reading(session):
    _add(session)
    _add(session, name="李春花", name_ko="리춘화", phone="13943300001", sex="F")
    _add(session, name="王建国", name_ko="", phone="13943300002")
    assert registry.count(session, DeputyFilter(query="春")) == 1
    assert registry.count(session, DeputyFilter(query="김")) == 1
    assert registry.count(session, DeputyFilter(query="명철")) == 1
    assert registry.count(session, DeputyFilter(query="%")) == 0
    rows = registry.page(session, DeputyFilter(sort="name", descending=True), offset=0, limit=10)
    assert [r["name"] for r in rows] == sorted([r["name"] for r in rows], reverse=True)


def test_lifecycle_suspend_restore_terminate(session):
    did = _add(session)
    mid = registry.deputy(session, did)["mandates"][0]["id"]
    registry.record_mandate_event(session, mandate_id=mid, kind="suspended", on="2025-01-10",
                                  ground="detained", doc_no="")
    assert registry.deputy(session, did)["status"] == "suspended"
    assert registry.count(session, DeputyFilter(status="suspended")) == 1
    with pytest.raises(InvalidTransition):
        registry.record_mandate_event(session, mandate_id=mid, kind="suspended", on="2025-02-01",
                                      ground="detained")
    registry.record_mandate_event(session, mandate_id=mid, kind="restored", on="2025-03-01")
    with pytest.raises(ValidationError):
        registry.record_mandate_event(session, mandate_id=mid, kind="terminated", on="2025-04-01")
    registry.record_mandate_event(session, mandate_id=mid, kind="terminated", on="2025-04-01",
                                  ground="moved_out", doc_no="龙人常〔2025〕7号")
    d = registry.deputy(session, did)
    assert d["status"] == "former" and d["mandates"][0]["end_ground"] == "moved_out"
    kinds = [h["kind"] for h in registry.history(session, did) if h["source"] == "mandate"]
    assert kinds == ["elected", "suspended", "restored", "terminated"]
    # the person is still there, filterable as a former deputy
    assert registry.count(session, DeputyFilter(status="former")) == 1


def test_update_records_before_and_after_and_detects_stale(session):
    did = _add(session)
    v = registry.deputy(session, did)["row_version"]
    registry.update_deputy(session, deputy_id=did, data=deputy_data(post="镇长"),
                           expected_version=v)
    with pytest.raises(registry.StaleRecord):
        registry.update_deputy(session, deputy_id=did, data=deputy_data(post="x"),
                               expected_version=v)
    edits = [h for h in registry.history(session, did) if h["source"] == "audit"]
    assert edits[-1]["kind"] == "update" and edits[-1]["fields"] == ["post"]


def test_delete_is_a_tombstone_with_undo(session):
    did = _add(session)
    registry.delete_deputy(session, deputy_id=did)
    assert registry.count(session, DeputyFilter()) == 0
    with pytest.raises(NotFound):
        registry.deputy(session, did)
    registry.undo_delete(session, deputy_id=did)
    assert registry.deputy(session, did)["name"] == "金明哲"


def test_filters_by_group_village_level(session):
    gid = registry.create_group(session, name_zh="第一代表小组", name_ko="제1대표소조").created_id
    _add(session, group_id=gid)
    _add(session, name="朴英姬", village="东盛村", phone="13943300003",
         mandates=[mandate_data(level="county", term=17)])
    assert registry.count(session, DeputyFilter(group_id=gid)) == 1
    assert registry.count(session, DeputyFilter(village="东盛村")) == 1
    assert registry.count(session, DeputyFilter(level="county")) == 1
    assert registry.villages(session) == sorted(["明东村", "东盛村"])


def test_likely_duplicates(session):
    _add(session)
    dup = registry.likely_duplicates(session, data=deputy_data(phone="13900000000"))
    assert len(dup) == 1
    assert registry.likely_duplicates(session, data=deputy_data(name="x", phone="")) == []


def test_likely_duplicates_compare_stored_forms(session):
    _add(session)
    typed = deputy_data(birth_date="1975年4月12日", phone="")
    assert len(registry.likely_duplicates(session, data=typed)) == 1
    typed = deputy_data(name="别人", phone="+86 138 4331 2345")
    assert len(registry.likely_duplicates(session, data=typed)) == 1
