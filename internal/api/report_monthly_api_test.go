package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type monthlyReportJSON struct {
	Customer  string `json:"customer"`
	Month     string `json:"month"`
	From      string `json:"from"`
	Zone      string `json:"zone"`
	Created   int    `json:"tickets_created"`
	Resolved  int    `json:"tickets_resolved"`
	OpenAtEnd int    `json:"tickets_open_at_end"`
	Tickets   []struct {
		Number    string `json:"number"`
		Subject   string `json:"subject"`
		Created   bool   `json:"created"`
		Resolved  bool   `json:"resolved"`
		OpenAtEnd bool   `json:"open_at_end"`
	} `json:"tickets"`
	SLA []struct {
		Severity string `json:"severity"`
		Clock    string `json:"clock"`
		Met      int    `json:"met"`
	} `json:"sla"`
	CSATAverage *float64 `json:"csat_average"`
	Actions     []any    `json:"actions"`
}

// TestMonthlyReportAPI files, in March 2027 (Paris), ACME's ticket resolved in an hour and one
// left open, and GLOBEX's; the report of ACME's March, read by staff and by Alice, holds ACME's
// two tickets only; the default month is the previous one; a bad month is a 422 on month.
func TestMonthlyReportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		paris, err := time.LoadLocation("Europe/Paris")
		must(t, err)
		now := time.Date(2027, 3, 10, 9, 0, 0, 0, paris)
		db.Now = func() time.Time { return now }
		done := e.file("alice", map[string]any{"environment": "prod", "subject": "Export fails"})
		open := e.file("alice", map[string]any{"subject": "Slow page"})
		e.file("bob", map[string]any{"subject": "Globex only"})
		now = now.Add(30 * time.Minute)
		e.do("n1", "POST", "/api/v1/tickets/"+done.Number+"/take", nil).want(t, http.StatusOK, nil)
		now = now.Add(time.Hour)
		e.do("n1", "PATCH", "/api/v1/tickets/"+done.Number, map[string]any{"status": "resolved",
			"resolution": "Index rebuilt", "cause": "defect"}).want(t, http.StatusOK, nil)
		e.refresh(done.Number, open.Number)
		now = time.Date(2027, 4, 2, 9, 0, 0, 0, paris)

		for _, c := range []struct{ user, path string }{
			{"ops", "/api/v1/customers/ACME/report?month=2027-03"},
			{"alice", "/api/v1/customers/acme/report?month=2027-03"},
			{"n1", "/api/v1/customers/ACME/report"}, // default: the previous month
		} {
			var got monthlyReportJSON
			e.do(c.user, "GET", c.path, nil).want(t, http.StatusOK, &got)
			if got.Customer != "ACME" || got.Month != "2027-03" || got.Zone != "Europe/Paris" || got.From != "2027-02-28T23:00:00.000Z" {
				t.Errorf("%s %s: %s %s from %s in %s", c.user, c.path, got.Customer, got.Month, got.From, got.Zone)
			}
			if got.Created != 2 || got.Resolved != 1 || got.OpenAtEnd != 1 || len(got.Tickets) != 2 ||
				got.Tickets[0].Number != done.Number || !got.Tickets[0].Resolved || got.Tickets[0].OpenAtEnd ||
				got.Tickets[1].Number != open.Number || !got.Tickets[1].OpenAtEnd {
				t.Errorf("%s: tickets %+v (created %d resolved %d open %d)", c.user, got.Tickets, got.Created, got.Resolved, got.OpenAtEnd)
			}
			met := 0
			for _, s := range got.SLA {
				if s.Clock == "take_charge" {
					met += s.Met
				}
			}
			if met != 1 || got.Actions == nil {
				t.Errorf("%s: take-charge met %d (want 1), actions %v", c.user, met, got.Actions)
			}
		}
		e.do("ops", "GET", "/api/v1/customers/ACME/report?month=March", nil).problem(t, http.StatusUnprocessableEntity, "month")
		e.do("ops", "GET", "/api/v1/customers/ACME/report?month=1999-12", nil).problem(t, http.StatusUnprocessableEntity, "month")
		e.do("ops", "GET", "/api/v1/customers/NOPE/report", nil).problem(t, http.StatusNotFound, "*")
	})
}
