package docs

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/metrics"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// exportedMetrics builds opsdesk's real registry — the one app.New builds: HTTP, jobs, probes,
// the database pool, Go and process collectors and the desk's gauges over a migrated database —
// records one observation of each labelled metric so that its series exist, and returns every
// series name a scrape shows (histograms as _bucket, _sum and _count) with its label names.
// "up" is added: Prometheus writes it for every scrape target.
func exportedMetrics(t *testing.T) map[string][]string {
	t.Helper()
	db := storetest.Open(t, store.SQLite) // the names do not depend on the dialect
	m := metrics.New(db.SQL())
	m.RegisterDesk(db, metrics.DeskOptions{})
	m.ObserveRequest("GET /", "GET", 200, time.Millisecond)
	m.JobRun("mail.send", "done", time.Millisecond)
	m.ProbeResult("ACME", "prod", "home", true, time.Millisecond)
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string][]string{"up": nil}
	for _, f := range fams {
		var labels []string
		if len(f.GetMetric()) > 0 {
			for _, l := range f.GetMetric()[0].GetLabel() {
				labels = append(labels, l.GetName())
			}
		}
		name := f.GetName()
		switch f.GetType().String() { // not the dto constants: client_model stays an indirect module
		case "HISTOGRAM":
			known[name+"_bucket"] = append(slices.Clone(labels), "le")
			known[name+"_sum"], known[name+"_count"] = labels, labels
		case "SUMMARY":
			known[name] = append(slices.Clone(labels), "quantile")
			known[name+"_sum"], known[name+"_count"] = labels, labels
		default:
			known[name] = labels
		}
	}
	// The desk's gauges with labels have series only when there is something to count (an open
	// ticket); the series of an empty desk must still be there.
	for _, want := range []string{"opsdesk_desk_gauges_up", "opsdesk_sla_clocks_breached", "go_sql_in_use_connections", "opsdesk_job_runs_total"} {
		if _, ok := known[want]; !ok {
			t.Fatalf("the registry does not export %s: the test no longer builds the real registry", want)
		}
	}
	return known
}

// TestOperationsMetricsExist checks that every opsdesk_* metric named in docs/operations.md is
// exported: by the registry built above, or — for the desk's gauges that have no series on an
// empty database, such as opsdesk_tickets_open — declared in internal/metrics.
func TestOperationsMetricsExist(t *testing.T) {
	ops, err := os.ReadFile("operations.md")
	if err != nil {
		t.Fatal(err)
	}
	known := exportedMetrics(t)
	declared := declaredMetricNames(t)
	names := regexp.MustCompile(`\bopsdesk_[a-z0-9_]+`).FindAllString(string(ops), -1)
	if len(names) < 10 {
		t.Fatalf("found only %d metric names in operations.md", len(names))
	}
	for _, n := range names {
		if _, ok := known[n]; !ok && !declared[n] {
			t.Errorf("docs/operations.md names %s, which opsdesk does not export", n)
		}
	}
}

// declaredMetricNames reads the metric names written as string literals in internal/metrics.
func declaredMetricNames(t *testing.T) map[string]bool {
	t.Helper()
	files, err := os.ReadDir("../internal/metrics")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	re := regexp.MustCompile(`"(opsdesk_[a-z0-9_]+)"`)
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile("../internal/metrics/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			names[m[1]] = true
		}
	}
	return names
}
