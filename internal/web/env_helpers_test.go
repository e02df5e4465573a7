package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// envSite is the foundation fixture with ACME given a preprod next to its prod (acmeEnv), a
// frozen clock, and the prod filled in: a component behind the preprod's (so the twin check
// flags it), a planned deployment, a server with a staff note, an access grant expiring
// tomorrow, a maintenance window and a health probe with a day of results.
type envSite struct {
	*fixture
	now     time.Time
	pre     *opsdesk.Environment
	server  *opsdesk.Server
	planned *opsdesk.Deployment
	grant   *opsdesk.AccessGrant
	window  *opsdesk.MaintenanceWindow
	probe   *opsdesk.Probe
}

const staffNote = "rack 7, staff-only note"

func newEnvSite(t *testing.T, db *store.DB) *envSite {
	t.Helper()
	if err := db.SeedDefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Minute)
	db.Now = func() time.Time { return now }
	f := &envSite{fixture: newFixture(t, db), now: now}
	f.pre = &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvPreprod, Name: "acme-preprod"}
	must(t, db.CreateEnvironment(system, f.pre))
	ops, agent := as(f.ops), as(f.agent)
	must(t, db.RecordDeployment(agent, &opsdesk.Deployment{EnvironmentID: f.pre.ID, Component: "app", ToVersion: "4.2.0"}))
	must(t, db.SetComponentVersion(ops, f.acmeEnv.ID, "app", "4.1.0"))
	f.planned = &opsdesk.Deployment{EnvironmentID: f.acmeEnv.ID, Component: "app", ToVersion: "4.2.0",
		Outcome: opsdesk.DeployPlanned, PlannedAt: now.Add(48 * time.Hour), Notes: "go-live after the freeze"}
	must(t, db.RecordDeployment(agent, f.planned))
	f.server = &opsdesk.Server{EnvironmentID: f.acmeEnv.ID, Hostname: "app1.acme.internal", Role: opsdesk.ServerApp,
		OS: "Debian", OSVersion: "12.5", CPUCores: 8, MemoryMB: 32768, DiskGB: 200, Location: "Lyon", Notes: staffNote}
	must(t, db.CreateServer(agent, f.server))
	f.grant = &opsdesk.AccessGrant{EnvironmentID: f.acmeEnv.ID, UserID: f.agent.ID, Kind: opsdesk.AccessSSH,
		Reason: "incident OPS-secret investigation", ExpiresAt: now.Add(24 * time.Hour)}
	must(t, db.GrantAccess(ops, f.grant))
	f.window = &opsdesk.MaintenanceWindow{EnvironmentID: f.acmeEnv.ID, Title: "Database upgrade",
		StartsAt: now.Add(72 * time.Hour), EndsAt: now.Add(74 * time.Hour)}
	must(t, db.CreateMaintenance(agent, f.window))
	f.probe = &opsdesk.Probe{EnvironmentID: f.acmeEnv.ID, Name: "Home", URL: "https://acme.example/health", Threshold: 100, Enabled: true}
	must(t, db.CreateProbe(ops, f.probe))
	// A day of results, one every 30 minutes, slower in the afternoon, two failures.
	for i := range 48 {
		at := now.Add(-time.Duration(48-i) * 30 * time.Minute)
		recordProbe(t, db, f.probe.ID, at, i != 20 && i != 21, 80+10*(i%12))
	}
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// recordProbe stores one result of probe id through the scheduler's store methods: the probe is
// made due at at, claimed, and its result recorded.
func recordProbe(t *testing.T, db *store.DB, id int64, at time.Time, ok bool, latencyMS int) {
	t.Helper()
	if _, err := db.SQL().Exec(db.Rebind(`UPDATE env_probes SET next_due = ?, lease_owner = '', lease_until = NULL WHERE id = ?`), at.UnixMilli(), id); err != nil {
		t.Fatal(err)
	}
	cs, err := db.ClaimDueProbes(context.Background(), "test", 1, time.Minute)
	if err != nil || len(cs) != 1 {
		t.Fatalf("claim: %v %v", cs, err)
	}
	r := &opsdesk.ProbeResult{At: at, OK: ok, StatusCode: 200, Latency: time.Duration(latencyMS) * time.Millisecond}
	if !ok {
		r.StatusCode, r.Error = 503, "status 503, expected 200"
	}
	if _, err := db.RecordProbeResult(context.Background(), cs[0], r, store.ProbeIncidentOptions{}); err != nil {
		t.Fatal(err)
	}
}

// envPath is the page of an environment.
func envPath(e *opsdesk.Environment) string { return "/environments/" + itoa(e.ID) }
