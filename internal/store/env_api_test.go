package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestAccessGrantByID checks the lookup POST /access/{gid}/revoke uses: ListAccessGrants's
// visibility for a single grant.
func TestAccessGrantByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		g := &opsdesk.AccessGrant{EnvironmentID: f.acmeTest.ID, UserID: f.agent.ID, Kind: opsdesk.AccessVPN, Reason: "upgrade",
			ExpiresAt: f.now.Add(time.Hour)}
		if err := db.GrantAccess(as(f.ops), g); err != nil {
			t.Fatal(err)
		}
		got, err := db.AccessGrantByID(as(f.agent), g.ID)
		if err != nil || got.EnvironmentID != f.acmeTest.ID || got.Reason != "upgrade" || got.UserEmail != f.agent.Email {
			t.Fatalf("staff read %+v %v", got, err)
		}
		_, err = db.AccessGrantByID(as(f.custB), g.ID)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.AccessGrantByID(as(f.custA), g.ID)
		wantKind(t, err, opsdesk.KindForbidden) // their environment, access not shown
		_, err = db.AccessGrantByID(as(f.agent), g.ID+100)
		wantKind(t, err, opsdesk.KindNotFound)
		if _, err := db.SetEnvironmentVisibility(as(f.ops), f.acmeTest.ID, opsdesk.EnvVisibility{ShowAccess: true}); err != nil {
			t.Fatal(err)
		}
		if got, err = db.AccessGrantByID(as(f.custA), g.ID); err != nil || got.Reason != "" || got.UserEmail != f.agent.Email {
			t.Errorf("customer read %+v %v", got, err)
		}
	})
}

// TestListDeploymentsPage pages a history and gets ListDeployments's order, each deployment
// once, ties on the instant included.
func TestListDeploymentsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		env := f.acmeTest.ID
		for i, v := range []string{"1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6"} {
			if i%3 != 0 {
				f.tick() // some deployments share their instant
			}
			d := &opsdesk.Deployment{EnvironmentID: env, Component: "app", ToVersion: v}
			if i == 5 {
				d.Outcome, d.PlannedAt = opsdesk.DeployPlanned, f.now.Add(-time.Hour) // sorted by its plan
			}
			if err := db.RecordDeployment(as(f.agent), d); err != nil {
				t.Fatal(err)
			}
		}
		all, err := db.ListDeployments(as(f.agent), env, 0)
		if err != nil {
			t.Fatal(err)
		}
		var want, got []int64
		for _, d := range all {
			want = append(want, d.ID)
		}
		cursor := ""
		for page := 0; page < 10; page++ {
			ds, next, err := db.ListDeploymentsPage(as(f.agent), env, 3, cursor)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) > 3 {
				t.Fatalf("page of %d", len(ds))
			}
			for _, d := range ds {
				got = append(got, d.ID)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if len(want) != 7 || !slices.Equal(got, want) {
			t.Errorf("paged %v, want %v", got, want)
		}
		_, _, err = db.ListDeploymentsPage(as(f.agent), env, 3, "nonsense")
		wantKind(t, err, opsdesk.KindInvalid)
		_, _, err = db.ListDeploymentsPage(as(f.custA), env, 3, "")
		wantKind(t, err, opsdesk.KindForbidden)
		_, _, err = db.ListDeploymentsPage(as(f.custB), env, 3, "")
		wantKind(t, err, opsdesk.KindNotFound)
		if _, err := db.SetEnvironmentVisibility(as(f.ops), env, opsdesk.EnvVisibility{ShowVersions: true}); err != nil {
			t.Fatal(err)
		}
		ds, _, err := db.ListDeploymentsPage(as(f.custA), env, 0, "")
		if err != nil || len(ds) != 7 || ds[0].By != "" {
			t.Errorf("customer page %d %v", len(ds), err)
		}
	})
}
