package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// slaClock is the database's clock in the SLA tests: fixed, moved by the test, read by the
// server's handlers.
type slaClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *slaClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// set moves the clock to a Paris wall time, "2027-03-01 09:00".
func (c *slaClock) set(t *testing.T, at string) time.Time {
	t.Helper()
	v := parisTime(t, at)
	c.mu.Lock()
	c.t = v
	c.mu.Unlock()
	return v
}

var parisZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

func parisTime(t *testing.T, at string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", at, parisZone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// slaCtx is the SLA scheduler's actor, as slawatch runs it.
var slaCtx = opsdesk.WithActor(context.Background(), opsdesk.System("sla"))

// slaDesk is the desk fixture with the SLA defaults (French calendar, default targets), its
// requests filed on Monday 1 March 2027 at 09:00 Paris, and a site whose sessions outlive the
// hours the tests move the clock by.
func slaDesk(t *testing.T, db *store.DB) (*desk, *slaClock, *site) {
	t.Helper()
	clock := &slaClock{}
	clock.set(t, "2027-03-01 09:00")
	db.Now = clock.now
	if err := db.SeedSLADefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, db)
	ws := startSite(t, db, func(c *config.Config) { c.SessionTTL = 30 * 24 * time.Hour })
	return d, clock, ws
}

// refresh stores a ticket's clocks, as slawatch does after each change.
func refresh(t *testing.T, db *store.DB, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		if _, err := db.RefreshTicketClocks(slaCtx, id, store.SLAOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// slaRow is one clock's row of the SLA panel as shown.
type slaRow struct {
	datetime, local, left, state string
	text                         string
}

func panelRow(t *testing.T, p *page, id string) slaRow {
	t.Helper()
	tr := byID(p.doc, id)
	if tr == nil {
		t.Fatalf("%s: no #%s; SLA panel says %q", p.url, id, p.text("sla"))
	}
	r := slaRow{state: attr(tr, "data-state"), text: textOf(tr)}
	if ts := byTag(tr, "time"); len(ts) > 0 {
		r.datetime, r.local = attr(ts[0], "datetime"), textOf(ts[0])
	}
	if tds := byTag(tr, "td"); len(tds) == 4 {
		r.left = textOf(tds[2])
	}
	return r
}

// wantDeadline checks that a row shows the instant at, in the machine-readable attribute and in
// Paris time.
func wantDeadline(t *testing.T, what string, r slaRow, at time.Time) {
	t.Helper()
	if r.datetime != at.UTC().Format("2006-01-02T15:04:05Z") || r.local != at.In(parisZone).Format("2006-01-02 15:04 MST") {
		t.Errorf("%s deadline: datetime %q, shown %q; want %s", what, r.datetime, r.local, at.In(parisZone))
	}
}

// TestTicketSLAPanel: the ticket page shows the three clocks of a major request (targets 2 h,
// 1 business day, 5 business days on the French calendar) with deadlines and business time
// left computed here from the calendar, their states as time passes, and a recorded
// workaround stopping its clock.
func TestTicketSLAPanel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d, clock, ws := slaDesk(t, db)
		key, page := d.acmeReq.Key, "/tickets/"+d.acmeReq.Key
		cal := sla.FrenchCalendar()
		received := d.acmeReq.CreatedAt
		deadlines := map[string]time.Time{
			"take_charge": cal.Deadline(received, 2*time.Hour),
			"workaround":  cal.Deadline(received, 7*time.Hour+30*time.Minute),
			"resolve":     cal.Deadline(received, 5*(7*time.Hour+30*time.Minute)),
		}
		targets := map[string]time.Duration{"take_charge": 2 * time.Hour, "workaround": 7*time.Hour + 30*time.Minute, "resolve": 37*time.Hour + 30*time.Minute}
		agent := ws.client()
		agent.login(d.agent.Email, password)

		now := clock.set(t, "2027-03-01 10:45")
		p := agent.get(page).want(t, http.StatusOK)
		p.wantText(t, "sla", "Service levels", "Deadline (Europe/Paris)", "Take charge", "2 h", "Work around", "1 business day",
			"Resolve", "5 business days", "Europe/Paris")
		used := cal.Elapsed(received, now)
		for _, k := range []string{"take_charge", "workaround", "resolve"} {
			r := panelRow(t, p, "sla-"+k)
			wantDeadline(t, k, r, deadlines[k])
			state := "ok"
			if used >= targets[k]*3/4 {
				state = "at_risk"
			}
			if r.state != state {
				t.Errorf("%s at 10:45: state %q, want %q (%v of %v used)", k, r.state, state, used, targets[k])
			}
			if left := cal.Elapsed(now, deadlines[k]); !strings.Contains(r.left, "left") || left != targets[k]-used {
				t.Errorf("%s at 10:45: %q; %v left by the calendar, %v by the target", k, r.left, left, targets[k]-used)
			}
		}
		for k, want := range map[string]string{"take_charge": "15 min left", "workaround": "5 h 45 min left", "resolve": "35 h 45 min left"} {
			if r := panelRow(t, p, "sla-"+k); r.left != want {
				t.Errorf("%s at 10:45: %q, want %q", k, r.left, want)
			}
		}
		if got := panelRow(t, p, "sla-take_charge").text; !strings.Contains(got, "at risk") {
			t.Errorf("take charge row %q: no at-risk badge", got)
		}

		// Past the take-charge deadline: breached, overdue in business time (11:00 → 11:30).
		clock.set(t, "2027-03-01 11:30")
		r := panelRow(t, agent.get(page), "sla-take_charge")
		if r.state != "breached" || r.left != "overdue by 30 min" || !strings.Contains(r.text, "breached") {
			t.Errorf("take charge at 11:30: %+v", r)
		}
		wantDeadline(t, "breached take charge", r, deadlines["take_charge"])

		// A workaround is required; a customer may not record one.
		p = agent.submit(page, page+"/workaround", url.Values{"workaround": {"  "}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "workaround-workaround-error", "say how to get around the problem")
		alice := ws.client()
		alice.login(d.alice.Email, password)
		alice.post(page+"/workaround", url.Values{"csrf": {alice.csrf()}, "workaround": {"restart"}}).want(t, http.StatusForbidden)

		// Recording one at 11:40 stops the work-around clock (met) and, as the team's first
		// public answer, the take-charge one (breached, 40 min over); the resolve clock runs on.
		at := clock.set(t, "2027-03-01 11:40")
		p = agent.follow(agent.submit(page, page+"/workaround", url.Values{"workaround": {"Export to CSV from the reports page."}}))
		p.wantText(t, "main", "Workaround recorded and sent to the customer.")
		r = panelRow(t, p, "sla-workaround")
		if r.state != "met" || r.left != "met at "+at.In(parisZone).Format("2006-01-02 15:04 MST") {
			t.Errorf("work-around clock after the workaround: %+v", r)
		}
		if r = panelRow(t, p, "sla-take_charge"); r.state != "breached" || r.left != "exceeded by 40 min" {
			t.Errorf("take-charge clock after the workaround: %+v", r)
		}
		wantDeadline(t, "resolve after the workaround", panelRow(t, p, "sla-resolve"), deadlines["resolve"])
		p.wantText(t, "timeline", "Export to CSV from the reports page.", "Workaround recorded")
		if byID(p.doc, "workaround") == nil {
			t.Error("the workaround form is gone from an open ticket")
		}
		var link string
		for _, li := range byClass(p.doc, "event-workaround") {
			for _, a := range byTag(li, "a") {
				link = attr(a, "href")
			}
		}
		if !strings.HasPrefix(link, "#m") || byID(p.doc, link[min(1, len(link)):]) == nil {
			t.Errorf("the workaround line links to %q, which is not a message of the page", link)
		}
		clocks, err := db.TicketClocks(system, key, store.SLAOptions{})
		if err != nil || !clocks[1].Stopped || clocks[1].Elapsed != cal.Elapsed(received, at) {
			t.Errorf("stored work-around clock: %+v (%v)", clocks[1], err)
		}

		// In French.
		agent.header.Set("Accept-Language", "fr")
		p = agent.get(page)
		p.wantText(t, "sla", "Niveaux de service", "Échéance (Europe/Paris)", "Prise en charge", "Contournement", "Résolution",
			"1 jour ouvré", "5 jours ouvrés", "dépassé de 40 min", "respecté", "reste ")
		p.wantText(t, "timeline", "Contournement enregistré", "voir le message")
		p.wantText(t, "workaround", "Enregistrer un contournement")
	})
}

// TestTicketSLAHistory: the scheduler's warning, breach and escalation, and a re-targeting on a
// change of severity, read as sentences in both languages, never as raw codes.
func TestTicketSLAHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d, clock, ws := slaDesk(t, db)
		page := "/tickets/" + d.acmeReq.Key
		refresh(t, db, d.acmeReq.ID)
		for _, at := range []string{"2027-03-01 10:40", "2027-03-01 11:10"} { // past 75% of 2 h, then past 2 h
			clock.set(t, at)
			if _, _, err := db.ProcessSLADue(slaCtx, store.SLAOptions{}, 100); err != nil {
				t.Fatal(err)
			}
		}
		clock.set(t, "2027-03-01 11:20")
		minor := "minor"
		if _, err := db.UpdateTicket(as(d.ops), d.acmeReq.Key, opsdesk.TicketPatch{Severity: &minor, Reason: "requalified"}); err != nil {
			t.Fatal(err)
		}
		refresh(t, db, d.acmeReq.ID)

		ops := ws.client()
		ops.login(d.ops.Email, password)
		p := ops.get(page).want(t, http.StatusOK)
		p.wantText(t, "timeline",
			"Take charge: 75 % of the 2 h target used — at risk",
			"Take charge: 2 h target exceeded — breached",
			"Level N1 → N2", "(SLA breach — Take charge: 2 h target exceeded)",
			"Take charge: target 2 h → 4 h, the time already counted is kept (severity Major anomaly → Minor anomaly)",
			"Work around: target 1 business day → no target",
			"Resolve: target 5 business days → 10 business days",
			"SLA watch")
		tl := p.text("timeline")
		for _, raw := range []string{"take_charge", "take-charge", "work-around", "warn", "breach:", "5d", "none", "severity major"} {
			if strings.Contains(tl, raw) {
				t.Errorf("the timeline shows the raw %q: %s", raw, tl)
			}
		}
		if n := len(byClass(p.doc, "event-sla-breach")); n != 1 {
			t.Errorf("%d breach lines, want 1", n)
		}

		ops.header.Set("Accept-Language", "fr")
		p = ops.get(page)
		p.wantText(t, "timeline",
			"Prise en charge : 75 % de l'objectif de 2 h consommé — à risque",
			"Prise en charge : objectif de 2 h dépassé",
			"(dépassement SLA — Prise en charge : objectif de 2 h dépassé)",
			"Prise en charge : objectif 2 h → 4 h, le temps déjà décompté est conservé (sévérité Anomalie majeure → Anomalie mineure)",
			"Contournement : objectif 1 jour ouvré → sans objectif",
			"Résolution : objectif 5 jours ouvrés → 10 jours ouvrés",
			"surveillance SLA")

		// The customer sees none of it: the lines are internal or not the portal's.
		alice := ws.client()
		alice.login(d.alice.Email, password)
		p = alice.get("/requests/"+d.acmeReq.Key).want(t, http.StatusOK)
		for _, s := range []string{"target", "risk", "breach", "SLA", "Level", "N2"} {
			if strings.Contains(p.text("main"), s) {
				t.Errorf("the portal shows %q: %s", s, p.text("main"))
			}
		}
	})
}

// TestQueueSLA: the active queue comes by nearest deadline (the order of the tickets'
// NextDeadline, none last), each row with its deadline, time left and state; breached rows
// are flagged.
func TestQueueSLA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d, clock, ws := slaDesk(t, db)
		// Filed later, due sooner: the deadline order is neither the number order nor the update order.
		clock.set(t, "2027-03-01 09:15")
		waiting := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "question", Category: "application", Subject: "How to export?", Description: "d"})
		clock.set(t, "2027-03-01 09:20")
		if _, err := db.Take(as(d.agent), waiting.Key); err != nil {
			t.Fatal(err)
		}
		clock.set(t, "2027-03-01 09:25")
		st := opsdesk.StatusWaitingCustomer
		if _, err := db.UpdateTicket(as(d.agent), waiting.Key, opsdesk.TicketPatch{Status: &st, Reason: "which report?"}); err != nil {
			t.Fatal(err)
		}
		clock.set(t, "2027-03-01 09:40")
		major := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "major", Category: "application", Subject: "Slow reports", Description: "d"})
		clock.set(t, "2027-03-01 10:00")
		blocking := fileTicket(t, db, d.alice, opsdesk.NewTicket{EnvironmentID: d.acmeEnv.ID, Severity: "blocking", Category: "application",
			Subject: "Production down", Description: "d", Impact: "everyone"})
		clock.set(t, "2027-03-01 10:30")
		if _, err := db.Take(as(d.agent), d.globexReq.Key); err != nil { // its take-charge clock stops
			t.Fatal(err)
		}
		clock.set(t, "2027-03-01 10:50")
		if _, err := db.RecomputeClocks(slaCtx, store.SLAOptions{}, 100); err != nil {
			t.Fatal(err)
		}

		// The expected order, from the tickets' stored next deadlines: none last, ties by number.
		var want []string
		var byDeadline []*opsdesk.Ticket
		for _, k := range []string{d.acmeReq.Key, d.globexReq.Key, waiting.Key, major.Key, blocking.Key} {
			tk, err := db.TicketByKey(system, k)
			if err != nil {
				t.Fatal(err)
			}
			byDeadline = append(byDeadline, tk)
		}
		slices.SortFunc(byDeadline, func(a, b *opsdesk.Ticket) int {
			if after(a, b) {
				return 1
			}
			return -1
		})
		deadline := map[string]time.Time{}
		for _, tk := range byDeadline {
			want = append(want, tk.Key)
			deadline[tk.Key] = tk.NextDeadline
		}
		// By hand: blocking in prod 1 h → 11:00, the first request (major, 2 h from 09:00) → 11:00,
		// major 2 h from 09:40 → 11:40, the GLOBEX one taken: resolve 10 days away, the waiting one
		// paused (none).
		handOrder := []string{d.acmeReq.Key, blocking.Key, major.Key, d.globexReq.Key, waiting.Key}
		if strings.Join(want, " ") != strings.Join(handOrder, " ") {
			t.Fatalf("next deadlines give %v, want %v", want, handOrder)
		}
		if !deadline[blocking.Key].Equal(parisTime(t, "2027-03-01 11:00")) || !deadline[major.Key].Equal(parisTime(t, "2027-03-01 11:40")) {
			t.Fatalf("next deadlines %v", deadline)
		}

		clock.set(t, "2027-03-01 11:10")
		agent := ws.client()
		agent.login(d.agent.Email, password)
		p := agent.get("/tickets").want(t, http.StatusOK)
		if got := p.rows(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("default queue order = %v, want by deadline %v", got, want)
		}
		if got := selected(p, "sort"); got != "" {
			t.Errorf("sort select shows %q, want the default", got)
		}
		if !slices.Contains(optionValues(p, "sort"), "deadline") {
			t.Errorf("sort choices %v lack deadline", optionValues(p, "sort"))
		}
		rows := queueRows(p)
		for key, w := range map[string]struct{ state, left string }{
			d.acmeReq.Key:   {"breached", "overdue by 10 min"},
			blocking.Key:    {"breached", "overdue by 10 min"},
			major.Key:       {"at_risk", "30 min left"}, // 1 h 30 of 2 h used at 11:10
			d.globexReq.Key: {"ok", ""},
			waiting.Key:     {"ok", "paused"},
		} {
			tr := rows[key]
			if tr == nil {
				t.Fatalf("no row %s", key)
			}
			flagged := hasClass(tr, "sla-row-breached")
			if attr(tr, "data-sla") != w.state || flagged != (w.state == "breached") {
				t.Errorf("%s: state %q, flagged %v; want %s", key, attr(tr, "data-sla"), flagged, w.state)
			}
			if !strings.Contains(textOf(tr), w.left) {
				t.Errorf("%s row %q lacks %q", key, textOf(tr), w.left)
			}
			if times := byTag(tr, "time"); !deadline[key].IsZero() &&
				(len(times) == 0 || attr(times[0], "datetime") != deadline[key].UTC().Format("2006-01-02T15:04:05Z")) {
				t.Errorf("%s row %q does not show its deadline %v", key, textOf(tr), deadline[key])
			}
		}
		if got := textOf(rows[d.acmeReq.Key]); !strings.Contains(got, "breached") || !strings.Contains(got, "2027-03-01 11:00 CET") {
			t.Errorf("breached row %q", got)
		}

		// Other orders on request; lists of closed tickets keep the last-update order.
		if got := agent.get("/tickets?sort=number&dir=asc").rows(); strings.Join(got, " ") == strings.Join(want, " ") {
			t.Errorf("by number = %v, the deadline order", got)
		}
		if got := agent.get("/tickets?sort=deadline&dir=desc").rows(); got[len(got)-1] != want[0] {
			t.Errorf("by deadline descending = %v", got)
		}
		clock.set(t, "2027-03-01 11:15")
		if _, err := db.Take(as(d.agent), major.Key); err != nil {
			t.Fatal(err)
		}
		resolve(t, db, d.agent, major.Key)
		clock.set(t, "2027-03-01 11:20")
		resolve(t, db, d.agent, d.globexReq.Key)
		if got := agent.get("/tickets?status=resolved").rows(); strings.Join(got, " ") != d.globexReq.Key+" "+major.Key {
			t.Errorf("resolved tickets = %v, want the last updated first", got)
		}

		agent.header.Set("Accept-Language", "fr")
		p = agent.get("/tickets")
		if got := textOf(queueRows(p)[d.acmeReq.Key]); !strings.Contains(got, "dépassé de 20 min") {
			t.Errorf("French breached row %q", got)
		}
		p.wantText(t, "queue", "Prochaine échéance", "suspendu", "dans les temps")
	})
}

// after tells whether a comes after b in the deadline order: none last, ties by id.
func after(a, b *opsdesk.Ticket) bool {
	switch {
	case a.NextDeadline.IsZero() != b.NextDeadline.IsZero():
		return a.NextDeadline.IsZero()
	case !a.NextDeadline.Equal(b.NextDeadline):
		return a.NextDeadline.After(b.NextDeadline)
	}
	return a.ID > b.ID
}

// queueRows are a list page's rows by ticket number.
func queueRows(p *page) map[string]*html.Node {
	out := map[string]*html.Node{}
	for _, tr := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-key") != "" }) {
		out[attr(tr, "data-key")] = tr
	}
	return out
}

func optionValues(p *page, name string) []string {
	var out []string
	for _, o := range byTag(p.input(name), "option") {
		out = append(out, attr(o, "value"))
	}
	return out
}

// TestPortalCommitments: the customer sees the committed instants to take the request in
// charge and to resolve it, and whether they were kept — nothing of the internal detail — and
// only for the organisation's own requests.
func TestPortalCommitments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d, clock, ws := slaDesk(t, db)
		cal := sla.FrenchCalendar()
		received := d.acmeReq.CreatedAt
		take, fix := cal.Deadline(received, 2*time.Hour), cal.Deadline(received, 5*(7*time.Hour+30*time.Minute))
		alice := ws.client()
		alice.login(d.alice.Email, password)
		reqURL := "/requests/" + d.acmeReq.Key

		clock.set(t, "2027-03-01 10:45") // at risk for the team: not the customer's business
		p := alice.get(reqURL).want(t, http.StatusOK)
		outcome := func(p *page, clock string) (string, string) {
			t.Helper()
			tr := byID(p.doc, "commitment-"+clock)
			if tr == nil {
				t.Fatalf("no commitment %s; page says %q", clock, p.text("main"))
			}
			dt := ""
			if ts := byTag(tr, "time"); len(ts) > 0 {
				dt = attr(ts[0], "datetime")
			}
			return attr(tr, "data-outcome"), dt
		}
		iso := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
		if o, dt := outcome(p, "take_charge"); o != "running" || dt != iso(take) {
			t.Errorf("take charge: %s by %s, want running by %s", o, dt, iso(take))
		}
		if o, dt := outcome(p, "resolve"); o != "running" || dt != iso(fix) {
			t.Errorf("resolve: %s by %s, want running by %s", o, dt, iso(fix))
		}
		p.wantText(t, "commitments", "Our commitments", "Take charge", "Resolve", "in progress", "2027-03-01 11:00 CET")
		wantNoInternals := func(p *page) {
			t.Helper()
			main := p.text("main")
			for _, s := range []string{"Work around", "at risk", "left", "overdue", "75", "escalat", "Level", "SLA watch", "calendar", "business"} {
				if strings.Contains(main, s) {
					t.Errorf("the portal shows %q: %s", s, main)
				}
			}
			if byID(p.doc, "commitment-workaround") != nil || byID(p.doc, "sla") != nil {
				t.Error("the portal shows the work-around clock or the agents' panel")
			}
		}
		wantNoInternals(p)

		// Past the deadline, with the scheduler's warning, breach and escalation recorded: missed.
		refresh(t, db, d.acmeReq.ID)
		for _, at := range []string{"2027-03-01 10:40", "2027-03-01 11:10"} {
			clock.set(t, at)
			if _, _, err := db.ProcessSLADue(slaCtx, store.SLAOptions{}, 100); err != nil {
				t.Fatal(err)
			}
		}
		p = alice.get(reqURL)
		if o, dt := outcome(p, "take_charge"); o != "missed" || dt != iso(take) {
			t.Errorf("take charge past its deadline: %s by %s", o, dt)
		}
		p.wantText(t, "commitments", "missed")
		wantNoInternals(p)

		// Taken in charge: the take-charge commitment is over (missed stays missed); resolving in
		// time meets the resolve one.
		clock.set(t, "2027-03-01 11:20")
		if _, err := db.Take(as(d.n2), d.acmeReq.Key); err != nil {
			t.Fatal(err)
		}
		clock.set(t, "2027-03-01 15:00")
		resolve(t, db, d.n2, d.acmeReq.Key)
		p = alice.get(reqURL)
		if o, _ := outcome(p, "take_charge"); o != "missed" {
			t.Errorf("take charge after the take: %s", o)
		}
		if o, dt := outcome(p, "resolve"); o != "met" || dt != iso(parisTime(t, "2027-03-01 15:00")) {
			t.Errorf("resolve after the resolution: %s at %s", o, dt)
		}
		wantNoInternals(p)
		alice.header.Set("Accept-Language", "fr")
		alice.get(reqURL).wantText(t, "commitments", "Nos engagements", "Prise en charge", "Résolution", "dépassé", "respecté")

		// Another organisation's request is not found, its commitments with it; its own show.
		bob := ws.client()
		bob.login(d.bob.Email, password)
		p = bob.get(reqURL).want(t, http.StatusNotFound)
		if strings.Contains(p.body, d.acmeReq.Subject) || byID(p.doc, "commitments") != nil {
			t.Error("another organisation's request shows")
		}
		p = bob.get("/requests/"+d.globexReq.Key).want(t, http.StatusOK)
		if o, dt := outcome(p, "take_charge"); dt != iso(cal.Deadline(d.globexReq.CreatedAt, 4*time.Hour)) || o != "missed" {
			t.Errorf("GLOBEX's own take charge: %s by %s", o, dt)
		}
		bob.get("/tickets/"+d.globexReq.Key).want(t, http.StatusForbidden)
	})
}

// TestTicketSLAWithoutCalendars: before any calendar is stored, the clocks count in the French
// calendar (the store's default), and the panel says so.
func TestTicketSLAWithoutCalendars(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)
		p := agent.get("/tickets/"+d.acmeReq.Key).want(t, http.StatusOK)
		p.wantText(t, "sla", "Deadline (Europe/Paris)", "1 business day", "5 business days", "Europe/Paris")
		wantDeadline(t, "take charge", panelRow(t, p, "sla-take_charge"), sla.FrenchCalendar().Deadline(d.acmeReq.CreatedAt, 2*time.Hour))
	})
}
