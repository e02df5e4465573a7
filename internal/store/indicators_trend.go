package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// TrendPoint is one period of the dashboard's trend charts: the same figures as Indicators
// gives for [From, To), computed for every period at once (docs/indicators.md, "Dashboard").
type TrendPoint struct {
	From, To        time.Time
	TicketsCreated  int
	TicketsResolved int
	Backlog         int                     // at To
	SLA             []opsdesk.SLACompliance // one per clock, in sla.ClockKinds order
}

// MaxTrendPeriods bounds the periods of one IndicatorTrend call.
const MaxTrendPeriods = 60

// IndicatorTrend computes tickets created, tickets resolved, the backlog at the end and the SLA
// compliance per clock of each period [bounds[i], bounds[i+1]), with the ticket filters of f
// (its From and To are ignored: the bounds give the periods). Each figure follows the
// definitions of docs/indicators.md exactly, so a point equals what Indicators gives for its
// period; each series is one grouped query over all the periods. Access as Indicators: staff see
// every customer or the one filtered, a customer user their own. Errors: invalid (bounds, or the
// filter's field), unauthenticated.
func (d *DB) IndicatorTrend(ctx context.Context, f opsdesk.IndicatorFilter, bounds []time.Time) ([]TrendPoint, error) {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case a.IsCustomer():
		f.CustomerID = a.CustomerID
	case !a.IsStaff():
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if len(bounds) < 2 || len(bounds) > MaxTrendPeriods+1 {
		return nil, opsdesk.Invalid("bounds", "must give 1 to %d periods", MaxTrendPeriods)
	}
	out := make([]TrendPoint, len(bounds)-1)
	for i := range out {
		if !bounds[i].Before(bounds[i+1]) {
			return nil, opsdesk.Invalid("bounds", "must be increasing")
		}
		out[i] = TrendPoint{From: bounds[i].UTC(), To: bounds[i+1].UTC()}
	}
	f.From, f.To = bounds[0].UTC(), bounds[len(bounds)-1].UTC()
	if err := f.Validate(); err != nil {
		return nil, err
	}
	err := d.inTx(ctx, "store.IndicatorTrend", func(tx *Tx) error {
		q := trendQuery{tx: tx, f: f, points: out, now: tx.now.UnixMilli()}
		for _, step := range []func(context.Context) error{q.created, q.resolved, q.backlog, q.sla} {
			if err := step(ctx); err != nil {
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

// trendQuery holds what the trend's queries share: the filter, the periods being filled and now.
type trendQuery struct {
	tx     *Tx
	f      opsdesk.IndicatorFilter
	points []TrendPoint
	now    int64
}

// where returns the ticket filter as SQL conditions on the alias t, starting "1 = 1", as the
// indicators apply it: the ticket's current customer, environment kind, severity, level, channel.
func (q trendQuery) where() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if q.f.CustomerID != 0 {
		conds, args = append(conds, "t.customer_id = ?"), append(args, q.f.CustomerID)
	}
	if q.f.EnvKind != "" {
		conds = append(conds, "t.environment_id IN (SELECT id FROM environments WHERE kind = ?)")
		args = append(args, string(q.f.EnvKind))
	}
	if q.f.Severity != "" {
		conds, args = append(conds, "t.severity = ?"), append(args, q.f.Severity)
	}
	if q.f.Level != "" {
		lv, _ := opsdesk.ParseLevel(string(q.f.Level))
		conds, args = append(conds, "t.level = ?"), append(args, string(lv))
	}
	if q.f.Channel != "" {
		conds, args = append(conds, "t.channel = ?"), append(args, string(q.f.Channel))
	}
	return strings.Join(conds, " AND "), args
}

// joined names a table joined to its tickets t, or alone when no ticket filter is set.
func (q trendQuery) joined(table, alias string) string {
	if q.f.CustomerID == 0 && q.f.EnvKind == "" && q.f.Severity == "" && q.f.Level == "" && q.f.Channel == "" {
		return table + " " + alias
	}
	return table + " " + alias + " JOIN tickets t ON t.id = " + alias + ".ticket_id"
}

// span is the whole range of the periods, in milliseconds.
func (q trendQuery) span() (int64, int64) {
	return q.points[0].From.UnixMilli(), q.points[len(q.points)-1].To.UnixMilli()
}

// counts runs a query answering (period, count) rows and stores each count with set.
func (q trendQuery) counts(ctx context.Context, sqlText string, args []any, set func(p *TrendPoint, n int)) error {
	return q.rows(ctx, sqlText, args, func(v []int) {
		if v[0] >= 0 && v[0] < len(q.points) {
			set(&q.points[v[0]], v[1])
		}
	})
}

// rows runs a query of integer columns and hands each row to fn, the rows closed on return.
func (q trendQuery) rows(ctx context.Context, sqlText string, args []any, fn func([]int)) error {
	rs, err := q.tx.query(ctx, sqlText, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return err
	}
	vals := make([]sql.NullInt64, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	out := make([]int, len(cols))
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			out[i] = int(v.Int64)
		}
		fn(out)
	}
	return rs.Err()
}

// created: tickets whose created_at falls in each period.
func (q trendQuery) created(ctx context.Context) error {
	b, bargs := q.bucket("t.created_at")
	w, args := q.where()
	from, to := q.span()
	return q.counts(ctx, `SELECT `+b+`, COUNT(*) FROM tickets t WHERE `+w+` AND t.created_at >= ? AND t.created_at < ? GROUP BY 1`,
		slices.Concat(bargs, args, []any{from, to}), func(pt *TrendPoint, n int) { pt.TicketsCreated = n })
}

// resolved: tickets with at least one resolution in each period, once per ticket and period.
func (q trendQuery) resolved(ctx context.Context) error {
	b, bargs := q.bucket("e.at")
	w, args := q.where()
	from, to := q.span()
	return q.counts(ctx, `SELECT `+b+`, COUNT(DISTINCT e.ticket_id) FROM `+q.joined("ticket_events", "e")+`
		WHERE e.field = 'status' AND e.kind = 'change' AND e.new_value = 'resolved' AND e.at >= ? AND e.at < ? AND `+w+`
		GROUP BY 1`, slices.Concat(bargs, []any{from, to}, args), func(pt *TrendPoint, n int) { pt.TicketsResolved = n })
}

// backlog: at the end T of each period, the tickets created before T whose status at T was new,
// open or waiting_customer. It is counted back from the present: a ticket's status at T is its
// current one undone by its status changes since (each changes the ticket's membership by
// active(new_value) − active(old_value)), so
//
//	backlog(T) = active tickets created before T − Σ those changes at or after T of tickets created before T
//
// which reads the active tickets and the status changes since the first period's end once,
// grouped by the periods their instants fall in (bucket), with no per-ticket lookup.
func (q trendQuery) backlog(ctx context.Context) error {
	w, args := q.where()
	n := len(q.points)
	firstEnd, lastEnd := q.points[0].To.UnixMilli(), q.points[n-1].To.UnixMilli()
	created, cargs := q.bucket("t.created_at")
	// active[lo]: active tickets created in bucket lo, counted at every period end from lo on.
	active := make([]int, n+1)
	err := q.rows(ctx, `SELECT `+created+`, COUNT(*) FROM tickets t
		WHERE `+w+` AND t.active = TRUE AND t.created_at < ? GROUP BY 1`, slices.Concat(cargs, args, []any{lastEnd}),
		func(v []int) { active[v[0]] += v[1] })
	if err != nil {
		return err
	}
	// changes[i]: the status changes to undo at period end i, as a difference array: a change at
	// instant a of a ticket created at c counts at every end T with c < T <= a.
	changes := make([]int, n+1)
	at, aargs := q.bucket("e.at")
	const isActive = `IN ('new', 'open', 'waiting_customer') THEN 1 ELSE 0 END`
	err = q.rows(ctx, `SELECT `+created+`, `+at+`, SUM((CASE WHEN e.new_value `+isActive+`) - (CASE WHEN e.old_value `+isActive+`))
		FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
		WHERE e.field = 'status' AND e.kind = 'change' AND e.at >= ? AND t.created_at < ? AND `+w+` GROUP BY 1, 2`,
		slices.Concat(cargs, aargs, []any{firstEnd, lastEnd}, args), func(v []int) {
			if lo, hi := v[0], v[1]; lo < hi {
				changes[lo] += v[2]
				changes[hi] -= v[2]
			}
		})
	if err != nil {
		return err
	}
	runActive, runChanges := 0, 0
	for i := range q.points {
		runActive += active[i]
		runChanges += changes[i]
		q.points[i].Backlog = runActive - runChanges
	}
	return nil
}

// bucket is an SQL expression giving the index of the first period whose end is after the
// instant col (n when none): an instant before the end of period i counts at that end.
func (q trendQuery) bucket(col string) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("CASE")
	for i, p := range q.points {
		fmt.Fprintf(&b, " WHEN %s < ? THEN %d", col, i)
		args = append(args, p.To.UnixMilli())
	}
	fmt.Fprintf(&b, " ELSE %d END", len(q.points))
	return b.String(), args
}

// sla: per period and clock with a target, met (stopped in the period, no deadline passed) and
// breached (target passed in the period, before now).
func (q trendQuery) sla(ctx context.Context) error {
	stopped, sargs := q.bucket("c.stopped_at")
	deadline, dargs := q.bucket("c.deadline")
	w, args := q.where()
	from, to := q.span()
	clocks := q.joined("sla_clocks", "c")
	rs, err := q.tx.query(ctx, `SELECT `+stopped+`, c.clock, COUNT(*), 0 FROM `+clocks+`
		WHERE `+w+` AND c.target_s > 0 AND c.deadline IS NULL AND c.stopped AND c.stopped_at >= ? AND c.stopped_at < ?
		GROUP BY 1, 2
		UNION ALL
		SELECT `+deadline+`, c.clock, 0, COUNT(*) FROM `+clocks+`
		WHERE `+w+` AND c.target_s > 0 AND c.deadline >= ? AND c.deadline < ? AND c.deadline < ?
		GROUP BY 1, 2`, slices.Concat(sargs, args, []any{from, to}, dargs, args, []any{from, to, q.now})...)
	if err != nil {
		return err
	}
	defer rs.Close()
	got := make([]map[string]opsdesk.SLACompliance, len(q.points))
	for rs.Next() {
		var i, met, breached int
		var clock string
		if err := rs.Scan(&i, &clock, &met, &breached); err != nil {
			return err
		}
		if i < 0 || i >= len(q.points) {
			continue
		}
		if got[i] == nil {
			got[i] = map[string]opsdesk.SLACompliance{}
		}
		g := got[i][clock]
		g.Met, g.Breached = g.Met+met, g.Breached+breached
		got[i][clock] = g
	}
	if err := rs.Err(); err != nil {
		return err
	}
	for i := range q.points {
		for _, k := range sla.ClockKinds {
			c := got[i][string(k)]
			c.Clock = string(k)
			q.points[i].SLA = append(q.points[i].SLA, c)
		}
	}
	return nil
}
