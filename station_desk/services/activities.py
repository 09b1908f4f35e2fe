"""Activities (活动): the year's plan, activities, invitations, attendance,
summaries and photos, and the warnings they feed.  One transaction per call."""
from __future__ import annotations

from datetime import date, timedelta

from station_desk.domain.accounts import Permission
from station_desk.domain import activities as dom
from station_desk.domain.activities import (
    ActivityAlreadyHeld, ActivityCancelled, ActivityNotFound, ActivityStatus, AlreadyInvited,
    Attendance, BadPhoto, InvitedTwice, InviteeNotFound, LeaveNeedsReason, NotInvited,
    NotStarted, PhotoNotFound, PlanItemInUse, PlanItemNotFound, UnknownDeputy,
)
from station_desk.domain.changes import Changes
from station_desk.domain.deputies import Level
from station_desk.domain.errors import N_, FieldError, ValidationError
from station_desk.domain.validation import MAX_PHOTO_BYTES, Checker, clean, image_mime
from station_desk.services.session import Session
from station_desk.storage import activities as store

PLAN = "activity_plan"
ACTIVITIES = "activities"
INVITEES = "activity_invitees"
PHOTOS = "activity_photos"
TABLES = (PLAN, ACTIVITIES, INVITEES, PHOTOS)

_LEVEL_RANK = {lv.value: lv.rank for lv in Level}


def _local_now(session: Session):
    """The session's wall-clock time, as activity times are stored."""
    return session.now().replace(tzinfo=None, second=0, microsecond=0)


def _started(session: Session, row: dict) -> bool:
    return dom.format_datetime(_local_now(session)) >= row["starts_at"]


def _levels(text: str | None) -> list[str]:
    """The level values of a group_concat, highest first, each once."""
    values = set(text.split(",")) if text else set()
    return sorted(values, key=lambda v: _LEVEL_RANK.get(v, 99))


# -- the plan -----------------------------------------------------------------------

def plan(session: Session, *, year: int) -> list[dict]:
    """The plan items of ``year`` in (month, sort) order, each with its linked
    ``activities`` ({id, title, starts_at, status}) and ``held``."""
    items = store.plan_items(session.db, int(year))
    links: dict[str, list[dict]] = {}
    for a in store.plan_links(session.db, int(year)):
        links.setdefault(a.pop("plan_item_id"), []).append(a)
    for item in items:
        item["activities"] = links.get(item["id"], [])
        item["held"] = any(a["status"] == ActivityStatus.HELD for a in item["activities"])
    return items


def plan_summary(session: Session, *, year: int) -> list[dict]:
    """Twelve rows {month, planned, held, scheduled, cancelled, unplanned}.

    Counted per plan item of the month: ``held`` when a linked activity was held,
    else ``scheduled`` when one is scheduled, else ``cancelled`` when every linked
    activity was cancelled (items with no activity yet are in ``planned`` only).
    ``unplanned``: held activities of the month with no plan item.  No totals row."""
    rows = [{"month": m, "planned": 0, "held": 0, "scheduled": 0, "cancelled": 0,
             "unplanned": 0} for m in range(1, 13)]
    for item in plan(session, year=year):
        row = rows[item["month"] - 1]
        row["planned"] += 1
        state = dom.plan_item_state([a["status"] for a in item["activities"]])
        if state:
            row[state] += 1
    for a in store.unplanned_held(session.db, int(year)):
        rows[int(a["starts_at"][5:7]) - 1]["unplanned"] += 1
    return rows


def add_plan_item(session: Session, *, year: int, month: int, kind: str, theme: str,
                  notes: str = "") -> Changes:
    """Add a theme to the year's plan (at the end of its month)."""
    session.require(Permission.EDIT_ACTIVITIES)
    fields = dom.validate_plan_item({"year": year, "month": month, "kind": kind,
                                     "theme": theme, "notes": notes})
    with session.write():
        fields["sort"] = store.next_plan_sort(session.db, fields["year"], fields["month"])
        item_id = store.insert_plan_item(session.db, origin=session.station_code, fields=fields)
        session.audit("create", "activity_plan", item_id, after=fields)
    return Changes.of(PLAN, ids=[item_id], created_id=item_id)


def update_plan_item(session: Session, *, item_id: str, month: int, kind: str, theme: str,
                     notes: str) -> Changes:
    session.require(Permission.EDIT_ACTIVITIES)
    before = store.get_plan_item(session.db, item_id)
    if before is None:
        raise PlanItemNotFound()
    fields = dom.validate_plan_item({"year": before["year"], "month": month, "kind": kind,
                                     "theme": theme, "notes": notes})
    del fields["year"]
    with session.write():
        if fields["month"] != before["month"]:
            fields["sort"] = store.next_plan_sort(session.db, before["year"], fields["month"])
        store.update_plan_item(session.db, item_id, fields)
        session.audit("update", "activity_plan", item_id,
                      before={k: before[k] for k in fields}, after=fields)
    return Changes.of(PLAN, ids=[item_id])


def delete_plan_item(session: Session, *, item_id: str) -> Changes:
    """Remove a plan item (a tombstone); refused while a live activity is linked."""
    session.require(Permission.EDIT_ACTIVITIES)
    before = store.get_plan_item(session.db, item_id)
    if before is None:
        raise PlanItemNotFound()
    linked = store.live_activities_of_item(session.db, item_id)
    if linked:
        raise PlanItemInUse(title=linked[0]["title"])
    with session.write():
        store.set_deleted(session.db, PLAN, item_id)
        session.audit("delete", "activity_plan", item_id,
                      before={"theme": before["theme"], "month": before["month"]})
    return Changes.of(PLAN, ids=[item_id])


def years(session: Session) -> list[int]:
    """The years with plan items or activities, and always the current year."""
    return sorted(set(store.years(session.db)) | {session.today().year})


# -- activities ---------------------------------------------------------------------

def activities(session: Session, *, year: int | None = None, month: int | None = None,
               kind: str | None = None, status: str | None = None,
               search: str = "") -> list[dict]:
    """Activities newest first with their counts (invited, present, leave, absent,
    unmarked)."""
    return store.list_activities(session.db, year=int(year) if year else None,
                                 month=int(month) if month else None, kind=kind or None,
                                 status=status or None, search=clean(search))


def _get(session: Session, activity_id: str) -> dict:
    row = store.get_activity(session.db, activity_id)
    if row is None:
        raise ActivityNotFound()
    return row


def _invitee_view(r: dict) -> dict:
    return {"id": r["id"], "deputy_id": r["deputy_id"], "name": r["name"] or "",
            "name_ko": r["name_ko"] or "", "levels": _levels(r["levels"]),
            "unit": r["unit"] or "", "post": r["post"] or "", "phone": r["phone"] or "",
            "attendance": r["attendance"], "signed_at": r["signed_at"],
            "leave_reason": r["leave_reason"], "leave_approved_by": r["leave_approved_by"],
            "outsider": r["deputy_id"] is None, "sort": r["sort"]}


def activity(session: Session, activity_id: str) -> dict:
    """Every column of the activity, its ``invitees`` in sheet order, ``photos``
    ({id, mime, caption}) and ``counts`` {expected, present, leave, absent, unmarked}."""
    row = _get(session, activity_id)
    row["invitees"] = [_invitee_view(r) for r in store.invitees(session.db, activity_id)]
    row["photos"] = store.photos_of(session.db, activity_id)
    row["counts"] = dom.counts([i["attendance"] for i in row["invitees"]])
    return row


def _check_plan_item(session: Session, plan_item_id: str | None) -> None:
    if plan_item_id and store.get_plan_item(session.db, plan_item_id) is None:
        raise ValidationError([FieldError("plan_item_id",
                                          N_("Choose an item of the activity plan."))])


def create_activity(session: Session, *, kind: str, title: str, theme: str = "",
                    starts_at: object, ends_at: object, place: str = "", organiser: str = "",
                    plan_item_id: str | None = None, notes: str = "",
                    notice: str = "") -> Changes:
    """Schedule an activity."""
    session.require(Permission.EDIT_ACTIVITIES)
    fields = dom.validate_activity({
        "kind": kind, "title": title, "theme": theme, "starts_at": starts_at,
        "ends_at": ends_at, "place": place, "organiser": organiser,
        "plan_item_id": plan_item_id, "notes": notes, "notice": notice})
    _check_plan_item(session, fields["plan_item_id"])
    with session.write():
        activity_id = store.insert_activity(session.db, origin=session.station_code, fields={
            **fields, "status": ActivityStatus.SCHEDULED.value,
            "created_at": session.now_iso(), "created_by": session.actor})
        session.audit("create", "activity", activity_id, after=fields)
    return Changes.of(ACTIVITIES, PLAN, ids=[activity_id], created_id=activity_id)


def _editable(session: Session, activity_id: str) -> dict:
    row = _get(session, activity_id)
    if row["status"] == ActivityStatus.CANCELLED:
        raise ActivityCancelled()
    return row


def update_activity(session: Session, *, activity_id: str, kind: str, title: str,
                    theme: str = "", starts_at: object, ends_at: object, place: str = "",
                    organiser: str = "", plan_item_id: str | None = None, notes: str = "",
                    notice: str = "") -> Changes:
    """Correct an activity (not a cancelled one); a held one cannot move to the future."""
    session.require(Permission.EDIT_ACTIVITIES)
    before = _editable(session, activity_id)
    fields = dom.validate_activity({
        "kind": kind, "title": title, "theme": theme, "starts_at": starts_at,
        "ends_at": ends_at, "place": place, "organiser": organiser,
        "plan_item_id": plan_item_id, "notes": notes, "notice": notice})
    if (before["status"] == ActivityStatus.HELD
            and fields["starts_at"] > dom.format_datetime(_local_now(session))):
        raise ValidationError([FieldError(
            "starts_at", N_("This activity was held; its start cannot be in the future."))])
    _check_plan_item(session, fields["plan_item_id"])
    with session.write():
        store.update_activity(session.db, activity_id, fields)
        session.audit("update", "activity", activity_id,
                      before={k: before[k] for k in fields}, after=fields)
    return Changes.of(ACTIVITIES, PLAN, ids=[activity_id])


def cancel_activity(session: Session, *, activity_id: str, reason: str) -> Changes:
    """Cancel a scheduled activity, with the reason."""
    session.require(Permission.EDIT_ACTIVITIES)
    before = _editable(session, activity_id)
    if before["status"] == ActivityStatus.HELD:
        raise ActivityAlreadyHeld()
    reason = dom.validate_reason("reason", reason)
    with session.write():
        store.update_activity(session.db, activity_id, {
            "status": ActivityStatus.CANCELLED.value, "cancel_reason": reason})
        session.audit("cancel", "activity", activity_id, before={"status": before["status"]},
                      after={"status": ActivityStatus.CANCELLED.value, "reason": reason})
    return Changes.of(ACTIVITIES, PLAN, ids=[activity_id])


def set_status_held(session: Session, *, activity_id: str) -> Changes:
    """Record an activity as held without marking anyone (it has started)."""
    session.require(Permission.EDIT_ACTIVITIES)
    before = _editable(session, activity_id)
    if before["status"] == ActivityStatus.HELD:
        return Changes()
    if not _started(session, before):
        raise NotStarted(starts_at=before["starts_at"].replace("T", " "))
    with session.write():
        store.update_activity(session.db, activity_id, {"status": ActivityStatus.HELD.value})
        session.audit("held", "activity", activity_id, before={"status": before["status"]},
                      after={"status": ActivityStatus.HELD.value})
    return Changes.of(ACTIVITIES, PLAN, ids=[activity_id])


def write_summary(session: Session, *, activity_id: str, summary: str) -> Changes:
    """The activity's summary (小结)."""
    session.require(Permission.EDIT_ACTIVITIES)
    before = _editable(session, activity_id)
    text = dom.validate_summary(summary)
    with session.write():
        store.update_activity(session.db, activity_id, {"summary": text})
        session.audit("summary", "activity", activity_id,
                      before={"summary": before["summary"]}, after={"summary": text})
    return Changes.of(ACTIVITIES, ids=[activity_id])


# -- invitations and attendance -------------------------------------------------------

def invite(session: Session, *, activity_id: str, deputy_ids=(), outsiders=()) -> Changes:
    """Add deputies, then outside participants, at the end of the sheet in the
    order given.  All or nothing."""
    session.require(Permission.EDIT_ACTIVITIES)
    _editable(session, activity_id)
    deputy_ids = [str(d) for d in deputy_ids]
    checked, errors = [], []
    for i, raw in enumerate(outsiders):
        try:
            checked.append(dom.validate_outsider(raw, i))
        except ValidationError as exc:
            errors += exc.errors
    if errors:
        raise ValidationError(errors)
    names = store.deputy_names(session.db, deputy_ids)
    if set(deputy_ids) - names.keys():
        raise UnknownDeputy()
    seen: set[str] = set()
    for d in deputy_ids:
        if d in seen:
            raise InvitedTwice(name=names[d])
        seen.add(d)
    already = store.invited_deputies(session.db, activity_id, deputy_ids)
    if already:
        raise AlreadyInvited(names="、".join(already))
    if not deputy_ids and not checked:
        return Changes()
    with session.write():
        start = store.next_invitee_sort(session.db, activity_id)
        blank = {"name": "", "name_ko": "", "unit": "", "post": "", "phone": ""}
        rows = [{"activity_id": activity_id, "deputy_id": d, **blank} for d in deputy_ids]
        rows += [{"activity_id": activity_id, "deputy_id": None, **o} for o in checked]
        for n, r in enumerate(rows):
            r["sort"] = start + n
        ids = store.insert_invitees(session.db, origin=session.station_code, rows=rows)
        session.audit("invite", "activity", activity_id,
                      after={"deputies": deputy_ids, "outsiders": [o["name"] for o in checked]})
    return Changes.of(INVITEES, ACTIVITIES, ids=[activity_id, *ids])


def _invitee(session: Session, invitee_id: str) -> tuple[dict, dict]:
    inv = store.get_invitee(session.db, invitee_id)
    if inv is None:
        raise InviteeNotFound()
    return inv, _editable(session, inv["activity_id"])


def uninvite(session: Session, *, invitee_id: str) -> Changes:
    """Take a person off the activity's list (a tombstone)."""
    session.require(Permission.EDIT_ACTIVITIES)
    inv, _ = _invitee(session, invitee_id)
    with session.write():
        store.set_deleted(session.db, INVITEES, invitee_id)
        session.audit("uninvite", "activity", inv["activity_id"],
                      before={"invitee": invitee_id, "deputy_id": inv["deputy_id"],
                              "name": inv["name"], "attendance": inv["attendance"]})
    return Changes.of(INVITEES, ACTIVITIES, ids=[inv["activity_id"], invitee_id])


def move_invitee(session: Session, *, invitee_id: str, to_index: int) -> Changes:
    """Move a person to row ``to_index`` (0-based) of the sign-in sheet."""
    session.require(Permission.EDIT_ACTIVITIES)
    inv, _ = _invitee(session, invitee_id)
    current = store.sheet_ids(session.db, inv["activity_id"])
    order = dom.sheet_order([i for i, _ in current], invitee_id, to_index)
    old = dict(current)
    changed = [(n, i) for n, i in enumerate(order) if old[i] != n]
    if not changed:
        return Changes()
    with session.write():
        store.set_sorts(session.db, changed)
        session.audit("reorder", "activity", inv["activity_id"],
                      after={"invitee": invitee_id, "to": order.index(invitee_id)})
    return Changes.of(INVITEES, ids=[inv["activity_id"], invitee_id])


def record_leave(session: Session, *, invitee_id: str, reason: str,
                 approved_by: str = "") -> Changes:
    """The person asked for leave (before or after the activity): the reason
    and who approved it; their attendance becomes 'leave'."""
    session.require(Permission.EDIT_ACTIVITIES)
    inv, _ = _invitee(session, invitee_id)
    c = Checker()
    reason = c.required("reason", reason, max_len=500)
    approved_by = c.optional("approved_by", approved_by, max_len=60)
    c.raise_if_any()
    fields = {"attendance": Attendance.LEAVE.value, "leave_reason": reason,
              "leave_approved_by": approved_by, "signed_at": "",
              "marked_at": session.now_iso(), "marked_by": session.actor}
    with session.write():
        store.update_invitee(session.db, invitee_id, fields)
        session.audit("leave", "activity", inv["activity_id"],
                      before={"invitee": invitee_id, "attendance": inv["attendance"]},
                      after={"invitee": invitee_id, "reason": reason,
                             "approved_by": approved_by})
    return Changes.of(INVITEES, ids=[inv["activity_id"], invitee_id])


def mark(session: Session, *, activity_id: str, marks: dict[str, str],
         signed_at: dict[str, str] | str | None = None) -> Changes:
    """Set the attendance of several invitees at once (the attendance screen
    calls it with one mark per key press); the first present/absent mark of an
    activity that has started makes it held.  ``signed_at``: invitee id ->
    "HH:MM" (or one time for all), kept only for people present; without it a
    present row keeps its time.  All or nothing."""
    session.require(Permission.EDIT_ACTIVITIES)
    row = _editable(session, activity_id)
    wanted, times = dom.validate_marks(marks, signed_at)
    ids = list(dict.fromkeys([*wanted, *times]))
    if not ids:
        return Changes()
    current = store.invitee_marks(session.db, activity_id, ids)
    missing = [i for i in ids if i not in current]
    if missing:
        raise NotInvited(count=len(missing))
    if (any(a in (Attendance.PRESENT, Attendance.ABSENT) for a in wanted.values())
            and not _started(session, row)):
        raise NotStarted(starts_at=row["starts_at"].replace("T", " "))
    for i, a in wanted.items():
        if a is Attendance.LEAVE and not current[i]["leave_reason"]:
            raise LeaveNeedsReason(name=current[i]["name"])
    now, updates = session.now_iso(), []
    for i in ids:
        a = wanted.get(i, Attendance(current[i]["attendance"]))
        signed = times.get(i)
        if a is not Attendance.PRESENT:
            signed = ""  # a signing time belongs to someone present
        updates.append((a.value, signed, now, session.actor, i))
    becomes_held = (row["status"] == ActivityStatus.SCHEDULED and _started(session, row)
                    and any(a in (Attendance.PRESENT, Attendance.ABSENT)
                            for a in wanted.values()))
    with session.write():
        store.set_marks(session.db, updates)
        if becomes_held:
            store.update_activity(session.db, activity_id, {"status": ActivityStatus.HELD.value})
        session.audit("mark", "activity", activity_id,
                      before={i: current[i]["attendance"] for i in ids},
                      after={i: u[0] for i, u in zip(ids, updates)})
    tables = (INVITEES, ACTIVITIES, PLAN) if becomes_held else (INVITEES,)
    return Changes.of(*tables, ids=[activity_id, *ids])


# -- photos ------------------------------------------------------------------------------

def add_photo(session: Session, *, activity_id: str, data: bytes, caption: str = "") -> Changes:
    """Attach a JPEG or PNG photo (at most 5 MB) to the activity."""
    session.require(Permission.EDIT_ACTIVITIES)
    _editable(session, activity_id)
    mime = image_mime(data or b"")
    if mime is None or len(data) > MAX_PHOTO_BYTES:
        raise BadPhoto()
    c = Checker()
    caption = c.optional("caption", caption, max_len=200)
    c.raise_if_any()
    with session.write():
        photo_id = store.insert_photo(session.db, origin=session.station_code,
                                      activity_id=activity_id, mime=mime, data=data,
                                      caption=caption)
        session.audit("photo", "activity", activity_id,
                      after={"photo": photo_id, "bytes": len(data), "caption": caption})
    return Changes.of(PHOTOS, ids=[activity_id, photo_id], created_id=photo_id)


def remove_photo(session: Session, *, photo_id: str) -> Changes:
    session.require(Permission.EDIT_ACTIVITIES)
    row = store.get_photo(session.db, photo_id)
    if row is None:
        raise PhotoNotFound()
    with session.write():
        store.set_deleted(session.db, PHOTOS, photo_id)
        session.audit("photo_removed", "activity", row["activity_id"],
                      before={"photo": photo_id, "caption": row["caption"]})
    return Changes.of(PHOTOS, ids=[row["activity_id"], photo_id])


def photo(session: Session, photo_id: str) -> tuple[str, bytes]:
    """(mime, bytes) of a photo."""
    row = store.get_photo(session.db, photo_id)
    if row is None:
        raise PhotoNotFound()
    return row["mime"], row["data"]


# -- the deputies' side ---------------------------------------------------------------------

def _day(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    return clean(value)[:10]


def deputy_activities(session: Session, *, deputy_id: str, since: object = None,
                      until: object = None) -> list[dict]:
    """Every activity the deputy was invited to (oldest first), with their
    attendance: id, kind, title, theme, starts_at, ends_at, place, status,
    invitee_id, attendance, signed_at, leave_reason, leave_approved_by.
    ``since`` / ``until``: dates, both included."""
    high = _day(until)
    if high:
        high = (date.fromisoformat(high) + timedelta(days=1)).isoformat()
    return store.deputy_activities(session.db, deputy_id, since=_day(since), until=high)


# warnings(): held activities are read newest first in chunks until at most
# _LOOKUPS serving deputies are still undecided; their histories are then read
# by the deputy index.  Either read alone is slow on a county file: all
# invitations, or thousands of look-ups by deputy.
_CHUNK = 64
_LOOKUPS = 200


def _latest_marks(session: Session, serving: dict) -> list[dict]:
    """The two newest marked invitations to HELD activities of every serving
    deputy whose newest one is an absence (dicts for ``dom.absent_twice``)."""
    held = store.held_activities(session.db)
    rank = {a: n for n, (a, _t, _s) in enumerate(held)}
    seen: dict[str, list[str]] = {}  # deputy -> activity ids (newest first)
    marks: dict[tuple[str, str], str] = {}
    undecided = set(serving)
    done = 0
    while done < len(held) and len(undecided) > _LOOKUPS:
        chunk = [a for a, _t, _s in held[done:done + _CHUNK]]
        done += len(chunk)
        for d, a, mark in sorted(store.marks_at(session.db, chunk), key=lambda r: rank[r[1]]):
            if d not in undecided:
                continue
            seen.setdefault(d, []).append(a)
            marks[(d, a)] = mark
            if mark != Attendance.ABSENT or len(seen[d]) >= 2:
                undecided.discard(d)
    if done < len(held):
        for d, a, mark in store.marks_of(session.db, sorted(undecided)):
            if rank.get(a, -1) >= done:  # held, and older than what was read
                seen.setdefault(d, []).append(a)
                marks[(d, a)] = mark
    out = []
    for d, ids in seen.items():
        ids.sort(key=rank.__getitem__)
        # someone whose newest mark is not an absence cannot be listed: left out
        if marks[(d, ids[0])] == Attendance.ABSENT:
            out += [{"deputy_id": d, "activity_id": a, "attendance": marks[(d, a)],
                     "title": held[rank[a]][1], "starts_at": held[rank[a]][2]}
                    for a in ids[:2]]
    return out


def warnings(session: Session, *, today: date | None = None) -> dict:
    """For the start screen: ``absent_twice`` [{deputy_id, name, name_ko,
    activities: [{id, title, starts_at}, …]}] (the two absences, newest first) and
    ``inactive`` [{deputy_id, name, name_ko, quarter}] for the last complete
    quarter; only deputies serving now, each list by name."""
    today = today or session.today()
    serving = store.serving(session.db)
    invitations = _latest_marks(session, serving)
    flagged = dom.absent_twice(invitations)
    quarter = dom.last_complete_quarter(today)
    present = store.present_between(session.db, quarter.start.isoformat(),
                                    (quarter.end + timedelta(days=1)).isoformat())
    idle = dom.inactive({d: date.fromisoformat(v[0][:10]) for d, v in serving.items()},
                        present, quarter)
    latest: dict[str, list[dict]] = {d: [] for d in flagged}
    for inv in dom.newest_first(invitations):
        if inv["deputy_id"] in latest:
            latest[inv["deputy_id"]].append({"id": inv["activity_id"], "title": inv["title"],
                                             "starts_at": inv["starts_at"]})
    absent = [{"deputy_id": d, "name": serving[d][1], "name_ko": serving[d][2],
               "activities": latest[d][:2]} for d in flagged]
    inactive = [{"deputy_id": d, "name": serving[d][1], "name_ko": serving[d][2],
                 "quarter": quarter.label} for d in idle]
    key = lambda x: (x["name"], x["deputy_id"])  # noqa: E731
    return {"absent_twice": sorted(absent, key=key), "inactive": sorted(inactive, key=key)}
