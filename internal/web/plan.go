package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/store"
)

// The steering plan (docs/plan.md): one ranked list over open tickets, project tasks and
// occurrences of preventive work, each row explained, with the ops manager's pins and moves (of
// any kind of row), and the 8-week capacity plan with the agents' capacity settings. Staff
// pages; the store refuses customers and lets only ops managers and admins write.

// planPage is the data of /plan.
type planPage struct {
	Total                          int
	Rows                           []planRowView
	Level, Domain, Agent, Customer string // the filters as asked
	Levels, Agents, Customers      []option
	Form                           *form // the form that failed, nil when none
	FormAbove                      bool  // the failed pin or move has no row shown: its message goes above the list
	History                        []planHistoryView
	Weeks                          []string
	CapLevels, CapAgents           []planCapLine
	CapTotal                       planCapLine
	Unestimated                    int
	Beyond                         int64
	Settings                       []planSettingsView
	Charts                         []planChart // per level, load against capacity (plan_chart.go)
}

// planRowView is one row of the list, with its explanation in the page's language.
type planRowView struct {
	Rank       int
	Kind       string // ticket, task or preventive
	ItemID     int64
	Ref, Link  string
	Title      string
	Customer   string
	Score      int64
	Why        []string
	Override   string // the pin or move that placed it, "" when none
	OverrideID int64
	FormID     string
}

// planHistoryView is one pin or move of the history.
type planHistoryView struct {
	Ref, Text, State string
}

// planCapLine is a row of the capacity table.
type planCapLine struct {
	Name  string
	Cells []planCapCell
	Total planCapCell
}

// planCapCell is load / capacity of a week, flagged when over-allocated.
type planCapCell struct {
	Text string
	Over bool
}

// planSettingsView is an agent's capacity settings and absences.
type planSettingsView struct {
	ID       int64
	Name     string
	Level    string
	Hours    string
	Percent  int64
	Set      bool
	Absences []store.AgentAbsence
	Form     *form // this agent's failed form, or a fresh one
}

// plan shows the plan.
func (s *Server) plan(c *call) { s.showPlan(c, http.StatusOK, nil) }

// showPlan renders the plan filtered by the query, with failed (nil when none) showing its
// error and input at its form.
func (s *Server) showPlan(c *call, status int, failed *form) {
	q := c.r.URL.Query()
	p := planPage{Level: q.Get("level"), Domain: strings.TrimSpace(q.Get("domain")), Agent: q.Get("agent"), Customer: q.Get("customer"), Form: failed}
	f := plan.Filter{Domain: p.Domain}
	if l, ok := opsdesk.ParseLevel(p.Level); ok {
		f.Level = l
	}
	f.Agent, _ = strconv.ParseInt(p.Agent, 10, 64)
	f.Customer, _ = strconv.ParseInt(p.Customer, 10, 64)
	v, err := s.db.Plan(c.ctx, s.db.Now(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	p.Total = v.Total
	for _, r := range v.Rows {
		p.Rows = append(p.Rows, planRowOf(c, v, r))
	}
	p.FormAbove = failed != nil && strings.HasPrefix(failed.ID, "ov-") &&
		!slices.ContainsFunc(p.Rows, func(r planRowView) bool { return r.FormID == failed.ID })
	p.Levels = []option{{Value: "", Label: c.T("plan.filter.all")}}
	for _, l := range opsdesk.Levels {
		p.Levels = append(p.Levels, option{Value: string(l), Label: string(l), Selected: string(l) == p.Level})
	}
	p.Agents = []option{{Value: "", Label: c.T("plan.filter.all")}}
	for _, a := range v.Agents {
		id := strconv.FormatInt(a.Agent.ID, 10)
		p.Agents = append(p.Agents, option{Value: id, Label: a.Agent.Name, Selected: id == p.Agent})
	}
	p.Customers = []option{{Value: "", Label: c.T("plan.filter.all")}}
	var custs []option
	for id, cu := range v.Customers {
		sid := strconv.FormatInt(id, 10)
		custs = append(custs, option{Value: sid, Label: cu.Code + " — " + cu.Name, Selected: sid == p.Customer})
	}
	slices.SortFunc(custs, func(a, b option) int { return cmp.Compare(a.Label, b.Label) })
	p.Customers = append(p.Customers, custs...)
	if hist, err := s.db.PlanOverrideHistory(c.ctx); err == nil {
		for _, o := range hist {
			p.History = append(p.History, planHistoryOf(c, o))
		}
	} else {
		s.fail(c, err)
		return
	}
	s.planCapacity(c, v, &p)
	s.render(c, status, "plan", c.T("plan.title"), p)
}

// planRowOf explains a ranked row in the page's language.
func planRowOf(c *call, v *store.PlanView, r plan.Row) planRowView {
	it := r.Item
	row := planRowView{Rank: r.Rank, Kind: string(it.Kind), ItemID: it.ID, Ref: it.Ref, Title: it.Title,
		Customer: v.Customers[it.Customer].Code, Score: r.Score, FormID: fmt.Sprintf("ov-%s-%d", it.Kind, it.ID)}
	if it.Kind == plan.KindTicket {
		row.Link = "/tickets/" + it.Ref
	} else if it.Kind == plan.KindPreventive {
		row.Link = preventiveTaskURL(it.ID)
	} else if it.Task != nil {
		var pid int64
		if _, err := fmt.Sscanf(it.Ref, "P%d/", &pid); err == nil {
			row.Link = "/projects/" + strconv.FormatInt(pid, 10)
		}
	}
	for _, t := range r.Terms {
		row.Why = append(row.Why, fmt.Sprintf("%s (%s): %+d", c.T(t.Reason), t.Value, t.Contribution))
	}
	if o := v.OverrideOf(r); o != nil && r.Override != nil {
		row.OverrideID, row.Override = o.ID, overrideText(c, o.Override)
	}
	return row
}

func overrideText(c *call, o plan.Override) string {
	if o.Pin {
		return c.T("plan.pinned", o.By, o.Reason)
	}
	return c.T("plan.moved", o.Position, o.By, o.Reason)
}

func planHistoryOf(c *call, o *store.PlanOverride) planHistoryView {
	ref := strconv.FormatInt(o.Override.ID, 10)
	if o.Override.Kind == plan.KindPreventive {
		ref = store.PreventiveRef(o.Override.ID) // as its row names it
	}
	h := planHistoryView{Ref: c.T("plan.kind."+string(o.Override.Kind)) + " " + ref,
		Text: when(o.Override.At) + " — " + overrideText(c, o.Override), State: c.T("plan.history.current")}
	if !o.SupersededAt.IsZero() {
		h.State = c.T("plan.history.ended", when(o.SupersededAt), o.SupersededBy)
	}
	return h
}

// planCapacity fills the capacity table and the settings forms.
func (s *Server) planCapacity(c *call, v *store.PlanView, p *planPage) {
	cp := v.Capacity
	for _, w := range cp.Weeks {
		p.Weeks = append(p.Weeks, c.T("plan.capacity.week", w.Format("2006-01-02")))
	}
	line := func(name string, l plan.Line) planCapLine {
		out := planCapLine{Name: name, Total: capCell(c, l.Total)}
		for _, cell := range l.Weeks {
			out.Cells = append(out.Cells, capCell(c, cell))
		}
		return out
	}
	for _, l := range cp.Levels {
		p.CapLevels = append(p.CapLevels, line(string(l.Level), l))
	}
	for _, l := range cp.Agents {
		p.CapAgents = append(p.CapAgents, line(l.Name+" ("+string(l.Level)+")", l))
	}
	p.CapTotal = line(c.T("plan.capacity.total"), cp.Total)
	p.Unestimated, p.Beyond = cp.Unestimated, cp.Beyond
	p.Charts = s.planCharts(c, cp)
	for _, a := range v.Agents {
		sv := planSettingsView{ID: a.Agent.ID, Name: a.Agent.Name, Level: string(a.Agent.Level), Set: a.Set,
			Hours: strconv.FormatFloat(float64(a.Agent.WeeklyMinutes)/60, 'f', -1, 64), Percent: a.Agent.Percent,
			Absences: a.Absences}
		id := strconv.FormatInt(a.Agent.ID, 10)
		switch {
		case p.Form != nil && (p.Form.ID == "cap-"+id || p.Form.ID == "abs-"+id):
			sv.Form = p.Form
		default:
			sv.Form = newForm("agent-"+id, nil)
		}
		p.Settings = append(p.Settings, sv)
	}
}

func capCell(c *call, cell plan.Cell) planCapCell {
	return planCapCell{Text: c.T("plan.capacity.cell", cell.Load(), cell.Capacity), Over: cell.Over}
}

// planOverride pins or moves an item (ops managers).
func (s *Server) planOverride(c *call) {
	kind, id := c.r.PostForm.Get("kind"), c.r.PostForm.Get("id")
	f := newForm("ov-"+kind+"-"+id, c.r.PostForm)
	o := plan.Override{Kind: plan.Kind(kind), Reason: strings.TrimSpace(f.Get("reason"))}
	o.ID, _ = strconv.ParseInt(id, 10, 64)
	if f.Get("action") == "pin" {
		o.Pin = true
	} else if n, err := strconv.Atoi(strings.TrimSpace(f.Get("position"))); err == nil {
		o.Position = n
	}
	if _, err := s.db.AddPlanOverride(c.ctx, o); err != nil {
		// A message about the item itself (kind, id: closed since) shows at the top of the form.
		s.actionError(c, f, []string{"reason", "position"}, err, func(status int) { s.showPlan(c, status, f) })
		return
	}
	c.redirect("/plan?done=plan_override")
}

// planUnpin ends a current pin or move (ops managers).
func (s *Server) planUnpin(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	if err := s.db.RemovePlanOverride(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect("/plan?done=plan_unpinned")
}

// planSetCapacity saves an agent's weekly hours and Ops share (ops managers).
func (s *Server) planSetCapacity(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("cap-"+strconv.FormatInt(id, 10), c.r.PostForm)
	hours, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(f.Get("hours")), ",", ".", 1), 64)
	if err != nil {
		f.Fail("hours", c.T("plan.settings.hours_invalid"))
		s.showPlan(c, http.StatusUnprocessableEntity, f)
		return
	}
	pct, err := strconv.ParseInt(strings.TrimSpace(f.Get("percent")), 10, 64)
	if err != nil {
		pct = -1 // refused by the store, naming the field
	}
	if err := s.db.SetAgentCapacity(c.ctx, id, int64(hours*60+0.5), pct); err != nil {
		field := opsdesk.ErrorField(err)
		if field == "weekly_minutes" {
			field = "hours"
		}
		s.fieldError(c, f, field, err, func(status int) { s.showPlan(c, status, f) })
		return
	}
	c.redirect("/plan?done=plan_capacity")
}

// planAddAbsence records an agent's absence (ops managers).
func (s *Server) planAddAbsence(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("abs-"+strconv.FormatInt(id, 10), c.r.PostForm)
	if _, err := s.db.AddAgentAbsence(c.ctx, id, f.Get("from"), f.Get("to"), f.Get("reason")); err != nil {
		s.formError(c, f, err, func(status int) { s.showPlan(c, status, f) })
		return
	}
	c.redirect("/plan?done=plan_absence")
}

// planRemoveAbsence deletes an absence (ops managers).
func (s *Server) planRemoveAbsence(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	if err := s.db.RemoveAgentAbsence(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect("/plan?done=plan_absence")
}
