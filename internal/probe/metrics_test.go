package probe_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/metrics"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/probe"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// The last check of each probe is exported as opsdesk_probe_up and
// opsdesk_probe_latency_seconds, labelled by customer, environment and probe.
func TestProbeMetrics(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := newFixture(t, db, opsdesk.EnvProd)
	f.probe(t, "Login page", nil)
	m := metrics.New(nil)
	s := probe.New(db, probe.Options{Owner: "a", OnResult: func(out *store.ProbeOutcome, r *opsdesk.ProbeResult, _ time.Duration) {
		m.ProbeResult(out.CustomerCode, out.EnvName, out.Probe.Name, r.OK, r.Latency)
	}})
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	labels := `{customer="ACME",environment="Production",probe="Login page"}`
	runAt(t, f, s, 0)
	if got := scrape(); !strings.Contains(got, "opsdesk_probe_up"+labels+" 1") || !strings.Contains(got, "opsdesk_probe_latency_seconds"+labels) {
		t.Fatalf("metrics after a success lack the probe:\n%s", got)
	}
	f.healthy.Store(false)
	runAt(t, f, s, time.Minute)
	if got := scrape(); !strings.Contains(got, "opsdesk_probe_up"+labels+" 0") {
		t.Fatalf("metrics after a failure:\n%s", got)
	}
}
