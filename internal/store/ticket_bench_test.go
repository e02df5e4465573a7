package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// seedTickets fills db with n tickets over 20 customers, spread over a year, in every status,
// through the store's own batch method.
func seedTickets(b *testing.B, db *store.DB, n int) []*opsdesk.Customer {
	ctx := admin
	custs := benchCustomers(b, db, "C")
	sevs := []string{"blocking", "major", "minor", "question", "evolution"}
	cats := []string{"application", "mobile", "integration", "database"}
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now().Add(-365 * 24 * time.Hour)
	const batch = 5000
	for done := 0; done < n; done += batch {
		ns := make([]*opsdesk.NewTicket, 0, batch)
		for i := done; i < min(done+batch, n); i++ {
			c := custs[rng.IntN(len(custs))]
			ns = append(ns, &opsdesk.NewTicket{CustomerID: c.ID, RequesterEmail: fmt.Sprintf("user%d@%s", rng.IntN(50), c.Domains[0]),
				Severity: sevs[rng.IntN(len(sevs))], Impact: "impact", Category: cats[rng.IntN(len(cats))],
				Subject: fmt.Sprintf("Request %d about the export of invoices", i), Description: "What happens, what was expected.",
				Channel: opsdesk.ChannelAPI, Import: true, ReceivedAt: start.Add(time.Duration(i) * (365 * 24 * time.Hour / time.Duration(n)))})
		}
		if _, err := db.CreateTickets(ctx, ns); err != nil {
			b.Fatal(err)
		}
	}
	// Close most of them, as in a real desk: about 8% stay active.
	if _, err := db.SQL().Exec(db.Rebind(`UPDATE tickets SET status = CASE
		WHEN id % 25 = 0 THEN 'new' WHEN id % 25 = 1 THEN 'open' WHEN id % 50 = 2 THEN 'waiting_customer'
		WHEN id % 25 = 3 THEN 'resolved' ELSE 'closed' END,
		active = (id % 25 = 0 OR id % 25 = 1 OR id % 50 = 2), updated_at = created_at + (id % 97) * 3600000`)); err != nil {
		b.Fatal(err)
	}
	return custs
}

// benchDB returns a database with n tickets, built once and kept for the run in the temporary
// directory (SQLite) so that each sub-benchmark does not seed again.
func benchDB(b *testing.B, d store.Dialect, n int) (*store.DB, []*opsdesk.Customer) {
	b.Helper()
	ctx := context.Background()
	if d == store.SQLite {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("opsdesk-bench-%d-v3.db", n))
		_, err := os.Stat(path)
		fresh := err != nil
		db, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		if fresh {
			b.Logf("seeding %d tickets in %s (kept for later runs)", n, path)
			return db, seedTickets(b, db, n)
		}
		cs, _ := db.ListCustomers(admin)
		return db, cs
	}
	db := storetest.Open(b, d)
	return db, seedTickets(b, db, n)
}

// BenchmarkListTickets measures the first page (50) of the open queue and of a list filtered by
// customer and status, as the agent workspace and GET /api/v1/tickets read them.
func BenchmarkListTickets(b *testing.B) {
	sizes := []int{100_000, 1_000_000}
	if os.Getenv("OPSDESK_BENCH_SMALL") != "" {
		sizes = []int{100_000}
	}
	for _, d := range storetest.Dialects() {
		for _, n := range sizes {
			db, custs := benchDB(b, d, n)
			active := []opsdesk.Status{opsdesk.StatusNew, opsdesk.StatusOpen, opsdesk.StatusWaitingCustomer}
			filters := map[string]opsdesk.TicketFilter{
				"open-queue":      {Statuses: active},
				"customer+status": {CustomerID: custs[3].ID, Statuses: []opsdesk.Status{opsdesk.StatusClosed}},
				"customer+open":   {CustomerID: custs[7].ID, Statuses: active},
			}
			for name, f := range filters {
				b.Run(fmt.Sprintf("%s/%d/%s", d, n, name), func(b *testing.B) {
					var lat []time.Duration
					for b.Loop() {
						t0 := time.Now()
						list, _, err := db.ListTickets(admin, f)
						if err != nil || len(list) != 50 {
							b.Fatalf("list: %d, %v", len(list), err)
						}
						lat = append(lat, time.Since(t0))
					}
					slices.Sort(lat)
					b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				})
			}
		}
	}
}

// benchCustomers seeds the defaults and 20 customers coded prefix00 to prefix19 (their mail
// domain is the code in lower case, .example), for the benchmarks' synthetic data.
func benchCustomers(b *testing.B, db *store.DB, prefix string) []*opsdesk.Customer {
	if err := db.SeedDefaults(admin); err != nil {
		b.Fatal(err)
	}
	var custs []*opsdesk.Customer
	for i := range 20 {
		code := fmt.Sprintf("%s%02d", prefix, i)
		c := &opsdesk.Customer{Code: code, Name: fmt.Sprintf("Customer %d", i), Domains: []string{strings.ToLower(code) + ".example"}}
		if err := db.CreateCustomer(admin, c); err != nil {
			b.Fatal(err)
		}
		custs = append(custs, c)
	}
	return custs
}
