"""Field checks shared by every form and importer."""
from __future__ import annotations

import re
from datetime import date

from station_desk.domain.errors import N_, FieldError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

MSG_REQUIRED = N_("This field is required.")
MSG_TOO_LONG = N_("At most {max} characters.")
MSG_PHONE = N_("Enter an 11-digit mobile number (1xxxxxxxxxx) or a landline such as 0433-1234567.")
MSG_DATE = N_("Enter a date as YYYY-MM-DD, e.g. 2026-03-09.")
MSG_DATE_FUTURE = N_("The date cannot be in the future.")
MSG_DATE_BEFORE = N_("The date cannot be before {other}.")
MSG_ID = N_("The ID number must have 18 characters with a valid check digit.")


def clean(text: object) -> str:
    """Strip surrounding and doubled white space; ``None`` becomes ''."""
    if text is None:
        return ""
    return re.sub(r"\s+", " ", str(text)).strip()


def normalise_phone(text: str) -> str:
    """Remove spaces and the +86 prefix people type or paste."""
    t = re.sub(r"[\s()]", "", clean(text))
    t = t.replace("－", "-").replace("—", "-")
    if t.startswith("+86"):
        t = t[3:]
    elif t.startswith("0086"):
        t = t[4:]
    return t


def is_valid_phone(text: str) -> bool:
    t = normalise_phone(text)
    return bool(MOBILE_RE.match(t) or LANDLINE_RE.match(t))


def is_valid_mobile(text: str) -> bool:
    return bool(MOBILE_RE.match(normalise_phone(text)))


def id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def is_valid_id_number(text: str) -> bool:
    """GB 11643: 18 characters, ISO 7064 MOD 11-2 check digit, may end in X,
    and a real birth date in positions 7-14."""
    t = clean(text).upper()
    if not ID_RE.match(t):
        return False
    try:
        date(int(t[6:10]), int(t[10:12]), int(t[12:14]))
    except ValueError:
        return False
    return id_check_digit(t[:17]) == t[17]


def parse_date(text: object) -> date | None:
    """Parse the date formats clerks type or Excel gives; None when empty.

    Raises ValueError for text that is not a date."""
    if text is None or text == "":
        return None
    if isinstance(text, date):
        return text if type(text) is date else text.date()  # datetime -> date
    t = clean(text)
    if not t:
        return None
    m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", t)
    if not m:
        m8 = re.match(r"^(\d{4})(\d{2})(\d{2})$", t)
        if not m8:
            raise ValueError(t)
        m = m8
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


class Checker:
    """Collects field errors so a form can mark every wrong field at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, msgid: str, **params) -> None:
        if not any(e.field == field for e in self.errors):
            self.errors.append(FieldError(field, msgid, params))

    def required(self, field: str, value: object, max_len: int = 100) -> str:
        v = clean(value)
        if not v:
            self.add(field, MSG_REQUIRED)
        elif len(v) > max_len:
            self.add(field, MSG_TOO_LONG, max=max_len)
        return v

    def optional(self, field: str, value: object, max_len: int = 200) -> str:
        v = clean(value)
        if len(v) > max_len:
            self.add(field, MSG_TOO_LONG, max=max_len)
        return v

    def phone(self, field: str, value: object, *, required: bool = False) -> str:
        v = normalise_phone(clean(value))
        if not v:
            if required:
                self.add(field, MSG_REQUIRED)
            return ""
        if not is_valid_phone(v):
            self.add(field, MSG_PHONE)
        return v

    def date(self, field: str, value: object, *, required: bool = False,
             not_after: date | None = None, not_before: date | None = None) -> date | None:
        try:
            d = parse_date(value)
        except ValueError:
            self.add(field, MSG_DATE)
            return None
        if d is None:
            if required:
                self.add(field, MSG_REQUIRED)
            return None
        if not_after is not None and d > not_after:
            self.add(field, MSG_DATE_FUTURE)
        if not_before is not None and d < not_before:
            self.add(field, MSG_DATE_BEFORE, other=not_before.isoformat())
        return d

    def choice(self, field: str, value: object, allowed, *, required: bool = True):
        v = clean(value)
        if not v:
            if required:
                self.add(field, MSG_REQUIRED)
            return None
        if v not in allowed:
            self.add(field, N_("Choose one of the listed values."))
            return None
        return v

    def raise_if_any(self) -> None:
        if self.errors:
            from station_desk.domain.errors import ValidationError
            raise ValidationError(self.errors)


MAX_PHOTO_BYTES = 5 * 1024 * 1024


def image_mime(data: bytes) -> str | None:
    """The MIME type of a JPEG or PNG by its magic bytes, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None
