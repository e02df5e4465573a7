package web

import (
	"net/http"
	"net/url"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// preventiveTaskPage is the data of an occurrence's page: what it is, and the forms moving it
// (start, back to todo, done with an optional note, skip with a note).
type preventiveTaskPage struct {
	preventiveTaskView
	Schedule   *opsdesk.PreventiveSchedule
	Kind       string
	Open       bool
	CanStart   bool
	CanUnstart bool
	DoneAt     string
	Done, Skip *form
}

// preventiveTask shows an occurrence.
func (s *Server) preventiveTask(c *call) { s.showPreventiveTask(c, http.StatusOK, nil) }

// showPreventiveTask renders the page, with failed (nil when none) showing its error.
func (s *Server) showPreventiveTask(c *call, status int, failed *form) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	t, err := s.db.PreventiveTask(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	sc, err := s.db.PreventiveSchedule(c.ctx, t.ScheduleID)
	if err != nil {
		s.fail(c, err)
		return
	}
	names, err := s.preventiveNames(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := preventiveTaskPage{preventiveTaskView: names.task(c, t), Schedule: sc, Kind: c.T("preventive.kind." + string(t.Kind)),
		Open: t.Status.Open(), CanStart: t.Status == opsdesk.PreventiveTodo, CanUnstart: t.Status == opsdesk.PreventiveInProgress,
		Done: newForm("done", nil), Skip: newForm("skip", nil)}
	if !t.DoneAt.IsZero() {
		p.DoneAt = when(t.DoneAt)
	}
	if failed != nil {
		switch failed.ID {
		case "done":
			p.Done = failed
		case "skip":
			p.Skip = failed
		}
	}
	s.render(c, status, "preventive_task", p.Ref+" — "+t.Title, p)
}

// movePreventiveTask moves an occurrence to the posted status, then shows it again.
func (s *Server) movePreventiveTask(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	to := opsdesk.PreventiveStatus(c.r.PostForm.Get("status"))
	formID := "done"
	if to == opsdesk.PreventiveSkipped {
		formID = "skip"
	}
	f := newForm(formID, url.Values(c.r.PostForm))
	if _, err := s.db.MovePreventiveTask(c.ctx, id, to, f.Get("note")); err != nil {
		s.actionError(c, f, []string{"note"}, err, func(status int) { s.showPreventiveTask(c, status, f) })
		return
	}
	c.redirect(preventiveTaskURL(id))
}
