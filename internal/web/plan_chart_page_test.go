package web_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestPlanPageChart checks that /plan draws the capacity chart of each level above the tables,
// accessible, in the reader's language.
func TestPlanPageChart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(d.ops.Email, password)
		p := ops.get("/plan").want(t, http.StatusOK)
		for _, level := range []string{"N1", "N2", "N3"} {
			svg := byID(p.doc, "capacity-"+level)
			if svg == nil || attr(svg, "role") != "img" || len(byTag(svg, "title")) == 0 || len(byClass(svg, "legend")) != 1 {
				t.Fatalf("no accessible capacity chart for %s", level)
			}
			// 8 weeks of capacity and of load, and a swatch of each in the legend.
			if bars := findAll(svg, func(n *html.Node) bool { return n.Data == "rect" && hasClass(n, "bar") }); len(bars) != 18 {
				t.Errorf("%s: %d bars, want 18", level, len(bars))
			}
			// A visible caption names the level (the SVG's title is not shown).
			if caps := byTag(svg.Parent, "figcaption"); len(caps) != 1 || !strings.Contains(textOf(caps[0]), level) {
				t.Errorf("%s: the chart has no visible caption naming its level", level)
			}
		}
		ops.header.Set("Accept-Language", "fr")
		p = ops.get("/plan").want(t, http.StatusOK)
		if got := textOf(byTag(byID(p.doc, "capacity-N1"), "title")[0]); got != "Capacité N1, semaines à venir" {
			t.Errorf("French title %q", got)
		}
	})
}
