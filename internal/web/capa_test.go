package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// actionRows are the action ids of the list page, in order.
func actionRows(p *page) []string {
	var out []string
	for _, tr := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-id") != "" }) {
		out = append(out, attr(tr, "data-id"))
	}
	return out
}

// moveButtons are the status moves an action's page offers.
func moveButtons(p *page) []string {
	var out []string
	for _, b := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "button" && attr(n, "data-move") != "" }) {
		out = append(out, attr(b, "data-move"))
	}
	return out
}

// TestCAPAPages walks the team through an action: proposed from a problem's page, refused while
// its form is wrong, started and finished by an agent, checked; a suggestion rejected by the ops
// manager (a reason required); the list's filters and counts; and customers kept out.
func TestCAPAPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)

		list := agent.get("/actions").want(t, http.StatusOK)
		if !slices.ContainsFunc(findAll(list.doc, func(n *html.Node) bool { return n.Data == "a" }), func(n *html.Node) bool {
			return attr(n, "href") == "/actions" && textOf(n) == "Actions"
		}) {
			t.Error("no Actions link in the navigation")
		}
		if got := actionRows(list); len(got) != 0 {
			t.Fatalf("actions at start: %v", got)
		}

		// The problem page proposes an action with the problem as its source.
		prb := &opsdesk.Problem{Title: "Exports time out"}
		if err := db.CreateProblem(as(d.agent), prb); err != nil {
			t.Fatal(err)
		}
		if _, err := db.LinkTicket(as(d.agent), prb.ID, d.acmeReq.Key); err != nil {
			t.Fatal(err)
		}
		pp := agent.get("/problems/"+itoa(prb.ID)).want(t, http.StatusOK)
		link := attr(byID(pp.doc, "propose-action"), "href")
		if !strings.HasPrefix(link, "/actions/new?") || !strings.Contains(link, "source_id="+itoa(prb.ID)) {
			t.Fatalf("problem page link %q", link)
		}
		form := agent.get(link).want(t, http.StatusOK)
		if selected(form, "source") != "problem" || attr(form.input("source_id"), "value") != itoa(prb.ID) ||
			selected(form, "kind") != "preventive" || !strings.Contains(attr(form.input("title"), "value"), "Exports time out") {
			t.Fatalf("prefilled form: source %q id %q kind %q title %q", selected(form, "source"), attr(form.input("source_id"), "value"),
				selected(form, "kind"), attr(form.input("title"), "value"))
		}
		// A wrong form comes back 422 with the field's message and the input kept.
		bad := agent.submit(link, "/actions", url.Values{"title": {" "}, "description": {"keep me"}}).want(t, http.StatusUnprocessableEntity)
		bad.wantText(t, "action-title-error", "required")
		if !strings.Contains(bad.text("action-description"), "keep me") {
			t.Error("the failed form lost the description")
		}
		bad = agent.submit(link, "/actions", url.Values{"due_day": {"31/12/2030"}}).want(t, http.StatusUnprocessableEntity)
		bad.wantText(t, "action-due_day-error", "YYYY-MM-DD")
		created := agent.submit(link, "/actions", url.Values{"due_day": {"2030-12-31"}, "owner": {itoa(d.agent.ID)}})
		created.want(t, http.StatusSeeOther)
		acts, err := db.ListActions(as(d.agent), opsdesk.ActionFilter{})
		if err != nil || len(acts) != 1 {
			t.Fatalf("stored: %+v %v", acts, err)
		}
		a := acts[0]
		base := "/actions/" + itoa(a.ID)
		if created.location() != base+"?done=action_created" || a.Source != opsdesk.SourceProblem || a.SourceID != prb.ID ||
			a.CustomerID != d.acme.ID || a.Status != opsdesk.ActionOpen {
			t.Fatalf("created %+v → %s", a, created.location())
		}

		// Its page links the source; the agent may start and finish, not cancel.
		pg := agent.get(base).want(t, http.StatusOK)
		if href := attr(findAll(byID(pg.doc, "action-source"), func(n *html.Node) bool { return n.Data == "a" })[0], "href"); href != "/problems/"+itoa(prb.ID) {
			t.Errorf("source link %q", href)
		}
		if got := moveButtons(pg); !slices.Equal(got, []string{"in_progress", "done"}) {
			t.Errorf("agent's moves on an open action: %v", got)
		}
		agent.post(base+"/status", url.Values{"csrf": {agent.csrf()}, "status": {"cancelled"}, "reason": {"x"}}).want(t, http.StatusForbidden)
		isCSRFPage(t, agent.post(base+"/status", url.Values{"status": {"in_progress"}}))
		// The edit form: a wrong value is 422 next to its field.
		agent.submit(base, base, url.Values{"title": {""}}).want(t, http.StatusUnprocessableEntity).wantText(t, "edit-title-error", "required")
		agent.follow(agent.submit(base, base, url.Values{"title": {"Add the missing index"}})).wantText(t, "action-title", "Add the missing index")
		agent.follow(agent.submit(base, base+"/status", url.Values{"status": {"in_progress"}}))
		done := agent.follow(agent.submit(base, base+"/status", url.Values{"status": {"done"}}))
		done.wantText(t, "action-status", "Done")
		if byID(done.doc, "edit") != nil {
			t.Error("a done action still has its edit form")
		}
		// The effectiveness check: a recurrence needs a note.
		agent.submit(base, base+"/check", url.Values{"effective": {"no"}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "check-note-error", "recurred")
		checked := agent.follow(agent.submit(base, base+"/check", url.Values{"effective": {"no"}, "note": {"timed out again on 3 May"}}))
		checked.wantText(t, "check-result", "Not effective", "timed out again on 3 May")
		hist := []string{}
		for _, tr := range findAll(checked.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-change") != "" }) {
			hist = append(hist, attr(tr, "data-change"))
		}
		if want := []string{"created", "edited", "status:in_progress", "status:done", "checked:recurred"}; !slices.Equal(hist, want) {
			t.Errorf("history %v, want %v", hist, want)
		}

		// A suggestion: the ops manager rejects it, with a reason.
		var sug int64
		if err := db.SQL().QueryRow(db.Rebind(`INSERT INTO capa_actions (kind, title, source, source_id, source_clock, status, created_by, created_at, updated_at)
			VALUES ('corrective', 'SLA breach on blocking ticket', 'sla_breach', ?, 'resolve', 'proposed', 'system', 1, 1) RETURNING id`), d.globexReq.ID).Scan(&sug); err != nil {
			t.Fatal(err)
		}
		sbase := "/actions/" + itoa(sug)
		if got := moveButtons(agent.get(sbase)); len(got) != 0 {
			t.Errorf("agent's moves on a suggestion: %v", got)
		}
		ops := ws.client()
		ops.login(d.ops.Email, password)
		if got := moveButtons(ops.get(sbase)); !slices.Equal(got, []string{"open", "rejected"}) {
			t.Errorf("ops manager's moves on a suggestion: %v", got)
		}
		ops.submit(sbase, sbase+"/status", url.Values{"status": {"rejected"}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "move-rejected-reason-error", "say why")
		// In French, the buttons and the store's message.
		ops.header.Set("Accept-Language", "fr")
		fr := ops.submit(sbase, sbase+"/status", url.Values{"status": {"rejected"}}).want(t, http.StatusUnprocessableEntity)
		fr.wantText(t, "move-rejected-reason-error", "indiquez pourquoi la suggestion est rejetée")
		fr.wantText(t, "moves", "Accepter", "Rejeter")
		fr.wantText(t, "action-status", "Proposée")
		ops.header.Del("Accept-Language")
		ops.follow(ops.submit(sbase, sbase+"/status", url.Values{"status": {"rejected"}, "reason": {"known, tracked in the problem"}})).
			wantText(t, "action-reason", "known, tracked in the problem")

		// The list: to do by default, every status on demand, the counts.
		if got := actionRows(agent.get("/actions")); len(got) != 0 {
			t.Errorf("to do: %v", got)
		}
		if got := actionRows(agent.get("/actions?status=all")); !slices.Equal(got, []string{itoa(a.ID), itoa(sug)}) {
			t.Errorf("all: %v", got)
		}
		if got := actionRows(agent.get("/actions?status=all&customer=" + itoa(d.acme.ID))); !slices.Equal(got, []string{itoa(a.ID)}) {
			t.Errorf("ACME's: %v", got)
		}
		if got := actionRows(agent.get("/actions?status=all&source=sla_breach")); !slices.Equal(got, []string{itoa(sug)}) {
			t.Errorf("SLA breaches: %v", got)
		}
		counts := agent.get("/actions?status=all")
		for _, chip := range findAll(byID(counts.doc, "action-counts"), func(n *html.Node) bool { return attr(n, "data-status") != "" }) {
			want := map[string]string{"done": "1", "rejected": "1"}[attr(chip, "data-status")]
			if want == "" {
				want = "0"
			}
			if n := textOf(byClass(chip, "count")[0]); n != want {
				t.Errorf("count of %s: %s, want %s", attr(chip, "data-status"), n, want)
			}
		}

		// The ticket page proposes an action for its customer.
		tp := agent.get("/tickets/"+d.acmeReq.Key).want(t, http.StatusOK)
		tl := attr(findAll(byID(tp.doc, "propose-action"), func(n *html.Node) bool { return n.Data == "a" })[0], "href")
		if got := selected(agent.get(tl), "customer"); got != itoa(d.acme.ID) {
			t.Errorf("ticket link %q: customer %q", tl, got)
		}
		// Once a clock of the ticket is breached, the link names it as the source.
		if err := db.SeedSLADefaults(system); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(90 * 24 * time.Hour)
		db.Now = func() time.Time { return later }
		agent = ws.client()
		agent.login(d.agent.Email, password)
		tp = agent.get("/tickets/"+d.acmeReq.Key).want(t, http.StatusOK)
		tl = attr(findAll(byID(tp.doc, "propose-action"), func(n *html.Node) bool { return n.Data == "a" })[0], "href")
		bf := agent.get(tl)
		if selected(bf, "source") != "sla_breach" || attr(bf.input("source_id"), "value") != itoa(d.acmeReq.ID) || selected(bf, "source_clock") == "" {
			t.Errorf("ticket link once breached %q: source %q id %q clock %q", tl, selected(bf, "source"),
				attr(bf.input("source_id"), "value"), selected(bf, "source_clock"))
		}
		db.Now = time.Now

		// Customers reach none of it.
		alice := ws.client()
		alice.login(d.alice.Email, password)
		csrf := alice.csrf()
		for _, c := range []struct{ method, path string }{
			{"GET", "/actions"}, {"GET", "/actions/new"}, {"GET", base}, {"POST", "/actions"}, {"POST", base},
			{"POST", base + "/status"}, {"POST", base + "/check"},
		} {
			var form url.Values
			if c.method == "POST" {
				form = url.Values{"csrf": {csrf}, "kind": {"corrective"}, "title": {"x"}, "source": {"manual"}, "status": {"cancelled"}, "reason": {"r"}}
			}
			if r := alice.do(c.method, c.path, form); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("customer %s %s: %d, want 403 or 404", c.method, c.path, r.status)
			}
		}
		if got, _ := db.Action(as(d.agent), a.ID); got.Title != "Add the missing index" || got.Status != opsdesk.ActionDone {
			t.Errorf("the customer changed the action: %+v", got)
		}
	})
}
