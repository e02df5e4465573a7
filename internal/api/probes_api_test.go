package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// seedProbe gives ACME's production a probe with one result, and returns the probe's path.
func (e *env) seedProbe() string {
	e.t.Helper()
	p := &opsdesk.Probe{EnvironmentID: e.acmeProd.ID, Name: "Health", URL: "https://acme.example/health", Enabled: true}
	must(e.t, e.db.CreateProbe(system, p))
	recordProbeRun(e.t, e.db, p.ID, e.db.Now().Add(-time.Minute), true)
	return "/api/v1/probes/" + strconv.FormatInt(p.ID, 10)
}

// recordProbeRun records a result of probe id at instant at through the scheduler's store
// methods: the probe is made due at that instant, claimed, and its result recorded.
func recordProbeRun(t *testing.T, db *store.DB, id int64, at time.Time, ok bool) {
	t.Helper()
	if _, err := db.SQL().Exec(db.Rebind(`UPDATE env_probes SET next_due = ?, lease_owner = '', lease_until = NULL WHERE id = ?`),
		at.UnixMilli(), id); err != nil {
		t.Fatal(err)
	}
	cs, err := db.ClaimDueProbes(context.Background(), "api-test", 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Probe.ID != id {
			continue
		}
		r := &opsdesk.ProbeResult{At: at, OK: ok, StatusCode: 200, Latency: 120 * time.Millisecond}
		if !ok {
			r.StatusCode, r.Error = 500, "status 500, expected 200"
		}
		if _, err := db.RecordProbeResult(context.Background(), c, r, store.ProbeIncidentOptions{}); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("probe %d not claimed at %s", id, at)
}

type probeJSON struct {
	ID                  int64   `json:"id"`
	Environment         int64   `json:"environment"`
	Name                string  `json:"name"`
	URL                 string  `json:"url"`
	Method              string  `json:"method"`
	ExpectStatus        int     `json:"expect_status"`
	BodyContains        string  `json:"body_contains"`
	TimeoutSeconds      int     `json:"timeout_seconds"`
	IntervalSeconds     int     `json:"interval_seconds"`
	Threshold           int     `json:"threshold"`
	Severity            string  `json:"severity"`
	Enabled             bool    `json:"enabled"`
	State               string  `json:"state"`
	DownSince           *string `json:"down_since"`
	ConsecutiveFailures int     `json:"consecutive_failures"`
	Incident            string  `json:"incident"`
}

type resultsJSON struct {
	Items []struct {
		At        string `json:"at"`
		OK        bool   `json:"ok"`
		Status    int    `json:"status"`
		LatencyMS int64  `json:"latency_ms"`
		Error     string `json:"error"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

type availJSON struct {
	Probe   *int64 `json:"probe"`
	Periods []struct {
		Period  string   `json:"period"`
		Checks  int      `json:"checks"`
		OK      int      `json:"ok"`
		Percent *float64 `json:"percent"`
	} `json:"periods"`
}

// TestProbeAPI configures a probe through the API, records failing and passing runs through the
// scheduler's store methods, and reads them back as staff and as the customer.
func TestProbeAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		env := "/api/v1/environments/" + strconv.FormatInt(e.acmeProd.ID, 10)
		body := map[string]any{"name": "Login", "url": "https://acme.example/login", "body_contains": "Sign in", "interval_seconds": 30}
		e.do("n1", "POST", env+"/probes", body).problem(t, http.StatusForbidden, "")
		e.do("alice", "POST", env+"/probes", body).problem(t, http.StatusForbidden, "")
		var p probeJSON
		r := e.do("ops", "POST", env+"/probes", body).want(t, http.StatusCreated, &p)
		path := "/api/v1/probes/" + strconv.FormatInt(p.ID, 10)
		if loc := r.header.Get("Location"); loc != path {
			t.Errorf("Location = %q, want %q", loc, path)
		}
		if p.Environment != e.acmeProd.ID || p.Method != "GET" || p.ExpectStatus != 200 || p.IntervalSeconds != 30 ||
			p.TimeoutSeconds != 10 || p.Threshold != 3 || !p.Enabled || p.State != "unknown" || p.BodyContains != "Sign in" {
			t.Errorf("created %+v", p)
		}
		for _, c := range []struct {
			body   map[string]any
			status int
			field  string
		}{
			{map[string]any{"url": "https://acme.example"}, 422, "name"},
			{map[string]any{"name": "x", "url": "ftp://acme.example"}, 422, "url"},
			{map[string]any{"name": "x", "url": "https://u:p@acme.example"}, 422, "url"},
			{map[string]any{"name": "x", "url": "https://acme.example", "method": "POST"}, 422, "method"},
			{map[string]any{"name": "x", "url": "https://acme.example", "interval_seconds": 5}, 422, "interval_seconds"},
			{map[string]any{"name": "x", "url": "https://acme.example", "interval_seconds": 10, "timeout_seconds": 20}, 422, "timeout_seconds"},
			{map[string]any{"name": "x", "url": "https://acme.example", "timeout_seconds": -1}, 422, "timeout_seconds"},
			{map[string]any{"name": "x", "url": "https://acme.example", "interval_seconds": 18446744133}, 422, "interval_seconds"},
			{map[string]any{"name": "x", "url": "https://acme.example", "expect_status": 700}, 422, "expect_status"},
			{map[string]any{"name": "x", "url": "https://acme.example", "threshold": -1}, 422, "threshold"},
			{map[string]any{"name": "x", "url": "https://acme.example", "severity": "apocalyptic"}, 422, "severity"},
			{map[string]any{"name": "x", "url": "https://acme.example", "colour": "red"}, 400, "colour"},
			{map[string]any{"name": "Login", "url": "https://acme.example"}, 409, "name"},
		} {
			e.do("ops", "POST", env+"/probes", c.body).problem(t, c.status, c.field)
		}
		if got := list[probeJSON](t, e.do("n1", "GET", env+"/probes", nil)); len(got) != 1 || got[0].URL != "https://acme.example/login" {
			t.Errorf("the agent lists %+v", got)
		}

		// Edits: managers only; a zero number is named; the rest is kept.
		e.do("n1", "PATCH", path, map[string]any{"threshold": 2}).problem(t, http.StatusForbidden, "")
		e.do("ops", "PATCH", path, map[string]any{"threshold": 0}).problem(t, http.StatusUnprocessableEntity, "threshold")
		e.do("ops", "PATCH", path, map[string]any{"method": "HEAD"}).problem(t, http.StatusUnprocessableEntity, "body_contains")
		e.do("root", "PATCH", path, map[string]any{"threshold": 2, "severity": "major"}).want(t, http.StatusOK, &p)
		if p.Threshold != 2 || p.Severity != "major" || p.IntervalSeconds != 30 || p.URL != "https://acme.example/login" {
			t.Errorf("patched %+v", p)
		}

		// Five runs, newest last: two successes, then three failures (an outage past the threshold).
		now := db.Now()
		for i, ok := range []bool{true, true, false, false, false} {
			recordProbeRun(t, db, p.ID, now.Add(time.Duration(i-5)*time.Minute), ok)
		}
		e.do("ops", "GET", path, nil).want(t, http.StatusOK, &p)
		if p.State != "down" || p.DownSince == nil || p.ConsecutiveFailures != 3 || !strings.HasPrefix(p.Incident, "OPS-") {
			t.Errorf("after the outage %+v", p)
		}
		var page resultsJSON
		var seen []string
		next := path + "/results?limit=2"
		for range 3 {
			e.do("n1", "GET", next, nil).want(t, http.StatusOK, &page)
			for _, x := range page.Items {
				seen = append(seen, x.At)
				if x.OK != (x.Status == 200) || x.OK != (x.Error == "") || x.LatencyMS != 120 {
					t.Errorf("result %+v", x)
				}
			}
			if page.NextCursor == nil {
				break
			}
			next = path + "/results?limit=2&cursor=" + *page.NextCursor
		}
		if len(seen) != 5 || page.NextCursor != nil {
			t.Fatalf("results pages gave %v (last cursor %v)", seen, page.NextCursor)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] >= seen[i-1] {
				t.Errorf("results not newest first: %v", seen)
			}
		}
		e.do("ops", "GET", path+"/results?limit=5000", nil).problem(t, http.StatusUnprocessableEntity, "limit")
		e.do("ops", "GET", path+"/results?before=yesterday", nil).problem(t, http.StatusUnprocessableEntity, "before")

		var av availJSON
		e.do("n1", "GET", env+"/availability?probe="+strconv.FormatInt(p.ID, 10), nil).want(t, http.StatusOK, &av)
		if av.Probe == nil || len(av.Periods) != 3 || av.Periods[0].Period != "24h" || av.Periods[0].Checks != 5 ||
			av.Periods[0].OK != 2 || av.Periods[0].Percent == nil || *av.Periods[0].Percent != 40 || av.Periods[2].Period != "30d" {
			t.Errorf("availability %+v", av)
		}
		e.do("n1", "GET", env+"/availability?probe=abc", nil).problem(t, http.StatusUnprocessableEntity, "probe")
		e.do("n1", "GET", env+"/availability?probe=99999", nil).problem(t, http.StatusNotFound, "")

		// The customer: nothing while availability is hidden, then the probes without URL,
		// body check or incident; never a write.
		for _, u := range []string{env + "/probes", path, path + "/results", env + "/availability"} {
			e.do("alice", "GET", u, nil).problem(t, http.StatusForbidden, "")
		}
		e.do("ops", "PATCH", env, map[string]any{"customer_sees": map[string]any{"availability": true}}).want(t, http.StatusOK, nil)
		got := list[probeJSON](t, e.do("alice", "GET", env+"/probes", nil))
		if len(got) != 1 || got[0].URL != "" || got[0].BodyContains != "" || got[0].Incident != "" || got[0].State != "down" {
			t.Errorf("alice lists %+v", got)
		}
		r = e.do("alice", "GET", path, nil).want(t, http.StatusOK, nil)
		if s := string(r.body); strings.Contains(s, "acme.example/login") || strings.Contains(s, "Sign in") {
			t.Errorf("alice reads the URL or body check: %s", s)
		}
		e.do("alice", "GET", path+"/results", nil).want(t, http.StatusOK, &page)
		e.do("alice", "GET", env+"/availability", nil).want(t, http.StatusOK, &av)
		if len(page.Items) != 5 || av.Probe != nil || av.Periods[0].Checks != 5 {
			t.Errorf("alice reads %d results, availability %+v", len(page.Items), av)
		}
		e.do("alice", "PATCH", path, map[string]any{"url": "https://alice.example"}).problem(t, http.StatusForbidden, "")
		if ps, err := db.ListProbes(system, e.acmeProd.ID); err != nil || ps[0].URL != "https://acme.example/login" {
			t.Errorf("the probe changed: %v %+v", err, ps)
		}
	})
}
