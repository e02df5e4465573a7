package web

import (
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ticketProblem is the "Problem" box of the agent's ticket page: the problem the ticket is
// linked to, or the form linking it to one of the problems still being worked on.
type ticketProblem struct {
	Linked  *opsdesk.Problem // nil when the ticket is linked to no problem
	Choices []option         // the open and known-error problems, to link to
	Action  string
}

// ticketProblemBox reads the box of a ticket's page.
func (s *Server) ticketProblemBox(c *call, t *opsdesk.Ticket) (*ticketProblem, error) {
	b := &ticketProblem{Action: ticketURL(t.Key) + "/problem"}
	p, err := s.db.TicketProblem(c.ctx, t.Key)
	switch {
	case err == nil:
		b.Linked = p
		return b, nil
	case !opsdesk.IsKind(err, opsdesk.KindNotFound):
		return nil, err
	}
	ps, err := s.db.ListProblems(c.ctx, opsdesk.ProblemFilter{Statuses: []opsdesk.ProblemStatus{opsdesk.ProblemOpen, opsdesk.ProblemKnownError}})
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		b.Choices = append(b.Choices, option{Value: strconv.FormatInt(p.ID, 10), Label: p.Key + " — " + p.Title})
	}
	return b, nil
}

// linkTicketProblem links the ticket of the path to the chosen problem, from the ticket's page.
func (s *Server) linkTicketProblem(c *call) {
	key := c.r.PathValue("key")
	id, ok := opsdesk.ParseProblemID(c.r.PostForm.Get("problem"))
	if !ok {
		s.fail(c, opsdesk.Invalid("problem", "choose a problem"))
		return
	}
	if _, err := s.db.LinkTicket(c.ctx, id, key); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect(ticketURL(key) + "?done=problem_linked#problem")
}
