-- The steering figures filtered by customer at a million tickets (issue #9, docs/indicators.md
-- "Performance"): without the ticket's customer on its clocks and history, every clock and
-- status change of the period looked its ticket up (3 million clocks, a million resolutions
-- for all time: 4–6 s). A ticket never changes customer, so the copy never goes stale: the
-- store writes it with each clock and each event, and it is backfilled here.
ALTER TABLE sla_clocks ADD COLUMN customer_id BIGINT;
ALTER TABLE ticket_events ADD COLUMN customer_id BIGINT;
-- The indexes rebuilt below are dropped first: the backfill then writes none of them.
DROP INDEX ticket_events_resolution_at;
DROP INDEX ticket_events_reopen_at;
DROP INDEX ticket_events_backlog_enter;
DROP INDEX ticket_events_backlog_leave;
DROP INDEX sla_clocks_ind_stopped;
DROP INDEX sla_clocks_ind_met;
DROP INDEX sla_clocks_ind_breached;
DROP INDEX sla_clocks_ind_elapsed;
DROP INDEX surveys_ind_opened;
DROP INDEX surveys_ind_superseded;
DROP INDEX surveys_ind_answered;
DROP INDEX tickets_ind_id;
-- backfill
UPDATE sla_clocks c SET customer_id = t.customer_id FROM tickets t WHERE t.id = c.ticket_id;
UPDATE ticket_events e SET customer_id = t.customer_id FROM tickets t WHERE t.id = e.ticket_id;
-- end backfill

-- The indicators' narrow indexes (0023, 0025) end with the customer: filtered by customer, a
-- figure is the same pass over the period's entries, each checked in the index, no lookup.
CREATE INDEX ticket_events_resolution_at ON ticket_events(at, ticket_id, customer_id)
    WHERE kind = 'change' AND field = 'status' AND new_value = 'resolved';
CREATE INDEX ticket_events_reopen_at ON ticket_events(at, ticket_id, customer_id)
    WHERE kind = 'change' AND field = 'status' AND old_value IN ('resolved', 'closed')
    AND new_value IN ('new', 'open', 'waiting_customer');
CREATE INDEX ticket_events_backlog_enter ON ticket_events(at, ticket_id, customer_id)
    WHERE kind = 'change' AND field = 'status' AND new_value IN ('new', 'open', 'waiting_customer')
    AND COALESCE(old_value, '') NOT IN ('new', 'open', 'waiting_customer');
CREATE INDEX ticket_events_backlog_leave ON ticket_events(at, ticket_id, customer_id)
    WHERE kind = 'change' AND field = 'status' AND old_value IN ('new', 'open', 'waiting_customer')
    AND COALESCE(new_value, '') NOT IN ('new', 'open', 'waiting_customer');
-- On PostgreSQL the stopped clocks' index also holds what makes a clock met: one pass gives the
-- count, the sum and the met clocks of take charge and resolve (a third less than two passes).
CREATE INDEX sla_clocks_ind_stopped ON sla_clocks(clock, stopped_at, elapsed_ms, customer_id, target_s, deadline) WHERE stopped = TRUE;
CREATE INDEX sla_clocks_ind_met ON sla_clocks(clock, stopped_at, stopped, target_s, deadline, customer_id)
    WHERE stopped = TRUE AND target_s > 0 AND deadline IS NULL;
CREATE INDEX sla_clocks_ind_breached ON sla_clocks(deadline, clock, target_s, customer_id) WHERE deadline IS NOT NULL AND target_s > 0;
CREATE INDEX sla_clocks_ind_elapsed ON sla_clocks(clock, elapsed_ms, stopped_at, customer_id) WHERE stopped = TRUE;
CREATE INDEX surveys_ind_opened ON surveys(opened_at, state, rating, ticket_id, customer_id);
CREATE INDEX surveys_ind_superseded ON surveys(opened_at, ticket_id, customer_id) WHERE state = 'superseded';
CREATE INDEX surveys_ind_answered ON surveys(opened_at, rating, ticket_id, customer_id) WHERE state = 'answered';
-- A ticket's resolution facts and customer by its id: the tickets of the articles' links are
-- looked up there, with or without the customer filter.
CREATE INDEX tickets_ind_id ON tickets(id, ind_resolutions, ind_resolved_first, customer_id);

-- The backfill rewrote every clock and history line: their old versions are left for VACUUM and
-- the indexes built in the same transaction hold them too (twice their size, measured). Once
-- committed, the rewritten tables are vacuumed (the dashboard's index-only scans need their
-- pages marked all-visible) and their indexes rebuilt; the tickets' too, which migration
-- 0023's backfill left the same way. About two minutes at a million tickets; writes to each
-- table wait during its REINDEX.
-- after commit: VACUUM (ANALYZE) sla_clocks
-- after commit: VACUUM (ANALYZE) ticket_events
-- after commit: VACUUM (ANALYZE) tickets
-- after commit: REINDEX TABLE sla_clocks
-- after commit: REINDEX TABLE ticket_events
-- after commit: REINDEX TABLE tickets
