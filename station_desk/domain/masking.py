"""One masking rule for phone and ID numbers, used by screens, paper and exports."""
from __future__ import annotations


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
