package web

import (
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// requestPage is the data of a customer's request: its facts, the public conversation, and the
// forms to reply, confirm the resolution or reopen.
type requestPage struct {
	Ticket                 *opsdesk.Ticket
	Cat                    *catalog
	Timeline               []entry
	Base                   string // the request's URL; its attachments hang under it
	Reply, Reopen, Confirm *form
	MaxUpload              string
	SLA                    *portalSLA  // the commitments to take charge and resolve; nil when none
	Survey                 *surveyForm // the satisfaction survey of a resolution waiting for an answer; nil when none
}

// requestForms carries the forms a failed submission re-renders with its input and message.
type requestForms struct{ reply, reopen, confirm, survey *form }

// request shows one request of the customer's organisation; any other number is not found (the
// store scopes the ticket, its messages and its history).
func (s *Server) request(c *call) { s.showRequest(c, http.StatusOK, requestForms{}) }

func (s *Server) showRequest(c *call, status int, forms requestForms) {
	t, err := s.db.TicketByKey(c.ctx, c.r.PathValue("key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	k, err := s.loadCatalog(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	tl, err := s.timeline(c, t.Key, k, true)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := requestPage{Ticket: t, Cat: k, Timeline: tl, Base: requestURL(t.Key),
		Reply: forms.reply, Reopen: forms.reopen, Confirm: forms.confirm, MaxUpload: formatSize(c.lang, s.cfg.MaxUpload)}
	if p.SLA, err = s.requestSLA(c, t); err != nil {
		s.fail(c, err)
		return
	}
	if p.Survey, err = s.requestSurvey(c, t, forms.survey); err != nil {
		s.fail(c, err)
		return
	}
	if p.Reply == nil {
		p.Reply = newForm("reply", nil)
	}
	if p.Reopen == nil {
		p.Reopen = newForm("reopen", nil)
	}
	if p.Confirm == nil {
		p.Confirm = newForm("confirm", nil)
	}
	s.render(c, status, "request", t.Key+" — "+t.Subject, p)
}

// replyRequest adds the customer's public reply, with attachments.
func (s *Server) replyRequest(c *call) {
	key := c.r.PathValue("key")
	f := newForm("reply", c.r.PostForm)
	again := func(status int) {
		keepFilesHint(c, f)
		s.showRequest(c, status, requestForms{reply: f})
	}
	t, err := s.db.TicketByKey(c.ctx, key)
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
	if _, err := s.db.AddMessage(c.ctx, t.Key, f.Get("body"), false, atts); err != nil {
		s.actionError(c, f, []string{"body", attachmentsField}, err, again)
		return
	}
	c.redirect(requestURL(t.Key) + "?done=replied#timeline")
}

// confirmRequest closes a resolved request: the customer confirms it is solved.
func (s *Server) confirmRequest(c *call) {
	key := c.r.PathValue("key")
	f := newForm("confirm", c.r.PostForm)
	closed := opsdesk.StatusClosed
	t, err := s.db.UpdateTicket(c.ctx, key, opsdesk.TicketPatch{Status: &closed, Reason: "confirmed by the customer"})
	if err != nil {
		s.actionError(c, f, nil, err, func(status int) { s.showRequest(c, status, requestForms{confirm: f}) })
		return
	}
	c.redirect(requestURL(t.Key) + "?done=confirmed")
}

// reopenRequest reopens a resolved request: the customer's comment, required, is added as a
// reply, then the request is open again.
func (s *Server) reopenRequest(c *call) {
	key := c.r.PathValue("key")
	f := newForm("reopen", c.r.PostForm)
	again := func(status int) { s.showRequest(c, status, requestForms{reopen: f}) }
	t, err := s.db.TicketByKey(c.ctx, key)
	if err != nil {
		s.fail(c, err)
		return
	}
	if t.Status != opsdesk.StatusResolved {
		s.actionError(c, f, nil, opsdesk.Conflict("status", "only a resolved request can be confirmed or reopened"), again)
		return
	}
	comment := strings.TrimSpace(f.Get("comment"))
	if comment == "" {
		f.Fail("comment", i18n.Domain(c.lang, "is required"))
		again(http.StatusUnprocessableEntity)
		return
	}
	if _, err := s.db.AddMessage(c.ctx, t.Key, comment, false, nil); err != nil {
		s.actionError(c, f, nil, err, again)
		return
	}
	open := opsdesk.StatusOpen
	if _, err := s.db.UpdateTicket(c.ctx, t.Key, opsdesk.TicketPatch{Status: &open, Reason: "reopened by the customer"}); err != nil {
		s.actionError(c, f, nil, err, again)
		return
	}
	c.redirect(requestURL(t.Key) + "?done=reopened")
}
