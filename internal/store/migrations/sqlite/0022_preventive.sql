-- Recurring preventive work (issue #9, docs/plan.md "Preventive work"): schedules of a customer's
-- Run (customer_id NULL: the vendor's own platform) and their occurrences, each a task of the
-- plan. An occurrence is made once per schedule and due day (UNIQUE), so materialising again
-- never re-creates one, done or skipped included.

CREATE TABLE preventive_schedules (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL CHECK (kind IN ('audit', 'performance_review', 'certificate_renewal', 'access_review')),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    customer_id    BIGINT REFERENCES customers(id),
    environment_id BIGINT REFERENCES environments(id),
    every          INTEGER NOT NULL,
    unit           TEXT NOT NULL CHECK (unit IN ('weeks', 'months')),
    first_day      TEXT NOT NULL,
    planned_from   TEXT NOT NULL,
    estimate_hours DOUBLE PRECISION NOT NULL DEFAULT 0,
    assignee_id    BIGINT REFERENCES users(id),
    level          TEXT NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_by     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX preventive_schedules_customer ON preventive_schedules(customer_id);

CREATE TABLE preventive_tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule_id    BIGINT NOT NULL REFERENCES preventive_schedules(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    due_day        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
    assignee_id    BIGINT REFERENCES users(id),
    estimate_hours DOUBLE PRECISION NOT NULL DEFAULT 0,
    done_at        BIGINT,
    done_by        TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (schedule_id, due_day)
);
CREATE INDEX preventive_tasks_open ON preventive_tasks(status, due_day);
CREATE INDEX preventive_tasks_due ON preventive_tasks(due_day);
