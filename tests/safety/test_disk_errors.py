"""Disk full and read-only, injected into the save paths: a service write, a
backup, the roster export and a saved PDF.  Each gives the typed error with a
clear message, leaves the database's rows as they were and leaves no half-written
file behind (an older file of the same name stays as it was)."""
from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from station_desk import paths
from station_desk.domain.deputies import DeputyFilter
from station_desk.domain.errors import DiskFull
from station_desk.i18n import gettext_for
from station_desk.services import backup as backup_service
from station_desk.services import documents, registry, roster_io
from station_desk.services import station as station_service
from station_desk.storage import backup as backup_store
from tests.conftest import deputy_data, mandate_data

PHOTO = bytes([0xFF, 0xD8, 0xFF]) + os.urandom(400_000)


def rows_digest(path: Path, *, skip_audit: bool = False) -> str:
    """A checksum of every row of every table (read on a connection of its own)."""
    conn = sqlite3.connect(path)
    try:
        h = hashlib.sha256()
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite_%' ORDER BY name"):
            if skip_audit and table.startswith("audit"):
                continue  # a failed export or backup is itself written to the audit trail
            h.update(table.encode())
            for row in sorted(repr(r) for r in conn.execute(f"SELECT * FROM '{table}'")):
                h.update(row.encode())
        return h.hexdigest()
    finally:
        conn.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")
                  or p.name.endswith((".tmp", "-journal")))


def in_english(exc) -> str:
    return exc.message(gettext_for("en"))


def enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def erofs(*_a, **_k):
    raise OSError(errno.EROFS, os.strerror(errno.EROFS))


@pytest.fixture
def stocked(session):
    registry.create_deputy(session, data=deputy_data(), mandates=[mandate_data()])
    registry.create_deputy(session, data=deputy_data(name="李春花", phone="13943300001"),
                           mandates=[mandate_data()])
    return session


# -- the database itself ------------------------------------------------------------

def test_a_full_disk_during_a_service_write_saves_nothing(stocked):
    s = stocked
    before = rows_digest(s.path)
    # SQLite's own SQLITE_FULL: the file may not grow by a single page
    pages = s.db.execute("PRAGMA page_count").fetchone()[0]
    s.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFull) as caught:
        registry.create_deputy(s, data=deputy_data(name="崔正浩", phone="13943300002"),
                               mandates=[mandate_data()], photo=PHOTO)
    assert "disk is full" in in_english(caught.value)
    assert "Nothing was saved" in in_english(caught.value)
    assert rows_digest(s.path) == before
    # space again: the same session saves the same action whole
    s.db.execute("PRAGMA max_page_count = 1073741823")
    registry.create_deputy(s, data=deputy_data(name="崔正浩", phone="13943300002"),
                           mandates=[mandate_data()], photo=PHOTO)
    assert registry.count(s, DeputyFilter()) == 3


def test_a_full_disk_during_a_roster_import_imports_no_row(stocked, tmp_path):
    s = stocked
    csv_file = tmp_path / "roster.csv"
    lines = ["姓名,性别,联系电话,代表层级,届次,当选日期"]
    lines += [f"金{chr(0x4E00 + i)}哲,男,1384331{i:04d},乡镇,18,2021-11-20" for i in range(400)]
    csv_file.write_text("\n".join(lines), encoding="utf-8")
    table = roster_io.read_table(csv_file)
    preview = roster_io.preview(s, table, roster_io.guess_mapping(table.headers))
    assert preview.valid_count == 400
    before = rows_digest(s.path)
    pages = s.db.execute("PRAGMA page_count").fetchone()[0]
    s.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(DiskFull):
        roster_io.apply(s, preview, skip_duplicates=False)
    assert rows_digest(s.path) == before
    assert registry.count(s, DeputyFilter()) == 2


def test_a_read_only_database_refuses_a_write_with_a_clear_message(stocked):
    s = stocked
    before = rows_digest(s.path)
    s.db.execute("PRAGMA query_only = ON")  # SQLite answers SQLITE_READONLY to any write
    with pytest.raises(DiskFull) as caught:
        station_service.save_profile(s, data={**station_service.profile(s), "address": "新址"})
    assert "not writable" in in_english(caught.value)
    s.db.execute("PRAGMA query_only = OFF")
    assert rows_digest(s.path) == before


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="file modes do not stop the superuser")
def test_a_database_file_without_write_permission(stocked):
    from station_desk.services.session import open_session

    path = stocked.path
    stocked.close()
    before = rows_digest(path)
    path.chmod(0o444)
    try:
        with pytest.raises(DiskFull):
            s = open_session(path)
            try:
                station_service.add_staff(s, data={"name": "崔正浩", "role": "worker"})
            finally:
                s.close()
    finally:
        path.chmod(0o644)
    assert rows_digest(path) == before


# -- backups ----------------------------------------------------------------------------

@pytest.mark.parametrize("where, fail", [
    ("fsync", enospc),        # the disk fills while the copy is flushed
    ("replace", erofs),       # the folder turns out read-only at the rename
])
def test_a_backup_to_a_full_or_read_only_folder(stocked, monkeypatch, where, fail):
    s = stocked
    folder = paths.backup_dir(s.path)
    older = backup_service.backup_now(s.path)
    registry.create_deputy(s, data=deputy_data(name="崔正浩", phone="13943300002"),
                           mandates=[mandate_data()])
    before = rows_digest(s.path, skip_audit=True)
    listing = sorted(p.name for p in folder.iterdir())
    target = {"fsync": "_fsync_file", "replace": "os"}[where]
    if where == "fsync":
        monkeypatch.setattr(backup_store, target, fail)
    else:
        class FailingOs:
            def __getattr__(self, name):
                return fail if name == "replace" else getattr(os, name)
        monkeypatch.setattr(backup_store, "os", FailingOs())
    with pytest.raises(DiskFull) as caught:
        backup_service.backup_now(s.path)
    assert "Nothing was saved" in in_english(caught.value)
    assert sorted(p.name for p in folder.iterdir()) == listing  # no temp, no half copy
    assert backup_service.newest_sound_backup(s.path).path == older.path
    assert rows_digest(s.path, skip_audit=True) == before


def test_a_backup_folder_that_cannot_be_made(stocked, monkeypatch):
    s = stocked
    blocker = paths.backup_dir(s.path)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_bytes(b"a file where the folder should be")
    with pytest.raises(DiskFull):
        backup_service.backup_now(s.path)
    assert blocker.read_bytes() == b"a file where the folder should be"


# -- exports ----------------------------------------------------------------------------

def test_a_roster_export_to_a_full_disk_leaves_the_old_file(stocked, tmp_path, monkeypatch):
    import openpyxl

    out = tmp_path / "exports" / "名册.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"an older export")
    before = rows_digest(stocked.path, skip_audit=True)
    real_save = openpyxl.Workbook.save

    def save(self, filename):
        real_save(self, filename)
        with open(filename, "r+b") as f:  # the disk filled half-way through the file
            f.truncate(os.path.getsize(filename) // 2)
        enospc()

    monkeypatch.setattr(openpyxl.Workbook, "save", save)
    with pytest.raises(roster_io.ExportFileError) as caught:
        roster_io.export_xlsx(stocked, out)
    assert "No space left on device" in in_english(caught.value)
    assert out.read_bytes() == b"an older export"
    assert leftovers(out.parent) == []
    assert rows_digest(stocked.path, skip_audit=True) == before


def test_a_roster_export_whose_flush_fails_leaves_the_old_file(stocked, tmp_path, monkeypatch):
    out = tmp_path / "exports" / "名册.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"an older export")
    monkeypatch.setattr(roster_io.os, "fsync", enospc)  # delayed allocation: full at fsync
    with pytest.raises(roster_io.ExportFileError):
        roster_io.export_xlsx(stocked, out)
    assert out.read_bytes() == b"an older export"
    assert leftovers(out.parent) == []


def test_a_roster_export_to_a_read_only_folder(stocked, tmp_path, monkeypatch):
    out = tmp_path / "exports" / "名册.xlsx"
    out.parent.mkdir()
    monkeypatch.setattr(roster_io.os, "replace", erofs)
    with pytest.raises(roster_io.ExportFileError) as caught:
        roster_io.export_xlsx(stocked, out)
    assert str(out) in in_english(caught.value)
    assert not out.exists() and leftovers(out.parent) == []


@pytest.mark.parametrize("fail", [enospc, erofs])
def test_a_pdf_saved_to_a_full_or_read_only_disk(stocked, tmp_path, monkeypatch, fail):
    out = tmp_path / "docs" / "名册.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF an older copy")
    before = rows_digest(stocked.path, skip_audit=True)
    monkeypatch.setattr(documents.os, "fsync", fail)
    with pytest.raises(DiskFull) as caught:
        documents.render(stocked, "roster", lang="zh_CN", out=out)
    assert str(out) in in_english(caught.value)
    assert out.read_bytes() == b"%PDF an older copy"
    assert leftovers(out.parent) == []
    assert rows_digest(stocked.path, skip_audit=True) == before


# -- through the window -----------------------------------------------------------------

def test_save_pdf_on_a_full_disk_tells_the_clerk(qtbot, stocked, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from station_desk.i18n import _
    from station_desk.ui import printing as ui_printing
    from station_desk.ui.widgets.errors import message_of

    out = tmp_path / "docs" / "名册.pdf"
    out.parent.mkdir()
    shown = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text, *a: shown.append((title, text)))
    monkeypatch.setattr(documents.os, "fsync", enospc)
    assert ui_printing.save_document(None, stocked, "roster", lang="zh_CN") is None
    expected = DiskFull(detail=f"{os.strerror(errno.ENOSPC)}: {out}")
    assert shown == [(_("Not saved"), message_of(expected))]
    assert not out.exists() and leftovers(out.parent) == []


def test_saving_the_station_profile_to_a_read_only_database_tells_the_clerk(
        qtbot, session, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from station_desk.ui.screens.station import StationScreen
    from station_desk.ui.widgets.errors import message_of

    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text, *a: shown.append(text))
    screen = StationScreen(session)
    qtbot.addWidget(screen)
    screen.refresh()
    before = rows_digest(session.path)
    session.db.execute("PRAGMA query_only = ON")  # SQLITE_READONLY on any write
    screen.fields.widgets["address"].setText("智新镇明东村1号")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert shown == [message_of(DiskFull(detail="attempt to write a readonly database"))]
    assert rows_digest(session.path) == before
    session.db.execute("PRAGMA query_only = OFF")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1  # saved this time, nothing more to tell
    assert station_service.profile(session)["address"] == "智新镇明东村1号"
