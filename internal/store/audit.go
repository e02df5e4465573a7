package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// audit records a change in the transaction that makes it, so the log and the data never
// disagree. An update that changed nothing is not recorded.
func (t *Tx) audit(ctx context.Context, entity string, id int64, action string, changes []opsdesk.Change) error {
	if action == "update" && len(changes) == 0 {
		return nil
	}
	if changes == nil {
		changes = []opsdesk.Change{}
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	a := opsdesk.ActorFrom(ctx)
	_, err = t.exec(ctx, `INSERT INTO audit_log (at, actor_id, actor_label, entity, entity_id, action, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.now.UnixMilli(), nullID(a.UserID), a.Label, entity, id, action, string(b))
	if err != nil {
		return fmt.Errorf("audit %s %d: %w", entity, id, err)
	}
	return nil
}

// ListAudit returns audit entries, newest first. Only admins and ops managers read the log.
func (d *DB) ListAudit(ctx context.Context, f opsdesk.AuditFilter) ([]opsdesk.AuditEntry, error) {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return nil, opsdesk.Forbidden("only admins and ops managers read the audit log")
	}
	if !opsdesk.ValidAuditEntity(f.Entity) {
		return nil, opsdesk.Invalid("entity", "unknown entity %q", f.Entity)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := `SELECT id, at, actor_id, actor_label, entity, entity_id, action, changes FROM audit_log WHERE 1=1`
	var args []any
	if f.Entity != "" {
		q += ` AND entity = ?`
		args = append(args, f.Entity)
	}
	if f.EntityID != 0 {
		q += ` AND entity_id = ?`
		args = append(args, f.EntityID)
	}
	if f.BeforeID != 0 {
		q += ` AND id < ?`
		args = append(args, f.BeforeID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, opsdesk.Internal("store.ListAudit", err)
	}
	defer rows.Close()
	var out []opsdesk.AuditEntry
	for rows.Next() {
		var e opsdesk.AuditEntry
		var at int64
		var actor sql.NullInt64
		var changes string
		if err := rows.Scan(&e.ID, &at, &actor, &e.ActorLabel, &e.Entity, &e.EntityID, &e.Action, &changes); err != nil {
			return nil, opsdesk.Internal("store.ListAudit", err)
		}
		e.At = fromMS(sql.NullInt64{Int64: at, Valid: true})
		e.ActorID = actor.Int64
		if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
			return nil, opsdesk.Internal("store.ListAudit", fmt.Errorf("entry %d: %w", e.ID, err))
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, opsdesk.Internal("store.ListAudit", err)
	}
	return out, nil
}
