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

// TestEnvServerForms adds, edits and deletes a server through the page's forms, with the
// field errors and the input kept on failure.
func TestEnvServerForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(f.agent.Email, password)
		page, action := envPath(f.acmeEnv), envPath(f.acmeEnv)+"/servers"

		p := agent.submit(page, action, url.Values{"hostname": {""}, "os": {"Debian"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "server-hostname-error", "required")
		if got := attr(byID(p.doc, "server-os"), "value"); got != "Debian" {
			t.Errorf("os after the error = %q", got)
		}
		p = agent.submit(page, action, url.Values{"hostname": {"db1"}, "cpu_cores": {"many"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "server-cpu_cores-error", "whole number")
		p = agent.submit(page, action, url.Values{"hostname": {"APP1.acme.internal"}}).want(t, http.StatusConflict)
		if p.text("server-hostname-error") == "" {
			t.Error("a taken host name shows no message on the field")
		}
		p = agent.submit(page, action, url.Values{"hostname": {"db1.acme.internal"}, "role": {"database"}, "os": {"Debian"},
			"os_version": {"12.5"}, "memory_mb": {"65536"}}).want(t, http.StatusSeeOther)
		agent.follow(p).wantText(t, "servers-table", "db1.acme.internal", "Database", "65536")

		// Edit and delete on the server's page.
		edit := envPath(f.acmeEnv) + "/servers/" + itoa(f.server.ID)
		p = agent.submit(edit, edit, url.Values{"role": {"mainframe"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "server-role-error", "must be one of")
		p = agent.submit(edit, edit, url.Values{"os_version": {"13.1"}}).want(t, http.StatusSeeOther)
		agent.follow(p).wantText(t, "servers-table", "Debian 13.1")
		p = agent.submit(edit, edit+"/delete", nil).want(t, http.StatusSeeOther)
		after := agent.follow(p)
		after.wantText(t, "main", "Server deleted.")
		if strings.Contains(after.text("servers"), "app1.acme.internal") {
			t.Error("the deleted server is still listed")
		}
		// A server of another environment is not found under this one.
		other := &opsdesk.Server{EnvironmentID: f.globexEnv.ID, Hostname: "globex1"}
		must(t, db.CreateServer(as(f.agent), other))
		agent.get(envPath(f.acmeEnv)+"/servers/"+itoa(other.ID)).want(t, http.StatusNotFound)
		agent.post(envPath(f.acmeEnv)+"/servers/"+itoa(other.ID)+"/delete", url.Values{"csrf": {agent.csrf()}}).want(t, http.StatusNotFound)
	})
}

// TestEnvDeploymentForms records deployments: the promotion path's refusal names the preprod on
// the version field, an ops manager's emergency reason passes it, an agent's is refused, and a
// planned deployment is advanced once.
func TestEnvDeploymentForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ws := startSite(t, db)
		agent, ops := ws.client(), ws.client()
		agent.login(f.agent.Email, password)
		ops.login(f.ops.Email, password)
		page, action := envPath(f.acmeEnv), envPath(f.acmeEnv)+"/deployments"

		p := agent.submit(page, action, url.Values{"component": {"app"}, "version": {"4.3.0"}}).want(t, http.StatusConflict)
		p.wantText(t, "deploy-version-error", "acme-preprod")
		if got := attr(byID(p.doc, "deploy-version"), "value"); got != "4.3.0" {
			t.Errorf("version after the refusal = %q", got)
		}
		p = agent.submit(page, action, url.Values{"component": {""}, "version": {"4.3.0"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "deploy-component-error", "required")
		p = agent.submit(page, action, url.Values{"component": {"app"}, "version": {"4.3.0"}, "started_at": {"yesterday"}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "deploy-started_at-error", "date and time")
		// An agent cannot give an emergency reason (the field is not even shown).
		agent.post(action, url.Values{"csrf": {agent.csrf()}, "component": {"app"}, "version": {"4.3.0"}, "emergency_reason": {"outage"}}).
			want(t, http.StatusForbidden)

		// The promoted version goes through; an ops manager's emergency passes an unpromoted one.
		p = agent.submit(page, action, url.Values{"component": {"app"}, "version": {"4.2.0"}, "ticket": {f.acmeReqKey(t, db)},
			"started_at": {f.now.Add(-time.Hour).Format("2006-01-02T15:04")}}).want(t, http.StatusSeeOther)
		agent.follow(p).wantText(t, "versions", "4.2.0")
		p = ops.submit(page, action, url.Values{"component": {"app"}, "version": {"4.2.1"}, "emergency_reason": {"security fix CVE-1"}}).
			want(t, http.StatusSeeOther)
		got := ops.follow(p)
		got.wantText(t, "versions", "4.2.1")
		got.wantText(t, "deployments", "Emergency", "security fix CVE-1")

		// The planned deployment moves on, once to a final outcome; again is a conflict shown on
		// its entry of the timeline.
		adv := envPath(f.acmeEnv) + "/deployments/" + itoa(f.planned.ID) + "/advance"
		entry := "deployment-" + itoa(f.planned.ID)
		p = agent.submit(page, adv, url.Values{"outcome": {"planned"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, entry, "must be in_progress")
		p = agent.submit(page, adv, url.Values{"outcome": {"in_progress"}}).want(t, http.StatusSeeOther)
		agent.follow(p).wantText(t, entry, "In progress")
		p = agent.submit(page, adv, url.Values{"outcome": {"rolled_back"}}).want(t, http.StatusSeeOther)
		agent.follow(p).wantText(t, entry, "Rolled back")
		agent.post(adv, url.Values{"csrf": {agent.csrf()}, "outcome": {"success"}}).want(t, http.StatusConflict).
			wantText(t, entry, "already rolled_back")
		if cs, err := db.ListComponents(as(f.agent), f.acmeEnv.ID); err != nil || len(cs) != 1 || cs[0].Version != "4.2.1" {
			t.Errorf("components after a rollback: %v, %v", cs, err)
		}
		// French labels on the form.
		agent.header.Set("Accept-Language", "fr")
		agent.get(page).wantText(t, "deploy-form", "Enregistrer un déploiement", "Composant", "Version de départ")
	})
}

// acmeReqKey files a request of ACME and returns its key, for a deployment's linked ticket.
func (f *envSite) acmeReqKey(t *testing.T, db *store.DB) string {
	t.Helper()
	return fileTicket(t, db, f.alice, opsdesk.NewTicket{EnvironmentID: f.acmeEnv.ID, Severity: "minor", Category: "application",
		Subject: "Upgrade to 4.2", Description: "Please upgrade."}).Key
}

// TestEnvAccessForms grants and revokes access, and empties the list of expired grants.
func TestEnvAccessForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ws := startSite(t, db)
		agent, ops := ws.client(), ws.client()
		agent.login(f.agent.Email, password)
		ops.login(f.ops.Email, password)
		page, action := envPath(f.acmeEnv), envPath(f.acmeEnv)+"/access"
		later := f.now.Add(30 * 24 * time.Hour).Format("2006-01-02T15:04")

		p := ops.submit(page, action, url.Values{"user": {itoa(f.ops.ID)}, "kind": {"vpn"}, "reason": {""}, "expires_at": {later}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "grant-reason-error", "required")
		p = ops.submit(page, action, url.Values{"user": {itoa(f.ops.ID)}, "kind": {"vpn"}, "reason": {"audit"},
			"expires_at": {f.now.Add(-time.Hour).Format("2006-01-02T15:04")}}).want(t, http.StatusUnprocessableEntity)
		if p.text("grant-expires_at-error") == "" {
			t.Error("an expiry in the past shows no message on the field")
		}
		p = ops.submit(page, action, url.Values{"user": {""}, "kind": {"vpn"}, "reason": {"audit"}, "expires_at": {later}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "grant-user-error", "required")
		p = ops.submit(page, action, url.Values{"user": {itoa(f.ops.ID)}, "kind": {"vpn"}, "reason": {"yearly audit"}, "expires_at": {later}}).
			want(t, http.StatusSeeOther)
		ops.follow(p).wantText(t, "grants", "ops@vendor.example", "VPN", "yearly audit")
		// An agent may not grant.
		agent.post(action, url.Values{"csrf": {agent.csrf()}, "user": {itoa(f.agent.ID)}, "kind": {"vpn"}, "reason": {"x"}, "expires_at": {later}}).
			want(t, http.StatusForbidden)

		// A grant given two days ago expired an hour ago: the list shows it, and revoking from it
		// comes back to it.
		ops.get("/environments/access/expired").want(t, http.StatusOK).wantText(t, "main", "No expired access")
		past, now := f.now.Add(-48*time.Hour), f.now
		db.Now = func() time.Time { return past }
		old := &opsdesk.AccessGrant{EnvironmentID: f.acmeEnv.ID, UserID: f.agent.ID, Kind: opsdesk.AccessDatabase,
			Reason: "data fix", ExpiresAt: now.Add(-time.Hour)}
		must(t, db.GrantAccess(as(f.ops), old))
		db.Now = func() time.Time { return now }
		list := agent.get("/environments/access/expired").want(t, http.StatusOK)
		list.wantText(t, "expired", "ACME", "acme-prod", "n1@vendor.example", "Database")
		if strings.Contains(list.text("expired"), "SSH") {
			t.Error("a grant still held is listed as expired")
		}
		revoke := envPath(f.acmeEnv) + "/access/" + itoa(old.ID) + "/revoke"
		p = agent.submit("/environments/access/expired", revoke, nil).want(t, http.StatusSeeOther)
		if p.location() != "/environments/access/expired?done=env_access_revoked" {
			t.Errorf("revoke from the list goes to %s", p.location())
		}
		agent.follow(p).wantText(t, "main", "Access revoked.", "No expired access")
		// Revoking twice is a conflict; from the page, the other grant is revoked.
		agent.post(revoke, url.Values{"csrf": {agent.csrf()}}).want(t, http.StatusConflict)
		gs, err := db.ListAccessGrants(as(f.agent), f.acmeEnv.ID, false)
		if err != nil || len(gs) != 2 {
			t.Fatalf("grants held: %v, %v", gs, err)
		}
		for _, g := range gs {
			p = agent.submit(page, envPath(f.acmeEnv)+"/access/"+itoa(g.ID)+"/revoke", url.Values{"reason": {"audit done"}}).want(t, http.StatusSeeOther)
		}
		agent.follow(p).wantText(t, "access", "Nobody holds an access.")
		// A grant of another environment is not found under this one.
		agent.post(envPath(f.pre)+"/access/"+itoa(gs[0].ID)+"/revoke", url.Values{"csrf": {agent.csrf()}}).want(t, http.StatusNotFound)
	})
}

// TestEnvMaintenanceForms plans, edits and cancels a maintenance window.
func TestEnvMaintenanceForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(f.agent.Email, password)
		page, action := envPath(f.acmeEnv), envPath(f.acmeEnv)+"/maintenance"
		at := func(d time.Duration) string { return f.now.Add(d).Format("2006-01-02T15:04") }

		p := agent.submit(page, action, url.Values{"title": {"Kernel patch"}, "starts_at": {at(2 * time.Hour)}, "ends_at": {at(time.Hour)}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "window-ends_at-error", "after")
		if got := attr(byID(p.doc, "window-title"), "value"); got != "Kernel patch" {
			t.Errorf("title after the error = %q", got)
		}
		p = agent.submit(page, action, url.Values{"title": {"Kernel patch"}, "starts_at": {"soon"}, "ends_at": {at(time.Hour)}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "window-starts_at-error", "date and time")
		p = agent.submit(page, action, url.Values{"title": {"Kernel patch"}, "starts_at": {at(-time.Hour)}, "ends_at": {at(time.Hour)}}).
			want(t, http.StatusSeeOther)
		agent.follow(p).wantText(t, "windows", "Kernel patch", "Running", "Database upgrade", "Upcoming")

		edit := envPath(f.acmeEnv) + "/maintenance/" + itoa(f.window.ID)
		p = agent.submit(edit, edit, url.Values{"title": {""}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "window-title-error", "required")
		p = agent.submit(edit, edit, url.Values{"title": {"PostgreSQL 17 upgrade"}}).want(t, http.StatusSeeOther)
		agent.follow(p).wantText(t, "windows", "PostgreSQL 17 upgrade")
		p = agent.submit(edit, edit+"/delete", nil).want(t, http.StatusSeeOther)
		if got := agent.follow(p).text("windows"); strings.Contains(got, "PostgreSQL 17 upgrade") {
			t.Errorf("the cancelled window is still listed: %q", got)
		}
		agent.get(edit).want(t, http.StatusNotFound)
		// French.
		agent.header.Set("Accept-Language", "fr")
		agent.get(page).wantText(t, "window-form", "Planifier une fenêtre de maintenance", "Début", "Fin")
	})
}
