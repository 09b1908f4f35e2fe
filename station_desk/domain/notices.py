"""The station's texts for the notice board (制度上墙) and the wall notices.

A rule (制度) has a title and a body in Chinese and in Korean and a place in
the order the wall prints them.  The Chinese title is required (the rules are
official texts); a Korean title or body left empty prints the Chinese one.
The wall notices themselves are named here so services, printing and the
command line agree on the set.
"""
from __future__ import annotations

from station_desk.domain.errors import N_, DomainError, FieldError, NotFound, ValidationError
from station_desk.domain.validation import Checker

TITLE_MAX = 60
BODY_MAX = 4000
MAX_RULES = 40

MSG_TOO_MANY = N_("A station keeps at most {max} rules on the wall.")
MSG_ORDER = N_("Give every rule exactly once to reorder them.")

# the wall notices, in the order they are printed as a set
WALL_NOTICES = ("wall-profile", "wall-deputies", "wall-reception", "wall-workflow",
                "wall-rules", "wall-summary", "wall-plan")
SIZES = ("a4", "a3")
ORIENTATIONS = ("auto", "portrait", "landscape")
PHONE_CHOICES = ("station", "deputy", "none")


class RuleNotFound(NotFound):
    msgid = N_("The rule no longer exists.")


class TooManyRules(DomainError):
    msgid = MSG_TOO_MANY


def validate_rule(data: dict) -> dict:
    """A rule's fields, cleaned; ValidationError names every wrong field."""
    c = Checker()
    out = {
        "title_zh": c.required("title_zh", data.get("title_zh"), max_len=TITLE_MAX),
        "title_ko": c.optional("title_ko", data.get("title_ko"), max_len=TITLE_MAX),
        "body_zh": _body(c, "body_zh", data.get("body_zh")),
        "body_ko": _body(c, "body_ko", data.get("body_ko")),
    }
    c.raise_if_any()
    return out


def _body(c: Checker, field: str, value: object) -> str:
    # a body keeps its line breaks (one numbered article a line); clean() would join them
    text = "\n".join(line.strip() for line in str(value or "").replace("\r\n", "\n").split("\n"))
    text = text.strip("\n")
    if len(text) > BODY_MAX:
        c.add(field, N_("At most {max} characters."), max=BODY_MAX)
    return text


def check_order(current: list[str], wanted: list[str]) -> list[str]:
    """``wanted`` when it names every id of ``current`` exactly once."""
    if sorted(current) != sorted(wanted) or len(set(wanted)) != len(wanted):
        raise ValidationError([FieldError("order", MSG_ORDER)])
    return list(wanted)
