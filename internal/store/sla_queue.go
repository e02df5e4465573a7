package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// QueueClock is where a ticket stands against its service levels, for a row of a queue: the
// clock that sets its next deadline, and the ticket's worst state. It is read from the clocks
// as last stored (sla_clocks) and carried forward to an instant with the contract's calendar,
// so a queue page costs one query for its rows, not an evaluation of each ticket's history.
type QueueClock struct {
	// Clock is the running, targeted clock with the nearest deadline; "" when none runs.
	Clock sla.ClockKind
	// Deadline is that clock's deadline: the ticket's next deadline (tickets.next_deadline).
	Deadline time.Time
	// Remaining is the business time left on Clock at the instant asked; negative once its
	// target is exceeded.
	Remaining time.Duration
	// Paused: no targeted clock runs and one stands still in a pausing status.
	Paused bool
	// Stopped: every targeted clock has stopped for good (the ticket met or missed them all).
	Stopped bool
	// State is the ticket's worst: breached if any targeted clock exceeded its target (even one
	// stopped since), else at_risk if a running or paused clock passed its warning share, else
	// ok; none when no clock has a target.
	State sla.State
	// Location is the time zone of the calendar the clocks count in, to show Deadline.
	Location *time.Location
}

// clockStatesChunk is the number of tickets one query reads; shorter lists are padded to it so
// that the statement has a single shape (SQLite's statement cache keeps one per text).
const clockStatesChunk = 50

// ClockStates returns the SLA standing of some tickets at now, by ticket id, with warnShare the
// share of a target at which a clock is at risk (0: DefaultSLAWarn). A ticket whose clocks
// were never stored is absent. Staff read any ticket; a customer's user only its
// organisation's (others are absent, as if they did not exist). Errors: invalid (warnShare),
// unauthenticated.
func (d *DB) ClockStates(ctx context.Context, ticketIDs []int64, now time.Time, warnShare float64) (map[int64]QueueClock, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if warnShare < 0 || warnShare > 1 {
		return nil, opsdesk.Invalid("warn", "must be a share between 0 and 1, such as 0.75")
	}
	if warnShare == 0 {
		warnShare = DefaultSLAWarn
	}
	out := make(map[int64]QueueClock, len(ticketIDs))
	cals := map[int64]*sla.Calendar{} // by customer
	for len(ticketIDs) > 0 {
		n := min(len(ticketIDs), clockStatesChunk)
		rows, err := d.queueClockRows(ctx, a, ticketIDs[:n])
		if err != nil {
			return nil, wrapErr("store.ClockStates", err)
		}
		for _, r := range rows {
			cal := cals[r.customerID]
			if cal == nil {
				if cal, err = d.queueCalendar(ctx, r.customerID); err != nil {
					return nil, wrapErr("store.ClockStates", err)
				}
				cals[r.customerID] = cal
			}
			q, seen := out[r.ticketID]
			if !seen {
				q = QueueClock{State: sla.StateNone, Stopped: true, Location: cal.Location()}
			}
			q.add(r, cal, now, warnShare)
			out[r.ticketID] = q
		}
		ticketIDs = ticketIDs[n:]
	}
	for id, q := range out {
		if q.State == sla.StateNone {
			q.Stopped = false // nothing had a target: nothing stopped or ran against one
		}
		if q.Clock != "" {
			q.Paused = false
		}
		out[id] = q
	}
	return out, nil
}

// queueClockRow is a stored clock with its ticket's customer.
type queueClockRow struct {
	ticketID, customerID int64
	clock                sla.ClockKind
	target, elapsed      time.Duration
	deadline             time.Time
	running, stopped     bool
}

// queueClockRows reads the stored clocks of up to clockStatesChunk tickets, scoped to the
// actor's organisation for a customer.
func (d *DB) queueClockRows(ctx context.Context, a opsdesk.Actor, ids []int64) ([]queueClockRow, error) {
	args := make([]any, 0, clockStatesChunk+1)
	for i := range clockStatesChunk {
		args = append(args, ids[min(i, len(ids)-1)]) // padded with the last id: one statement shape
	}
	q := `SELECT c.ticket_id, t.customer_id, c.clock, c.target_s, c.elapsed_ms, c.deadline, c.running, c.stopped
		FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
		WHERE c.ticket_id IN (?` + strings.Repeat(", ?", clockStatesChunk-1) + `)`
	if a.IsCustomer() {
		q += ` AND t.customer_id = ?`
		args = append(args, a.CustomerID)
	}
	return collect(func(sc scanner) (queueClockRow, error) {
		var r queueClockRow
		var target, elapsed int64
		var deadline sql.NullInt64
		err := sc.Scan(&r.ticketID, &r.customerID, &r.clock, &target, &elapsed, &deadline, &r.running, &r.stopped)
		r.target, r.elapsed = time.Duration(target)*time.Second, time.Duration(elapsed)*time.Millisecond
		r.deadline = fromMS(deadline)
		return r, err
	})(d.query(ctx, q+` ORDER BY c.ticket_id, c.clock`, args...))
}

// queueCalendar reads and compiles the calendar a customer's clocks count in: its contract's,
// or the default one — the French calendar when the database has none yet, as the clocks do.
func (d *DB) queueCalendar(ctx context.Context, customerID int64) (*sla.Calendar, error) {
	var def string
	err := d.queryRow(ctx, `SELECT definition FROM sla_calendars
		WHERE id = COALESCE((SELECT calendar_id FROM contracts WHERE customer_id = ?), (SELECT id FROM sla_calendars WHERE is_default))`,
		customerID).Scan(&def)
	if errors.Is(err, sql.ErrNoRows) {
		return sla.FrenchCalendar(), nil
	}
	if err != nil {
		return nil, err
	}
	return sla.ParseCalendar([]byte(def))
}

// add folds one stored clock, carried forward to now, into the ticket's standing.
func (q *QueueClock) add(r queueClockRow, cal *sla.Calendar, now time.Time, warnShare float64) {
	if r.target <= 0 {
		return
	}
	if q.State == sla.StateNone {
		q.State = sla.StateOK
	}
	elapsed := r.elapsed
	if r.running && !r.deadline.IsZero() {
		// Business time left until the deadline, or spent past it: the clock has run since it
		// was stored, along the calendar.
		left := cal.Elapsed(now, r.deadline)
		if !now.Before(r.deadline) {
			left = -cal.Elapsed(r.deadline, now)
		}
		elapsed = r.target - left
		if q.Clock == "" || r.deadline.Before(q.Deadline) {
			q.Clock, q.Deadline, q.Remaining = r.clock, r.deadline, left
		}
	}
	if !r.stopped {
		q.Stopped = false
		if !r.running {
			q.Paused = true
		}
	}
	var st sla.State
	switch {
	case elapsed > r.target:
		st = sla.StateBreached
	case r.stopped:
		st = sla.StateOK // met: a share used before it stopped is no risk any more
	case elapsed >= time.Duration(float64(r.target)*warnShare):
		st = sla.StateAtRisk
	default:
		st = sla.StateOK
	}
	if queueStateRank[st] > queueStateRank[q.State] {
		q.State = st
	}
}

// queueStateRank orders the states from the best to the worst.
var queueStateRank = map[sla.State]int{sla.StateNone: 0, sla.StateOK: 1, sla.StateAtRisk: 2, sla.StateBreached: 3}
