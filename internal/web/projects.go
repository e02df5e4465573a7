package web

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// This file holds the staff list of delivery projects (GET /projects, with the all-projects
// timeline) and the creation form (GET /projects/new, POST /projects). The store decides who may
// create a project (project managers, ops managers, admins); the page offers the form to them
// only. The project's own page is in project_page.go, its forms in project_forms.go and
// project_tasks.go, the timelines in project_gantt.go. docs/projects.md describes the model.

// projectURL is the page of project id.
func projectURL(id int64) string { return "/projects/" + strconv.FormatInt(id, 10) }

// runsProjects mirrors the store's rule, to offer the forms only to those who may use them.
func runsProjects(a opsdesk.Actor) bool { return a.Role == opsdesk.RoleProjectManager || a.CanManage() }

// projectRow is one line of the list.
type projectRow struct {
	P       *opsdesk.Project
	Status  opsdesk.StatusReport
	Reasons []string // in the reader's language, the first few
	More    int      // how many reasons are left out
}

// listReasons is how many reasons a row of the list shows.
const listReasons = 3

// projectsView is the data of the list page.
type projectsView struct {
	Rows                          []projectRow
	Filter                        *form
	Customers, Statuses, Managers []option
	Timeline                      template.HTML // the all-projects timeline
	CanCreate                     bool
}

// projectStatuses are the derived statuses, in the order the filter lists them.
var projectStatuses = []opsdesk.ProjectStatus{opsdesk.StatusOnTrack, opsdesk.StatusAtRisk, opsdesk.StatusLate, opsdesk.StatusDone}

// projects lists the projects, filtered by customer, manager and derived status.
func (s *Server) projects(c *call) {
	q := c.r.URL.Query()
	f := newForm("filter", url.Values{"customer": {q.Get("customer")}, "manager": {q.Get("manager")}, "status": {q.Get("status")}})
	filter := opsdesk.ProjectFilter{CustomerID: queryID(c, "customer"), ManagerID: queryID(c, "manager")}
	ps, err := s.db.ListProjects(c.ctx, filter)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := &projectsView{Filter: f, CanCreate: runsProjects(c.actor())}
	var data []projectData
	for _, p := range ps {
		st, err := s.db.ProjectStatusReport(c.ctx, p.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		if want := q.Get("status"); want != "" && string(st.Status) != want {
			continue
		}
		d, err := s.loadProjectData(c, p)
		if err != nil {
			s.fail(c, err)
			return
		}
		d.Status = st
		row := projectRow{P: p, Status: st, Reasons: localReasons(c, st, d.Items)}
		if len(row.Reasons) > listReasons {
			row.Reasons, row.More = row.Reasons[:listReasons], len(row.Reasons)-listReasons
		}
		v.Rows = append(v.Rows, row)
		data = append(data, d)
	}
	if v.Timeline, err = s.projectsChart(c, data); err != nil {
		s.internal(c, err)
		return
	}
	if v.Customers, err = s.customerOptions(c, "project.filter.any"); err != nil {
		s.fail(c, err)
		return
	}
	if v.Managers, err = s.userOptions(c, "project.filter.any", isProjectManager); err != nil {
		s.fail(c, err)
		return
	}
	v.Statuses = []option{{Value: "", Label: c.T("project.filter.any")}}
	for _, st := range projectStatuses {
		v.Statuses = append(v.Statuses, option{Value: string(st), Label: c.T("project.status." + string(st))})
	}
	s.render(c, http.StatusOK, "projects", c.T("project.list_title"), v)
}

// projectData is what a project's timeline is drawn from.
type projectData struct {
	P      *opsdesk.Project
	Status opsdesk.StatusReport
	Phases []*opsdesk.Phase
	Items  []*opsdesk.Item
	Tasks  []*opsdesk.Task
}

func (s *Server) loadProjectData(c *call, p *opsdesk.Project) (projectData, error) {
	d := projectData{P: p}
	var err error
	if d.Phases, err = s.db.Phases(c.ctx, p.ID); err != nil {
		return d, err
	}
	if d.Items, err = s.db.Items(c.ctx, p.ID); err != nil {
		return d, err
	}
	d.Tasks, err = s.db.Tasks(c.ctx, p.ID)
	return d, err
}

func isProjectManager(u *opsdesk.User) bool {
	return u.Role == opsdesk.RoleProjectManager || u.Role == opsdesk.RoleOpsManager || u.Role == opsdesk.RoleAdmin
}

func isStaffUser(u *opsdesk.User) bool { return u.Role.Staff() }

// userOptions are the enabled users keep accepts, after a first option labelled by the key
// (none when "").
func (s *Server) userOptions(c *call, first string, keep func(*opsdesk.User) bool) ([]option, error) {
	us, err := s.db.ListUsers(c.ctx, store.UserFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []option
	if first != "" {
		out = append(out, option{Value: "", Label: c.T(first)})
	}
	for _, u := range us {
		if keep(u) && !u.Disabled {
			out = append(out, option{Value: strconv.FormatInt(u.ID, 10), Label: cmp.Or(u.Name, u.Email)})
		}
	}
	return out, nil
}

// customerOptions are the customers, after a first option labelled by the key.
func (s *Server) customerOptions(c *call, first string) ([]option, error) {
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: c.T(first)}}
	for _, cu := range cs {
		out = append(out, option{Value: strconv.FormatInt(cu.ID, 10), Label: cu.Code + " — " + cu.Name})
	}
	return out, nil
}

// projectNewView is the data of the creation page.
type projectNewView struct {
	Form                                              *form
	Customers, Templates, Managers, Leads, Priorities []option
	Environments                                      []envChoice
}

// envChoice is a checkbox of the environments field.
type envChoice struct {
	ID       int64
	Label    string
	Customer string
	Checked  bool
}

// newProject shows the creation form; ?customer= preselects a customer (from its page).
func (s *Server) newProject(c *call) {
	if !runsProjects(c.actor()) {
		s.errorPage(c, http.StatusForbidden, "error.forbidden")
		return
	}
	v := url.Values{"priority": {string(opsdesk.PriorityNormal)}, "start_on": {s.db.Now().UTC().Format(time.DateOnly)},
		"manager": {strconv.FormatInt(c.actor().UserID, 10)}}
	if id := queryID(c, "customer"); id > 0 {
		v.Set("customer", strconv.FormatInt(id, 10))
	}
	if tpl, err := s.db.ProjectTemplate(c.ctx, ""); err == nil {
		v.Set("template", tpl.Code)
	}
	s.showNewProject(c, http.StatusOK, newForm("project", v))
}

func (s *Server) showNewProject(c *call, status int, f *form) {
	v := &projectNewView{Form: f}
	var err error
	if v.Customers, err = s.customerOptions(c, "project.choose"); err != nil {
		s.fail(c, err)
		return
	}
	tpls, err := s.db.ProjectTemplates(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, t := range tpls {
		name := t.NameEN
		if c.lang == opsdesk.LangFR && t.NameFR != "" {
			name = t.NameFR
		}
		v.Templates = append(v.Templates, option{Value: t.Code, Label: name})
	}
	if v.Managers, err = s.userOptions(c, "project.choose", isProjectManager); err != nil {
		s.fail(c, err)
		return
	}
	if v.Leads, err = s.userOptions(c, "project.none", isStaffUser); err != nil {
		s.fail(c, err)
		return
	}
	v.Priorities = priorityOptions(c)
	// The environments of every customer, grouped by customer: without JavaScript the form cannot
	// narrow them to the chosen customer; the store refuses another customer's.
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	chosen := queryIDValue(f.Get("customer"))
	for _, cu := range cs {
		if chosen != 0 && cu.ID != chosen {
			continue
		}
		es, err := s.db.ListEnvironments(c.ctx, cu.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, e := range es {
			id := strconv.FormatInt(e.ID, 10)
			v.Environments = append(v.Environments, envChoice{ID: e.ID, Label: e.Name, Customer: cu.Code, Checked: f.Has("environments", id)})
		}
	}
	s.render(c, status, "project_new", c.T("project.new_title"), v)
}

func queryIDValue(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func priorityOptions(c *call) []option {
	var out []option
	for _, p := range opsdesk.ProjectPriorities {
		out = append(out, option{Value: string(p), Label: c.T("project.priority." + string(p))})
	}
	return out
}

// formDay reads an optional date field (YYYY-MM-DD).
func formDay(f *form, name string) (time.Time, error) {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, time.UTC)
	if err != nil {
		return time.Time{}, opsdesk.Invalid(name, "must be a date YYYY-MM-DD")
	}
	return t, nil
}

// projectFromForm reads the creation form.
func projectFromForm(f *form) (*opsdesk.Project, error) {
	p := &opsdesk.Project{Name: f.Get("name"), Priority: opsdesk.ProjectPriority(f.Get("priority"))}
	var err error
	if p.CustomerID, err = formInt(f, "customer"); err != nil {
		return nil, err
	}
	if p.ManagerID, err = formInt(f, "manager"); err != nil {
		return nil, err
	}
	if p.OpsLeadID, err = formInt(f, "ops_lead"); err != nil {
		return nil, err
	}
	if p.StartOn, err = formDay(f, "start_on"); err != nil {
		return nil, err
	}
	if p.TargetOn, err = formDay(f, "target_date"); err != nil {
		return nil, err
	}
	for _, v := range f.Values["environments"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, opsdesk.Invalid("environments", "is not a whole number")
		}
		p.EnvironmentIDs = append(p.EnvironmentIDs, id)
	}
	return p, nil
}

// createProject creates a project from the chosen template.
func (s *Server) createProject(c *call) {
	f := newForm("project", c.r.PostForm)
	p, err := projectFromForm(f)
	if err == nil {
		err = s.db.CreateProject(c.ctx, p, f.Get("template"))
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showNewProject(c, status, f) })
		return
	}
	c.redirect(projectURL(p.ID) + "?done=project_created")
}
