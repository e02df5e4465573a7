package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// severitiesPage is the data of the severity scale, with the form adding a step.
type severitiesPage struct {
	Severities []*opsdesk.Severity
	Form       *form
	Types      []option
}

// severityPage is the data of a severity's edit form.
type severityPage struct {
	Severity *opsdesk.Severity
	Form     *form
	Types    []option
}

// severities shows the severity scale, most severe first. Ops managers read it; the store lets
// only admins change it.
func (s *Server) severities(c *call) { s.showSeverities(c, http.StatusOK, nil) }

func (s *Server) showSeverities(c *call, status int, f *form) {
	sevs, err := s.db.Severities(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f == nil {
		f = newForm("severity", url.Values{"rank": {strconv.Itoa(len(sevs) + 1)}, "default_type": {string(opsdesk.TypeIncident)}})
	}
	s.render(c, status, "severities", c.T("severity.list_title"), severitiesPage{Severities: sevs, Form: f, Types: typeOptions(c)})
}

// createSeverity adds a step to the scale; a code already in use is refused, not overwritten.
func (s *Server) createSeverity(c *call) {
	f := newForm("severity", c.r.PostForm)
	again := func(status int) { s.showSeverities(c, status, f) }
	sv := severityFromForm(f, strings.ToLower(strings.TrimSpace(f.Get("code"))))
	if old, err := s.findSeverity(c, sv.Code); err != nil {
		s.fail(c, err)
		return
	} else if old != nil {
		f.Fail("code", c.T("catalog.code_taken", sv.Code))
		again(http.StatusConflict)
		return
	}
	if err := s.db.SaveSeverity(c.ctx, sv); err != nil {
		s.formError(c, f, err, again)
		return
	}
	c.redirect("/admin/severities?done=created")
}

// editSeverity shows a severity's form.
func (s *Server) editSeverity(c *call) {
	sv, ok := s.severity(c)
	if !ok {
		return
	}
	v := url.Values{"label_fr": {sv.LabelFR}, "label_en": {sv.LabelEN}, "help_fr": {sv.HelpFR}, "help_en": {sv.HelpEN},
		"rank": {strconv.Itoa(sv.Rank)}, "default_type": {string(sv.DefaultType)}}
	if sv.RequiresImpact {
		v.Set("requires_impact", "on")
	}
	if sv.KBRequired {
		v.Set("kb_required", "on")
	}
	s.showSeverity(c, http.StatusOK, sv, newForm("severity", v))
}

// updateSeverity saves a severity's labels, explanations, rank and impact rule.
func (s *Server) updateSeverity(c *call) {
	sv, ok := s.severity(c)
	if !ok {
		return
	}
	f := newForm("severity", c.r.PostForm)
	if err := s.db.SaveSeverity(c.ctx, severityFromForm(f, sv.Code)); err != nil {
		s.formError(c, f, err, func(status int) { s.showSeverity(c, status, sv, f) })
		return
	}
	c.redirect("/admin/severities?done=saved")
}

func (s *Server) showSeverity(c *call, status int, sv *opsdesk.Severity, f *form) {
	s.render(c, status, "severity", c.T("severity.edit_title", sv.Code), severityPage{Severity: sv, Form: f, Types: typeOptions(c)})
}

// severity finds the severity of the path, answering not found itself.
func (s *Server) severity(c *call) (*opsdesk.Severity, bool) {
	sv, err := s.findSeverity(c, c.r.PathValue("code"))
	if err == nil && sv == nil {
		err = opsdesk.NotFound("no severity %q", c.r.PathValue("code"))
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return sv, true
}

func (s *Server) findSeverity(c *call, code string) (*opsdesk.Severity, error) {
	sevs, err := s.db.Severities(c.ctx)
	for _, sv := range sevs {
		if sv.Code == code {
			return sv, nil
		}
	}
	return nil, err
}

func severityFromForm(f *form, code string) *opsdesk.Severity {
	rank, _ := strconv.Atoi(strings.TrimSpace(f.Get("rank")))
	return &opsdesk.Severity{Code: code, Rank: rank, LabelFR: strings.TrimSpace(f.Get("label_fr")), LabelEN: strings.TrimSpace(f.Get("label_en")),
		HelpFR: strings.TrimSpace(f.Get("help_fr")), HelpEN: strings.TrimSpace(f.Get("help_en")),
		RequiresImpact: f.Get("requires_impact") != "", DefaultType: opsdesk.TicketType(f.Get("default_type")),
		KBRequired: f.Get("kb_required") != ""}
}
