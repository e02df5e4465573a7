package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// kbResolve resolves a ticket as a member of staff, with the resolution it needs.
func kbResolve(t *testing.T, db *store.DB, u *opsdesk.User, key string) {
	t.Helper()
	open, done := opsdesk.StatusOpen, opsdesk.StatusResolved
	if _, err := db.UpdateTicket(as(u), key, opsdesk.TicketPatch{Status: &open}); err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	if _, err := db.UpdateTicket(as(u), key, opsdesk.TicketPatch{Status: &done, Reason: "fixed",
		Resolution: &opsdesk.Resolution{Summary: "Fixed.", Cause: "defect"}}); err != nil {
		t.Fatalf("resolve %s: %v", key, err)
	}
}

// kbArticle writes an article as the agent and, unless it is to stay a draft, has the ops
// manager publish it.
func kbArticle(t *testing.T, db *store.DB, d *desk, n opsdesk.NewArticle, published bool) *opsdesk.Article {
	t.Helper()
	a, err := db.CreateArticle(as(d.agent), &n)
	if err != nil {
		t.Fatalf("create article: %v", err)
	}
	if !published {
		return a
	}
	if a, err = db.SetArticleStatus(as(d.agent), a.ID, opsdesk.ArticleReview, a.Version, ""); err != nil {
		t.Fatal(err)
	}
	if a, err = db.SetArticleStatus(as(d.ops), a.ID, opsdesk.ArticlePublished, a.Version, ""); err != nil {
		t.Fatal(err)
	}
	return a
}

// dataValues lists the values of an attribute on the elements under the element with the id.
func dataValues(p *page, id, key string) []string {
	var out []string
	if n := byID(p.doc, id); n != nil {
		for _, el := range findAll(n, func(n *html.Node) bool { return n.Type == html.ElementNode && hasAttr(n, key) }) {
			out = append(out, attr(el, key))
		}
	}
	return out
}

// TestKBTicketPanel follows an agent through the Knowledge panel of a ticket: similar resolved
// tickets of every customer (escaped, highlighted), relevant articles to link, a linked
// procedure followed step by step, unlinking — every change in the ticket's history, in English
// and French, behind the CSRF check and out of customers' reach.
func TestKBTicketPanel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db) // ACME's "Invoices export fails"
		ws := startSite(t, db)
		acmeDone := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Invoices export fails every month", Description: "Same as before."})
		globexDone := fileTicket(t, db, d.bob, opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Invoices export fails <b>badly</b>", Description: "Globex's export."})
		acmeOpen := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Invoices export fails again", Description: "Still open."})
		kbResolve(t, db, d.agent, acmeDone.Key)
		kbResolve(t, db, d.agent, globexDone.Key)
		proc := kbArticle(t, db, d, opsdesk.NewArticle{Kind: opsdesk.ArticleProcedure, Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{{Lang: opsdesk.LangEN, Title: "Invoices export checklist", Body: "When the export fails.",
				Steps: []opsdesk.Step{{Instruction: "Restart the exporter", Expected: "The status page is green"}, {Instruction: "Export again"}}}}}, true)
		internal := kbArticle(t, db, d, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{{Lang: opsdesk.LangEN,
			Title: "Invoices export internals", Body: "The exporter's queue."}}}, false)

		agent := ws.client()
		agent.login(d.agent.Email, password)
		tk := "/tickets/" + d.acmeReq.Key
		p := agent.get(tk).want(t, http.StatusOK)

		// The page itself runs no search: the searched lists come on demand, by the script
		// (data-kb-lists, the fragment) or, without it, by the link to the page with them.
		if byID(p.doc, "kb-similar") != nil || byID(p.doc, "kb-articles") != nil {
			t.Error("the ticket page reads the searched lists")
		}
		lists := byID(p.doc, "kb-lists")
		if lists == nil || attr(lists, "data-kb-lists") != tk+"/knowledge" {
			t.Fatalf("no lists to fetch: %v", lists)
		}
		if load := byID(p.doc, "kb-load"); load == nil || attr(load, "href") != tk+"?knowledge=1#knowledge" {
			t.Errorf("no link to the page with the lists: %v", load)
		}
		if !slices.ContainsFunc(byTag(p.doc, "script"), func(n *html.Node) bool { return strings.Contains(attr(n, "src"), "/static/suggest.") }) {
			t.Error("the ticket page does not load the script fetching the lists")
		}
		frag := agent.get(tk+"/knowledge").want(t, http.StatusOK)
		if ct := frag.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || byTag(frag.doc, "main") != nil {
			t.Errorf("fragment: %s, with a layout: %v", ct, byTag(frag.doc, "main") != nil)
		}
		frag.form(t, tk+"/articles")
		p = agent.get(tk+"?knowledge=1").want(t, http.StatusOK)
		if got, want := dataValues(frag, "kb-similar", "data-key"), dataValues(p, "kb-similar", "data-key"); !slices.Equal(got, want) {
			t.Errorf("fragment lists %v, page with the lists %v", got, want)
		}

		// Similar resolved tickets: both customers' (staff see all), not the open one nor itself.
		similar := dataValues(p, "kb-similar", "data-key")
		if !slices.Contains(similar, acmeDone.Key) || !slices.Contains(similar, globexDone.Key) ||
			slices.Contains(similar, acmeOpen.Key) || slices.Contains(similar, d.acmeReq.Key) {
			t.Errorf("similar tickets = %v, want %s and %s only", similar, acmeDone.Key, globexDone.Key)
		}
		box := byID(p.doc, "kb-similar")
		if len(findAll(box, func(n *html.Node) bool { return n.Data == "mark" })) == 0 {
			t.Error("no highlighted word in the similar tickets")
		}
		if len(findAll(box, func(n *html.Node) bool { return n.Data == "b" })) != 0 || !strings.Contains(textOf(box), "<b>badly</b>") {
			t.Errorf("a subject's markup is not escaped: %q", textOf(box))
		}
		// Relevant articles: staff read the draft too; each can be linked.
		if got := dataValues(p, "kb-articles", "data-article"); !slices.Contains(got, itoa(proc.ID)) || !slices.Contains(got, itoa(internal.ID)) {
			t.Errorf("relevant articles = %v, want %d and %d", got, proc.ID, internal.ID)
		}
		p.form(t, tk+"/articles")
		p.wantText(t, "kb-linked", "No article is linked")

		// CSRF: without the token, or with another session's, nothing is linked.
		tok := agent.csrf()
		other := ws.client()
		other.login(d.ops.Email, password)
		for _, bad := range []string{"", other.csrf()} {
			agent.post(tk+"/articles", url.Values{"csrf": {bad}, "article": {itoa(proc.ID)}}).want(t, http.StatusForbidden)
		}
		if links, _ := db.TicketArticles(as(d.agent), d.acmeReq.Key, ""); len(links) != 0 {
			t.Fatalf("linked without a valid token: %+v", links)
		}

		// Link the procedure.
		r := agent.post(tk+"/articles", url.Values{"csrf": {tok}, "article": {itoa(proc.ID)}}).want(t, http.StatusSeeOther)
		if r.location() != tk+"?done=kb_linked#knowledge" {
			t.Errorf("link → %s", r.location())
		}
		p = agent.get(r.location())
		p.wantText(t, "kb-linked", "Invoices export checklist", "Procedure")
		if got := dataValues(agent.get(tk+"/knowledge"), "kb-articles", "data-article"); slices.Contains(got, itoa(proc.ID)) {
			t.Errorf("a linked article is still offered: %v", got)
		}
		// The history names the article by its title, linked to it.
		p.wantText(t, "timeline", "Knowledge article linked to the ticket: Invoices export checklist")
		if !slices.Contains(p.links(), "/kb/"+itoa(proc.ID)) || strings.Contains(p.text("timeline"), "#"+itoa(proc.ID)) {
			t.Errorf("the timeline does not link the article by its title: %q", p.text("timeline"))
		}
		// A failed form re-renders the ticket page, the message at the top of the panel.
		bad := agent.post(tk+"/articles", url.Values{"csrf": {tok}, "article": {"abc"}}).want(t, http.StatusUnprocessableEntity)
		bad.wantText(t, "knowledge", "choose an article")
		bad.wantText(t, "timeline", "Invoices export checklist")
		agent.post(tk+"/articles", url.Values{"csrf": {tok}, "article": {"999999"}}).want(t, http.StatusNotFound)

		// Follow it: its steps, each ticked with a note into the history.
		proc1 := "kb-step-" + itoa(proc.ID) + "-1"
		p.wantText(t, proc1, "Restart the exporter", "The status page is green")
		if steps := byID(p.doc, "kb-proc-"+itoa(proc.ID)); steps == nil || len(byTag(steps, "li")) != 2 {
			t.Errorf("the procedure does not show its 2 steps: %q", p.text("kb-proc-"+itoa(proc.ID)))
		}
		r = agent.post(tk+"/procedure", url.Values{"csrf": {tok}, "article": {itoa(proc.ID)}, "lang": {"en"}, "step": {"1"},
			"note": {"exporter restarted, <i>green</i>"}}).want(t, http.StatusSeeOther)
		p = agent.get(r.location())
		p.wantText(t, proc1, "Done by", "exporter restarted, <i>green</i>")
		p.wantText(t, "timeline", "Step 1 done: Restart the exporter — procedure Invoices export checklist", "(exporter restarted, <i>green</i>)")
		if strings.Contains(p.text("kb-step-"+itoa(proc.ID)+"-2"), "Done by") {
			t.Error("step 2 shows as done")
		}
		bad = agent.post(tk+"/procedure", url.Values{"csrf": {tok}, "article": {itoa(proc.ID)}, "lang": {"en"}, "step": {"9"},
			"note": {"kept note"}}).want(t, http.StatusUnprocessableEntity)
		if msg := byClass(byID(bad.doc, "knowledge"), "alert"); len(msg) != 1 {
			t.Errorf("no message in the panel: %q", bad.text("knowledge"))
		}
		agent.post(tk+"/procedure", url.Values{"csrf": {tok}, "article": {itoa(proc.ID)}, "lang": {"en"}, "step": {"1"},
			"note": {strings.Repeat("x", 2001)}}).want(t, http.StatusUnprocessableEntity)
		// The note of a failed tick stays in its step's field.
		bad = agent.post(tk+"/procedure", url.Values{"csrf": {tok}, "article": {itoa(proc.ID)}, "lang": {"de"}, "step": {"1"},
			"note": {"seen <b>it</b>"}}).want(t, http.StatusUnprocessableEntity)
		bad.wantText(t, "knowledge", "must be fr or en")
		if in := byID(bad.doc, "kb-note-"+itoa(proc.ID)+"-1"); in == nil || attr(in, "value") != "seen <b>it</b>" {
			t.Errorf("the note is lost: %v", in)
		}
		if in := byID(bad.doc, "kb-note-"+itoa(proc.ID)+"-2"); in == nil || attr(in, "value") != "" {
			t.Errorf("the note shows in another step: %v", in)
		}

		// In French.
		fr := ws.client()
		fr.header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		fr.login(d.agent.Email, password)
		frp := fr.get(tk).want(t, http.StatusOK)
		frp.wantText(t, "knowledge", "Connaissances", "Articles liés", "Afficher les tickets résolus similaires")
		frp.wantText(t, "timeline", "Article de connaissance lié au ticket : Invoices export checklist",
			"Étape 1 faite : Restart the exporter — procédure Invoices export checklist")
		frp = fr.get(tk+"?knowledge=1").want(t, http.StatusOK)
		frp.wantText(t, "knowledge", "Tickets résolus similaires", "Articles pertinents")
		// The panel's messages in French.
		frTok := fr.csrf()
		for _, c := range []struct {
			path string
			form url.Values
			want string
		}{
			{tk + "/articles", url.Values{"article": {"abc"}}, "choisissez un article"},
			{tk + "/procedure", url.Values{"article": {itoa(proc.ID)}, "lang": {"en"}, "step": {"9"}},
				"la procédure " + itoa(proc.ID) + " n'a pas d'étape 9 en en"},
			{tk + "/procedure", url.Values{"article": {itoa(proc.ID)}, "lang": {"en"}, "step": {"x"}}, "choisissez une étape de la procédure"},
			{tk + "/procedure", url.Values{"article": {itoa(proc.ID)}, "lang": {"en"}, "step": {"1"}, "note": {strings.Repeat("é", 2001)}},
				"dépasse 2000 caractères"},
		} {
			c.form.Set("csrf", frTok)
			fr.post(c.path, c.form).want(t, http.StatusUnprocessableEntity).wantText(t, "knowledge", c.want)
		}

		// Customers: no workspace, no Knowledge panel, no history line of it in the portal.
		alice := ws.client()
		alice.login(d.alice.Email, password)
		alice.get(tk).want(t, http.StatusForbidden)
		alice.get(tk+"/knowledge").want(t, http.StatusForbidden)
		alice.get(tk+"?knowledge=1").want(t, http.StatusForbidden)
		alice.post(tk+"/articles/"+itoa(proc.ID)+"/unlink", url.Values{"csrf": {alice.csrf()}}).want(t, http.StatusForbidden)
		portal := alice.get("/requests/"+d.acmeReq.Key).want(t, http.StatusOK)
		if strings.Contains(portal.body, "Knowledge article") || strings.Contains(portal.body, "Restart the exporter") {
			t.Error("the portal shows the ticket's knowledge-base history")
		}

		// Unlink.
		r = agent.post(tk+"/articles/"+itoa(proc.ID)+"/unlink", url.Values{"csrf": {tok}}).want(t, http.StatusSeeOther)
		if r.location() != tk+"?done=kb_unlinked#knowledge" {
			t.Errorf("unlink → %s", r.location())
		}
		p = agent.get(r.location())
		p.wantText(t, "kb-linked", "No article is linked")
		p.wantText(t, "timeline", "Knowledge article unlinked from the ticket: Invoices export checklist")
		if byID(p.doc, "kb-proc-"+itoa(proc.ID)) != nil {
			t.Error("an unlinked procedure still shows its steps")
		}
		agent.post(tk+"/articles/"+itoa(proc.ID)+"/unlink", url.Values{"csrf": {tok}}).want(t, http.StatusNotFound)
	})
}

// TestBrowserKBTicketLists: in a browser, the ticket page's script fetches the searched lists of
// the Knowledge panel and puts them in place of the link, and a relevant article can be linked
// from them.
func TestBrowserKBTicketLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db) // ACME's "Invoices export fails"
		ws := startSite(t, db)
		done := fileTicket(t, db, d.bob, opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Invoices export fails at night", Description: "Globex's export."})
		kbResolve(t, db, d.agent, done.Key)
		a := kbArticle(t, db, d, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{{Lang: opsdesk.LangEN,
			Title: "Invoices export <i>timeouts</i>", Body: "Restart the exporter."}}}, false)

		b := newBrowser(t, ws)
		b.login(d.agent.Email)
		b.open("/tickets/" + d.acmeReq.Key)
		b.waitText("#kb-lists", "Similar resolved tickets")
		b.wantText("#kb-similar", done.Key)
		b.wantText("#kb-articles", "Invoices export <i>timeouts</i>")
		if got := b.eval(`String(document.querySelectorAll("#kb-load").length)`); got != "0" {
			t.Error("the link to the page with the lists is still shown")
		}
		b.load(chromedp.Click(chromedp.CSS(`#kb-articles form[action$="/articles"] button`)))
		b.waitText("#kb-linked", "Invoices export <i>timeouts</i>")
		if links, err := db.TicketArticles(as(d.agent), d.acmeReq.Key, ""); err != nil || len(links) != 1 || links[0].ArticleID != a.ID {
			t.Errorf("links after the click: %+v, %v", links, err)
		}
		b.noScriptErrors()
	})
}
