package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// steeringBenchVersion names the seeded databases kept between runs; it changes whenever
// seedSteeringDesk does, so that an old seed is never measured by mistake.
const steeringBenchVersion = "v2"

// BenchmarkIndicators measures the dashboard's figures (DB.Indicators) over a seeded desk of n
// tickets (OPSDESK_BENCH_INDICATORS, default 100000; issue #9 asks 1,000,000 under 1 s on 2
// cores): for one month (October 2026, the last full month of the desk) and for all time, for
// every customer and for the largest one. The desk (seedSteeringDesk) is seeded once and kept:
// a SQLite file in the temporary directory, and when OPSDESK_TEST_POSTGRES_URL is set a
// PostgreSQL schema, both named with n and steeringBenchVersion.
func BenchmarkIndicators(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("OPSDESK_BENCH_INDICATORS")); err == nil && v > 0 {
		n = v
	}
	ctx := opsdesk.WithActor(context.Background(), opsdesk.System("bench"))
	month := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range storetest.Dialects() {
		b.Run(fmt.Sprintf("%s/%d", d, n), func(b *testing.B) {
			db, custs := steeringBenchDB(b, d, n)
			for _, p := range []struct {
				name string
				f    opsdesk.IndicatorFilter
			}{
				{"month", opsdesk.IndicatorFilter{From: month, To: month.AddDate(0, 1, 0)}},
				{"all", opsdesk.IndicatorFilter{From: time.Unix(0, 0), To: steeringBenchNow.Add(time.Hour)}},
				{"month-customer", opsdesk.IndicatorFilter{From: month, To: month.AddDate(0, 1, 0), CustomerID: custs[0]}},
				{"all-customer", opsdesk.IndicatorFilter{From: time.Unix(0, 0), To: steeringBenchNow.Add(time.Hour), CustomerID: custs[0]}},
			} {
				b.Run(p.name, func(b *testing.B) {
					// One untimed run first: each connection's first statements are prepared then.
					got, err := db.Indicators(ctx, p.f)
					if err != nil {
						b.Fatal(err)
					}
					for b.Loop() {
						if got, err = db.Indicators(ctx, p.f); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(got.TicketsResolved), "resolved")
				})
			}
		})
	}
}

// steeringBenchDB opens the kept desk of n tickets of dialect d, seeding it on first use, with
// its clock at steeringBenchNow; it returns the customers, largest first.
func steeringBenchDB(b *testing.B, d store.Dialect, n int) (*store.DB, []int64) {
	b.Helper()
	ctx := context.Background()
	dsn := filepath.Join(os.TempDir(), fmt.Sprintf("opsdesk-bench-indicators-%d-%s.db", n, steeringBenchVersion))
	if d == store.Postgres {
		dsn = benchSchema(b, os.Getenv(storetest.PostgresEnv), fmt.Sprintf("opsdesk_indicators_bench_%d_%s", n, steeringBenchVersion))
	}
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	db.Now = func() time.Time { return steeringBenchNow }
	var have int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM tickets`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	switch have {
	case 0:
		b.Logf("seeding %d tickets with three years of history in %s (kept for later runs)", n, d)
		t0 := time.Now()
		custs := seedSteeringDesk(b, db, n)
		b.Logf("seeded in %s", time.Since(t0).Round(time.Second))
		return db, custs
	case n:
	default:
		b.Fatalf("%s holds %d tickets, not %d: remove it (the file, or DROP SCHEMA … CASCADE)", d, have, n)
	}
	// The customers by their number of tickets, largest first (the seed's order).
	rs, err := db.SQL().Query(`SELECT customer_id FROM tickets GROUP BY customer_id ORDER BY COUNT(*) DESC`)
	if err != nil {
		b.Fatal(err)
	}
	defer rs.Close()
	var custs []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			b.Fatal(err)
		}
		custs = append(custs, id)
	}
	return db, custs
}
