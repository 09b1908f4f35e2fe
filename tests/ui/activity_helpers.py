"""A station with deputies and activities for the activity dialogs' tests.
The session clock stands at 2026-03-09 10:30."""
from __future__ import annotations

from station_desk.services import activities as act, registry, station
from tests.conftest import deputy_data, mandate_data

NAMES = (("金明哲", "김명철"), ("李春花", "리춘화"), ("朴成龙", "박성룡"), ("崔明玉", "최명옥"),
         ("王建国", "왕건국"), ("安太浩", "안태호"))


def add_deputies(session, names=NAMES, **mandate) -> list[str]:
    return [registry.create_deputy(
        session, data=deputy_data(name=n, name_ko=ko, phone=f"1384331{i:04d}",
                                  unit=f"智新镇第{i + 1}村", village=f"第{i + 1}村"),
        mandates=[mandate_data(**mandate)]).created_id for i, (n, ko) in enumerate(names)]


def add_activity(session, *, day="2026-03-09", start="09:00", end="11:30",
                 title="学习宣传贯彻党的二十大精神", invited=()) -> str:
    a = act.create_activity(session, kind="learning", title=title,
                            starts_at=f"{day} {start}", ends_at=f"{day} {end}",
                            place="联络站代表活动室", organiser="镇人大主席团").created_id
    if invited:
        act.invite(session, activity_id=a, deputy_ids=list(invited))
    return a


def add_head(session, name="崔英浩") -> None:
    station.add_staff(session, data={"name": name, "role": "head", "since": "2024-01-01"})


def marks(session, activity_id) -> list[tuple[str, str, str]]:
    """(name, attendance, leave reason) of each row, read from the database."""
    return [(r["name"], r["attendance"], r["leave_reason"])
            for r in act.activity(session, activity_id)["invitees"]]
