package store

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/opsdesk/opsdesk/internal/sla"
)

// planner evaluates clocks on every core while the transaction that feeds it goes on reading:
// the arithmetic of one part of a batch overlaps the reading of the next.
type planner struct {
	now  time.Time
	opt  SLAOptions
	work chan planChunk
	wg   sync.WaitGroup
}

type planChunk struct {
	plans []*slaPlan
	ts    []*slaTicket
	terms []*slaTerms
}

func newPlanner(now time.Time, opt SLAOptions) *planner {
	pl := &planner{now: now, opt: opt, work: make(chan planChunk, 64)}
	for range runtime.GOMAXPROCS(0) {
		pl.wg.Go(func() {
			for c := range pl.work {
				for i, p := range c.plans {
					planClocks(p, c.ts[i], c.terms[i], pl.now, pl.opt, false)
				}
			}
		})
	}
	return pl
}

// wait returns once every plan handed to the planner is computed.
func (pl *planner) wait() {
	close(pl.work)
	pl.wg.Wait()
}

// plan returns the plans of tickets at the transaction's instant: the contracts' terms are read
// here (once per customer and transaction); the arithmetic is done at once and in full without
// a planner (one ticket: its live clocks are wanted too), else by the planner, and the plans are
// ready after its wait.
func (tx *Tx) plan(ctx context.Context, pl *planner, ts []*slaTicket, opt SLAOptions) ([]*slaPlan, error) {
	terms := make([]*slaTerms, len(ts))
	for i, t := range ts {
		var err error
		if terms[i], err = tx.slaTerms(ctx, t.customerID); err != nil {
			return nil, err
		}
	}
	plans := make([]*slaPlan, len(ts))
	slab := make([]slaPlan, len(ts)) // one allocation for them all
	for i := range plans {
		plans[i] = &slab[i]
	}
	if pl == nil {
		for i, t := range ts {
			planClocks(plans[i], t, terms[i], tx.now, opt, true)
		}
		return plans, nil
	}
	const chunk = 128
	for i := 0; i < len(ts); i += chunk {
		j := min(i+chunk, len(ts))
		pl.work <- planChunk{plans[i:j], ts[i:j], terms[i:j]}
	}
	return plans, nil
}

// settleAll reads the stored clocks of the plans that need them — those whose digest or next
// deadline changed, or all with always — settles them, and returns them: the plans to save.
func (tx *Tx) settleAll(ctx context.Context, plans []*slaPlan, always bool) ([]*slaPlan, error) {
	var todo []*slaPlan
	var ids []int64
	for _, p := range plans {
		if always || p.changed() {
			todo = append(todo, p)
			ids = append(ids, p.t.id)
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	old, err := tx.loadClockRows(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range todo {
		p.settle(old[p.t.id])
	}
	return todo, nil
}

// upsertChunk bounds the rows of one multi-row statement (17 values each: well under the
// parameter limits of both engines).
const upsertChunk = 400

// savePlans writes what settled plans changed: the clock rows that differ from the stored ones,
// the history lines of re-targeted clocks, and the tickets' next deadlines and digests — a few
// multi-row statements for a whole batch of tickets.
func (tx *Tx) savePlans(ctx context.Context, plans []*slaPlan) error {
	var rows []*clockRow
	var tickets [][3]any
	for _, p := range plans {
		for i := range p.rows {
			if p.dirty[i] {
				rows = append(rows, &p.rows[i])
			}
		}
		for _, e := range p.events {
			if err := tx.event(ctx, e); err != nil {
				return err
			}
		}
		if p.changed() {
			tickets = append(tickets, [3]any{p.t.id, ms(p.next), p.digest})
		}
	}
	for len(rows) > 0 {
		n := min(len(rows), upsertChunk)
		if err := tx.upsertClocks(ctx, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	for len(tickets) > 0 {
		n := min(len(tickets), upsertChunk)
		if err := tx.setTicketClocks(ctx, tickets[:n]); err != nil {
			return err
		}
		tickets = tickets[n:]
	}
	return nil
}

var clockUpdates = func() string {
	var sets []string
	for _, c := range strings.Split(clockColumns, ",") {
		c = strings.TrimSpace(c)
		if c != "ticket_id" && c != "clock" {
			sets = append(sets, c+" = excluded."+c)
		}
	}
	return strings.Join(sets, ", ")
}()

func (tx *Tx) upsertClocks(ctx context.Context, rows []*clockRow) error {
	tuple := "(?" + strings.Repeat(", ?", 16) + ")"
	args := make([]any, 0, len(rows)*17)
	for _, r := range rows {
		args = append(args, r.values()...)
	}
	_, err := tx.exec(ctx, `INSERT INTO sla_clocks (`+clockColumns+`) VALUES `+tuple+strings.Repeat(", "+tuple, len(rows)-1)+
		` ON CONFLICT (ticket_id, clock) DO UPDATE SET `+clockUpdates, args...)
	return err
}

// setTicketClocks stores tickets' next deadlines and clock digests, (id, deadline or nil,
// digest) triples. It leaves version and updated_at alone: a clock is not a change of the
// ticket. PostgreSQL takes them in one statement; SQLite updates a row twice as fast through a
// prepared single-row statement as through UPDATE … FROM (VALUES …).
func (tx *Tx) setTicketClocks(ctx context.Context, triples [][3]any) error {
	if tx.db.dialect == SQLite {
		for _, p := range triples {
			if _, err := tx.exec(ctx, `UPDATE tickets SET next_deadline = ?, sla_digest = ? WHERE id = ?`, p[1], p[2], p[0]); err != nil {
				return err
			}
		}
		return nil
	}
	const tuple = "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))"
	args := make([]any, 0, 3*len(triples))
	for _, p := range triples {
		args = append(args, p[0], p[1], p[2])
	}
	_, err := tx.exec(ctx, `UPDATE tickets SET next_deadline = v.column2, sla_digest = v.column3 FROM (VALUES `+tuple+
		strings.Repeat(", "+tuple, len(triples)-1)+`) AS v WHERE tickets.id = v.column1`, args...)
	return err
}

// refreshTicket re-evaluates one ticket's clocks at the transaction's instant and settles them
// with the stored ones; the plan is not saved (nil if there is no such ticket). With lock, the
// ticket row stays locked until the transaction ends (see loadSLATickets).
func (tx *Tx) refreshTicket(ctx context.Context, ticketID int64, opt SLAOptions, lock bool) (*slaPlan, error) {
	ts, err := tx.loadSLATickets(ctx, `SELECT id FROM tickets WHERE id = ?`, []any{ticketID}, lock, true)
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	plans, err := tx.plan(ctx, nil, ts, opt)
	if err != nil {
		return nil, err
	}
	if _, err := tx.settleAll(ctx, plans, true); err != nil {
		return nil, err
	}
	return plans[0], nil
}

// RefreshTicketClocks recomputes and stores one ticket's clocks and next deadline, recording in
// its history the effect of a re-targeting. It is idempotent: run it after every change of the
// ticket (slawatch does, on each ticket event). It returns the clocks, in sla.ClockKinds order;
// none for a ticket that no longer exists.
func (d *DB) RefreshTicketClocks(ctx context.Context, ticketID int64, opt SLAOptions) ([]sla.Clock, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	var p *slaPlan
	err = d.inTx(ctx, "store.RefreshTicketClocks", func(tx *Tx) error {
		if p, err = tx.refreshTicket(ctx, ticketID, opt, true); err != nil || p == nil {
			return err
		}
		return tx.savePlans(ctx, []*slaPlan{p})
	})
	if err != nil || p == nil {
		return nil, err
	}
	if len(p.events) > 0 {
		d.notify(TicketChange{Key: p.t.key, Kind: "updated"})
	}
	return p.clocks, nil
}

// RecomputeClocks recomputes and stores the clocks of every open ticket (new, open, waiting),
// batch tickets per transaction, and returns how many it went through: after a calendar or
// target edit (SLARecomputeJob), at start, after an import. Tickets and their status history
// are read in bulk — two queries per batch — and a ticket whose clocks come out as stored
// (same digest) costs no further read nor any write.
func (d *DB) RecomputeClocks(ctx context.Context, opt SLAOptions, batch int) (int, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return 0, err
	}
	if batch <= 0 {
		batch = 2000
	}
	var after int64
	total := 0
	memo := map[string]any{} // terms, calendars and environments, read once for the whole run
	for {
		n := 0
		err := d.inTx(ctx, "store.RecomputeClocks", func(tx *Tx) error {
			tx.memo = memo
			plans, err := tx.planBatch(ctx, &after, batch, opt)
			if err != nil {
				return err
			}
			n = len(plans)
			if plans, err = tx.settleAll(ctx, plans, false); err != nil {
				return err
			}
			return tx.savePlans(ctx, plans)
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}

// planBatch reads up to batch open tickets after *after, in parts whose arithmetic runs while
// the next part is read, and returns their plans; *after moves to the last one read.
func (tx *Tx) planBatch(ctx context.Context, after *int64, batch int, opt SLAOptions) ([]*slaPlan, error) {
	const part = 500
	pl := newPlanner(tx.now, opt)
	defer pl.wait()
	var plans []*slaPlan
	for len(plans) < batch {
		size := min(part, batch-len(plans))
		ts, err := tx.loadSLATickets(ctx, `SELECT id FROM tickets WHERE active = TRUE AND id > ? ORDER BY id LIMIT ?`,
			[]any{*after, size}, true, false)
		if err != nil || len(ts) == 0 {
			return plans, err
		}
		*after = ts[len(ts)-1].id
		ps, err := tx.plan(ctx, pl, ts, opt)
		if err != nil {
			return nil, err
		}
		plans = append(plans, ps...)
		if len(ts) < size {
			break
		}
	}
	return plans, nil
}
