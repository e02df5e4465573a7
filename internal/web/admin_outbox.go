package web

import (
	"errors"
	"net/http"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/store"
)

// outboxStates are the tabs of the outbox page, failed first: that is what an admin comes for.
var outboxStates = []store.OutboxState{store.OutboxFailed, store.OutboxPending, store.OutboxSent}

// outboxPage is the data of the outbox page.
type outboxPage struct {
	State   store.OutboxState // "" for all
	Tabs    []outboxTab
	Mails   []*store.OutboxMail
	NoRelay string // the error of a mail kept because no relay is configured
}

// outboxTab is a state filter with its count.
type outboxTab struct {
	State   store.OutboxState
	Count   int
	Current bool
}

// outbox lists outgoing mail by state with attempts and last error; failed mail can be sent again.
func (s *Server) outbox(c *call) {
	state := store.OutboxState(c.r.URL.Query().Get("state"))
	valid := false
	for _, st := range outboxStates {
		valid = valid || st == state
	}
	if !valid {
		state = ""
	}
	mails, err := s.db.ListOutbox(c.ctx, store.OutboxFilter{State: state, Limit: 200})
	if err != nil {
		s.fail(c, err)
		return
	}
	counts, err := s.db.OutboxCounts(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := outboxPage{State: state, Mails: mails, NoRelay: notify.NoRelay}
	for _, st := range outboxStates {
		p.Tabs = append(p.Tabs, outboxTab{State: st, Count: counts[st], Current: st == state})
	}
	s.render(c, http.StatusOK, "outbox", c.T("outbox.title"), p)
}

// retryOutbox sends a failed mail again, with fresh attempts.
func (s *Server) retryOutbox(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	if !s.needMail(c) {
		return
	}
	if err := s.mail.Retry(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect("/admin/outbox?state=failed&done=mail_retried")
}

// needMail answers the request itself, as an internal error, when the program gave the UI no
// notifier (the pages that need one cannot work without it).
func (s *Server) needMail(c *call) bool {
	if s.mail == nil {
		s.internal(c, errors.New("web: no mail notifier in web.Options"))
		return false
	}
	return true
}
