package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
)

// barChart is a server-rendered SVG chart over a row of categories (weeks, months): bars,
// lines with marks, flags over categories, a y scale from 0 and a legend. The drawing uses
// classes only (styled in app.css under "dashboard charts"), no style attribute and no script,
// so the strict CSP holds; html/template escapes every label. The dashboard's trends and the
// plan's capacity chart are drawn with it; the numbers are always also given in a table.
type barChart struct {
	ID, Title, Desc string
	YLabel          string
	Categories      []string // x labels, one per slot
	Series          []chartSeries
	Flags           []chartFlag
	FlagLegend      string  // what the flags mean, in the legend after the series
	Max             float64 // the y scale's top; 0: a nice ceiling of the values
	Unit            func(float64) string
}

// chartSeries is one series: a bar per category, or a line through its values. A value missing
// (Has false) draws nothing: no bar, a break in the line.
type chartSeries struct {
	Name   string
	Class  string // s1, s2… (their colours and dash patterns in app.css)
	Line   bool
	Values []float64
	Has    []bool
	Tips   []string // tooltip of each value
	Extra  []string // an extra class of each value's bar ("over"), optional
}

// chartFlag marks a category with a symbol above its bars (an over-allocated week): the mark
// is a visible sign, so the flag does not rest on colour alone.
type chartFlag struct {
	Index int
	Mark  string
	Tip   string
}

// Geometry of the drawing, in SVG user units.
const (
	barW, barH             = 720.0, 220.0
	barLeft, barRight      = 56.0, 12.0
	barTop, barBottom      = 14.0, 56.0 // room under the plot for the x labels and the legend
	barLegendY             = barH - 12
	barSlotFill            = 0.7 // share of a category's width its bars take
	barLabelY              = barH - barBottom + 16
	barMarkR, barLegendBox = 3.0, 10.0
)

// chartShape is what the SVG template draws.
type chartShape struct {
	ID, Title, Desc, YLabel string
	W, H, L, R, T, B        float64
	YLabelX, YLabelY        float64
	YTicks, XTicks          []chartTick
	Bars                    []chartRect
	Lines                   []chartPolyline
	Flags                   []chartMark
	Legend                  []chartLegend
}

// chartMark is a flag drawn above a category.
type chartMark struct {
	X, Y      float64
	Mark, Tip string
}

type chartRect struct {
	X, Y, W, H float64
	Class, Tip string
}

type chartPolyline struct {
	Class  string
	Points []string
	Marks  []chartDot
}

type chartLegend struct {
	X, Y, TextX float64
	Class       string
	Line        bool
	Mark        string // a flag's symbol instead of a swatch
	Label       string
}

// shape lays the chart out.
func (ch *barChart) shape() chartShape {
	s := chartShape{ID: ch.ID, Title: ch.Title, Desc: ch.Desc, YLabel: ch.YLabel, W: barW, H: barH,
		L: barLeft, R: barW - barRight, T: barTop, B: barH - barBottom, YLabelX: 12, YLabelY: (barTop + barH - barBottom) / 2}
	top := ch.Max
	if top <= 0 {
		for _, se := range ch.Series {
			for i, v := range se.Values {
				if se.has(i) && v > top {
					top = v
				}
			}
		}
		top = niceCeil(top)
	}
	y := func(v float64) float64 { return round1(s.B - (s.B-s.T)*v/top) }
	n := max(len(ch.Categories), 1)
	slot := (s.R - s.L) / float64(n)
	centre := func(i int) float64 { return s.L + slot*(float64(i)+0.5) }
	for _, f := range []float64{0, 0.2, 0.4, 0.6, 0.8, 1} {
		s.YTicks = append(s.YTicks, chartTick{X: s.L - 6, Y: y(top * f), Label: ch.Unit(top * f), Anchor: "end"})
	}
	for i, label := range ch.Categories {
		s.XTicks = append(s.XTicks, chartTick{X: round1(centre(i)), Y: barLabelY, Label: label, Anchor: "middle"})
	}
	var bars []chartSeries
	for _, se := range ch.Series {
		if !se.Line {
			bars = append(bars, se)
		}
	}
	bw := slot * barSlotFill / float64(max(len(bars), 1))
	for k, se := range bars {
		for i, v := range se.Values {
			if !se.has(i) {
				continue
			}
			x := centre(i) - slot*barSlotFill/2 + bw*float64(k)
			class := se.Class
			if i < len(se.Extra) && se.Extra[i] != "" {
				class += " " + se.Extra[i]
			}
			s.Bars = append(s.Bars, chartRect{X: round1(x), Y: y(v), W: round1(bw), H: round1(s.B - y(v)), Class: class, Tip: se.tip(i)})
		}
	}
	for _, se := range ch.Series {
		if !se.Line {
			continue
		}
		pl := chartPolyline{Class: se.Class}
		var run []string
		for i, v := range se.Values {
			if !se.has(i) {
				if len(run) > 1 {
					pl.Points = append(pl.Points, strings.Join(run, " "))
				}
				run = nil
				continue
			}
			px, py := round1(centre(i)), y(v)
			run = append(run, ftoa(px)+","+ftoa(py))
			pl.Marks = append(pl.Marks, chartDot{X: px, Y: py, Label: se.tip(i)})
		}
		if len(run) > 1 {
			pl.Points = append(pl.Points, strings.Join(run, " "))
		}
		s.Lines = append(s.Lines, pl)
	}
	for _, f := range ch.Flags {
		s.Flags = append(s.Flags, chartMark{X: round1(centre(f.Index)), Y: s.T + 12, Mark: f.Mark, Tip: f.Tip})
	}
	x := s.L
	for _, se := range ch.Series {
		s.Legend = append(s.Legend, chartLegend{X: x, Y: barLegendY - barLegendBox + 1, TextX: x + barLegendBox + 16, Class: se.Class,
			Line: se.Line, Label: se.Name})
		x += barLegendBox + 16 + labelWidthOf(se.Name) + 18
	}
	if ch.FlagLegend != "" && len(ch.Flags) > 0 {
		s.Legend = append(s.Legend, chartLegend{X: x, Y: barLegendY - barLegendBox + 1, TextX: x + barLegendBox + 4,
			Mark: ch.Flags[0].Mark, Label: ch.FlagLegend})
	}
	return s
}

func (se chartSeries) has(i int) bool { return i < len(se.Has) && se.Has[i] }

func (se chartSeries) tip(i int) string {
	if i < len(se.Tips) {
		return se.Tips[i]
	}
	return ""
}

// labelWidthOf estimates a label's width (11 px text), to lay the legend out without fonts.
func labelWidthOf(s string) float64 { return float64(len([]rune(s))) * 6.5 }

// SVG draws the chart, ready to embed in a page.
func (ch *barChart) SVG() (template.HTML, error) {
	var b bytes.Buffer
	if err := barChartSVG.Execute(&b, ch.shape()); err != nil {
		return "", fmt.Errorf("chart %s: %w", ch.ID, err)
	}
	return template.HTML(b.String()), nil
}

var barChartSVG = template.Must(template.New("bars").Parse(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{{.ID}}" viewBox="0 0 {{.W}} {{.H}}" width="100%" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc" focusable="false">
<title id="{{.ID}}-title">{{.Title}}</title>
<desc id="{{.ID}}-desc">{{.Desc}}</desc>
<rect class="plot" x="{{.L}}" y="{{.T}}" width="{{.PlotW}}" height="{{.PlotH}}"></rect>
{{- range .YTicks}}
<line class="tick" x1="{{$.L}}" x2="{{$.R}}" y1="{{.Y}}" y2="{{.Y}}"></line>
<text class="label" x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}" dominant-baseline="middle">{{.Label}}</text>
{{- end}}
{{- range .XTicks}}
<text class="label" x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}">{{.Label}}</text>
{{- end}}
<text class="axis" x="{{.YLabelX}}" y="{{.YLabelY}}" text-anchor="middle" transform="rotate(-90 {{.YLabelX}} {{.YLabelY}})">{{.YLabel}}</text>
{{- range .Bars}}
<rect class="bar {{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Tip}}</title></rect>
{{- end}}
{{- range .Lines}}{{$class := .Class}}
{{- range .Points}}
<polyline class="line {{$class}}" points="{{.}}"></polyline>
{{- end}}
{{- range .Marks}}
<circle class="mark {{$class}}" cx="{{.X}}" cy="{{.Y}}" r="3"><title>{{.Label}}</title></circle>
{{- end}}
{{- end}}
{{- range .Flags}}
<text class="flag" x="{{.X}}" y="{{.Y}}" text-anchor="middle">{{.Mark}}<title>{{.Tip}}</title></text>
{{- end}}
<g class="legend">
{{- range .Legend}}
{{- if .Mark}}
<text class="flag" x="{{.X}}" y="{{.Y}}" dy="10">{{.Mark}}</text>
{{- else if .Line}}
<line class="line {{.Class}}" x1="{{.X}}" x2="{{.TextX}}" y1="{{.Y}}" y2="{{.Y}}" transform="translate(0 5)"></line>
{{- else}}
<rect class="bar {{.Class}}" x="{{.X}}" y="{{.Y}}" width="10" height="10"></rect>
{{- end}}
<text class="label" x="{{.TextX}}" y="{{.Y}}" dx="4" dy="9">{{.Label}}</text>
{{- end}}
</g>
</svg>`))

// PlotW is the plot area's width.
func (s chartShape) PlotW() float64 { return s.R - s.L }

// PlotH is the plot area's height.
func (s chartShape) PlotH() float64 { return s.B - s.T }
