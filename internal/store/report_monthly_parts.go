package store

import (
	"context"
	"database/sql"
)

// The ticket list of the monthly report, with the definitions of docs/indicators.md: created in
// the month; resolved — a status change to resolved in the month; open at the end — the status at
// the month's end (the last status change before it, new when none) is new, open or
// waiting_customer. Only tickets created before the end can be any of these, and a ticket open at
// the end is either still active or changed status since, so the candidates are read through
// those two conditions before each is looked at.
const monthlyTicketsQuery = `SELECT t.id, t.key, t.subject, t.severity, t.status, COALESCE(e.name, ''), t.created_at,
		CASE WHEN EXISTS (SELECT 1 FROM ticket_events r WHERE r.ticket_id = t.id AND r.field = 'status' AND r.kind = 'change'
			AND r.new_value = 'resolved' AND r.at >= ? AND r.at < ?) THEN 1 ELSE 0 END,
		COALESCE((SELECT s.new_value FROM ticket_events s WHERE s.ticket_id = t.id AND s.field = 'status'
			AND s.kind = 'change' AND s.at < ? ORDER BY s.at DESC, s.id DESC LIMIT 1), 'new')
	FROM tickets t LEFT JOIN environments e ON e.id = t.environment_id
	WHERE t.customer_id = ? AND t.created_at < ? AND (t.created_at >= ? OR t.active = TRUE
		OR t.id IN (SELECT c.ticket_id FROM ticket_events c WHERE c.field = 'status' AND c.kind = 'change' AND c.at >= ?))
	ORDER BY t.created_at, t.id`

// monthlyTickets fills the report's ticket list and its counts.
func (tx *Tx) monthlyTickets(ctx context.Context, r *MonthlyReport) error {
	from, to := r.From.UnixMilli(), r.To.UnixMilli()
	rs, err := tx.query(ctx, monthlyTicketsQuery, from, to, to, r.Customer.ID, to, from, from)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var t MonthlyTicket
		var created int64
		var resolved int
		var atEnd string
		if err := rs.Scan(&t.ID, &t.Key, &t.Subject, &t.Severity, &t.Status, &t.Environment, &created, &resolved, &atEnd); err != nil {
			return err
		}
		t.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
		t.Created = created >= from
		t.Resolved = resolved == 1
		t.OpenAtEnd = atEnd == "new" || atEnd == "open" || atEnd == "waiting_customer"
		if !t.Created && !t.Resolved && !t.OpenAtEnd {
			continue
		}
		r.Tickets = append(r.Tickets, t)
		r.Created += int(b2i(t.Created))
		r.Resolved += int(b2i(t.Resolved))
		r.OpenAtTo += int(b2i(t.OpenAtEnd))
	}
	return rs.Err()
}

// monthlyEnvironments lists the customer's production environments (retired ones only if they
// were probed in the month), by name; their checks come from the indicators.
func (tx *Tx) monthlyEnvironments(ctx context.Context, r *MonthlyReport) error {
	rs, err := tx.query(ctx, `SELECT e.id, e.name, e.show_availability FROM environments e
		WHERE e.customer_id = ? AND e.kind = 'prod' AND (e.status <> 'retired' OR EXISTS (SELECT 1 FROM env_probe_results pr
			JOIN env_probes p ON p.id = pr.probe_id WHERE p.environment_id = e.id AND pr.at >= ? AND pr.at < ?))
		ORDER BY e.name, e.id`, r.Customer.ID, r.From.UnixMilli(), r.To.UnixMilli())
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var a MonthlyAvailability
		if err := rs.Scan(&a.EnvironmentID, &a.Name, &a.Visible); err != nil {
			return err
		}
		r.Availability = append(r.Availability, a)
	}
	return rs.Err()
}

// monthlyDeployments lists the deployments of the customer's environments whose time — finished,
// else started, else planned, else recorded — falls in the month, by environment then time.
func (tx *Tx) monthlyDeployments(ctx context.Context, r *MonthlyReport) error {
	rs, err := tx.query(ctx, `SELECT d.id, e.id, e.name, e.kind, d.component, d.from_version, d.to_version, d.outcome, e.show_versions,
			COALESCE(d.finished_at, d.started_at, d.planned_at, d.created_at) AS at
		FROM env_deployments d JOIN environments e ON e.id = d.environment_id
		WHERE e.customer_id = ? AND COALESCE(d.finished_at, d.started_at, d.planned_at, d.created_at) >= ?
			AND COALESCE(d.finished_at, d.started_at, d.planned_at, d.created_at) < ?
		ORDER BY e.name, e.id, at, d.id`, r.Customer.ID, r.From.UnixMilli(), r.To.UnixMilli())
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var m MonthlyDeployment
		var at int64
		if err := rs.Scan(&m.ID, &m.EnvironmentID, &m.Environment, &m.EnvKind, &m.Component, &m.FromVersion, &m.ToVersion,
			&m.Outcome, &m.Visible, &at); err != nil {
			return err
		}
		m.At = fromMS(sql.NullInt64{Int64: at, Valid: true})
		r.Deployments = append(r.Deployments, m)
	}
	return rs.Err()
}
