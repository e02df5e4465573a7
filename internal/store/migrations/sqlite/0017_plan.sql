-- The steering plan (issue #9, docs/plan.md): the ops manager's pins and moves of plan items,
-- kept in history (a new override for an item, or its removal, marks the current one superseded;
-- rows are never rewritten otherwise), and each agent's capacity settings and absences.

CREATE TABLE plan_overrides (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    item_kind     TEXT NOT NULL CHECK (item_kind IN ('ticket', 'task')),
    item_id       BIGINT NOT NULL,
    pin           BOOLEAN NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    reason        TEXT NOT NULL,
    created_by    BIGINT REFERENCES users(id),
    created_label TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    superseded_at BIGINT,
    superseded_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_overrides_item ON plan_overrides(item_kind, item_id, id);
CREATE INDEX plan_overrides_current ON plan_overrides(id) WHERE superseded_at IS NULL;

-- weekly_minutes: contract time of a full standard week; percent: the share given to Ops work.
CREATE TABLE agent_capacity (
    user_id        BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    weekly_minutes BIGINT NOT NULL,
    percent        INTEGER NOT NULL DEFAULT 100,
    updated_by     TEXT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- An absence covers from_day to to_day, both local days included (YYYY-MM-DD).
CREATE TABLE agent_absences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX agent_absences_user ON agent_absences(user_id, from_day);
