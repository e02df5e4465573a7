package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// dashDesk is the desk of newDesk, with the SLA defaults, and history filed under an injected
// clock: in January and February 2027 ACME files two requests and GLOBEX one, all taken and
// resolved a day later; on 10 March ACME has three requests (newDesk's and two more, one taken
// and resolved on the 11th) and GLOBEX one. The clock then stands at 20 March 2027 12:00 UTC.
// The SLA clocks are stored after each step, as the SLA watcher does.
func dashDesk(t *testing.T, db *store.DB) *desk {
	t.Helper()
	now := time.Date(2027, 3, 10, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	d := newDesk(t, db)
	if err := db.SeedSLADefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	refresh := func() {
		t.Helper()
		for _, id := range ids {
			if _, err := db.RefreshTicketClocks(system, id, store.SLAOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	solve := func(at time.Time, key string) {
		t.Helper()
		now = at
		if _, err := db.Take(as(d.agent), key); err != nil {
			t.Fatal(err)
		}
		now = at.Add(26 * time.Hour)
		resolve(t, db, d.agent, key)
		refresh()
	}
	for i, day := range []time.Time{time.Date(2027, 1, 12, 9, 0, 0, 0, time.UTC), time.Date(2027, 1, 26, 9, 0, 0, 0, time.UTC),
		time.Date(2027, 2, 9, 9, 0, 0, 0, time.UTC)} {
		now = day
		u := d.alice
		if i == 2 {
			u = d.bob
		}
		tk := fileTicket(t, db, u, opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "Earlier request", Description: "d"})
		ids = append(ids, tk.ID)
		solve(day.Add(2*time.Hour), tk.Key)
	}
	now = time.Date(2027, 3, 10, 9, 0, 0, 0, time.UTC)
	ids = append(ids, d.acmeReq.ID, d.globexReq.ID)
	for _, subject := range []string{"Report is slow", "Login page error"} {
		tk := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: subject, Description: "d"})
		ids = append(ids, tk.ID)
	}
	refresh()
	now = time.Date(2027, 3, 11, 10, 0, 0, 0, time.UTC)
	if _, err := db.Take(as(d.agent), d.acmeReq.Key); err != nil {
		t.Fatal(err)
	}
	now = time.Date(2027, 3, 11, 15, 0, 0, 0, time.UTC)
	resolve(t, db, d.agent, d.acmeReq.Key)
	now = time.Date(2027, 3, 20, 12, 0, 0, 0, time.UTC)
	refresh()
	return d
}

// dashCells are the cells of the row key of the dashboard's table name, as text.
func dashCells(t *testing.T, p *page, table, key string) []string {
	t.Helper()
	tables := findAll(p.doc, func(n *html.Node) bool { return n.Data == "table" && attr(n, "data-table") == table })
	if len(tables) != 1 {
		t.Fatalf("%s: %d tables %q", p.url, len(tables), table)
	}
	for _, tr := range findAll(tables[0], func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-figure") == key }) {
		var out []string
		for _, td := range byTag(tr, "td") {
			out = append(out, textOf(td))
		}
		return out
	}
	t.Fatalf("%s: table %s has no row %s", p.url, table, key)
	return nil
}

// readCSV parses a CSV download.
func readCSV(t *testing.T, p *page) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v\n%s", p.url, err, p.body)
	}
	return recs
}

func TestDashboardPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := dashDesk(t, db)
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(d.ops.Email, password)

		// No parameter: the clock's month, every customer.
		p := ops.get("/dashboard").want(t, http.StatusOK)
		p.wantText(t, "h1", "Dashboard", "March 2027")
		if got := attr(byID(p.doc, "dashboard-scope"), "data-from") + " " + attr(byID(p.doc, "dashboard-scope"), "data-to"); got != "2027-03-01 2027-03-31" {
			t.Errorf("default period %s, want March 2027", got)
		}
		march := opsdesk.IndicatorFilter{From: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)}
		for _, c := range []struct {
			query    string
			customer *opsdesk.Customer
			created  string
		}{
			{"", nil, "4"},
			{"?customer=ACME", d.acme, "3"},
			{"?customer=GLOBEX&period=month&date=2027-03-15", d.globex, "1"},
		} {
			p := ops.get("/dashboard"+c.query).want(t, http.StatusOK)
			f := march
			if c.customer != nil {
				f.CustomerID = c.customer.ID
			}
			v, err := db.Indicators(as(d.ops), f)
			if err != nil {
				t.Fatal(err)
			}
			if got := dashCells(t, p, "volume", "tickets_created"); got[0] != c.created || got[0] != strconv.Itoa(v.TicketsCreated) {
				t.Errorf("%s: created %v, want %s (store: %d)", c.query, got, c.created, v.TicketsCreated)
			}
			if got := dashCells(t, p, "volume", "tickets_resolved")[0]; got != strconv.Itoa(v.TicketsResolved) {
				t.Errorf("%s: resolved %s, want %d", c.query, got, v.TicketsResolved)
			}
			if got := dashCells(t, p, "backlog", "backlog")[0]; got != strconv.Itoa(v.Backlog) {
				t.Errorf("%s: backlog %s, want %d", c.query, got, v.Backlog)
			}
			// Nothing counted is a dash, not 0 %.
			if got := dashCells(t, p, "rates", "escalation_n2_n3")[0]; got != "—" {
				t.Errorf("%s: escalation N2→N3 %q, want —", c.query, got)
			}
			report := byID(p.doc, "dashboard-report")
			switch {
			case c.customer == nil && report != nil:
				t.Errorf("%s: a monthly report link without a customer", c.query)
			case c.customer != nil:
				want := "/customers/" + strconv.FormatInt(c.customer.ID, 10) + "/report?month=2027-03"
				if !slices.Contains(p.links(), want) {
					t.Errorf("%s: no link to %s in %q", c.query, want, p.links())
				}
			}
			if got := selected(p, "customer"); got != code(c.customer) {
				t.Errorf("%s: customer %q selected, want %q", c.query, got, code(c.customer))
			}
		}

		// A week, its neighbours, the trend and the CSV links keep the filters.
		p = ops.get("/dashboard?period=week&date=2027-03-10&level=N1").want(t, http.StatusOK)
		p.wantText(t, "h1", "Week of March 8, 2027")
		links := p.links()
		for _, l := range []string{"/dashboard?date=2027-03-01&level=N1&period=week", "/dashboard?date=2027-03-15&level=N1&period=week",
			"/dashboard.csv?date=2027-03-08&level=N1&period=week&table=volume"} {
			if !slices.Contains(links, l) {
				t.Errorf("no link %s in %q", l, links)
			}
		}
		charts := findAll(p.doc, func(n *html.Node) bool { return n.Data == "svg" && attr(n, "role") == "img" })
		if len(charts) != 3 {
			t.Fatalf("%d charts, want 3", len(charts))
		}
		for _, ch := range charts {
			if titles := byTag(ch, "title"); len(titles) == 0 || textOf(titles[0]) == "" || len(byClass(ch, "legend")) != 1 {
				t.Errorf("chart %s has no title or legend", attr(ch, "id"))
			}
		}
		trend := findAll(p.doc, func(n *html.Node) bool { return n.Data == "table" && attr(n, "data-table") == "trend" })
		if rows := findAll(trend[0], func(n *html.Node) bool { return n.Data == "tr" && hasAttr(n, "data-figure") }); len(rows) != 12 ||
			attr(rows[11], "data-figure") != "2027-03-08" || attr(rows[0], "data-figure") != "2026-12-21" {
			t.Errorf("trend rows: %d", len(rows))
		}
		if got := dashCells(t, p, "trend", "2027-03-08")[0]; got != "4" {
			t.Errorf("trend week of 8 March: %s created at N1, want 4", got)
		}

		// Custom days; French notation.
		p = ops.get("/dashboard?period=custom&from=2027-03-10&to=2027-03-11").want(t, http.StatusOK)
		if got := dashCells(t, p, "volume", "tickets_created")[0]; got != "4" {
			t.Errorf("10–11 March: %s created, want 4", got)
		}
		ops.header.Set("Accept-Language", "fr")
		p = ops.get("/dashboard?period=month&date=2027-03-01").want(t, http.StatusOK)
		p.wantText(t, "h1", "Tableau de bord", "mars 2027")
	})
}

// code is a customer's code, "" for none.
func code(c *opsdesk.Customer) string {
	if c == nil {
		return ""
	}
	return c.Code
}

func TestDashboardBadFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := dashDesk(t, db)
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(d.ops.Email, password)
		for _, c := range []struct{ query, field string }{
			{"period=year", "period"},
			{"date=2027-13-01", "date"},
			{"period=custom&from=2027-03-10&to=2027-03-01", "to"},
			{"period=custom&from=yesterday", "from"},
			{"customer=NOPE", "customer"},
			{"env_kind=staging", "env_kind"},
			{"severity=apocalyptic", "severity"},
			{"level=N4", "level"},
			{"channel=fax", "channel"},
		} {
			p := ops.get("/dashboard?"+c.query).want(t, http.StatusUnprocessableEntity)
			if msg := p.text("dashboard-" + c.field + "-error"); msg == "" {
				t.Errorf("%s: no message at %s", c.query, c.field)
			}
			if got := attr(p.input(c.field), "aria-invalid"); got != "true" {
				t.Errorf("%s: %s not marked invalid", c.query, c.field)
			}
			csvPage := ops.get("/dashboard.csv?table=volume&"+c.query).want(t, http.StatusUnprocessableEntity)
			if !strings.Contains(csvPage.text("main"), c.field) {
				t.Errorf("%s: the CSV's 422 does not name %s: %q", c.query, c.field, csvPage.text("main"))
			}
		}
	})
}

func TestDashboardAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := dashDesk(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(d.alice.Email, password)
		for _, path := range []string{"/dashboard", "/dashboard?customer=ACME", "/dashboard.csv?table=volume&customer=GLOBEX"} {
			if p := alice.get(path); p.status != http.StatusForbidden && p.status != http.StatusNotFound {
				t.Errorf("customer on %s: %d, want 403 or 404", path, p.status)
			} else if strings.Contains(p.body, "tickets_created") {
				t.Errorf("customer on %s sees figures", path)
			}
		}
		anon := ws.client()
		if p := anon.get("/dashboard"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Errorf("anonymous: %d → %s", p.status, p.location())
		}
		agent := ws.client()
		agent.login(d.agent.Email, password)
		agent.get("/dashboard").want(t, http.StatusOK)
	})
}

func TestDashboardCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := dashDesk(t, db)
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(d.ops.Email, password)
		f := opsdesk.IndicatorFilter{From: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC),
			CustomerID: d.acme.ID}
		v, err := db.Indicators(as(d.ops), f)
		if err != nil {
			t.Fatal(err)
		}
		get := func(table string) [][]string {
			t.Helper()
			p := ops.get("/dashboard.csv?"+url.Values{"table": {table}, "customer": {"ACME"}, "date": {"2027-03-05"}}.Encode()).want(t, http.StatusOK)
			if ct := p.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", table, ct)
			}
			if cd := p.header.Get("Content-Disposition"); !strings.Contains(cd, "opsdesk-"+table+"-2027-03-01-2027-03-31.csv") {
				t.Errorf("%s: Content-Disposition %q", table, cd)
			}
			return readCSV(t, p)
		}
		want := func(table string, recs [][]string, rows ...[]string) {
			t.Helper()
			for _, r := range rows {
				if !slices.ContainsFunc(recs, func(got []string) bool { return slices.Equal(got, r) }) {
					t.Errorf("%s: no row %q in %q", table, r, recs)
				}
			}
		}
		vol := get("volume")
		if !slices.Equal(vol[0], []string{"indicator", "count"}) {
			t.Errorf("volume header %q", vol[0])
		}
		want("volume", vol, []string{"tickets_created", strconv.Itoa(v.TicketsCreated)}, []string{"tickets_resolved", strconv.Itoa(v.TicketsResolved)})
		if v.TicketsCreated != 3 || v.TicketsResolved != 1 {
			t.Fatalf("the seed gives ACME %d created, %d resolved; want 3 and 1", v.TicketsCreated, v.TicketsResolved)
		}
		want("backlog", get("backlog"), []string{"indicator", "count"}, []string{"backlog", strconv.Itoa(v.Backlog)})
		sla := get("sla")
		want("sla", sla, []string{"clock", "num", "den", "rate"})
		for _, c := range v.SLA {
			r := c.Ratio()
			rate := ""
			if x, ok := r.Rate(); ok {
				rate = strconv.FormatFloat(x, 'f', -1, 64)
			}
			want("sla", sla, []string{c.Clock, strconv.Itoa(r.Num), strconv.Itoa(r.Den), rate})
		}
		times := get("times")
		want("times", times, []string{"clock", "count", "mean_s", "p90_s"},
			[]string{"take_charge", strconv.Itoa(v.TakeCharge.Count), strconv.FormatFloat(v.TakeCharge.Mean.Seconds(), 'f', -1, 64),
				strconv.FormatFloat(v.TakeCharge.P90.Seconds(), 'f', -1, 64)})
		// Nothing counted: the rate is empty, never 0 or 1.
		want("rates", get("rates"), []string{"escalation_n2_n3", "0", "0", ""})
		if trend := get("trend"); len(trend) != 13 || trend[1][0] != "2026-04-01" || trend[12][0] != "2027-03-01" ||
			trend[12][1] != "2027-03-31" || trend[12][2] != "3" || trend[12][3] != "1" {
			t.Errorf("trend CSV: %q", trend)
		}

		p := ops.get("/dashboard.csv?table=nope&customer=ACME").want(t, http.StatusNotFound)
		if !strings.Contains(p.text("main"), "nope") {
			t.Errorf("unknown table message %q", p.text("main"))
		}
	})
}
