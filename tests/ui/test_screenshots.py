"""``station-desk screenshots`` renders every screen and dialog in every language."""
from __future__ import annotations

from PySide6.QtGui import QImage

from station_desk import paths
from station_desk.ui import screenshots
from tests.ui.shell_helpers import chinese_afterwards  # noqa: F401


def test_every_screen_and_dialog_in_every_language(qtbot, tmp_path):
    out = tmp_path / "shots"
    data_before = paths.data_dir()
    assert screenshots.run(out) == 0
    assert paths.data_dir() == data_before  # the temporary data folder was undone
    names = {p.name for p in out.glob("*.png")}
    for lang in screenshots.LANGS:
        for key in ("registry", "station", "settings"):
            image = QImage(str(out / f"{key}-{lang}.png"))
            assert (image.width(), image.height()) == (1280, 800), key
        for name, _factory in screenshots.DIALOGS:
            assert f"{name}-{lang}.png" in names
    for name, _key, _prepare, langs in screenshots.VIEWS:
        for lang in langs:
            image = QImage(str(out / f"{name}-{lang}.png"))
            assert (image.width(), image.height()) == (1280, 800), name
    assert {f"case-{s}-{lang}.png" for s in screenshots.CASE_STATES
            for lang in ("zh_CN", "ko")} <= names
    assert not (data_before / "settings.ini").exists()  # the user's preferences untouched
