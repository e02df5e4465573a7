package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestRemindProjectItems runs the reminders of a Globex project with an injected clock: an item
// due within the notice goes to every Globex contact (Bob in English, Claire in French) once; one
// whose owner is Claire only to her; later, each late item gets one late mail; items far ahead,
// validated or waived items get nothing; running again adds nothing.
func TestRemindProjectItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newFixture(t, db)
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		p := &opsdesk.Project{CustomerID: f.globex.ID, Name: "Globex go-live", ManagerID: f.ops.ID, StartOn: now}
		if err := db.CreateProject(as(f.ops), p, ""); err != nil {
			t.Fatal(err)
		}
		items, err := db.Items(admin, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var cust []*opsdesk.Item
		far := time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC)
		for _, it := range items {
			due := far
			if _, err := db.UpdateItem(as(f.ops), p.ID, it.ID, opsdesk.ItemPatch{DueOn: &due}); err != nil {
				t.Fatal(err)
			}
			if it.OwnerSide == opsdesk.SideCustomer {
				cust = append(cust, it)
			}
		}
		if len(cust) < 4 {
			t.Fatalf("the default template has %d customer-owned items; the test needs 4", len(cust))
		}
		soon, owned, validated, waived := cust[0], cust[1], cust[2], cust[3]
		day := func(d int) *time.Time { v := time.Date(2027, 3, d, 0, 0, 0, 0, time.UTC); return &v }
		patches := []struct {
			it *opsdesk.Item
			p  opsdesk.ItemPatch
		}{
			{soon, opsdesk.ItemPatch{DueOn: day(4)}}, // in 3 days: reminded now
			{owned, opsdesk.ItemPatch{DueOn: day(3), OwnerContactID: &f.claire.ID}},
			{validated, opsdesk.ItemPatch{DueOn: day(2)}},
			{waived, opsdesk.ItemPatch{DueOn: day(2)}},
		}
		for _, pt := range patches {
			if _, err := db.UpdateItem(as(f.ops), p.ID, pt.it.ID, pt.p); err != nil {
				t.Fatal(err)
			}
		}
		st := opsdesk.ItemValidated
		if _, err := db.UpdateItem(as(f.ops), p.ID, validated.ID, opsdesk.ItemPatch{Status: &st}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WaiveItem(as(f.ops), p.ID, waived.ID, "not needed for this customer"); err != nil {
			t.Fatal(err)
		}

		if k, err := n.RemindProjectItems(admin, 3); err != nil || k != 3 {
			t.Fatalf("RemindProjectItems = %d, %v; want 3 mails (soon to Bob and Claire, owned to Claire)", k, err)
		}
		due := mailsOf(t, db, notify.KindProjectItemDue)
		bob, claire := due["bob@globex.example"], due["claire@globex.example"]
		if len(due) != 2 || len(bob) != 1 || len(claire) != 2 {
			t.Fatalf("due reminders = %v; want Bob once, Claire twice", keys(due))
		}
		if bob[0].Lang != opsdesk.LangEN || !strings.Contains(bob[0].Subject, soon.TitleEN) || !strings.Contains(bob[0].Subject, "2027-03-04") ||
			!strings.Contains(bob[0].Text, "https://desk.vendor.example/my-projects/"+itoa(p.ID)) {
			t.Errorf("Bob's reminder: lang %s, subject %q; want English, the item, its day and the portal link:\n%s", bob[0].Lang, bob[0].Subject, bob[0].Text)
		}
		for _, m := range claire {
			if m.Lang != opsdesk.LangFR || !strings.Contains(m.Subject, "attendu pour le") {
				t.Errorf("Claire's reminder: lang %s, subject %q; want French", m.Lang, m.Subject)
			}
		}
		if k, err := n.RemindProjectItems(admin, 3); err != nil || k != 0 {
			t.Fatalf("second RemindProjectItems = %d, %v; want 0", k, err)
		}

		now = time.Date(2027, 3, 5, 9, 0, 0, 0, time.UTC) // soon (due the 4th) and owned (the 3rd) are late
		if k, err := n.RemindProjectItems(admin, 3); err != nil || k != 3 {
			t.Fatalf("RemindProjectItems when late = %d, %v; want 3", k, err)
		}
		late := mailsOf(t, db, notify.KindProjectItemLate)
		if len(late) != 2 || len(late["bob@globex.example"]) != 1 || len(late["claire@globex.example"]) != 2 {
			t.Fatalf("late reminders = %v; want Bob once, Claire twice", keys(late))
		}
		for _, m := range late["bob@globex.example"] {
			if !strings.Contains(m.Subject, "is late") {
				t.Errorf("Bob's late mail subject %q", m.Subject)
			}
		}
		if k, err := n.RemindProjectItems(admin, 3); err != nil || k != 0 {
			t.Fatalf("RemindProjectItems again when late = %d, %v; want 0", k, err)
		}
		for _, m := range outbox(t, db) {
			for _, it := range []*opsdesk.Item{validated, waived} {
				if strings.Contains(m.Subject, it.TitleEN) || strings.Contains(m.Subject, it.TitleFR) {
					t.Errorf("a %s item was reminded: %q", it.TitleEN, m.Subject)
				}
			}
		}
	})
}
