"""``station-desk print`` through station_desk.cli.main, writing real files."""
from __future__ import annotations

from pypdf import PdfReader

from station_desk.cli import main
from tests.printing.conftest import add_deputies, page_texts, squeeze


def test_list_names_every_document_with_its_options(capsys):
    assert main(["print", "--list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("roster")
    assert "status=active|suspended|former|all" in out
    assert "group=" in out and "level=" in out


def test_print_roster_writes_a_pdf(session, tmp_path, capsys):
    add_deputies(session, 2)
    out = tmp_path / "roster.pdf"
    code = main(["print", "roster", "--db", str(session.path), "--lang", "zh",
                 "--out", str(out), "--option", "status=active"])
    assert code == 0
    assert str(out) in capsys.readouterr().out
    reader = PdfReader(str(out))
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)
    assert "金喆" in squeeze("".join(page_texts(out)))


def test_print_roster_bilingual(session, tmp_path):
    add_deputies(session, 1)
    out = tmp_path / "both.pdf"
    assert main(["print", "roster", "--db", str(session.path), "--lang", "bilingual",
                 "--out", str(out)]) == 0
    flat = squeeze("".join(page_texts(out)))
    assert "龙井市智新镇人大代表联络站" in flat and squeeze("룡정시 지신진") in flat


def test_mistakes_exit_with_2_and_say_why(session, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    db = str(session.path)
    cases = [
        (["print", "roster", "--db", str(tmp_path / "none.sqlite3"), "--out", str(out)], "none.sqlite3"),
        (["print", "rooster", "--db", db, "--out", str(out)], "rooster"),
        (["print", "roster", "--db", db, "--out", str(out), "--option", "status=gone"], "gone"),
        (["print", "roster", "--db", db, "--out", str(out), "--option", "status"], "KEY=VALUE"),
        (["print", "roster", "--db", db, "--out", str(out), "--lang", "fr"], "fr"),
        (["print", "--db", db], "--list"),
    ]
    for argv, said in cases:
        assert main(argv) == 2, argv
        assert said in capsys.readouterr().err, argv
    assert not out.exists()
    assert not (tmp_path / "none.sqlite3").exists()  # a missing db is not created


def test_an_unwritable_target_exits_1(session, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["print", "roster", "--db", str(session.path),
                 "--out", str(blocker / "r.pdf")]) == 1
    assert "r.pdf" in capsys.readouterr().err
