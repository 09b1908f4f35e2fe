"""Numbered, append-only migrations.  Never edit a released step: add one.

``PRAGMA user_version`` holds the number of steps applied.
"""
from __future__ import annotations

from station_desk.storage.sync import SYNC_COLUMNS_SQL as S, sync_triggers


def _m001_foundation() -> str:
    return f"""
CREATE TABLE sync_counter (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT INTO sync_counter VALUES (1, 0);

-- local settings of this installation; never synced
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

-- append-only audit trail: who, when, action, object, before/after
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    before TEXT,
    after TEXT
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE INDEX audit_object ON audit(object_type, object_id);

CREATE TABLE station ({S},
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_ko TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    opening_hours TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    rooms TEXT NOT NULL DEFAULT '',
    bilingual_order TEXT NOT NULL DEFAULT 'zh-ko'
);
{sync_triggers("station")}

CREATE TABLE staff ({S},
    name TEXT NOT NULL,
    name_ko TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    since TEXT,
    until TEXT
);
{sync_triggers("staff")}

CREATE TABLE deputy_groups ({S},
    name_zh TEXT NOT NULL,
    name_ko TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0
);
{sync_triggers("deputy_groups")}

CREATE TABLE deputies ({S},
    name TEXT NOT NULL,
    name_ko TEXT NOT NULL DEFAULT '',
    sex TEXT,
    ethnicity TEXT,
    birth_date TEXT,
    party TEXT,
    unit TEXT NOT NULL DEFAULT '',
    post TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    village TEXT NOT NULL DEFAULT '',
    group_id TEXT REFERENCES deputy_groups(id),
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX deputies_name ON deputies(name);
CREATE INDEX deputies_group ON deputies(group_id);
{sync_triggers("deputies")}

CREATE TABLE deputy_photos ({S},
    deputy_id TEXT NOT NULL UNIQUE REFERENCES deputies(id),
    mime TEXT NOT NULL,
    data BLOB NOT NULL
);
{sync_triggers("deputy_photos")}

-- status/ended_on/end_ground are the fold of mandate_events, written in the
-- same transaction as each event so lists can filter in SQL.
CREATE TABLE mandates ({S},
    deputy_id TEXT NOT NULL REFERENCES deputies(id),
    level TEXT NOT NULL,
    term INTEGER NOT NULL,
    constituency TEXT NOT NULL DEFAULT '',
    elected_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    status_since TEXT NOT NULL,
    ended_on TEXT,
    end_ground TEXT
);
CREATE INDEX mandates_deputy ON mandates(deputy_id);
{sync_triggers("mandates")}

CREATE TABLE mandate_events ({S},
    mandate_id TEXT NOT NULL REFERENCES mandates(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    ground TEXT,
    detail TEXT NOT NULL DEFAULT '',
    doc_no TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX mandate_events_mandate ON mandate_events(mandate_id);
{sync_triggers("mandate_events", append_only_columns=(
    "mandate_id", "kind", "on_date", "ground", "detail", "doc_no", "recorded_at",
    "recorded_by", "deleted"))}
"""


def _m002_cases() -> str:
    """Voter reception: voters, cases, case events, practical matters (issue 3).

    ``cases`` holds the fold of ``case_events`` (written in the same transaction
    as each event) so lists filter and sort in SQL; ``open_due_on`` is the due
    date only while it runs (forwarded, or returned), so "overdue" is one range
    on one index.  ``case_search`` is a contentless FTS5 index of the voter's
    words, name and village with every character its own token (see
    storage/cases.py for why).  ``case_counters`` numbers cases and archive
    files per year on this station; it is local, never synced.
    """
    return f"""
CREATE TABLE voters ({S},
    name TEXT NOT NULL,
    village TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'zh',
    consent INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX voters_phone ON voters(phone);
{sync_triggers("voters")}

CREATE TABLE cases ({S},
    rowkey INTEGER NOT NULL UNIQUE,
    number TEXT NOT NULL,
    voter_id TEXT REFERENCES voters(id),
    voter_name TEXT NOT NULL DEFAULT '',
    village TEXT NOT NULL DEFAULT '',
    registered_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT NOT NULL DEFAULT 'normal',
    words TEXT NOT NULL,
    state TEXT NOT NULL,
    route TEXT,
    responsible_unit TEXT NOT NULL DEFAULT '',
    forwarded_on TEXT,
    due_on TEXT,
    open_due_on TEXT,
    outcome TEXT,
    satisfaction TEXT,
    archive_no TEXT,
    closed_reason TEXT,
    duplicate_of TEXT REFERENCES cases(id),
    confidential INTEGER NOT NULL DEFAULT 0,
    reopened INTEGER NOT NULL DEFAULT 0,
    event_count INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
-- numbers are per station: a county file holds many stations' "2026-0001"
CREATE UNIQUE INDEX cases_number ON cases(origin, number);
CREATE INDEX cases_state ON cases(state, registered_on);
CREATE INDEX cases_open_due ON cases(open_due_on) WHERE open_due_on IS NOT NULL;
CREATE INDEX cases_category ON cases(category, registered_on);
CREATE INDEX cases_village ON cases(village, registered_on);
CREATE INDEX cases_registered ON cases(registered_on);
CREATE INDEX cases_duplicate_of ON cases(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX cases_voter ON cases(voter_id);
{sync_triggers("cases")}

CREATE VIRTUAL TABLE case_search USING fts5(words, name, village, content='',
    tokenize='unicode61', detail='full');

CREATE TABLE case_events ({S},
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (case_id, seq)
);
{sync_triggers("case_events", append_only_columns=(
    "case_id", "seq", "kind", "at", "actor", "data", "deleted"))}

-- deputies on duty when the case was registered ('duty') or handling it ('handling')
CREATE TABLE case_deputies ({S},
    case_id TEXT NOT NULL REFERENCES cases(id),
    deputy_id TEXT NOT NULL REFERENCES deputies(id),
    role TEXT NOT NULL DEFAULT 'duty'
);
CREATE INDEX case_deputies_case ON case_deputies(case_id);
CREATE INDEX case_deputies_deputy ON case_deputies(deputy_id, case_id);
{sync_triggers("case_deputies")}

CREATE TABLE case_counters (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
);

CREATE TABLE practical_matters ({S},
    title TEXT NOT NULL,
    stage TEXT NOT NULL,
    percent INTEGER NOT NULL DEFAULT 0,
    started_on TEXT NOT NULL,
    done_on TEXT,
    event_count INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX practical_matters_stage ON practical_matters(stage);
{sync_triggers("practical_matters")}

CREATE TABLE practical_events ({S},
    matter_id TEXT NOT NULL REFERENCES practical_matters(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (matter_id, seq)
);
{sync_triggers("practical_events", append_only_columns=(
    "matter_id", "seq", "kind", "at", "actor", "data", "deleted"))}

-- projections of the events: lead deputies and linked cases (deleted=1 when dropped)
CREATE TABLE practical_deputies ({S},
    matter_id TEXT NOT NULL REFERENCES practical_matters(id),
    deputy_id TEXT NOT NULL REFERENCES deputies(id)
);
CREATE INDEX practical_deputies_matter ON practical_deputies(matter_id);
CREATE INDEX practical_deputies_deputy ON practical_deputies(deputy_id);
{sync_triggers("practical_deputies")}

CREATE TABLE practical_cases ({S},
    matter_id TEXT NOT NULL REFERENCES practical_matters(id),
    case_id TEXT NOT NULL REFERENCES cases(id)
);
CREATE INDEX practical_cases_matter ON practical_cases(matter_id);
CREATE INDEX practical_cases_case ON practical_cases(case_id);
{sync_triggers("practical_cases")}
"""


def _m003_reception() -> str:
    """Reception days, duty roster, working-day calendar (issue 3).

    A database made before this step gets the 2026 public holidays as its
    calendar (a new station gets them when it is created)."""
    from station_desk.storage.reception import seed_calendar_sql

    return f"""
-- the working-day calendar: public holidays and swapped working days (调休)
CREATE TABLE calendar_days ({S},
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX calendar_days_day ON calendar_days(day) WHERE deleted = 0;
{sync_triggers("calendar_days")}

-- when the station receives voters (one live row)
CREATE TABLE reception_rules ({S},
    kind TEXT NOT NULL CHECK (kind IN ('weekly', 'monthly')),
    weekday INTEGER NOT NULL DEFAULT 0,
    days TEXT NOT NULL DEFAULT '',
    per_day INTEGER NOT NULL DEFAULT 2,
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT ''
);
{sync_triggers("reception_rules")}

CREATE TABLE reception_days ({S},
    day TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    -- manual = 1: added or edited by hand, left alone when the days are generated again
    manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1))
);
CREATE UNIQUE INDEX reception_days_day ON reception_days(day) WHERE deleted = 0;
{sync_triggers("reception_days")}

-- manual = 1: set by hand (replace / swap), kept when the roster is drawn again
CREATE TABLE duty_assignments ({S},
    day_id TEXT NOT NULL REFERENCES reception_days(id),
    deputy_id TEXT NOT NULL REFERENCES deputies(id),
    manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1))
);
CREATE UNIQUE INDEX duty_assignments_pair ON duty_assignments(day_id, deputy_id)
    WHERE deleted = 0;
CREATE INDEX duty_assignments_deputy ON duty_assignments(deputy_id);
{sync_triggers("duty_assignments")}

{seed_calendar_sql()}
"""


def _m004_activities() -> str:
    """Activities: the annual plan, activities, invitations with attendance,
    photos (issue 4).

    ``starts_at`` / ``ends_at`` are local times ``YYYY-MM-DDTHH:MM``.  An
    invitee is a deputy of the registry (``deputy_id``) or an outside
    participant (``deputy_id`` NULL, ``name`` / ``unit`` / ``post`` /
    ``phone`` given); ``sort`` is the order on the sign-in sheet."""
    return f"""
CREATE TABLE activity_plan ({S},
    year INTEGER NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    kind TEXT NOT NULL,
    theme TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activity_plan_year ON activity_plan(year, month);
{sync_triggers("activity_plan")}

CREATE TABLE activities ({S},
    plan_item_id TEXT REFERENCES activity_plan(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    organiser TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled', 'held', 'cancelled')),
    cancel_reason TEXT NOT NULL DEFAULT '',
    notice TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    CHECK (ends_at > starts_at)
);
CREATE INDEX activities_starts ON activities(starts_at);
CREATE INDEX activities_plan_item ON activities(plan_item_id);
{sync_triggers("activities")}

CREATE TABLE activity_invitees ({S},
    activity_id TEXT NOT NULL REFERENCES activities(id),
    deputy_id TEXT REFERENCES deputies(id),
    name TEXT NOT NULL DEFAULT '',
    name_ko TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    post TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0,
    attendance TEXT NOT NULL DEFAULT 'unmarked'
        CHECK (attendance IN ('unmarked', 'present', 'leave', 'absent')),
    signed_at TEXT NOT NULL DEFAULT '',
    leave_reason TEXT NOT NULL DEFAULT '',
    leave_approved_by TEXT NOT NULL DEFAULT '',
    marked_at TEXT,
    marked_by TEXT NOT NULL DEFAULT '',
    CHECK (deputy_id IS NOT NULL OR name <> '')
);
CREATE UNIQUE INDEX activity_invitees_deputy ON activity_invitees(activity_id, deputy_id)
    WHERE deleted = 0 AND deputy_id IS NOT NULL;
CREATE INDEX activity_invitees_activity ON activity_invitees(activity_id, sort);
CREATE INDEX activity_invitees_by_deputy ON activity_invitees(deputy_id);
{sync_triggers("activity_invitees")}

CREATE TABLE activity_photos ({S},
    activity_id TEXT NOT NULL REFERENCES activities(id),
    mime TEXT NOT NULL,
    data BLOB NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activity_photos_activity ON activity_photos(activity_id);
{sync_triggers("activity_photos")}
"""


def _m005_notices() -> str:
    """The station's texts for the notice board (issue 6): its rules (制度上墙),
    each a title and a body in Chinese and Korean, ordered by ``sort``; and an
    optional photo of the station for the profile notice (one live row)."""
    return f"""
CREATE TABLE station_rules ({S},
    title_zh TEXT NOT NULL,
    title_ko TEXT NOT NULL DEFAULT '',
    body_zh TEXT NOT NULL DEFAULT '',
    body_ko TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX station_rules_sort ON station_rules(sort);
{sync_triggers("station_rules")}

CREATE TABLE station_photos ({S},
    mime TEXT NOT NULL,
    data BLOB NOT NULL
);
{sync_triggers("station_photos")}
"""


def _m006_accounts() -> str:
    """Accounts of the people using this PC (issue 8).  Local to the installation
    like ``meta``: never synced, so a plain table without sync columns.  The
    password is an argon2id hash; ``failed_count`` and ``locked_until`` hold the
    lockout after repeated failed sign-ins."""
    return """
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('clerk', 'head', 'auditor', 'admin')),
    password_hash TEXT NOT NULL,
    failed_count INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    last_sign_in_at TEXT
);
"""


def _m007_audit_chain() -> str:
    """The audit trail hash-chained (issue 8): ``result`` of each action,
    ``prev_hash`` / ``hash`` of each row, and the checkpoint ``audit_head`` (the
    newest seq and hash) that a trigger moves on every insert, so cutting off the
    newest rows is seen too; a row without a hash cannot be inserted.  The rows
    written before this step are chained by :func:`storage.audit.chain_existing`,
    run in the same transaction (``after`` below)."""
    return """
ALTER TABLE audit ADD COLUMN result TEXT NOT NULL DEFAULT 'ok';
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit checkpoint cannot be removed'); END;
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq <= OLD.seq
BEGIN SELECT RAISE(ABORT, 'the audit checkpoint only moves forward'); END;
CREATE TRIGGER audit_chained AFTER INSERT ON audit
BEGIN
    SELECT RAISE(ABORT, 'an audit row needs its hash') WHERE NEW.hash IS NULL;
    UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
END;
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_actor ON audit(actor, seq);
CREATE INDEX audit_action ON audit(action, seq);
"""


def _chain_existing_audit(db) -> None:
    from station_desk.storage.audit import chain_existing

    chain_existing(db)


_m007_audit_chain.after = _chain_existing_audit  # type: ignore[attr-defined]


def _m008_retention() -> str:
    """Retention (issue 8): ``voters.purged_at`` marks a voter whose name, phone
    and ID number were purged.  ``case_events.redacted`` opens the one narrow
    gap in the events' append-only rule: an update may set ``redacted`` from 0
    to 1 and, in the same update, replace the personal keys of ``data`` (name,
    name_ko, voter_name, phone, id_number, address) with the mark "[purged]";
    every other key must stay as it was, no key may be added or dropped, and
    every other column stays refused as before (docs/privacy.md)."""
    personal = "'name', 'name_ko', 'voter_name', 'phone', 'id_number', 'address'"
    return f"""
ALTER TABLE voters ADD COLUMN purged_at TEXT;
ALTER TABLE case_events ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0
    CHECK (redacted IN (0, 1));
DROP TRIGGER case_events_no_edit;
CREATE TRIGGER case_events_no_edit BEFORE UPDATE ON case_events
WHEN NEW.case_id IS NOT OLD.case_id OR NEW.seq IS NOT OLD.seq OR NEW.kind IS NOT OLD.kind
    OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.deleted IS NOT OLD.deleted
    OR NEW.redacted < OLD.redacted
    OR (NEW.data IS NOT OLD.data AND (
        OLD.redacted IS NOT 0 OR NEW.redacted IS NOT 1
        OR NOT json_valid(NEW.data)
        OR (SELECT count(*) FROM json_each(NEW.data))
           IS NOT (SELECT count(*) FROM json_each(OLD.data))
        OR EXISTS (SELECT 1 FROM json_each(OLD.data) o WHERE o.key NOT IN ({personal})
                   AND (json_type(NEW.data, '$."' || o.key || '"') IS NOT o.type
                        OR json_extract(NEW.data, '$."' || o.key || '"')
                           IS NOT json_extract(OLD.data, '$."' || o.key || '"')))
        OR EXISTS (SELECT 1 FROM json_each(NEW.data) n WHERE n.key IN ({personal})
                   AND n.value IS NOT '[purged]'
                   AND n.value IS NOT json_extract(OLD.data, '$."' || n.key || '"'))))
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
CREATE INDEX voters_purged ON voters(purged_at);
"""


def _m009_ledger() -> str:
    """Performance ledger and evaluation (issue 5).

    ``ledger_entries`` holds only *declared* entries (from outside the
    station's records); entries derived from activities, reception duty,
    cases and practical matters are computed at read time and never stored.
    ``review`` is pending / approved / rejected; evidence files are stored as
    bytes like activity photos.  ``suggestions`` are a deputy's suggestions
    and motions with their handling.  ``eval_schemes`` keep a points table as
    JSON (items and grade bands); ``eval_results`` one row per deputy and
    period of a run, ``eval_runs`` the run with who approved it.
    ``model_deputies`` / ``publicity`` record deputies chosen as examples and
    reports about them."""
    return f"""
CREATE TABLE ledger_entries ({S},
    deputy_id TEXT NOT NULL REFERENCES deputies(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    title TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    -- a score given by the deputy (self-assessment entries only)
    score REAL,
    review TEXT NOT NULL DEFAULT 'pending'
        CHECK (review IN ('pending', 'approved', 'rejected')),
    reviewer TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT,
    reason TEXT NOT NULL DEFAULT '',
    declared_at TEXT NOT NULL,
    declared_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_entries_deputy ON ledger_entries(deputy_id, on_date);
CREATE INDEX ledger_entries_review ON ledger_entries(review);
CREATE INDEX ledger_entries_kind ON ledger_entries(kind, on_date);
{sync_triggers("ledger_entries")}

CREATE TABLE ledger_evidence ({S},
    entry_id TEXT NOT NULL REFERENCES ledger_entries(id),
    name TEXT NOT NULL DEFAULT '',
    mime TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX ledger_evidence_entry ON ledger_evidence(entry_id);
{sync_triggers("ledger_evidence")}

CREATE TABLE suggestions ({S},
    deputy_id TEXT NOT NULL REFERENCES deputies(id),
    kind TEXT NOT NULL DEFAULT 'suggestion' CHECK (kind IN ('suggestion', 'motion')),
    congress TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    cosigners TEXT NOT NULL DEFAULT '',
    handling_unit TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'A', 'B', 'C', 'D')),
    face_to_face INTEGER CHECK (face_to_face IN (0, 1)),
    reply_on TEXT,
    satisfaction TEXT NOT NULL DEFAULT ''
        CHECK (satisfaction IN ('', 'satisfied', 'basically', 'unsatisfied')),
    notes TEXT NOT NULL DEFAULT '',
    case_id TEXT
);
CREATE INDEX suggestions_deputy ON suggestions(deputy_id, submitted_on);
CREATE INDEX suggestions_submitted ON suggestions(submitted_on);
{sync_triggers("suggestions")}

CREATE TABLE eval_schemes ({S},
    name TEXT NOT NULL,
    preset TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL DEFAULT ''
);
{sync_triggers("eval_schemes")}

CREATE TABLE eval_runs ({S},
    period TEXT NOT NULL,
    scheme_id TEXT NOT NULL REFERENCES eval_schemes(id),
    scheme_body TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    computed_by TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '',
    approved_at TEXT
);
CREATE INDEX eval_runs_period ON eval_runs(period);
{sync_triggers("eval_runs")}

CREATE TABLE eval_results ({S},
    run_id TEXT NOT NULL REFERENCES eval_runs(id),
    deputy_id TEXT NOT NULL REFERENCES deputies(id),
    total REAL NOT NULL,
    grade TEXT NOT NULL,
    rank INTEGER NOT NULL,
    items TEXT NOT NULL DEFAULT '{{}}',
    warnings TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX eval_results_run ON eval_results(run_id, rank);
CREATE INDEX eval_results_deputy ON eval_results(deputy_id);
{sync_triggers("eval_results")}

CREATE TABLE model_deputies ({S},
    deputy_id TEXT NOT NULL REFERENCES deputies(id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    chosen_by TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX model_deputies_deputy ON model_deputies(deputy_id);
{sync_triggers("model_deputies")}

CREATE TABLE publicity ({S},
    deputy_id TEXT NOT NULL REFERENCES deputies(id),
    on_date TEXT NOT NULL,
    outlet TEXT NOT NULL,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publicity_deputy ON publicity(deputy_id, on_date);
{sync_triggers("publicity")}
"""


def _m010_bundles() -> str:
    """Sync bundles and county mode (issue 7).

    ``bundle_keys``: this installation's own keys (one row; never in a bundle;
    see docs/ARCHITECTURE.md for why they live in the database).
    ``bundle_peers``: the other side — at a station the county's public keys,
    at the county each enrolled station's — with how far each side holds the
    other's rows (``acked_seq``: the peer's acknowledgement of our rows;
    ``received_seq``: how far we hold the peer's rows without a gap).
    ``bundle_exports`` / ``bundle_imports``: the history and the kept import
    reports.  ``period_locks``: the month a station's bundle was first accepted.
    ``county_replies``: the county's replies to forwarded cases (its own rows,
    origin = county, append-only); ``county_roster``: the reference roster the
    county returns (replaced on each return bundle, read-only at the station).
    The two "one row per day" indexes become per origin: a county file holds
    every station's calendar."""
    return f"""
CREATE TABLE bundle_keys (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    signing_private TEXT NOT NULL,
    signing_public TEXT NOT NULL,
    age_identity TEXT NOT NULL,
    age_recipient TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    backed_up_at TEXT
);

CREATE TABLE bundle_peers (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('station', 'county')),
    name TEXT NOT NULL DEFAULT '',
    name_ko TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    signing_public TEXT NOT NULL,
    age_recipient TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    enrolled_by TEXT NOT NULL DEFAULT '',
    acked_seq INTEGER NOT NULL DEFAULT 0,
    received_seq INTEGER NOT NULL DEFAULT 0,
    last_serial_in INTEGER NOT NULL DEFAULT 0,
    last_serial_out INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE bundle_exports (
    bundle_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    peer TEXT NOT NULL,
    serial INTEGER NOT NULL,
    period TEXT NOT NULL,
    seq_from INTEGER NOT NULL,
    seq_to INTEGER NOT NULL,
    full INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL,
    file_name TEXT NOT NULL,
    folder TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX bundle_exports_peer ON bundle_exports(peer, serial);

CREATE TABLE bundle_imports (
    bundle_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    peer TEXT NOT NULL,
    serial INTEGER NOT NULL,
    period TEXT NOT NULL,
    seq_from INTEGER NOT NULL,
    seq_to INTEGER NOT NULL,
    acknowledged_base INTEGER NOT NULL,
    full INTEGER NOT NULL DEFAULT 0,
    station_clock TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX bundle_imports_peer ON bundle_imports(peer, serial);

CREATE TABLE period_locks (
    peer TEXT NOT NULL,
    period TEXT NOT NULL,
    locked_at TEXT NOT NULL,
    locked_by TEXT NOT NULL DEFAULT '',
    bundle_id TEXT,
    PRIMARY KEY (peer, period)
);

CREATE TABLE county_replies ({S},
    case_id TEXT NOT NULL REFERENCES cases(id),
    on_date TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX county_replies_case ON county_replies(case_id);
{sync_triggers("county_replies", append_only_columns=(
    "case_id", "on_date", "unit", "body", "author", "at", "deleted"))}

CREATE TABLE county_roster (
    station TEXT NOT NULL,
    deputy_id TEXT NOT NULL,
    name TEXT NOT NULL,
    name_ko TEXT NOT NULL DEFAULT '',
    levels TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (station, deputy_id)
);

DROP INDEX calendar_days_day;
CREATE UNIQUE INDEX calendar_days_day ON calendar_days(origin, day) WHERE deleted = 0;
DROP INDEX reception_days_day;
CREATE UNIQUE INDEX reception_days_day ON reception_days(origin, day) WHERE deleted = 0;
"""


MIGRATIONS: list = [_m001_foundation, _m002_cases, _m003_reception, _m004_activities,
                    _m005_notices, _m006_accounts, _m007_audit_chain,
                    _m008_retention, _m009_ledger, _m010_bundles]
SCHEMA_VERSION = len(MIGRATIONS)
