package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// monthlyReport is the answer of GET /customers/{code}/report (docs/report.md, "Monthly service
// report").
type monthlyReport struct {
	Customer     string                `json:"customer" doc:"the customer's code"`
	Month        string                `json:"month" doc:"YYYY-MM"`
	From         string                `json:"from" format:"date-time" doc:"the month's first instant: midnight in the zone of the customer's contract calendar"`
	To           string                `json:"to" format:"date-time" doc:"the instant after the month"`
	Zone         string                `json:"zone" doc:"the IANA time zone of the month's bounds"`
	Created      int                   `json:"tickets_created"`
	Resolved     int                   `json:"tickets_resolved"`
	OpenAtEnd    int                   `json:"tickets_open_at_end"`
	Tickets      []monthlyTicket       `json:"tickets" doc:"created in the month, resolved in it or open at its end, by creation"`
	BacklogAge   indicatorBacklogAge   `json:"backlog_age"`
	SLA          []monthlySLA          `json:"sla" doc:"per severity and clock, as GET /reports/sla"`
	Availability []monthlyAvailability `json:"availability" doc:"production environments (customers: those whose availability they are shown)"`
	Deployments  []monthlyDeployment   `json:"deployments" doc:"by environment then time (customers: environments whose versions they are shown)"`
	CSATAverage  *float64              `json:"csat_average" doc:"mean rating 1–5 of the month's rated answers, null when none"`
	CSATRated    int                   `json:"csat_rated"`
	Response     indicatorRatio        `json:"survey_response"`
	Actions      []monthlyAction       `json:"actions" doc:"the customer's corrective and preventive actions open or in progress"`
}

type monthlyTicket struct {
	Number      string `json:"number"`
	Subject     string `json:"subject"`
	Severity    string `json:"severity"`
	Status      string `json:"status" doc:"current status"`
	Environment string `json:"environment" doc:"the environment's name, empty for none"`
	CreatedAt   string `json:"created_at" format:"date-time"`
	Created     bool   `json:"created" doc:"created in the month"`
	Resolved    bool   `json:"resolved" doc:"resolved at least once in the month"`
	OpenAtEnd   bool   `json:"open_at_end" doc:"new, open or waiting for the customer at the month's end"`
}

type monthlySLA struct {
	Severity string   `json:"severity"`
	Clock    string   `json:"clock"`
	Met      int      `json:"met"`
	Breached int      `json:"breached"`
	Ratio    *float64 `json:"ratio" doc:"met ÷ (met + breached)"`
}

type monthlyAvailability struct {
	EnvironmentID int64    `json:"environment_id"`
	Name          string   `json:"name"`
	Checks        int      `json:"checks"`
	OK            int      `json:"ok"`
	Ratio         *float64 `json:"ratio" doc:"ok ÷ checks, null when not probed"`
}

type monthlyDeployment struct {
	Environment string `json:"environment"`
	Component   string `json:"component"`
	FromVersion string `json:"from_version"`
	ToVersion   string `json:"to_version"`
	Outcome     string `json:"outcome"`
	At          string `json:"at" format:"date-time" doc:"finished, else started, else planned, else recorded"`
}

type monthlyAction struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Status string `json:"status"`
	DueDay string `json:"due_day"`
}

// getMonthlyReport answers a customer's monthly service report; ?month=YYYY-MM, default the
// previous month (UTC). Another organisation's is not found to a customer's token.
func (a *API) getMonthlyReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := a.db.CustomerByCode(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	now := a.db.Now().UTC()
	month := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	if s := strings.TrimSpace(r.URL.Query().Get("month")); s != "" {
		if month, err = time.Parse("2006-01", s); err != nil {
			return opsdesk.Invalid("month", "must be a month such as 2027-03")
		}
	}
	rep, err := a.db.MonthlyReport(ctx, c.ID, month.Year(), month.Month())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, monthlyReportJSON(rep))
}

func monthlyReportJSON(rep *store.MonthlyReport) monthlyReport {
	out := monthlyReport{Customer: rep.Customer.Code, Month: rep.From.Format("2006-01"), From: apijson.Stamp(rep.From),
		To: apijson.Stamp(rep.To), Zone: rep.Zone.String(), Created: rep.Created, Resolved: rep.Resolved, OpenAtEnd: rep.OpenAtTo,
		Tickets: []monthlyTicket{}, SLA: []monthlySLA{}, Availability: []monthlyAvailability{}, Deployments: []monthlyDeployment{},
		Actions: []monthlyAction{}}
	for _, t := range rep.Tickets {
		out.Tickets = append(out.Tickets, monthlyTicket{Number: t.Key, Subject: t.Subject, Severity: t.Severity, Status: t.Status,
			Environment: t.Environment, CreatedAt: apijson.Stamp(t.CreatedAt), Created: t.Created, Resolved: t.Resolved, OpenAtEnd: t.OpenAtEnd})
	}
	for _, s := range rep.SLA {
		out.SLA = append(out.SLA, monthlySLA{Severity: s.Severity, Clock: string(s.Clock), Met: s.Met, Breached: s.Breached,
			Ratio: ratioJSON(opsdesk.Ratio{Num: s.Met, Den: s.WithTarget}).Ratio})
	}
	for _, av := range rep.Availability {
		out.Availability = append(out.Availability, monthlyAvailability{EnvironmentID: av.EnvironmentID, Name: av.Name,
			Checks: av.Checks, OK: av.OK, Ratio: ratioJSON(av.Ratio()).Ratio})
	}
	for _, d := range rep.Deployments {
		out.Deployments = append(out.Deployments, monthlyDeployment{Environment: d.Environment, Component: d.Component,
			FromVersion: d.FromVersion, ToVersion: d.ToVersion, Outcome: string(d.Outcome), At: apijson.Stamp(d.At)})
	}
	for _, ac := range rep.Actions {
		out.Actions = append(out.Actions, monthlyAction{ID: ac.ID, Kind: string(ac.Kind), Title: ac.Title, Status: string(ac.Status), DueDay: ac.DueDay})
	}
	if ind := rep.Indicators; ind != nil {
		out.BacklogAge = indicatorBacklogAge(ind.BacklogAge)
		out.CSATRated, out.Response = ind.CSATRated, ratioJSON(ind.SurveyResponse)
		if ind.CSATRated > 0 {
			avg := ind.CSATAverage
			out.CSATAverage = &avg
		}
	}
	return out
}
