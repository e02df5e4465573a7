package web_test

import (
	"context"
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

// monthlyDesk files, in March 2027 (Paris): ACME's T1 created and resolved, T2 created and left
// open; GLOBEX's T3. The clock is then left at Monday 5 April 2027, so the default month is March.
func monthlyDesk(t *testing.T, db *store.DB) (f *fixture, keys []string, now *time.Time) {
	t.Helper()
	if err := db.SeedDefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	f = newFixture(t, db)
	if err := db.SeedSLADefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	clock := time.Date(2027, 3, 2, 9, 0, 0, 0, paris)
	db.Now = func() time.Time { return clock }
	file := func(cu *opsdesk.Customer, requester *opsdesk.User, subject string) string {
		tk, err := db.CreateTicket(system, &opsdesk.NewTicket{CustomerID: cu.ID, RequesterEmail: requester.Email,
			Severity: "minor", Impact: "all", Category: "application", Subject: subject, Description: "d"})
		if err != nil {
			t.Fatal(err)
		}
		return tk.Key
	}
	keys = append(keys, file(f.acme, f.alice, "Export fails"))
	if _, err := db.Take(as(f.agent), keys[0]); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(2 * time.Hour)
	resolved := opsdesk.StatusResolved
	if _, err := db.UpdateTicket(as(f.agent), keys[0], opsdesk.TicketPatch{Status: &resolved, Reason: "fixed", Resolution: fixedDraft()}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(24 * time.Hour)
	keys = append(keys, file(f.acme, f.alice, "Slow search"), file(f.globex, f.bob, "Globex secret"))
	clock = time.Date(2027, 4, 5, 12, 0, 0, 0, paris)
	for _, k := range keys { // what the SLA watcher does after each change
		tk, err := db.TicketByKey(system, k)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RefreshTicketClocks(system, tk.ID, store.SLAOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return f, keys, &clock
}

// figure is the text of the summary's figure.
func figure(p *page, name string) string {
	if ns := findAll(p.doc, func(n *html.Node) bool { return n.Data == "dd" && attr(n, "data-figure") == name }); len(ns) > 0 {
		return textOf(ns[0])
	}
	return ""
}

// reportTickets lists the ticket rows of a report page with their link.
func reportTickets(p *page) []string {
	var out []string
	for _, tr := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && hasAttr(n, "data-ticket") }) {
		a := findAll(tr, func(n *html.Node) bool { return n.Data == "a" })
		out = append(out, attr(a[0], "href"))
	}
	return out
}

func TestMonthlyReportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, keys, _ := monthlyDesk(t, db)
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(f.ops.Email, password)
		path := "/customers/" + itoa(f.acme.ID) + "/report"

		p := ops.get(path).want(t, http.StatusOK)
		if got := attr(byID(p.doc, "mreport"), "data-month"); got != "2027-03" {
			t.Errorf("default month %q, want the previous month 2027-03", got)
		}
		p.wantText(t, "h1", "Service report", "ACME")
		p.wantText(t, "mreport-month", "March 2027", "Europe/Paris")
		if c, r, o := figure(p, "created"), figure(p, "resolved"), figure(p, "open"); c != "2" || r != "1" || o != "1" {
			t.Errorf("created %q resolved %q open %q, want 2 1 1", c, r, o)
		}
		if got, want := reportTickets(p), []string{"/tickets/" + keys[0], "/tickets/" + keys[1]}; !slices.Equal(got, want) {
			t.Errorf("tickets %v, want %v", got, want)
		}
		// T1 was taken within its 4 business hours and resolved within 10 business days: both
		// clocks met. T2 (Wed 3 March 11:00), never taken, exceeded 4 h that afternoon and 10
		// business days (75 h) on 17 March: both breached in March.
		if got := reportFigures(t, p, "ACME"); got["minor take_charge"] != "2/1/1 50.0%" || got["minor resolve"] != "2/1/1 50.0%" {
			t.Errorf("SLA figures %v", got)
		}
		if strings.Contains(p.body, "Globex secret") {
			t.Error("GLOBEX's ticket in ACME's report")
		}
		links := p.links()
		for _, l := range []string{path + "?month=2027-02", path + "?month=2027-04"} {
			if !slices.Contains(links, l) {
				t.Errorf("no link to %s in %q", l, links)
			}
		}
		if v := formValues(p.form(t, path+"/send")); v.Get("csrf") == "" || v.Get("month") != "2027-03" {
			t.Errorf("send form values %v", v)
		}
		ops.get(path+"?month=2027-02").want(t, http.StatusOK).wantText(t, "mr-tickets", "No ticket this month")
		ops.get(path+"?month=March").want(t, http.StatusUnprocessableEntity)
		ops.get("/customers/9999/report").want(t, http.StatusNotFound)

		ops.header.Set("Accept-Language", "fr")
		p = ops.get(path+"?month=2027-03").want(t, http.StatusOK)
		p.wantText(t, "h1", "Rapport de service")
		p.wantText(t, "mreport-month", "mars 2027")

		// The portal: the customer's own report, links to their requests, no send button; the
		// team's page is not theirs.
		alice := ws.client()
		alice.login(f.alice.Email, password)
		p = alice.get("/report?month=2027-03").want(t, http.StatusOK)
		if got, want := reportTickets(p), []string{"/requests/" + keys[0], "/requests/" + keys[1]}; !slices.Equal(got, want) {
			t.Errorf("portal tickets %v, want %v", got, want)
		}
		if byID(p.doc, "mreport-send") != nil {
			t.Error("the portal offers the send button")
		}
		if !slices.Contains(alice.get("/").links(), "/report") {
			t.Error("no portal link to the report")
		}
		if st := alice.get(path).status; st == http.StatusOK {
			t.Errorf("a customer user reads the team's report page: %d", st)
		}
		bob := ws.client()
		bob.login(f.bob.Email, password)
		p = bob.get("/report?month=2027-03").want(t, http.StatusOK)
		p.wantText(t, "h1", "GLOBEX")
		if strings.Contains(p.body, "Export fails") || len(reportTickets(p)) != 1 {
			t.Errorf("GLOBEX's report shows %v", reportTickets(p))
		}
		if st := bob.get(path).status; st == http.StatusOK {
			t.Errorf("GLOBEX reads ACME's report: %d", st)
		}
		ops.get("/report").want(t, http.StatusForbidden)
	})
}

func TestMonthlyReportSend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, _, now := monthlyDesk(t, db)
		ms := startMailSite(t, db)
		ops := ms.client()
		ops.login(f.ops.Email, password)
		path := "/customers/" + itoa(f.acme.ID) + "/report"
		count := func() int {
			t.Helper()
			mails, err := db.ListOutbox(system, store.OutboxFilter{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range mails {
				if m.Kind == "monthly_report" {
					n++
					if m.To != f.alice.Email || !strings.Contains(m.Text, "/report?month=2027-03") {
						t.Errorf("mail to %s: %q", m.To, m.Text)
					}
				}
			}
			return n
		}
		p := ops.submit(path+"?month=2027-03", path+"/send", nil)
		if p.status != http.StatusSeeOther || !strings.Contains(p.location(), "done=report_sent") {
			t.Fatalf("send: %d → %q", p.status, p.location())
		}
		ops.follow(p).wantText(t, "main", "on its way")
		if n := count(); n != 1 {
			t.Fatalf("%d report mails after one send, want 1 (alice)", n)
		}
		*now = now.Add(time.Minute)
		ops.submit(path+"?month=2027-03", path+"/send", nil).want(t, http.StatusSeeOther)
		if n := count(); n != 2 {
			t.Fatalf("%d report mails after a second send, want 2: a send on demand always goes", n)
		}
		// Agents send too; customers cannot.
		alice := ms.client()
		alice.login(f.alice.Email, password)
		if st := alice.post(path+"/send", url.Values{"csrf": {alice.csrf()}, "month": {"2027-03"}}).status; st == http.StatusSeeOther {
			t.Errorf("a customer user sent the report: %d", st)
		}
		if n := count(); n != 2 {
			t.Errorf("%d report mails, want still 2", n)
		}
	})
}

func TestMonthlyReportSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.SeedDefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, db)
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(f.ops.Email, password)
		page := "/admin/customers/" + itoa(f.acme.ID)
		action := page + "/monthly-report"
		if v := formValues(ops.get(page).want(t, http.StatusOK).form(t, action)); !slices.Contains(v["monthly_report"], "on") {
			t.Fatalf("the setting is not ticked by default: %v", v)
		}
		p := ops.submit(page, action, url.Values{"monthly_report": {"off"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("save: %d", p.status)
		}
		if on, err := db.MonthlyReportEnabled(system, f.acme.ID); err != nil || on {
			t.Fatalf("enabled = %v %v after unticking", on, err)
		}
		if v := formValues(ops.get(page).form(t, action)); slices.Contains(v["monthly_report"], "on") {
			t.Errorf("still ticked: %v", v)
		}
		ops.submit(page, action, url.Values{"monthly_report": {"off", "on"}}).want(t, http.StatusSeeOther)
		if on, _ := db.MonthlyReportEnabled(system, f.acme.ID); !on {
			t.Error("not on again after ticking")
		}
		agent := ws.client()
		agent.login(f.agent.Email, password)
		if st := agent.post(action, url.Values{"csrf": {agent.csrf()}, "monthly_report": {"off"}}).status; st == http.StatusSeeOther {
			t.Errorf("an agent changed the setting: %d", st)
		}
	})
}
