package report

import (
	"slices"
	"testing"
	"time"
)

func TestGanttScale(t *testing.T) {
	texts := func(ns []*node) []string {
		var s []string
		for _, n := range ns {
			s = append(s, n.Text)
		}
		return s
	}
	cases := []struct {
		name      string
		loc       Locale
		from, to  time.Time
		scale     Scale
		ticks     []string // the first labels of the lower line
		bands     []string // the upper line
		tickCount int      // grid lines
	}{
		{"ten days, days", English, day(2027, 3, 10), day(2027, 3, 19), ScaleDays,
			[]string{"10", "11", "12"}, []string{"March 2027"}, 11},
		{"across a month end, days", French, day(2027, 3, 25), day(2027, 4, 8), ScaleDays,
			[]string{"25", "26", "27"}, []string{"mars 2027", "avril 2027"}, 16},
		{"two months, weeks", English, day(2027, 3, 3), day(2027, 4, 30), ScaleWeeks,
			[]string{"1", "8", "15"}, []string{"March 2027", "April 2027", "May 2027"}, 10},
		{"two years, months", English, day(2027, 1, 15), day(2028, 12, 31), ScaleMonths,
			[]string{"Jan", "Feb", "Mar"}, []string{"2027", "2028"}, 25},
		{"two years in French", French, day(2027, 1, 15), day(2028, 12, 31), ScaleMonths,
			[]string{"janv.", "mars", "mai", "juil.", "sept.", "nov.", "janv."}, []string{"2027", "2028"}, 25},
		{"five years, quarters", English, day(2026, 1, 1), day(2030, 12, 31), ScaleMonths,
			[]string{"Jan", "Apr", "Jul", "Oct", "Jan"}, []string{"2026", "2027", "2028", "2029", "2030"}, 61},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if s := ScaleFor(tc.from, tc.to.AddDate(0, 0, 1)); s != tc.scale {
				t.Fatalf("scale = %d, want %d", s, tc.scale)
			}
			root, _ := render(t, Chart{Title: "t", Locale: tc.loc, Rows: []Row{{Label: "r", Start: tc.from, End: tc.to}}})
			ticks, bands := texts(root.tagged("text", "tick")), texts(root.tagged("text", "band"))
			if len(ticks) < len(tc.ticks) || !slices.Equal(ticks[:len(tc.ticks)], tc.ticks) {
				t.Errorf("tick labels = %q, want them to start with %q", ticks, tc.ticks)
			}
			if !slices.Equal(bands, tc.bands) {
				t.Errorf("band labels = %q, want %q", bands, tc.bands)
			}
			// A band starts with a solid line across the rows, but for the first one at the edge.
			if n := len(root.tagged("line", "boundary")); n != len(tc.bands)-1 {
				t.Errorf("%d band lines for bands %q", n, tc.bands)
			}
			lines := root.all(func(n *node) bool { return n.hasClass("minor") || n.hasClass("major") })
			if len(lines) != tc.tickCount {
				t.Errorf("%d grid lines, want %d", len(lines), tc.tickCount)
			}
			// Labels kept never overlap: each starts after the previous one's estimated end.
			prev := 0.0
			for _, n := range root.tagged("text", "tick") {
				if x := n.num(t, "x"); x < prev {
					t.Errorf("label %q at %v overlaps the previous one (ends %v)", n.Text, x, prev)
				} else {
					prev = x + labelWidth(n.Text) - 6
				}
			}
		})
	}
}

// A mistyped year (0202 for 2027) must not make a page of thousands of lines or labels piled up:
// the chart stays light and readable, and the dates still come in order.
func TestGanttLongSpan(t *testing.T) {
	root, _ := render(t, Chart{Title: "t", Rows: []Row{
		{Label: "typo", Start: day(202, 3, 1), End: day(2027, 3, 9)},
		{Label: "real", Start: day(2027, 3, 1), End: day(2027, 4, 9)},
	}})
	lines := root.tagged("line", "")
	if len(lines) > 100 {
		t.Errorf("%d lines", len(lines))
	}
	for _, class := range []string{"tick", "band"} {
		prev := 0.0
		for _, n := range root.tagged("text", class) {
			if x := n.num(t, "x"); x < prev || x > ganttRight {
				t.Errorf("%s label %q at %v, previous ends %v", class, n.Text, x, prev)
			} else {
				prev = x + labelWidth(n.Text) - 6
			}
		}
	}
	bars := root.tagged("rect", "bar")
	if len(bars) != 2 || bars[0].num(t, "x") != ganttLeft || bars[1].num(t, "x") <= bars[0].num(t, "x") ||
		bars[1].num(t, "x") > ganttRight {
		t.Errorf("bars = %v", bars)
	}
}
