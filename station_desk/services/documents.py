"""Every printable document, for the window and for ``station-desk print``.

A :class:`Document` names its options and knows how to gather its data
through the services and hand it to its printing module.  :func:`render`
writes the PDF atomically: a temporary file in the target folder, flushed to
disk, then renamed over the target, so a failed write never leaves half a
file and never touches the database.

The printing modules (and so reportlab) are imported only when a document is
rendered: importing this module at start-up costs nothing.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date as date_cls
from pathlib import Path
from typing import Callable

from station_desk import i18n
from station_desk.domain.accounts import Permission
from station_desk.domain.deputies import DeputyFilter, DeputyStatus, Level
from station_desk.domain.errors import N_, DiskFull, DomainError
from station_desk.services import registry, station
from station_desk.services.session import Session

LANGS = ("zh_CN", "ko", "en", "bilingual")
LANG_ALIASES = {"zh": "zh_CN", "zh-CN": "zh_CN", "zh_CN": "zh_CN", "ko": "ko",
                "en": "en", "bilingual": "bilingual", "zh-ko": "bilingual"}


class UnknownDocument(DomainError):
    msgid = N_("There is no document called \"{name}\". Known documents: {known}.")


class BadOption(DomainError):
    msgid = N_("Option \"{option}\" cannot be \"{value}\" for this document. {allowed}")


class UnknownOption(BadOption):
    msgid = N_("This document has no option \"{option}\". {allowed}")


class BadOptionSyntax(BadOption):
    msgid = N_("Give options as KEY=VALUE, e.g. status=active (not \"{text}\").")


class BadLanguage(DomainError):
    msgid = N_("Unknown print language \"{lang}\". Use zh, ko, en or bilingual.")


@dataclass(frozen=True)
class Option:
    """One option of a document: its name, label msgid, and allowed values.

    ``choices`` is None for free text; ``resolve`` turns the text the user
    gave into the value the document uses (and may raise BadOption)."""

    name: str
    label: str
    default: str | None = None
    choices: tuple[str, ...] | None = None
    help: str = ""
    resolve: Callable[[Session, str], object] | None = None


@dataclass(frozen=True)
class Document:
    """A printable document: ``render(session, *, lang, options, out)`` writes
    ``out`` (a PDF) from the data the services give."""

    name: str
    label: str
    options: tuple[Option, ...]
    build: Callable[..., bytes] = field(repr=False)
    description: str = ""

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def render(self, session: Session, *, lang: str, options: dict | None, out: Path) -> Path:
        return render(session, self.name, lang=lang, options=options, out=out)


# -- the deputy roster ----------------------------------------------------------

def _group_id(session: Session, value: str) -> dict:
    for g in registry.groups(session):
        if value in (g["id"], g["name_zh"], g["name_ko"]):
            return g
    names = ", ".join(g["name_zh"] for g in registry.groups(session)) or "-"
    raise BadOption(option="group", value=value, allowed=_allowed_text(names))


def _allowed_text(values: str) -> str:
    return i18n._("Allowed: {values}.").format(values=values)


def _build_roster(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import roster as roster_pdf

    status = options.get("status") or "all"
    group = options.get("group")
    level = options.get("level") or None
    filt = DeputyFilter(status=None if status == "all" else status,
                        group_id=group["id"] if group else None, level=level)
    rows = registry.roster(session, filt)
    rank = {s.value: i for i, s in enumerate(DeputyStatus)}
    rows.sort(key=lambda r: rank.get(r.get("status"), 9))  # stable: name order kept
    criteria = {"status": status, "level": level,
                "group": group["name_zh"] if group else None}
    return roster_pdf.render(rows, station.profile(session), lang=lang,
                             printed_on=session.today(), criteria=criteria)


ROSTER = Document(
    name="roster",
    label=N_("Deputy Roster"),
    description=N_("Every deputy of the station with levels, unit, group, masked phone and status."),
    options=(
        Option("status", N_("Status"), default="all",
               choices=("active", "suspended", "former", "all"),
               help=N_("Which deputies: serving, suspended, former, or all of them.")),
        Option("group", N_("Deputy group"), help=N_("Only this deputy group (its name)."),
               resolve=_group_id),
        Option("level", N_("Level"), choices=tuple(lv.value for lv in Level),
               help=N_("Only deputies holding a mandate at this level.")),
    ),
    build=_build_roster,
)


# -- the duty roster and the reception-day notice ---------------------------------

def _year(session: Session, value: str) -> int:
    try:
        year = int(value)
        if 2000 <= year <= 2100:
            return year
    except ValueError:
        pass
    raise BadOption(option="year", value=value, allowed=_allowed_text("2000–2100"))


def _notice_date(session: Session, value: str):
    from station_desk.domain.validation import parse_date
    from station_desk.services import reception

    try:
        on = parse_date(value)
    except ValueError:
        on = None
    if on is not None:
        for d in reception.days(session, year=on.year, month=on.month):
            if d["day"] == on:
                return on
    coming = [d["day"].isoformat() for d in reception.days(session, year=session.today().year)
              if d["day"] >= session.today() and not d["cancelled"]][:6]
    raise BadOption(option="date", value=value,
                    allowed=_allowed_text(", ".join(coming) or "-"))


def _build_duty_roster(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import duty_roster as duty_pdf
    from station_desk.services import reception

    year = options.get("year") or session.today().year
    month = int(options["month"]) if options.get("month") else None
    days = reception.days(session, year=year, month=month)
    return duty_pdf.render(days, station.profile(session), lang=lang,
                           printed_on=session.today(), year=year, month=month)


def _build_notice(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import reception_notice as notice_pdf
    from station_desk.services import reception

    on = options.get("date")
    day = (next(d for d in reception.days(session, year=on.year, month=on.month)
                if d["day"] == on) if on
           else reception.next_day(session, on_or_after=session.today()))
    return notice_pdf.render(day, station.profile(session), lang=lang,
                             printed_on=session.today())


DUTY_ROSTER = Document(
    name="duty-roster",
    label=N_("Reception Day Duty Roster"),
    description=N_("The reception days of a year or a month with the deputies on duty, "
                   "their levels and groups."),
    options=(
        Option("year", N_("Year"), help=N_("The year (default: this year)."), resolve=_year),
        Option("month", N_("Month"), choices=tuple(str(m) for m in range(1, 13)),
               help=N_("Only this month, 1-12 (default: the whole year).")),
    ),
    build=_build_duty_roster,
)

RECEPTION_NOTICE = Document(
    name="reception-notice",
    label=N_("Voter Reception Day Notice"),
    description=N_("The notice posted three days before a reception day: date, time, place, "
                   "the deputies on duty, what voters can bring, the station's phone."),
    options=(
        Option("date", N_("Reception day"),
               help=N_("The reception day, YYYY-MM-DD (default: the next one)."),
               resolve=_notice_date),
    ),
    build=_build_notice,
)

# -- the voter reception register form ---------------------------------------------

def _case_id(session: Session, value: str) -> str:
    from station_desk.services import cases

    found = cases.find(session, value)
    if found is None:
        raise BadOption(option="case", value=value,
                        allowed=i18n._("Give a case number such as 2026-0001."))
    return found


def _build_case_form(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import case_form
    from station_desk.services import cases

    case_id = options.get("case")
    data = cases.print_data(session, case_id) if case_id else None
    return case_form.render(data, station.profile(session), lang=lang,
                            printed_on=session.today())


CASE_FORM = Document(
    name="case-form",
    label=N_("Voter Reception Register Form"),
    description=N_("The register form of one case, filled (phone and ID number masked) with "
                   "the record of its steps, or blank for paper use."),
    options=(
        Option("case", N_("Case"), help=N_("The case number, e.g. 2026-0001 (empty: a blank "
                                           "form)."), resolve=_case_id),
    ),
    build=_build_case_form,
)

def _archived_case_id(session: Session, value: str) -> str:
    from station_desk.services import cases

    case_id = _case_id(session, value)
    if not cases.case(session, case_id)["view"].archive_no:
        raise BadOption(option="case", value=value,
                        allowed=i18n._("Only an archived case has an archive cover."))
    return case_id


def _build_archive_cover(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import case_form
    from station_desk.services import cases

    return case_form.render_cover(cases.print_data(session, options["case"]),
                                  station.profile(session), lang=lang,
                                  printed_on=session.today())


ARCHIVE_COVER = Document(
    name="archive-cover",
    label=N_("Voter Reception Archive Cover"),
    description=N_("The cover sheet of an archived case's file: archive number, case, voter, "
                   "matter, unit, outcome and satisfaction."),
    options=(
        Option("case", N_("Case"), default="", help=N_("The case number, e.g. 2026-0001."),
               resolve=_archived_case_id),
    ),
    build=_build_archive_cover,
)

DOCUMENTS: dict[str, Document] = {d.name: d for d in (ROSTER, DUTY_ROSTER, RECEPTION_NOTICE,
                                                      CASE_FORM, ARCHIVE_COVER)}


# -- activities: the sign-in sheet, the plan, the notice, the summary ---------------

def _activity_id(session: Session, value: str) -> str:
    """An activity's id from its id or the first characters of it (8 are shown)."""
    from station_desk.services import activities

    value = value.strip().lower()
    found = [a["id"] for a in activities.activities(session)
             if len(value) >= 4 and a["id"].lower().startswith(value)]
    if len(found) == 1:
        return found[0]
    recent = [f"{a['id'][:8]} ({(a.get('starts_at') or '')[:10]} {a.get('title') or ''})"
              for a in activities.activities(session)[:6]]
    raise BadOption(option="activity", value=value,
                    allowed=_allowed_text(", ".join(recent) or "-"))


def _blank_rows(session: Session, value: str) -> int:
    try:
        count = int(value)
        if 0 <= count <= 200:
            return count
    except ValueError:
        pass
    raise BadOption(option="blank", value=value, allowed=_allowed_text("0–200"))


def _the_activity(session: Session, options: dict) -> dict:
    from station_desk.services import activities

    if not options.get("activity"):
        raise BadOption(option="activity", value="", allowed=i18n._(
            "Give the activity, e.g. activity=1a2b3c4d (the first characters of its id)."))
    return activities.activity(session, options["activity"])


def _build_sign_in_sheet(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import sign_in_sheet

    blank = options.get("blank")
    return sign_in_sheet.render(_the_activity(session, options), station.profile(session),
                                lang=lang, printed_on=session.today(),
                                blank_rows=20 if blank is None else blank,
                                counts=options.get("counts") or "auto")


def _build_activity_plan(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import activity_plan
    from station_desk.services import activities

    year = options.get("year") or session.today().year
    return activity_plan.render(activities.plan(session, year=year), station.profile(session),
                                lang=lang, printed_on=session.today(), year=year,
                                show_held=options.get("held") != "no")


def _build_activity_notice(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import activity_notice

    return activity_notice.render(_the_activity(session, options), station.profile(session),
                                  lang=lang, printed_on=session.today())


def _build_activity_summary(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import activity_summary
    from station_desk.services import activities

    data = _the_activity(session, options)
    photos = []
    for p in data.get("photos") or []:
        if len(photos) == activity_summary.MAX_PHOTOS:
            break
        mime, blob = activities.photo(session, p["id"])
        photos.append({**p, "mime": mime, "data": blob})
    data["photos"] = photos
    return activity_summary.render(data, station.profile(session), lang=lang,
                                   printed_on=session.today())


_ACTIVITY_OPTION = Option("activity", N_("Activity"),
                          help=N_("The activity: its id or the first 8 characters of it."),
                          resolve=_activity_id)

SIGN_IN_SHEET = Document(
    name="sign-in-sheet",
    label=N_("Sign-in Sheet"),
    description=N_("The sign-in sheet of an activity: the invited people in order, blank rows, "
                   "and the counts (blank before the activity, filled after)."),
    options=(
        _ACTIVITY_OPTION,
        Option("blank", N_("Blank rows"), default="20",
               help=N_("How many blank rows follow the invited people (0-200)."),
               resolve=_blank_rows),
        Option("counts", N_("Counts"), default="auto", choices=("auto", "blank", "filled"),
               help=N_("The counts at the foot: blank to fill by hand, filled with the "
                       "figures, or auto (filled once anyone is marked present or absent).")),
    ),
    build=_build_sign_in_sheet,
)

ACTIVITY_PLAN = Document(
    name="activity-plan",
    label=N_("Annual Activity Plan"),
    description=N_("The year's activity plan month by month: kind, theme, notes and when "
                   "each was held."),
    options=(
        Option("year", N_("Year"), help=N_("The year (default: this year)."), resolve=_year),
        Option("held", N_("Held column"), default="yes", choices=("yes", "no"),
               help=N_("Show when each planned activity was held.")),
    ),
    build=_build_activity_plan,
)

ACTIVITY_NOTICE = Document(
    name="activity-notice",
    label=N_("Activity Notice"),
    description=N_("The notice to the invited deputies, printed 2-3 days ahead: date, time, "
                   "place, theme, what to bring, the leave rule and the invited names."),
    options=(_ACTIVITY_OPTION,),
    build=_build_activity_notice,
)

ACTIVITY_SUMMARY = Document(
    name="activity-summary",
    label=N_("Activity Summary"),
    description=N_("The summary of a held activity: attendance with the leave reasons, the "
                   "summary text and up to four photos."),
    options=(_ACTIVITY_OPTION,),
    build=_build_activity_summary,
)

DOCUMENTS.update({d.name: d for d in (SIGN_IN_SHEET, ACTIVITY_PLAN, ACTIVITY_NOTICE,
                                      ACTIVITY_SUMMARY)})


# -- wall notices (公示栏) ------------------------------------------------------------

def _month(session: Session, value: str) -> tuple[int, int]:
    import re as _re

    m = _re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if m and 2000 <= int(m.group(1)) <= 2100 and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    raise BadOption(option="month", value=value, allowed=_allowed_text("YYYY-MM, e.g. 2026-03"))


def _wall_builder(name: str) -> Callable[..., bytes]:
    def build(session: Session, *, lang: str, options: dict) -> bytes:
        from station_desk.services import notices

        return notices.render_wall(session, name, lang=lang, options=options)

    return build


_WALL_SIZE = Option("size", N_("Paper size"), default="a4", choices=("a4", "a3"),
                    help=N_("A4 or A3 paper."))
_WALL_ORIENTATION = Option("orientation", N_("Orientation"), default="auto",
                           choices=("auto", "portrait", "landscape"),
                           help=N_("Portrait or landscape (auto: the notice's own)."))
_WALL_MONTH = Option("month", N_("Month"), resolve=_month,
                     help=N_("The month, YYYY-MM (default: this month)."))
_WALL = (
    ("wall-profile", N_("Wall: Station Profile"),
     N_("The station's photo, address, phone, opening hours, staff and its deputies in figures."),
     ()),
    ("wall-deputies", N_("Wall: Our Deputies"),
     N_("A card for each serving deputy: photo, name, levels, unit and post, contact, group."),
     (Option("phone", N_("Contact phone"), default="station",
             choices=("station", "deputy", "none"),
             help=N_("The phone printed on each card: the station's office phone, the "
                     "deputy's own, or none.")),)),
    ("wall-reception", N_("Wall: Reception Days"),
     N_("When and where voters are received and the month's deputies on duty."), (_WALL_MONTH,)),
    ("wall-workflow", N_("Wall: Reception Workflow"),
     N_("The six steps of voter reception as a flow chart with their time limits."), ()),
    ("wall-rules", N_("Wall: Rules of the Station"),
     N_("The station's rules as the station keeps them (制度上墙)."), ()),
    ("wall-summary", N_("Wall: Monthly Public Summary"),
     N_("Matters received by kind, handled by outcome, and satisfaction in a month; numbers "
        "only, no personal data."), (_WALL_MONTH,)),
    ("wall-plan", N_("Wall: Annual Activity Plan"),
     N_("The year's planned activities month by month, those held marked."),
     (Option("year", N_("Year"), help=N_("The year (default: this year)."), resolve=_year),)),
)
WALL_DOCUMENTS = tuple(Document(name=name, label=label, description=description,
                                options=(_WALL_SIZE, _WALL_ORIENTATION, *extra),
                                build=_wall_builder(name))
                       for name, label, description, extra in _WALL)
DOCUMENTS.update({d.name: d for d in WALL_DOCUMENTS})

# -- the performance ledger: the deputy's card, the evaluation table, suggestions ------

def _ledger_deputy(session: Session, value: str) -> str:
    from station_desk.services import ledger

    found = ledger.find_deputy(session, value)
    if len(found) == 1:
        return found[0]["id"]
    names = ", ".join(r["name"] for r in (found or registry.roster(session))[:8]) or "-"
    raise BadOption(option="deputy", value=value, allowed=_allowed_text(names))


def _ledger_period(session: Session, value: str) -> str:
    from station_desk.domain.evaluation import BadPeriod, Period

    if value == "term":
        return value
    try:
        return str(Period.parse(value))
    except BadPeriod:
        raise BadOption(option="period", value=value,
                        allowed=_allowed_text("2025, 2025-H1, 2025-Q3, term")) from None


def _last_year(session: Session) -> str:
    return str(session.today().year - 1)


def _build_deputy_card(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import deputy_card
    from station_desk.services import ledger

    deputy_id = options.get("deputy")
    if not deputy_id:
        roster = registry.roster(session)
        if not roster:
            raise BadOption(option="deputy", value="", allowed=_allowed_text("-"))
        deputy_id = roster[0]["id"]
    data = ledger.card_data(session, deputy_id=deputy_id,
                            period=options.get("period") or _last_year(session))
    return deputy_card.render(data, station.profile(session), lang=lang,
                              printed_on=session.today())


DEPUTY_CARD = Document(
    name="deputy-card",
    label=N_("Deputy's Performance Card"),
    description=N_("One deputy's file (建档立卡): photo and basic data, the period's summary and "
                   "evaluation, and every entry with its source and review."),
    options=(
        Option("deputy", N_("Deputy"), help=N_("The deputy's name (default: the first in the "
                                               "roster)."), resolve=_ledger_deputy),
        Option("period", N_("Period"), help=N_("2025, 2025-H1, 2025-Q3 or term (default: last "
                                               "year)."), resolve=_ledger_period),
    ),
    build=_build_deputy_card,
)


def _build_evaluation_table(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import evaluation_table
    from station_desk.services import evaluation

    period = options.get("period") or _last_year(session)
    if period == "term":
        raise BadOption(option="period", value=period, allowed=_allowed_text("2025, 2025-H1"))
    return evaluation_table.render(evaluation.results(session, period=period),
                                   station.profile(session), lang=lang,
                                   printed_on=session.today(), period=period)


EVALUATION_TABLE = Document(
    name="evaluation-table",
    label=N_("Deputies' Performance Evaluation"),
    description=N_("The station's evaluation of a period: every deputy ranked with the points "
                   "of each item, the total, the grade and the warnings."),
    options=(Option("period", N_("Period"), help=N_("2025, 2025-H1 or 2025-Q3 (default: last "
                                                    "year)."), resolve=_ledger_period),),
    build=_build_evaluation_table,
)


def _build_suggestion_list(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import suggestion_list
    from station_desk.services import suggestions

    period = options.get("period") or _last_year(session)
    period = None if period == "term" else period
    readings = {r["name"]: r["name_ko"] for r in registry.roster(session) if r.get("name_ko")}
    return suggestion_list.render(suggestions.suggestions(session, period=period),
                                  suggestions.rates(session, period=period),
                                  station.profile(session), lang=lang,
                                  printed_on=session.today(), period=period, readings=readings)


SUGGESTION_LIST = Document(
    name="suggestion-list",
    label=N_("Deputies' Suggestions and Their Handling"),
    description=N_("Every suggestion and motion of a period with its handling unit, outcome "
                   "and reply, and the completion, face-to-face, satisfaction and solved rates."),
    options=(Option("period", N_("Period"), help=N_("2025, 2025-H1 or term for all (default: "
                                                    "last year)."), resolve=_ledger_period),),
    build=_build_suggestion_list,
)

DOCUMENTS.update({d.name: d for d in (DEPUTY_CARD, EVALUATION_TABLE, SUGGESTION_LIST)})


# -- the key fingerprint sheet (bundles) ------------------------------------------

def _build_key_sheet(session: Session, *, lang: str, options: dict) -> bytes:
    from station_desk.printing import key_sheet
    from station_desk.services import bundles

    key = bundles.own_key(session)
    if bundles.is_county(session):
        from station_desk.services import county

        p = county.county_profile(session)
        header = {"name_zh": p["name"] or "", "name_ko": p["name_ko"] or p["name"] or "",
                  "code": p["code"]}
        kind = "county"
    else:
        header, kind = station.profile(session), "station"
    return key_sheet.render({**key, "kind": kind, "code": session.station_code}, header,
                            lang=lang, printed_on=session.today())


KEY_SHEET = Document(
    name="key-sheet",
    label=N_("Key Fingerprint Sheet"),
    description=N_("The fingerprint of this program's bundle key in large type, handed over "
                   "with the enrolment or key file so the other side can check it."),
    options=(),
    build=_build_key_sheet,
)
DOCUMENTS[KEY_SHEET.name] = KEY_SHEET

# -- rendering --------------------------------------------------------------

def parse_options(pairs: list[str]) -> dict[str, str]:
    """``["status=active", ...]`` as a dict (the command line's --option)."""
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadOptionSyntax(text=pair)
        options[key.strip()] = value.strip()
    return options


def document(name: str) -> Document:
    try:
        return DOCUMENTS[name]
    except KeyError:
        raise UnknownDocument(name=name, known=", ".join(DOCUMENTS)) from None


def normalise_lang(lang: str) -> str:
    """zh -> zh_CN; raises BadLanguage for anything not printable."""
    try:
        return LANG_ALIASES[(lang or "").strip()]
    except KeyError:
        raise BadLanguage(lang=lang) from None


def check_options(session: Session, doc: Document, options: dict | None) -> dict:
    """The options with defaults filled in and values checked and resolved."""
    given = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    out: dict = {}
    for key in given:
        if doc.option(key) is None:
            known = ", ".join(o.name for o in doc.options) or "-"
            raise UnknownOption(option=key, value=given[key], allowed=_allowed_text(known))
    for opt in doc.options:
        value = given.get(opt.name, opt.default)
        if value is None:
            out[opt.name] = None
            continue
        value = str(value).strip()
        if opt.choices is not None and value not in opt.choices:
            raise BadOption(option=opt.name, value=value,
                            allowed=_allowed_text(", ".join(opt.choices)))
        out[opt.name] = opt.resolve(session, value) if opt.resolve else value
    return out


# Documents that carry personal data (names with phones, voters' matters, attendance):
# saving or printing one is written to the audit trail.
PERSONAL_DATA = frozenset({"roster", "duty-roster", "case-form", "archive-cover",
                           "sign-in-sheet", "activity-notice", "activity-summary"})
# the deputy's card carries basic data; the evaluation table ranks named people
PERSONAL_DATA = PERSONAL_DATA | {"deputy-card", "evaluation-table"}


def render(session: Session, name: str, *, lang: str, options: dict | None = None,
           out: Path, record: bool = True) -> Path:
    """Render document ``name`` to the PDF file ``out`` and return its path.

    A document with personal data (:data:`PERSONAL_DATA`) is recorded in the
    audit trail as "save" (also a failed write, as "failed"); ``record=False``
    leaves that to the caller, who prints the file and calls
    :func:`record_print`.  Raises UnknownDocument, BadLanguage, BadOption, or
    DiskFull when the file cannot be written (the database is only read, but
    for the audit row)."""
    doc = document(name)
    if name in PERSONAL_DATA:
        session.require(Permission.PRINT_PERSONAL)
    lang = normalise_lang(lang)
    checked = check_options(session, doc, options)
    data = doc.build(session, lang=lang, options=checked)
    if not (record and name in PERSONAL_DATA):
        return write_atomically(Path(out), data)
    try:
        written = write_atomically(Path(out), data)
    except DiskFull as exc:
        with contextlib.suppress(DomainError):  # the disk may refuse this row too
            _record(session, "save", name, lang=lang, options=options, file=Path(out).name,
                    result="failed", error=str(exc))
        raise
    _record(session, "save", name, lang=lang, options=options, file=written.name)
    return written


def record_print(session: Session, name: str, *, lang: str, options: dict | None = None,
                 pages: int, copies: int = 1, printer: str = "",
                 result: str = "ok") -> None:
    """Write to the audit trail that document ``name`` went to a printer (only a
    document with personal data is recorded)."""
    if name in PERSONAL_DATA:
        _record(session, "print", name, lang=normalise_lang(lang), options=options,
                pages=pages, copies=copies, printer=printer, result=result)


def _record(session: Session, action: str, name: str, *, lang: str, options: dict | None,
            result: str = "ok", **extra) -> None:
    given = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    after = {"document": name, "lang": lang, "options": given,
             **{k: v for k, v in extra.items() if v not in (None, "")}}
    with session.write():
        session.audit(action, "document", name, after=after, result=result)


def write_atomically(out: Path, data: bytes) -> Path:
    """Write ``data`` to ``out`` through a temporary file in the same folder."""
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
        tmp = None
    except OSError as exc:
        raise DiskFull(detail=f"{exc.strerror or exc}: {out}") from exc
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return out


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def default_file_name(session: Session, name: str, *, lang: str) -> str:
    """A file name for a saved document, e.g. 代表名册-2026-03-09.pdf."""
    doc = document(name)
    lang = normalise_lang(lang)
    label = i18n.gettext_for("zh_CN" if lang == "bilingual" else lang)(doc.label)
    stem = _UNSAFE.sub("-", label).strip(" .-") or doc.name
    if lang == "bilingual":
        stem += "-" + _UNSAFE.sub("-", i18n.gettext_for("ko")(doc.label)).strip(" .-")
        stem = "-".join(dict.fromkeys(stem.split("-")))  # untranslated: no repetition
    return f"{stem}-{session.today().isoformat()}.pdf"


def describe() -> list[dict]:
    """Every document with its options, for ``station-desk print --list``."""
    return [{"name": d.name, "label": d.label, "description": d.description,
             "options": [{"name": o.name, "label": o.label, "default": o.default,
                          "choices": o.choices, "help": o.help} for o in d.options]}
            for d in DOCUMENTS.values()]


# -- what the print centre offers ----------------------------------------------------

GROUPS: tuple[tuple[str, str], ...] = (
    ("wall", N_("Wall notices")),
    ("forms", N_("Forms and sheets")),
    ("reports", N_("Rosters and reports")),
)
_FORMS = frozenset({"reception-notice", "case-form", "archive-cover", "sign-in-sheet",
                    "activity-notice"})


def group_of(name: str) -> str:
    """The print centre's group of document ``name`` (a key of :data:`GROUPS`)."""
    if name.startswith("wall-"):
        return "wall"
    return "forms" if name in _FORMS else "reports"


@dataclass(frozen=True)
class OptionInput:
    """How a window lets the user give an option: ``kind`` "choice" (pick one
    of ``choices``, (value, translated label) pairs; the value "" means the
    document's default), "number" (``minimum``–``maximum``) or "text";
    ``default`` is the value shown first."""

    kind: str
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int = 0
    maximum: int = 0
    default: str = ""


_CHOICE_LABELS = {
    "status": {"active": N_("Serving"), "suspended": N_("Suspended"),
               "former": N_("Former deputy"), "all": N_("All deputies")},
    "counts": {"auto": N_("Automatic"), "blank": N_("Blank, to fill by hand"),
               "filled": N_("Filled with the figures")},
    "held": {"yes": N_("Show"), "no": N_("Leave out")},
    "size": {"a4": "A4", "a3": "A3"},
    "orientation": {"auto": N_("The notice's own"), "portrait": N_("Portrait"),
                    "landscape": N_("Landscape")},
    "phone": {"station": N_("The station's office phone"), "deputy": N_("The deputy's own"),
              "none": N_("No phone")},
}


def _label(text: str) -> str:
    return i18n._(text) if text else text


def option_input(session: Session, doc: Document, option: Option) -> OptionInput:
    """What a window offers for ``option`` of ``doc``: the values from the
    services (recent activities, cases, reception days, groups, years…) so
    nobody types an id.  Labels are in the current interface language."""
    today = session.today()
    name = option.name
    if name == "activity":
        from station_desk.services import activities

        rows = activities.activities(session)
        rows.sort(key=lambda a: a.get("starts_at") or "", reverse=True)
        coming = [a for a in rows if (a.get("starts_at") or "")[:10] >= today.isoformat()]
        default = (coming[-1] if coming else rows[0])["id"] if rows else ""
        return OptionInput("choice", tuple(
            (a["id"], f"{(a.get('starts_at') or '')[:10]}  {a.get('title') or ''}")
            for a in rows[:200]), default=default)
    if name == "case":
        from station_desk.domain.cases import CaseFilter
        from station_desk.services import cases

        archived = doc.name == "archive-cover"
        rows = cases.page(session, CaseFilter(state="archived" if archived else None),
                          offset=0, limit=200)
        choices = [] if archived else [("", i18n._("A blank form"))]
        for r in rows:
            words = (r.get("words") or "").replace("\n", " ")
            choices.append((r["id"], f"{r['number']}  {words[:24]}"))
        return OptionInput("choice", tuple(choices), default=choices[0][0] if choices else "")
    if name == "group":
        return OptionInput("choice", (("", i18n._("All groups")),) + tuple(
            (g["name_zh"], g["name_zh"]) for g in registry.groups(session)))
    if name == "level":
        from station_desk.domain.deputies import LEVEL_LABELS

        return OptionInput("choice", (("", i18n._("All levels")),) + tuple(
            (lv.value, i18n._(LEVEL_LABELS[lv])) for lv in Level))
    if name == "year":
        years = {today.year - 1, today.year, today.year + 1}
        try:
            from station_desk.services import activities

            years |= set(activities.years(session))
        except DomainError:
            pass
        return OptionInput("choice", tuple((str(y), str(y)) for y in sorted(years)),
                           default=str(today.year))
    if name == "month" and option.choices:  # a month of the year (the duty roster)
        return OptionInput("choice", (("", i18n._("The whole year")),) + tuple(
            (m, i18n.format_date(date_cls(2000, int(m), 1), fmt="LLLL"))
            for m in option.choices))
    if name == "month":  # a month: YYYY-MM
        months = []
        y, m = (today.year, today.month + 1) if today.month < 12 else (today.year + 1, 1)
        for _n in range(26):
            months.append((f"{y:04d}-{m:02d}", _month_name(y, m)))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        return OptionInput("choice", tuple(months), default=f"{today.year:04d}-{today.month:02d}")
    if name == "date":
        from station_desk.services import reception

        days = [d for year in (today.year, today.year + 1)
                for d in reception.days(session, year=year) if not d["cancelled"]]
        coming = [d for d in days if d["day"] >= today]
        past = [d for d in days if d["day"] < today][::-1][:12]
        return OptionInput("choice", tuple(
            (d["day"].isoformat(), i18n.format_date(d["day"], fmt="long"))
            for d in coming + past), default=coming[0]["day"].isoformat() if coming else "")
    if name == "blank":
        return OptionInput("number", minimum=0, maximum=200, default=option.default or "0")
    if option.choices is not None:
        labels = _CHOICE_LABELS.get(name, {})
        choices = tuple((v, _label(labels.get(v, v))) for v in option.choices)
        if option.default is None:
            choices = (("", i18n._("Any")),) + choices
        return OptionInput("choice", choices, default=option.default or "")
    return OptionInput("text", default=option.default or "")


def _month_name(year: int, month: int) -> str:
    """2026年3月 / 2026년 3월 / March 2026 in the interface language."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", date_cls(year, month, 1),
                           locale=i18n.babel_locale(i18n.current_language()))


def pdf_bytes(session: Session, name: str, *, lang: str, options: dict | None = None) -> bytes:
    """The PDF of document ``name`` as bytes (the print centre's preview);
    raises as :func:`render` does, NotPermitted included."""
    doc = document(name)
    if name in PERSONAL_DATA:  # the preview shows what only printing may show
        session.require(Permission.PRINT_PERSONAL)
    lang = normalise_lang(lang)
    return doc.build(session, lang=lang, options=check_options(session, doc, options))


def worker_session(session: Session) -> Session:
    """A second session on the same (already checked) file for a worker
    thread, which must not share the window's connection; close it after."""
    from station_desk.services.session import open_session

    other = open_session(session.path, actor=session.actor, clock=session.clock,
                         check_result=lambda: "ok")
    other.account_id, other.role = session.account_id, session.role
    other.display_name = session.display_name
    return other
