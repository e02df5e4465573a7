-- Webhooks: URLs registered by admins that receive signed ticket events. One delivery per
-- webhook and event (unique per cause, so a retried fan-out adds nothing), and a log of every
-- attempt to send it. Instants are UTC Unix milliseconds.

CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    url         TEXT NOT NULL,
    events      TEXT NOT NULL,
    secret      TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id  BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    event       TEXT NOT NULL,
    ticket_key  TEXT NOT NULL DEFAULT '',
    payload     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (webhook_id, source)
);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries(created_at);

CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    webhook_id  BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms BIGINT NOT NULL DEFAULT 0,
    at          BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_webhook ON webhook_attempts(webhook_id, id);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id);
