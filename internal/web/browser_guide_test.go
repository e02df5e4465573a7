package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/opsdesk/opsdesk/internal/browsertest"
	"github.com/opsdesk/opsdesk/internal/demo"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserGuideScreenshots walks the demo desk (demo.Generate, ending now) as each role in a
// real browser and photographs the pages the guides and the README show: each page is checked
// for a heading or a key element first, so that the picture is of the right page, and
// browsertest.Screenshot refuses an error page. The pictures are taken once, on SQLite; on
// PostgreSQL the same pages are visited and checked. It also proves, on opsdesk's real 404
// page, that a screenshot of an error fails the test that takes it.
func TestBrowserGuideScreenshots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newGuideDesk(t, db)
		ws := startMailSite(t, db).site // the mail templates' page needs the notifier
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("server log:\n%s", ws.logs)
			}
		})
		gs := &guideShots{t: t, save: db.Dialect() == store.SQLite}

		// Anyone: the login page, with the demo banner.
		anon := newBrowser(t, ws)
		anon.open("/login")
		gs.take(anon, "login", "h1", "Log in")
		anon.wantText(".demo-banner", "Demo data")

		// The N1 agent: the ticket queue, a procedure of the knowledge base, the problem.
		agent := newBrowser(t, ws)
		agent.loginWith(d.login(t, "agent N1"))
		// An error page is never photographed: the screenshot fails, naming the page and the error.
		refuseErrorPage(t, agent, ws)
		agent.open("/tickets")
		agent.wantText("h1", "Tickets")
		wantRows(t, agent, "#queue tbody tr", 5)
		gs.take(agent, "ticket-queue", "#queues", "All open", "Mine")
		agent.open("/kb/" + itoa(d.procedure.ID))
		agent.wantText("#kb-steps", "Steps", "Read the batch log")
		gs.take(agent, "kb-article", "h1", "Restart a failed nightly batch job")
		agent.open("/problems/" + itoa(d.problem.ID))
		wantRows(t, agent, "#linked tbody tr", 2)
		gs.take(agent, "problem", "#problem-title", "nightly order import")

		// The N2 agent: an escalated ticket with its conversation, for the README.
		n2 := newBrowser(t, ws)
		n2.loginWith(d.login(t, "agent N2"))
		n2.open("/tickets/" + d.workspace.Key)
		n2.wantText("#ticket-level", string(d.workspace.Level))
		n2.wantText("#conversation", d.workspaceReply)
		gs.take(n2, "readme-agent-workspace", "h1", d.workspace.Key, d.workspace.Subject)

		// The ops manager: plan and capacity, preventive work, actions, quality targets, the
		// projects' timeline, the dashboard of the last 30 days and a failing production.
		ops := newBrowser(t, ws)
		ops.loginWith(d.login(t, "ops manager"))
		ops.open("/plan?customer=" + itoa(d.northwind.ID)) // one customer: a page that reads
		wantRows(t, ops, "#plan tbody tr", 5)
		if n := ops.eval(`String(document.querySelectorAll("svg").length)`); n == "0" {
			t.Errorf("the plan shows no capacity chart")
		}
		ops.wantText("main", "Plan", "Capacity, next 8 weeks")
		gs.takeTo(ops, "plan", "table.capacity ~ table.capacity") // the agents' settings below are forms
		ops.open("/preventive")
		wantRows(t, ops, "#preventive-schedules tbody tr", 3)
		gs.take(ops, "preventive", "#preventive-schedules", "Quarterly performance review")
		ops.open("/actions")
		wantRows(t, ops, "#actions tbody tr", 2)
		gs.take(ops, "actions", "h1", "Actions")
		// The action proposed for the problem, which links back to its source.
		action := ops.eval(`[...document.querySelectorAll('#actions tbody tr')].find(r => r.innerText.includes("Problem"))
			.querySelector('a[href^="/actions/"]').getAttribute("href")`)
		ops.open(action)
		ops.wantText("#facts", "Source", "Problem", "PRB-")
		gs.take(ops, "action", "#moves", "Move", "Reason")
		ops.open("/admin/quality-targets")
		wantRows(t, ops, "#quality-targets tbody tr", 4)
		gs.take(ops, "quality-targets", "h1", "Quality targets")
		ops.open("/projects")
		wantRows(t, ops, "#projects tbody tr", 5)
		gs.take(ops, "projects", "#timeline-all", "Timeline of all projects")
		now := time.Now().UTC()
		ops.open("/dashboard?period=custom&from=" + now.AddDate(0, 0, -29).Format(time.DateOnly) + "&to=" + now.Format(time.DateOnly))
		created := ops.text(`table[data-table="volume"] tr[data-figure="tickets_created"] td`)
		if n := strings.TrimSpace(created); n == "" || n == "0" {
			t.Errorf("the dashboard of the last 30 days shows %q tickets created", created)
		}
		gs.take(ops, "readme-dashboard", "h1", "Dashboard")
		ops.open("/environments/" + itoa(d.failing.ID))
		ops.wantText("#probes-table", "Portal health")
		wantRows(t, ops, "#probes-table tr.probe-down", 1)
		gs.take(ops, "readme-environment", "h1", "Production")

		// The admin: users, a customer and its contract, mailboxes, SLA targets, mail templates.
		admin := newBrowser(t, ws)
		admin.loginWith(d.login(t, "admin"))
		admin.open("/admin/users")
		wantRows(t, admin, "#users tbody tr", 10)
		gs.take(admin, "admin-users", "h1", "Users")
		admin.open("/admin/customers/" + itoa(d.northwind.ID))
		admin.wantText("#contract", "Support contract")
		gs.take(admin, "admin-customer", "h1", "Northwind Logistics")
		admin.open("/admin/mailboxes")
		admin.wantText("#mailboxes", "support", "imap.opsdesk.example")
		gs.take(admin, "admin-mailboxes", "h1", "Mailboxes")
		admin.open("/admin/customers/" + itoa(d.northwind.ID) + "/sla")
		wantRows(t, admin, "#targets tbody tr", 3)
		gs.take(admin, "admin-sla-targets", "h1", "Service levels of", "Northwind Logistics")
		admin.open("/admin/templates")
		wantRows(t, admin, "#templates tbody tr", 4)
		gs.take(admin, "admin-templates", "h1", "Mail templates")

		// An English customer: the portal's home, a new request, their projects, their requests.
		cust := newBrowser(t, ws)
		cust.loginWith(d.login(t, "customer NORTHWIND (en)"))
		cust.open("/")
		cust.wantText("#home-requests", "My requests")
		gs.take(cust, "portal-home", "#org-name", "Northwind Logistics")
		cust.open("/requests/new")
		cust.wantText("main", "Subject", "Severity")
		cust.do(chromedp.SendKeys(chromedp.ID("request-subject"), "cannot log in after password change"))
		cust.waitText("#suggest-results", "Cannot log in after a password change")
		cust.do(
			chromedp.Click(chromedp.ID("request-severity-major")),
			chromedp.SetValue(chromedp.ID("request-category"), "application"),
			chromedp.SendKeys(chromedp.ID("request-description"),
				"Since this morning our warehouse team cannot log in after the monthly password change."),
		)
		cust.eval(`document.activeElement.blur(), ""`) // no focus ring in the picture
		gs.take(cust, "portal-new-request", "h1", "New request")
		cust.open("/my-projects")
		wantRows(t, cust, "#my-projects tbody tr", 1)
		gs.take(cust, "portal-projects", "#projects-h", "Your projects")
		cust.open("/requests")
		wantRows(t, cust, "#requests tbody tr", 5)
		gs.take(cust, "readme-portal", "h1", "My requests")

		for _, b := range []*browser{anon, agent, n2, ops, admin, cust} {
			b.noScriptErrors()
		}
	})
}

// guideShots checks a page and photographs it when save is set.
type guideShots struct {
	t    *testing.T
	save bool
}

// take checks that the element shows every text, then saves the page as docs/screenshots/name.png.
func (gs *guideShots) take(b *browser, name, sel string, want ...string) {
	gs.t.Helper()
	b.wantText(sel, want...)
	if gs.save {
		browsertest.Screenshot(gs.t, b.ctx, name)
	}
}

// takeTo saves the page down to the element until (a CSS selector), for a page too long to show.
func (gs *guideShots) takeTo(b *browser, name, until string) {
	gs.t.Helper()
	if gs.save {
		browsertest.ScreenshotTo(gs.t, b.ctx, name, until)
	}
}

// wantRows fails the test unless the page holds at least n elements matching sel.
func wantRows(t *testing.T, b *browser, sel string, n int) {
	t.Helper()
	got, err := strconv.Atoi(b.eval(`String(document.querySelectorAll('` + sel + `').length)`))
	if err != nil || got < n {
		t.Fatalf("%s on %s: %d (%v), want at least %d", sel, b.eval(`location.pathname`), got, err, n)
	}
}

// refuseErrorPage opens an article that does not exist (a 404) and checks that its screenshot
// fails the test, naming the address and opsdesk's error page, and saves nothing.
func refuseErrorPage(t *testing.T, b *browser, ws *site) {
	t.Helper()
	missing := ws.srv.URL + "/kb/999999"
	if err := chromedp.Do(b.ctx, chromedp.Navigate(missing)); err != nil {
		t.Fatal(err)
	}
	const name = "guide-error-check"
	msg := browsertest.Fails(t, func(tb testing.TB) { browsertest.Screenshot(tb, b.ctx, name) })
	for _, want := range []string{missing, "error page (404)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("screenshot of a 404 page: failure %q, want it to say %q", msg, want)
		}
	}
	if _, err := os.Stat(filepath.Join("..", "..", "docs", "screenshots", name+".png")); !os.IsNotExist(err) {
		t.Errorf("the 404 page was saved as a screenshot (%v)", err)
	}
}

// guideDesk is the demo desk with what the guide's pages show.
type guideDesk struct {
	res            *demo.Result
	northwind      *opsdesk.Customer
	failing        *opsdesk.Environment // Harbour Bank's production, whose probe fails
	procedure      *opsdesk.Article     // the nightly batch restart procedure
	problem        *opsdesk.Problem
	workspace      *opsdesk.Ticket // an active escalated ticket with a conversation
	workspaceReply string          // a message of its conversation
}

// newGuideDesk generates the demo ending now, gives the staff logins English (the screenshots
// are in English), adds the IMAP mailbox an admin would set up, and finds the pages' records.
func newGuideDesk(t *testing.T, db *store.DB) *guideDesk {
	t.Helper()
	start := time.Now()
	res, err := demo.Generate(context.Background(), db, demo.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo desk: %d tickets in %v", res.Tickets, time.Since(start).Round(time.Millisecond))
	d := &guideDesk{res: res}
	for _, l := range res.Logins {
		if l.User.Role.Staff() && l.User.Lang != opsdesk.LangEN {
			u, err := db.UserByID(system, l.User.ID)
			if err != nil {
				t.Fatal(err)
			}
			u.Lang = opsdesk.LangEN
			if err := db.UpdateUser(system, u); err != nil {
				t.Fatalf("%s in English: %v", u.Email, err)
			}
		}
	}
	mb := &store.Mailbox{Name: "support", Host: "imap.opsdesk.example", Port: 993, Security: "tls",
		Username: "support@opsdesk.example", Password: "secret", Folder: "INBOX", Action: "seen", PollSeconds: 60,
		UseIDLE: true, Active: true}
	if err := db.SaveMailbox(system, mb); err != nil {
		t.Fatalf("mailbox: %v", err)
	}
	if d.northwind, err = db.CustomerByCode(system, "NORTHWIND"); err != nil {
		t.Fatal(err)
	}
	harbour, err := db.CustomerByCode(system, "HARBOUR")
	if err != nil {
		t.Fatal(err)
	}
	envs, err := db.ListEnvironments(system, harbour.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range envs {
		if e.Kind == opsdesk.EnvProd {
			d.failing = e
		}
	}
	procs, _, err := db.ListArticles(system, opsdesk.ArticleFilter{Kind: opsdesk.ArticleProcedure, Status: opsdesk.ArticlePublished})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range procs {
		if tx := a.Text(opsdesk.LangEN); tx != nil && tx.Title == "Restart a failed nightly batch job" {
			d.procedure = a
		}
	}
	problems, err := db.ListProblems(system, opsdesk.ProblemFilter{})
	if err != nil || len(problems) == 0 {
		t.Fatalf("problems: %v, %v", problems, err)
	}
	d.problem = problems[0]
	d.workspace, d.workspaceReply = escalatedConversation(t, db, d.northwind)
	if d.failing == nil || d.procedure == nil {
		t.Fatalf("the demo has no failing production (%v) or no batch procedure (%v)", d.failing, d.procedure)
	}
	return d
}

// escalatedConversation is the customer's active ticket at N2 or N3 with the most public
// messages (at least three), and the last of them.
func escalatedConversation(t *testing.T, db *store.DB, cu *opsdesk.Customer) (*opsdesk.Ticket, string) {
	t.Helper()
	tks, _, err := db.ListTickets(system, opsdesk.TicketFilter{CustomerID: cu.ID,
		Levels:   []opsdesk.Level{opsdesk.LevelN2, opsdesk.LevelN3},
		Statuses: []opsdesk.Status{opsdesk.StatusOpen, opsdesk.StatusWaitingCustomer}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var best *opsdesk.Ticket
	var bestN int
	var last string
	for _, tk := range tks {
		ms, err := db.Messages(system, tk.Key)
		if err != nil {
			t.Fatal(err)
		}
		n, body := 0, ""
		for _, m := range ms {
			if !m.Internal {
				n, body = n+1, m.Body
			}
		}
		if n > bestN {
			best, bestN, last = tk, n, body
		}
	}
	if best == nil || bestN < 3 {
		t.Fatalf("no escalated active ticket of %s with a conversation among %d", cu.Code, len(tks))
	}
	words := strings.Fields(last)
	return best, strings.Join(words[:min(len(words), 4)], " ")
}

// login is the printed login of the role ("agent N1", "customer NORTHWIND (en)"…).
func (d *guideDesk) login(t *testing.T, role string) (email, password string) {
	t.Helper()
	for _, l := range d.res.Logins {
		if l.Role == role {
			return l.Email, l.Password
		}
	}
	t.Fatalf("the demo prints no login for %q", role)
	return "", ""
}

// loginWith logs in with the given password (the fixtures' login uses the fixtures' one).
func (b *browser) loginWith(email, pw string) {
	b.t.Helper()
	b.open("/login")
	b.do(chromedp.SendKeys(chromedp.ID("login-email"), email), chromedp.SendKeys(chromedp.ID("login-password"), pw))
	b.load(chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if got := b.eval(`location.pathname`); got != "/" {
		b.t.Fatalf("after logging in as %s: %s", email, got)
	}
}
