package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// Indicators computes the figures of the steering dashboard over the tickets the filter keeps
// (docs/indicators.md defines each one). Staff see every customer, or the one filtered; a
// customer user gets the figures of their own customer only, whatever the filter says. All is
// aggregated in SQL; only the p90 of the durations is computed in Go over the stopped clocks'
// business times. Errors: invalid (the filter, field named), unauthenticated.
func (d *DB) Indicators(ctx context.Context, f opsdesk.IndicatorFilter) (*opsdesk.Indicators, error) {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case a.IsCustomer():
		f.CustomerID = a.CustomerID
	case !a.IsStaff():
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	f.From, f.To = f.From.UTC(), f.To.UTC()
	out := &opsdesk.Indicators{Filter: f}
	err := d.inTx(ctx, "store.Indicators", func(tx *Tx) error {
		q := indicatorQuery{tx: tx, f: f, from: f.From.UnixMilli(), to: f.To.UnixMilli(), now: tx.now.UnixMilli()}
		for _, step := range []func(context.Context, *opsdesk.Indicators) error{
			q.volume, q.backlog, q.sla, q.durations, q.levels, q.reopens, q.surveys, q.knowledge, q.availability, q.projects,
		} {
			if err := step(ctx, out); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// indicatorQuery holds what every indicator query shares: the transaction, the filter and its
// instants in milliseconds.
type indicatorQuery struct {
	tx            *Tx
	f             opsdesk.IndicatorFilter
	from, to, now int64
}

// where returns the ticket filter as SQL conditions on the alias t, always starting "1 = 1".
func (q indicatorQuery) where() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if q.f.CustomerID != 0 {
		conds = append(conds, "t.customer_id = ?")
		args = append(args, q.f.CustomerID)
	}
	if q.f.EnvKind != "" {
		conds = append(conds, "t.environment_id IN (SELECT id FROM environments WHERE kind = ?)")
		args = append(args, string(q.f.EnvKind))
	}
	if q.f.Severity != "" {
		conds = append(conds, "t.severity = ?")
		args = append(args, q.f.Severity)
	}
	if q.f.Level != "" {
		lv, _ := opsdesk.ParseLevel(string(q.f.Level))
		conds = append(conds, "t.level = ?")
		args = append(args, string(lv))
	}
	if q.f.Channel != "" {
		conds = append(conds, "t.channel = ?")
		args = append(args, string(q.f.Channel))
	}
	return strings.Join(conds, " AND "), args
}

// joined names a table joined to its tickets t, or alone when no ticket filter is set (the join
// then only costs: every row has its ticket).
func (q indicatorQuery) joined(table, alias string) string {
	if q.f.CustomerID == 0 && q.f.EnvKind == "" && q.f.Severity == "" && q.f.Level == "" && q.f.Channel == "" {
		return table + " " + alias
	}
	return table + " " + alias + " JOIN tickets t ON t.id = " + alias + ".ticket_id"
}

// ints runs a one-row query and scans its integer columns (NULL reads as 0).
func (q indicatorQuery) ints(ctx context.Context, sqlText string, args []any, dst ...*int) error {
	vals := make([]sql.NullInt64, len(dst))
	ptrs := make([]any, len(dst))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := q.tx.queryRow(ctx, sqlText, args...).Scan(ptrs...); err != nil {
		return err
	}
	for i, v := range vals {
		*dst[i] = int(v.Int64)
	}
	return nil
}

// SQL fragments over the ticket t: it was resolved in the period (a semi-join driven by the
// status changes of the period); the level it started at.
const (
	resolvedInPeriod = `t.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.field = 'status' AND e.kind = 'change'
		AND e.new_value = 'resolved' AND e.at >= ? AND e.at < ?)`
	startLevel = `COALESCE((SELECT e.old_value FROM ticket_events e WHERE e.ticket_id = t.id
		AND e.kind = 'escalation' ORDER BY e.id LIMIT 1), t.level)`
	// statusAtEnd: the ticket's status at the end of the period (its last status change before).
	statusAtEnd = `COALESCE((SELECT e.new_value FROM ticket_events e WHERE e.ticket_id = t.id AND e.field = 'status'
		AND e.kind = 'change' AND e.at < ? ORDER BY e.at DESC, e.id DESC LIMIT 1), 'new')`
)

// volume: tickets created, resolved, and opened by probes.
func (q indicatorQuery) volume(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	err := q.ints(ctx, `SELECT COUNT(*), SUM(CASE WHEN t.channel = 'probe' THEN 1 ELSE 0 END) FROM tickets t
		WHERE `+w+` AND t.created_at >= ? AND t.created_at < ?`, append(args, q.from, q.to),
		&out.TicketsCreated, &out.ProbeIncidents)
	if err != nil {
		return err
	}
	return q.ints(ctx, `SELECT COUNT(*) FROM tickets t WHERE `+w+` AND `+resolvedInPeriod,
		append(args, q.from, q.to), &out.TicketsResolved)
}

// backlog: tickets created before the end whose status at the end was new, open or waiting.
// Two disjoint parts keep it cheap: a ticket with no status change since the end has its current
// status (read from the active index); only those changed since are looked up in the history.
func (q indicatorQuery) backlog(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	const day = int64(86_400_000)
	const changedSince = `t.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.field = 'status' AND e.kind = 'change' AND e.at >= ?)`
	buckets := `SELECT COUNT(*),
			SUM(CASE WHEN ? - t.created_at < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN ? - t.created_at >= ? AND ? - t.created_at < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN ? - t.created_at >= ? AND ? - t.created_at < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN ? - t.created_at >= ? THEN 1 ELSE 0 END)
		FROM tickets t WHERE ` + w + ` AND t.created_at < ? AND `
	bargs := append([]any{q.to, day, q.to, day, q.to, 7 * day, q.to, 7 * day, q.to, 30 * day, q.to, 30 * day}, append(args, q.to)...)
	var unchanged, changed [5]int
	if err := q.ints(ctx, buckets+`t.active = TRUE AND NOT `+changedSince, append(bargs, q.to),
		&unchanged[0], &unchanged[1], &unchanged[2], &unchanged[3], &unchanged[4]); err != nil {
		return err
	}
	if err := q.ints(ctx, buckets+changedSince+` AND `+statusAtEnd+` IN ('new', 'open', 'waiting_customer')`,
		append(bargs, q.to, q.to), &changed[0], &changed[1], &changed[2], &changed[3], &changed[4]); err != nil {
		return err
	}
	out.Backlog = unchanged[0] + changed[0]
	out.BacklogAge = opsdesk.BacklogAge{UnderDay: unchanged[1] + changed[1], UnderWeek: unchanged[2] + changed[2],
		UnderMonth: unchanged[3] + changed[3], Older: unchanged[4] + changed[4]}
	return nil
}

// sla: per clock, met (stopped in the period without passing its target) and breached (target
// passed in the period, before now).
func (q indicatorQuery) sla(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	// Met and breached read apart, each by its index (stopped_at, deadline).
	rs, err := q.tx.query(ctx, `SELECT c.clock, COUNT(*), 0 FROM `+q.joined("sla_clocks", "c")+`
		WHERE `+w+` AND c.target_s > 0 AND c.deadline IS NULL AND c.stopped AND c.stopped_at >= ? AND c.stopped_at < ?
		GROUP BY c.clock
		UNION ALL
		SELECT c.clock, 0, COUNT(*) FROM `+q.joined("sla_clocks", "c")+`
		WHERE `+w+` AND c.target_s > 0 AND c.deadline >= ? AND c.deadline < ? AND c.deadline < ?
		GROUP BY c.clock`, append(append(append([]any{}, args...), q.from, q.to), append(args, q.from, q.to, q.now)...)...)
	if err != nil {
		return err
	}
	defer rs.Close()
	got := map[string]opsdesk.SLACompliance{}
	for rs.Next() {
		var c opsdesk.SLACompliance
		if err := rs.Scan(&c.Clock, &c.Met, &c.Breached); err != nil {
			return err
		}
		g := got[c.Clock]
		g.Met, g.Breached = g.Met+c.Met, g.Breached+c.Breached
		got[c.Clock] = g
	}
	if err := rs.Err(); err != nil {
		return err
	}
	for _, k := range sla.ClockKinds {
		c := got[string(k)]
		c.Clock = string(k)
		out.SLA = append(out.SLA, c)
	}
	return nil
}
