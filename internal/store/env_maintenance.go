package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const maintenanceColumns = `id, environment_id, title, notes, starts_at, ends_at, announced_at, created_by, created_at, updated_at`

func scanMaintenance(sc scanner) (*opsdesk.MaintenanceWindow, error) {
	var w opsdesk.MaintenanceWindow
	var starts, ends, created, updated int64
	var announced sql.NullInt64
	if err := sc.Scan(&w.ID, &w.EnvironmentID, &w.Title, &w.Notes, &starts, &ends, &announced, &w.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	w.StartsAt = fromMS(sql.NullInt64{Int64: starts, Valid: true})
	w.EndsAt = fromMS(sql.NullInt64{Int64: ends, Valid: true})
	w.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	w.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	w.AnnouncedAt = fromMS(announced)
	return &w, nil
}

func maintenanceAudit(w *opsdesk.MaintenanceWindow) map[string]string {
	if w == nil {
		return nil
	}
	return map[string]string{"title": w.Title, "notes": w.Notes,
		"starts_at": w.StartsAt.UTC().Format(time.RFC3339), "ends_at": w.EndsAt.UTC().Format(time.RFC3339)}
}

var maintenanceAuditFields = []string{"title", "notes", "starts_at", "ends_at"}

// CreateMaintenance plans a maintenance window on an environment. Staff only; recorded in the
// environment's audit history (action maintenance_create). Announcing it to the customer's
// contacts is the mail job's (MarkMaintenanceAnnounced). Errors: invalid, forbidden, not found.
func (d *DB) CreateMaintenance(ctx context.Context, w *opsdesk.MaintenanceWindow) error {
	if err := w.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.CreateMaintenance", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, w.EnvironmentID); err != nil {
			return err
		}
		w.CreatedBy, w.CreatedAt, w.UpdatedAt, w.AnnouncedAt = opsdesk.ActorFrom(ctx).Label, tx.now, tx.now, time.Time{}
		id, err := tx.insert(ctx, `INSERT INTO env_maintenance (environment_id, title, notes, starts_at, ends_at, created_by,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, w.EnvironmentID, w.Title, w.Notes, w.StartsAt.UnixMilli(),
			w.EndsAt.UnixMilli(), w.CreatedBy, tx.now.UnixMilli(), tx.now.UnixMilli())
		if err != nil {
			return err
		}
		w.ID = id
		return tx.audit(ctx, "environment", w.EnvironmentID, "maintenance_create", opsdesk.Diff(maintenanceAuditFields, nil, maintenanceAudit(w)))
	})
}

// UpdateMaintenance saves a window's title, notes and times. A change of times clears its
// announcement, so that the customer is told again. Staff only. Errors: invalid, forbidden,
// not found.
func (d *DB) UpdateMaintenance(ctx context.Context, w *opsdesk.MaintenanceWindow) error {
	if err := w.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.UpdateMaintenance", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, w.EnvironmentID); err != nil {
			return err
		}
		old, err := tx.maintenance(ctx, w.EnvironmentID, w.ID)
		if err != nil {
			return err
		}
		w.AnnouncedAt = old.AnnouncedAt
		if !w.StartsAt.Equal(old.StartsAt) || !w.EndsAt.Equal(old.EndsAt) {
			w.AnnouncedAt = time.Time{}
		}
		if _, err := tx.exec(ctx, `UPDATE env_maintenance SET title = ?, notes = ?, starts_at = ?, ends_at = ?, announced_at = ?,
			updated_at = ? WHERE id = ?`, w.Title, w.Notes, w.StartsAt.UnixMilli(), w.EndsAt.UnixMilli(), ms(w.AnnouncedAt),
			tx.now.UnixMilli(), w.ID); err != nil {
			return err
		}
		w.CreatedBy, w.CreatedAt, w.UpdatedAt = old.CreatedBy, old.CreatedAt, tx.now
		return tx.audit(ctx, "environment", w.EnvironmentID, "maintenance_update",
			opsdesk.Diff(maintenanceAuditFields, maintenanceAudit(old), maintenanceAudit(w)))
	})
}

// DeleteMaintenance cancels window id of environment envID. Staff only. Errors: forbidden, not found.
func (d *DB) DeleteMaintenance(ctx context.Context, envID, id int64) error {
	return d.inTx(ctx, "store.DeleteMaintenance", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, envID); err != nil {
			return err
		}
		old, err := tx.maintenance(ctx, envID, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM env_maintenance WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, "environment", envID, "maintenance_delete", opsdesk.Diff(maintenanceAuditFields, maintenanceAudit(old), nil))
	})
}

// MarkMaintenanceAnnounced records that window id was announced to the customer at instant at.
// Staff (and the system's mail job) only. Errors: forbidden, not found.
func (d *DB) MarkMaintenanceAnnounced(ctx context.Context, envID, id int64, at time.Time) error {
	return d.inTx(ctx, "store.MarkMaintenanceAnnounced", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, envID); err != nil {
			return err
		}
		if _, err := tx.maintenance(ctx, envID, id); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE env_maintenance SET announced_at = ? WHERE id = ?`, at.UnixMilli(), id)
		return err
	})
}

func (t *Tx) maintenance(ctx context.Context, envID, id int64) (*opsdesk.MaintenanceWindow, error) {
	w, err := scanMaintenance(t.queryRow(ctx, `SELECT `+maintenanceColumns+` FROM env_maintenance WHERE id = ? AND environment_id = ?`, id, envID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no maintenance window %d on environment %d", id, envID)
	}
	return w, err
}

// ListMaintenance lists an environment's windows not yet over at instant from (running or
// upcoming), by start. Customers read their own environments' windows — they are announced to
// them — without who planned them. Errors: not found.
func (d *DB) ListMaintenance(ctx context.Context, envID int64, from time.Time) ([]*opsdesk.MaintenanceWindow, error) {
	if _, err := d.envToRead(ctx, envID, partAlways); err != nil {
		return nil, err
	}
	out, err := collect(scanMaintenance)(d.query(ctx, `SELECT `+maintenanceColumns+` FROM env_maintenance
		WHERE environment_id = ? AND ends_at > ? ORDER BY starts_at, id`, envID, from.UnixMilli()))
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		for _, w := range out {
			w.CreatedBy = ""
		}
	}
	return out, wrapErr("store.ListMaintenance", err)
}

// InMaintenance tells whether environment envID is in maintenance at instant at: a window covers
// it (from its start included to its end excluded), or the environment's status is maintenance
// (a status is current: it answers for any instant). Health probes ask it before opening an
// incident. Errors: not found.
func (d *DB) InMaintenance(ctx context.Context, envID int64, at time.Time) (bool, error) {
	e, err := d.envToRead(ctx, envID, partAlways)
	if err != nil {
		return false, err
	}
	if e.Status == opsdesk.EnvMaintenance {
		return true, nil
	}
	var n int
	err = d.queryRow(ctx, `SELECT COUNT(*) FROM env_maintenance WHERE environment_id = ? AND starts_at <= ? AND ends_at > ?`,
		envID, at.UnixMilli(), at.UnixMilli()).Scan(&n)
	if err != nil {
		return false, opsdesk.Internal("store.InMaintenance", err)
	}
	return n > 0, nil
}
