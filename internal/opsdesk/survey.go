package opsdesk

import (
	"strings"
	"time"
)

// SurveyState is where a satisfaction survey stands. Each resolution of a ticket opens one; it
// ends answered (once), superseded (by a later resolution, or the ticket moved on without an
// answer), or expired (its links timed out, or the ticket closed without an answer).
type SurveyState string

// The survey states.
const (
	SurveyOpen       SurveyState = "open"
	SurveyAnswered   SurveyState = "answered"
	SurveySuperseded SurveyState = "superseded"
	SurveyExpired    SurveyState = "expired"
)

// The channels a survey is answered through.
const (
	SurveyByLink   = "link"   // the signed link of the resolution mail, without login
	SurveyByPortal = "portal" // the customer's request page, logged in
)

// Survey is the question put to a requester when their ticket is resolved — "is it solved?" —
// and, once answered, their answer.
type Survey struct {
	ID         int64
	TicketID   int64
	TicketKey  string
	Subject    string
	Summary    string // the resolution summary shown with the question
	CustomerID int64
	State      SurveyState
	Lang       Lang // the requester's language when it opened: the public page speaks it
	OpenedAt   time.Time
	ExpiresAt  time.Time // its links stop working then
	EndedAt    time.Time // when it left the open state; zero while open

	// The answer, when State is answered.
	Solved     bool
	Rating     int // 1–5; 0 when not given (allowed with "not solved")
	Comment    string
	AnsweredBy string // the address of who answered
	Channel    string // SurveyByLink or SurveyByPortal
}

// Effective is the state as the requester meets it at now: an open survey past its expiry is
// expired, and one whose ticket is no longer resolved (reopened or closed by other means) is
// superseded.
func (s *Survey) Effective(now time.Time, ticketStatus Status) SurveyState {
	if s.State != SurveyOpen {
		return s.State
	}
	if ticketStatus != StatusResolved {
		return SurveySuperseded
	}
	if !now.Before(s.ExpiresAt) {
		return SurveyExpired
	}
	return SurveyOpen
}

// SurveyAnswer is a requester's answer. Solved is required. The rating (1–5) is required with
// "solved": it is the satisfaction measure. With "not solved" it is optional — the requester is
// asked what still goes wrong, not forced to grade a service that has not finished — and the
// comment is then required, because it reopens the ticket as the requester's message.
type SurveyAnswer struct {
	Solved  *bool
	Rating  int
	Comment string
}

// MaxSurveyComment bounds a survey comment.
const MaxSurveyComment = 10_000

// Validate checks an answer, naming the offending field.
func (a *SurveyAnswer) Validate() error {
	a.Comment = strings.TrimSpace(a.Comment)
	if a.Solved == nil {
		return Invalid("solved", "is required: say whether the problem is solved")
	}
	if a.Rating != 0 && (a.Rating < 1 || a.Rating > 5) {
		return Invalid("rating", "must be between 1 and 5")
	}
	if *a.Solved && a.Rating == 0 {
		return Invalid("rating", "is required: rate the answer from 1 to 5")
	}
	if !*a.Solved && a.Comment == "" {
		return Invalid("comment", "is required: say what still goes wrong")
	}
	if len(a.Comment) > MaxSurveyComment {
		return Invalid("comment", "is longer than 10,000 characters")
	}
	return nil
}
