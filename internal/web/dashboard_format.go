package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// How the dashboard writes its figures: for people in the page's language ("95.2 % (40/42)",
// "1 h 05 min", "—" when nothing was counted), for machines in the CSV exports (the rate as a
// plain decimal, durations in seconds, "" when there is no rate).

// decimal writes v with digits decimals in the reader's notation (a comma in French).
func decimal(c *call, v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if c.lang == opsdesk.LangFR {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// ratioText writes a share as "95.2 % (40/42)", or "—" when nothing was counted.
func ratioText(c *call, r opsdesk.Ratio) string {
	v, ok := r.Rate()
	if !ok {
		return "—"
	}
	return c.T("dashboard.ratio", decimal(c, 100*v, 1), r.Num, r.Den)
}

// percentText writes a share as "95.2 %", or "—" when nothing was counted.
func percentText(c *call, r opsdesk.Ratio) string {
	v, ok := r.Rate()
	if !ok {
		return "—"
	}
	return c.T("dashboard.percent", decimal(c, 100*v, 1))
}

// durationText writes a business duration for people: seconds under a minute, minutes under an
// hour, hours and minutes beyond (business hours, so never days).
func durationText(c *call, d time.Duration) string {
	switch {
	case d < time.Minute:
		return c.T("dashboard.seconds", int64(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return c.T("dashboard.minutes", int64(d/time.Minute))
	}
	return c.T("dashboard.hours", int64(d/time.Hour), int64(d%time.Hour/time.Minute))
}

// rateCSV is a share's rate for the CSV, "" when nothing was counted.
func rateCSV(r opsdesk.Ratio) string {
	v, ok := r.Rate()
	if !ok {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ratioCSV is a share as its three CSV columns num, den, rate.
func ratioCSV(r opsdesk.Ratio) []string {
	return []string{strconv.Itoa(r.Num), strconv.Itoa(r.Den), rateCSV(r)}
}

// secondsCSV is a duration in seconds, with the milliseconds the store keeps.
func secondsCSV(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}
