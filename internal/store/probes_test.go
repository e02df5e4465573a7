package store_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestProbeConfiguration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		prod := f.acmeProd.ID
		for _, b := range []struct {
			name  string
			p     opsdesk.Probe
			field string
		}{
			{"no name", opsdesk.Probe{EnvironmentID: prod, URL: "https://acme.example"}, "name"},
			{"no url", opsdesk.Probe{EnvironmentID: prod, Name: "x"}, "url"},
			{"ftp url", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "ftp://acme.example"}, "url"},
			{"credentials in url", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "https://u:p@acme.example"}, "url"},
			{"post", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "https://acme.example", Method: "POST"}, "method"},
			{"interval too short", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "https://acme.example", Interval: 5 * time.Second}, "interval_seconds"},
			{"timeout above interval", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "https://acme.example", Interval: 10 * time.Second, Timeout: 20 * time.Second}, "timeout"},
			{"status", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "https://acme.example", ExpectStatus: 700}, "expect_status"},
			{"threshold", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "https://acme.example", Threshold: -1}, "threshold"},
			{"body with head", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "https://acme.example", Method: "head", BodyContains: "ok"}, "body_contains"},
			{"unknown severity", opsdesk.Probe{EnvironmentID: prod, Name: "x", URL: "https://acme.example", Severity: "apocalyptic"}, "severity"},
		} {
			err := db.CreateProbe(as(f.ops), &b.p)
			if opsdesk.ErrorKind(err) != opsdesk.KindInvalid || opsdesk.ErrorField(err) != b.field {
				t.Errorf("%s: %v, want invalid %s", b.name, err, b.field)
			}
		}
		p := &opsdesk.Probe{EnvironmentID: prod, Name: " Login ", URL: "https://acme.example/login", BodyContains: "Sign in", Enabled: true}
		wantKind(t, db.CreateProbe(as(f.agent), p), opsdesk.KindForbidden)
		wantKind(t, db.CreateProbe(as(f.custA), p), opsdesk.KindForbidden)
		if err := db.CreateProbe(as(f.ops), p); err != nil {
			t.Fatal(err)
		}
		if p.Name != "Login" || p.Method != "GET" || p.ExpectStatus != 200 || p.Interval != time.Minute || p.Threshold != 3 ||
			p.Timeout != 10*time.Second || !p.NextDue.Equal(f.now) {
			t.Fatalf("created with defaults %+v", p)
		}
		wantKind(t, db.CreateProbe(as(f.ops), &opsdesk.Probe{EnvironmentID: prod, Name: "Login", URL: "https://acme.example"}), opsdesk.KindConflict)
		f.tick()
		p.Interval, p.Threshold, p.Severity = 30*time.Second, 5, "major"
		if err := db.UpdateProbe(as(f.adm), p); err != nil {
			t.Fatal(err)
		}
		if p.Interval != 30*time.Second || p.Severity != "major" || !p.UpdatedAt.Equal(f.now) {
			t.Fatalf("updated %+v", p)
		}
		moved := *p
		moved.EnvironmentID = f.acmePre.ID
		wantKind(t, db.UpdateProbe(as(f.adm), &moved), opsdesk.KindNotFound)
		if got := auditActions(t, db, prod); len(got) < 2 || got[0] != "probe_update" || got[1] != "probe_create" {
			t.Fatalf("audit = %v", got)
		}
	})
}

// A customer reads their own environment's probes and availability only when the vendor shows
// it, without the URL; another customer's are not found.
func TestProbeIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		p := &opsdesk.Probe{EnvironmentID: f.acmeProd.ID, Name: "Home", URL: "https://acme.example/?token=secret", Enabled: true}
		if err := db.CreateProbe(as(f.ops), p); err != nil {
			t.Fatal(err)
		}
		recordRun(t, db, f, p.ID, true, 120)
		reads := map[string]func(ctx context.Context) error{
			"ListProbes":   func(ctx context.Context) error { _, err := db.ListProbes(ctx, f.acmeProd.ID); return err },
			"ProbeByID":    func(ctx context.Context) error { _, err := db.ProbeByID(ctx, p.ID); return err },
			"ProbeResults": func(ctx context.Context) error { _, err := db.ProbeResults(ctx, p.ID, time.Time{}, 0); return err },
			"Availability": func(ctx context.Context) error { _, err := db.Availability(ctx, f.acmeProd.ID, p.ID); return err },
			"ResponseSeries": func(ctx context.Context) error {
				_, err := db.ResponseSeries(ctx, f.acmeProd.ID, 0, f.now.Add(-time.Hour), f.now.Add(time.Hour), time.Hour)
				return err
			},
		}
		for name, read := range reads {
			if err := read(as(f.agent)); err != nil {
				t.Errorf("%s by staff: %v", name, err)
			}
			if k := opsdesk.ErrorKind(read(as(f.custB))); k != opsdesk.KindNotFound {
				t.Errorf("%s by another customer: kind %q, want not found", name, k)
			}
			if k := opsdesk.ErrorKind(read(as(f.custA))); k != opsdesk.KindForbidden {
				t.Errorf("%s by the customer, availability not shown: kind %q, want forbidden", name, k)
			}
		}
		if _, err := db.SetEnvironmentVisibility(admin, f.acmeProd.ID, opsdesk.EnvVisibility{ShowAvailability: true}); err != nil {
			t.Fatal(err)
		}
		for name, read := range reads {
			if err := read(as(f.custA)); err != nil {
				t.Errorf("%s by the customer, availability shown: %v", name, err)
			}
			if k := opsdesk.ErrorKind(read(as(f.custB))); k != opsdesk.KindNotFound {
				t.Errorf("%s by another customer, availability shown: kind %q, want not found", name, k)
			}
		}
		ps, err := db.ListProbes(as(f.custA), f.acmeProd.ID)
		if err != nil || len(ps) != 1 || ps[0].URL != "" || ps[0].Name != "Home" || !ps[0].LastOK {
			t.Fatalf("customer's probes = %+v, %v", ps, err)
		}
	})
}

// recordRun claims probe id (due now) and records a result at the fixture's clock.
func recordRun(t *testing.T, db *store.DB, f *envFixture, id int64, ok bool, latencyMS int) {
	t.Helper()
	cs, err := db.ClaimDueProbes(context.Background(), "test", 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Probe.ID != id {
			continue
		}
		r := &opsdesk.ProbeResult{At: f.now, OK: ok, StatusCode: 200, Latency: time.Duration(latencyMS) * time.Millisecond}
		if !ok {
			r.StatusCode, r.Error = 500, "status 500, expected 200"
		}
		if _, err := db.RecordProbeResult(context.Background(), c, r, store.ProbeIncidentOptions{}); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("probe %d not due at %s", id, f.now)
}

func TestAvailabilityAndRetention(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		p := &opsdesk.Probe{EnvironmentID: f.acmeTest.ID, Name: "Home", URL: "https://test.acme.example", Threshold: 100, Enabled: true}
		if err := db.CreateProbe(as(f.ops), p); err != nil {
			t.Fatal(err)
		}
		start := f.now
		// 20 days, one run per hour: the last 24 h have 2 failures out of 24; days 10 to 12 were down.
		for h := range 20 * 24 {
			f.now = start.Add(time.Duration(h) * time.Hour)
			ok := !(h >= 20*24-24 && h%12 == 0) && !(h >= 10*24 && h < 12*24)
			recordRunAt(t, db, p.ID, f.now, ok, 100+h%7)
		}
		av, err := db.Availability(as(f.agent), f.acmeTest.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ checks, ok int }{{24, 22}, {7 * 24, 7*24 - 2}, {20 * 24, 20*24 - 2 - 48}}
		for i, w := range want {
			if av[i].Checks != w.checks || av[i].OK != w.ok || math.Abs(av[i].Percent-100*float64(w.ok)/float64(w.checks)) > 1e-9 {
				t.Errorf("availability over %s = %+v, want %d/%d", av[i].Period, av[i], w.ok, w.checks)
			}
		}
		series, err := db.ResponseSeries(as(f.agent), f.acmeTest.ID, p.ID, f.now.Add(-24*time.Hour+time.Millisecond), f.now.Add(time.Millisecond), 6*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if len(series) != 4 || series[0].Checks != 6 || series[0].Failures != 1 || series[0].MaxMS < 100 || series[0].AvgMS < 100 {
			t.Fatalf("series = %+v", series)
		}
		wantKind(t, func() error {
			_, err := db.ResponseSeries(as(f.agent), f.acmeTest.ID, p.ID, f.now, f.now.Add(time.Hour), time.Second)
			return err
		}(), opsdesk.KindInvalid)
		n, err := db.PruneProbeResults(context.Background(), f.now.Add(-7*24*time.Hour))
		if err != nil || n != 20*24-7*24-1 {
			t.Fatalf("pruned %d, %v", n, err)
		}
		rs, err := db.ProbeResults(as(f.agent), p.ID, time.Time{}, 1000)
		if err != nil || len(rs) != 7*24+1 || !rs[0].At.Equal(f.now) {
			t.Fatalf("%d results kept, %v", len(rs), err)
		}
	})
}

// recordRunAt sets probe id due at at, claims it and records a result.
func recordRunAt(t *testing.T, db *store.DB, id int64, at time.Time, ok bool, latencyMS int) {
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
		r.StatusCode, r.Error = 500, "status 500"
	}
	if _, err := db.RecordProbeResult(context.Background(), cs[0], r, store.ProbeIncidentOptions{}); err != nil {
		t.Fatal(err)
	}
}
