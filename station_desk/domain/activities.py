"""Activities of the station's deputies (活动): kinds, states, attendance.

"A plan at the start of the year, a theme for each activity, a summary at the
end."  An activity is scheduled, then held (attendance recorded) or
cancelled; each invitee is marked present, on leave (reason, approved by) or
absent.  Rules and validation live here; storage and services build on them.
"""
from __future__ import annotations

from enum import StrEnum

from station_desk.domain.errors import N_


class ActivityKind(StrEnum):
    LEARNING = "learning"                  # 学习培训 / 履职交流
    THEORY = "theory"                      # 理论宣讲 / 普法
    INSPECTION = "inspection"              # 接待选民 / 视察调研 / 三查(察)
    SERVICE = "service"                    # 为民服务 / 办实事
    MEETING = "meeting"                    # 会议
    SUPERVISION_MEETING = "supervision_meeting"  # 列席政府会议
    SUPERVISION_COURT = "supervision_court"      # 旁听庭审
    SUPERVISION_WINDOW = "supervision_window"    # 评议服务窗口
    DOUBLE_CONTACT = "double_contact"      # 双联
    REPORT_BACK = "report_back"            # 向选民述职


KIND_LABELS = {
    ActivityKind.LEARNING: N_("Learning and training, performance exchange"),
    ActivityKind.THEORY: N_("Theory talk, law popularisation"),
    ActivityKind.INSPECTION: N_("Voter reception, inspection and research"),
    ActivityKind.SERVICE: N_("Serving the people, practical matters"),
    ActivityKind.MEETING: N_("Meeting"),
    ActivityKind.SUPERVISION_MEETING: N_("Supervision: attending a government meeting"),
    ActivityKind.SUPERVISION_COURT: N_("Supervision: attending a court hearing"),
    ActivityKind.SUPERVISION_WINDOW: N_("Supervision: evaluating a service window"),
    ActivityKind.DOUBLE_CONTACT: N_("Double contact"),
    ActivityKind.REPORT_BACK: N_("Report-back to voters"),
}


class ActivityStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    ActivityStatus.SCHEDULED: N_("Scheduled"),
    ActivityStatus.HELD: N_("Held"),
    ActivityStatus.CANCELLED: N_("Cancelled"),
}


class Attendance(StrEnum):
    UNMARKED = "unmarked"
    PRESENT = "present"
    LEAVE = "leave"
    ABSENT = "absent"


ATTENDANCE_LABELS = {
    Attendance.UNMARKED: N_("Not marked"),
    Attendance.PRESENT: N_("Present"),
    Attendance.LEAVE: N_("On leave"),
    Attendance.ABSENT: N_("Absent"),
}
