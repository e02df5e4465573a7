package web

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The response-time chart of an environment's page: inline SVG computed here and drawn by the
// template (attributes only, no style attribute or script, so the strict CSP holds; every text
// goes through html/template's escaping). It shows the mean response time per bucket over the
// last day; a gap in the line is a stretch without checks, a red mark a bucket with failures.

const (
	chartSpan   = 24 * time.Hour
	chartBucket = 15 * time.Minute
	chartW      = 720.0
	chartH      = 200.0
	chartLeft   = 64.0
	chartRight  = 12.0
	chartTop    = 12.0
	chartBottom = 28.0
)

// responseChart is the geometry of the chart, in SVG user units.
type responseChart struct {
	Width, Height  float64
	Left, Right    float64  // x of the plot area's edges
	Top, Bottom    float64  // y of the plot area's edges
	Lines          []string // polyline points, one per run of consecutive buckets
	Dots           []chartDot
	Fails          []chartDot
	YTicks, XTicks []chartTick
	Title, Summary string
	Empty          bool
}

// chartDot is a marked bucket.
type chartDot struct {
	X, Y  float64
	Label string // the bucket's values, as the mark's tooltip
}

// chartTick is a labelled position on an axis.
type chartTick struct {
	X, Y   float64
	Label  string
	Anchor string // text-anchor: the last time label ends at the plot's edge
}

func newResponseChart(c *call, series []opsdesk.ResponsePoint, from, to time.Time) *responseChart {
	ch := &responseChart{Width: chartW, Height: chartH, Left: chartLeft, Right: chartW - chartRight,
		Top: chartTop, Bottom: chartH - chartBottom, Title: c.T("env.chart.title")}
	maxMS, failures := 0.0, 0
	for _, p := range series {
		maxMS = math.Max(maxMS, p.AvgMS)
		failures += p.Failures
	}
	top := niceCeil(maxMS)
	span := to.Sub(from).Seconds()
	x := func(t time.Time) float64 {
		return round1(ch.Left + (ch.Right-ch.Left)*t.Add(chartBucket/2).Sub(from).Seconds()/span)
	}
	y := func(ms float64) float64 { return round1(ch.Bottom - (ch.Bottom-ch.Top)*ms/top) }
	gap := chartGap(series)
	var run []string
	var last time.Time
	flush := func() {
		if len(run) > 1 {
			ch.Lines = append(ch.Lines, strings.Join(run, " "))
		}
		run = nil
	}
	for _, p := range series {
		if !last.IsZero() && p.At.Sub(last) > gap {
			flush()
		}
		last = p.At
		px, py := x(p.At), y(p.AvgMS)
		run = append(run, ftoa(px)+","+ftoa(py))
		label := c.T("env.chart.point", p.At.UTC().Format("15:04"), int64(math.Round(p.AvgMS)), p.MaxMS, p.Checks, p.Failures)
		if p.Failures > 0 {
			ch.Fails = append(ch.Fails, chartDot{X: px, Y: py, Label: label})
		} else {
			ch.Dots = append(ch.Dots, chartDot{X: px, Y: py, Label: label})
		}
	}
	flush()
	for _, f := range []float64{0, 0.5, 1} {
		ch.YTicks = append(ch.YTicks, chartTick{X: ch.Left - 6, Y: y(top * f), Label: c.T("env.chart.ms", int64(top*f)), Anchor: "end"})
	}
	for i := range 5 {
		t := from.Add(time.Duration(i) * chartSpan / 4)
		anchor := "middle"
		if i == 4 {
			anchor = "end"
		}
		ch.XTicks = append(ch.XTicks, chartTick{X: round1(ch.Left + (ch.Right-ch.Left)*float64(i)/4), Y: ch.Bottom + 18,
			Label: t.UTC().Format("15:04"), Anchor: anchor})
	}
	ch.Empty = len(series) == 0
	ch.Summary = c.T("env.chart.summary", int64(math.Round(maxMS)), failures)
	return ch
}

// chartGap is the distance between two buckets past which the line breaks: twice the usual
// spacing of the series (probes may run less often than a bucket), at least one bucket.
func chartGap(series []opsdesk.ResponsePoint) time.Duration {
	var steps []time.Duration
	for i := 1; i < len(series); i++ {
		steps = append(steps, series[i].At.Sub(series[i-1].At))
	}
	if len(steps) == 0 {
		return chartBucket
	}
	slices.Sort(steps)
	return max(chartBucket, 2*steps[len(steps)/2])
}

// niceCeil rounds a maximum up to 1, 2 or 5 times a power of ten (at least 10 ms).
func niceCeil(v float64) float64 {
	if v <= 10 {
		return 10
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// PlotWidth is the width of the plot area.
func (ch *responseChart) PlotWidth() float64 { return ch.Right - ch.Left }

// PlotHeight is the height of the plot area.
func (ch *responseChart) PlotHeight() float64 { return ch.Bottom - ch.Top }
