"""Languages: gettext catalogs (babel), switchable at run time.

Message ids are English; catalogs live in ``i18n/<lang>.po`` and are compiled
to ``station_desk/locale/<lang>/LC_MESSAGES/station_desk.mo`` by
``python -m station_desk.i18n compile`` (``make`` does it).  When a compiled
catalog is missing or older than its .po, it is compiled in memory.

``_`` translates into the current UI language; ``gettext_for(lang)`` gives a
translator for a fixed language (printing a Korean form from a Chinese UI).
"""
from __future__ import annotations

import gettext as _gettext
import io
import re
import sys
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable

DOMAIN = "station_desk"
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "ko": "조선어", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
PRINT_LANGUAGES = ("zh_CN", "ko", "en", "bilingual")
# A developer language, never offered to users: every message stretched (see
# PseudoTranslations), to find labels and buttons that clip longer translations.
PSEUDO = "pseudo"
PSEUDO_STRETCH = 0.4

_PKG = Path(__file__).resolve().parent


def _root() -> Path:
    base = getattr(sys, "_MEIPASS", None)  # PyInstaller bundle
    return Path(base) if base else _PKG.parent


def catalog_dir() -> Path:
    return _root() / "i18n"


def locale_dir() -> Path:
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) / "station_desk" / "locale" if base else _PKG / "locale"


def normalise(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANGUAGE
    lang = lang.replace("-", "_")
    if lang in LANGUAGES or lang == PSEUDO:
        return lang
    short = lang.split("_")[0].lower()
    return {"zh": "zh_CN", "ko": "ko", "en": "en"}.get(short, DEFAULT_LANGUAGE)


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|<[^<>]*>|&&|&.")
_PAD = "ėŗţŷűįőṗåšđ"


def pseudo_message(message: str, stretch: float = PSEUDO_STRETCH) -> str:
    """``message`` wrapped in ‹ › and longer by ``stretch`` (40 %): each line gets
    extra characters at its end.  Placeholders, markup and accelerators are kept."""
    lines = message.split("\n")
    out = []
    for line in lines:
        visible = len(_PLACEHOLDER.sub("", line)) + len(_PLACEHOLDER.findall(line))
        extra = max(1, round(visible * stretch)) if line.strip() else 0
        pad = (_PAD * (extra // len(_PAD) + 1))[:extra]
        body = line.rstrip("…:")
        out.append(body + pad + line[len(body):])
    return "‹" + "\n".join(out) + "›"


class PseudoTranslations(_gettext.NullTranslations):
    """The pseudo-locale: English messages, stretched (``pseudo_message``)."""

    def gettext(self, message: str) -> str:
        return pseudo_message(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo_message(singular if n == 1 else plural)


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    lang = normalise(lang)
    if lang == PSEUDO:
        return PseudoTranslations()
    mo = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = catalog_dir() / f"{lang}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return _gettext.GNUTranslations(f)
    if po.exists():
        return _gettext.GNUTranslations(io.BytesIO(_compile(po)))
    return _gettext.NullTranslations()


def _compile(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


_current = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def current_language() -> str:
    return _current


def set_language(lang: str) -> None:
    global _current
    _current = normalise(lang)
    for listener in list(_listeners):
        listener(_current)


def on_language_change(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def _(message: str) -> str:
    """Translate into the current language."""
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    return message


def gettext_for(lang: str) -> Callable[[str], str]:
    return translations(normalise(lang)).gettext


def babel_locale(lang: str) -> str:
    return {"zh_CN": "zh_Hans_CN", "ko": "ko_KR", "en": "en_GB",
            PSEUDO: "en_GB"}[normalise(lang)]


def format_date(d: date | datetime | str | None, lang: str | None = None,
                fmt: str = "long") -> str:
    """2026年3月9日 / 2026년 3월 9일 / 9 March 2026."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d[:10])
        except ValueError:
            return d
    from babel.dates import format_date as _fd

    return _fd(d, format=fmt, locale=babel_locale(lang or _current))


def format_datetime(dt: datetime, lang: str | None = None, fmt: str = "medium") -> str:
    from babel.dates import format_datetime as _fdt

    return _fdt(dt, format=fmt, locale=babel_locale(lang or _current))


def format_number(n: float, lang: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale=babel_locale(lang or _current))


# -- catalog maintenance ---------------------------------------------------------

def compile_all() -> list[Path]:
    out = []
    for lang in LANGUAGES:
        po = catalog_dir() / f"{lang}.po"
        if not po.exists():
            continue
        mo = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        mo.write_bytes(_compile(po))
        out.append(mo)
    translations.cache_clear()
    return out


def extract() -> "object":
    """Collect every message id from the sources (keywords _, N_, ngettext)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="station_desk", charset="utf-8")
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "tr": None}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(_PKG), method_map=[("**.py", "python")], keywords=keywords,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, None, [(f"station_desk/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def update_catalogs() -> None:
    """Write i18n/station_desk.pot and merge new ids into each language's .po."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = extract()
    with (catalog_dir() / f"{DOMAIN}.pot").open("wb") as f:
        write_po(f, template, width=100, omit_header=False)
    for lang in LANGUAGES:
        po = catalog_dir() / f"{lang}.po"
        if po.exists():
            with po.open("rb") as f:
                cat = read_po(f, locale=lang)
        else:
            cat = Catalog(locale=lang, project="station_desk", charset="utf-8")
        cat.update(template, no_fuzzy_matching=True)
        with po.open("wb") as f:
            write_po(f, cat, width=100, ignore_obsolete=True)


def missing(lang: str) -> list[str]:
    """Message ids in the sources with no translation in ``lang``'s catalog."""
    from babel.messages.pofile import read_po

    po = catalog_dir() / f"{lang}.po"
    have = {}
    if po.exists():
        with po.open("rb") as f:
            have = {m.id: m for m in read_po(f) if m.id}
    out = []
    for m in extract():
        if not m.id:
            continue
        t = have.get(m.id)
        strings = t.string if t else None
        if isinstance(strings, (tuple, list)):
            ok = all(strings)
        else:
            ok = bool(strings)
        if not ok or (t is not None and t.fuzzy):
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if cmd == "compile":
        for p in compile_all():
            print(f"compiled {p.relative_to(_root()) if p.is_relative_to(_root()) else p}")
    elif cmd == "update":
        update_catalogs()
        for lang in LANGUAGES:
            print(f"{lang}: {len(missing(lang))} untranslated")
    elif cmd == "missing":
        for lang in LANGUAGES:
            for m in missing(lang):
                print(f"{lang}\t{m}")
    else:
        raise SystemExit("usage: python -m station_desk.i18n compile|update|missing")
