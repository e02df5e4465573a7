package store

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// slaPlan is a ticket's clocks evaluated at an instant, and what must be written to keep the
// stored ones in step.
type slaPlan struct {
	t      *slaTicket
	terms  *slaTerms
	target sla.Target
	clocks []sla.Clock  // the live clocks, when planned in full
	rows   *[3]clockRow // the clocks to store; kept when planned in full or when changed
	digest int64        // of what the clocks are computed to be (see planClocks)
	next   time.Time
	// Set by settle, from the stored clocks:
	dirty  [3]bool         // the row differs from the stored one
	stored [3]bool         // the row is stored (an update, not an insert)
	events []opsdesk.Event // the history lines of re-targeted clocks
}

// changed tells whether the ticket's stored clocks may differ from the plan: its digest or
// next deadline differ. An unchanged ticket needs neither its stored rows read nor anything
// written.
func (p *slaPlan) changed() bool {
	return !p.t.digest.Valid || p.t.digest.Int64 != p.digest || !p.next.Equal(p.t.next)
}

// planClocks evaluates into p a ticket's clocks at now with the contract's calendar and
// targets, and the digest of what they are computed to be (targets, instants, states, and what
// the targets were chosen for). What depends on the stored clocks — generation, alerts — is
// settle's. Without full, a clock without target is only placed (running, stopped), its
// business time not counted: the stored clocks keep no time for such a clock, and only the
// live views (TicketClocks) show it.
func planClocks(p *slaPlan, t *slaTicket, terms *slaTerms, now time.Time, opt SLAOptions, full bool) {
	*p = slaPlan{t: t, terms: terms, target: terms.target(t.severity, t.envKind)}
	if full {
		p.clocks = make([]sla.Clock, len(sla.ClockKinds))
	}
	tl := t.timeline(opt)
	startsNow := !t.received.Before(now) || (len(t.changes) > 0 && !t.changes[len(t.changes)-1].At.Before(now))
	h := fnvHash(fnvOffset)
	h.str(t.severity)
	h.str(t.envKind)
	var rows [3]clockRow
	for i, k := range sla.ClockKinds {
		target := p.target.For(k)
		if target <= 0 && !full {
			rows[i] = clockRow{ticketID: t.id, customerID: t.customerID, clock: k, generation: 1, severity: t.severity, envKind: t.envKind,
				state: sla.StateNone, computedAt: now}
			rows[i].running, rows[i].stopped, rows[i].stoppedAt = placeUntimed(tl, k, now, startsNow)
			h.hashRow(&rows[i])
			continue
		}
		c := sla.Evaluate(terms.calendar, k, target, tl, now, opt.Warn)
		if startsNow && !c.Running && !c.Stopped {
			// Evaluate counts [start, now): a clock that starts at this very instant (the ticket
			// was just received, reopened or answered) does not run yet for it. Its running state
			// and instants ahead are those of an instant later.
			later := sla.Evaluate(terms.calendar, k, p.target.For(k), tl, now.Add(time.Nanosecond), opt.Warn)
			c.Running, c.Deadline, c.WarnAt = later.Running, later.Deadline, later.WarnAt
		}
		if full {
			p.clocks[i] = c
		}
		r := clockRow{ticketID: t.id, customerID: t.customerID, clock: k, generation: 1, severity: t.severity, envKind: t.envKind, target: c.Target,
			deadline: msTime(c.Deadline), warnAt: msTime(c.WarnAt), state: c.State, running: c.Running, stopped: c.Stopped,
			computedAt: now}
		if target > 0 {
			r.elapsed, r.paused = c.Elapsed, c.Paused
		}
		if c.Stopped {
			r.stoppedAt = msTime(tl.StoppedAt(k))
		}
		r.dueAt = r.due()
		rows[i] = r
		if c.Running && !r.deadline.IsZero() && (p.next.IsZero() || r.deadline.Before(p.next)) {
			p.next = r.deadline
		}
		h.hashRow(&r)
	}
	p.digest = int64(h)
	if full || p.changed() {
		p.rows = new([3]clockRow)
		*p.rows = rows
	}
}

// placeUntimed tells whether a clock runs now and whether (and when) it stopped for good, as
// sla.Evaluate would, without counting its time. A clock whose span begins at this very instant
// runs (see planClocks).
func placeUntimed(tl sla.Timeline, k sla.ClockKind, now time.Time, startsNow bool) (running, stopped bool, at time.Time) {
	if startsNow {
		now = now.Add(time.Nanosecond)
	}
	var buf [8]sla.Interval
	run := tl.AppendRunning(buf[:0], k, now)
	running = len(run) > 0 && run[len(run)-1].End.IsZero()
	if !running {
		at = msTime(tl.StoppedAt(k))
	}
	return running, !at.IsZero(), at
}

// hashRow adds to the digest what a stored clock is computed to be.
func (h *fnvHash) hashRow(r *clockRow) {
	h.int(int64(r.target))
	h.int(r.deadline.UnixMilli())
	h.int(r.warnAt.UnixMilli())
	h.int(r.stoppedAt.UnixMilli())
	h.str(string(r.state))
	h.int(int64(b2i(r.running)<<1 | b2i(r.stopped)))
}

// fnvHash is an FNV-1a hash, written out so that hashing a plan allocates nothing.
type fnvHash uint64

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

func (h *fnvHash) byte(b byte) { *h = (*h ^ fnvHash(b)) * fnvPrime }

func (h *fnvHash) str(s string) {
	for i := 0; i < len(s); i++ {
		h.byte(s[i])
	}
	h.byte(0)
}

func (h *fnvHash) int(v int64) {
	for i := 0; i < 64; i += 8 {
		h.byte(byte(v >> i))
	}
}

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// settle completes a plan with the ticket's stored clocks (nil ones: never stored): a clock
// keeps its generation and alerts; one whose target changed (severity, environment or targets
// edited) starts a new generation, which may warn again, and gets a history line. Its elapsed
// time is kept, since the clocks always count from the ticket's history.
func (p *slaPlan) settle(old *[3]*clockRow) {
	for i := range p.rows {
		r := &p.rows[i]
		var o *clockRow
		if old != nil {
			o = old[i]
		}
		if o != nil {
			r.generation, r.alerted = o.generation, o.alerted
			if o.target != r.target {
				r.generation, r.alerted = o.generation+1, ""
				p.events = append(p.events, retargetEvent(p.t, o, r, p.terms.day))
			}
		}
		r.dueAt = r.due()
		p.dirty[i] = o == nil || !o.sameAs(r)
		p.stored[i] = o != nil
	}
}

// EventSLA is the kind of the history lines about service levels: a clock re-targeted (Field:
// the clock, Old and New: its targets, Reason: why) or alerted (Field: the clock, New: warn or
// breach, Reason: what was reached; internal).
const EventSLA = "sla"

func retargetEvent(t *slaTicket, old, r *clockRow, day time.Duration) opsdesk.Event {
	reason := "contract targets changed"
	switch {
	case old.severity != r.severity && old.envKind != r.envKind:
		reason = fmt.Sprintf("severity %s → %s, environment %s → %s", old.severity, r.severity, envLabel(old.envKind), envLabel(r.envKind))
	case old.severity != r.severity:
		reason = fmt.Sprintf("severity %s → %s", old.severity, r.severity)
	case old.envKind != r.envKind:
		reason = fmt.Sprintf("environment %s → %s", envLabel(old.envKind), envLabel(r.envKind))
	}
	return opsdesk.Event{TicketID: t.id, Kind: EventSLA, Field: string(r.clock),
		Old: sla.FormatBusiness(old.target, day), New: sla.FormatBusiness(r.target, day), Reason: reason}
}

func envLabel(kind string) string {
	if kind == "" {
		return "none"
	}
	return kind
}

// msTime is t as stored: UTC, to the millisecond.
func msTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}
