-- Customer environments, first part (issue #7; docs/environments.md): what the vendor shows the
-- customer of each environment, its servers, installed components with their current versions,
-- deployments (the promotion path test → preprod → prod), access grants held by vendor staff,
-- and maintenance windows. Health probes come in a later migration.

ALTER TABLE environments ADD COLUMN show_servers BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE environments ADD COLUMN show_versions BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE environments ADD COLUMN show_availability BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE environments ADD COLUMN show_access BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE env_servers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    hostname       TEXT NOT NULL,
    role           TEXT NOT NULL,
    os             TEXT NOT NULL DEFAULT '',
    os_version     TEXT NOT NULL DEFAULT '',
    cpu_cores      INTEGER NOT NULL DEFAULT 0,
    memory_mb      BIGINT NOT NULL DEFAULT 0,
    disk_gb        BIGINT NOT NULL DEFAULT 0,
    location       TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (environment_id, hostname)
);

-- A deployment of a version of a component to an environment. ticket_id links the request or
-- change ticket; project_id is a project of the later projects feature (no foreign key yet).
CREATE TABLE env_deployments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    environment_id   BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    component        TEXT NOT NULL,
    from_version     TEXT NOT NULL DEFAULT '',
    to_version       TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    planned_at       BIGINT,
    started_at       BIGINT,
    finished_at      BIGINT,
    by_id            BIGINT REFERENCES users(id) ON DELETE SET NULL,
    by_label         TEXT NOT NULL DEFAULT '',
    ticket_id        BIGINT REFERENCES tickets(id) ON DELETE SET NULL,
    project_id       BIGINT,
    notes            TEXT NOT NULL DEFAULT '',
    emergency_reason TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL
);
CREATE INDEX env_deployments_env ON env_deployments(environment_id, id);
-- The promotion check: has version V of component C succeeded somewhere?
CREATE INDEX env_deployments_version ON env_deployments(component, to_version, outcome);

-- The current version of each component installed on an environment; a successful deployment
-- sets it, staff may also record it by hand (inventory of dependencies).
CREATE TABLE env_components (
    environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    component      TEXT NOT NULL,
    version        TEXT NOT NULL,
    deployment_id  BIGINT REFERENCES env_deployments(id) ON DELETE SET NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (environment_id, component)
);

CREATE TABLE env_access_grants (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    user_id        BIGINT NOT NULL REFERENCES users(id),
    kind           TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    ticket_id      BIGINT REFERENCES tickets(id) ON DELETE SET NULL,
    granted_by_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    granted_by     TEXT NOT NULL DEFAULT '',
    granted_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    revoked_at     BIGINT,
    revoked_by_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    revoked_by     TEXT NOT NULL DEFAULT '',
    revoke_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX env_access_grants_env ON env_access_grants(environment_id, id);
CREATE INDEX env_access_grants_user ON env_access_grants(user_id);
-- Expired but not revoked: the revocation list.
CREATE INDEX env_access_grants_open ON env_access_grants(expires_at) WHERE revoked_at IS NULL;

-- [starts_at, ends_at): probe failures inside open no incident.
CREATE TABLE env_maintenance (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    notes          TEXT NOT NULL DEFAULT '',
    starts_at      BIGINT NOT NULL,
    ends_at        BIGINT NOT NULL,
    announced_at   BIGINT,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX env_maintenance_env ON env_maintenance(environment_id, starts_at);
CREATE INDEX env_maintenance_ends ON env_maintenance(ends_at);
