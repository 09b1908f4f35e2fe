"""The layers of the design guide, checked by walking every import with ast."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "station_desk"

# layer -> station_desk sub-packages it may import
ALLOWED = {
    "domain": {"domain"},
    "storage": {"domain", "storage"},
    # services call the bundle format (pack, unpack, crypto) for the bundle use-cases
    "services": {"domain", "storage", "services", "i18n", "paths", "printing", "bundles"},
    "printing": {"domain", "printing", "i18n", "paths"},
    "bundles": {"domain", "storage", "bundles"},
    "ui": {"domain", "services", "printing", "ui", "i18n", "paths"},
}
THIRD_PARTY_ONLY_IN = {"PySide6": {"ui"}, "sqlite_utils": {"storage", "services"},
                       "sqlite3": {"storage"}, "reportlab": {"printing"}}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _layer(path: Path) -> str | None:
    rel = path.relative_to(PKG).parts
    return rel[0] if len(rel) > 1 else None


def test_layers_import_only_what_they_may():
    problems = []
    for path in PKG.rglob("*.py"):
        layer = _layer(path)
        if layer is None or layer not in ALLOWED:
            continue
        for mod in _imports(path):
            top = mod.split(".")[0]
            if top == "station_desk" and "." in mod:
                target = mod.split(".")[1]
                if target not in ALLOWED[layer]:
                    problems.append(f"{path.relative_to(PKG)} imports {mod}")
            for lib, layers in THIRD_PARTY_ONLY_IN.items():
                if top == lib and layer not in layers:
                    problems.append(f"{path.relative_to(PKG)} imports {lib}")
    assert problems == []


def test_domain_imports_only_the_standard_library():
    import sys

    bad = []
    for path in (PKG / "domain").rglob("*.py"):
        for mod in _imports(path):
            top = mod.split(".")[0]
            if top != "station_desk" and top not in sys.stdlib_module_names and top != "__future__":
                bad.append(f"{path.name}: {mod}")
    assert bad == []


def test_the_checker_sees_a_violation(tmp_path):
    """The walker itself must notice a forbidden import."""
    f = PKG / "domain" / "_probe_layers.py"
    f.write_text("import PySide6\nfrom station_desk.storage import db\n")
    try:
        mods = list(_imports(f))
        assert "PySide6" in mods and "station_desk.storage" in mods
    finally:
        f.unlink()
