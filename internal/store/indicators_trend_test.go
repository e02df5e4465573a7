package store_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// trendBounds are n+1 instants step apart from start.
func trendBounds(start time.Time, n int, step func(time.Time) time.Time) []time.Time {
	out := []time.Time{start}
	for range n {
		out = append(out, step(out[len(out)-1]))
	}
	return out
}

// TestIndicatorTrendMatchesIndicators checks every period of the trend against Indicators over
// that period alone (an independent computation, itself checked against raw recomputation in
// TestIndicatorsIndependentCheck), for several filters and period lengths.
func TestIndicatorTrendMatchesIndicators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := seedIndicators(t, db)
		ops := as(s.f.ops)
		monday := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
		grids := map[string][]time.Time{
			"weeks":  trendBounds(monday.AddDate(0, 0, -7*7), 10, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }),
			"days":   trendBounds(monday.AddDate(0, 0, -2), 16, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }),
			"months": trendBounds(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 3, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }),
			"hours":  trendBounds(s.from, 40, func(t time.Time) time.Time { return t.Add(3 * time.Hour) }),
		}
		filters := map[string]opsdesk.IndicatorFilter{
			"all":        {},
			"acme":       {CustomerID: s.f.acme.ID},
			"globex":     {CustomerID: s.f.globex.ID},
			"prod":       {EnvKind: opsdesk.EnvProd},
			"minor":      {Severity: "minor"},
			"N1":         {Level: opsdesk.LevelN1},
			"N3":         {Level: opsdesk.LevelN3},
			"mail":       {Channel: opsdesk.ChannelMail},
			"acme minor": {CustomerID: s.f.acme.ID, Severity: "minor"},
		}
		seen := map[string]bool{}
		for gname, bounds := range grids {
			for fname, f := range filters {
				got, err := db.IndicatorTrend(ops, f, bounds)
				if err != nil {
					t.Fatalf("%s/%s: %v", gname, fname, err)
				}
				if len(got) != len(bounds)-1 {
					t.Fatalf("%s/%s: %d points, want %d", gname, fname, len(got), len(bounds)-1)
				}
				for i, p := range got {
					pf := f
					pf.From, pf.To = bounds[i], bounds[i+1]
					want, err := db.Indicators(ops, pf)
					if err != nil {
						t.Fatal(err)
					}
					wantPoint := store.TrendPoint{From: bounds[i], To: bounds[i+1], TicketsCreated: want.TicketsCreated,
						TicketsResolved: want.TicketsResolved, Backlog: want.Backlog, SLA: want.SLA}
					if !reflect.DeepEqual(p, wantPoint) {
						t.Errorf("%s/%s period %d:\n got %+v\nwant %+v", gname, fname, i, p, wantPoint)
					}
					seen["created"] = seen["created"] || p.TicketsCreated > 0
					seen["resolved"] = seen["resolved"] || p.TicketsResolved > 0
					seen["backlog"] = seen["backlog"] || p.Backlog > 0
					for _, c := range p.SLA {
						seen["met"] = seen["met"] || c.Met > 0
						seen["breached"] = seen["breached"] || c.Breached > 0
					}
				}
			}
		}
		for _, k := range []string{"created", "resolved", "backlog", "met", "breached"} {
			if !seen[k] {
				t.Errorf("no period has a non-zero %s: the seed does not exercise it", k)
			}
		}
	})
}

func TestIndicatorTrendAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := seedIndicators(t, db)
		bounds := []time.Time{s.from, s.from.Add(5 * 24 * time.Hour), s.to}
		// A customer asking for another customer's trend gets their own.
		got, err := db.IndicatorTrend(as(s.f.custB), opsdesk.IndicatorFilter{CustomerID: s.f.acme.ID}, bounds)
		if err != nil {
			t.Fatal(err)
		}
		own, err := db.IndicatorTrend(as(s.f.ops), opsdesk.IndicatorFilter{CustomerID: s.f.globex.ID}, bounds)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, own) || got[0].TicketsCreated+got[1].TicketsCreated != 3 {
			t.Errorf("customer's trend = %+v, want Globex's %+v (3 tickets)", got, own)
		}
		_, err = db.IndicatorTrend(context.Background(), opsdesk.IndicatorFilter{}, bounds)
		wantKind(t, err, opsdesk.KindAuth)
		for name, c := range map[string]struct {
			f      opsdesk.IndicatorFilter
			bounds []time.Time
			field  string
		}{
			"one bound":      {opsdesk.IndicatorFilter{}, bounds[:1], "bounds"},
			"not increasing": {opsdesk.IndicatorFilter{}, []time.Time{s.to, s.from}, "bounds"},
			"equal":          {opsdesk.IndicatorFilter{}, []time.Time{s.from, s.from}, "bounds"},
			"too many":       {opsdesk.IndicatorFilter{}, trendBounds(s.from, store.MaxTrendPeriods+1, func(t time.Time) time.Time { return t.Add(time.Hour) }), "bounds"},
			"level":          {opsdesk.IndicatorFilter{Level: "N4"}, bounds, "level"},
			"channel":        {opsdesk.IndicatorFilter{Channel: "fax"}, bounds, "channel"},
		} {
			_, err := db.IndicatorTrend(as(s.f.ops), c.f, c.bounds)
			var e *opsdesk.Error
			if !asError(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != c.field {
				t.Errorf("%s: %v, want invalid %s", name, err, c.field)
			}
		}
	})
}

// BenchmarkIndicatorTrend measures the dashboard's trend (12 months, 12 weeks; every customer and
// the largest) over the seeded desk of BenchmarkIndicators (OPSDESK_BENCH_INDICATORS tickets,
// default 100000): the months end with November 2026, the weeks with the desk's last week.
func BenchmarkIndicatorTrend(b *testing.B) {
	ctx := opsdesk.WithActor(context.Background(), opsdesk.System("bench"))
	month := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	monday := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	months := trendBounds(month.AddDate(0, -11, 0), 12, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) })
	weeks := trendBounds(monday.AddDate(0, 0, -7*11), 12, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) })
	n := benchTickets()
	for _, d := range storetest.Dialects() {
		b.Run(fmt.Sprintf("%s/%d", d, n), func(b *testing.B) {
			db, custs := steeringBenchDB(b, d, n)
			for _, c := range []struct {
				name   string
				f      opsdesk.IndicatorFilter
				bounds []time.Time
			}{
				{"12-months", opsdesk.IndicatorFilter{}, months},
				{"12-weeks", opsdesk.IndicatorFilter{}, weeks},
				{"12-months-customer", opsdesk.IndicatorFilter{CustomerID: custs[0]}, months},
				{"12-weeks-customer", opsdesk.IndicatorFilter{CustomerID: custs[0]}, weeks},
			} {
				b.Run(c.name, func(b *testing.B) {
					if _, err := db.IndicatorTrend(ctx, c.f, c.bounds); err != nil { // untimed: prepares
						b.Fatal(err)
					}
					for b.Loop() {
						if _, err := db.IndicatorTrend(ctx, c.f, c.bounds); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkDashboard measures the store calls of one /dashboard page (internal/web/dashboard.go):
// the customers for the filter's options, the period's figures (Indicators), the customers and
// the solving articles' titles for the tables, and the trend — 12 months up to the month holding
// the period's last day. Two pages: October 2026 (period=month) and all time (period=custom from
// 2000-01-01 to the desk's today, 2 November 2026), every customer and the largest.
func BenchmarkDashboard(b *testing.B) {
	ctx := opsdesk.WithActor(context.Background(), opsdesk.System("bench"))
	month := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	monthly := func(end time.Time) []time.Time {
		return trendBounds(end.AddDate(0, -12, 0), 12, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) })
	}
	n := benchTickets()
	for _, d := range storetest.Dialects() {
		b.Run(fmt.Sprintf("%s/%d", d, n), func(b *testing.B) {
			db, custs := steeringBenchDB(b, d, n)
			always := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			end := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
			for _, p := range []struct {
				name     string
				from, to time.Time
				customer int64
				severity string
			}{
				{"month", month, month.AddDate(0, 1, 0), 0, ""},
				{"all", always, end, 0, ""},
				{"month-customer", month, month.AddDate(0, 1, 0), custs[0], ""},
				{"all-customer", always, end, custs[0], ""},
				// A filter the clocks and history do not carry: each row looks its ticket up.
				{"month-major", month, month.AddDate(0, 1, 0), 0, "major"},
				{"all-major", always, end, 0, "major"},
			} {
				f := opsdesk.IndicatorFilter{From: p.from, To: p.to, CustomerID: p.customer, Severity: p.severity}
				last := p.to.AddDate(0, 0, -1)
				bounds := monthly(time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0))
				page := func() {
					if _, err := db.ListCustomers(ctx); err != nil {
						b.Fatal(err)
					}
					v, err := db.Indicators(ctx, f)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := db.ListCustomers(ctx); err != nil {
						b.Fatal(err)
					}
					ids := make([]int64, len(v.ArticlesSolved))
					for i, u := range v.ArticlesSolved {
						ids[i] = u.ArticleID
					}
					if _, err := db.ArticleTitles(ctx, ids); err != nil {
						b.Fatal(err)
					}
					tf := f
					tf.From, tf.To = time.Time{}, time.Time{}
					if _, err := db.IndicatorTrend(ctx, tf, bounds); err != nil {
						b.Fatal(err)
					}
				}
				b.Run(p.name, func(b *testing.B) {
					page() // untimed: each connection's first statements are prepared then
					for b.Loop() {
						page()
					}
				})
			}
		})
	}
}

// benchTickets is the size of the seeded desk: OPSDESK_BENCH_INDICATORS, or 100000.
func benchTickets() int {
	if v, err := strconv.Atoi(os.Getenv("OPSDESK_BENCH_INDICATORS")); err == nil && v > 0 {
		return v
	}
	return 100_000
}
