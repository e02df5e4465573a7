package store

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// BenchmarkIndicatorSteps times each step of Indicators alone, for one month and for all
// time, over a desk seeded by BenchmarkIndicators: OPSDESK_BENCH_INDICATORS_DSN names it (the
// kept SQLite file, or the PostgreSQL URL with search_path set to the kept schema). It tells
// where the time of the whole goes (docs/benchmarks.md).
func BenchmarkIndicatorSteps(b *testing.B) {
	dsn := os.Getenv("OPSDESK_BENCH_INDICATORS_DSN")
	if dsn == "" {
		b.Skip("OPSDESK_BENCH_INDICATORS_DSN is not set")
	}
	db, err := Open(context.Background(), dsn, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Now() // a database kept from an earlier version gets the migrations since
	if ms, err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	} else if len(ms) > 0 {
		b.Logf("%d migrations applied in %v", len(ms), time.Since(start).Round(time.Millisecond))
	}
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) // steeringBenchNow
	db.Now = func() time.Time { return now }
	month := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	ctx := opsdesk.WithActor(context.Background(), opsdesk.System("bench"))
	var customer int64 // the largest
	if err := db.db.QueryRow(`SELECT customer_id FROM tickets GROUP BY customer_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&customer); err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct {
		name string
		f    opsdesk.IndicatorFilter
	}{
		{"month", opsdesk.IndicatorFilter{From: month, To: month.AddDate(0, 1, 0)}},
		{"all", opsdesk.IndicatorFilter{From: time.Unix(0, 0), To: now.Add(time.Hour)}},
		{"month-customer", opsdesk.IndicatorFilter{From: month, To: month.AddDate(0, 1, 0), CustomerID: customer}},
		{"all-customer", opsdesk.IndicatorFilter{From: time.Unix(0, 0), To: now.Add(time.Hour), CustomerID: customer}},
	} {
		lanes := indicatorSteps(db.dialect)
		for _, st := range append(lanes[0], lanes[1]...) {
			b.Run(p.name+"/"+st.name, func(b *testing.B) {
				for b.Loop() {
					tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
					if err != nil {
						b.Fatal(err)
					}
					if db.dialect == Postgres {
						if err := pgIndicatorSettings(ctx, tx); err != nil {
							b.Fatal(err)
						}
					}
					q := indicatorQuery{tx: &Tx{tx: tx, db: db, now: now}, f: p.f, from: p.f.From.UnixMilli(),
						to: p.f.To.UnixMilli(), now: now.UnixMilli()}
					out := &opsdesk.Indicators{}
					if st.name == "knowledge" { // its shape depends on the tickets resolved, counted before
						b.StopTimer()
						if err := q.resolved(ctx, out); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					err = st.run(q, ctx, out)
					tx.Rollback()
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
