package api_test

import (
	"net/http"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type surveyList struct {
	Items []struct {
		ID      int64   `json:"id"`
		State   string  `json:"state"`
		Solved  *bool   `json:"solved"`
		Rating  *int    `json:"rating"`
		Comment string  `json:"comment"`
		Channel string  `json:"channel"`
		EndedAt *string `json:"ended_at"`
	} `json:"items"`
}

// TestTicketSurveys: staff and the ticket's customer read its surveys and answers; another
// organisation's customer gets 404.
func TestTicketSurveys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.file("alice", map[string]any{"severity": "minor", "category": "application", "subject": "Exports", "description": "d"})
		e.do("n1", "POST", "/api/v1/tickets/"+tk.Number+"/take", nil).want(t, http.StatusOK, nil)
		e.do("n1", "PATCH", "/api/v1/tickets/"+tk.Number, map[string]any{"status": "resolved",
			"resolution": "Index rebuilt", "cause": "defect"}).want(t, http.StatusOK, nil)
		path := "/api/v1/tickets/" + tk.Number + "/survey"

		var open surveyList
		e.do("n1", "GET", path, nil).want(t, http.StatusOK, &open)
		if len(open.Items) != 1 || open.Items[0].State != "open" || open.Items[0].Solved != nil || open.Items[0].EndedAt != nil {
			t.Fatalf("open survey: %+v", open.Items)
		}
		yes := true
		if _, err := db.AnswerSurvey(opsdesk.WithActor(t.Context(), opsdesk.ActorOf(e.users["alice"])), tk.Number,
			opsdesk.SurveyAnswer{Solved: &yes, Rating: 4, Comment: "Thanks"}); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"n1", "alice", "ops"} {
			var got surveyList
			e.do(who, "GET", path, nil).want(t, http.StatusOK, &got)
			if len(got.Items) != 1 {
				t.Fatalf("%s: %+v", who, got.Items)
			}
			s := got.Items[0]
			if s.State != "answered" || s.Solved == nil || !*s.Solved || s.Rating == nil || *s.Rating != 4 || s.Comment != "Thanks" || s.Channel != "portal" || s.EndedAt == nil {
				t.Errorf("%s sees %+v", who, s)
			}
		}
		e.do("bob", "GET", path, nil).problem(t, http.StatusNotFound, "")
		e.do("n1", "GET", "/api/v1/tickets/OPS-999999/survey", nil).problem(t, http.StatusNotFound, "")
	})
}
