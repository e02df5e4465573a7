-- Mail intake: the mailboxes opsdesk reads (IMAP; the SMTP/LMTP listener is the built-in source
-- "smtp"), one row per inbound message (unique per source and Message-ID, so a message seen twice
-- from the same source is stored once), and the extra columns a mail message keeps: the full
-- text with its quoted conversation, the sanitised HTML, whether it must never get an automatic
-- answer, and the inbound row it came from. Instants are UTC Unix milliseconds.

CREATE TABLE mailboxes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    host          TEXT NOT NULL DEFAULT '',
    port          INTEGER NOT NULL DEFAULT 993,
    security      TEXT NOT NULL DEFAULT 'tls' CHECK (security IN ('tls', 'starttls', 'none')),
    username      TEXT NOT NULL DEFAULT '',
    password      TEXT NOT NULL DEFAULT '',
    xoauth2_token TEXT NOT NULL DEFAULT '',
    folder        TEXT NOT NULL DEFAULT 'INBOX',
    action        TEXT NOT NULL DEFAULT 'seen' CHECK (action IN ('move', 'seen')),
    move_to       TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL DEFAULT '',
    severity      TEXT NOT NULL DEFAULT '',
    poll_seconds  INTEGER NOT NULL DEFAULT 60,
    use_idle      BOOLEAN NOT NULL DEFAULT TRUE,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    last_poll_at  BIGINT,
    last_error    TEXT NOT NULL DEFAULT '',
    last_error_at BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE mail_inbound (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    source            TEXT NOT NULL,
    dedup_key         TEXT NOT NULL,
    message_id        TEXT NOT NULL DEFAULT '',
    raw_sha256        TEXT NOT NULL,
    raw_size          BIGINT NOT NULL,
    from_addr         TEXT NOT NULL DEFAULT '',
    from_name         TEXT NOT NULL DEFAULT '',
    subject           TEXT NOT NULL DEFAULT '',
    envelope_to       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',
    no_autoreply      BOOLEAN NOT NULL DEFAULT FALSE,
    robot_reason      TEXT NOT NULL DEFAULT '',
    defects           TEXT NOT NULL DEFAULT '[]',
    customer_id       BIGINT REFERENCES customers(id) ON DELETE SET NULL,
    contact_id        BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
    ticket_id         BIGINT REFERENCES tickets(id) ON DELETE SET NULL,
    ticket_key        TEXT NOT NULL DEFAULT '',
    ticket_message_id BIGINT REFERENCES ticket_messages(id) ON DELETE SET NULL,
    content           TEXT NOT NULL DEFAULT '',
    received_at       BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    handled_by        TEXT NOT NULL DEFAULT '',
    handled_at        BIGINT,
    UNIQUE (source, dedup_key)
);
CREATE INDEX mail_inbound_status ON mail_inbound(status, id);
CREATE INDEX mail_inbound_sender ON mail_inbound(from_addr, received_at);
CREATE INDEX mail_inbound_message ON mail_inbound(message_id);
CREATE INDEX mail_inbound_ticket ON mail_inbound(ticket_id);

ALTER TABLE ticket_messages ADD COLUMN full_body TEXT NOT NULL DEFAULT '';
ALTER TABLE ticket_messages ADD COLUMN html TEXT NOT NULL DEFAULT '';
ALTER TABLE ticket_messages ADD COLUMN no_autoreply BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE ticket_messages ADD COLUMN inbound_id BIGINT REFERENCES mail_inbound(id) ON DELETE SET NULL;
CREATE INDEX ticket_messages_mail_id ON ticket_messages(mail_message_id);

ALTER TABLE attachments ADD COLUMN content_id TEXT NOT NULL DEFAULT '';
