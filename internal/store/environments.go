package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const environmentColumns = `id, customer_id, kind, name, url, status, notes, created_at, updated_at,
	show_servers, show_versions, show_availability, show_access`

func scanEnvironment(sc scanner) (*opsdesk.Environment, error) {
	var e opsdesk.Environment
	var created, updated int64
	if err := sc.Scan(&e.ID, &e.CustomerID, &e.Kind, &e.Name, &e.URL, &e.Status, &e.Notes, &created, &updated,
		&e.ShowServers, &e.ShowVersions, &e.ShowAvailability, &e.ShowAccess); err != nil {
		return nil, err
	}
	e.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	e.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &e, nil
}

// CreateEnvironment adds an environment to a customer. Admins and ops managers only. Errors:
// invalid, forbidden, not found (customer), conflict (name taken for that customer).
func (d *DB) CreateEnvironment(ctx context.Context, e *opsdesk.Environment) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage environments")
	}
	return d.inTx(ctx, "store.CreateEnvironment", func(tx *Tx) error {
		if _, err := tx.customerByID(ctx, e.CustomerID); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO environments (customer_id, kind, name, url, status, notes, created_at, updated_at,
			show_servers, show_versions, show_availability, show_access)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.CustomerID, e.Kind, e.Name, e.URL, e.Status, e.Notes, tx.now.UnixMilli(), tx.now.UnixMilli(),
			e.ShowServers, e.ShowVersions, e.ShowAvailability, e.ShowAccess)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("name", "this customer already has an environment named %q", e.Name)
		}
		if err != nil {
			return err
		}
		e.ID, e.CreatedAt, e.UpdatedAt = id, tx.now, tx.now
		return tx.audit(ctx, "environment", id, "create", append(opsdesk.Diff(opsdesk.EnvironmentAuditFields, nil, e.AuditFields()),
			opsdesk.Diff(opsdesk.EnvVisibilityAuditFields, nil, e.VisibilityAuditFields())...))
	})
}

// UpdateEnvironment saves an environment's fields; its customer cannot change, and what the
// customer is shown is kept (SetEnvironmentVisibility changes it). Errors: invalid, forbidden,
// not found, conflict.
func (d *DB) UpdateEnvironment(ctx context.Context, e *opsdesk.Environment) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage environments")
	}
	return d.inTx(ctx, "store.UpdateEnvironment", func(tx *Tx) error {
		old, err := scanEnvironment(tx.queryRow(ctx, `SELECT `+environmentColumns+` FROM environments WHERE id = ?`, e.ID))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && old.CustomerID != e.CustomerID) {
			return opsdesk.NotFound("no environment %d", e.ID)
		}
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE environments SET kind = ?, name = ?, url = ?, status = ?, notes = ?, updated_at = ? WHERE id = ?`,
			e.Kind, e.Name, e.URL, e.Status, e.Notes, tx.now.UnixMilli(), e.ID)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("name", "this customer already has an environment named %q", e.Name)
		}
		if err != nil {
			return err
		}
		e.CreatedAt, e.UpdatedAt = old.CreatedAt, tx.now
		e.EnvVisibility = old.EnvVisibility
		return tx.audit(ctx, "environment", e.ID, "update", opsdesk.Diff(opsdesk.EnvironmentAuditFields, old.AuditFields(), e.AuditFields()))
	})
}

// EnvironmentByID returns an environment the caller may see. Errors: not found.
func (d *DB) EnvironmentByID(ctx context.Context, id int64) (*opsdesk.Environment, error) {
	e, err := scanEnvironment(d.queryRow(ctx, `SELECT `+environmentColumns+` FROM environments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !canSeeCustomer(opsdesk.ActorFrom(ctx), e.CustomerID)) {
		return nil, opsdesk.NotFound("no environment %d", id)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.EnvironmentByID", err)
	}
	return e, nil
}

// ListEnvironments lists a customer's environments in promotion order (test, preprod, prod).
// Errors: not found (a customer the caller may not see).
func (d *DB) ListEnvironments(ctx context.Context, customerID int64) ([]*opsdesk.Environment, error) {
	if !canSeeCustomer(opsdesk.ActorFrom(ctx), customerID) {
		return nil, opsdesk.NotFound("no customer %d", customerID)
	}
	out, err := collect(scanEnvironment)(d.query(ctx, `SELECT `+environmentColumns+` FROM environments WHERE customer_id = ?
		ORDER BY CASE kind WHEN 'test' THEN 0 WHEN 'preprod' THEN 1 ELSE 2 END, name`, customerID))
	return out, wrapErr("store.ListEnvironments", err)
}

// SetEnvironmentVisibility sets what the customer is shown of environment id. Admins and ops
// managers only. Errors: forbidden, not found.
func (d *DB) SetEnvironmentVisibility(ctx context.Context, id int64, v opsdesk.EnvVisibility) (*opsdesk.Environment, error) {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return nil, opsdesk.Forbidden("only admins and ops managers manage environments")
	}
	var e *opsdesk.Environment
	err := d.inTx(ctx, "store.SetEnvironmentVisibility", func(tx *Tx) error {
		old, err := tx.environment(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE environments SET show_servers = ?, show_versions = ?, show_availability = ?, show_access = ?,
			updated_at = ? WHERE id = ?`, v.ShowServers, v.ShowVersions, v.ShowAvailability, v.ShowAccess, tx.now.UnixMilli(), id); err != nil {
			return err
		}
		n := *old
		n.EnvVisibility, n.UpdatedAt = v, tx.now
		e = &n
		return tx.audit(ctx, "environment", id, "update",
			opsdesk.Diff(opsdesk.EnvVisibilityAuditFields, old.VisibilityAuditFields(), n.VisibilityAuditFields()))
	})
	return e, err
}

// environment reads environment id inside a transaction, whoever may see it; callers check
// permissions. Errors: not found.
func (t *Tx) environment(ctx context.Context, id int64) (*opsdesk.Environment, error) {
	e, err := scanEnvironment(t.queryRow(ctx, `SELECT `+environmentColumns+` FROM environments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no environment %d", id)
	}
	return e, err
}
