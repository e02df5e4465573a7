package api_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// envSeed are the paths of records of ACME's production environment, for the isolation test.
type envSeed struct {
	env, server, deployment, maintenance, grant string
}

// seedEnvironment gives ACME's production a server, a planned deployment, a maintenance window
// and an access grant held by Nina, everything hidden from the customer (the default).
func (e *env) seedEnvironment() envSeed {
	e.t.Helper()
	id := e.acmeProd.ID
	s := &opsdesk.Server{EnvironmentID: id, Hostname: "acme-secret-db1", Role: opsdesk.ServerDatabase}
	must(e.t, e.db.CreateServer(system, s))
	d := &opsdesk.Deployment{EnvironmentID: id, Component: "app", ToVersion: "9.9.9", Outcome: opsdesk.DeployPlanned}
	must(e.t, e.db.RecordDeployment(system, d))
	now := e.db.Now()
	w := &opsdesk.MaintenanceWindow{EnvironmentID: id, Title: "Upgrade", StartsAt: now.Add(time.Hour), EndsAt: now.Add(2 * time.Hour)}
	must(e.t, e.db.CreateMaintenance(system, w))
	g := &opsdesk.AccessGrant{EnvironmentID: id, UserID: e.users["n1"].ID, Kind: opsdesk.AccessSSH, Reason: "incident",
		ExpiresAt: now.Add(time.Hour)}
	must(e.t, e.db.GrantAccess(system, g))
	p := "/api/v1/environments/" + strconv.FormatInt(id, 10)
	return envSeed{env: p, server: p + "/servers/" + strconv.FormatInt(s.ID, 10),
		deployment: p + "/deployments/" + strconv.FormatInt(d.ID, 10), maintenance: p + "/maintenance/" + strconv.FormatInt(w.ID, 10),
		grant: "/api/v1/access/" + strconv.FormatInt(g.ID, 10)}
}

// stamp writes an instant as the API reads it.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type envJSON struct {
	ID           int64           `json:"id"`
	Customer     string          `json:"customer"`
	Kind         string          `json:"kind"`
	Name         string          `json:"name"`
	URL          string          `json:"url"`
	Status       string          `json:"status"`
	Notes        string          `json:"notes"`
	CustomerSees map[string]bool `json:"customer_sees"`
}

type deploymentJSON struct {
	ID              int64   `json:"id"`
	Component       string  `json:"component"`
	FromVersion     string  `json:"from_version"`
	Version         string  `json:"version"`
	Outcome         string  `json:"outcome"`
	FinishedAt      *string `json:"finished_at"`
	By              string  `json:"by"`
	Ticket          string  `json:"ticket"`
	Notes           string  `json:"notes"`
	EmergencyReason string  `json:"emergency_reason"`
}

// list decodes the items of a list answer.
func list[T any](t *testing.T, r *resp) []T {
	t.Helper()
	var out struct{ Items []T }
	r.want(t, http.StatusOK, &out)
	return out.Items
}

// TestEnvironmentAPI walks an environment's life through the API: creation and its errors,
// edits, what the customer is shown, servers, and which roles may do what.
func TestEnvironmentAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		envs := "/api/v1/customers/ACME/environments"
		body := map[string]any{"kind": "preprod", "name": "Pré-production", "url": "https://pp.acme.example", "notes": "vendor only"}
		e.do("n1", "POST", envs, body).problem(t, http.StatusForbidden, "")
		e.do("alice", "POST", envs, body).problem(t, http.StatusForbidden, "")
		var pp envJSON
		r := e.do("ops", "POST", envs, body).want(t, http.StatusCreated, &pp)
		if pp.Customer != "ACME" || pp.Kind != "preprod" || pp.Notes != "vendor only" || pp.Status != "active" ||
			len(pp.CustomerSees) != 4 || pp.CustomerSees["servers"] {
			t.Errorf("created %+v", pp)
		}
		path := "/api/v1/environments/" + strconv.FormatInt(pp.ID, 10)
		if loc := r.header.Get("Location"); loc != path {
			t.Errorf("Location = %q, want %q", loc, path)
		}
		for _, c := range []struct {
			body   any
			status int
			field  string
		}{
			{map[string]any{"kind": "staging", "name": "x"}, 422, "kind"},
			{map[string]any{"kind": "test", "name": ""}, 422, "name"},
			{map[string]any{"kind": "test", "name": "Pré-production"}, 409, "name"},
			{map[string]any{"kind": "test", "name": "x", "colour": "red"}, 400, "colour"},
			{map[string]any{"kind": "test", "name": "x", "customer_sees": map[string]any{"servers": "yes"}}, 400, "customer_sees.servers"},
		} {
			e.do("ops", "POST", envs, c.body).problem(t, c.status, c.field)
		}

		// The customer sees the environment without the vendor's notes.
		var seen envJSON
		e.do("alice", "GET", path, nil).want(t, http.StatusOK, &seen)
		if seen.Notes != "" || seen.Name != "Pré-production" {
			t.Errorf("alice sees %+v", seen)
		}
		if got := list[envJSON](t, e.do("alice", "GET", envs, nil)); len(got) != 3 || got[1].Notes != "" {
			t.Errorf("alice lists %+v", got)
		}

		// Edits: fields by managers; visibility by managers only, flag by flag.
		e.do("n1", "PATCH", path, map[string]any{"name": "PP"}).problem(t, http.StatusForbidden, "")
		e.do("n1", "PATCH", path, map[string]any{"customer_sees": map[string]any{"servers": true}}).problem(t, http.StatusForbidden, "")
		for _, body := range []map[string]any{{}, {"name": "mine now"}} { // even a patch that changes nothing
			e.do("alice", "PATCH", path, body).problem(t, http.StatusForbidden, "")
		}
		e.do("ops", "PATCH", path, map[string]any{"status": "sleeping"}).problem(t, http.StatusUnprocessableEntity, "status")
		e.do("ops", "PATCH", path, map[string]any{"url": "https://preprod.acme.example", "customer_sees": map[string]any{"servers": true, "access": true}}).
			want(t, http.StatusOK, &pp)
		if pp.URL != "https://preprod.acme.example" || pp.Name != "Pré-production" || !pp.CustomerSees["servers"] ||
			!pp.CustomerSees["access"] || pp.CustomerSees["versions"] || pp.Notes != "vendor only" {
			t.Errorf("patched %+v", pp)
		}
		e.do("ops", "PATCH", path, map[string]any{"customer_sees": map[string]any{"access": false}}).want(t, http.StatusOK, &pp)
		if !pp.CustomerSees["servers"] || pp.CustomerSees["access"] {
			t.Errorf("a partial visibility patch changed other flags: %+v", pp.CustomerSees)
		}

		// Servers: staff write them; the customer reads them when shown, without notes.
		srv := map[string]any{"hostname": "PP-App1", "role": "app", "os": "Debian", "os_version": "12", "cpu_cores": 4, "notes": "root pw in vault"}
		e.do("alice", "POST", path+"/servers", srv).problem(t, http.StatusForbidden, "")
		var s struct {
			ID       int64  `json:"id"`
			Hostname string `json:"hostname"`
			Role     string `json:"role"`
			CPUCores int    `json:"cpu_cores"`
			Notes    string `json:"notes"`
		}
		e.do("n1", "POST", path+"/servers", srv).want(t, http.StatusCreated, &s)
		if s.Hostname != "pp-app1" || s.Notes != "root pw in vault" {
			t.Errorf("server %+v", s)
		}
		e.do("n1", "POST", path+"/servers", srv).problem(t, http.StatusConflict, "hostname")
		e.do("n1", "POST", path+"/servers", map[string]any{"hostname": "x", "role": "mainframe"}).problem(t, http.StatusUnprocessableEntity, "role")
		e.do("n1", "POST", path+"/servers", map[string]any{"hostname": "x", "cpu_cores": -1}).problem(t, http.StatusUnprocessableEntity, "cpu_cores")
		sp := path + "/servers/" + strconv.FormatInt(s.ID, 10)
		e.do("n1", "PATCH", sp, map[string]any{"cpu_cores": 8}).want(t, http.StatusOK, &s)
		if s.CPUCores != 8 || s.Hostname != "pp-app1" || s.Role != "app" {
			t.Errorf("patched server %+v", s)
		}
		e.do("alice", "PATCH", sp, map[string]any{"cpu_cores": 1}).problem(t, http.StatusForbidden, "")
		e.do("alice", "DELETE", sp, nil).problem(t, http.StatusForbidden, "")
		got := e.do("alice", "GET", path+"/servers", nil).want(t, http.StatusOK, nil)
		if !strings.Contains(string(got.body), "pp-app1") || strings.Contains(string(got.body), "vault") {
			t.Errorf("alice's servers: %s", got.body)
		}
		// ACME's production shows nothing: its servers and versions are forbidden to Alice.
		prod := "/api/v1/environments/" + strconv.FormatInt(e.acmeProd.ID, 10)
		e.do("alice", "GET", prod+"/servers", nil).problem(t, http.StatusForbidden, "")
		e.do("alice", "GET", prod+"/components", nil).problem(t, http.StatusForbidden, "")
		e.do("alice", "GET", prod+"/deployments", nil).problem(t, http.StatusForbidden, "")
		e.do("alice", "GET", prod+"/access", nil).problem(t, http.StatusForbidden, "")
		e.do("n1", "DELETE", sp, nil).want(t, http.StatusNoContent, nil)
		e.do("n1", "DELETE", sp, nil).problem(t, http.StatusNotFound, "")
		if got := list[struct{ ID int64 }](t, e.do("n1", "GET", path+"/servers", nil)); len(got) != 0 {
			t.Errorf("servers after delete: %+v", got)
		}
		e.do("n1", "GET", "/api/v1/environments/999999", nil).problem(t, http.StatusNotFound, "")
		e.do("n1", "GET", "/api/v1/environments/abc", nil).problem(t, http.StatusNotFound, "")
	})
}

// TestDeploymentAPI checks the promotion path through the API, emergency deployments, advancing
// a planned one, what the customer sees of the history, and the twin check.
func TestDeploymentAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var pp envJSON
		e.do("ops", "POST", "/api/v1/customers/ACME/environments", map[string]any{"kind": "preprod", "name": "Preprod"}).
			want(t, http.StatusCreated, &pp)
		pre := "/api/v1/environments/" + strconv.FormatInt(pp.ID, 10) + "/deployments"
		prodEnv := "/api/v1/environments/" + strconv.FormatInt(e.acmeProd.ID, 10)
		prod := prodEnv + "/deployments"
		dep := map[string]any{"component": "app", "version": "4.2.0", "outcome": "success"}

		p := e.do("n1", "POST", prod, dep).problem(t, http.StatusConflict, "version")
		if !strings.Contains(p.Detail, "Preprod") {
			t.Errorf("the refusal does not name the preprod: %q", p.Detail)
		}
		var d deploymentJSON
		e.do("n1", "POST", pre, dep).want(t, http.StatusCreated, &d)
		if d.Outcome != "success" || d.FinishedAt == nil || d.By == "" {
			t.Errorf("preprod deployment %+v", d)
		}
		e.do("n1", "POST", prod, map[string]any{"component": "app", "version": "4.2.0", "ticket": "OPS-999999"}).
			problem(t, http.StatusUnprocessableEntity, "ticket")
		e.do("n1", "POST", prod, dep).want(t, http.StatusCreated, &d)
		if d.Version != "4.2.0" || d.FromVersion != "" {
			t.Errorf("prod deployment %+v", d)
		}
		for _, c := range []struct {
			body   map[string]any
			status int
			field  string
		}{
			{map[string]any{"version": "1"}, 422, "component"},
			{map[string]any{"component": "app"}, 422, "version"},
			{map[string]any{"component": "app", "version": "1", "outcome": "great"}, 422, "outcome"},
			{map[string]any{"component": "app", "version": "1", "started_at": "yesterday"}, 422, "started_at"},
			{map[string]any{"component": "app", "version": "1", "emergency_reason": "x"}, 422, "emergency_reason"}, // not prod
		} {
			e.do("ops", "POST", pre, c.body).problem(t, c.status, c.field)
		}

		// Emergency: a manager may skip preprod with a reason; an agent may not.
		emergency := map[string]any{"component": "app", "version": "5.0.0", "emergency_reason": "CVE fix", "from_version": "4.2.0"}
		e.do("n1", "POST", prod, emergency).problem(t, http.StatusForbidden, "")
		e.do("alice", "POST", prod, dep).problem(t, http.StatusForbidden, "")
		e.do("ops", "POST", prod, emergency).want(t, http.StatusCreated, &d)
		if d.EmergencyReason != "CVE fix" || d.FromVersion != "4.2.0" {
			t.Errorf("emergency deployment %+v", d)
		}

		// A planned prod deployment passes; starting it applies the promotion path.
		var planned deploymentJSON
		e.do("n1", "POST", prod, map[string]any{"component": "app", "version": "6.0.0", "outcome": "planned",
			"planned_at": "2030-01-02T03:00:00Z"}).want(t, http.StatusCreated, &planned)
		pl := prod + "/" + strconv.FormatInt(planned.ID, 10)
		e.do("n1", "PATCH", pl, map[string]any{"outcome": "success"}).problem(t, http.StatusConflict, "version")
		e.do("n1", "POST", pre, map[string]any{"component": "app", "version": "6.0.0"}).want(t, http.StatusCreated, nil)
		e.do("n1", "PATCH", pl, map[string]any{"outcome": "in_progress"}).want(t, http.StatusOK, &planned)
		e.do("n1", "PATCH", pl, map[string]any{"outcome": "rolled_back"}).want(t, http.StatusOK, &planned)
		if planned.Outcome != "rolled_back" {
			t.Errorf("advanced %+v", planned)
		}
		e.do("n1", "PATCH", pl, map[string]any{"outcome": "success"}).problem(t, http.StatusConflict, "outcome")
		e.do("n1", "PATCH", pl, map[string]any{"outcome": "planned"}).problem(t, http.StatusUnprocessableEntity, "outcome")

		// Current versions: the rolled-back 6.0.0 did not change prod.
		cs := list[struct {
			Name, Version string
			Deployment    *int64
		}](t, e.do("n1", "GET", prodEnv+"/components", nil))
		if len(cs) != 1 || cs[0].Version != "5.0.0" || cs[0].Deployment == nil {
			t.Errorf("prod components %+v", cs)
		}
		// The history pages by cursor: 3 prod deployments, 2 by 2, newest first, none twice.
		var seen []int64
		for page, cursor := 0, ""; page < 3; page++ {
			var p struct {
				Items      []deploymentJSON
				NextCursor *string `json:"next_cursor"`
			}
			e.do("n1", "GET", prod+"?limit=2&cursor="+cursor, nil).want(t, http.StatusOK, &p)
			for _, d := range p.Items {
				seen = append(seen, d.ID)
			}
			if p.NextCursor == nil {
				break
			}
			cursor = *p.NextCursor
		}
		if sorted := slices.Sorted(slices.Values(seen)); len(seen) != 3 || seen[0] != planned.ID || len(slices.Compact(sorted)) != 3 {
			t.Errorf("paged history %v (planned %d)", seen, planned.ID)
		}
		e.do("n1", "GET", prod+"?cursor=zzz", nil).problem(t, http.StatusUnprocessableEntity, "cursor")
		e.do("n1", "GET", prod+"?limit=501", nil).problem(t, http.StatusUnprocessableEntity, "limit")

		// Shown to the customer: the history without who, notes or emergency reason.
		e.do("ops", "PATCH", prodEnv, map[string]any{"customer_sees": map[string]any{"versions": true}}).want(t, http.StatusOK, nil)
		r := e.do("alice", "GET", prod, nil).want(t, http.StatusOK, nil)
		if strings.Contains(string(r.body), "CVE fix") || strings.Contains(string(r.body), `"by"`) || !strings.Contains(string(r.body), "5.0.0") {
			t.Errorf("alice's history: %s", r.body)
		}

		// Twin check: preprod has 6.0.0, prod 5.0.0.
		var tc struct {
			Customer    string
			Twins       bool
			Differences []struct {
				Kind, Subject, Preprod, Prod string
				PreprodName                  string `json:"preprod_name"`
				PreprodID                    *int64 `json:"preprod_id"`
				ProdID                       *int64 `json:"prod_id"`
			}
		}
		e.do("n1", "GET", "/api/v1/customers/ACME/twin-check", nil).want(t, http.StatusOK, &tc)
		if tc.Customer != "ACME" || tc.Twins || len(tc.Differences) != 1 {
			t.Fatalf("twin check %+v", tc)
		}
		if d := tc.Differences[0]; d.Kind != "component_version" || d.Subject != "app" || d.Preprod != "6.0.0" || d.Prod != "5.0.0" ||
			d.PreprodName != "Preprod" || d.PreprodID == nil || *d.PreprodID != pp.ID || d.ProdID == nil || *d.ProdID != e.acmeProd.ID {
			t.Errorf("twin diff %+v", d)
		}
		r = e.do("n1", "GET", "/api/v1/customers/ACME/twin-check", nil)
		if !strings.Contains(string(r.body), `"preprod_name":"Preprod"`) || !strings.Contains(string(r.body), `"prod_id":`) {
			t.Errorf("twin check JSON: %s", r.body)
		}
		e.do("alice", "GET", "/api/v1/customers/ACME/twin-check", nil).problem(t, http.StatusForbidden, "")
		var twins struct {
			Twins       bool
			Differences []any
		}
		e.do("n1", "GET", "/api/v1/customers/GLOBEX/twin-check", nil).want(t, http.StatusOK, &twins)
		if !twins.Twins || twins.Differences == nil || len(twins.Differences) != 0 {
			t.Errorf("GLOBEX (no preprod) twin check %+v", twins)
		}
	})
}

// TestAccessAndMaintenanceAPI checks access grants (who grants, revocation, the expired list)
// and maintenance windows.
func TestAccessAndMaintenanceAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		prodEnv := "/api/v1/environments/" + strconv.FormatInt(e.acmeProd.ID, 10)
		now := db.Now()
		grant := map[string]any{"user": "n2@vendor.example", "kind": "ssh", "reason": "incident OPS-1", "expires_at": stamp(now.Add(time.Hour))}
		e.do("n1", "POST", prodEnv+"/access", grant).problem(t, http.StatusForbidden, "")
		e.do("alice", "POST", prodEnv+"/access", grant).problem(t, http.StatusForbidden, "")
		for _, c := range []struct {
			change map[string]any
			status int
			field  string
		}{
			{map[string]any{"user": "alice@acme.example"}, 422, "user"},
			{map[string]any{"user": "nobody@vendor.example"}, 422, "user"},
			{map[string]any{"kind": "root"}, 422, "kind"},
			{map[string]any{"expires_at": stamp(now.Add(-time.Hour))}, 422, "expires_at"},
			{map[string]any{"expires_at": "tomorrow"}, 422, "expires_at"},
			{map[string]any{"reason": ""}, 422, "reason"},
		} {
			b := map[string]any{}
			for k, v := range grant {
				b[k] = v
			}
			for k, v := range c.change {
				b[k] = v
			}
			e.do("ops", "POST", prodEnv+"/access", b).problem(t, c.status, c.field)
		}
		type grantJSON struct {
			ID        int64
			User      string
			Kind      string
			Reason    string
			GrantedBy string  `json:"granted_by"`
			RevokedAt *string `json:"revoked_at"`
			Active    bool
		}
		var g grantJSON
		e.do("ops", "POST", prodEnv+"/access", grant).want(t, http.StatusCreated, &g)
		if g.User != "n2@vendor.example" || !g.Active || g.Reason != "incident OPS-1" || g.GrantedBy == "" {
			t.Errorf("grant %+v", g)
		}
		if held := list[grantJSON](t, e.do("n1", "GET", prodEnv+"/access", nil)); len(held) != 1 || held[0].ID != g.ID {
			t.Errorf("held %+v", held)
		}
		e.do("n1", "GET", prodEnv+"/access?all=maybe", nil).problem(t, http.StatusUnprocessableEntity, "all")

		// The revocation list: staff only, the grant appears once its expiry has passed.
		expired := "/api/v1/access/expired"
		if got := list[grantJSON](t, e.do("n1", "GET", expired, nil)); len(got) != 0 {
			t.Errorf("expired now: %+v", got)
		}
		later := expired + "?at=" + stamp(now.Add(2*time.Hour))
		if got := list[grantJSON](t, e.do("n1", "GET", later, nil)); len(got) != 1 || got[0].ID != g.ID || got[0].Active {
			t.Errorf("expired in 2 h: %+v", got)
		}
		e.do("alice", "GET", later, nil).problem(t, http.StatusForbidden, "")
		e.do("n1", "GET", expired+"?at=soon", nil).problem(t, http.StatusUnprocessableEntity, "at")

		// Shown to the customer: without the reason.
		e.do("ops", "PATCH", prodEnv, map[string]any{"customer_sees": map[string]any{"access": true}}).want(t, http.StatusOK, nil)
		if r := e.do("alice", "GET", prodEnv+"/access", nil).want(t, http.StatusOK, nil); strings.Contains(string(r.body), "OPS-1") ||
			!strings.Contains(string(r.body), "n2@vendor.example") {
			t.Errorf("alice's access list: %s", r.body)
		}
		rv := "/api/v1/access/" + strconv.FormatInt(g.ID, 10) + "/revoke"
		e.do("alice", "POST", rv, map[string]any{"reason": "mine"}).problem(t, http.StatusForbidden, "")
		e.do("n2", "POST", rv, map[string]any{"reason": "done"}).want(t, http.StatusOK, &g)
		if g.RevokedAt == nil || g.Active {
			t.Errorf("revoked %+v", g)
		}
		e.do("n2", "POST", rv, map[string]any{}).problem(t, http.StatusConflict, "revoked_at")
		e.do("n2", "POST", "/api/v1/access/999999/revoke", map[string]any{}).problem(t, http.StatusNotFound, "")
		if got := list[grantJSON](t, e.do("n1", "GET", later, nil)); len(got) != 0 {
			t.Errorf("a revoked grant is still to revoke: %+v", got)
		}
		if all := list[grantJSON](t, e.do("n1", "GET", prodEnv+"/access?all=true", nil)); len(all) != 1 {
			t.Errorf("history %+v", all)
		}

		// Maintenance windows: staff plan them; the customer reads them, without who planned.
		mw := prodEnv + "/maintenance"
		win := map[string]any{"title": "Kernel upgrade", "starts_at": stamp(now.Add(24 * time.Hour)), "ends_at": stamp(now.Add(26 * time.Hour))}
		e.do("alice", "POST", mw, win).problem(t, http.StatusForbidden, "")
		e.do("n1", "POST", mw, map[string]any{"title": "x", "starts_at": stamp(now.Add(time.Hour)), "ends_at": stamp(now)}).
			problem(t, http.StatusUnprocessableEntity, "ends_at")
		e.do("n1", "POST", mw, map[string]any{"title": "x", "starts_at": "", "ends_at": stamp(now)}).
			problem(t, http.StatusUnprocessableEntity, "starts_at")
		var m struct {
			ID        int64
			Title     string
			CreatedBy string `json:"created_by"`
			StartsAt  string `json:"starts_at"`
		}
		e.do("n1", "POST", mw, win).want(t, http.StatusCreated, &m)
		if m.CreatedBy == "" || m.Title != "Kernel upgrade" {
			t.Errorf("window %+v", m)
		}
		r := e.do("alice", "GET", mw, nil).want(t, http.StatusOK, nil)
		if !strings.Contains(string(r.body), "Kernel upgrade") || strings.Contains(string(r.body), "created_by") {
			t.Errorf("alice's windows: %s", r.body)
		}
		wp := mw + "/" + strconv.FormatInt(m.ID, 10)
		e.do("alice", "PATCH", wp, map[string]any{"title": "y"}).problem(t, http.StatusForbidden, "")
		e.do("n1", "PATCH", wp, map[string]any{"title": "Kernel and libc"}).want(t, http.StatusOK, &m)
		if m.Title != "Kernel and libc" || m.StartsAt != stamp(now.Add(24 * time.Hour))[:19]+".000Z" {
			t.Errorf("patched window %+v", m)
		}
		e.do("n1", "PATCH", wp, map[string]any{"ends_at": "2000-01-01T00:00:00Z"}).problem(t, http.StatusUnprocessableEntity, "ends_at")
		e.do("alice", "DELETE", wp, nil).problem(t, http.StatusForbidden, "")
		e.do("n1", "DELETE", wp, nil).want(t, http.StatusNoContent, nil)
		if got := list[struct{ ID int64 }](t, e.do("n1", "GET", mw, nil)); len(got) != 0 {
			t.Errorf("windows after delete: %+v", got)
		}
	})
}
