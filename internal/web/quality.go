package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// qualityRow is one target of the list with its latest evaluation, figures already written
// for the call's language.
type qualityRow struct {
	Target              *opsdesk.QualityTarget
	Indicator, Customer string
	Severity, Goal      string
	Last                *opsdesk.QualityResult
	Value, Period       string
}

// qualityTargetsPage is the data of /admin/quality-targets: the targets and the form adding one.
type qualityTargetsPage struct {
	Rows    []qualityRow
	Form    *form
	Choices qualityChoices
}

// qualityTargetPage is the data of a target's page: its edit form and its results.
type qualityTargetPage struct {
	Row     qualityRow
	Results []qualityRow
	Form    *form
	Choices qualityChoices
}

// qualityChoices are the select inputs of the target form.
type qualityChoices struct {
	Indicators, Severities, Customers, Comparators, Periods []option
}

// qualityTargets lists the quality targets with each one's last result (ops managers and admins).
func (s *Server) qualityTargets(c *call) { s.showQualityTargets(c, http.StatusOK, nil) }

func (s *Server) showQualityTargets(c *call, status int, f *form) {
	targets, err := s.db.QualityTargets(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	last, err := s.db.LastQualityResults(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	names, err := s.qualityNames(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f == nil {
		f = newForm("quality", url.Values{"comparator": {opsdesk.CompareAtLeast}, "period": {opsdesk.PeriodMonth}, "active": {"on"}})
	}
	page := qualityTargetsPage{Form: f, Choices: names.choices(c)}
	for _, t := range targets {
		page.Rows = append(page.Rows, names.row(c, t, last[t.ID]))
	}
	s.render(c, status, "quality_targets", c.T("quality.title"), page)
}

// createQualityTarget adds a target from the form.
func (s *Server) createQualityTarget(c *call) {
	f := newForm("quality", c.r.PostForm)
	t := &opsdesk.QualityTarget{}
	if !qualityFromForm(c, f, t) {
		s.showQualityTargets(c, http.StatusUnprocessableEntity, f)
		return
	}
	if err := s.db.SaveQualityTarget(c.ctx, t); err != nil {
		s.formError(c, f, err, func(status int) { s.showQualityTargets(c, status, f) })
		return
	}
	c.redirect("/admin/quality-targets?done=created")
}

// qualityTarget shows a target's edit form and its evaluations, the latest period first.
func (s *Server) qualityTarget(c *call) {
	t, ok := s.qualityTargetOf(c)
	if !ok {
		return
	}
	v := url.Values{"indicator": {string(t.Indicator)}, "severity": {t.Severity}, "comparator": {t.Comparator},
		"threshold": {qualityNumber(t.Threshold)}, "period": {t.Period}}
	if t.CustomerID != 0 {
		v.Set("customer", strconv.FormatInt(t.CustomerID, 10))
	}
	if t.Active {
		v.Set("active", "on")
	}
	s.showQualityTarget(c, http.StatusOK, t, newForm("quality", v))
}

// updateQualityTarget saves the form over a target; unticking "active" deactivates it.
func (s *Server) updateQualityTarget(c *call) {
	t, ok := s.qualityTargetOf(c)
	if !ok {
		return
	}
	shown := *t
	f := newForm("quality", c.r.PostForm)
	if !qualityFromForm(c, f, t) {
		s.showQualityTarget(c, http.StatusUnprocessableEntity, &shown, f)
		return
	}
	if err := s.db.SaveQualityTarget(c.ctx, t); err != nil {
		s.formError(c, f, err, func(status int) { s.showQualityTarget(c, status, &shown, f) })
		return
	}
	c.redirect("/admin/quality-targets?done=saved")
}

func (s *Server) showQualityTarget(c *call, status int, t *opsdesk.QualityTarget, f *form) {
	results, err := s.db.QualityResults(c.ctx, t.ID, 24)
	if err != nil {
		s.fail(c, err)
		return
	}
	names, err := s.qualityNames(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var last *opsdesk.QualityResult
	if len(results) > 0 {
		last = results[0]
	}
	page := qualityTargetPage{Row: names.row(c, t, last), Form: f, Choices: names.choices(c)}
	for _, r := range results {
		page.Results = append(page.Results, names.row(c, t, r))
	}
	s.render(c, status, "quality_target", c.T("quality.edit_title", page.Row.Indicator), page)
}

// qualityTargetOf reads the target of the path, answering not found itself.
func (s *Server) qualityTargetOf(c *call) (*opsdesk.QualityTarget, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return nil, false
	}
	t, err := s.db.QualityTarget(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return t, true
}

// qualityFromForm reads the form into t; false when the threshold or customer is not even a
// number (the message is on the field). The rest is the store's to validate.
func qualityFromForm(c *call, f *form, t *opsdesk.QualityTarget) bool {
	t.Indicator = opsdesk.QualityIndicator(strings.TrimSpace(f.Get("indicator")))
	t.Severity = strings.TrimSpace(f.Get("severity"))
	t.Comparator, t.Period = f.Get("comparator"), f.Get("period")
	t.Active = f.Get("active") != ""
	t.CustomerID = 0
	if v := strings.TrimSpace(f.Get("customer")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			f.Fail("customer", c.T("quality.bad_customer"))
			return false
		}
		t.CustomerID = id
	}
	th, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(f.Get("threshold")), ",", "."), 64)
	if err != nil {
		f.Fail("threshold", c.T("quality.bad_threshold"))
		return false
	}
	t.Threshold = th
	return true
}
