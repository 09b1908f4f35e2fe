"""The station's profile and its staff (四好家站: premises, organisation, rules, activities)."""
from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from station_desk.domain.errors import N_
from station_desk.domain.validation import Checker

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,19}$")


class StaffRole(StrEnum):
    HEAD = "head"
    DEPUTY_HEAD = "deputy_head"
    WORKER = "worker"


STAFF_ROLE_LABELS = {
    StaffRole.HEAD: N_("Station head"),
    StaffRole.DEPUTY_HEAD: N_("Deputy head"),
    StaffRole.WORKER: N_("Clerk"),
}

PROFILE_FIELDS = ("name_zh", "name_ko", "code", "county", "address", "opening_hours",
                  "phone", "rooms", "bilingual_order")


def validate_profile(data: dict) -> dict:
    c = Checker()
    out = {
        "name_zh": c.required("name_zh", data.get("name_zh"), max_len=60),
        "name_ko": c.optional("name_ko", data.get("name_ko"), max_len=60),
        "code": c.required("code", data.get("code"), max_len=20),
        "county": c.required("county", data.get("county"), max_len=60),
        "address": c.optional("address", data.get("address"), max_len=120),
        "opening_hours": c.optional("opening_hours", data.get("opening_hours"), max_len=200),
        "phone": c.phone("phone", data.get("phone")),
        "rooms": c.optional("rooms", data.get("rooms"), max_len=200),
        "bilingual_order": c.choice("bilingual_order", data.get("bilingual_order") or "zh-ko",
                                    {"zh-ko", "ko-zh"}),
    }
    if out["code"] and not CODE_RE.match(out["code"]):
        c.add("code", N_("Use 2 to 20 letters, digits or '-', e.g. 222401-01."))
    c.raise_if_any()
    return out


def validate_staff(data: dict, *, today: date) -> dict:
    c = Checker()
    out = {
        "name": c.required("name", data.get("name"), max_len=40),
        "name_ko": c.optional("name_ko", data.get("name_ko"), max_len=40),
        "role": c.choice("role", data.get("role"), {r.value for r in StaffRole}),
        "phone": c.phone("phone", data.get("phone")),
    }
    since = c.date("since", data.get("since"), not_after=today)
    until = c.date("until", data.get("until"), not_before=since)
    out["since"] = since.isoformat() if since else None
    out["until"] = until.isoformat() if until else None
    c.raise_if_any()
    return out
