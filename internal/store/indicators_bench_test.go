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

// BenchmarkIndicators measures the dashboard's figures for one month and for all time over n
// tickets (OPSDESK_BENCH_INDICATORS, default 100000; issue #9 asks 1,000,000 under 1 s) with a
// history: resolutions, escalations, clocks and surveys written in bulk by SQL.
func BenchmarkIndicators(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("OPSDESK_BENCH_INDICATORS")); err == nil && v > 0 {
		n = v
	}
	for _, d := range storetest.Dialects() {
		b.Run(fmt.Sprintf("%s/%d", d, n), func(b *testing.B) {
			db := indicatorsBenchDB(b, d, n)
			now := time.Now()
			ctx := opsdesk.WithActor(context.Background(), opsdesk.System("bench"))
			for _, p := range []struct {
				name     string
				from, to time.Time
			}{
				{"month", now.AddDate(0, -1, 0), now},
				{"all", time.Unix(0, 0), now.Add(time.Hour)},
			} {
				b.Run(p.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := db.Indicators(ctx, opsdesk.IndicatorFilter{From: p.from, To: p.to}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

func indicatorsBenchDB(b *testing.B, d store.Dialect, n int) *store.DB {
	b.Helper()
	var db *store.DB
	fresh := true
	if d == store.SQLite {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("opsdesk-bench-indicators-%d.db", n))
		_, err := os.Stat(path)
		fresh = err != nil
		if db, err = store.Open(context.Background(), path, store.Options{}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
	} else {
		db = storetest.Open(b, d)
	}
	if !fresh {
		return db
	}
	b.Logf("seeding %d tickets with their history", n)
	seedTickets(b, db, n)
	for _, q := range []string{
		`INSERT INTO ticket_events (ticket_id, at, kind, field, old_value, new_value)
			SELECT id, updated_at, 'change', 'status', 'open', 'resolved' FROM tickets WHERE active = FALSE`,
		`INSERT INTO ticket_events (ticket_id, at, kind, field, old_value, new_value)
			SELECT id, created_at + 3600000, 'escalation', 'level', 'N1', 'N2' FROM tickets WHERE id % 10 = 0`,
		`INSERT INTO sla_clocks (ticket_id, clock, severity, target_s, elapsed_ms, paused_ms, deadline, stopped_at, state, running, stopped, computed_at)
			SELECT id, 'take_charge', severity, 14400, (id % 300) * 60000, 0, CASE WHEN id % 20 = 0 THEN created_at + 14400000 END,
				created_at + (id % 300) * 60000, 'met', FALSE, TRUE, created_at FROM tickets`,
		`INSERT INTO sla_clocks (ticket_id, clock, severity, target_s, elapsed_ms, paused_ms, deadline, stopped_at, state, running, stopped, computed_at)
			SELECT id, 'resolve', severity, 172800, (id % 97) * 3600000, 0, CASE WHEN id % 15 = 0 THEN created_at + 86400000 END,
				CASE WHEN active THEN NULL ELSE updated_at END, 'met', active, active = FALSE, created_at FROM tickets`,
		`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating)
			SELECT id, customer_id, CASE WHEN id % 3 = 0 THEN 'answered' ELSE 'expired' END, updated_at, updated_at + 604800000,
				CASE WHEN id % 3 = 0 THEN 1 + id % 5 END FROM tickets WHERE active = FALSE`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	return db
}
