package web

import (
	"net/http"
	"strings"
)

// recordWorkaround records the way around the problem that an agent found: the store sends it
// to the customer as a public message and stops the work-around clock (at the first one).
func (s *Server) recordWorkaround(c *call) {
	f := newForm("workaround", c.r.PostForm)
	again := func(status int) { s.showTicket(c, status, ticketForms{Workaround: f}) }
	t, err := s.db.TicketByKey(c.ctx, c.r.PathValue("key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if strings.TrimSpace(f.Get("workaround")) == "" {
		f.Fail("workaround", c.T("sla.workaround_required"))
		again(http.StatusUnprocessableEntity)
		return
	}
	if _, err := s.db.RecordWorkaround(c.ctx, t.Key, f.Get("workaround")); err != nil {
		s.actionError(c, f, []string{"workaround"}, err, again)
		return
	}
	c.redirect(ticketURL(t.Key) + "?done=workaround#sla")
}
