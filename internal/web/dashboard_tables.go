package web

import (
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The dashboard's tables. Each is built once from the store's figures with its page rows (text
// for people) and its CSV rows (values for machines) side by side, so the page and the download
// can never disagree. docs/indicators.md ("Dashboard") lists the tables and their columns.

// dashTable is one table of the dashboard and its CSV export.
type dashTable struct {
	Name    string // the CSV's table=<name>, and the element's id
	Caption string
	Def     string // the short definition under the table (docs/indicators.md's wording)
	Head    []string
	Rows    []dashRow
	Empty   string // shown instead of the table when it has no row
	CSVURL  string
	CSVHead []string
	CSV     [][]string
}

// dashRow is a row of a table: its header cell (a link when Link is set) and its figures.
type dashRow struct {
	Key   string // machine name of the row (data-figure), for tests and scripts
	Label string
	Link  string
	Cells []string
}

// dashNames are the labels the tables need beyond the figures: article titles and customers.
type dashNames struct {
	articles  map[int64]string
	customers map[int64]*opsdesk.Customer
}

// dashTableNames are the tables, in page order; the CSV export accepts these names.
var dashTableNames = []string{"volume", "backlog", "sla", "times", "rates", "satisfaction", "knowledge", "articles",
	"availability", "projects", "trend"}

// dashTables builds every table of the figures but the trend (dashTrendTable).
func dashTables(c *call, v *opsdesk.Indicators, n dashNames) []dashTable {
	count := func(key, label string, k int) (dashRow, []string) {
		return dashRow{Key: key, Label: label, Cells: []string{strconv.Itoa(k)}}, []string{key, strconv.Itoa(k)}
	}
	counts := func(name string, head string, rows ...func() (dashRow, []string)) dashTable {
		t := dashTable{Name: name, Head: []string{c.T("dashboard.col.indicator"), c.T(head)}, CSVHead: []string{"indicator", "count"}}
		for _, r := range rows {
			row, csv := r()
			t.Rows, t.CSV = append(t.Rows, row), append(t.CSV, csv)
		}
		return t
	}
	row := func(key string, k int) func() (dashRow, []string) {
		return func() (dashRow, []string) { return count(key, c.T("dashboard.fig."+key), k) }
	}
	ratio := func(key string, r opsdesk.Ratio) (dashRow, []string) {
		return dashRow{Key: key, Label: c.T("dashboard.fig." + key), Cells: []string{ratioText(c, r)}}, append([]string{key}, ratioCSV(r)...)
	}
	shares := func(name string, rows ...func() (dashRow, []string)) dashTable {
		t := dashTable{Name: name, Head: []string{c.T("dashboard.col.indicator"), c.T("dashboard.col.share")},
			CSVHead: []string{"indicator", "num", "den", "rate"}}
		for _, r := range rows {
			row, csv := r()
			t.Rows, t.CSV = append(t.Rows, row), append(t.CSV, csv)
		}
		return t
	}
	share := func(key string, r opsdesk.Ratio) func() (dashRow, []string) {
		return func() (dashRow, []string) { return ratio(key, r) }
	}
	a := v.BacklogAge
	out := []dashTable{
		counts("volume", "dashboard.col.tickets", row("tickets_created", v.TicketsCreated), row("tickets_resolved", v.TicketsResolved),
			row("probe_incidents", v.ProbeIncidents)),
		counts("backlog", "dashboard.col.tickets", row("backlog", v.Backlog), row("under_day", a.UnderDay),
			row("under_week", a.UnderWeek), row("under_month", a.UnderMonth), row("older", a.Older)),
		dashSLATable(c, v),
		dashTimesTable(c, v),
		shares("rates", share("first_contact_resolution_n1", v.FirstContactN1), share("escalation_n1_n2", v.EscalationN1N2),
			share("escalation_n2_n3", v.EscalationN2N3), share("reopen", v.Reopen)),
		dashSatisfactionTable(c, v),
		counts("knowledge", "dashboard.col.count", row("kb_deflections", v.KBDeflections)),
		dashArticlesTable(c, v, n),
		dashAvailabilityTable(c, v, n),
		shares("projects", share("projects_on_time", v.ProjectsOnTime)),
	}
	for i := range out {
		out[i].Caption = c.T("dashboard.table." + out[i].Name)
		out[i].Def = c.T("dashboard.def." + out[i].Name)
	}
	return out
}

// dashSLATable: per clock, met, breached and the compliance (CSV: num = met, den = met + breached).
func dashSLATable(c *call, v *opsdesk.Indicators) dashTable {
	t := dashTable{Name: "sla", Head: []string{c.T("dashboard.col.target"), c.T("dashboard.col.met"), c.T("dashboard.col.breached"),
		c.T("dashboard.col.compliance")}, CSVHead: []string{"clock", "num", "den", "rate"}}
	for _, s := range v.SLA {
		t.Rows = append(t.Rows, dashRow{Key: s.Clock, Label: c.T("sla.clock." + s.Clock),
			Cells: []string{strconv.Itoa(s.Met), strconv.Itoa(s.Breached), ratioText(c, s.Ratio())}})
		t.CSV = append(t.CSV, append([]string{s.Clock}, ratioCSV(s.Ratio())...))
	}
	return t
}

// dashTimesTable: the business times to take charge and to resolve of the clocks stopped.
func dashTimesTable(c *call, v *opsdesk.Indicators) dashTable {
	t := dashTable{Name: "times", Head: []string{c.T("dashboard.col.clock"), c.T("dashboard.col.stopped"), c.T("dashboard.col.mean"),
		c.T("dashboard.col.p90")}, CSVHead: []string{"clock", "count", "mean_s", "p90_s"}}
	for _, d := range []struct {
		clock string
		s     opsdesk.DurationStats
	}{{"take_charge", v.TakeCharge}, {"resolve", v.Resolve}} {
		mean, p90 := "—", "—"
		if d.s.Count > 0 {
			mean, p90 = durationText(c, d.s.Mean), durationText(c, d.s.P90)
		}
		t.Rows = append(t.Rows, dashRow{Key: d.clock, Label: c.T("sla.clock." + d.clock), Cells: []string{strconv.Itoa(d.s.Count), mean, p90}})
		t.CSV = append(t.CSV, []string{d.clock, strconv.Itoa(d.s.Count), secondsCSV(d.s.Mean), secondsCSV(d.s.P90)})
	}
	return t
}

// dashSatisfactionTable: the average rating and the response rate, one CSV row.
func dashSatisfactionTable(c *call, v *opsdesk.Indicators) dashTable {
	avg, avgCSV := "—", ""
	if v.CSATRated > 0 {
		avg = c.T("dashboard.csat", decimal(c, v.CSATAverage, 2), v.CSATRated)
		avgCSV = strconv.FormatFloat(v.CSATAverage, 'f', -1, 64)
	}
	return dashTable{Name: "satisfaction", Head: []string{c.T("dashboard.col.indicator"), c.T("dashboard.col.value")},
		Rows: []dashRow{
			{Key: "csat_average", Label: c.T("dashboard.fig.csat_average"), Cells: []string{avg}},
			{Key: "survey_response", Label: c.T("dashboard.fig.survey_response"), Cells: []string{ratioText(c, v.SurveyResponse)}},
		},
		CSVHead: []string{"csat_average", "csat_rated", "surveys_answered", "surveys", "response_rate"},
		CSV: [][]string{{avgCSV, strconv.Itoa(v.CSATRated), strconv.Itoa(v.SurveyResponse.Num), strconv.Itoa(v.SurveyResponse.Den),
			rateCSV(v.SurveyResponse)}},
	}
}

// dashArticlesTable: the articles linked to tickets resolved in the period, with their titles.
func dashArticlesTable(c *call, v *opsdesk.Indicators, n dashNames) dashTable {
	t := dashTable{Name: "articles", Head: []string{c.T("dashboard.col.article"), c.T("dashboard.col.resolved")},
		Empty: c.T("dashboard.none.articles"), CSVHead: []string{"article_id", "title", "tickets"}}
	for _, u := range v.ArticlesSolved {
		id := strconv.FormatInt(u.ArticleID, 10)
		title := n.articles[u.ArticleID]
		if title == "" {
			title = "#" + id
		}
		t.Rows = append(t.Rows, dashRow{Key: id, Label: title, Link: "/kb/" + id, Cells: []string{strconv.Itoa(u.Tickets)}})
		t.CSV = append(t.CSV, []string{id, title, strconv.Itoa(u.Tickets)})
	}
	return t
}

// dashAvailabilityTable: each production environment's probe checks and availability.
func dashAvailabilityTable(c *call, v *opsdesk.Indicators, n dashNames) dashTable {
	t := dashTable{Name: "availability", Head: []string{c.T("dashboard.col.environment"), c.T("dashboard.col.customer"),
		c.T("dashboard.col.availability")}, Empty: c.T("dashboard.none.availability"),
		CSVHead: []string{"environment_id", "environment", "customer", "num", "den", "rate"}}
	for _, e := range v.Availability {
		id := strconv.FormatInt(e.EnvironmentID, 10)
		code, name := "", ""
		if cu := n.customers[e.CustomerID]; cu != nil {
			code, name = cu.Code, cu.Code+" — "+cu.Name
		}
		t.Rows = append(t.Rows, dashRow{Key: id, Label: e.Name, Link: "/environments/" + id, Cells: []string{name, ratioText(c, e.Ratio())}})
		t.CSV = append(t.CSV, append([]string{id, e.Name, code}, ratioCSV(e.Ratio())...))
	}
	return t
}
