"""Voter reception cases at county scale (issue 3): list, search, register, memory.

The data: ``CASES`` (1,000,000) generated cases — the voter's words from
matters and phrases people bring, names, 50 villages, ten years of dates, every
state, forwarded cases with due dates — written with plain ``executemany``
into ``cases`` and the search index ``case_search`` (the same ``spaced`` text
``storage.cases`` indexes), then ``optimize`` and ANALYZE.  Voters and events
are not generated: no list or search reads them.  About 100 s the first time,
then cached beside the registry (same naming rule, ``cases-…``).

Figures (targets of issue 3):
- case list: a new CasesScreen → table painted (≤ 100 ms); baseline: plain SQL
  COUNT(*) + the same first page on its own connection;
- search 1, 2, 3 characters and a character found nowhere (the worst case of
  ``LIKE``): ``cases.count(cap)`` + first page (≤ 50 ms), and
  the screen from typing to the painted table (≤ 50 ms); baseline: plain SQL
  ``LIKE '%q%'`` on words, name and village for the same first page (checked
  equal), no count;
- register a case through the service (≤ 20 ms); baseline: one plain INSERT of
  a case row in its own transaction;
- peak RSS of a fresh process with the window and the case list open
  (≤ 300 MB); baseline: the same process with an empty window.
"""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from benchmarks import generate as registry_generate
from benchmarks.common import Result, median, timed_ms

CASES = 1_000_000
GENERATOR_VERSION = 1
SEED = 20260309
LIST_TARGET_MS = 100.0
SEARCH_TARGET_MS = 50.0
REGISTER_TARGET_MS = 20.0
MEMORY_TARGET_MB = 300.0
SEARCHES = (("灯", "1 character"), ("路灯", "2 characters"), ("自来水", "3 characters"),
            ("矿", "in no case: LIKE reads every row"))

SUBJECTS = ["路灯", "自来水", "道路", "低保", "医保", "养老金", "垃圾", "排水沟", "危房", "土地承包",
            "拖欠工资", "取暖", "学校", "公交", "网络信号", "耕地", "河道", "水渠", "广场", "卫生所"]
PROBLEMS = ["坏了很久没人修", "申请了还没有批下来", "希望尽快解决", "影响村民出行", "费用太高",
            "手续太复杂", "反映多次没有回音", "存在安全隐患", "冬天特别困难", "邻村已经解决了"]
FILL = "我们村里的老人孩子都很着急请代表帮忙向有关部门反映一下情况谢谢"
SURNAMES = "金李朴崔郑姜赵尹张林韩吴申权黄安宋柳洪全高文孙梁白许南沈卢河郭成车朱禹具辛任"
GIVEN = "明英哲春花美玉永吉成光顺福善淑贞秀兰国华东海峰龙虎松"
VILLAGES = (["明东村", "龙山村", "智新村", "长财村", "大成村", "东盛社区", "新兴社区", "太阳村",
             "勇新村", "明岩村"] + [f"第{i}村" for i in range(40)])
STATES = ["registered", "sorted", "forwarded", "handled", "replied", "archived", "archived",
          "archived", "closed"]
CATEGORIES = ["complaint", "enquiry", "suggestion", "help"]
COLUMNS = ("id, origin, rowkey, number, voter_name, village, registered_on, channel, category, "
           "priority, words, state, responsible_unit, due_on, open_due_on, confidential, "
           "event_count, updated_at")


def cached_cases(*, count: int = CASES, log=print) -> Path:
    """The generated cases file (made on the first call, then reused)."""
    return registry_generate.cached_file(f"cases-{count}-g{GENERATOR_VERSION}",
                                         lambda tmp: generate(tmp, count=count),
                                         what=f"{count:,} cases", log=log)


def generate(path: Path, *, count: int = CASES, seed: int = SEED) -> None:
    from station_desk.services.session import create_station
    from station_desk.storage.cases import spaced

    rng = random.Random(seed)
    session = create_station(path, clock=lambda: registry_generate.NOW, actor="generator",
                             profile={"name_zh": "龙井市人大常委会代表工作室",
                                      "code": "222405-00", "county": "龙井市"})
    db, start = session.db, date(2016, 3, 9)
    insert = f"INSERT INTO cases({COLUMNS}) VALUES ({', '.join('?' * len(COLUMNS.split(',')))})"
    try:
        with db.atomic():
            cases, search = [], []
            for i in range(1, count + 1):
                words = (rng.choice(SUBJECTS) + rng.choice(PROBLEMS) + FILL[:rng.randint(10, 40)]
                         + rng.choice(SUBJECTS) + rng.choice(PROBLEMS))
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                village = rng.choice(VILLAGES)
                on = start + timedelta(days=i * 3650 // count)
                state = rng.choice(STATES)
                due = (on + timedelta(days=9)).isoformat() if state == "forwarded" else None
                cases.append((str(uuid.uuid4()), "222405-00", i, f"{on.year}-{i:07d}", name,
                              village, on.isoformat(), "reception_day", rng.choice(CATEGORIES),
                              "normal", words, state, "镇城建办" if due else "", due, due, 0, 1,
                              "2026-03-09T10:30:00+08:00"))
                search.append((i, spaced(words), spaced(name), spaced(village)))
                if len(cases) == 10_000 or i == count:
                    db.conn.executemany(insert, cases)
                    db.conn.executemany("INSERT INTO case_search(rowid, words, name, village)"
                                        " VALUES (?, ?, ?, ?)", search)
                    cases, search = [], []
        db.execute("INSERT INTO case_search(case_search) VALUES ('optimize')")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("ANALYZE")
    finally:
        session.close()


def run(*, runs: int = 5, count: int = CASES, log=print) -> list[Result]:
    """Every case figure; needs a QApplication (made here if missing)."""
    import tempfile

    from PySide6.QtWidgets import QApplication

    from benchmarks.registry import _quiet_offscreen_warning
    from station_desk.domain.cases import CaseFilter
    from station_desk.services import cases
    from station_desk.services.session import open_session
    from station_desk.ui import app as app_module
    from station_desk.ui.screens.cases import CasesScreen

    source = cached_cases(count=count, log=log)
    qapp = app_module.application()
    _quiet_offscreen_warning()
    app_module.setup(qapp, "zh_CN")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="station_desk-bench-cases-") as tmp:
        db = registry_generate.working_copy(source, Path(tmp))
        session = open_session(db)
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # -- a new case list ---------------------------------------------------
            def one_screen() -> float:
                screen = CasesScreen(session)
                screen.resize(1280, 760)
                ms = painted(screen.table.viewport(), screen.show)
                screen.close()
                screen.deleteLater()
                QApplication.processEvents()
                return ms

            one_screen()
            samples = [one_screen() for _ in range(runs)]
            block = 200

            def raw_list() -> list[str]:
                conn.execute("SELECT COUNT(*) FROM cases WHERE deleted = 0").fetchone()
                return [r[0] for r in conn.execute(
                    "SELECT id FROM cases WHERE deleted = 0 ORDER BY rowkey DESC LIMIT ?",
                    [block])]

            _same(raw_list(), cases.page(session, CaseFilter(), offset=0, limit=block))
            results.append(Result(f"cases: new list → table painted ({count:,} cases)",
                                  median(samples), median(timed_ms(raw_list, runs=runs)),
                                  target_abs=LIST_TARGET_MS, samples=samples))

            # -- search ------------------------------------------------------------
            screen = CasesScreen(session)
            screen.resize(1280, 760)
            painted(screen.table.viewport(), screen.show)
            cap = screen.model.count_cap
            for query, label in SEARCHES:
                filt = CaseFilter(query=query)
                like = f"%{query}%"

                def raw(like=like) -> list[str]:
                    return [r[0] for r in conn.execute(
                        "SELECT id FROM cases WHERE deleted = 0 AND (words LIKE ? OR "
                        "voter_name LIKE ? OR village LIKE ?) ORDER BY rowkey DESC LIMIT ?",
                        [like, like, like, block])]

                note = _same(raw(), cases.page(session, filt, offset=0, limit=block),
                             strict=False)
                base = median(timed_ms(raw, runs=runs))

                def service(filt=filt) -> None:
                    cases.count(session, filt, cap=cap)
                    cases.page(session, filt, offset=0, limit=block)

                svc = timed_ms(service, runs=runs)
                found = cases.count(session, filt, cap=cap)
                results.append(Result(
                    f"search “{query}” ({label}; {found:,}{'+' if found == cap else ''} found):"
                    " count(cap) + first page", median(svc), base,
                    target_abs=SEARCH_TARGET_MS, samples=svc, note=note))

                def search(text: str) -> None:
                    screen.search.setText(text)
                    screen.apply_filter()

                shots = []
                for _ in range(runs + 1):
                    search("")
                    QApplication.processEvents()
                    shots.append(painted(screen.table.viewport(), lambda q=query: search(q)))
                results.append(Result(f"search “{query}”: screen → table painted",
                                      median(shots[1:]), base, target_abs=SEARCH_TARGET_MS,
                                      samples=shots[1:]))
            screen.close()

            # -- register ----------------------------------------------------------
            def register() -> None:
                cases.register(session, voter={"name": "朴英子", "village": "明东村",
                                               "phone": "13843312345"},
                               case={"channel": "reception_day", "category": "help",
                                     "words": "村里的路灯坏了三个月，晚上出门很危险"})

            wconn = sqlite3.connect(str(db), isolation_level=None)
            wconn.execute("PRAGMA synchronous = FULL")
            others = [c.strip() for c in COLUMNS.split(",") if c.strip() != "rowkey"]
            raw_sql = (f"INSERT INTO cases(rowkey, {', '.join(others)}) SELECT MAX(rowkey) + 1, "
                       f"{', '.join('?' * len(others))} FROM cases")

            def raw_insert() -> None:
                wconn.execute("BEGIN")
                wconn.execute(raw_sql, [
                    str(uuid.uuid4()), "222405-00", str(uuid.uuid4()), "朴英子", "明东村",
                    "2026-03-09", "reception_day", "help", "normal", "路灯坏了", "registered",
                    "", None, None, 0, 1, "2026-03-09T10:30:00+08:00"])
                wconn.execute("COMMIT")

            samples = timed_ms(register, runs=max(runs, 10))
            base = median(timed_ms(raw_insert, runs=max(runs, 10)))
            wconn.close()
            results.append(Result("cases: register one case (voter, case, event, index)",
                                  median(samples), base, target_abs=REGISTER_TARGET_MS,
                                  samples=samples))
        finally:
            conn.close()
            session.close()
        results.append(_memory(db, runs=min(runs, 3)))
    return results


def painted(widget, action) -> float:
    """ms from the start of ``action()`` to the end of ``widget``'s next painted frame
    (its first Paint event, then a zero timer once the frame is flushed)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    class Probe(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.done_at: float | None = None
            self.seen = False
            self.loop = QEventLoop()

        def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                QTimer.singleShot(0, self.done)
            return False

        def done(self) -> None:
            self.done_at = time.perf_counter()
            self.loop.quit()

    probe = Probe()
    widget.installEventFilter(probe)
    t0 = time.perf_counter()
    action()
    if probe.done_at is None:
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(probe.loop.quit)
        guard.start(10_000)
        probe.loop.exec()
        guard.stop()
    widget.removeEventFilter(probe)
    if probe.done_at is None:
        raise RuntimeError("the table was not painted within 10 s")
    return (probe.done_at - t0) * 1000


def _memory(db: Path, *, runs: int) -> Result:
    """Peak RSS of a fresh process: main window with the case list open, against an
    empty window in the same kind of process."""
    if sys.platform == "win32":
        return Result("cases: peak RSS, window with the case list", 0, None, unit="MB",
                      note="not measured on Windows")
    child = Path(__file__).with_name("cases_memory_child.py")

    def one(kind: str) -> float:
        out = subprocess.run([sys.executable, str(child), kind, str(db)], capture_output=True,
                             text=True, check=True, env={**os.environ,
                                                         "QT_QPA_PLATFORM": "offscreen"})
        return float(out.stdout.strip().splitlines()[-1])

    app = [one("app") for _ in range(runs)]
    bare = [one("bare") for _ in range(runs)]
    return Result("cases: peak RSS, window with the case list", median(app), median(bare),
                  unit="MB", target_abs=MEMORY_TARGET_MB, samples=app)


def _same(raw_ids: list[str], page: list[dict], *, strict: bool = True) -> str:
    if raw_ids == [r["id"] for r in page]:
        return ""
    if strict:
        raise AssertionError("baseline SQL and cases.page disagree on the first page")
    return "the LIKE baseline and the search disagree on the first page"
