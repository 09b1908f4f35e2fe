"""``station-desk bundle …`` / ``county …`` run the same services; exit codes."""
from __future__ import annotations

from station_desk.cli import main
from station_desk.i18n import _
from station_desk.services import bundles, registry
from tests.bundles.helpers import make_pair
from tests.conftest import deputy_data, mandate_data


def test_bundle_commands_end_to_end(tmp_path, clock, capsys):
    p = make_pair(tmp_path, clock)
    registry.create_deputy(p.station, data=deputy_data(), mandates=[mandate_data()])
    st, co = str(p.station.path), str(p.county.path)
    p.station.close()
    p.county.close()
    assert main(["bundle", "export", "--db", st, "--out", str(p.stick)]) == 0
    [f] = list(p.stick.glob("*.age"))
    assert main(["bundle", "verify", str(f), "--db", co]) == 0
    assert main(["bundle", "inspect", str(f), "--db", co]) == 0
    assert "deputies: 1" in capsys.readouterr().out
    assert main(["bundle", "import", str(f), "--db", co, "--dry-run"]) == 0
    assert _("Dry run: nothing kept.") in capsys.readouterr().out
    assert main(["bundle", "import", str(f), "--db", co]) == 0
    assert _("Applied.") in capsys.readouterr().out
    assert main(["bundle", "import", str(f), "--db", co]) == 0
    assert _("Already imported on {when}; nothing changed.").split("{")[0] in \
        capsys.readouterr().out
    junk = p.stick / "junk.age"
    junk.write_bytes(b"\x00" * 100)
    assert main(["bundle", "import", str(junk), "--db", co]) == 1
    err = capsys.readouterr().err
    assert "junk.age: " in err   # which check failed, in words, as in the window
    assert _("Failed check: {check}").format(check=_("decryption")) in err
    assert main(["bundle", "import", str(junk), str(f), "--db", co]) == 3
    assert main(["county", "stations", "--db", co]) == 0
    assert "222405-01" in capsys.readouterr().out
    assert main(["county", "return", "--db", co, "--out", str(p.stick)]) == 0
    [r] = list(p.stick.glob("*.return.age"))
    assert main(["bundle", "import", str(r), "--db", st]) == 0
    assert main(["bundle", "export", "--db", str(tmp_path / "nope.sqlite3"),
                 "--out", str(p.stick)]) == 2


def test_county_create_prints_the_backup_prompt(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    assert main(["county", "create", "--db", str(db), "--code", "222405", "--name", "龙井"]) == 0
    out = capsys.readouterr().out
    assert "AGE-SECRET-KEY-1" in out and _("Fingerprint: {fp}").split("{")[0] in out
    assert main(["county", "create", "--db", str(db), "--code", "222405", "--name", "龙井"]) == 1
