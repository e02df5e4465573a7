package sla

import (
	"slices"
	"time"
)

// ClockKind names one of the committed handling times of a ticket.
type ClockKind string

// The three clocks of a ticket. Take-charge (GTI in French contracts) runs until the ticket is
// taken in charge or first answered; work-around until a workaround is recorded or the ticket is
// resolved; resolve (GTR) whenever the ticket is being worked — it stops at resolution and
// resumes on reopening.
const (
	TakeCharge ClockKind = "take_charge"
	Workaround ClockKind = "workaround"
	Resolve    ClockKind = "resolve"
)

// ClockKinds lists the clocks in the order they usually stop.
var ClockKinds = []ClockKind{TakeCharge, Workaround, Resolve}

// StatusChange is a ticket entering a status at an instant.
type StatusChange struct {
	At     time.Time
	Status string
}

// Timeline is what a ticket's clocks are computed from: when it was received and every status
// it went through, plus the two instants that stop the first clocks.
type Timeline struct {
	Received     time.Time      // the mail's arrival or the form's submission: every clock starts here
	Changes      []StatusChange // in time order; the ticket is "new" from Received until the first
	TakenAt      time.Time      // taken in charge or first public answer; zero if not yet
	WorkaroundAt time.Time      // a workaround recorded; zero if none
	Pause        []string       // statuses that pause the clocks (default: waiting_customer)
}

// Interval is a span of time [Start, End); a zero End means "still going".
type Interval struct {
	Start, End time.Time
}

var defaultPause = []string{"waiting_customer"}

// Running returns the spans during which clock k runs, up to now: while the ticket is active
// (new, open, or a pausing status excluded) and before the clock's stop.
func (tl Timeline) Running(k ClockKind, now time.Time) []Interval {
	return tl.AppendRunning(nil, k, now)
}

// AppendRunning appends to dst the spans Running returns, and returns the extended slice — so
// that a caller evaluating many clocks can keep them in a buffer of its own.
func (tl Timeline) AppendRunning(dst []Interval, k ClockKind, now time.Time) []Interval {
	pause := tl.Pause
	if pause == nil {
		pause = defaultPause
	}
	stop := tl.stop(k)
	status, from := "new", tl.Received
	for i := 0; i <= len(tl.Changes); i++ {
		var to time.Time // the end of the last span: none
		if i < len(tl.Changes) {
			if to = tl.Changes[i].At; to.Before(from) {
				to = from
			}
		}
		if activeStatus(status) && !slices.Contains(pause, status) {
			end := to
			if !stop.IsZero() && (end.IsZero() || stop.Before(end)) {
				end = stop
			}
			switch {
			case !end.IsZero() && !end.After(from):
			case end.IsZero() && !now.After(from):
			default:
				dst = append(dst, Interval{Start: from, End: end})
			}
		}
		if i < len(tl.Changes) {
			status, from = tl.Changes[i].Status, to
		}
	}
	return dst
}

// stop is the instant a clock stops for good (zero: only status decides).
func (tl Timeline) stop(k ClockKind) time.Time {
	switch k {
	case TakeCharge:
		return tl.TakenAt
	case Workaround:
		s := tl.WorkaroundAt
		for _, c := range tl.Changes {
			if c.Status == "resolved" || c.Status == "closed" {
				if s.IsZero() || c.At.Before(s) {
					s = c.At
				}
				break
			}
		}
		return s
	}
	return time.Time{}
}

func activeStatus(s string) bool { return s == "new" || s == "open" || s == "waiting_customer" }

// State is how a clock stands against its target.
type State string

// The clock states.
const (
	StateNone     State = "none"     // no target for this clock
	StateOK       State = "ok"       // running or met, under the warning share
	StateAtRisk   State = "at_risk"  // past the warning share of the target, not breached
	StateBreached State = "breached" // the target was exceeded
)

// Clock is one clock of a ticket evaluated at an instant.
type Clock struct {
	Kind     ClockKind
	Target   time.Duration // 0 when there is none
	Elapsed  time.Duration // business time counted so far
	Paused   time.Duration // business time spent in pausing statuses (not counted)
	Running  bool          // counting now
	Stopped  bool          // stopped for good (met or breached) — resolve stops while resolved
	Deadline time.Time     // the instant the target is (or was) exceeded; zero when paused, stopped in time, or no target
	WarnAt   time.Time     // the instant the warning share is (or was) reached; zero likewise
	State    State
}

// Evaluate computes clock k of a ticket at now, against target in calendar cal, warning at the
// share risk (e.g. 0.75) of the target. A clock is breached when the business time it counted
// exceeds its target; its Deadline is the instant the target is reached if it keeps running.
func Evaluate(cal *Calendar, k ClockKind, target time.Duration, tl Timeline, now time.Time, risk float64) Clock {
	c := Clock{Kind: k, Target: target, State: StateNone}
	warn := time.Duration(float64(target) * risk)
	var buf [8]Interval
	run := tl.AppendRunning(buf[:0], k, now)
	for i, iv := range run {
		open := iv.End.IsZero()
		if target > 0 {
			// A span still going reaches any target; a finished one only if it counted enough.
			var full time.Duration
			if !open {
				full = cal.Elapsed(iv.Start, iv.End)
			}
			if c.Deadline.IsZero() && (open || c.Elapsed+full > target) {
				c.Deadline = cal.Deadline(iv.Start, target-c.Elapsed)
			}
			if c.WarnAt.IsZero() && (open || c.Elapsed+full >= warn) {
				c.WarnAt = cal.Deadline(iv.Start, warn-c.Elapsed)
			}
		}
		upto := now
		if !open && iv.End.Before(now) {
			upto = iv.End
		}
		c.Elapsed += cal.Elapsed(iv.Start, upto)
		c.Running = open && i == len(run)-1
	}
	c.Paused = tl.pausedTime(cal, k, now)
	c.Stopped = !c.Running && stopped(tl, k)
	if target <= 0 {
		return c
	}
	if !c.Running {
		// Paused or stopped: there is no instant ahead at which it will breach or warn.
		if c.Elapsed <= target {
			c.Deadline = time.Time{}
		}
		if c.Elapsed < warn {
			c.WarnAt = time.Time{}
		}
	}
	switch {
	case c.Elapsed > target:
		c.State = StateBreached
	case c.Elapsed >= warn:
		c.State = StateAtRisk
	default:
		c.State = StateOK
	}
	return c
}

// stopped tells whether clock k has stopped for good.
func stopped(tl Timeline, k ClockKind) bool {
	if !tl.stop(k).IsZero() {
		return true
	}
	if len(tl.Changes) == 0 {
		return false
	}
	last := tl.Changes[len(tl.Changes)-1].Status
	return k == Resolve && (last == "resolved" || last == "closed")
}

// pausedTime is the business time clock k spent in pausing statuses before its stop.
func (tl Timeline) pausedTime(cal *Calendar, k ClockKind, now time.Time) time.Duration {
	pause := tl.Pause
	if pause == nil {
		pause = defaultPause
	}
	stop := tl.stop(k)
	var total time.Duration
	status, from := "new", tl.Received
	add := func(to time.Time) {
		if !slices.Contains(pause, status) {
			return
		}
		if !stop.IsZero() && to.After(stop) {
			to = stop
		}
		total += cal.Elapsed(from, to)
	}
	for _, c := range tl.Changes {
		add(c.At)
		status, from = c.Status, c.At
	}
	add(now)
	return total
}
