"""The notice board (公示栏): the station's rules and photo, and the data of
every wall notice.

Rules are edited here, one transaction each, returning Changes; a refused
edit (ValidationError, RuleNotFound, TooManyRules) writes nothing.  The wall
notices gather plain data here and hand it to ``printing.wall``; the printing
modules (and reportlab) are imported only when a notice is rendered.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from station_desk.domain.accounts import Permission
from station_desk.domain import notices as dom
from station_desk.domain.changes import Changes
from station_desk.domain.deputies import DeputyFilter, Level
from station_desk.domain.errors import N_, DomainError
from station_desk.domain.validation import MAX_PHOTO_BYTES, image_mime
from station_desk.services import registry, station
from station_desk.services.session import Session
from station_desk.storage import notices as store

RULE_TABLES = ("station_rules",)
PHOTO_TABLES = ("station_photos",)


class BadStationPhoto(DomainError):
    msgid = N_("The photo must be a JPEG or PNG image of at most 5 MB.")


# -- the station's rules ------------------------------------------------------------------

def rules(session: Session) -> list[dict]:
    """The station's rules in wall order: id, title_zh, title_ko, body_zh, body_ko."""
    return store.list_rules(session.db)


def _rule(session: Session, rule_id: str) -> dict:
    found = store.get_rule(session.db, rule_id)
    if found is None:
        raise dom.RuleNotFound()
    return found


def add_rule(session: Session, *, data: dict) -> Changes:
    """Add a rule at the end of the list."""
    session.require(Permission.EDIT_STATION)
    fields = dom.validate_rule(data)
    if store.count_rules(session.db) >= dom.MAX_RULES:
        raise dom.TooManyRules(max=dom.MAX_RULES)
    with session.write():
        row_id = store.insert_rule(session.db, origin=session.station_code, fields=fields)
        session.audit("create", "station_rule", row_id, after=fields)
    return Changes.of(*RULE_TABLES, ids=[row_id], created_id=row_id)


def update_rule(session: Session, *, rule_id: str, data: dict) -> Changes:
    """Change a rule's titles and bodies."""
    session.require(Permission.EDIT_STATION)
    before = _rule(session, rule_id)
    fields = dom.validate_rule(data)
    with session.write():
        store.update_rule(session.db, rule_id, fields)
        session.audit("update", "station_rule", rule_id,
                      before={k: before[k] for k in fields}, after=fields)
    return Changes.of(*RULE_TABLES, ids=[rule_id])


def delete_rule(session: Session, *, rule_id: str) -> Changes:
    """Take a rule off the wall (a tombstone: the deletion travels to the county)."""
    session.require(Permission.EDIT_STATION)
    before = _rule(session, rule_id)
    with session.write():
        store.delete_rule(session.db, rule_id)
        session.audit("delete", "station_rule", rule_id,
                      before={k: before[k] for k in ("title_zh", "title_ko")})
    return Changes.of(*RULE_TABLES, ids=[rule_id])


def reorder_rules(session: Session, *, order: list[str]) -> Changes:
    """Put the rules in ``order`` (every rule id exactly once)."""
    session.require(Permission.EDIT_STATION)
    current = [r["id"] for r in store.list_rules(session.db)]
    wanted = dom.check_order(current, list(order))
    with session.write():
        for n, rule_id in enumerate(wanted, start=1):
            store.set_sort(session.db, rule_id, n)
        session.audit("reorder", "station_rule", None, before={"order": current},
                      after={"order": wanted})
    return Changes.of(*RULE_TABLES, ids=wanted)


# -- the station's photo --------------------------------------------------------------------

def station_photo(session: Session) -> bytes | None:
    found = store.get_station_photo(session.db)
    return found[1] if found else None


def set_station_photo(session: Session, *, data: bytes) -> Changes:
    """Keep a JPEG or PNG photo of the station for the profile notice."""
    session.require(Permission.EDIT_STATION)
    mime = image_mime(data or b"")
    if mime is None or len(data) > MAX_PHOTO_BYTES:
        raise BadStationPhoto()
    with session.write():
        row_id = store.put_station_photo(session.db, origin=session.station_code, mime=mime,
                                         data=data)
        session.audit("update", "station_photo", row_id, after={"mime": mime,
                                                                "bytes": len(data)})
    return Changes.of(*PHOTO_TABLES, ids=[row_id])


def remove_station_photo(session: Session) -> Changes:
    session.require(Permission.EDIT_STATION)
    with session.write():
        row_id = store.remove_station_photo(session.db)
        if row_id:
            session.audit("delete", "station_photo", row_id)
    return Changes.of(*PHOTO_TABLES, ids=[row_id] if row_id else [])


# -- the anonymous monthly summary -----------------------------------------------------------

def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, date.fromordinal(nxt.toordinal() - 1)


def monthly_summary(session: Session, *, year: int, month: int) -> dict:
    """Counts only, no personal data, confidential matters left out:
    ``received`` (category -> n), ``handled`` (outcome -> n), ``satisfaction``
    (level -> n) for the month, with ``year`` and ``month``."""
    first, last = (d.isoformat() for d in month_bounds(year, month))
    return {"year": year, "month": month,
            "received": store.received_by_category(session.db, first, last),
            "handled": store.handled_by_outcome(session.db, first, last),
            "satisfaction": store.replies_by_satisfaction(session.db, first, last)}


# -- data of the wall notices ----------------------------------------------------------------

def wall_deputies(session: Session) -> list[dict]:
    """The serving deputies for the wall, by group then level then name, each
    with ``levels`` (a list), group names, unit, post, phone and ``photo``
    (bytes or None)."""
    order = {g["id"]: n for n, g in enumerate(registry.groups(session))}
    rank = {lv.value: lv.rank for lv in Level}
    photos = store.deputy_photos(session.db)
    out = []
    for r in registry.page(session, DeputyFilter(status="active"), offset=0, limit=10_000):
        levels = [lv for lv in (r.get("levels") or "").split(",") if lv]
        out.append({"id": r["id"], "name": r["name"], "name_ko": r["name_ko"] or "",
                    "levels": levels, "unit": r["unit"] or "", "post": r["post"] or "",
                    "phone": r["phone"] or "", "group_name": r["group_name"] or "",
                    "group_name_ko": r["group_name_ko"] or "", "photo": photos.get(r["id"]),
                    "_key": (order.get(r["group_id"], len(order)),
                             min((rank.get(lv, 9) for lv in levels), default=9), r["name"])})
    out.sort(key=lambda d: d.pop("_key"))
    return out


def wall_profile(session: Session) -> dict:
    """The station profile, its current staff, its photo and its deputies' counts."""
    from station_desk.services import reception

    profile = station.profile(session)
    rule = reception.rule(session)
    levels: dict[str, int] = {}
    deputies = registry.page(session, DeputyFilter(status="active"), offset=0, limit=10_000)
    for d in deputies:
        for lv in (d.get("levels") or "").split(","):
            if lv:
                levels[lv] = levels.get(lv, 0) + 1
    return {"station": profile, "staff": station.staff(session, include_past=False),
            "photo": station_photo(session), "deputies": len(deputies), "levels": levels,
            "groups": len(registry.groups(session)), "rule": _rule_dict(rule)}


def _rule_dict(rule) -> dict | None:
    if rule is None:
        return None
    return {"kind": rule.kind.value, "weekday": rule.weekday, "days": list(rule.days),
            "start": rule.start, "end": rule.end, "place": rule.place}


def wall_reception(session: Session, *, year: int, month: int) -> dict:
    """The reception-day rule and the month's reception days with the deputies on duty."""
    from station_desk.services import reception

    return {"rule": _rule_dict(reception.rule(session)), "year": year, "month": month,
            "days": reception.days(session, year=year, month=month)}


def wall_plan(session: Session, *, year: int) -> list[dict]:
    """The year's activity plan items (month, kind, theme, notes, held)."""
    from station_desk.services import activities

    return activities.plan(session, year=year)


# -- rendering ------------------------------------------------------------------------------------

def render_wall(session: Session, name: str, *, lang: str, options: dict) -> bytes:
    """The PDF bytes of wall notice ``name`` with checked ``options`` (size,
    orientation, month, phone, year)."""
    from station_desk.printing import wall

    profile = station.profile(session)
    common = {"lang": lang, "printed_on": session.today(), "size": options.get("size") or "a4",
              "orientation": options.get("orientation") or "auto"}
    year, month = options.get("month") or (session.today().year, session.today().month)
    if name == "wall-profile":
        return wall.profile.render(wall_profile(session), profile, **common)
    if name == "wall-deputies":
        return wall.deputies.render(wall_deputies(session), profile,
                                    phone=options.get("phone") or "station", **common)
    if name == "wall-reception":
        return wall.reception.render(wall_reception(session, year=year, month=month), profile,
                                     **common)
    if name == "wall-workflow":
        return wall.workflow.render(profile, rule=_rule_dict(_reception_rule(session)), **common)
    if name == "wall-rules":
        return wall.rules.render(rules(session), profile, **common)
    if name == "wall-summary":
        return wall.summary.render(monthly_summary(session, year=year, month=month), profile,
                                   **common)
    if name == "wall-plan":
        plan_year = options.get("year") or session.today().year
        return wall.plan.render(wall_plan(session, year=plan_year), profile, year=plan_year,
                                **common)
    raise KeyError(name)


def _reception_rule(session: Session):
    from station_desk.services import reception

    return reception.rule(session)


def wall_set(session: Session, *, lang: str, options: dict | None, out_dir: Path,
             report=None) -> list[Path]:
    """Every wall notice as its own PDF in ``out_dir`` (made if missing), named
    after it (``wall-profile.pdf`` …); each notice takes the ``options`` it
    has (``size=a3`` applies to all, ``month`` to those with a month).
    ``report(done, total)``, when given, hears of each notice written; the set
    stops early when ``report.cancelled`` becomes true (the window's Stop)."""
    from station_desk.services import documents

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    given = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    known = {o.name for n in dom.WALL_NOTICES if n in documents.DOCUMENTS
             for o in documents.DOCUMENTS[n].options}
    for key in given:
        if key not in known:
            raise documents.UnknownOption(option=key, value=given[key],
                                          allowed=documents._allowed_text(", ".join(sorted(known))))
    written = []
    names = [n for n in dom.WALL_NOTICES if n in documents.DOCUMENTS]
    for name in names:
        if report is not None:
            if getattr(report, "cancelled", False):
                break
            report(len(written), len(names))
        doc = documents.DOCUMENTS[name]
        mine = {k: v for k, v in given.items() if doc.option(k) is not None}
        written.append(documents.render(session, name, lang=lang, options=mine,
                                        out=out_dir / f"{name}.pdf"))
    if report is not None:
        report(len(written), len(names))
    return written


# -- the demo station's rules -------------------------------------------------------------------

DEMO_RULES = [
    ("代表联络站工作制度", "대표련락소 사업제도",
     "一、联络站在镇人大主席团领导下开展工作，做到有场所、有组织、有制度、有活动。\n"
     "二、联络站每月至少组织一次代表活动，活动有计划、有主题、有记录、有总结。\n"
     "三、联络站工作人员负责日常联络、登记、资料整理和档案管理。\n"
     "四、联络站工作情况每半年向镇人大主席团报告一次。",
     "1. 련락소는 진인대 주석단의 령도밑에서 사업하며 장소, 조직, 제도, 활동을 갖춘다.\n"
     "2. 련락소는 매달 적어도 한번 대표활동을 조직하며 활동에는 계획, 주제, 기록, 총화가 있어야 한다.\n"
     "3. 련락소 사업일군은 일상련락, 등록, 자료정리와 당안관리를 책임진다.\n"
     "4. 련락소 사업정황을 반년에 한번씩 진인대 주석단에 보고한다."),
    ("接待选民制度", "선민접대제도",
     "一、每月9日、19日为代表接待选民日，遇节假日顺延至下一个工作日，接待日前三天张贴公告。\n"
     "二、接待选民做到热情接待、认真倾听、如实登记，选民可以使用朝鲜语或汉语反映情况。\n"
     "三、选民反映的问题按登记、梳理、反映、办理、反馈、归档六个环节办理，限时办结。\n"
     "四、办理结果及时向选民和代表反馈，听取选民对办理结果的意见。",
     "1. 매달 9일, 19일을 대표의 선민접대일로 하며 명절, 휴일이면 다음 사업일로 미루고 접대일 3일전에 공고를 붙인다.\n"
     "2. 선민을 친절히 접대하고 성심껏 듣고 사실대로 등록하며 선민은 조선말 또는 한어로 반영할수 있다.\n"
     "3. 선민이 반영한 문제는 등록, 정리, 반영, 처리, 회답, 당안보관 여섯 단계로 기한내에 처리한다.\n"
     "4. 처리결과를 제때에 선민과 대표에게 회답하고 선민의 의견을 청취한다."),
    ("代表履职登记制度", "대표리직등록제도",
     "一、代表参加联络站活动、接待选民、视察调研等履职情况，由工作人员如实登记。\n"
     "二、代表履职情况记入履职档案，作为年度述职和评议的依据。\n"
     "三、代表因故不能参加活动的，应事先向站长请假。",
     "1. 대표가 련락소 활동, 선민접대, 시찰조사 등에 참가한 리직정황은 사업일군이 사실대로 등록한다.\n"
     "2. 대표의 리직정황은 리직당안에 기록하여 년도 술직과 평의의 근거로 한다.\n"
     "3. 대표가 사정으로 활동에 참가하지 못할 경우 사전에 소장에게 청가해야 한다."),
    ("学习培训制度", "학습배훈제도",
     "一、联络站定期组织代表学习宪法、代表法和有关法律法规，提高履职能力。\n"
     "二、每年至少组织两次集中学习培训，新当选代表须参加初任培训。\n"
     "三、学习培训情况记入代表履职档案。",
     "1. 련락소는 정기적으로 대표들을 조직하여 헌법, 대표법과 관련 법률법규를 학습하여 리직능력을 높인다.\n"
     "2. 해마다 적어도 두번 집중학습배훈을 조직하며 새로 당선된 대표는 초임배훈에 참가해야 한다.\n"
     "3. 학습배훈정황은 대표리직당안에 기록한다."),
    ("活动经费管理制度", "활동경비관리제도",
     "一、代表活动经费专款专用，用于代表学习培训、视察调研、接待选民等活动。\n"
     "二、经费支出须经站长审核，凭据报销，每笔支出注明用于哪项活动。\n"
     "三、经费使用情况每年公开一次，接受代表和选民监督。",
     "1. 대표활동경비는 전문항목에 전용하며 대표의 학습배훈, 시찰조사, 선민접대 등 활동에 쓴다.\n"
     "2. 경비지출은 소장의 심사를 거쳐 영수증에 따라 결산하며 매 지출마다 어느 활동에 썼는가를 밝힌다.\n"
     "3. 경비사용정황은 해마다 한번 공개하여 대표와 선민의 감독을 받는다."),
]


def seed_demo(session: Session) -> None:
    """The demo station's five rules, in Chinese and Korean, and a picture of it."""
    for title_zh, title_ko, body_zh, body_ko in DEMO_RULES:
        add_rule(session, data={"title_zh": title_zh, "title_ko": title_ko,
                                "body_zh": body_zh, "body_ko": body_ko})
    set_station_photo(session, data=demo_station_picture())


def demo_station_picture(size: tuple[int, int] = (800, 600)) -> bytes:
    """A drawn picture of a township office building (JPEG): the demo has no photographer."""
    import io

    from PIL import Image, ImageDraw

    w, h = size
    img = Image.new("RGB", size)
    d = ImageDraw.Draw(img)
    for y in range(h):  # sky to a pale horizon
        t = y / h
        d.line([(0, y), (w, y)], fill=(int(150 + 90 * t), int(190 + 55 * t), int(230 + 20 * t)))
    d.rectangle([0, int(h * 0.78), w, h], fill=(205, 200, 190))          # the square
    d.rectangle([0, int(h * 0.74), w, int(h * 0.78)], fill=(120, 160, 95))  # lawn
    bx0, bx1, by0, by1 = int(w * 0.14), int(w * 0.86), int(h * 0.30), int(h * 0.76)
    d.rectangle([bx0, by0, bx1, by1], fill=(236, 230, 218), outline=(170, 160, 145), width=3)
    d.rectangle([bx0 - 12, by0 - 22, bx1 + 12, by0], fill=(150, 70, 60))  # the roof edge
    for row in range(3):
        for col in range(8):
            x = bx0 + 24 + col * (bx1 - bx0 - 48) // 8
            y = by0 + 24 + row * 62
            if 3 <= col <= 4 and row == 2:
                continue
            d.rectangle([x + 6, y, x + (bx1 - bx0 - 48) // 8 - 10, y + 38], fill=(120, 150, 175),
                        outline=(90, 100, 110))
    cx = (bx0 + bx1) // 2
    d.rectangle([cx - 48, by1 - 88, cx + 48, by1], fill=(110, 80, 60))     # the door
    d.rectangle([cx - 170, by0 + 6, cx + 170, by0 + 18], fill=(178, 34, 40))  # red name board
    d.line([(cx + 230, by0 - 22), (cx + 230, by0 - 110)], fill=(90, 90, 90), width=4)
    d.polygon([(cx + 232, by0 - 110), (cx + 300, by0 - 96), (cx + 232, by0 - 82)],
              fill=(200, 30, 35))
    for tx in (int(w * 0.06), int(w * 0.94)):  # two trees
        d.rectangle([tx - 6, int(h * 0.60), tx + 6, int(h * 0.76)], fill=(110, 80, 50))
        d.ellipse([tx - 46, int(h * 0.40), tx + 46, int(h * 0.64)], fill=(80, 140, 80))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue()
