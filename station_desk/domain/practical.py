"""Practical matters for the people (为民办实事): find clues → preliminary study →
discussion → done, with progress, milestones, lead deputies and linked cases.

Like a case, a matter is its append-only events; ``fold`` derives the rest.
Stages move forward one at a time; ``undo`` (with a reason) takes back the
last stage move only — progress figures, milestones, leads and links are
records of what happened and stay.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from station_desk.domain.errors import N_, InvalidTransition
from station_desk.domain.validation import Checker


class Stage(StrEnum):
    CLUES = "clues"             # 摸排线索
    STUDY = "study"             # 前期论证
    DISCUSSION = "discussion"   # 座谈交流
    DONE = "done"               # 办理实事


STAGE_LABELS = {
    Stage.CLUES: N_("Finding clues"),
    Stage.STUDY: N_("Preliminary study"),
    Stage.DISCUSSION: N_("Discussion"),
    Stage.DONE: N_("Done"),
}
STAGE_ORDER = list(Stage)


class MatterEventKind(StrEnum):
    CREATE = "create"
    ADVANCE = "advance"
    PROGRESS = "progress"
    MILESTONE = "milestone"
    SET_LEADS = "set_leads"
    LINK_CASE = "link_case"
    UNDO = "undo"


MATTER_EVENT_LABELS = {
    MatterEventKind.CREATE: N_("Practical matter recorded"),
    MatterEventKind.ADVANCE: N_("Moved to the next stage"),
    MatterEventKind.PROGRESS: N_("Progress updated"),
    MatterEventKind.MILESTONE: N_("Milestone"),
    MatterEventKind.SET_LEADS: N_("Lead deputies changed"),
    MatterEventKind.LINK_CASE: N_("Case linked"),
    MatterEventKind.UNDO: N_("Last stage move undone"),
}


class MatterDone(InvalidTransition):
    msgid = N_("This practical matter is done; it has no further stage.")


class NoStageToUndo(InvalidTransition):
    msgid = N_("There is no stage move left to undo.")


@dataclass(frozen=True)
class MatterEvent:
    kind: MatterEventKind
    at: datetime
    actor: str
    data: dict = field(default_factory=dict)
    id: str = ""


@dataclass
class MatterView:
    stage: Stage | None = None
    title: str = ""
    description: str = ""
    started_on: date | None = None
    done_on: date | None = None
    percent: int = 0
    milestones: list[dict] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    # (event index, stage before, percent before, done_on before) per stage move
    moves: list[tuple[int, Stage, int, date | None]] = field(default_factory=list, repr=False)
    undone: set[int] = field(default_factory=set, repr=False)

    @property
    def next_stage(self) -> Stage | None:
        if self.stage is None or self.stage is Stage.DONE:
            return None
        return STAGE_ORDER[STAGE_ORDER.index(self.stage) + 1]


def _on(c: Checker, raw: dict, today: date, not_before: date | None) -> str | None:
    d = c.date("on", raw.get("on", today), required=True, not_after=today,
               not_before=not_before)
    return d.isoformat() if d else None


def _percent(c: Checker, value: object) -> int:
    try:
        p = int(str(value).strip().rstrip("%"))
        if not 0 <= p <= 100:
            raise ValueError
        return p
    except ValueError:
        c.add("percent", N_("Enter a percentage from 0 to 100."))
        return 0


def make_event(view: MatterView, kind: MatterEventKind | str, raw: dict, *, at: datetime,
               actor: str) -> MatterEvent:
    """Check ``raw`` for a ``kind`` event on ``view``; returns the cleaned event."""
    kind = MatterEventKind(kind)
    today = at.date()
    if (kind is MatterEventKind.CREATE) != (view.stage is None):
        raise InvalidTransition(state=view.stage.value if view.stage else "new")
    c = Checker()
    if kind is MatterEventKind.CREATE:
        data = {"on": _on(c, raw, today, None),
                "title": c.required("title", raw.get("title"), max_len=100),
                "description": c.optional("description", raw.get("description"), max_len=2000),
                "leads": [str(x) for x in raw.get("leads") or []],
                "cases": [str(x) for x in raw.get("cases") or []]}
    elif kind is MatterEventKind.ADVANCE:
        if view.next_stage is None:
            raise MatterDone()
        data = {"on": _on(c, raw, today, view.started_on), "to": view.next_stage.value,
                "note": c.optional("note", raw.get("note"), max_len=1000)}
    elif kind is MatterEventKind.PROGRESS:
        data = {"on": _on(c, raw, today, view.started_on),
                "percent": _percent(c, raw.get("percent")),
                "note": c.optional("note", raw.get("note"), max_len=1000)}
    elif kind is MatterEventKind.MILESTONE:
        data = {"on": _on(c, raw, today, view.started_on),
                "text": c.required("text", raw.get("text"), max_len=500)}
    elif kind is MatterEventKind.SET_LEADS:
        data = {"leads": [str(x) for x in raw.get("leads") or []]}
    elif kind is MatterEventKind.LINK_CASE:
        data = {"case_id": c.required("case_id", raw.get("case_id"), max_len=64)}
        if data["case_id"] in view.cases:
            c.add("case_id", N_("This case is already linked."))
    else:
        if not view.moves:
            raise NoStageToUndo()
        data = {"reason": c.required("reason", raw.get("reason"), max_len=1000)}
    c.raise_if_any()
    return MatterEvent(kind, at, actor, data)


def apply(view: MatterView, event: MatterEvent, index: int = 0) -> MatterView:
    """The matter after ``event`` (already checked by ``make_event``)."""
    d, k = event.data, event.kind
    new = MatterView(**{**view.__dict__})
    for name in ("milestones", "leads", "cases", "moves"):
        setattr(new, name, list(getattr(view, name)))
    new.undone = set(view.undone)
    if k is MatterEventKind.CREATE:
        new.stage, new.title, new.description = Stage.CLUES, d["title"], d.get("description", "")
        new.started_on = date.fromisoformat(d["on"])
        new.leads, new.cases = list(d.get("leads", [])), list(d.get("cases", []))
    elif k is MatterEventKind.ADVANCE:
        new.moves.append((index, view.stage, view.percent, view.done_on))
        new.stage = Stage(d["to"])
        if new.stage is Stage.DONE:
            new.percent, new.done_on = 100, date.fromisoformat(d["on"])
    elif k is MatterEventKind.PROGRESS:
        new.percent = int(d["percent"])
    elif k is MatterEventKind.MILESTONE:
        new.milestones.append({"on": d["on"], "text": d["text"]})
    elif k is MatterEventKind.SET_LEADS:
        new.leads = list(d["leads"])
    elif k is MatterEventKind.LINK_CASE:
        new.cases.append(d["case_id"])
    elif k is MatterEventKind.UNDO:
        idx, stage, percent, done_on = new.moves.pop()
        new.stage, new.percent, new.done_on = stage, percent, done_on
        new.undone.add(idx)
    return new


def fold(events: list[MatterEvent]) -> MatterView:
    """The matter as its events, oldest first, make it."""
    view = MatterView()
    for i, e in enumerate(events):
        view = apply(view, e, i)
    return view
