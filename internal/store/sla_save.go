package store

import (
	"context"
	"database/sql"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
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
	byCustomer := map[int64]*slaTerms{}
	for i, t := range ts {
		if terms[i] = byCustomer[t.customerID]; terms[i] != nil {
			continue
		}
		var err error
		if terms[i], err = tx.slaTerms(ctx, t.customerID); err != nil {
			return nil, err
		}
		byCustomer[t.customerID] = terms[i]
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

// pgChunk bounds the rows of one statement on PostgreSQL: small enough that the planner joins
// them to the table through its primary key.
const pgChunk = 500

// savePlans writes what settled plans changed: the clock rows that differ from the stored ones,
// the history lines of re-targeted clocks, and the tickets' next deadlines and digests. On
// PostgreSQL each is a few statements for a whole batch of tickets, whose values travel as
// arrays (one statement text whatever the count); stored rows are updated, which spares the
// attempt to insert that an upsert makes first.
func (tx *Tx) savePlans(ctx context.Context, plans []*slaPlan) error {
	if tx.db.dialect == SQLite {
		return tx.savePlansRows(ctx, plans)
	}
	var updates, inserts []*clockRow
	var tickets []*slaPlan
	for _, p := range plans {
		for i := range p.rows {
			switch {
			case !p.dirty[i]:
			case p.stored[i]:
				updates = append(updates, &p.rows[i])
			default:
				inserts = append(inserts, &p.rows[i])
			}
		}
		if err := tx.events(ctx, p.events); err != nil {
			return err
		}
		if p.changed() {
			tickets = append(tickets, p)
		}
	}
	for _, w := range []struct {
		rows []*clockRow
		q    string
	}{{updates, updateClocksPG}, {inserts, upsertClocksPG}} {
		for rows := w.rows; len(rows) > 0; {
			n := min(len(rows), pgChunk)
			if _, err := tx.exec(ctx, w.q, clockArrays(rows[:n])...); err != nil {
				return err
			}
			rows = rows[n:]
		}
	}
	for len(tickets) > 0 {
		n := min(len(tickets), pgChunk)
		ids, next, digests := make([]int64, n), make([]*int64, n), make([]int64, n)
		for i, p := range tickets[:n] {
			ids[i], next[i], digests[i] = p.t.id, msPtr(p.next), p.digest
		}
		// Version and updated_at are left alone: a clock is not a change of the ticket.
		if _, err := tx.exec(ctx, `UPDATE tickets AS t SET next_deadline = v.next, sla_digest = v.digest
			FROM unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS v(id, next, digest) WHERE t.id = v.id`, ids, next, digests); err != nil {
			return err
		}
		tickets = tickets[n:]
	}
	return nil
}

// The statements of savePlans on PostgreSQL, taking clockArrays.
var (
	clockUnnest = `unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[],
		?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::boolean[], ?::boolean[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
		AS v(` + clockColumns + `)`
	updateClocksPG = `UPDATE sla_clocks AS c SET ` + clockSets("v.") + ` FROM ` + clockUnnest +
		` WHERE c.ticket_id = v.ticket_id AND c.clock = v.clock`
	upsertClocksPG = `INSERT INTO sla_clocks (` + clockColumns + `) SELECT * FROM ` + clockUnnest +
		` ON CONFLICT (ticket_id, clock) DO UPDATE SET ` + clockSets("excluded.")
)

// clockArrays turns rows into one array per column of clockColumns.
func clockArrays(rows []*clockRow) []any {
	n := len(rows)
	ids, gens, targets, elapsed, paused, computed, custs := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n),
		make([]int64, n), make([]int64, n), make([]int64, n)
	clocks, severities, envs, states, alerted := make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n)
	deadlines, warns, stops, dues := make([]*int64, n), make([]*int64, n), make([]*int64, n), make([]*int64, n)
	running, stopped := make([]bool, n), make([]bool, n)
	for i, r := range rows {
		ids[i], clocks[i], gens[i], severities[i], envs[i] = r.ticketID, string(r.clock), r.generation, r.severity, r.envKind
		targets[i], elapsed[i], paused[i] = int64(r.target/time.Second), r.elapsed.Milliseconds(), r.paused.Milliseconds()
		deadlines[i], warns[i], stops[i], states[i] = msPtr(r.deadline), msPtr(r.warnAt), msPtr(r.stoppedAt), string(r.state)
		running[i], stopped[i], alerted[i], dues[i], computed[i] = r.running, r.stopped, r.alerted, msPtr(r.dueAt), r.computedAt.UnixMilli()
		custs[i] = r.customerID
	}
	return []any{ids, clocks, gens, severities, envs, targets, elapsed, paused, deadlines, warns, stops, states, running, stopped,
		alerted, dues, computed, custs}
}

// msPtr is ms for arrays: nil for the zero time.
func msPtr(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	v := t.UnixMilli()
	return &v
}

func (tx *Tx) events(ctx context.Context, es []opsdesk.Event) error {
	for _, e := range es {
		if err := tx.event(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// The single-row statements of savePlansRows.
var (
	insertClockSQL = `INSERT INTO sla_clocks (` + clockColumns + `) VALUES (?` + strings.Repeat(", ?", 17) + `)
		ON CONFLICT (ticket_id, clock) DO UPDATE SET ` + clockSets("excluded.")
	updateClockSQL    = `UPDATE sla_clocks SET ` + clockSets("") + ` WHERE ticket_id = ? AND clock = ?`
	setTicketClockSQL = `UPDATE tickets SET next_deadline = ?, sla_digest = ? WHERE id = ?`
)

// clockSets is the SET list of every column of clockColumns but the key, each set to from plus
// its name, or to a parameter if from is "".
func clockSets(from string) string {
	var sets []string
	for _, c := range strings.Split(clockColumns, ",")[2:] { // all but ticket_id, clock
		c = strings.TrimSpace(c)
		if from == "" {
			sets = append(sets, c+" = ?")
		} else {
			sets = append(sets, c+" = "+from+c)
		}
	}
	return strings.Join(sets, ", ")
}

// savePlansRows is savePlans on SQLite: one statement per row, each prepared once and bound to
// the transaction once — there as fast as multi-row statements, without their costs: a text
// per number of rows in the statement cache, and a journal of every page such a statement
// changes (kept, as it may fail half-way through, to undo it alone). A stored row is updated.
func (tx *Tx) savePlansRows(ctx context.Context, plans []*slaPlan) error {
	stmts := boundStmts{tx: tx}
	for _, p := range plans {
		for i := range p.rows {
			if !p.dirty[i] {
				continue
			}
			v := p.rows[i].values()
			var err error
			if p.stored[i] {
				err = stmts.exec(ctx, updateClockSQL, append(v[2:], v[0], v[1])...)
			} else {
				err = stmts.exec(ctx, insertClockSQL, v...)
			}
			if err != nil {
				return err
			}
		}
		if err := tx.events(ctx, p.events); err != nil {
			return err
		}
	}
	for _, p := range plans {
		if p.changed() {
			if err := stmts.exec(ctx, setTicketClockSQL, ms(p.next), p.digest, p.t.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// boundStmts holds the statements a transaction runs many times, bound to it once.
type boundStmts struct {
	tx *Tx
	m  map[string]*sql.Stmt
}

func (b *boundStmts) exec(ctx context.Context, q string, args ...any) error {
	st, ok := b.m[q]
	if !ok {
		if b.m == nil {
			b.m = map[string]*sql.Stmt{}
		}
		st = b.tx.stmt(ctx, q) // nil when not prepared: tx.exec then runs q and reports why
		b.m[q] = st
	}
	var err error
	if st != nil {
		_, err = st.ExecContext(ctx, args...)
	} else {
		_, err = b.tx.exec(ctx, q, args...)
	}
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
