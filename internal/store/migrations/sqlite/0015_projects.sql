-- Delivery projects (issue #8; docs/projects.md): templates of phases and checklist items
-- (admin-editable, French and English), projects copied from a template, their phases with a
-- gate, checklist items with evidence, tasks and milestones with dependencies, deployments and
-- recurrence, links to tickets and problems, and an append-only history.

CREATE TABLE project_templates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT NOT NULL UNIQUE,
    name_fr    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE project_template_phases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id BIGINT NOT NULL REFERENCES project_templates(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    name_fr     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    UNIQUE (template_id, code)
);

CREATE TABLE project_template_items (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    phase_id       BIGINT NOT NULL REFERENCES project_template_phases(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    title_fr       TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    description_fr TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    owner_side     TEXT NOT NULL,
    offset_days    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX project_template_items_phase ON project_template_items(phase_id, position);

-- Dates (start_on, target_on, due_on) are calendar days stored as UTC milliseconds of 00:00 UTC.
CREATE TABLE projects (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id    BIGINT NOT NULL REFERENCES customers(id),
    name           TEXT NOT NULL,
    template_id    BIGINT REFERENCES project_templates(id) ON DELETE SET NULL,
    template_code  TEXT NOT NULL DEFAULT '',
    manager_id     BIGINT NOT NULL REFERENCES users(id),
    ops_lead_id    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    start_on       BIGINT NOT NULL,
    target_on      BIGINT,
    priority       TEXT NOT NULL DEFAULT 'normal',
    -- each side's agreement on the current priority: Ops (ops manager or admin), project managers
    ops_agreed_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    ops_label      TEXT NOT NULL DEFAULT '',
    ops_agreed_at  BIGINT,
    pm_agreed_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    pm_label       TEXT NOT NULL DEFAULT '',
    pm_agreed_at   BIGINT,
    closed_at      BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX projects_customer ON projects(customer_id, id);
CREATE INDEX projects_open ON projects(id) WHERE closed_at IS NULL;

CREATE TABLE project_environments (
    project_id     BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, environment_id)
);
CREATE INDEX project_environments_env ON project_environments(environment_id);

CREATE TABLE project_phases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    name_fr     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open',
    closed_at   BIGINT,
    closed_by   TEXT NOT NULL DEFAULT '',
    UNIQUE (project_id, code)
);

CREATE TABLE project_items (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id       BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    phase_id         BIGINT NOT NULL REFERENCES project_phases(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    title_fr         TEXT NOT NULL,
    title_en         TEXT NOT NULL,
    description_fr   TEXT NOT NULL DEFAULT '',
    description_en   TEXT NOT NULL DEFAULT '',
    owner_side       TEXT NOT NULL,
    owner_user_id    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    owner_contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
    due_on           BIGINT,
    status           TEXT NOT NULL DEFAULT 'todo',
    evidence         TEXT NOT NULL DEFAULT '',
    submitted_at     BIGINT,
    submitted_by     TEXT NOT NULL DEFAULT '',
    reviewer_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reviewer_label   TEXT NOT NULL DEFAULT '',
    validated_at     BIGINT,
    waive_reason     TEXT NOT NULL DEFAULT '',
    updated_at       BIGINT NOT NULL
);
CREATE INDEX project_items_project ON project_items(project_id, phase_id, position);
-- Reminders: open items by due day.
CREATE INDEX project_items_due ON project_items(due_on) WHERE status IN ('todo', 'submitted');

-- Evidence files; the content is in the attachment store (internal/blob), as for tickets.
CREATE TABLE project_item_attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id      BIGINT NOT NULL REFERENCES project_items(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX project_item_attachments_item ON project_item_attachments(item_id, id);

CREATE TABLE project_tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id     BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    phase_id       BIGINT NOT NULL REFERENCES project_phases(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    milestone      BOOLEAN NOT NULL DEFAULT FALSE,
    due_on         BIGINT,
    estimate_hours DOUBLE PRECISION NOT NULL DEFAULT 0,
    assignee_id    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status         TEXT NOT NULL DEFAULT 'todo',
    done_at        BIGINT,
    environment_id BIGINT REFERENCES environments(id) ON DELETE SET NULL,
    component      TEXT NOT NULL DEFAULT '',
    version        TEXT NOT NULL DEFAULT '',
    deployment_id  BIGINT REFERENCES env_deployments(id) ON DELETE SET NULL,
    recur_every    INTEGER NOT NULL DEFAULT 0,
    recur_unit     TEXT NOT NULL DEFAULT '',
    -- The occurrence this one follows; unique, so one occurrence is created once.
    recurrence_of  BIGINT UNIQUE REFERENCES project_tasks(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX project_tasks_project ON project_tasks(project_id, id);
-- The steering plan: open tasks by due day.
CREATE INDEX project_tasks_open ON project_tasks(due_on) WHERE status <> 'done';

CREATE TABLE project_task_deps (
    task_id    BIGINT NOT NULL REFERENCES project_tasks(id) ON DELETE CASCADE,
    depends_on BIGINT NOT NULL REFERENCES project_tasks(id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, depends_on)
);

-- Tickets and problems raised during a project (one of ticket_id, problem_id is set).
CREATE TABLE project_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    ticket_id  BIGINT REFERENCES tickets(id) ON DELETE CASCADE,
    problem_id BIGINT REFERENCES problems(id) ON DELETE CASCADE,
    linked_by  TEXT NOT NULL DEFAULT '',
    linked_at  BIGINT NOT NULL,
    UNIQUE (project_id, ticket_id),
    UNIQUE (project_id, problem_id)
);
CREATE INDEX project_links_ticket ON project_links(ticket_id);
CREATE INDEX project_links_problem ON project_links(problem_id);

-- Append-only history: who did what when (comments included). Never updated nor deleted.
CREATE TABLE project_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    actor_id    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    phase_id    BIGINT,
    item_id     BIGINT,
    task_id     BIGINT,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX project_events_project ON project_events(project_id, id);
CREATE INDEX project_events_item ON project_events(item_id) WHERE item_id IS NOT NULL;
