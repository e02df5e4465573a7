package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// envFixture is the ticket fixture plus Acme's test and preprod environments, Globex's preprod,
// and a settable clock.
type envFixture struct {
	*ticketFixture
	acmeTest, acmePre, globexPre *opsdesk.Environment
	now                          time.Time
}

func newEnvFixture(t *testing.T, db *store.DB) *envFixture {
	t.Helper()
	f := &envFixture{ticketFixture: newTicketFixture(t, db), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return f.now }
	f.acmeTest = &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvTest, Name: "Test"}
	f.acmePre = &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvPreprod, Name: "Preprod"}
	f.globexPre = &opsdesk.Environment{CustomerID: f.globex.ID, Kind: opsdesk.EnvPreprod, Name: "Preprod"}
	for _, e := range []*opsdesk.Environment{f.acmeTest, f.acmePre, f.globexPre} {
		if err := db.CreateEnvironment(admin, e); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// tick moves the fixture's clock on by a minute.
func (f *envFixture) tick() { f.now = f.now.Add(time.Minute) }

func auditActions(t *testing.T, db *store.DB, envID int64) []string {
	t.Helper()
	es, err := db.ListAudit(admin, opsdesk.AuditFilter{Entity: "environment", EntityID: envID})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

func TestEnvironmentServers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		s := &opsdesk.Server{EnvironmentID: f.acmeProd.ID, Hostname: " App1.Acme.Internal ", Role: opsdesk.ServerApp, OS: "Debian",
			OSVersion: "12.5", CPUCores: 8, MemoryMB: 32768, DiskGB: 200, Location: "Paris DC2", Notes: "root via bastion"}
		if err := db.CreateServer(as(f.agent), s); err != nil {
			t.Fatal(err)
		}
		if s.ID == 0 || s.Hostname != "app1.acme.internal" {
			t.Fatalf("created %+v", s)
		}
		bad := []struct {
			name  string
			ctx   context.Context
			s     opsdesk.Server
			kind  opsdesk.Kind
			field string
		}{
			{"no hostname", as(f.agent), opsdesk.Server{EnvironmentID: f.acmeProd.ID, Role: opsdesk.ServerApp}, opsdesk.KindInvalid, "hostname"},
			{"unknown role", as(f.agent), opsdesk.Server{EnvironmentID: f.acmeProd.ID, Hostname: "x", Role: "mainframe"}, opsdesk.KindInvalid, "role"},
			{"negative memory", as(f.agent), opsdesk.Server{EnvironmentID: f.acmeProd.ID, Hostname: "x", MemoryMB: -1}, opsdesk.KindInvalid, "memory_mb"},
			{"hostname taken", as(f.agent), opsdesk.Server{EnvironmentID: f.acmeProd.ID, Hostname: "APP1.acme.internal"}, opsdesk.KindConflict, "hostname"},
			{"by a customer", as(f.custA), opsdesk.Server{EnvironmentID: f.acmeProd.ID, Hostname: "y"}, opsdesk.KindForbidden, ""},
			{"no such environment", as(f.agent), opsdesk.Server{EnvironmentID: 9999, Hostname: "y"}, opsdesk.KindNotFound, ""},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				err := db.CreateServer(b.ctx, &b.s)
				wantKind(t, err, b.kind)
				if got := opsdesk.ErrorField(err); got != b.field {
					t.Errorf("field = %q, want %q (%v)", got, b.field, err)
				}
			})
		}
		// The same hostname in another environment is fine.
		if err := db.CreateServer(as(f.agent), &opsdesk.Server{EnvironmentID: f.acmePre.ID, Hostname: "app1.acme.internal"}); err != nil {
			t.Fatal(err)
		}
		db2 := &opsdesk.Server{EnvironmentID: f.acmeProd.ID, Hostname: "db1", Role: opsdesk.ServerDatabase, OS: "Debian", OSVersion: "12.5"}
		if err := db.CreateServer(as(f.agent), db2); err != nil {
			t.Fatal(err)
		}
		s.OSVersion = "12.6"
		if err := db.UpdateServer(as(f.agent), s); err != nil {
			t.Fatal(err)
		}
		moved := *s
		moved.EnvironmentID = f.acmePre.ID
		wantKind(t, db.UpdateServer(as(f.agent), &moved), opsdesk.KindNotFound)

		list, err := db.ListServers(as(f.agent), f.acmeProd.ID)
		if err != nil || len(list) != 2 || list[0].Hostname != "app1.acme.internal" || list[0].OSVersion != "12.6" ||
			list[0].Notes != "root via bastion" || list[1].Role != opsdesk.ServerDatabase {
			t.Fatalf("servers = %+v %v", list, err)
		}
		wantKind(t, db.DeleteServer(as(f.custA), f.acmeProd.ID, db2.ID), opsdesk.KindForbidden)
		wantKind(t, db.DeleteServer(as(f.agent), f.acmePre.ID, db2.ID), opsdesk.KindNotFound)
		if err := db.DeleteServer(as(f.agent), f.acmeProd.ID, db2.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.ListServers(as(f.agent), f.acmeProd.ID); len(list) != 1 {
			t.Fatalf("after delete: %+v", list)
		}
		got := auditActions(t, db, f.acmeProd.ID)
		for _, want := range []string{"server_create", "server_update", "server_delete"} {
			if !slices.Contains(got, want) {
				t.Errorf("audit of the environment lacks %s: %v", want, got)
			}
		}
	})
}

func TestEnvironmentVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(db.CreateServer(admin, &opsdesk.Server{EnvironmentID: f.acmeProd.ID, Hostname: "app1", Notes: "internal"}))
		must(db.SetComponentVersion(admin, f.acmeProd.ID, "app", "4.1.0"))
		must(db.RecordDeployment(as(f.ops), &opsdesk.Deployment{EnvironmentID: f.acmeProd.ID, Component: "app", ToVersion: "4.1.1",
			Notes: "internal note", EmergencyReason: "hotfix for a data leak"}))
		must(db.GrantAccess(as(f.ops), &opsdesk.AccessGrant{EnvironmentID: f.acmeProd.ID, UserID: f.agent.ID, Kind: opsdesk.AccessSSH,
			Reason: "investigate OPS-1", ExpiresAt: f.now.Add(24 * time.Hour)}))

		// Safe defaults: a new environment shows the customer nothing beyond itself.
		e, err := db.EnvironmentByID(as(f.custA), f.acmeProd.ID)
		if err != nil || e.EnvVisibility != (opsdesk.EnvVisibility{}) {
			t.Fatalf("default visibility = %+v %v", e, err)
		}
		cust := as(f.custA)
		reads := map[string]func() error{
			"servers":     func() error { _, err := db.ListServers(cust, f.acmeProd.ID); return err },
			"components":  func() error { _, err := db.ListComponents(cust, f.acmeProd.ID); return err },
			"deployments": func() error { _, err := db.ListDeployments(cust, f.acmeProd.ID, 0); return err },
			"access":      func() error { _, err := db.ListAccessGrants(cust, f.acmeProd.ID, true); return err },
		}
		for name, read := range reads {
			if err := read(); opsdesk.ErrorKind(err) != opsdesk.KindForbidden {
				t.Errorf("%s hidden by default: %v, want forbidden", name, err)
			}
		}
		// Only managers change visibility; the change is audited.
		_, err = db.SetEnvironmentVisibility(as(f.agent), f.acmeProd.ID, opsdesk.EnvVisibility{ShowServers: true})
		wantKind(t, err, opsdesk.KindForbidden)
		e, err = db.SetEnvironmentVisibility(as(f.ops), f.acmeProd.ID, opsdesk.EnvVisibility{ShowServers: true, ShowVersions: true, ShowAccess: true})
		if err != nil || !e.ShowServers || !e.ShowVersions || !e.ShowAccess || e.ShowAvailability {
			t.Fatalf("set visibility: %+v %v", e, err)
		}
		// An ordinary update keeps the visibility.
		e.Notes = "renamed"
		must(db.UpdateEnvironment(admin, e))
		if e, _ = db.EnvironmentByID(admin, f.acmeProd.ID); !e.ShowServers || e.Notes != "renamed" {
			t.Fatalf("after update: %+v", e)
		}
		for name, read := range reads {
			if err := read(); err != nil {
				t.Errorf("%s shown: %v", name, err)
			}
		}
		// Staff-only fields stay hidden from the customer.
		servers, _ := db.ListServers(cust, f.acmeProd.ID)
		deps, _ := db.ListDeployments(cust, f.acmeProd.ID, 0)
		grants, _ := db.ListAccessGrants(cust, f.acmeProd.ID, true)
		if len(servers) != 1 || servers[0].Notes != "" || len(deps) != 1 || deps[0].Notes != "" || deps[0].EmergencyReason != "" ||
			deps[0].By != "" || deps[0].ToVersion != "4.1.1" || len(grants) != 1 || grants[0].Reason != "" || grants[0].UserEmail != f.agent.Email {
			t.Fatalf("customer reads servers %+v deployments %+v grants %+v", servers, deps, grants)
		}
		if !slices.Contains(auditActions(t, db, f.acmeProd.ID), "update") {
			t.Error("visibility change not audited")
		}
	})
}

// TestEnvironmentIsolation checks every read and write of the environment store: a customer
// never reaches another customer's environment, even one whose parts are all shown.
func TestEnvironmentIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		prod := f.acmeProd.ID
		srv := &opsdesk.Server{EnvironmentID: prod, Hostname: "app1"}
		w := &opsdesk.MaintenanceWindow{EnvironmentID: prod, Title: "Upgrade", StartsAt: f.now.Add(time.Hour), EndsAt: f.now.Add(2 * time.Hour)}
		g := &opsdesk.AccessGrant{EnvironmentID: prod, UserID: f.agent.ID, Kind: opsdesk.AccessVPN, Reason: "r", ExpiresAt: f.now.Add(time.Hour)}
		dep := &opsdesk.Deployment{EnvironmentID: prod, Component: "app", ToVersion: "1.0", Outcome: opsdesk.DeployPlanned}
		for _, err := range []error{db.CreateServer(admin, srv), db.CreateMaintenance(admin, w), db.GrantAccess(admin, g),
			db.RecordDeployment(admin, dep), db.SetComponentVersion(admin, prod, "app", "0.9")} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SetEnvironmentVisibility(admin, prod, opsdesk.EnvVisibility{ShowServers: true, ShowVersions: true,
			ShowAvailability: true, ShowAccess: true}); err != nil {
			t.Fatal(err)
		}
		calls := map[string]func(ctx context.Context) error{
			"EnvironmentByID":  func(ctx context.Context) error { _, err := db.EnvironmentByID(ctx, prod); return err },
			"ListEnvironments": func(ctx context.Context) error { _, err := db.ListEnvironments(ctx, f.acme.ID); return err },
			"ListServers":      func(ctx context.Context) error { _, err := db.ListServers(ctx, prod); return err },
			"ListComponents":   func(ctx context.Context) error { _, err := db.ListComponents(ctx, prod); return err },
			"ListDeployments":  func(ctx context.Context) error { _, err := db.ListDeployments(ctx, prod, 10); return err },
			"ListAccessGrants": func(ctx context.Context) error { _, err := db.ListAccessGrants(ctx, prod, true); return err },
			"ListMaintenance":  func(ctx context.Context) error { _, err := db.ListMaintenance(ctx, prod, f.now); return err },
			"InMaintenance":    func(ctx context.Context) error { _, err := db.InMaintenance(ctx, prod, f.now); return err },
			"TwinCheck":        func(ctx context.Context) error { _, err := db.TwinCheck(ctx, f.acme.ID); return err },
		}
		writes := map[string]func(ctx context.Context) error{
			"CreateServer": func(ctx context.Context) error {
				return db.CreateServer(ctx, &opsdesk.Server{EnvironmentID: prod, Hostname: "evil"})
			},
			"UpdateServer":        func(ctx context.Context) error { s := *srv; s.Notes = "x"; return db.UpdateServer(ctx, &s) },
			"DeleteServer":        func(ctx context.Context) error { return db.DeleteServer(ctx, prod, srv.ID) },
			"SetComponentVersion": func(ctx context.Context) error { return db.SetComponentVersion(ctx, prod, "app", "6.6.6") },
			"RecordDeployment": func(ctx context.Context) error {
				return db.RecordDeployment(ctx, &opsdesk.Deployment{EnvironmentID: prod, Component: "app", ToVersion: "6.6.6", Outcome: opsdesk.DeployPlanned})
			},
			"AdvanceDeployment": func(ctx context.Context) error {
				_, err := db.AdvanceDeployment(ctx, prod, dep.ID, opsdesk.DeployFailed, "")
				return err
			},
			"GrantAccess": func(ctx context.Context) error {
				gg := *g
				gg.ID = 0
				return db.GrantAccess(ctx, &gg)
			},
			"RevokeAccess":      func(ctx context.Context) error { _, err := db.RevokeAccess(ctx, prod, g.ID, ""); return err },
			"CreateMaintenance": func(ctx context.Context) error { ww := *w; ww.ID = 0; return db.CreateMaintenance(ctx, &ww) },
			"UpdateMaintenance": func(ctx context.Context) error { ww := *w; ww.Title = "x"; return db.UpdateMaintenance(ctx, &ww) },
			"DeleteMaintenance": func(ctx context.Context) error { return db.DeleteMaintenance(ctx, prod, w.ID) },
			"MarkMaintenanceAnnounced": func(ctx context.Context) error {
				return db.MarkMaintenanceAnnounced(ctx, prod, w.ID, f.now)
			},
			"SetEnvironmentVisibility": func(ctx context.Context) error {
				_, err := db.SetEnvironmentVisibility(ctx, prod, opsdesk.EnvVisibility{})
				return err
			},
		}
		other := as(f.custB)
		for name, call := range calls {
			if err := call(other); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
				t.Errorf("Globex's user calls %s on Acme: %v, want not found", name, err)
			}
		}
		for name, call := range writes {
			for who, ctx := range map[string]context.Context{"Globex's user": other, "Acme's own user": as(f.custA)} {
				if err := call(ctx); err == nil || opsdesk.ErrorKind(err) == opsdesk.KindInternal {
					t.Errorf("%s calls %s on Acme: %v, want refused", who, name, err)
				}
			}
		}
		// The refused writes changed nothing.
		servers, _ := db.ListServers(admin, prod)
		comps, _ := db.ListComponents(admin, prod)
		deps, _ := db.ListDeployments(admin, prod, 10)
		grants, _ := db.ListAccessGrants(admin, prod, true)
		windows, _ := db.ListMaintenance(admin, prod, f.now)
		if len(servers) != 1 || servers[0].Notes != "" || len(comps) != 1 || comps[0].Version != "0.9" || len(deps) != 1 ||
			deps[0].Outcome != opsdesk.DeployPlanned || len(grants) != 1 || !grants[0].RevokedAt.IsZero() ||
			len(windows) != 1 || windows[0].Title != "Upgrade" || !windows[0].AnnouncedAt.IsZero() {
			t.Fatalf("after refused writes: %+v %+v %+v %+v %+v", servers, comps, deps, grants, windows)
		}
		// Acme's own user reads every shown part of their environment (the twin check is staff's).
		for name, call := range calls {
			err := call(as(f.custA))
			if name == "TwinCheck" {
				wantKind(t, err, opsdesk.KindForbidden)
			} else if err != nil {
				t.Errorf("Acme's user calls %s: %v", name, err)
			}
		}
	})
}
