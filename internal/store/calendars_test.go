package store_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestSeedSLADefaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		// Several instances starting at once seed once.
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Go(func() { errs[i] = db.SeedSLADefaults(context.Background()) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SeedSLADefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		cals, err := db.Calendars(admin)
		if err != nil || len(cals) != 2 || cals[0].Name != store.AlwaysOpenName || cals[1].Name != store.FrenchCalendarName || !cals[1].Default || cals[0].Default {
			t.Fatalf("calendars = %+v, %v", cals, err)
		}
		if !slices.Contains(cals[1].Calendar.HolidaysIn(2027), "2027-05-17") || cals[1].Calendar.DayLength() != 7*time.Hour+30*time.Minute {
			t.Errorf("French calendar holidays %v", cals[1].Calendar.HolidaysIn(2027))
		}
		var n int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM sla_targets`).Scan(&n)
		if n != 2*len(sla.DefaultTargets(time.Hour)) {
			t.Fatalf("%d targets seeded for 2 contracts", n)
		}
		ts, defaults, err := db.SLATargets(as(f.custA), f.acme.ID)
		if err != nil || defaults {
			t.Fatalf("seeded targets: defaults %v, %v", defaults, err)
		}
		if bp, _ := sla.ResolveTarget(ts, "blocking", "prod"); bp.TakeCharge != time.Hour || bp.Workaround != 4*time.Hour || bp.Resolve != 15*time.Hour || !bp.EscalateOnBreach {
			t.Errorf("blocking/prod = %+v, want 1h / 4h / 2 × 7.5h, escalating", bp)
		}
		if _, _, err := db.SLATargets(as(f.custB), f.acme.ID); !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			t.Errorf("another customer's targets: %v", err)
		}
	})
}

const paris830 = `{"timezone": "Europe/Paris",
 "hours": {"mon": [["08:30","12:30"],["13:30","18:00"]], "tue": [["08:30","18:00"]]},
 "holidays": ["2027-07-14"],
 "holiday_rules": ["fixed:05-01", "easter_monday", "ascension", "whit_monday"],
 "always_open": false}`

func TestCalendars(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		f.now = time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		c, err := db.ImportCalendar(admin, "N1 Paris", []byte(paris830))
		if err != nil || c.ID == 0 || c.Name != "N1 Paris" {
			t.Fatalf("import: %+v %v", c, err)
		}
		// Export gives the JSON form, named, that imports again to the same calendar.
		out, err := db.ExportCalendar(admin, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		back, err := sla.ParseCalendar(out)
		if err != nil || back.Name != "N1 Paris" || back.DayLength() != 9*time.Hour+30*time.Minute || !back.IsHoliday(time.Date(2027, 7, 14, 12, 0, 0, 0, time.UTC)) {
			t.Fatalf("export %s: %v", out, err)
		}
		// Importing under an existing name replaces the definition; the document's name is used
		// when none is given.
		if again, err := db.ImportCalendar(admin, "", out); err != nil || again.ID != c.ID {
			t.Fatalf("re-import: %+v %v", again, err)
		}
		bad := []struct {
			json, field string
		}{
			{`{"timezone": "Mars/Olympus", "hours": {"mon": [["09:00","18:00"]]}}`, "calendar.timezone"},
			{`{"timezone": "UTC", "hours": {"mon": [["09:00","18:00"]]}, "holiday": []}`, "calendar.holiday"},
			{`{"timezone": "UTC", "hours": {"mon": [["18:00","09:00"]]}}`, "calendar.hours.mon[0]"},
			{`{"timezone": "UTC", "hours": {"mon": [["09:00","18:00"]]}}`, "name"},
		}
		for _, b := range bad {
			_, err := db.ImportCalendar(admin, "", []byte(b.json))
			wantKind(t, err, opsdesk.KindInvalid)
			if got := opsdesk.ErrorField(err); got != b.field {
				t.Errorf("import %s: field %q, want %q (%v)", b.json, got, b.field, err)
			}
		}
		_, err = db.ImportCalendar(as(f.agent), "x", []byte(paris830))
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.Calendars(as(f.custA))
		wantKind(t, err, opsdesk.KindForbidden)

		// A contract names a calendar; the default one cannot go, nor one in use.
		cals, _ := db.Calendars(admin)
		var always, french int64
		for _, k := range cals {
			switch k.Name {
			case store.AlwaysOpenName:
				always = k.ID
			case store.FrenchCalendarName:
				french = k.ID
			}
		}
		if cc, err := db.ContractCalendar(as(f.custA), f.acme.ID); err != nil || cc.ID != french {
			t.Fatalf("default contract calendar: %+v %v", cc, err)
		}
		if err := db.SetContractCalendar(admin, f.acme.ID, always); err != nil {
			t.Fatal(err)
		}
		if cc, _ := db.ContractCalendar(admin, f.acme.ID); cc.ID != always {
			t.Errorf("contract calendar = %d, want 24/7", cc.ID)
		}
		wantKind(t, db.SetContractCalendar(admin, f.acme.ID, 999), opsdesk.KindInvalid)
		wantKind(t, db.DeleteCalendar(admin, french), opsdesk.KindConflict)
		wantKind(t, db.DeleteCalendar(admin, always), opsdesk.KindConflict)
		if err := db.DeleteCalendar(admin, c.ID); err != nil {
			t.Fatal(err)
		}
		// Every edit asked for the clocks to be recomputed, once.
		var pending int
		db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM jobs WHERE kind = ? AND state = 'pending'`), store.SLARecomputeJob).Scan(&pending)
		if pending != 1 {
			t.Errorf("%d pending recompute jobs, want 1", pending)
		}

		// A contract without targets of its own gets the defaults in its calendar's business days:
		// 2 days of a 24/7 calendar are 48h.
		initech := &opsdesk.Customer{Code: "INITECH", Name: "Initech"}
		if err := db.CreateCustomer(admin, initech); err != nil {
			t.Fatal(err)
		}
		if err := db.SetContractCalendar(admin, initech.ID, always); err != nil {
			t.Fatal(err)
		}
		ts, defaults, err := db.SLATargets(admin, initech.ID)
		if bp, _ := sla.ResolveTarget(ts, "blocking", "prod"); err != nil || !defaults || bp.Resolve != 48*time.Hour {
			t.Fatalf("default targets on 24/7: %+v defaults %v %v", bp, defaults, err)
		}
		if err := db.SeedSLADefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		byKey := func(a, b sla.Target) int { return strings.Compare(a.Severity+"/"+a.EnvKind, b.Severity+"/"+b.EnvKind) }
		ts2, defaults, _ := db.SLATargets(admin, initech.ID)
		slices.SortFunc(ts, byKey)
		if slices.SortFunc(ts2, byKey); defaults || !slices.Equal(ts, ts2) {
			t.Errorf("seeded targets differ from the defaults shown before: %v %v", ts2, defaults)
		}
	})
}

func TestSLATargets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		f.now = time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		acmeTest := &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvTest, Name: "Test"}
		if err := db.CreateEnvironment(admin, acmeTest); err != nil {
			t.Fatal(err)
		}
		h := time.Hour
		err := db.SetSLATargets(as(f.ops), f.acme.ID, []sla.Target{
			{Severity: "blocking", EnvKind: "prod", TakeCharge: h / 2, Resolve: 8 * h, EscalateOnBreach: true},
			{Severity: "blocking", TakeCharge: h, Workaround: 4 * h, Resolve: 16 * h},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Severity and environment kind beat severity alone; no environment takes "any"; a
		// severity without a target has no clock target.
		for _, c := range []struct {
			env      int64
			severity string
			take     time.Duration
			resolve  time.Duration
		}{{f.acmeProd.ID, "blocking", h / 2, 8 * h}, {acmeTest.ID, "blocking", h, 16 * h}, {0, "blocking", h, 16 * h}, {f.acmeProd.ID, "minor", 0, 0}} {
			tk := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, EnvironmentID: c.env,
				Severity: c.severity, Impact: "all", Category: "application", Subject: "s", Description: "d"})
			clocks, err := db.TicketClocks(admin, tk.Key, store.SLAOptions{})
			if err != nil || clocks[0].Target != c.take || clocks[2].Target != c.resolve {
				t.Errorf("%s env %d: targets %v / %v, want %v / %v (%v)", c.severity, c.env, clocks[0].Target, clocks[2].Target, c.take, c.resolve, err)
			}
			if c.take == 0 && clocks[0].State != sla.StateNone {
				t.Errorf("no target: state %s", clocks[0].State)
			}
		}

		// Moving a ticket from the test environment to production re-targets its clocks, and the
		// history says why.
		moved := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, EnvironmentID: acmeTest.ID,
			Severity: "blocking", Impact: "all", Category: "application", Subject: "moved", Description: "d"})
		if _, err := db.RefreshTicketClocks(admin, moved.ID, store.SLAOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateTicket(as(f.agent), moved.Key, opsdesk.TicketPatch{EnvironmentID: ptr(f.acmeProd.ID)}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := db.RefreshTicketClocks(admin, moved.ID, store.SLAOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		hist, _ := db.History(admin, moved.Key)
		var lines []string
		for _, e := range hist {
			if e.Kind == store.EventSLA {
				lines = append(lines, e.Field+" "+e.Old+" → "+e.New+" ("+e.Reason+")")
			}
		}
		want := []string{"take_charge 1h → 30m (environment test → prod)", "workaround 4h → none (environment test → prod)",
			"resolve 16h → 8h (environment test → prod)"}
		if !slices.Equal(lines, want) {
			t.Errorf("history after the move = %q, want %q", lines, want)
		}

		bad := []struct {
			t     sla.Target
			field string
		}{
			{sla.Target{Severity: "urgent"}, "targets[0].severity"},
			{sla.Target{Severity: "minor", EnvKind: "staging"}, "targets[0].env_kind"},
			{sla.Target{Severity: "minor", Resolve: -h}, "targets[0].resolve"},
			{sla.Target{Severity: "minor", TakeCharge: h + time.Millisecond}, "targets[0].take_charge"},
			{sla.Target{Severity: "minor", Workaround: 400 * 24 * h}, "targets[0].workaround"},
		}
		for _, b := range bad {
			err := db.SetSLATargets(admin, f.acme.ID, []sla.Target{b.t})
			wantKind(t, err, opsdesk.KindInvalid)
			if got := opsdesk.ErrorField(err); got != b.field {
				t.Errorf("%+v: field %q, want %q", b.t, got, b.field)
			}
		}
		err = db.SetSLATargets(admin, f.acme.ID, []sla.Target{{Severity: "minor"}, {Severity: "minor"}})
		if opsdesk.ErrorField(err) != "targets[1]" {
			t.Errorf("duplicate: %v", err)
		}
		wantKind(t, db.SetSLATargets(as(f.agent), f.acme.ID, nil), opsdesk.KindForbidden)
		wantKind(t, db.SetSLATargets(admin, 9999, nil), opsdesk.KindNotFound)
		// An empty list restores the defaults.
		if err := db.SetSLATargets(admin, f.acme.ID, nil); err != nil {
			t.Fatal(err)
		}
		if ts, defaults, _ := db.SLATargets(admin, f.acme.ID); !defaults || len(ts) != len(sla.DefaultTargets(h)) {
			t.Errorf("after clearing: %d targets, defaults %v", len(ts), defaults)
		}
	})
}
