package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/slawatch"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// slaMonth files tickets through the store with the clock moved step by step in March 2027, on
// the French calendar (Mon–Fri 09:00–12:30 and 14:00–18:00, Paris) with the seeded targets —
// major: take charge 2h, work around 7.5h, resolve 37.5h; minor: take charge 4h, resolve 75h —
// and leaves the clock at Monday 5 April 2027 12:00. The outcomes, worked out by hand:
//
//	T1 ACME major    received Mon 1 March 09:00, taken 09:30, resolved Tue 2 March 10:00:
//	                 take charge met; work around breached (7.5h at Mon 18:00, 8.5h at the
//	                 resolution); resolve met.
//	T2 ACME major    received Wed 3 March 09:00, taken 14:00 (3.5h: breached at 11:00), resolved
//	                 15:00: work around (4.5h) and resolve met.
//	T3 ACME minor    received Wed 10 March 09:00, taken 10:00 (met), never resolved: 75h run out
//	                 on Tue 23 March 18:00, breached in March. No work-around target.
//	T4 GLOBEX minor  received Tue 2 March 09:00, taken 09:15, resolved 11:00: both met.
func slaMonth(t *testing.T, db *store.DB, f *fixture) (final time.Time) {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	now := at("2027-03-01 08:00")
	db.Now = func() time.Time { return now }
	var ids []int64
	step := func(when string, fn func() error) {
		t.Helper()
		now = at(when)
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		for _, id := range ids {
			if _, err := db.RefreshTicketClocks(system, id, store.SLAOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	file := func(when string, cu *opsdesk.Customer, requester *opsdesk.User, severity string) string {
		var key string
		step(when, func() error {
			tk, err := db.CreateTicket(system, &opsdesk.NewTicket{CustomerID: cu.ID, RequesterEmail: requester.Email,
				Severity: severity, Impact: "all", Category: "application", Subject: severity, Description: "d"})
			if err == nil {
				key, ids = tk.Key, append(ids, tk.ID)
			}
			return err
		})
		return key
	}
	take := func(when, key string) {
		step(when, func() error { _, err := db.Take(as(f.agent), key); return err })
	}
	resolved := opsdesk.StatusResolved
	solve := func(when, key string) {
		step(when, func() error {
			_, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: &resolved, Reason: "fixed", Resolution: fixedDraft()})
			return err
		})
	}
	t1 := file("2027-03-01 09:00", f.acme, f.alice, "major")
	take("2027-03-01 09:30", t1)
	t4 := file("2027-03-02 09:00", f.globex, f.bob, "minor")
	take("2027-03-02 09:15", t4)
	solve("2027-03-02 10:00", t1)
	solve("2027-03-02 11:00", t4)
	t2 := file("2027-03-03 09:00", f.acme, f.alice, "major")
	take("2027-03-03 14:00", t2)
	solve("2027-03-03 15:00", t2)
	t3 := file("2027-03-10 09:00", f.acme, f.alice, "minor")
	take("2027-03-10 10:00", t3)
	step("2027-04-05 12:00", func() error { return nil })
	return now
}

// reportFigures reads a customer's table of the report page: per severity ("" for the total)
// and clock, "counted/met/breached compliance", or "—" for a clock without figures.
func reportFigures(t *testing.T, p *page, customer string) map[string]string {
	t.Helper()
	tables := findAll(p.doc, func(n *html.Node) bool { return n.Data == "table" && attr(n, "data-customer") == customer })
	if len(tables) != 1 {
		t.Fatalf("%s: %d tables for %s", p.url, len(tables), customer)
	}
	out := map[string]string{}
	for _, tr := range findAll(tables[0], func(n *html.Node) bool { return n.Data == "tr" && hasAttr(n, "data-severity") }) {
		sev := attr(tr, "data-severity")
		fig := map[string]map[string]string{}
		for _, td := range findAll(tr, func(n *html.Node) bool { return n.Data == "td" }) {
			clock := attr(td, "data-clock")
			if fig[clock] == nil {
				fig[clock] = map[string]string{}
			}
			fig[clock][attr(td, "data-figure")] = textOf(td)
		}
		for clock, v := range fig {
			key := sev + " " + clock
			if _, none := v[""]; none {
				out[key] = "—"
				continue
			}
			out[key] = fmt.Sprintf("%s/%s/%s %s", v["counted"], v["met"], v["breached"], v["compliance"])
		}
	}
	return out
}

func TestSLAReportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.SeedDefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, db)
		if err := db.SeedSLADefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		slaMonth(t, db, f)
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(f.ops.Email, password)

		// The hand-computed figures of March, and the store's report agrees with them.
		want := map[string]map[string]string{
			"ACME": {
				"major take_charge": "2/1/1 50.0%", "major workaround": "2/1/1 50.0%", "major resolve": "2/2/0 100.0%",
				"minor take_charge": "1/1/0 100.0%", "minor workaround": "—", "minor resolve": "1/0/1 0.0%",
				" take_charge": "3/2/1 66.7%", " workaround": "2/1/1 50.0%", " resolve": "3/2/1 66.7%",
			},
			"GLOBEX": {
				"minor take_charge": "1/1/0 100.0%", "minor workaround": "—", "minor resolve": "1/1/0 100.0%",
				" take_charge": "1/1/0 100.0%", " workaround": "—", " resolve": "1/1/0 100.0%",
			},
		}
		p := ops.get("/reports/sla?month=2027-03").want(t, http.StatusOK)
		p.wantText(t, "h1", "SLA compliance", "March 2027")
		for cu, figures := range want {
			if got := reportFigures(t, p, cu); fmt.Sprint(got) != fmt.Sprint(figures) {
				t.Errorf("%s in March:\n got %v\nwant %v", cu, got, figures)
			}
		}
		rows, err := db.SLAReport(as(f.ops), 2027, time.March, 0)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, r := range rows {
			lines = append(lines, fmt.Sprintf("%s %s %s %d/%d/%d", r.CustomerCode, r.Severity, r.Clock, r.WithTarget, r.Met, r.Breached))
		}
		wantLines := []string{"ACME major take_charge 2/1/1", "ACME major workaround 2/1/1", "ACME major resolve 2/2/0",
			"ACME minor take_charge 1/1/0", "ACME minor resolve 1/0/1", "GLOBEX minor take_charge 1/1/0", "GLOBEX minor resolve 1/1/0"}
		if !slices.Equal(lines, wantLines) {
			t.Errorf("SLAReport rows %q, want %q", lines, wantLines)
		}

		// One customer; neighbouring months; the current month by default (the injected clock:
		// April 2027); French notation.
		p = ops.get("/reports/sla?month=2027-03&customer=globex").want(t, http.StatusOK)
		if n := len(findAll(p.doc, func(n *html.Node) bool { return n.Data == "table" && hasAttr(n, "data-customer") })); n != 1 {
			t.Errorf("the GLOBEX report shows %d customers", n)
		}
		if got := reportFigures(t, p, "GLOBEX"); fmt.Sprint(got) != fmt.Sprint(want["GLOBEX"]) {
			t.Errorf("GLOBEX alone: %v", got)
		}
		links := p.links()
		for _, l := range []string{"/reports/sla?customer=GLOBEX&month=2027-02", "/reports/sla?customer=GLOBEX&month=2027-04",
			"/reports/sla.csv?customer=GLOBEX&month=2027-03"} {
			if !slices.Contains(links, l) {
				t.Errorf("no link to %s in %q", l, links)
			}
		}
		ops.get("/reports/sla?month=2027-02").want(t, http.StatusOK).wantText(t, "report-empty", "No SLA clock")
		p = ops.get("/reports/sla").want(t, http.StatusOK)
		if got := attr(p.input("month"), "value"); got != "2027-04" {
			t.Errorf("the default month is %q, want the clock's 2027-04", got)
		}
		ops.header.Set("Accept-Language", "fr")
		p = ops.get("/reports/sla?month=2027-03").want(t, http.StatusOK)
		p.wantText(t, "h1", "Respect des SLA", "mars 2027")
		if got := strings.ReplaceAll(reportFigures(t, p, "ACME")[" take_charge"], "\u00a0", " "); got != "3/2/1 66,7 %" {
			t.Errorf("French compliance %q", got)
		}
		ops.header.Del("Accept-Language")
		ops.get("/reports/sla?month=2027-13").want(t, http.StatusUnprocessableEntity).wantText(t, "report-month-error", "is not a month")
		ops.get("/reports/sla?month=2027-03&customer=NOPE").want(t, http.StatusUnprocessableEntity).wantText(t, "report-customer-error", "NOPE")

		// The CSV: the same figures, as slawatch writes them.
		csvPage := ops.get("/reports/sla.csv?month=2027-03").want(t, http.StatusOK)
		if ct := csvPage.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("CSV Content-Type %q", ct)
		}
		if cd := csvPage.header.Get("Content-Disposition"); cd != "attachment; filename*=UTF-8''sla-2027-03.csv" {
			t.Errorf("CSV Content-Disposition %q", cd)
		}
		recs, err := csv.NewReader(strings.NewReader(csvPage.body)).ReadAll()
		if err != nil {
			t.Fatalf("the CSV does not parse: %v\n%s", err, csvPage.body)
		}
		wantCSV := [][]string{slawatch.ReportHeader,
			{"2027-03", "ACME", "Acme Industries", "major", "take_charge", "2", "1", "1", "50.0"},
			{"2027-03", "ACME", "Acme Industries", "major", "workaround", "2", "1", "1", "50.0"},
			{"2027-03", "ACME", "Acme Industries", "major", "resolve", "2", "2", "0", "100.0"},
			{"2027-03", "ACME", "Acme Industries", "minor", "take_charge", "1", "1", "0", "100.0"},
			{"2027-03", "ACME", "Acme Industries", "minor", "resolve", "1", "0", "1", "0.0"},
			{"2027-03", "GLOBEX", "Globex Corporation", "minor", "take_charge", "1", "1", "0", "100.0"},
			{"2027-03", "GLOBEX", "Globex Corporation", "minor", "resolve", "1", "1", "0", "100.0"},
		}
		if !slices.EqualFunc(recs, wantCSV, slices.Equal) {
			t.Errorf("CSV:\n got %q\nwant %q", recs, wantCSV)
		}
		recs, _ = csv.NewReader(strings.NewReader(ops.get("/reports/sla.csv?month=2027-03&customer=GLOBEX").want(t, http.StatusOK).body)).ReadAll()
		if len(recs) != 3 || recs[1][1] != "GLOBEX" || recs[2][1] != "GLOBEX" {
			t.Errorf("GLOBEX's CSV: %q", recs)
		}
		ops.get("/reports/sla.csv?month=march").want(t, http.StatusUnprocessableEntity)

		// The vendor's team reads it (an agent too, through the navigation); customers do not.
		agent := ws.client()
		agent.login(f.agent.Email, password)
		p = agent.get("/reports/sla?month=2027-03").want(t, http.StatusOK)
		if !slices.Contains(p.links(), "/reports/sla") {
			t.Error("no Reports entry in the staff navigation")
		}
		alice := ws.client()
		alice.login(f.alice.Email, password)
		alice.get("/reports/sla").want(t, http.StatusForbidden)
		alice.get("/reports/sla.csv?month=2027-03").want(t, http.StatusForbidden)
		if slices.Contains(alice.get("/").links(), "/reports/sla") {
			t.Error("a customer is offered the reports")
		}
	})
}
