package opsdesk

import (
	"strings"
	"time"
)

// ActionKind says whether a CAPA action corrects a cause that struck or prevents one.
type ActionKind string

// The kinds of action.
const (
	ActionCorrective ActionKind = "corrective"
	ActionPreventive ActionKind = "preventive"
)

// ActionStatus is where a CAPA action stands: proposed (suggested, awaiting acceptance), open,
// in_progress, done, cancelled, rejected (a suggestion turned down with a reason).
type ActionStatus string

// The statuses of an action.
const (
	ActionProposed   ActionStatus = "proposed"
	ActionOpen       ActionStatus = "open"
	ActionInProgress ActionStatus = "in_progress"
	ActionDone       ActionStatus = "done"
	ActionCancelled  ActionStatus = "cancelled"
	ActionRejected   ActionStatus = "rejected"
)

// ActionSource names what an action comes from; SourceID is read against it.
type ActionSource string

// The sources of an action.
const (
	SourceProblem   ActionSource = "problem"    // SourceID: a problem
	SourceSLABreach ActionSource = "sla_breach" // SourceID: a ticket; SourceClock: its clock
	SourceSurvey    ActionSource = "survey"     // SourceID: a survey with a low rating
	SourceAudit     ActionSource = "audit"      // SourceID: a project task (audit finding)
	SourceProbe     ActionSource = "probe"      // SourceID: a ticket opened by a probe
	SourceManual    ActionSource = "manual"     // no SourceID

	SourceQualityTarget ActionSource = "quality_target" // SourceID: a quality target missed over a period
)

// Action is a corrective or preventive action (CAPA, issue #9, docs/capa.md).
type Action struct {
	ID          int64        `json:"id"`
	Kind        ActionKind   `json:"kind"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Source      ActionSource `json:"source"`
	SourceID    int64        `json:"source_id,omitempty"`
	SourceClock string       `json:"source_clock,omitempty"`
	SuggestKey  string       `json:"suggest_key,omitempty"` // set on suggested actions: one per source
	CustomerID  int64        `json:"customer_id,omitempty"` // the customer it concerns; 0: the vendor's own
	OwnerID     int64        `json:"owner_id,omitempty"`
	DueDay      string       `json:"due_day,omitempty"` // YYYY-MM-DD
	Status      ActionStatus `json:"status"`
	Reason      string       `json:"reason,omitempty"` // why a suggestion was rejected
	ClosedAt    time.Time    `json:"closed_at,omitzero"`
	ClosedBy    string       `json:"closed_by,omitempty"`
	// The effectiveness check: on or after CheckDay, once done, someone records whether the
	// cause recurred.
	CheckDay  string    `json:"check_day,omitempty"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
	CheckedBy string    `json:"checked_by,omitempty"`
	Effective *bool     `json:"effective,omitempty"`
	CheckNote string    `json:"check_note,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ActionFilter selects actions for a list. Zero fields select everything.
type ActionFilter struct {
	Status     []ActionStatus // any of these (empty: all)
	Open       bool           // proposed, open or in_progress
	Overdue    bool           // open or in_progress with a due day before today
	CustomerID int64
	OwnerID    int64
	Source     ActionSource
	Kind       ActionKind
	Limit      int // default 200, at most 1000
}

// ActionCounts counts the actions a filter selects (its Status, Open and Overdue left aside).
type ActionCounts struct {
	ByStatus map[ActionStatus]int `json:"by_status"`
	Overdue  int                  `json:"overdue"` // open or in_progress, due before today
}

// OpenActionStatuses are the statuses of an action still to be worked on or decided.
var OpenActionStatuses = []ActionStatus{ActionProposed, ActionOpen, ActionInProgress}

// CustomerActionStatuses are the statuses in which an action is shown to its customer's users:
// accepted work (a suggestion still proposed, or rejected, is the vendor's internal triage).
var CustomerActionStatuses = []ActionStatus{ActionOpen, ActionInProgress, ActionDone}

// ForCustomer is what a customer's user reads of an action: what is done for them (kind, title,
// status, due day, when it was closed), without the team's internal notes, source, owner or check.
func (a *Action) ForCustomer() *Action {
	return &Action{ID: a.ID, Kind: a.Kind, Title: a.Title, CustomerID: a.CustomerID, DueDay: a.DueDay, Status: a.Status,
		ClosedAt: a.ClosedAt, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// ActionChange is one line of an action's history.
type ActionChange struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Change string    `json:"change"` // created, suggested, status:<to>, edited, checked
	Note   string    `json:"note,omitempty"`
}

func validDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// Validate checks the fields a person enters, trimming the texts.
func (a *Action) Validate() error {
	a.Title, a.Description = strings.TrimSpace(a.Title), strings.TrimSpace(a.Description)
	switch {
	case a.Kind != ActionCorrective && a.Kind != ActionPreventive:
		return Invalid("kind", "must be corrective or preventive")
	case a.Title == "":
		return Invalid("title", "is required")
	case len(a.Title) > 200:
		return Invalid("title", "must be at most 200 characters")
	case a.DueDay != "" && !validDay(a.DueDay):
		return Invalid("due_day", "must be a date YYYY-MM-DD")
	case a.CheckDay != "" && !validDay(a.CheckDay):
		return Invalid("check_day", "must be a date YYYY-MM-DD")
	}
	switch a.Source {
	case SourceManual:
		if a.SourceID != 0 {
			return Invalid("source_id", "a manual action has no source record")
		}
	case SourceProblem, SourceSLABreach, SourceSurvey, SourceAudit, SourceProbe, SourceQualityTarget:
		if a.SourceID <= 0 {
			return Invalid("source_id", "is required for source %s", a.Source)
		}
	default:
		return Invalid("source", "must be problem, sla_breach, survey, audit, probe, quality_target or manual")
	}
	if a.Source == SourceSLABreach && a.SourceClock == "" {
		return Invalid("source_clock", "is required for an SLA breach")
	}
	return nil
}

// CheckActionMove tells whether actor may move an action from one status to another. Staff move
// open → in_progress → done (and back from in_progress to open); accepting or rejecting a
// suggestion and cancelling take an ops manager (or admin). Errors: forbidden, invalid (status).
func CheckActionMove(a Actor, from, to ActionStatus) error {
	allowed := map[ActionStatus][]ActionStatus{
		ActionProposed:   {ActionOpen, ActionRejected},
		ActionOpen:       {ActionInProgress, ActionDone, ActionCancelled},
		ActionInProgress: {ActionOpen, ActionDone, ActionCancelled},
	}
	ok := false
	for _, s := range allowed[from] {
		ok = ok || s == to
	}
	if !ok {
		return Invalid("status", "an action cannot go from %s to %s", from, to)
	}
	if (from == ActionProposed || to == ActionCancelled) && !a.CanManage() {
		return Forbidden("only an ops manager accepts, rejects or cancels actions")
	}
	return nil
}
