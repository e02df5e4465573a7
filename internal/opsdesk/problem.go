package opsdesk

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ProblemStatus is where a problem stands in its lifecycle.
type ProblemStatus string

// The problem statuses. A problem is open while its cause is investigated; it becomes a known
// error once its root cause or a workaround is recorded (the workaround is required); it is
// resolved when the cause is fixed — which may tell the requesters of its open tickets — and
// closed when nothing more is expected of it. A resolved problem can be reopened; a closed one
// is final.
const (
	ProblemOpen       ProblemStatus = "open"
	ProblemKnownError ProblemStatus = "known_error"
	ProblemResolved   ProblemStatus = "resolved"
	ProblemClosed     ProblemStatus = "closed"
)

// ProblemStatuses lists the problem statuses in lifecycle order.
var ProblemStatuses = []ProblemStatus{ProblemOpen, ProblemKnownError, ProblemResolved, ProblemClosed}

// Valid tells whether s is a known problem status.
func (s ProblemStatus) Valid() bool { return slices.Contains(ProblemStatuses, s) }

// Active tells whether a problem in status s still needs work (open or known error).
func (s ProblemStatus) Active() bool { return s == ProblemOpen || s == ProblemKnownError }

var problemTransitions = map[ProblemStatus][]ProblemStatus{
	ProblemOpen:       {ProblemKnownError, ProblemResolved, ProblemClosed},
	ProblemKnownError: {ProblemOpen, ProblemResolved, ProblemClosed},
	ProblemResolved:   {ProblemOpen, ProblemClosed},
	ProblemClosed:     {},
}

// CheckProblemTransition returns a conflict naming the legal moves when from → to is not allowed.
func CheckProblemTransition(from, to ProblemStatus) error {
	if !to.Valid() {
		return Invalid("status", "%q is not a problem status (open, known_error, resolved, closed)", to)
	}
	if from == to {
		return Conflict("status", "the problem is already %s", to)
	}
	next := problemTransitions[from]
	if slices.Contains(next, to) {
		return nil
	}
	if len(next) == 0 {
		return Conflict("status", "a problem that is %s cannot change status", from)
	}
	names := make([]string, len(next))
	for i, s := range next {
		names[i] = string(s)
	}
	return Conflict("status", "a problem that is %s cannot become %s; it can become %s", from, to, strings.Join(names, " or "))
}

// NextProblemStatuses lists the statuses a problem in status s can move to.
func NextProblemStatuses(s ProblemStatus) []ProblemStatus { return slices.Clone(problemTransitions[s]) }

// ProblemPrefix starts every problem's human number (PRB-12).
const ProblemPrefix = "PRB"

// ProblemKey is the human number of problem id.
func ProblemKey(id int64) string { return FormatKey(ProblemPrefix, id) }

// ParseProblemID reads "PRB-12", "prb-12", "#12" or "12" as a problem id.
func ParseProblemID(s string) (int64, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "#")
	s = strings.TrimPrefix(s, ProblemPrefix+"-")
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// Problem groups the incidents of one common cause: what is known of the cause, how to work
// around it, and the tickets it explains. Only the vendor's team sees problems.
type Problem struct {
	ID          int64
	Key         string // PRB-12
	Title       string
	Description string
	RootCause   string
	Workaround  string
	Status      ProblemStatus
	OwnerID     int64 // 0 when nobody owns it
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ResolvedAt  time.Time // zero unless resolved or closed after a resolution
	Version     int64

	// Filled on reads.
	OwnerName   string
	OwnerMail   string
	Tickets     int // linked tickets
	OpenTickets int // linked tickets still active
}

// Validate checks the fields that need no database, naming the offending one.
func (p *Problem) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	p.Description = strings.TrimSpace(p.Description)
	p.RootCause = strings.TrimSpace(p.RootCause)
	p.Workaround = strings.TrimSpace(p.Workaround)
	if p.Status == "" {
		p.Status = ProblemOpen
	}
	switch {
	case p.Title == "":
		return Invalid("title", "is required")
	case len([]rune(p.Title)) > 250:
		return Invalid("title", "is longer than 250 characters")
	case len(p.Description) > 100_000:
		return Invalid("description", "is longer than 100,000 characters")
	case len(p.RootCause) > 100_000:
		return Invalid("root_cause", "is longer than 100,000 characters")
	case len(p.Workaround) > 100_000:
		return Invalid("workaround", "is longer than 100,000 characters")
	case !p.Status.Valid():
		return Invalid("status", "must be open, known_error, resolved or closed")
	case p.Status == ProblemKnownError && p.Workaround == "":
		return Invalid("workaround", "a known error needs its workaround")
	}
	return nil
}

// AuditFields returns the audited field values of a problem.
func (p *Problem) AuditFields() map[string]string {
	return map[string]string{"title": p.Title, "description": p.Description, "root_cause": p.RootCause,
		"workaround": p.Workaround, "status": string(p.Status), "owner_id": idString(p.OwnerID)}
}

// ProblemAuditFields is the order in which problem changes are listed.
var ProblemAuditFields = []string{"title", "description", "root_cause", "workaround", "status", "owner_id"}

// ProblemPatch is a change of a problem; nil fields are left as they are.
type ProblemPatch struct {
	Title       *string
	Description *string
	RootCause   *string
	Workaround  *string
	Status      *ProblemStatus // resolved here resolves without telling anyone (see ResolveProblem)
	OwnerID     *int64         // 0 clears
}

// Empty tells whether the patch changes nothing.
func (p *ProblemPatch) Empty() bool {
	return p.Title == nil && p.Description == nil && p.RootCause == nil && p.Workaround == nil &&
		p.Status == nil && p.OwnerID == nil
}

// ProblemFilter selects problems; zero fields select everything.
type ProblemFilter struct {
	Statuses []ProblemStatus
	Limit    int // default 100, at most 500
}

// LinkedTicket is a ticket of a problem, with who linked it and whether the problem's
// resolution was posted on it.
type LinkedTicket struct {
	Ticket   *Ticket
	LinkedBy string
	LinkedAt time.Time
	// NotifiedMessageID is the public message the resolution posted on the ticket, 0 if none.
	NotifiedMessageID int64
}

// ProblemResolution is what ResolveProblem did.
type ProblemResolution struct {
	Problem  *Problem
	Notified []string // the tickets a message was posted on, by number
}

// String is the problem as it appears in a ticket's history: "PRB-12 Title".
func (p *Problem) String() string { return fmt.Sprintf("%s %s", p.Key, p.Title) }
