package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/report"
	"github.com/opsdesk/opsdesk/internal/store"
)

// The steering dashboard (docs/indicators.md, "Dashboard"): the indicators of a week, a month or
// custom days, filtered by customer, environment kind, severity, level and channel (all in the
// URL, so a view can be bookmarked), with the trends as SVG and a CSV export of every table.
// Staff only; the figures come from store.Indicators and store.IndicatorTrend.

// dashboardPage is the data of /dashboard.
type dashboardPage struct {
	Filter                       *form
	Periods, Customers, EnvKinds []option
	Severities, Levels, Channels []option
	Label                        string // the period in words
	Prev, Next                   string // the neighbouring periods' URLs
	Tables                       []dashTable
	Charts                       []dashChart
	Trend                        dashTable
	Report, ReportCustomer       string // the monthly report's link, when one customer is filtered
	FromDay, ToDay               string // the period's first and last days, YYYY-MM-DD
}

// dashQuery is what a dashboard request asks for.
type dashQuery struct {
	period   dashPeriod
	filter   opsdesk.IndicatorFilter
	customer *opsdesk.Customer // nil: every customer
}

// dashFields are the query parameters of the dashboard and its CSV links.
var dashFields = []string{"period", "date", "from", "to", "customer", "env_kind", "severity", "level", "channel"}

// dashboard shows the figures of the period and filters asked in the query.
func (s *Server) dashboard(c *call) {
	f := newForm("dashboard", dashValues(c.r.URL.Query()))
	q, ok := s.dashQuery(c, f)
	p := dashboardPage{Filter: f}
	if err := s.dashOptions(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	if !ok {
		s.render(c, http.StatusUnprocessableEntity, "dashboard", c.T("dashboard.title"), p)
		return
	}
	// The form shows the period used, defaults included.
	for k, v := range dashPeriodValues(nil, q.period) {
		f.Values[k] = v
	}
	tables, err := s.dashIndicators(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	pts, err := s.dashTrend(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	if p.Charts, err = dashTrendCharts(c, pts, q.period.trendByWeek()); err != nil {
		s.fail(c, err)
		return
	}
	p.Tables, p.Trend = tables, dashTrendTable(c, pts, q.period.trendByWeek())
	p.Label = periodLabel(c, q.period)
	p.FromDay, p.ToDay = q.period.From.Format(time.DateOnly), q.period.LastDay().Format(time.DateOnly)
	p.Prev, p.Next = dashURL("/dashboard", f.Values, q.period.shift(-1)), dashURL("/dashboard", f.Values, q.period.shift(1))
	for i := range p.Tables {
		p.Tables[i].CSVURL = dashCSVURL(f.Values, q.period, p.Tables[i].Name)
	}
	p.Trend.CSVURL = dashCSVURL(f.Values, q.period, "trend")
	if q.customer != nil {
		p.ReportCustomer = q.customer.Name
		p.Report = "/customers/" + strconv.FormatInt(q.customer.ID, 10) + "/report?month=" + q.period.From.Format("2006-01")
	}
	s.render(c, http.StatusOK, "dashboard", c.T("dashboard.title_period", p.Label), p)
}

// dashIndicators reads the figures of q and builds their tables (every table but the trend).
func (s *Server) dashIndicators(c *call, q dashQuery) ([]dashTable, error) {
	v, err := s.db.Indicators(c.ctx, q.filter)
	if err != nil {
		return nil, err
	}
	names := dashNames{articles: map[int64]string{}, customers: map[int64]*opsdesk.Customer{}}
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return nil, err
	}
	for _, cu := range cs {
		names.customers[cu.ID] = cu
	}
	ids := make([]int64, len(v.ArticlesSolved))
	for i, u := range v.ArticlesSolved {
		ids[i] = u.ArticleID
	}
	arts, err := s.db.ArticleTitles(c.ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, a := range arts {
		if t := a.Text(c.lang); t != nil {
			names.articles[a.ID] = t.Title
		}
	}
	return dashTables(c, v, names), nil
}

// dashTrend reads the trend of q: its weeks or months, the period's own last.
func (s *Server) dashTrend(c *call, q dashQuery) ([]store.TrendPoint, error) {
	return s.db.IndicatorTrend(c.ctx, trendFilter(q.filter), q.period.trendBounds())
}

// dashValues keeps the dashboard's own parameters of a query, trimmed.
func dashValues(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range dashFields {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// dashQuery reads the period and the filters of the form; ok is false, with the form failed at
// the fields in error, when one is wrong.
func (s *Server) dashQuery(c *call, f *form) (q dashQuery, ok bool) {
	today := report.Day(s.db.Now().UTC())
	day := func(field string, def time.Time) time.Time {
		v := f.Get(field)
		if v == "" {
			return def
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil || t.Year() < 2000 || t.Year() > 9999 {
			f.Fail(field, c.T("dashboard.bad_day", v))
			return def
		}
		return t
	}
	kind := f.Get("period")
	switch kind {
	case "":
		kind = periodMonth
	case periodWeek, periodMonth, periodCustom:
	default:
		f.Fail("period", c.T("dashboard.bad_period", kind))
	}
	at := day("date", today)
	first, last := at, at
	if kind == periodCustom {
		first, last = day("from", monthStart(today)), day("to", today)
		if !f.Failed() && last.Before(first) {
			f.Fail("to", c.T("dashboard.bad_range"))
		}
	}
	q.period = periodOf(kind, at, first, last)
	q.filter = opsdesk.IndicatorFilter{From: q.period.From, To: q.period.To}
	if code := f.Get("customer"); code != "" {
		cu, err := s.db.CustomerByCode(c.ctx, code)
		switch {
		case err == nil:
			q.customer, q.filter.CustomerID = cu, cu.ID
		case opsdesk.IsKind(err, opsdesk.KindNotFound):
			f.Fail("customer", c.T("dashboard.bad_customer", code))
		default:
			f.Fail("customer", domainMessage(c, err))
		}
	}
	if v := f.Get("env_kind"); v != "" {
		if q.filter.EnvKind = opsdesk.EnvKind(v); !q.filter.EnvKind.Valid() {
			f.Fail("env_kind", c.T("dashboard.bad_env_kind", v))
		}
	}
	if v := f.Get("level"); v != "" {
		l, ok := opsdesk.ParseLevel(v)
		if !ok {
			f.Fail("level", c.T("dashboard.bad_level", v))
		}
		q.filter.Level = l
	}
	switch ch := opsdesk.Channel(f.Get("channel")); ch {
	case "", opsdesk.ChannelWeb, opsdesk.ChannelMail, opsdesk.ChannelAPI, opsdesk.ChannelProbe:
		q.filter.Channel = ch
	default:
		f.Fail("channel", c.T("dashboard.bad_channel", string(ch)))
	}
	if v := f.Get("severity"); v != "" {
		sevs, err := s.db.Severities(c.ctx)
		if err != nil {
			f.Fail("severity", domainMessage(c, err))
		}
		q.filter.Severity = v
		known := false
		for _, sv := range sevs {
			known = known || sv.Code == v
		}
		if !known {
			f.Fail("severity", c.T("dashboard.bad_severity", v))
		}
	}
	return q, !f.Failed()
}

// periodLabel writes the period in words: "Week of March 1, 2027", "March 2027", or
// "March 1, 2027 – March 10, 2027".
func periodLabel(c *call, p dashPeriod) string {
	loc := report.LocaleFor(c.lang)
	switch p.Kind {
	case periodWeek:
		return c.T("dashboard.week_of", loc.Date(p.From))
	case periodMonth:
		return loc.MonthYear(p.From)
	}
	return c.T("dashboard.range", loc.Date(p.From), loc.Date(p.LastDay()))
}

// dashPeriodValues writes a period into the query values v (a copy): the day of a week or a
// month, the first and last days of custom days.
func dashPeriodValues(v url.Values, p dashPeriod) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	out.Del("date")
	out.Del("from")
	out.Del("to")
	out.Set("period", p.Kind)
	if p.Kind == periodCustom {
		out.Set("from", p.From.Format(time.DateOnly))
		out.Set("to", p.LastDay().Format(time.DateOnly))
	} else {
		out.Set("date", p.From.Format(time.DateOnly))
	}
	return out
}

// dashURL is the dashboard of period p with the filters of v.
func dashURL(path string, v url.Values, p dashPeriod) string {
	return path + "?" + dashPeriodValues(v, p).Encode()
}

// dashCSVURL is the CSV download of one table of the dashboard.
func dashCSVURL(v url.Values, p dashPeriod, table string) string {
	out := dashPeriodValues(v, p)
	out.Set("table", table)
	return "/dashboard.csv?" + out.Encode()
}
