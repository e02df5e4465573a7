package opsdesk

import (
	"strings"
	"time"
)

// PreventiveKind says what a recurring piece of preventive work is.
type PreventiveKind string

// The kinds of preventive work.
const (
	PreventiveAudit              PreventiveKind = "audit"
	PreventivePerformanceReview  PreventiveKind = "performance_review"
	PreventiveCertificateRenewal PreventiveKind = "certificate_renewal"
	PreventiveAccessReview       PreventiveKind = "access_review"
)

// PreventiveKinds lists the kinds in the order forms show them.
var PreventiveKinds = []PreventiveKind{PreventiveAudit, PreventivePerformanceReview,
	PreventiveCertificateRenewal, PreventiveAccessReview}

// Valid tells whether k is a known kind.
func (k PreventiveKind) Valid() bool {
	for _, v := range PreventiveKinds {
		if v == k {
			return true
		}
	}
	return false
}

// PreventiveUnit is the unit of a schedule's interval.
type PreventiveUnit string

// The units of an interval.
const (
	UnitWeeks  PreventiveUnit = "weeks"
	UnitMonths PreventiveUnit = "months"
)

// PreventiveSchedule is recurring preventive work of a customer's Run (or of the vendor's own
// platform when CustomerID is 0), planned on that customer's business calendar (issue #9,
// docs/plan.md "Preventive work"). Occurrence k is due on FirstDay + k × Every Unit, moved to the
// next business day (PreventiveDays).
type PreventiveSchedule struct {
	ID            int64          `json:"id"`
	Kind          PreventiveKind `json:"kind"`
	Title         string         `json:"title"`
	Description   string         `json:"description"`
	CustomerID    int64          `json:"customer_id"`              // 0: the vendor's own platform
	EnvironmentID int64          `json:"environment_id,omitempty"` // optional, of that customer
	Every         int            `json:"every"`
	Unit          PreventiveUnit `json:"unit"`
	FirstDay      string         `json:"first_day"` // YYYY-MM-DD, local to the customer's calendar
	EstimateHours float64        `json:"estimate_hours"`
	AssigneeID    int64          `json:"assignee_id,omitempty"` // a member of the vendor's team
	Level         Level          `json:"level"`
	Active        bool           `json:"active"`
	// PlannedFrom is the first local day occurrences are made for: the day the schedule was
	// created or its recurrence last changed. Earlier dates of the series are not made.
	PlannedFrom string    `json:"planned_from"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks the fields a person enters, trimming the texts, naming the faulty field.
func (s *PreventiveSchedule) Validate() error {
	s.Title, s.Description = strings.TrimSpace(s.Title), strings.TrimSpace(s.Description)
	switch {
	case !s.Kind.Valid():
		return Invalid("kind", "must be audit, performance_review, certificate_renewal or access_review")
	case s.Title == "":
		return Invalid("title", "is required")
	case len(s.Title) > 200:
		return Invalid("title", "must be at most 200 characters")
	case len(s.Description) > 10000:
		return Invalid("description", "must be at most 10000 characters")
	case s.CustomerID < 0:
		return Invalid("customer", "is not a customer")
	case s.EnvironmentID < 0:
		return Invalid("environment", "is not an environment")
	case s.EnvironmentID != 0 && s.CustomerID == 0:
		return Invalid("environment", "belongs to a customer: choose the customer first")
	case s.Every < 1 || s.Every > 120:
		return Invalid("every", "must be between 1 and 120")
	case s.Unit != UnitWeeks && s.Unit != UnitMonths:
		return Invalid("unit", "must be weeks or months")
	case !validDay(s.FirstDay):
		return Invalid("first_day", "must be a date YYYY-MM-DD")
	case s.EstimateHours < 0 || s.EstimateHours > 1000:
		return Invalid("estimate_hours", "must be between 0 and 1000 hours")
	case s.AssigneeID < 0:
		return Invalid("assignee", "is not a user")
	case !s.Level.Valid():
		return Invalid("level", "must be N1, N2 or N3")
	}
	return nil
}

// SameRecurrence tells whether s and o make the same series of dates on the same calendar:
// interval, first day and customer. Changing any of them re-plans the future occurrences.
func (s *PreventiveSchedule) SameRecurrence(o *PreventiveSchedule) bool {
	return s.Every == o.Every && s.Unit == o.Unit && s.FirstDay == o.FirstDay && s.CustomerID == o.CustomerID
}

// PreventiveStatus is where an occurrence stands.
type PreventiveStatus string

// The statuses of an occurrence: todo → in_progress → done; todo or in_progress → skipped (with
// a note); in_progress → todo. Done and skipped are final.
const (
	PreventiveTodo       PreventiveStatus = "todo"
	PreventiveInProgress PreventiveStatus = "in_progress"
	PreventiveDone       PreventiveStatus = "done"
	PreventiveSkipped    PreventiveStatus = "skipped"
)

// Open tells whether the occurrence is still work to do (todo or in progress).
func (s PreventiveStatus) Open() bool { return s == PreventiveTodo || s == PreventiveInProgress }

// PreventiveTask is one occurrence of a schedule: a task of the plan, due on a business day.
type PreventiveTask struct {
	ID            int64            `json:"id"`
	ScheduleID    int64            `json:"schedule_id"`
	Kind          PreventiveKind   `json:"kind"` // the schedule's, for lists
	Title         string           `json:"title"`
	DueDay        string           `json:"due_day"` // YYYY-MM-DD, a business day
	Status        PreventiveStatus `json:"status"`
	CustomerID    int64            `json:"customer_id"`              // the schedule's; 0: the vendor's own
	EnvironmentID int64            `json:"environment_id,omitempty"` // the schedule's
	Level         Level            `json:"level,omitempty"`          // the schedule's
	AssigneeID    int64            `json:"assignee_id,omitempty"`
	EstimateHours float64          `json:"estimate_hours"`
	DoneAt        time.Time        `json:"done_at,omitzero"` // when it was done or skipped
	DoneBy        string           `json:"done_by,omitempty"`
	Note          string           `json:"note,omitempty"`
	CreatedAt     time.Time        `json:"created_at"`
}

// CheckPreventiveMove tells whether an occurrence may go from one status to another; a skip
// needs a note. Errors: invalid (status, note).
func CheckPreventiveMove(from, to PreventiveStatus, note string) error {
	allowed := map[PreventiveStatus][]PreventiveStatus{
		PreventiveTodo:       {PreventiveInProgress, PreventiveDone, PreventiveSkipped},
		PreventiveInProgress: {PreventiveTodo, PreventiveDone, PreventiveSkipped},
	}
	ok := false
	for _, s := range allowed[from] {
		ok = ok || s == to
	}
	switch {
	case !ok:
		return Invalid("status", "an occurrence cannot go from %s to %s", from, to)
	case to == PreventiveSkipped && strings.TrimSpace(note) == "":
		return Invalid("note", "say why the occurrence is skipped")
	case len(note) > 2000:
		return Invalid("note", "must be at most 2000 characters")
	}
	return nil
}
