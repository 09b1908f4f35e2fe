"""Where things live: the user's data folder and the bundled resources."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) / "resources" if base else Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    """The platform's per-user data folder (never next to the program)."""
    override = os.environ.get("STATION_DESK_DATA")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("station_desk", appauthor=False))


def default_db() -> Path:
    return data_dir() / "station.sqlite3"


def demo_db() -> Path:
    return data_dir() / "demo-station.sqlite3"


def backup_dir(db_path: Path) -> Path:
    """Backups sit in the data folder, one sub-folder per database."""
    return data_dir() / "backups" / Path(db_path).stem
