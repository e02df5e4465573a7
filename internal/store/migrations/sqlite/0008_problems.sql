-- Problems (ITIL problem management): a problem groups the incidents of one cause, records its
-- root cause and its workaround (a known error), and is resolved once for all its tickets.
-- Lifecycle: open → known_error → resolved → closed (docs/problems.md).

CREATE TABLE problems (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    root_cause  TEXT NOT NULL DEFAULT '',
    workaround  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open',
    owner_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    resolved_at BIGINT,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX problems_status ON problems(status, id);

-- A ticket links to at most one problem (ticket_id is the key). notified_message_id is the
-- public message the problem's resolution posted on the ticket: set once, it keeps a retried
-- resolution from telling the requester twice.
CREATE TABLE problem_tickets (
    ticket_id           INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    problem_id          INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    linked_by           TEXT NOT NULL DEFAULT '',
    linked_at           BIGINT NOT NULL,
    notified_message_id INTEGER REFERENCES ticket_messages(id) ON DELETE SET NULL
);
CREATE INDEX problem_tickets_problem ON problem_tickets(problem_id, ticket_id);
