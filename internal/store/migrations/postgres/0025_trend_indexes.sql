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
-- The tickets resolved more than once, by their first resolution, with their id and the ticket
-- filters' columns: the trend joins their resolutions in the periods. PostgreSQL reads it alone
-- (tickets_ind_resolved_again lacks the id, which SQLite's indexes all hold as the rowid).
CREATE INDEX tickets_trend_resolved_again ON tickets(ind_resolved_first, id, customer_id, severity, level, channel,
    environment_id) WHERE ind_resolutions > 1;
