package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// customerReport shows a customer's monthly service report to the vendor's team
// (/customers/{id}/report?month=YYYY-MM, default the previous month), with the button that mails
// it to the customer's contacts.
func (s *Server) customerReport(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	s.showMonthlyReport(c, id, fmt.Sprintf("/customers/%d/report", id))
}

// portalReport shows a customer user their own organisation's monthly service report
// (/report?month=YYYY-MM).
func (s *Server) portalReport(c *call) {
	s.showMonthlyReport(c, c.user.CustomerID, "/report")
}

// showMonthlyReport renders the report of customer id for the month asked, base being the page's
// own path (for the previous and next month links).
func (s *Server) showMonthlyReport(c *call, id int64, base string) {
	year, month, ok := s.reportMonth(c)
	if !ok {
		s.errorPage(c, http.StatusUnprocessableEntity, "mreport.bad_month")
		return
	}
	r, err := s.db.MonthlyReport(c.ctx, id, year, month)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.monthlyReportView(c, r, base)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "report_monthly", c.T("mreport.title_month", r.Customer.Name, p.MonthLabel), p)
}

// sendCustomerReport queues the report of the month posted to the customer's contacts now (a
// send on demand: it goes even when the scheduled one went), and comes back to the report.
func (s *Server) sendCustomerReport(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	t, err := time.Parse("2006-01", strings.TrimSpace(c.r.PostFormValue("month")))
	if err != nil || t.Year() < 2000 {
		s.errorPage(c, http.StatusUnprocessableEntity, "mreport.bad_month")
		return
	}
	if !s.needMail(c) {
		return
	}
	n, err := s.mail.SendMonthlyReport(c.ctx, id, t.Year(), t.Month(), s.db.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	done := "report_sent"
	if n == 0 {
		done = "report_no_contacts"
	}
	c.redirect(fmt.Sprintf("/customers/%d/report?month=%s&done=%s", id, t.Format("2006-01"), done))
}

// reportMonth reads ?month=YYYY-MM; without one it is the month before the current one (UTC).
func (s *Server) reportMonth(c *call) (int, time.Month, bool) {
	m := strings.TrimSpace(c.r.URL.Query().Get("month"))
	if m == "" {
		now := s.db.Now().UTC()
		prev := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
		return prev.Year(), prev.Month(), true
	}
	t, err := time.Parse("2006-01", m)
	if err != nil || t.Year() < 2000 {
		return 0, 0, false
	}
	return t.Year(), t.Month(), true
}

// monthURL is base with ?month= set to a month (month may be 0 or 13: time.Date normalises it).
func monthURL(base string, year int, month time.Month) string {
	return base + "?month=" + time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// reportPercent writes a share as a percentage with digits decimals in the reader's notation.
func reportPercent(c *call, r opsdesk.Ratio, digits int) string {
	v, ok := r.Rate()
	if !ok {
		return ""
	}
	s := fmt.Sprintf("%.*f", digits, 100*v)
	if c.lang == opsdesk.LangFR {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return c.T("sla_report.percent", s)
}
