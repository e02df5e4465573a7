package web_test

import (
	"encoding/json"
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

// suggestedJSON asks the suggestions the way suggest.js does, and returns the articles' ids.
func suggestedJSON(t *testing.T, c *client, q string) []string {
	t.Helper()
	c.header.Set("Accept", "application/json")
	defer c.header.Del("Accept")
	p := c.get("/requests/suggest?q="+url.QueryEscape(q)).want(t, http.StatusOK)
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("suggestions as %s", ct)
	}
	var body struct {
		Articles []struct {
			ID    int64              `json:"id"`
			URL   string             `json:"url"`
			Title []opsdesk.Fragment `json:"title"`
		} `json:"articles"`
	}
	if err := json.Unmarshal([]byte(p.body), &body); err != nil {
		t.Fatalf("suggestions %q: %v", p.body, err)
	}
	ids := []string{}
	for _, a := range body.Articles {
		if !strings.HasPrefix(a.URL, "/requests/suggest/"+itoa(a.ID)+"?visit=") || len(a.Title) == 0 {
			t.Errorf("suggestion %+v: no title or no recording link", a)
		}
		ids = append(ids, itoa(a.ID))
	}
	slices.Sort(ids)
	return ids
}

// deflections counts the deflected requests over all articles.
func deflections(t *testing.T, db *store.DB, d *desk) int {
	t.Helper()
	n, err := db.DeflectionCount(as(d.agent), 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// suggestionLinks are the hrefs of the suggested articles of a page.
func suggestionLinks(p *page) []string {
	var out []string
	if n := byID(p.doc, "suggest-list"); n != nil {
		for _, a := range byTag(n, "a") {
			out = append(out, attr(a, "href"))
		}
	}
	return out
}

// TestKBSuggestions checks the portal's suggestions while filing: only the published articles
// the customer may read, as JSON for the script and as a full page without it; and the
// deflection rule — a visit that opens a suggestion and leaves counts one, a visit that opens one
// and files its request counts none.
func TestKBSuggestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		text := func(title string) []opsdesk.ArticleText {
			return []opsdesk.ArticleText{{Lang: opsdesk.LangEN, Title: title, Body: "How to get the printer driver working."}}
		}
		pub := kbArticle(t, db, d, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Texts: text("Printer driver installation")}, true)
		globex := kbArticle(t, db, d, opsdesk.NewArticle{Visibility: opsdesk.VisibleRestricted, Customers: []string{"GLOBEX"},
			Texts: text("Printer driver for Globex")}, true)
		kbArticle(t, db, d, opsdesk.NewArticle{Texts: text("Printer driver internals")}, true)
		kbArticle(t, db, d, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Texts: text("Printer driver draft")}, false)

		alice := ws.client()
		alice.login(d.alice.Email, password)
		bob := ws.client()
		bob.login(d.bob.Email, password)

		// What each customer is suggested: never another customer's restricted article, an
		// internal one or a draft.
		if got := suggestedJSON(t, alice, "printer driver broken"); !slices.Equal(got, []string{itoa(pub.ID)}) {
			t.Errorf("ACME is suggested %v, want [%d]", got, pub.ID)
		}
		if got, want := suggestedJSON(t, bob, "printer driver broken"), []string{itoa(pub.ID), itoa(globex.ID)}; !slices.Equal(got, want) {
			t.Errorf("GLOBEX is suggested %v, want %v", got, want)
		}
		if got := suggestedJSON(t, alice, "the"); len(got) != 0 {
			t.Errorf("stop words suggest %v", got)
		}
		// The same as a page: the form with the subject and the list.
		p := alice.get("/requests/suggest?q=printer+driver").want(t, http.StatusOK)
		if got := dataValues(p, "suggest-list", "data-article"); !slices.Equal(got, []string{itoa(pub.ID)}) {
			t.Errorf("page suggests %v", got)
		}
		if attr(p.input("subject"), "value") != "printer driver" {
			t.Errorf("subject = %q", attr(p.input("subject"), "value"))
		}
		if len(findAll(byID(p.doc, "suggest-list"), func(n *html.Node) bool { return n.Data == "mark" })) == 0 {
			t.Error("no highlighted word in the suggestions")
		}
		// Staff do not use the portal.
		agent := ws.client()
		agent.login(d.agent.Email, password)
		agent.get("/requests/suggest?q=printer").want(t, http.StatusForbidden)

		// The form carries the script and a visit key, new on every rendering.
		form := alice.get("/requests/new").want(t, http.StatusOK)
		if !slices.ContainsFunc(byTag(form.doc, "script"), func(n *html.Node) bool { return strings.HasPrefix(attr(n, "src"), "/static/suggest.") }) {
			t.Error("the request form does not load suggest.js")
		}
		visit := attr(form.input("visit"), "value")
		if visit == "" || visit == attr(alice.get("/requests/new").input("visit"), "value") {
			t.Errorf("visit key %q: missing or reused", visit)
		}

		// Without JavaScript: the button posts the form, which comes back with the suggestions
		// and the input kept; nothing is filed.
		before := countTickets(t, db)
		values := url.Values{"suggest": {"1"}, "subject": {"Printer driver broken"}, "description": {"My own words."}}
		p = alice.submitFiles("/requests/new", "/requests", values).want(t, http.StatusOK)
		if got := dataValues(p, "suggest-list", "data-article"); !slices.Equal(got, []string{itoa(pub.ID)}) {
			t.Errorf("the button suggests %v", got)
		}
		if textOf(p.input("description")) != "My own words." {
			t.Errorf("the description was lost: %q", textOf(p.input("description")))
		}
		if n := countTickets(t, db); n != before {
			t.Errorf("the button filed a request: %d tickets, were %d", n, before)
		}
		// The button needs the form's token like any post.
		alice.post("/requests", values).want(t, http.StatusForbidden)

		// Visit 1: open a suggestion, leave. One deflected request.
		links := suggestionLinks(p)
		if len(links) != 1 || !strings.Contains(links[0], "visit=") {
			t.Fatalf("suggestion links = %v", links)
		}
		open := alice.get(links[0]).want(t, http.StatusSeeOther)
		if open.location() != "/kb/"+itoa(pub.ID) {
			t.Errorf("a suggestion leads to %s", open.location())
		}
		alice.get(links[0]).want(t, http.StatusSeeOther) // opened twice: the same visit
		if n := deflections(t, db, d); n != 1 {
			t.Fatalf("visit → open → leave: %d deflections, want 1", n)
		}

		// Visit 2: search, open, then file with the same visit key. Still one.
		p = alice.submitFiles("/requests/new", "/requests", values).want(t, http.StatusOK)
		alice.get(suggestionLinks(p)[0]).want(t, http.StatusSeeOther)
		if n := deflections(t, db, d); n != 2 {
			t.Fatalf("second visit opened a suggestion: %d deflections, want 2", n)
		}
		v := formValues(p.form(t, "/requests"))
		v.Set("severity", "minor")
		v.Set("category", "application")
		filed := alice.postFiles("/requests", v).want(t, http.StatusSeeOther)
		if !strings.Contains(filed.location(), "done=filed") {
			t.Fatalf("filing → %s", filed.location())
		}
		if n := deflections(t, db, d); n != 1 {
			t.Errorf("visit → open → file: %d deflections, want 1 (the first visit's)", n)
		}

		// A visit key this session did not make records nothing (another site cannot count
		// deflections through a customer's browser); an article the customer may not read is
		// not found.
		forged := strings.Replace(links[0], "visit=", "visit=x", 1)
		alice.get(forged).want(t, http.StatusSeeOther)
		bobVisit := attr(bob.get("/requests/new").input("visit"), "value")
		alice.get("/requests/suggest/"+itoa(pub.ID)+"?visit="+url.QueryEscape(bobVisit)).want(t, http.StatusSeeOther)
		if n := deflections(t, db, d); n != 1 {
			t.Errorf("forged visits counted: %d", n)
		}
		p = alice.get("/requests/new")
		aliceVisit := attr(p.input("visit"), "value")
		alice.get("/requests/suggest/"+itoa(globex.ID)+"?visit="+url.QueryEscape(aliceVisit)).want(t, http.StatusNotFound)
		if n := deflections(t, db, d); n != 1 {
			t.Errorf("an unreadable article counted: %d", n)
		}
	})
}

// TestBrowserKBSuggest types a subject into the request form in a real browser: after a pause,
// suggest.js lists the matching published article, highlighted, its link recording the visit.
func TestBrowserKBSuggest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		pub := kbArticle(t, db, d, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Texts: []opsdesk.ArticleText{{
			Lang: opsdesk.LangEN, Title: "Printer driver installation", Body: "Install the <b>driver</b> again."}}}, true)
		kbArticle(t, db, d, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{{Lang: opsdesk.LangEN, Title: "Printer driver internals"}}}, true)

		b := newBrowser(t, ws)
		b.login(d.alice.Email)
		b.open("/requests/new")
		if got := b.eval(`document.getElementById("suggest-results").innerText.trim()`); got != "" {
			t.Errorf("suggestions before typing: %q", got)
		}
		b.do(chromedp.SendKeys(chromedp.ID("request-subject"), "printer driver broken"))
		b.waitText("#suggest-results", "Printer driver installation")
		b.wantText("#suggest-results", "Help articles that may answer your question")
		if got := b.eval(`String(document.querySelectorAll("#suggest-list li").length)`); got != "1" {
			t.Errorf("%s suggestions, want 1 (never the internal article): %q", got, b.text("#suggest-results"))
		}
		if got := b.eval(`Array.from(document.querySelectorAll("#suggest-list mark")).map(m => m.textContent).join(",")`); !strings.Contains(got, "Printer") {
			t.Errorf("highlighted words = %q", got)
		}
		if got := b.eval(`String(document.querySelectorAll("#suggest-list b").length)`); got != "0" {
			t.Error("markup of an article is not escaped")
		}
		visit := b.eval(`document.querySelector("input[name=visit]").value`)
		href := b.eval(`document.querySelector("#suggest-list a").getAttribute("href")`)
		if want := "/requests/suggest/" + itoa(pub.ID) + "?visit=" + url.QueryEscape(visit); href != want {
			t.Errorf("suggestion link %q, want %q", href, want)
		}
		b.noScriptErrors()
	})
}
