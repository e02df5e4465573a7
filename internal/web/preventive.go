package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Recurring preventive work (docs/plan.md "Preventive work"): the list of schedules with their
// next occurrences and the form creating or editing one (ops managers and admins write; the
// store refuses the others), and the occurrences still to do over the next 8 weeks.

// preventivePage is the data of /preventive.
type preventivePage struct {
	Schedules []preventiveScheduleView
	Upcoming  []preventiveTaskView
	Form      *form // the create or edit form
	EditID    int64 // the schedule the form edits, 0 when it creates
	Kinds     []option
	Units     []option
	Levels    []option
	Customers []option
	Envs      []option
	Assignees []option
}

// preventiveScheduleView is one schedule of the list.
type preventiveScheduleView struct {
	S        *opsdesk.PreventiveSchedule
	Customer string
	Assignee string
	Every    string
	Next     []preventiveTaskView
}

// preventiveTaskView is one occurrence in a list.
type preventiveTaskView struct {
	T        *opsdesk.PreventiveTask
	Ref      string
	Link     string
	Customer string
	Assignee string
	Status   string
}

func preventiveTaskURL(id int64) string { return "/preventive/tasks/" + strconv.FormatInt(id, 10) }

// preventiveNames turns ids into customer codes and user names for the pages.
type preventiveNames struct {
	customers map[int64]string
	users     map[int64]string
}

func (s *Server) preventiveNames(c *call) (*preventiveNames, error) {
	n := &preventiveNames{customers: map[int64]string{}, users: map[int64]string{}}
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return nil, err
	}
	for _, cu := range cs {
		n.customers[cu.ID] = cu.Code
	}
	us, err := s.db.ListUsers(c.ctx, store.UserFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		if u.Role.Staff() {
			n.users[u.ID] = nameOf(u)
		}
	}
	return n, nil
}

func (n *preventiveNames) customer(c *call, id int64) string {
	if id == 0 {
		return c.T("preventive.vendor")
	}
	return n.customers[id]
}

func (n *preventiveNames) task(c *call, t *opsdesk.PreventiveTask) preventiveTaskView {
	return preventiveTaskView{T: t, Ref: store.PreventiveRef(t.ID), Link: preventiveTaskURL(t.ID),
		Customer: n.customer(c, t.CustomerID), Assignee: n.users[t.AssigneeID], Status: c.T("preventive.status." + string(t.Status))}
}

// preventive shows the list, with the edit form when ?edit= names a schedule.
func (s *Server) preventive(c *call) {
	var f *form
	edit := queryID(c, "edit")
	if edit != 0 {
		sc, err := s.db.PreventiveSchedule(c.ctx, edit)
		if err != nil {
			s.fail(c, err)
			return
		}
		f = newForm("pv", scheduleValues(sc))
	}
	s.showPreventive(c, http.StatusOK, f, edit)
}

// scheduleValues are a schedule's fields as form values.
func scheduleValues(sc *opsdesk.PreventiveSchedule) url.Values {
	v := url.Values{"kind": {string(sc.Kind)}, "title": {sc.Title}, "description": {sc.Description},
		"customer": {id64(sc.CustomerID)}, "environment": {id64(sc.EnvironmentID)}, "every": {strconv.Itoa(sc.Every)},
		"unit": {string(sc.Unit)}, "first_day": {sc.FirstDay}, "estimate_hours": {strconv.FormatFloat(sc.EstimateHours, 'f', -1, 64)},
		"assignee": {id64(sc.AssigneeID)}, "level": {string(sc.Level)}}
	if sc.Active {
		v.Set("active", "on")
	}
	return v
}

func (s *Server) showPreventive(c *call, status int, f *form, editID int64) {
	if f == nil {
		f = newForm("pv", url.Values{"every": {"1"}, "unit": {string(opsdesk.UnitMonths)}, "level": {string(opsdesk.LevelN2)},
			"first_day": {s.db.Now().Format(time.DateOnly)}})
	}
	p := preventivePage{Form: f, EditID: editID}
	names, err := s.preventiveNames(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	list, err := s.db.PreventiveSchedules(c.ctx, 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	today := s.db.Now().Format(time.DateOnly)
	open, err := s.db.PreventiveTasks(c.ctx, store.PreventiveTaskFilter{OpenOnly: true,
		To: s.db.Now().Add(store.PreventiveHorizon).Format(time.DateOnly)})
	if err != nil {
		s.fail(c, err)
		return
	}
	next := map[int64][]preventiveTaskView{}
	for _, t := range open {
		v := names.task(c, t)
		p.Upcoming = append(p.Upcoming, v)
		if t.DueDay >= today && len(next[t.ScheduleID]) < 3 {
			next[t.ScheduleID] = append(next[t.ScheduleID], v)
		}
	}
	for _, sc := range list {
		p.Schedules = append(p.Schedules, preventiveScheduleView{S: sc, Customer: names.customer(c, sc.CustomerID),
			Assignee: names.users[sc.AssigneeID], Every: c.T("preventive.every."+string(sc.Unit), sc.Every), Next: next[sc.ID]})
	}
	if err := s.preventiveOptions(c, &p, names); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "preventive", c.T("preventive.title"), p)
}

// preventiveOptions fills the choices of the schedule form.
func (s *Server) preventiveOptions(c *call, p *preventivePage, names *preventiveNames) error {
	for _, k := range opsdesk.PreventiveKinds {
		p.Kinds = append(p.Kinds, option{Value: string(k), Label: c.T("preventive.kind." + string(k))})
	}
	for _, u := range []opsdesk.PreventiveUnit{opsdesk.UnitWeeks, opsdesk.UnitMonths} {
		p.Units = append(p.Units, option{Value: string(u), Label: c.T("preventive.unit." + string(u))})
	}
	for _, l := range opsdesk.Levels {
		p.Levels = append(p.Levels, option{Value: string(l), Label: string(l)})
	}
	p.Customers = []option{{Value: "", Label: c.T("preventive.vendor")}}
	p.Envs = []option{{Value: "", Label: c.T("preventive.no_environment")}}
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return err
	}
	for _, cu := range cs {
		p.Customers = append(p.Customers, option{Value: id64(cu.ID), Label: cu.Code + " — " + cu.Name})
		envs, err := s.db.ListEnvironments(c.ctx, cu.ID)
		if err != nil {
			return err
		}
		for _, e := range envs {
			p.Envs = append(p.Envs, option{Value: id64(e.ID), Label: cu.Code + " — " + e.Name})
		}
	}
	p.Assignees = []option{{Value: "", Label: c.T("preventive.unassigned")}}
	for id, name := range names.users {
		p.Assignees = append(p.Assignees, option{Value: id64(id), Label: name})
	}
	slices.SortFunc(p.Assignees[1:], func(a, b option) int { return cmp.Compare(a.Label, b.Label) })
	return nil
}

// saveSchedule creates a schedule (POST /preventive/schedules) or changes one (POST
// /preventive/schedules/{id}), then goes back to the list.
func (s *Server) saveSchedule(c *call) {
	f := newForm("pv", c.r.PostForm)
	var id int64
	if c.r.PathValue("id") != "" {
		var ok bool
		if id, ok = pathID(c, "id"); !ok {
			s.notFound(c)
			return
		}
	}
	every, err := strconv.Atoi(strings.TrimSpace(f.Get("every")))
	if err != nil {
		f.Fail("every", c.T("preventive.error.number"))
	}
	est, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(f.Get("estimate_hours")), ",", "."), 64)
	if err != nil && strings.TrimSpace(f.Get("estimate_hours")) != "" {
		f.Fail("estimate_hours", c.T("preventive.error.number"))
	}
	if f.Failed() {
		s.showPreventive(c, http.StatusUnprocessableEntity, f, id)
		return
	}
	sc := &opsdesk.PreventiveSchedule{ID: id, Kind: opsdesk.PreventiveKind(f.Get("kind")), Title: f.Get("title"),
		Description: f.Get("description"), CustomerID: formID(f, "customer"), EnvironmentID: formID(f, "environment"),
		Every: every, Unit: opsdesk.PreventiveUnit(f.Get("unit")), FirstDay: strings.TrimSpace(f.Get("first_day")),
		EstimateHours: est, AssigneeID: formID(f, "assignee"), Level: opsdesk.Level(f.Get("level")), Active: f.Get("active") != ""}
	if id == 0 {
		err = s.db.CreatePreventiveSchedule(c.ctx, sc)
	} else {
		err = s.db.UpdatePreventiveSchedule(c.ctx, sc)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showPreventive(c, status, f, id) })
		return
	}
	c.redirect("/preventive#schedule-" + id64(sc.ID))
}
