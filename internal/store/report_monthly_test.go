package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// monthlySeed is ACME's March 2027 (French calendar: months in Paris time) with a ticket of
// GLOBEX, probes, deployments and CAPA actions around it; the expectations are written by hand
// from the story below.
type monthlySeed struct {
	f                *ticketFixture
	now              time.Time
	keys             map[string]string // story letter → ticket key
	eu, staging      *opsdesk.Environment
	openAct, progAct *opsdesk.Action
}

func seedMonthly(t *testing.T, db *store.DB) *monthlySeed {
	t.Helper()
	s := &monthlySeed{f: newTicketFixture(t, db), keys: map[string]string{}}
	if err := db.SeedSLADefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return s.now }
	f := s.f
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	at := func(when string) { s.now = local(t, when) }
	ticket := func(letter, when string, cust *opsdesk.User, env int64) {
		t.Helper()
		at(when)
		tk := file(t, db, as(cust), opsdesk.NewTicket{EnvironmentID: env, Severity: "minor", Category: "application",
			Subject: "story " + letter, Description: "d"})
		s.keys[letter] = tk.Key
	}
	taken := map[string]bool{}
	status := func(letter, when string, st opsdesk.Status) {
		t.Helper()
		at(when)
		if !taken[letter] {
			must(db.Take(as(f.agent), s.keys[letter]))
			taken[letter] = true
		}
		p := opsdesk.TicketPatch{Status: &st}
		if st == opsdesk.StatusResolved {
			p.Resolution = &opsdesk.Resolution{Summary: "Fixed", Cause: "defect"}
		}
		must(db.UpdateTicket(as(f.agent), s.keys[letter], p))
	}
	// A: February, left new (open at the end). B: February, resolved in February.
	ticket("A", "2027-02-20 09:00", f.custA, 0)
	ticket("B", "2027-02-20 10:00", f.custA, 0)
	status("B", "2027-02-25 10:00", opsdesk.StatusResolved)
	// C: 00:30 on March 1st in Paris — still February in UTC — left new.
	ticket("C", "2027-03-01 00:30", f.custA, f.acmeProd.ID)
	// D: created and resolved in March, rated 4.
	ticket("D", "2027-03-05 10:00", f.custA, 0)
	status("D", "2027-03-06 10:00", opsdesk.StatusResolved)
	must(db.AnswerSurvey(as(f.custA), s.keys["D"], yes(4, "ok")))
	// E: created in March, resolved only in April: open at the end.
	ticket("E", "2027-03-10 10:00", f.custA, 0)
	at("2027-03-10 11:00")
	must(db.Take(as(f.agent), s.keys["E"]))
	taken["E"] = true
	// F: created and resolved in March, reopened: open at the end too.
	ticket("F", "2027-03-20 10:00", f.custA, 0)
	status("F", "2027-03-21 10:00", opsdesk.StatusResolved)
	status("F", "2027-03-22 10:00", opsdesk.StatusOpen)
	// GLOBEX's March ticket, and ACME's April ones.
	ticket("X", "2027-03-15 10:00", f.custB, 0)
	status("E", "2027-04-02 10:00", opsdesk.StatusResolved)
	ticket("G", "2027-04-02 11:00", f.custA, 0)

	// Environments: ACME's Production (fixture; nothing shown), Production EU (availability and
	// versions shown), Staging (preprod).
	at("2027-02-01 09:00")
	s.eu = &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvProd, Name: "Production EU"}
	s.staging = &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvPreprod, Name: "Staging"}
	for _, e := range []*opsdesk.Environment{s.eu, s.staging} {
		must(nil, db.CreateEnvironment(admin, e))
	}
	must(db.SetEnvironmentVisibility(admin, s.eu.ID, opsdesk.EnvVisibility{ShowAvailability: true, ShowVersions: true}))
	// Probes: Production 2 checks in March, both up; Production EU 4 in March (3 up), 1 in February.
	pp := &opsdesk.Probe{EnvironmentID: f.acmeProd.ID, Name: "Home", URL: "https://acme.example", Threshold: 100, Enabled: true}
	pe := &opsdesk.Probe{EnvironmentID: s.eu.ID, Name: "Home", URL: "https://eu.acme.example", Threshold: 100, Enabled: true}
	gp := &opsdesk.Probe{EnvironmentID: f.globexProd.ID, Name: "Home", URL: "https://globex.example", Threshold: 100, Enabled: true}
	for _, p := range []*opsdesk.Probe{pp, pe, gp} {
		must(nil, db.CreateProbe(as(f.ops), p))
	}
	for _, c := range []struct {
		probe int64
		when  string
		ok    bool
	}{
		{pe.ID, "2027-02-28 23:00", false}, {pp.ID, "2027-03-02 09:00", true}, {pp.ID, "2027-03-03 09:00", true},
		{pe.ID, "2027-03-02 09:00", true}, {pe.ID, "2027-03-03 09:00", false}, {pe.ID, "2027-03-04 09:00", true},
		{pe.ID, "2027-03-31 23:30", true}, {gp.ID, "2027-03-05 09:00", false},
	} {
		at(c.when)
		probeRunAt(t, db, c.probe, s.now, c.ok, 50)
	}
	// Deployments: 1.1 in February; 1.2 to Staging then Production EU in March; 1.3 planned for April.
	deploy := func(when string, env int64, version string, outcome opsdesk.DeployOutcome) {
		t.Helper()
		at(when)
		must(nil, db.RecordDeployment(as(f.agent), &opsdesk.Deployment{EnvironmentID: env, Component: "app", ToVersion: version, Outcome: outcome}))
	}
	deploy("2027-02-10 09:00", s.staging.ID, "1.1", opsdesk.DeploySuccess)
	deploy("2027-03-03 20:00", s.staging.ID, "1.2", opsdesk.DeploySuccess)
	deploy("2027-03-04 21:00", s.eu.ID, "1.2", opsdesk.DeploySuccess)
	deploy("2027-04-01 08:00", s.eu.ID, "1.3", opsdesk.DeployPlanned)

	// CAPA: ACME open, in progress and done; GLOBEX open.
	at("2027-03-10 09:00")
	act := func(cust int64, title string, to opsdesk.ActionStatus) *opsdesk.Action {
		t.Helper()
		a := &opsdesk.Action{Kind: opsdesk.ActionCorrective, Title: title, Source: opsdesk.SourceManual, CustomerID: cust}
		must(nil, db.CreateAction(as(f.ops), a))
		if to == opsdesk.ActionDone {
			must(db.MoveAction(as(f.ops), a.ID, opsdesk.ActionInProgress, ""))
		}
		if to != opsdesk.ActionOpen {
			must(db.MoveAction(as(f.ops), a.ID, to, "closed"))
		}
		return a
	}
	s.openAct = act(f.acme.ID, "Add disk alerts", opsdesk.ActionOpen)
	s.progAct = act(f.acme.ID, "Review backups", opsdesk.ActionInProgress)
	act(f.acme.ID, "Old fix", opsdesk.ActionDone)
	act(f.globex.ID, "Globex action", opsdesk.ActionOpen)
	at("2027-04-05 09:00")
	return s
}

func TestMonthlyReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := seedMonthly(t, db)
		f := s.f
		for _, who := range []struct {
			name     string
			ctx      context.Context
			customer bool
		}{{"staff", as(f.agent), false}, {"customer", as(f.custA), true}} {
			t.Run(who.name, func(t *testing.T) {
				r, err := db.MonthlyReport(who.ctx, f.acme.ID, 2027, time.March)
				if err != nil {
					t.Fatal(err)
				}
				if r.Customer.Code != "ACME" || !r.From.Equal(local(t, "2027-03-01 00:00")) || !r.To.Equal(local(t, "2027-04-01 00:00")) ||
					r.Zone.String() != "Europe/Paris" {
					t.Fatalf("report of %s, [%v, %v) in %v", r.Customer.Code, r.From, r.To, r.Zone)
				}
				type line struct {
					key                     string
					created, resolved, open bool
				}
				want := []line{{s.keys["A"], false, false, true}, {s.keys["C"], true, false, true}, {s.keys["D"], true, true, false},
					{s.keys["E"], true, false, true}, {s.keys["F"], true, true, true}}
				var got []line
				for _, tk := range r.Tickets {
					got = append(got, line{tk.Key, tk.Created, tk.Resolved, tk.OpenAtEnd})
				}
				if !slices.Equal(got, want) {
					t.Errorf("tickets = %v, want %v", got, want)
				}
				if r.Created != 4 || r.Resolved != 2 || r.OpenAtTo != 4 {
					t.Errorf("counts created %d resolved %d open %d, want 4 2 4", r.Created, r.Resolved, r.OpenAtTo)
				}
				if c := r.Tickets[1]; c.Environment != "Production" || c.Severity != "minor" || c.Status != "new" || c.Subject != "story C" {
					t.Errorf("ticket C = %+v", c)
				}
				if r.Indicators.TicketsCreated != 4 || r.Indicators.TicketsResolved != 2 || r.Indicators.Backlog != 4 {
					t.Errorf("indicators created %d resolved %d backlog %d, want 4 2 4", r.Indicators.TicketsCreated,
						r.Indicators.TicketsResolved, r.Indicators.Backlog)
				}
				if r.Indicators.CSATRated != 1 || r.Indicators.CSATAverage != 4 || r.Indicators.SurveyResponse.Num != 1 {
					t.Errorf("satisfaction %v over %d, %v answered", r.Indicators.CSATAverage, r.Indicators.CSATRated, r.Indicators.SurveyResponse)
				}
				for _, row := range r.SLA {
					if row.CustomerCode != "ACME" {
						t.Errorf("SLA row of %s", row.CustomerCode)
					}
				}
				type avail struct {
					name       string
					checks, ok int
				}
				wantAv := []avail{{"Production", 2, 2}, {"Production EU", 4, 3}}
				if who.customer {
					wantAv = wantAv[1:]
				}
				var gotAv []avail
				for _, a := range r.Availability {
					gotAv = append(gotAv, avail{a.Name, a.Checks, a.OK})
				}
				if !slices.Equal(gotAv, wantAv) {
					t.Errorf("availability = %v, want %v", gotAv, wantAv)
				}
				type dep struct{ env, version string }
				wantDeps := []dep{{"Production EU", "1.2"}, {"Staging", "1.2"}}
				if who.customer {
					wantDeps = wantDeps[:1]
				}
				var gotDeps []dep
				for _, d := range r.Deployments {
					gotDeps = append(gotDeps, dep{d.Environment, d.ToVersion})
					if d.Outcome != opsdesk.DeploySuccess || d.At.Before(r.From) || !d.At.Before(r.To) {
						t.Errorf("deployment %+v", d)
					}
				}
				if !slices.Equal(gotDeps, wantDeps) {
					t.Errorf("deployments = %v, want %v", gotDeps, wantDeps)
				}
				var acts []int64
				for _, a := range r.Actions {
					acts = append(acts, a.ID)
				}
				slices.Sort(acts)
				if !slices.Equal(acts, []int64{s.openAct.ID, s.progAct.ID}) {
					t.Errorf("actions = %v, want %d and %d", acts, s.openAct.ID, s.progAct.ID)
				}
			})
		}
	})
}

func TestMonthlyReportAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		_, err := db.MonthlyReport(as(f.custB), f.acme.ID, 2027, time.March)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.MonthlyReport(context.Background(), f.acme.ID, 2027, time.March)
		wantKind(t, err, opsdesk.KindAuth)
		_, err = db.MonthlyReport(as(f.agent), f.acme.ID, 2027, 13)
		wantKind(t, err, opsdesk.KindInvalid)
		_, err = db.MonthlyReport(as(f.agent), 9999, 2027, time.March)
		wantKind(t, err, opsdesk.KindNotFound)
		if _, err := db.MonthlyReport(as(f.custB), f.globex.ID, 2027, time.March); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMonthlyReportSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ids, err := db.MonthlyReportCustomers(admin)
		if err != nil || !slices.Equal(ids, []int64{f.acme.ID, f.globex.ID}) {
			t.Fatalf("enabled = %v %v, want both (on by default)", ids, err)
		}
		wantKind(t, db.SetMonthlyReport(as(f.agent), f.acme.ID, false), opsdesk.KindForbidden)
		wantKind(t, db.SetMonthlyReport(as(f.ops), 9999, false), opsdesk.KindNotFound)
		if err := db.SetMonthlyReport(as(f.ops), f.acme.ID, false); err != nil {
			t.Fatal(err)
		}
		if on, err := db.MonthlyReportEnabled(as(f.agent), f.acme.ID); err != nil || on {
			t.Fatalf("ACME enabled = %v %v, want off", on, err)
		}
		if ids, _ := db.MonthlyReportCustomers(admin); !slices.Equal(ids, []int64{f.globex.ID}) {
			t.Fatalf("enabled = %v, want GLOBEX only", ids)
		}
		_, err = db.MonthlyReportEnabled(as(f.custA), f.acme.ID)
		wantKind(t, err, opsdesk.KindForbidden)
		entries, err := db.ListAudit(admin, opsdesk.AuditFilter{Entity: "customer", EntityID: f.acme.ID})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			for _, c := range e.Changes {
				found = found || (c.Field == "monthly_report" && c.Old == "true" && c.New == "false")
			}
		}
		if !found {
			t.Errorf("no audit entry for monthly_report in %+v", entries)
		}
	})
}
