-- Mails of customer environments (issue #7; docs/environments.md, "Mails"): the holder's manager
-- of an access grant, the instant an expired grant was warned about (once per grant), and
-- outbox mails that belong to no ticket (maintenance announcements, access warnings).

-- The person warned when an access of the user expires; null: the ops managers.
ALTER TABLE users ADD COLUMN manager_id BIGINT REFERENCES users(id) ON DELETE SET NULL;

-- When the holder was told their access expires soon (OPSDESK_ACCESS_NOTICE_DAYS), and when its
-- expiry was warned about; each once per grant.
ALTER TABLE env_access_grants ADD COLUMN notice_at BIGINT;
ALTER TABLE env_access_grants ADD COLUMN warned_at BIGINT;
CREATE INDEX env_access_grants_unwarned ON env_access_grants(expires_at) WHERE revoked_at IS NULL AND warned_at IS NULL;
CREATE INDEX env_access_grants_unnoticed ON env_access_grants(expires_at) WHERE revoked_at IS NULL AND notice_at IS NULL;

-- Windows waiting for their announcement.
CREATE INDEX env_maintenance_unannounced ON env_maintenance(ends_at) WHERE announced_at IS NULL;

-- mail_outbox.ticket_id becomes nullable: SQLite changes a column's constraint by rebuilding the
-- table (same columns, same order, same indexes).
CREATE TABLE mail_outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key       TEXT NOT NULL UNIQUE,
    ticket_id       BIGINT REFERENCES tickets(id) ON DELETE CASCADE,
    ticket_key      TEXT NOT NULL,
    message_id      BIGINT REFERENCES ticket_messages(id) ON DELETE SET NULL,
    kind            TEXT NOT NULL,
    lang            TEXT NOT NULL,
    to_addr         TEXT NOT NULL,
    to_name         TEXT NOT NULL DEFAULT '',
    cc              TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    mail_message_id TEXT NOT NULL UNIQUE,
    in_reply_to     TEXT NOT NULL DEFAULT '',
    refs            TEXT NOT NULL DEFAULT '',
    auto_submitted  TEXT NOT NULL DEFAULT '',
    customer_facing BOOLEAN NOT NULL DEFAULT TRUE,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
INSERT INTO mail_outbox_new SELECT * FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_state ON mail_outbox(state, id);
CREATE INDEX mail_outbox_ticket ON mail_outbox(ticket_id, id);
