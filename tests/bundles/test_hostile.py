"""Every bundle is hostile: each bad one is refused with its reason and the
county's database stays byte-for-byte as it was."""
from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
import zipfile

import pytest

from station_desk.bundles import crypto, format as fmt
from station_desk.domain import bundles as errors
from station_desk.services import bundles, county as county_svc, registry
from station_desk.storage import bundles as store
from tests.bundles.helpers import COUNTY, db_bytes, make_pair
from tests.conftest import deputy_data, mandate_data

CODE = "222405-01"

# duplicate names in a zip are one of the hostile cases: the zip module warns
pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")


@pytest.fixture
def pair(tmp_path, clock):
    p = make_pair(tmp_path, clock)
    registry.create_deputy(p.station, data=deputy_data(), mandates=[mandate_data()])
    yield p
    p.station.close()
    p.county.close()


def _keys(session) -> crypto.KeyPair:
    return bundles._keypair(store.get_keys(session.db))


def _meta(**over) -> dict:
    m = {"format": fmt.FORMAT, "format_version": 1, "schema_version": 1, "app_version": "x",
         "kind": "station", "station": CODE, "county": COUNTY, "bundle_id": str(uuid.uuid4()),
         "serial": 1, "seq_from": 1, "seq_to": 1, "acknowledged_base": 0,
         "peer_acknowledged": 0, "full": False, "period": "2026-03",
         "station_clock": "2026-03-09T10:30:00+08:00",
         "counts": {"deputy_groups": {"rows": 1, "deleted": 0}}}
    m.update(over)
    return m


GROUP = (json.dumps({"id": str(uuid.uuid4()), "origin": CODE, "row_version": 1,
                     "change_seq": 1, "deleted": 0, "name_zh": "一组"}) + "\n").encode()


def craft(path, pair, *, members=None, meta=None, keys=None, recipients=None,
          manifest=None, compress=zipfile.ZIP_DEFLATED):
    """A bundle built by hand: signed (by ``keys``) and encrypted (to ``recipients``)
    like a real one unless told otherwise."""
    members = list(members if members is not None else
                   [("bundle.json", fmt.dumps_meta(meta or _meta())),
                    ("data/deputy_groups.jsonl", GROUP)])
    if manifest is None:
        manifest = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n"
                           for n, d in sorted(members)).encode()
    keys = keys or _keys(pair.station)
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", compress) as zf:
        for name, data in members:
            zf.writestr(name, data)
        zf.writestr(fmt.MANIFEST_NAME, manifest)
        zf.writestr(fmt.SIGNATURE_NAME, crypto.sign(keys, manifest))
    plain.seek(0)
    recipients = recipients or [bundles.county_key(pair.station)["age_recipient"]]
    with open(path, "wb") as out:
        crypto.encrypt_stream(plain, out, recipients)
    return path


def _legit(pair):
    return bundles.export_bundle(pair.station, folder=pair.stick).path


def _flip(pair, tmp_path):
    data = bytearray(_legit(pair).read_bytes())
    data[len(data) // 2] ^= 0x10
    (tmp_path / "flip.age").write_bytes(bytes(data))
    return tmp_path / "flip.age"


def _truncate(pair, tmp_path):
    data = _legit(pair).read_bytes()
    (tmp_path / "cut.age").write_bytes(data[: len(data) * 2 // 3])
    return tmp_path / "cut.age"


def _bomb(pair, tmp_path):
    # 60 MiB of one byte: deflate packs it ~1000:1
    big = b"0" * (60 * 1024 ** 2)
    return craft(tmp_path / "bomb.age", pair, members=[
        ("bundle.json", fmt.dumps_meta(_meta())), ("data/deputy_groups.jsonl", big)])


def _other_county_recipient():
    return crypto.generate().age_recipient


CASES = {
    "flipped bit": (_flip, errors.BundleDamaged, "decrypt"),
    "truncated file": (_truncate, errors.BundleDamaged, "decrypt"),
    "garbage bytes": (lambda p, t: (t / "junk.age").write_bytes(os.urandom(5000))
                      and t / "junk.age", errors.NotABundle, "decrypt"),
    "county key mismatch": (lambda p, t: craft(t / "k.age", p,
                                               recipients=[_other_county_recipient()]),
                            errors.CountyKeyMismatch, "decrypt"),
    "wrong station key": (lambda p, t: craft(t / "w.age", p, keys=crypto.generate()),
                          errors.WrongStationKey, "signature"),
    "unenrolled station": (lambda p, t: craft(t / "u.age", p, meta=_meta(station="222405-99")),
                           errors.NotEnrolled, "enrolment"),
    "addressed to another county": (lambda p, t: craft(t / "a.age", p,
                                                       meta=_meta(county="222401")),
                                    errors.WrongAddressee, "enrolment"),
    "zip slip name": (lambda p, t: craft(t / "z.age", p, members=[
        ("bundle.json", fmt.dumps_meta(_meta())), ("../../evil.jsonl", GROUP)]),
        errors.BadBundleStructure, "structure"),
    "zip slip inside data/": (lambda p, t: craft(t / "z2.age", p, members=[
        ("bundle.json", fmt.dumps_meta(_meta())), ("data/../../etc/x.jsonl", GROUP)]),
        errors.BadBundleStructure, "structure"),
    "absolute name": (lambda p, t: craft(t / "z3.age", p, members=[
        ("bundle.json", fmt.dumps_meta(_meta())), ("/tmp/x.jsonl", GROUP)]),
        errors.BadBundleStructure, "structure"),
    "zip bomb": (_bomb, errors.BundleTooLarge, "structure"),
    "duplicate names": (lambda p, t: craft(t / "d.age", p, members=[
        ("bundle.json", fmt.dumps_meta(_meta())), ("data/deputy_groups.jsonl", GROUP),
        ("data/deputy_groups.jsonl", GROUP)]), errors.BadBundleStructure, "structure"),
    "newer format": (lambda p, t: craft(t / "n.age", p, meta=_meta(format_version=99)),
                     errors.FormatTooNew, "format"),
    "newer schema": (lambda p, t: craft(t / "s.age", p, meta=_meta(schema_version=999)),
                     errors.SchemaTooNew, "schema"),
    "hash mismatch": (lambda p, t: craft(t / "h.age", p, manifest=(
        f"{'0' * 64}  bundle.json\n{hashlib.sha256(GROUP).hexdigest()}  "
        "data/deputy_groups.jsonl\n").encode()), errors.HashMismatch, "hashes"),
    "unknown table": (lambda p, t: craft(t / "t.age", p, meta=_meta(
        counts={"accounts": {"rows": 1, "deleted": 0}}), members=[
        ("bundle.json", fmt.dumps_meta(_meta(counts={"accounts": {"rows": 1, "deleted": 0}}))),
        ("data/accounts.jsonl", GROUP)]), errors.SchemaMismatch, "schema"),
    "unknown column": (lambda p, t: craft(t / "c.age", p, members=[
        ("bundle.json", fmt.dumps_meta(_meta())),
        ("data/deputy_groups.jsonl", GROUP.replace(b'"name_zh"', b'"evil; DROP"'))]),
        errors.SchemaMismatch, "schema"),
    "counts do not match": (lambda p, t: craft(t / "m.age", p, members=[
        ("bundle.json", fmt.dumps_meta(_meta())),
        ("data/deputy_groups.jsonl", GROUP + GROUP.replace(b"-", b"a", 1))]),
        errors.SchemaMismatch, "schema"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_bundle_refused_and_nothing_changed(pair, tmp_path, case):
    make, error, check = CASES[case]
    path = make(pair, tmp_path)
    county_svc.import_bundle(pair.county, path=_legit(pair))   # a county with data
    before = db_bytes(pair.county)
    for attempt in (county_svc.preview_import, county_svc.import_bundle):
        with pytest.raises(error) as info:
            attempt(pair.county, path=path)
        assert info.value.check == check
        text = info.value.message(lambda s: s)
        assert "Nothing was changed" in text
        assert any(w in text for w in ("export", "Update the program", "Enrol", "enrol",
                                       "Import it where"))
    assert db_bytes(pair.county) == before


def test_layout_limits_without_crypto():
    """The structural checks on their own: the writer's own output passes."""
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("bundle.json", b"{}")
        zf.writestr("bundle.json", b"{}")
    with zipfile.ZipFile(plain) as zf, pytest.raises(errors.BadBundleStructure):
        from station_desk.bundles.reader import check_layout
        check_layout(zf, fmt.DEFAULT_LIMITS)


class _PulledStick:
    """A file on a stick pulled out after ``limit`` bytes."""

    def __init__(self, path, limit):
        self._f, self._left = open(path, "wb"), limit

    def write(self, data):
        if self._left <= 0:
            raise OSError(5, "Input/output error")
        data = bytes(data)[: self._left]
        self._left -= len(data)
        return self._f.write(data)

    def flush(self):
        self._f.flush()

    def fileno(self):
        return self._f.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


def test_stick_pulled_out_leaves_nothing_acceptable(pair, monkeypatch):
    monkeypatch.setattr(bundles, "_open_out", lambda p: _PulledStick(p, 3000))
    with pytest.raises(errors.ExportFailed):
        bundles.export_bundle(pair.station, folder=pair.stick)
    assert list(pair.stick.iterdir()) == []            # the part file was removed
    assert bundles.exports(pair.station) == []          # and nothing entered the history
    # the stick gone for good: the partial file stays behind and is refused
    monkeypatch.setattr(type(pair.stick), "unlink", lambda self, missing_ok=False:
                        (_ for _ in ()).throw(OSError(5, "gone")))
    with pytest.raises(errors.ExportFailed):
        bundles.export_bundle(pair.station, folder=pair.stick)
    monkeypatch.undo()
    [part] = list(pair.stick.iterdir())
    assert part.name.endswith(".age.part")
    before = db_bytes(pair.county)
    with pytest.raises(errors.BundleError):
        county_svc.import_bundle(pair.county, path=part)
    assert db_bytes(pair.county) == before


# -- Hypothesis: random names, random bundle.json, random rows, all properly
#    encrypted and signed — the importer refuses with a BundleError or applies
#    cleanly, never crashes with anything else, and a refusal changes nothing.
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


NAMES = st.one_of(st.sampled_from(["bundle.json", "data/deputy_groups.jsonl",
                                   "data/deputies.jsonl", "attachments/" + "a" * 64,
                                   "../x", "data/", "data/x.jsonl/../../y", "C:\\x",
                                   "manifest-sha256.txt"]),
                  st.text(min_size=1, max_size=30))
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                       lambda c: st.lists(c, max_size=3) | st.dictionaries(
                           st.text(max_size=8), c, max_size=3), max_leaves=8)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(extra=st.lists(st.tuples(NAMES, st.binary(max_size=200)), max_size=3),
       meta_patch=st.dictionaries(st.sampled_from(list(fmt.META_FIELDS)), JSONISH, max_size=3),
       row=st.dictionaries(st.text(max_size=12), JSONISH, max_size=6))
def test_random_signed_bundles_never_crash(tmp_path_factory, clock, extra, meta_patch, row):
    tmp = tmp_path_factory.mktemp("fz")
    pair = make_pair(tmp, clock)
    try:
        members = [("bundle.json", fmt.dumps_meta(_meta(**meta_patch))),
                   ("data/deputy_groups.jsonl", (json.dumps(row) + "\n").encode())] + extra
        path = craft(tmp / "f.age", pair, members=members)
        before = db_bytes(pair.county)
        try:
            report = county_svc.import_bundle(pair.county, path=path)
        except errors.BundleError:
            assert db_bytes(pair.county) == before
        else:
            assert report.applied or report.already_imported
    finally:
        pair.station.close()
        pair.county.close()
