"""Retention: finding and purging personal data that is past its time.

The purge overwrites in place (``PRAGMA secure_delete`` is on for every
connection, see db.py) and then truncates the WAL, so the old values are gone
from the database file and its WAL, not merely unlinked.
"""
from __future__ import annotations

import json

import sqlite_utils

from station_desk.domain.masking import PURGED_KEYS, PURGED_MARK
from station_desk.storage.cases import spaced

# a case is finished for the retention clock when it is archived or closed;
# ``updated_at`` is the time of its last step (both states are final)
_FINISHED = ("archived", "closed")


def _voters_sql(cutoff: str) -> tuple[str, list]:
    """Voters whose every case finished before ``cutoff`` (ISO date) and who are
    not purged yet."""
    marks = ",".join("?" * len(_FINISHED))
    return (f"SELECT v.id FROM voters v WHERE v.purged_at IS NULL AND v.deleted = 0 "
            f"AND EXISTS (SELECT 1 FROM cases c WHERE c.voter_id = v.id) "
            f"AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.voter_id = v.id AND c.deleted = 0 "
            f"AND (c.state NOT IN ({marks}) OR substr(c.updated_at, 1, 10) >= ?))",
            [*_FINISHED, cutoff])


def eligible_voters(db: sqlite_utils.Database, *, cutoff: str) -> list[str]:
    """Ids of the voters a purge with this cutoff would clear."""
    sql, params = _voters_sql(cutoff)
    return [r[0] for r in db.execute(sql, params)]


def _outsiders_sql(cutoff: str) -> tuple[str, list]:
    return ("SELECT i.id FROM activity_invitees i JOIN activities a ON a.id = i.activity_id "
            "WHERE i.deputy_id IS NULL AND i.phone != '' AND substr(a.ends_at, 1, 10) < ?",
            [cutoff])


def eligible_outsiders(db: sqlite_utils.Database, *, cutoff: str) -> list[str]:
    """Ids of the outside participants of activities that ended before ``cutoff``
    whose phone is still kept."""
    sql, params = _outsiders_sql(cutoff)
    return [r[0] for r in db.execute(sql, params)]


def purge_voter(db: sqlite_utils.Database, voter_id: str, *, at: str) -> int:
    """Replace a voter's name, phone and ID number with the purge mark in the
    voter row, in their cases' projection and search index, and in the personal
    keys of their case events (the one update the case_events trigger allows);
    returns the number of events redacted.  The caller holds the transaction."""
    db.execute("UPDATE voters SET name = ?, phone = '', id_number = '', purged_at = ? "
               "WHERE id = ?", [PURGED_MARK, at, voter_id])
    redacted = 0
    for c in db.query("SELECT id, rowkey, voter_name, village, words FROM cases "
                      "WHERE voter_id = ?", [voter_id]):
        # a contentless FTS5 row is removed by naming the values it was indexed with
        db.execute("INSERT INTO case_search(case_search, rowid, words, name, village) "
                   "VALUES ('delete', ?, ?, ?, ?)",
                   [c["rowkey"], spaced(c["words"]), spaced(c["voter_name"]),
                    spaced(c["village"])])
        db.execute("INSERT INTO case_search(rowid, words, name, village) VALUES (?, ?, ?, ?)",
                   [c["rowkey"], spaced(c["words"]), "", spaced(c["village"])])
        db.execute("UPDATE cases SET voter_name = ? WHERE id = ?", [PURGED_MARK, c["id"]])
        for e in db.query("SELECT id, data FROM case_events WHERE case_id = ? AND redacted = 0",
                          [c["id"]]):
            data = json.loads(e["data"])
            keys = [k for k in PURGED_KEYS if data.get(k) not in (None, "", PURGED_MARK)]
            if not keys:
                continue
            data.update({k: PURGED_MARK for k in keys})
            db.execute("UPDATE case_events SET data = ?, redacted = 1 WHERE id = ?",
                       [json.dumps(data, ensure_ascii=False, sort_keys=True), e["id"]])
            redacted += 1
    return redacted


def purge_outsider_phone(db: sqlite_utils.Database, invitee_id: str) -> None:
    db.execute("UPDATE activity_invitees SET phone = '' WHERE id = ?", [invitee_id])


def compact_search(db: sqlite_utils.Database) -> None:
    """Merge the search index into one segment so the old segments (holding
    the purged names' tokens) are freed, and so overwritten."""
    db.execute("INSERT INTO case_search(case_search) VALUES ('optimize')")


def checkpoint_truncate(db: sqlite_utils.Database) -> bool:
    """Copy the WAL into the database file and truncate it to zero bytes;
    False when another connection's reader kept part of it (try again later)."""
    busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0
