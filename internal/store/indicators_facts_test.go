package store_test

import (
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestIndicatorsEveryShape: the query shapes that Indicators chooses by size (the p90 read from
// the index ordered by business time or from every value; the articles driven by the links or
// by the tickets resolved) each give the independent recomputation's figures.
func TestIndicatorsEveryShape(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := seedIndicators(t, db)
		raw := loadRaw(t, db)
		now := db.Now()
		filters := []opsdesk.IndicatorFilter{
			{From: s.from, To: s.to},
			{From: s.from, To: s.to, CustomerID: s.f.acme.ID},
			{From: s.from, To: s.to, Level: opsdesk.LevelN3},
			{From: s.from.Add(48 * time.Hour), To: s.from.Add(72 * time.Hour)},
			{From: time.Unix(0, 0), To: now.Add(time.Hour)},
		}
		for _, shape := range []struct {
			name      string
			few       int
			knowledge string
		}{
			{"p90 from the index, articles by links", 0, "links"},
			{"p90 from the values, articles by tickets", 1 << 30, "tickets"},
			{"p90 from the index, articles by tickets", 0, "tickets"},
		} {
			restore := store.SetIndicatorShapes(shape.few, shape.knowledge)
			articles := 0
			for _, f := range filters {
				got, err := db.Indicators(as(s.f.ops), f)
				if err != nil {
					t.Fatalf("%s: %v", shape.name, err)
				}
				want := raw.expect(f, now)
				got.Filter, want.Filter = f, f
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s, %v – %v:\n got %+v\nwant %+v", shape.name, f.From, f.To, *got, *want)
				}
				articles += len(want.ArticlesSolved)
			}
			restore()
			if articles == 0 {
				t.Errorf("%s: no article solved a ticket in any period: the shape is not exercised", shape.name)
			}
		}
	})
}

// ticketFacts are the per-ticket facts migration 0023 keeps (ind_* columns).
type ticketFacts struct {
	resolutions   int64
	resolvedFirst sql.NullInt64
	startLevel    sql.NullString
	flags         int64
}

// TestIndicatorFactsKept: after a history written through the store's own paths (take, pause,
// resolve, reopen by the customer, escalate twice, re-severity, probe incidents, the SLA
// scheduler), every ticket's facts equal what its events say, recomputed here; and the
// migration's backfill, run again over the same history, writes the same facts.
func TestIndicatorFactsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedIndicators(t, db)
		raw := loadRaw(t, db)
		want := map[int64]ticketFacts{}
		for _, tk := range raw.tickets {
			want[tk.id] = ticketFacts{}
		}
		var escalated, reopened, multi int
		for _, e := range raw.events { // in id order
			f := want[e.ticket]
			switch {
			case e.kind == "change" && e.field == "status" && e.nw == "resolved":
				f.resolutions++
				if !f.resolvedFirst.Valid || e.at < f.resolvedFirst.Int64 {
					f.resolvedFirst = sql.NullInt64{Int64: e.at, Valid: true}
				}
			case e.kind == "change" && e.field == "status" && (e.old == "resolved" || e.old == "closed") &&
				(e.nw == "new" || e.nw == "open" || e.nw == "waiting_customer"):
				f.flags |= 16
			case e.kind == "escalation":
				if !f.startLevel.Valid {
					f.startLevel = sql.NullString{String: e.old, Valid: true}
				}
				f.flags |= 1
				if e.old == "N1" && (e.nw == "N2" || e.nw == "N3") {
					f.flags |= 2
				}
				if e.old == "N2" && e.nw == "N3" {
					f.flags |= 4
				}
				if e.nw == "N2" {
					f.flags |= 8
				}
			}
			want[e.ticket] = f
		}
		for _, f := range want {
			escalated += int(f.flags & 1)
			reopened += int(f.flags >> 4 & 1)
			if f.resolutions > 1 {
				multi++
			}
		}
		if escalated == 0 || reopened == 0 || multi == 0 {
			t.Fatalf("the seed must escalate, reopen and resolve twice: %d, %d, %d", escalated, reopened, multi)
		}
		check := func(when string) {
			t.Helper()
			got := readFacts(t, db)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s:\n got %+v\nwant %+v", when, got, want)
			}
		}
		check("kept by the triggers")
		if _, err := db.SQL().Exec(`UPDATE tickets SET ind_resolutions = 0, ind_resolved_first = NULL, ind_start_level = NULL, ind_flags = 0`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().Exec(backfillSQL(t, db.Dialect(), 23)); err != nil {
			t.Fatal(err)
		}
		check("written by the migration's backfill")
	})
}

func readFacts(t *testing.T, db *store.DB) map[int64]ticketFacts {
	t.Helper()
	rs, err := db.SQL().Query(`SELECT id, ind_resolutions, ind_resolved_first, ind_start_level, ind_flags FROM tickets`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	out := map[int64]ticketFacts{}
	for rs.Next() {
		var id int64
		var f ticketFacts
		if err := rs.Scan(&id, &f.resolutions, &f.resolvedFirst, &f.startLevel, &f.flags); err != nil {
			t.Fatal(err)
		}
		out[id] = f
	}
	return out
}

// backfillSQL is the part of a migration between its "-- backfill" and "-- end backfill"
// lines: what it computes over the rows written before it.
func backfillSQL(t testing.TB, d store.Dialect, version int) string {
	t.Helper()
	ms, err := store.Migrations(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version == version {
			_, rest, ok1 := strings.Cut(m.SQL, "-- backfill")
			body, _, ok2 := strings.Cut(rest, "-- end backfill")
			if !ok1 || !ok2 {
				t.Fatalf("migration %04d has no backfill section", version)
			}
			_, body, _ = strings.Cut(body, "\n") // the rest of the marker's line
			return body
		}
	}
	t.Fatalf("no migration %04d", version)
	return ""
}

// TestCustomerOnFacts: every clock and history line written through the store's own paths
// (seedIndicators: two customers, take, pause, resolve, reopen, escalate, re-severity, the SLA
// scheduler) carries its ticket's customer, which the indicators filter on (migration 0028);
// and the migration's backfill, run again over rows without it, writes the same.
func TestCustomerOnFacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedIndicators(t, db)
		check := func(when string) {
			t.Helper()
			for _, table := range []string{"sla_clocks", "ticket_events"} {
				var rows, wrong, customers int
				err := db.SQL().QueryRow(`SELECT COUNT(*), SUM(CASE WHEN x.customer_id IS NULL OR x.customer_id <> t.customer_id THEN 1 ELSE 0 END),
					COUNT(DISTINCT x.customer_id) FROM `+table+` x JOIN tickets t ON t.id = x.ticket_id`).Scan(&rows, &wrong, &customers)
				if err != nil {
					t.Fatal(err)
				}
				if rows == 0 || customers < 2 || wrong != 0 {
					t.Errorf("%s: %s: %d rows over %d customers, %d without their ticket's customer", when, table, rows, customers, wrong)
				}
			}
		}
		check("written by the store")
		for _, table := range []string{"sla_clocks", "ticket_events"} {
			if _, err := db.SQL().Exec(`UPDATE ` + table + ` SET customer_id = NULL`); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SQL().Exec(backfillSQL(t, db.Dialect(), 28)); err != nil {
			t.Fatal(err)
		}
		check("written by the migration's backfill")
	})
}
