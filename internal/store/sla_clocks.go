package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// SLAOptions tune how clocks are evaluated; the zero value takes the defaults.
type SLAOptions struct {
	// Warn is the share of a target at which a clock is at risk and its warning is due, in
	// (0, 1]; 0 means 0.75 (the setting OPSDESK_SLA_WARN).
	Warn float64
	// Pause lists the statuses during which the clocks stand still; nil means waiting_customer.
	Pause []opsdesk.Status

	pause []string // Pause, as sla.Timeline wants it
}

// DefaultSLAWarn is the share of a target at which a clock is at risk, unless configured.
const DefaultSLAWarn = 0.75

// Validate checks the options, naming the offending one ("warn", "pause").
func (o SLAOptions) Validate() error {
	if o.Warn < 0 || o.Warn > 1 {
		return opsdesk.Invalid("warn", "must be a share between 0 and 1, such as 0.75")
	}
	for _, s := range o.Pause {
		if !s.Active() {
			return opsdesk.Invalid("pause", "%q is not a status in which a ticket is being worked (new, open, waiting_customer)", s)
		}
	}
	return nil
}

func (o SLAOptions) withDefaults() (SLAOptions, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	if o.Warn == 0 {
		o.Warn = DefaultSLAWarn
	}
	if o.Pause == nil {
		o.Pause = []opsdesk.Status{opsdesk.StatusWaitingCustomer}
	}
	o.pause = make([]string, len(o.Pause))
	for i, s := range o.Pause {
		o.pause[i] = string(s)
	}
	return o, nil
}

// slaTicket is what a ticket's clocks are computed from, with the digest and next deadline
// last stored for them.
type slaTicket struct {
	id, customerID, assigneeID int64
	envID                      int64
	key, severity, envKind     string
	groupCode                  string
	status                     opsdesk.Status
	level                      opsdesk.Level
	received, takenAt          time.Time
	workaroundAt, next         time.Time     // next: the stored next_deadline
	digest                     sql.NullInt64 // the stored sla_digest
	changes                    []sla.StatusChange
	xmin                       int64 // PostgreSQL: the row version read (see lockChanged)
}

func (t *slaTicket) timeline(opt SLAOptions) sla.Timeline {
	return sla.Timeline{Received: t.received, Changes: t.changes, TakenAt: t.takenAt, WorkaroundAt: t.workaroundAt, Pause: opt.pause}
}

// The columns of a ticket its clocks are computed from, and those the alerts need besides.
const (
	slaTicketColumns = `t.id, t.customer_id, t.severity, t.environment_id, t.created_at, t.taken_at, t.workaround_at,
	t.next_deadline, t.sla_digest`
	slaTicketDetails = `, t.key, t.status, t.level, t.group_code, t.assignee_id`
)

// loadSLATickets reads the tickets whose ids the query sel selects, in id order, with their
// status history: two queries whatever their number. details adds what alerts need (number,
// status, level, group, assignee). With lock, PostgreSQL locks the ticket rows until the
// transaction ends, so that clocks are never written from a stale read (SQLite's writer lock
// already serialises); without, it reads each row's version for lockChanged.
func (tx *Tx) loadSLATickets(ctx context.Context, sel string, args []any, lock, details bool) ([]*slaTicket, error) {
	envs, err := tx.envKinds(ctx)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + slaTicketColumns
	if details {
		q += slaTicketDetails
	}
	if tx.db.dialect == Postgres {
		q += `, t.xmin::text::bigint`
	}
	q += ` FROM tickets t WHERE t.id IN (` + sel + `) ORDER BY t.id`
	if lock && tx.db.dialect == Postgres {
		q += ` FOR UPDATE OF t`
	}
	strs := interner{}
	var slab []slaTicket // tickets are allocated by the hundred
	// One set of scan destinations for all the rows, copied to each ticket.
	var r slaTicket
	var severity sql.RawBytes
	var env, taken, workaround, next, assignee sql.NullInt64
	var created int64
	dest := []any{&r.id, &r.customerID, &severity, &env, &created, &taken, &workaround, &next, &r.digest}
	if details {
		dest = append(dest, &r.key, &r.status, &r.level, &r.groupCode, &assignee)
	}
	if tx.db.dialect == Postgres {
		dest = append(dest, &r.xmin)
	}
	list, err := collect(func(sc scanner) (*slaTicket, error) {
		if len(slab) == cap(slab) {
			slab = make([]slaTicket, 0, 256)
		}
		slab = slab[:len(slab)+1]
		t := &slab[len(slab)-1]
		err := sc.Scan(dest...)
		*t = r
		t.severity, t.assigneeID = strs.of(severity), assignee.Int64
		if env.Valid {
			t.envID = env.Int64
			t.envKind = envs[env.Int64]
		}
		t.received = time.UnixMilli(created).UTC()
		t.takenAt, t.workaroundAt, t.next = fromMS(taken), fromMS(workaround), fromMS(next)
		return t, err
	})(tx.query(ctx, q, args...))
	if err != nil || len(list) == 0 {
		return list, err
	}
	if err := tx.fillNewEnvKinds(ctx, list); err != nil {
		return nil, err
	}
	byID := make(map[int64]*slaTicket, len(list))
	for _, t := range list {
		byID[t.id] = t
	}
	rows, err := tx.query(ctx, `SELECT ticket_id, at, new_value FROM ticket_events
		WHERE field = 'status' AND ticket_id IN (`+sel+`) ORDER BY ticket_id, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// The histories share one slice: the rows come ticket by ticket.
	var all []sla.StatusChange
	var cur *slaTicket
	start := 0
	var id, at int64
	var status sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id, &at, &status); err != nil {
			return nil, err
		}
		t := byID[id]
		if t == nil {
			continue
		}
		if t != cur {
			if cur != nil {
				cur.changes = all[start:len(all):len(all)]
			}
			cur, start = t, len(all)
		}
		all = append(all, sla.StatusChange{At: time.UnixMilli(at).UTC(), Status: strs.of(status)})
	}
	if cur != nil {
		cur.changes = all[start:len(all):len(all)]
	}
	return list, rows.Err()
}

// loadClockRows reads the stored clocks of some tickets, by ticket and position in
// sla.ClockKinds: what settle compares and keeps (not elapsed_ms, paused_ms, computed_at).
func (tx *Tx) loadClockRows(ctx context.Context, ids []int64) (map[int64]*[3]*clockRow, error) {
	const cols = `ticket_id, clock, generation, severity, env_kind, target_s, deadline, warn_at, stopped_at, state, running,
		stopped, alerted, due_at`
	out := make(map[int64]*[3]*clockRow, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// One statement text whatever the number of tickets, so that it is prepared once.
	q, arg := `SELECT `+cols+` FROM sla_clocks WHERE ticket_id = ANY(?)`, any(ids)
	if tx.db.dialect == SQLite {
		q, arg = `SELECT `+cols+` FROM sla_clocks WHERE ticket_id IN (SELECT value FROM json_each(?))`, idList(ids)
	}
	rows, err := tx.query(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	slab := make([]clockRow, 0, 3*len(ids)) // the rows, allocated at once
	for rows.Next() {
		var r clockRow
		var target int64
		var deadline, warn, stopped, due sql.NullInt64
		if err := rows.Scan(&r.ticketID, &r.clock, &r.generation, &r.severity, &r.envKind, &target, &deadline, &warn, &stopped,
			&r.state, &r.running, &r.stopped, &r.alerted, &due); err != nil {
			return nil, err
		}
		r.target = time.Duration(target) * time.Second
		r.deadline, r.warnAt, r.stoppedAt, r.dueAt = fromMS(deadline), fromMS(warn), fromMS(stopped), fromMS(due)
		if i := slices.Index(sla.ClockKinds, r.clock); i >= 0 {
			if out[r.ticketID] == nil {
				out[r.ticketID] = new([3]*clockRow)
			}
			slab = append(slab, r)
			out[r.ticketID][i] = &slab[len(slab)-1]
		}
	}
	return out, rows.Err()
}

// idList writes ids as a JSON array, for SQLite's json_each.
func idList(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// clockRow is a clock as stored in sla_clocks.
type clockRow struct {
	ticketID, customerID        int64 // customerID: the ticket's, copied for the indicators (migration 0028)
	clock                       sla.ClockKind
	generation                  int64
	severity, envKind           string // what the target was chosen for
	target, elapsed, paused     time.Duration
	deadline, warnAt, stoppedAt time.Time
	state                       sla.State
	running, stopped            bool
	alerted                     string // "", AlertWarn or AlertBreach: the last alert of this generation
	dueAt, computedAt           time.Time
}

const clockColumns = `ticket_id, clock, generation, severity, env_kind, target_s, elapsed_ms, paused_ms, deadline, warn_at,
	stopped_at, state, running, stopped, alerted, due_at, computed_at, customer_id`

func (r *clockRow) values() []any {
	return []any{r.ticketID, r.clock, r.generation, r.severity, r.envKind, int64(r.target / time.Second), r.elapsed.Milliseconds(),
		r.paused.Milliseconds(), ms(r.deadline), ms(r.warnAt), ms(r.stoppedAt), r.state, r.running, r.stopped, r.alerted,
		ms(r.dueAt), r.computedAt.UnixMilli(), r.customerID}
}

// sameAs tells whether two rows differ only in what passing time changes by itself (elapsed,
// paused, computed_at): such a row need not be written again.
func (r *clockRow) sameAs(o *clockRow) bool {
	return r.generation == o.generation && r.severity == o.severity && r.envKind == o.envKind && r.target == o.target &&
		r.deadline.Equal(o.deadline) && r.warnAt.Equal(o.warnAt) && r.stoppedAt.Equal(o.stoppedAt) && r.state == o.state &&
		r.running == o.running && r.stopped == o.stopped && r.alerted == o.alerted && r.dueAt.Equal(o.dueAt)
}

// due is the next instant the scheduler must look at the clock: the warning share or the
// target reached while it runs, or a breach not yet recorded (one that happened while nobody
// was looking, even if the clock has stopped since). Zero when nothing is pending.
func (r *clockRow) due() time.Time {
	switch {
	case r.target <= 0:
		return time.Time{}
	case r.running && r.alerted == "" && !r.warnAt.IsZero():
		return r.warnAt
	case r.alerted != AlertBreach && !r.deadline.IsZero():
		return r.deadline
	}
	return time.Time{}
}
