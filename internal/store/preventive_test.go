package store_test

import (
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// preventiveFixture: ACME's contract counts on the 24/7 calendar; the vendor's own platform
// (customer 0) on the default French calendar. "Now" is Monday 21 December 2026, 10:00 Paris.
type preventiveFixture struct {
	*slaFixture
	vendor, acmeSched *opsdesk.PreventiveSchedule
}

func newPreventiveFixture(t *testing.T, db *store.DB) *preventiveFixture {
	t.Helper()
	f := &preventiveFixture{slaFixture: newSLAFixture(t, db)}
	f.now = local(t, "2026-12-21 10:00")
	cals, err := db.Calendars(admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cals {
		if c.Name == store.AlwaysOpenName {
			if err := db.SetContractCalendar(admin, f.acme.ID, c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Weekly from Christmas (a Friday, a holiday) on the French calendar.
	f.vendor = &opsdesk.PreventiveSchedule{Kind: opsdesk.PreventiveCertificateRenewal, Title: "Renew certificates",
		Every: 1, Unit: opsdesk.UnitWeeks, FirstDay: "2026-12-25", EstimateHours: 2, Level: opsdesk.LevelN2, AssigneeID: f.n2.ID}
	// Monthly from Saturday 26 December on ACME's 24/7 calendar: weekends are business days there.
	f.acmeSched = &opsdesk.PreventiveSchedule{Kind: opsdesk.PreventiveAccessReview, Title: "ACME access review",
		Description: "internal notes", CustomerID: f.acme.ID, EnvironmentID: f.acmeProd.ID, Every: 1, Unit: opsdesk.UnitMonths,
		FirstDay: "2026-12-26", EstimateHours: 3, Level: opsdesk.LevelN1}
	for _, s := range []*opsdesk.PreventiveSchedule{f.vendor, f.acmeSched} {
		if err := db.CreatePreventiveSchedule(as(f.ops), s); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// tasksOf returns the occurrences of a schedule as "day status" strings, in due order.
func tasksOf(t *testing.T, db *store.DB, scheduleID int64) ([]string, []*opsdesk.PreventiveTask) {
	t.Helper()
	ts, err := db.PreventiveTasks(admin, store.PreventiveTaskFilter{ScheduleID: scheduleID})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range ts {
		out = append(out, x.DueDay+" "+string(x.Status))
	}
	return out, ts
}

func TestPreventiveMaterialise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPreventiveFixture(t, db)
		got, vendorTasks := tasksOf(t, db, f.vendor.ID)
		// Christmas moves to Monday 28, New Year's Day to Monday 4 January; until 15 February
		// (8 weeks from Monday 21 December) excluded.
		want := []string{"2026-12-28 todo", "2027-01-04 todo", "2027-01-08 todo", "2027-01-15 todo", "2027-01-22 todo",
			"2027-01-29 todo", "2027-02-05 todo", "2027-02-12 todo"}
		if !slices.Equal(got, want) {
			t.Fatalf("vendor occurrences = %v, want %v", got, want)
		}
		if x := vendorTasks[0]; x.Title != "Renew certificates" || x.AssigneeID != f.n2.ID || x.EstimateHours != 2 ||
			x.Kind != opsdesk.PreventiveCertificateRenewal || x.Level != opsdesk.LevelN2 || x.CustomerID != 0 {
			t.Fatalf("occurrence = %+v", x)
		}
		if got, _ := tasksOf(t, db, f.acmeSched.ID); !slices.Equal(got, []string{"2026-12-26 todo", "2027-01-26 todo"}) {
			t.Fatalf("ACME occurrences on 24/7 = %v", got)
		}

		// Idempotent: the same instant makes nothing; done and skipped ones are never made again.
		if _, err := db.MovePreventiveTask(as(f.agent), vendorTasks[0].ID, opsdesk.PreventiveDone, "renewed"); err != nil {
			t.Fatal(err)
		}
		_, err := db.MovePreventiveTask(as(f.agent), vendorTasks[1].ID, opsdesk.PreventiveSkipped, "")
		wantKind(t, err, opsdesk.KindInvalid)
		if _, err := db.MovePreventiveTask(as(f.agent), vendorTasks[1].ID, opsdesk.PreventiveSkipped, "frozen period"); err != nil {
			t.Fatal(err)
		}
		n, err := db.MaterializePreventive(admin, f.now, 0)
		if err != nil || n != 0 {
			t.Fatalf("second run made %d, %v; want 0", n, err)
		}
		// A week later, one more Friday enters the horizon.
		n, err = db.MaterializePreventive(admin, f.now.AddDate(0, 0, 7), 0)
		if err != nil || n != 1 {
			t.Fatalf("a week later made %d, %v; want 1", n, err)
		}
		got, _ = tasksOf(t, db, f.vendor.ID)
		if got[0] != "2026-12-28 done" || got[1] != "2027-01-04 skipped" || got[len(got)-1] != "2027-02-19 todo" || len(got) != 9 {
			t.Fatalf("after a week: %v", got)
		}
		done, err := db.PreventiveTask(admin, vendorTasks[0].ID)
		if err != nil || done.DoneBy != f.agent.Email || done.DoneAt.IsZero() || done.Note != "renewed" {
			t.Fatalf("done occurrence = %+v, %v", done, err)
		}
		wantKind(t, func() error {
			_, err := db.MovePreventiveTask(as(f.agent), vendorTasks[0].ID, opsdesk.PreventiveTodo, "")
			return err
		}(), opsdesk.KindInvalid)
	})
}

func TestPreventiveEditReplansFutureOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPreventiveFixture(t, db)
		_, ts := tasksOf(t, db, f.vendor.ID)
		if _, err := db.MovePreventiveTask(as(f.agent), ts[0].ID, opsdesk.PreventiveDone, ""); err != nil {
			t.Fatal(err)
		}
		started, err := db.MovePreventiveTask(as(f.agent), ts[3].ID, opsdesk.PreventiveInProgress, "") // 15 January
		if err != nil {
			t.Fatal(err)
		}
		// Tuesday 5 January: 4 January is past and still to do; it stays.
		f.now = local(t, "2027-01-05 10:00")
		s := *f.vendor
		s.Title, s.Every, s.FirstDay = "Renew certificates (fortnightly)", 2, "2027-01-08"
		if err := db.UpdatePreventiveSchedule(as(f.ops), &s); err != nil {
			t.Fatal(err)
		}
		got, _ := tasksOf(t, db, f.vendor.ID)
		want := []string{"2026-12-28 done", "2027-01-04 todo", "2027-01-08 todo", "2027-01-15 in_progress",
			"2027-01-22 todo", "2027-02-05 todo", "2027-02-19 todo"}
		if !slices.Equal(got, want) {
			t.Fatalf("after the edit = %v, want %v", got, want)
		}
		kept, err := db.PreventiveTask(admin, started.ID)
		if err != nil || kept.AssigneeID != f.n2.ID || kept.Title != "Renew certificates" {
			t.Fatalf("started occurrence = %+v, %v", kept, err)
		}

		// A change that keeps the recurrence renames the future todo occurrences only.
		s.Title, s.EstimateHours = "Certificates", 1
		if err := db.UpdatePreventiveSchedule(as(f.ops), &s); err != nil {
			t.Fatal(err)
		}
		_, after := tasksOf(t, db, f.vendor.ID)
		titles := map[string]string{}
		for _, x := range after {
			titles[x.DueDay] = x.Title
		}
		if titles["2027-01-22"] != "Certificates" || titles["2026-12-28"] != "Renew certificates" ||
			titles["2027-01-04"] == "Certificates" || titles["2027-01-15"] != "Renew certificates" || len(after) != 7 {
			t.Fatalf("titles after a rename = %v", titles)
		}

		// Deactivating removes the future todo occurrences and makes no more.
		s.Active = false
		if err := db.UpdatePreventiveSchedule(as(f.ops), &s); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MaterializePreventive(admin, f.now.AddDate(0, 1, 0), 0); err != nil {
			t.Fatal(err)
		}
		got, _ = tasksOf(t, db, f.vendor.ID)
		if want := []string{"2026-12-28 done", "2027-01-04 todo", "2027-01-15 in_progress"}; !slices.Equal(got, want) {
			t.Fatalf("after deactivation = %v, want %v", got, want)
		}
	})
}

func TestPreventiveAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPreventiveFixture(t, db)
		// Customers read their own organisation's schedules and occurrences, without the team's fields.
		list, err := db.PreventiveSchedules(as(f.custA), 0)
		if err != nil || len(list) != 1 || list[0].ID != f.acmeSched.ID || list[0].Description != "" || list[0].EstimateHours != 0 {
			t.Fatalf("ACME's schedules = %+v, %v", list, err)
		}
		if list, err := db.PreventiveSchedules(as(f.custB), f.acme.ID); err != nil || len(list) != 0 {
			t.Fatalf("Globex sees %+v, %v", list, err)
		}
		_, err = db.PreventiveSchedule(as(f.custB), f.acmeSched.ID)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.PreventiveSchedule(as(f.custA), f.vendor.ID)
		wantKind(t, err, opsdesk.KindNotFound)
		own, err := db.PreventiveTasks(as(f.custA), store.PreventiveTaskFilter{})
		if err != nil || len(own) != 2 || own[0].CustomerID != f.acme.ID || own[0].EstimateHours != 0 || own[0].Level != "" {
			t.Fatalf("ACME's occurrences = %+v, %v", own, err)
		}
		_, vendorTasks := tasksOf(t, db, f.vendor.ID)
		_, err = db.PreventiveTask(as(f.custA), vendorTasks[0].ID)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.MovePreventiveTask(as(f.custB), own[0].ID, opsdesk.PreventiveDone, "")
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.MovePreventiveTask(as(f.custA), own[0].ID, opsdesk.PreventiveDone, "")
		wantKind(t, err, opsdesk.KindForbidden)

		// Staff read; only ops managers and admins plan.
		if all, err := db.PreventiveSchedules(as(f.agent), 0); err != nil || len(all) != 2 {
			t.Fatalf("agent reads %d, %v", len(all), err)
		}
		s := &opsdesk.PreventiveSchedule{Kind: opsdesk.PreventiveAudit, Title: "Audit", Every: 1, Unit: opsdesk.UnitMonths,
			FirstDay: "2027-01-04", Level: opsdesk.LevelN3}
		wantKind(t, db.CreatePreventiveSchedule(as(f.agent), s), opsdesk.KindForbidden)
		wantKind(t, db.CreatePreventiveSchedule(as(f.custA), s), opsdesk.KindForbidden)
		_, err = db.MaterializePreventive(as(f.agent), f.now, 0)
		wantKind(t, err, opsdesk.KindForbidden)

		// References are checked: another customer's environment, a customer as assignee.
		bad := []struct {
			field string
			edit  func(*opsdesk.PreventiveSchedule)
		}{
			{"environment", func(s *opsdesk.PreventiveSchedule) { s.CustomerID, s.EnvironmentID = f.acme.ID, f.globexProd.ID }},
			{"assignee", func(s *opsdesk.PreventiveSchedule) { s.AssigneeID = f.custA.ID }},
			{"customer", func(s *opsdesk.PreventiveSchedule) { s.CustomerID = 99999 }},
		}
		for _, tc := range bad {
			c := *s
			tc.edit(&c)
			err := db.CreatePreventiveSchedule(as(f.ops), &c)
			var e *opsdesk.Error
			if !asError(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != tc.field {
				t.Errorf("%s: %v", tc.field, err)
			}
		}
		missing := *s
		missing.ID = 99999
		wantKind(t, db.UpdatePreventiveSchedule(as(f.ops), &missing), opsdesk.KindNotFound)
	})
}
