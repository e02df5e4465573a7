package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// indicatorSeed is the varied history the indicator tests run on, made through the store's
// public methods under an injected clock.
type indicatorSeed struct {
	f        *ticketFixture
	now      *time.Time
	from, to time.Time
}

func seedIndicators(t *testing.T, db *store.DB) *indicatorSeed {
	t.Helper()
	f := newTicketFixture(t, db)
	if err := db.SeedSLADefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC) // a Monday, 09:00 in Paris
	now := base.Add(-40 * 24 * time.Hour)
	db.Now = func() time.Time { return now }
	s := &indicatorSeed{f: f, now: &now, from: base.Add(-24 * time.Hour), to: base.Add(10 * 24 * time.Hour)}
	// refresh does what the SLA watcher does after each ticket event: store the clocks.
	refresh := func() {
		t.Helper()
		rs, err := db.SQL().Query(`SELECT id FROM tickets`)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rs.Next() {
			var id int64
			if err := rs.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rs.Close()
		for _, id := range ids {
			if _, err := db.RefreshTicketClocks(admin, id, store.SLAOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	at := func(d time.Duration) { t.Helper(); refresh(); now = base.Add(d) }
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	status := func(ctx context.Context, key string, st opsdesk.Status) {
		t.Helper()
		p := opsdesk.TicketPatch{Status: &st}
		if st == opsdesk.StatusResolved {
			p.Resolution = &opsdesk.Resolution{Summary: "Fixed", Cause: "defect"}
		}
		must(db.UpdateTicket(ctx, key, p))
	}
	minor := func(ctx context.Context) *opsdesk.Ticket {
		t.Helper()
		return file(t, db, ctx, opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s", Description: "d"})
	}
	pub := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
		Texts: []opsdesk.ArticleText{fr("Public", "")}}))
	other := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
		Texts: []opsdesk.ArticleText{fr("Autre", "")}}))
	agent, n2 := as(f.agent), as(f.n2)

	// Before the period: one left new, one resolved inside the period.
	at(-40 * 24 * time.Hour)
	minor(as(f.custA))
	old := minor(as(f.custA))
	must(db.Take(agent, old.Key))
	at(time.Hour)
	status(agent, old.Key, opsdesk.StatusResolved)

	// T1: blocking in production, paused while waiting for the customer, resolved, rated 5.
	at(0)
	t1 := file(t, db, as(f.custA), opsdesk.NewTicket{EnvironmentID: f.acmeProd.ID, Severity: "blocking", Category: "application",
		Subject: "down", Description: "d", Impact: "all users"})
	at(10 * time.Minute)
	must(db.Take(agent, t1.Key))
	at(20 * time.Minute)
	status(agent, t1.Key, opsdesk.StatusWaitingCustomer)
	at(2 * time.Hour)
	status(agent, t1.Key, opsdesk.StatusOpen)
	at(3 * time.Hour)
	must(nil, db.LinkArticle(agent, t1.Key, pub.ID))
	status(agent, t1.Key, opsdesk.StatusResolved)
	must(db.AnswerSurvey(as(f.custA), t1.Key, yes(5, "great")))

	// T2: escalated N1 → N2 → N3, resolved, reopened by the customer, resolved again.
	at(time.Hour)
	t2 := minor(as(f.custA))
	must(db.Take(agent, t2.Key))
	at(2 * time.Hour)
	must(db.Escalate(agent, t2.Key, opsdesk.LevelN2, "needs N2"))
	at(4 * time.Hour)
	must(db.Escalate(n2, t2.Key, opsdesk.LevelN3, "needs N3"))
	at(30 * time.Hour)
	status(n2, t2.Key, opsdesk.StatusResolved)
	at(32 * time.Hour)
	status(as(f.custA), t2.Key, opsdesk.StatusOpen)
	at(50 * time.Hour)
	status(n2, t2.Key, opsdesk.StatusResolved)
	must(nil, db.LinkArticle(agent, t2.Key, pub.ID))
	must(nil, db.LinkArticle(agent, t2.Key, other.ID))

	// T3: Globex by mail, re-severitied, resolved, rated 2.
	at(2 * time.Hour)
	t3 := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.globex.ID, RequesterEmail: "bob@globex.example", Severity: "major",
		Category: "application", Subject: "slow", Description: "d", Channel: opsdesk.ChannelMail, EnvironmentID: f.globexProd.ID})
	at(3 * time.Hour)
	sev := "minor"
	must(db.UpdateTicket(agent, t3.Key, opsdesk.TicketPatch{Severity: &sev, Reason: "not that bad"}))
	must(db.Take(agent, t3.Key))
	at(80 * time.Hour)
	status(agent, t3.Key, opsdesk.StatusResolved)
	must(db.AnswerSurvey(as(f.custB), t3.Key, yes(2, "slow")))

	// T4: Globex, left new. T5: a probe incident, taken, still open.
	at(3 * time.Hour)
	minor(as(f.custB))
	at(4 * time.Hour)
	t5 := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: "alice@acme.example", Severity: "major",
		Category: "application", Subject: "probe", Description: "d", Channel: opsdesk.ChannelProbe, EnvironmentID: f.acmeProd.ID})
	must(db.Take(agent, t5.Key))

	// T6: later in the period, resolved, reopened, resolved again; survey left unanswered.
	at(5 * 24 * time.Hour)
	t6 := minor(as(f.custA))
	must(db.Take(agent, t6.Key))
	at(5*24*time.Hour + time.Hour)
	status(agent, t6.Key, opsdesk.StatusResolved)
	at(5*24*time.Hour + 2*time.Hour)
	status(as(f.custA), t6.Key, opsdesk.StatusOpen)
	at(5*24*time.Hour + 3*time.Hour)
	status(agent, t6.Key, opsdesk.StatusResolved)

	// Probes: Acme's production checked 10 times, failing twice (its threshold opens no
	// incident), once more after the period; Globex's fails twice in a row, which opens an
	// incident (T8), then recovers.
	pa := &opsdesk.Probe{EnvironmentID: f.acmeProd.ID, Name: "Home", URL: "https://acme.example", Threshold: 100, Enabled: true}
	pg := &opsdesk.Probe{EnvironmentID: f.globexProd.ID, Name: "Home", URL: "https://globex.example", Threshold: 2, Enabled: true}
	for _, p := range []*opsdesk.Probe{pa, pg} {
		must(nil, db.CreateProbe(as(f.ops), p))
	}
	for i := range 10 {
		at(6*24*time.Hour + time.Duration(i)*time.Hour)
		probeRunAt(t, db, pa.ID, now, i%5 != 0, 100)
	}
	for i, ok := range []bool{false, false, true} {
		at(7*24*time.Hour + time.Duration(i)*time.Hour)
		probeRunAt(t, db, pg.ID, now, ok, 100)
	}

	// Projects: closed on time, closed late, closed without a target; one still open.
	at(-24 * time.Hour)
	day := opsdesk.Day(base)
	var projects []*opsdesk.Project
	for _, p := range []opsdesk.Project{
		{CustomerID: f.acme.ID, Name: "On time", TargetOn: day.AddDate(0, 0, 2)},
		{CustomerID: f.acme.ID, Name: "Late", TargetOn: day.AddDate(0, 0, 2)},
		{CustomerID: f.acme.ID, Name: "No target"},
		{CustomerID: f.globex.ID, Name: "Open", TargetOn: day.AddDate(0, 0, 20)},
	} {
		p.ManagerID, p.StartOn = f.pm.ID, day.AddDate(0, 0, -1)
		must(nil, db.CreateProject(as(f.pm), &p, ""))
		projects = append(projects, &p)
	}
	at(2*24*time.Hour + 15*time.Hour) // 23:00 UTC on the target day: on time
	must(nil, db.SetProjectClosed(as(f.pm), projects[0].ID, true, ""))
	at(3 * 24 * time.Hour)
	must(nil, db.SetProjectClosed(as(f.pm), projects[1].ID, true, ""))
	must(nil, db.SetProjectClosed(as(f.pm), projects[2].ID, true, ""))

	// Deflections, and a ticket and a check after the period.
	must(nil, db.RecordDeflection(as(f.custA), pub.ID, "visit-1"))
	must(nil, db.RecordDeflection(as(f.custB), other.ID, "visit-2"))
	at(12 * 24 * time.Hour)
	minor(as(f.custA))
	probeRunAt(t, db, pa.ID, now, true, 100)
	refresh()
	// The scheduler records the deadlines passed by the clocks still running.
	for more := true; more; {
		var err error
		if _, more, err = db.ProcessSLADue(admin, store.SLAOptions{}, 100); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestIndicatorsByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := seedIndicators(t, db)
		got, err := db.Indicators(as(s.f.ops), opsdesk.IndicatorFilter{From: s.from, To: s.to})
		if err != nil {
			t.Fatal(err)
		}
		check := func(name string, got, want any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s = %+v, want %+v", name, got, want)
			}
		}
		check("created", got.TicketsCreated, 7)   // T1–T6 and T8
		check("resolved", got.TicketsResolved, 5) // T2, resolved twice, counts once
		check("backlog", got.Backlog, 4)          // T0, T4, T5, T8
		check("backlog age", got.BacklogAge, opsdesk.BacklogAge{UnderWeek: 1, UnderMonth: 2, Older: 1})
		check("first contact N1", got.FirstContactN1, opsdesk.Ratio{Num: 3, Den: 5}) // T2 escalated, T6 reopened
		// T2 by hand; T5 by the SLA breaches (after the period: the cohort counts its later escalations);
		// T8, the probe's incident, starts at N2 and is escalated to N3 by a breach.
		check("escalation N1→N2", got.EscalationN1N2, opsdesk.Ratio{Num: 2, Den: 6})
		check("escalation N2→N3", got.EscalationN2N3, opsdesk.Ratio{Num: 3, Den: 3})
		check("reopen", got.Reopen, opsdesk.Ratio{Num: 2, Den: 7})
		check("csat", []any{got.CSATAverage, got.CSATRated, got.SurveyResponse.Num}, []any{3.5, 2, 2})
		check("deflections", got.KBDeflections, 2)
		check("articles", got.ArticlesSolved, []opsdesk.ArticleUse{{ArticleID: 1, Tickets: 2}, {ArticleID: 2, Tickets: 1}})
		check("projects on time", got.ProjectsOnTime, opsdesk.Ratio{Num: 1, Den: 2})
		check("probe incidents", got.ProbeIncidents, 2)
		check("availability", got.Availability, []opsdesk.EnvAvailability{
			{EnvironmentID: s.f.acmeProd.ID, CustomerID: s.f.acme.ID, Name: "Production", Checks: 10, OK: 8},
			{EnvironmentID: s.f.globexProd.ID, CustomerID: s.f.globex.ID, Name: "Production", Checks: 3, OK: 1}})
		// Taken after 10 min (T1), 1 business hour (T3), at once (T2, T5, T6): mean 14 min, p90 the 5th of 5.
		check("take charge", got.TakeCharge, opsdesk.DurationStats{Count: 5, Mean: 14 * time.Minute, P90: time.Hour})
		check("resolve count", got.Resolve.Count, 5)

		globex, err := db.Indicators(as(s.f.ops), opsdesk.IndicatorFilter{From: s.from, To: s.to, CustomerID: s.f.globex.ID})
		if err != nil {
			t.Fatal(err)
		}
		check("globex created", globex.TicketsCreated, 3)
		check("globex csat", globex.CSATAverage, 2.0)
		check("globex deflections", globex.KBDeflections, 1)
		check("globex projects", globex.ProjectsOnTime, opsdesk.Ratio{})
	})
}

func TestIndicatorsAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := seedIndicators(t, db)
		// A customer asking for another customer's figures gets their own.
		got, err := db.Indicators(as(s.f.custB), opsdesk.IndicatorFilter{From: s.from, To: s.to, CustomerID: s.f.acme.ID})
		if err != nil || got.Filter.CustomerID != s.f.globex.ID || got.TicketsCreated != 3 || got.KBDeflections != 1 || len(got.Availability) != 1 {
			t.Fatalf("customer's indicators = %+v %v", got, err)
		}
		_, err = db.Indicators(context.Background(), opsdesk.IndicatorFilter{From: s.from, To: s.to})
		wantKind(t, err, opsdesk.KindAuth)
		for _, c := range []struct {
			f     opsdesk.IndicatorFilter
			field string
		}{
			{opsdesk.IndicatorFilter{To: s.to}, "from"},
			{opsdesk.IndicatorFilter{From: s.from}, "to"},
			{opsdesk.IndicatorFilter{From: s.to, To: s.from}, "to"},
			{opsdesk.IndicatorFilter{From: s.from, To: s.to, Level: "N4"}, "level"},
			{opsdesk.IndicatorFilter{From: s.from, To: s.to, Channel: "fax"}, "channel"},
		} {
			_, err := db.Indicators(as(s.f.ops), c.f)
			var e *opsdesk.Error
			if !asError(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != c.field {
				t.Errorf("filter %+v: %v, want invalid %s", c.f, err, c.field)
			}
		}
	})
}

// probeRunAt records a check of probe id at at, the others put out of the way (recordRunAt
// claims whichever probe is due).
func probeRunAt(t *testing.T, db *store.DB, id int64, at time.Time, ok bool, latencyMS int) {
	t.Helper()
	if _, err := db.SQL().Exec(db.Rebind(`UPDATE env_probes SET next_due = ? WHERE id <> ?`), at.Add(24*365*time.Hour).UnixMilli(), id); err != nil {
		t.Fatal(err)
	}
	recordRunAt(t, db, id, at, ok, latencyMS)
}
