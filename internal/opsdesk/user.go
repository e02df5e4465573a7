package opsdesk

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Role is what a user does in opsdesk; it decides which pages, API routes and records they reach.
type Role string

// The roles. Only RoleCustomer belongs to a customer organisation; all others are vendor staff.
const (
	RoleCustomer       Role = "customer"
	RoleAgent          Role = "agent"
	RoleProjectManager Role = "project_manager"
	RoleOpsManager     Role = "ops_manager"
	RoleAdmin          Role = "admin"
)

// Roles lists every role, in the order the UI shows them.
var Roles = []Role{RoleCustomer, RoleAgent, RoleProjectManager, RoleOpsManager, RoleAdmin}

// Valid tells whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Staff tells whether r is a role of the vendor's team (anything but customer).
func (r Role) Staff() bool { return r.Valid() && r != RoleCustomer }

// Level is a support level. Agents work at one level; contracts say which levels a customer gets.
type Level string

// The support levels, from first help to experts.
const (
	LevelN1 Level = "N1"
	LevelN2 Level = "N2"
	LevelN3 Level = "N3"
)

// Levels lists the support levels in escalation order.
var Levels = []Level{LevelN1, LevelN2, LevelN3}

// Valid tells whether l is a known level.
func (l Level) Valid() bool { return slices.Contains(Levels, l) }

// ParseLevel reads a level, accepting lower case ("n2").
func ParseLevel(s string) (Level, bool) {
	l := Level(strings.ToUpper(strings.TrimSpace(s)))
	return l, l.Valid()
}

// Lang is a user-interface and mail language.
type Lang string

// The languages opsdesk speaks.
const (
	LangFR Lang = "fr"
	LangEN Lang = "en"
)

// Valid tells whether l is a language opsdesk speaks.
func (l Lang) Valid() bool { return l == LangFR || l == LangEN }

// User is someone who logs in: a customer's user or a member of the vendor's team.
type User struct {
	ID         int64
	Email      string
	Name       string
	Role       Role
	Level      Level    // agents only
	Domains    []string // expertise domains, agents only
	CustomerID int64    // customers only
	ManagerID  int64    // staff only: who is warned when an access of theirs expires; 0: the ops managers
	Lang       Lang     // "" means: follow the browser
	Disabled   bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Validate checks the rules a user obeys, naming the offending field.
func (u *User) Validate() error {
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if err := ValidateEmail("email", u.Email); err != nil {
		return err
	}
	if len(u.Name) > 200 {
		return Invalid("name", "is longer than 200 characters")
	}
	if !u.Role.Valid() {
		return Invalid("role", "must be one of customer, agent, project_manager, ops_manager, admin")
	}
	if u.Level != "" {
		u.Level, _ = ParseLevel(string(u.Level))
	}
	if u.Role == RoleAgent {
		if !u.Level.Valid() {
			return Invalid("level", "an agent needs a support level: N1, N2 or N3")
		}
	} else if u.Level != "" {
		return Invalid("level", "only agents have a support level")
	}
	if u.Role == RoleCustomer {
		if u.CustomerID == 0 {
			return Invalid("customer", "a customer user must belong to a customer organisation")
		}
	} else if u.CustomerID != 0 {
		return Invalid("customer", "only customer users belong to a customer organisation")
	}
	if u.Lang != "" && !u.Lang.Valid() {
		return Invalid("lang", "must be fr or en")
	}
	u.Domains = normalizeList(u.Domains)
	return nil
}

// NormalizeEmail trims and lower-cases an address for storage and comparison.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateEmail checks that s is a bare address (no display name), naming field in the error.
func ValidateEmail(field, s string) error {
	if s == "" {
		return Invalid(field, "is required")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return Invalid(field, "%q is not an email address", s)
	}
	return nil
}

func normalizeList(in []string) []string {
	var out []string
	for _, s := range in {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// Actor is who performs an operation: a user, or the system itself (CLI, scheduler, intake).
// Services read it from the context to check permissions, scope queries and record history.
type Actor struct {
	UserID     int64
	Label      string // shown in history: an email, "cli", "system"
	Role       Role
	Level      Level
	CustomerID int64 // set for customers: every query is scoped to this organisation
}

// System is the actor for work opsdesk does by itself or that an operator runs from the CLI.
func System(label string) Actor { return Actor{Label: label, Role: RoleAdmin} }

// ActorOf is the actor for a logged-in user.
func ActorOf(u *User) Actor {
	return Actor{UserID: u.ID, Label: u.Email, Role: u.Role, Level: u.Level, CustomerID: u.CustomerID}
}

// IsCustomer tells whether the actor is a customer, whose reach is one organisation.
func (a Actor) IsCustomer() bool { return a.Role == RoleCustomer }

// IsStaff tells whether the actor is a member of the vendor's team (or the system).
func (a Actor) IsStaff() bool { return a.Role.Staff() }

// IsAdmin tells whether the actor may administer opsdesk.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

// CanManage tells whether the actor may manage customers, contracts and users below admin.
func (a Actor) CanManage() bool { return a.Role == RoleAdmin || a.Role == RoleOpsManager }

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx; without one it is the anonymous actor (no role), which
// services refuse.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}
