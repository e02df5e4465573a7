-- Occurrences of preventive work can be pinned and moved in the plan (issue #9, docs/plan.md
-- "Pins and moves"): plan_overrides.item_kind accepts 'preventive'.

-- SQLite changes a CHECK by rebuilding the table: 0017's columns, every row with its id, the same
-- two indexes. No table refers to plan_overrides, so dropping it deletes nothing else. The
-- AUTOINCREMENT counter (sqlite_sequence) is carried over, so an id is never given twice: the
-- copy's own counter (max id copied) is replaced by the old table's before the old table is
-- dropped, and the rename carries it to the new name.
CREATE TABLE plan_overrides_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    item_kind     TEXT NOT NULL CHECK (item_kind IN ('ticket', 'task', 'preventive')),
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
INSERT INTO plan_overrides_new (id, item_kind, item_id, pin, position, reason, created_by, created_label, created_at,
    superseded_at, superseded_by)
SELECT id, item_kind, item_id, pin, position, reason, created_by, created_label, created_at,
    superseded_at, superseded_by FROM plan_overrides;
DELETE FROM sqlite_sequence WHERE name = 'plan_overrides_new';
UPDATE sqlite_sequence SET name = 'plan_overrides_new' WHERE name = 'plan_overrides';
DROP TABLE plan_overrides;
ALTER TABLE plan_overrides_new RENAME TO plan_overrides;
CREATE INDEX plan_overrides_item ON plan_overrides(item_kind, item_id, id);
CREATE INDEX plan_overrides_current ON plan_overrides(id) WHERE superseded_at IS NULL;
