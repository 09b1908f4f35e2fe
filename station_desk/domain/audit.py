"""The audit trail's hash chain and what a check of it found.

Each audit row stores the hash of the row before it (``prev_hash``) and its own
``hash = sha256(prev_hash || canonical JSON of its fields, seq included)``.  A
checkpoint (the newest seq and hash, kept apart from the rows) catches the
newest rows being cut off, which the chain alone cannot see.

The chain makes a change visible; it cannot stop someone who has the file, the
program's source and time to recompute every hash after his edit.  It is one
layer with the append-only triggers and the backups (which hold older copies
of the same chain).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Iterable

from station_desk.domain.errors import N_

GENESIS = "0" * 64  # prev_hash of the first row
# the fields each hash covers, in the order of the rows handed to check_chain
CHAIN_FIELDS = ("seq", "at", "actor", "action", "object_type", "object_id", "before",
                "after", "result")


class AuditResult(StrEnum):
    OK = "ok"
    FAILED = "failed"  # tried, did not work (disk full, printer off, …)
    REFUSED = "refused"  # not permitted, wrong password, …
    LOCKED = "locked"  # a sign-in refused because the account is locked


RESULT_LABELS = {
    AuditResult.OK: N_("Succeeded"),
    AuditResult.FAILED: N_("Failed"),
    AuditResult.REFUSED: N_("Refused"),
    AuditResult.LOCKED: N_("Account locked"),
}


# one encoder for every row: json.dumps with options builds a new one per call
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical(row: dict) -> bytes:
    """The bytes a row's hash covers: its fields as compact, key-sorted JSON.
    ``before`` / ``after`` enter as the JSON text stored, not re-encoded."""
    return _ENCODER.encode({k: row.get(k) for k in CHAIN_FIELDS}).encode("utf-8")


def chain_hash(prev_hash: str, row: dict) -> str:
    """The hash of ``row`` following a row whose hash is ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(row)).hexdigest()


class ChainProblem(StrEnum):
    EDITED = "edited"  # a row's fields no longer match its hash
    REMOVED = "removed"  # rows are missing before this one
    REORDERED = "reordered"  # the row does not follow the one before it
    TAIL_CUT = "tail_cut"  # the newest rows are gone
    ADDED = "added"  # rows after the checkpoint, not written by the program
    CHECKPOINT = "checkpoint"  # the checkpoint itself is missing or altered


PROBLEM_LABELS = {
    ChainProblem.EDITED: N_("Entry {seq} was changed after it was written."),
    ChainProblem.REMOVED: N_("Entries {first} to {last} were removed (the entry before {seq} "
                             "is missing)."),
    ChainProblem.REORDERED: N_("Entry {seq} does not follow the entry before it: entries were "
                               "moved, replaced or inserted."),
    ChainProblem.TAIL_CUT: N_("The newest entries were removed: the trail ends at entry "
                              "{seq} but entry {last} had been written."),
    ChainProblem.ADDED: N_("Entries after {seq} were added outside the program."),
    ChainProblem.CHECKPOINT: N_("The record of the newest entry is missing or was changed."),
}


@dataclass(frozen=True)
class ChainReport:
    """What :func:`check_chain` found: ``ok``, or the first problem at ``seq``."""

    checked: int
    problem: ChainProblem | None = None
    seq: int | None = None  # the first row where the problem shows
    detail: dict = field(default_factory=dict)  # placeholders of the problem's message
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def msgid(self) -> str | None:
        return PROBLEM_LABELS[self.problem] if self.problem else None

    @property
    def params(self) -> dict:
        return {"seq": self.seq, **self.detail}


def check_chain(rows: Iterable[tuple], head: tuple[int, str] | None) -> ChainReport:
    """Walk ``rows`` (tuples of CHAIN_FIELDS + (prev_hash, hash), in seq order)
    and compare the last with the checkpoint ``head`` = (seq, hash); stops at
    the first problem."""
    expected, last_seq, checked = GENESIS, 0, 0
    encode, sha256, n = _ENCODER.encode, hashlib.sha256, len(CHAIN_FIELDS)
    for values in rows:
        row = dict(zip(CHAIN_FIELDS, values))
        prev_hash, stored = values[n], values[n + 1]
        seq = values[0]
        if not stored or not prev_hash or sha256(
                prev_hash.encode("ascii") + encode(row).encode("utf-8")).hexdigest() != stored:
            return ChainReport(checked, ChainProblem.EDITED, seq)
        if prev_hash != expected:
            if seq > last_seq + 1:
                return ChainReport(checked, ChainProblem.REMOVED, seq,
                                   {"first": last_seq + 1, "last": seq - 1})
            return ChainReport(checked, ChainProblem.REORDERED, seq)
        expected, last_seq = stored, seq
        checked += 1
    if head is None:
        if checked:
            return ChainReport(checked, ChainProblem.CHECKPOINT, last_seq)
        return ChainReport(checked)
    head_seq, head_hash = head
    if head_seq > last_seq:
        return ChainReport(checked, ChainProblem.TAIL_CUT, last_seq, {"last": head_seq})
    if head_seq < last_seq:
        return ChainReport(checked, ChainProblem.ADDED, head_seq)
    if head_hash != (expected if checked else GENESIS):
        return ChainReport(checked, ChainProblem.CHECKPOINT, last_seq)
    return ChainReport(checked)
