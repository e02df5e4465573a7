package opsdesk

import (
	"strings"
	"time"
)

// TaskStatus is where a project task stands.
type TaskStatus string

// The task statuses.
const (
	TaskTodo       TaskStatus = "todo"
	TaskInProgress TaskStatus = "in_progress"
	TaskDone       TaskStatus = "done"
)

// Valid tells whether s is a known task status.
func (s TaskStatus) Valid() bool { return s == TaskTodo || s == TaskInProgress || s == TaskDone }

// RecurUnit is the unit of a recurring task's interval.
type RecurUnit string

// The recurrence units.
const (
	RecurWeeks  RecurUnit = "weeks"
	RecurMonths RecurUnit = "months"
)

// Recurrence repeats a task every Every Units: when an occurrence is done, the next one is
// created, due one interval after the done one's due date (after its done day when it had none).
type Recurrence struct {
	Every int
	Unit  RecurUnit
}

// Set tells whether the task recurs.
func (r Recurrence) Set() bool { return r.Every > 0 }

// Next is the due date one interval after d.
func (r Recurrence) Next(d time.Time) time.Time {
	if r.Unit == RecurMonths {
		return d.AddDate(0, r.Every, 0)
	}
	return d.AddDate(0, 0, 7*r.Every)
}

// Task is a task or a milestone of a project's plan. A deployment task names an environment of
// the project's customer, a component and a version: completing it records the deployment.
type Task struct {
	ID            int64
	ProjectID     int64
	PhaseCode     string // the phase it belongs to
	Title         string
	Milestone     bool
	DueOn         time.Time // optional
	EstimateHours float64
	AssigneeID    int64  // staff; optional
	Assignee      string // read only
	DependsOn     []int64
	Status        TaskStatus
	DoneAt        time.Time
	// Deployment tasks.
	EnvironmentID int64
	Component     string
	Version       string
	DeploymentID  int64 // the deployment recorded when it was done
	// Recurring tasks.
	Recurrence   Recurrence
	RecurrenceOf int64 // the occurrence this one follows
	// Findings is what the task found (an audit, a performance or monitoring review), recorded
	// by staff once it is done through SetTaskFindings; SaveTask leaves it as it is.
	Findings  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Deploys tells whether completing the task records a deployment.
func (t *Task) Deploys() bool { return t.EnvironmentID != 0 }

// Validate checks a task's own fields; the phase, assignee, environment and dependencies are
// checked by the store.
func (t *Task) Validate() error {
	t.Title = strings.TrimSpace(t.Title)
	t.Component = strings.ToLower(strings.TrimSpace(t.Component))
	t.Version = strings.TrimSpace(t.Version)
	t.DueOn = Day(t.DueOn)
	if t.Title == "" {
		return Invalid("title", "is required")
	}
	if len(t.Title) > 300 {
		return Invalid("title", "is at most 300 characters")
	}
	if t.PhaseCode == "" {
		return Invalid("phase", "is required")
	}
	if t.EstimateHours < 0 || t.EstimateHours > 10000 {
		return Invalid("estimate_hours", "must be between 0 and 10000")
	}
	if t.Status == "" {
		t.Status = TaskTodo
	}
	if !t.Status.Valid() {
		return Invalid("status", "must be todo, in_progress or done")
	}
	if t.EnvironmentID != 0 && (t.Component == "" || t.Version == "") {
		return Invalid("version", "a deployment task needs a component and a version")
	}
	if t.EnvironmentID == 0 && (t.Component != "" || t.Version != "") {
		return Invalid("environment", "a component and version need an environment")
	}
	if t.Recurrence.Every < 0 || t.Recurrence.Every > 52 {
		return Invalid("recur_every", "must be between 0 and 52")
	}
	if t.Recurrence.Set() && t.Recurrence.Unit != RecurWeeks && t.Recurrence.Unit != RecurMonths {
		return Invalid("recur_unit", "must be weeks or months")
	}
	if !t.Recurrence.Set() {
		t.Recurrence.Unit = ""
	}
	if t.Recurrence.Set() && t.Deploys() {
		return Invalid("recur_every", "a deployment task does not recur")
	}
	return nil
}

// MaxFindings is the longest findings text a task keeps, in bytes.
const MaxFindings = 20000

// CleanFindings trims a task's findings text and checks its length (invalid on "findings").
func CleanFindings(s string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if len(s) > MaxFindings {
		return "", Invalid("findings", "is at most %d characters", MaxFindings)
	}
	return s, nil
}

// ProjectEvent is one line of a project's append-only history: who did what when.
type ProjectEvent struct {
	ID        int64
	ProjectID int64
	At        time.Time
	ActorID   int64
	Actor     string
	Action    string // created, updated, priority_agreed, phase_closed, phase_reopened, item_*, task_*, comment, link, unlink
	PhaseID   int64
	ItemID    int64
	TaskID    int64
	Detail    string // a comment's text, a reason, "field: old → new"
}

// ProjectLink is a ticket or problem linked to a project (incidents, problems, access requests
// raised during it).
type ProjectLink struct {
	ProjectID int64
	Kind      string // "ticket" or "problem"
	Key       string // ticket key or problem key
	RefID     int64
	Subject   string
	Status    string
	LinkedBy  string
	LinkedAt  time.Time
}

// ProjectFilter selects projects in ListProjects.
type ProjectFilter struct {
	CustomerID int64 // 0: all (customers always see only their own)
	ManagerID  int64
	OpenOnly   bool
}

// PlanTask is an unfinished task of an open project with what the steering plan ranks it by.
type PlanTask struct {
	Task
	ProjectName    string
	CustomerID     int64
	Priority       ProjectPriority
	PriorityAgreed bool
	TargetOn       time.Time
}
