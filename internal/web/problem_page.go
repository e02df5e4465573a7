package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// problemPage is the data of a problem's page: its edit form, its linked tickets with the form
// linking one more, and the resolution form.
type problemPage struct {
	Problem  *opsdesk.Problem
	Tickets  []*opsdesk.LinkedTicket
	Forms    problemForms
	Statuses []option // the current status and those it may move to (resolution has its own form)
	Owners   []option
	Base     string
}

// problemForms are the forms of a problem's page; a failed one is re-rendered with its input.
type problemForms struct {
	Edit, Link, Resolve *form
}

// problem shows a problem's page.
func (s *Server) problem(c *call) { s.showProblem(c, http.StatusOK, problemForms{}) }

func (s *Server) showProblem(c *call, status int, forms problemForms) {
	id, ok := opsdesk.ParseProblemID(c.r.PathValue("id"))
	if !ok {
		s.fail(c, opsdesk.NotFound("no problem %q", c.r.PathValue("id")))
		return
	}
	p, err := s.db.ProblemByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	pg := problemPage{Problem: p, Forms: forms, Base: problemURL(p.ID)}
	if pg.Tickets, err = s.db.ProblemTickets(c.ctx, p.ID); err != nil {
		s.fail(c, err)
		return
	}
	if pg.Owners, err = s.ownerOptions(c); err != nil {
		s.fail(c, err)
		return
	}
	next := []opsdesk.ProblemStatus{p.Status}
	for _, st := range opsdesk.NextProblemStatuses(p.Status) {
		if st != opsdesk.ProblemResolved {
			next = append(next, st)
		}
	}
	pg.Statuses = problemStatusOptions(c, next)
	if pg.Forms.Edit == nil {
		pg.Forms.Edit = newForm("edit", url.Values{"title": {p.Title}, "description": {p.Description}, "root_cause": {p.RootCause},
			"workaround": {p.Workaround}, "status": {string(p.Status)}, "owner": {id64(p.OwnerID)}})
	}
	if pg.Forms.Link == nil {
		pg.Forms.Link = newForm("link", nil)
	}
	if pg.Forms.Resolve == nil {
		pg.Forms.Resolve = newForm("resolve", url.Values{"notify": {"on"}})
	}
	s.render(c, status, "problem", p.Key+" — "+p.Title, pg)
}

// updateProblem saves the edit form.
func (s *Server) updateProblem(c *call) {
	f := newForm("edit", c.r.PostForm)
	again := func(status int) { s.showProblem(c, status, problemForms{Edit: f}) }
	id, ok := opsdesk.ParseProblemID(c.r.PathValue("id"))
	if !ok {
		s.fail(c, opsdesk.NotFound("no problem"))
		return
	}
	text := func(name string) *string { v := f.Get(name); return &v }
	st := opsdesk.ProblemStatus(f.Get("status"))
	owner := formID(f, "owner")
	patch := opsdesk.ProblemPatch{Title: text("title"), Description: text("description"), RootCause: text("root_cause"),
		Workaround: text("workaround"), Status: &st, OwnerID: &owner}
	if _, err := s.db.UpdateProblem(c.ctx, id, patch); err != nil {
		s.actionError(c, f, []string{"title", "description", "root_cause", "workaround", "status", "owner"}, err, again)
		return
	}
	c.redirect(problemURL(id) + "?done=problem_saved")
}

// linkProblemTicket links a ticket, by its number, to the problem.
func (s *Server) linkProblemTicket(c *call) {
	f := newForm("link", c.r.PostForm)
	again := func(status int) { s.showProblem(c, status, problemForms{Link: f}) }
	id, ok := opsdesk.ParseProblemID(c.r.PathValue("id"))
	if !ok {
		s.fail(c, opsdesk.NotFound("no problem"))
		return
	}
	key := strings.TrimSpace(f.Get("ticket"))
	if key == "" {
		f.Fail("ticket", c.T("problem.ticket_required"))
		again(http.StatusUnprocessableEntity)
		return
	}
	if _, err := s.db.LinkTicket(c.ctx, id, key); err != nil {
		if opsdesk.IsKind(err, opsdesk.KindNotFound) && s.problemExists(c, id) == nil {
			f.Fail("ticket", c.T("problem.no_ticket", key)) // the ticket, not the problem, is missing
			again(http.StatusUnprocessableEntity)
			return
		}
		s.actionError(c, f, []string{"ticket"}, err, again)
		return
	}
	c.redirect(problemURL(id) + "?done=problem_linked#tickets")
}

// problemExists answers nil when the problem is there, its error otherwise.
func (s *Server) problemExists(c *call, id int64) error {
	_, err := s.db.ProblemByID(c.ctx, id)
	return err
}

// unlinkProblemTicket removes a ticket from the problem.
func (s *Server) unlinkProblemTicket(c *call) {
	id, ok := opsdesk.ParseProblemID(c.r.PathValue("id"))
	if !ok {
		s.fail(c, opsdesk.NotFound("no problem"))
		return
	}
	if _, err := s.db.UnlinkTicket(c.ctx, id, c.r.PathValue("key")); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect(problemURL(id) + "?done=problem_unlinked#tickets")
}

// resolveProblem resolves the problem and, when the box is ticked, posts the message on every
// active linked ticket (the requesters are mailed).
func (s *Server) resolveProblem(c *call) {
	f := newForm("resolve", c.r.PostForm)
	again := func(status int) { s.showProblem(c, status, problemForms{Resolve: f}) }
	id, ok := opsdesk.ParseProblemID(c.r.PathValue("id"))
	if !ok {
		s.fail(c, opsdesk.NotFound("no problem"))
		return
	}
	_, err := s.db.ResolveProblem(c.ctx, id, f.Get("notify") != "", f.Get("message"))
	if err != nil {
		s.actionError(c, f, []string{"message"}, err, again)
		return
	}
	c.redirect(problemURL(id) + "?done=problem_resolved#tickets")
}
