package web

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
)

// svgNodes parses an SVG drawing and returns its elements of tag that have class among their
// classes ("" for any).
func svgNodes(t *testing.T, svg, tag, class string) []*html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(svg)))
	if err != nil {
		t.Fatal(err)
	}
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && (class == "" || hasClassOf(n, class)) {
			out = append(out, n)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClassOf(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attrOf(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func numAttr(t *testing.T, n *html.Node, key string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(attrOf(n, key), 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", key, attrOf(n, key), err)
	}
	return v
}

func TestPlanCapacityChart(t *testing.T) {
	monday := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	cp := &plan.CapacityPlan{}
	n1 := plan.Line{Level: opsdesk.LevelN1}
	n2 := plan.Line{Level: opsdesk.LevelN2}
	for i := range 8 {
		cp.Weeks = append(cp.Weeks, monday.AddDate(0, 0, 7*i))
		// N1: 30 h a week; 45 h of load in week 2 (over-allocated), 15 h the others.
		cell := plan.Cell{Capacity: 30 * 60, Assigned: 15 * 60}
		if i == 2 {
			cell = plan.Cell{Capacity: 30 * 60, Assigned: 30 * 60, Pool: 15 * 60, Over: true}
		}
		n1.Weeks = append(n1.Weeks, cell)
		n2.Weeks = append(n2.Weeks, plan.Cell{Capacity: 10 * 60})
	}
	cp.Levels = []plan.Line{n1, n2}
	c := &call{lang: opsdesk.LangEN}
	charts := planCapacityCharts(c, cp)
	if len(charts) != 2 {
		t.Fatalf("%d charts, want one per level", len(charts))
	}
	svg, err := charts[0].SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if root := svgNodes(t, s, "svg", "chart"); len(root) != 1 || attrOf(root[0], "role") != "img" {
		t.Fatalf("no accessible svg: %s", s)
	}
	if title := svgNodes(t, s, "title", ""); len(title) == 0 || !strings.Contains(title[0].FirstChild.Data, "N1") {
		t.Errorf("title: %s", s)
	}
	loads, caps := svgNodes(t, s, "rect", "s1"), svgNodes(t, s, "rect", "s2")
	// 8 load and 8 capacity bars, plus one swatch of each in the legend.
	if len(loads) != 9 || len(caps) != 9 {
		t.Fatalf("%d load and %d capacity bars, want 8 + legend each", len(loads), len(caps))
	}
	over := svgNodes(t, s, "rect", "over")
	if len(over) != 1 || attrOf(over[0], "x") != attrOf(loads[2], "x") {
		t.Fatalf("over-allocated bars: %d, want the third week's load", len(over))
	}
	// The scale tops at 50 h: a 45 h load is 1.5 times as tall as the 30 h capacity beside it.
	if hl, hc := numAttr(t, loads[2], "height"), numAttr(t, caps[2], "height"); hl < 1.49*hc || hl > 1.51*hc {
		t.Errorf("over week: load height %v, capacity %v", hl, hc)
	}
	// A sign above the week, not only a colour, explained in the legend and the tooltip.
	flags := svgNodes(t, s, "text", "flag")
	if len(flags) != 2 || flags[0].FirstChild.Data != "!" {
		t.Fatalf("flags: %d", len(flags))
	}
	barMid := numAttr(t, loads[2], "x") + numAttr(t, loads[2], "width")/2
	if x := numAttr(t, flags[0], "x"); x < barMid-numAttr(t, loads[2], "width")*2 || x > barMid+numAttr(t, loads[2], "width")*2 {
		t.Errorf("flag at x=%v, the week's bars around %v", x, barMid)
	}
	if !strings.Contains(s, "over-allocated") || !strings.Contains(s, "load 45.0 h, capacity 30.0 h") {
		t.Errorf("no explanation of the flag: %s", s)
	}
	// N2 is never over: no flag, no legend entry for flags.
	svg2, _ := charts[1].SVG()
	if strings.Contains(string(svg2), `class="flag"`) {
		t.Error("a flag on a level that is not over-allocated")
	}
}

// TestTrendLineGaps checks that a period without any clock counted breaks the compliance line
// rather than drawing 0 %.
func TestTrendLineGaps(t *testing.T) {
	ch := &barChart{ID: "x", Title: "t", Categories: []string{"a", "b", "c", "d", "e"}, Max: 100,
		Unit: func(v float64) string { return strconv.Itoa(int(v)) },
		Series: []chartSeries{{Name: "s", Class: "s1", Line: true, Values: []float64{50, 100, 0, 80, 90},
			Has: []bool{true, true, false, true, true}}}}
	svg, err := ch.SVG()
	if err != nil {
		t.Fatal(err)
	}
	lines := svgNodes(t, string(svg), "polyline", "s1")
	if len(lines) != 2 || strings.Count(attrOf(lines[0], "points"), ",") != 2 || strings.Count(attrOf(lines[1], "points"), ",") != 2 {
		t.Fatalf("lines: %d", len(lines))
	}
	marks := svgNodes(t, string(svg), "circle", "mark")
	if len(marks) != 4 {
		t.Fatalf("%d marks, want 4", len(marks))
	}
	// 100 % sits at the top of the plot, 50 % half way down.
	if top, mid := numAttr(t, marks[1], "cy"), numAttr(t, marks[0], "cy"); top != barTop || mid != round1((barTop+barH-barBottom)/2) {
		t.Errorf("100%% at y=%v, 50%% at y=%v", top, mid)
	}
}
