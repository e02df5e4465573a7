package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The geometry of a timeline, in SVG user units: a fixed width (the SVG scales to its container),
// a label column on the left, a two-line date header, one band per row and a footer for the
// today label.
const (
	ganttW      = 960.0
	ganttLabelW = 250.0 // the label column
	ganttLeft   = 260.0 // the plot's left edge
	ganttRight  = 948.0 // the plot's right edge
	ganttHeader = 44.0  // the date header above the first row
	ganttBandY  = 16.0  // baseline of the header's upper line (months or years)
	ganttTickY  = 36.0  // baseline of the header's lower line (days, weeks or months)
	ganttRowH   = 24.0
	ganttFooter = 22.0
	ganttIndent = 14.0 // per level
	ganttEmptyH = 80.0
	milestoneR  = 6.0
	minBarW     = 2.0
	minSpanDays = 7
)

// barHeight is a bar's thickness by level: projects weigh most, items least.
var barHeight = [...]float64{16, 14, 10}

// ganttView is what the SVG template draws; every number is already rounded.
type ganttView struct {
	ID, Title, Desc, Empty string
	IsEmpty                bool
	EmptyX, EmptyY         float64
	Width, Height          float64
	Left, Right            float64
	GridTop, GridBottom    float64
	BandY, TickY, BandTop  float64
	Ticks, Bands           []tickView
	Rows                   []rowView
	Today                  *todayView
}

type tickView struct {
	X, LabelX float64
	Label     string
	Major     bool
}

type rowView struct {
	Class       string
	URL         string
	Y, H, TextY float64
	Stripe      bool
	LabelX      float64
	Label, Full string // the label shown (maybe shortened) and, when shortened, the whole
	Bar         *barView
	Diamond     string // the milestone's polygon points
	Tip         string // the bar's or milestone's tooltip
}

type barView struct {
	X, Y, W, H float64
	ProgressW  float64
}

type todayView struct {
	X, Y1, Y2      float64
	LabelX, LabelY float64 // the label stays inside the SVG near the edges
	Label, Tip     string
}

// layout computes the drawing of a valid chart.
func (c *Chart) layout() ganttView {
	v := ganttView{ID: c.ID, Title: c.Title, Desc: c.Desc, Empty: c.Empty, Width: ganttW,
		Left: ganttLeft, Right: ganttRight, BandY: ganttBandY, TickY: ganttTickY,
		BandTop: 4}
	if v.ID == "" {
		v.ID = "gantt"
	}
	if len(c.Rows) == 0 {
		v.IsEmpty, v.Height = true, ganttEmptyH
		v.EmptyX, v.EmptyY = ganttW/2, ganttEmptyH/2
		return v
	}
	v.GridTop = ganttHeader - 8
	v.GridBottom = ganttHeader + ganttRowH*float64(len(c.Rows))
	v.Height = v.GridBottom + ganttFooter
	loc := c.Locale
	if loc.Months[0] == "" {
		loc = English
	}

	var ts *timeScale
	if from, to, ok := c.rangeShown(); ok {
		s := ScaleFor(from, to)
		from, to = align(s, from, to)
		ts = &timeScale{from: from, to: to}
		a := newAxis(s, from, to, ganttLeft, ganttRight, loc)
		v.Ticks, v.Bands = tickViews(a.Ticks), tickViews(a.Bands)
	}
	for i, r := range c.Rows {
		v.Rows = append(v.Rows, rowLayout(i, r, ts, loc))
	}
	if ts != nil && !c.Today.IsZero() {
		day := Day(c.Today)
		if !day.Before(ts.from) && day.Before(ts.to) {
			label := c.TodayLabel
			tx, half := ts.x(day.Add(12*time.Hour)), labelWidth(label)/2
			v.Today = &todayView{X: tx, Y1: v.GridTop, Y2: v.GridBottom, LabelY: v.GridBottom + 15,
				LabelX: round1(min(max(tx, ganttLeft+half), ganttW-half-2)), Label: label,
				Tip: strings.TrimPrefix(label+" — "+loc.Date(day), " — ")}
		}
	}
	return v
}

// timeScale places the days of [from, to) on the plot's width.
type timeScale struct{ from, to time.Time }

// x is the abscissa of t, held to the plot's edges.
func (ts *timeScale) x(t time.Time) float64 {
	return round1(ganttLeft + (ganttRight-ganttLeft)*min(1, max(0, fraction(t, ts.from, ts.to))))
}

// rowLayout draws the i-th row: its label, and its bar or diamond when ts is set and the row's
// days meet the range.
func rowLayout(i int, r Row, ts *timeScale, loc Locale) rowView {
	top := ganttHeader + ganttRowH*float64(i)
	state := r.State
	if state == "" {
		state = StateTodo
	}
	rv := rowView{Class: fmt.Sprintf("row level-%d state-%s", r.Level, state), URL: r.URL,
		Y: top, H: ganttRowH, TextY: top + ganttRowH/2, Stripe: i%2 == 1,
		LabelX: 8 + ganttIndent*float64(r.Level)}
	rv.Label, rv.Full = shorten(r.Label, int((ganttLabelW-rv.LabelX)/labelChar(r.Level)))
	if ts == nil || !r.dated() {
		return rv
	}
	first, end := r.span()
	if !end.After(ts.from) || !first.Before(ts.to) {
		return rv
	}
	mid := top + ganttRowH/2
	if r.Milestone {
		rv.Diamond = diamond(ts.x(first.Add(12*time.Hour)), mid, milestoneR)
		rv.Tip = r.Label + " — " + loc.Date(first)
	} else {
		h := barHeight[r.Level]
		x1, x2 := ts.x(first), ts.x(end)
		rv.Bar = &barView{X: x1, Y: round1(mid - h/2), W: round1(max(x2-x1, minBarW)), H: h}
		if r.Progress > 0 {
			rv.Bar.ProgressW = round1(rv.Bar.W * r.Progress)
		}
		rv.Tip = r.Label + " — " + dates(loc, first, end.AddDate(0, 0, -1))
	}
	if r.Detail != "" {
		rv.Tip += " · " + r.Detail
	}
	if r.Progress > 0 {
		rv.Tip += " · " + loc.Pct(r.Progress)
	}
	return rv
}

// rangeShown is the [first day, day after the last) interval the chart covers: the one given,
// or the rows' span, at least a week wide; ok is false when there is nothing to place on it.
func (c *Chart) rangeShown() (from, to time.Time, ok bool) {
	if !c.From.IsZero() {
		from, to, ok = Day(c.From), Day(c.To).AddDate(0, 0, 1), true
	} else if first, last, dated := Span(c.Rows); dated {
		from, to, ok = first, last.AddDate(0, 0, 1), true
	} else if !c.Today.IsZero() {
		from = Day(c.Today)
		to, ok = from.AddDate(0, 0, 4*7), true
	}
	if days := int(to.Sub(from).Hours() / 24); ok && days < minSpanDays {
		from = from.AddDate(0, 0, -(minSpanDays-days)/2)
		to = from.AddDate(0, 0, minSpanDays)
	}
	return from, to, ok
}

func tickViews(ts []tick) []tickView {
	vs := make([]tickView, 0, len(ts))
	for _, t := range ts {
		vs = append(vs, tickView{X: t.X, LabelX: round1(t.X + 3), Label: t.Label, Major: t.Major})
	}
	return vs
}

// dates writes the days of a bar: one date, or "first → last".
func dates(loc Locale, first, last time.Time) string {
	if first.Equal(last) {
		return loc.Date(first)
	}
	return loc.Date(first) + " → " + loc.Date(last)
}

// diamond gives the points of a diamond centred on (x, y).
func diamond(x, y, r float64) string {
	p := func(a, b float64) string { return ftoa(round1(a)) + "," + ftoa(round1(b)) }
	return strings.Join([]string{p(x, y-r), p(x+r, y), p(x, y+r), p(x-r, y)}, " ")
}

// labelChar is the estimated width of one character of a row label; projects' are bold.
func labelChar(l Level) float64 {
	if l == LevelProject {
		return 7.4
	}
	return 6.8
}

// shorten cuts s to n characters, ending with an ellipsis; full is s when it was cut.
func shorten(s string, n int) (shown, full string) {
	if utf8.RuneCountInString(s) <= n || n < 2 {
		return s, ""
	}
	return string([]rune(s)[:n-1]) + "…", s
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// ftoa writes a coordinate in its shortest form.
func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
