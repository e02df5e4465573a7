package store_test

import (
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestTwinCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		pre, prod := f.acmePre.ID, f.acmeProd.ID
		mk := func(env int64, host string, role opsdesk.ServerRole, osv string) *opsdesk.Server {
			t.Helper()
			s := &opsdesk.Server{EnvironmentID: env, Hostname: host, Role: role, OS: "Debian", OSVersion: osv}
			if err := db.CreateServer(admin, s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		set := func(env int64, comp, v string) {
			t.Helper()
			if err := db.SetComponentVersion(admin, env, comp, v); err != nil {
				t.Fatal(err)
			}
		}
		check := func(want []opsdesk.TwinDiff) {
			t.Helper()
			got, err := db.TwinCheck(as(f.agent), f.acme.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if want[i].Kind != opsdesk.TwinMissing {
					want[i].PreprodID, want[i].PreprodName, want[i].ProdID, want[i].ProdName = pre, "Preprod", prod, "Production"
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("twin check =\n%+v\nwant\n%+v", got, want)
			}
		}
		// Twins: same versions, same servers per role and OS.
		mk(pre, "app1", opsdesk.ServerApp, "12")
		mk(prod, "app1", opsdesk.ServerApp, "12")
		preDB := mk(pre, "db1", opsdesk.ServerDatabase, "12")
		prodDB := mk(prod, "db1", opsdesk.ServerDatabase, "12")
		set(pre, "app", "4.2.0")
		set(prod, "app", "4.2.0")
		set(pre, "postgresql", "16.2")
		set(prod, "postgresql", "16.2")
		check(nil)

		// Prod has a second app server, an older database OS, an older app and a component preprod lacks.
		mk(prod, "app2", opsdesk.ServerApp, "12")
		prodDB.OSVersion = "11"
		if err := db.UpdateServer(admin, prodDB); err != nil {
			t.Fatal(err)
		}
		set(pre, "app", "4.3.0")
		set(prod, "redis", "7.2")
		check([]opsdesk.TwinDiff{
			{Kind: opsdesk.TwinComponentVersion, Subject: "app", Preprod: "4.3.0", Prod: "4.2.0"},
			{Kind: opsdesk.TwinComponentVersion, Subject: "redis", Preprod: "", Prod: "7.2"},
			{Kind: opsdesk.TwinServerCount, Subject: "app", Preprod: "1", Prod: "2"},
			{Kind: opsdesk.TwinOSVersion, Subject: "database", Preprod: "Debian 12", Prod: "Debian 11"},
		})

		// Made twins again.
		mk(pre, "app2", opsdesk.ServerApp, "12")
		preDB.OSVersion = "11"
		if err := db.UpdateServer(admin, preDB); err != nil {
			t.Fatal(err)
		}
		set(prod, "app", "4.3.0")
		set(pre, "redis", "7.2")
		check(nil)

		// Two preprods for two prods are paired in name order; a third prod has no twin. A retired
		// environment is left out.
		pre2 := &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvPreprod, Name: "Preprod B"}
		prod2 := &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvProd, Name: "Production B"}
		prod3 := &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvProd, Name: "Production C"}
		old := &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvProd, Name: "Old", Status: opsdesk.EnvRetired}
		for _, e := range []*opsdesk.Environment{pre2, prod2, prod3, old} {
			if err := db.CreateEnvironment(admin, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.TwinCheck(admin, f.acme.ID)
		if err != nil {
			t.Fatal(err)
		}
		var missing []int64
		for _, d := range got {
			if d.ProdID == old.ID || d.PreprodID == pre && d.ProdID != prod {
				t.Errorf("unexpected pairing: %+v", d)
			}
			if d.Kind == opsdesk.TwinMissing {
				missing = append(missing, d.ProdID)
			}
		}
		if !slices.Equal(missing, []int64{prod3.ID}) {
			t.Fatalf("missing twins = %v, want [%d]: %+v", missing, prod3.ID, got)
		}

		// Customers do not run it: their own is forbidden, another's not found.
		_, err = db.TwinCheck(as(f.custA), f.acme.ID)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.TwinCheck(as(f.custB), f.acme.ID)
		wantKind(t, err, opsdesk.KindNotFound)
	})
}
