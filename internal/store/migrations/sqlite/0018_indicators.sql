-- The steering indicators (issue #9, docs/indicators.md) read their period by instant: tickets
-- created, status changes (resolutions, reopenings, the backlog's changes after its instant),
-- escalations, surveys opened, deflections and projects closed.
CREATE INDEX tickets_created ON tickets(created_at, id);
CREATE INDEX ticket_events_status_at ON ticket_events(at, ticket_id, new_value, old_value) WHERE field = 'status';
CREATE INDEX ticket_events_escalation ON ticket_events(ticket_id, id, old_value, new_value) WHERE kind = 'escalation';
-- The clocks stopped in the period, per clock, covering the durations and the met count.
CREATE INDEX sla_clocks_stopped_clock ON sla_clocks(clock, stopped_at, elapsed_ms, target_s, deadline) WHERE stopped;
CREATE INDEX surveys_opened ON surveys(opened_at);
CREATE INDEX kb_deflections_at ON kb_deflections(at);
CREATE INDEX projects_closed ON projects(closed_at) WHERE closed_at IS NOT NULL;
