package report

import (
	"encoding/xml"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// node is any element of the SVG, parsed with encoding/xml: the tests look at structure and
// numbers, never at the text of the output.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) num(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

func (n *node) hasClass(c string) bool { return slices.Contains(strings.Fields(n.attr("class")), c) }

// all lists the elements under n (n included) for which keep is true, in document order.
func (n *node) all(keep func(*node) bool) []*node {
	var out []*node
	if keep(n) {
		out = append(out, n)
	}
	for i := range n.Nodes {
		out = append(out, n.Nodes[i].all(keep)...)
	}
	return out
}

func (n *node) tagged(tag, class string) []*node {
	return n.all(func(m *node) bool { return m.XMLName.Local == tag && (class == "" || m.hasClass(class)) })
}

// child is n's first child element named tag, or nil.
func (n *node) child(tag string) *node {
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == tag {
			return &n.Nodes[i]
		}
	}
	return nil
}

func render(t *testing.T, c Chart) (*node, string) {
	t.Helper()
	h, err := Gantt(c)
	if err != nil {
		t.Fatalf("Gantt: %v", err)
	}
	var root node
	if err := xml.Unmarshal([]byte(h), &root); err != nil {
		t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, h)
	}
	return &root, string(h)
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// project is a small timeline: a project, three phases (done, late, to do), a task with progress
// and a milestone, seen on 2027-03-20.
func project() Chart {
	return Chart{Title: "Project Acme", Desc: "Phases and milestones", TodayLabel: "Today", Locale: English,
		Today: day(2027, 3, 20), Rows: []Row{
			{Label: "Acme roll-out", URL: "/projects/7", Start: day(2027, 3, 1), End: day(2027, 5, 28), State: StateInProgress},
			{Label: "Pre-framing", Level: LevelPhase, Start: day(2027, 3, 1), End: day(2027, 3, 12), State: StateDone},
			{Label: "Framing", Level: LevelPhase, Start: day(2027, 3, 15), End: day(2027, 4, 9), State: StateLate, Detail: "Late"},
			{Label: "Plan the milestones", Level: LevelItem, Start: day(2027, 3, 22), End: day(2027, 4, 2), State: StateInProgress, Progress: 0.4},
			{Label: "Deployment", Level: LevelPhase, Start: day(2027, 4, 12), End: day(2027, 5, 28)},
			{Label: "Go-live", Level: LevelItem, Start: day(2027, 5, 28), Milestone: true, URL: "/projects/7/items/9"},
		}}
}

func TestGanttStructure(t *testing.T) {
	c := project()
	root, out := render(t, c)
	if root.XMLName.Local != "svg" || root.attr("role") != "img" || root.attr("width") != "100%" ||
		!strings.HasPrefix(root.attr("viewBox"), "0 0 960 ") {
		t.Fatalf("root = <%s %v>", root.XMLName.Local, root.Attrs)
	}
	if ti, de := root.child("title"), root.child("desc"); ti == nil || ti.Text != c.Title || de == nil || de.Text != c.Desc {
		t.Errorf("title/desc = %+v / %+v", ti, de)
	}
	if ids := root.attr("aria-labelledby"); ids != "gantt-title gantt-desc" {
		t.Errorf("aria-labelledby = %q", ids)
	}
	// The CSP: no style attribute, no script, no event handler anywhere.
	for _, n := range root.all(func(*node) bool { return true }) {
		for _, a := range n.Attrs {
			if a.Name.Local == "style" || strings.HasPrefix(a.Name.Local, "on") {
				t.Errorf("<%s> has a %s attribute", n.XMLName.Local, a.Name.Local)
			}
		}
		if n.XMLName.Local == "script" || n.XMLName.Local == "style" {
			t.Errorf("a <%s> element", n.XMLName.Local)
		}
	}

	rows := root.tagged("g", "row")
	if len(rows) != len(c.Rows) {
		t.Fatalf("%d rows drawn, want %d", len(rows), len(c.Rows))
	}
	bar := func(i int) *node {
		t.Helper()
		bs := rows[i].tagged("rect", "bar")
		if len(bs) != 1 {
			t.Fatalf("row %d: %d bars", i, len(bs))
		}
		return bs[0]
	}
	// Bars start in the order of their dates, and the project's bar covers its phases.
	prev := -1.0
	for _, i := range []int{1, 2, 3, 4} {
		if x := bar(i).num(t, "x"); x <= prev {
			t.Errorf("row %d starts at x=%v, not after %v", i, x, prev)
		} else {
			prev = x
		}
	}
	end := func(b *node) float64 { return b.num(t, "x") + b.num(t, "width") }
	if bar(0).num(t, "x") != bar(1).num(t, "x") || end(bar(0)) != end(bar(4)) {
		t.Errorf("project bar [%v, %v] does not span its phases", bar(0).num(t, "x"), end(bar(0)))
	}
	// Each bar tells its dates on hover.
	if tip := bar(1).child("title"); tip == nil || tip.Text != "Pre-framing — March 1, 2027 → March 12, 2027" {
		t.Errorf("pre-framing tooltip = %+v", tip)
	}
	if tip := bar(3).child("title"); tip == nil || !strings.HasSuffix(tip.Text, " · 40%") {
		t.Errorf("task tooltip = %+v", tip)
	}
	// The progress mark covers 40% of its bar.
	if p := rows[3].tagged("rect", "progress"); len(p) != 1 || p[0].num(t, "width") != round1(0.4*bar(3).num(t, "width")) {
		t.Errorf("progress marks = %v", p)
	}

	// Today (March 20) is after the end of pre-framing and inside framing, before the task.
	today := root.tagged("line", "today")
	if len(today) != 1 {
		t.Fatalf("%d today lines", len(today))
	}
	tx := today[0].num(t, "x1")
	if !(end(bar(1)) < tx && bar(2).num(t, "x") < tx && tx < end(bar(2)) && tx < bar(3).num(t, "x")) {
		t.Errorf("today at x=%v: pre-framing ends %v, framing [%v, %v], task starts %v",
			tx, end(bar(1)), bar(2).num(t, "x"), end(bar(2)), bar(3).num(t, "x"))
	}
	if l := root.tagged("text", "today-label"); len(l) != 1 || l[0].Text != "Today" || l[0].num(t, "x") != tx {
		t.Errorf("today label = %v", l)
	}
	if tip := today[0].child("title"); tip == nil || tip.Text != "Today — March 20, 2027" {
		t.Errorf("today tooltip = %+v", tip)
	}

	// States become classes: the late phase is marked late, the undated state is "todo".
	for i, want := range []State{StateInProgress, StateDone, StateLate, StateInProgress, StateTodo, StateTodo} {
		if !rows[i].hasClass("state-"+string(want)) || !rows[i].hasClass("level-"+strconv.Itoa(int(c.Rows[i].Level))) {
			t.Errorf("row %d class = %q", i, rows[i].attr("class"))
		}
	}

	// The milestone is a diamond on its day: four points, two on a vertical, two on a horizontal.
	ms := rows[5].tagged("polygon", "milestone")
	if len(ms) != 1 || len(rows[5].tagged("rect", "bar")) != 0 {
		t.Fatalf("milestone row: %d diamonds", len(ms))
	}
	var pts [][2]float64
	for _, p := range strings.Fields(ms[0].attr("points")) {
		x, y, _ := strings.Cut(p, ",")
		fx, _ := strconv.ParseFloat(x, 64)
		fy, _ := strconv.ParseFloat(y, 64)
		pts = append(pts, [2]float64{fx, fy})
	}
	if len(pts) != 4 || pts[0][0] != pts[2][0] || pts[1][1] != pts[3][1] || pts[0][1] >= pts[2][1] || pts[3][0] >= pts[1][0] {
		t.Errorf("milestone points = %v", pts)
	}
	if cx := pts[0][0]; !(bar(4).num(t, "x") < cx && cx <= end(bar(4))) {
		t.Errorf("go-live at x=%v, outside deployment's last day", cx)
	}

	// Rows with a URL are links; the others are not.
	for i, r := range c.Rows {
		links := rows[i].tagged("a", "")
		switch {
		case r.URL == "" && len(links) != 0:
			t.Errorf("row %d links though it has no URL", i)
		case r.URL != "" && (len(links) != 1 || links[0].attr("href") != r.URL):
			t.Errorf("row %d: links %v, want %s", i, links, r.URL)
		}
	}

	// The height grows by a row's height for every row, and the output is the same every time.
	c2 := project()
	c2.Rows = append(c2.Rows, Row{Label: "One more"})
	root2, _ := render(t, c2)
	h := func(r *node) float64 { f, _ := strconv.ParseFloat(strings.Fields(r.attr("viewBox"))[3], 64); return f }
	if h(root2)-h(root) != ganttRowH {
		t.Errorf("heights %v then %v", h(root), h(root2))
	}
	if _, again := render(t, project()); again != out {
		t.Error("two renderings of the same chart differ")
	}
}

func TestGanttEscapes(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'quotes' "too"`
	c := Chart{Title: `Title <b>&</b>`, Desc: `Desc "<i>"`, TodayLabel: `<today>`, Today: day(2027, 3, 3),
		Rows: []Row{
			{Label: hostile, URL: `/p?a=1&b="2"`, Start: day(2027, 3, 1), End: day(2027, 3, 5), Detail: `<img src=x onerror=alert(1)>`},
			{Label: "x", URL: "javascript:alert(1)", Start: day(2027, 3, 2), Milestone: true},
		}}
	root, out := render(t, c)
	if strings.Contains(out, "<script") || strings.Contains(out, "<img") || strings.Contains(out, "<b>") || strings.Contains(out, "<today>") {
		t.Fatalf("raw markup came through:\n%s", out)
	}
	// Escaped, the texts read back exactly as given.
	if root.child("title").Text != c.Title || root.child("desc").Text != c.Desc {
		t.Errorf("title %q desc %q", root.child("title").Text, root.child("desc").Text)
	}
	// The label is too long for its column: it shows cut, and whole on hover.
	label := root.tagged("text", "label")[0]
	if full := label.child("title"); full == nil || full.Text != hostile ||
		!strings.HasSuffix(label.Text, "…") || !strings.HasPrefix(hostile, strings.TrimSuffix(label.Text, "…")) {
		t.Errorf("label reads %q, whole %+v", label.Text, label.child("title"))
	}
	tip := root.tagged("rect", "bar")[0].child("title").Text
	if !strings.HasPrefix(tip, hostile+" — ") || !strings.HasSuffix(tip, `<img src=x onerror=alert(1)>`) {
		t.Errorf("tooltip reads %q", tip)
	}
	links := root.tagged("a", "")
	if len(links) != 2 || links[0].attr("href") != `/p?a=1&b=%222%22` || strings.Contains(links[1].attr("href"), "javascript") {
		t.Errorf("links = %q, %q", links[0].attr("href"), links[1].attr("href"))
	}
}

func TestGanttEmpty(t *testing.T) {
	root, _ := render(t, Chart{Title: "Projects", Empty: "Nothing to show yet.", Today: day(2027, 3, 3)})
	e := root.tagged("text", "empty")
	if len(e) != 1 || e[0].Text != "Nothing to show yet." {
		t.Fatalf("empty text = %v", e)
	}
	if n := len(root.tagged("rect", "")) + len(root.tagged("line", "")); n != 0 {
		t.Errorf("an empty chart draws %d shapes", n)
	}
	if root.attr("role") != "img" || root.child("title").Text != "Projects" {
		t.Errorf("empty chart root = %v", root.Attrs)
	}
}

func TestGanttRange(t *testing.T) {
	// A given range wins over the rows' span: a bar running past it is cut at the edge, one
	// outside it is not drawn, and a today outside it draws no line.
	c := Chart{Title: "t", From: day(2027, 3, 1), To: day(2027, 3, 14), Today: day(2027, 6, 1), Rows: []Row{
		{Label: "long", Start: day(2027, 2, 1), End: day(2027, 12, 31)},
		{Label: "later", Start: day(2027, 5, 1), End: day(2027, 5, 9)},
		{Label: "undated"},
	}}
	root, _ := render(t, c)
	bars := root.tagged("rect", "bar")
	if len(bars) != 1 || bars[0].num(t, "x") != ganttLeft || bars[0].num(t, "x")+bars[0].num(t, "width") != ganttRight {
		t.Errorf("bars = %v", bars)
	}
	if len(root.tagged("line", "today")) != 0 {
		t.Error("a today line outside the range")
	}
	// On the range's last day, the today label is pulled back inside the drawing.
	c.Today, c.TodayLabel = day(2027, 3, 14), "Aujourd'hui"
	root, _ = render(t, c)
	line, label := root.tagged("line", "today"), root.tagged("text", "today-label")
	if len(line) != 1 || len(label) != 1 || label[0].num(t, "x") >= line[0].num(t, "x1") ||
		label[0].num(t, "x")+labelWidth(label[0].Text)/2 > ganttW {
		t.Errorf("today at the edge: line %v, label %v", line, label)
	}
	if labels := root.tagged("text", "label"); len(labels) != 3 {
		t.Errorf("%d labels, want every row's", len(labels))
	}
	// Rows without any date: labels only; with a today, four weeks from it and its line.
	undated := Chart{Title: "t", Rows: []Row{{Label: "a"}, {Label: "b", Level: LevelPhase}}}
	root, _ = render(t, undated)
	if len(root.tagged("text", "label")) != 2 || len(root.tagged("line", "")) != 0 || len(root.tagged("rect", "bar")) != 0 {
		t.Errorf("undated rows without today drew a grid or bars")
	}
	undated.Today = day(2027, 3, 10)
	root, _ = render(t, undated)
	if len(root.tagged("line", "today")) != 1 || len(root.tagged("line", "minor")) == 0 {
		t.Errorf("undated rows with a today: no grid or no today line")
	}

	// A lone milestone still gets a week around it.
	root, _ = render(t, Chart{Title: "t", Rows: []Row{{Label: "m", Start: day(2027, 3, 10), Milestone: true}}})
	if n := len(root.tagged("line", "minor")) + len(root.tagged("line", "major")); n != minSpanDays+1 {
		t.Errorf("a lone milestone shows %d day lines", n)
	}
}

func TestGanttValidate(t *testing.T) {
	ok := Row{Label: "ok", Start: day(2027, 3, 1), End: day(2027, 3, 2)}
	cases := []struct {
		name  string
		edit  func(*Chart)
		field string
	}{
		{"no title", func(c *Chart) { c.Title = "" }, "title"},
		{"half a range", func(c *Chart) { c.From = day(2027, 3, 1) }, "to"},
		{"range backwards", func(c *Chart) { c.From, c.To = day(2027, 3, 2), day(2027, 3, 1) }, "to"},
		{"bar backwards", func(c *Chart) { c.Rows[1].End = day(2027, 2, 1) }, "rows[1].end"},
		{"bar without end", func(c *Chart) { c.Rows[1].End = time.Time{} }, "rows[1].end"},
		{"milestone without date", func(c *Chart) { c.Rows[1] = Row{Label: "m", Milestone: true} }, "rows[1].start"},
		{"unknown state", func(c *Chart) { c.Rows[0].State = "sleeping" }, "rows[0].state"},
		{"deep level", func(c *Chart) { c.Rows[0].Level = 3 }, "rows[0].level"},
		{"progress over 1", func(c *Chart) { c.Rows[1].Progress = 1.5 }, "rows[1].progress"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Chart{Title: "t", Rows: []Row{ok, ok}}
			tc.edit(&c)
			_, err := Gantt(c)
			var e *opsdesk.Error
			if !errors.As(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != tc.field {
				t.Errorf("err = %v, want invalid %s", err, tc.field)
			}
		})
	}
	// The same day as start and end is a one-day bar, and the end day counts in full.
	root, _ := render(t, Chart{Title: "t", From: day(2027, 3, 1), To: day(2027, 3, 7),
		Rows: []Row{{Label: "d", Start: day(2027, 3, 2), End: day(2027, 3, 2)}}})
	if w := root.tagged("rect", "bar")[0].num(t, "width"); w != round1((ganttRight-ganttLeft)/7) {
		t.Errorf("one day is %v wide", w)
	}
}

func TestSpan(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	rows := []Row{
		{Label: "none"},
		{Label: "a", Start: day(2027, 3, 5), End: day(2027, 3, 9)},
		// 23:30 in Paris on March 1 is March 1 there, though March 1 22:30 UTC.
		{Label: "b", Start: time.Date(2027, 3, 1, 23, 30, 0, 0, paris), Milestone: true},
		{Label: "c", Start: day(2027, 3, 6), End: day(2027, 4, 2)},
	}
	first, last, ok := Span(rows)
	if !ok || !first.Equal(day(2027, 3, 1)) || !last.Equal(day(2027, 4, 2)) {
		t.Errorf("Span = %v, %v, %v", first, last, ok)
	}
	if _, _, ok := Span(rows[:1]); ok {
		t.Error("undated rows have a span")
	}
}
