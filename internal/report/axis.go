package report

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Scale is the unit of a time axis' grid, chosen from the span it covers.
type Scale int

// The grid units: one line a day under three weeks, a week under four months, a month beyond.
const (
	ScaleDays Scale = iota
	ScaleWeeks
	ScaleMonths
)

// ScaleFor chooses the grid unit of the days [from, to): days under three weeks, weeks under
// four months, months beyond.
func ScaleFor(from, to time.Time) Scale {
	switch {
	case to.Before(from.AddDate(0, 0, 21)):
		return ScaleDays
	case to.Before(from.AddDate(0, 4, 0)):
		return ScaleWeeks
	}
	return ScaleMonths
}

// Day is the midnight (UTC) that starts the calendar day of t, read in t's own location: the
// dates of a chart are days, whatever time zone they were given in.
func Day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// align widens [from, to) to whole units of the scale: from a Monday to a Monday, from the first
// of a month to the first of a month.
func align(s Scale, from, to time.Time) (time.Time, time.Time) {
	switch s {
	case ScaleWeeks:
		from = from.AddDate(0, 0, -((int(from.Weekday()) + 6) % 7))
		for to.Weekday() != time.Monday {
			to = to.AddDate(0, 0, 1)
		}
	case ScaleMonths:
		from = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		if to.Day() != 1 {
			to = time.Date(to.Year(), to.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	return from, to
}

// next is the boundary of the unit after t.
func next(s Scale, t time.Time) time.Time {
	switch s {
	case ScaleWeeks:
		return t.AddDate(0, 0, 7)
	case ScaleMonths:
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// tick is a labelled grid line of a time axis.
type tick struct {
	At    time.Time
	X     float64
	Label string // empty when labels are thinned out
	Major bool   // the line also starts a band: a month (days, weeks) or a year (months)
}

// axis is the two-line header of a time axis: the bands (months or years) above, the units
// (days, Mondays' dates or months) below, and the grid lines.
type axis struct {
	Ticks []tick
	Bands []tick // labels of the upper line: months on day and week scales, years on months
}

// axisLabelChar is the width of one character of an axis label, estimated in user units (11 px
// text): enough to keep labels from overlapping without measuring fonts.
const axisLabelChar = 6.5

// newAxis lays the grid of [from, to) over [left, right] in the locale's words.
func newAxis(s Scale, from, to time.Time, left, right float64, loc Locale) axis {
	x := func(t time.Time) float64 { return round1(left + (right-left)*fraction(t, from, to)) }
	var a axis
	for t := from; !t.After(to); t = next(s, t) {
		tk := tick{At: t, X: x(t)}
		switch s {
		case ScaleDays, ScaleWeeks:
			tk.Label = fmt.Sprint(t.Day())
			tk.Major = t.Day() == 1
		case ScaleMonths:
			tk.Label = loc.Short[t.Month()-1]
			tk.Major = t.Month() == time.January
		}
		a.Ticks = append(a.Ticks, tk)
	}
	// The last line closes the range: it starts nothing, so it has no label.
	last := a.Ticks[len(a.Ticks)-1]
	last.Label = ""
	a.Ticks = append(thin(a.Ticks[:len(a.Ticks)-1], right, s), last)

	// The bands: the first one starts at the left edge, the others at their boundary.
	band := func(t time.Time) string {
		if s == ScaleMonths {
			return fmt.Sprint(t.Year())
		}
		return loc.MonthYear(t)
	}
	a.Bands = append(a.Ticks[:0:0], tick{At: from, X: left, Label: band(from), Major: true})
	for t := bandStart(s, from); t.Before(to); t = bandNext(s, t) {
		if t.After(from) {
			a.Bands = append(a.Bands, tick{At: t, X: x(t), Label: band(t), Major: true})
		}
	}
	// A first band cut short by the next one gives way to it; on long spans, a band whose label
	// would overlap the previous one's is left out.
	if len(a.Bands) > 1 && a.Bands[0].X+labelWidth(a.Bands[0].Label) > a.Bands[1].X {
		a.Bands = a.Bands[1:]
	}
	kept := a.Bands[:1]
	for _, b := range a.Bands[1:] {
		if prev := kept[len(kept)-1]; prev.X+labelWidth(prev.Label) <= b.X {
			kept = append(kept, b)
		}
	}
	a.Bands = kept
	return a
}

// fraction is where t lies in [from, to], from 0 to 1 when inside; in seconds, so that spans
// longer than a time.Duration (a mistyped year) still place correctly.
func fraction(t, from, to time.Time) float64 {
	return float64(t.Unix()-from.Unix()) / float64(to.Unix()-from.Unix())
}

// bandStart is the first boundary of a band at or before t; bandNext the one after.
func bandStart(s Scale, t time.Time) time.Time {
	if s == ScaleMonths {
		return time.Date(t.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func bandNext(s Scale, t time.Time) time.Time {
	if s == ScaleMonths {
		return t.AddDate(1, 0, 0)
	}
	return t.AddDate(0, 1, 0)
}

// thin blanks labels so that the ones left do not overlap: one unit in every n, n taken from
// steps that read well (every 2 days, every quarter…). When labels are kept less often than
// every quarter, the lines without a label go too, so a long span stays a light drawing.
func thin(ticks []tick, right float64, s Scale) []tick {
	if len(ticks) == 0 {
		return ticks
	}
	widest := 0.0
	for _, t := range ticks {
		widest = max(widest, labelWidth(t.Label))
	}
	spacing := (right - ticks[0].X) / float64(len(ticks))
	steps := []int{1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000, 24000}
	if s != ScaleMonths {
		steps = []int{1, 2, 4, 7, 14}
	}
	n := steps[len(steps)-1]
	for _, st := range steps {
		if float64(st)*spacing >= widest {
			n = st
			break
		}
	}
	for i, t := range ticks {
		unit := i
		if s == ScaleMonths { // every third month is January, April, July and October
			unit = t.At.Year()*12 + int(t.At.Month()) - 1
		}
		if unit%n != 0 {
			ticks[i].Label = ""
		}
	}
	// The last label kept must fit before the right edge.
	for i := len(ticks) - 1; i >= 0; i-- {
		if ticks[i].Label != "" {
			if ticks[i].X+labelWidth(ticks[i].Label) > right+axisLabelChar {
				ticks[i].Label = ""
			}
			break
		}
	}
	if n <= 3 {
		return ticks
	}
	kept := ticks[:0:0]
	for _, t := range ticks {
		if t.Label != "" || (t.Major && n <= 12) {
			kept = append(kept, t)
		}
	}
	return kept
}

// labelWidth estimates the width of a label, with its offset from the line.
func labelWidth(s string) float64 {
	return float64(utf8.RuneCountInString(s))*axisLabelChar + 6
}
