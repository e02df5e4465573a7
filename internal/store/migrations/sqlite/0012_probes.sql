-- Health probes of customer environments (issue #7; docs/probes.md): HTTP(S) checks configured
-- by staff, run by a durable scheduler (next_due and a lease in the row), their results (kept for
-- a retention period), and the state that opens one incident per outage.

CREATE TABLE env_probes (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    environment_id      BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    url                 TEXT NOT NULL,
    method              TEXT NOT NULL DEFAULT 'GET',
    expect_status       INTEGER NOT NULL DEFAULT 200,
    body_contains       TEXT NOT NULL DEFAULT '',
    timeout_ms          BIGINT NOT NULL,
    interval_ms         BIGINT NOT NULL,
    threshold           INTEGER NOT NULL,
    tls_warn_days       INTEGER NOT NULL DEFAULT 0,
    severity            TEXT NOT NULL DEFAULT '',
    enabled             BOOLEAN NOT NULL DEFAULT TRUE,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    -- scheduling: the instant the next run is due, and the lease of the runner checking it now
    next_due            BIGINT NOT NULL,
    lease_owner         TEXT NOT NULL DEFAULT '',
    lease_until         BIGINT,
    -- state
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failures_since_note INTEGER NOT NULL DEFAULT 0,
    down_since          BIGINT,
    incident_ticket_id  BIGINT REFERENCES tickets(id) ON DELETE SET NULL,
    incident_noted_at   BIGINT,
    cert_warned_for     BIGINT,
    last_at             BIGINT,
    last_ok             BOOLEAN NOT NULL DEFAULT FALSE,
    last_latency_ms     BIGINT NOT NULL DEFAULT 0,
    cert_not_after      BIGINT,
    UNIQUE (environment_id, name)
);
CREATE INDEX env_probes_due ON env_probes(next_due) WHERE enabled;

-- One row per run, keyed by probe and instant (a probe's runs are leased one at a time, seconds
-- apart): the key is the only index, used by the lists, the availability, the series and the
-- retention, which keeps a result at a few dozen bytes.
CREATE TABLE env_probe_results (
    probe_id       BIGINT NOT NULL REFERENCES env_probes(id) ON DELETE CASCADE,
    at             BIGINT NOT NULL,
    ok             BOOLEAN NOT NULL,
    status_code    INTEGER NOT NULL DEFAULT 0,
    latency_ms     BIGINT NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    cert_not_after BIGINT,
    PRIMARY KEY (probe_id, at)
) WITHOUT ROWID;
