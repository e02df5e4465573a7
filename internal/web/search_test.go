package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// hit is one result of a search page: its kind, key (ticket number or article id), link, and
// the matched words of its title and snippet.
type hit struct {
	kind, key, href string
	marks           []string
}

func hits(p *page) []hit {
	var out []hit
	for _, li := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "li" && attr(n, "data-kind") != "" }) {
		h := hit{kind: attr(li, "data-kind"), key: attr(li, "data-key")}
		if as := byClass(li, "hit-title"); len(as) > 0 {
			h.href = attr(as[0], "href")
		}
		for _, m := range byTag(li, "mark") {
			h.marks = append(h.marks, textOf(m))
		}
		out = append(out, h)
	}
	return out
}

func searchURL(q, kind string) string {
	return "/search?" + url.Values{"q": {q}, "kind": {kind}}.Encode()
}

// TestSearchPage checks the search page: highlighted, escaped hits linking to where each reader
// reads them, and a customer who never finds another customer's request nor an article that is
// not published for them.
func TestSearchPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent, alice := ws.client(), ws.client()
		agent.login(d.agent.Email, password)
		alice.login(d.alice.Email, password)

		pub, err := db.CreateArticle(as(d.ops), &opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Texts: []opsdesk.ArticleText{
			{Lang: opsdesk.LangFR, Title: "Le déploiement échoue <script>", Body: "Vérifier le serveur de déploiement."}}})
		if err != nil {
			t.Fatal(err)
		}
		publish(t, db, d.ops, pub)
		draft, err := db.CreateArticle(as(d.ops), &opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Texts: []opsdesk.ArticleText{
			{Lang: opsdesk.LangEN, Title: "Deployment draft", Body: "Not reviewed deployment notes."}}})
		if err != nil {
			t.Fatal(err)
		}

		// Staff: accents ignored, the match marked, the title escaped (no script element), links.
		p := agent.get(searchURL("deploiement", "")).want(t, http.StatusOK)
		got := hits(p)
		if len(got) != 1 || got[0].key != itoa(pub.ID) || got[0].href != "/kb/"+itoa(pub.ID)+"?lang=fr" || !slices.Contains(got[0].marks, "déploiement") {
			t.Errorf("staff article hits: %+v", got)
		}
		if got := hits(agent.get(searchURL("draft", "article"))); len(got) != 1 || got[0].href != "/kb/"+itoa(draft.ID) {
			t.Errorf("staff draft hits: %+v", got)
		}
		if n := findAll(byID(p.doc, "hits"), func(n *html.Node) bool { return n.Data == "script" }); len(n) != 0 || !strings.Contains(p.text("hits"), "<script>") {
			t.Errorf("the title is not escaped: %q", p.text("hits"))
		}
		p = agent.get(searchURL("secret", "ticket")).want(t, http.StatusOK)
		if got := hits(p); len(got) != 1 || got[0].href != "/tickets/"+d.globexReq.Key || !slices.Contains(got[0].marks, "secret") {
			t.Errorf("staff ticket search: %+v", got)
		}

		// A customer: their own request, linked in the portal; never Globex's; no draft.
		if got := hits(alice.get(searchURL("secret", ""))); len(got) != 0 {
			t.Errorf("alice finds another customer's request: %+v", got)
		}
		if got := hits(alice.get(searchURL("invoices", ""))); len(got) != 1 || got[0].href != "/requests/"+d.acmeReq.Key {
			t.Errorf("alice's own request: %+v", got)
		}
		if got := hits(alice.get(searchURL("deploiement", ""))); len(got) != 1 || got[0].key != itoa(pub.ID) {
			t.Errorf("alice's article search: %+v", got)
		}
		if got := hits(alice.get(searchURL("draft", ""))); len(got) != 0 {
			t.Errorf("alice finds a draft: %+v", got)
		}
		p = alice.get(searchURL("globex", "")).want(t, http.StatusOK)
		if len(hits(p)) != 0 || byID(p.doc, "search-none") == nil {
			t.Errorf("alice searching globex: %+v", hits(p))
		}

		// The knowledge base's own search box: articles only, the reader's.
		p = alice.get("/kb?q=deploiement").want(t, http.StatusOK)
		if ids := findAll(byID(p.doc, "kb-hits"), func(n *html.Node) bool { return n.Data == "li" }); len(ids) != 1 || attr(ids[0], "data-id") != itoa(pub.ID) {
			t.Errorf("alice's kb search: %q", p.text("main"))
		}
		p = agent.get("/kb?q=deploiement").want(t, http.StatusOK)
		if n := findAll(byID(p.doc, "kb-hits"), func(n *html.Node) bool { return n.Data == "mark" }); len(n) == 0 {
			t.Errorf("no highlight on the kb search: %q", p.text("main"))
		}
	})
}
