package web

import (
	"net/http"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// requestSurvey is the survey form of a resolved request whose survey waits for an answer, nil
// otherwise (the page then offers the plain confirm and reopen buttons, for tickets resolved
// before surveys existed). f is the failed submission to show again, nil for a fresh form.
func (s *Server) requestSurvey(c *call, t *opsdesk.Ticket, f *form) (*surveyForm, error) {
	if t.Status != opsdesk.StatusResolved && f == nil {
		return nil, nil
	}
	if _, err := s.db.OpenSurvey(c.ctx, t.Key); err != nil {
		if opsdesk.IsKind(err, opsdesk.KindNotFound) && f == nil {
			return nil, nil
		}
		if !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			return nil, err
		}
	}
	if f == nil {
		f = newForm("survey", nil)
	}
	return newSurveyForm(requestURL(t.Key)+"/survey", c.csrf, f), nil
}

// answerRequestSurvey records the customer's survey answer from the request page: "solved"
// closes the request, "not solved" reopens it with the comment. The store records one answer
// per survey and scopes the ticket to the customer's organisation.
func (s *Server) answerRequestSurvey(c *call) {
	key := c.r.PathValue("key")
	f := newForm("survey", c.r.PostForm)
	again := func(status int) { s.showRequest(c, status, requestForms{survey: f}) }
	sv, err := s.db.AnswerSurvey(c.ctx, key, surveyAnswer(f))
	switch opsdesk.ErrorKind(err) {
	case "":
		done := "confirmed"
		if !sv.Solved {
			done = "reopened"
		}
		c.redirect(requestURL(sv.TicketKey) + "?done=" + done)
	case opsdesk.KindInvalid:
		surveyFieldError(c, f, err)
		again(http.StatusUnprocessableEntity)
	case opsdesk.KindConflict:
		f.Fail("", c.T("survey.closed_now"))
		again(http.StatusConflict)
	default:
		s.fail(c, err)
	}
}
