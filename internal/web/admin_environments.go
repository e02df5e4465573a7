package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// addEnvironment adds an environment to the customer of the page.
func (s *Server) addEnvironment(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("env", c.r.PostForm)
	e := envFromForm(f, id)
	if err := s.db.CreateEnvironment(c.ctx, e); err != nil {
		s.formError(c, f, err, func(status int) { s.showCustomer(c, status, id, customerForms{env: f}) })
		return
	}
	c.redirect(customerURL(id) + "?done=env_added#environments")
}

// envEditPage is the data of an environment's edit form.
type envEditPage struct {
	Customer        *opsdesk.Customer
	Env             *opsdesk.Environment
	Form            *form
	Kinds, Statuses []option
}

// findEnvironment returns environment eid of customer id; one of another customer is not found.
func (s *Server) findEnvironment(c *call) (*opsdesk.Customer, *opsdesk.Environment, bool) {
	id, ok1 := pathID(c, "id")
	eid, ok2 := pathID(c, "eid")
	if !ok1 || !ok2 {
		s.notFound(c)
		return nil, nil, false
	}
	e, err := s.db.EnvironmentByID(c.ctx, eid)
	if err == nil && e.CustomerID != id {
		err = opsdesk.NotFound("no environment %d for customer %d", eid, id)
	}
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	cu, err := s.db.CustomerByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	return cu, e, true
}

func (s *Server) showEnvironment(c *call, status int, cu *opsdesk.Customer, e *opsdesk.Environment, f *form) {
	s.render(c, status, "environment_edit", c.T("env.edit_title", e.Name), envEditPage{
		Customer: cu, Env: e, Form: f, Kinds: envKindOptions(c), Statuses: envStatusOptions(c),
	})
}

// editEnvironment shows an environment's form.
func (s *Server) editEnvironment(c *call) {
	cu, e, ok := s.findEnvironment(c)
	if !ok {
		return
	}
	v := url.Values{"kind": {string(e.Kind)}, "name": {e.Name}, "url": {e.URL}, "status": {string(e.Status)}, "notes": {e.Notes}}
	s.showEnvironment(c, http.StatusOK, cu, e, newForm("env", v))
}

// updateEnvironment saves an environment.
func (s *Server) updateEnvironment(c *call) {
	cu, e, ok := s.findEnvironment(c)
	if !ok {
		return
	}
	f := newForm("env", c.r.PostForm)
	upd := envFromForm(f, cu.ID)
	upd.ID = e.ID
	if err := s.db.UpdateEnvironment(c.ctx, upd); err != nil {
		s.formError(c, f, err, func(status int) { s.showEnvironment(c, status, cu, e, f) })
		return
	}
	c.redirect(customerURL(cu.ID) + "?done=saved#environments")
}

func envFromForm(f *form, customerID int64) *opsdesk.Environment {
	return &opsdesk.Environment{CustomerID: customerID, Kind: opsdesk.EnvKind(f.Get("kind")), Name: f.Get("name"),
		URL: f.Get("url"), Status: opsdesk.EnvStatus(f.Get("status")), Notes: strings.TrimSpace(f.Get("notes"))}
}
