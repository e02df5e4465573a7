package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"time"
)

// dashboardCSV downloads one table of the dashboard (?table=<name> and the page's own period
// and filters) as CSV: a header row, then machine values (ratios as num, den, rate; durations in
// seconds). An unknown table is not found; a bad filter is the page's 422 with its message.
func (s *Server) dashboardCSV(c *call) {
	name := c.r.URL.Query().Get("table")
	if !slices.Contains(dashTableNames, name) {
		s.errorText(c, http.StatusNotFound, c.T("dashboard.csv.unknown_table", name, strings.Join(dashTableNames, ", ")))
		return
	}
	f := newForm("dashboard", dashValues(c.r.URL.Query()))
	q, ok := s.dashQuery(c, f)
	if !ok {
		var msgs []string
		for _, k := range dashFields {
			if m := f.Err(k); m != "" {
				msgs = append(msgs, k+": "+m)
			}
		}
		s.errorText(c, http.StatusUnprocessableEntity, strings.Join(msgs, " "))
		return
	}
	var t dashTable
	if name == "trend" {
		pts, err := s.dashTrend(c, q)
		if err != nil {
			s.fail(c, err)
			return
		}
		t = dashTrendTable(c, pts, q.period.trendByWeek())
	} else {
		tables, err := s.dashIndicators(c, q)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, tb := range tables {
			if tb.Name == name {
				t = tb
			}
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(t.CSVHead)
	w.WriteAll(t.CSV) // flushes
	if err := w.Error(); err != nil {
		s.fail(c, err)
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", contentDisposition("opsdesk-"+name+"-"+q.period.From.Format(time.DateOnly)+"-"+
		q.period.LastDay().Format(time.DateOnly)+".csv"))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", AttachmentPolicy)
	h.Set("Cache-Control", "no-store")
	c.w.Write(buf.Bytes())
}
