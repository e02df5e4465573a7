package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestInvalidFormKeepsInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		c := ws.client()
		c.login(f.admin.Email, password)

		// A bad code: 422, the message next to the code input, everything typed kept.
		p := c.submit("/admin/customers/new", "/admin/customers", url.Values{"code": {"1bad"}, "name": {"Kept Name"},
			"domains": {"kept.example"}, "notes": {"kept notes"}}).want(t, http.StatusUnprocessableEntity)
		code := p.input("code")
		if attr(code, "aria-invalid") != "true" || !strings.Contains(attr(code, "aria-describedby"), "customer-code-error") {
			t.Errorf("code input not marked: %v", code.Attr)
		}
		if msg := p.text("customer-code-error"); !strings.Contains(msg, "2 to 20 letters") {
			t.Errorf("code message = %q", msg)
		}
		if attr(p.input("code"), "value") != "1bad" || attr(p.input("name"), "value") != "Kept Name" ||
			attr(p.input("domains"), "value") != "kept.example" || textOf(p.input("notes")) != "kept notes" {
			t.Error("the input was not kept")
		}
		if len(byClass(p.doc, "alert")) != 1 {
			t.Error("no error summary")
		}

		// A taken code: 409, with the message on the field.
		p = c.submit("/admin/customers/new", "/admin/customers", url.Values{"code": {"acme"}, "name": {"Other Acme"}}).want(t, http.StatusConflict)
		if msg := p.text("customer-code-error"); !strings.Contains(msg, "ACME is already used") {
			t.Errorf("conflict message = %q", msg)
		}

		// The same in French: the store's message is translated, the field still named.
		c.header.Set("Accept-Language", "fr")
		p = c.submit("/admin/customers/"+itoa(f.acme.ID), "/admin/customers/"+itoa(f.acme.ID)+"/environments",
			url.Values{"kind": {"prod"}, "name": {""}, "url": {"ftp://x"}}).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("env-name-error"); msg != "est obligatoire" {
			t.Errorf("French name message = %q", msg)
		}
		if attr(p.input("url"), "value") != "ftp://x" || !hasAttr(byTag(byID(p.doc, "environments"), "details")[0], "open") {
			t.Error("the failed add form is closed or lost its input")
		}
		// A contract without levels: the message sits in the levels fieldset.
		p = c.submit("/admin/customers/"+itoa(f.acme.ID), "/admin/customers/"+itoa(f.acme.ID)+"/contract",
			url.Values{"levels": nil, "tier": {"premium"}}).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("contract-levels-error"); !strings.Contains(msg, "au moins un niveau") {
			t.Errorf("levels message = %q", msg)
		}
		if sel := byID(p.doc, "contract-tier"); textOf(findAll(sel, func(n *htmlNode) bool { return hasAttr(n, "selected") })[0]) != "Premium" {
			t.Error("the tier choice was lost")
		}
		// A user form: an agent without level.
		c.header.Del("Accept-Language")
		p = c.submit("/admin/users/new", "/admin/users", url.Values{"email": {"new@vendor.example"}, "name": {"New"}, "role": {"agent"}, "level": {""}}).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("user-level-error"); !strings.Contains(msg, "needs a support level") || attr(p.input("email"), "value") != "new@vendor.example" {
			t.Errorf("level message = %q", msg)
		}
	})
}

func TestJobsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := db.Enqueue(ctx, opsdesk.NewJob{Kind: "mail.send", MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
		jobs, err := db.ClaimJobs(ctx, "worker-1", 1, time.Minute)
		if err != nil || len(jobs) != 1 {
			t.Fatalf("claim: %v, %v", jobs, err)
		}
		if _, err := db.FailJob(ctx, jobs[0].ID, "worker-1", errors.New("smtp: 550 mailbox unavailable"), time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enqueue(ctx, opsdesk.NewJob{Kind: "sla.check"}); err != nil {
			t.Fatal(err)
		}
		ws := startSite(t, db)
		c := ws.client()
		c.login(f.admin.Email, password)

		p := c.get("/admin/jobs?state=failed").want(t, http.StatusOK)
		rows := findAll(p.doc, func(n *htmlNode) bool { return n.Data == "tr" && attr(n, "data-job") != "" })
		if len(rows) != 1 || !strings.Contains(textOf(rows[0]), "mail.send") || !strings.Contains(textOf(rows[0]), "550 mailbox unavailable") {
			t.Fatalf("failed jobs = %q", p.text("jobs"))
		}
		if p := c.get("/admin/jobs"); !strings.Contains(p.text("jobs"), "sla.check") {
			t.Error("all jobs do not include the pending one")
		}
		id := itoa(jobs[0].ID)
		p = c.submit("/admin/jobs?state=failed", "/admin/jobs/"+id+"/retry", nil).want(t, http.StatusSeeOther)
		pending, _ := db.ListJobs(system, opsdesk.JobPending, 10)
		back := false
		for _, j := range pending {
			back = back || (j.ID == jobs[0].ID && j.Attempts == 0)
		}
		if !back {
			t.Fatalf("the retried job is not pending again: %+v", pending)
		}
		if p := c.get(p.location()); !strings.Contains(p.text("main"), "queued again") || len(byTag(byID(p.doc, "jobs"), "tr")) != 0 {
			t.Errorf("after retry: %q", p.text("main"))
		}
		// Retrying a job that is not failed: not found.
		tok := attr(c.get("/account").input("csrf"), "value")
		c.post("/admin/jobs/"+id+"/retry", url.Values{"csrf": {tok}}).want(t, http.StatusNotFound)
	})
}

func TestErrorPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		c := ws.client()
		c.header.Set("Accept-Language", "fr")
		c.login(f.admin.Email, password)

		// The UI's own not-found answers are localized pages.
		for _, path := range []string{"/admin/users/999999", "/admin/users/abc", "/admin/customers/0", "/environments/999999"} {
			p := c.get(path).want(t, http.StatusNotFound)
			if p.htmlLang() != "fr" || p.text("h1") != "Page introuvable" {
				t.Errorf("%s: lang %q, h1 %q", path, p.htmlLang(), p.text("h1"))
			}
		}
		// Paths nobody registered get the mux's plain 404.
		if p := c.get("/no/such/page"); p.status != http.StatusNotFound || p.doc != nil {
			t.Errorf("unknown path: %d %q", p.status, p.header.Get("Content-Type"))
		}

		// An internal error: a generic page, the details in the log only.
		db.SQL().Close()
		p := c.get("/").want(t, http.StatusInternalServerError)
		if p.text("h1") != "Une erreur est survenue" || strings.Contains(p.body, "sql") || strings.Contains(p.body, "closed") {
			t.Errorf("500 page: %q", p.text("main"))
		}
		if !strings.Contains(ws.logs.String(), "database is closed") {
			t.Errorf("the cause was not logged: %s", ws.logs.String())
		}
	})
}

func TestAuditPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for i := range 60 {
			c := &opsdesk.Contact{CustomerID: f.acme.ID, Email: "c" + itoa(int64(i)) + "@acme.example"}
			if err := db.CreateContact(system, c); err != nil {
				t.Fatal(err)
			}
		}
		ws := startSite(t, db)
		c := ws.client()
		c.login(f.admin.Email, password)
		rows := func(p *page) []*htmlNode {
			return findAll(p.doc, func(n *htmlNode) bool { return n.Data == "tr" && hasClass(n, "entry") })
		}
		p := c.get("/admin/audit?entity=contact").want(t, http.StatusOK)
		first := rows(p)
		if len(first) != 50 {
			t.Fatalf("first page has %d rows", len(first))
		}
		older := findAll(p.doc, func(n *htmlNode) bool { return n.Data == "a" && attr(n, "rel") == "next" })
		if len(older) != 1 || !strings.Contains(attr(older[0], "href"), "entity=contact") {
			t.Fatalf("no link to older entries: %v", p.links())
		}
		p = c.get(attr(older[0], "href")).want(t, http.StatusOK)
		second := rows(p)
		// 60 contacts plus alice's and bob's, made with their users.
		if len(second) != 12 || textOf(second[0]) == textOf(first[49]) {
			t.Fatalf("second page has %d rows", len(second))
		}
		for _, r := range append(first, second...) {
			if attr(r, "data-entity") != "contact" {
				t.Fatalf("filter lost: a %s row", attr(r, "data-entity"))
			}
		}
		if byID(p.doc, "audit") == nil || len(findAll(p.doc, func(n *htmlNode) bool { return attr(n, "rel") == "next" })) != 0 {
			t.Error("the last page links to an older one")
		}
		c.get("/admin/audit?entity=bogus").want(t, http.StatusUnprocessableEntity)
	})
}
