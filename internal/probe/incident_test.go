package probe_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// The server fails and recovers: exactly one incident, further failures noted on it (rate
// limited), a recovery note with the downtime; a new outage while the ticket is active notes it
// again; once a human resolved it, the next outage opens a new incident.
func TestOutageOpensOneIncident(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, opsdesk.EnvProd)
		p := f.probe(t, "Login page", nil)
		var outs []*store.ProbeOutcome
		s := f.scheduler("a", func(o *store.ProbeOutcome) { outs = append(outs, o) })
		if n := runAt(t, f, s, 0); n != 1 {
			t.Fatalf("first run: %d runs, want 1 (a new probe is due at once)", n)
		}
		if n := runAt(t, f, s, 30*time.Second); n != 0 {
			t.Fatalf("half an interval later: %d runs, want 0", n)
		}
		f.healthy.Store(false)
		downAt := f.clock.Now().Add(30 * time.Second)
		for i := 1; i <= 6; i++ {
			if n := runAt(t, f, s, map[bool]time.Duration{true: 30 * time.Second, false: time.Minute}[i == 1]); n != 1 {
				t.Fatalf("failure %d: %d runs", i, n)
			}
			if got := f.tickets(t); i < 3 && len(got) != 0 {
				t.Fatalf("failure %d below the threshold opened %d tickets", i, len(got))
			}
		}
		ts := f.tickets(t)
		if len(ts) != 1 {
			t.Fatalf("%d probe tickets after 6 failures, want 1", len(ts))
		}
		inc := ts[0]
		if inc.Severity != "blocking" || inc.Type != opsdesk.TypeIncident || inc.EnvironmentID != f.env.ID || inc.Category != "infrastructure" {
			t.Fatalf("incident = %+v", inc)
		}
		msgs, err := db.Messages(admin, inc.Key)
		if err != nil {
			t.Fatal(err)
		}
		if d := msgs[0].Body; !strings.Contains(d, f.srv.URL+"/health") || !strings.Contains(d, "Status: 503") || !strings.Contains(d, "failed 3 consecutive times") {
			t.Fatalf("description lacks the evidence:\n%s", d)
		}
		if robot, err := db.FirstMessageNoAutoreply(admin, inc.ID); err != nil || !robot {
			t.Fatalf("the synthetic requester would be acknowledged: %v %v", robot, err)
		}
		// NoteEvery 2: failures 4 and 5 make one note, failure 6 waits for the next.
		if n := f.notes(t, inc.Key); len(n) != 1 || !strings.Contains(n[0], "5 failures since") {
			t.Fatalf("notes after 6 failures = %q, want one note at the 5th", n)
		}
		f.healthy.Store(true)
		upAt := f.clock.Now().Add(time.Minute)
		runAt(t, f, s, time.Minute)
		last := outs[len(outs)-1]
		if !last.Recovered || last.Noted != inc.Key || last.Probe.ConsecutiveFailures != 0 || !last.Probe.DownSince.IsZero() {
			t.Fatalf("recovery outcome = %+v, probe %+v", last, last.Probe)
		}
		n := f.notes(t, inc.Key)
		want := "down from " + downAt.Format("2006-01-02 15:04:05 UTC") + " to " + upAt.Format("2006-01-02 15:04:05 UTC") + ", 6 min"
		if len(n) != 2 || !strings.Contains(n[1], want) {
			t.Fatalf("recovery note = %q, want %q", n, want)
		}
		if tk, _ := db.TicketByKey(admin, inc.Key); tk.Status == opsdesk.StatusClosed || tk.Status == opsdesk.StatusResolved {
			t.Fatalf("the probe closed the incident: %s", tk.Status)
		}

		// A new outage while the incident is still active: noted on it, no new ticket.
		f.healthy.Store(false)
		for range 3 {
			runAt(t, f, s, time.Minute)
		}
		if ts := f.tickets(t); len(ts) != 1 {
			t.Fatalf("a second outage on an active incident opened a ticket: %d", len(ts))
		}
		if n := f.notes(t, inc.Key); len(n) != 3 || !strings.Contains(n[2], "still failing") {
			t.Fatalf("notes = %q", n)
		}
		f.healthy.Store(true)
		runAt(t, f, s, time.Minute)

		// A human resolved it: the next outage opens a new incident.
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE tickets SET status = 'resolved', active = FALSE WHERE id = ?`), inc.ID); err != nil {
			t.Fatal(err)
		}
		f.healthy.Store(false)
		for range 3 {
			runAt(t, f, s, time.Minute)
		}
		if ts := f.tickets(t); len(ts) != 2 || ts[1].Key == inc.Key {
			t.Fatalf("after resolution, %d probe tickets, want a second incident", len(ts))
		}
		if got := f.results(t, p.ID); got != len(outs) || got != 1+6+1+3+1+3 {
			t.Fatalf("%d results stored, %d runs told", got, len(outs))
		}
	})
}

// A maintenance window suppresses the incident; past it, the still failing probe opens one.
func TestMaintenanceSuppressesIncident(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, opsdesk.EnvPreprod)
		f.probe(t, "API", nil)
		var last *store.ProbeOutcome
		s := f.scheduler("a", func(o *store.ProbeOutcome) { last = o })
		start := f.clock.Now()
		w := &opsdesk.MaintenanceWindow{EnvironmentID: f.env.ID, Title: "Upgrade", StartsAt: start, EndsAt: start.Add(10 * time.Minute)}
		if err := db.CreateMaintenance(admin, w); err != nil {
			t.Fatal(err)
		}
		f.healthy.Store(false)
		runAt(t, f, s, 0)
		for range 8 {
			runAt(t, f, s, time.Minute)
		}
		if ts := f.tickets(t); len(ts) != 0 {
			t.Fatalf("failures in maintenance opened %d tickets", len(ts))
		}
		if !last.Suppressed || last.Probe.ConsecutiveFailures != 9 {
			t.Fatalf("last outcome in maintenance = %+v", last)
		}
		runAt(t, f, s, time.Minute) // 09:09: still inside
		runAt(t, f, s, time.Minute) // 09:10: the window is over
		ts := f.tickets(t)
		if len(ts) != 1 || ts[0].Severity != "major" || last.Opened != ts[0].Key {
			t.Fatalf("after the window: tickets %v, outcome %+v", ts, last)
		}
	})
}

// A runner dies holding a claim; a new scheduler on the same database neither skips the run
// (it takes it once the lease ran out) nor doubles it (the dead runner's late result is refused),
// and keeps the open incident instead of opening a second one.
func TestRestartNeitherSkipsNorDoubles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, opsdesk.EnvProd)
		p := f.probe(t, "Home", nil)
		first := f.scheduler("first", nil)
		f.healthy.Store(false)
		runAt(t, f, first, 0)
		runAt(t, f, first, time.Minute)
		runAt(t, f, first, time.Minute)
		if ts := f.tickets(t); len(ts) != 1 {
			t.Fatalf("%d incidents after the threshold", len(ts))
		}
		// The first runner claims the next run and dies before recording it.
		f.clock.Add(time.Minute)
		claims, err := db.ClaimDueProbes(context.Background(), "first", 10, 2*time.Minute)
		if err != nil || len(claims) != 1 {
			t.Fatalf("claim: %v, %d", claims, err)
		}
		second := f.scheduler("second", nil)
		if n := runAt(t, f, second, time.Minute); n != 0 {
			t.Fatalf("the restarted scheduler ran a run still leased: %d", n)
		}
		if n := runAt(t, f, second, 90*time.Second); n != 1 {
			t.Fatalf("after the lease ran out: %d runs, want the run taken over", n)
		}
		late := &opsdesk.ProbeResult{At: claims[0].Due, Error: "late"}
		if _, err := db.RecordProbeResult(context.Background(), claims[0], late, store.ProbeIncidentOptions{}); !errors.Is(err, store.ErrProbeLeaseLost) {
			t.Fatalf("the dead runner's late result: %v, want ErrProbeLeaseLost", err)
		}
		runAt(t, f, second, time.Minute)
		if ts := f.tickets(t); len(ts) != 1 {
			t.Fatalf("%d incidents after the restart, want still 1", len(ts))
		}
		if got := f.results(t, p.ID); got != 5 {
			t.Fatalf("%d results, want 5 (3 + the taken-over run + 1)", got)
		}
		pr, err := db.ProbeByID(admin, p.ID)
		if err != nil || pr.ConsecutiveFailures != 5 {
			t.Fatalf("probe state %+v, %v", pr, err)
		}
	})
}

// Two runners on one database run each due probe exactly once.
func TestTwoRunnersRunEachProbeOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, opsdesk.EnvTest)
		const probes = 40
		for i := range probes {
			f.probe(t, "p"+string(rune('A'+i%26))+string(rune('a'+i/26)), nil)
		}
		a, b := f.scheduler("a", nil), f.scheduler("b", nil)
		for round := range 3 {
			if round > 0 {
				f.clock.Add(time.Minute)
			}
			na, nb := make(chan int), make(chan int)
			go func() { n, _ := a.RunDue(context.Background()); na <- n }()
			go func() { n, _ := b.RunDue(context.Background()); nb <- n }()
			if got := <-na + <-nb; got != probes {
				t.Fatalf("round %d: %d runs for %d probes", round, got, probes)
			}
		}
		var dup int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM (SELECT probe_id, at FROM env_probe_results GROUP BY probe_id, at HAVING COUNT(*) > 1) d`).Scan(&dup); err != nil {
			t.Fatal(err)
		}
		if dup != 0 || f.hits.Load() != 3*probes {
			t.Fatalf("%d doubled runs, %d requests for %d", dup, f.hits.Load(), 3*probes)
		}
	})
}
