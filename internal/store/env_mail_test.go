package store_test

import (
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestUserManager: a member of the vendor's team may have another enabled member as manager;
// anything else is refused on field manager; a customer's user has none.
func TestUserManager(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		off := &opsdesk.User{Email: "off@vendor.example", Role: opsdesk.RoleOpsManager, Disabled: true}
		if err := db.CreateUser(admin, off, ""); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name    string
			manager int64
		}{{"self", f.agent.ID}, {"a customer's user", f.custA.ID}, {"disabled", off.ID}, {"unknown", 999999}} {
			t.Run(c.name, func(t *testing.T) {
				u := *f.agent
				u.ManagerID = c.manager
				err := db.UpdateUser(admin, &u)
				wantKind(t, err, opsdesk.KindInvalid)
				if got := opsdesk.ErrorField(err); got != "manager" {
					t.Errorf("field = %q, want manager (%v)", got, err)
				}
			})
		}
		u := *f.agent
		u.ManagerID = f.ops.ID
		if err := db.UpdateUser(admin, &u); err != nil {
			t.Fatal(err)
		}
		if got, err := db.UserByID(admin, f.agent.ID); err != nil || got.ManagerID != f.ops.ID {
			t.Fatalf("manager after update = %d, %v; want %d", got.ManagerID, err, f.ops.ID)
		}
		created := &opsdesk.User{Email: "new@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1, ManagerID: f.ops.ID}
		if err := db.CreateUser(admin, created, ""); err != nil {
			t.Fatal(err)
		}
		if got, err := db.UserByEmail(admin, created.Email); err != nil || got.ManagerID != f.ops.ID {
			t.Fatalf("manager of a created user = %d, %v", got.ManagerID, err)
		}
		c := *f.custA
		c.ManagerID = f.ops.ID
		if err := db.UpdateUser(admin, &c); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(admin, f.custA.ID); got.ManagerID != 0 {
			t.Errorf("a customer's user kept manager %d", got.ManagerID)
		}
		// A deleted account is no manager.
		if _, err := db.SQL().Exec(db.Rebind(`DELETE FROM users WHERE id = ?`), created.ID); err != nil {
			t.Fatal(err)
		}
		u.ManagerID = created.ID
		if err := db.UpdateUser(admin, &u); err == nil {
			t.Error("a deleted user was accepted as manager")
		}
	})
}

// TestEnvMailQueries: the windows to announce (not over, never announced or moved since), the
// contacts told (never another customer's, never a disabled login), marking once per version;
// the grants to warn about (expired, not revoked, not warned), marked once; system only.
func TestEnvMailQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		if _, err := db.UnannouncedMaintenance(as(f.agent), f.now, 10); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Errorf("an agent listed the windows to announce: %v", err)
		}
		if _, err := db.GrantsToWarn(as(f.custA), f.now, 10); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Errorf("a customer listed the grants to warn about: %v", err)
		}
		w := &opsdesk.MaintenanceWindow{EnvironmentID: f.globexProd.ID, Title: "Upgrade", StartsAt: f.now.Add(time.Hour), EndsAt: f.now.Add(2 * time.Hour)}
		over := &opsdesk.MaintenanceWindow{EnvironmentID: f.acmeProd.ID, Title: "Past", StartsAt: f.now.Add(-2 * time.Hour), EndsAt: f.now.Add(-time.Hour)}
		for _, x := range []*opsdesk.MaintenanceWindow{w, over} {
			if err := db.CreateMaintenance(as(f.agent), x); err != nil {
				t.Fatal(err)
			}
		}
		ns, err := db.UnannouncedMaintenance(admin, f.now, 10)
		if err != nil || len(ns) != 1 || ns[0].Window.ID != w.ID || ns[0].CustomerID != f.globex.ID || ns[0].EnvName != "Production" ||
			ns[0].EnvKind != opsdesk.EnvProd || ns[0].CustomerLang != opsdesk.LangEN {
			t.Fatalf("to announce = %+v, %v", ns, err)
		}
		cs, err := db.NoticeContacts(admin, f.globex.ID)
		if err != nil || len(cs) != 1 || cs[0].Email != f.custB.Email {
			t.Fatalf("Globex's contacts = %+v, %v; want %s only", cs, err, f.custB.Email)
		}
		b := *f.custB
		b.Disabled = true
		if err := db.UpdateUser(admin, &b); err != nil {
			t.Fatal(err)
		}
		if cs, err := db.NoticeContacts(admin, f.globex.ID); err != nil || len(cs) != 0 {
			t.Fatalf("contacts with a disabled login = %+v, %v; want none", cs, err)
		}
		// Moved after being listed: marking the old version does nothing.
		stale := *ns[0].Window
		f.tick()
		w.StartsAt, w.EndsAt = w.StartsAt.Add(time.Hour), w.EndsAt.Add(time.Hour)
		if err := db.UpdateMaintenance(as(f.agent), w); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.MarkAnnounced(admin, &stale, f.now); err != nil || ok {
			t.Fatalf("MarkAnnounced of a moved window = %v, %v; want false", ok, err)
		}
		if ok, err := db.MarkAnnounced(admin, w, f.now); err != nil || !ok {
			t.Fatalf("MarkAnnounced = %v, %v; want true", ok, err)
		}
		if ok, _ := db.MarkAnnounced(admin, w, f.now); ok {
			t.Error("a window was marked announced twice")
		}
		if ns, err := db.UnannouncedMaintenance(admin, f.now, 10); err != nil || len(ns) != 0 {
			t.Fatalf("after marking: %+v, %v", ns, err)
		}

		expired := &opsdesk.AccessGrant{EnvironmentID: f.acmeProd.ID, UserID: f.agent.ID, Kind: opsdesk.AccessSSH, Reason: "fix", ExpiresAt: f.now.Add(time.Minute)}
		revoked := &opsdesk.AccessGrant{EnvironmentID: f.acmeProd.ID, UserID: f.n2.ID, Kind: opsdesk.AccessVPN, Reason: "fix", ExpiresAt: f.now.Add(time.Minute)}
		held := &opsdesk.AccessGrant{EnvironmentID: f.acmeProd.ID, UserID: f.n2.ID, Kind: opsdesk.AccessDatabase, Reason: "fix", ExpiresAt: f.now.Add(time.Hour)}
		for _, g := range []*opsdesk.AccessGrant{expired, revoked, held} {
			if err := db.GrantAccess(as(f.ops), g); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.RevokeAccess(as(f.n2), f.acmeProd.ID, revoked.ID, ""); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(10 * time.Minute)
		gs, err := db.GrantsToWarn(admin, f.now, 10)
		if err != nil || len(gs) != 1 || gs[0].Grant.ID != expired.ID || gs[0].CustomerName != "Acme" || gs[0].Grant.GrantedBy != f.ops.Email {
			t.Fatalf("grants to warn = %+v, %v; want the expired one only", gs, err)
		}
		if ok, err := db.MarkGrantWarned(admin, expired.ID, f.now); err != nil || !ok {
			t.Fatalf("MarkGrantWarned = %v, %v", ok, err)
		}
		if ok, _ := db.MarkGrantWarned(admin, expired.ID, f.now); ok {
			t.Error("a grant was marked warned twice")
		}
		if gs, err := db.GrantsToWarn(admin, f.now, 10); err != nil || len(gs) != 0 {
			t.Fatalf("after warning: %+v, %v", gs, err)
		}
		// The revocation list still shows it: warning does not revoke.
		if l, err := db.ListExpiredGrants(as(f.agent), f.now); err != nil || len(l) != 1 {
			t.Fatalf("revocation list = %+v, %v", l, err)
		}
	})
}

// TestOutboxWithoutTicket: a mail about no ticket is queued and read back with ticket 0.
func TestOutboxWithoutTicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		m := &store.OutboxMail{DedupKey: "maintenance:1:1:maintenance_announce:a@acme.example", Kind: "maintenance_announce",
			Lang: opsdesk.LangFR, To: "a@acme.example", Subject: "s", Text: "t", HTML: "h", MailMessageID: "opsdesk.env1.x@vendor.example"}
		job := func(m *store.OutboxMail) opsdesk.NewJob {
			return opsdesk.NewJob{Kind: "mail.send", Payload: map[string]int64{"outbox_id": m.ID}}
		}
		for range 2 {
			if _, err := db.QueueMails(admin, []*store.OutboxMail{m}, job); err != nil {
				t.Fatal(err)
			}
		}
		ms, err := db.ListOutbox(admin, store.OutboxFilter{Limit: 10})
		if err != nil || len(ms) != 1 || ms[0].TicketID != 0 || ms[0].TicketKey != "" {
			t.Fatalf("outbox = %+v, %v; want one mail of no ticket", ms, err)
		}
	})
}
