package web

import (
	"fmt"
	"html/template"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/report"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// The dashboard's trends: the last weeks or months as three SVG charts (tickets created and
// resolved, backlog at the end of each, SLA compliance per target) and one table with the same
// numbers, for screen readers and the CSV.

// trendLabel is a unit's short label under the chart: "Mar 1" / "1 mars" for a week (its
// Monday), "Mar" / "mars" for a month, with the year on the first and on January.
func trendLabel(loc report.Locale, t time.Time, byWeek, first bool) string {
	short := loc.Short[t.Month()-1]
	if byWeek {
		if loc.DayFirst {
			return fmt.Sprintf("%d %s", t.Day(), short)
		}
		return fmt.Sprintf("%s %d", short, t.Day())
	}
	if first || t.Month() == time.January {
		return fmt.Sprintf("%s %d", short, t.Year())
	}
	return short
}

// trendName is a unit's full name in the table: "Week of March 1, 2027" or "March 2027".
func trendName(c *call, loc report.Locale, t time.Time, byWeek bool) string {
	if byWeek {
		return c.T("dashboard.week_of", loc.Date(t))
	}
	return loc.MonthYear(t)
}

// dashChart is a drawn chart with its title, shown as the figure's caption.
type dashChart struct {
	Title string
	SVG   template.HTML
}

// dashTrendCharts draws the three trend charts.
func dashTrendCharts(c *call, pts []store.TrendPoint, byWeek bool) ([]dashChart, error) {
	loc := report.LocaleFor(c.lang)
	n := len(pts)
	var cats []string
	created := chartSeries{Name: c.T("dashboard.trend.created"), Class: "s1"}
	resolved := chartSeries{Name: c.T("dashboard.trend.resolved"), Class: "s2"}
	backlog := chartSeries{Name: c.T("dashboard.trend.backlog"), Class: "s3"}
	clocks := make([]chartSeries, len(sla.ClockKinds))
	for k, clock := range sla.ClockKinds {
		clocks[k] = chartSeries{Name: c.T("sla.clock." + string(clock)), Class: "s" + strconv.Itoa(k+1), Line: true}
	}
	for i, p := range pts {
		cats = append(cats, trendLabel(loc, p.From, byWeek, i == 0))
		name := trendName(c, loc, p.From, byWeek)
		add := func(se *chartSeries, v float64, ok bool, tip string) {
			se.Values, se.Has, se.Tips = append(se.Values, v), append(se.Has, ok), append(se.Tips, name+" — "+tip)
		}
		add(&created, float64(p.TicketsCreated), true, c.T("dashboard.trend.tip_count", created.Name, p.TicketsCreated))
		add(&resolved, float64(p.TicketsResolved), true, c.T("dashboard.trend.tip_count", resolved.Name, p.TicketsResolved))
		add(&backlog, float64(p.Backlog), true, c.T("dashboard.trend.tip_count", backlog.Name, p.Backlog))
		for k, s := range p.SLA {
			v, ok := s.Ratio().Rate()
			add(&clocks[k], 100*v, ok, clocks[k].Name+": "+ratioText(c, s.Ratio()))
		}
	}
	count := func(v float64) string { return strconv.FormatInt(int64(v+0.5), 10) }
	pct := func(v float64) string { return loc.Pct(v / 100) }
	unit := c.T("dashboard.trend.weeks", n)
	if !byWeek {
		unit = c.T("dashboard.trend.months", n)
	}
	charts := []*barChart{
		{ID: "trend-volume", Title: c.T("dashboard.trend.volume"), Desc: c.T("dashboard.trend.volume_desc", unit),
			YLabel: c.T("dashboard.col.tickets"), Categories: cats, Series: []chartSeries{created, resolved}, Unit: count},
		{ID: "trend-backlog", Title: c.T("dashboard.trend.backlog_title"), Desc: c.T("dashboard.trend.backlog_desc", unit),
			YLabel: c.T("dashboard.col.tickets"), Categories: cats, Series: []chartSeries{backlog}, Unit: count},
		{ID: "trend-sla", Title: c.T("dashboard.trend.sla"), Desc: c.T("dashboard.trend.sla_desc", unit),
			YLabel: c.T("dashboard.col.compliance"), Categories: cats, Series: clocks, Max: 100, Unit: pct},
	}
	var out []dashChart
	for _, ch := range charts {
		svg, err := ch.SVG()
		if err != nil {
			return nil, err
		}
		out = append(out, dashChart{Title: ch.Title, SVG: svg})
	}
	return out, nil
}

// dashTrendTable gives the trend's numbers: per unit, tickets created, resolved, backlog and the
// compliance per clock (CSV: from and to are the unit's first and last days).
func dashTrendTable(c *call, pts []store.TrendPoint, byWeek bool) dashTable {
	loc := report.LocaleFor(c.lang)
	t := dashTable{Name: "trend", Caption: c.T("dashboard.table.trend"), Def: c.T("dashboard.def.trend"),
		Head:    []string{c.T("dashboard.col.period"), c.T("dashboard.trend.created"), c.T("dashboard.trend.resolved"), c.T("dashboard.trend.backlog")},
		CSVHead: []string{"from", "to", "tickets_created", "tickets_resolved", "backlog"}}
	for _, k := range sla.ClockKinds {
		t.Head = append(t.Head, c.T("sla.clock."+string(k)))
		t.CSVHead = append(t.CSVHead, string(k)+"_num", string(k)+"_den", string(k)+"_rate")
	}
	for _, p := range pts {
		row := dashRow{Key: p.From.Format(time.DateOnly), Label: trendName(c, loc, p.From, byWeek),
			Cells: []string{strconv.Itoa(p.TicketsCreated), strconv.Itoa(p.TicketsResolved), strconv.Itoa(p.Backlog)}}
		csv := []string{p.From.Format(time.DateOnly), p.To.AddDate(0, 0, -1).Format(time.DateOnly),
			strconv.Itoa(p.TicketsCreated), strconv.Itoa(p.TicketsResolved), strconv.Itoa(p.Backlog)}
		for _, s := range p.SLA {
			row.Cells = append(row.Cells, ratioText(c, s.Ratio()))
			csv = append(csv, ratioCSV(s.Ratio())...)
		}
		t.Rows, t.CSV = append(t.Rows, row), append(t.CSV, csv)
	}
	return t
}

// trendFilter is the dashboard's filter without its period, for the trend.
func trendFilter(f opsdesk.IndicatorFilter) opsdesk.IndicatorFilter {
	f.From, f.To = time.Time{}, time.Time{}
	return f
}
