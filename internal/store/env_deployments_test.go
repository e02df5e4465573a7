package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestDeploymentPromotionPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		initech := &opsdesk.Customer{Code: "INITECH", Name: "Initech"}
		if err := db.CreateCustomer(admin, initech); err != nil {
			t.Fatal(err)
		}
		initechProd := &opsdesk.Environment{CustomerID: initech.ID, Kind: opsdesk.EnvProd, Name: "Production"}
		if err := db.CreateEnvironment(admin, initechProd); err != nil {
			t.Fatal(err)
		}
		dep := func(env *opsdesk.Environment, version string, outcome opsdesk.DeployOutcome, reason string) opsdesk.Deployment {
			return opsdesk.Deployment{EnvironmentID: env.ID, Component: "app", ToVersion: version, Outcome: outcome, EmergencyReason: reason}
		}
		// Steps run in order: each changes what the next may do.
		steps := []struct {
			name    string
			ctx     context.Context
			d       opsdesk.Deployment
			kind    opsdesk.Kind // "" = accepted
			field   string
			mention string // in the error message
		}{
			{"prod before any preprod success", as(f.agent), dep(f.acmeProd, "4.2.0", opsdesk.DeploySuccess, ""), opsdesk.KindConflict, "version", "Preprod"},
			{"failed prod counts too", as(f.agent), dep(f.acmeProd, "4.2.0", opsdesk.DeployFailed, ""), opsdesk.KindConflict, "version", "Preprod"},
			{"planning prod is fine", as(f.agent), dep(f.acmeProd, "4.2.0", opsdesk.DeployPlanned, ""), "", "", ""},
			{"success on test", as(f.agent), dep(f.acmeTest, "4.2.0", opsdesk.DeploySuccess, ""), "", "", ""},
			{"test does not promote", as(f.agent), dep(f.acmeProd, "4.2.0", opsdesk.DeploySuccess, ""), opsdesk.KindConflict, "version", "Preprod"},
			{"failed on preprod", as(f.agent), dep(f.acmePre, "4.2.0", opsdesk.DeployFailed, ""), "", "", ""},
			{"rolled back on preprod", as(f.agent), dep(f.acmePre, "4.2.0", opsdesk.DeployRolledBack, ""), "", "", ""},
			{"another customer's preprod success", as(f.agent), dep(f.globexPre, "4.2.0", opsdesk.DeploySuccess, ""), "", "", ""},
			{"still refused", as(f.agent), dep(f.acmeProd, "4.2.0", opsdesk.DeploySuccess, ""), opsdesk.KindConflict, "version", "Preprod"},
			{"success on preprod", as(f.agent), dep(f.acmePre, "4.2.0", opsdesk.DeploySuccess, ""), "", "", ""},
			{"prod after preprod success", as(f.agent), dep(f.acmeProd, "4.2.0", opsdesk.DeploySuccess, ""), "", "", ""},
			{"other version still refused", as(f.agent), dep(f.acmeProd, "4.2.1", opsdesk.DeploySuccess, ""), opsdesk.KindConflict, "version", "4.2.1"},
			{"emergency by an agent", as(f.agent), dep(f.acmeProd, "4.2.1", opsdesk.DeploySuccess, "data leak"), opsdesk.KindForbidden, "", ""},
			{"emergency by a project manager", as(f.pm), dep(f.acmeProd, "4.2.1", opsdesk.DeploySuccess, "data leak"), opsdesk.KindForbidden, "", ""},
			{"ops manager without reason", as(f.ops), dep(f.acmeProd, "4.2.1", opsdesk.DeploySuccess, ""), opsdesk.KindConflict, "version", ""},
			{"emergency reason on preprod", as(f.ops), dep(f.acmePre, "4.2.1", opsdesk.DeploySuccess, "data leak"), opsdesk.KindInvalid, "emergency_reason", ""},
			{"emergency by an ops manager", as(f.ops), dep(f.acmeProd, "4.2.1", opsdesk.DeploySuccess, "data leak on exports"), "", "", ""},
			{"emergency by an admin", as(f.adm), dep(f.acmeProd, "4.2.2", opsdesk.DeploySuccess, "second fix"), "", "", ""},
			{"customer without preprod", as(f.agent), dep(initechProd, "1.0", opsdesk.DeploySuccess, ""), opsdesk.KindConflict, "version", "no preprod"},
			{"customer without preprod, emergency", as(f.ops), dep(initechProd, "1.0", opsdesk.DeploySuccess, "go-live"), "", "", ""},
			{"by a customer", as(f.custA), dep(f.acmeTest, "4.3.0", opsdesk.DeploySuccess, ""), opsdesk.KindForbidden, "", ""},
			{"no version", as(f.agent), dep(f.acmeTest, " ", opsdesk.DeploySuccess, ""), opsdesk.KindInvalid, "version", ""},
			{"bad outcome", as(f.agent), dep(f.acmeTest, "4.3.0", "done", ""), opsdesk.KindInvalid, "outcome", ""},
		}
		for _, s := range steps {
			f.tick()
			d := s.d
			err := db.RecordDeployment(s.ctx, &d)
			if s.kind == "" {
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				continue
			}
			if opsdesk.ErrorKind(err) != s.kind || opsdesk.ErrorField(err) != s.field || !strings.Contains(opsdesk.ErrorMessage(err), s.mention) {
				t.Fatalf("%s: %v, want %s on %q mentioning %q", s.name, err, s.kind, s.field, s.mention)
			}
		}
		comps, err := db.ListComponents(admin, f.acmeProd.ID)
		if err != nil || len(comps) != 1 || comps[0].Version != "4.2.2" {
			t.Fatalf("prod components = %+v %v", comps, err)
		}
		// The emergency is kept on the deployment and in the audit log.
		deps, err := db.ListDeployments(admin, f.acmeProd.ID, 0)
		if err != nil || len(deps) != 4 || deps[1].ToVersion != "4.2.1" || deps[1].EmergencyReason != "data leak on exports" ||
			deps[1].By != f.ops.Email || deps[2].ToVersion != "4.2.0" || deps[2].EmergencyReason != "" || deps[2].FromVersion != "" {
			t.Fatalf("prod history = %+v %v", deps, err)
		}
		entries, err := db.ListAudit(admin, opsdesk.AuditFilter{Entity: "environment", EntityID: f.acmeProd.ID})
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, e := range entries {
			if e.Action == "deployment_emergency" && slices.Contains(e.Changes, opsdesk.Change{Field: "emergency_reason", New: "data leak on exports"}) {
				found = true
			}
		}
		if !found {
			t.Fatalf("no emergency in the audit log: %+v", entries)
		}

		// A planned prod deployment meets the path when it leaves the planned state.
		planned := dep(f.acmeProd, "5.0.0", opsdesk.DeployPlanned, "")
		if err := db.RecordDeployment(as(f.agent), &planned); err != nil {
			t.Fatal(err)
		}
		_, err = db.AdvanceDeployment(as(f.agent), f.acmeProd.ID, planned.ID, opsdesk.DeployInProgress, "")
		if opsdesk.ErrorKind(err) != opsdesk.KindConflict || opsdesk.ErrorField(err) != "version" {
			t.Fatalf("start unpromoted: %v", err)
		}
		pre := dep(f.acmePre, "5.0.0", opsdesk.DeploySuccess, "")
		if err := db.RecordDeployment(as(f.agent), &pre); err != nil {
			t.Fatal(err)
		}
		f.tick()
		got, err := db.AdvanceDeployment(as(f.agent), f.acmeProd.ID, planned.ID, opsdesk.DeploySuccess, "")
		if err != nil || got.Outcome != opsdesk.DeploySuccess || got.FinishedAt != f.now || got.FromVersion != "4.2.2" {
			t.Fatalf("advance: %+v %v", got, err)
		}
		_, err = db.AdvanceDeployment(as(f.agent), f.acmeProd.ID, planned.ID, opsdesk.DeployRolledBack, "")
		wantKind(t, err, opsdesk.KindConflict)
		if comps, _ := db.ListComponents(admin, f.acmeProd.ID); len(comps) != 1 || comps[0].Version != "5.0.0" || comps[0].DeploymentID != planned.ID {
			t.Fatalf("after advance: %+v", comps)
		}
	})
}

func TestDeploymentCurrentVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		env := f.acmePre.ID
		current := func() string {
			t.Helper()
			cs, err := db.ListComponents(as(f.agent), env)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				if c.Name == "app" {
					return c.Version
				}
			}
			return ""
		}
		var ids []int64
		var inProgress int64
		for _, s := range []struct {
			version string
			outcome opsdesk.DeployOutcome
			want    string // current version afterwards
		}{
			{"1.0", opsdesk.DeploySuccess, "1.0"},
			{"1.1", opsdesk.DeployFailed, "1.0"},
			{"1.2", opsdesk.DeployRolledBack, "1.0"},
			{"1.3", opsdesk.DeployPlanned, "1.0"},
			{"1.4", opsdesk.DeployInProgress, "1.0"},
			{"2.0", opsdesk.DeploySuccess, "2.0"},
		} {
			f.tick()
			d := opsdesk.Deployment{EnvironmentID: env, Component: " App ", ToVersion: s.version, Outcome: s.outcome}
			if err := db.RecordDeployment(as(f.agent), &d); err != nil {
				t.Fatalf("%s %s: %v", s.version, s.outcome, err)
			}
			if got := current(); got != s.want {
				t.Fatalf("after %s %s: current %q, want %q", s.version, s.outcome, got, s.want)
			}
			if s.outcome == opsdesk.DeployFailed && d.FromVersion != "1.0" {
				t.Errorf("from version = %q, want the current 1.0", d.FromVersion)
			}
			if s.outcome == opsdesk.DeployInProgress {
				inProgress = d.ID
			}
			ids = append(ids, d.ID)
		}
		// Advancing to failed keeps 2.0; history is newest first.
		f.tick()
		if _, err := db.AdvanceDeployment(as(f.agent), env, inProgress, opsdesk.DeployFailed, ""); err != nil {
			t.Fatal(err)
		}
		if got := current(); got != "2.0" {
			t.Fatalf("after failed advance: %q", got)
		}
		deps, err := db.ListDeployments(as(f.agent), env, 0)
		if err != nil || len(deps) != len(ids) {
			t.Fatalf("history: %d %v", len(deps), err)
		}
		// 1.4 ended last; then 2.0, 1.3 (planned: ordered by its record time), 1.2, 1.1, 1.0.
		want := []int64{ids[4], ids[5], ids[3], ids[2], ids[1], ids[0]}
		var got []int64
		for _, d := range deps {
			got = append(got, d.ID)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("history order = %v, want %v", got, want)
		}
		// A linked ticket is one of the environment's customer.
		own := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Type: opsdesk.TypeEvolution,
			Severity: "minor", Category: "application", Subject: "Upgrade to 3.0", Description: "please"})
		theirs := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.globex.ID, RequesterEmail: f.custB.Email,
			Severity: "minor", Category: "application", Subject: "x", Description: "x"})
		linked := opsdesk.Deployment{EnvironmentID: env, Component: "app", ToVersion: "3.0", TicketKey: theirs.Key, ProjectID: 7}
		err = db.RecordDeployment(as(f.agent), &linked)
		if opsdesk.ErrorKind(err) != opsdesk.KindInvalid || opsdesk.ErrorField(err) != "ticket" {
			t.Fatalf("another customer's ticket: %v", err)
		}
		linked.TicketKey = strings.ToLower(own.Key)
		if err := db.RecordDeployment(as(f.agent), &linked); err != nil {
			t.Fatal(err)
		}
		if deps, _ = db.ListDeployments(as(f.agent), env, 1); len(deps) != 1 || deps[0].TicketKey != own.Key || deps[0].ProjectID != 7 ||
			deps[0].FromVersion != "2.0" || deps[0].By != f.agent.Email {
			t.Fatalf("linked deployment = %+v", deps)
		}

		// Setting a version by hand is for managers.
		wantKind(t, db.SetComponentVersion(as(f.agent), env, "postgresql", "16.2"), opsdesk.KindForbidden)
		if err := db.SetComponentVersion(as(f.ops), env, "PostgreSQL", "16.2"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetComponentVersion(as(f.ops), env, "app", ""); err != nil {
			t.Fatal(err)
		}
		cs, _ := db.ListComponents(admin, env)
		if len(cs) != 1 || cs[0].Name != "postgresql" || cs[0].Version != "16.2" {
			t.Fatalf("components = %+v", cs)
		}
	})
}
