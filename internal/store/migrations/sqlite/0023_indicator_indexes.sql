-- The steering indicators at a million tickets (issue #9, docs/indicators.md "Performance").
--
-- Per-ticket facts of its history, kept by triggers in the transaction that writes each
-- event, whichever code path writes it, so that the figures over the tickets resolved or
-- created in a period are one pass over an index of tickets instead of a join per ticket:
--   ind_resolutions     its resolutions (status changes to resolved), counted
--   ind_resolved_first  the instant of its first resolution; NULL when none
--   ind_start_level     the old_value of its first escalation (its starting level); NULL when
--                       never escalated (it then started at its current level)
--   ind_flags           1 escalated, 2 escalated from N1 to N2 or N3, 4 escalated from N2 to N3,
--                       8 escalated to N2, 16 reopened (resolved or closed → new, open, waiting)
-- Events are only ever added (deleted with their ticket), so insert triggers suffice.
ALTER TABLE tickets ADD COLUMN ind_resolutions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN ind_resolved_first BIGINT;
ALTER TABLE tickets ADD COLUMN ind_start_level TEXT;
ALTER TABLE tickets ADD COLUMN ind_flags INTEGER NOT NULL DEFAULT 0;

-- backfill: the facts of the history written before this migration.
UPDATE tickets SET
    ind_resolutions = (SELECT COUNT(*) FROM ticket_events e WHERE e.ticket_id = tickets.id
        AND e.kind = 'change' AND e.field = 'status' AND e.new_value = 'resolved'),
    ind_resolved_first = (SELECT MIN(e.at) FROM ticket_events e WHERE e.ticket_id = tickets.id
        AND e.kind = 'change' AND e.field = 'status' AND e.new_value = 'resolved'),
    ind_start_level = (SELECT e.old_value FROM ticket_events e WHERE e.ticket_id = tickets.id
        AND e.kind = 'escalation' ORDER BY e.id LIMIT 1),
    ind_flags = (SELECT COALESCE(MAX(CASE WHEN e.kind = 'escalation' THEN 1 ELSE 0 END), 0)
        | COALESCE(MAX(CASE WHEN e.kind = 'escalation' AND e.old_value = 'N1' AND e.new_value IN ('N2', 'N3') THEN 2 ELSE 0 END), 0)
        | COALESCE(MAX(CASE WHEN e.kind = 'escalation' AND e.old_value = 'N2' AND e.new_value = 'N3' THEN 4 ELSE 0 END), 0)
        | COALESCE(MAX(CASE WHEN e.kind = 'escalation' AND e.new_value = 'N2' THEN 8 ELSE 0 END), 0)
        | COALESCE(MAX(CASE WHEN e.kind = 'change' AND e.field = 'status' AND e.old_value IN ('resolved', 'closed')
            AND e.new_value IN ('new', 'open', 'waiting_customer') THEN 16 ELSE 0 END), 0)
        FROM ticket_events e WHERE e.ticket_id = tickets.id)
WHERE id IN (SELECT ticket_id FROM ticket_events WHERE kind = 'escalation'
    OR (kind = 'change' AND field = 'status' AND new_value IN ('resolved', 'new', 'open', 'waiting_customer')));
-- end backfill

CREATE TRIGGER ticket_events_ind_resolution AFTER INSERT ON ticket_events
WHEN NEW.kind = 'change' AND NEW.field = 'status' AND NEW.new_value = 'resolved'
BEGIN
    UPDATE tickets SET ind_resolutions = ind_resolutions + 1,
        ind_resolved_first = CASE WHEN ind_resolved_first IS NULL OR NEW.at < ind_resolved_first THEN NEW.at
            ELSE ind_resolved_first END
    WHERE id = NEW.ticket_id;
END;

CREATE TRIGGER ticket_events_ind_reopen AFTER INSERT ON ticket_events
WHEN NEW.kind = 'change' AND NEW.field = 'status' AND NEW.old_value IN ('resolved', 'closed')
    AND NEW.new_value IN ('new', 'open', 'waiting_customer')
BEGIN
    UPDATE tickets SET ind_flags = ind_flags | 16 WHERE id = NEW.ticket_id;
END;

-- Ids grow with each insert, so the first escalation inserted is the first by id.
CREATE TRIGGER ticket_events_ind_escalation AFTER INSERT ON ticket_events
WHEN NEW.kind = 'escalation'
BEGIN
    UPDATE tickets SET ind_start_level = COALESCE(ind_start_level, NEW.old_value),
        ind_flags = ind_flags | 1
            | CASE WHEN NEW.old_value = 'N1' AND NEW.new_value IN ('N2', 'N3') THEN 2 ELSE 0 END
            | CASE WHEN NEW.old_value = 'N2' AND NEW.new_value = 'N3' THEN 4 ELSE 0 END
            | CASE WHEN NEW.new_value = 'N2' THEN 8 ELSE 0 END
    WHERE id = NEW.ticket_id;
END;

-- Tickets created, and tickets resolved, in a period: covering every column the figures and
-- the ticket filters read.
CREATE INDEX tickets_ind_created ON tickets(created_at, level, ind_start_level, ind_flags, channel,
    customer_id, severity, environment_id);
-- The escalated tickets created in a period (a fifth of them, or less), whose cohorts differ.
CREATE INDEX tickets_ind_escalated ON tickets(created_at, level, ind_start_level, ind_flags,
    customer_id, severity, channel, environment_id) WHERE ind_start_level IS NOT NULL;
CREATE INDEX tickets_ind_resolved ON tickets(ind_resolved_first, ind_resolutions, level, ind_start_level, ind_flags,
    customer_id, severity, channel, environment_id) WHERE ind_resolved_first IS NOT NULL;
-- The few tickets resolved more than once, whose resolutions in a period are looked up.
CREATE INDEX tickets_ind_resolved_again ON tickets(ind_resolved_first, level, ind_start_level, ind_flags,
    customer_id, severity, channel, environment_id) WHERE ind_resolutions > 1;
-- A ticket's resolution facts by its id, narrow: the tickets of the articles' links are looked up there.
CREATE INDEX tickets_ind_id ON tickets(id, ind_resolutions, ind_resolved_first);
-- Resolutions by ticket (those lookups), resolutions and reopenings by instant (the reopen rate).
CREATE INDEX ticket_events_resolution_ticket ON ticket_events(ticket_id, at)
    WHERE kind = 'change' AND field = 'status' AND new_value = 'resolved';
CREATE INDEX ticket_events_resolution_at ON ticket_events(at, ticket_id)
    WHERE kind = 'change' AND field = 'status' AND new_value = 'resolved';
CREATE INDEX ticket_events_reopen_at ON ticket_events(at, ticket_id)
    WHERE kind = 'change' AND field = 'status' AND old_value IN ('resolved', 'closed')
    AND new_value IN ('new', 'open', 'waiting_customer');
-- Clocks: stopped in a period (count, sum), met, breached, and stopped by business time (the p90
-- read from the top). "stopped = TRUE" rather than "stopped": SQLite then knows the column from
-- the index's condition and reads the index alone.
CREATE INDEX sla_clocks_ind_stopped ON sla_clocks(clock, stopped_at, elapsed_ms) WHERE stopped = TRUE;
CREATE INDEX sla_clocks_ind_met ON sla_clocks(clock, stopped_at, stopped, target_s, deadline)
    WHERE stopped = TRUE AND target_s > 0 AND deadline IS NULL;
CREATE INDEX sla_clocks_ind_breached ON sla_clocks(deadline, clock, target_s) WHERE deadline IS NOT NULL AND target_s > 0;
CREATE INDEX sla_clocks_ind_elapsed ON sla_clocks(clock, elapsed_ms, stopped_at) WHERE stopped = TRUE;
-- Surveys opened in a period: all, the superseded ones, the answered ones with their rating.
CREATE INDEX surveys_ind_opened ON surveys(opened_at, state, rating, ticket_id);
CREATE INDEX surveys_ind_superseded ON surveys(opened_at, ticket_id) WHERE state = 'superseded';
CREATE INDEX surveys_ind_answered ON surveys(opened_at, rating, ticket_id) WHERE state = 'answered';
-- The steering plan's 90-day handling times (PlanHandling): the tickets resolved lately, then
-- each one's resolve clock in a narrow index (the clocks' table is wide: 3 rows per ticket).
CREATE INDEX tickets_resolved_at ON tickets(resolved_at, severity_rank, level) WHERE resolved_at IS NOT NULL;
CREATE INDEX sla_clocks_resolve_elapsed ON sla_clocks(ticket_id, elapsed_ms) WHERE clock = 'resolve';
