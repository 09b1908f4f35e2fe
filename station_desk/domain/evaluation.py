"""The annual evaluation of deputies (履职考评): a points scheme as data, the
pure scoring function, grades, ranking and the warnings.

A scheme is a plain dict (stored as JSON, edited in the window)::

    {"name": ..., "preset": "hunchun", "base": 60, "max_total": 100,
     "combine": "halves" | "sum", "self_weight": 0.3,
     "items": [{"key", "label", "kinds": [EntryKind...], "points", "cap", "sign",
                "period": "quarter" | "half" | "year"}, ...],
     "bands": [{"grade", "low", "high"}, ...]}

An item gives ``points`` for each counting entry of one of its ``kinds``; the
sum is capped at ``cap`` (``None``: no cap) *per period unit* (each quarter,
each half or the year), and ``sign`` "-" subtracts it.  Bands run from
``low`` (included) to ``high`` (excluded); ``None`` is open-ended; together
they must cover every score once, without gaps or overlaps; the lowest band is
the failing one ("not competent").

``combine = "halves"`` (Hunchun): a year is scored half by half; each half is
``base`` + its items, held within 0..``max_total``, blended with the deputy's
self-assessment of that half by ``self_weight``; the year is the mean of the two
halves, plus the year items (such as an absence from the congress session).
``combine = "sum"``: ``base`` + every item over the period, held within
0..``max_total`` when that is set.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from station_desk.domain.errors import DomainError, FieldError, N_, ValidationError
from station_desk.domain.ledger import ACTIVE_KINDS, Entry, EntryKind

K = EntryKind


class Grade(StrEnum):
    EXCELLENT = "excellent"          # 优秀
    COMPETENT = "competent"          # 称职
    NOT_COMPETENT = "not_competent"  # 不称职
    GOOD = "good"                    # 好 (Yinchuan)
    FAIRLY_GOOD = "fairly_good"      # 较好
    POOR = "poor"                    # 差


GRADE_LABELS = {
    Grade.EXCELLENT: N_("Excellent"),
    Grade.COMPETENT: N_("Competent"),
    Grade.NOT_COMPETENT: N_("Not competent"),
    Grade.GOOD: N_("Good"),
    Grade.FAIRLY_GOOD: N_("Fairly good"),
    Grade.POOR: N_("Poor"),
}

PERIOD_UNITS = ("quarter", "half", "year")
PERIOD_UNIT_LABELS = {"quarter": N_("Quarter"), "half": N_("Half year"), "year": N_("Year")}


class BadPeriod(DomainError):
    msgid = N_("{period} is not a period: write 2025, 2025-H1 or 2025-Q3.")


class NoResults(DomainError):
    msgid = N_("There is no evaluation of {period} yet.")


class AlreadyApproved(DomainError):
    msgid = N_("The evaluation of {period} was already approved by {by}.")


@dataclass(frozen=True, order=True)
class Period:
    """A year, a half (H1/H2) or a quarter (Q1–Q4)."""
    year: int
    unit: str = "year"   # year / half / quarter
    number: int = 1

    @classmethod
    def parse(cls, text: object) -> "Period":
        s = str(text or "").strip().upper()
        try:
            if len(s) == 4:
                return cls(int(s))
            y, part = s.split("-")
            if part in ("H1", "H2"):
                return cls(int(y), "half", int(part[1]))
            if part in ("Q1", "Q2", "Q3", "Q4"):
                return cls(int(y), "quarter", int(part[1]))
        except ValueError:
            pass
        raise BadPeriod(period=str(text))

    def __str__(self) -> str:
        if self.unit == "year":
            return f"{self.year}"
        return f"{self.year}-{'H' if self.unit == 'half' else 'Q'}{self.number}"

    @property
    def months(self) -> tuple[int, int]:
        if self.unit == "year":
            return 1, 12
        size = 6 if self.unit == "half" else 3
        return (self.number - 1) * size + 1, self.number * size

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[1]
        after = date(self.year + 1, 1, 1) if last == 12 else date(self.year, last + 1, 1)
        return date.fromordinal(after.toordinal() - 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def split(self, unit: str) -> list["Period"]:
        """This period cut into units no longer than ``unit`` (itself when ``unit``
        is as long or longer)."""
        order = PERIOD_UNITS.index
        if order(unit) >= order(self.unit):
            return [self]
        if unit == "half":
            return [Period(self.year, "half", 1), Period(self.year, "half", 2)]
        first = (self.months[0] - 1) // 3 + 1
        last = self.months[1] // 3
        return [Period(self.year, "quarter", q) for q in range(first, last + 1)]

    def previous_year(self) -> "Period":
        return Period(self.year - 1)


def last_complete_half(today: date) -> Period:
    """The last half year that ended before ``today``."""
    if today.month >= 7:
        return Period(today.year, "half", 1)
    return Period(today.year - 1, "half", 2)


# -- validation --------------------------------------------------------------------------

def _number(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return float(value)


def validate_scheme(raw: dict) -> dict:
    """A clean copy of the scheme, or ValidationError naming every wrong cell
    (fields like ``items.2.cap`` or ``bands.1.low``)."""
    errors: list[FieldError] = []
    scheme = copy.deepcopy(raw)
    name = str(scheme.get("name") or "").strip()
    if not name:
        errors.append(FieldError("name", N_("Give the scheme a name.")))
    scheme["name"] = name
    try:
        scheme["base"] = _number(scheme.get("base")) or 0.0
        mt = _number(scheme.get("max_total"))
        scheme["max_total"] = mt
        if mt is not None and mt <= 0:
            errors.append(FieldError("max_total", N_("The highest total must be above zero.")))
    except (TypeError, ValueError):
        errors.append(FieldError("base", N_("Enter a number.")))
    if scheme.get("combine", "sum") not in ("sum", "halves"):
        errors.append(FieldError("combine", N_("Choose one of the listed values.")))
    scheme.setdefault("combine", "sum")
    try:
        w = _number(scheme.get("self_weight")) or 0.0
        if not 0 <= w < 1:
            raise ValueError
        scheme["self_weight"] = w
    except (TypeError, ValueError):
        errors.append(FieldError("self_weight", N_("The self-assessment weight is from 0 to 0.99.")))
    items = scheme.get("items") or []
    if not items:
        errors.append(FieldError("items", N_("A scheme needs at least one item.")))
    keys = set()
    kinds = {k.value for k in EntryKind}
    for i, item in enumerate(items):
        f = f"items.{i}"
        if not str(item.get("label") or "").strip():
            errors.append(FieldError(f"{f}.label", N_("Give the item a name.")))
        item["key"] = str(item.get("key") or f"item{i + 1}")
        if item["key"] in keys:
            errors.append(FieldError(f"{f}.key", N_("Two items have the same key.")))
        keys.add(item["key"])
        item_kinds = [str(k) for k in (item.get("kinds") or [])]
        if not item_kinds or not set(item_kinds) <= kinds:
            errors.append(FieldError(f"{f}.kinds", N_("Choose what the item counts.")))
        item["kinds"] = item_kinds
        try:
            points = _number(item.get("points"))
            if points is None or points < 0:
                raise ValueError
            item["points"] = points
        except (TypeError, ValueError):
            errors.append(FieldError(f"{f}.points", N_(
                "Points are a number of zero or more; use the sign for deductions.")))
        try:
            cap = _number(item.get("cap"))
            if cap is not None and cap < 0:
                errors.append(FieldError(f"{f}.cap", N_(
                    "A cap cannot be below zero (row {row}); leave it empty for no cap."),
                    {"row": i + 1}))
            item["cap"] = cap
        except (TypeError, ValueError):
            errors.append(FieldError(f"{f}.cap", N_("Enter a number.")))
        if item.get("sign", "+") not in ("+", "-"):
            errors.append(FieldError(f"{f}.sign", N_("The sign is + or -.")))
        item.setdefault("sign", "+")
        if item.get("period", "year") not in PERIOD_UNITS:
            errors.append(FieldError(f"{f}.period", N_("Choose one of the listed values.")))
        item.setdefault("period", "year")
    errors += _band_errors(scheme)
    if errors:
        raise ValidationError(errors)
    return scheme


def _band_errors(scheme: dict) -> list[FieldError]:
    bands = scheme.get("bands") or []
    grades = {g.value for g in Grade}
    errors: list[FieldError] = []
    if not bands:
        return [FieldError("bands", N_("A scheme needs grade bands."))]
    clean = []
    for i, b in enumerate(bands):
        if b.get("grade") not in grades:
            errors.append(FieldError(f"bands.{i}.grade", N_("Choose one of the listed values.")))
        try:
            low, high = _number(b.get("low")), _number(b.get("high"))
        except (TypeError, ValueError):
            errors.append(FieldError(f"bands.{i}.low", N_("Enter a number.")))
            continue
        b["low"], b["high"] = low, high
        if low is not None and high is not None and low >= high:
            errors.append(FieldError(f"bands.{i}.high", N_(
                "A band's upper bound must be above its lower bound.")))
            continue
        clean.append((float("-inf") if low is None else low,
                      float("inf") if high is None else high, i))
    if errors:
        return errors
    clean.sort()
    if clean[0][0] != float("-inf"):
        errors.append(FieldError(f"bands.{clean[0][2]}.low", N_(
            "Scores below {value} fall in no grade: leave the lowest band's lower bound empty."),
            {"value": _fmt(clean[0][0])}))
    if clean[-1][1] != float("inf"):
        errors.append(FieldError(f"bands.{clean[-1][2]}.high", N_(
            "Scores from {value} up fall in no grade: leave the highest band's upper bound "
            "empty."), {"value": _fmt(clean[-1][1])}))
    for (lo1, hi1, i1), (lo2, hi2, i2) in zip(clean, clean[1:]):
        if lo2 < hi1:
            errors.append(FieldError(f"bands.{i2}.low", N_(
                "Grade bands overlap between {low} and {high}."),
                {"low": _fmt(lo2), "high": _fmt(min(hi1, hi2))}))
        elif lo2 > hi1:
            errors.append(FieldError(f"bands.{i2}.low", N_(
                "Scores from {low} to below {high} fall in no grade (a gap between bands)."),
                {"low": _fmt(hi1), "high": _fmt(lo2)}))
    return errors


def _fmt(x: float) -> str:
    return f"{x:g}"


# -- scoring --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    total: float
    grade: Grade
    items: dict            # item key -> points (signed), over the whole period
    halves: tuple = ()     # (H1, H2) scores of a "halves" year


@dataclass
class Tally:
    """A deputy's counting entries bucketed by (kind, year, quarter), and their
    self-assessment scores by (year, half) — all the scoring function needs.
    Built from :class:`Entry` objects by :func:`tally`, or row by row with
    :meth:`add` where a county's millions of entries are scored."""
    counts: dict = field(default_factory=dict)
    self_scores: dict = field(default_factory=dict)
    _self_days: dict = field(default_factory=dict, repr=False)

    def add(self, kind: str, day: str, score: float | None = None) -> None:
        """Count one entry of ``kind`` on ``day`` (ISO date text)."""
        year, month = int(day[:4]), int(day[5:7])
        if kind == "self_assessment":
            if score is not None:
                key = (year, 1 if month <= 6 else 2)
                if day >= self._self_days.get(key, ""):
                    self._self_days[key] = day
                    self.self_scores[key] = score
            return
        key = (kind, year, (month - 1) // 3 + 1)
        self.counts[key] = self.counts.get(key, 0) + 1

    def add_count(self, kind: str, year: int, quarter: int, n: int) -> None:
        """Count ``n`` entries of ``kind`` in a quarter at once."""
        key = (kind, year, quarter)
        self.counts[key] = self.counts.get(key, 0) + n

    def count(self, kinds: list[str], period: Period) -> int:
        first, last = period.months
        quarters = range((first - 1) // 3 + 1, last // 3 + 1)
        c = self.counts
        return sum(c.get((k, period.year, q), 0) for k in kinds for q in quarters)


def tally(entries: list[Entry]) -> Tally:
    """The tally of the counting entries (approved or derived) among ``entries``."""
    t = Tally()
    for e in entries:
        if e.counts:
            t.add(e.kind.value, e.on.isoformat(), e.score)
    return t


def _item_points(item: dict, t: Tally, period: Period) -> float:
    total = 0.0
    for unit in period.split(item["period"]):
        pts = t.count(item["kinds"], unit) * item["points"]
        if item["cap"] is not None:
            pts = min(pts, item["cap"])
        total += pts
    return -total if item["sign"] == "-" and total else total


def _clamp(x: float, scheme: dict) -> float:
    if scheme.get("max_total") is not None:
        return max(0.0, min(float(scheme["max_total"]), x))
    return x


def grade_of(total: float, scheme: dict) -> Grade:
    for b in scheme["bands"]:
        low = float("-inf") if b["low"] is None else b["low"]
        high = float("inf") if b["high"] is None else b["high"]
        if low <= total < high:
            return Grade(b["grade"])
    raise ValueError(total)  # validate_scheme rules this out


def failing_grade(scheme: dict) -> Grade:
    """The grade of the lowest band."""
    return Grade(min(scheme["bands"], key=lambda b: float("-inf") if b["low"] is None
                     else b["low"])["grade"])


def _half(scheme: dict, t: Tally, half: Period) -> tuple[float, dict]:
    items = {it["key"]: _item_points(it, t, half)
             for it in scheme["items"] if it["period"] != "year"}
    org = _clamp(scheme["base"] + sum(items.values()), scheme)
    own = t.self_scores.get((half.year, half.number))
    w = scheme["self_weight"]
    if own is None or not w:
        return org, items
    return (1 - w) * org + w * own, items


def score(scheme: dict, entries: "list[Entry] | Tally", period: Period) -> Score:
    """The score of one deputy's ``entries`` (or their :class:`Tally`) in
    ``period`` under a validated ``scheme``.  Pure: the same inputs always give
    the same result.  Totals are rounded to two decimals."""
    t = entries if isinstance(entries, Tally) else tally(entries)
    if scheme["combine"] == "halves" and period.unit != "quarter":
        halves = period.split("half")
        parts = [_half(scheme, t, h) for h in halves]
        items: dict[str, float] = {}
        for _s, its in parts:
            for k, v in its.items():
                items[k] = items.get(k, 0.0) + v
        year_items = {it["key"]: _item_points(it, t, period)
                      for it in scheme["items"] if it["period"] == "year"}
        items.update(year_items)
        mean = sum(s for s, _ in parts) / len(parts)
        total = _clamp(mean + sum(year_items.values()), scheme)
        half_scores = tuple(round(s, 2) for s, _ in parts) if len(parts) == 2 else ()
    else:
        items = {it["key"]: _item_points(it, t, period) for it in scheme["items"]}
        total = _clamp(scheme["base"] + sum(items.values()), scheme)
        half_scores = ()
    total = round(total + 0.0, 2)
    return Score(total=total, grade=grade_of(total, scheme),
                 items={k: round(v, 2) for k, v in items.items()}, halves=half_scores)


def rank(totals: dict[str, float], names: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """(deputy_id, rank) best first; equal totals share a rank (1, 2, 2, 4);
    within a tie by name."""
    names = names or {}
    order = sorted(totals, key=lambda d: (-totals[d], names.get(d, ""), d))
    out: list[tuple[str, int]] = []
    for i, d in enumerate(order):
        if i and totals[d] == totals[order[i - 1]]:
            out.append((d, out[-1][1]))
        else:
            out.append((d, i + 1))
    return out


# -- warnings ---------------------------------------------------------------------------------

class WarningKind(StrEnum):
    SESSION_ABSENT_TWICE = "session_absent_twice"
    NOT_COMPETENT_TWICE = "not_competent_twice"
    NO_ACTIVITY_HALF = "no_activity_half"


WARNING_LABELS = {
    WarningKind.SESSION_ABSENT_TWICE: N_(
        "Absent twice from the congress session without approval: a ground for ending "
        "the mandate (Deputies Law art. 49)"),
    WarningKind.NOT_COMPETENT_TWICE: N_(
        "Not competent two years running ({years}): advise resignation"),
    WarningKind.NO_ACTIVITY_HALF: N_("No activity in {half}"),
}


HALF_LABELS = {1: N_("{year}, first half"), 2: N_("{year}, second half")}


def warning_text(w: dict, gettext) -> str:
    """A warning ({"kind", "params"}) in the language of ``gettext``; a half
    year is written out ("2025, first half")."""
    params = dict(w.get("params") or {})
    if params.get("half"):
        try:
            p = Period.parse(params["half"])
            params["half"] = gettext(HALF_LABELS[p.number]).format(year=p.year)
        except (BadPeriod, KeyError):
            pass
    try:
        return gettext(WARNING_LABELS[WarningKind(w["kind"])]).format(**params)
    except (ValueError, KeyError):
        return str(w.get("kind", ""))


def deputy_warnings(entries: "list[Entry] | Tally", *, halves: list[Period],
                    failing_years: list[int] = (), session_absences: int | None = None
                    ) -> list[dict]:
    """The warnings for one deputy, each {"kind", "params"}:

    - two or more approved absences from the congress session without approval
      (``session_absences``; None: counted in ``entries``);
    - the failing grade in two consecutive years of ``failing_years``;
    - no activity-showing entry in one of ``halves``."""
    t = entries if isinstance(entries, Tally) else tally(entries)
    out = []
    if session_absences is None:
        session_absences = sum(n for (k, _y, _q), n in t.counts.items()
                               if k == K.SESSION_ABSENCE)
    if session_absences >= 2:
        out.append({"kind": WarningKind.SESSION_ABSENT_TWICE.value, "params": {}})
    years = sorted(set(failing_years))
    run = [(a, b) for a, b in zip(years, years[1:]) if b == a + 1]
    if run:
        a, b = run[-1]
        out.append({"kind": WarningKind.NOT_COMPETENT_TWICE.value,
                    "params": {"years": f"{a}, {b}"}})
    active = [k.value for k in ACTIVE_KINDS]
    for half in halves:
        if not t.count(active, half):
            out.append({"kind": WarningKind.NO_ACTIVITY_HALF.value,
                        "params": {"half": str(half)}})
    return out


# -- presets -----------------------------------------------------------------------------------

def _item(key, label, kinds, points, cap, period, sign="+") -> dict:
    return {"key": key, "label": label, "kinds": [k.value for k in kinds], "points": points,
            "cap": cap, "sign": sign, "period": period}


_COMPETENCE_BANDS = [
    {"grade": Grade.NOT_COMPETENT.value, "low": None, "high": 60.0},
    {"grade": Grade.COMPETENT.value, "low": 60.0, "high": 90.0},
    {"grade": Grade.EXCELLENT.value, "low": 90.0, "high": None},
]


def hunchun() -> dict:
    """Hunchun 2025 (the default): every half year the organisation's assessment
    (60 base points plus the items, at most 100) is blended with the deputy's own
    self-assessment (weight 0.3); the year is the mean of the two halves, less
    20 points for each absence from the congress session without approval.
    Grades: 优秀 from 90, 称职 from 60, 不称职 below 60.

    The published rule names the two assessments and the grades only; the
    items, points, caps, the 0.3 weight and the 90/60 bounds are this
    program's reasonable reading, to be adjusted in the window."""
    return {"name": "珲春市人大代表履职考评 (2025)", "preset": "hunchun", "base": 60.0,
            "max_total": 100.0, "combine": "halves", "self_weight": 0.3,
            "items": [
                _item("meeting", "出席会议", [K.MEETING], 2, 6, "half"),
                _item("speech", "审议发言", [K.SPEECH], 2, 4, "half"),
                _item("activity", "参加活动", [K.ACTIVITY, K.TRAINING], 2, 10, "half"),
                _item("reception", "接待选民", [K.RECEPTION, K.CASE], 2, 8, "half"),
                _item("suggestion", "提出建议", [K.SUGGESTION], 3, 6, "half"),
                _item("report_back", "向选民述职", [K.REPORT_BACK], 4, 4, "half"),
                _item("practical", "领办实事", [K.PRACTICAL], 3, 6, "half"),
                _item("honour", "表彰与报道", [K.AWARD, K.PUBLICITY, K.DONATION], 2, 4, "half"),
                _item("absence", "无故缺席活动", [K.ACTIVITY_ABSENCE], 3, None, "half", "-"),
                _item("session", "未经批准缺席人代会", [K.SESSION_ABSENCE], 20, None, "year", "-"),
            ],
            "bands": copy.deepcopy(_COMPETENCE_BANDS)}


def yinchuan() -> dict:
    """Yinchuan: a 100-point table counted over the year; 好 from 80, 较好 60–79,
    差 below 60 (two poor years running: advised to resign).  The items and
    their caps (summing to 100) and the 5-point deduction per absence (at most
    20) are this program's reading; the seed gives the scale and bounds only."""
    return {"name": "银川市人大代表履职积分 (100分制)", "preset": "yinchuan", "base": 0.0,
            "max_total": 100.0, "combine": "sum", "self_weight": 0.0,
            "items": [
                _item("meeting", "出席会议", [K.MEETING, K.SPEECH], 4, 20, "year"),
                _item("activity", "参加活动", [K.ACTIVITY, K.TRAINING], 4, 20, "year"),
                _item("reception", "接待选民", [K.RECEPTION], 5, 10, "year"),
                _item("case", "办理诉求", [K.CASE], 2, 10, "year"),
                _item("suggestion", "建议议案", [K.SUGGESTION], 5, 15, "year"),
                _item("report_back", "述职", [K.REPORT_BACK], 10, 10, "year"),
                _item("practical", "为民办实事", [K.PRACTICAL], 5, 10, "year"),
                _item("honour", "表彰与报道", [K.AWARD, K.PUBLICITY], 5, 5, "year"),
                _item("absence", "无故缺席", [K.ACTIVITY_ABSENCE, K.SESSION_ABSENCE], 5, 20,
                      "year", "-"),
            ],
            "bands": [
                {"grade": Grade.POOR.value, "low": None, "high": 60.0},
                {"grade": Grade.FAIRLY_GOOD.value, "low": 60.0, "high": 80.0},
                {"grade": Grade.GOOD.value, "low": 80.0, "high": None},
            ]}


def jingmen_dongbao() -> dict:
    """Jingmen Dongbao: 60 base points plus a bonus without a ceiling, counted
    quarter by quarter (the station posts the points quarterly).  The seed gives
    the base and the open bonus; the items and the bands (优秀 from 85) are this
    program's reading."""
    return {"name": "荆门东宝区代表履职积分 (60+附加分)", "preset": "jingmen_dongbao",
            "base": 60.0, "max_total": None, "combine": "sum", "self_weight": 0.0,
            "items": [
                _item("activity", "参加活动", [K.ACTIVITY, K.MEETING, K.TRAINING], 2, None,
                      "quarter"),
                _item("speech", "审议发言", [K.SPEECH], 2, None, "quarter"),
                _item("reception", "接待选民", [K.RECEPTION, K.CASE], 2, None, "quarter"),
                _item("suggestion", "建议议案", [K.SUGGESTION], 3, None, "quarter"),
                _item("practical", "为民办实事", [K.PRACTICAL, K.DONATION], 3, None, "quarter"),
                _item("report_back", "述职", [K.REPORT_BACK], 3, None, "quarter"),
                _item("honour", "表彰与报道", [K.AWARD, K.PUBLICITY], 2, None, "quarter"),
                _item("absence", "无故缺席", [K.ACTIVITY_ABSENCE, K.SESSION_ABSENCE], 2, None,
                      "quarter", "-"),
            ],
            "bands": [
                {"grade": Grade.NOT_COMPETENT.value, "low": None, "high": 60.0},
                {"grade": Grade.COMPETENT.value, "low": 60.0, "high": 85.0},
                {"grade": Grade.EXCELLENT.value, "low": 85.0, "high": None},
            ]}


PRESETS = {"hunchun": hunchun, "yinchuan": yinchuan, "jingmen_dongbao": jingmen_dongbao}
PRESET_LABELS = {"hunchun": N_("Hunchun (default)"), "yinchuan": N_("Yinchuan"),
                 "jingmen_dongbao": N_("Jingmen Dongbao")}
DEFAULT_PRESET = "hunchun"
