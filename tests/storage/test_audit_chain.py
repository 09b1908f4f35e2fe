"""The audit trail's hash chain: a tamperer with sqlite3 is seen."""
from __future__ import annotations

import sqlite3

import pytest

from station_desk.domain.audit import GENESIS, ChainProblem, chain_hash, check_chain
from station_desk.storage import audit, db as storage_db, migrations


def _fill(session, n: int = 6) -> None:
    with session.write():
        for i in range(n):
            session.audit("update", "deputy", f"d{i}", before={"name": f"旧{i}"},
                          after={"name": f"新{i}"})


def _check(path) -> object:
    db = storage_db.open_database(path)
    try:
        return check_chain(audit.chain_rows(db, batch=2), audit.head(db))
    finally:
        storage_db.close(db)


def _tamper(path, *statements: str, params=()) -> None:
    """What someone with the file and the sqlite3 shell could do: drop the
    triggers, change rows, leave."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DROP TRIGGER audit_head_forward")
        for s in statements:
            conn.execute(s, params)
    finally:
        conn.close()


def _seqs(session) -> list[int]:
    return [r[0] for r in session.db.execute("SELECT seq FROM audit ORDER BY seq").fetchall()]


def test_a_clean_trail_verifies(session):
    _fill(session)
    report = _check(session.path)
    assert report.ok and report.checked == len(_seqs(session)) >= 7


def test_each_row_is_chained_to_the_one_before(session):
    _fill(session, 2)
    rows = session.db.execute("SELECT seq, prev_hash, hash FROM audit ORDER BY seq").fetchall()
    assert rows[0][1] == GENESIS
    for before, row in zip(rows, rows[1:]):
        assert row[1] == before[2]
    assert audit.head(session.db) == (rows[-1][0], rows[-1][2])


def test_the_triggers_still_refuse_update_and_delete(session):
    _fill(session, 1)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        session.db.execute("UPDATE audit SET actor = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        session.db.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.IntegrityError):
        session.db.execute("DELETE FROM audit_head")
    with pytest.raises(sqlite3.IntegrityError):
        session.db.execute("UPDATE audit_head SET seq = 1")


def test_a_row_without_a_hash_is_refused(session):
    with pytest.raises(sqlite3.IntegrityError, match="hash"):
        session.db.execute("INSERT INTO audit(at, actor, action, object_type) "
                           "VALUES ('2026-03-09T10:00:00+08:00', 'x', 'y', 'z')")


def test_an_edited_row_is_found(session):
    _fill(session)
    target = _seqs(session)[3]
    session.close()
    _tamper(session.path, f"UPDATE audit SET after = '{{\"name\": \"改\"}}' WHERE seq = {target}")
    report = _check(session.path)
    assert (report.problem, report.seq) == (ChainProblem.EDITED, target)


def test_an_edited_result_is_found(session):
    _fill(session)
    target = _seqs(session)[-1]
    session.close()
    _tamper(session.path, f"UPDATE audit SET result = 'failed' WHERE seq = {target}")
    assert _check(session.path).problem is ChainProblem.EDITED


def test_a_deleted_row_is_found(session):
    _fill(session)
    seqs = _seqs(session)
    session.close()
    _tamper(session.path, f"DELETE FROM audit WHERE seq = {seqs[2]}")
    report = _check(session.path)
    assert (report.problem, report.seq) == (ChainProblem.REMOVED, seqs[3])
    assert report.detail == {"first": seqs[2], "last": seqs[2]}


def test_deleted_first_rows_are_found(session):
    _fill(session)
    seqs = _seqs(session)
    session.close()
    _tamper(session.path, f"DELETE FROM audit WHERE seq <= {seqs[1]}")
    assert _check(session.path).problem is ChainProblem.REMOVED


def test_a_cut_tail_is_found(session):
    _fill(session)
    seqs = _seqs(session)
    session.close()
    _tamper(session.path, f"DELETE FROM audit WHERE seq >= {seqs[-2]}")
    report = _check(session.path)
    assert (report.problem, report.seq) == (ChainProblem.TAIL_CUT, seqs[-3])
    assert report.detail == {"last": seqs[-1]}


def test_a_cut_tail_with_the_checkpoint_moved_back_is_found(session):
    """Moving the checkpoint back needs its hash too: without it the checkpoint
    no longer matches the new last row."""
    _fill(session)
    seqs = _seqs(session)
    session.close()
    _tamper(session.path, f"DELETE FROM audit WHERE seq = {seqs[-1]}",
            f"UPDATE audit_head SET seq = {seqs[-2]}")
    assert _check(session.path).problem is ChainProblem.CHECKPOINT


def test_rows_added_behind_the_checkpoint_are_found(session):
    _fill(session, 2)
    last = _seqs(session)[-1]
    session.close()
    conn = sqlite3.connect(session.path, isolation_level=None)
    prev = conn.execute("SELECT hash FROM audit WHERE seq = ?", [last]).fetchone()[0]
    row = {"seq": last + 1, "at": "2026-03-09T11:00:00+08:00", "actor": "x",
           "action": "delete", "object_type": "deputy", "object_id": None,
           "before": None, "after": None, "result": "ok"}
    conn.execute("DROP TRIGGER audit_chained")
    conn.execute("INSERT INTO audit(seq, at, actor, action, object_type, result, prev_hash, hash)"
                 " VALUES (:seq, :at, :actor, :action, :object_type, :result, :p, :h)",
                 {**row, "p": prev, "h": chain_hash(prev, row)})
    conn.close()
    report = _check(session.path)
    assert (report.problem, report.seq) == (ChainProblem.ADDED, last)


def test_reordered_rows_are_found(session):
    """Two rows swap their contents, each given a hash that fits its own fields:
    every row looks whole, but the second no longer follows the first."""
    _fill(session)
    a, b = _seqs(session)[2:4]
    session.close()
    conn = sqlite3.connect(session.path, isolation_level=None)
    cols = "at, actor, action, object_type, object_id, before, after, result"
    ra = conn.execute(f"SELECT {cols}, prev_hash FROM audit WHERE seq = ?", [a]).fetchone()
    rb = conn.execute(f"SELECT {cols}, prev_hash FROM audit WHERE seq = ?", [b]).fetchone()
    for trig in ("audit_no_update", "audit_no_delete"):
        conn.execute(f"DROP TRIGGER {trig}")
    names = cols.split(", ")
    for seq, content, prev in ((a, rb[:-1], ra[-1]), (b, ra[:-1], rb[-1])):
        row = {"seq": seq, **dict(zip(names, content))}
        conn.execute(f"UPDATE audit SET {', '.join(n + ' = ?' for n in names)}, hash = ?"
                     " WHERE seq = ?", [*content, chain_hash(prev, row), seq])
    conn.close()
    report = _check(session.path)
    assert (report.problem, report.seq) == (ChainProblem.REORDERED, b)


def test_a_missing_checkpoint_is_found(session):
    _fill(session, 1)
    session.close()
    conn = sqlite3.connect(session.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_head_no_delete")
    conn.execute("DELETE FROM audit_head")
    conn.close()
    assert _check(session.path).problem is ChainProblem.CHECKPOINT


def test_rows_written_before_the_chain_are_chained_by_the_migration(tmp_path):
    """A database of step 6 with audit rows: step 7 chains them in order."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in migrations.MIGRATIONS[:6]:
        for statement in storage_db._split_sql(step()):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {storage_db.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 6")
    for i in range(5):
        conn.execute("INSERT INTO audit(at, actor, action, object_type, object_id, after)"
                     " VALUES (?, 'clerk', 'create', 'deputy', ?, ?)",
                     [f"2026-01-0{i + 1}T09:00:00+08:00", f"d{i}", '{"name": "金"}'])
    conn.close()
    db = storage_db.open_database(path)
    assert check_chain(audit.chain_rows(db), audit.head(db)).checked == 5
    audit.record(db, at="2026-03-09T10:00:00+08:00", actor="clerk", action="backup",
                 object_type="database")
    report = check_chain(audit.chain_rows(db), audit.head(db))
    assert report.ok and report.checked == 6
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE audit SET actor = 'x' WHERE seq = 1")
    storage_db.close(db)


def test_record_continues_after_a_cut_tail_without_reusing_a_seq(session):
    """A new row after a cut keeps its own seq, so the cut stays visible."""
    _fill(session, 3)
    seqs = _seqs(session)
    session.close()
    _tamper(session.path, f"DELETE FROM audit WHERE seq = {seqs[-1]}")
    db = storage_db.open_database(session.path)
    seq = audit.record(db, at="2026-03-09T10:00:00+08:00", actor="a", action="x",
                       object_type="y")
    assert seq == seqs[-1] + 1
    report = check_chain(audit.chain_rows(db), audit.head(db))
    assert (report.problem, report.seq) == (ChainProblem.REMOVED, seq)
    storage_db.close(db)
