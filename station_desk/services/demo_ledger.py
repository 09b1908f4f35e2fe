"""The demo station's performance ledger: declared entries (most approved by
the station head, a few waiting, one rejected), half-year self-assessments,
suggestions with every kind of outcome, model deputies and publicity, and the
evaluation of last year computed and approved.  Everything goes through the
services.

The people are invented; any likeness to real persons is coincidental.
"""
from __future__ import annotations

import io
import random
from datetime import date, timedelta

from station_desk.services import evaluation, ledger, registry, suggestions
from station_desk.services.session import Session

STATION_HEAD = "崔英浩"
CLERK = "金美兰"
SESSION_ABSENT = "安太浩"  # absent twice from the township congress session without approval

# kind, title, role
DECLARED = [
    ("meeting", "出席龙井市第十八届人民代表大会第五次会议", "代表"),
    ("speech", "在分组审议政府工作报告时发言（农村道路养护）", "发言"),
    ("training", "延边州人大代表履职能力培训班（第三期）", "学员"),
    ("report_back", "向第3选区选民述职", "述职人"),
    ("donation", "向镇留守儿童之家捐赠图书200册", "捐赠人"),
    ("meeting", "列席镇人民政府常务会议", "列席"),
    ("speech", "在镇人代会审议财政预算时发言", "发言"),
    ("training", "龙井市人大代表学习《代表法》专题讲座", "学员"),
]

# title, congress, unit, outcome, face to face, satisfaction (None: not answered yet)
SUGGESTIONS = [
    ("关于修缮明东村至长财村村道的建议", "county", "龙井市交通运输局", "A", True, "satisfied"),
    ("关于增设智新镇农村公交班次的建议", "county", "龙井市交通运输局", "B", True, "satisfied"),
    ("关于加强农村留守老人照料服务的建议", "township", "智新镇民政办", "A", True, "satisfied"),
    ("关于改造长财村自来水管网的建议", "county", "龙井市水利局", "C", True, "basically"),
    ("关于扶持苹果梨产业发展的建议", "prefecture", "延边州农业农村局", "B", False, "satisfied"),
    ("关于规范村级财务公开的建议", "township", "智新镇经管站", "A", True, "satisfied"),
    ("关于在镇卫生院增设朝鲜语导诊的建议", "county", "龙井市卫生健康局", "D", True,
     "unsatisfied"),
    ("关于治理村内垃圾乱倒的建议", "township", "智新镇城建办", "A", True, "satisfied"),
    ("关于边境村庄冬季供暖补贴的建议", "prefecture", "延边州住房和城乡建设局", "B", True,
     "basically"),
    ("关于加快农村危房改造进度的建议", "county", "龙井市住房和城乡建设局", None, None, None),
    ("关于设立村级就业服务站的建议", "county", "龙井市人力资源和社会保障局", None, None, None),
    ("关于完善农村医保报销流程的议案", "county", "龙井市医疗保障局", "C", False, "basically"),
]


def _evidence(rng: random.Random, text_colour=(150, 20, 20)) -> bytes:
    """A small picture standing in for a scanned certificate or notice."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (240, 170), (250, 246, 232))
    draw = ImageDraw.Draw(img)
    draw.rectangle((6, 6, 233, 163), outline=text_colour, width=3)
    for n in range(6):
        y = 40 + 18 * n
        draw.line((30, y, 30 + rng.randrange(120, 180), y), fill=(90, 90, 90), width=3)
    draw.ellipse((160, 100, 215, 155), outline=text_colour, width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def fill_ledger(session: Session, rng: random.Random) -> None:
    """Declared entries, suggestions, model deputies, publicity and the
    approved evaluation of last year on the demo station."""
    today = session.today()
    last = today.year - 1
    people = {r["name"]: r["id"] for r in registry.roster(session)}
    names = sorted(people)
    demo_actor = session.actor

    def as_head(call, **kw):
        session.actor = STATION_HEAD
        try:
            return call(session, **kw)
        finally:
            session.actor = demo_actor

    # declared entries of last year, reviewed by the head
    for i, (kind, title, role) in enumerate(DECLARED * 3):
        who = names[(i * 5) % len(names)]
        on = date(last, 1 + (i * 5) % 12, 3 + (i * 7) % 24)
        files = [(f"证明{i + 1}.png", _evidence(rng))] if i % 3 == 0 else []
        entry = ledger.declare(session, deputy_id=people[who], data={
            "kind": kind, "on_date": on, "title": title, "role": role}, evidence=files)
        if i == 7:
            as_head(ledger.reject, entry_id=entry.created_id,
                    reason="证明材料为会议通知，未见出席记录，请补充签到表复印件")
        else:
            as_head(ledger.approve, entry_id=entry.created_id)
    # the two model deputies were busy in both halves of last year
    for name in (names[4], names[9]):
        for month in (3, 4, 5, 9, 10, 11):
            for kind, title, role in (DECLARED[0], DECLARED[1], DECLARED[3], DECLARED[2],
                                      DECLARED[4]):
                if (kind == "report_back" and month not in (5, 11)) or \
                        (kind == "donation" and month not in (4, 10)):
                    continue
                entry = ledger.declare(session, deputy_id=people[name], data={
                    "kind": kind, "on_date": date(last, month, 12), "title": title,
                    "role": role})
                as_head(ledger.approve, entry_id=entry.created_id)
    # the township congress session: one deputy absent twice without approval
    for on in (date(last - 1, 1, 12), date(last, 1, 10)):
        entry = ledger.declare(session, deputy_id=people[SESSION_ABSENT], data={
            "kind": "session_absence", "on_date": on,
            "title": "智新镇人民代表大会会议（未请假缺席）", "role": ""})
        as_head(ledger.approve, entry_id=entry.created_id)
    # half-year self-assessments of last year (most deputies hand them in)
    for n, name in enumerate(names):
        for half, on in ((1, date(last, 6, 28)), (2, date(last, 12, 26))):
            if (n + half) % 7 == 0:
                continue
            entry = ledger.declare(session, deputy_id=people[name], data={
                "kind": "self_assessment", "on_date": on, "title": f"{last}年第{half}半年自评",
                "score": 96 if name in (names[4], names[9]) else 70 + rng.randrange(0, 26)})
            as_head(ledger.approve, entry_id=entry.created_id)
    # this year's declarations waiting for the head
    recent = [d for d in (today - timedelta(days=40), today - timedelta(days=12),
                          today - timedelta(days=3)) if d.year == today.year] or [today]
    for i, on in enumerate(recent):
        kind, title, role = DECLARED[(i * 3 + 2) % len(DECLARED)]
        ledger.declare(session, deputy_id=people[names[(i * 11 + 3) % len(names)]], data={
            "kind": kind, "on_date": on, "title": title, "role": role},
            evidence=[(f"材料{i + 1}.png", _evidence(rng, (20, 60, 150)))])

    # suggestions of last year and this
    for i, (title, congress, unit, outcome, f2f, satisfaction) in enumerate(SUGGESTIONS):
        who = names[(i * 7 + 1) % len(names)]
        submitted = date(last, 1 + (i * 2) % 11, 5 + i)
        data = {"deputy_id": people[who], "kind": "motion" if "议案" in title else "suggestion",
                "congress": congress, "session": "第十八届第五次会议" if congress == "county" else "",
                "title": title, "submitted_on": submitted,
                "cosigners": "、".join(names[(i * 7 + k) % len(names)] for k in (2, 3)),
                "handling_unit": unit}
        if outcome:
            reply = min(submitted + timedelta(days=60 + 5 * i), today)
            data |= {"outcome": outcome, "reply_on": reply, "face_to_face": f2f,
                     "satisfaction": satisfaction}
        suggestions.add(session, data=data)

    # model deputies and reports about them
    for name, title in ((names[4], "延边州优秀人大代表"), (names[9], "龙井市人大代表履职标兵")):
        ledger.add_model(session, deputy_id=people[name], year=last, title=title,
                         chosen_by="延边州人大常委会" if "州" in title else "龙井市人大常委会")
    for name, outlet, title, on in (
            (names[4], "《延边人大》", "扎根边疆的“领头雁”", date(last, 5, 20)),
            (names[4], "延边人大微信公众号", "一条村道背后的代表履职故事", date(last, 9, 8)),
            (names[9], "龙井广播电视台“百姓热线”", "代表走进直播间：留守老人照料点建起来了",
             date(last, 11, 14))):
        ledger.add_publicity(session, deputy_id=people[name], on_date=on, outlet=outlet,
                             title=title)

    # last year's evaluation under the default (Hunchun) scheme, approved
    session.actor = CLERK
    try:
        evaluation.evaluate(session, period=str(last))
    finally:
        session.actor = demo_actor
    as_head(evaluation.approve, period=str(last))
