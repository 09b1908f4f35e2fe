"""One masking rule for phone and ID numbers, used by screens, paper and exports."""
from __future__ import annotations

import re
from typing import Any


def mask_phone(phone: str | None) -> str:
    """138****5678 for mobiles; landlines keep area code and last 4 digits."""
    p = (phone or "").strip()
    if not p:
        return ""
    digits = p.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if len(p) > 4:
        head = p.split("-")[0] + "-" if "-" in p else ""
        return head + "*" * max(0, len(p) - len(head) - 4) + p[-4:]
    return "*" * len(p)


def mask_id_number(number: str | None) -> str:
    """**************123X: only the last four characters are shown."""
    n = (number or "").strip()
    if not n:
        return ""
    return "*" * max(0, len(n) - 4) + n[-4:]


# the keys that hold a person's phone or ID number wherever a record is written
# out (audit before/after, exports, bundle preview): masked by the same rule
PERSONAL_MASKS = {"phone": mask_phone, "id_number": mask_id_number}
# the keys a purge blanks: who the person was and how to reach them
PURGED_KEYS = ("name", "name_ko", "voter_name", "phone", "id_number", "address")
PURGED_MARK = "[purged]"  # what a purged field holds (never shown as a value)

# a mobile number or a citizen ID number standing on its own inside free text
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_field(field: str, value: str | None) -> str:
    """``value`` masked by the rule for ``field`` (phone or id_number); other
    fields come back unchanged."""
    mask = PERSONAL_MASKS.get(field)
    return mask(value) if mask else (value or "")


def mask_text(text: str | None) -> str:
    """Free text (a voter's words, a note) with any mobile or ID number in it
    masked by the same rule: voters dictate their number into their words."""
    if not text:
        return text or ""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


def mask_record(value: Any) -> Any:
    """A copy of a record (dicts and lists, nested) with every phone and ID
    number masked: by key, and inside free text.  For the audit trail's
    before/after, exports and the bundle preview."""
    if isinstance(value, dict):
        return {k: (mask_field(k, v) if k in PERSONAL_MASKS and isinstance(v, (str, type(None)))
                    else mask_record(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_record(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    return value
