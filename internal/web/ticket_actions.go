package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The actions of the ticket page. Each calls one store method, which checks the rules (the
// lifecycle, the levels, the contract); a refusal re-renders the page with the message on the
// form that caused it, and success comes back to the ticket with a confirmation.

// postMessage adds a public reply or, with the box ticked, an internal note, with attachments.
func (s *Server) postMessage(c *call) {
	f := newForm("reply", c.r.PostForm)
	again := func(status int) {
		keepFilesHint(c, f)
		s.showTicket(c, status, ticketForms{Reply: f})
	}
	t, err := s.db.TicketByKey(c.ctx, c.r.PathValue("key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	atts, err := s.storeUploads(c, f)
	if err != nil {
		s.internal(c, err)
		return
	}
	if f.Failed() {
		again(http.StatusUnprocessableEntity)
		return
	}
	internal := f.Get("internal") != ""
	if _, err := s.db.AddMessage(c.ctx, t.Key, f.Get("body"), internal, atts); err != nil {
		s.actionError(c, f, []string{"body", attachmentsField}, err, again)
		return
	}
	done := "replied"
	if internal {
		done = "noted"
	}
	c.redirect(ticketURL(t.Key) + "?done=" + done + "#timeline")
}

// take assigns the ticket to the agent and takes it in charge.
func (s *Server) take(c *call) {
	f := newForm("take", c.r.PostForm)
	t, err := s.db.Take(c.ctx, c.r.PathValue("key"))
	if err != nil {
		s.actionError(c, f, nil, err, func(status int) { s.showTicket(c, status, ticketForms{Take: f}) })
		return
	}
	c.redirect(ticketURL(t.Key) + "?done=taken")
}

// assign gives the ticket to an agent of its level, or to nobody.
func (s *Server) assign(c *call) {
	f := newForm("assign", c.r.PostForm)
	again := func(status int) { s.showTicket(c, status, ticketForms{Assign: f}) }
	id, err := strconv.ParseInt(f.Get("assignee"), 10, 64)
	if err != nil || id < 0 {
		f.Fail("assignee", i18n.Domain(c.lang, "no such user"))
		again(http.StatusUnprocessableEntity)
		return
	}
	t, err := s.db.UpdateTicket(c.ctx, c.r.PathValue("key"), opsdesk.TicketPatch{AssigneeID: &id, Reason: strings.TrimSpace(f.Get("reason"))})
	if err != nil {
		s.actionError(c, f, []string{"assignee"}, err, again)
		return
	}
	c.redirect(ticketURL(t.Key) + "?done=assigned")
}

// changeStatus moves the ticket along its lifecycle, with an optional reason.
func (s *Server) changeStatus(c *call) {
	f := newForm("status", c.r.PostForm)
	st := opsdesk.Status(f.Get("status"))
	p := opsdesk.TicketPatch{Status: &st, Reason: strings.TrimSpace(f.Get("reason"))}
	if st == opsdesk.StatusResolved {
		p.Resolution = resolutionFromForm(f) // the summary, the cause, the draft article (ticket_resolve.go)
	}
	t, err := s.db.UpdateTicket(c.ctx, c.r.PathValue("key"), p)
	if err != nil {
		again := func(status int) { s.showTicket(c, status, ticketForms{Status: f}) }
		if !resolveFailed(c, f, err, again) {
			s.actionError(c, f, []string{"status", "reason"}, err, again)
		}
		return
	}
	c.redirect(ticketURL(t.Key) + "?done=status")
}

// qualify changes the severity, category, environment and type: only those that differ from
// the ticket's, so that history records real changes.
func (s *Server) qualify(c *call) {
	f := newForm("qualify", c.r.PostForm)
	again := func(status int) { s.showTicket(c, status, ticketForms{Qualify: f}) }
	t, err := s.db.TicketByKey(c.ctx, c.r.PathValue("key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	p := opsdesk.TicketPatch{Reason: strings.TrimSpace(f.Get("reason"))}
	if v := f.Get("severity"); v != t.Severity {
		p.Severity = &v
	}
	if v := f.Get("category"); v != t.Category {
		p.Category = &v
	}
	if v := opsdesk.TicketType(f.Get("type")); v != t.Type {
		p.Type = &v
	}
	if v := f.Get("environment"); v != id64(t.EnvironmentID) {
		env, err := strconv.ParseInt(v, 10, 64)
		if v != "" && err != nil {
			f.Fail("environment", i18n.Domain(c.lang, "is not an environment of "+t.CustomerCode))
			again(http.StatusUnprocessableEntity)
			return
		}
		p.EnvironmentID = &env
	}
	if p.Empty() {
		f.Fail("", c.T("ticket.nothing_changed"))
		again(http.StatusUnprocessableEntity)
		return
	}
	if _, err := s.db.UpdateTicket(c.ctx, t.Key, p); err != nil {
		s.actionError(c, f, []string{"severity", "category", "environment", "type"}, err, again)
		return
	}
	c.redirect(ticketURL(t.Key) + "?done=qualified")
}

// escalate moves the ticket to another support level, up or down, for a stated reason.
func (s *Server) escalate(c *call) {
	f := newForm("escalate", c.r.PostForm)
	t, err := s.db.Escalate(c.ctx, c.r.PathValue("key"), opsdesk.Level(f.Get("level")), f.Get("reason"))
	if err != nil {
		s.actionError(c, f, []string{"level", "reason"}, err, func(status int) { s.showTicket(c, status, ticketForms{Escalate: f}) })
		return
	}
	c.redirect(ticketURL(t.Key) + "?done=escalated")
}
