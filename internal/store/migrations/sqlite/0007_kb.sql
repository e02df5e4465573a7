-- Knowledge base and full-text search (docs/kb.md). Articles and troubleshooting procedures
-- with a French and/or English text, their revisions, tags, the customers a restricted article
-- is shown to, the tickets they were linked to and the requests they deflected; then the search
-- index over tickets and articles, maintained by the store in the transaction of each change.

CREATE TABLE articles (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL DEFAULT 'article',   -- article | procedure
    status           TEXT NOT NULL DEFAULT 'draft',     -- draft | review | published
    visibility       TEXT NOT NULL DEFAULT 'internal',  -- internal | customers | restricted
    category         TEXT NOT NULL DEFAULT '',
    created_by       BIGINT REFERENCES users(id),
    created_by_label TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    published_at     BIGINT,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX articles_updated ON articles(updated_at, id);
CREATE INDEX articles_status_updated ON articles(status, updated_at, id);

-- One text per language; revision is the number of the revision that wrote it last.
CREATE TABLE article_texts (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, lang)
);

-- The ordered steps of a procedure, per language.
CREATE TABLE article_steps (
    article_id  BIGINT NOT NULL,
    lang        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    instruction TEXT NOT NULL,
    expected    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, lang, position),
    FOREIGN KEY (article_id, lang) REFERENCES article_texts(article_id, lang) ON DELETE CASCADE
);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_tag ON article_tags(tag, article_id);

-- The customers a restricted article is shown to.
CREATE TABLE article_customers (
    article_id  BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, customer_id)
);
CREATE INDEX article_customers_customer ON article_customers(customer_id, article_id);

-- Every saved state of a text, numbered per article; steps as JSON. Diffs are computed on read.
CREATE TABLE article_revisions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id   BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    lang         TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    steps        TEXT NOT NULL DEFAULT '[]',
    author_id    BIGINT REFERENCES users(id),
    author_label TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    UNIQUE (article_id, number)
);

-- Which articles solved which tickets.
CREATE TABLE ticket_articles (
    ticket_id       BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    article_id      BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    linked_by       BIGINT REFERENCES users(id),
    linked_by_label TEXT NOT NULL DEFAULT '',
    linked_at       BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, article_id)
);
CREATE INDEX ticket_articles_article ON ticket_articles(article_id, ticket_id);

-- A request the portal reports as deflected: a customer opened the article while filing and
-- left without filing. Once per visit (session_hash: SHA-256 of the portal's key) and article.
CREATE TABLE kb_deflections (
    article_id   BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    session_hash TEXT NOT NULL,
    customer_id  BIGINT REFERENCES customers(id) ON DELETE SET NULL,
    at           BIGINT NOT NULL,
    PRIMARY KEY (article_id, session_hash)
);
CREATE INDEX kb_deflections_session ON kb_deflections(session_hash);

-- The search index. One document per ticket subject, per ticket message and per article text;
-- search_fts_ticket and search_fts_article hold their words (accent-folded and stemmed in Go, see
-- search_text.go) under the rowid -id (FTS5 reads forward fastest, and so the newest first), and
-- in scope the tokens of who may find them: s0 every customer, s42 the users of customer 42, none
-- for staff only. One table per kind, so that a search of one kind reads only its postings.
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,                   -- ticket | article
    ref_id     BIGINT NOT NULL,                 -- the ticket's or the article's id
    message_id BIGINT NOT NULL DEFAULT 0,       -- tickets: the message, 0 for the subject
    lang       TEXT NOT NULL DEFAULT '',        -- articles: the text's language
    internal   BOOLEAN NOT NULL DEFAULT FALSE,  -- an internal note, or an article customers do not see
    UNIQUE (kind, ref_id, message_id, lang)
);
-- Contentless (the texts are in their own tables), detail=column: which column holds a word is
-- kept (title matches rank first), not its positions (no phrase queries): a third smaller.
CREATE VIRTUAL TABLE search_fts_ticket USING fts5(title, body, scope,
    content='', contentless_delete=1, detail=column, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_fts_article USING fts5(title, body, scope,
    content='', contentless_delete=1, detail=column, tokenize='unicode61 remove_diacritics 0');

-- 'rebuild' asks EnsureSearchIndex to index the tickets that existed before this migration.
CREATE TABLE search_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO search_meta (name, value) VALUES ('rebuild', 'migration 0007');
