package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestAdminManagesCustomers goes through the admin forms as an admin would: a customer with its
// contract, a contact and an environment, users of both kinds, and the audit trail of it all.
func TestAdminManagesCustomers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		c := ws.client()
		c.login(f.admin.Email, password)

		p := c.submit("/admin/customers/new", "/admin/customers", url.Values{"code": {"initech"}, "name": {"Initech"},
			"domains": {"initech.example, Initech-Group.example"}, "lang": {"en"}, "notes": {"Key account"}}).want(t, http.StatusSeeOther)
		page := strings.TrimSuffix(p.location(), "?done=created")
		cu, err := db.CustomerByCode(system, "INITECH")
		if err != nil || page != "/admin/customers/"+itoa(cu.ID) || len(cu.Domains) != 2 || cu.Lang != opsdesk.LangEN {
			t.Fatalf("customer %+v at %s: %v", cu, p.location(), err)
		}
		if p := c.get("/admin/customers"); !strings.Contains(p.text("customers"), "Initech") {
			t.Error("the customer list does not show the new customer")
		}

		c.submit(page, page+"/contract", url.Values{"levels": {"N2", "N3"}, "tier": {"premium"},
			"starts_on": {"2026-01-01"}, "ends_on": {"2026-12-31"}, "notes": {"24/7 on prod"}}).want(t, http.StatusSeeOther)
		ct, _ := db.ContractOf(system, cu.ID)
		if len(ct.Levels) != 2 || ct.Tier != "premium" || ct.EndsOn != "2026-12-31" {
			t.Fatalf("contract = %+v", ct)
		}
		p = c.get(page)
		if byID(p.doc, "contract-levels-N1") == nil || hasAttr(byID(p.doc, "contract-levels-N1"), "checked") || !hasAttr(byID(p.doc, "contract-levels-N3"), "checked") {
			t.Error("the contract form does not show the saved levels")
		}

		c.submit(page, page+"/contacts", url.Values{"email": {"Peter@Initech.example"}, "name": {"Peter"}, "phone": {"+33 1 23"}}).want(t, http.StatusSeeOther)
		contacts, _ := db.ListContacts(system, cu.ID)
		if len(contacts) != 1 || contacts[0].Email != "peter@initech.example" {
			t.Fatalf("contacts = %+v", contacts)
		}
		contactPage := page + "/contacts/" + itoa(contacts[0].ID)
		c.submit(contactPage, contactPage, url.Values{"email": {"peter@initech.example"}, "name": {"Peter Gibbons"}, "lang": {"fr"}}).want(t, http.StatusSeeOther)

		c.submit(page, page+"/environments", url.Values{"kind": {"prod"}, "name": {"initech-prod"}, "url": {"https://tps.initech.example"}, "status": {"active"}}).want(t, http.StatusSeeOther)
		envs, _ := db.ListEnvironments(system, cu.ID)
		if len(envs) != 1 {
			t.Fatalf("environments = %+v", envs)
		}
		envPage := page + "/environments/" + itoa(envs[0].ID)
		c.submit(envPage, envPage, url.Values{"kind": {"prod"}, "name": {"initech-prod"}, "url": {"https://tps.initech.example"},
			"status": {"maintenance"}, "notes": {"upgrade"}}).want(t, http.StatusSeeOther)
		// The environment of one customer cannot be reached under another's URL.
		c.get("/admin/customers/"+itoa(f.acme.ID)+"/environments/"+itoa(envs[0].ID)).want(t, http.StatusNotFound)
		c.get("/admin/customers/"+itoa(f.acme.ID)+"/contacts/"+itoa(contacts[0].ID)).want(t, http.StatusNotFound)

		// An agent with a typed password; a customer user with a generated one, shown once.
		c.submit("/admin/users/new", "/admin/users", url.Values{"email": {"milton@vendor.example"}, "name": {"Milton"}, "role": {"agent"},
			"level": {"N2"}, "domains": {"database, network"}, "customer": {itoa(cu.ID)}, "password": {"red stapler forever"}}).want(t, http.StatusSeeOther)
		milton, err := db.UserByEmail(system, "milton@vendor.example")
		if err != nil || milton.Level != opsdesk.LevelN2 || milton.CustomerID != 0 || len(milton.Domains) != 2 {
			t.Fatalf("agent = %+v, %v", milton, err)
		}
		ws.client().login("milton@vendor.example", "red stapler forever")
		p = c.submit("/admin/users/new?role=customer&customer="+itoa(cu.ID), "/admin/users", url.Values{"email": {"bill@initech.example"},
			"name": {"Bill"}, "role": {"customer"}, "level": {"N1"}, "lang": {"en"}}).want(t, http.StatusCreated)
		generated := attr(byID(p.doc, "secret-value"), "value")
		if len(generated) < 20 {
			t.Fatalf("no generated password shown: %q", p.text("main"))
		}
		ws.client().login("bill@initech.example", generated)
		if p := c.get(page); !strings.Contains(p.text("users"), "bill@initech.example") {
			t.Error("the customer page does not list its user")
		}

		// Edit and disable; the user list filters by role and search.
		bill, _ := db.UserByEmail(system, "bill@initech.example")
		c.submit("/admin/users/"+itoa(bill.ID), "/admin/users/"+itoa(bill.ID), url.Values{"name": {"Bill Lumbergh"}, "disabled": {"on"}}).want(t, http.StatusSeeOther)
		if b, _ := db.UserByID(system, bill.ID); !b.Disabled || b.Name != "Bill Lumbergh" {
			t.Fatalf("after edit: %+v", b)
		}
		p = c.get("/admin/users?role=agent&q=milt")
		if rows := byTag(byID(p.doc, "users"), "tr"); len(rows) != 2 || !strings.Contains(textOf(rows[1]), "milton@vendor.example") {
			t.Errorf("filtered list = %q", p.text("users"))
		}

		// Reset a password: a new one shown once, the old one gone.
		p = c.submit("/admin/users/"+itoa(milton.ID), "/admin/users/"+itoa(milton.ID)+"/password", nil).want(t, http.StatusOK)
		ws.client().login("milton@vendor.example", attr(byID(p.doc, "secret-value"), "value"))

		// The audit log shows who changed what, old → new.
		p = c.get("/admin/audit?entity=environment")
		env := auditChanges(p, "environment", "update")
		if !containsAll(env, "status: active → maintenance", "notes: → upgrade") {
			t.Errorf("environment update in the audit log: %q", env)
		}
		p = c.get("/admin/audit")
		for _, want := range []struct{ entity, action, change string }{
			{"customer", "create", "code: → INITECH"},
			{"contract", "update", "tier: standard → premium"},
			{"contract", "update", "levels: N1,N2,N3 → N2,N3"},
			{"contact", "update", "name: Peter → Peter Gibbons"},
			{"user", "update", "disabled: false → true"},
			{"user", "password", "password: *** → ***"},
		} {
			if got := auditChanges(p, want.entity, want.action); !strings.Contains(got, want.change) {
				t.Errorf("audit %s %s: %q, want %q", want.entity, want.action, got, want.change)
			}
		}
		if !strings.Contains(p.text("audit"), f.admin.Email) {
			t.Error("the audit log does not say who")
		}
	})
}

// auditChanges is the text of the changes of the audit rows of an entity and action.
func auditChanges(p *page, entity, action string) string {
	var out []string
	for _, row := range findAll(p.doc, func(n *htmlNode) bool {
		return n.Data == "tr" && attr(n, "data-entity") == entity && attr(n, "data-action") == action
	}) {
		for _, ch := range byClass(row, "change") {
			out = append(out, textOf(ch))
		}
	}
	return strings.Join(out, "; ")
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
