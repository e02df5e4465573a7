-- Mails of customer environments (issue #7; docs/environments.md, "Mails"): the holder's manager
-- of an access grant, the instant an expired grant was warned about (once per grant), and
-- outbox mails that belong to no ticket (maintenance announcements, access warnings).

-- The person warned when an access of the user expires; null: the ops managers.
ALTER TABLE users ADD COLUMN manager_id BIGINT REFERENCES users(id) ON DELETE SET NULL;

-- When the holder was told their access expires soon (OPSDESK_ACCESS_NOTICE_DAYS), and when its
-- expiry was warned about; each once per grant.
ALTER TABLE env_access_grants ADD COLUMN notice_at BIGINT;
ALTER TABLE env_access_grants ADD COLUMN warned_at BIGINT;
CREATE INDEX env_access_grants_unwarned ON env_access_grants(expires_at) WHERE revoked_at IS NULL AND warned_at IS NULL;
CREATE INDEX env_access_grants_unnoticed ON env_access_grants(expires_at) WHERE revoked_at IS NULL AND notice_at IS NULL;

-- Windows waiting for their announcement.
CREATE INDEX env_maintenance_unannounced ON env_maintenance(ends_at) WHERE announced_at IS NULL;

ALTER TABLE mail_outbox ALTER COLUMN ticket_id DROP NOT NULL;
