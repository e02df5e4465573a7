package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the "Probes" section of an environment's page (docs/probes.md): the staff
// see each health probe with its state, ops managers and admins add, edit, enable and disable
// them (the store refuses anyone else). Forms post, redirect on success, and re-render with the
// input and the field's message on failure.

// probeSection is the data of the section, for staff.
type probeSection struct {
	Rows       []probeRow
	Manager    bool
	Form       *form // the add form
	Methods    []option
	Severities []option
}

// probeRow is a probe with what the section shows of its state.
type probeRow struct {
	*opsdesk.Probe
	State    string // up, down, unknown (never checked), disabled
	Incident string // the incident ticket's number, "" if none
}

// probeURL is the edit page of probe pid of environment envID.
func probeURL(envID, pid int64) string {
	return envURL(envID) + "/probes/" + strconv.FormatInt(pid, 10)
}

// probeSectionFor builds the section of the page v for staff (nil for customers); add is the
// add form that failed, or nil.
func (s *Server) probeSectionFor(c *call, v *envView, add *form) (*probeSection, error) {
	if !v.Staff {
		return nil, nil
	}
	ps := &probeSection{Manager: v.Manager, Form: orForm(add, "probe", probeDefaults())}
	incidents, err := s.db.ProbeIncidentKeys(c.ctx, v.Probes...)
	if err != nil {
		return nil, err
	}
	for _, p := range v.Probes {
		ps.Rows = append(ps.Rows, probeRow{Probe: p, State: probeState(p), Incident: incidents[p.IncidentTicketID]})
	}
	if v.Manager {
		ps.Methods = probeMethods()
		if ps.Severities, err = s.probeSeverities(c, v.Env); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// probeState names a probe's state for the page.
func probeState(p *opsdesk.Probe) string {
	switch {
	case !p.Enabled:
		return "disabled"
	case !p.DownSince.IsZero():
		return "down"
	case p.LastAt.IsZero():
		return "unknown"
	}
	return "up"
}

func probeMethods() []option {
	return []option{{Value: "GET", Label: "GET"}, {Value: "HEAD", Label: "HEAD"}}
}

// probeSeverities are the choices of a probe's severity: the environment kind's by default.
func (s *Server) probeSeverities(c *call, e *opsdesk.Environment) ([]option, error) {
	sevs, err := s.db.Severities(c.ctx)
	if err != nil {
		return nil, err
	}
	byKind := opsdesk.ProbeSeverity(e.Kind)
	out := []option{{Value: "", Label: c.T("probe.severity.kind", byKind)}}
	for _, sv := range sevs {
		label := sv.LabelEN
		if c.lang == opsdesk.LangFR {
			label = sv.LabelFR
		}
		out = append(out, option{Value: sv.Code, Label: label})
	}
	return out, nil
}

// probeDefaults are the values of an empty add form: the store's defaults, enabled.
func probeDefaults() url.Values {
	return url.Values{"method": {"GET"}, "expect_status": {"200"}, "timeout_seconds": {"10"}, "interval_seconds": {"60"},
		"threshold": {"3"}, "tls_warn_days": {"0"}, "enabled": {"on"}}
}

// probeValues are the values of the edit form of p.
func probeValues(p *opsdesk.Probe) url.Values {
	v := url.Values{"name": {p.Name}, "url": {p.URL}, "method": {p.Method}, "expect_status": {itoa(p.ExpectStatus)},
		"body_contains": {p.BodyContains}, "timeout_seconds": {strconv.FormatInt(int64(p.Timeout/time.Second), 10)},
		"interval_seconds": {strconv.FormatInt(int64(p.Interval/time.Second), 10)}, "threshold": {itoa(p.Threshold)},
		"tls_warn_days": {itoa(p.TLSWarnDays)}, "severity": {p.Severity}}
	if p.Enabled {
		v.Set("enabled", "on")
	}
	return v
}

// probeFromForm reads a probe's configuration; a malformed or negative number is an invalid
// field (zero would silently take the default).
func probeFromForm(f *form, p *opsdesk.Probe) error {
	p.Name, p.URL, p.Method = f.Get("name"), f.Get("url"), f.Get("method")
	p.BodyContains, p.Severity, p.Enabled = f.Get("body_contains"), f.Get("severity"), f.Get("enabled") != ""
	nums := []struct {
		name string
		to   func(n int64)
	}{
		{"expect_status", func(n int64) { p.ExpectStatus = int(n) }},
		{"timeout_seconds", func(n int64) { p.Timeout = time.Duration(n) * time.Second }},
		{"interval_seconds", func(n int64) { p.Interval = time.Duration(n) * time.Second }},
		{"threshold", func(n int64) { p.Threshold = int(n) }},
		{"tls_warn_days", func(n int64) { p.TLSWarnDays = int(n) }},
	}
	for _, x := range nums {
		n, err := formInt(f, x.name)
		if err != nil {
			return err
		}
		// Bounded well above the store's limits, so a huge number of seconds cannot wrap around.
		if n < 0 || n > 1<<31 || (n == 0 && x.name != "tls_warn_days" && strings.TrimSpace(f.Get(x.name)) != "") {
			return opsdesk.Invalid(x.name, "must be a positive whole number")
		}
		x.to(n)
	}
	return nil
}

// probeFieldError names the store's timeout field as the form does.
func probeFieldError(err error) error {
	if opsdesk.IsKind(err, opsdesk.KindInvalid) && opsdesk.ErrorField(err) == "timeout" {
		return opsdesk.Invalid("timeout_seconds", "%s", opsdesk.ErrorMessage(err))
	}
	return err
}

// addProbe adds a probe to the environment.
func (s *Server) addProbe(c *call) {
	e, ok := s.envFor(c)
	if !ok {
		return
	}
	f := newForm("probe", c.r.PostForm)
	p := &opsdesk.Probe{EnvironmentID: e.ID}
	err := probeFromForm(f, p)
	if err == nil {
		err = probeFieldError(s.db.CreateProbe(c.ctx, p))
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showEnv(c, status, e, envForms{probe: f}) })
		return
	}
	c.redirect(envURL(e.ID) + "?done=probe_added#probes")
}

// envProbeView is the data of a probe's edit page.
type envProbeView struct {
	Env        *opsdesk.Environment
	Probe      *opsdesk.Probe
	Form       *form
	Methods    []option
	Severities []option
}

// findProbe reads the environment and probe of the path; a probe of another environment is not
// found.
func (s *Server) findProbe(c *call) (*opsdesk.Environment, *opsdesk.Probe, bool) {
	e, ok := s.envFor(c)
	if !ok {
		return nil, nil, false
	}
	pid, ok := pathID(c, "pid")
	if !ok {
		s.notFound(c)
		return nil, nil, false
	}
	p, err := s.db.ProbeByID(c.ctx, pid)
	if err == nil && p.EnvironmentID != e.ID {
		err = opsdesk.NotFound("no probe %d on environment %d", pid, e.ID)
	}
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	return e, p, true
}

func (s *Server) showProbe(c *call, status int, e *opsdesk.Environment, p *opsdesk.Probe, f *form) {
	sevs, err := s.probeSeverities(c, e)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "env_probe", p.Name, envProbeView{Env: e, Probe: p, Form: f, Methods: probeMethods(), Severities: sevs})
}

// editProbe shows a probe's form.
func (s *Server) editProbe(c *call) {
	e, p, ok := s.findProbe(c)
	if !ok {
		return
	}
	s.showProbe(c, http.StatusOK, e, p, newForm("probe", probeValues(p)))
}

// updateProbe saves a probe's configuration; its state is kept.
func (s *Server) updateProbe(c *call) {
	e, p, ok := s.findProbe(c)
	if !ok {
		return
	}
	f := newForm("probe", c.r.PostForm)
	upd := *p
	err := probeFromForm(f, &upd)
	if err == nil {
		err = probeFieldError(s.db.UpdateProbe(c.ctx, &upd))
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showProbe(c, status, e, p, f) })
		return
	}
	c.redirect(envURL(e.ID) + "?done=probe_saved#probes")
}

// switchProbe enables or disables a probe (field enabled: "true" or "false").
func (s *Server) switchProbe(c *call) {
	e, p, ok := s.findProbe(c)
	if !ok {
		return
	}
	p.Enabled = c.r.PostForm.Get("enabled") == "true"
	if err := s.db.UpdateProbe(c.ctx, p); err != nil {
		s.fail(c, err)
		return
	}
	done := "probe_disabled"
	if p.Enabled {
		done = "probe_enabled"
	}
	c.redirect(envURL(e.ID) + "?done=" + done + "#probes")
}

// IntervalSeconds is the probe's interval in whole seconds.
func (r probeRow) IntervalSeconds() int64 { return int64(r.Interval / time.Second) }

// LastMS is the latency of the last check in milliseconds.
func (r probeRow) LastMS() int64 { return r.LastLatency.Milliseconds() }
