-- Quality targets (issue #9, docs/capa.md "Quality targets"): a level an indicator must reach
-- over each complete week or month; each evaluation is kept in quality_results, and a missed
-- target proposes one corrective action per period, whose source is the new 'quality_target'.

-- capa_actions.source accepts 'quality_target'. SQLite changes a CHECK by rebuilding the table
-- (same columns — 0019's, then 0020's customer_id — and the same indexes). capa_history refers
-- to capa_actions with ON DELETE CASCADE, and dropping a table deletes its rows first (foreign
-- keys are on), so the history is set aside and dropped before, and put back after.
CREATE TABLE capa_history_keep AS SELECT id, action_id, at, by_label, change, note FROM capa_history;
DROP TABLE capa_history;

CREATE TABLE capa_actions_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL CHECK (kind IN ('corrective', 'preventive')),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL CHECK (source IN ('problem', 'sla_breach', 'survey', 'audit', 'probe', 'manual', 'quality_target')),
    source_id     BIGINT NOT NULL DEFAULT 0,
    source_clock  TEXT NOT NULL DEFAULT '',
    suggest_key   TEXT UNIQUE,
    owner_id      BIGINT REFERENCES users(id),
    due_day       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('proposed', 'open', 'in_progress', 'done', 'cancelled', 'rejected')),
    reason        TEXT NOT NULL DEFAULT '',
    closed_at     BIGINT,
    closed_by     TEXT NOT NULL DEFAULT '',
    check_day     TEXT NOT NULL DEFAULT '',
    checked_at    BIGINT,
    checked_by    TEXT NOT NULL DEFAULT '',
    effective     BOOLEAN,
    check_note    TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    customer_id   BIGINT REFERENCES customers(id)
);
INSERT INTO capa_actions_new (id, kind, title, description, source, source_id, source_clock, suggest_key, owner_id, due_day,
    status, reason, closed_at, closed_by, check_day, checked_at, checked_by, effective, check_note, created_by, created_at,
    updated_at, customer_id)
SELECT id, kind, title, description, source, source_id, source_clock, suggest_key, owner_id, due_day,
    status, reason, closed_at, closed_by, check_day, checked_at, checked_by, effective, check_note, created_by, created_at,
    updated_at, customer_id FROM capa_actions;
DROP TABLE capa_actions;
ALTER TABLE capa_actions_new RENAME TO capa_actions;
CREATE INDEX capa_actions_status ON capa_actions(status, due_day);
CREATE INDEX capa_actions_source ON capa_actions(source, source_id);
CREATE INDEX capa_actions_customer ON capa_actions(customer_id, status);

CREATE TABLE capa_history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id BIGINT NOT NULL REFERENCES capa_actions(id) ON DELETE CASCADE,
    at        BIGINT NOT NULL,
    by_label  TEXT NOT NULL,
    change    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
INSERT INTO capa_history (id, action_id, at, by_label, change, note)
SELECT id, action_id, at, by_label, change, note FROM capa_history_keep;
DROP TABLE capa_history_keep;
CREATE INDEX capa_history_action ON capa_history(action_id, id);

-- The probe incidents SuggestActions looks at (docs/capa.md, "Suggestions from audits and
-- probes"): the recent ones of channel probe, without scanning every ticket.
CREATE INDEX tickets_probe_created ON tickets(created_at, environment_id) WHERE channel = 'probe';

-- The targets. indicator is a key of opsdesk.QualityIndicators; severity '' means every
-- severity; customer_id NULL every customer. Targets are deactivated, never deleted.
CREATE TABLE quality_targets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    indicator   TEXT NOT NULL,
    severity    TEXT NOT NULL DEFAULT '',
    customer_id BIGINT REFERENCES customers(id),
    comparator  TEXT NOT NULL CHECK (comparator IN ('ge', 'le')),
    threshold   DOUBLE PRECISION NOT NULL,
    period      TEXT NOT NULL CHECK (period IN ('week', 'month')),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- One evaluation per target and complete period (re-evaluating updates it). action_id: the
-- action proposed when it was missed (a reference kept as a number, like an action's source).
CREATE TABLE quality_results (
    target_id    BIGINT NOT NULL REFERENCES quality_targets(id) ON DELETE CASCADE,
    period_start BIGINT NOT NULL,
    period_end   BIGINT NOT NULL,
    measured     BOOLEAN NOT NULL,
    value        DOUBLE PRECISION NOT NULL DEFAULT 0,
    met          BOOLEAN NOT NULL,
    action_id    BIGINT,
    evaluated_at BIGINT NOT NULL,
    PRIMARY KEY (target_id, period_start)
);

-- The issue's two examples: blocking take-charge compliance ≥ 95 % and satisfaction ≥ 4.2, each
-- over the month.
INSERT INTO quality_targets (indicator, severity, comparator, threshold, period, created_by, created_at, updated_at) VALUES
    ('sla_take_charge', 'blocking', 'ge', 95, 'month', 'opsdesk', CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('csat_average', '', 'ge', 4.2, 'month', 'opsdesk', CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
