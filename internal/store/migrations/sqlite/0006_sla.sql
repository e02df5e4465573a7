-- Service levels: business calendars (the JSON form of docs/sla.md), each contract's calendar
-- and targets, the clocks of each ticket as last computed, and the warnings and breaches the
-- scheduler recorded. Instants are UTC Unix milliseconds; targets are business seconds.

CREATE TABLE sla_calendars (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    definition  TEXT NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- At most one default calendar: the one of contracts that name none.
CREATE UNIQUE INDEX sla_calendars_default ON sla_calendars(is_default) WHERE is_default;

-- NULL: the default calendar.
ALTER TABLE contracts ADD COLUMN calendar_id BIGINT REFERENCES sla_calendars(id);

-- env_kind '' is any environment; a NULL target is no commitment for that clock.
CREATE TABLE sla_targets (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id        BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    severity           TEXT NOT NULL,
    env_kind           TEXT NOT NULL DEFAULT '',
    take_charge_s      BIGINT,
    workaround_s       BIGINT,
    resolve_s          BIGINT,
    escalate_on_breach BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at         BIGINT NOT NULL,
    UNIQUE (customer_id, severity, env_kind)
);

ALTER TABLE tickets ADD COLUMN workaround_at BIGINT;
-- A digest of the ticket's stored clocks (sla_clocks), written with them: a recompute that
-- computes the same digest has nothing to write.
ALTER TABLE tickets ADD COLUMN sla_digest BIGINT;
-- The nearest deadline of the ticket's running clocks; NULL when none runs. Queues sort on
-- COALESCE(next_deadline, 9223372036854775807), id — the expression of this index.
ALTER TABLE tickets ADD COLUMN next_deadline BIGINT;
CREATE INDEX tickets_active_deadline ON tickets(active, COALESCE(next_deadline, 9223372036854775807), id);

-- The open tickets in id order, for recomputing their clocks batch by batch.
CREATE INDEX tickets_active_id ON tickets(active, id);

-- The status history the clocks are computed from, read in bulk without the other events.
CREATE INDEX ticket_events_status ON ticket_events(ticket_id, id, at, new_value) WHERE field = 'status';

-- One row per ticket and clock, as computed at computed_at. generation counts the targets the
-- clock has had (a re-targeted clock may warn again); alerted is '', 'warn' or 'breach' for the
-- current generation; due_at is the next instant the scheduler must look at the clock.
CREATE TABLE sla_clocks (
    ticket_id   BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    clock       TEXT NOT NULL,
    generation  BIGINT NOT NULL DEFAULT 1,
    severity    TEXT NOT NULL,
    env_kind    TEXT NOT NULL DEFAULT '',
    target_s    BIGINT NOT NULL DEFAULT 0,
    elapsed_ms  BIGINT NOT NULL,
    paused_ms   BIGINT NOT NULL,
    deadline    BIGINT,
    warn_at     BIGINT,
    stopped_at  BIGINT,
    state       TEXT NOT NULL,
    running     BOOLEAN NOT NULL,
    stopped     BOOLEAN NOT NULL,
    alerted     TEXT NOT NULL DEFAULT '',
    due_at      BIGINT,
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, clock)
) WITHOUT ROWID;
CREATE INDEX sla_clocks_due ON sla_clocks(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX sla_clocks_deadline ON sla_clocks(deadline) WHERE deadline IS NOT NULL;
CREATE INDEX sla_clocks_stopped ON sla_clocks(stopped_at) WHERE stopped_at IS NOT NULL;

-- Each warning and breach, once per ticket, clock, kind and target generation.
CREATE TABLE sla_alerts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id    BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    clock        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('warn', 'breach')),
    generation   BIGINT NOT NULL,
    target_s     BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    level        TEXT NOT NULL,
    escalated_to TEXT NOT NULL DEFAULT '',
    recipients   TEXT NOT NULL DEFAULT '',
    UNIQUE (ticket_id, clock, kind, generation)
);
CREATE INDEX sla_alerts_recorded ON sla_alerts(recorded_at);
