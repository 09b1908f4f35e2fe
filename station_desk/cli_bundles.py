"""``station-desk bundle …`` and ``station-desk county …``: the bundle services
headless, for batch use at the county.

Exit codes: 0 done; 1 refused (a bundle failed a check, a key did not
match — the message says which check and what to do); 2 wrong use (no
database, missing argument); 3 a batch where some bundles were refused and
others imported.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station_desk.domain.bundles import refusal


def add_parsers(sub) -> None:
    """Add the ``bundle`` and ``county`` subcommands to the main parser."""
    b = sub.add_parser("bundle", help="monthly bundles: export, inspect, import, verify")
    bs = b.add_subparsers(dest="bundle_command", required=True)
    e = bs.add_parser("export", help="export this station's bundle into a folder")
    e.add_argument("--db", type=Path, dest="sub_db")
    e.add_argument("--out", type=Path, required=True, help="folder (the USB stick)")
    e.add_argument("--full", action="store_true", help="every row, not only the changes")
    for name, text in (("inspect", "show what a bundle is (after its checks)"),
                       ("verify", "run every check of an import without importing")):
        x = bs.add_parser(name, help=text)
        x.add_argument("file", type=Path)
        x.add_argument("--db", type=Path, dest="sub_db")
    i = bs.add_parser("import", help="import bundles (county: station bundles; "
                                     "station: the county's return bundle)")
    i.add_argument("files", type=Path, nargs="+")
    i.add_argument("--db", type=Path, dest="sub_db")
    i.add_argument("--dry-run", action="store_true", help="show what would change, keep nothing")
    en = bs.add_parser("enrolment", help="write this station's enrolment file")
    en.add_argument("--db", type=Path, dest="sub_db")
    en.add_argument("--out", type=Path, required=True)
    ck = bs.add_parser("county-key", help="import the county's key file at the station")
    ck.add_argument("file", type=Path)
    ck.add_argument("--db", type=Path, dest="sub_db")
    ck.add_argument("--fingerprint", required=True,
                    help="the fingerprint printed at the county, as compared")

    c = sub.add_parser("county", help="county mode: create, enrol stations, return bundles")
    cs = c.add_subparsers(dest="county_command", required=True)
    cc = cs.add_parser("create", help="create a county database and its keys")
    cc.add_argument("--db", type=Path, dest="sub_db", required=True)
    cc.add_argument("--code", required=True)
    cc.add_argument("--name", required=True)
    ce = cs.add_parser("enrol", help="enrol a station from its enrolment file")
    ce.add_argument("file", type=Path)
    ce.add_argument("--db", type=Path, dest="sub_db", required=True)
    ce.add_argument("--fingerprint", required=True)
    ce.add_argument("--replace", action="store_true", help="the station has a new key")
    cl = cs.add_parser("stations", help="list the enrolled stations")
    cl.add_argument("--db", type=Path, dest="sub_db", required=True)
    ckey = cs.add_parser("key", help="write the county's key file for its stations")
    ckey.add_argument("--db", type=Path, dest="sub_db", required=True)
    ckey.add_argument("--out", type=Path, required=True)
    cr = cs.add_parser("return", help="write return bundles (one per station)")
    cr.add_argument("--db", type=Path, dest="sub_db", required=True)
    cr.add_argument("--out", type=Path, required=True)
    cr.add_argument("--station", action="append", help="only this station (repeatable)")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _open(path: Path | None):
    from station_desk import paths
    from station_desk.domain.bundles import NotCountyMode
    from station_desk.services import county
    from station_desk.services.session import open_session

    path = path or paths.default_db()
    if not Path(path).is_file():
        return None
    try:
        return county.open_county(path, actor="cli")
    except NotCountyMode:
        return open_session(path, actor="cli")


def _report_lines(report, _) -> list[str]:
    from station_desk.domain.bundles import OUTCOMES, OUTCOME_LABELS

    head = _("{file}: bundle {serial} of {sender}, period {period}").format(
        file=report.file, serial=report.serial, sender=report.sender, period=report.period)
    if report.already_imported:
        return [head, "  " + _("Already imported on {when}; nothing changed.").format(
            when=report.already_imported)]
    lines = [head]
    for table, s in report.tables.items():
        parts = [f"{_(OUTCOME_LABELS[o])} {s[o]}" for o in OUTCOMES if s.get(o)]
        if parts:
            lines.append(f"  {table}: " + ", ".join(parts))
        for c in s.get("conflict_list", [])[:20]:
            lines.append("    " + _("conflict {id}: {reason}").format(
                id=c["id"], reason=_(c["reason"]).format(**c["params"])))
    for msgid, params in report.notes:
        lines.append("  " + _(msgid).format(**params))
    lines.append("  " + (_("Applied.") if report.applied else _("Dry run: nothing kept.")))
    return lines


def run(args: argparse.Namespace) -> int:
    """Run ``bundle …`` or ``county …``; the exit code."""
    from station_desk.domain.errors import DomainError
    from station_desk.i18n import _
    from station_desk.services import bundles, county

    if args.command == "county" and args.county_command == "create":
        try:
            s = county.create_county(args.sub_db, code=args.code, name=args.name, actor="cli")
        except DomainError as exc:
            _err(exc.message(_))
            return 1
        try:
            kb = county.key_backup(s)
            print(_("County database written: {path}").format(path=args.sub_db))
            print(_("Fingerprint: {fp}").format(fp=kb["fingerprint"]))
            print(_("Print this secret key and keep it offline (a safe, not this PC). "
                    "Without it no bundle sent to this county can be opened if the PC "
                    "is lost:"))
            print(kb["age_identity"])
            print(_("Signing key (secret): {key}").format(key=kb["signing_private"]))
        finally:
            s.close()
        return 0

    session = _open(getattr(args, "sub_db", None))
    if session is None:
        _err(_("No station database at {path}. Give one with --db PATH.").format(
            path=getattr(args, "sub_db", None)))
        return 2
    try:
        if args.command == "bundle":
            return _bundle(args, session, _)
        return _county(args, session, _)
    except DomainError as exc:
        _err(refusal(exc, _))
        return 1
    finally:
        session.close()


def _bundle(args, session, _) -> int:
    from station_desk.domain.errors import DomainError
    from station_desk.services import bundles, county

    cmd = args.bundle_command
    if cmd == "export":
        r = bundles.export_bundle(session, folder=args.out, full=args.full)
        print(_("Written and verified: {path} ({rows} rows)").format(path=r.path, rows=r.rows))
        return 0
    if cmd == "enrolment":
        path = bundles.export_enrolment(session, folder=args.out)
        print(_("Enrolment file: {path}").format(path=path))
        print(_("Fingerprint: {fp}").format(fp=bundles.own_key(session)["fingerprint"]))
        return 0
    if cmd == "county-key":
        bundles.import_county_key(session, path=args.file, fingerprint=args.fingerprint)
        print(_("The county's key was imported."))
        return 0
    if cmd in ("inspect", "verify"):
        if cmd == "verify":
            out = bundles.verify_bundle(session, path=args.file)
            print(_("{file}: every check passed ({rows} rows).").format(file=out["file"],
                                                                        rows=out["rows"]))
        else:
            out = bundles.inspect_bundle(session, path=args.file)
            for k, v in sorted(out["meta"].items()):
                if k != "counts":
                    print(f"{k}: {v}")
            for t, c in out["meta"]["counts"].items():
                if c["rows"]:
                    print(f"  {t}: {c['rows']} ({c['deleted']} deleted)")
        return 0
    # import: one or many
    refused = applied = 0
    for path in args.files:
        try:
            if bundles.is_county(session):
                fn = county.preview_import if args.dry_run else county.import_bundle
                report = fn(session, path=path)
            else:
                report = bundles.import_return(session, path=path, dry_run=args.dry_run)
        except DomainError as exc:
            refused += 1
            _err(f"{path.name}: " + refusal(exc, _))
            continue
        applied += 1
        print("\n".join(_report_lines(report, _)))
    if refused and applied:
        return 3
    return 1 if refused else 0


def _county(args, session, _) -> int:
    from station_desk.services import county

    cmd = args.county_command
    if cmd == "enrol":
        county.enrol_station(session, path=args.file, fingerprint=args.fingerprint,
                             replace=args.replace)
        print(_("Station enrolled."))
        return 0
    if cmd == "key":
        path = county.export_county_key(session, folder=args.out)
        print(_("County key file: {path}").format(path=path))
        return 0
    if cmd == "stations":
        for s in county.stations(session):
            flags = []
            if s["late"]:
                flags.append(_("late"))
            if s["gaps"]:
                flags.append(_("missing bundles: {numbers}").format(
                    numbers=", ".join(map(str, s["gaps"]))))
            print(f"{s['code']}\t{s['name']}\t{s['bundles']}\t"
                  f"{s['first_period'] or '-'}..{s['last_period'] or '-'}\t"
                  f"{s['last_imported_at'] or '-'}\t{' '.join(flags)}")
        return 0
    if cmd == "return":
        failed = 0
        for item in county.export_returns(session, folder=args.out, stations=args.station):
            if "error" in item:
                failed += 1
                _err(f"{item['station']}: " + item["error"].message(_))
            else:
                print(_("Written and verified: {path} ({rows} rows)").format(
                    path=item["result"].path, rows=item["result"].rows))
        return 1 if failed else 0
    return 2
