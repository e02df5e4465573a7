-- Outbound mail: the durable outbox (one row per mail to send, written with the mail.send job
-- that sends it) and the admins' overrides of the built-in notification templates.
-- dedup_key names the cause and the recipient, so a retried ticket event adds no mail twice.
-- Instants are UTC Unix milliseconds.

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key       TEXT NOT NULL UNIQUE,
    ticket_id       BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
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
CREATE INDEX mail_outbox_state ON mail_outbox(state, id);
CREATE INDEX mail_outbox_ticket ON mail_outbox(ticket_id, id);

CREATE TABLE mail_templates (
    kind       TEXT NOT NULL,
    lang       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    text_body  TEXT NOT NULL,
    html_body  TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, lang)
);
