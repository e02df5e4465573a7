package web

import (
	"html/template"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/report"
)

// This file maps projects to the timeline renderer (internal/report, docs/report.md): the
// store's states become the renderer's, late work is red, and the today line is the store's
// clock. Project dates are calendar days at 00:00 UTC, which is what the renderer reads.

// itemState is the timeline state of a checklist item at now.
func itemState(it *opsdesk.Item, phaseClosed bool, now time.Time) report.State {
	switch {
	case it.Status == opsdesk.ItemValidated:
		return report.StateDone
	case it.Status == opsdesk.ItemWaived:
		return report.StateWaived
	case !phaseClosed && opsdesk.PastDay(it.DueOn, now):
		return report.StateLate
	case it.Status == opsdesk.ItemSubmitted:
		return report.StateInProgress
	}
	return report.StateTodo
}

// taskState is the timeline state of a task at now.
func taskState(t *opsdesk.Task, now time.Time) report.State {
	switch {
	case t.Status == opsdesk.TaskDone:
		return report.StateDone
	case opsdesk.PastDay(t.DueOn, now):
		return report.StateLate
	case t.Status == opsdesk.TaskInProgress:
		return report.StateInProgress
	}
	return report.StateTodo
}

// projectState is the timeline state of a whole project from its derived status.
func projectState(st opsdesk.ProjectStatus) report.State {
	switch st {
	case opsdesk.StatusDone:
		return report.StateDone
	case opsdesk.StatusLate:
		return report.StateLate
	}
	return report.StateInProgress
}

// span widens [from, to] to hold d (zero d is ignored).
func span(from, to *time.Time, d time.Time) {
	if d.IsZero() {
		return
	}
	if from.IsZero() || d.Before(*from) {
		*from = d
	}
	if to.IsZero() || d.After(*to) {
		*to = d
	}
}

// phaseRows are the rows of one project's phases, and with detail their items and tasks.
func phaseRows(c *call, d projectData, now time.Time, detail bool) []report.Row {
	var rows []report.Row
	prevEnd := d.P.StartOn
	for _, ph := range d.Phases {
		closed := ph.Status == opsdesk.PhaseClosed
		var from, to time.Time
		var sub []report.Row
		late, started, done, total := false, false, 0, 0
		for _, it := range d.Items {
			if it.PhaseID != ph.ID {
				continue
			}
			span(&from, &to, it.DueOn)
			st := itemState(it, closed, now)
			total++
			switch st {
			case report.StateDone, report.StateWaived:
				done++
				started = true
			case report.StateLate:
				late = true
			case report.StateInProgress:
				started = true
			}
			r := report.Row{Label: it.Title(c.lang), Level: report.LevelItem, State: st,
				Detail: c.T("project.item.status." + string(it.Status))}
			if !it.DueOn.IsZero() {
				r.Start, r.End = it.DueOn, it.DueOn
			}
			sub = append(sub, r)
		}
		for _, t := range d.Tasks {
			if t.PhaseCode != ph.Code {
				continue
			}
			span(&from, &to, t.DueOn)
			st := taskState(t, now)
			if st == report.StateLate {
				late = true
			}
			r := report.Row{Label: t.Title, Level: report.LevelItem, State: st, Milestone: t.Milestone && !t.DueOn.IsZero(),
				Detail: c.T("project.task.status." + string(t.Status))}
			if !t.DueOn.IsZero() {
				r.Start, r.End = t.DueOn, t.DueOn
			}
			sub = append(sub, r)
		}
		if !from.IsZero() && !prevEnd.IsZero() && prevEnd.Before(from) {
			from = prevEnd // a phase starts where the previous one ended
		}
		state := report.StateTodo
		switch {
		case closed:
			state = report.StateClosed
		case late:
			state = report.StateLate
		case started:
			state = report.StateInProgress
		}
		row := report.Row{Label: ph.Name(c.lang), Level: report.LevelPhase, State: state,
			Detail: c.T("project.phase.status." + string(ph.Status))}
		if !from.IsZero() {
			row.Start, row.End = from, to
			prevEnd = to
			if total > 0 {
				row.Progress = float64(done) / float64(total)
			}
		}
		rows = append(rows, row)
		if detail {
			rows = append(rows, sub...)
		}
	}
	return rows
}

// projectChart is the timeline of one project: phases, their items and tasks, milestones.
func (s *Server) projectChart(c *call, d projectData) (template.HTML, error) {
	now := s.db.Now()
	rows := []report.Row{projectRowOf(c, d, now)}
	rows = append(rows, phaseRows(c, d, now, true)...)
	if !d.P.TargetOn.IsZero() {
		state := report.StateTodo
		switch {
		case d.Status.Status == opsdesk.StatusDone:
			state = report.StateDone
		case opsdesk.PastDay(d.P.TargetOn, now):
			state = report.StateLate
		}
		rows = append(rows, report.Row{Label: c.T("project.f.target_date"), Level: report.LevelProject, Milestone: true,
			Start: d.P.TargetOn, State: state})
	}
	return report.Gantt(report.Chart{ID: "timeline", Title: c.T("project.timeline"), Desc: c.T("project.timeline.desc", d.P.Name),
		Empty: c.T("project.timeline.empty"), TodayLabel: c.T("project.today"), Locale: report.LocaleFor(c.lang),
		Today: now, Rows: rows})
}

// projectRowOf is a project's own row: from its start to its target (or its last due day).
func projectRowOf(c *call, d projectData, now time.Time) report.Row {
	from, to := d.P.StartOn, d.P.TargetOn
	for _, it := range d.Items {
		span(&from, &to, it.DueOn)
	}
	for _, t := range d.Tasks {
		span(&from, &to, t.DueOn)
	}
	r := report.Row{Label: d.P.Name, URL: projectURL(d.P.ID), Level: report.LevelProject,
		State: projectState(d.Status.Status), Detail: c.T("project.status." + string(d.Status.Status))}
	if !from.IsZero() && !to.IsZero() {
		r.Start, r.End = from, to
	}
	return r
}

// projectsChart is the timeline of all the listed projects: one row per project, its phases
// under it.
func (s *Server) projectsChart(c *call, ds []projectData) (template.HTML, error) {
	now := s.db.Now()
	var rows []report.Row
	for _, d := range ds {
		rows = append(rows, projectRowOf(c, d, now))
		rows = append(rows, phaseRows(c, d, now, false)...)
	}
	return report.Gantt(report.Chart{ID: "timeline", Title: c.T("project.timeline.all"), Desc: c.T("project.timeline.all_desc"),
		Empty: c.T("project.timeline.empty"), TodayLabel: c.T("project.today"), Locale: report.LocaleFor(c.lang),
		Today: now, Rows: rows})
}
