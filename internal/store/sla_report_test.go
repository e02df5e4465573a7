package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestSLAReport checks the monthly compliance report against a hand-computed fixture: ACME on
// the French calendar (months in Paris time), GLOBEX on the 24/7 one (UTC).
func TestSLAReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		cals, _ := db.Calendars(admin)
		for _, c := range cals {
			if c.Name == store.AlwaysOpenName {
				if err := db.SetContractCalendar(admin, f.globex.ID, c.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		// GLOBEX's seeded targets counted French business days: restore the defaults, in 24h days.
		if err := db.SetSLATargets(admin, f.globex.ID, nil); err != nil {
			t.Fatal(err)
		}
		utc := func(s string) time.Time {
			v, _ := time.Parse("2006-01-02 15:04", s)
			return v
		}
		var ids []int64
		do := func(at time.Time, fn func() error) {
			t.Helper()
			f.now = at
			if err := fn(); err != nil {
				t.Fatalf("%v: %v", at, err)
			}
			for _, id := range ids {
				if _, err := db.RefreshTicketClocks(admin, id, store.SLAOptions{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		newTicket := func(at time.Time, cust *opsdesk.Customer, requester, severity string, env int64) string {
			var key string
			do(at, func() error {
				tk, err := db.CreateTicket(admin, &opsdesk.NewTicket{CustomerID: cust.ID, RequesterEmail: requester, EnvironmentID: env,
					Severity: severity, Impact: "all", Category: "application", Subject: severity, Description: "d"})
				if err == nil {
					key, ids = tk.Key, append(ids, tk.ID)
				}
				return err
			})
			return key
		}
		take := func(at time.Time, key string) {
			do(at, func() error { _, err := db.Take(as(f.agent), key); return err })
		}
		resolve := func(at time.Time, key string) {
			do(at, func() error {
				_, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixedDraft()})
				return err
			})
		}
		// T5 (GLOBEX question, 24/7): received Sat 27 Feb 10:00, taken Mon 1 March 11:00 (49h >
		// 24h: breached on 28 February), resolved Wed 3 March 10:00 (96h ≤ 120h: met in March).
		t5 := newTicket(utc("2027-02-27 10:00"), f.globex, f.custB.Email, "question", 0)
		take(utc("2027-03-01 11:00"), t5)
		// T1 (ACME major, French): received Mon 1 March 09:00, taken 09:30 (met), resolved Tue
		// 10:00. Work-around stops at the resolution with 8.5h > 7.5h: breached Mon 18:00 (the
		// close). Resolve: 8.5h ≤ 37.5h, met.
		t1 := newTicket(local(t, "2027-03-01 09:00"), f.acme, f.custA.Email, "major", 0)
		take(local(t, "2027-03-01 09:30"), t1)
		resolve(local(t, "2027-03-02 10:00"), t1)
		resolve(utc("2027-03-03 10:00"), t5)
		// T3 (ACME minor): received Wed 10 March 09:00, never taken. Take charge 4h breached at
		// 14:30; resolve 10 days (75h) breached Tue 23 March 18:00.
		newTicket(local(t, "2027-03-10 09:00"), f.acme, f.custA.Email, "minor", 0)
		// T2 (ACME major): received Wed 31 March 16:00 Paris, taken Thu 1 April 01:30 Paris (still
		// 31 March in UTC) with exactly 2h elapsed: met, in April for ACME. Work-around breached
		// Thu 1 April 16:00; resolve still running.
		t2 := newTicket(local(t, "2027-03-31 16:00"), f.acme, f.custA.Email, "major", 0)
		take(local(t, "2027-04-01 01:30"), t2)
		// T4 (GLOBEX blocking, prod, 24/7): received 31 March 22:00 UTC, taken 22:30 (met, March),
		// workaround 1 April 01:00 (met, April), resolved 03:00 (met, April).
		t4 := newTicket(utc("2027-03-31 22:00"), f.globex, f.custB.Email, "blocking", f.globexProd.ID)
		take(utc("2027-03-31 22:30"), t4)
		do(utc("2027-04-01 01:00"), func() error { _, err := db.RecordWorkaround(as(f.agent), t4, "restart the node"); return err })
		resolve(utc("2027-04-01 03:00"), t4)
		do(local(t, "2027-04-05 12:00"), func() error { return nil })

		line := func(r store.SLAReportRow) string {
			return fmt.Sprintf("%s %s %s %d/%d/%d %.1f", r.CustomerCode, r.Severity, r.Clock, r.WithTarget, r.Met, r.Breached, r.Compliance())
		}
		tc, wa, rs := sla.TakeCharge, sla.Workaround, sla.Resolve
		for _, c := range []struct {
			month time.Month
			ctx   context.Context
			want  []string
		}{
			{time.March, admin, []string{
				"ACME major " + string(tc) + " 1/1/0 100.0", "ACME major " + string(wa) + " 1/0/1 0.0", "ACME major " + string(rs) + " 1/1/0 100.0",
				"ACME minor " + string(tc) + " 1/0/1 0.0", "ACME minor " + string(rs) + " 1/0/1 0.0",
				"GLOBEX blocking " + string(tc) + " 1/1/0 100.0", "GLOBEX question " + string(rs) + " 1/1/0 100.0"}},
			{time.April, admin, []string{
				"ACME major " + string(tc) + " 1/1/0 100.0", "ACME major " + string(wa) + " 1/0/1 0.0",
				"GLOBEX blocking " + string(wa) + " 1/1/0 100.0", "GLOBEX blocking " + string(rs) + " 1/1/0 100.0"}},
			{time.February, admin, []string{"GLOBEX question " + string(tc) + " 1/0/1 0.0"}},
			// A customer gets its own organisation's lines only.
			{time.March, as(f.custB), []string{"GLOBEX blocking " + string(tc) + " 1/1/0 100.0", "GLOBEX question " + string(rs) + " 1/1/0 100.0"}},
		} {
			rows, err := db.SLAReport(c.ctx, 2027, c.month, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, line(r))
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s report:\n got %q\nwant %q", c.month, got, c.want)
			}
		}
	})
}
