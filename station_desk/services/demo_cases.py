"""The demo station's voter reception: a year of cases in every state.

Matters voters bring to a Yanbian township station (street lights, water,
minimum living allowance, heating, farmland, roads …), registered on the
reception days with the deputies on duty, by phone, by letter and on deputies'
visits; then sorted, forwarded, handled, replied to and archived as far as
their dates allow before ``today``.  Some are overdue, some were returned by a
unit, some reopened after an unsatisfied reply, some are out of scope or
duplicates, one is confidential.  Everything goes through services.cases.

The people are invented; any likeness to real persons is coincidental.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from station_desk.domain.deputies import DeputyFilter
from station_desk.services import cases, registry
from station_desk.services.session import Session

# (words, category, route, unit)
MATTERS = [
    ("村里的路灯坏了三个月，晚上出门很危险，希望尽快修好", "help", "township", "镇城建办"),
    ("自来水一停就是好几天，老人挑水困难", "complaint", "township", "镇水利站"),
    ("申请低保的材料交了两个月，一直没有消息", "enquiry", "township", "镇民政办"),
    ("冬季取暖补贴今年还没有发到位", "enquiry", "county", "龙井市民政局"),
    ("村口到镇上的路坑洼太多，雨天车过不去", "help", "county", "龙井市交通运输局"),
    ("希望在村委会门口设一个公交站", "suggestion", "county", "龙井市交通运输局"),
    ("土地承包合同到期后怎么续签，请给个说法", "enquiry", "township", "镇农经站"),
    ("水渠年久失修，春耕前需要清淤", "help", "village", "明东村村委会"),
    ("村里垃圾清运不及时，夏天气味很大", "complaint", "village", "智新村村委会"),
    ("卫生所只有一个医生，看病排队太久", "suggestion", "county", "龙井市卫生健康局"),
    ("希望给村里的留守老人办个日间照料中心", "suggestion", "suggestion", "延边州人大常委会"),
    ("医保异地报销手续太复杂，子女在韩国打工", "enquiry", "county", "龙井市医疗保障局"),
    ("养老金认证不会在手机上操作", "help", "on_the_spot", ""),
    ("危房改造的补助标准是多少", "enquiry", "on_the_spot", ""),
    ("河道旁边的护栏被冲坏了，孩子上学经过很危险", "help", "township", "镇应急办"),
    ("广场的健身器材坏了好几件", "help", "village", "长财村村委会"),
    ("网络信号太差，孩子上网课总掉线", "complaint", "county", "龙井市工业和信息化局"),
    ("希望镇上开一个朝鲜语的政策宣讲", "suggestion", "township", "镇宣传办"),
    ("마을 앞 다리가 낡아서 비가 오면 건너기 위험합니다", "help", "township", "镇城建办"),
    ("겨울철 난방비 보조금을 언제 받을수 있는지 알고싶습니다", "enquiry", "county",
     "龙井市民政局"),
    ("로인협회 활동실 지붕이 샙니다", "help", "village", "大成村村委会"),
]
OUT_OF_SCOPE = [
    ("和邻居因为宅基地边界吵架，想让代表评理", "personal_dispute", "邻里纠纷，建议先由村调解委员会调解",
     "智新镇人民调解委员会"),
    ("工伤赔偿的官司法院已经立案了，想让代表帮忙催判决", "litigation",
     "案件已在法院审理，联络站不能干预审判", "龙井市人民法院诉讼服务中心"),
    ("要求把自家承包地改成宅基地盖房", "unlawful", "耕地不能擅自改为宅基地，已说明相关规定",
     "智新镇自然资源所"),
]
CONFIDENTIAL = ("反映某村干部在危房改造补助中优亲厚友", "complaint", "county", "龙井市纪委监委")
SURNAMES = "金李朴崔郑姜赵尹张林韩吴申权黄安宋王刘陈"
GIVEN = ["英子", "顺姬", "明哲", "春花", "美玉", "永吉", "成国", "光男", "顺福", "善淑",
         "贞淑", "秀兰", "国华", "东海", "海峰", "玉珍", "英浩", "春燮", "哲洙", "美兰"]
VILLAGES = ["智新村", "明东村", "长财村", "大成村", "龙山村", "东盛涌社区"]
CHANNELS = ["reception_day"] * 5 + ["phone", "phone", "deputy_visit", "letter", "online"]


def _mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def fill_cases(session: Session, rng: random.Random, *, count: int = 80) -> list[str]:
    """Register ``count`` cases over the year before today and move each as far as
    its dates allow; returns their ids, oldest first."""
    today = session.today()
    serving = [d["id"] for d in registry.page(session, DeputyFilter(status="active"),
                                              offset=0, limit=1000)]
    start = today - timedelta(days=360)
    made: list[str] = []
    last = start
    for i in range(count):
        on = start + timedelta(days=i * 360 // count + rng.randint(0, 3))
        channel = rng.choice(CHANNELS)
        if channel == "reception_day":  # the 9th or 19th nearest before
            day = 19 if on.day >= 19 else 9 if on.day >= 9 else None
            on = on.replace(day=day) if day else (on.replace(day=1) - timedelta(days=1)).replace(
                day=19)
        if i >= count - 2:  # registered this morning
            on = today
        on = last = min(max(on, last), today)  # entered in the order they came
        duty = cases.duty_deputies_on(session, on) if channel == "reception_day" else []
        if not duty and channel in ("reception_day", "deputy_visit") and serving:
            duty = rng.sample(serving, min(len(serving), 2 if channel == "reception_day" else 1))
        korean = rng.random() < 0.3
        voter = {"name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                 "village": rng.choice(VILLAGES),
                 "phone": _mobile(rng) if rng.random() < 0.85 else "",
                 "language": "ko" if korean else "zh", "consent": rng.random() < 0.9}
        kind = "matter"
        if i % 17 == 5:
            kind, (words, reason, explanation, redirect) = "out", OUT_OF_SCOPE[i % 3]
            category, route, unit = "help", None, None
        elif i == count // 2:
            kind, (words, category, route, unit) = "confidential", CONFIDENTIAL
        else:
            words, category, route, unit = MATTERS[(i * 5) % len(MATTERS)]
        case_id = cases.register(session, voter=voter, case={
            "on": on, "channel": channel, "category": category, "words": words,
            "people": rng.choice([1, 1, 1, 2, 3]), "duty_deputies": duty,
            "place": "联络站一楼接待室" if channel == "reception_day" else "",
            "consent": voter["consent"], "confidential": kind == "confidential"}).created_id
        made.append(case_id)
        if kind == "out":
            cases.close_out_of_scope(session, case_id=case_id, reason=reason,
                                     explanation=explanation, redirect=redirect, on=on)
            if (today - on).days > 20:
                cases.archive_case(session, case_id=case_id, on=on + timedelta(days=7))
            continue
        if i % 23 == 11 and len(made) > 3:  # the same matter brought again
            cases.mark_duplicate(session, case_id=case_id, duplicate_of=made[-3], on=on)
            continue
        if i >= count - 2:  # just registered
            continue
        stop = {count - 3: "sort", count - 4: "handle", count - 5: "reply"}.get(i, "")
        _walk(session, rng, case_id, on, route, unit, today, index=i, stop=stop)
    return made


def _walk(session: Session, rng: random.Random, case_id: str, on: date, route: str,
          unit: str, today: date, *, index: int, stop: str = "") -> None:
    """Sort, forward, handle, reply, archive — each on a later day, stopping
    where the next step would fall after today (or after the step ``stop``,
    taken briskly, so that every state shows in the demo)."""
    if stop:
        index, route, unit = 0, "township", "镇城建办"  # no detours
    day = on + timedelta(days=rng.randint(0, 1))
    if day > today:
        return
    cases.sort_case(session, case_id=case_id, complex=rng.random() < 0.2, on=day,
                    priority="urgent" if rng.random() < 0.1 else "normal",
                    proposal=f"转{unit}办理" if unit else "当场答复")
    day += timedelta(days=rng.randint(0, 2))
    if day > today or stop == "sort":
        return
    if index % 19 == 7 and route not in ("on_the_spot", "suggestion"):
        # forwarded to the wrong office first, which sent it back
        cases.forward_case(session, case_id=case_id, route="township", unit="镇综合办", on=day)
        day += timedelta(days=2)
        if day > today:
            return
        cases.return_case(session, case_id=case_id, reason="不属本单位职责，建议转相关部门",
                          on=day)
    cases.forward_case(session, case_id=case_id, route=route, unit=unit or "", on=day)
    stuck = index % 11 == 4  # the unit has not answered: overdue if its time is up
    if stuck:
        if (today - day).days > 12:
            cases.chase_case(session, case_id=case_id, note="电话催办", on=day + timedelta(days=8))
        return
    day += timedelta(days=0 if stop or route == "on_the_spot" else rng.randint(2, 14))
    if day > today:
        return
    if rng.random() < 0.4:
        cases.record_progress(session, case_id=case_id, note="承办单位已派人到现场查看", on=day)
    outcome = rng.choice(["A", "A", "A", "B", "C", "D"])
    cases.handle_case(session, case_id=case_id, outcome=outcome, on=day,
                      result={"A": "已解决", "B": "正在解决", "C": "已列入明年计划",
                              "D": "留作参考，向选民说明了原因"}[outcome])
    day += timedelta(days=0 if stop else rng.randint(1, 4))
    if day > today or stop == "handle":
        return
    unhappy = index % 13 == 6
    cases.reply_case(session, case_id=case_id, voter_mode=rng.choice(
        ["face_to_face", "phone", "phone", "written"]), deputy_mode="face_to_face",
        voter_on=day, deputy_on=day, text="向选民反馈了办理结果",
        satisfaction="unsatisfied" if unhappy else rng.choice(
            ["satisfied", "satisfied", "satisfied", "basically"]),
        comment="回复了，但没有解决我的问题" if unhappy else "")
    if unhappy:
        day += timedelta(days=2)
        if day > today:
            return
        cases.reopen_case(session, case_id=case_id, reason="选民对办理结果不满意", on=day)
        cases.forward_case(session, case_id=case_id, route=route, unit=unit or "",
                           complex=True, on=day)
        day += timedelta(days=9)
        if day > today:
            return
        cases.handle_case(session, case_id=case_id, outcome="A", result="重新办理，已解决",
                          on=day)
        day += timedelta(days=1)
        if day > today:
            return
        cases.reply_case(session, case_id=case_id, voter_mode="face_to_face",
                         deputy_mode="face_to_face", voter_on=day, deputy_on=day,
                         satisfaction="basically", text="代表陪同回访，说明了重新办理的结果")
    day += timedelta(days=rng.randint(3, 10))
    if day <= today and stop != "reply":
        cases.archive_case(session, case_id=case_id, on=day)
