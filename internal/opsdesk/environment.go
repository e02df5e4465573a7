package opsdesk

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file holds what an environment is made of beyond its identity (customer.go): what the
// vendor shows the customer, its servers, the software components installed on it, the
// deployments made to it, who at the vendor holds access to it, and its maintenance windows.
// docs/environments.md describes the model and the store API.

// EnvVisibility is what the vendor chooses to show a customer of one of their environments.
// Every flag is off by default: a customer sees the environment's name, kind, URL and status,
// and its maintenance windows, nothing more until staff turn a part on.
type EnvVisibility struct {
	ShowServers      bool // servers: hostname, role, OS, sizing, location
	ShowVersions     bool // installed components with versions, and the deployment history
	ShowAvailability bool // probe results and availability (health probes, later work)
	ShowAccess       bool // who at the vendor holds which access to the environment
}

// VisibilityAuditFields returns the audited visibility flags of an environment.
func (e *Environment) VisibilityAuditFields() map[string]string {
	return map[string]string{
		"show_servers": fmt.Sprint(e.ShowServers), "show_versions": fmt.Sprint(e.ShowVersions),
		"show_availability": fmt.Sprint(e.ShowAvailability), "show_access": fmt.Sprint(e.ShowAccess),
	}
}

// EnvVisibilityAuditFields is the order in which visibility changes are listed.
var EnvVisibilityAuditFields = []string{"show_servers", "show_versions", "show_availability", "show_access"}

// ServerRole is what a server does in an environment.
type ServerRole string

// The server roles. The twin check counts servers per role.
const (
	ServerApp      ServerRole = "app"
	ServerDatabase ServerRole = "database"
	ServerProxy    ServerRole = "proxy"
	ServerCache    ServerRole = "cache"
	ServerSearch   ServerRole = "search"
	ServerBatch    ServerRole = "batch"
	ServerOther    ServerRole = "other"
)

// ServerRoles lists the server roles in the order the UI shows them.
var ServerRoles = []ServerRole{ServerApp, ServerDatabase, ServerProxy, ServerCache, ServerSearch, ServerBatch, ServerOther}

// Valid tells whether r is a known server role.
func (r ServerRole) Valid() bool { return slices.Contains(ServerRoles, r) }

// Server is a machine (or VM, or container host) of an environment.
type Server struct {
	ID            int64
	EnvironmentID int64
	Hostname      string // unique within the environment
	Role          ServerRole
	OS            string // e.g. "Debian"
	OSVersion     string // e.g. "12.5"
	CPUCores      int
	MemoryMB      int64
	DiskGB        int64
	Location      string // data centre, region, rack…
	Notes         string // staff only: blanked for customers
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Validate checks a server, normalising its hostname to lower case.
func (s *Server) Validate() error {
	s.Hostname = strings.ToLower(strings.TrimSpace(s.Hostname))
	s.OS = strings.TrimSpace(s.OS)
	s.OSVersion = strings.TrimSpace(s.OSVersion)
	s.Location = strings.TrimSpace(s.Location)
	if s.EnvironmentID == 0 {
		return Invalid("environment", "is required")
	}
	if s.Hostname == "" {
		return Invalid("hostname", "is required")
	}
	if len(s.Hostname) > 253 || strings.ContainsAny(s.Hostname, " \t\r\n/") {
		return Invalid("hostname", "must be a host name (no spaces or slashes, at most 253 characters)")
	}
	if s.Role == "" {
		s.Role = ServerApp
	}
	if !s.Role.Valid() {
		return Invalid("role", "must be one of app, database, proxy, cache, search, batch, other")
	}
	for _, f := range []struct {
		name string
		v    int64
	}{{"cpu_cores", int64(s.CPUCores)}, {"memory_mb", s.MemoryMB}, {"disk_gb", s.DiskGB}} {
		if f.v < 0 {
			return Invalid(f.name, "cannot be negative")
		}
	}
	if len(s.OS) > 100 || len(s.OSVersion) > 100 || len(s.Location) > 200 {
		return Invalid("os", "os and os_version are at most 100 characters, location 200")
	}
	return nil
}

// Component is a piece of software installed on an environment with its current version: the
// vendor's product or one of its major dependencies (database engine, runtime, proxy…).
// Components hang on the environment, not on a server: a deployment delivers a version to the
// whole environment, and the twin check compares versions per environment.
type Component struct {
	EnvironmentID int64
	Name          string // e.g. "app", "postgresql"
	Version       string
	UpdatedAt     time.Time
	DeploymentID  int64 // the successful deployment that set this version; 0 if set by hand
}

// ValidateComponentName checks and normalises a component name (lower case, no spaces).
func ValidateComponentName(field, name string) (string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return "", Invalid(field, "is required")
	}
	if len(name) > 100 || strings.ContainsAny(name, " \t\r\n") {
		return "", Invalid(field, "must be a name without spaces, at most 100 characters")
	}
	return name, nil
}

// ValidateVersion checks and trims a version string; any scheme is accepted (4.2.0, 2024.11).
func ValidateVersion(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", Invalid(field, "is required")
	}
	if len(v) > 100 || strings.ContainsAny(v, " \t\r\n") {
		return "", Invalid(field, "must be a version without spaces, at most 100 characters")
	}
	return v, nil
}

// DeployOutcome is how a deployment went.
type DeployOutcome string

// The deployment outcomes. Planned and in progress are not final; a deployment moves from them
// to one of the final outcomes once. Only success changes the environment's current version.
const (
	DeployPlanned    DeployOutcome = "planned"
	DeployInProgress DeployOutcome = "in_progress"
	DeploySuccess    DeployOutcome = "success"
	DeployFailed     DeployOutcome = "failed"
	DeployRolledBack DeployOutcome = "rolled_back"
)

// DeployOutcomes lists the outcomes in lifecycle order.
var DeployOutcomes = []DeployOutcome{DeployPlanned, DeployInProgress, DeploySuccess, DeployFailed, DeployRolledBack}

// Valid tells whether o is a known outcome.
func (o DeployOutcome) Valid() bool { return slices.Contains(DeployOutcomes, o) }

// Final tells whether o ends a deployment.
func (o DeployOutcome) Final() bool {
	return o == DeploySuccess || o == DeployFailed || o == DeployRolledBack
}

// Deployment records the delivery of a version of a component to an environment.
type Deployment struct {
	ID              int64
	EnvironmentID   int64
	Component       string
	FromVersion     string // the version before; filled from the environment's current one if empty
	ToVersion       string
	Outcome         DeployOutcome
	PlannedAt       time.Time // optional
	StartedAt       time.Time // optional; actual start
	FinishedAt      time.Time // optional; actual end (set to now when a final outcome has none)
	ByID            int64     // the user who recorded it (0: system, CLI, pipeline token)
	By              string    // label of who recorded it; blanked for customers
	TicketKey       string    // linked ticket (same customer), optional
	ProjectID       int64     // linked project (projects come later), optional
	Notes           string    // staff only: blanked for customers
	EmergencyReason string    // why a prod deployment skipped the promotion path; staff only
	CreatedAt       time.Time
}

// Validate checks a deployment's own fields; the promotion path and permissions are the store's.
func (d *Deployment) Validate() error {
	var err error
	if d.EnvironmentID == 0 {
		return Invalid("environment", "is required")
	}
	if d.Component, err = ValidateComponentName("component", d.Component); err != nil {
		return err
	}
	if d.ToVersion, err = ValidateVersion("version", d.ToVersion); err != nil {
		return err
	}
	d.FromVersion = strings.TrimSpace(d.FromVersion)
	if d.FromVersion != "" {
		if d.FromVersion, err = ValidateVersion("from_version", d.FromVersion); err != nil {
			return err
		}
	}
	if d.Outcome == "" {
		d.Outcome = DeploySuccess
	}
	if !d.Outcome.Valid() {
		return Invalid("outcome", "must be planned, in_progress, success, failed or rolled_back")
	}
	if !d.StartedAt.IsZero() && !d.FinishedAt.IsZero() && d.FinishedAt.Before(d.StartedAt) {
		return Invalid("finished_at", "is before started_at")
	}
	if !d.Outcome.Final() && !d.FinishedAt.IsZero() {
		return Invalid("finished_at", "a deployment that is not finished has no end time")
	}
	if d.ProjectID < 0 {
		return Invalid("project", "is not a project id")
	}
	d.TicketKey = strings.ToUpper(strings.TrimSpace(d.TicketKey))
	d.EmergencyReason = strings.TrimSpace(d.EmergencyReason)
	if len(d.EmergencyReason) > 2000 {
		return Invalid("emergency_reason", "is longer than 2000 characters")
	}
	return nil
}

// TwinDiffKind is what differs between a preprod environment and its prod twin.
type TwinDiffKind string

// The kinds of twin differences.
const (
	TwinComponentVersion TwinDiffKind = "component_version" // Subject: component; "" = not installed
	TwinOSVersion        TwinDiffKind = "os_version"        // Subject: server role; values list OS versions
	TwinServerCount      TwinDiffKind = "server_count"      // Subject: server role; values are counts
	TwinMissing          TwinDiffKind = "missing_twin"      // an environment with no counterpart
)

// TwinDiff is one difference between a customer's preprod environment and its prod one.
type TwinDiff struct {
	PreprodID   int64 // 0 when a prod has no preprod (TwinMissing)
	PreprodName string
	ProdID      int64 // 0 when a preprod has no prod (TwinMissing)
	ProdName    string
	Kind        TwinDiffKind
	Subject     string // component name or server role
	Preprod     string // value on preprod
	Prod        string // value on prod
}

// AccessKind is a kind of access to an environment. The catalog is fixed so that expiry
// reports and reviews can group by it; "other" with a reason covers the rest.
type AccessKind string

// The access kinds.
const (
	AccessSSH       AccessKind = "ssh"
	AccessVPN       AccessKind = "vpn"
	AccessConsole   AccessKind = "admin_console" // hosting or cloud admin console
	AccessDatabase  AccessKind = "database"
	AccessAppAdmin  AccessKind = "app_admin" // administrator account in the application
	AccessOtherKind AccessKind = "other"
)

// AccessKinds lists the access kinds in the order the UI shows them.
var AccessKinds = []AccessKind{AccessSSH, AccessVPN, AccessConsole, AccessDatabase, AccessAppAdmin, AccessOtherKind}

// Valid tells whether k is a known access kind.
func (k AccessKind) Valid() bool { return slices.Contains(AccessKinds, k) }

// AccessGrant records that a member of the vendor's team holds an access to an environment,
// until it expires and is revoked.
type AccessGrant struct {
	ID            int64
	EnvironmentID int64
	UserID        int64  // the holder: a staff user
	UserEmail     string // read only
	Kind          AccessKind
	Reason        string
	TicketKey     string // the access_request ticket that asked for it, optional
	GrantedByID   int64
	GrantedBy     string
	GrantedAt     time.Time
	ExpiresAt     time.Time // required: every access ends
	RevokedAt     time.Time // zero while held
	RevokedByID   int64
	RevokedBy     string
	RevokeReason  string
}

// Active tells whether the grant is held at instant t: not revoked, not expired.
func (g *AccessGrant) Active(t time.Time) bool {
	return g.RevokedAt.IsZero() && t.Before(g.ExpiresAt)
}

// Validate checks a new grant; GrantedAt is the store's clock.
func (g *AccessGrant) Validate() error {
	g.Reason = strings.TrimSpace(g.Reason)
	g.TicketKey = strings.ToUpper(strings.TrimSpace(g.TicketKey))
	if g.EnvironmentID == 0 {
		return Invalid("environment", "is required")
	}
	if g.UserID == 0 {
		return Invalid("user", "is required")
	}
	if !g.Kind.Valid() {
		return Invalid("kind", "must be one of ssh, vpn, admin_console, database, app_admin, other")
	}
	if g.Reason == "" {
		return Invalid("reason", "is required")
	}
	if g.ExpiresAt.IsZero() {
		return Invalid("expires_at", "is required: every access ends")
	}
	return nil
}

// MaintenanceWindow is a planned interval during which an environment may be unavailable:
// announced to the customer's contacts, and probe failures inside it open no incident.
// The window covers [StartsAt, EndsAt).
type MaintenanceWindow struct {
	ID            int64
	EnvironmentID int64
	Title         string
	Notes         string
	StartsAt      time.Time
	EndsAt        time.Time
	AnnouncedAt   time.Time // when the customer was told; zero until then
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Validate checks a maintenance window.
func (w *MaintenanceWindow) Validate() error {
	w.Title = strings.TrimSpace(w.Title)
	if w.EnvironmentID == 0 {
		return Invalid("environment", "is required")
	}
	if w.Title == "" {
		return Invalid("title", "is required")
	}
	if len(w.Title) > 200 {
		return Invalid("title", "is longer than 200 characters")
	}
	if w.StartsAt.IsZero() {
		return Invalid("starts_at", "is required")
	}
	if w.EndsAt.IsZero() {
		return Invalid("ends_at", "is required")
	}
	if !w.EndsAt.After(w.StartsAt) {
		return Invalid("ends_at", "must be after starts_at")
	}
	return nil
}
