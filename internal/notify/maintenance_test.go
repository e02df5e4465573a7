package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// envFixture adds, to the notify fixture, a London calendar for Globex and a production
// environment to each customer.
type envFixture struct {
	*fixture
	acmeProd, globexProd *opsdesk.Environment
	london               *time.Location
}

func newEnvFixture(t *testing.T, db *store.DB) *envFixture {
	t.Helper()
	f := &envFixture{fixture: newFixture(t, db)}
	if err := db.SeedSLADefaults(admin); err != nil {
		t.Fatal(err)
	}
	cal, err := sla.ParseCalendar([]byte(`{"timezone": "Europe/London", "hours": {"mon": [["08:00","18:00"]]}}`))
	if err != nil {
		t.Fatal(err)
	}
	c := &store.SLACalendar{Name: "Globex hours", Calendar: cal}
	if err := db.SaveCalendar(admin, c); err != nil {
		t.Fatal(err)
	}
	if err := db.SetContractCalendar(admin, f.globex.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if f.london, err = time.LoadLocation("Europe/London"); err != nil {
		t.Fatal(err)
	}
	mk := func(cust int64) *opsdesk.Environment {
		e := &opsdesk.Environment{CustomerID: cust, Kind: opsdesk.EnvProd, Name: "Production"}
		if err := db.CreateEnvironment(admin, e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	f.acmeProd, f.globexProd = mk(f.acme.ID), mk(f.globex.ID)
	return f
}

// mailsOf returns the outbox mails of a kind, by recipient address.
func mailsOf(t *testing.T, db *store.DB, kind notify.Kind) map[string][]*store.OutboxMail {
	t.Helper()
	out := map[string][]*store.OutboxMail{}
	for _, m := range outbox(t, db) {
		if m.Kind == string(kind) {
			out[m.To] = append(out[m.To], m)
		}
	}
	return out
}

// TestAnnounceMaintenance plans a window on Globex's production: each Globex contact is mailed
// once, in their language (Claire's French, Bob's by his English organisation), with the times in
// Globex's London calendar; Acme's contacts are not told; running again — or after a crash between
// queueing and marking — adds nothing; moving the window announces it again.
func TestAnnounceMaintenance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newEnvFixture(t, db)
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		w := &opsdesk.MaintenanceWindow{EnvironmentID: f.globexProd.ID, Title: "Database upgrade", Notes: "PostgreSQL 17.",
			StartsAt: time.Date(2027, 3, 6, 22, 0, 0, 0, time.UTC), EndsAt: time.Date(2027, 3, 7, 2, 0, 0, 0, time.UTC)}
		if err := db.CreateMaintenance(as(f.n1en), w); err != nil {
			t.Fatal(err)
		}
		// A window already over is never announced.
		past := &opsdesk.MaintenanceWindow{EnvironmentID: f.acmeProd.ID, Title: "Old", StartsAt: now.Add(-3 * time.Hour), EndsAt: now.Add(-time.Hour)}
		if err := db.CreateMaintenance(as(f.n1en), past); err != nil {
			t.Fatal(err)
		}
		if k, err := n.AnnounceMaintenance(admin); err != nil || k != 1 {
			t.Fatalf("AnnounceMaintenance = %d, %v; want 1 window", k, err)
		}
		got := mailsOf(t, db, notify.KindMaintenance)
		if len(got) != 2 || len(got["bob@globex.example"]) != 1 || len(got["claire@globex.example"]) != 1 {
			t.Fatalf("announcement recipients = %v; want Bob and Claire once each (never Acme's Alice)", keys(got))
		}
		bob, claire := got["bob@globex.example"][0], got["claire@globex.example"][0]
		if bob.Lang != opsdesk.LangEN || !strings.Contains(bob.Subject, "Planned maintenance of Production") {
			t.Errorf("Bob's mail: lang %s, subject %q; want English", bob.Lang, bob.Subject)
		}
		if claire.Lang != opsdesk.LangFR || !strings.Contains(claire.Subject, "Maintenance planifiée de Production") {
			t.Errorf("Claire's mail: lang %s, subject %q; want French", claire.Lang, claire.Subject)
		}
		// 22:00 UTC in March is 22:00 GMT in London (summer time starts on the 28th).
		for _, m := range []*store.OutboxMail{bob, claire} {
			if !strings.Contains(m.Text, "2027-03-06 22:00 GMT") || !strings.Contains(m.Text, "2027-03-07 02:00 GMT") ||
				!strings.Contains(m.Text, "Database upgrade") || !strings.Contains(m.Text, "PostgreSQL 17.") {
				t.Errorf("mail to %s does not give the window in London time with its title and notes:\n%s", m.To, m.Text)
			}
			if m.TicketID != 0 || m.TicketKey != "" || !m.CustomerFacing {
				t.Errorf("mail to %s: ticket %d %q, customer facing %v", m.To, m.TicketID, m.TicketKey, m.CustomerFacing)
			}
		}
		ws, err := db.ListMaintenance(admin, f.globexProd.ID, now)
		if err != nil || len(ws) != 1 || ws[0].AnnouncedAt.IsZero() {
			t.Fatalf("window after announcement: %+v, %v; want announced", ws, err)
		}

		// Again: nothing to do. After a crash between queueing and marking: no second mail.
		if k, err := n.AnnounceMaintenance(admin); err != nil || k != 0 {
			t.Fatalf("second AnnounceMaintenance = %d, %v; want 0", k, err)
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE env_maintenance SET announced_at = NULL WHERE id = ?`), w.ID); err != nil {
			t.Fatal(err)
		}
		if k, err := n.AnnounceMaintenance(admin); err != nil || k != 1 {
			t.Fatalf("AnnounceMaintenance after a crash = %d, %v; want 1", k, err)
		}
		if got := mailsOf(t, db, notify.KindMaintenance); len(got["bob@globex.example"]) != 1 || len(got["claire@globex.example"]) != 1 {
			t.Fatalf("after a retried announcement: %d and %d mails; want 1 each", len(got["bob@globex.example"]), len(got["claire@globex.example"]))
		}

		// A title edit keeps the announcement; a move announces the new times.
		w.Title = "Database upgrade (PostgreSQL)"
		if err := db.UpdateMaintenance(as(f.n1en), w); err != nil {
			t.Fatal(err)
		}
		if k, err := n.AnnounceMaintenance(admin); err != nil || k != 0 {
			t.Fatalf("AnnounceMaintenance after a title edit = %d, %v; want 0", k, err)
		}
		now = now.Add(time.Minute)
		w.StartsAt, w.EndsAt = w.StartsAt.Add(24*time.Hour), w.EndsAt.Add(24*time.Hour)
		if err := db.UpdateMaintenance(as(f.n1en), w); err != nil {
			t.Fatal(err)
		}
		if k, err := n.AnnounceMaintenance(admin); err != nil || k != 1 {
			t.Fatalf("AnnounceMaintenance after a move = %d, %v; want 1", k, err)
		}
		got = mailsOf(t, db, notify.KindMaintenance)
		if b := got["bob@globex.example"]; len(b) != 2 || !strings.Contains(b[1].Text, "2027-03-07 22:00 GMT") {
			t.Fatalf("Bob after the move: %d mails; want a second one with the new start", len(b))
		}
		if len(got["alice@acme.example"]) != 0 {
			t.Error("Acme's contact was told of Globex's maintenance")
		}
	})
}

// TestAnnounceMaintenanceCustomerLang: a contact without a language gets the mail in their
// organisation's; a contact whose login is disabled gets none.
func TestAnnounceMaintenanceCustomerLang(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newEnvFixture(t, db)
		gone := &opsdesk.User{Email: "gone@acme.example", Name: "Gone", Role: opsdesk.RoleCustomer, CustomerID: f.acme.ID}
		if err := db.CreateUser(admin, gone, ""); err != nil {
			t.Fatal(err)
		}
		gone.Disabled = true
		if err := db.UpdateUser(admin, gone); err != nil {
			t.Fatal(err)
		}
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		w := &opsdesk.MaintenanceWindow{EnvironmentID: f.acmeProd.ID, Title: "Mise à jour", StartsAt: now.Add(48 * time.Hour), EndsAt: now.Add(50 * time.Hour)}
		if err := db.CreateMaintenance(as(f.n1en), w); err != nil {
			t.Fatal(err)
		}
		if _, err := n.AnnounceMaintenance(admin); err != nil {
			t.Fatal(err)
		}
		got := mailsOf(t, db, notify.KindMaintenance)
		if len(got) != 1 || len(got["alice@acme.example"]) != 1 {
			t.Fatalf("recipients = %v; want Alice only", keys(got))
		}
		if m := got["alice@acme.example"][0]; m.Lang != opsdesk.LangFR || !strings.Contains(m.Text, "2027-03-03 09:00 CET") {
			t.Errorf("Alice's mail: lang %s (want fr, her organisation's), text:\n%s", m.Lang, m.Text)
		}
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestAnnounceMaintenanceSent sends an announcement through a real relay: a well-formed mail
// about no ticket — no ticket header, no threading — in the contact's language.
func TestAnnounceMaintenanceSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newEnvFixture(t, db)
		rl := &relay{}
		startRelay(t, rl, "127.0.0.1:0", nil, false)
		n := run(t, db, options(rl.addr))
		w := &opsdesk.MaintenanceWindow{EnvironmentID: f.globexProd.ID, Title: "Mise à niveau", StartsAt: now.Add(72 * time.Hour), EndsAt: now.Add(74 * time.Hour)}
		if err := db.CreateMaintenance(as(f.n1en), w); err != nil {
			t.Fatal(err)
		}
		if _, err := n.AnnounceMaintenance(admin); err != nil {
			t.Fatal(err)
		}
		// (The calendar's sla.recompute job has no handler here: wait for the mails, not for idle.)
		waitFor(t, "two mails", func() bool { return rl.count() >= 2 })
		got := byRecipient(rl.mails(t))
		if len(got) != 2 || len(got["claire@globex.example"]) != 1 {
			t.Fatalf("sent to %v; want Bob and Claire", keys(got))
		}
		m := got["claire@globex.example"][0]
		if m.Header.Get("X-Opsdesk-Ticket") != "" || m.Header.Get("In-Reply-To") != "" || m.Header.Get("Content-Language") != "fr" ||
			m.Header.Get("Auto-Submitted") != "auto-generated" || !strings.HasPrefix(m.id("Message-ID"), "opsdesk.env") {
			t.Errorf("headers = %v", m.Header)
		}
		if !strings.Contains(m.Subject, "Mise à niveau") && !strings.Contains(m.Text, "Mise à niveau") {
			t.Errorf("the title is missing: %q\n%s", m.Subject, m.Text)
		}
		if !strings.Contains(m.HTML, "2027-03-04 08:00 GMT") {
			t.Errorf("HTML lacks the start in London time:\n%s", m.HTML)
		}
	})
}
