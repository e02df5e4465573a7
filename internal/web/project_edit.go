package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the project's own fields after creation: the edit page (name, manager, Ops
// lead, dates, environments; the customer and template stay, the priority is agreed on the
// project's page) and closing or reopening the whole project (a reason to reopen). Project
// managers, ops managers and admins; the store refuses the others.

// projectEditView is the data of the edit page.
type projectEditView struct {
	P               *opsdesk.Project
	Form            *form
	Managers, Leads []option
	Environments    []envChoice
}

// editProject shows the edit form of a project.
func (s *Server) editProject(c *call) {
	p, ok := s.projectFor(c)
	if !ok {
		return
	}
	if !runsProjects(c.actor()) {
		s.errorPage(c, http.StatusForbidden, "error.forbidden")
		return
	}
	v := url.Values{"name": {p.Name}, "manager": {strconv.FormatInt(p.ManagerID, 10)},
		"start_on": {p.StartOn.Format(time.DateOnly)}}
	if p.OpsLeadID != 0 {
		v.Set("ops_lead", strconv.FormatInt(p.OpsLeadID, 10))
	}
	if !p.TargetOn.IsZero() {
		v.Set("target_date", p.TargetOn.Format(time.DateOnly))
	}
	for _, id := range p.EnvironmentIDs {
		v.Add("environments", strconv.FormatInt(id, 10))
	}
	s.showEditProject(c, http.StatusOK, p, newForm("project", v))
}

func (s *Server) showEditProject(c *call, status int, p *opsdesk.Project, f *form) {
	v := &projectEditView{P: p, Form: f}
	var err error
	if v.Managers, err = s.userOptions(c, "project.choose", isProjectManager); err != nil {
		s.fail(c, err)
		return
	}
	if v.Leads, err = s.userOptions(c, "project.none", isStaffUser); err != nil {
		s.fail(c, err)
		return
	}
	es, err := s.db.ListEnvironments(c.ctx, p.CustomerID)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, e := range es {
		id := strconv.FormatInt(e.ID, 10)
		v.Environments = append(v.Environments, envChoice{ID: e.ID, Label: e.Name, Checked: f.Has("environments", id)})
	}
	s.render(c, status, "project_edit", p.Name, v)
}

// updateProject saves the project's fields.
func (s *Server) updateProject(c *call) {
	p, ok := s.projectFor(c)
	if !ok {
		return
	}
	f := newForm("project", c.r.PostForm)
	f.Values.Set("customer", strconv.FormatInt(p.CustomerID, 10))
	upd, err := projectFromForm(f)
	if err == nil {
		upd.ID = p.ID
		err = s.db.UpdateProject(c.ctx, upd)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showEditProject(c, status, p, f) })
		return
	}
	c.redirect(projectURL(p.ID) + "?done=saved")
}

// closeProject closes the project.
func (s *Server) closeProject(c *call) {
	s.projectAction(c, "project-close", nil, "project-head", "project_closed", func(p *opsdesk.Project, f *form) error {
		return s.db.SetProjectClosed(c.ctx, p.ID, true, "")
	})
}

// reopenProject reopens the project, with a reason.
func (s *Server) reopenProject(c *call) {
	s.projectAction(c, "project-reopen", []string{"reason"}, "project-head", "project_reopened", func(p *opsdesk.Project, f *form) error {
		return s.db.SetProjectClosed(c.ctx, p.ID, false, f.Get("reason"))
	})
}
