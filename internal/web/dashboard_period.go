package web

import (
	"time"

	"github.com/opsdesk/opsdesk/internal/report"
)

// The dashboard's periods (docs/indicators.md, "Dashboard"): a week (Monday to Monday), a month,
// or custom days, all in UTC as the API reads days; and the trend's units around them.

// Period kinds of the dashboard's chooser.
const (
	periodWeek   = "week"
	periodMonth  = "month"
	periodCustom = "custom"
)

// trendUnits is how many weeks or months the trend charts show, the period's own last.
const trendUnits = 12

// customWeeksMax is the longest custom period whose trend is drawn by week (by month beyond).
const customWeeksMax = 16

// dashPeriod is the period a dashboard shows: [From, To) in UTC.
type dashPeriod struct {
	Kind     string
	From, To time.Time
}

// weekStart is the Monday (UTC midnight) of the week holding day.
func weekStart(day time.Time) time.Time {
	d := report.Day(day)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// monthStart is the first day (UTC midnight) of the month holding day.
func monthStart(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// periodOf is the week or month holding day, or the custom days first..last (both included).
func periodOf(kind string, day, first, last time.Time) dashPeriod {
	switch kind {
	case periodWeek:
		w := weekStart(day)
		return dashPeriod{Kind: kind, From: w, To: w.AddDate(0, 0, 7)}
	case periodCustom:
		return dashPeriod{Kind: kind, From: report.Day(first), To: report.Day(last).AddDate(0, 0, 1)}
	}
	m := monthStart(day)
	return dashPeriod{Kind: periodMonth, From: m, To: m.AddDate(0, 1, 0)}
}

// LastDay is the period's last day (To is the midnight after it).
func (p dashPeriod) LastDay() time.Time { return p.To.AddDate(0, 0, -1) }

// shift is the period before (n = -1) or after (n = 1): the neighbouring week or month, or a
// custom period of the same number of days.
func (p dashPeriod) shift(n int) dashPeriod {
	switch p.Kind {
	case periodWeek:
		return dashPeriod{Kind: p.Kind, From: p.From.AddDate(0, 0, 7*n), To: p.To.AddDate(0, 0, 7*n)}
	case periodCustom:
		days := int(p.To.Sub(p.From).Hours()/24 + 0.5)
		return dashPeriod{Kind: p.Kind, From: p.From.AddDate(0, 0, days*n), To: p.To.AddDate(0, 0, days*n)}
	}
	return dashPeriod{Kind: p.Kind, From: p.From.AddDate(0, n, 0), To: p.To.AddDate(0, n, 0)}
}

// trendByWeek tells whether the trend of the period is drawn by week: for a week, and for a
// custom period of at most customWeeksMax weeks; by month otherwise.
func (p dashPeriod) trendByWeek() bool {
	switch p.Kind {
	case periodWeek:
		return true
	case periodCustom:
		return !p.To.After(p.From.AddDate(0, 0, 7*customWeeksMax))
	}
	return false
}

// trendBounds are the trendUnits+1 boundaries of the trend's weeks or months, the last unit
// being the one that holds the period's last day.
func (p dashPeriod) trendBounds() []time.Time {
	var end time.Time
	step := func(t time.Time, n int) time.Time { return t.AddDate(0, n, 0) }
	if p.trendByWeek() {
		end = weekStart(p.LastDay()).AddDate(0, 0, 7)
		step = func(t time.Time, n int) time.Time { return t.AddDate(0, 0, 7*n) }
	} else {
		end = monthStart(p.LastDay()).AddDate(0, 1, 0)
	}
	out := make([]time.Time, trendUnits+1)
	for i := range out {
		out[i] = step(end, i-trendUnits)
	}
	return out
}
