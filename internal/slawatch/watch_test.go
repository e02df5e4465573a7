package slawatch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/slawatch"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

func as(u *opsdesk.User) context.Context {
	return opsdesk.WithActor(context.Background(), opsdesk.ActorOf(u))
}

var paris, _ = time.LoadLocation("Europe/Paris")

func local(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04:05", s, paris)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// desk is a database with one customer (contract N1 and N2 only), its production environment,
// two N1 agents, an N2 agent and an ops manager, the SLA defaults and a clock the test moves.
type desk struct {
	db             *store.DB
	dsn            string
	now            time.Time
	acme           *opsdesk.Customer
	prod           *opsdesk.Environment
	n1a, n1b, n2   *opsdesk.User
	ops, requester *opsdesk.User
	seen           int64 // the last ticket.event job handed to the watcher
}

func openDB(t *testing.T, dsn string, clock *time.Time) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return *clock }
	return db
}

func newDesk(t *testing.T, d store.Dialect) *desk {
	k := &desk{dsn: storetest.DSN(t, d), now: local(t, "2027-03-01 08:00:00")}
	k.db = openDB(t, k.dsn, &k.now)
	db := k.db
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.SeedDefaults(admin))
	k.acme = &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
	must(db.CreateCustomer(admin, k.acme))
	must(db.SetContract(admin, &opsdesk.Contract{CustomerID: k.acme.ID, Levels: []opsdesk.Level{"N1", "N2"}}))
	must(db.SeedSLADefaults(admin))
	k.prod = &opsdesk.Environment{CustomerID: k.acme.ID, Kind: opsdesk.EnvProd, Name: "Production"}
	must(db.CreateEnvironment(admin, k.prod))
	mk := func(email string, r opsdesk.Role, l opsdesk.Level, cust int64) *opsdesk.User {
		u := &opsdesk.User{Email: email, Role: r, Level: l, CustomerID: cust}
		must(db.CreateUser(admin, u, ""))
		return u
	}
	k.n1a = mk("n1a@vendor.example", opsdesk.RoleAgent, "N1", 0)
	k.n1b = mk("n1b@vendor.example", opsdesk.RoleAgent, "N1", 0)
	k.n2 = mk("n2@vendor.example", opsdesk.RoleAgent, "N2", 0)
	k.ops = mk("ops@vendor.example", opsdesk.RoleOpsManager, "", 0)
	k.requester = mk("alice@acme.example", opsdesk.RoleCustomer, "", k.acme.ID)
	return k
}

// drain hands the ticket events queued since the last call to the watcher, as the job that
// composes ticket.event consumers does.
func (k *desk) drain(t *testing.T, w *slawatch.Watcher) {
	t.Helper()
	rows, err := k.db.SQL().Query(k.db.Rebind(`SELECT id, payload FROM jobs WHERE kind = ? AND id > ? ORDER BY id`), opsdesk.TicketEventJob, k.seen)
	if err != nil {
		t.Fatal(err)
	}
	var evs []opsdesk.TicketEvent
	for rows.Next() {
		var payload string
		var ev opsdesk.TicketEvent
		rows.Scan(&k.seen, &payload)
		if err := json.Unmarshal([]byte(payload), &ev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	rows.Close()
	for _, ev := range evs {
		if err := w.OnTicketEvent(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
}

func describe(as []*store.SLAAlert) []string {
	var out []string
	for _, a := range as {
		out = append(out, fmt.Sprintf("%s %s gen%d due %s to %v escalated %q", a.Clock, a.Kind, a.Generation,
			a.DueAt.In(paris).Format("15:04:05"), a.Recipients, a.EscalatedTo))
	}
	return out
}

func TestScheduler(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testScheduler(t, d) })
	}
}

func testScheduler(t *testing.T, d store.Dialect) {
	k := newDesk(t, d)
	var mu sync.Mutex
	notified := map[int64]int{}
	opt := slawatch.Options{Notify: func(_ context.Context, a *store.SLAAlert) error {
		mu.Lock()
		defer mu.Unlock()
		notified[a.ID]++
		return nil
	}}
	w, err := slawatch.New(k.db, opt)
	if err != nil {
		t.Fatal(err)
	}
	tick := func(at string, w *slawatch.Watcher, want ...string) []*store.SLAAlert {
		t.Helper()
		k.now = local(t, at)
		got, err := w.Tick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(describe(got)) != fmt.Sprint(want) {
			t.Errorf("tick at %s:\n got %q\nwant %q", at, describe(got), want)
		}
		return got
	}
	ids := func(us ...*opsdesk.User) string {
		var s []int64
		for _, u := range us {
			s = append(s, u.ID)
		}
		return fmt.Sprint(s)
	}

	// Monday 09:00, a blocking anomaly in production: take charge 1h, work around 4h, resolve 15h.
	k.now = local(t, "2027-03-01 09:00:00")
	tk, err := k.db.CreateTicket(as(k.requester), &opsdesk.NewTicket{EnvironmentID: k.prod.ID, Severity: "blocking", Impact: "all users",
		Category: "application", Subject: "Site down", Description: "500 everywhere"})
	if err != nil {
		t.Fatal(err)
	}
	k.now = local(t, "2027-03-01 09:00:01")
	k.drain(t, w)
	tick("2027-03-01 09:40:00", w)
	// The warning at 75% (09:45) goes to every active N1 agent: the ticket has no assignee nor group.
	tick("2027-03-01 09:50:00", w, "take_charge warn gen1 due 09:45:00 to "+ids(k.n1a, k.n1b)+` escalated ""`)
	tick("2027-03-01 09:51:00", w)
	// A restarted opsdesk — a new database handle and a new watcher — does not warn again.
	db2 := openDB(t, k.dsn, &k.now)
	w2, _ := slawatch.New(db2, opt)
	tick("2027-03-01 09:52:00", w2)

	// Down from 09:52 to 10:20: the breach of 10:00 is recorded with its own instant, for the ops
	// manager, and the ticket moves up one level with the reason in its history.
	tick("2027-03-01 10:20:00", w2, "take_charge breach gen1 due 10:00:00 to "+ids(k.ops)+` escalated "N2"`)
	up, _ := k.db.TicketByKey(admin, tk.Key)
	hist, _ := k.db.History(admin, tk.Key)
	var escalation *opsdesk.Event
	for _, e := range hist {
		if e.Kind == opsdesk.EventEscalation {
			escalation = e
		}
	}
	if up.Level != opsdesk.LevelN2 || escalation == nil || escalation.Reason != "SLA breach: take-charge target 1h exceeded" ||
		escalation.Old != "N1" || escalation.New != "N2" || escalation.ActorLabel != "sla" {
		t.Fatalf("after breach: level %s, escalation %+v", up.Level, escalation)
	}
	k.drain(t, w)
	tick("2027-03-01 10:21:00", w)

	// Work-around (4h) warned at 12:00 and breached at 14:30 while nobody looked: one breach, no
	// warning after the fact; the contract has no level above N2, so the ticket stays there.
	tick("2027-03-01 14:40:00", w, "workaround breach gen1 due 14:30:00 to "+ids(k.ops)+` escalated ""`)
	if up, _ := k.db.TicketByKey(admin, tk.Key); up.Level != opsdesk.LevelN2 {
		t.Errorf("escalated beyond the contract: %s", up.Level)
	}
	tick("2027-03-01 14:41:00", w)

	// 14:45: the N2 agent takes it and lowers the severity to major (2h / 1 day / 5 days). Each
	// clock gets a new target generation: the take-charge clock, stopped with 4.25h, is breached
	// anew (stopped: no escalation); the work-around clock (4.25h of 7.5h) warns again at 5.625h,
	// 16:07:30, to the assignee alone.
	k.now = local(t, "2027-03-01 14:45:00")
	if _, err := k.db.Take(as(k.n2), tk.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := k.db.UpdateTicket(as(k.n2), tk.Key, opsdesk.TicketPatch{Severity: ptr("major"), Reason: "one site only"}); err != nil {
		t.Fatal(err)
	}
	k.drain(t, w)
	k.drain(t, w) // replayed events change nothing
	tick("2027-03-01 14:46:00", w, "take_charge breach gen2 due 11:00:00 to "+ids(k.ops)+` escalated ""`)
	tick("2027-03-01 16:07:00", w)
	tick("2027-03-01 16:10:00", w, "workaround warn gen2 due 16:07:30 to "+ids(k.n2)+` escalated ""`)
	tick("2027-03-01 16:11:00", w2)

	hist, _ = k.db.History(admin, tk.Key)
	var lines []string
	for _, e := range hist {
		if e.Kind == store.EventSLA && e.Old != "" {
			lines = append(lines, e.Field+" "+e.Old+" → "+e.New+" ("+e.Reason+")")
		}
	}
	want := []string{"take_charge 1h → 2h (severity blocking → major)", "workaround 4h → 1d (severity blocking → major)", "resolve 2d → 5d (severity blocking → major)"}
	if !slices.Equal(lines, want) {
		t.Errorf("re-target lines = %q, want %q", lines, want)
	}
	alerts, err := k.db.SLAAlerts(admin, tk.Key)
	if err != nil || len(alerts) != 5 {
		t.Fatalf("recorded alerts: %d, %v", len(alerts), err)
	}

	// The notification jobs, run by the real job runner (with the recurring tick beside them),
	// reach Notify once per alert.
	r := jobs.New(k.db, jobs.Options{Workers: 2, Poll: 10 * time.Millisecond})
	w.Register(r)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(notified)
		mu.Unlock()
		if n == len(alerts) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	for _, a := range alerts {
		if notified[a.ID] != 1 {
			t.Errorf("alert %d (%s %s) notified %d times", a.ID, a.Clock, a.Kind, notified[a.ID])
		}
	}
	var n int
	k.db.SQL().QueryRow(`SELECT COUNT(*) FROM sla_alerts`).Scan(&n)
	if n != 5 {
		t.Errorf("%d alert rows, want 5", n)
	}
	if a := alerts[0]; a.Clock != sla.TakeCharge || !a.RecordedAt.Equal(local(t, "2027-03-01 09:50:00")) {
		t.Errorf("first alert %+v", a)
	}
}

func ptr[T any](v T) *T { return &v }
