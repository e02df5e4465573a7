package store_test

import (
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestClockStates checks the queue's view of the stored clocks, carried forward to an instant
// along the French calendar (Mon–Fri 09:00–12:30, 14:00–18:00, Europe/Paris), against times
// worked out by hand for Monday 1 March 2027.
func TestClockStates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		// GLOBEX commits to minor tickets only: its questions have no target at all.
		if err := db.SetSLATargets(admin, f.globex.ID, []sla.Target{{Severity: "minor", TakeCharge: time.Hour}}); err != nil {
			t.Fatal(err)
		}
		mk := func(at, severity string, customer *opsdesk.User) *opsdesk.Ticket {
			f.now = local(t, at)
			return file(t, db, admin, opsdesk.NewTicket{CustomerID: customer.CustomerID, RequesterEmail: customer.Email,
				Severity: severity, Impact: "all", Category: "application", Subject: severity, Description: "d", Import: true})
		}
		major := mk("2027-03-01 09:00", "major", f.custA)   // take charge 2h: 11:00
		minor := mk("2027-03-01 09:00", "minor", f.custA)   // take charge 4h: 14:30 (lunch 12:30–14:00)
		late := mk("2027-03-01 09:00", "minor", f.custA)    // taken at 15:00: take charge missed by 30 min
		waiting := mk("2027-03-01 09:00", "major", f.custA) // taken at 09:10, waiting for the customer from 09:30
		done := mk("2027-03-01 09:00", "minor", f.custA)    // taken at 09:10, resolved at 09:20
		none := mk("2027-03-01 09:00", "question", f.custB) // no target
		step := func(at string, fn func() error) {
			t.Helper()
			f.now = local(t, at)
			if err := fn(); err != nil {
				t.Fatal(err)
			}
		}
		take := func(key string) func() error {
			return func() error { _, err := db.Take(as(f.agent), key); return err }
		}
		status := func(key string, st opsdesk.Status) func() error {
			return func() error {
				_, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: &st, Reason: "test", Resolution: resolutionFor(st)})
				return err
			}
		}
		step("2027-03-01 09:10", take(waiting.Key))
		step("2027-03-01 09:10", take(done.Key))
		step("2027-03-01 09:20", status(done.Key, opsdesk.StatusResolved))
		step("2027-03-01 09:30", status(waiting.Key, opsdesk.StatusWaitingCustomer))
		step("2027-03-01 15:00", take(late.Key))
		// The clocks are stored once, at 09:40 for the first tickets: the queue carries them forward.
		f.now = local(t, "2027-03-01 09:40")
		for _, tk := range []*opsdesk.Ticket{major, minor, waiting, done, none} {
			if _, err := db.RefreshTicketClocks(admin, tk.ID, store.SLAOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		f.now = local(t, "2027-03-01 15:10")
		if _, err := db.RefreshTicketClocks(admin, late.ID, store.SLAOptions{}); err != nil {
			t.Fatal(err)
		}
		ids := []int64{major.ID, minor.ID, late.ID, waiting.ID, done.ID, none.ID}

		type want struct {
			clock     sla.ClockKind
			deadline  string // Paris wall time, "" for none
			remaining time.Duration
			state     sla.State
			paused    bool
			stopped   bool
		}
		check := func(ctx string, got map[int64]store.QueueClock, tk *opsdesk.Ticket, w want) {
			t.Helper()
			q, ok := got[tk.ID]
			if !ok {
				t.Errorf("%s: %s (%s) is missing", ctx, tk.Key, tk.Subject)
				return
			}
			var dl time.Time
			if w.deadline != "" {
				dl = local(t, w.deadline)
			}
			if q.Clock != w.clock || !q.Deadline.Equal(dl) || q.Remaining != w.remaining || q.State != w.state ||
				q.Paused != w.paused || q.Stopped != w.stopped {
				t.Errorf("%s: %s = %+v\nwant %+v", ctx, tk.Subject, q, w)
			}
			if q.Location == nil || q.Location.String() != "Europe/Paris" {
				t.Errorf("%s: %s location %v, want Europe/Paris", ctx, tk.Subject, q.Location)
			}
		}

		// 10:45: the major's take charge has 15 minutes left of 2h (1h45 used ≥ 75%: at risk);
		// the minor's 4h runs to 14:30 across the lunch break: 1h45 + 30 min left.
		got, err := db.ClockStates(as(f.agent), ids, local(t, "2027-03-01 10:45"), 0)
		if err != nil {
			t.Fatal(err)
		}
		check("10:45", got, major, want{sla.TakeCharge, "2027-03-01 11:00", 15 * time.Minute, sla.StateAtRisk, false, false})
		check("10:45", got, minor, want{sla.TakeCharge, "2027-03-01 14:30", 2*time.Hour + 15*time.Minute, sla.StateOK, false, false})
		check("10:45", got, waiting, want{"", "", 0, sla.StateOK, true, false})
		check("10:45", got, done, want{"", "", 0, sla.StateOK, false, true})
		check("10:45", got, none, want{"", "", 0, sla.StateNone, false, false})
		for _, tk := range []*opsdesk.Ticket{major, minor} {
			stored, err := db.TicketByKey(admin, tk.Key)
			if err != nil {
				t.Fatal(err)
			}
			if !stored.NextDeadline.Equal(got[tk.ID].Deadline) {
				t.Errorf("%s: queue deadline %v, ticket's next deadline %v", tk.Subject, got[tk.ID].Deadline, stored.NextDeadline)
			}
		}

		// 13:00, during lunch: the minor has used 3h30 of 4h (at risk), 30 min left after lunch;
		// the major is 1h30 over (11:00 → 12:30).
		got, err = db.ClockStates(as(f.ops), ids, local(t, "2027-03-01 13:00"), 0)
		if err != nil {
			t.Fatal(err)
		}
		check("13:00", got, major, want{sla.TakeCharge, "2027-03-01 11:00", -90 * time.Minute, sla.StateBreached, false, false})
		check("13:00", got, minor, want{sla.TakeCharge, "2027-03-01 14:30", 30 * time.Minute, sla.StateAtRisk, false, false})
		// The late one, taken at 15:00 against 14:30, stays breached; its resolve clock (10 days
		// of 7.5h from Monday 09:00: Friday 12 March 18:00) sets the next deadline, 5h used at 15:30.
		got, err = db.ClockStates(as(f.ops), ids, local(t, "2027-03-01 15:30"), 0)
		if err != nil {
			t.Fatal(err)
		}
		check("15:30", got, late, want{sla.Resolve, "2027-03-12 18:00", 70 * time.Hour, sla.StateBreached, false, false})
		if stored, _ := db.TicketByKey(admin, late.Key); !stored.NextDeadline.Equal(got[late.ID].Deadline) {
			t.Errorf("late: queue deadline %v, ticket's next deadline %v", got[late.ID].Deadline, stored.NextDeadline)
		}
		// A warning share of 0.9 leaves the minor (87.5%) ok.
		got, err = db.ClockStates(as(f.ops), ids, local(t, "2027-03-01 13:00"), 0.9)
		if err != nil {
			t.Fatal(err)
		}
		check("13:00 at 0.9", got, minor, want{sla.TakeCharge, "2027-03-01 14:30", 30 * time.Minute, sla.StateOK, false, false})

		// Customers read their own organisation's tickets only; unknown ids and ids beyond the
		// first chunk of the query are handled.
		got, err = db.ClockStates(as(f.custB), ids, local(t, "2027-03-01 10:45"), 0)
		if err != nil || len(got) != 1 {
			t.Fatalf("GLOBEX's user reads %d tickets (%v), want its own one", len(got), err)
		}
		check("GLOBEX", got, none, want{"", "", 0, sla.StateNone, false, false})
		long := make([]int64, 0, 130)
		for i := range 120 {
			long = append(long, 1_000_000+int64(i))
		}
		long = append(long, major.ID, done.ID)
		got, err = db.ClockStates(as(f.agent), long, local(t, "2027-03-01 10:45"), 0)
		if err != nil || len(got) != 2 {
			t.Fatalf("a long list reads %d tickets (%v), want 2", len(got), err)
		}
		check("long list", got, major, want{sla.TakeCharge, "2027-03-01 11:00", 15 * time.Minute, sla.StateAtRisk, false, false})

		_, err = db.ClockStates(as(f.agent), ids, f.now, 1.5)
		wantKind(t, err, opsdesk.KindInvalid)
		_, err = db.ClockStates(t.Context(), ids, f.now, 0)
		wantKind(t, err, opsdesk.KindAuth)
	})
}
