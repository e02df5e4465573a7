-- The customer a CAPA action concerns (issue #9, docs/capa.md). NULL: an action of the vendor's
-- own (no customer). A customer's users read their customer's accepted actions (open,
-- in_progress, done): the "open actions" of the monthly service report.

ALTER TABLE capa_actions ADD COLUMN customer_id BIGINT REFERENCES customers(id);
CREATE INDEX capa_actions_customer ON capa_actions(customer_id, status);
