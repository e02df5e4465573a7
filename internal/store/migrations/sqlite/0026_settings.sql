-- settings: installation-wide flags, one row per key (the first: demo, set by `opsdesk demo`).
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
