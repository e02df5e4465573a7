package plan

import (
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Kind tells whether an item is a ticket, a project task or an occurrence
// of preventive work.
type Kind string

// The kinds of work in the plan.
const (
	KindTicket     Kind = "ticket"
	KindTask       Kind = "task"
	KindPreventive Kind = "preventive"
)

// Item is one open piece of work as the caller loaded it. Exactly one of
// Ticket, Task and Preventive is set, matching Kind.
type Item struct {
	Kind     Kind
	ID       int64
	Ref      string    // shown to the user, e.g. "T-1042" or "PRJ-7/12"
	Title    string    // shown to the user
	Created  time.Time // start of the item's age; older first on ties
	Level    opsdesk.Level
	Domain   string // domain or category
	Assignee int64  // agent user ID; 0 when unassigned
	Customer int64  // customer ID; 0 when none
	Ticket   *TicketFacts
	Task     *TaskFacts
	// Preventive is set on an occurrence of recurring preventive work.
	Preventive *PreventiveFacts
}

// PreventiveFacts are the fields of an occurrence of preventive work that
// the score and the capacity plan read.
type PreventiveFacts struct {
	Kind string // audit, performance_review, certificate_renewal, access_review
	// Day is the due day, read as a date in its own location (the
	// customer's calendar); the capacity plan puts the whole estimate in
	// that day's week.
	Day time.Time
	// End is the instant the occurrence is overdue: the end of the due day
	// on the customer's calendar.
	End time.Time
	// LeftHours is the business time left until End, in whole hours,
	// computed by the caller; negative when overdue.
	LeftHours        int64
	RemainingMinutes int64 // the estimate, for the capacity plan
}

// TicketFacts are the ticket fields the score reads.
type TicketFacts struct {
	SeverityRank int             // 1 (most severe) .. 5
	Env          opsdesk.EnvKind // "" when the ticket concerns no environment
	HasSLA       bool            // false: no running SLA clock
	SLALeft      time.Duration   // business time left on the running clock; <= 0 is breached
	SLATarget    time.Duration   // that clock's target; > 0 when HasSLA
	Tier         string          // customer contract tier: standard, premium, critical ("" = standard)
}

// TaskFacts are the project task fields the score and the capacity plan read.
type TaskFacts struct {
	Priority      opsdesk.ProjectPriority
	Agreed        bool      // both Ops and the project side agreed the priority
	Due           time.Time // zero when none
	ProjectTarget time.Time // the project's target date; zero when none
	// LeftHours is the business time left, in whole hours, until the
	// deadline (the earlier of Due and ProjectTarget), computed by the
	// caller; negative when overdue. Ignored when there is no deadline.
	LeftHours        int64
	RemainingMinutes int64 // remaining estimate, for the capacity plan
}

// Deadline returns the earlier of Due and ProjectTarget, and false when
// neither is set.
func (t *TaskFacts) Deadline() (time.Time, bool) {
	switch {
	case t.Due.IsZero() && t.ProjectTarget.IsZero():
		return time.Time{}, false
	case t.Due.IsZero():
		return t.ProjectTarget, true
	case t.ProjectTarget.IsZero() || t.Due.Before(t.ProjectTarget):
		return t.Due, true
	}
	return t.ProjectTarget, true
}

// Validate checks the item, naming the faulty field.
func (it *Item) Validate() error {
	if it.ID <= 0 {
		return opsdesk.Invalid("id", "must be positive")
	}
	if it.Level != "" && !it.Level.Valid() {
		return opsdesk.Invalid("level", "%q is not a support level (N1, N2, N3)", it.Level)
	}
	switch it.Kind {
	case KindTicket:
		t := it.Ticket
		if t == nil || it.Task != nil || it.Preventive != nil {
			return opsdesk.Invalid("kind", "a ticket item carries ticket facts only")
		}
		if t.SeverityRank < 1 || t.SeverityRank > 5 {
			return opsdesk.Invalid("severity", "rank must be 1 to 5, got %d", t.SeverityRank)
		}
		if t.Env != "" && !t.Env.Valid() {
			return opsdesk.Invalid("environment", "%q is not an environment kind", t.Env)
		}
		if t.HasSLA && t.SLATarget <= 0 {
			return opsdesk.Invalid("sla_target", "must be positive when an SLA clock runs")
		}
		if t.Tier != "" && tierIndex(t.Tier) < 0 {
			return opsdesk.Invalid("tier", "must be one of standard, premium, critical")
		}
	case KindTask:
		t := it.Task
		if t == nil || it.Ticket != nil || it.Preventive != nil {
			return opsdesk.Invalid("kind", "a task item carries task facts only")
		}
		if !t.Priority.Valid() {
			return opsdesk.Invalid("priority", "must be one of low, normal, high, critical")
		}
		if t.RemainingMinutes < 0 {
			return opsdesk.Invalid("estimate", "must not be negative")
		}
	case KindPreventive:
		p := it.Preventive
		if p == nil || it.Ticket != nil || it.Task != nil {
			return opsdesk.Invalid("kind", "a preventive item carries preventive facts only")
		}
		if p.Day.IsZero() || p.End.IsZero() {
			return opsdesk.Invalid("due_day", "is required")
		}
		if p.RemainingMinutes < 0 {
			return opsdesk.Invalid("estimate", "must not be negative")
		}
	default:
		return opsdesk.Invalid("kind", "must be ticket, task or preventive")
	}
	return nil
}

func tierIndex(tier string) int {
	for i, t := range opsdesk.ContractTiers {
		if t == tier {
			return i
		}
	}
	return -1
}
