"""docs/bundle-format.md's recovery recipe works: a county's IT person opens a
bundle with standard tools (age, unzip, openssl, sha256sum) — tested through
the libraries always and through the command-line tools where installed."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from station_desk.bundles import format as fmt
from station_desk.services import bundles, county as county_svc, registry
from tests.bundles.helpers import make_pair
from tests.conftest import deputy_data, mandate_data


@pytest.fixture
def exported(tmp_path, clock):
    p = make_pair(tmp_path, clock)
    registry.create_deputy(p.station, data=deputy_data(), mandates=[mandate_data()])
    result = bundles.export_bundle(p.station, folder=p.stick)
    enrol = json.loads((tmp_path / "222405-01.enrol.json").read_text(encoding="utf-8"))
    secret = county_svc.key_backup(p.county)["age_identity"]
    yield result.path, enrol, secret, tmp_path
    p.station.close()
    p.county.close()


def test_recipe_with_libraries(exported):
    path, enrol, secret, _ = exported
    import pyrage
    from pyrage import x25519

    plain = pyrage.decrypt(path.read_bytes(), [x25519.Identity.from_str(secret)])
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        manifest = zf.read(fmt.MANIFEST_NAME)
        sig = zf.read(fmt.SIGNATURE_NAME)
        # the signature verifies with the raw Ed25519 key of the enrolment file ...
        Ed25519PublicKey.from_public_bytes(
            base64.b64decode(enrol["signing_public"])).verify(sig, manifest)
        # ... over exactly the manifest's bytes, which name every other member's sha256
        listed = dict(reversed(line.split("  ", 1)) for line in manifest.decode().splitlines())
        for name, sha in listed.items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == sha
        assert set(listed) | {fmt.MANIFEST_NAME, fmt.SIGNATURE_NAME} == set(zf.namelist())
        meta = json.loads(zf.read("bundle.json"))
        assert meta["station"] == "222405-01" and meta["counts"]["deputies"]["rows"] == 1
        first = json.loads(zf.read("data/deputies.jsonl").splitlines()[0])
        assert first["name"] == "金明哲"


@pytest.mark.skipif(not all(shutil.which(t) for t in ("age", "openssl", "unzip", "sha256sum")),
                    reason="age, openssl, unzip and sha256sum are needed for the CLI recipe")
def test_recipe_with_command_line_tools(exported):
    path, enrol, secret, tmp = exported
    work = tmp / "it"
    work.mkdir()
    (work / "county-key.txt").write_text(secret + "\n")
    (work / "station.pem").write_text(enrol["signing_public_pem"])

    def run(*cmd):
        return subprocess.run(cmd, cwd=work, check=True, capture_output=True, text=True)

    run("age", "-d", "-i", "county-key.txt", "-o", "bundle.zip", str(path))
    run("unzip", "-q", "bundle.zip", "-d", "bundle")
    out = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "station.pem", "-rawin",
              "-in", "bundle/manifest-sha256.txt", "-sigfile",
              "bundle/manifest-sha256.txt.sig")
    assert "Signature Verified Successfully" in out.stdout
    subprocess.run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=work / "bundle",
                   check=True)
    # a tampered manifest fails openssl's check
    m = work / "bundle" / "manifest-sha256.txt"
    m.write_bytes(m.read_bytes().replace(b"0", b"1", 1))
    bad = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "station.pem",
                          "-rawin", "-in", "bundle/manifest-sha256.txt", "-sigfile",
                          "bundle/manifest-sha256.txt.sig"], cwd=work, capture_output=True,
                         text=True)
    assert bad.returncode != 0
