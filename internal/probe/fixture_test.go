package probe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/probe"
	"github.com/opsdesk/opsdesk/internal/store"
)

var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

// clock is the injected clock of a test: it moves only when the test moves it.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// fixture is a customer with a prod environment, a local HTTP server the test makes fail and
// recover, and a probe of it.
type fixture struct {
	db      *store.DB
	clock   *clock
	cust    *opsdesk.Customer
	env     *opsdesk.Environment
	srv     *httptest.Server
	healthy atomic.Bool
	hits    atomic.Int64
}

func newFixture(t *testing.T, db *store.DB, kind opsdesk.EnvKind) *fixture {
	t.Helper()
	f := &fixture{db: db, clock: &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	db.Now = f.clock.Now
	if err := db.SeedDefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.cust = &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
	if err := db.CreateCustomer(admin, f.cust); err != nil {
		t.Fatal(err)
	}
	f.env = &opsdesk.Environment{CustomerID: f.cust.ID, Kind: kind, Name: "Production"}
	if err := db.CreateEnvironment(admin, f.env); err != nil {
		t.Fatal(err)
	}
	f.healthy.Store(true)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		if !f.healthy.Load() {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("status: ok"))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) probe(t *testing.T, name string, mod func(p *opsdesk.Probe)) *opsdesk.Probe {
	t.Helper()
	p := &opsdesk.Probe{EnvironmentID: f.env.ID, Name: name, URL: f.srv.URL + "/health", BodyContains: "ok",
		Interval: time.Minute, Timeout: 5 * time.Second, Threshold: 3, Enabled: true}
	if mod != nil {
		mod(p)
	}
	if err := f.db.CreateProbe(admin, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) scheduler(owner string, onResult func(*store.ProbeOutcome)) *probe.Scheduler {
	return probe.New(f.db, probe.Options{Owner: owner, Workers: 4, Incident: store.ProbeIncidentOptions{NoteEvery: 2, NoteInterval: time.Hour},
		OnResult: func(out *store.ProbeOutcome, _ *opsdesk.ProbeResult, _ time.Duration) {
			if onResult != nil {
				onResult(out)
			}
		}})
}

// runAt moves the clock by d and runs what is due, returning how many runs started.
func runAt(t *testing.T, f *fixture, s *probe.Scheduler, d time.Duration) int {
	t.Helper()
	f.clock.Add(d)
	n, err := s.RunDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// tickets lists the customer's tickets filed by probes, oldest first.
func (f *fixture) tickets(t *testing.T) []*opsdesk.Ticket {
	t.Helper()
	ts, _, err := f.db.ListTickets(admin, opsdesk.TicketFilter{CustomerID: f.cust.ID, Sort: "number"})
	if err != nil {
		t.Fatal(err)
	}
	var out []*opsdesk.Ticket
	for _, tk := range ts {
		if tk.Channel == opsdesk.ChannelProbe {
			out = append(out, tk)
		}
	}
	return out
}

// notes lists the internal notes of a ticket.
func (f *fixture) notes(t *testing.T, key string) []string {
	t.Helper()
	ms, err := f.db.Messages(admin, key)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		if m.Internal {
			out = append(out, m.Body)
		}
	}
	return out
}

func (f *fixture) results(t *testing.T, probeID int64) int {
	t.Helper()
	var n int
	if err := f.db.SQL().QueryRow(f.db.Rebind(`SELECT COUNT(*) FROM env_probe_results WHERE probe_id = ?`), probeID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
