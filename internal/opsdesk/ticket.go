package opsdesk

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Status is where a ticket stands in its lifecycle.
type Status string

// The ticket statuses. A ticket is new until an agent takes it in charge (open); it may wait for
// the customer and come back; it is resolved when the agent says so, and closed when the customer
// confirms (or does not answer in time). A resolved ticket can be reopened.
const (
	StatusNew             Status = "new"
	StatusOpen            Status = "open"
	StatusWaitingCustomer Status = "waiting_customer"
	StatusResolved        Status = "resolved"
	StatusClosed          Status = "closed"
)

// Statuses lists the statuses in lifecycle order.
var Statuses = []Status{StatusNew, StatusOpen, StatusWaitingCustomer, StatusResolved, StatusClosed}

// Valid tells whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Active tells whether a ticket in status s still needs work (not resolved or closed).
func (s Status) Active() bool { return s == StatusNew || s == StatusOpen || s == StatusWaitingCustomer }

// transitions lists, for each status, the statuses a ticket may move to.
var transitions = map[Status][]Status{
	StatusNew:             {StatusOpen},
	StatusOpen:            {StatusWaitingCustomer, StatusResolved},
	StatusWaitingCustomer: {StatusOpen, StatusResolved},
	StatusResolved:        {StatusOpen, StatusClosed},
	StatusClosed:          {},
}

// CheckTransition returns a conflict error naming the legal moves when from → to is not allowed.
func CheckTransition(from, to Status) error {
	if !to.Valid() {
		return Invalid("status", "%q is not a status (new, open, waiting_customer, resolved, closed)", to)
	}
	if from == to {
		return Conflict("status", "the ticket is already %s", to)
	}
	next := transitions[from]
	if slices.Contains(next, to) {
		return nil
	}
	if len(next) == 0 {
		return Conflict("status", "a ticket that is %s cannot change status", from)
	}
	names := make([]string, len(next))
	for i, s := range next {
		names[i] = string(s)
	}
	return Conflict("status", "a ticket that is %s cannot become %s; it can become %s", from, to, strings.Join(names, " or "))
}

// NextStatuses lists the statuses a ticket in status s can move to.
func NextStatuses(s Status) []Status { return slices.Clone(transitions[s]) }

// TicketType is the nature of a request.
type TicketType string

// The ticket types.
const (
	TypeIncident       TicketType = "incident"
	TypeServiceRequest TicketType = "service_request"
	TypeAccessRequest  TicketType = "access_request"
	TypeEvolution      TicketType = "evolution"
)

// TicketTypes lists the ticket types.
var TicketTypes = []TicketType{TypeIncident, TypeServiceRequest, TypeAccessRequest, TypeEvolution}

// Valid tells whether t is a known type.
func (t TicketType) Valid() bool { return slices.Contains(TicketTypes, t) }

// Channel is how a request reached opsdesk.
type Channel string

// The intake channels.
const (
	ChannelWeb   Channel = "web"
	ChannelMail  Channel = "mail"
	ChannelAPI   Channel = "api"
	ChannelProbe Channel = "probe"
)

// Severity is one step of the configurable severity scale. Rank orders the scale: 1 is the most
// severe. Codes are stable; labels are shown in the reader's language.
type Severity struct {
	Code           string
	Rank           int
	LabelFR        string
	LabelEN        string
	HelpFR         string // one line explaining when to choose it
	HelpEN         string
	RequiresImpact bool // the requester must state the impact (blocking)
	DefaultType    TicketType
	KBRequired     bool // resolving needs a knowledge-base article linked, or a draft made from the ticket
}

// Label returns the severity's name in lang.
func (s *Severity) Label(lang Lang) string {
	if lang == LangFR {
		return s.LabelFR
	}
	return s.LabelEN
}

// Help returns the one-line explanation in lang.
func (s *Severity) Help(lang Lang) string {
	if lang == LangFR {
		return s.HelpFR
	}
	return s.HelpEN
}

// DefaultSeverities is the scale seeded at install.
var DefaultSeverities = []Severity{
	{"blocking", 1, "Anomalie bloquante", "Blocking anomaly",
		"Le service est arrêté ou inutilisable pour de nombreux utilisateurs, sans contournement.",
		"The service is down or unusable for many users, with no workaround.", true, TypeIncident, true},
	{"major", 2, "Anomalie majeure", "Major anomaly",
		"Une fonction importante est dégradée ; un contournement difficile peut exister.",
		"An important function is degraded; a difficult workaround may exist.", false, TypeIncident, false},
	{"minor", 3, "Anomalie mineure", "Minor anomaly",
		"Un défaut gênant mais sans impact sur l'activité ; un contournement existe.",
		"An annoying defect with no business impact; a workaround exists.", false, TypeIncident, false},
	{"question", 4, "Demande d'assistance", "Assistance request",
		"Une question sur l'utilisation, la configuration ou le fonctionnement.",
		"A question about use, configuration or behaviour.", false, TypeServiceRequest, false},
	{"evolution", 5, "Demande d'évolution", "Feature request",
		"Une amélioration ou une fonction nouvelle souhaitée.",
		"An improvement or a new feature you would like.", false, TypeEvolution, false},
}

// Category is a product domain that requests are filed under; it routes them to a support
// level and a group.
type Category struct {
	Code         string
	LabelFR      string
	LabelEN      string
	Level        Level  // the level a new ticket of this category starts at
	GroupCode    string // the default group, "" for none
	Active       bool
	DisplayOrder int
}

// Label returns the category's name in lang.
func (c *Category) Label(lang Lang) string {
	if lang == LangFR {
		return c.LabelFR
	}
	return c.LabelEN
}

// DefaultCategories is the list seeded at install.
var DefaultCategories = []Category{
	{"application", "Application", "Application", LevelN1, "", true, 1},
	{"mobile", "Application mobile", "Mobile app", LevelN1, "", true, 2},
	{"integration", "Interfaces et flux", "Integrations and data flows", LevelN2, "", true, 3},
	{"infrastructure", "Infrastructure et serveurs", "Infrastructure and servers", LevelN2, "", true, 4},
	{"database", "Base de données", "Database", LevelN2, "", true, 5},
	{"security", "Sécurité et accès", "Security and access", LevelN2, "", true, 6},
	{"other", "Autre", "Other", LevelN1, "", true, 9},
}

// Ticket is a customer's request and everything done about it.
type Ticket struct {
	ID            int64
	Key           string // human number, unique and stable: OPS-1042
	Number        int64
	CustomerID    int64
	RequesterID   int64 // contact
	EnvironmentID int64 // 0 when the request names no environment
	Category      string
	Type          TicketType
	Severity      string
	SeverityRank  int // the severity's place on the scale, 1 = most severe
	Status        Status
	Level         Level
	AssigneeID    int64 // 0 when unassigned
	GroupCode     string
	Channel       Channel
	Subject       string
	Impact        string // required for a severity that RequiresImpact
	CreatedByID   int64  // the user who filed it (0 for mail, probes)
	CreatedAt     time.Time
	UpdatedAt     time.Time
	TakenAt       time.Time // first taken in charge (status open) or first public answer
	ResolvedAt    time.Time // last resolution
	ClosedAt      time.Time
	ReopenCount   int
	// The last resolution: its summary (public) and cause code; kept when the ticket reopens, so
	// that the next resolution starts from it.
	ResolutionSummary string
	Cause             string
	Version           int64 // incremented by every change, for optimistic checks and live updates
	// NextDeadline is the nearest deadline of the ticket's running, targeted SLA clocks as last
	// stored by the SLA scheduler; zero when none runs (paused, met, or no target).
	NextDeadline time.Time

	// Filled on reads for display.
	CustomerCode  string
	CustomerName  string
	RequesterName string
	RequesterMail string
	EnvKind       EnvKind
	EnvName       string
	AssigneeName  string
	AssigneeMail  string
}

// NewTicket is what a requester files: through the portal, the API or a mail.
type NewTicket struct {
	CustomerID     int64
	RequesterEmail string // a contact of the customer (created if the address is of a customer domain)
	RequesterName  string
	EnvironmentID  int64
	Category       string
	Type           TicketType // "" means the severity's default
	Severity       string
	Subject        string
	Description    string
	Impact         string
	Channel        Channel
	ReceivedAt     time.Time // the mail's arrival; zero means now
	Attachments    []NewAttachment
	// Import marks a request brought in from elsewhere (a migration, a load test's seed): it is
	// recorded like any other but announces no event, so nobody is mailed or called back.
	Import bool
}

// Validate checks the fields that need no database, naming the offending one.
func (n *NewTicket) Validate() error {
	n.Subject = strings.TrimSpace(n.Subject)
	n.Description = strings.TrimSpace(n.Description)
	n.Impact = strings.TrimSpace(n.Impact)
	n.RequesterEmail = NormalizeEmail(n.RequesterEmail)
	if n.CustomerID == 0 {
		return Invalid("customer", "is required")
	}
	if err := ValidateEmail("requester", n.RequesterEmail); err != nil {
		return err
	}
	if n.Subject == "" {
		return Invalid("subject", "is required")
	}
	if len([]rune(n.Subject)) > 250 {
		return Invalid("subject", "is longer than 250 characters")
	}
	if n.Description == "" {
		return Invalid("description", "is required: describe what happens and what you expected")
	}
	if len(n.Description) > 200_000 {
		return Invalid("description", "is longer than 200,000 characters")
	}
	if n.Severity == "" {
		return Invalid("severity", "is required")
	}
	if n.Category == "" {
		return Invalid("category", "is required")
	}
	if n.Type != "" && !n.Type.Valid() {
		return Invalid("type", "must be incident, service_request, access_request or evolution")
	}
	if n.Channel == "" {
		n.Channel = ChannelWeb
	}
	return nil
}

// TicketFilter selects tickets for queues, lists and the API.
type TicketFilter struct {
	Statuses      []Status
	Severities    []string
	Levels        []Level
	CustomerID    int64
	EnvironmentID int64
	EnvKind       EnvKind
	AssigneeID    int64
	Unassigned    bool
	Category      string
	Query         string // number or words of the subject
	Sort          string // "updated" (default), "created", "severity", "number", "deadline"
	Desc          bool
	Limit         int
	Cursor        string // opaque, from the previous page
}

// FormatKey builds the human number of a ticket from the prefix and its number.
func FormatKey(prefix string, n int64) string { return fmt.Sprintf("%s-%d", prefix, n) }

// The ticket events announced to webhooks and notifications, through the job queue.
const (
	TicketCreated   = "ticket.created"
	TicketUpdated   = "ticket.updated"
	TicketMessage   = "ticket.message_added"
	TicketEscalated = "ticket.escalated"
	TicketResolved  = "ticket.resolved"
	TicketClosed    = "ticket.closed"
)

// TicketEventJob is the kind of the job that carries a ticket event to its consumers (webhooks,
// mail notifications); it is enqueued in the transaction of the change.
const TicketEventJob = "ticket.event"

// TicketEvent is the payload of a TicketEventJob.
type TicketEvent struct {
	Event     string    `json:"event"`
	TicketID  int64     `json:"ticket_id"`
	Key       string    `json:"number"`
	MessageID int64     `json:"message_id,omitempty"`
	Internal  bool      `json:"internal,omitempty"` // the message is an internal note
	Actor     string    `json:"actor"`
	At        time.Time `json:"at"`
}

// Group is a team of agents that receives a category's tickets (e.g. "mobile experts" at N3).
type Group struct {
	Code      string
	Name      string
	Level     Level
	MemberIDs []int64
}

// Validate checks a group.
func (g *Group) Validate() error {
	g.Code = strings.ToLower(strings.TrimSpace(g.Code))
	g.Name = strings.TrimSpace(g.Name)
	if !groupCodeRE.MatchString(g.Code) {
		return Invalid("code", "must be 2 to 30 lower-case letters, digits or -")
	}
	if g.Name == "" {
		return Invalid("name", "is required")
	}
	if !g.Level.Valid() {
		return Invalid("level", "must be N1, N2 or N3")
	}
	return nil
}

var groupCodeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,29}$`)
