package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the staff forms of an environment's page about access grants, maintenance
// windows and what the customer is shown, and the list of expired grants to revoke.

// grantAccess gives a member of the vendor's team an access (ops managers and admins: the
// store refuses anyone else).
func (s *Server) grantAccess(c *call) {
	e, ok := s.envFor(c)
	if !ok {
		return
	}
	f := newForm("grant", c.r.PostForm)
	g := &opsdesk.AccessGrant{EnvironmentID: e.ID, Kind: opsdesk.AccessKind(f.Get("kind")), Reason: f.Get("reason"), TicketKey: f.Get("ticket")}
	var err error
	if g.UserID, err = formInt(f, "user"); err == nil {
		g.ExpiresAt, err = formTime(f, "expires_at")
	}
	if err == nil {
		err = s.db.GrantAccess(c.ctx, g)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showEnv(c, status, e, envForms{grant: f}) })
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_access_granted#access")
}

// revokeAccess ends a grant; from the list of expired grants, it goes back there.
func (s *Server) revokeAccess(c *call) {
	e, ok := s.envFor(c)
	if !ok {
		return
	}
	gid, ok := pathID(c, "gid")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("revoke-"+strconv.FormatInt(gid, 10), c.r.PostForm)
	if _, err := s.db.RevokeAccess(c.ctx, e.ID, gid, strings.TrimSpace(f.Get("reason"))); err != nil {
		s.actionError(c, f, []string{"reason"}, err, func(status int) {
			s.showEnv(c, status, e, envForms{revoke: f, revokeID: gid})
		})
		return
	}
	if f.Get("from") == "expired" {
		c.redirect("/environments/access/expired?done=env_access_revoked")
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_access_revoked#access")
}

// expiredRow is one grant of the revocation list, with its environment.
type expiredRow struct {
	Grant    *opsdesk.AccessGrant
	Env      *opsdesk.Environment
	Customer *opsdesk.Customer
}

// expiredGrants lists the grants past their expiry and not revoked, across customers.
func (s *Server) expiredGrants(c *call) {
	gs, err := s.db.ListExpiredGrants(c.ctx, s.db.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	envs := map[int64]*opsdesk.Environment{}
	custs := map[int64]*opsdesk.Customer{}
	var rows []expiredRow
	for _, g := range gs {
		e := envs[g.EnvironmentID]
		if e == nil {
			if e, err = s.db.EnvironmentByID(c.ctx, g.EnvironmentID); err != nil {
				s.fail(c, err)
				return
			}
			envs[e.ID] = e
		}
		cu := custs[e.CustomerID]
		if cu == nil {
			if cu, err = s.db.CustomerByID(c.ctx, e.CustomerID); err != nil {
				s.fail(c, err)
				return
			}
			custs[cu.ID] = cu
		}
		rows = append(rows, expiredRow{Grant: g, Env: e, Customer: cu})
	}
	s.render(c, http.StatusOK, "env_expired", c.T("env.expired.title"), rows)
}

// windowFromForm reads a maintenance window.
func windowFromForm(f *form, envID int64) (*opsdesk.MaintenanceWindow, error) {
	w := &opsdesk.MaintenanceWindow{EnvironmentID: envID, Title: f.Get("title"), Notes: strings.TrimSpace(f.Get("notes"))}
	var err error
	if w.StartsAt, err = formTime(f, "starts_at"); err != nil {
		return nil, err
	}
	if w.EndsAt, err = formTime(f, "ends_at"); err != nil {
		return nil, err
	}
	return w, nil
}

// addWindow plans a maintenance window.
func (s *Server) addWindow(c *call) {
	e, ok := s.envFor(c)
	if !ok {
		return
	}
	f := newForm("window", c.r.PostForm)
	w, err := windowFromForm(f, e.ID)
	if err == nil {
		err = s.db.CreateMaintenance(c.ctx, w)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showEnv(c, status, e, envForms{window: f}) })
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_window_added#maintenance")
}

// envWindowView is the data of a maintenance window's edit page.
type envWindowView struct {
	Env    *opsdesk.Environment
	Window *opsdesk.MaintenanceWindow
	Form   *form
}

// findWindow reads the environment and the window of the path (not over yet: past windows are
// history, not edited); a window of another environment is not found.
func (s *Server) findWindow(c *call) (*opsdesk.Environment, *opsdesk.MaintenanceWindow, bool) {
	e, ok := s.envFor(c)
	if !ok {
		return nil, nil, false
	}
	wid, ok := pathID(c, "wid")
	if !ok {
		s.notFound(c)
		return nil, nil, false
	}
	ws, err := s.db.ListMaintenance(c.ctx, e.ID, s.db.Now())
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	for _, w := range ws {
		if w.ID == wid {
			return e, w, true
		}
	}
	s.notFound(c)
	return nil, nil, false
}

func (s *Server) showWindow(c *call, status int, e *opsdesk.Environment, w *opsdesk.MaintenanceWindow, f *form) {
	s.render(c, status, "env_window", w.Title, envWindowView{Env: e, Window: w, Form: f})
}

// editWindow shows a maintenance window's form.
func (s *Server) editWindow(c *call) {
	e, w, ok := s.findWindow(c)
	if !ok {
		return
	}
	v := url.Values{"title": {w.Title}, "notes": {w.Notes},
		"starts_at": {w.StartsAt.UTC().Format(formTimeLayout)}, "ends_at": {w.EndsAt.UTC().Format(formTimeLayout)}}
	s.showWindow(c, http.StatusOK, e, w, newForm("window", v))
}

// updateWindow saves a maintenance window.
func (s *Server) updateWindow(c *call) {
	e, w, ok := s.findWindow(c)
	if !ok {
		return
	}
	f := newForm("window", c.r.PostForm)
	upd, err := windowFromForm(f, e.ID)
	if err == nil {
		upd.ID = w.ID
		err = s.db.UpdateMaintenance(c.ctx, upd)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showWindow(c, status, e, w, f) })
		return
	}
	c.redirect(envURL(e.ID) + "?done=saved#maintenance")
}

// deleteWindow cancels a maintenance window.
func (s *Server) deleteWindow(c *call) {
	e, w, ok := s.findWindow(c)
	if !ok {
		return
	}
	if err := s.db.DeleteMaintenance(c.ctx, e.ID, w.ID); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_window_deleted#maintenance")
}

// visibilityValues are the checkboxes of the visibility form for v.
func visibilityValues(v opsdesk.EnvVisibility) url.Values {
	out := url.Values{}
	for name, on := range map[string]bool{"show_servers": v.ShowServers, "show_versions": v.ShowVersions,
		"show_availability": v.ShowAvailability, "show_access": v.ShowAccess} {
		if on {
			out.Set(name, "on")
		}
	}
	return out
}

// setVisibility saves what the customer is shown (ops managers and admins).
func (s *Server) setVisibility(c *call) {
	e, ok := s.envFor(c)
	if !ok {
		return
	}
	f := newForm("visibility", c.r.PostForm)
	v := opsdesk.EnvVisibility{ShowServers: f.Get("show_servers") != "", ShowVersions: f.Get("show_versions") != "",
		ShowAvailability: f.Get("show_availability") != "", ShowAccess: f.Get("show_access") != ""}
	if _, err := s.db.SetEnvironmentVisibility(c.ctx, e.ID, v); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_visibility_saved#visibility")
}
