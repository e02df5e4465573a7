package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestWarnExpiredAccess lets three grants expire: Nina's (her manager is Nadia) warns Nadia and
// Nina; Noël's (no manager) warns the ops manager and Noël, in French; a revoked one warns nobody.
// Each grant is warned about once, however often the job runs, even after a crash between
// queueing and marking.
func TestWarnExpiredAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newEnvFixture(t, db)
		f.n1en.ManagerID = f.n2.ID
		if err := db.UpdateUser(admin, f.n1en); err != nil {
			t.Fatal(err)
		}
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		grant := func(u *opsdesk.User, env *opsdesk.Environment, kind opsdesk.AccessKind, reason string) *opsdesk.AccessGrant {
			g := &opsdesk.AccessGrant{EnvironmentID: env.ID, UserID: u.ID, Kind: kind, Reason: reason, ExpiresAt: now.Add(time.Hour)}
			if err := db.GrantAccess(as(f.ops), g); err != nil {
				t.Fatal(err)
			}
			return g
		}
		nina := grant(f.n1en, f.globexProd, opsdesk.AccessSSH, "Investigate the slow exports")
		grant(f.n1fr, f.acmeProd, opsdesk.AccessDatabase, "Correctif de données")
		revoked := grant(f.n2, f.acmeProd, opsdesk.AccessVPN, "Network check")
		if _, err := db.RevokeAccess(as(f.n2), f.acmeProd.ID, revoked.ID, "done"); err != nil {
			t.Fatal(err)
		}
		// Not expired yet: nothing.
		if k, err := n.WarnExpiredAccess(admin); err != nil || k != 0 {
			t.Fatalf("WarnExpiredAccess before expiry = %d, %v; want 0", k, err)
		}
		now = now.Add(2 * time.Hour)
		if k, err := n.WarnExpiredAccess(admin); err != nil || k != 2 {
			t.Fatalf("WarnExpiredAccess = %d, %v; want 2 grants", k, err)
		}
		check := func() map[string][]*store.OutboxMail {
			t.Helper()
			got := mailsOf(t, db, notify.KindAccessExpired)
			want := map[string]int{f.n2.Email: 1, f.n1en.Email: 1, f.ops.Email: 1, f.n1fr.Email: 1}
			for to, c := range want {
				if len(got[to]) != c {
					t.Errorf("%s got %d mails; want %d", to, len(got[to]), c)
				}
			}
			if len(got) != len(want) {
				t.Errorf("recipients = %v; want %v", keys(got), keys(want))
			}
			return got
		}
		got := check()
		mgr := got[f.n2.Email][0]
		for _, s := range []string{"The access of Nina Lee", "Globex", "Production", "SSH", "2027-03-01 09:00 GMT",
			"ops@vendor.example", "Investigate the slow exports", fmt.Sprintf("https://desk.vendor.example/environments/%d", nina.EnvironmentID)} {
			if !strings.Contains(mgr.Text, s) {
				t.Errorf("manager's mail lacks %q:\n%s", s, mgr.Text)
			}
		}
		if m := got[f.n1en.Email][0]; !strings.Contains(m.Text, "Your access") {
			t.Errorf("holder's mail:\n%s", m.Text)
		}
		if m := got[f.n1fr.Email][0]; m.Lang != opsdesk.LangFR || !strings.Contains(m.Text, "Votre accès") ||
			!strings.Contains(m.Text, "base de données") || !strings.Contains(m.Text, "2027-03-01 10:00 CET") {
			t.Errorf("Noël's mail (lang %s):\n%s", m.Lang, m.Text)
		}
		if m := got[f.ops.Email][0]; !strings.Contains(m.Text, "The access of Noël Dupré") {
			t.Errorf("ops manager's mail:\n%s", m.Text)
		}

		// Never twice: again, and after a crash between queueing and marking.
		if k, err := n.WarnExpiredAccess(admin); err != nil || k != 0 {
			t.Fatalf("second WarnExpiredAccess = %d, %v; want 0", k, err)
		}
		if _, err := db.SQL().Exec(`UPDATE env_access_grants SET warned_at = NULL`); err != nil {
			t.Fatal(err)
		}
		if k, err := n.WarnExpiredAccess(admin); err != nil || k != 2 {
			t.Fatalf("WarnExpiredAccess after a crash = %d, %v; want 2", k, err)
		}
		check()
	})
}

// TestWarnExpiringAccess: with a 7-day notice, the holder of a 30-day grant is told once, when
// it enters the last 7 days, in their language; a 3-day grant (short anyway), a revoked grant and
// a grant far from expiry are not; a notice of 0 tells nobody.
func TestWarnExpiringAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newEnvFixture(t, db)
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		day := 24 * time.Hour
		grant := func(u *opsdesk.User, ttl time.Duration) *opsdesk.AccessGrant {
			g := &opsdesk.AccessGrant{EnvironmentID: f.globexProd.ID, UserID: u.ID, Kind: opsdesk.AccessVPN, Reason: "Migration", ExpiresAt: now.Add(ttl)}
			if err := db.GrantAccess(as(f.ops), g); err != nil {
				t.Fatal(err)
			}
			return g
		}
		grant(f.n1fr, 30*day)
		grant(f.n1en, 3*day)
		revoked := grant(f.n2, 30*day)
		if _, err := db.RevokeAccess(as(f.n2), f.globexProd.ID, revoked.ID, ""); err != nil {
			t.Fatal(err)
		}
		if k, err := n.WarnExpiringAccess(admin, 7*day); err != nil || k != 0 {
			t.Fatalf("on day 0: %d, %v; want 0", k, err)
		}
		now = now.Add(24 * day)
		if k, err := n.WarnExpiringAccess(admin, 0); err != nil || k != 0 {
			t.Fatalf("notice 0: %d, %v; want 0", k, err)
		}
		for range 2 {
			if _, err := n.WarnExpiringAccess(admin, 7*day); err != nil {
				t.Fatal(err)
			}
		}
		got := mailsOf(t, db, notify.KindAccessExpiry)
		if len(got) != 1 || len(got[f.n1fr.Email]) != 1 {
			t.Fatalf("recipients = %v; want Noël once", keys(got))
		}
		if m := got[f.n1fr.Email][0]; m.Lang != opsdesk.LangFR || !strings.Contains(m.Subject, "expire le 2027-03-31 09:00 BST") {
			t.Errorf("Noël's notice (%s): %q", m.Lang, m.Subject)
		}
	})
}
