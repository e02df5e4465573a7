package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// demoSite is a running `opsdesk demo` and the means to read it as the ops manager it printed.
type demoSite struct {
	t      *testing.T
	base   string
	token  string // API token of the ops manager
	cookie string // web session of the ops manager
}

var demoLoginRE = regexp.MustCompile(`ops manager\s+(\S+@\S+)\s+(\S+)`)

// startDemo runs the demo in-process — `opsdesk demo --data DIR --addr 127.0.0.1:0` on SQLite,
// `opsdesk serve --demo` on a fresh PostgreSQL schema — and signs in with the ops manager's
// printed login.
func startDemo(t *testing.T, d store.Dialect) *demoSite {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	dsn := filepath.Join(dir, "opsdesk.db")
	args, vars := []string{"demo", "--data", dir, "--addr", "127.0.0.1:0"}, map[string]string{}
	if d == store.Postgres {
		dsn = storetest.DSN(t, d)
		args, vars = []string{"serve", "--demo"}, map[string]string{"OPSDESK_DATABASE_URL": dsn, "OPSDESK_DATA_DIR": dir,
			"OPSDESK_LISTEN": "127.0.0.1:0"}
	}
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, testEnv(vars), strings.NewReader(""), out, errb) }()
	t.Cleanup(func() { cancel(); <-done })
	s := &demoSite{t: t}
	for deadline := time.Now().Add(90 * time.Second); s.base == ""; time.Sleep(20 * time.Millisecond) {
		if m := listenRE.FindStringSubmatch(out.String()); m != nil {
			s.base = m[1]
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("demo ended: %v\n%s\n%s", err, out, errb)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo did not listen: %s %s", out, errb)
		}
	}
	m := demoLoginRE.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no ops manager login printed:\n%s", out)
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sys := opsdesk.WithActor(context.Background(), opsdesk.System("test"))
	ops, err := db.Authenticate(sys, m[1], m[2])
	if err != nil {
		t.Fatalf("the printed login %s does not sign in: %v", m[1], err)
	}
	if s.token, _, err = db.CreateAPIToken(sys, ops.ID, "demo test", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if s.cookie, _, err = db.CreateSession(sys, ops.ID, time.Hour, "test", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	return s
}

// get reads path: the API with the token, a page with the session cookie. It fails the test on
// a status other than 200.
func (s *demoSite) get(path string) *http.Response {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.base+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+s.token)
	} else {
		req.AddCookie(&http.Cookie{Name: "opsdesk_session", Value: s.cookie})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		s.t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return resp
}

// api decodes the JSON answer of an API path into v.
func (s *demoSite) api(path string, v any) {
	s.t.Helper()
	resp := s.get("/api/v1" + path)
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
}

// csv reads a dashboard table as CSV: its rows by first cell.
func (s *demoSite) csv(path string) map[string][]string {
	s.t.Helper()
	resp := s.get(path)
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	out := map[string][]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r[1:]
	}
	return out
}

type apiTarget struct{ Met, Breached int }

type apiIndicators struct {
	TicketsCreated  int      `json:"tickets_created"`
	TicketsResolved int      `json:"tickets_resolved"`
	Backlog         int      `json:"backlog"`
	CSATAverage     *float64 `json:"csat_average"`
	Deflections     int      `json:"kb_deflections"`
	ProjectsOnTime  struct {
		Den int `json:"den"`
	} `json:"projects_on_time"`
	SLA struct {
		TakeCharge apiTarget `json:"take_charge"`
		Resolve    apiTarget `json:"resolve"`
	} `json:"sla_compliance"`
}

// TestDemo runs `opsdesk demo` on a temporary directory and checks, through the API, that every
// kind of object the demo promises exists, and that the dashboard's figures over the 90 days are
// non-zero and the same as the API's.
func TestDemo(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testDemo(t, startDemo(t, d)) })
	}
}

func testDemo(t *testing.T, s *demoSite) {
	// The dashboard's custom period: whole UTC days, the last one included.
	last := time.Now().UTC()
	first := last.AddDate(0, 0, -90)
	var got apiIndicators
	s.api("/indicators?from="+first.Format(time.DateOnly)+"&to="+last.AddDate(0, 0, 1).Format(time.DateOnly), &got)
	if got.TicketsCreated == 0 || got.TicketsResolved == 0 || got.Backlog == 0 || got.CSATAverage == nil ||
		got.SLA.TakeCharge.Met == 0 || got.SLA.TakeCharge.Breached == 0 || got.SLA.Resolve.Met == 0 ||
		got.Deflections == 0 || got.ProjectsOnTime.Den == 0 {
		t.Errorf("indicators over 90 days = %+v: want every figure non-zero", got)
	}
	q := "&period=custom&from=" + first.Format(time.DateOnly) + "&to=" + last.Format(time.DateOnly)
	volume, backlog := s.csv("/dashboard.csv?table=volume"+q), s.csv("/dashboard.csv?table=backlog"+q)
	slaRows, sat := s.csv("/dashboard.csv?table=sla"+q), s.csv("/dashboard.csv?table=satisfaction"+q)
	knowledge, projects := s.csv("/dashboard.csv?table=knowledge"+q), s.csv("/dashboard.csv?table=projects"+q)
	for _, c := range []struct {
		name      string
		dashboard string
		api       int
	}{
		{"tickets created", volume["tickets_created"][0], got.TicketsCreated},
		{"tickets resolved", volume["tickets_resolved"][0], got.TicketsResolved},
		{"backlog", backlog["backlog"][0], got.Backlog},
		{"take charge met", slaRows["take_charge"][0], got.SLA.TakeCharge.Met},
		{"take charge counted", slaRows["take_charge"][1], got.SLA.TakeCharge.Met + got.SLA.TakeCharge.Breached},
		{"resolve met", slaRows["resolve"][0], got.SLA.Resolve.Met},
		{"deflections", knowledge["kb_deflections"][0], got.Deflections},
		{"projects counted", projects["projects_on_time"][1], got.ProjectsOnTime.Den},
	} {
		if c.dashboard != strconv.Itoa(c.api) {
			t.Errorf("%s: dashboard %s, API %d", c.name, c.dashboard, c.api)
		}
	}
	// The articles that solved tickets are named by their titles (read in one go), not by the
	// "#id" the table falls back to.
	solving := s.csv("/dashboard.csv?table=articles" + q)
	if len(solving) == 0 {
		t.Error("the dashboard lists no article that solved a ticket")
	}
	for id, row := range solving {
		if len(row) < 2 || strings.TrimSpace(row[0]) == "" || row[0] == "#"+id || row[1] == "0" {
			t.Errorf("solving article %s: row %q, want its title and its tickets", id, row)
		}
	}
	for k, row := range sat {
		if avg, err := strconv.ParseFloat(k, 64); err != nil || got.CSATAverage == nil || abs(avg-*got.CSATAverage) > 0.01 {
			t.Errorf("satisfaction: dashboard %q %v, API %v", k, row, got.CSATAverage)
		}
	}
	var plan struct {
		Items []struct{ Kind string } `json:"items"`
	}
	s.api("/plan", &plan)
	planKinds := map[string]int{}
	for _, it := range plan.Items {
		planKinds[it.Kind]++
	}
	if planKinds["ticket"] == 0 || planKinds["task"] == 0 || planKinds["preventive"] == 0 {
		t.Errorf("the plan holds %v: want tickets, project tasks and preventive work", planKinds)
	}
	// The staff's pages render, each with the demo banner.
	for _, path := range []string{"/dashboard", "/plan", "/tickets", "/problems", "/projects", "/actions", "/kb", "/preventive"} {
		resp := s.get(path)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !strings.Contains(string(body), `class="demo-banner"`) {
			t.Errorf("%s: no demo banner (%v)", path, err)
		}
	}
	checkDemoPeople(t, s)
	checkDemoTickets(t, s)
	checkDemoAround(t, s)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// TestDemoRefuses checks that the demo never lands on data: `demo --data` on a non-empty
// directory and `serve --demo` on a database that has users are refused, with a clear message.
func TestDemoRefuses(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, map[string]string{}, "", "demo", "--data", full)
	var u usageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("demo on a non-empty directory: %v, want a usage error saying it is not empty", err)
	}
	vars := map[string]string{"OPSDESK_DATA_DIR": t.TempDir(), "OPSDESK_LISTEN": "127.0.0.1:0"}
	if _, _, err := runCmd(t, vars, "", "user", "create", "--email", "root@vendor.example", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCmd(t, vars, "", "serve", "--demo")
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "needs an empty database") {
		t.Errorf("serve --demo on a database with users: %v, want a usage error", err)
	}
}
