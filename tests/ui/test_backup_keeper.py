"""The automatic backup policy: after changes, at most every 30 minutes."""
from __future__ import annotations

from datetime import timedelta

from station_desk.services import backup as backup_service
from station_desk.ui.backups import BackupKeeper
from tests.conftest import NOW


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


def run_check(qtbot, keeper) -> bool:
    """One timer tick; True if it made a backup (waited for)."""
    keeper.check()
    if not keeper.busy:
        return False
    with qtbot.waitSignal(keeper.idle, timeout=20000):
        pass
    return True


def test_backups_follow_changes_at_most_every_30_minutes(qtbot, session):
    clock = Clock()
    keeper = BackupKeeper(session.path, clock=clock)
    keeper.stop()
    assert not run_check(qtbot, keeper)  # nothing changed: no backup

    keeper.mark_changed()
    assert run_check(qtbot, keeper)  # the first change with no backup at all
    assert len(backup_service.list_backups(session.path)) == 1
    assert not keeper.needs_backup()

    clock.now += timedelta(minutes=10)
    keeper.mark_changed()
    assert keeper.needs_backup()
    assert not run_check(qtbot, keeper)  # 10 minutes after the last: wait
    clock.now += timedelta(minutes=21)
    assert run_check(qtbot, keeper)  # 31 minutes: due
    assert len(backup_service.list_backups(session.path)) == 2

    clock.now += timedelta(hours=5)
    assert not run_check(qtbot, keeper)  # time alone is no reason


def test_a_change_made_while_copying_still_needs_a_backup(qtbot, session):
    clock = Clock()
    keeper = BackupKeeper(session.path, clock=clock)
    keeper.stop()
    keeper.mark_changed()
    keeper.check()
    assert keeper.busy
    keeper.mark_changed()  # made while the copy runs: maybe not in it
    with qtbot.waitSignal(keeper.idle, timeout=20000):
        pass
    assert keeper.needs_backup()
    keeper.backup_now("exit")
    with qtbot.waitSignal(keeper.idle, timeout=20000):
        pass
    assert not keeper.needs_backup()


def test_one_backup_at_a_time(qtbot, session):
    keeper = BackupKeeper(session.path)
    keeper.stop()
    assert keeper.backup_now("manual")
    assert not keeper.backup_now("manual")
    with qtbot.waitSignal(keeper.idle, timeout=20000):
        pass
    assert len(backup_service.list_backups(session.path)) == 1
