package store

import (
	"context"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// DeskGauges are the desk's current values, exported as Prometheus gauges (internal/metrics,
// docs/operations.md): what is open now, with no period.
type DeskGauges struct {
	// OpenTickets counts the active tickets (new, open, waiting for the customer) by severity
	// code and level.
	OpenTickets map[[2]string]int
	// BacklogAge splits the active tickets by age at now (the buckets of the indicators).
	BacklogAge opsdesk.BacklogAge
	// BreachedClocks counts, per SLA clock, the clocks not stopped (running or paused) whose
	// target was exceeded: deadline recorded and past.
	BreachedClocks map[string]int
	// OpenActions counts the CAPA actions still to decide or do, by status (proposed, open,
	// in_progress).
	OpenActions map[string]int
	// OverdueTasks counts the project tasks not done, of open projects, whose due day is past.
	OverdueTasks int
}

// DeskGauges reads the desk's current values at now in a handful of aggregate queries, outside
// any transaction (a scrape must not take SQLite's write lock). Staff
// (and the system) only. Errors: forbidden.
func (d *DB) DeskGauges(ctx context.Context, now time.Time) (*DeskGauges, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads the desk's gauges")
	}
	g := &DeskGauges{OpenTickets: map[[2]string]int{}, BreachedClocks: map[string]int{}, OpenActions: map[string]int{}}
	at := now.UnixMilli()
	const day = int64(86_400_000)
	err := func() error {
		if err := d.countBy(ctx, `SELECT severity, level, COUNT(*) FROM tickets WHERE active = TRUE GROUP BY severity, level`, nil,
			func(k []string, n int) { g.OpenTickets[[2]string{k[0], k[1]}] = n }, 2); err != nil {
			return err
		}
		var under, week, month, older int
		err := d.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN ? - created_at < ? THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN ? - created_at >= ? AND ? - created_at < ? THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN ? - created_at >= ? AND ? - created_at < ? THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN ? - created_at >= ? THEN 1 ELSE 0 END), 0)
			FROM tickets WHERE active = TRUE`,
			at, day, at, day, at, 7*day, at, 7*day, at, 30*day, at, 30*day).Scan(&under, &week, &month, &older)
		if err != nil {
			return err
		}
		g.BacklogAge = opsdesk.BacklogAge{UnderDay: under, UnderWeek: week, UnderMonth: month, Older: older}
		if err := d.countBy(ctx, `SELECT clock, COUNT(*) FROM sla_clocks
			WHERE stopped = FALSE AND deadline IS NOT NULL AND deadline <= ? GROUP BY clock`, []any{at},
			func(k []string, n int) { g.BreachedClocks[k[0]] = n }, 1); err != nil {
			return err
		}
		if err := d.countBy(ctx, `SELECT status, COUNT(*) FROM capa_actions
			WHERE status IN ('proposed', 'open', 'in_progress') GROUP BY status`, nil,
			func(k []string, n int) { g.OpenActions[k[0]] = n }, 1); err != nil {
			return err
		}
		today := opsdesk.Day(now).UnixMilli()
		return d.queryRow(ctx, `SELECT COUNT(*) FROM project_tasks t JOIN projects p ON p.id = t.project_id
			WHERE t.status <> 'done' AND t.due_on IS NOT NULL AND t.due_on < ? AND p.closed_at IS NULL`, today).Scan(&g.OverdueTasks)
	}()
	if err != nil {
		return nil, wrapErr("store.DeskGauges", err)
	}
	return g, nil
}

// countBy runs a query whose rows are keys (keys text columns) and a count, handing each to add.
func (d *DB) countBy(ctx context.Context, q string, args []any, add func(keys []string, n int), keys int) error {
	rs, err := d.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		k := make([]string, keys)
		dest := make([]any, keys+1)
		for i := range k {
			dest[i] = &k[i]
		}
		var n int
		dest[keys] = &n
		if err := rs.Scan(dest...); err != nil {
			return err
		}
		add(k, n)
	}
	return rs.Err()
}
