package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// slaFixture is the ticket fixture with the SLA defaults seeded and a clock the test moves.
type slaFixture struct {
	*ticketFixture
	now time.Time
}

func newSLAFixture(t *testing.T, db *store.DB) *slaFixture {
	t.Helper()
	f := &slaFixture{ticketFixture: newTicketFixture(t, db)}
	if err := db.SeedSLADefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return f.now }
	return f
}

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// local reads "2027-03-01 09:30" as Paris wall time.
func local(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// independentClocks sums each clock's business time from the ticket's history as the store
// shows it (History, TicketByKey), with the calendar's Elapsed over each status span — without
// sla.Timeline or sla.Evaluate. Counting statuses: new and open; pausing: waiting_customer.
func independentClocks(t *testing.T, db *store.DB, key string, cal *sla.Calendar, now time.Time) (elapsed, paused [3]time.Duration) {
	t.Helper()
	tk, err := db.TicketByKey(admin, key)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := db.History(admin, key)
	if err != nil {
		t.Fatal(err)
	}
	stops := [3]time.Time{tk.TakenAt}
	type span struct {
		from   time.Time
		status string
	}
	spans := []span{{tk.CreatedAt, "new"}}
	for _, e := range hist {
		switch {
		case e.Field == "status":
			spans = append(spans, span{e.At, e.New})
			if e.New == "resolved" && stops[1].IsZero() {
				stops[1] = e.At
			}
		case e.Kind == store.EventWorkaround && stops[1].IsZero():
			stops[1] = e.At
		}
	}
	for i, s := range spans {
		to := now
		if i+1 < len(spans) {
			to = spans[i+1].from
		}
		for k := range 3 {
			end := to
			if !stops[k].IsZero() && stops[k].Before(end) {
				end = stops[k]
			}
			switch s.status {
			case "new", "open":
				elapsed[k] += cal.Elapsed(s.from, end)
			case "waiting_customer":
				paused[k] += cal.Elapsed(s.from, end)
			}
		}
	}
	return elapsed, paused
}

// TestSLAClockLifecycle follows a ticket through the store's real methods with the clock moved
// step by step, and checks its clocks against hand-computed figures and the independent sum.
func TestSLAClockLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		cal := sla.FrenchCalendar() // what the seeded default calendar says, built independently
		h := time.Hour
		var key string
		var id int64
		step := func(at string, do func() error) {
			t.Helper()
			f.now = local(t, at)
			if err := do(); err != nil {
				t.Fatalf("%s: %v", at, err)
			}
			if _, err := db.RefreshTicketClocks(admin, id, store.SLAOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		// check compares the three clocks with the independent sum and with the elapsed times
		// and states given (take charge, work around, resolve).
		check := func(at string, want [3]time.Duration, states [3]sla.State, running [3]bool) []sla.Clock {
			t.Helper()
			f.now = local(t, at)
			clocks, err := db.TicketClocks(admin, key, store.SLAOptions{})
			if err != nil {
				t.Fatal(err)
			}
			elapsed, paused := independentClocks(t, db, key, cal, f.now)
			for i, c := range clocks {
				if c.Kind != sla.ClockKinds[i] || c.Elapsed != elapsed[i] || c.Paused != paused[i] {
					t.Errorf("%s %s: elapsed %v paused %v; independent sum %v %v", at, c.Kind, c.Elapsed, c.Paused, elapsed[i], paused[i])
				}
				if c.Elapsed != want[i] || c.State != states[i] || c.Running != running[i] {
					t.Errorf("%s %s: elapsed %v state %s running %v; want %v %s %v", at, c.Kind, c.Elapsed, c.State, c.Running, want[i], states[i], running[i])
				}
			}
			return clocks
		}
		ok, risk, breached := sla.StateOK, sla.StateAtRisk, sla.StateBreached
		yes, no := true, false

		// Monday 1 March 2027 09:30: a major anomaly in production (2h / 1 day / 5 days).
		step("2027-03-01 09:30", func() error {
			tk, err := db.CreateTicket(as(f.custA), &opsdesk.NewTicket{EnvironmentID: f.acmeProd.ID, Severity: "major",
				Category: "application", Subject: "Exports fail", Description: "Every export ends in an error"})
			if tk != nil {
				key, id = tk.Key, tk.ID
			}
			return err
		})
		c := check("2027-03-01 10:00", [3]time.Duration{h / 2, h / 2, h / 2}, [3]sla.State{ok, ok, ok}, [3]bool{yes, yes, yes})
		if want := local(t, "2027-03-01 11:30"); !c[0].Deadline.Equal(want) {
			t.Errorf("take-charge deadline %v, want %v", c[0].Deadline, want)
		}
		var next sql.NullInt64
		db.SQL().QueryRow(db.Rebind(`SELECT next_deadline FROM tickets WHERE id = ?`), id).Scan(&next)
		if !next.Valid || next.Int64 != local(t, "2027-03-01 11:30").UnixMilli() {
			t.Errorf("next_deadline = %v, want the take-charge deadline", next)
		}

		step("2027-03-01 10:15", func() error { _, err := db.Take(as(f.agent), key); return err })
		check("2027-03-01 10:30", [3]time.Duration{45 * time.Minute, h, h}, [3]sla.State{ok, ok, ok}, [3]bool{no, yes, yes})

		// Waiting for the customer from 11:00 to their answer at 14:30: paused (11:00–12:30, 14:00–14:30).
		step("2027-03-01 11:00", func() error {
			_, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusWaitingCustomer), Reason: "need logs"})
			return err
		})
		check("2027-03-01 14:00", [3]time.Duration{45 * time.Minute, 90 * time.Minute, 90 * time.Minute}, [3]sla.State{ok, ok, ok}, [3]bool{no, no, no})
		db.SQL().QueryRow(db.Rebind(`SELECT next_deadline FROM tickets WHERE id = ?`), id).Scan(&next)
		if next.Valid {
			t.Errorf("next_deadline of a paused ticket = %v, want NULL", next)
		}
		step("2027-03-01 14:30", func() error { _, err := db.AddMessage(as(f.custA), key, "Here are the logs", false, nil); return err })

		// A workaround at 15:00 stops the work-around clock at 2h.
		step("2027-03-01 15:00", func() error { _, err := db.RecordWorkaround(as(f.agent), key, "export in CSV"); return err })
		c = check("2027-03-01 16:00", [3]time.Duration{45 * time.Minute, 2 * h, 3 * h}, [3]sla.State{ok, ok, ok}, [3]bool{no, no, yes})
		if !c[1].Stopped || c[2].Paused != 2*h {
			t.Errorf("work-around %+v, resolve paused %v", c[1], c[2].Paused)
		}
		// 37.5h of resolve from Monday 09:30: 2h by 15:00, then 35.5h → Monday 8 March 11:30.
		if want := local(t, "2027-03-08 11:30"); !c[2].Deadline.Equal(want) {
			t.Errorf("major resolve deadline %v, want %v", c[2].Deadline, want)
		}

		// Tuesday 10:00 the severity becomes blocking (prod: 1h / 4h / 2 days = 15h): re-targeted,
		// elapsed kept (resolve: 1.5h + 3.5h Monday + 1h Tuesday = 6h).
		step("2027-03-02 10:00", func() error {
			_, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Severity: ptr("blocking"), Reason: "production stopped"})
			return err
		})
		c = check("2027-03-02 10:00", [3]time.Duration{45 * time.Minute, 2 * h, 6 * h}, [3]sla.State{risk, ok, ok}, [3]bool{no, no, yes})
		if c[2].Target != 15*h || !c[2].Deadline.Equal(local(t, "2027-03-03 11:30")) {
			t.Errorf("re-targeted resolve: target %v deadline %v", c[2].Target, c[2].Deadline)
		}
		// The history says what the change did, once, however often the clocks are refreshed.
		for range 2 {
			if _, err := db.RefreshTicketClocks(admin, id, store.SLAOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		hist, _ := db.History(admin, key)
		var lines []string
		for _, e := range hist {
			if e.Kind == store.EventSLA {
				lines = append(lines, e.Field+" "+e.Old+" → "+e.New+" ("+e.Reason+")")
			}
		}
		wantLines := []string{"take_charge 2h → 1h (severity major → blocking)", "workaround 1d → 4h (severity major → blocking)",
			"resolve 5d → 2d (severity major → blocking)"}
		if len(lines) != len(wantLines) {
			t.Fatalf("sla history lines = %q, want %q", lines, wantLines)
		}
		for i := range lines {
			if lines[i] != wantLines[i] {
				t.Errorf("sla history line %d = %q, want %q", i, lines[i], wantLines[i])
			}
		}

		// Resolved Tuesday 11:00 (7h), reopened Wednesday 09:00: the resolve clock resumes.
		step("2027-03-02 11:00", func() error {
			_, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixedDraft()})
			return err
		})
		c = check("2027-03-02 17:00", [3]time.Duration{45 * time.Minute, 2 * h, 7 * h}, [3]sla.State{risk, ok, ok}, [3]bool{no, no, no})
		if !c[2].Stopped {
			t.Errorf("resolve clock of a resolved ticket not stopped: %+v", c[2])
		}
		step("2027-03-03 09:00", func() error {
			_, err := db.UpdateTicket(as(f.custA), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusOpen), Reason: "still broken"})
			return err
		})
		c = check("2027-03-03 10:00", [3]time.Duration{45 * time.Minute, 2 * h, 8 * h}, [3]sla.State{risk, ok, ok}, [3]bool{no, no, yes})
		// 8h left of 15h from Wednesday 09:00: 7.5h on Wednesday, due Thursday 09:30; warned at
		// 11.25h, Wednesday 14:45.
		if !c[2].Deadline.Equal(local(t, "2027-03-04 09:30")) || !c[2].WarnAt.Equal(local(t, "2027-03-03 14:45")) {
			t.Errorf("resumed resolve: deadline %v warn %v", c[2].Deadline, c[2].WarnAt)
		}
		// Past the deadline on Thursday: breached, still running.
		check("2027-03-04 10:00", [3]time.Duration{45 * time.Minute, 2 * h, 15*h + h/2}, [3]sla.State{risk, ok, breached}, [3]bool{no, no, yes})

		// The stored clocks agree with the live ones; customers of other organisations see nothing.
		f.now = local(t, "2027-03-04 10:00")
		if _, err := db.RefreshTicketClocks(admin, id, store.SLAOptions{}); err != nil {
			t.Fatal(err)
		}
		var deadline, stored int64
		var state string
		db.SQL().QueryRow(db.Rebind(`SELECT c.deadline, c.state, t.next_deadline FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id
			WHERE c.ticket_id = ? AND c.clock = 'resolve'`), id).Scan(&deadline, &state, &stored)
		if deadline != local(t, "2027-03-04 09:30").UnixMilli() || state != "breached" || stored != deadline {
			t.Errorf("stored resolve clock: deadline %d state %s next %d", deadline, state, stored)
		}
		_, err := db.TicketClocks(as(f.custB), key, store.SLAOptions{})
		wantKind(t, err, opsdesk.KindNotFound)
		if _, err := db.TicketClocks(as(f.custA), key, store.SLAOptions{}); err != nil {
			t.Errorf("the requester's organisation reads its clocks: %v", err)
		}
	})
}
