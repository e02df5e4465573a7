package web

import (
	"html/template"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/report"
)

// The plan's capacity chart: per level, the expected load against the capacity of each of the
// next weeks, in hours, drawn from the same capacity plan as the table under it. An
// over-allocated week has its load bar marked "over" and a "!" above it (a sign, not a colour
// alone), explained in the legend and in each bar's tooltip.

// planFlag is the mark above an over-allocated week.
const planFlag = "!"

// planChart is one level's chart with its visible caption (the SVG's own title is for
// assistive technology and tooltips only).
type planChart struct {
	Caption string
	SVG     template.HTML
}

// planCharts draws one chart per level of the capacity plan.
func (s *Server) planCharts(c *call, cp *plan.CapacityPlan) []planChart {
	var out []planChart
	for _, ch := range planCapacityCharts(c, cp) {
		svg, err := ch.SVG()
		if err != nil {
			s.log.Error("web: plan chart", "err", err)
			return nil
		}
		out = append(out, planChart{Caption: ch.Title, SVG: svg})
	}
	return out
}

// planCapacityCharts lays out the charts of planCharts.
func planCapacityCharts(c *call, cp *plan.CapacityPlan) []*barChart {
	loc := report.LocaleFor(c.lang)
	hours := func(minutes int64) float64 { return float64(minutes) / 60 }
	var out []*barChart
	for _, l := range cp.Levels {
		level := string(l.Level)
		ch := &barChart{ID: "capacity-" + level, Title: c.T("plan.chart.title", level),
			YLabel: c.T("plan.chart.hours"), FlagLegend: c.T("plan.capacity.over"),
			Unit: func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }}
		capacity := chartSeries{Name: c.T("plan.chart.capacity"), Class: "s2"}
		load := chartSeries{Name: c.T("plan.chart.load"), Class: "s1"}
		over := 0
		for i, cell := range l.Weeks {
			if i >= len(cp.Weeks) {
				break
			}
			w := cp.Weeks[i]
			ch.Categories = append(ch.Categories, trendLabel(loc, w, true, false))
			tip := c.T("plan.chart.tip", loc.Date(w), decimal(c, hours(cell.Load()), 1), decimal(c, hours(cell.Capacity), 1))
			extra := ""
			if cell.Over {
				tip += " — " + c.T("plan.capacity.over")
				extra = "over"
				ch.Flags = append(ch.Flags, chartFlag{Index: i, Mark: planFlag, Tip: tip})
				over++
			}
			capacity.Values, capacity.Has, capacity.Tips = append(capacity.Values, hours(cell.Capacity)), append(capacity.Has, true), append(capacity.Tips, tip)
			load.Values, load.Has, load.Tips = append(load.Values, hours(cell.Load())), append(load.Has, true), append(load.Tips, tip)
			load.Extra = append(load.Extra, extra)
		}
		ch.Series = []chartSeries{capacity, load}
		ch.Desc = c.T("plan.chart.desc", level, len(ch.Categories), over)
		out = append(out, ch)
	}
	return out
}
