package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// resolvedWithLink takes and resolves a ticket as the agent and returns a survey link's token.
func resolvedWithLink(t *testing.T, db *store.DB, agent *opsdesk.User, tk *opsdesk.Ticket) string {
	t.Helper()
	if _, err := db.Take(as(agent), tk.Key); err != nil {
		t.Fatal(err)
	}
	st := opsdesk.StatusResolved
	if _, err := db.UpdateTicket(as(agent), tk.Key, opsdesk.TicketPatch{Status: &st,
		Resolution: &opsdesk.Resolution{Summary: "Rebuilt the export index.", Cause: "defect"}}); err != nil {
		t.Fatal(err)
	}
	tok, err := db.IssueSurveyLink(system, tk.ID)
	if err != nil || tok == "" {
		t.Fatalf("issue link: %q %v", tok, err)
	}
	return tok
}

func statusOf(t *testing.T, db *store.DB, key string) opsdesk.Status {
	t.Helper()
	tk, err := db.TicketByKey(system, key)
	if err != nil {
		t.Fatal(err)
	}
	return tk.Status
}

func checked(p *page, name, value string) bool {
	for _, n := range findAll(p.doc, func(n *htmlNode) bool {
		return n.Data == "input" && attr(n, "name") == name && attr(n, "value") == value
	}) {
		return hasAttr(n, "checked")
	}
	return false
}

// TestSurveyLinkPage: the mailed link shows the survey in the requester's language without
// answering it; the POST records the answer once; a second answer, an expired, forged or altered
// link each get their page.
func TestSurveyLinkPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		site := startSite(t, db)
		now := time.Now()
		db.Now = func() time.Time { return now }
		// Bob reads English; Alice's organisation speaks French (the default).
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE contacts SET lang = 'en' WHERE email = ?`), d.bob.Email); err != nil {
			t.Fatal(err)
		}
		frTok := resolvedWithLink(t, db, d.agent, d.acmeReq)
		enTok := resolvedWithLink(t, db, d.agent, d.globexReq)
		anon := site.client()

		// GET, twice (a mail scanner, then the person): the form, the answer preselected, nothing recorded.
		for range 2 {
			p := anon.get("/survey/"+frTok+"?solved=yes").want(t, http.StatusOK)
			if p.htmlLang() != "fr" || !checked(p, "solved", "yes") || checked(p, "solved", "no") ||
				!strings.Contains(p.text("survey-summary"), "Rebuilt the export index.") || !strings.Contains(p.text("survey"), "Le problème est-il réglé") {
				t.Fatalf("French survey page: lang %q, text %q", p.htmlLang(), p.text("survey"))
			}
			p.form(t, "/survey/"+frTok)
			if p.header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("Referrer-Policy = %q", p.header.Get("Referrer-Policy"))
			}
		}
		if st := statusOf(t, db, d.acmeReq.Key); st != opsdesk.StatusResolved {
			t.Fatalf("status after GET = %s", st)
		}
		p := anon.get("/survey/"+enTok+"?solved=no").want(t, http.StatusOK)
		if p.htmlLang() != "en" || !checked(p, "solved", "no") || !strings.Contains(p.text("survey"), "Is the problem solved?") {
			t.Fatalf("English survey page: lang %q, text %q", p.htmlLang(), p.text("survey"))
		}

		// Solved without a rating: the form again, with the message and the choice kept.
		p = anon.submit("/survey/"+frTok+"?solved=yes", "/survey/"+frTok, url.Values{"comment": {"Merci"}}).want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(p.text("survey-rating-error"), "note de 1 à 5") || !checked(p, "solved", "yes") || p.text("survey-comment") != "Merci" {
			t.Fatalf("invalid answer page: %q", p.text("survey"))
		}
		// A cross-site POST is refused by the cross-origin protection.
		cross := site.client()
		cross.header.Set("Sec-Fetch-Site", "cross-site")
		cross.post("/survey/"+frTok, url.Values{"solved": {"yes"}, "rating": {"1"}}).want(t, http.StatusForbidden)
		if st := statusOf(t, db, d.acmeReq.Key); st != opsdesk.StatusResolved {
			t.Fatalf("status after refused answers = %s", st)
		}

		// The answer: recorded, the thanks shown after the redirect, the request closed.
		p = anon.submit("/survey/"+frTok+"?solved=yes", "/survey/"+frTok, url.Values{"rating": {"5"}}).want(t, http.StatusSeeOther)
		if p.location() != "/survey/"+frTok+"?done=1" {
			t.Fatalf("redirect to %q", p.location())
		}
		if p = anon.get(p.location()).want(t, http.StatusOK); p.text("survey-thanks") == "" {
			t.Errorf("no thanks: %q", p.text("survey"))
		}
		if st := statusOf(t, db, d.acmeReq.Key); st != opsdesk.StatusClosed {
			t.Fatalf("status after yes = %s", st)
		}
		// Reused: already answered, on GET and POST.
		if p = anon.get("/survey/"+frTok).want(t, http.StatusConflict); p.text("survey-answered") == "" {
			t.Errorf("reused link page: %q", p.text("main"))
		}
		anon.post("/survey/"+frTok, url.Values{"solved": {"no"}, "comment": {"again"}}).want(t, http.StatusConflict)

		// "Not solved" in English reopens Bob's request with his comment.
		anon.post("/survey/"+enTok, url.Values{"solved": {"no"}, "comment": {"The March export still fails"}}).want(t, http.StatusSeeOther)
		msgs, _ := db.Messages(system, d.globexReq.Key)
		if st := statusOf(t, db, d.globexReq.Key); st != opsdesk.StatusOpen || msgs[len(msgs)-1].Body != "The March export still fails" {
			t.Fatalf("after no: %s, last message %q", st, msgs[len(msgs)-1].Body)
		}

		// Forged and altered links: the plain not-found page, no form, no hint.
		altered := enTok[:10] + strings.Map(func(r rune) rune {
			if r == 'A' {
				return 'B'
			}
			return 'A'
		}, enTok[10:11]) + enTok[11:]
		for _, bad := range []string{strings.Repeat("x", 43), altered, "short"} {
			p := anon.get("/survey/"+bad).want(t, http.StatusNotFound)
			if p.doc != nil && len(findAll(p.doc, func(n *htmlNode) bool { return n.Data == "form" && strings.HasPrefix(attr(n, "action"), "/survey/") })) != 0 {
				t.Errorf("%s: a form on the not-found page", bad)
			}
			anon.post("/survey/"+bad, url.Values{"solved": {"yes"}, "rating": {"5"}}).want(t, http.StatusNotFound)
		}

		// Superseded and expired: links of later resolutions.
		st := opsdesk.StatusResolved
		if _, err := db.UpdateTicket(as(d.agent), d.globexReq.Key, opsdesk.TicketPatch{Status: &st,
			Resolution: &opsdesk.Resolution{Summary: "Second fix.", Cause: "defect"}}); err != nil {
			t.Fatal(err)
		}
		mid, _ := db.IssueSurveyLink(system, d.globexReq.ID)
		open := opsdesk.StatusOpen
		if _, err := db.UpdateTicket(as(d.agent), d.globexReq.Key, opsdesk.TicketPatch{Status: &open, Reason: "not quite"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateTicket(as(d.agent), d.globexReq.Key, opsdesk.TicketPatch{Status: &st,
			Resolution: &opsdesk.Resolution{Summary: "Third fix.", Cause: "defect"}}); err != nil {
			t.Fatal(err)
		}
		late, _ := db.IssueSurveyLink(system, d.globexReq.ID)
		// The earlier resolution's link is superseded.
		if p = anon.get("/survey/"+mid).want(t, http.StatusGone); p.text("survey-superseded") == "" {
			t.Errorf("superseded link page: %q", p.text("main"))
		}
		now = now.Add(store.DefaultSurveyValidity + time.Hour)
		if p = anon.get("/survey/"+late).want(t, http.StatusGone); p.text("survey-expired") == "" || p.htmlLang() != "en" {
			t.Errorf("expired link page: %q", p.text("main"))
		}
		anon.post("/survey/"+late, url.Values{"solved": {"yes"}, "rating": {"3"}}).want(t, http.StatusGone)
		if st := statusOf(t, db, d.globexReq.Key); st != opsdesk.StatusResolved {
			t.Errorf("status after an expired answer = %s", st)
		}
	})
}

// TestSurveyLinkRateLimit: past the limit of unknown tokens, the client gets 429, even with a
// good link.
func TestSurveyLinkRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		site := startSite(t, db)
		tok := resolvedWithLink(t, db, d.agent, d.acmeReq)
		anon := site.client()
		for range 20 {
			anon.get("/survey/"+strings.Repeat("y", 43)).want(t, http.StatusNotFound)
		}
		anon.get("/survey/"+tok).want(t, http.StatusTooManyRequests)
	})
}

// TestPortalSurvey: the customer answers on the request page; another organisation's user
// cannot.
func TestPortalSurvey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		site := startSite(t, db)
		resolvedWithLink(t, db, d.agent, d.acmeReq)
		path := "/requests/" + d.acmeReq.Key

		bob := site.client()
		bob.login(d.bob.Email, password)
		v := formValues(bob.get("/requests").form(t, "/logout"))
		v.Set("solved", "yes")
		v.Set("rating", "5")
		bob.post(path+"/survey", v).want(t, http.StatusNotFound)

		alice := site.client()
		alice.login(d.alice.Email, password)
		p := alice.get(path).want(t, http.StatusOK)
		p.form(t, path+"/survey")
		if !strings.Contains(p.text("survey-summary"), "Rebuilt the export index.") {
			t.Errorf("summary on the request page: %q", p.text("survey"))
		}
		p = alice.submit(path, path+"/survey", url.Values{"solved": {"no"}}).want(t, http.StatusUnprocessableEntity)
		if p.text("survey-comment-error") == "" {
			t.Errorf("no comment error: %q", p.text("survey"))
		}
		p = alice.submit(path, path+"/survey", url.Values{"solved": {"no"}, "rating": {"2"}, "comment": {"Still slow"}}).want(t, http.StatusSeeOther)
		if st := statusOf(t, db, d.acmeReq.Key); st != opsdesk.StatusOpen {
			t.Fatalf("status after no = %s", st)
		}
		list, err := db.TicketSurveys(system, d.acmeReq.Key)
		if err != nil || len(list) != 1 || list[0].State != opsdesk.SurveyAnswered || list[0].Rating != 2 || list[0].Channel != opsdesk.SurveyByPortal {
			t.Fatalf("surveys: %+v %v", list, err)
		}
		// Recorded once: a replayed POST finds no survey waiting.
		v = formValues(alice.get(path).form(t, "/logout"))
		v.Set("solved", "yes")
		v.Set("rating", "5")
		alice.post(path+"/survey", v).want(t, http.StatusConflict)

		// The agent sees the answer on the ticket page.
		agent := site.client()
		agent.login(d.agent.Email, password)
		p = agent.get("/tickets/"+d.acmeReq.Key).want(t, http.StatusOK)
		if got := p.text("surveys"); !strings.Contains(got, "No, it is not") || !strings.Contains(got, "rated 2/5") || !strings.Contains(got, "Still slow") {
			t.Errorf("surveys panel: %q", got)
		}
	})
}

// TestSurveyLinkDoubleSubmit: two POSTs of the same answer at once (a double click, two tabs)
// record one answer; the other gets the "already answered" page.
func TestSurveyLinkDoubleSubmit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		site := startSite(t, db)
		tok := resolvedWithLink(t, db, d.agent, d.acmeReq)
		statuses := make([]int, 4)
		var wg sync.WaitGroup
		for i := range statuses {
			c := site.client()
			wg.Go(func() {
				statuses[i] = c.post("/survey/"+tok, url.Values{"solved": {"yes"}, "rating": {"4"}}).status
			})
		}
		wg.Wait()
		slices.Sort(statuses)
		if !slices.Equal(statuses, []int{http.StatusSeeOther, http.StatusConflict, http.StatusConflict, http.StatusConflict}) {
			t.Fatalf("statuses %v, want one 303 and 409s", statuses)
		}
		list, err := db.TicketSurveys(system, d.acmeReq.Key)
		if err != nil || len(list) != 1 || list[0].State != opsdesk.SurveyAnswered {
			t.Fatalf("surveys: %+v %v", list, err)
		}
	})
}
