package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestAdminUserManager sets an agent's manager on the user form: it is saved, shown selected
// when the form is opened again, a customer's user is not offered, a bad value re-renders the
// form with the error on the field, and "none" clears it.
func TestAdminUserManager(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		c := ws.client()
		c.login(f.admin.Email, password)
		page := "/admin/users/" + itoa(f.agent.ID)

		p := c.get(page).want(t, http.StatusOK)
		sel := p.input("manager")
		if sel == nil {
			t.Fatal("the user form has no manager select")
		}
		offered := map[string]bool{}
		for _, o := range byTag(sel, "option") {
			offered[attr(o, "value")] = true
		}
		if !offered[itoa(f.ops.ID)] || offered[itoa(f.alice.ID)] || offered[itoa(f.agent.ID)] || !offered[""] {
			t.Errorf("manager options = %v; want none, the ops manager, not the user or a customer", offered)
		}

		c.submit(page, page, url.Values{"manager": {itoa(f.ops.ID)}}).want(t, http.StatusSeeOther)
		if u, err := db.UserByID(system, f.agent.ID); err != nil || u.ManagerID != f.ops.ID {
			t.Fatalf("manager = %d, %v; want %d", u.ManagerID, err, f.ops.ID)
		}
		audit, err := db.ListAudit(system, opsdesk.AuditFilter{Entity: "user", EntityID: f.agent.ID, Limit: 1})
		if err != nil || len(audit) != 1 || !slices.Contains(audit[0].Changes, opsdesk.Change{Field: "manager_id", Old: "", New: itoa(f.ops.ID)}) {
			t.Errorf("audit of the manager change: %+v, %v", audit, err)
		}
		p = c.get(page).want(t, http.StatusOK)
		for _, o := range byTag(p.input("manager"), "option") {
			if attr(o, "value") == itoa(f.ops.ID) && !hasAttr(o, "selected") {
				t.Error("the saved manager is not selected when the form opens again")
			}
		}

		// A customer's user posted as manager: refused on the field, nothing saved.
		p = c.submit(page, page, url.Values{"manager": {itoa(f.alice.ID)}, "name": {"Renamed"}}).want(t, http.StatusUnprocessableEntity)
		if attr(p.input("name"), "value") != "Renamed" {
			t.Error("the form lost the input after an error")
		}
		if p.input("manager") == nil || attr(p.input("manager"), "aria-invalid") != "true" {
			t.Error("the manager field is not marked invalid")
		}
		if u, _ := db.UserByID(system, f.agent.ID); u.ManagerID != f.ops.ID || u.Name == "Renamed" {
			t.Errorf("a refused form changed the user: %+v", u)
		}

		c.submit(page, page, url.Values{"manager": {""}}).want(t, http.StatusSeeOther)
		if u, _ := db.UserByID(system, f.agent.ID); u.ManagerID != 0 {
			t.Errorf("manager after choosing none = %d", u.ManagerID)
		}
	})
}
