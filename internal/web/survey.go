package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The public satisfaction survey: {base URL}/survey/{token}, mailed with the resolution, no login.
//
// The token is the only authority: a 256-bit random secret whose SHA-256 the store looks up
// (store/survey_answer.go). GET shows the question — with the answer the mail's button chose
// already ticked — and changes nothing, because mail scanners and link previews fetch links;
// only a POST of the form records an answer. The POST carries no CSRF token: there is no session
// or cookie for a forged cross-site request to ride on, and whoever holds the token may answer
// anyway. The program's cross-origin protection (http.CrossOriginProtection) still refuses a
// cross-site POST from a browser, and lets the page's own same-origin form through. Unknown
// tokens count against the client address like failed logins: past the limit, the page answers
// 429 without looking the token up.

// Survey link limits: unknown tokens per client address in the window.
const (
	surveyWindow      = 15 * time.Minute
	maxSurveyFailures = 20
)

// surveyPage is the public survey page: the question, or why it can no longer be answered.
type surveyPage struct {
	Survey *opsdesk.Survey
	State  opsdesk.SurveyState // the effective state; "open" shows the form
	Done   bool                // the answer was just recorded: thank the requester
	Form   *surveyForm
}

// surveyForm is the survey's form, shared by the public page and the portal's request page.
type surveyForm struct {
	Action  string
	CSRF    string // the session's token in the portal; "" on the public page
	Form    *form
	Ratings []int
}

func newSurveyForm(action, csrf string, f *form) *surveyForm {
	return &surveyForm{Action: action, CSRF: csrf, Form: f, Ratings: []int{1, 2, 3, 4, 5}}
}

// surveyAnswer reads a posted survey form.
func surveyAnswer(f *form) opsdesk.SurveyAnswer {
	var a opsdesk.SurveyAnswer
	switch f.Get("solved") {
	case "yes":
		b := true
		a.Solved = &b
	case "no":
		b := false
		a.Solved = &b
	}
	if r := f.Get("rating"); r != "" {
		n, err := strconv.Atoi(r)
		if err != nil {
			n = -1 // reported as out of range
		}
		a.Rating = n
	}
	a.Comment = f.Get("comment")
	return a
}

// surveyFieldError shows an invalid answer's message, in the page's language, next to its field.
func surveyFieldError(c *call, f *form, err error) {
	field := opsdesk.ErrorField(err)
	switch field {
	case "solved", "rating", "comment":
		f.Fail(field, c.T("survey.invalid."+field))
	default:
		f.Fail("", domainMessage(c, err))
	}
}

// surveyLimited answers 429 when the client sent too many unknown tokens.
func (s *Server) surveyLimited(c *call) bool {
	n, err := s.db.AuthFailures(c.ctx, "survey-ip:"+s.clientIP(c.r), s.db.Now().Add(-surveyWindow))
	if err != nil {
		s.internal(c, err)
		return true
	}
	if n >= maxSurveyFailures {
		c.w.Header().Set("Retry-After", strconv.Itoa(int(surveyWindow/time.Second)))
		s.errorPage(c, http.StatusTooManyRequests, "survey.too_many")
		return true
	}
	return false
}

// surveyByToken finds the survey of the path's token and speaks its language; an unknown token
// gets the plain not-found page (no hint whether it ever existed) and counts against the client.
func (s *Server) surveyByToken(c *call) (*opsdesk.Survey, bool) {
	hdr := c.w.Header()
	hdr.Set("Referrer-Policy", "no-referrer") // the token is in the URL
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Robots-Tag", "noindex")
	if s.surveyLimited(c) {
		return nil, false
	}
	sv, err := s.db.SurveyByToken(c.ctx, c.r.PathValue("token"))
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		if err := s.db.RecordAuthFailure(c.ctx, "survey-ip:"+s.clientIP(c.r)); err != nil {
			s.log.Warn("web: survey: record failure", "err", err)
		}
		s.errorPage(c, http.StatusNotFound, "survey.not_found")
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	if sv.Lang.Valid() {
		c.lang = sv.Lang
	}
	return sv, true
}

// survey shows the public survey page. It records nothing.
func (s *Server) survey(c *call) {
	sv, ok := s.surveyByToken(c)
	if !ok {
		return
	}
	f := newForm("survey", nil)
	if v := c.r.URL.Query().Get("solved"); v == "yes" || v == "no" {
		f.Values.Set("solved", v)
	}
	s.showSurvey(c, sv, f, c.r.URL.Query().Get("done") == "1" && sv.State == opsdesk.SurveyAnswered)
}

// showSurvey renders the survey page for sv's state: the form while it is open, else why not.
func (s *Server) showSurvey(c *call, sv *opsdesk.Survey, f *form, done bool) {
	status := http.StatusOK
	switch {
	case sv.State == opsdesk.SurveyAnswered && !done:
		status = http.StatusConflict
	case sv.State == opsdesk.SurveyExpired || sv.State == opsdesk.SurveySuperseded:
		status = http.StatusGone
	case sv.State == opsdesk.SurveyOpen && f.Failed():
		status = http.StatusUnprocessableEntity
	}
	p := surveyPage{Survey: sv, State: sv.State, Done: done,
		Form: newSurveyForm("/survey/"+c.r.PathValue("token"), "", f)}
	s.render(c, status, "survey", c.T("survey.title", sv.TicketKey), p)
}

// answerSurvey records the answer posted on the public page, then shows the thanks (post,
// redirect, get); a second answer finds the "already answered" page.
func (s *Server) answerSurvey(c *call) {
	sv, ok := s.surveyByToken(c)
	if !ok {
		return
	}
	if !s.parseForm(c) {
		return
	}
	f := newForm("survey", c.r.PostForm)
	token := c.r.PathValue("token")
	_, err := s.db.AnswerSurveyByToken(c.ctx, token, surveyAnswer(f))
	switch opsdesk.ErrorKind(err) {
	case "":
		c.redirect("/survey/" + token + "?done=1")
	case opsdesk.KindInvalid:
		surveyFieldError(c, f, err)
		s.showSurvey(c, sv, f, false)
	case opsdesk.KindConflict:
		// Answered, expired or superseded meanwhile: show which.
		if again, err := s.db.SurveyByToken(c.ctx, token); err == nil {
			sv = again
		}
		if sv.State == opsdesk.SurveyOpen {
			sv.State = opsdesk.SurveyExpired
		}
		s.showSurvey(c, sv, f, false)
	default:
		s.fail(c, err)
	}
}

// surveyHandler serves a public survey route: the session, if any, is read for nothing but the
// layout; the token authorises (see the top of this file).
func (s *Server) surveyHandler(h func(*call)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.begin(w, r)
		if !ok {
			return
		}
		h(c)
	}
}
