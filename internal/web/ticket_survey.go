package web

import "github.com/opsdesk/opsdesk/internal/opsdesk"

// surveyRows are the satisfaction surveys of a ticket on its staff page.
type surveyRows []*opsdesk.Survey

// ticketSurveys are the satisfaction surveys of a ticket for its staff page, newest first; nil
// when it was never resolved.
func (s *Server) ticketSurveys(c *call, t *opsdesk.Ticket) (surveyRows, error) {
	list, err := s.db.TicketSurveys(c.ctx, t.Key)
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list, nil
}
