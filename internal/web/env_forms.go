package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// This file holds the staff forms of an environment's page about its servers and deployments.
// Each posts, redirects back to the page on success, and re-renders the page (or the server's
// own page) with the input and the field's message on failure.

// envURL is the page of environment id.
func envURL(id int64) string { return "/environments/" + strconv.FormatInt(id, 10) }

// formTimeLayout is the value of a datetime-local input; the pages show and take UTC.
const formTimeLayout = "2006-01-02T15:04"

// formTime reads an optional datetime-local field, in UTC.
func formTime(f *form, name string) (time.Time, error) {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(formTimeLayout, v, time.UTC)
	if err != nil {
		if t, err = time.ParseInLocation(formTimeLayout+":05", v, time.UTC); err != nil {
			return time.Time{}, opsdesk.Invalid(name, "is not a date and time (YYYY-MM-DDTHH:MM, UTC)")
		}
	}
	return t, nil
}

// formInt reads an optional whole number field.
func formInt(f *form, name string) (int64, error) {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, opsdesk.Invalid(name, "is not a whole number")
	}
	return n, nil
}

func serverRoleOptions(c *call) []option {
	var out []option
	for _, r := range opsdesk.ServerRoles {
		out = append(out, option{Value: string(r), Label: c.T("env.role." + string(r))})
	}
	return out
}

func outcomeOptions(c *call, os []opsdesk.DeployOutcome) []option {
	var out []option
	for _, o := range os {
		out = append(out, option{Value: string(o), Label: c.T("env.outcome." + string(o))})
	}
	return out
}

func accessKindOptions(c *call) []option {
	var out []option
	for _, k := range opsdesk.AccessKinds {
		out = append(out, option{Value: string(k), Label: c.T("env.access." + string(k))})
	}
	return out
}

// holderOptions are the enabled staff users who may hold an access.
func (s *Server) holderOptions(c *call) ([]option, error) {
	us, err := s.db.ListUsers(c.ctx, store.UserFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: c.T("env.grant.choose")}}
	for _, u := range us {
		if u.Role.Staff() && !u.Disabled {
			out = append(out, option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " <" + u.Email + ">"})
		}
	}
	return out, nil
}

// serverFromForm reads a server; a malformed number is an invalid field.
func serverFromForm(f *form, envID int64) (*opsdesk.Server, error) {
	sv := &opsdesk.Server{EnvironmentID: envID, Hostname: f.Get("hostname"), Role: opsdesk.ServerRole(f.Get("role")),
		OS: f.Get("os"), OSVersion: f.Get("os_version"), Location: f.Get("location"), Notes: strings.TrimSpace(f.Get("notes"))}
	cpu, err := formInt(f, "cpu_cores")
	if err != nil {
		return nil, err
	}
	sv.CPUCores = int(cpu)
	if sv.MemoryMB, err = formInt(f, "memory_mb"); err != nil {
		return nil, err
	}
	if sv.DiskGB, err = formInt(f, "disk_gb"); err != nil {
		return nil, err
	}
	return sv, nil
}

// addServer adds a server to the environment.
func (s *Server) addServer(c *call) {
	e, ok := s.envFor(c)
	if !ok {
		return
	}
	f := newForm("server", c.r.PostForm)
	sv, err := serverFromForm(f, e.ID)
	if err == nil {
		err = s.db.CreateServer(c.ctx, sv)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showEnv(c, status, e, envForms{server: f}) })
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_server_added#servers")
}

// envServerView is the data of a server's edit page.
type envServerView struct {
	Env    *opsdesk.Environment
	Server *opsdesk.Server
	Form   *form
	Roles  []option
}

// findServer reads the environment and server of the path; a server of another environment is
// not found.
func (s *Server) findServer(c *call) (*opsdesk.Environment, *opsdesk.Server, bool) {
	e, ok := s.envFor(c)
	if !ok {
		return nil, nil, false
	}
	sid, ok := pathID(c, "sid")
	if !ok {
		s.notFound(c)
		return nil, nil, false
	}
	svs, err := s.db.ListServers(c.ctx, e.ID)
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	for _, sv := range svs {
		if sv.ID == sid {
			return e, sv, true
		}
	}
	s.notFound(c)
	return nil, nil, false
}

func (s *Server) showServer(c *call, status int, e *opsdesk.Environment, sv *opsdesk.Server, f *form) {
	s.render(c, status, "env_server", sv.Hostname, envServerView{Env: e, Server: sv, Form: f, Roles: serverRoleOptions(c)})
}

// editServer shows a server's form.
func (s *Server) editServer(c *call) {
	e, sv, ok := s.findServer(c)
	if !ok {
		return
	}
	v := url.Values{"hostname": {sv.Hostname}, "role": {string(sv.Role)}, "os": {sv.OS}, "os_version": {sv.OSVersion},
		"cpu_cores": {itoa(sv.CPUCores)}, "memory_mb": {strconv.FormatInt(sv.MemoryMB, 10)},
		"disk_gb": {strconv.FormatInt(sv.DiskGB, 10)}, "location": {sv.Location}, "notes": {sv.Notes}}
	s.showServer(c, http.StatusOK, e, sv, newForm("server", v))
}

// updateServer saves a server.
func (s *Server) updateServer(c *call) {
	e, sv, ok := s.findServer(c)
	if !ok {
		return
	}
	f := newForm("server", c.r.PostForm)
	upd, err := serverFromForm(f, e.ID)
	if err == nil {
		upd.ID = sv.ID
		err = s.db.UpdateServer(c.ctx, upd)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showServer(c, status, e, sv, f) })
		return
	}
	c.redirect(envURL(e.ID) + "?done=saved#servers")
}

// deleteServer removes a server.
func (s *Server) deleteServer(c *call) {
	e, sv, ok := s.findServer(c)
	if !ok {
		return
	}
	if err := s.db.DeleteServer(c.ctx, e.ID, sv.ID); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_server_deleted#servers")
}

// recordDeployment records a deployment; the promotion path's refusal shows on the version.
func (s *Server) recordDeployment(c *call) {
	e, ok := s.envFor(c)
	if !ok {
		return
	}
	f := newForm("deploy", c.r.PostForm)
	d := &opsdesk.Deployment{EnvironmentID: e.ID, Component: f.Get("component"), ToVersion: f.Get("version"),
		FromVersion: f.Get("from_version"), Outcome: opsdesk.DeployOutcome(f.Get("outcome")), TicketKey: f.Get("ticket"),
		Notes: strings.TrimSpace(f.Get("notes")), EmergencyReason: f.Get("emergency_reason")}
	var err error
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"planned_at", &d.PlannedAt}, {"started_at", &d.StartedAt}, {"finished_at", &d.FinishedAt}} {
		if err == nil {
			*t.to, err = formTime(f, t.name)
		}
	}
	if err == nil {
		err = s.db.RecordDeployment(c.ctx, d)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showEnv(c, status, e, envForms{deploy: f}) })
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_deployed#deployments")
}

// advanceDeployment moves a planned or running deployment on.
func (s *Server) advanceDeployment(c *call) {
	e, ok := s.envFor(c)
	if !ok {
		return
	}
	did, ok := pathID(c, "did")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("advance-"+strconv.FormatInt(did, 10), c.r.PostForm)
	_, err := s.db.AdvanceDeployment(c.ctx, e.ID, did, opsdesk.DeployOutcome(f.Get("outcome")), strings.TrimSpace(f.Get("emergency_reason")))
	if err != nil {
		s.actionError(c, f, []string{"outcome", "emergency_reason", "version"}, err, func(status int) {
			s.showEnv(c, status, e, envForms{advance: f, advanceID: did})
		})
		return
	}
	c.redirect(envURL(e.ID) + "?done=env_advanced#deployments")
}
