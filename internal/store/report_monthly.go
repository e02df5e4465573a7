package store

import (
	"context"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// MonthlyReport is one customer's monthly service report (docs/report.md, "Monthly service
// report"): their tickets, SLA compliance, availability, deployments, satisfaction and open
// corrective or preventive actions over one calendar month of their contract's calendar.
type MonthlyReport struct {
	Customer *opsdesk.Customer
	Year     int
	Month    time.Month
	Zone     *time.Location // the time zone of the customer's contract calendar: the month's bounds are its midnights
	From, To time.Time      // the month as the half-open [From, To) of instants, in Zone

	Tickets                     []MonthlyTicket // created, resolved in the month or open at its end; by creation
	Created, Resolved, OpenAtTo int             // how many of Tickets are each (a ticket may be several)

	Indicators   *opsdesk.Indicators // DB.Indicators for the customer and the month
	SLA          []SLAReportRow      // DB.SLAReport for the customer and the month: per severity and clock
	Availability []MonthlyAvailability
	Deployments  []MonthlyDeployment
	Actions      []MonthlyAction // the customer's corrective and preventive actions open or in progress (DB.ListActions), due first
}

// MonthlyTicket is one line of the report's ticket list.
type MonthlyTicket struct {
	ID          int64
	Key         string // OPS-1042
	Subject     string
	Severity    string // code
	Status      string // current status
	Environment string // the environment's name, "" when none
	CreatedAt   time.Time
	Created     bool // created in the month
	Resolved    bool // resolved at least once in the month
	OpenAtEnd   bool // new, open or waiting for the customer at the month's end
}

// MonthlyAvailability is one production environment's availability over the month: the share of
// successful probe checks (Checks 0: not probed in the month).
type MonthlyAvailability struct {
	EnvironmentID int64
	Name          string
	Checks, OK    int
	Visible       bool // the vendor shows the environment's availability to the customer
}

// Ratio is the availability as a share of the checks.
func (a MonthlyAvailability) Ratio() opsdesk.Ratio { return opsdesk.Ratio{Num: a.OK, Den: a.Checks} }

// MonthlyDeployment is one deployment finished (else started, planned or recorded) in the month.
type MonthlyDeployment struct {
	ID            int64
	EnvironmentID int64
	Environment   string
	EnvKind       opsdesk.EnvKind
	Component     string
	FromVersion   string
	ToVersion     string
	Outcome       opsdesk.DeployOutcome
	At            time.Time // finished, else started, else planned, else recorded
	Visible       bool      // the vendor shows the environment's versions to the customer
}

// MonthlyAction is an open corrective or preventive action of the customer.
type MonthlyAction struct {
	ID     int64
	Kind   opsdesk.ActionKind
	Title  string
	Status opsdesk.ActionStatus
	DueDay string // YYYY-MM-DD, "" when none
}

// MonthlyReport builds the service report of a customer for a month. The month runs from the
// first midnight to the next first midnight in the time zone of the customer's contract calendar
// (else the default calendar's). Staff read any customer's report; a customer's user only their
// own organisation's — another's answers not found — and without the environments whose
// availability or versions the vendor does not show them. Errors: invalid (month),
// unauthenticated, not found (customer).
func (d *DB) MonthlyReport(ctx context.Context, customerID int64, year int, month time.Month) (*MonthlyReport, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if month < time.January || month > time.December || year < 2000 || year > 9999 {
		return nil, opsdesk.Invalid("month", "must be a month such as 2027-03")
	}
	cu, err := d.CustomerByID(ctx, customerID)
	if err != nil {
		return nil, err
	}
	r := &MonthlyReport{Customer: cu, Year: year, Month: month, Zone: time.UTC}
	err = d.inTx(ctx, "store.MonthlyReport", func(tx *Tx) error {
		terms, err := tx.slaTerms(ctx, customerID)
		if err != nil {
			return err
		}
		if loc := terms.calendar.Location(); loc != nil {
			r.Zone = loc
		}
		r.From = time.Date(year, month, 1, 0, 0, 0, 0, r.Zone)
		r.To = time.Date(year, month+1, 1, 0, 0, 0, 0, r.Zone)
		if err := tx.monthlyTickets(ctx, r); err != nil {
			return err
		}
		if err := tx.monthlyEnvironments(ctx, r); err != nil {
			return err
		}
		return tx.monthlyDeployments(ctx, r)
	})
	if err != nil {
		return nil, err
	}
	if r.Indicators, err = d.Indicators(ctx, opsdesk.IndicatorFilter{From: r.From, To: r.To, CustomerID: customerID}); err != nil {
		return nil, err
	}
	if r.SLA, err = d.SLAReport(ctx, year, month, customerID); err != nil {
		return nil, err
	}
	acts, err := d.ListActions(ctx, opsdesk.ActionFilter{CustomerID: customerID,
		Status: []opsdesk.ActionStatus{opsdesk.ActionOpen, opsdesk.ActionInProgress}})
	if err != nil {
		return nil, err
	}
	for _, ac := range acts {
		r.Actions = append(r.Actions, MonthlyAction{ID: ac.ID, Kind: ac.Kind, Title: ac.Title, Status: ac.Status, DueDay: ac.DueDay})
	}
	checks := map[int64]opsdesk.EnvAvailability{}
	for _, av := range r.Indicators.Availability {
		checks[av.EnvironmentID] = av
	}
	for i := range r.Availability {
		av := checks[r.Availability[i].EnvironmentID]
		r.Availability[i].Checks, r.Availability[i].OK = av.Checks, av.OK
	}
	if a.IsCustomer() {
		r.hideFromCustomer()
	}
	return r, nil
}

// hideFromCustomer leaves out what the vendor does not show the customer of their environments:
// the availability of environments without show_availability (also from the indicators) and
// the deployments of environments without show_versions.
func (r *MonthlyReport) hideFromCustomer() {
	shown := map[int64]bool{}
	var avs []MonthlyAvailability
	for _, av := range r.Availability {
		if av.Visible {
			avs = append(avs, av)
			shown[av.EnvironmentID] = true
		}
	}
	r.Availability = avs
	if r.Indicators != nil {
		var ind []opsdesk.EnvAvailability
		for _, av := range r.Indicators.Availability {
			if shown[av.EnvironmentID] {
				ind = append(ind, av)
			}
		}
		r.Indicators.Availability = ind
	}
	var deps []MonthlyDeployment
	for _, dep := range r.Deployments {
		if dep.Visible {
			deps = append(deps, dep)
		}
	}
	r.Deployments = deps
}

// ForCustomer is the report as the customer's contacts may read it (a mail, the portal): the
// same as a customer's user gets from MonthlyReport.
func (r *MonthlyReport) ForCustomer() *MonthlyReport {
	c := *r
	if r.Indicators != nil {
		ind := *r.Indicators
		c.Indicators = &ind
	}
	c.hideFromCustomer()
	return &c
}

// SLATotals sums the report's SLA rows per clock over the severities, one entry per clock of
// sla.ClockKinds that counted anything.
func (r *MonthlyReport) SLATotals() []opsdesk.SLACompliance {
	var out []opsdesk.SLACompliance
	for _, k := range sla.ClockKinds {
		c := opsdesk.SLACompliance{Clock: string(k)}
		for _, row := range r.SLA {
			if row.Clock == k {
				c.Met += row.Met
				c.Breached += row.Breached
			}
		}
		if c.Met+c.Breached > 0 {
			out = append(out, c)
		}
	}
	return out
}
