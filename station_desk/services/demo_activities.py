"""The demo station's activities: the year's plan and a year of activities.

A plan of fourteen themes a year, as a Yanbian township station writes it
(study sessions, law talks in both languages, inspections, court hearings,
service-window evaluations, double contact, report-back to voters); the
activities of the last twelve months up to ``today`` with their invited
deputies (by group for village work, most of the station for study), an
outside participant or two, attendance as a clerk ticks it (mostly present,
leave asked of the station head with its reason, a few absent), summaries
and a photo; one activity cancelled, two scheduled ahead.  One deputy was
absent without leave from their two most recent activities and one attended
nothing in the last complete quarter, so both warnings show.  Everything goes
through services.activities.

The people are invented; any likeness to real persons is coincidental.
"""
from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta

from station_desk.domain import activities as dom
from station_desk.services import activities, registry
from station_desk.services.session import Session

STATION_HEAD = "崔英浩"
ABSENT_TWICE = "安太浩"   # absent without leave from his two most recent activities
INACTIVE = "文学哲"       # attended nothing in the last complete quarter
MAX_INVITED = 25

# The first day of the Spring Festival: the visits before it, and no activity
# in its week off.
SPRING_FESTIVAL = {2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
                   2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13),
                   2030: date(2030, 2, 3), 2031: date(2031, 1, 23), 2032: date(2032, 2, 11)}
BEFORE_FESTIVAL = 0  # the month of an item held in the days before the Spring Festival

# month, kind, theme, title, place, start, hours, who (all / group / town / few)
PLAN = [
    (1, "learning", "学习宣传贯彻党的二十大精神", "集中学习党的二十大精神", "联络站代表活动室",
     "09:00", 2.5, "all"),
    (BEFORE_FESTIVAL, "service", "春节前走访慰问困难群众", "春节前走访慰问困难群众和留守老人", "各村",
     "09:00", 3, "group"),
    (3, "learning", "学习全国两会精神", "传达学习全国两会精神", "联络站代表活动室",
     "14:00", 2, "all"),
    (3, "inspection", "代表联络站进站接待选民", "代表进站集中接待选民", "联络站选民接待室",
     "08:30", 3, "town"),
    (4, "theory", "《中华人民共和国民法典》普法宣讲（朝汉双语）", "民法典进农村普法宣讲",
     "智新村村民活动中心", "09:00", 2, "group"),
    (5, "inspection", "视察农村人居环境整治", "视察农村人居环境整治工作", "明东村、长财村",
     "08:30", 4, "few"),
    (6, "supervision_court", "旁听庭审", "组织代表旁听庭审", "龙井市人民法院第一审判庭",
     "09:00", 3, "few"),
    (6, "service", "为民办实事项目推进情况调研", "为民办实事项目推进情况调研", "明东村",
     "09:00", 3, "group"),
    (7, "double_contact", "“双联”：代表联系选民走访入户", "“双联”活动：代表走访联系选民",
     "各村", "09:00", 4, "group"),
    (8, "inspection", "三查察：惠农补贴发放情况", "“三查察”惠农补贴发放情况检查",
     "镇财政所、各村", "09:00", 3, "few"),
    (9, "supervision_window", "评议镇便民服务中心窗口服务", "评议镇便民服务中心窗口服务",
     "智新镇便民服务中心", "09:00", 2.5, "few"),
    (10, "supervision_meeting", "列席镇人民政府常务会议", "列席镇人民政府常务会议",
     "镇政府三楼会议室", "14:00", 2, "few"),
    (11, "learning", "代表履职能力培训暨履职经验交流", "代表履职能力培训暨履职经验交流",
     "联络站代表活动室", "09:00", 3, "all"),
    (12, "report_back", "向选民述职", "代表向选民述职并接受评议", "智新镇文化活动中心",
     "09:00", 3, "all"),
]
# Held but not in the plan: (days before today, kind, title, place, start, hours, who)
UNPLANNED = [
    (290, "meeting", "迎接州人大常委会调研组座谈", "联络站代表活动室", "14:30", 2, "few"),
    (150, "double_contact", "汛期走访临河低洼地带住户", "长财村", "09:00", 3, "group"),
    (40, "supervision_meeting", "列席镇人民政府民生实事项目听证会", "镇政府三楼会议室",
     "09:30", 2, "few"),
]
CANCEL_REASON = "暴雨红色预警，全镇转入防汛工作，活动取消，另行安排"
OUTSIDERS = {
    "supervision_court": [{"name": "韩哲", "name_ko": "한철", "unit": "龙井市人民法院",
                           "post": "审判员", "phone": "0433-3221500"}],
    "theory": [{"name": "刘明", "unit": "智新镇司法所", "post": "所长",
                "phone": "0433-3226018"}],
    "report_back": [{"name": "金英子", "name_ko": "김영자", "unit": "智新村",
                     "post": "选民代表"},
                    {"name": "周国庆", "unit": "明东村", "post": "选民代表"}],
}
LEAVE_REASONS = ["外出务工", "住院治疗", "参加县人大常委会会议", "家中老人生病需要照顾",
                 "在延吉参加业务培训", "春耕农忙", "单位值班", "出差在外"]
SUMMARY_BODY = {
    "learning": "会上集中学习了有关文件精神，{n}名代表结合本职工作作了交流发言，"
                "大家表示要把学习成果转化为履职实效。",
    "theory": "宣讲用朝汉双语进行，结合土地承包、赡养老人等身边案例讲解法律条文，"
              "现场解答群众咨询{n}人次，发放宣传资料200余份。",
    "inspection": "代表们实地察看，听取有关情况汇报，提出意见建议{n}条，"
                  "已整理转交镇政府有关部门办理。",
    "service": "代表们入户走访，了解群众生产生活困难，收集意见建议{n}条，"
               "能当场解决的当场解决，其余登记转办。",
    "supervision_court": "代表们旁听了一起民间借贷纠纷案件的公开审理，庭后与承办法官座谈，"
                         "提出意见建议{n}条。",
    "supervision_window": "代表们以暗访和现场测评相结合的方式对{n}个窗口进行评议，"
                          "总体满意，对办事指南双语标识提出改进意见。",
    "supervision_meeting": "代表们列席会议，听取镇政府工作情况通报，围绕民生实事提出意见建议{n}条。",
    "double_contact": "代表分组走访联系选民，共走访农户{n}0余户，收集意见建议并逐条登记。",
    "meeting": "座谈会上代表们围绕联络站建设和履职情况发言，调研组充分肯定联络站工作，"
               "提出意见建议{n}条。",
    "report_back": "{n}名代表向选民报告履职情况，现场选民代表进行测评，满意率较高，"
                   "对提出的意见建议已登记转办。",
}
NOTICE = ("各位代表：\n定于{when}在{place}开展“{theme}”活动，请准时参加。"
          "因故不能参加的，请提前向联络站站长{head}请假。\n智新镇人大代表联络站")


def _serving(session: Session) -> list[dict]:
    """The deputies serving today in the demo roster's order (town first, then
    village by village): id, name, group_id, village."""
    from station_desk.services.demo import DEPUTIES

    order = {row[0]: n for n, row in enumerate(DEPUTIES)}
    rows = [{"id": r["id"], "name": r["name"], "group_id": r["group_id"],
             "village": r["village"]} for r in registry.roster(session)
            if any(m["status"] == "active" for m in r["mandates"])]
    return sorted(rows, key=lambda r: order.get(r["name"], len(order)))


def _festival(year: int) -> date:
    return SPRING_FESTIVAL.get(year, date(year, 2, 5))


def _quiet(day: date) -> bool:
    """A day nobody would call deputies together: weekends, the Spring Festival
    week, the May Day and National Day holidays."""
    festival = _festival(day.year)
    return (day.weekday() >= 5 or festival - timedelta(days=3) <= day
            <= festival + timedelta(days=7) or (day.month == 5 and day.day <= 5)
            or (day.month == 10 and day.day <= 8))


def _plan_month(year: int, month: int) -> int:
    return (_festival(year) - timedelta(days=10)).month if month == BEFORE_FESTIVAL else month


def _invited(rng: random.Random, who: str, people: list[dict]) -> list[dict]:
    if who == "all":
        chosen = rng.sample(people, min(MAX_INVITED, len(people)))
    elif who == "few":
        chosen = rng.sample(people, rng.randint(5, 8))
    else:
        groups = list(dict.fromkeys(p["group_id"] for p in people))  # the town's first
        picked = set(rng.sample(groups, 1 if who == "group" else 2))
        if who == "town":
            picked.add(groups[0])
        chosen = [p for p in people if p["group_id"] in picked]
        if len(chosen) < 5:
            chosen += rng.sample([p for p in people if p not in chosen], 5 - len(chosen))
    return sorted(chosen, key=people.index)


def _when(rng: random.Random, year: int, month: int, start: str) -> datetime:
    """A working day (Tuesday to Thursday) of the month at ``start``; the visits
    before the Spring Festival a week or two before it."""
    if month == BEFORE_FESTIVAL:
        day = _festival(year) - timedelta(days=rng.randint(8, 14))
    else:
        day = date(year, month, rng.randint(6, 24))
    while day.weekday() not in (1, 2, 3) or _quiet(day):
        day += timedelta(days=1 if month != BEFORE_FESTIVAL else -1)
    h, m = (int(x) for x in start.split(":"))
    return datetime(day.year, day.month, day.day, h, m)


def _schedule(rng: random.Random, today: date, people: list[dict],
              item_ids: dict[tuple[int, int], str]) -> list[dict]:
    """Every activity as plain data, oldest first."""
    window = today - timedelta(days=365)
    dated = sorted((_when(rng, year, PLAN[index][0], PLAN[index][5]), index, item_id)
                   for (year, index), item_id in sorted(item_ids.items()))
    out, ahead, used = [], 0, set()
    for at, index, item_id in dated:
        _month, kind, theme, title, place, _start, hours, who = PLAN[index]
        while at.date() in used or at.weekday() not in (1, 2, 3) or _quiet(at.date()):
            at += timedelta(days=1)  # one activity a day
        used.add(at.date())
        if at.date() < window or at.date() == today:
            continue
        if at.date() > today:  # the next two are scheduled, the rest not yet
            if ahead == 2 or at.date() > today + timedelta(days=70):
                continue
            ahead += 1
        out.append({"plan_item_id": item_id, "kind": kind, "theme": theme, "title": title,
                    "place": place, "at": at, "hours": hours,
                    "invited": _invited(rng, who, people)})
    for days, kind, title, place, start, hours, who in UNPLANNED:
        day = today - timedelta(days=days)
        while _quiet(day) or day in used:
            day -= timedelta(days=1)
        used.add(day)
        h, m = (int(x) for x in start.split(":"))
        out.append({"plan_item_id": None, "kind": kind, "theme": "", "title": title,
                    "place": place, "at": datetime(day.year, day.month, day.day, h, m),
                    "hours": hours, "invited": _invited(rng, who, people)})
    out.sort(key=lambda a: a["at"])
    past = [a for a in out if a["at"].date() < today]
    if len(past) > 6:
        past[len(past) // 2]["cancel"] = True
    return out


def _attendance(rng: random.Random, today: date, schedule: list[dict],
                people: list[dict]) -> None:
    """Marks for every held activity: mostly present, some leave, a few absent;
    the two warnings arranged (see the module's docstring)."""
    held = [a for a in schedule if a["at"].date() < today and not a.get("cancel")]
    for a in held:
        a["marks"] = {}
        for p in a["invited"]:
            r = rng.random()
            a["marks"][p["id"]] = ("present" if r < 0.86 else "leave" if r < 0.95
                                   else "absent")
    by_name = {p["name"]: p for p in people}
    quarter = dom.last_complete_quarter(today)
    in_quarter = [a for a in held if quarter.start <= a["at"].date() <= quarter.end]
    idle = by_name.get(INACTIVE)
    if idle:
        for a in in_quarter:
            if idle in a["invited"]:
                a["marks"][idle["id"]] = "leave"
    # everybody else serving attended something in that quarter
    for p in people:
        if p is idle or not in_quarter:
            continue
        if any(a["marks"].get(p["id"]) == "present" for a in in_quarter):
            continue
        mine = [a for a in in_quarter if p in a["invited"]]
        target = mine[0] if mine else min(in_quarter, key=lambda a: len(a["invited"]))
        if p not in target["invited"]:
            target["invited"].append(p)
        target["marks"][p["id"]] = "present"
    absent = by_name.get(ABSENT_TWICE)
    if absent and len(held) >= 2:
        for a in held[-2:]:
            if absent not in a["invited"]:
                a["invited"].append(absent)
            a["marks"][absent["id"]] = "absent"
    # nobody else absent twice in a row
    for p in people:
        if p is absent:
            continue
        mine = [a for a in held if p["id"] in a["marks"]]
        for earlier, later in zip(mine, mine[1:]):
            if earlier["marks"][p["id"]] == later["marks"][p["id"]] == "absent":
                later["marks"][p["id"]] = "present"


def _photo(rng: random.Random) -> bytes:
    """A plain picture of a meeting room: a table, people as silhouettes, a banner."""
    from PIL import Image, ImageDraw

    w, h = 480, 320
    img = Image.new("RGB", (w, h), (232, 228, 218))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, 70], fill=(196, 40, 36))                  # the red banner
    d.rectangle([40, 190, w - 40, 230], fill=(150, 110, 70))       # the table
    for i in range(7):
        x = 70 + i * 57 + rng.randint(-4, 4)
        tone = rng.randint(40, 90)
        d.ellipse([x - 14, 120, x + 14, 150], fill=(tone, tone, tone + 10))
        d.rounded_rectangle([x - 24, 150, x + 24, 200], radius=12,
                            fill=(tone + 20, tone + 25, tone + 45))
    for i in range(8):
        d.rectangle([60 + i * 46, 26, 84 + i * 46, 46], fill=(250, 220, 120))
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def _write(session: Session, rng: random.Random, a: dict) -> None:
    ends = a["at"] + timedelta(hours=a["hours"])
    notice = NOTICE.format(when=a["at"].strftime("%Y年%m月%d日%H:%M").replace("年0", "年")
                           .replace("月0", "月"), place=a["place"],
                           theme=a["theme"] or a["title"], head=STATION_HEAD)
    activity_id = activities.create_activity(
        session, kind=a["kind"], title=a["title"], theme=a["theme"], starts_at=a["at"],
        ends_at=ends, place=a["place"], organiser="智新镇人大主席团、代表联络站",
        plan_item_id=a["plan_item_id"], notice=notice).created_id
    activities.invite(session, activity_id=activity_id,
                      deputy_ids=[p["id"] for p in a["invited"]],
                      outsiders=OUTSIDERS.get(a["kind"], []))
    if a.get("cancel"):
        activities.cancel_activity(session, activity_id=activity_id, reason=CANCEL_REASON)
        return
    sheet = activities.activity(session, activity_id)["invitees"]
    if "marks" not in a:  # ahead: one leave asked already
        if sheet:
            activities.record_leave(session, invitee_id=sheet[-1]["id"],
                                    reason=rng.choice(LEAVE_REASONS), approved_by=STATION_HEAD)
        return
    marks, times = {}, {}
    for row in sheet:
        mark = a["marks"].get(row["deputy_id"], "present")  # outside participants came
        if mark == "leave":
            activities.record_leave(session, invitee_id=row["id"],
                                    reason=rng.choice(LEAVE_REASONS), approved_by=STATION_HEAD)
            continue
        marks[row["id"]] = mark
        if mark == "present":
            signed = a["at"] - timedelta(minutes=rng.randint(-5, 25))
            times[row["id"]] = signed.strftime("%H:%M")
    activities.mark(session, activity_id=activity_id, marks=marks, signed_at=times)
    counts = activities.activity(session, activity_id)["counts"]
    head = (f"{a['at'].month}月{a['at'].day}日，联络站组织开展“{a['theme'] or a['title']}”"
            f"活动。应到代表{counts['expected']}人，实到{counts['present']}人，"
            f"请假{counts['leave']}人，缺席{counts['absent']}人。")
    body = SUMMARY_BODY[a["kind"]].format(n=rng.randint(3, 9))
    activities.write_summary(session, activity_id=activity_id, summary=head + "\n" + body)
    a["id"] = activity_id


def fill_activities(session: Session, rng: random.Random) -> None:
    """The plans of the years the demo covers and a year of activities up to today."""
    today = session.today()
    people = _serving(session)
    first = (today - timedelta(days=365))
    last = today + timedelta(days=70)
    item_ids: dict[tuple[int, int], str] = {}
    for year in range(first.year, last.year + 1):
        for index, (month, kind, theme, *_rest) in enumerate(PLAN):
            month = _plan_month(year, month)
            # the demo's records begin a year ago: no plan before that
            if date(year, month, 28) < first or (year > today.year and month > last.month):
                continue
            item_ids[(year, index)] = activities.add_plan_item(
                session, year=year, month=month, kind=kind, theme=theme).created_id
    schedule = _schedule(rng, today, people, item_ids)
    _attendance(rng, today, schedule, people)
    for a in schedule:
        _write(session, rng, a)
    held = [a for a in schedule if a.get("id")]
    study = [a for a in held if a["kind"] == "learning"] or held
    if study:
        activities.add_photo(session, activity_id=study[-1]["id"], data=_photo(rng),
                             caption="代表们在联络站代表活动室集中学习")
