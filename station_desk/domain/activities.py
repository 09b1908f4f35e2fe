"""Activities of the station's deputies (活动): kinds, states, attendance.

"A plan at the start of the year, a theme for each activity, a summary at the
end."  An activity is scheduled, then held (attendance recorded) or
cancelled; each invitee is marked present, on leave (reason, approved by) or
absent.  Rules and validation live here; storage and services build on them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from station_desk.domain.errors import N_, DomainError, NotFound
from station_desk.domain.validation import MSG_REQUIRED, MSG_TOO_LONG, Checker, clean


class ActivityKind(StrEnum):
    LEARNING = "learning"                  # 学习培训 / 履职交流
    THEORY = "theory"                      # 理论宣讲 / 普法
    INSPECTION = "inspection"              # 接待选民 / 视察调研 / 三查(察)
    SERVICE = "service"                    # 为民服务 / 办实事
    MEETING = "meeting"                    # 会议
    SUPERVISION_MEETING = "supervision_meeting"  # 列席政府会议
    SUPERVISION_COURT = "supervision_court"      # 旁听庭审
    SUPERVISION_WINDOW = "supervision_window"    # 评议服务窗口
    DOUBLE_CONTACT = "double_contact"      # 双联
    REPORT_BACK = "report_back"            # 向选民述职


KIND_LABELS = {
    ActivityKind.LEARNING: N_("Learning and training, performance exchange"),
    ActivityKind.THEORY: N_("Theory talk, law popularisation"),
    ActivityKind.INSPECTION: N_("Voter reception, inspection and research"),
    ActivityKind.SERVICE: N_("Serving the people, practical matters"),
    ActivityKind.MEETING: N_("Meeting"),
    ActivityKind.SUPERVISION_MEETING: N_("Supervision: attending a government meeting"),
    ActivityKind.SUPERVISION_COURT: N_("Supervision: attending a court hearing"),
    ActivityKind.SUPERVISION_WINDOW: N_("Supervision: evaluating a service window"),
    ActivityKind.DOUBLE_CONTACT: N_("Double contact"),
    ActivityKind.REPORT_BACK: N_("Report-back to voters"),
}


class ActivityStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    ActivityStatus.SCHEDULED: N_("Scheduled"),
    ActivityStatus.HELD: N_("Held"),
    ActivityStatus.CANCELLED: N_("Cancelled"),
}


class Attendance(StrEnum):
    UNMARKED = "unmarked"
    PRESENT = "present"
    LEAVE = "leave"
    ABSENT = "absent"


ATTENDANCE_LABELS = {
    Attendance.UNMARKED: N_("Not marked"),
    Attendance.PRESENT: N_("Present"),
    Attendance.LEAVE: N_("On leave"),
    Attendance.ABSENT: N_("Absent"),
}


# -- refusals -------------------------------------------------------------------

class ActivityNotFound(NotFound):
    msgid = N_("The activity no longer exists.")


class PlanItemNotFound(NotFound):
    msgid = N_("The plan item no longer exists.")


class InviteeNotFound(NotFound):
    msgid = N_("This person is no longer on the activity's list.")


class PhotoNotFound(NotFound):
    msgid = N_("The photo no longer exists.")


class ActivityCancelled(DomainError):
    msgid = N_("This activity was cancelled; it can no longer be changed.")


class ActivityAlreadyHeld(DomainError):
    msgid = N_("This activity was held; it cannot be cancelled.")


class PlanItemInUse(DomainError):
    msgid = N_("The activity “{title}” belongs to this plan item. Cancel it or link it "
               "to another plan item first.")


class AlreadyInvited(DomainError):
    msgid = N_("Already invited: {names}.")


class InvitedTwice(DomainError):
    msgid = N_("{name} is in the list twice; invite each person once.")


class UnknownDeputy(DomainError):
    msgid = N_("Choose deputies from the registry.")


class NotInvited(DomainError):
    msgid = N_("{count} of the people marked are not invited to this activity; "
               "nothing was saved.")


class NotStarted(DomainError):
    msgid = N_("The activity has not started yet ({starts_at}). Attendance can be marked "
               "once it starts; leave can be recorded now.")


class LeaveNeedsReason(DomainError):
    msgid = N_("Record the reason for leave of {name} first; nothing was saved.")


class BadPhoto(DomainError):
    msgid = N_("The photo must be a JPEG or PNG image of at most 5 MB.")


MSG_ENDS_BEFORE = N_("The end must be after the start.")
MSG_DATETIME = N_("Enter a date and time as YYYY-MM-DD HH:MM, e.g. 2026-03-09 14:30.")
MSG_TIME = N_("Enter a time as HH:MM, e.g. 14:30.")
MSG_YEAR = N_("Enter a year from {low} to {high}.")
MSG_MONTH = N_("Choose a month from 1 to 12.")
MSG_MARK = N_("Choose present, on leave, absent or not marked.")

YEARS = (2000, 2100)


# -- validation -------------------------------------------------------------------

_DT_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$")


def parse_datetime(value: object) -> datetime | None:
    """A local date and time (minutes); None when empty.

    Accepts a ``datetime`` (its wall-clock time, seconds dropped) or the text
    "YYYY-MM-DD HH:MM" / "YYYY-MM-DDTHH:MM" (seconds allowed, dropped).
    Raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    t = clean(value)
    if not t:
        return None
    m = _DT_RE.match(t)
    if not m:
        raise ValueError(t)
    y, mo, d, h, mi = (int(g) for g in m.groups())
    return datetime(y, mo, d, h, mi)


def format_datetime(value: datetime) -> str:
    """The stored form: "YYYY-MM-DDTHH:MM"."""
    return value.strftime("%Y-%m-%dT%H:%M")


def _datetime(c: Checker, field: str, value: object) -> datetime | None:
    try:
        dt = parse_datetime(value)
    except ValueError:
        c.add(field, MSG_DATETIME)
        return None
    if dt is None:
        c.add(field, MSG_REQUIRED)
    elif not YEARS[0] <= dt.year <= YEARS[1]:
        c.add(field, MSG_YEAR, low=YEARS[0], high=YEARS[1])
        return None
    return dt


def _int_in(c: Checker, field: str, value: object, low: int, high: int, msgid: str) -> int | None:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        n = None
    if n is None or not low <= n <= high:
        c.add(field, msgid, low=low, high=high)
        return None
    return n


def validate_plan_item(raw: dict) -> dict:
    """A plan item's fields, cleaned: year, month, kind, theme, notes."""
    c = Checker()
    out = {"year": _int_in(c, "year", raw.get("year"), *YEARS, MSG_YEAR),
           "month": _int_in(c, "month", raw.get("month"), 1, 12, MSG_MONTH),
           "kind": c.choice("kind", raw.get("kind"), set(ActivityKind)),
           "theme": c.required("theme", raw.get("theme"), max_len=200),
           "notes": c.optional("notes", raw.get("notes"), max_len=2000)}
    c.raise_if_any()
    return out


def validate_activity(raw: dict) -> dict:
    """An activity's fields, cleaned; times in their stored form.

    Every wrong field is named after the argument (``ends_at`` when the
    activity would end before or when it starts)."""
    c = Checker()
    starts = _datetime(c, "starts_at", raw.get("starts_at"))
    ends = _datetime(c, "ends_at", raw.get("ends_at"))
    if starts and ends and ends <= starts:
        c.add("ends_at", MSG_ENDS_BEFORE)
    out = {"kind": c.choice("kind", raw.get("kind"), set(ActivityKind)),
           "title": c.required("title", raw.get("title"), max_len=200),
           "theme": c.optional("theme", raw.get("theme"), max_len=200),
           "starts_at": format_datetime(starts) if starts else None,
           "ends_at": format_datetime(ends) if ends else None,
           "place": c.optional("place", raw.get("place"), max_len=200),
           "organiser": c.optional("organiser", raw.get("organiser"), max_len=200),
           "plan_item_id": clean(raw.get("plan_item_id")) or None,
           "notes": c.optional("notes", raw.get("notes"), max_len=4000),
           # a notice is a letter: keep its line breaks
           "notice": _text(c, "notice", raw.get("notice"), 8000)}
    c.raise_if_any()
    return out


def _text(c: Checker, field: str, value: object, max_len: int) -> str:
    """Multi-line text: surrounding white space stripped, line breaks kept."""
    v = "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())
    if len(v) > max_len:
        c.add(field, MSG_TOO_LONG, max=max_len)
    return v


def validate_summary(summary: object) -> str:
    c = Checker()
    v = _text(c, "summary", summary, 20000)
    c.raise_if_any()
    return v


def validate_reason(field: str, value: object, *, max_len: int = 500) -> str:
    """A required short reason (cancelling, leave)."""
    c = Checker()
    v = c.required(field, value, max_len=max_len)
    c.raise_if_any()
    return v


def validate_outsider(raw: dict, index: int) -> dict:
    """An outside participant ``outsiders[index]``: name required, phone checked."""
    c = Checker()
    p = f"outsiders[{index}]."
    out = {"name": c.required(p + "name", raw.get("name"), max_len=60),
           "name_ko": c.optional(p + "name_ko", raw.get("name_ko"), max_len=60),
           "unit": c.optional(p + "unit", raw.get("unit"), max_len=100),
           "post": c.optional(p + "post", raw.get("post"), max_len=100),
           "phone": c.phone(p + "phone", raw.get("phone"))}
    c.raise_if_any()
    return out


def parse_signed_at(value: object) -> str:
    """A signing time "HH:MM" ('' when empty); ValueError otherwise."""
    t = clean(value)
    if not t:
        return ""
    m = re.match(r"^(\d{1,2})[:：](\d{2})$", t)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(t)
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def validate_marks(marks: dict, signed_at: dict | str | None
                   ) -> tuple[dict[str, Attendance], dict[str, str]]:
    """Check the attendance marks and signing times given to ``mark``.

    ``signed_at``: invitee id -> "HH:MM", or one time for every mark given."""
    c = Checker()
    if isinstance(signed_at, str):
        signed_at = {i: signed_at for i in marks}
    out: dict[str, Attendance] = {}
    for invitee_id, value in marks.items():
        try:
            out[str(invitee_id)] = Attendance(str(value))
        except ValueError:
            c.add("marks", MSG_MARK)
    times: dict[str, str] = {}
    for invitee_id, value in (signed_at or {}).items():
        try:
            times[str(invitee_id)] = parse_signed_at(value)
        except ValueError:
            c.add("signed_at", MSG_TIME)
    c.raise_if_any()
    return out, times


def sheet_order(ids: list[str], moved: str, to_index: int) -> list[str]:
    """``ids`` with ``moved`` put at ``to_index`` (clamped to the list)."""
    rest = [i for i in ids if i != moved]
    to_index = max(0, min(int(to_index), len(rest)))
    return rest[:to_index] + [moved] + rest[to_index:]


# -- counts and warnings ------------------------------------------------------------

def counts(attendances: list[str]) -> dict:
    """expected / present / leave / absent / unmarked of a list of marks."""
    out = {"expected": len(attendances)}
    for a in Attendance:
        out[a.value] = sum(1 for x in attendances if x == a.value)
    return out


def plan_item_state(statuses: set[str] | list[str]) -> str | None:
    """Where a plan item stands, from the statuses of its linked activities:
    'held' if one was held, else 'scheduled' if one is scheduled, else
    'cancelled' if every one was cancelled; None with no activity yet."""
    found = set(statuses)
    for status in (ActivityStatus.HELD, ActivityStatus.SCHEDULED, ActivityStatus.CANCELLED):
        if status in found:
            return status.value
    return None


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1..4

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)


def last_complete_quarter(today: date) -> Quarter:
    """The newest quarter that ended before ``today``."""
    return Quarter.of(today).previous()


def newest_first(invitations: list[dict]) -> list[dict]:
    """``invitations`` newest activity first (two at the same time by their id)."""
    return sorted(invitations, key=lambda r: (r["starts_at"], r.get("activity_id", "")),
                  reverse=True)


def absent_twice(invitations: list[dict]) -> list[str]:
    """Deputies absent without leave from the two most recent held activities
    they were invited to, in the order first seen.

    ``invitations``: {deputy_id, starts_at, attendance, activity_id?} of HELD activities.
    An unmarked invitation says nothing either way and is skipped; leave is
    excused and breaks the run."""
    latest: dict[str, list[dict]] = {}
    for inv in invitations:
        if inv["attendance"] == Attendance.UNMARKED:
            continue
        latest.setdefault(inv["deputy_id"], []).append(inv)
    out = []
    for deputy_id, rows in latest.items():
        rows = newest_first(rows)
        if len(rows) >= 2 and all(r["attendance"] == Attendance.ABSENT for r in rows[:2]):
            out.append(deputy_id)
    return out


def inactive(serving: dict[str, date], present: set[str], quarter: Quarter) -> list[str]:
    """Deputies who served the whole ``quarter`` and attended no held activity in it.

    ``serving``: deputy id -> the day their current service began (the earliest
    ``status_since`` of their active mandates); ``present``: the deputies marked
    present at a held activity of the quarter."""
    return [d for d, since in serving.items() if since <= quarter.start and d not in present]
