package store_test

import (
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestMaintenanceWindows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		prod := f.acmeProd.ID
		start := time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC)
		w := &opsdesk.MaintenanceWindow{EnvironmentID: prod, Title: " Upgrade to 4.2 ", Notes: "Downtime expected", StartsAt: start, EndsAt: start.Add(2 * time.Hour)}
		for name, b := range map[string]struct {
			w     opsdesk.MaintenanceWindow
			field string
		}{
			"no title":       {opsdesk.MaintenanceWindow{EnvironmentID: prod, StartsAt: start, EndsAt: start.Add(time.Hour)}, "title"},
			"no start":       {opsdesk.MaintenanceWindow{EnvironmentID: prod, Title: "x", EndsAt: start}, "starts_at"},
			"ends at start":  {opsdesk.MaintenanceWindow{EnvironmentID: prod, Title: "x", StartsAt: start, EndsAt: start}, "ends_at"},
			"ends before":    {opsdesk.MaintenanceWindow{EnvironmentID: prod, Title: "x", StartsAt: start, EndsAt: start.Add(-time.Hour)}, "ends_at"},
			"no environment": {opsdesk.MaintenanceWindow{Title: "x", StartsAt: start, EndsAt: start.Add(time.Hour)}, "environment"},
		} {
			err := db.CreateMaintenance(as(f.agent), &b.w)
			if opsdesk.ErrorKind(err) != opsdesk.KindInvalid || opsdesk.ErrorField(err) != b.field {
				t.Errorf("%s: %v, want invalid %s", name, err, b.field)
			}
		}
		wantKind(t, db.CreateMaintenance(as(f.custA), &opsdesk.MaintenanceWindow{EnvironmentID: prod, Title: "x", StartsAt: start, EndsAt: start.Add(time.Hour)}), opsdesk.KindForbidden)
		if err := db.CreateMaintenance(as(f.agent), w); err != nil {
			t.Fatal(err)
		}
		if w.Title != "Upgrade to 4.2" || w.CreatedBy != f.agent.Email {
			t.Fatalf("created %+v", w)
		}
		ms := time.Millisecond
		for _, c := range []struct {
			name string
			at   time.Time
			want bool
		}{
			{"just before the start", start.Add(-ms), false},
			{"at the start", start, true},
			{"inside", start.Add(time.Hour), true},
			{"just before the end", start.Add(2*time.Hour - ms), true},
			{"at the end", start.Add(2 * time.Hour), false},
			{"long after", start.Add(48 * time.Hour), false},
		} {
			got, err := db.InMaintenance(admin, prod, c.at)
			if err != nil || got != c.want {
				t.Errorf("%s: in maintenance = %v, %v; want %v", c.name, got, err, c.want)
			}
		}
		// Another environment of the customer is not affected.
		if in, _ := db.InMaintenance(admin, f.acmePre.ID, start.Add(time.Hour)); in {
			t.Error("preprod is in prod's window")
		}
		// The maintenance status covers every instant.
		pre := *f.acmePre
		pre.Status = opsdesk.EnvMaintenance
		if err := db.UpdateEnvironment(admin, &pre); err != nil {
			t.Fatal(err)
		}
		if in, _ := db.InMaintenance(admin, f.acmePre.ID, start.Add(-time.Hour)); !in {
			t.Error("environment in maintenance status is not in maintenance")
		}

		// Upcoming: running and future windows, by start; past ones left out.
		later := &opsdesk.MaintenanceWindow{EnvironmentID: prod, Title: "OS patches", StartsAt: start.Add(24 * time.Hour), EndsAt: start.Add(25 * time.Hour)}
		past := &opsdesk.MaintenanceWindow{EnvironmentID: prod, Title: "Old", StartsAt: start.Add(-48 * time.Hour), EndsAt: start.Add(-47 * time.Hour)}
		for _, x := range []*opsdesk.MaintenanceWindow{later, past} {
			if err := db.CreateMaintenance(as(f.agent), x); err != nil {
				t.Fatal(err)
			}
		}
		list, err := db.ListMaintenance(as(f.custA), prod, start.Add(time.Hour))
		if err != nil || len(list) != 2 || list[0].ID != w.ID || list[1].ID != later.ID || list[0].CreatedBy != "" || list[0].Notes != "Downtime expected" {
			t.Fatalf("customer's upcoming = %+v %v", list, err)
		}
		_, err = db.ListMaintenance(as(f.custB), prod, start)
		wantKind(t, err, opsdesk.KindNotFound)

		// Announced, then moved: the announcement is cleared so the customer is told again.
		if err := db.MarkMaintenanceAnnounced(admin, prod, w.ID, f.now); err != nil {
			t.Fatal(err)
		}
		w.Title = "Upgrade to 4.2 (renamed)"
		if err := db.UpdateMaintenance(as(f.agent), w); err != nil || w.AnnouncedAt != f.now {
			t.Fatalf("rename keeps the announcement: %+v %v", w, err)
		}
		w.EndsAt = w.EndsAt.Add(time.Hour)
		if err := db.UpdateMaintenance(as(f.agent), w); err != nil || !w.AnnouncedAt.IsZero() {
			t.Fatalf("move clears the announcement: %+v %v", w, err)
		}
		if in, _ := db.InMaintenance(admin, prod, start.Add(2*time.Hour)); !in {
			t.Error("extended window does not cover its new hours")
		}
		if err := db.DeleteMaintenance(as(f.agent), prod, later.ID); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.DeleteMaintenance(as(f.agent), prod, later.ID), opsdesk.KindNotFound)
		if list, _ = db.ListMaintenance(admin, prod, start); len(list) != 1 {
			t.Fatalf("after delete: %+v", list)
		}
	})
}
