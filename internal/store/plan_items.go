package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// PlanItems loads every open piece of work for the steering plan (docs/plan.md): the active
// tickets, read in one query with what the score needs (severity rank, environment kind, the
// running clock that sets the next deadline, contract tier, level, category, assignee,
// customer), the open project tasks (OpenProjectTasks) and the open occurrences of preventive
// work (planPreventive). The SLA time left and the tasks'
// business hours to their deadline are counted at now on the customer's calendar (the default
// one without a contract). Staff only. Errors: forbidden.
func (d *DB) PlanItems(ctx context.Context, now time.Time) ([]plan.Item, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads the plan")
	}
	cals := map[int64]*sla.Calendar{}
	calendar := func(customerID int64) (*sla.Calendar, error) {
		if c := cals[customerID]; c != nil {
			return c, nil
		}
		c, err := d.queueCalendar(ctx, customerID)
		cals[customerID] = c
		return c, err
	}
	items, err := d.planTickets(ctx)
	if err != nil {
		return nil, wrapErr("store.PlanItems", err)
	}
	out := make([]plan.Item, 0, len(items))
	for _, r := range items {
		if r.deadline.IsZero() {
			out = append(out, r.item)
			continue
		}
		cal, err := calendar(r.item.Customer)
		if err != nil {
			return nil, wrapErr("store.PlanItems", err)
		}
		r.item.Ticket.HasSLA = true
		r.item.Ticket.SLALeft = businessLeft(cal, now, r.deadline)
		out = append(out, r.item)
	}
	tasks, err := d.OpenProjectTasks(ctx)
	if err != nil {
		return nil, err
	}
	for _, pt := range tasks {
		it := plan.Item{Kind: plan.KindTask, ID: pt.ID, Ref: fmt.Sprintf("P%d/%d", pt.ProjectID, pt.ID),
			Title: pt.ProjectName + " — " + pt.Title, Created: pt.CreatedAt, Domain: pt.Component,
			Assignee: pt.AssigneeID, Customer: pt.CustomerID,
			Task: &plan.TaskFacts{Priority: pt.Priority, Agreed: pt.PriorityAgreed, Due: pt.DueOn,
				ProjectTarget: pt.TargetOn, RemainingMinutes: int64(pt.EstimateHours * 60)}}
		if dl, ok := it.Task.Deadline(); ok {
			cal, err := calendar(pt.CustomerID)
			if err != nil {
				return nil, wrapErr("store.PlanItems", err)
			}
			it.Task.LeftHours = int64(businessLeft(cal, now, dl) / time.Hour)
		}
		out = append(out, it)
	}
	pv, err := d.planPreventive(ctx, now, calendar)
	if err != nil {
		return nil, err
	}
	return append(out, pv...), nil
}

// businessLeft is the business time from now to deadline on cal, negative once it is past.
func businessLeft(cal *sla.Calendar, now, deadline time.Time) time.Duration {
	if now.Before(deadline) {
		return cal.Elapsed(now, deadline)
	}
	return -cal.Elapsed(deadline, now)
}

// planTicketRow is an active ticket with the deadline of its running clock (zero when none).
type planTicketRow struct {
	item     plan.Item
	deadline time.Time
}

// planTickets reads the active tickets and, for each, the running targeted clock whose deadline
// is the ticket's next deadline, in one query.
func (d *DB) planTickets(ctx context.Context) ([]planTicketRow, error) {
	q := `SELECT t.id, t.key, t.subject, t.created_at, t.level, t.category, COALESCE(t.assignee_id, 0), t.customer_id,
		t.severity_rank, COALESCE(e.kind, ''), COALESCE(ct.tier, ''), COALESCE(c.target_s, 0), c.deadline
		FROM tickets t
		LEFT JOIN environments e ON e.id = t.environment_id
		LEFT JOIN contracts ct ON ct.customer_id = t.customer_id
		LEFT JOIN sla_clocks c ON c.ticket_id = t.id AND c.running AND c.target_s > 0 AND c.deadline = t.next_deadline
		WHERE t.active = TRUE
		ORDER BY t.id, c.clock` // "= TRUE": SQLite reads the active index, not the whole table
	rows, err := collect(func(sc scanner) (planTicketRow, error) {
		var r planTicketRow
		var created int64
		var target int64
		var deadline sql.NullInt64
		tf := &plan.TicketFacts{}
		it := &r.item
		err := sc.Scan(&it.ID, &it.Ref, &it.Title, &created, &it.Level, &it.Domain, &it.Assignee, &it.Customer,
			&tf.SeverityRank, &tf.Env, &tf.Tier, &target, &deadline)
		it.Kind, it.Ticket, it.Created = plan.KindTicket, tf, time.UnixMilli(created).UTC()
		if target > 0 && deadline.Valid {
			tf.SLATarget, r.deadline = time.Duration(target)*time.Second, fromMS(deadline)
		}
		return r, err
	})(d.query(ctx, q))
	if err != nil {
		return nil, err
	}
	// Two clocks may share the nearest deadline: the ticket is listed once.
	out := rows[:0]
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].item.ID == r.item.ID {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// PlanHandling returns the average handling time in minutes of the tickets resolved in the 90
// days before now, per severity rank and level, and per severity rank alone (level ""), for the
// capacity plan: the business time of each ticket's resolve clock as last stored. Tickets
// without a stored resolve clock are not counted. Staff only. Errors: forbidden.
func (d *DB) PlanHandling(ctx context.Context, now time.Time) (map[plan.HandlingKey]int64, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads the plan")
	}
	since := now.Add(-90 * 24 * time.Hour).UnixMilli()
	q := `SELECT t.severity_rank, t.level, SUM(c.elapsed_ms), COUNT(*) FROM tickets t
		JOIN ` + d.indexedBy("sla_clocks c", "sla_clocks_resolve_elapsed") + ` ON c.ticket_id = t.id AND c.clock = 'resolve'
		WHERE t.resolved_at >= ? AND t.resolved_at <= ?
		GROUP BY t.severity_rank, t.level`
	type agg struct {
		key        plan.HandlingKey
		sum, count int64
	}
	rows, err := collect(func(sc scanner) (agg, error) {
		var a agg
		err := sc.Scan(&a.key.SeverityRank, &a.key.Level, &a.sum, &a.count)
		return a, err
	})(d.query(ctx, q, since, now.UnixMilli()))
	if err != nil {
		return nil, wrapErr("store.PlanHandling", err)
	}
	out := map[plan.HandlingKey]int64{}
	bySev := map[int][2]int64{}
	for _, a := range rows {
		out[a.key] = a.sum / a.count / int64(time.Minute/time.Millisecond)
		s := bySev[a.key.SeverityRank]
		bySev[a.key.SeverityRank] = [2]int64{s[0] + a.sum, s[1] + a.count}
	}
	for rank, s := range bySev {
		out[plan.HandlingKey{SeverityRank: rank}] = s[0] / s[1] / int64(time.Minute/time.Millisecond)
	}
	return out, nil
}
