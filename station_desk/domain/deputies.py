"""Deputies, their mandates and the legal exit of a mandate (Deputies Law arts. 48-50)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from station_desk.domain import codes
from station_desk.domain.errors import N_, InvalidTransition
from station_desk.domain.validation import Checker


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    TOWNSHIP = "township"

    @property
    def rank(self) -> int:
        return list(Level).index(self) + 1

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.NATIONAL: N_("National"),
    Level.PROVINCIAL: N_("Provincial"),
    Level.PREFECTURE: N_("Prefecture"),
    Level.COUNTY: N_("County (city)"),
    Level.TOWNSHIP: N_("Township"),
}


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


SEX_LABELS = {Sex.MALE: N_("Male"), Sex.FEMALE: N_("Female")}


class MandateStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


STATUS_LABELS = {
    MandateStatus.ACTIVE: N_("Serving"),
    MandateStatus.SUSPENDED: N_("Suspended"),
    MandateStatus.TERMINATED: N_("Terminated"),
}


class DeputyStatus(StrEnum):
    """A person's status at the station, derived from their mandates."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    FORMER = "former"


DEPUTY_STATUS_LABELS = {
    DeputyStatus.ACTIVE: N_("Serving"),
    DeputyStatus.SUSPENDED: N_("Suspended"),
    DeputyStatus.FORMER: N_("Former deputy"),
}


class MandateEventKind(StrEnum):
    ELECTED = "elected"
    SUSPENDED = "suspended"
    RESTORED = "restored"
    TERMINATED = "terminated"


EVENT_LABELS = {
    MandateEventKind.ELECTED: N_("Elected"),
    MandateEventKind.SUSPENDED: N_("Mandate suspended"),
    MandateEventKind.RESTORED: N_("Mandate restored"),
    MandateEventKind.TERMINATED: N_("Mandate terminated"),
}


class SuspensionGround(StrEnum):
    """Deputies Law art. 49."""

    DETAINED = "detained"
    SERVING_SENTENCE = "serving_sentence"


SUSPENSION_LABELS = {
    SuspensionGround.DETAINED: N_("Detained in a criminal case under investigation, prosecution or trial"),
    SuspensionGround.SERVING_SENTENCE: N_("Serving a sentence without deprivation of political rights"),
}


class TerminationGround(StrEnum):
    """Deputies Law art. 50, with the seed's passive resignation and death."""

    MOVED_OUT = "moved_out"
    RESIGNED = "resigned"
    PASSIVE_RESIGNATION = "passive_resignation"
    ABSENT_TWICE = "absent_twice"
    RECALLED = "recalled"
    LOST_NATIONALITY = "lost_nationality"
    DEPRIVED_OF_RIGHTS = "deprived_of_rights"
    LOST_CAPACITY = "lost_capacity"
    DEATH = "death"


TERMINATION_LABELS = {
    TerminationGround.MOVED_OUT: N_("Moved out of the administrative area"),
    TerminationGround.RESIGNED: N_("Resigned (voluntary)"),
    TerminationGround.PASSIVE_RESIGNATION: N_("Passive resignation"),
    TerminationGround.ABSENT_TWICE: N_("Absent twice from the congress session without approval"),
    TerminationGround.RECALLED: N_("Recalled"),
    TerminationGround.LOST_NATIONALITY: N_("Lost Chinese nationality"),
    TerminationGround.DEPRIVED_OF_RIGHTS: N_("Deprived of political rights by law"),
    TerminationGround.LOST_CAPACITY: N_("Lost capacity for civil conduct"),
    TerminationGround.DEATH: N_("Death"),
}

# Which state each exit event leads to, and from which states it may start.
EVENT_TARGET: dict[MandateEventKind, MandateStatus] = {
    MandateEventKind.SUSPENDED: MandateStatus.SUSPENDED,
    MandateEventKind.RESTORED: MandateStatus.ACTIVE,
    MandateEventKind.TERMINATED: MandateStatus.TERMINATED,
}
ALLOWED: dict[MandateStatus, frozenset[MandateEventKind]] = {
    MandateStatus.ACTIVE: frozenset({MandateEventKind.SUSPENDED, MandateEventKind.TERMINATED}),
    MandateStatus.SUSPENDED: frozenset({MandateEventKind.RESTORED, MandateEventKind.TERMINATED}),
    MandateStatus.TERMINATED: frozenset(),
}


@dataclass(frozen=True)
class MandateState:
    status: MandateStatus
    since: date
    ended_on: date | None = None
    end_ground: str | None = None


@dataclass(frozen=True)
class MandateEvent:
    kind: MandateEventKind
    on: date
    ground: str | None = None
    detail: str = ""
    doc_no: str = ""


def initial_state(elected_on: date) -> MandateState:
    return MandateState(MandateStatus.ACTIVE, elected_on)


def check_event(state: MandateState, event: MandateEvent, *, today: date) -> None:
    """Raise InvalidTransition or ValidationError when ``event`` may not happen now."""
    if event.kind not in ALLOWED[state.status]:
        raise InvalidTransition(state=state.status.value)
    c = Checker()
    c.date("on", event.on, required=True, not_after=today, not_before=state.since)
    if event.kind is MandateEventKind.TERMINATED:
        c.choice("ground", event.ground, {g.value for g in TerminationGround})
        c.required("doc_no", event.doc_no, max_len=60)
    elif event.kind is MandateEventKind.SUSPENDED:
        c.choice("ground", event.ground, {g.value for g in SuspensionGround})
        c.optional("doc_no", event.doc_no, max_len=60)
    else:
        c.optional("doc_no", event.doc_no, max_len=60)
    c.optional("detail", event.detail, max_len=500)
    c.raise_if_any()


def apply_event(state: MandateState, event: MandateEvent, *, today: date) -> MandateState:
    """The state after ``event``; the event is checked first."""
    check_event(state, event, today=today)
    target = EVENT_TARGET[event.kind]
    if target is MandateStatus.TERMINATED:
        return replace(state, status=target, since=event.on, ended_on=event.on,
                       end_ground=event.ground)
    return replace(state, status=target, since=event.on)


def fold(elected_on: date, events: list[MandateEvent]) -> MandateState:
    """Replay a mandate's history (without re-checking dates against today)."""
    state = initial_state(elected_on)
    for e in events:
        if e.kind is MandateEventKind.ELECTED:
            continue
        state = apply_event(state, e, today=date.max)
    return state


def deputy_status(statuses: list[MandateStatus]) -> DeputyStatus:
    if MandateStatus.ACTIVE in statuses or not statuses:
        return DeputyStatus.ACTIVE
    if MandateStatus.SUSPENDED in statuses:
        return DeputyStatus.SUSPENDED
    return DeputyStatus.FORMER


DEPUTY_FIELDS = ("name", "name_ko", "sex", "ethnicity", "birth_date", "party",
                 "unit", "post", "phone", "village", "group_id", "notes")


def validate_deputy(data: dict, *, today: date) -> dict:
    """Clean and check a deputy's basic data; returns the stored form."""
    c = Checker()
    out = {
        "name": c.required("name", data.get("name"), max_len=40),
        "name_ko": c.optional("name_ko", data.get("name_ko"), max_len=40),
        "sex": c.choice("sex", data.get("sex"), {s.value for s in Sex}, required=False),
        "ethnicity": c.choice("ethnicity", data.get("ethnicity"), codes.ETHNICITY, required=False),
        "party": c.choice("party", data.get("party"), codes.POLITICAL_STATUS, required=False),
        "unit": c.optional("unit", data.get("unit"), max_len=120),
        "post": c.optional("post", data.get("post"), max_len=80),
        "phone": c.phone("phone", data.get("phone")),
        "village": c.optional("village", data.get("village"), max_len=60),
        "group_id": (data.get("group_id") or None),
        "notes": c.optional("notes", data.get("notes"), max_len=2000),
    }
    birth = c.date("birth_date", data.get("birth_date"), not_after=today,
                   not_before=date(1900, 1, 1))
    out["birth_date"] = birth.isoformat() if birth else None
    c.raise_if_any()
    return out


def validate_mandate(data: dict, *, today: date, birth_date: date | None = None) -> dict:
    c = Checker()
    level = c.choice("level", data.get("level"), {lv.value for lv in Level})
    term_raw = data.get("term")
    term = None
    if term_raw in (None, ""):
        c.add("term", N_("This field is required."))
    else:
        try:
            term = int(str(term_raw).strip())
            if not 1 <= term <= 99:
                raise ValueError
        except ValueError:
            c.add("term", N_("Enter the term as a number, e.g. 18."))
    elected = c.date("elected_on", data.get("elected_on"), required=True, not_after=today,
                     not_before=birth_date)
    out = {
        "level": level,
        "term": term,
        "constituency": c.optional("constituency", data.get("constituency"), max_len=80),
        "elected_on": elected.isoformat() if elected else None,
    }
    c.raise_if_any()
    return out


@dataclass(frozen=True)
class DeputyFilter:
    """What the registry list shows: a search text and optional filters."""

    query: str = ""
    level: str | None = None
    status: str | None = None
    group_id: str | None = None
    village: str | None = None
    sort: str = "name"
    descending: bool = False
    search_unit: bool = False  # the query also matches the work unit (deputy picker)


SORT_KEYS = ("name", "name_ko", "sex", "birth_date", "levels", "unit", "post",
             "village", "group", "status", "phone")
