package store_test

import (
	"context"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestCalendarUse counts the contracts of each calendar — a contract naming none counts for the
// default calendar, and follows the default flag when it moves — and reads the calendar a
// contract names (ContractCalendarID), scoped like the other contract reads.
func TestCalendarUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		if err := db.SeedSLADefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		cals, err := db.Calendars(admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cals {
			ids[c.Name] = c.ID
		}
		other, err := db.ImportCalendar(admin, "Night shift", []byte(`{"timezone": "UTC", "hours": {"mon": [["20:00", "24:00"]]}}`))
		if err != nil {
			t.Fatal(err)
		}
		want := func(step string, exp map[int64]int) {
			t.Helper()
			got, err := db.CalendarUse(as(f.agent))
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			if len(got) != len(exp) {
				t.Errorf("%s: use = %v, want %v", step, got, exp)
			}
			for id, n := range exp {
				if got[id] != n {
					t.Errorf("%s: use = %v, want %v", step, got, exp)
				}
			}
		}
		// Two contracts, both on the default (French) calendar.
		want("seeded", map[int64]int{ids[store.FrenchCalendarName]: 2})
		if err := db.SetContractCalendar(admin, f.globex.ID, ids[store.AlwaysOpenName]); err != nil {
			t.Fatal(err)
		}
		want("GLOBEX on 24/7", map[int64]int{ids[store.FrenchCalendarName]: 1, ids[store.AlwaysOpenName]: 1})
		for cust, id := range map[int64]int64{f.acme.ID: 0, f.globex.ID: ids[store.AlwaysOpenName]} {
			if got, err := db.ContractCalendarID(as(f.agent), cust); err != nil || got != id {
				t.Errorf("ContractCalendarID(%d) = %d, %v; want %d", cust, got, err, id)
			}
		}
		if got, err := db.ContractCalendarID(as(f.custA), f.acme.ID); err != nil || got != 0 {
			t.Errorf("ACME's user reads its calendar: %d, %v", got, err)
		}
		if _, err := db.ContractCalendarID(as(f.custA), f.globex.ID); !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			t.Errorf("ACME's user reads GLOBEX's calendar: %v", err)
		}
		// ACME names no calendar: it follows the default flag.
		other.Default = true
		if err := db.SaveCalendar(admin, other); err != nil {
			t.Fatal(err)
		}
		want("night shift the default", map[int64]int{other.ID: 1, ids[store.AlwaysOpenName]: 1})
		if _, err := db.CalendarUse(as(f.custA)); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Errorf("a customer reads the use of calendars: %v", err)
		}
	})
}
