-- Tickets: the severity scale, categories with routing, support groups, tickets, their
-- conversation, attachments and history. Numbers come from a counter row.

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE severities (
    code            TEXT PRIMARY KEY,
    rank            INTEGER NOT NULL UNIQUE,
    label_fr        TEXT NOT NULL,
    label_en        TEXT NOT NULL,
    help_fr         TEXT NOT NULL DEFAULT '',
    help_en         TEXT NOT NULL DEFAULT '',
    requires_impact BOOLEAN NOT NULL DEFAULT FALSE,
    default_type    TEXT NOT NULL DEFAULT 'incident',
    active          BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE support_groups (
    code  TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    level TEXT NOT NULL
);

CREATE TABLE group_members (
    group_code TEXT NOT NULL REFERENCES support_groups(code) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_code, user_id)
);

CREATE TABLE categories (
    code          TEXT PRIMARY KEY,
    label_fr      TEXT NOT NULL,
    label_en      TEXT NOT NULL,
    level         TEXT NOT NULL DEFAULT 'N1',
    group_code    TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    display_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    number         BIGINT NOT NULL UNIQUE,
    key            TEXT NOT NULL UNIQUE,
    customer_id    BIGINT NOT NULL REFERENCES customers(id),
    requester_id   BIGINT NOT NULL REFERENCES contacts(id),
    environment_id BIGINT REFERENCES environments(id),
    category       TEXT NOT NULL,
    type           TEXT NOT NULL,
    severity       TEXT NOT NULL,
    severity_rank  INTEGER NOT NULL,
    status         TEXT NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    level          TEXT NOT NULL,
    assignee_id    BIGINT REFERENCES users(id),
    group_code     TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL,
    subject        TEXT NOT NULL,
    impact         TEXT NOT NULL DEFAULT '',
    created_by     BIGINT REFERENCES users(id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    taken_at       BIGINT,
    resolved_at    BIGINT,
    closed_at      BIGINT,
    reopen_count   INTEGER NOT NULL DEFAULT 0,
    version        BIGINT NOT NULL DEFAULT 1
);
-- active: status is new, open or waiting_customer — the work still to do, read by every queue.
CREATE INDEX tickets_active_updated ON tickets(active, updated_at, id);
CREATE INDEX tickets_status_updated ON tickets(status, updated_at, id);
CREATE INDEX tickets_customer_active_updated ON tickets(customer_id, active, updated_at, id);
CREATE INDEX tickets_customer_status_updated ON tickets(customer_id, status, updated_at, id);
CREATE INDEX tickets_customer_updated ON tickets(customer_id, updated_at, id);
CREATE INDEX tickets_level_active ON tickets(level, active, updated_at, id);
CREATE INDEX tickets_assignee_active ON tickets(assignee_id, active, updated_at, id);
CREATE INDEX tickets_updated ON tickets(updated_at, id);

CREATE TABLE ticket_messages (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id         BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author_user_id    BIGINT REFERENCES users(id),
    author_contact_id BIGINT REFERENCES contacts(id),
    author_label      TEXT NOT NULL DEFAULT '',
    internal          BOOLEAN NOT NULL DEFAULT FALSE,
    body              TEXT NOT NULL,
    channel           TEXT NOT NULL,
    mail_message_id   TEXT,
    created_at        BIGINT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, id);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id    BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    message_id   BIGINT REFERENCES ticket_messages(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    internal     BOOLEAN NOT NULL DEFAULT FALSE,
    uploaded_by  TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id, id);
CREATE INDEX attachments_message ON attachments(message_id);

CREATE TABLE ticket_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_label TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    old_value   TEXT NOT NULL DEFAULT '',
    new_value   TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    message_id  BIGINT,
    internal    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
