package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// probeNamed reads a probe of environment envID by name, as staff.
func probeNamed(t *testing.T, db *store.DB, f *envSite, envID int64, name string) *opsdesk.Probe {
	t.Helper()
	ps, err := db.ListProbes(as(f.ops), envID)
	must(t, err)
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no probe %q on environment %d", name, envID)
	return nil
}

// TestEnvProbeForms adds, edits, disables probes through the environment page's forms as an ops
// manager, with field errors and the input kept on failure; agents see the probes with their
// state but do not configure them; customers neither see the section nor post to it.
func TestEnvProbeForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ws := startSite(t, db)
		agent, ops := ws.client(), ws.client()
		agent.login(f.agent.Email, password)
		ops.login(f.ops.Email, password)
		page, action := envPath(f.acmeEnv), envPath(f.acmeEnv)+"/probes"

		// The agent sees the fixture's probe, up, and no add form.
		p := agent.get(page).want(t, http.StatusOK)
		p.wantText(t, "probe-"+itoa(f.probe.ID), "Home", "https://acme.example/health", "GET", "60 s", "Up")
		if byID(p.doc, "probe-form") != nil {
			t.Error("the agent is offered the add form")
		}
		agent.post(action, url.Values{"csrf": {agent.csrf()}, "name": {"Agent's"}, "url": {"https://acme.example"}}).
			want(t, http.StatusForbidden)

		// Field errors, with the input kept.
		p = ops.submit(page, action, url.Values{"name": {"Login"}, "url": {"ftp://acme.example"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "probe-url-error", "http or https")
		if got := attr(byID(p.doc, "probe-name"), "value"); got != "Login" {
			t.Errorf("name after the error = %q", got)
		}
		if !hasAttr(byID(p.doc, "probe-form"), "open") {
			t.Error("the failed add form is closed")
		}
		for _, c := range []struct {
			values url.Values
			status int
			id     string
			want   string
		}{
			{url.Values{"name": {"Login"}, "url": {"https://acme.example"}, "interval_seconds": {"often"}}, 422, "probe-interval_seconds-error", "whole number"},
			{url.Values{"name": {"Login"}, "url": {"https://acme.example"}, "interval_seconds": {"10"}, "timeout_seconds": {"20"}}, 422, "probe-timeout_seconds-error", "interval"},
			{url.Values{"name": {"Login"}, "url": {"https://acme.example"}, "threshold": {"0"}}, 422, "probe-threshold-error", "positive"},
			{url.Values{"name": {""}, "url": {"https://acme.example"}}, 422, "probe-name-error", "required"},
			{url.Values{"name": {"Home"}, "url": {"https://acme.example"}}, 409, "probe-name-error", "Home"},
		} {
			ops.submit(page, action, c.values).want(t, c.status).wantText(t, c.id, c.want)
		}
		if n := len(mustProbes(t, db, f)); n != 1 {
			t.Fatalf("%d probes after refused forms, want 1", n)
		}

		// A probe added with the form's defaults, listed as not checked yet.
		p = ops.submit(page, action, url.Values{"name": {"Login"}, "url": {"https://acme.example/login"}, "body_contains": {"Sign in"},
			"severity": {"major"}}).want(t, http.StatusSeeOther)
		after := ops.follow(p)
		after.wantText(t, "main", "Probe added")
		login := probeNamed(t, db, f, f.acmeEnv.ID, "Login")
		after.wantText(t, "probe-"+itoa(login.ID), "Login", "https://acme.example/login", "Not checked yet")
		if !login.Enabled || login.Interval != time.Minute || login.Threshold != 3 || login.Severity != "major" || login.BodyContains != "Sign in" {
			t.Errorf("added %+v", login)
		}

		// Edit on the probe's page, then disable from the list.
		edit := page + "/probes/" + itoa(login.ID)
		ops.submit(edit, edit, url.Values{"threshold": {"-2"}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "probe-threshold-error", "positive")
		p = ops.submit(edit, edit, url.Values{"url": {"https://acme.example/sign-in"}, "interval_seconds": {"120"}}).want(t, http.StatusSeeOther)
		ops.follow(p).wantText(t, "probe-"+itoa(login.ID), "https://acme.example/sign-in", "120 s")
		p = ops.submit(page, edit+"/enabled", nil).want(t, http.StatusSeeOther)
		ops.follow(p).wantText(t, "probe-"+itoa(login.ID), "Disabled")
		if got := probeNamed(t, db, f, f.acmeEnv.ID, "Login"); got.Enabled || got.Interval != 2*time.Minute || got.Severity != "major" {
			t.Errorf("after edit and disable %+v", got)
		}
		agent.get(edit).want(t, http.StatusForbidden)
		agent.post(edit+"/enabled", url.Values{"csrf": {agent.csrf()}, "enabled": {"true"}}).want(t, http.StatusForbidden)

		// A probe that fails past its threshold shows down, with a link to its incident.
		gate := &opsdesk.Probe{EnvironmentID: f.acmeEnv.ID, Name: "Gateway", URL: "https://gw.acme.example", Threshold: 1, Enabled: true}
		must(t, db.CreateProbe(as(f.ops), gate))
		recordProbe(t, db, gate.ID, f.now.Add(-2*time.Hour), false, 900)
		p = agent.get(page).want(t, http.StatusOK)
		p.wantText(t, "probe-"+itoa(gate.ID), "Down since", "1 in a row")
		var incident string
		for _, a := range byTag(byID(p.doc, "probe-"+itoa(gate.ID)), "a") {
			if href := attr(a, "href"); strings.HasPrefix(href, "/tickets/") {
				incident = href
			}
		}
		if incident == "" {
			t.Fatal("the down probe has no incident link")
		}
		agent.get(incident).want(t, http.StatusOK).wantText(t, "main", "Gateway")

		// A probe of another environment is not found under this one.
		globex := &opsdesk.Probe{EnvironmentID: f.globexEnv.ID, Name: "Secret", URL: "https://globex.example", Enabled: true}
		must(t, db.CreateProbe(as(f.ops), globex))
		ops.get(page+"/probes/"+itoa(globex.ID)).want(t, http.StatusNotFound)
		ops.post(page+"/probes/"+itoa(globex.ID)+"/enabled", url.Values{"csrf": {ops.csrf()}, "enabled": {"false"}}).want(t, http.StatusNotFound)

		// Customers: no section, no URL, no write — their own environment or another's.
		alice, bob := ws.client(), ws.client()
		alice.login(f.alice.Email, password)
		bob.login(f.bob.Email, password)
		mine := alice.get(page).want(t, http.StatusOK)
		if byID(mine.doc, "probes") != nil || strings.Contains(string(mine.body), "acme.example/health") {
			t.Error("the customer sees the probes section or a probe's URL")
		}
		alice.post(action, url.Values{"csrf": {alice.csrf()}, "name": {"Mine"}, "url": {"https://acme.example"}}).want(t, http.StatusForbidden)
		alice.get(edit).want(t, http.StatusForbidden)
		bob.get(page).want(t, http.StatusNotFound)
		bob.post(action, url.Values{"csrf": {bob.csrf()}, "name": {"Mine"}, "url": {"https://acme.example"}}).want(t, http.StatusForbidden)
		if got := probeNamed(t, db, f, f.acmeEnv.ID, "Login"); got.Enabled || got.URL != "https://acme.example/sign-in" {
			t.Errorf("the probe changed: %+v", got)
		}
		if n := len(mustProbes(t, db, f)); n != 3 {
			t.Errorf("%d probes on ACME's prod, want 3", n)
		}
	})
}

func mustProbes(t *testing.T, db *store.DB, f *envSite) []*opsdesk.Probe {
	t.Helper()
	ps, err := db.ListProbes(as(f.ops), f.acmeEnv.ID)
	must(t, err)
	return ps
}
