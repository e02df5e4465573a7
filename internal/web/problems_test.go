package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestProblemPages walks an agent through a problem: record it, link the two requests (one from
// the ticket's page, one from the problem's), edit it into a known error, unlink, resolve with
// the requesters notified — and checks that customers reach none of it.
func TestProblemPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)

		// The staff menu leads to the list, empty at first.
		list := agent.get("/problems").want(t, http.StatusOK)
		if !slices.ContainsFunc(findAll(list.doc, func(n *html.Node) bool { return n.Data == "a" }), func(n *html.Node) bool {
			return attr(n, "href") == "/problems" && textOf(n) == "Problems"
		}) {
			t.Error("no Problems link in the navigation")
		}
		if got := list.rows(); len(got) != 0 {
			t.Fatalf("problems at start: %v", got)
		}

		// A known error needs a workaround: the form says so and keeps the input.
		p := agent.submit("/problems/new", "/problems", url.Values{"title": {"Exports time out"}, "status": {"known_error"}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "problem-workaround-error", "a known error needs its workaround")
		if attr(p.input("title"), "value") != "Exports time out" {
			t.Error("the failed form lost the title")
		}
		created := agent.submit("/problems/new", "/problems", url.Values{"title": {"Exports time out"}, "description": {"Since 4.1"}})
		if created.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", created.status, created.body)
		}
		ps, err := db.ListProblems(as(d.agent), opsdesk.ProblemFilter{})
		if err != nil || len(ps) != 1 || ps[0].Title != "Exports time out" || ps[0].OwnerID != d.agent.ID {
			t.Fatalf("stored problems: %+v %v", ps, err)
		}
		prb := ps[0]
		base := "/problems/" + strconv.FormatInt(prb.ID, 10)
		if created.location() != base+"?done=problem_created" {
			t.Fatalf("created → %s", created.location())
		}
		if got := agent.get("/problems").rows(); !slices.Equal(got, []string{prb.Key}) {
			t.Errorf("list = %v", got)
		}

		// From the ticket page: the Problem box offers the open problem, and links it.
		tk := "/tickets/" + d.acmeReq.Key
		box := agent.get(tk).want(t, http.StatusOK)
		if byID(box.doc, "problem") == nil || box.form(t, tk+"/problem") == nil {
			t.Fatal("the ticket page has no Problem box with its form")
		}
		p = agent.follow(agent.submit(tk, tk+"/problem", nil))
		p.wantText(t, "problem-link", prb.Key, "Exports time out")
		p.wantText(t, "timeline", "Problem", prb.Key)

		// From the problem page: link Globex's request by number; the same again is refused.
		p = agent.follow(agent.submit(base, base+"/tickets", url.Values{"ticket": {d.globexReq.Key}}))
		if got := p.rows(); !slices.Equal(got, []string{d.acmeReq.Key, d.globexReq.Key}) {
			t.Fatalf("linked = %v", got)
		}
		p = agent.submit(base, base+"/tickets", url.Values{"ticket": {d.globexReq.Key}}).want(t, http.StatusConflict)
		p.wantText(t, "link-ticket-error", "already linked")
		p = agent.submit(base, base+"/tickets", url.Values{"ticket": {"OPS-9999"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "link-ticket-error", "There is no ticket OPS-9999.")

		// Edit: root cause and workaround make it a known error.
		p = agent.follow(agent.submit(base, base, url.Values{"root_cause": {"Missing index"}, "workaround": {"Export by month"},
			"status": {"known_error"}}))
		p.wantText(t, "problem-status", "Known error")
		if got, _ := db.ProblemByID(as(d.agent), prb.ID); got.RootCause != "Missing index" || got.Workaround != "Export by month" {
			t.Errorf("after edit: %+v", got)
		}

		// In French.
		fr := ws.client()
		fr.header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		fr.login(d.agent.Email, password)
		frPage := fr.get(base).want(t, http.StatusOK)
		frPage.wantText(t, "problem-status", "Erreur connue")
		frPage.wantText(t, "edit", "Cause racine", "Contournement")

		// Unlink Globex's request.
		p = agent.follow(agent.submit(base, base+"/tickets/"+d.globexReq.Key+"/unlink", nil))
		if got := p.rows(); !slices.Equal(got, []string{d.acmeReq.Key}) {
			t.Fatalf("after unlink = %v", got)
		}

		// Resolve: notifying needs a message; with it, Acme's request gets it once.
		p = agent.submit(base, base+"/resolve", url.Values{"notify": {"on"}, "message": {""}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "resolve-message-error", "is required to notify the requesters")
		p = agent.follow(agent.submit(base, base+"/resolve", url.Values{"notify": {"on"}, "message": {"Fixed in 4.2, exports work again."}}))
		p.wantText(t, "problem-status", "Resolved")
		p.wantText(t, "linked", d.acmeReq.Key, "yes")
		count := func(key string) int {
			msgs, err := db.Messages(as(d.agent), key)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range msgs {
				if m.Body == "Fixed in 4.2, exports work again." && !m.Internal {
					n++
				}
			}
			return n
		}
		agent.submit(base, base+"/resolve", url.Values{"notify": {"on"}, "message": {"Fixed in 4.2, exports work again."}}).want(t, http.StatusSeeOther)
		if a, g := count(d.acmeReq.Key), count(d.globexReq.Key); a != 1 || g != 0 {
			t.Errorf("resolution messages: ACME %d, GLOBEX %d; want 1 and 0", a, g)
		}

		// Customers reach none of it: the pages, the forms, the ticket box.
		alice := ws.client()
		alice.login(d.alice.Email, password)
		csrf := alice.csrf()
		for _, c := range []struct{ method, path string }{
			{"GET", "/problems"}, {"GET", "/problems/new"}, {"GET", base},
			{"POST", "/problems"}, {"POST", base}, {"POST", base + "/tickets"}, {"POST", base + "/resolve"},
			{"POST", base + "/tickets/" + d.acmeReq.Key + "/unlink"}, {"POST", tk + "/problem"},
		} {
			var form url.Values
			if c.method == "POST" {
				form = url.Values{"csrf": {csrf}, "title": {"x"}, "ticket": {d.acmeReq.Key}, "problem": {strconv.FormatInt(prb.ID, 10)},
					"notify": {"on"}, "message": {"stolen"}}
			}
			r := alice.do(c.method, c.path, form)
			if r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("customer %s %s: %d, want 403 or 404", c.method, c.path, r.status)
			}
		}
		if got := alice.get("/requests/"+d.acmeReq.Key).want(t, http.StatusOK); byID(got.doc, "problem") != nil {
			t.Error("the portal shows the Problem box")
		}
		if got, _ := db.ProblemByID(as(d.agent), prb.ID); got.Title != "Exports time out" || got.Tickets != 1 {
			t.Errorf("the customer changed the problem: %+v", got)
		}
		if n := count(d.acmeReq.Key); n != 1 {
			t.Errorf("ACME's request has %d resolution messages after the customer's tries", n)
		}
	})
}
