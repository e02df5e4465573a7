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

// TestResolveFromTicketPage resolves tickets through the status form: a missing summary or
// cause re-renders the form with the input and the message; a blocking ticket needs an article
// or a draft; the summary reaches the customer's page, the cause never does.
func TestResolveFromTicketPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)
		key := d.acmeReq.Key
		tk := "/tickets/" + key
		if _, err := db.Take(as(d.agent), key); err != nil {
			t.Fatal(err)
		}

		p := agent.get(tk).want(t, http.StatusOK)
		if p.input("resolution") == nil || p.input("cause") == nil {
			t.Fatal("the status form has no resolution summary or cause")
		}
		if p.input("draft_article") != nil {
			t.Error("a major ticket offers the draft article box")
		}
		if !strings.Contains(p.text("status-cause"), "Software defect") {
			t.Errorf("cause options = %q", p.text("status-cause"))
		}

		cases := []struct {
			name   string
			values url.Values
			id     string
			want   string
		}{
			{"no summary", url.Values{"status": {"resolved"}, "resolution": {" "}, "cause": {"defect"}, "reason": {"kept"}},
				"status-resolution-error", "Write a resolution summary"},
			{"no cause", url.Values{"status": {"resolved"}, "resolution": {"Rebuilt the export index."}, "cause": {""}, "reason": {"kept"}},
				"status-cause-error", "Choose a cause"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := agent.submit(tk, tk+"/status", c.values).want(t, http.StatusUnprocessableEntity)
				p.wantText(t, c.id, c.want)
				if attr(p.input("reason"), "value") != "kept" || selected(p, "status") != "resolved" ||
					selected(p, "cause") != c.values.Get("cause") || textOf(p.input("resolution")) != strings.TrimSpace(c.values.Get("resolution")) && c.values.Get("resolution") != " " {
					t.Errorf("the re-rendered form lost the input: reason %q status %q cause %q", attr(p.input("reason"), "value"), selected(p, "status"), selected(p, "cause"))
				}
			})
		}

		done := agent.submit(tk, tk+"/status", url.Values{"status": {"resolved"}, "resolution": {"Rebuilt the export index."}, "cause": {"third_party"}})
		if done.status != http.StatusSeeOther {
			t.Fatalf("resolve: %d %s", done.status, done.text("main"))
		}
		p = agent.follow(done)
		p.wantText(t, "resolution-summary", "Rebuilt the export index.")
		p.wantText(t, "resolution-cause", "Third party")
		p.wantText(t, "timeline", "Rebuilt the export index.", "Cause — → Third party (vendor, supplier)")
		if p.form(t, tk+"/kb-draft") == nil {
			t.Fatal("no knowledge-base offer on the resolved ticket")
		}

		// The customer reads the summary, never the cause.
		alice := ws.client()
		alice.login(d.alice.Email, password)
		req := alice.get("/requests/"+key).want(t, http.StatusOK)
		req.wantText(t, "request-resolution", "Rebuilt the export index.")
		for _, secret := range []string{"third_party", "Third party", "resolution-cause"} {
			if strings.Contains(req.body, secret) {
				t.Errorf("the customer's page shows the cause (%q)", secret)
			}
		}
		// Nor may a customer create articles from tickets.
		alice.post(tk+"/kb-draft", url.Values{"csrf": {alice.csrf()}}).want(t, http.StatusForbidden)

		// The offer creates a draft from the ticket and opens it for editing.
		made := agent.submit(tk, tk+"/kb-draft", nil)
		links, err := db.TicketArticles(as(d.agent), key, opsdesk.LangEN)
		if made.status != http.StatusSeeOther || err != nil || len(links) != 1 || made.location() != "/kb/"+itoa(links[0].ArticleID)+"/edit" {
			t.Fatalf("kb-draft: %d → %s, links %+v %v", made.status, made.location(), links, err)
		}
		p = agent.get(tk)
		if got := p.text("closure-articles"); !strings.Contains(got, "Invoices export fails") {
			t.Errorf("closure box articles = %q", got)
		}
	})
}

// TestResolveBlockingFromTicketPage checks the knowledge-base rule on the form: the draft box
// is ticked by default, unticking it without a linked article is refused next to it, and
// ticking it creates the draft and links it.
func TestResolveBlockingFromTicketPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)
		b := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "blocking", Category: "application", Subject: "Login down",
			Description: "Nobody can log in.", Impact: "all users"})
		if _, err := db.Take(as(d.agent), b.Key); err != nil {
			t.Fatal(err)
		}
		tk := "/tickets/" + b.Key
		p := agent.get(tk).want(t, http.StatusOK)
		box := p.input("draft_article")
		if box == nil || !hasAttr(box, "checked") {
			t.Fatal("a blocking ticket without article: the draft box is missing or not ticked")
		}
		p = agent.submit(tk, tk+"/status", url.Values{"status": {"resolved"}, "resolution": {"Restarted the IdP."}, "cause": {"infrastructure"},
			"draft_article": nil}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "status-draft_article-error", "link an article or create a draft")
		if textOf(p.input("resolution")) != "Restarted the IdP." {
			t.Error("the refused form lost the summary")
		}
		done := agent.submit(tk, tk+"/status", url.Values{"status": {"resolved"}, "resolution": {"Restarted the IdP."}, "cause": {"infrastructure"}})
		if done.status != http.StatusSeeOther {
			t.Fatalf("resolve with a draft: %d %s", done.status, done.text("main"))
		}
		links, err := db.TicketArticles(as(d.agent), b.Key, opsdesk.LangEN)
		if err != nil || len(links) != 1 || links[0].Status != opsdesk.ArticleDraft {
			t.Fatalf("links after resolving = %+v %v", links, err)
		}
		a, err := db.ArticleByID(as(d.agent), links[0].ArticleID)
		if err != nil || !strings.Contains(a.Texts[0].Body, "Restarted the IdP.") || !strings.Contains(a.Texts[0].Body, "Nobody can log in.") {
			t.Fatalf("draft = %+v %v", a, err)
		}
	})
}

// TestCauseAdmin edits the cause catalog and the severity flag; only managers reach them.
func TestCauseAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		for _, u := range []*opsdesk.User{d.agent, d.alice} {
			c := ws.client()
			c.login(u.Email, password)
			c.get("/admin/causes").want(t, http.StatusForbidden)
			c.post("/admin/causes", url.Values{"csrf": {c.csrf()}, "code": {"x"}, "label_fr": {"x"}, "label_en": {"x"}}).want(t, http.StatusForbidden)
		}
		ops := ws.client()
		ops.login(d.ops.Email, password)
		list := ops.get("/admin/causes").want(t, http.StatusOK)
		if got := list.rows(); len(got) != 9 {
			t.Fatalf("cause rows = %v", got)
		}
		p := ops.submit("/admin/causes", "/admin/causes", url.Values{"code": {"security"}, "label_fr": {""}, "label_en": {"Security"}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "cause-label_fr-error", "required")
		if attr(p.input("code"), "value") != "security" {
			t.Error("the refused form lost the code")
		}
		if got := ops.submit("/admin/causes", "/admin/causes", url.Values{"code": {"security"}, "label_fr": {"Sécurité"}, "label_en": {"Security"}}); got.status != http.StatusSeeOther {
			t.Fatalf("create cause: %d %s", got.status, got.text("main"))
		}
		if got := ops.submit("/admin/causes/duplicate", "/admin/causes/duplicate", url.Values{"active": nil}); got.status != http.StatusSeeOther {
			t.Fatalf("retire cause: %d", got.status)
		}
		active, err := db.CauseCodes(as(d.ops), false)
		if err != nil || len(active) != 9 || active[len(active)-1].Code != "security" {
			t.Fatalf("active causes = %d %v", len(active), err)
		}

		admin := ws.client()
		admin.login(d.admin.Email, password)
		if got := admin.submit("/admin/severities/major", "/admin/severities/major", url.Values{"kb_required": {"on"}}); got.status != http.StatusSeeOther {
			t.Fatalf("severity flag: %d %s", got.status, got.text("main"))
		}
		sevs, _ := db.Severities(as(d.admin))
		for _, s := range sevs {
			if want := s.Code == "blocking" || s.Code == "major"; s.KBRequired != want {
				t.Errorf("severity %s kb_required = %v", s.Code, s.KBRequired)
			}
		}
	})
}
