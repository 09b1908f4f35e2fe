#!/usr/bin/env python3
"""Make the bundled font: a subset of Debian's WenQuanYi Micro Hei.

Source: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc (package
``fonts-wqy-microhei``), face 0 ("WenQuanYi Micro Hei", proportional).
Output: resources/fonts/WenQuanYiMicroHei-subset.ttf (TrueType outlines,
family name unchanged) and resources/fonts/LICENSE-WenQuanYi.txt.

Run with ``make fonts``.  The script refuses to write a font that lacks the
name characters a GB2312-only subset would drop (喆堃昇珺玥赟) or Yanbian
Korean spelling (룡정 련락).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-wqy-microhei/copyright")
APACHE_TEXT = Path("/usr/share/common-licenses/Apache-2.0")
OUT_DIR = ROOT / "resources" / "fonts"
OUT_FONT = OUT_DIR / "WenQuanYiMicroHei-subset.ttf"
OUT_LICENSE = OUT_DIR / "LICENSE-WenQuanYi.txt"
FAMILY = "WenQuanYi Micro Hei"

# (first, last, what) — the scripts and punctuation the program prints.
RANGES: list[tuple[int, int, str]] = [
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"),
    (0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"),
    (0xAC00, 0xD7AF, "Hangul Syllables"),
    (0x1100, 0x11FF, "Hangul Jamo"),
    (0x3130, 0x318F, "Hangul Compatibility Jamo"),
    # Small symbol blocks that forms use: № ℃, Ⅰ Ⅱ, arrows, ① ②, □ ■ ○ ●, ✓ ✗.
    (0x2100, 0x214F, "Letterlike Symbols"),
    (0x2150, 0x218F, "Number Forms"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x2713, 0x2718, "Check and ballot marks"),
]

MUST_HAVE = "喆堃昇珺玥赟룡정련락代表名册대표명단0123456789－（）：、。「」"


def codepoints(font: TTFont) -> list[int]:
    have = font.getBestCmap()
    return [u for first, last, _ in RANGES for u in range(first, last + 1) if u in have]


def make_subset(source: Path = SOURCE, out: Path = OUT_FONT) -> Path:
    """Write the subset of face 0 of ``source`` to ``out`` and return ``out``."""
    font = TTCollection(str(source)).fonts[0]
    if font["name"].getDebugName(1) != FAMILY:
        raise SystemExit(f"{source}: face 0 is not {FAMILY!r}")
    options = subset.Options()
    options.layout_features = ["*"]          # keep vertical forms, kerning
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, family, style, version
    options.name_languages = ["*"]            # keep the Chinese family name too
    options.notdef_outline = True
    options.hinting = True
    options.glyph_names = False
    options.prune_unicode_ranges = True
    options.drop_tables += ["FFTM"]           # FontForge timestamps only
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints(font))
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False              # same input, same bytes
    tmp = out.with_suffix(".tmp")
    font.save(str(tmp))
    tmp.replace(out)
    return out


def check(path: Path = OUT_FONT) -> list[str]:
    """Problems with the written font (empty when it is good)."""
    font = TTFont(str(path))
    problems = []
    if "glyf" not in font:
        problems.append("not TrueType outlines")
    if font["name"].getDebugName(1) != FAMILY:
        problems.append(f"family name is {font['name'].getDebugName(1)!r}")
    have = font.getBestCmap()
    missing = [c for c in MUST_HAVE if ord(c) not in have]
    if missing:
        problems.append("missing " + "".join(missing))
    return problems


def write_license(out: Path = OUT_LICENSE, font_path: Path = OUT_FONT) -> Path:
    """Write the licence file: the font's own copyright, Debian's record, Apache-2.0."""
    in_font = TTFont(str(font_path))["name"].getDebugName(0) or ""
    copyright_text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    # Only the upstream part of Debian's file concerns the font itself.
    upstream = copyright_text.split("\nFiles: debian/*")[0].strip()
    apache = APACHE_TEXT.read_text(encoding="utf-8")
    text = (
        "WenQuanYi Micro Hei (文泉驿微米黑), subset for station_desk\n"
        "==========================================================\n\n"
        f"{OUT_FONT.name} is a subset of wqy-microhei.ttc (face 0) from the Debian\n"
        "package fonts-wqy-microhei, made by tools/make_font_subset.py.  Only\n"
        "glyphs were removed; outlines and names are unchanged.  The font is\n"
        "dual-licensed upstream (Apache-2.0 or GPL-3+ with font exception);\n"
        "station_desk uses and redistributes it under the Apache License 2.0.\n\n"
        "Copyright notice in the font\n"
        "----------------------------\n\n"
        f"{in_font}\n\n"
        "Copyright and licence record, as shipped by Debian\n"
        "--------------------------------------------------\n\n"
        f"{upstream}\n\n"
        "Apache License 2.0 (full text)\n"
        "------------------------------\n\n"
        f"{apache}"
    )
    out.write_text(text, encoding="utf-8", newline="\n")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", type=Path, default=SOURCE)
    p.add_argument("--out", type=Path, default=OUT_FONT)
    args = p.parse_args(argv)
    if not args.source.exists():
        sys.stderr.write(f"{args.source} not found: apt-get install fonts-wqy-microhei\n")
        return 2
    out = make_subset(args.source, args.out)
    problems = check(out)
    if problems:
        sys.stderr.write(f"{out}: " + "; ".join(problems) + "\n")
        return 1
    write_license(font_path=out)
    glyphs = len(TTFont(str(out)).getGlyphOrder())
    print(f"wrote {out} ({out.stat().st_size / 2**20:.2f} MiB, {glyphs} glyphs) and {OUT_LICENSE.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
