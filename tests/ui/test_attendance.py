"""The attendance dialog on a real station file: one key per row saves at once,
counts follow, Ctrl+Z puts a mark back, a refused mark changes nothing."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from station_desk.domain.activities import ATTENDANCE_LABELS, Attendance
from station_desk.i18n import _
from station_desk.services import activities as act
from station_desk.ui.dialogs.attendance import AttendanceDialog
from tests.ui.activity_helpers import add_activity, add_deputies, add_head, marks


@pytest.fixture
def started(session):
    """An activity that started at 09:00 today with six invited deputies."""
    add_head(session)
    people = add_deputies(session)
    return add_activity(session, invited=people)


def open_dialog(qtbot, session, activity_id) -> AttendanceDialog:
    dlg = AttendanceDialog(session, activity_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.table.setFocus()
    return dlg


def counts(dlg) -> tuple[int, int, int, int, int]:
    c = dlg.counts()
    return c["expected"], c["present"], c["leave"], c["absent"], c["unmarked"]


def fill_leave(qtbot, dlg, reason: str, approver: str | None = None) -> list[str]:
    """When the leave dialog opens, type the reason (and approver) and accept;
    returns what the approver field held when it opened."""
    seen: list[str] = []

    def fill():
        leave = dlg.leave_dialog
        if leave is None:
            QTimer.singleShot(20, fill)
            return
        seen.append(leave.approved_by.currentText())
        leave.reason.setText(reason)
        if approver is not None:
            leave.approved_by.setEditText(approver)
        leave.accept()

    QTimer.singleShot(0, fill)
    return seen


def test_keyboard_flow_saves_each_key_and_counts_follow(qtbot, session, started):
    dlg = open_dialog(qtbot, session, started)
    names = [r["name"] for r in dlg.model.rows]
    assert names == ["金明哲", "李春花", "朴成龙", "崔明玉", "王建国", "安太浩"]  # sheet order
    assert dlg.current_row() == 0
    assert counts(dlg) == (6, 0, 0, 0, 6)
    assert dlg.count_labels["expected"].text().endswith("6")

    qtbot.keyClick(dlg.table, Qt.Key.Key_P)
    assert marks(session, started)[0] == ("金明哲", "present", "")
    assert dlg.current_row() == 1
    assert counts(dlg) == (6, 1, 0, 0, 5)

    qtbot.keyClick(dlg.table, Qt.Key.Key_1)  # the number row works too
    assert marks(session, started)[1][1] == "present"
    assert dlg.current_row() == 2

    approver = fill_leave(qtbot, dlg, "外出务工")
    qtbot.keyClick(dlg.table, Qt.Key.Key_L)
    assert approver == ["崔英浩"]  # the station head by default
    row = act.activity(session, started)["invitees"][2]
    assert (row["attendance"], row["leave_reason"], row["leave_approved_by"]) == (
        "leave", "外出务工", "崔英浩")
    assert dlg.current_row() == 3
    assert counts(dlg) == (6, 2, 1, 0, 3)
    assert "外出务工" in dlg.model.data(dlg.model.index(2, 6))

    qtbot.keyClick(dlg.table, Qt.Key.Key_A)
    assert marks(session, started)[3][1] == "absent"
    assert counts(dlg) == (6, 2, 1, 1, 2)

    # Space clears a mark: go back up to the absent row
    qtbot.keyClick(dlg.table, Qt.Key.Key_Up)
    assert dlg.current_row() == 3
    qtbot.keyClick(dlg.table, Qt.Key.Key_Space)
    assert marks(session, started)[3][1] == "unmarked"
    assert counts(dlg) == (6, 2, 1, 0, 3)
    assert dlg.current_row() == 4

    # the state column shows the words, in the sheet's order
    states = [dlg.model.data(dlg.model.index(i, 4)) for i in range(4)]
    assert states == [_(ATTENDANCE_LABELS[Attendance(x)])
                      for x in ("present", "present", "leave", "unmarked")]

    # End jumps to the last row; a key there stays on it
    qtbot.keyClick(dlg.table, Qt.Key.Key_End)
    assert dlg.current_row() == 5
    qtbot.keyClick(dlg.table, Qt.Key.Key_3)
    assert marks(session, started)[5][1] == "absent"
    assert dlg.current_row() == 5
    assert dlg.changes.touches("activity_invitees")


def test_leave_already_recorded_needs_no_question(qtbot, session, started):
    first = act.activity(session, started)["invitees"][0]["id"]
    act.record_leave(session, invitee_id=first, reason="病假", approved_by="崔英浩")
    act.mark(session, activity_id=started, marks={first: "unmarked"})
    dlg = open_dialog(qtbot, session, started)
    dlg.set_current_row(0)
    qtbot.keyClick(dlg.table, Qt.Key.Key_2)  # no dialog: the recorded reason stands
    assert marks(session, started)[0] == ("金明哲", "leave", "病假")
    assert dlg.current_row() == 1


def test_cancelled_leave_question_changes_nothing(qtbot, session, started):
    dlg = open_dialog(qtbot, session, started)

    def cancel():
        if dlg.leave_dialog is None:
            QTimer.singleShot(20, cancel)
            return
        dlg.leave_dialog.reject()

    QTimer.singleShot(0, cancel)
    qtbot.keyClick(dlg.table, Qt.Key.Key_L)
    assert marks(session, started)[0][1] == "unmarked"
    assert dlg.current_row() == 0


def test_ctrl_z_undoes_the_last_marks(qtbot, session, started):
    dlg = open_dialog(qtbot, session, started)
    qtbot.keyClick(dlg.table, Qt.Key.Key_P)
    qtbot.keyClick(dlg.table, Qt.Key.Key_A)
    assert [m[1] for m in marks(session, started)[:2]] == ["present", "absent"]
    qtbot.keyClick(dlg.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [m[1] for m in marks(session, started)[:2]] == ["present", "unmarked"]
    assert dlg.current_row() == 1  # back on the row that was undone
    assert counts(dlg) == (6, 1, 0, 0, 5)
    qtbot.keyClick(dlg.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [m[1] for m in marks(session, started)[:2]] == ["unmarked", "unmarked"]
    assert not dlg.undo()  # nothing left to undo
    assert not dlg.undo_button.isEnabled()


def test_undo_brings_back_the_time_someone_signed_at(qtbot, session, started):
    first = act.activity(session, started)["invitees"][0]["id"]
    act.mark(session, activity_id=started, marks={first: "present"}, signed_at={first: "08:55"})
    dlg = open_dialog(qtbot, session, started)
    assert dlg.model.data(dlg.model.index(0, 5)) == "08:55"
    dlg.set_current_row(0)
    qtbot.keyClick(dlg.table, Qt.Key.Key_A)
    assert act.activity(session, started)["invitees"][0]["signed_at"] == ""
    assert dlg.undo()
    row = act.activity(session, started)["invitees"][0]
    assert (row["attendance"], row["signed_at"]) == ("present", "08:55")


def test_all_unmarked_present_after_confirmation(qtbot, session, started, monkeypatch):
    dlg = open_dialog(qtbot, session, started)
    qtbot.keyClick(dlg.table, Qt.Key.Key_A)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    dlg.all_present_button.click()  # "No": nothing changes
    assert [m[1] for m in marks(session, started)] == ["absent"] + ["unmarked"] * 5
    dlg.all_present_button.click()
    assert [m[1] for m in marks(session, started)] == ["absent"] + ["present"] * 5
    assert counts(dlg) == (6, 5, 0, 1, 0)
    assert not dlg.all_present_button.isEnabled() and not dlg.all_absent_button.isEnabled()
    dlg.undo()  # the whole batch goes back at once
    assert [m[1] for m in marks(session, started)] == ["absent"] + ["unmarked"] * 5


def test_a_mark_before_the_start_is_refused_once_and_changes_nothing(qtbot, session):
    people = add_deputies(session)
    later = add_activity(session, day="2026-03-12", invited=people[:3])
    dlg = open_dialog(qtbot, session, later)
    qtbot.keyClick(dlg.table, Qt.Key.Key_P)
    assert [m[1] for m in marks(session, later)] == ["unmarked"] * 3
    assert dlg.current_row() == 0  # stays on the row
    assert dlg.message.isVisible()
    assert "2026-03-12 09:00" in dlg.message_label.text()
    assert counts(dlg) == (3, 0, 0, 0, 3)
    assert not dlg.undo_stack
    assert not QApplication.activeModalWidget()  # told in the dialog, no box to close
    # leave can be recorded before the activity
    fill_leave(qtbot, dlg, "出差")
    qtbot.keyClick(dlg.table, Qt.Key.Key_L)
    assert marks(session, later)[0] == ("金明哲", "leave", "出差")
    assert not dlg.message.isVisible()


def test_enter_moves_down_and_does_not_close(qtbot, session, started):
    dlg = open_dialog(qtbot, session, started)
    qtbot.keyClick(dlg.table, Qt.Key.Key_Return)
    assert dlg.isVisible() and dlg.current_row() == 1
