-- The dashboard's trend at a million tickets (issue #9, docs/indicators.md "Dashboard").
--
-- The backlog at the end of each period is counted back from the present over the status
-- changes since (store.IndicatorTrend): only those that move a ticket into or out of the
-- backlog (new, open, waiting_customer) count, a few per ticket, each read from its own narrow
-- index by instant rather than every status change from the table.
CREATE INDEX ticket_events_backlog_enter ON ticket_events(at, ticket_id)
    WHERE kind = 'change' AND field = 'status' AND new_value IN ('new', 'open', 'waiting_customer')
    AND COALESCE(old_value, '') NOT IN ('new', 'open', 'waiting_customer');
CREATE INDEX ticket_events_backlog_leave ON ticket_events(at, ticket_id)
    WHERE kind = 'change' AND field = 'status' AND old_value IN ('new', 'open', 'waiting_customer')
    AND COALESCE(new_value, '') NOT IN ('new', 'open', 'waiting_customer');
-- Each ticket's filter columns by its id, narrow: with a ticket filter, the trend looks up the
-- ticket of every status change and clock of its periods here rather than in the wide table.
CREATE INDEX tickets_trend_filter ON tickets(id, customer_id, severity, level, channel, environment_id);
