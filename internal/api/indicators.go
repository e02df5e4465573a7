package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// indicatorRatio is a share counted as num out of den (docs/indicators.md).
type indicatorRatio struct {
	Num   int      `json:"num"`
	Den   int      `json:"den"`
	Ratio *float64 `json:"ratio" doc:"num ÷ den, null when nothing was counted (den 0)"`
}

func ratioJSON(r opsdesk.Ratio) indicatorRatio {
	out := indicatorRatio{Num: r.Num, Den: r.Den}
	if v, ok := r.Rate(); ok {
		out.Ratio = &v
	}
	return out
}

// indicatorTarget is one clock's compliance over the period.
type indicatorTarget struct {
	Met      int      `json:"met" doc:"clocks stopped in the period without exceeding their target"`
	Breached int      `json:"breached" doc:"clocks whose target was exceeded in the period"`
	Ratio    *float64 `json:"ratio" doc:"met ÷ (met + breached), null when no clock counted"`
}

// indicatorSLA is the compliance per SLA target.
type indicatorSLA struct {
	TakeCharge indicatorTarget `json:"take_charge"`
	Workaround indicatorTarget `json:"workaround"`
	Resolve    indicatorTarget `json:"resolve"`
}

// indicatorDurations are the business times of the clocks that stopped in the period, in seconds.
type indicatorDurations struct {
	Count int     `json:"count"`
	MeanS float64 `json:"mean_s" doc:"mean business time in seconds (millisecond precision), 0 when count is 0"`
	P90S  float64 `json:"p90_s" doc:"nearest-rank 90th percentile in business seconds, 0 when count is 0"`
}

func durationJSON(d opsdesk.DurationStats) indicatorDurations {
	return indicatorDurations{Count: d.Count, MeanS: d.Mean.Seconds(), P90S: d.P90.Seconds()}
}

// indicatorBacklogAge splits the backlog at the end of the period by real-time age.
type indicatorBacklogAge struct {
	UnderDay   int `json:"under_day" doc:"under 24 h"`
	UnderWeek  int `json:"under_week" doc:"1 to 7 days"`
	UnderMonth int `json:"under_month" doc:"7 to 30 days"`
	Older      int `json:"older" doc:"30 days and more"`
}

// indicatorArticle is an article linked to tickets resolved in the period.
type indicatorArticle struct {
	ArticleID int64 `json:"article_id"`
	Tickets   int   `json:"tickets"`
}

// indicatorAvailability is a production environment's share of successful probe checks.
type indicatorAvailability struct {
	EnvironmentID int64    `json:"environment_id"`
	Customer      string   `json:"customer" doc:"the customer's code"`
	Name          string   `json:"name"`
	Checks        int      `json:"checks"`
	OK            int      `json:"ok"`
	Ratio         *float64 `json:"ratio" doc:"ok ÷ checks"`
}

// indicators is the answer of GET /indicators; every figure is defined in docs/indicators.md.
type indicators struct {
	From            string                  `json:"from" format:"date-time" doc:"first instant of the period (UTC)"`
	To              string                  `json:"to" format:"date-time" doc:"the instant after the period (UTC)"`
	Customer        string                  `json:"customer" doc:"the customer's code the figures are of, empty for every customer"`
	EnvKind         string                  `json:"env_kind"`
	Severity        string                  `json:"severity"`
	Level           string                  `json:"level"`
	Channel         string                  `json:"channel"`
	TicketsCreated  int                     `json:"tickets_created"`
	TicketsResolved int                     `json:"tickets_resolved"`
	ProbeIncidents  int                     `json:"probe_incidents"`
	Backlog         int                     `json:"backlog" doc:"tickets new, open or waiting for the customer at the end of the period"`
	BacklogAge      indicatorBacklogAge     `json:"backlog_age"`
	SLACompliance   indicatorSLA            `json:"sla_compliance"`
	TakeCharge      indicatorDurations      `json:"take_charge_time" doc:"business time to take charge of the clocks stopped in the period"`
	Resolve         indicatorDurations      `json:"resolve_time" doc:"business time to resolve of the clocks stopped in the period"`
	FirstContactN1  indicatorRatio          `json:"first_contact_resolution_n1"`
	EscalationN1N2  indicatorRatio          `json:"escalation_n1_n2"`
	EscalationN2N3  indicatorRatio          `json:"escalation_n2_n3"`
	Reopen          indicatorRatio          `json:"reopen" doc:"reopenings ÷ resolutions in the period"`
	CSATAverage     *float64                `json:"csat_average" doc:"mean rating 1–5 of the rated answers, null when none"`
	CSATRated       int                     `json:"csat_rated"`
	SurveyResponse  indicatorRatio          `json:"survey_response"`
	KBDeflections   int                     `json:"kb_deflections"`
	ArticlesSolved  []indicatorArticle      `json:"articles_solved" doc:"most tickets first, then article id"`
	Availability    []indicatorAvailability `json:"availability" doc:"production environments with probe checks in the period, by id"`
	ProjectsOnTime  indicatorRatio          `json:"projects_on_time"`
}

// indicatorInstant reads from or to: an RFC 3339 instant, or a day YYYY-MM-DD meaning its
// first instant in UTC.
func indicatorInstant(field, s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, opsdesk.Invalid(field, "%q is neither an RFC 3339 instant nor a day YYYY-MM-DD", s)
}

// indicatorFilter reads the query of GET /indicators. A missing from or to is the bound of the
// current month in UTC; customer is a code (another organisation's is not found to a customer).
func (a *API) indicatorFilter(r *http.Request) (opsdesk.IndicatorFilter, string, error) {
	q := r.URL.Query()
	now := a.db.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	f := opsdesk.IndicatorFilter{From: month, To: month.AddDate(0, 1, 0)}
	for _, b := range []struct {
		field string
		dst   *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := strings.TrimSpace(q.Get(b.field)); s != "" {
			t, err := indicatorInstant(b.field, s)
			if err != nil {
				return f, "", err
			}
			*b.dst = t
		}
	}
	var code string
	if code = strings.TrimSpace(q.Get("customer")); code != "" {
		c, err := a.db.CustomerByCode(r.Context(), code)
		if err != nil {
			return f, "", withField(err, "customer")
		}
		f.CustomerID, code = c.ID, c.Code
	}
	if s := strings.TrimSpace(q.Get("env_kind")); s != "" {
		if f.EnvKind = opsdesk.EnvKind(s); !f.EnvKind.Valid() {
			return f, "", opsdesk.Invalid("env_kind", "%q is not an environment kind (test, preprod, prod)", s)
		}
	}
	f.Severity = strings.TrimSpace(q.Get("severity"))
	if s := strings.TrimSpace(q.Get("level")); s != "" {
		l, ok := opsdesk.ParseLevel(s)
		if !ok {
			return f, "", opsdesk.Invalid("level", "%q is not a level (N1, N2, N3)", s)
		}
		f.Level = l
	}
	f.Channel = opsdesk.Channel(strings.TrimSpace(q.Get("channel")))
	return f, code, f.Validate()
}

// getIndicators answers the steering figures of a period. Staff see every customer or the one
// named; a customer's token always gets its own organisation's figures (the store decides).
func (a *API) getIndicators(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, _, err := a.indicatorFilter(r)
	if err != nil {
		return err
	}
	v, err := a.db.Indicators(ctx, f)
	if err != nil {
		return err
	}
	codes := map[int64]string{}
	cs, err := a.db.ListCustomers(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		codes[c.ID] = c.Code
	}
	out := indicators{From: apijson.Stamp(v.Filter.From), To: apijson.Stamp(v.Filter.To), Customer: codes[v.Filter.CustomerID],
		EnvKind: string(v.Filter.EnvKind), Severity: v.Filter.Severity, Level: string(v.Filter.Level), Channel: string(v.Filter.Channel),
		TicketsCreated: v.TicketsCreated, TicketsResolved: v.TicketsResolved, ProbeIncidents: v.ProbeIncidents,
		Backlog: v.Backlog, BacklogAge: indicatorBacklogAge(v.BacklogAge),
		TakeCharge: durationJSON(v.TakeCharge), Resolve: durationJSON(v.Resolve),
		FirstContactN1: ratioJSON(v.FirstContactN1), EscalationN1N2: ratioJSON(v.EscalationN1N2),
		EscalationN2N3: ratioJSON(v.EscalationN2N3), Reopen: ratioJSON(v.Reopen),
		CSATRated: v.CSATRated, SurveyResponse: ratioJSON(v.SurveyResponse), KBDeflections: v.KBDeflections,
		ArticlesSolved: make([]indicatorArticle, len(v.ArticlesSolved)), Availability: make([]indicatorAvailability, len(v.Availability)),
		ProjectsOnTime: ratioJSON(v.ProjectsOnTime)}
	if v.CSATRated > 0 {
		avg := v.CSATAverage
		out.CSATAverage = &avg
	}
	for _, s := range v.SLA {
		rt := ratioJSON(s.Ratio())
		t := indicatorTarget{Met: s.Met, Breached: s.Breached, Ratio: rt.Ratio}
		switch sla.ClockKind(s.Clock) {
		case sla.TakeCharge:
			out.SLACompliance.TakeCharge = t
		case sla.Workaround:
			out.SLACompliance.Workaround = t
		case sla.Resolve:
			out.SLACompliance.Resolve = t
		}
	}
	for i, u := range v.ArticlesSolved {
		out.ArticlesSolved[i] = indicatorArticle(u)
	}
	for i, e := range v.Availability {
		out.Availability[i] = indicatorAvailability{EnvironmentID: e.EnvironmentID, Customer: codes[e.CustomerID], Name: e.Name,
			Checks: e.Checks, OK: e.OK, Ratio: ratioJSON(e.Ratio()).Ratio}
	}
	return writeJSON(w, http.StatusOK, out)
}
