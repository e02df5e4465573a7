package api

import (
	"net/http"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// surveyRecord is one satisfaction survey of a ticket and, once answered, its answer
// (docs/followup.md, "Satisfaction survey and closing").
type surveyRecord struct {
	ID         int64   `json:"id"`
	State      string  `json:"state" enum:"open,answered,superseded,expired" doc:"open: waiting for an answer; superseded: a later resolution (or a change of status) replaced it; expired: its links timed out, or the ticket closed without an answer"`
	OpenedAt   string  `json:"opened_at" format:"date-time" doc:"the resolution that opened it"`
	ExpiresAt  string  `json:"expires_at" format:"date-time" doc:"when its mailed links stop working"`
	EndedAt    *string `json:"ended_at" format:"date-time" doc:"when it was answered, superseded or expired; null while open"`
	Solved     *bool   `json:"solved" doc:"the answer: true closed the ticket, false reopened it; null when not answered"`
	Rating     *int    `json:"rating" doc:"satisfaction from 1 to 5; null when not given (optional with solved false)"`
	Comment    string  `json:"comment"`
	AnsweredBy string  `json:"answered_by" doc:"the address of who answered"`
	Channel    string  `json:"channel" enum:"link,portal," doc:"link: the signed link of the resolution mail; portal: the request page"`
}

func surveyJSON(s *opsdesk.Survey) surveyRecord {
	r := surveyRecord{ID: s.ID, State: string(s.State), OpenedAt: apijson.Stamp(s.OpenedAt), ExpiresAt: apijson.Stamp(s.ExpiresAt),
		EndedAt: apijson.Time(s.EndedAt), Comment: s.Comment, AnsweredBy: s.AnsweredBy, Channel: s.Channel}
	if s.State == opsdesk.SurveyAnswered {
		solved := s.Solved
		r.Solved = &solved
		if s.Rating != 0 {
			rating := s.Rating
			r.Rating = &rating
		}
	}
	return r
}

// ticketSurveys answers GET /tickets/{number}/survey: every survey of the ticket, oldest first.
// A customer reaches their own organisation's tickets only (404 otherwise).
func (a *API) ticketSurveys(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.TicketSurveys(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	out := items[surveyRecord]{Items: []surveyRecord{}}
	for _, s := range list {
		out.Items = append(out.Items, surveyJSON(s))
	}
	return writeJSON(w, http.StatusOK, out)
}
