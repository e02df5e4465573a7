package demo_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/demo"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// seed adds tickets on customers to db with the history ending at demoNow, the store's own clock
// reading an hour later.
func seed(t *testing.T, db *store.DB, tickets, customers int, s uint64) *demo.SeedResult {
	t.Helper()
	db.Now = func() time.Time { return demoNow.Add(time.Hour) }
	res, err := demo.Seed(context.Background(), db, demo.SeedOptions{Tickets: tickets, Customers: customers, Seed: s, Now: demoNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Now(); !got.Equal(demoNow.Add(time.Hour)) {
		t.Errorf("store clock after Seed = %v: not restored", got)
	}
	return res
}

// count runs an independent counting query.
func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(db.Rebind(q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestSeed seeds 300 tickets on 3 customers into a fresh desk, checks what was made against the
// database, then seeds again and checks that as much was added on new customers, by the agents
// and articles of the first run.
func TestSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		res := seed(t, db, 300, 3, 1)
		codes := fmt.Sprint(codesOf(res.Customers))
		if res.Tickets != 300 || codes != "[SEED00001 SEED00002 SEED00003]" {
			t.Fatalf("first seed: %d tickets on %s", res.Tickets, codes)
		}
		if len(res.Agents) != 7 || res.Articles != 5 {
			t.Errorf("first seed on an empty desk made %d agents, %d articles; want 7 and 5", len(res.Agents), res.Articles)
		}
		checkSeeded(t, db, res, 300)
		if n := count(t, db, `SELECT COUNT(DISTINCT customer_id) FROM tickets`); n != 3 {
			t.Errorf("tickets spread over %d customers, want 3", n)
		}
		for _, q := range []struct {
			what string
			sql  string
			min  int
		}{
			{"severities", `SELECT COUNT(DISTINCT severity) FROM tickets`, 4},
			{"channels", `SELECT COUNT(DISTINCT channel) FROM tickets`, 3},
			{"statuses", `SELECT COUNT(DISTINCT status) FROM tickets`, 4},
			{"levels", `SELECT COUNT(DISTINCT level) FROM tickets`, 3},
			{"open tickets", `SELECT COUNT(*) FROM tickets WHERE status IN ('new', 'open', 'waiting_customer')`, 5},
			{"resolved or closed tickets", `SELECT COUNT(*) FROM tickets WHERE status IN ('resolved', 'closed')`, 150},
			{"answered surveys", `SELECT COUNT(*) FROM surveys WHERE rating IS NOT NULL`, 30},
			{"escalations", `SELECT COUNT(*) FROM ticket_events WHERE kind = 'escalation'`, 10},
			{"pauses", `SELECT COUNT(*) FROM ticket_events WHERE field = 'status' AND new_value = 'waiting_customer'`, 20},
			{"reopenings", `SELECT COUNT(*) FROM tickets WHERE reopen_count > 0`, 1},
			{"breached clocks", `SELECT COUNT(*) FROM sla_clocks WHERE state = 'breached'`, 1},
			{"clocks stopped in time", `SELECT COUNT(*) FROM sla_clocks WHERE stopped AND state IN ('ok', 'at_risk')`, 100},
		} {
			if n := count(t, db, q.sql); n < q.min {
				t.Errorf("%s: %d, want at least %d", q.what, n, q.min)
			}
		}

		again := seed(t, db, 300, 3, 1)
		if codes := fmt.Sprint(codesOf(again.Customers)); again.Tickets != 300 || codes != "[SEED00004 SEED00005 SEED00006]" {
			t.Fatalf("second seed: %d tickets on %s", again.Tickets, codes)
		}
		if len(again.Agents) != 0 || again.Articles != 0 {
			t.Errorf("second seed made %d agents and %d articles: want those of the first run reused", len(again.Agents), again.Articles)
		}
		checkSeeded(t, db, again, 600)
		if n := count(t, db, `SELECT COUNT(*) FROM tickets t JOIN customers c ON c.id = t.customer_id
			WHERE c.code IN ('SEED00004', 'SEED00005', 'SEED00006')`); n != 300 {
			t.Errorf("second seed: %d tickets on its customers, want 300", n)
		}
	})
}

func codesOf(cs []*opsdesk.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Code)
	}
	return out
}

// checkSeeded checks that each new customer has its contract and three environments, that
// every ticket of the desk has its SLA clocks, and that the indicators over the seeding's
// history count total tickets created.
func checkSeeded(t *testing.T, db *store.DB, res *demo.SeedResult, total int) {
	t.Helper()
	for _, c := range res.Customers {
		if ct, err := db.ContractOf(admin, c.ID); err != nil || ct.Tier == "" || len(ct.Levels) == 0 {
			t.Errorf("%s: contract %+v, %v", c.Code, ct, err)
		}
		envs, err := db.ListEnvironments(admin, c.ID)
		kinds := map[opsdesk.EnvKind]bool{}
		for _, e := range envs {
			kinds[e.Kind] = true
		}
		if err != nil || len(envs) != 3 || !kinds[opsdesk.EnvTest] || !kinds[opsdesk.EnvPreprod] || !kinds[opsdesk.EnvProd] {
			t.Errorf("%s: environments %v (%v), want test, preprod and prod", c.Code, kinds, err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM sla_targets WHERE customer_id = ?`, c.ID); n == 0 {
			t.Errorf("%s: no SLA targets", c.Code)
		}
	}
	if n, err := db.CountTickets(admin, opsdesk.TicketFilter{}); err != nil || n != total {
		t.Errorf("tickets %d (%v), want %d", n, err, total)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM sla_clocks c WHERE c.ticket_id = t.id)`); n != 0 {
		t.Errorf("%d tickets have no SLA clock", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM tickets WHERE created_at > ? OR updated_at > ?`, demoNow.UnixMilli(), demoNow.UnixMilli()); n != 0 {
		t.Errorf("%d tickets created or updated after the end of the history", n)
	}
	ind, err := db.Indicators(admin, opsdesk.IndicatorFilter{From: res.From, To: res.To.Add(time.Millisecond)})
	if err != nil || ind.TicketsCreated != total {
		t.Errorf("Indicators over the history: %+v, %v; want %d tickets created", ind, err, total)
	}
}

// TestSeedDeterministic seeds twice with the same seed and once with another on fresh desks:
// the same seed gives the same tickets.
func TestSeedDeterministic(t *testing.T) {
	digest := func(s uint64) string {
		db := storetest.Open(t, store.SQLite)
		seed(t, db, 40, 2, s)
		tks, _, err := db.ListTickets(admin, opsdesk.TicketFilter{Sort: "number", Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		var out string
		for _, tk := range tks {
			out += fmt.Sprintln(tk.Key, tk.CustomerCode, tk.Subject, tk.Severity, tk.Status, tk.Level, tk.Channel,
				tk.CreatedAt.UnixMilli(), tk.UpdatedAt.UnixMilli(), tk.ReopenCount)
		}
		return out
	}
	a, b, c := digest(3), digest(3), digest(4)
	if a != b {
		t.Errorf("seed 3 twice gave different data")
	}
	if a == c {
		t.Errorf("seeds 3 and 4 gave the same data")
	}
}

// TestSeedCancel cancels a seeding after its fifth ticket: it stops there, says so, and leaves
// five whole tickets with their clocks.
func TestSeedCancel(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := demo.Seed(ctx, db, demo.SeedOptions{Tickets: 50, Customers: 1, Now: demoNow, Progress: func(done, total int) {
		if done == 5 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || res == nil || res.Tickets != 5 {
		t.Fatalf("cancelled seed: %+v, %v; want 5 tickets and context.Canceled", res, err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM tickets`); n != 5 {
		t.Errorf("%d tickets committed, want 5", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM sla_clocks c WHERE c.ticket_id = t.id)`); n != 0 {
		t.Errorf("%d tickets left without their clocks", n)
	}
}

// TestSeedRefusesBadOptions checks the options' errors name their field.
func TestSeedRefusesBadOptions(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	for _, tt := range []struct {
		opt   demo.SeedOptions
		field string
	}{
		{demo.SeedOptions{}, "tickets"},
		{demo.SeedOptions{Tickets: -1}, "tickets"},
		{demo.SeedOptions{Tickets: 5, Customers: -2}, "customers"},
		{demo.SeedOptions{Tickets: 5, Days: -1}, "days"},
	} {
		_, err := demo.Seed(context.Background(), db, tt.opt)
		if opsdesk.ErrorKind(err) != opsdesk.KindInvalid || opsdesk.ErrorField(err) != tt.field {
			t.Errorf("Seed(%+v) = %v, want invalid %s", tt.opt, err, tt.field)
		}
	}
}
