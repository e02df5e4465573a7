package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestEnvPageStaff checks every part of a prod environment's page as staff see it, and that the
// page holds nothing the strict CSP would block (the chart is inline SVG).
func TestEnvPageStaff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(f.agent.Email, password)
		p := agent.get(envPath(f.acmeEnv)).want(t, http.StatusOK)
		p.wantText(t, "h1", "acme-prod", "Production")
		p.wantText(t, "env-facts", "ACME", "Acme Industries", "https://acme.example")
		p.wantText(t, "versions", "app", "4.1.0")
		p.wantText(t, "twin", "Pre-production is no longer a twin", "Component version", "app", "acme-preprod", "4.2.0", "acme-prod", "4.1.0")
		p.wantText(t, "deployment-"+itoa(f.planned.ID), "app", "4.1.0", "4.2.0", "Planned", "n1@vendor.example", "go-live after the freeze")
		p.wantText(t, "servers-table", "app1.acme.internal", "Application", "Debian 12.5", "32768", "Lyon")
		p.wantText(t, "availability", "Last 24 hours", "95.74%", "47", "Last 7 days", "95.83%", "48", "Last 30 days")
		p.wantText(t, "grants", "n1@vendor.example", "SSH", "incident OPS-secret investigation", "Expires soon")
		p.wantText(t, "windows", "Database upgrade", "Upcoming")
		svg := findAll(p.doc, func(n *html.Node) bool { return n.Data == "svg" })
		if len(svg) != 1 || attr(svg[0], "role") != "img" {
			t.Fatalf("chart: %d svg", len(svg))
		}
		if lines := findAll(svg[0], func(n *html.Node) bool { return n.Data == "polyline" }); len(lines) == 0 || !strings.Contains(attr(lines[0], "points"), ",") {
			t.Errorf("chart has no line: %v", lines)
		}
		if fails := byClass(svg[0], "fail"); len(fails) == 0 {
			t.Error("chart marks no failure")
		}
		noInline(t, p)
		// An agent records deployments but neither grants access nor changes the visibility.
		for _, id := range []string{"deploy-form", "server-form", "window-form"} {
			if byID(p.doc, id) == nil {
				t.Errorf("agent: no #%s", id)
			}
		}
		for _, id := range []string{"grant-form", "visibility", "deploy-emergency_reason"} {
			if byID(p.doc, id) != nil {
				t.Errorf("agent sees #%s", id)
			}
		}
		// An agent may not change what the customer sees.
		agent.post(envPath(f.acmeEnv)+"/visibility", url.Values{"csrf": {agent.csrf()}, "show_servers": {"on"}}).want(t, http.StatusForbidden)
		if e, err := db.EnvironmentByID(as(f.agent), f.acmeEnv.ID); err != nil || e.ShowServers {
			t.Errorf("after an agent's post: %+v, %v", e, err)
		}
		// The preprod page shows the same warning.
		agent.get(envPath(f.pre)).want(t, http.StatusOK).wantText(t, "twin", "Component version")
		// Ops managers get the grant and visibility forms and the emergency reason.
		ops := ws.client()
		ops.login(f.ops.Email, password)
		p = ops.get(envPath(f.acmeEnv)).want(t, http.StatusOK)
		for _, id := range []string{"grant-form", "visibility", "deploy-emergency_reason"} {
			if byID(p.doc, id) == nil {
				t.Errorf("ops manager: no #%s", id)
			}
		}
		if !containsLink(p, "/environments/access/expired") {
			t.Error("no link to the expired access list in an ops manager's navigation")
		}
	})
}

// TestEnvPageCustomer checks what a customer sees of their environment as the vendor turns the
// parts on, in both languages, and that nothing of another customer's is reachable.
func TestEnvPageCustomer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(f.alice.Email, password)

		// Everything off: the environment itself and its maintenance windows only.
		p := alice.get(envPath(f.acmeEnv)).want(t, http.StatusOK)
		p.wantText(t, "windows", "Database upgrade")
		for _, id := range []string{"versions", "deployments", "servers", "availability", "access", "twin", "visibility",
			"deploy-form", "server-form", "window-form", "grant-form"} {
			if byID(p.doc, id) != nil {
				t.Errorf("customer sees #%s with every part hidden", id)
			}
		}
		if strings.Contains(p.body, "app1.acme.internal") || strings.Contains(p.body, "4.1.0") {
			t.Error("hidden parts leak into the page")
		}

		// The organisation page lists the environments with kind and status.
		org := alice.get("/customers/"+itoa(f.acme.ID)).want(t, http.StatusOK)
		org.wantText(t, "environments", "acme-prod", "Production", "acme-preprod", "Pre-production", "Active")

		// An ops manager shows everything.
		ops := ws.client()
		ops.login(f.ops.Email, password)
		all := url.Values{"show_servers": {"on"}, "show_versions": {"on"}, "show_availability": {"on"}, "show_access": {"on"}}
		loc := ops.submit(envPath(f.acmeEnv), envPath(f.acmeEnv)+"/visibility", all).want(t, http.StatusSeeOther).location()
		ops.get(loc).wantText(t, "main", "What the customer sees is saved.")

		p = alice.get(envPath(f.acmeEnv)).want(t, http.StatusOK)
		p.wantText(t, "versions", "app", "4.1.0")
		p.wantText(t, "deployment-"+itoa(f.planned.ID), "4.2.0", "Planned")
		p.wantText(t, "servers-table", "app1.acme.internal", "Debian 12.5")
		p.wantText(t, "availability", "95.83%")
		p.wantText(t, "grants", "n1@vendor.example", "SSH")
		for _, leak := range []string{staffNote, "go-live after the freeze", "Recorded by", "incident OPS-secret investigation"} {
			if strings.Contains(p.body, leak) {
				t.Errorf("customer page shows staff-only %q", leak)
			}
		}
		for _, id := range []string{"twin", "visibility", "deploy-form", "server-form", "grant-form", "window-form"} {
			if byID(p.doc, id) != nil {
				t.Errorf("customer sees #%s", id)
			}
		}
		if len(findAll(p.doc, func(n *html.Node) bool { return n.Data == "svg" })) != 1 {
			t.Error("customer: no availability chart")
		}
		noInline(t, p)

		// French.
		alice.header.Set("Accept-Language", "fr")
		p = alice.get(envPath(f.acmeEnv)).want(t, http.StatusOK)
		p.wantText(t, "main", "Versions en place", "Historique des déploiements", "Serveurs", "Disponibilité", "95,83", "Fenêtres de maintenance", "Prévu")
		alice.header.Del("Accept-Language")

		// Another customer: every environment route is a 404 on GET, a 403 on POST.
		bob := ws.client()
		bob.login(f.bob.Email, password)
		bob.get(envPath(f.acmeEnv)).want(t, http.StatusNotFound)
		alice.get(envPath(f.globexEnv)).want(t, http.StatusNotFound)
		tok := alice.csrf()
		id := itoa(f.acmeEnv.ID)
		for _, path := range []string{"/servers", "/servers/" + itoa(f.server.ID), "/servers/" + itoa(f.server.ID) + "/delete",
			"/deployments", "/deployments/" + itoa(f.planned.ID) + "/advance", "/access", "/access/" + itoa(f.grant.ID) + "/revoke",
			"/maintenance", "/maintenance/" + itoa(f.window.ID), "/maintenance/" + itoa(f.window.ID) + "/delete", "/visibility"} {
			alice.post("/environments/"+id+path, url.Values{"csrf": {tok}, "hostname": {"x"}, "component": {"app"}, "version": {"9"}}).
				want(t, http.StatusForbidden)
		}
		for _, path := range []string{"/environments/" + id + "/servers/" + itoa(f.server.ID), "/environments/" + id + "/maintenance/" + itoa(f.window.ID),
			"/environments/access/expired"} {
			alice.get(path).want(t, http.StatusForbidden)
		}
		// Nothing changed.
		if svs, err := db.ListServers(as(f.agent), f.acmeEnv.ID); err != nil || len(svs) != 1 {
			t.Errorf("servers after the customer's posts: %v, %v", svs, err)
		}
		if ds, err := db.ListDeployments(as(f.agent), f.acmeEnv.ID, 10); err != nil || len(ds) != 1 || ds[0].Outcome != opsdesk.DeployPlanned {
			t.Errorf("deployments after the customer's posts: %v, %v", ds, err)
		}
	})
}

// noInline fails the test if the page holds an inline script, style or event handler.
func noInline(t *testing.T, p *page) {
	t.Helper()
	for _, n := range findAll(p.doc, func(*html.Node) bool { return true }) {
		if n.Type != html.ElementNode {
			continue
		}
		if (n.Data == "script" && attr(n, "src") == "") || n.Data == "style" || hasAttr(n, "style") {
			t.Errorf("%s: inline %s, blocked by the CSP", p.url, n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("%s: event handler %s on <%s>", p.url, a.Key, n.Data)
			}
		}
	}
}
