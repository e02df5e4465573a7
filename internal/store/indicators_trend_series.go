package store

import (
	"context"
	"slices"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// The series of IndicatorTrend (indicators_trend.go): tickets created and the backlog, tickets
// resolved, the SLA per clock, each filling its own fields of every period.

// Status changes that move a ticket into the backlog and out of it, on the alias e (the
// conditions of the two indexes of migration 0025).
const (
	backlogEnter = `e.kind = 'change' AND e.field = 'status' AND e.new_value IN ('new', 'open', 'waiting_customer')
		AND COALESCE(e.old_value, '') NOT IN ('new', 'open', 'waiting_customer')`
	backlogLeave = `e.kind = 'change' AND e.field = 'status' AND e.old_value IN ('new', 'open', 'waiting_customer')
		AND COALESCE(e.new_value, '') NOT IN ('new', 'open', 'waiting_customer')`
)

// createdAndBacklog: the tickets created in each period, and the backlog at each period's end T —
// the tickets created before T whose status at T (their last status change before T, new when
// none) was new, open or waiting_customer. The backlog is counted back from the present: a
// ticket enters the backlog when created (its status is new) and each status change after
// moves it in (+1) or out (−1), so the tickets now in the backlog are those created so far plus
// every move, and
//
//	backlog(T) = backlog now − tickets created at or after T − Σ moves at or after T
//
// (a ticket created at or after T has all its changes after T). It counts the tickets created
// and the moves since the first period's end, by instant in narrow indexes: no per-ticket
// lookup of the history, no join unless a ticket filter is set.
func (q trendQuery) createdAndBacklog(ctx context.Context) error {
	w, args := q.where()
	n := len(q.points)
	var now int
	if err := q.ints(ctx, `SELECT COUNT(*) FROM tickets t WHERE `+w+` AND t.active = TRUE`, args, &now); err != nil {
		return err
	}
	created, err := q.counts(ctx, 0, true, `SELECT %s, COUNT(*) FROM `+q.indexed("tickets", "t", "tickets_ind_created")+`
		WHERE `+w, "t.created_at", args)
	if err != nil {
		return err
	}
	moves := make([]int, n+1)
	ew, eargs := q.rowWhere("e")
	for _, m := range []struct {
		index, cond string
		sign        int
	}{{"ticket_events_backlog_enter", backlogEnter, 1}, {"ticket_events_backlog_leave", backlogLeave, -1}} {
		got, err := q.counts(ctx, 1, true, `SELECT %s, COUNT(*) FROM `+q.via("ticket_events", "e", m.index)+`
			WHERE `+ew+` AND `+m.cond, "e.at", eargs)
		if err != nil {
			return err
		}
		for i, c := range got {
			moves[i] += m.sign * c
		}
	}
	// Bucket j > i holds the instants at or after the end of period i; bucket n those after the last.
	after, movesAfter := 0, 0
	for i := n - 1; i >= 0; i-- {
		after += created[i+1]
		movesAfter += moves[i+1]
		q.points[i].TicketsCreated = created[i]
		q.points[i].Backlog = now - after - movesAfter
	}
	return nil
}

// resolved: tickets with at least one resolution in each period, once per ticket and period, in
// two disjoint parts as Indicators counts them (resolvedIn): by the instant of each ticket's first
// resolution; and, for the few tickets resolved more than once, their later resolutions in a
// period other than the first one's, each ticket once per period (one grouped pass, the
// period of each instant given by bucket).
func (q trendQuery) resolved(ctx context.Context) error {
	w, args := q.where()
	first, err := q.counts(ctx, 0, false, `SELECT %s, COUNT(*) FROM `+q.indexed("tickets", "t", "tickets_ind_resolved")+`
		WHERE `+w, "t.ind_resolved_first", args)
	if err != nil {
		return err
	}
	b, bargs := q.bucket("t.ind_resolved_first")
	eb, ebargs := q.bucket("e.at")
	rs, err := q.tx.query(ctx, `SELECT `+eb+`, COUNT(DISTINCT t.id)
		FROM `+q.indexed("tickets", "t", "tickets_ind_resolved_again")+` `+q.join()+` `+q.tx.db.indexedBy("ticket_events e", "ticket_events_resolution_ticket")+`
			ON e.ticket_id = t.id
		WHERE `+w+` AND t.ind_resolutions > 1 AND t.ind_resolved_first < ? AND `+resolution+` AND e.at >= ? AND e.at < ?
			AND (t.ind_resolved_first < ? OR `+b+` < `+eb+`) GROUP BY 1`,
		slices.Concat(ebargs, args, []any{q.to, q.from, q.to, q.from}, bargs, ebargs)...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var i, c int
		if err := rs.Scan(&i, &c); err != nil {
			return err
		}
		if i >= 0 && i < len(q.points) {
			first[i] += c
		}
	}
	for i := range q.points {
		q.points[i].TicketsResolved = first[i]
	}
	return rs.Err()
}

// via is indicatorQuery.via with, on SQLite, each ticket looked up in the narrow index of its
// filter columns (migration 0025): a status change or a clock in the periods, of which there
// are hundreds of thousands a year at a million tickets, costs a third less to filter then.
func (q trendQuery) via(table, alias, index string) string {
	if !q.ticketFiltered() || q.tx.db.dialect != SQLite {
		return q.indicatorQuery.via(table, alias, index)
	}
	return q.indexed(table, alias, index) + " CROSS JOIN tickets t INDEXED BY tickets_trend_filter ON t.id = " + alias + ".ticket_id"
}

// join is the join that keeps the order of the tables written (CROSS JOIN on SQLite, see via).
func (q trendQuery) join() string {
	if q.tx.db.dialect == SQLite {
		return "CROSS JOIN"
	}
	return "JOIN"
}

// sla: per period and clock with a target, met (stopped in the period, no deadline passed), read
// per clock from the index of met clocks (the clock leads it), and breached (target passed in
// the period, before now) from the index of breached clocks (by deadline), per clock.
func (q trendQuery) sla(ctx context.Context) error {
	w, args := q.rowWhere("c")
	for i := range q.points {
		q.points[i].SLA = make([]opsdesk.SLACompliance, len(sla.ClockKinds))
	}
	for k, clock := range sla.ClockKinds {
		met, err := q.counts(ctx, 0, false, `SELECT %s, COUNT(*) FROM `+q.via("sla_clocks", "c", "sla_clocks_ind_met")+`
			WHERE `+w+` AND c.clock = ? AND c.stopped = TRUE AND c.target_s > 0 AND c.deadline IS NULL`,
			"c.stopped_at", append(slices.Clone(args), string(clock)))
		if err != nil {
			return err
		}
		for i := range q.points {
			q.points[i].SLA[k] = opsdesk.SLACompliance{Clock: string(clock), Met: met[i]}
		}
	}
	var counts []string
	var cargs []any
	for _, clock := range sla.ClockKinds {
		counts = append(counts, q.countIf(`c.clock = ?`))
		cargs = append(cargs, string(clock))
	}
	breached, err := q.spans(ctx, 0, false, `SELECT %s, `+strings.Join(counts, ", ")+`
		FROM `+q.via("sla_clocks", "c", "sla_clocks_ind_breached")+`
		WHERE `+w+` AND c.deadline IS NOT NULL AND c.target_s > 0 AND c.deadline < ?`, "c.deadline",
		slices.Concat(cargs, args, []any{q.now}))
	if err != nil {
		return err
	}
	for i := range q.points {
		for k := range sla.ClockKinds {
			q.points[i].SLA[k].Breached = breached[i][k]
		}
	}
	return nil
}
