"""SQL of sync bundles: keys, peers, histories, the rows a bundle carries and
the upsert that applies an incoming bundle (one transaction, parents first)."""
from __future__ import annotations

import contextlib
import json
import sqlite3
from typing import Callable, Iterable, Iterator

import sqlite_utils

from station_desk.domain import bundles as rule
from station_desk.domain.bundles import SchemaMismatch
from station_desk.storage import db as storage_db

SYNC_COLUMNS = ("id", "origin", "row_version", "change_seq", "deleted")
# tables the county writes (origin = county); everything else synced belongs to a station
COUNTY_TABLES = ("county_replies",)
# columns numbered by each database for itself (the case list's order and its
# search index): an incoming row gets the next local number, an update keeps it
LOCAL_COLUMNS = {"cases": "rowkey"}
CHUNK = 500
MAX_CONFLICTS_KEPT = 200


# -- keys and peers ---------------------------------------------------------------

def get_keys(db: sqlite_utils.Database) -> dict | None:
    rows = list(db.query("SELECT * FROM bundle_keys WHERE id = 1"))
    return rows[0] if rows else None


def save_keys(db: sqlite_utils.Database, *, keys: dict, created_at: str) -> None:
    db.execute("INSERT INTO bundle_keys (id, signing_private, signing_public, age_identity, "
               "age_recipient, fingerprint, created_at) VALUES (1, ?, ?, ?, ?, ?, ?)",
               [keys["signing_private"], keys["signing_public"], keys["age_identity"],
                keys["age_recipient"], keys["fingerprint"], created_at])


def mark_keys_backed_up(db: sqlite_utils.Database, *, at: str) -> None:
    db.execute("UPDATE bundle_keys SET backed_up_at = ? WHERE id = 1", [at])


def get_peer(db: sqlite_utils.Database, code: str) -> dict | None:
    rows = list(db.query("SELECT * FROM bundle_peers WHERE code = ?", [code]))
    return rows[0] if rows else None


def peers(db: sqlite_utils.Database, *, kind: str) -> list[dict]:
    return list(db.query("SELECT * FROM bundle_peers WHERE kind = ? ORDER BY code", [kind]))


def save_peer(db: sqlite_utils.Database, *, peer: dict) -> None:
    """Insert or replace the peer's keys and names; its counters are kept."""
    db.execute(
        "INSERT INTO bundle_peers (code, kind, name, name_ko, county, signing_public, "
        "age_recipient, fingerprint, enrolled_at, enrolled_by) VALUES (?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(code) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
        "name_ko = excluded.name_ko, county = excluded.county, "
        "signing_public = excluded.signing_public, age_recipient = excluded.age_recipient, "
        "fingerprint = excluded.fingerprint, enrolled_at = excluded.enrolled_at, "
        "enrolled_by = excluded.enrolled_by",
        [peer["code"], peer["kind"], peer.get("name", ""), peer.get("name_ko", ""),
         peer.get("county", ""), peer["signing_public"], peer["age_recipient"],
         peer["fingerprint"], peer["enrolled_at"], peer.get("enrolled_by", "")])


def update_peer(db: sqlite_utils.Database, code: str, **fields: object) -> None:
    allowed = {"acked_seq", "received_seq", "last_serial_in", "last_serial_out"}
    if not fields or set(fields) - allowed:
        raise ValueError(fields)
    sets = ", ".join(f"{k} = ?" for k in fields)
    db.execute(f"UPDATE bundle_peers SET {sets} WHERE code = ?", [*fields.values(), code])


# -- what is synced ---------------------------------------------------------------

def table_columns(db: sqlite_utils.Database, table: str) -> dict[str, dict]:
    return {r[1]: {"type": (r[2] or "").upper(), "notnull": bool(r[3]),
                   "default": r[4], "pk": bool(r[5])}
            for r in db.execute(f"PRAGMA table_info({table})").fetchall()}


def sync_tables(db: sqlite_utils.Database) -> list[str]:
    """Every table with the sync columns, parents before children (by their
    foreign keys), so an import inserts a row after the rows it points at."""
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()]
    synced = [n for n in names if set(SYNC_COLUMNS) <= set(table_columns(db, n))]
    parents = {n: {r[2] for r in db.execute(f"PRAGMA foreign_key_list({n})").fetchall()
                   if r[2] != n and r[2] in synced} for n in synced}
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(synced):
        ready = [n for n in synced if n not in placed and parents[n] <= placed]
        if not ready:  # a cycle: keep the rest in name order (foreign keys are deferred)
            ready = [n for n in synced if n not in placed]
        for n in ready:
            order.append(n)
            placed.add(n)
    return order


def station_tables(db: sqlite_utils.Database) -> list[str]:
    return [t for t in sync_tables(db) if t not in COUNTY_TABLES]


def current_seq(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT seq FROM sync_counter WHERE id = 1").fetchone()[0]


def changed_rows(db: sqlite_utils.Database, table: str, *, origin: str, above: int,
                 where: str = "", params: Iterable = ()) -> Iterator[dict]:
    """Rows of ``origin`` with ``change_seq`` above ``above`` (tombstones too),
    oldest change first, streamed."""
    cur = db.conn.execute(
        f"SELECT * FROM {table} WHERE origin = ? AND change_seq > ? {where} "
        "ORDER BY change_seq", [origin, above, *params])
    cols = [d[0] for d in cur.description]
    while batch := cur.fetchmany(1000):
        for r in batch:
            yield dict(zip(cols, r))


def count_changed(db: sqlite_utils.Database, table: str, *, origin: str, above: int) -> int:
    return db.execute(f"SELECT count(*) FROM {table} WHERE origin = ? AND change_seq > ?",
                      [origin, above]).fetchone()[0]


def travelling_voters(db: sqlite_utils.Database, *, origin: str) -> set[str]:
    """Voters whose data may go to the county (docs/privacy.md): the voter of a
    case forwarded to a county unit or turned into a suggestion, not
    confidential, with written consent."""
    return {r[0] for r in db.execute(
        "SELECT v.id FROM voters v WHERE v.origin = ? AND v.consent = 1 AND v.id IN ("
        " SELECT voter_id FROM cases WHERE origin = ? AND deleted = 0 AND confidential = 0"
        " AND route IN ('county', 'suggestion') AND voter_id IS NOT NULL)",
        [origin, origin]).fetchall()}


def voters_to_send(db: sqlite_utils.Database, *, origin: str, above: int,
                   ids: set[str]) -> Iterator[dict]:
    """Travelling voters changed above ``above`` or whose case changed (a case
    forwarded to the county today brings its voter along)."""
    if not ids:
        return
    cur = db.conn.execute(
        "SELECT * FROM voters v WHERE v.origin = ? AND (v.change_seq > ? OR EXISTS ("
        " SELECT 1 FROM cases c WHERE c.voter_id = v.id AND c.change_seq > ?)) "
        "ORDER BY v.change_seq", [origin, above, above])
    cols = [d[0] for d in cur.description]
    for r in cur:
        row = dict(zip(cols, r))
        if row["id"] in ids:
            yield row


# -- applying an incoming bundle --------------------------------------------------

@contextlib.contextmanager
def import_transaction(db: sqlite_utils.Database, *, commit: bool) -> Iterator[None]:
    """One transaction for a whole bundle: foreign keys checked at the end
    (rows of one table may point at each other), rolled back on any error or
    when ``commit`` is False (the dry run)."""
    conn = db.conn
    with storage_db.sqlite_errors():
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            yield
            conn.execute("COMMIT" if commit else "ROLLBACK")
        except sqlite3.IntegrityError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise SchemaMismatch(detail=str(exc)) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _check_row(row: dict, table: str, columns: dict[str, dict], line: int) -> None:
    where = f"{table} row {line}"
    unknown = set(row) - set(columns)
    if unknown:
        raise SchemaMismatch(detail=f"{where}: unknown column {sorted(unknown)[0][:40]}")
    for key in ("id", "origin", "row_version", "deleted"):
        if key not in row:
            raise SchemaMismatch(detail=f"{where}: no {key}")
    if not isinstance(row["id"], str) or not 0 < len(row["id"]) <= 64:
        raise SchemaMismatch(detail=f"{where}: id")
    if not isinstance(row["origin"], str) or not 0 < len(row["origin"]) <= 64:
        raise SchemaMismatch(detail=f"{where}: origin")
    if type(row["row_version"]) is not int or row["row_version"] < 1:
        raise SchemaMismatch(detail=f"{where}: row_version")
    if row["deleted"] not in (0, 1) or isinstance(row["deleted"], bool):
        raise SchemaMismatch(detail=f"{where}: deleted")
    for k, v in row.items():
        if v is not None and not isinstance(v, (str, int, float, bytes)):
            raise SchemaMismatch(detail=f"{where}: {k}")


def _same(incoming: dict, existing: dict, local: str | None = None) -> bool:
    return all(existing.get(k) == v for k, v in incoming.items()
               if k != "change_seq" and k != local)


def apply_table(db: sqlite_utils.Database, table: str, rows: Iterable[dict], *,
                sender: str, check: Callable[[dict], tuple[str, dict] | None] | None = None,
                on_row: Callable[[], None] | None = None) -> dict:
    """Apply the incoming ``rows`` of ``table`` (attachments already decoded)
    inside the caller's transaction; returns the table's summary: a count per
    outcome (domain.bundles.OUTCOMES) and the conflicts with their reasons.

    ``check(row)`` may refuse a row with (reason msgid, params); it is then a
    conflict.  ``on_row`` is called once per row (progress, cancel)."""
    columns = table_columns(db, table)
    counts = {o: 0 for o in rule.OUTCOMES}
    conflicts: list[dict] = []
    seen: set[str] = set()
    line = 0

    def conflict(row: dict, reason: str, params: dict | None = None) -> None:
        counts[rule.CONFLICT] += 1
        if len(conflicts) < MAX_CONFLICTS_KEPT:
            conflicts.append({"table": table, "id": row["id"], "origin": row["origin"],
                              "reason": reason, "params": params or {}})

    chunk: list[dict] = []
    local = LOCAL_COLUMNS.get(table)
    next_local = [0]
    if local is not None:
        next_local[0] = db.conn.execute(
            f"SELECT coalesce(max({local}), 0) FROM {table}").fetchone()[0]

    def flush() -> None:
        ids = [r["id"] for r in chunk]
        marks = ",".join("?" * len(ids))
        existing = {r[0]: {"origin": r[1], "row_version": r[2], "deleted": r[3]}
                    for r in db.conn.execute(
                        f"SELECT id, origin, row_version, deleted FROM {table} "
                        f"WHERE id IN ({marks})", ids)}
        same_ids = [r["id"] for r in chunk if r["id"] in existing
                    and existing[r["id"]]["row_version"] == r["row_version"]]
        full: dict[str, dict] = {}
        if same_ids:
            cur = db.conn.execute(f"SELECT * FROM {table} WHERE id IN "
                                  f"({','.join('?' * len(same_ids))})", same_ids)
            cols = [d[0] for d in cur.description]
            full = {r[0]: dict(zip(cols, r)) for r in cur}
        inserts: dict[tuple, list[list]] = {}
        updates: list[dict] = []
        for row in chunk:
            ex = existing.get(row["id"])
            same = _same(row, full[row["id"]], local) if row["id"] in full else None
            outcome, reason = rule.classify(row, ex, sender=sender, same_content=same)
            if outcome == rule.CONFLICT:
                conflict(row, reason, {"origin": ex["origin"] if ex and reason ==
                                       rule.REASON_TAKEN else row["origin"]})
                continue
            if outcome in (rule.UNCHANGED, rule.OLDER):
                counts[outcome] += 1
                continue
            if check is not None:
                refused = check(row)
                if refused is not None:
                    conflict(row, *refused)
                    continue
            data = {k: v for k, v in row.items() if k != "change_seq" and k != local}
            if ex is None:
                if local is not None:
                    next_local[0] += 1
                    data[local] = next_local[0]
                keys = tuple(data)
                inserts.setdefault(keys, []).append([data[k] for k in keys])
            else:
                updates.append(data)
            counts[outcome] += 1
        for keys, values in inserts.items():
            sql = (f"INSERT INTO {table} ({', '.join(keys)}) "
                   f"VALUES ({', '.join('?' * len(keys))})")
            try:
                db.conn.execute("SAVEPOINT bundle_rows")
                db.conn.executemany(sql, values)
                db.conn.execute("RELEASE bundle_rows")
            except sqlite3.IntegrityError:
                db.conn.execute("ROLLBACK TO bundle_rows")
                db.conn.execute("RELEASE bundle_rows")
                for v in values:  # find the rows the database refuses, keep the rest
                    try:
                        db.conn.execute(sql, v)
                    except sqlite3.IntegrityError as exc:
                        row = dict(zip(keys, v))
                        counts[rule.DELETED if row["deleted"] else rule.NEW] -= 1
                        conflict(row, rule.REASON_CONSTRAINT, {"detail": str(exc)})
        for data in updates:
            keys = [k for k in data if k != "id"]
            try:
                db.conn.execute(f"UPDATE {table} SET {', '.join(k + ' = ?' for k in keys)} "
                                "WHERE id = ?", [*(data[k] for k in keys), data["id"]])
            except sqlite3.IntegrityError as exc:
                counts[rule.DELETED if data["deleted"] else rule.UPDATED] -= 1
                conflict(data, rule.REASON_CONSTRAINT, {"detail": str(exc)})
        chunk.clear()

    for row in rows:
        line += 1
        _check_row(row, table, columns, line)
        if row["id"] in seen:
            raise SchemaMismatch(detail=f"{table} row {line}: id twice")
        seen.add(row["id"])
        chunk.append(row)
        if on_row is not None:
            on_row()
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    return {"rows": line, **counts, "conflict_list": conflicts}


def exists(db: sqlite_utils.Database, table: str, row_id: str, *, origin: str) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE id = ? AND origin = ?",
                      [row_id, origin]).fetchone() is not None


# -- histories ----------------------------------------------------------------------

def record_export(db: sqlite_utils.Database, *, row: dict) -> None:
    db["bundle_exports"].insert({**row, "counts": json.dumps(row["counts"], sort_keys=True)})


def exports(db: sqlite_utils.Database, *, peer: str | None = None, limit: int = 200) -> list[dict]:
    where, params = ("WHERE peer = ?", [peer]) if peer else ("", [])
    rows = list(db.query(f"SELECT * FROM bundle_exports {where} "
                         "ORDER BY created_at DESC, serial DESC LIMIT ?", [*params, limit]))
    for r in rows:
        r["counts"] = json.loads(r["counts"])
    return rows


def record_import(db: sqlite_utils.Database, *, row: dict) -> None:
    db["bundle_imports"].insert({**row, "summary": json.dumps(row["summary"], sort_keys=True,
                                                             ensure_ascii=False)})


def get_import(db: sqlite_utils.Database, bundle_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM bundle_imports WHERE bundle_id = ?", [bundle_id]))
    if not rows:
        return None
    rows[0]["summary"] = json.loads(rows[0]["summary"])
    return rows[0]


def imports(db: sqlite_utils.Database, *, peer: str | None = None,
            limit: int = 200) -> list[dict]:
    where, params = ("WHERE peer = ?", [peer]) if peer else ("", [])
    rows = list(db.query(f"SELECT * FROM bundle_imports {where} "
                         "ORDER BY imported_at DESC, serial DESC LIMIT ?", [*params, limit]))
    for r in rows:
        r["summary"] = json.loads(r["summary"])
    return rows


def import_serials(db: sqlite_utils.Database, peer: str) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT serial FROM bundle_imports WHERE peer = ? ORDER BY serial", [peer])]


def station_overview(db: sqlite_utils.Database) -> list[dict]:
    """Each enrolled station with its last import and the periods it covered."""
    return list(db.query(
        "SELECT p.*, (SELECT max(imported_at) FROM bundle_imports i WHERE i.peer = p.code)"
        " AS last_imported_at,"
        " (SELECT min(period) FROM bundle_imports i WHERE i.peer = p.code) AS first_period,"
        " (SELECT max(period) FROM bundle_imports i WHERE i.peer = p.code) AS last_period,"
        " (SELECT count(*) FROM bundle_imports i WHERE i.peer = p.code) AS bundles"
        " FROM bundle_peers p WHERE p.kind = 'station' ORDER BY p.code"))


def lock_period(db: sqlite_utils.Database, *, peer: str, period: str, at: str, by: str,
                bundle_id: str | None) -> bool:
    """Lock ``period`` for ``peer`` unless it is locked; True when this call locked it."""
    cur = db.execute("INSERT OR IGNORE INTO period_locks (peer, period, locked_at, locked_by, "
                     "bundle_id) VALUES (?, ?, ?, ?, ?)", [peer, period, at, by, bundle_id])
    return cur.rowcount == 1


def period_locks(db: sqlite_utils.Database, *, peer: str | None = None) -> list[dict]:
    where, params = ("WHERE peer = ?", [peer]) if peer else ("", [])
    return list(db.query(f"SELECT * FROM period_locks {where} ORDER BY peer, period", params))


def is_locked(db: sqlite_utils.Database, *, peer: str, period: str) -> bool:
    return db.execute("SELECT 1 FROM period_locks WHERE peer = ? AND period = ?",
                      [peer, period]).fetchone() is not None


# -- county rows ---------------------------------------------------------------------

def insert_county_reply(db: sqlite_utils.Database, *, row: dict) -> None:
    db["county_replies"].insert(row)


def county_replies(db: sqlite_utils.Database, case_id: str) -> list[dict]:
    return list(db.query("SELECT * FROM county_replies WHERE case_id = ? AND deleted = 0 "
                         "ORDER BY at, id", [case_id]))


def replies_for_station(db: sqlite_utils.Database, *, county: str, station: str,
                        above: int) -> Iterator[dict]:
    return changed_rows(db, "county_replies", origin=county, above=above,
                        where="AND case_id IN (SELECT id FROM cases WHERE origin = ?)",
                        params=[station])


def forwarded_cases(db: sqlite_utils.Database, *, station: str | None = None) -> list[dict]:
    """Cases forwarded to a county unit or turned into a suggestion, with how
    many county replies each has."""
    where, params = ("AND c.origin = ?", [station]) if station else ("", [])
    return list(db.query(
        "SELECT c.id, c.origin, c.number, c.registered_on, c.category, c.route,"
        " c.responsible_unit, c.state, c.due_on, c.words, c.confidential,"
        " (SELECT count(*) FROM county_replies r WHERE r.case_id = c.id AND r.deleted = 0)"
        " AS replies FROM cases c WHERE c.deleted = 0 AND c.route IN ('county', 'suggestion') "
        f"{where} ORDER BY c.origin, c.registered_on, c.number", params))


def roster_for(db: sqlite_utils.Database) -> list[dict]:
    """The county's reference roster: every station's live deputies with their
    levels and mandate statuses (no phone: the station has its own)."""
    return list(db.query(
        "SELECT d.origin AS station, d.id AS deputy_id, d.name, d.name_ko,"
        " coalesce((SELECT group_concat(m.level, ',') FROM mandates m"
        "  WHERE m.deputy_id = d.id AND m.deleted = 0), '') AS levels,"
        " coalesce((SELECT group_concat(m.status, ',') FROM mandates m"
        "  WHERE m.deputy_id = d.id AND m.deleted = 0), '') AS status"
        " FROM deputies d WHERE d.deleted = 0 ORDER BY d.origin, d.name"))


def replace_county_roster(db: sqlite_utils.Database, rows: Iterable[dict]) -> int:
    db.execute("DELETE FROM county_roster")
    n = 0
    for r in rows:
        db.execute("INSERT OR REPLACE INTO county_roster (station, deputy_id, name, name_ko, "
                   "levels, status) VALUES (?, ?, ?, ?, ?, ?)",
                   [str(r.get("station", ""))[:64], str(r.get("deputy_id", ""))[:64],
                    str(r.get("name", ""))[:200], str(r.get("name_ko", ""))[:200],
                    str(r.get("levels", ""))[:200], str(r.get("status", ""))[:200]])
        n += 1
    return n


def county_roster(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM county_roster ORDER BY station, name"))
