package web_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserKnowledgeLoop drives the whole follow-up loop of a request in real browsers: the
// customer is offered a help article while filing, files anyway; the agent resolves with a
// summary and a cause; the resolution mail's "yes" link, opened without a session, confirms and
// rates; and at closure the agent turns the ticket into a draft article, prefilled.
func TestBrowserKnowledgeLoop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ms := startMailSite(t, db)
		kbArticle(t, db, d, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Texts: []opsdesk.ArticleText{{
			Lang: opsdesk.LangEN, Title: "Payroll report stays empty", Body: "Check the period filter first."}}}, true)

		// The customer types the subject: the published article is suggested. It does not
		// answer their question, so they file the request.
		customer := newBrowser(t, ms.site)
		customer.login(d.alice.Email)
		customer.open("/requests/new")
		customer.do(chromedp.SendKeys(chromedp.ID("request-subject"), "payroll report empty"))
		customer.waitText("#suggest-results", "Payroll report stays empty")
		customer.do(
			chromedp.Click(chromedp.ID("request-severity-minor")),
			chromedp.SetValue(chromedp.ID("request-category"), "application"),
			chromedp.SendKeys(chromedp.ID("request-description"), "The payroll report of October shows no line."),
		)
		customer.load(chromedp.Click(chromedp.ID("request-submit")))
		key := strings.TrimPrefix(customer.eval(`location.pathname`), "/requests/")
		if !regexp.MustCompile(`^[A-Z]+-\d+$`).MatchString(key) {
			t.Fatalf("after filing, the customer is on %q", customer.eval(`location.pathname`))
		}
		customer.wantText("h1", "payroll report empty")

		// The agent takes it and resolves it, with a summary and a cause.
		agent := newBrowser(t, ms.site)
		agent.login(d.agent.Email)
		agent.open("/tickets/" + key)
		agent.load(chromedp.Click(chromedp.ID("take-button")))
		agent.do(
			chromedp.SetValue(chromedp.ID("status-status"), "resolved"),
			chromedp.SetValue(chromedp.ID("status-resolution"), "The October period was not closed; closed it and regenerated the report."),
			chromedp.SetValue(chromedp.ID("status-cause"), "data"),
		)
		agent.load(chromedp.Click(chromedp.CSS(`#status button[type="submit"]`)))
		agent.wantText("#ticket-status", "Resolved")
		agent.wantText("#resolution-summary", "The October period was not closed")

		// The notifier writes the resolution mail; its "yes" link is opened in a browser with
		// no session, as from a mail client.
		notifyAll(t, db, ms)
		link := resolutionLink(t, db, key, "yes")
		requester := newBrowser(t, ms.site)
		requester.open(link)
		requester.wantText("main", key, "The October period was not closed")
		if got := requester.eval(`document.getElementById("survey-solved-yes").checked ? "yes" : "no"`); got != "yes" {
			t.Fatalf("the mailed answer is not ticked")
		}
		requester.do(chromedp.Click(chromedp.ID("survey-rating-5")), chromedp.SendKeys(chromedp.ID("survey-comment"), "Quick and clear."))
		requester.load(chromedp.Click(chromedp.ID("survey-submit")))
		requester.wantText("#survey-thanks", "Merci") // Acme speaks French: so do its mails and the page
		if st := statusOf(t, db, key); st != opsdesk.StatusClosed {
			t.Fatalf("after the answer the ticket is %s, want closed", st)
		}
		surveys, err := db.TicketSurveys(as(d.agent), key)
		if err != nil || len(surveys) != 1 || surveys[0].Rating != 5 || surveys[0].Channel != opsdesk.SurveyByLink {
			t.Fatalf("surveys: %+v, %v", surveys, err)
		}

		// At closure the agent records the case: a draft prefilled from the ticket.
		agent.open("/tickets/" + key)
		agent.wantText("#ticket-status", "Closed")
		agent.load(chromedp.Click(chromedp.ID("kb-draft-button")))
		if p := agent.eval(`location.pathname`); !regexp.MustCompile(`^/kb/\d+/edit$`).MatchString(p) {
			t.Fatalf("the draft button leads to %q", p)
		}
		// The draft is in the requester's language: Acme's, French.
		title := agent.eval(`document.getElementById("kb-fr_title").value`)
		body := agent.eval(`document.getElementById("kb-fr_body").value`)
		if title != "payroll report empty" || !strings.Contains(body, "The payroll report of October shows no line.") ||
			!strings.Contains(body, "The October period was not closed") {
			t.Fatalf("draft prefilled with title %q and body:\n%s", title, body)
		}
		agent.load(chromedp.Click(chromedp.CSS(`#kb-form button[type="submit"]`)))
		agent.wantText("main", "payroll report empty", "The October period was not closed")
		arts, err := db.TicketArticles(as(d.agent), key, opsdesk.LangFR)
		if err != nil || len(arts) != 1 {
			t.Fatalf("articles linked to %s: %+v, %v", key, arts, err)
		}
		customer.noScriptErrors()
		agent.noScriptErrors()
		requester.noScriptErrors()
	})
}

// notifyAll hands every queued ticket event to the site's notifier, as the job runner does.
func notifyAll(t *testing.T, db *store.DB, ms *mailSite) {
	t.Helper()
	rows, err := db.SQL().Query(db.Rebind(`SELECT payload FROM jobs WHERE kind = ? ORDER BY id`), opsdesk.TicketEventJob)
	if err != nil {
		t.Fatal(err)
	}
	var evs []opsdesk.TicketEvent
	for rows.Next() {
		var payload string
		var ev opsdesk.TicketEvent
		if err := rows.Scan(&payload); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(payload), &ev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if err := ms.mail.OnTicketEvent(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
	}
}

// resolutionLink finds, in the resolution mail of ticket key, the survey link of the answer
// ("yes" or "no"), and returns its path and query (the mail names the configured site, the
// test server listens elsewhere).
func resolutionLink(t *testing.T, db *store.DB, key, answer string) string {
	t.Helper()
	mails, err := db.ListOutbox(system, store.OutboxFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`https?://\S+/survey/\S+\?solved=` + answer)
	for _, m := range mails {
		if m.TicketKey != key || m.Kind != "resolved" {
			continue
		}
		raw := re.FindString(m.Text)
		if raw == "" {
			t.Fatalf("the resolution mail has no %q link:\n%s", answer, m.Text)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return u.RequestURI()
	}
	t.Fatalf("no resolution mail for %s among %d", key, len(mails))
	return ""
}
