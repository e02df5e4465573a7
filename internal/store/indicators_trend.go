package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
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
// period; each series is one or a few queries over all the periods, read through the indexes
// and ticket facts of Indicators (migrations 0023, 0025), in read-only transactions (trendRead).
// Access as Indicators: staff see every customer or the one filtered, a customer user their own.
// Errors: invalid (bounds, or the filter's field), unauthenticated.
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
	if err := d.trendRead(ctx, f, out); err != nil {
		return nil, wrapErr("store.IndicatorTrend", err)
	}
	return out, nil
}

// trendRead fills the points in two lanes run at once through readLanes, as Indicators does:
// the tickets' series (created, backlog, resolved) and the clocks' (SLA).
func (d *DB) trendRead(ctx context.Context, f opsdesk.IndicatorFilter, points []TrendPoint) error {
	now := d.Now().UTC()
	type step struct {
		name string
		run  func(trendQuery, context.Context) error
	}
	var lanes []func(*Tx) error
	for _, lane := range [][]step{{{"created and backlog", trendQuery.createdAndBacklog}, {"resolved", trendQuery.resolved}},
		{{"sla", trendQuery.sla}}} {
		lanes = append(lanes, func(tx *Tx) error {
			q := trendQuery{indicatorQuery: indicatorQuery{tx: tx, f: f, from: f.From.UnixMilli(), to: f.To.UnixMilli(),
				now: now.UnixMilli()}, points: points}
			for _, st := range lane {
				if err := st.run(q, ctx); err != nil {
					return fmt.Errorf("%s: %w", st.name, err)
				}
			}
			return nil
		})
	}
	return d.readLanes(ctx, now, lanes...)
}

// trendQuery is an indicatorQuery over the whole span of the periods being filled.
type trendQuery struct {
	indicatorQuery
	points []TrendPoint
}

// spans counts, per period i from first on, the rows of arm whose instant col is in [From, To) of
// period i, and with last, in bucket n, those at or after the end of the last period. arm is
// "SELECT %s, COUNT(*) FROM … WHERE …" with its arguments, %s standing for the period, and may
// count more than one column. It returns the counts by bucket, 0 to n, then by column. Read
// alone, an index's range is counted far faster than its rows are grouped by an expression
// naming the period (a CASE, see bucket), so the query is a UNION ALL of one range count per
// period; but when arm joins the tickets (a ticket filter on another table, see via) one
// grouped pass joins each row once, where a join per period would cost more (on PostgreSQL, a
// scan of the tickets each).
func (q trendQuery) spans(ctx context.Context, first int, last bool, arm, col string, args []any) ([][]int, error) {
	n := len(q.points)
	end := q.points[n-1].To.UnixMilli()
	var sqlText string
	var all []any
	if strings.Contains(arm, " JOIN tickets t ON ") {
		b, bargs := q.bucket(col)
		sqlText = fmt.Sprintf(arm, b) + ` AND ` + col + ` >= ?`
		all = slices.Concat(bargs, args, []any{q.points[first].From.UnixMilli()})
		if !last {
			sqlText += ` AND ` + col + ` < ?`
			all = append(all, end)
		}
		sqlText += ` GROUP BY 1`
	} else {
		var parts []string
		for i := first; i < n; i++ {
			all = append(slices.Concat(all, args), q.points[i].From.UnixMilli(), q.points[i].To.UnixMilli())
			parts = append(parts, fmt.Sprintf(arm, strconv.Itoa(i))+` AND `+col+` >= ? AND `+col+` < ?`)
		}
		if last {
			all = append(slices.Concat(all, args), end)
			parts = append(parts, fmt.Sprintf(arm, strconv.Itoa(n))+` AND `+col+` >= ?`)
		}
		sqlText = strings.Join(parts, "\nUNION ALL\n")
	}
	rs, err := q.tx.query(ctx, sqlText, all...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	out := make([][]int, n+1)
	for i := range out {
		out[i] = make([]int, len(cols)-1)
	}
	vals := make([]sql.NullInt64, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		if i := vals[0].Int64; i >= 0 && int(i) <= n {
			for k, v := range vals[1:] {
				out[i][k] += int(v.Int64)
			}
		}
	}
	return out, rs.Err()
}

// counts is spans of one count.
func (q trendQuery) counts(ctx context.Context, first int, last bool, arm, col string, args []any) ([]int, error) {
	got, err := q.spans(ctx, first, last, arm, col, args)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(got))
	for i, c := range got {
		out[i] = c[0]
	}
	return out, nil
}

// bucket is an SQL expression giving the period of the instant col: the first whose end is
// after it (n when none), so an instant in [From, To) of period i is in bucket i.
func (q trendQuery) bucket(col string) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("CASE")
	for i := range q.points { // the periods' bounds alone: the other lane writes their figures
		fmt.Fprintf(&b, " WHEN %s < ? THEN %d", col, i)
		args = append(args, q.points[i].To.UnixMilli())
	}
	fmt.Fprintf(&b, " ELSE %d END", len(q.points))
	return b.String(), args
}
