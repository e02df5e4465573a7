package opsdesk

import (
	"slices"
	"strings"
	"time"
)

// This file holds delivery projects (issue #8): a project brings a customer (or a major release)
// into service through phases copied from a template, each with a checklist of items that must be
// validated or waived before its gate closes, plus the tasks and milestones of the plan.
// Templates are in project_template.go, the derived status in project_status.go;
// docs/projects.md describes the model and the store API.

// The phase codes of the default template, in order.
const (
	PhasePreframing  = "preframing"
	PhaseFraming     = "framing"
	PhaseDeployment  = "deployment"
	PhaseOperations  = "operations"
	PhaseImprovement = "improvement"
)

// ProjectPriority is the priority agreed between Ops and the project managers. The steering plan
// ranks project work by its Rank.
type ProjectPriority string

// The project priorities, from least to most urgent.
const (
	PriorityLow      ProjectPriority = "low"
	PriorityNormal   ProjectPriority = "normal"
	PriorityHigh     ProjectPriority = "high"
	PriorityCritical ProjectPriority = "critical"
)

// ProjectPriorities lists the priorities in the order the UI shows them.
var ProjectPriorities = []ProjectPriority{PriorityLow, PriorityNormal, PriorityHigh, PriorityCritical}

// Valid tells whether p is a known priority.
func (p ProjectPriority) Valid() bool { return slices.Contains(ProjectPriorities, p) }

// Rank is 1 (low) to 4 (critical), for ranking; 0 for an unknown priority.
func (p ProjectPriority) Rank() int { return slices.Index(ProjectPriorities, p) + 1 }

// Agreement is one side's agreement on the project's current priority.
type Agreement struct {
	ByID int64  // the user who agreed; 0 when nobody has (or the priority changed since)
	By   string // their label
	At   time.Time
}

// Agreed tells whether the side has agreed.
func (a Agreement) Agreed() bool { return !a.At.IsZero() }

// Project is a delivery project of a customer. Dates are calendar days at 00:00 UTC; a date D is
// past once D's whole day is over.
type Project struct {
	ID             int64
	CustomerID     int64
	CustomerName   string // read only
	Name           string
	TemplateID     int64  // the template it was created from (0 if since deleted)
	TemplateCode   string // kept even if the template is deleted
	ManagerID      int64  // project manager: a user with role project_manager, ops_manager or admin
	ManagerName    string // read only
	OpsLeadID      int64  // Ops lead: any staff user
	OpsLeadName    string // read only
	StartOn        time.Time
	TargetOn       time.Time // optional
	EnvironmentIDs []int64   // the customer's environments it sets up or changes
	Priority       ProjectPriority
	OpsAgreement   Agreement // Ops' agreement on Priority (ops manager or admin)
	PMAgreement    Agreement // the project managers' agreement on Priority
	ClosedAt       time.Time // zero while open
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// PriorityAgreed tells whether both sides agreed on the current priority.
func (p *Project) PriorityAgreed() bool { return p.OpsAgreement.Agreed() && p.PMAgreement.Agreed() }

// Closed tells whether the project is closed.
func (p *Project) Closed() bool { return !p.ClosedAt.IsZero() }

// Validate checks a project's own fields; who may be manager, lead or environment is the store's.
func (p *Project) Validate() error {
	p.Name = strings.TrimSpace(p.Name)
	if p.CustomerID == 0 {
		return Invalid("customer", "is required")
	}
	if p.Name == "" {
		return Invalid("name", "is required")
	}
	if len(p.Name) > 200 {
		return Invalid("name", "is at most 200 characters")
	}
	if p.StartOn.IsZero() {
		return Invalid("start_on", "is required")
	}
	p.StartOn, p.TargetOn = Day(p.StartOn), Day(p.TargetOn)
	if !p.TargetOn.IsZero() && p.TargetOn.Before(p.StartOn) {
		return Invalid("target_date", "cannot be before the start date")
	}
	if p.Priority == "" {
		p.Priority = PriorityNormal
	}
	if !p.Priority.Valid() {
		return Invalid("priority", "must be one of low, normal, high, critical")
	}
	if p.ManagerID == 0 {
		return Invalid("manager", "is required")
	}
	return nil
}

// Day truncates t to its calendar day at 00:00 UTC (the zero time stays zero).
func Day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// PastDay tells whether the whole calendar day d is over at now (false for a zero d).
func PastDay(d, now time.Time) bool { return !d.IsZero() && !now.Before(Day(d).AddDate(0, 0, 1)) }

// PhaseStatus is whether a phase's gate is open or closed.
type PhaseStatus string

// The phase statuses.
const (
	PhaseOpen   PhaseStatus = "open"
	PhaseClosed PhaseStatus = "closed"
)

// Phase is a phase of a project, copied from its template at creation.
type Phase struct {
	ID        int64
	ProjectID int64
	Code      string
	NameFR    string
	NameEN    string
	Position  int
	Status    PhaseStatus
	ClosedAt  time.Time
	ClosedBy  string
}

// Name is the phase's name in lang.
func (p *Phase) Name(lang Lang) string { return pick(lang, p.NameFR, p.NameEN) }

func pick(lang Lang, fr, en string) string {
	if lang == LangFR && fr != "" || en == "" {
		return fr
	}
	return en
}

// OwnerSide is who owes a checklist item: the vendor or the customer.
type OwnerSide string

// The owner sides.
const (
	SideVendor   OwnerSide = "vendor"
	SideCustomer OwnerSide = "customer"
)

// Valid tells whether s is a known side.
func (s OwnerSide) Valid() bool { return s == SideVendor || s == SideCustomer }

// ItemKind is what a checklist item is.
type ItemKind string

// The item kinds.
const (
	ItemPrerequisite ItemKind = "prerequisite" // to collect from the customer and validate
	ItemDeliverable  ItemKind = "deliverable"  // something the project produces
	ItemTask         ItemKind = "task"         // a check to do
)

// Valid tells whether k is a known item kind.
func (k ItemKind) Valid() bool { return k == ItemPrerequisite || k == ItemDeliverable || k == ItemTask }

// ItemStatus is where a checklist item stands.
type ItemStatus string

// The item statuses. Validated and waived items are complete: a phase gate closes on them.
const (
	ItemTodo      ItemStatus = "todo"
	ItemSubmitted ItemStatus = "submitted" // evidence given, awaiting review
	ItemValidated ItemStatus = "validated"
	ItemWaived    ItemStatus = "waived" // by an ops manager, with a reason
)

// ItemStatuses lists the item statuses in order.
var ItemStatuses = []ItemStatus{ItemTodo, ItemSubmitted, ItemValidated, ItemWaived}

// Valid tells whether s is a known item status.
func (s ItemStatus) Valid() bool { return slices.Contains(ItemStatuses, s) }

// Complete tells whether an item in status s lets its phase close.
func (s ItemStatus) Complete() bool { return s == ItemValidated || s == ItemWaived }

// Item is a checklist item of a project phase, copied from the template at creation.
type Item struct {
	ID             int64
	ProjectID      int64
	PhaseID        int64
	PhaseCode      string // read only
	Position       int
	Kind           ItemKind
	TitleFR        string
	TitleEN        string
	DescriptionFR  string
	DescriptionEN  string
	OwnerSide      OwnerSide
	OwnerUserID    int64  // a vendor user (vendor side) — optional
	OwnerContactID int64  // a customer contact (customer side) — optional
	Owner          string // read only: the owner's name or email
	DueOn          time.Time
	Status         ItemStatus
	Evidence       string
	SubmittedAt    time.Time
	SubmittedBy    string
	ReviewerID     int64
	Reviewer       string
	ValidatedAt    time.Time // when validated or waived
	WaiveReason    string
	Attachments    []ItemAttachment
	UpdatedAt      time.Time
}

// Title is the item's title in lang.
func (i *Item) Title(lang Lang) string { return pick(lang, i.TitleFR, i.TitleEN) }

// ItemAttachment is a file given as evidence for an item. Content lives in the attachment store
// (internal/blob), addressed by SHA256, like ticket attachments.
type ItemAttachment struct {
	ID          int64
	ItemID      int64
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	UploadedBy  string
	CreatedAt   time.Time
}

// ItemPatch is a change to an item; nil fields are left alone. Customers may set only Status
// (to submitted) and Evidence, on customer-owned items.
type ItemPatch struct {
	Status         *ItemStatus // todo, submitted or validated; waiving is WaiveItem
	Evidence       *string
	DueOn          *time.Time
	OwnerUserID    *int64
	OwnerContactID *int64
	Attachments    []NewAttachment // added, never removed
}
