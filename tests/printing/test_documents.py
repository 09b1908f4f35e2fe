"""The registry of printable documents: options, file writing, errors."""
from __future__ import annotations

import os

import pytest

from station_desk.domain.errors import DiskFull
from station_desk.services import documents, registry
from tests.printing.conftest import add_deputies, page_texts, squeeze, terminate


def _db_state(session):
    return (session.db.execute("SELECT seq FROM sync_counter").fetchone()[0],
            session.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0])


def test_the_roster_is_registered_with_its_options():
    doc = documents.DOCUMENTS["roster"]
    assert {o.name for o in doc.options} == {"status", "group", "level"}
    assert doc.option("status").choices == ("active", "suspended", "former", "all")
    listed = documents.describe()
    assert [d["name"] for d in listed] == list(documents.DOCUMENTS)


def test_status_option_selects_deputies(session, out_dir):
    ids = add_deputies(session, 3)
    terminate(session, ids[0])
    out = out_dir / "former.pdf"
    documents.render(session, "roster", lang="zh", options={"status": "former"}, out=out)
    flat = squeeze("".join(page_texts(out)))
    assert "金喆" in flat and "李堃" not in flat
    documents.render(session, "roster", lang="zh", options={"status": "active"}, out=out)
    flat = squeeze("".join(page_texts(out)))
    assert "金喆" not in flat and "李堃" in flat and "王昇" in flat


def test_group_option_takes_the_group_name(session, out_dir):
    add_deputies(session, 2)
    registry.create_group(session, name_zh="第二代表小组", name_ko="제2대표소조")
    out = out_dir / "g.pdf"
    documents.render(session, "roster", lang="ko", options={"group": "제2대표소조"}, out=out)
    assert "金喆" not in squeeze("".join(page_texts(out)))
    documents.render(session, "roster", lang="ko", options={"group": "第一代表小组"}, out=out)
    assert "金喆" in squeeze("".join(page_texts(out)))


@pytest.mark.parametrize("name, lang, options, error", [
    ("rooster", "zh", {}, documents.UnknownDocument),
    ("roster", "fr", {}, documents.BadLanguage),
    ("roster", "zh", {"status": "gone"}, documents.BadOption),
    ("roster", "zh", {"colour": "red"}, documents.UnknownOption),
    ("roster", "zh", {"group": "no such group"}, documents.BadOption),
    ("roster", "zh", {"level": "village"}, documents.BadOption),
])
def test_bad_requests_are_typed_errors_and_write_nothing(session, out_dir, name, lang,
                                                          options, error):
    out = out_dir / "x.pdf"
    with pytest.raises(error) as info:
        documents.render(session, name, lang=lang, options=options, out=out)
    assert info.value.message(lambda s: s)  # a sentence for the user
    assert list(out_dir.iterdir()) == []


def test_an_existing_file_is_replaced_whole(session, out_dir):
    add_deputies(session, 1)
    out = out_dir / "roster.pdf"
    out.write_bytes(b"old")
    documents.render(session, "roster", lang="en", options=None, out=out)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out_dir.iterdir()] == ["roster.pdf"]  # no temp file left


def test_a_folder_that_cannot_take_the_file_is_a_disk_error(session, tmp_path):
    add_deputies(session, 1)
    before = _db_state(session)
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    for out in (not_a_folder / "roster.pdf", tmp_path / "missing" / "roster.pdf"):
        with pytest.raises(DiskFull):
            documents.render(session, "roster", lang="zh", options={}, out=out)
    # no data changed; the audit trail holds the two failed saves (issue 8)
    assert _db_state(session) == (before[0], before[1] + 2)
    failed = session.db.execute("SELECT action, result FROM audit ORDER BY seq DESC LIMIT 2")
    assert failed.fetchall() == [("save", "failed")] * 2


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="permissions do not stop root; covered by the test above")
def test_a_read_only_folder_is_a_disk_error(session, out_dir):
    add_deputies(session, 1)
    before = _db_state(session)
    out_dir.chmod(0o500)
    try:
        with pytest.raises(DiskFull):
            documents.render(session, "roster", lang="zh", options={}, out=out_dir / "r.pdf")
    finally:
        out_dir.chmod(0o700)
    assert list(out_dir.iterdir()) == []
    assert _db_state(session) == (before[0], before[1] + 1)  # the failed save is audited


def test_default_file_name_names_the_document_and_day(session):
    name = documents.default_file_name(session, "roster", lang="zh")
    assert name.endswith("-2026-03-09.pdf")
    assert not any(c in name for c in '\\/:*?"<>|')


def test_what_the_window_imports_does_not_load_reportlab_or_pdfium():
    import subprocess
    import sys

    code = ("import sys, station_desk.services.documents, station_desk.printing.fonts, "
            "station_desk.ui.printing; "
            "sys.exit(any(m in sys.modules for m in ('reportlab', 'pypdfium2')))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0
