package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// slaBenchNow is the instant the benchmark evaluates clocks at: tickets were received in the
// 60 days before.
var slaBenchNow = time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)

// seedOpenTickets fills db with n open tickets over 20 customers (five on the 24/7 calendar),
// received in the 60 days before slaBenchNow, through the store's batch method; then gives them
// a history in bulk SQL: three in four taken after 30 minutes, one in three of those waiting
// for the customer for a day, half of these answered since.
func seedOpenTickets(b *testing.B, db *store.DB, n int) {
	ctx := admin
	custs := benchCustomers(b, db, "S")
	if err := db.SeedSLADefaults(ctx); err != nil {
		b.Fatal(err)
	}
	cals, _ := db.Calendars(ctx)
	for _, c := range cals {
		if c.Name == store.AlwaysOpenName {
			for _, cu := range custs[:5] {
				if err := db.SetContractCalendar(ctx, cu.ID, c.ID); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	sevs := []string{"blocking", "major", "minor", "question", "evolution"}
	rng := rand.New(rand.NewPCG(3, 4))
	start := slaBenchNow.Add(-60 * 24 * time.Hour)
	db.Now = func() time.Time { return slaBenchNow }
	for done := 0; done < n; done += 5000 {
		ns := make([]*opsdesk.NewTicket, 0, 5000)
		for i := done; i < min(done+5000, n); i++ {
			c := custs[rng.IntN(len(custs))]
			ns = append(ns, &opsdesk.NewTicket{CustomerID: c.ID, RequesterEmail: fmt.Sprintf("user%d@%s", rng.IntN(50), c.Domains[0]),
				Severity: sevs[rng.IntN(len(sevs))], Impact: "impact", Category: "application", Subject: fmt.Sprintf("Request %d", i),
				Description: "What happens.", Channel: opsdesk.ChannelAPI, Import: true,
				ReceivedAt: start.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))})
		}
		if _, err := db.CreateTickets(ctx, ns); err != nil {
			b.Fatal(err)
		}
	}
	const hour, day = 3600000, 86400000
	for _, q := range []string{
		`INSERT INTO ticket_events (ticket_id, at, kind, field, old_value, new_value)
			SELECT id, created_at + 1800000, 'change', 'status', 'new', 'open' FROM tickets WHERE id % 4 <> 0`,
		`UPDATE tickets SET status = 'open', taken_at = created_at + 1800000 WHERE id % 4 <> 0`,
		fmt.Sprintf(`INSERT INTO ticket_events (ticket_id, at, kind, field, old_value, new_value)
			SELECT id, created_at + %d, 'change', 'status', 'open', 'waiting_customer' FROM tickets WHERE id %% 4 <> 0 AND id %% 3 = 0`, 2*hour),
		`UPDATE tickets SET status = 'waiting_customer' WHERE id % 4 <> 0 AND id % 3 = 0`,
		fmt.Sprintf(`INSERT INTO ticket_events (ticket_id, at, kind, field, old_value, new_value)
			SELECT id, created_at + %d, 'change', 'status', 'waiting_customer', 'open' FROM tickets WHERE id %% 4 <> 0 AND id %% 6 = 0`, day+2*hour),
		`UPDATE tickets SET status = 'open' WHERE id % 4 <> 0 AND id % 6 = 0`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	if db.Dialect() == store.Postgres {
		// As autovacuum would after such a load: the planner needs the tables' statistics.
		if _, err := db.SQL().Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecomputeClocks recomputes the clocks of 100,000 open tickets, on SQLite and, when
// OPSDESK_TEST_POSTGRES_URL is set, on PostgreSQL (in a schema of its own, kept like the SQLite
// file for later runs):
//   - cold: none stored yet (300,000 clock rows and 100,000 next deadlines written);
//   - unchanged: everything stored and current (read and evaluate only);
//   - calendar-edit: the French calendar moved by an hour (its zone changed, back and forth), which
//     moves the deadlines of the running and breached clocks counted in it (about 84,000 clock
//     rows of 48,000 tickets rewritten).
func BenchmarkRecomputeClocks(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	dsns := [][2]string{{"sqlite", filepath.Join(os.TempDir(), fmt.Sprintf("opsdesk-sla-bench-%d-v1.db", n))}}
	if base := os.Getenv(storetest.PostgresEnv); base != "" {
		dsns = append(dsns, [2]string{"postgres", benchSchema(b, base, fmt.Sprintf("opsdesk_sla_bench_%d_v1", n))})
	}
	for _, d := range dsns {
		b.Run(d[0], func(b *testing.B) {
			db, err := store.Open(ctx, d[1], store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			var have int
			db.SQL().QueryRow(`SELECT COUNT(*) FROM tickets`).Scan(&have)
			if have != 0 && have != n {
				b.Fatalf("%s holds %d tickets, not %d: remove it (the file, or DROP SCHEMA … CASCADE)", d[0], have, n)
			}
			if have == 0 {
				b.Logf("seeding %d open tickets in %s (kept for later runs)", n, d[0])
				seedOpenTickets(b, db, n)
			}
			benchRecompute(b, db, n)
		})
	}
}

// benchSchema returns base pointing at a PostgreSQL schema of that name, created if missing
// and kept: the tickets seeded there serve later runs.
func benchSchema(b *testing.B, base, schema string) string {
	pg, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer pg.Close()
	if _, err := pg.Exec(`CREATE SCHEMA IF NOT EXISTS ` + schema); err != nil {
		b.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func benchRecompute(b *testing.B, db *store.DB, n int) {
	db.Now = func() time.Time { return slaBenchNow }
	// Each case starts from a checkpointed database, as a running opsdesk keeps it — on
	// PostgreSQL also vacuumed, as autovacuum keeps it (the test server may run without).
	checkpoint := func(b *testing.B) {
		qs := []string{`PRAGMA wal_checkpoint(TRUNCATE)`}
		if db.Dialect() == store.Postgres {
			qs = []string{`VACUUM (ANALYZE) tickets, sla_clocks, ticket_events`, `CHECKPOINT`}
		}
		for _, q := range qs {
			if _, err := db.SQL().Exec(q); err != nil {
				b.Fatal(err)
			}
		}
	}
	// cpu reports the process's CPU time per recompute beside the wall time: on a machine shared
	// with other builds the first is the steadier figure. (PostgreSQL's own work is not in it.)
	var cpu time.Duration
	recompute := func(b *testing.B) {
		before := cpuTime()
		got, err := db.RecomputeClocks(admin, store.SLAOptions{}, 5000)
		if err != nil || got != n {
			b.Fatalf("recomputed %d, %v", got, err)
		}
		cpu += cpuTime() - before
	}
	report := func(b *testing.B) {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		cpu = 0
	}
	b.Run("cold", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			for _, q := range []string{`DELETE FROM sla_clocks`, `UPDATE tickets SET next_deadline = NULL, sla_digest = NULL`} {
				if _, err := db.SQL().Exec(q); err != nil {
					b.Fatal(err)
				}
			}
			checkpoint(b)
			b.StartTimer()
			recompute(b)
		}
		report(b)
	})
	b.Run("unchanged", func(b *testing.B) {
		recompute(b)
		checkpoint(b)
		cpu = 0
		b.ResetTimer()
		for range b.N {
			recompute(b)
		}
		report(b)
	})
	b.Run("calendar-edit", func(b *testing.B) {
		cals, _ := db.Calendars(admin)
		var french *store.SLACalendar
		for _, c := range cals {
			if c.Name == store.FrenchCalendarName {
				french = c
			}
		}
		for range b.N {
			b.StopTimer()
			cur, err := db.CalendarByID(admin, french.ID)
			if err != nil {
				b.Fatal(err)
			}
			cur.Calendar = movedFrench(cur.Calendar.Timezone == "Europe/Paris")
			if err := db.SaveCalendar(admin, cur); err != nil {
				b.Fatal(err)
			}
			checkpoint(b)
			b.StartTimer()
			recompute(b)
		}
		report(b)
	})
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// movedFrench returns the French calendar read in Lisbon time instead of Paris time when moved
// is set: an hour's shift of every window, which moves nearly every deadline counted in it.
func movedFrench(moved bool) *sla.Calendar {
	c := sla.FrenchCalendar()
	if moved {
		c.Timezone = "Europe/Lisbon"
	}
	return c
}
