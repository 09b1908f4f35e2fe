"""The start screen "Today" on a real station file: the warnings, the coming
activities, overdue cases, and the jump to the screen a line is about."""
from __future__ import annotations

from PySide6.QtCore import Qt

from station_desk.i18n import _
from station_desk.services import activities as act
from station_desk.ui.screens.home import MAX_ITEMS, TARGET_ROLE, HomeScreen
from tests.ui.activity_helpers import add_activity, add_deputies
from tests.ui.shell_helpers import chinese_afterwards  # noqa: F401  (fixture)


def _held(session, day, invited, marks):
    a = add_activity(session, day=day, title=f"{day} 学习", invited=invited)
    ids = {i["deputy_id"]: i["id"] for i in act.activity(session, a)["invitees"]}
    act.mark(session, activity_id=a, marks={ids[d]: m for d, m in marks.items()})
    return a


def texts(lst) -> list[str]:
    return [lst.item(i).text() for i in range(lst.count())]


def test_home_is_first_and_lists_the_two_absences(qtbot, session):
    from station_desk.ui.main_window import MainWindow

    people = add_deputies(session)
    d0, d1 = people[:2]
    _held(session, "2026-01-15", people, {d0: "absent", d1: "absent"})
    _held(session, "2026-02-20", people, {d0: "absent", d1: "present"})
    coming = add_activity(session, day="2026-03-20", title="视察镇卫生院", invited=people[:4])
    add_activity(session, day="2026-05-20", title="太远的活动", invited=people[:1])

    w = MainWindow(session, auto_backup=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    home = w.current_screen()
    assert isinstance(home, HomeScreen) and w.nav.currentRow() == 0
    qtbot.waitUntil(lambda: home.lists["absent"].count() > 0)  # read after the first paint

    absent = texts(home.lists["absent"])
    assert len(absent) == 1
    assert "金明哲" in absent[0] and "2026-01-15 学习" in absent[0] and "2026-02-20 学习" in absent[0]
    assert home.boxes["absent"].title() == _("Absent without leave twice in a row ({n})").format(n=1)
    # nobody took part in an activity in 2025-Q4
    assert len(texts(home.lists["inactive"])) == len(people)
    upcoming = texts(home.lists["upcoming"])
    assert len(upcoming) == 1 and "视察镇卫生院" in upcoming[0] and "4" in upcoming[0]
    assert texts(home.lists["cases"]) == [_("No case is overdue.")]

    # Enter on the warning opens the deputy in the registry
    lst = home.lists["absent"]
    lst.setFocus()
    lst.setCurrentRow(0)
    qtbot.keyClick(lst, Qt.Key.Key_Return)
    assert w.current_screen().key == "registry"
    assert w.screen("registry").current_id == d0

    # double-click on a coming activity opens it in the activities screen
    w.show_screen("home")
    item = home.lists["upcoming"].item(0)
    assert item.data(TARGET_ROLE) == ("activity", coming)
    home.lists["upcoming"].itemActivated.emit(item)
    assert w.current_screen().key == "activities"
    screen = w.screen("activities")
    assert screen._rows[screen._selected_row()]["id"] == coming
    w.close_now()


def test_refreshes_when_attendance_changes(qtbot, session):
    people = add_deputies(session)
    d0 = people[0]
    _held(session, "2026-01-15", people[:2], {d0: "absent"})
    home = HomeScreen(session)
    qtbot.addWidget(home)
    home.ensure_loaded()
    assert texts(home.lists["absent"]) == [_("Nobody was absent without leave twice in a row.")]
    a = add_activity(session, day="2026-02-20", invited=people[:2])
    invitee = act.activity(session, a)["invitees"][0]["id"]
    home.on_changes(act.mark(session, activity_id=a, marks={invitee: "absent"}))
    assert len(texts(home.lists["absent"])) == 1
    # other tables leave it alone
    from station_desk.domain.changes import Changes

    home._data["absent"] = []
    home.on_changes(Changes.of("station"))
    assert home._data["absent"] == []


def test_long_lists_are_cut_with_a_count(qtbot, session):
    names = [(f"代表{i:03d}", "") for i in range(MAX_ITEMS + 7)]
    add_deputies(session, names=names)
    home = HomeScreen(session)
    qtbot.addWidget(home)
    home.ensure_loaded()
    lst = home.lists["inactive"]
    assert lst.count() == MAX_ITEMS + 1
    assert lst.item(MAX_ITEMS).text() == _("… and {n} more").format(n=7)
