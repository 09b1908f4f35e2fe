"""The ``station-desk`` command.

No subcommand opens the window; subcommands run the same services headless.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from station_desk import __version__

HEADLESS_HINT = (
    "No display was found, so the window cannot open.\n"
    "Headless, these work:\n"
    "  make test                      run the whole test suite offscreen\n"
    "  make screenshots               render every screen to docs/screenshots/\n"
    "  .venv/bin/station-desk print roster --db PATH --lang zh --out roster.pdf\n"
    "  xvfb-run -a .venv/bin/station-desk --demo   (a virtual display: apt-get install xvfb)\n"
)


def _has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="station-desk",
                                description="Deputy liaison station desk (zh / ko / en).")
    p.add_argument("--version", action="version", version=__version__)
    p.add_argument("--db", type=Path, help="station database file to open")
    p.add_argument("--demo", action="store_true",
                   help="open the demo station (created on first use)")
    p.add_argument("--lang", choices=["zh_CN", "ko", "en"], help="interface language")
    p.add_argument("--county", type=Path, metavar="PATH",
                   help="open a county database (county mode)")
    sub = p.add_subparsers(dest="command")

    d = sub.add_parser("demo", help="create a demo Yanbian township station")
    d.add_argument("--db", type=Path, dest="sub_db", help="where to write it")
    d.add_argument("--force", action="store_true", help="replace an existing file")
    d.add_argument("--county", action="store_true", dest="demo_county",
                   help="the demo county instead: the demo station enrolled, one bundle "
                        "imported, a reply waiting to go back")

    pr = sub.add_parser("print", help="render a document to PDF headless")
    pr.add_argument("document", nargs="?",
                    help="document name (see --list), or wall-set for every wall notice")
    pr.add_argument("--list", action="store_true", help="name every document")
    pr.add_argument("--db", type=Path, dest="sub_db")
    pr.add_argument("--lang", dest="sub_lang", default="zh_CN",
                    help="zh | ko | en | bilingual")
    pr.add_argument("--out", type=Path)
    pr.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                    help="document option, e.g. status=active")

    s = sub.add_parser("screenshots", help="render every screen in zh, ko and en")
    s.add_argument("--out", type=Path, default=Path("docs/screenshots"))

    from station_desk import cli_bundles

    cli_bundles.add_parsers(sub)
    return p


def _print_list() -> None:
    from station_desk.i18n import _
    from station_desk.services import documents

    for doc in documents.describe():
        print(f"{doc['name']}\t{_(doc['label'])}")
        if doc["description"]:
            print(f"    {_(doc['description'])}")
        for opt in doc["options"]:
            values = "|".join(opt["choices"]) if opt["choices"] else "TEXT"
            default = f" [{opt['default']}]" if opt["default"] else ""
            print(f"    --option {opt['name']}={values}{default}  {_(opt['help'])}")
    print("wall-set\t" + _("Every wall notice, each its own PDF, into the folder --out DIR"))
    print("--lang " + " | ".join(("zh", "ko", "en", "bilingual")))


def _print(args: argparse.Namespace) -> int:
    """``station-desk print``: render a document to PDF with the window's code."""
    from station_desk import paths
    from station_desk.domain.errors import DomainError
    from station_desk.i18n import _
    from station_desk.services import documents
    from station_desk.services.session import open_session

    if args.list:
        _print_list()
        return 0
    if not args.document:
        sys.stderr.write(_("Name the document to print, or use --list to see them.") + "\n")
        return 2
    if args.document == "wall-set":
        return _print_wall_set(args)
    try:
        doc = documents.document(args.document)
        lang = documents.normalise_lang(args.sub_lang)
        options = documents.parse_options(args.option)
    except DomainError as exc:
        sys.stderr.write(exc.message(_) + "\n")
        return 2
    db_path = args.sub_db or args.db or paths.default_db()
    if not Path(db_path).is_file():
        sys.stderr.write(_("No station database at {path}. Give one with --db PATH.").format(
            path=db_path) + "\n")
        return 2
    try:
        session = open_session(db_path)
    except DomainError as exc:
        sys.stderr.write(exc.message(_) + "\n")
        return 2
    try:
        out = args.out or Path(documents.default_file_name(session, doc.name, lang=lang))
        documents.render(session, doc.name, lang=lang, options=options, out=out)
    except (documents.BadOption, documents.BadLanguage, documents.UnknownDocument) as exc:
        sys.stderr.write(exc.message(_) + "\n")
        return 2
    except DomainError as exc:
        sys.stderr.write(exc.message(_) + "\n")
        return 1
    finally:
        session.close()
    print(_("Written: {path}").format(path=out))
    return 0


def _print_wall_set(args: argparse.Namespace) -> int:
    """``station-desk print wall-set --out DIR``: every wall notice, one PDF each."""
    from station_desk import paths
    from station_desk.domain.errors import DomainError
    from station_desk.i18n import _
    from station_desk.services import documents, notices
    from station_desk.services.session import open_session

    if args.out is None:
        sys.stderr.write(_("Give the folder for the wall notices with --out DIR.") + "\n")
        return 2
    db_path = args.sub_db or args.db or paths.default_db()
    if not Path(db_path).is_file():
        sys.stderr.write(_("No station database at {path}. Give one with --db PATH.").format(
            path=db_path) + "\n")
        return 2
    try:
        lang = documents.normalise_lang(args.sub_lang)
        options = documents.parse_options(args.option)
        session = open_session(db_path)
    except DomainError as exc:
        sys.stderr.write(exc.message(_) + "\n")
        return 2
    try:
        written = notices.wall_set(session, lang=lang, options=options, out_dir=args.out)
    except (documents.BadOption, documents.BadLanguage) as exc:
        sys.stderr.write(exc.message(_) + "\n")
        return 2
    except (DomainError, OSError) as exc:
        sys.stderr.write((exc.message(_) if isinstance(exc, DomainError) else str(exc)) + "\n")
        return 1
    finally:
        session.close()
    for path in written:
        print(_("Written: {path}").format(path=path))
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from station_desk.services import demo
        from station_desk import paths
        from station_desk.domain.errors import DomainError
        from station_desk.i18n import _

        if args.demo_county:
            from station_desk.services import demo_county

            target = args.sub_db or demo_county.default_path()
            try:
                demo_county.make_demo_county(target, replace=args.force)
            except DomainError as exc:
                sys.stderr.write(exc.message(_) + "\n")
                return 1
            print(f"demo county written to {target} (the demo station {paths.demo_db()} "
                  f"knows its key; the files that travelled are in "
                  f"{demo_county.stick_folder(target)})")
            print(f"open it with: station-desk --county {target}")
            return 0
        target = args.sub_db or paths.demo_db()
        try:
            demo.make_demo(target, replace=args.force)
        except DomainError as exc:
            sys.stderr.write(exc.message(_) + "\n")
            return 1
        print(f"demo station written to {target}")
        return 0
    if args.command == "print":
        return _print(args)
    if args.command in ("bundle", "county"):
        from station_desk import cli_bundles

        return cli_bundles.run(args)
    if args.command == "screenshots":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from station_desk.ui import screenshots

        return screenshots.run(args.out)
    if not _has_display():
        sys.stderr.write(HEADLESS_HINT)
        return 2
    from station_desk.ui import app

    return app.run(db=args.db, demo=args.demo, lang=args.lang, county=args.county)


if __name__ == "__main__":
    raise SystemExit(main())
