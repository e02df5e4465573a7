package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The parts of an environment a customer may be shown (opsdesk.EnvVisibility).
type envPart int

const (
	partAlways envPart = iota // name, kind, status, maintenance windows
	partServers
	partVersions
	partAvailability
	partAccess
)

func (p envPart) shown(v opsdesk.EnvVisibility) bool {
	switch p {
	case partServers:
		return v.ShowServers
	case partVersions:
		return v.ShowVersions
	case partAvailability:
		return v.ShowAvailability
	case partAccess:
		return v.ShowAccess
	}
	return true
}

var partNames = map[envPart]string{partServers: "servers", partVersions: "versions and deployments",
	partAvailability: "availability", partAccess: "access grants"}

// envToRead returns environment id if the caller may read its part p: staff always; a customer
// only their own organisation's (not found otherwise), and only parts the vendor shows them
// (forbidden otherwise).
func (d *DB) envToRead(ctx context.Context, id int64, p envPart) (*opsdesk.Environment, error) {
	e, err := d.EnvironmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if a := opsdesk.ActorFrom(ctx); a.IsCustomer() && !p.shown(e.EnvVisibility) {
		return nil, opsdesk.Forbidden("the %s of this environment are not shared", partNames[p])
	}
	return e, nil
}

// envToWrite checks that the caller is staff and returns environment id, read in the
// transaction. Errors: forbidden, not found.
func (t *Tx) envToWrite(ctx context.Context, id int64) (*opsdesk.Environment, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team changes environments")
	}
	return t.environment(ctx, id)
}

// linkedTicket resolves a ticket key to the id of a ticket of customerID (of type want, if set).
// An empty key gives 0. Errors: invalid, naming field.
func (t *Tx) linkedTicket(ctx context.Context, field, key string, customerID int64, want opsdesk.TicketType) (int64, error) {
	if key == "" {
		return 0, nil
	}
	var id, cust int64
	var typ opsdesk.TicketType
	err := t.queryRow(ctx, `SELECT id, customer_id, type FROM tickets WHERE key = ?`, key).Scan(&id, &cust, &typ)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && cust != customerID) {
		return 0, opsdesk.Invalid(field, "no ticket %s for this customer", key)
	}
	if err != nil {
		return 0, err
	}
	if want != "" && typ != want {
		return 0, opsdesk.Invalid(field, "ticket %s is not of type %s", key, want)
	}
	return id, nil
}

const serverColumns = `id, environment_id, hostname, role, os, os_version, cpu_cores, memory_mb, disk_gb, location, notes, created_at, updated_at`

func scanServer(sc scanner) (*opsdesk.Server, error) {
	var s opsdesk.Server
	var created, updated int64
	if err := sc.Scan(&s.ID, &s.EnvironmentID, &s.Hostname, &s.Role, &s.OS, &s.OSVersion, &s.CPUCores, &s.MemoryMB,
		&s.DiskGB, &s.Location, &s.Notes, &created, &updated); err != nil {
		return nil, err
	}
	s.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	s.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &s, nil
}

func serverAudit(s *opsdesk.Server) map[string]string {
	if s == nil {
		return nil
	}
	return map[string]string{"hostname": s.Hostname, "role": string(s.Role), "os": strings.TrimSpace(s.OS + " " + s.OSVersion),
		"sizing": fmt.Sprintf("%d cpu, %d MB, %d GB", s.CPUCores, s.MemoryMB, s.DiskGB), "location": s.Location, "notes": s.Notes}
}

var serverAuditFields = []string{"hostname", "role", "os", "sizing", "location", "notes"}

// CreateServer adds a server to an environment. Staff only; recorded in the environment's audit
// history (action server_create). Errors: invalid, forbidden, not found, conflict (hostname taken).
func (d *DB) CreateServer(ctx context.Context, s *opsdesk.Server) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.CreateServer", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, s.EnvironmentID); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO env_servers (environment_id, hostname, role, os, os_version, cpu_cores, memory_mb, disk_gb,
			location, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.EnvironmentID, s.Hostname, s.Role, s.OS, s.OSVersion, s.CPUCores, s.MemoryMB, s.DiskGB, s.Location, s.Notes,
			tx.now.UnixMilli(), tx.now.UnixMilli())
		if isUniqueViolation(err) {
			return opsdesk.Conflict("hostname", "this environment already has a server %q", s.Hostname)
		}
		if err != nil {
			return err
		}
		s.ID, s.CreatedAt, s.UpdatedAt = id, tx.now, tx.now
		return tx.audit(ctx, "environment", s.EnvironmentID, "server_create", opsdesk.Diff(serverAuditFields, nil, serverAudit(s)))
	})
}

// UpdateServer saves a server's fields; it stays in its environment. Staff only. Errors:
// invalid, forbidden, not found, conflict.
func (d *DB) UpdateServer(ctx context.Context, s *opsdesk.Server) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.UpdateServer", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, s.EnvironmentID); err != nil {
			return err
		}
		old, err := scanServer(tx.queryRow(ctx, `SELECT `+serverColumns+` FROM env_servers WHERE id = ?`, s.ID))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && old.EnvironmentID != s.EnvironmentID) {
			return opsdesk.NotFound("no server %d in environment %d", s.ID, s.EnvironmentID)
		}
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE env_servers SET hostname = ?, role = ?, os = ?, os_version = ?, cpu_cores = ?, memory_mb = ?,
			disk_gb = ?, location = ?, notes = ?, updated_at = ? WHERE id = ?`,
			s.Hostname, s.Role, s.OS, s.OSVersion, s.CPUCores, s.MemoryMB, s.DiskGB, s.Location, s.Notes, tx.now.UnixMilli(), s.ID)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("hostname", "this environment already has a server %q", s.Hostname)
		}
		if err != nil {
			return err
		}
		s.CreatedAt, s.UpdatedAt = old.CreatedAt, tx.now
		return tx.audit(ctx, "environment", s.EnvironmentID, "server_update", opsdesk.Diff(serverAuditFields, serverAudit(old), serverAudit(s)))
	})
}

// DeleteServer removes server id from environment envID. Staff only. Errors: forbidden, not found.
func (d *DB) DeleteServer(ctx context.Context, envID, id int64) error {
	return d.inTx(ctx, "store.DeleteServer", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, envID); err != nil {
			return err
		}
		old, err := scanServer(tx.queryRow(ctx, `SELECT `+serverColumns+` FROM env_servers WHERE id = ? AND environment_id = ?`, id, envID))
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no server %d in environment %d", id, envID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM env_servers WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, "environment", envID, "server_delete", opsdesk.Diff(serverAuditFields, serverAudit(old), nil))
	})
}

// ListServers lists an environment's servers by role then hostname. Customers read them only
// when the vendor shows servers, without the staff notes. Errors: not found, forbidden.
func (d *DB) ListServers(ctx context.Context, envID int64) ([]*opsdesk.Server, error) {
	if _, err := d.envToRead(ctx, envID, partServers); err != nil {
		return nil, err
	}
	out, err := collect(scanServer)(d.query(ctx, `SELECT `+serverColumns+` FROM env_servers WHERE environment_id = ?
		ORDER BY role, hostname`, envID))
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		for _, s := range out {
			s.Notes = ""
		}
	}
	return out, wrapErr("store.ListServers", err)
}

const componentColumns = `environment_id, component, version, deployment_id, updated_at`

func scanComponent(sc scanner) (*opsdesk.Component, error) {
	var c opsdesk.Component
	var dep sql.NullInt64
	var updated int64
	if err := sc.Scan(&c.EnvironmentID, &c.Name, &c.Version, &dep, &updated); err != nil {
		return nil, err
	}
	c.DeploymentID = dep.Int64
	c.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &c, nil
}

// ListComponents lists the components installed on an environment with their current versions,
// by name. Customers read them only when the vendor shows versions. Errors: not found, forbidden.
func (d *DB) ListComponents(ctx context.Context, envID int64) ([]*opsdesk.Component, error) {
	if _, err := d.envToRead(ctx, envID, partVersions); err != nil {
		return nil, err
	}
	out, err := collect(scanComponent)(d.query(ctx, `SELECT `+componentColumns+` FROM env_components WHERE environment_id = ?
		ORDER BY component`, envID))
	return out, wrapErr("store.ListComponents", err)
}

// SetComponentVersion records by hand the version of a component installed on an environment
// (inventory of dependencies, or the state before opsdesk tracked deployments); an empty version
// removes the component. It bypasses the promotion path, so only admins and ops managers may;
// recorded in the environment's audit history (action component_set). Errors: invalid,
// forbidden, not found.
func (d *DB) SetComponentVersion(ctx context.Context, envID int64, component, version string) error {
	name, err := opsdesk.ValidateComponentName("component", component)
	if err != nil {
		return err
	}
	version = strings.TrimSpace(version)
	if version != "" {
		if version, err = opsdesk.ValidateVersion("version", version); err != nil {
			return err
		}
	}
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers set versions by hand; record a deployment instead")
	}
	return d.inTx(ctx, "store.SetComponentVersion", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, envID); err != nil {
			return err
		}
		old, err := tx.componentVersion(ctx, envID, name)
		if err != nil {
			return err
		}
		if err := tx.setComponent(ctx, envID, name, version, 0); err != nil {
			return err
		}
		return tx.audit(ctx, "environment", envID, "component_set", []opsdesk.Change{{Field: name, Old: old, New: version}})
	})
}

// componentVersion is the current version of a component on an environment, "" if none.
func (t *Tx) componentVersion(ctx context.Context, envID int64, name string) (string, error) {
	var v string
	err := t.queryRow(ctx, `SELECT version FROM env_components WHERE environment_id = ? AND component = ?`, envID, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// setComponent sets (or, with an empty version, removes) a component's current version.
func (t *Tx) setComponent(ctx context.Context, envID int64, name, version string, deploymentID int64) error {
	if version == "" {
		_, err := t.exec(ctx, `DELETE FROM env_components WHERE environment_id = ? AND component = ?`, envID, name)
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO env_components (environment_id, component, version, deployment_id, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (environment_id, component)
		DO UPDATE SET version = excluded.version, deployment_id = excluded.deployment_id, updated_at = excluded.updated_at`,
		envID, name, version, nullID(deploymentID), t.now.UnixMilli())
	return err
}
