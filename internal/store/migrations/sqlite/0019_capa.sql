-- Corrective and preventive actions (issue #9, docs/capa.md). suggest_key is set on actions
-- made by SuggestActions (one per source: problem:<id>, sla:<ticket>:<clock>, survey:<id>), so a
-- suggestion is made once. Every change leaves a row in capa_history.

CREATE TABLE capa_actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL CHECK (kind IN ('corrective', 'preventive')),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL CHECK (source IN ('problem', 'sla_breach', 'survey', 'audit', 'probe', 'manual')),
    source_id     BIGINT NOT NULL DEFAULT 0,
    source_clock  TEXT NOT NULL DEFAULT '',
    suggest_key   TEXT UNIQUE,
    owner_id      BIGINT REFERENCES users(id),
    due_day       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('proposed', 'open', 'in_progress', 'done', 'cancelled', 'rejected')),
    reason        TEXT NOT NULL DEFAULT '',
    closed_at     BIGINT,
    closed_by     TEXT NOT NULL DEFAULT '',
    check_day     TEXT NOT NULL DEFAULT '',
    checked_at    BIGINT,
    checked_by    TEXT NOT NULL DEFAULT '',
    effective     BOOLEAN,
    check_note    TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX capa_actions_status ON capa_actions(status, due_day);
CREATE INDEX capa_actions_source ON capa_actions(source, source_id);

CREATE TABLE capa_history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id BIGINT NOT NULL REFERENCES capa_actions(id) ON DELETE CASCADE,
    at        BIGINT NOT NULL,
    by_label  TEXT NOT NULL,
    change    TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX capa_history_action ON capa_history(action_id, id);
