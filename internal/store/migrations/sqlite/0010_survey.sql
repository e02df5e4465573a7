-- Satisfaction survey (docs/followup.md, "Satisfaction survey and closing"): each resolution of a
-- ticket opens one survey; the customer answers it once — by a mailed link or in the portal —
-- or it expires (closed without an answer). A later resolution supersedes the open survey.
-- state: open → answered | superseded | expired. At most one open survey per ticket.

CREATE TABLE surveys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    state       TEXT NOT NULL DEFAULT 'open',
    lang        TEXT NOT NULL DEFAULT '',
    opened_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    ended_at    BIGINT,
    solved      BOOLEAN,
    rating      INTEGER,
    comment     TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX surveys_ticket ON surveys(ticket_id, id);
CREATE UNIQUE INDEX surveys_one_open ON surveys(ticket_id) WHERE state = 'open';
CREATE INDEX surveys_state ON surveys(state, opened_at);

-- The signed links mailed for a survey: only the SHA-256 of each link's 256-bit random secret is
-- kept, so a copy of the database (a backup) does not hold working links.
CREATE TABLE survey_links (
    token_hash TEXT PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    issued_at  BIGINT NOT NULL
);
CREATE INDEX survey_links_survey ON survey_links(survey_id);
