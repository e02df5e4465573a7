package sla

import (
	"math/rand/v2"
	"testing"
	"time"
)

// paris9to18 is Mon–Fri 09:00–18:00 in Paris, no holidays: 9 business hours a day.
func paris9to18(t *testing.T) *Calendar {
	t.Helper()
	c, err := ParseCalendar([]byte(`{"timezone":"Europe/Paris","hours":{"mon":[["09:00","18:00"]],"tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],"thu":[["09:00","18:00"]],"fri":[["09:00","18:00"]]}}`))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClockLifecycle(t *testing.T) {
	cal := paris9to18(t)
	// Received Monday 2027-03-01 10:00 Paris; taken 11:00; waiting for the customer Monday
	// 14:00 → Tuesday 10:00; resolved Tuesday 12:00; reopened Wednesday 09:00; resolved again
	// Wednesday 10:30.
	tl := Timeline{
		Received: at(t, "2027-03-01T10:00:00+01:00"),
		TakenAt:  at(t, "2027-03-01T11:00:00+01:00"),
		Changes: []StatusChange{
			{at(t, "2027-03-01T11:00:00+01:00"), "open"},
			{at(t, "2027-03-01T14:00:00+01:00"), "waiting_customer"},
			{at(t, "2027-03-02T10:00:00+01:00"), "open"},
			{at(t, "2027-03-02T12:00:00+01:00"), "resolved"},
			{at(t, "2027-03-03T09:00:00+01:00"), "open"},
			{at(t, "2027-03-03T10:30:00+01:00"), "resolved"},
		},
	}
	now := at(t, "2027-03-04T12:00:00+01:00")
	tests := []struct {
		kind                    ClockKind
		target                  time.Duration
		elapsed, paused         time.Duration
		state                   State
		running, stoppedForGood bool
	}{
		// 10:00 → 11:00.
		{TakeCharge, time.Hour, time.Hour, 0, StateAtRisk, false, true},
		{TakeCharge, 30 * time.Minute, time.Hour, 0, StateBreached, false, true},
		// Until the first resolution, less the pause: Mon 10–14 (4h) + Tue 10–12 (2h) = 6h; paused
		// Mon 14–18 + Tue 9–10 = 5h.
		{Workaround, 8 * time.Hour, 6 * time.Hour, 5 * time.Hour, StateAtRisk, false, true},
		// Resolve adds the reopened span Wed 09:00–10:30: 7h30.
		{Resolve, 18 * time.Hour, 7*time.Hour + 30*time.Minute, 5 * time.Hour, StateOK, false, true},
		{Resolve, 7 * time.Hour, 7*time.Hour + 30*time.Minute, 5 * time.Hour, StateBreached, false, true},
		{Resolve, 0, 7*time.Hour + 30*time.Minute, 5 * time.Hour, StateNone, false, true},
	}
	for _, tt := range tests {
		c := Evaluate(cal, tt.kind, tt.target, tl, now, 0.75)
		if c.Elapsed != tt.elapsed || c.Paused != tt.paused || c.State != tt.state || c.Running != tt.running || c.Stopped != tt.stoppedForGood {
			t.Errorf("%s/%v: got elapsed %v paused %v state %s running %v stopped %v; want %v %v %s %v %v",
				tt.kind, tt.target, c.Elapsed, c.Paused, c.State, c.Running, c.Stopped, tt.elapsed, tt.paused, tt.state, tt.running, tt.stoppedForGood)
		}
	}
	// The 7h resolve target was reached on Wednesday at 10:00 (6h before the reopening + 1h).
	if c := Evaluate(cal, Resolve, 7*time.Hour, tl, now, 0.75); !c.Deadline.Equal(at(t, "2027-03-03T10:00:00+01:00")) {
		t.Errorf("breach instant = %v", c.Deadline)
	}
}

func TestRunningClockDeadlineAndWarning(t *testing.T) {
	cal := paris9to18(t)
	tl := Timeline{Received: at(t, "2027-03-01T16:00:00+01:00"), Changes: []StatusChange{{at(t, "2027-03-01T16:30:00+01:00"), "open"}}}
	now := at(t, "2027-03-01T17:00:00+01:00")
	c := Evaluate(cal, Resolve, 4*time.Hour, tl, now, 0.75)
	// 2h on Monday (16:00–18:00) then 2h on Tuesday: due Tuesday 11:00; warned at 3h: Tuesday 10:00.
	if !c.Running || c.Elapsed != time.Hour || !c.Deadline.Equal(at(t, "2027-03-02T11:00:00+01:00")) || !c.WarnAt.Equal(at(t, "2027-03-02T10:00:00+01:00")) || c.State != StateOK {
		t.Fatalf("running clock = %+v", c)
	}
	// Waiting for the customer: paused, no instant ahead.
	tl.Changes = append(tl.Changes, StatusChange{at(t, "2027-03-01T17:30:00+01:00"), "waiting_customer"})
	c = Evaluate(cal, Resolve, 4*time.Hour, tl, at(t, "2027-03-03T12:00:00+01:00"), 0.75)
	if c.Running || c.Stopped || c.Elapsed != 90*time.Minute || !c.Deadline.IsZero() || c.State != StateOK {
		t.Fatalf("paused clock = %+v", c)
	}
	// Changing the target (severity raised) keeps the elapsed time: 90 min against 1h is breached.
	c = Evaluate(cal, Resolve, time.Hour, tl, at(t, "2027-03-03T12:00:00+01:00"), 0.75)
	if c.Elapsed != 90*time.Minute || c.State != StateBreached || !c.Deadline.Equal(at(t, "2027-03-01T17:00:00+01:00")) {
		t.Fatalf("re-targeted clock = %+v", c)
	}
}

// TestClockAgreesWithDirectSum checks Evaluate against an independent computation: the open
// time summed minute by minute over the status timeline.
func TestClockAgreesWithDirectSum(t *testing.T) {
	cal := paris9to18(t)
	rng := rand.New(rand.NewPCG(7, 11))
	statuses := []string{"open", "waiting_customer", "open", "resolved", "open", "resolved", "closed"}
	for n := 0; n < 200; n++ {
		start := at(t, "2027-03-01T00:00:00+01:00").Add(time.Duration(rng.IntN(5*24*60)) * time.Minute)
		tl := Timeline{Received: start}
		cur := start
		for _, s := range statuses[:rng.IntN(len(statuses)+1)] {
			cur = cur.Add(time.Duration(rng.IntN(30*60)) * time.Minute)
			tl.Changes = append(tl.Changes, StatusChange{cur, s})
		}
		now := cur.Add(time.Duration(rng.IntN(48*60)) * time.Minute)
		c := Evaluate(cal, Resolve, 8*time.Hour, tl, now, 0.75)
		// Minute by minute: count minutes where the status is new/open and the calendar is open.
		var want time.Duration
		for m := start; m.Before(now); m = m.Add(time.Minute) {
			status := "new"
			for _, ch := range tl.Changes {
				if !ch.At.After(m) {
					status = ch.Status
				}
			}
			if (status == "new" || status == "open") && cal.IsOpen(m) {
				want += time.Minute
			}
		}
		if c.Elapsed != want {
			t.Fatalf("case %d: elapsed %v, minute-by-minute %v (timeline %+v, now %v)", n, c.Elapsed, want, tl, now)
		}
		if got := c.State == StateBreached; got != (want > 8*time.Hour) {
			t.Fatalf("case %d: breached %v with %v elapsed", n, got, want)
		}
	}
}
