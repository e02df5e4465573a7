package store_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestCAPASuggestAuditsAndProbes: a done continuous-improvement task with findings proposes one
// preventive action; a done task of another phase, or without findings, none. Among the probe
// incidents of the last 30 days on production environments, the one repeating an earlier
// incident of its environment and the one down for two hours propose one corrective action
// each; a lone 25-minute outage, an incident older than 30 days, a web ticket and preprod
// incidents propose nothing. Each is made once, for its source's customer.
func TestCAPASuggestAuditsAndProbes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		base := f.now

		// Audit findings.
		task := func(phase, title, findings string) *opsdesk.Task {
			tk := &opsdesk.Task{ProjectID: f.acmeProj.ID, PhaseCode: phase, Title: title, EstimateHours: 4}
			if err := db.SaveTask(as(f.pm), tk); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SetTaskStatus(as(f.agent), f.acmeProj.ID, tk.ID, opsdesk.TaskDone); err != nil {
				t.Fatal(err)
			}
			if findings != "" {
				if _, err := db.SetTaskFindings(as(f.agent), f.acmeProj.ID, tk.ID, findings); err != nil {
					t.Fatal(err)
				}
			}
			return tk
		}
		audit := task("improvement", "Security audit", "Admin accounts without MFA")
		task("improvement", "Performance review", "")
		task("framing", "Kick-off", "Scope unclear")

		// Probe incidents.
		globexProd := f.globexProd
		probeOf := func(env *opsdesk.Environment) int64 {
			p := &opsdesk.Probe{EnvironmentID: env.ID, Name: "health", URL: "https://" + strconv.FormatInt(env.ID, 10) + ".example/health"}
			if err := db.CreateProbe(admin, p); err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		acmeProbe, globexProbe := probeOf(f.acmeProd), probeOf(globexProd)
		results := func(probe int64, at time.Time, oks ...any) {
			for i := 0; i < len(oks); i += 2 {
				if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO env_probe_results (probe_id, at, ok) VALUES (?, ?, ?)`),
					probe, at.Add(oks[i].(time.Duration)).UnixMilli(), oks[i+1].(bool)); err != nil {
					t.Fatal(err)
				}
			}
		}
		incident := func(env *opsdesk.Environment, ago time.Duration, channel opsdesk.Channel) *opsdesk.Ticket {
			f.now = base.Add(-ago)
			requester := f.custA.Email
			if env.CustomerID == f.globex.ID {
				requester = f.custB.Email
			}
			return file(t, db, admin, opsdesk.NewTicket{CustomerID: env.CustomerID, RequesterEmail: requester,
				EnvironmentID: env.ID, Type: opsdesk.TypeIncident, Severity: "blocking", Impact: "down", Category: "application",
				Subject: "probe failing", Description: "d", Channel: channel, Import: true})
		}
		day := 24 * time.Hour
		old := incident(globexProd, 40*day, opsdesk.ChannelProbe) // never recovered, but outside the window
		results(globexProbe, old.CreatedAt, -time.Minute, false, time.Duration(0), false)
		incident(f.acmeProd, 15*day, opsdesk.ChannelWeb) // not a probe's
		lone := incident(f.acmeProd, 10*day, opsdesk.ChannelProbe)
		results(acmeProbe, lone.CreatedAt, -10*time.Minute, true, -5*time.Minute, false, time.Duration(0), false, 20*time.Minute, true)
		long := incident(globexProd, 3*day, opsdesk.ChannelProbe)
		results(globexProbe, long.CreatedAt, -10*time.Minute, true, -3*time.Minute, false, time.Duration(0), false, 2*time.Hour, true)
		repeat := incident(f.acmeProd, 2*day, opsdesk.ChannelProbe)
		results(acmeProbe, repeat.CreatedAt, -2*time.Minute, false, time.Duration(0), false, 5*time.Minute, true)
		incident(f.acmePre, 5*day, opsdesk.ChannelProbe)
		incident(f.acmePre, 4*day, opsdesk.ChannelProbe)
		f.now = base

		want := map[string]struct {
			kind     opsdesk.ActionKind
			source   opsdesk.ActionSource
			customer int64
		}{
			"audit:" + strconv.FormatInt(audit.ID, 10):  {opsdesk.ActionPreventive, opsdesk.SourceAudit, f.acme.ID},
			"probe:" + strconv.FormatInt(repeat.ID, 10): {opsdesk.ActionCorrective, opsdesk.SourceProbe, f.acme.ID},
			"probe:" + strconv.FormatInt(long.ID, 10):   {opsdesk.ActionCorrective, opsdesk.SourceProbe, f.globex.ID},
		}
		got, err := db.SuggestActions(admin)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, a := range got {
			keys[a.SuggestKey] = true
			w, ok := want[a.SuggestKey]
			if !ok {
				t.Errorf("unexpected suggestion %s: %s", a.SuggestKey, a.Title)
				continue
			}
			if a.Kind != w.kind || a.Source != w.source || a.CustomerID != w.customer || a.Status != opsdesk.ActionProposed || a.Title == "" {
				t.Errorf("suggestion %s = %+v, want %s from %s for customer %d", a.SuggestKey, a, w.kind, w.source, w.customer)
			}
			if a.Source == opsdesk.SourceAudit && (a.Description != "Admin accounts without MFA" || a.Title != "Findings of Security audit (Acme go-live)") {
				t.Errorf("audit suggestion: title %q, description %q", a.Title, a.Description)
			}
		}
		for k := range want {
			if !keys[k] {
				t.Errorf("no suggestion %s (got %v)", k, keys)
			}
		}
		again, err := db.SuggestActions(admin)
		if err != nil || len(again) != 0 {
			t.Fatalf("second run: %d suggestions, %v; want none", len(again), err)
		}
	})
}
