package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/slawatch"
	"github.com/opsdesk/opsdesk/internal/store"
)

// slaReportPage is the data of the monthly SLA compliance report.
type slaReportPage struct {
	Filter     *form
	Customers  []option
	Month      string // YYYY-MM
	MonthLabel string // "March 2027"
	Prev, Next string // the neighbouring months' URLs
	CSV        string // the download's URL
	Clocks     []sla.ClockKind
	Groups     []reportCustomer
}

// reportCustomer is one customer's part of the report: a line per severity and a total.
type reportCustomer struct {
	Code, Name string
	Lines      []reportLine
	Total      reportLine
}

// reportLine is one severity's figures (or the customer's total), a cell per clock.
type reportLine struct {
	Severity, Label string
	Cells           []reportCell // in the order of sla.ClockKinds
}

// reportCell is one clock's figures: the clocks whose outcome fell in the month.
type reportCell struct {
	Clock                  sla.ClockKind
	Counted, Met, Breached int
	Compliance             string // "97.5 %"; "" when nothing counted
}

// reportQuery is the month and customer a report is asked for.
type reportQuery struct {
	year     int
	month    time.Month
	customer *opsdesk.Customer // nil: every customer
}

// slaReport shows the compliance of a month (?month=YYYY-MM, default the current one) per
// customer (?customer=CODE, default all), severity and clock.
func (s *Server) slaReport(c *call) {
	f := newForm("report", url.Values{"month": {c.r.URL.Query().Get("month")}, "customer": {c.r.URL.Query().Get("customer")}})
	q, ok := s.reportQuery(c, f)
	p := slaReportPage{Filter: f, Clocks: sla.ClockKinds}
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	p.Customers = []option{{Value: "", Label: c.T("sla_report.all_customers")}}
	for _, cu := range cs {
		p.Customers = append(p.Customers, option{Value: cu.Code, Label: cu.Code + " — " + cu.Name})
	}
	if !ok {
		s.render(c, http.StatusUnprocessableEntity, "report_sla", c.T("sla_report.title"), p)
		return
	}
	rows, err := s.db.SLAReport(c.ctx, q.year, q.month, q.customerID())
	if err != nil {
		s.fail(c, err)
		return
	}
	sevs, err := s.db.Severities(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	labels := map[string]string{}
	for _, sv := range sevs {
		labels[sv.Code] = sv.Label(c.lang)
	}
	p.Month = fmt.Sprintf("%04d-%02d", q.year, int(q.month))
	f.Values.Set("month", p.Month)
	p.MonthLabel = c.T("sla_report.month_label", c.T(fmt.Sprintf("calendar.month.%d", int(q.month))), q.year)
	p.Prev = reportURL("/reports/sla", q.year, q.month-1, q.customer)
	p.Next = reportURL("/reports/sla", q.year, q.month+1, q.customer)
	p.CSV = reportURL("/reports/sla.csv", q.year, q.month, q.customer)
	p.Groups = reportGroups(c, rows, labels)
	s.render(c, http.StatusOK, "report_sla", c.T("sla_report.title_month", p.MonthLabel), p)
}

// slaReportCSV downloads the same report as CSV (slawatch.WriteReportCSV).
func (s *Server) slaReportCSV(c *call) {
	f := newForm("report", url.Values{"month": {c.r.URL.Query().Get("month")}, "customer": {c.r.URL.Query().Get("customer")}})
	q, ok := s.reportQuery(c, f)
	if !ok {
		s.errorText(c, http.StatusUnprocessableEntity, strings.TrimSpace(f.Err("month")+" "+f.Err("customer")))
		return
	}
	rows, err := s.db.SLAReport(c.ctx, q.year, q.month, q.customerID())
	if err != nil {
		s.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := slawatch.WriteReportCSV(&buf, q.year, q.month, rows); err != nil {
		s.fail(c, err)
		return
	}
	name := fmt.Sprintf("sla-%04d-%02d", q.year, int(q.month))
	if q.customer != nil {
		name += "-" + q.customer.Code
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", contentDisposition(name+".csv"))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", AttachmentPolicy)
	h.Set("Cache-Control", "no-store")
	c.w.Write(buf.Bytes())
}

// reportQuery reads the month and customer of the request; ok is false (and the form failed)
// when either is wrong.
func (s *Server) reportQuery(c *call, f *form) (q reportQuery, ok bool) {
	now := s.db.Now().UTC()
	q.year, q.month = now.Year(), now.Month()
	if m := strings.TrimSpace(f.Get("month")); m != "" {
		t, err := time.Parse("2006-01", m)
		if err != nil || t.Year() < 2000 {
			f.Fail("month", c.T("sla_report.bad_month", m))
		} else {
			q.year, q.month = t.Year(), t.Month()
		}
	}
	if code := strings.TrimSpace(f.Get("customer")); code != "" {
		cu, err := s.db.CustomerByCode(c.ctx, code)
		switch {
		case err == nil:
			q.customer = cu
		case opsdesk.IsKind(err, opsdesk.KindNotFound):
			f.Fail("customer", c.T("sla_report.unknown_customer", code))
		default:
			f.Fail("customer", domainMessage(c, err))
		}
	}
	return q, !f.Failed()
}

func (q reportQuery) customerID() int64 {
	if q.customer == nil {
		return 0
	}
	return q.customer.ID
}

// reportURL is the URL of a month's report (month may be 0 or 13: time.Date normalises it).
func reportURL(path string, year int, month time.Month, cu *opsdesk.Customer) string {
	t := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	v := url.Values{"month": {t.Format("2006-01")}}
	if cu != nil {
		v.Set("customer", cu.Code)
	}
	return path + "?" + v.Encode()
}

// reportGroups arranges the report's rows (by customer, severity rank and clock) as a table per
// customer: a line per severity with a cell per clock, and the customer's total.
func reportGroups(c *call, rows []store.SLAReportRow, labels map[string]string) []reportCustomer {
	var out []reportCustomer
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Code != r.CustomerCode {
			out = append(out, reportCustomer{Code: r.CustomerCode, Name: r.CustomerName,
				Total: reportLine{Label: c.T("sla_report.total"), Cells: emptyCells()}})
		}
		g := &out[len(out)-1]
		if len(g.Lines) == 0 || g.Lines[len(g.Lines)-1].Severity != r.Severity {
			label := labels[r.Severity]
			if label == "" {
				label = r.Severity
			}
			g.Lines = append(g.Lines, reportLine{Severity: r.Severity, Label: label, Cells: emptyCells()})
		}
		for _, cells := range [][]reportCell{g.Lines[len(g.Lines)-1].Cells, g.Total.Cells} {
			for i := range cells {
				if cells[i].Clock == r.Clock {
					cells[i].Counted += r.WithTarget
					cells[i].Met += r.Met
					cells[i].Breached += r.Breached
				}
			}
		}
	}
	for gi := range out {
		for li := range out[gi].Lines {
			fillCompliance(c, out[gi].Lines[li].Cells)
		}
		fillCompliance(c, out[gi].Total.Cells)
	}
	return out
}

func emptyCells() []reportCell {
	out := make([]reportCell, len(sla.ClockKinds))
	for i, k := range sla.ClockKinds {
		out[i].Clock = k
	}
	return out
}

// fillCompliance writes each cell's share of clocks met, as store.SLAReportRow.Compliance
// computes it, with one decimal in the reader's notation.
func fillCompliance(c *call, cells []reportCell) {
	for i := range cells {
		if cells[i].Counted == 0 {
			continue
		}
		r := store.SLAReportRow{WithTarget: cells[i].Counted, Met: cells[i].Met, Breached: cells[i].Breached}
		pct := fmt.Sprintf("%.1f", r.Compliance())
		if c.lang == opsdesk.LangFR {
			pct = strings.ReplaceAll(pct, ".", ",")
		}
		cells[i].Compliance = c.T("sla_report.percent", pct)
	}
}
