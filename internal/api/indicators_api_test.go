package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type ratioJSON struct {
	Num   int      `json:"num"`
	Den   int      `json:"den"`
	Ratio *float64 `json:"ratio"`
}

type targetJSON struct {
	Met      int      `json:"met"`
	Breached int      `json:"breached"`
	Ratio    *float64 `json:"ratio"`
}

type indicatorsJSON struct {
	From            string `json:"from"`
	To              string `json:"to"`
	Customer        string `json:"customer"`
	TicketsCreated  int    `json:"tickets_created"`
	TicketsResolved int    `json:"tickets_resolved"`
	ProbeIncidents  int    `json:"probe_incidents"`
	Backlog         int    `json:"backlog"`
	BacklogAge      struct {
		UnderDay   int `json:"under_day"`
		UnderWeek  int `json:"under_week"`
		UnderMonth int `json:"under_month"`
		Older      int `json:"older"`
	} `json:"backlog_age"`
	SLACompliance map[string]targetJSON `json:"sla_compliance"`
	TakeCharge    struct {
		Count int     `json:"count"`
		MeanS float64 `json:"mean_s"`
		P90S  float64 `json:"p90_s"`
	} `json:"take_charge_time"`
	Resolve struct {
		Count int     `json:"count"`
		MeanS float64 `json:"mean_s"`
	} `json:"resolve_time"`
	FirstContactN1 ratioJSON `json:"first_contact_resolution_n1"`
	EscalationN1N2 ratioJSON `json:"escalation_n1_n2"`
	EscalationN2N3 ratioJSON `json:"escalation_n2_n3"`
	ArticlesSolved []struct {
		ArticleID int64 `json:"article_id"`
		Tickets   int   `json:"tickets"`
	} `json:"articles_solved"`
	Availability []struct {
		EnvironmentID int64 `json:"environment_id"`
		Checks        int   `json:"checks"`
		OK            int   `json:"ok"`
	} `json:"availability"`
	Reopen         ratioJSON `json:"reopen"`
	CSATAverage    *float64  `json:"csat_average"`
	CSATRated      int       `json:"csat_rated"`
	SurveyResponse ratioJSON `json:"survey_response"`
	KBDeflections  int       `json:"kb_deflections"`
	ProjectsOnTime ratioJSON `json:"projects_on_time"`
}

// sameRatio tells whether the answer's share is the store's: the counts, and the rate or null.
func sameRatio(got ratioJSON, want opsdesk.Ratio) bool {
	v, ok := want.Rate()
	return got.Num == want.Num && got.Den == want.Den && (got.Ratio != nil) == ok && (!ok || *got.Ratio == v)
}

// wantIndicators compares the answer with the store's figures, field by field.
func wantIndicators(t *testing.T, got indicatorsJSON, v *opsdesk.Indicators) {
	t.Helper()
	if got.TicketsCreated != v.TicketsCreated || got.TicketsResolved != v.TicketsResolved || got.Backlog != v.Backlog ||
		got.ProbeIncidents != v.ProbeIncidents || got.KBDeflections != v.KBDeflections {
		t.Errorf("volume %+v, store %+v", got, v)
	}
	if b := v.BacklogAge; got.BacklogAge.UnderDay != b.UnderDay || got.BacklogAge.UnderWeek != b.UnderWeek ||
		got.BacklogAge.UnderMonth != b.UnderMonth || got.BacklogAge.Older != b.Older {
		t.Errorf("backlog age %+v, store %+v", got.BacklogAge, b)
	}
	if len(got.SLACompliance) != 3 || len(v.SLA) != 3 {
		t.Errorf("sla_compliance %+v, store %+v", got.SLACompliance, v.SLA)
	}
	for _, s := range v.SLA {
		g, ok := got.SLACompliance[s.Clock]
		if !ok || g.Met != s.Met || g.Breached != s.Breached || !sameRatio(ratioJSON{g.Met, g.Met + g.Breached, g.Ratio}, s.Ratio()) {
			t.Errorf("sla %s = %+v, store %+v", s.Clock, g, s)
		}
	}
	if got.TakeCharge.Count != v.TakeCharge.Count || got.TakeCharge.MeanS != v.TakeCharge.Mean.Seconds() ||
		got.TakeCharge.P90S != v.TakeCharge.P90.Seconds() || got.Resolve.Count != v.Resolve.Count || got.Resolve.MeanS != v.Resolve.Mean.Seconds() {
		t.Errorf("durations %+v %+v, store %+v %+v", got.TakeCharge, got.Resolve, v.TakeCharge, v.Resolve)
	}
	for name, c := range map[string]struct {
		got  ratioJSON
		want opsdesk.Ratio
	}{"first_contact": {got.FirstContactN1, v.FirstContactN1}, "escalation_n1_n2": {got.EscalationN1N2, v.EscalationN1N2},
		"escalation_n2_n3": {got.EscalationN2N3, v.EscalationN2N3},
		"reopen":           {got.Reopen, v.Reopen}, "survey_response": {got.SurveyResponse, v.SurveyResponse}, "projects_on_time": {got.ProjectsOnTime, v.ProjectsOnTime}} {
		if !sameRatio(c.got, c.want) {
			t.Errorf("%s = %+v, store %+v", name, c.got, c.want)
		}
	}
	if len(got.ArticlesSolved) != len(v.ArticlesSolved) || len(got.Availability) != len(v.Availability) {
		t.Errorf("articles %+v, availability %+v; store %+v, %+v", got.ArticlesSolved, got.Availability, v.ArticlesSolved, v.Availability)
	}
	for i, a := range v.ArticlesSolved {
		if i < len(got.ArticlesSolved) && (got.ArticlesSolved[i].ArticleID != a.ArticleID || got.ArticlesSolved[i].Tickets != a.Tickets) {
			t.Errorf("articles_solved[%d] = %+v, store %+v", i, got.ArticlesSolved[i], a)
		}
	}
	for i, a := range v.Availability {
		if i < len(got.Availability) && (got.Availability[i].EnvironmentID != a.EnvironmentID || got.Availability[i].Checks != a.Checks || got.Availability[i].OK != a.OK) {
			t.Errorf("availability[%d] = %+v, store %+v", i, got.Availability[i], a)
		}
	}
	if got.CSATRated != v.CSATRated || (got.CSATAverage != nil) != (v.CSATRated > 0) || (got.CSATAverage != nil && *got.CSATAverage != v.CSATAverage) {
		t.Errorf("csat %v (%d rated), store %v (%d)", got.CSATAverage, got.CSATRated, v.CSATAverage, v.CSATRated)
	}
}

// TestIndicatorsAPI seeds a small desk (two ACME tickets, one taken in charge, resolved and
// rated; one GLOBEX ticket) and checks that GET /indicators shows the store's figures for each
// filter, defaults to the current month, rejects bad input naming the field, and keeps a
// customer to its own organisation's figures.
func TestIndicatorsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		paris, err := time.LoadLocation("Europe/Paris")
		must(t, err)
		now := time.Date(2027, 3, 10, 9, 0, 0, 0, paris) // a Wednesday, in business hours
		db.Now = func() time.Time { return now }
		done := e.file("alice", map[string]any{"environment": "prod", "subject": "Export fails"})
		waiting := e.file("alice", map[string]any{"subject": "Slow page"})
		other := e.file("bob", map[string]any{"environment": "prod", "subject": "Globex only"})
		e.refresh(done.Number, waiting.Number, other.Number)
		now = now.Add(30 * time.Minute)
		e.do("n1", "POST", "/api/v1/tickets/"+done.Number+"/take", nil).want(t, http.StatusOK, nil)
		now = now.Add(time.Hour)
		e.do("n1", "PATCH", "/api/v1/tickets/"+done.Number, map[string]any{"status": "resolved",
			"resolution": "Index rebuilt", "cause": "defect"}).want(t, http.StatusOK, nil)
		yes := true
		if _, err := db.AnswerSurvey(opsdesk.WithActor(t.Context(), opsdesk.ActorOf(e.users["alice"])), done.Number,
			opsdesk.SurveyAnswer{Solved: &yes, Rating: 4}); err != nil {
			t.Fatal(err)
		}
		e.refresh(done.Number, waiting.Number, other.Number)
		now = now.Add(time.Hour)

		staff := opsdesk.WithActor(t.Context(), opsdesk.ActorOf(e.users["n1"]))
		march := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
		april := march.AddDate(0, 1, 0)
		cases := []struct {
			query   string
			filter  opsdesk.IndicatorFilter
			created int // what the seeding gives, besides matching the store
		}{
			{"", opsdesk.IndicatorFilter{From: march, To: april}, 3},
			{"?from=2027-03-01&to=2027-04-01T00:00:00Z", opsdesk.IndicatorFilter{From: march, To: april}, 3},
			{"?customer=ACME", opsdesk.IndicatorFilter{From: march, To: april, CustomerID: e.acme.ID}, 2},
			{"?env_kind=prod&level=N1&channel=api&severity=minor", opsdesk.IndicatorFilter{From: march, To: april,
				EnvKind: opsdesk.EnvProd, Level: opsdesk.Level("N1"), Channel: opsdesk.ChannelAPI, Severity: "minor"}, 2},
			{"?from=2027-02-01T00:00:00%2B01:00&to=2027-03-01", opsdesk.IndicatorFilter{From: time.Date(2027, 1, 31, 23, 0, 0, 0, time.UTC), To: march}, 0},
		}
		for _, c := range cases {
			var got indicatorsJSON
			e.do("n1", "GET", "/api/v1/indicators"+c.query, nil).want(t, http.StatusOK, &got)
			wantIndicators(t, got, mustIndicators(t, db, staff, c.filter))
			if got.TicketsCreated != c.created {
				t.Errorf("%q: tickets_created = %d, want %d", c.query, got.TicketsCreated, c.created)
			}
		}
		// The seeded figures themselves, for ACME in March.
		var acme indicatorsJSON
		e.do("ops", "GET", "/api/v1/indicators?customer=ACME", nil).want(t, http.StatusOK, &acme)
		if tc := acme.SLACompliance["take_charge"]; acme.TicketsResolved != 1 || acme.Backlog != 1 || tc.Met != 1 || tc.Ratio == nil || *tc.Ratio != 1 ||
			acme.SLACompliance["workaround"].Ratio != nil || acme.CSATAverage == nil || *acme.CSATAverage != 4 || acme.Customer != "ACME" ||
			acme.TakeCharge.Count != 1 || acme.TakeCharge.MeanS != 1800 {
			t.Errorf("ACME's March = %+v", acme)
		}
		// The default period is the current month, in UTC.
		if from, to := indicatorStamp(t, acme.From), indicatorStamp(t, acme.To); !from.Equal(march) || !to.Equal(april) {
			t.Errorf("default period [%s, %s)", acme.From, acme.To)
		}

		for _, c := range []struct{ query, field string }{
			{"?from=yesterday", "from"},
			{"?from=2027-03-32", "from"},
			{"?to=2027-13-01", "to"},
			{"?from=2027-03-10&to=2027-03-01", "to"},
			{"?from=2027-03-01&to=2027-03-01", "to"},
			{"?level=N9", "level"},
			{"?channel=fax", "channel"},
			{"?env_kind=moon", "env_kind"},
		} {
			e.do("n1", "GET", "/api/v1/indicators"+c.query, nil).problem(t, http.StatusUnprocessableEntity, c.field)
		}
		e.do("n1", "GET", "/api/v1/indicators?customer=NOPE", nil).problem(t, http.StatusNotFound, "customer")

		// A customer's token gets its own organisation's figures, and naming another's is not found.
		var bob indicatorsJSON
		e.do("bob", "GET", "/api/v1/indicators", nil).want(t, http.StatusOK, &bob)
		wantIndicators(t, bob, mustIndicators(t, db, staff, opsdesk.IndicatorFilter{From: march, To: april, CustomerID: e.globex.ID}))
		if bob.Customer != "GLOBEX" || bob.TicketsCreated != 1 || bob.TicketsResolved != 0 || bob.CSATAverage != nil {
			t.Errorf("Bob's figures = %+v", bob)
		}
		r := e.do("bob", "GET", "/api/v1/indicators?customer=ACME", nil)
		r.problem(t, http.StatusNotFound, "customer")
		if strings.Contains(string(r.body), "tickets_created") {
			t.Errorf("Bob naming ACME got figures: %s", r.body)
		}
		var alice indicatorsJSON
		e.do("alice", "GET", "/api/v1/indicators?customer=ACME", nil).want(t, http.StatusOK, &alice)
		wantIndicators(t, alice, mustIndicators(t, db, staff, opsdesk.IndicatorFilter{From: march, To: april, CustomerID: e.acme.ID}))
		if alice.Customer != "ACME" || alice.TicketsCreated != 2 {
			t.Errorf("Alice's figures = %+v", alice)
		}
	})
}

func mustIndicators(t *testing.T, db *store.DB, ctx context.Context, f opsdesk.IndicatorFilter) *opsdesk.Indicators {
	t.Helper()
	v, err := db.Indicators(ctx, f)
	must(t, err)
	return v
}

func indicatorStamp(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	must(t, err)
	return v
}
