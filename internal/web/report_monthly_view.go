package web

import (
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/report"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// monthlyReportPage is the data of the monthly service report page (report_monthly.html).
type monthlyReportPage struct {
	Customer   *opsdesk.Customer
	Month      string // YYYY-MM
	MonthLabel string // "March 2027"
	Period     string // "March 1, 2027 – March 31, 2027 (Europe/Paris)"
	Prev, Next string
	Send       string // the "send to contacts" form's action; "" on the portal
	Created    int
	Resolved   int
	OpenAtEnd  int
	Tickets    []mrTicket
	Clocks     []sla.ClockKind
	SLA        []reportCustomer // one group at most: the customer's lines per severity, and the total
	Backlog    opsdesk.BacklogAge
	Avail      []mrAvailability
	Deploys    []mrDeployment
	CSAT       string // "4.2 / 5", "" when nobody rated
	CSATRated  int
	Response   string // survey response rate, "" when no survey
	Actions    []store.MonthlyAction
}

// mrTicket is one line of the report's ticket table.
type mrTicket struct {
	Key, URL, Subject, Severity, Status, Environment string
	Created, Resolved, OpenAtEnd                     bool
}

// mrAvailability is one production environment's line.
type mrAvailability struct {
	Name        string
	Checks, OK  int
	Share       string // "99.95 %", "" when not probed
	Environment string // the environment page
}

// mrDeployment is one deployment's line.
type mrDeployment struct {
	Environment, Component, From, To string
	Outcome                          opsdesk.DeployOutcome
	When                             string // in the customer's calendar zone
}

// monthlyReportView turns a report into the page's data in the reader's language.
func (s *Server) monthlyReportView(c *call, r *store.MonthlyReport, base string) (*monthlyReportPage, error) {
	loc := report.LocaleFor(c.lang)
	p := &monthlyReportPage{Customer: r.Customer, Month: fmt.Sprintf("%04d-%02d", r.Year, int(r.Month)),
		MonthLabel: c.T("sla_report.month_label", c.T(fmt.Sprintf("calendar.month.%d", int(r.Month))), r.Year),
		Prev:       monthURL(base, r.Year, r.Month-1), Next: monthURL(base, r.Year, r.Month+1),
		Created: r.Created, Resolved: r.Resolved, OpenAtEnd: r.OpenAtTo, Clocks: sla.ClockKinds, Actions: r.Actions}
	last := r.To.AddDate(0, 0, -1)
	p.Period = c.T("mreport.period", loc.Date(r.From), loc.Date(last), r.Zone.String())
	customer := c.actor().IsCustomer()
	if !customer {
		p.Send = fmt.Sprintf("/customers/%d/report/send", r.Customer.ID)
	}
	sevs, err := s.db.Severities(c.ctx)
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for _, sv := range sevs {
		labels[sv.Code] = sv.Label(c.lang)
	}
	for _, t := range r.Tickets {
		url := "/tickets/" + t.Key
		if customer {
			url = "/requests/" + t.Key
		}
		sev := labels[t.Severity]
		if sev == "" {
			sev = t.Severity
		}
		p.Tickets = append(p.Tickets, mrTicket{Key: t.Key, URL: url, Subject: t.Subject, Severity: sev,
			Status: c.T("status." + t.Status), Environment: t.Environment, Created: t.Created, Resolved: t.Resolved, OpenAtEnd: t.OpenAtEnd})
	}
	p.SLA = reportGroups(c, r.SLA, labels)
	for _, a := range r.Availability {
		p.Avail = append(p.Avail, mrAvailability{Name: a.Name, Checks: a.Checks, OK: a.OK, Share: reportPercent(c, a.Ratio(), 2),
			Environment: fmt.Sprintf("/environments/%d", a.EnvironmentID)})
	}
	for _, d := range r.Deployments {
		p.Deploys = append(p.Deploys, mrDeployment{Environment: d.Environment, Component: d.Component, From: d.FromVersion,
			To: d.ToVersion, Outcome: d.Outcome, When: d.At.In(r.Zone).Format("2006-01-02 15:04 MST")})
	}
	if ind := r.Indicators; ind != nil {
		p.Backlog = ind.BacklogAge
		if ind.CSATRated > 0 {
			avg := fmt.Sprintf("%.1f", ind.CSATAverage)
			if c.lang == opsdesk.LangFR {
				avg = strings.ReplaceAll(avg, ".", ",")
			}
			p.CSAT, p.CSATRated = avg+" / 5", ind.CSATRated
		}
		p.Response = reportPercent(c, opsdesk.Ratio{Num: ind.SurveyResponse.Num, Den: ind.SurveyResponse.Den}, 0)
	}
	return p, nil
}
