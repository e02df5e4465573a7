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

func TestAdminCatalogs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		admin := ws.client()
		admin.login(d.admin.Email, password)

		// A group of N2 agents; members are chosen among the agents of its level.
		admin.submit("/admin/groups", "/admin/groups", url.Values{"code": {"DB-Experts"}, "name": {"Database experts"}, "level": {"N2"}}).want(t, http.StatusSeeOther)
		p := admin.get("/admin/groups/db-experts").want(t, http.StatusOK)
		if byID(p.doc, "group-members-"+itoa(d.n2.ID)) == nil || byID(p.doc, "group-members-"+itoa(d.agent.ID)) != nil {
			t.Error("the members offered are not the group's level's agents")
		}
		admin.submit("/admin/groups/db-experts", "/admin/groups/db-experts", url.Values{"members": {itoa(d.n2.ID)}}).want(t, http.StatusSeeOther)
		admin.get("/admin/groups").wantText(t, "groups", "db-experts", "Database experts", "Noah Two")
		p = admin.post("/admin/groups/db-experts", url.Values{"csrf": {admin.csrf()}, "name": {"Database experts"}, "level": {"N2"},
			"members": {itoa(d.agent.ID)}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "group-members-error", "n1@vendor.example is not an agent at N2")
		admin.submit("/admin/groups", "/admin/groups", url.Values{"code": {"db-experts"}, "name": {"Again"}}).want(t, http.StatusConflict).
			wantText(t, "group-code-error", "already used")

		// A category routed to that group; a group of another level is refused.
		p = admin.submit("/admin/categories", "/admin/categories", url.Values{"code": {"billing"}, "label_fr": {"Facturation"},
			"label_en": {"Billing"}, "level": {"N1"}, "group": {"db-experts"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "category-group-error", "group db-experts works at N2, not N1")
		admin.submit("/admin/categories", "/admin/categories", url.Values{"code": {"billing"}, "label_fr": {"Facturation"},
			"label_en": {"Billing"}, "level": {"N2"}, "group": {"db-experts"}}).want(t, http.StatusSeeOther)
		admin.get("/admin/categories").wantText(t, "categories", "billing", "Facturation", "Billing", "db-experts")
		admin.submit("/admin/categories", "/admin/categories", url.Values{"code": {"billing"}, "label_fr": {"x"}, "label_en": {"x"}}).
			want(t, http.StatusConflict)
		// Retire one: it leaves the request form.
		admin.submit("/admin/categories/mobile", "/admin/categories/mobile", url.Values{"active": nil, "label_en": {"Mobile apps"}}).want(t, http.StatusSeeOther)
		alice := ws.client()
		alice.login(d.alice.Email, password)
		alice.header.Set("Accept-Language", "fr")
		cats := textOf(alice.get("/requests/new").input("category"))
		if !strings.Contains(cats, "Facturation") || strings.Contains(cats, "mobile") || strings.Contains(cats, "Mobile") {
			t.Errorf("categories offered: %q", cats)
		}
		tk := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "minor", Category: "billing", Subject: "s", Description: "d"})
		if tk.Level != opsdesk.LevelN2 || tk.GroupCode != "db-experts" {
			t.Errorf("billing routes to %s/%s", tk.Level, tk.GroupCode)
		}

		// The severity scale: admins change it, ops managers read it.
		p = admin.get("/admin/severities").want(t, http.StatusOK)
		p.wantText(t, "severities", "Anomalie bloquante", "Blocking anomaly")
		admin.submit("/admin/severities/minor", "/admin/severities/minor", url.Values{"help_en": {"A small defect; a workaround exists."}}).want(t, http.StatusSeeOther)
		admin.submit("/admin/severities/minor", "/admin/severities/minor", url.Values{"rank": {"1"}}).want(t, http.StatusConflict).
			wantText(t, "severity-rank-error", "another severity has rank 1")
		alice.header.Del("Accept-Language")
		if got := alice.get("/requests/new").text("request-severity-minor-help"); got != "A small defect; a workaround exists." {
			t.Errorf("minor explained as %q", got)
		}
		ops := ws.client()
		ops.login(d.ops.Email, password)
		ops.get("/admin/severities").want(t, http.StatusOK)
		ops.submit("/admin/severities/minor", "/admin/severities/minor", url.Values{"label_en": {"Tiny"}}).want(t, http.StatusForbidden)
		ops.get("/admin/categories/billing").want(t, http.StatusOK)
		admin.get("/admin/categories/nope").want(t, http.StatusNotFound)
		admin.get("/admin/groups/nope").want(t, http.StatusNotFound)

		// Agents have no list administration.
		agent := ws.client()
		agent.login(d.agent.Email, password)
		agent.get("/admin/categories").want(t, http.StatusForbidden)
	})
}
