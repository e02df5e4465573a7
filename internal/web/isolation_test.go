package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestCustomerIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(f.alice.Email, password)

		// The portal home: their organisation and its environments, nobody else's.
		p := alice.get("/").want(t, http.StatusOK)
		if p.text("org-name") != "Acme Industries" {
			t.Errorf("home shows organisation %q", p.text("org-name"))
		}
		envs := p.text("environments")
		if !strings.Contains(envs, "acme-prod") || strings.Contains(p.body, "globex") || strings.Contains(p.body, "Globex") {
			t.Errorf("home environments = %q", envs)
		}
		for _, l := range p.links() {
			if strings.HasPrefix(l, "/admin") {
				t.Errorf("a customer's page links to %s", l)
			}
		}
		alice.get("/customers/"+itoa(f.acme.ID)).want(t, http.StatusOK)
		alice.get("/environments/"+itoa(f.acmeEnv.ID)).want(t, http.StatusOK)

		// Every admin page is forbidden, whatever record it names.
		id, other := itoa(f.acme.ID), itoa(f.globex.ID)
		for _, path := range []string{"/admin", "/admin/users", "/admin/users/new", "/admin/users/" + itoa(f.alice.ID),
			"/admin/users/" + itoa(f.bob.ID), "/admin/customers", "/admin/customers/new", "/admin/customers/" + id,
			"/admin/customers/" + other, "/admin/customers/" + other + "/environments/" + itoa(f.globexEnv.ID),
			"/admin/customers/" + id + "/contacts/1", "/admin/audit", "/admin/jobs", "/admin/jobs?state=failed"} {
			p := alice.get(path).want(t, http.StatusForbidden)
			if p.htmlLang() == "" || p.text("error-message") == "" {
				t.Errorf("%s: the 403 is not the error page", path)
			}
		}
		tok := attr(alice.get("/account").input("csrf"), "value")
		for _, path := range []string{"/admin/customers", "/admin/users", "/admin/customers/" + other,
			"/admin/customers/" + other + "/contract", "/admin/customers/" + other + "/environments", "/admin/jobs/1/retry"} {
			alice.post(path, url.Values{"csrf": {tok}, "code": {"EVIL"}, "name": {"x"}}).want(t, http.StatusForbidden)
		}

		// Pages naming another customer's records do not exist for her.
		for _, path := range []string{"/customers/" + other, "/environments/" + itoa(f.globexEnv.ID), "/customers/999999", "/customers/x"} {
			p := alice.get(path).want(t, http.StatusNotFound)
			if strings.Contains(p.body, "Globex") || strings.Contains(p.body, "globex-secret") {
				t.Errorf("%s leaks the other customer", path)
			}
		}

		// Staff below ops manager: no admin pages either; the organisation pages are theirs to read.
		agent := ws.client()
		agent.login(f.agent.Email, password)
		agent.get("/admin/customers").want(t, http.StatusForbidden)
		agent.get("/customers/"+other).want(t, http.StatusOK)

		// An ops manager reaches the admin pages, and the store decides the rest: no admins.
		ops := ws.client()
		ops.login(f.ops.Email, password)
		ops.get("/admin/customers/"+other).want(t, http.StatusOK)
		ops.submit("/admin/users/new", "/admin/users", url.Values{"email": {"boss@vendor.example"}, "role": {"admin"},
			"password": {"a long enough password"}}).want(t, http.StatusForbidden)
		ops.submit("/admin/users/new", "/admin/users", url.Values{"email": {"n2@vendor.example"}, "role": {"agent"}, "level": {"N2"},
			"password": {"a long enough password"}}).want(t, http.StatusSeeOther)
	})
}
