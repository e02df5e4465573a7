package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
)

// PlanOverride is a stored pin or move of a plan item, current or superseded.
type PlanOverride struct {
	ID           int64         `json:"id"`
	Override     plan.Override `json:"override"`
	SupersededAt time.Time     `json:"superseded_at,omitzero"`
	SupersededBy string        `json:"superseded_by,omitempty"`
}

// AddPlanOverride records an ops manager's pin or move of a plan item (a ticket, a project task
// or an occurrence of preventive work) with its reason. The item must be in the plan
// (checkPlanItem). The item's current override, if any, is marked superseded; nothing is
// rewritten otherwise, so the history is kept. Ops managers and admins only. Errors: forbidden,
// invalid (the fields of plan.Override.Validate), not found (no such item), conflict (the item
// is no longer open).
func (d *DB) AddPlanOverride(ctx context.Context, o plan.Override) (*PlanOverride, error) {
	a := opsdesk.ActorFrom(ctx)
	if !a.CanManage() {
		return nil, opsdesk.Forbidden("only an ops manager pins or moves plan items")
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	out := &PlanOverride{Override: o}
	err := d.inTx(ctx, "store.AddPlanOverride", func(tx *Tx) error {
		if err := tx.checkPlanItem(ctx, o.Kind, o.ID); err != nil {
			return err
		}
		out.Override.By, out.Override.At = a.Label, tx.now.Truncate(time.Millisecond)
		if _, err := tx.exec(ctx, `UPDATE plan_overrides SET superseded_at = ?, superseded_by = ?
			WHERE item_kind = ? AND item_id = ? AND superseded_at IS NULL`, tx.now.UnixMilli(), a.Label, o.Kind, o.ID); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO plan_overrides (item_kind, item_id, pin, position, reason, created_by, created_label, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, o.Kind, o.ID, o.Pin, o.Position, o.Reason, nullID(a.UserID), a.Label, tx.now.UnixMilli())
		out.ID = id
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// planItemOpen reads whether an item is open, in the sense PlanItems lists it: an active ticket,
// an unfinished task of an open project, an occurrence of preventive work to do or in progress.
var planItemOpen = map[plan.Kind]string{
	plan.KindTicket: `SELECT active FROM tickets WHERE id = ?`,
	plan.KindTask: `SELECT t.status <> 'done' AND p.closed_at IS NULL
		FROM project_tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = ?`,
	plan.KindPreventive: `SELECT status IN ('todo', 'in_progress') FROM preventive_tasks WHERE id = ?`,
}

// checkPlanItem tells whether an override may name the item: it must exist and be open, the
// same rule for every kind. An item that closes later keeps its override, which the ranking
// ignores while the item is out of the plan (docs/plan.md, "Pins and moves"). Errors: not found
// (no such item), conflict (closed, done, skipped or of a closed project).
func (tx *Tx) checkPlanItem(ctx context.Context, kind plan.Kind, id int64) error {
	q, ok := planItemOpen[kind]
	if !ok {
		return opsdesk.Invalid("kind", "must be ticket, task or preventive")
	}
	var open bool
	err := tx.queryRow(ctx, q, id).Scan(&open)
	if errors.Is(err, sql.ErrNoRows) {
		return opsdesk.NotFound("no %s %d", kind, id)
	}
	if err != nil {
		return fmt.Errorf("plan item %s %d: %w", kind, id, err)
	}
	if !open {
		return opsdesk.Conflict("id", "%s %d is no longer open: it is not in the plan", kind, id)
	}
	return nil
}

// RemovePlanOverride ends a current override: it is marked superseded, and stays in the
// history. Ops managers and admins only. Errors: forbidden, not found (no such current override).
func (d *DB) RemovePlanOverride(ctx context.Context, id int64) error {
	a := opsdesk.ActorFrom(ctx)
	if !a.CanManage() {
		return opsdesk.Forbidden("only an ops manager pins or moves plan items")
	}
	return d.inTx(ctx, "store.RemovePlanOverride", func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE plan_overrides SET superseded_at = ?, superseded_by = ?
			WHERE id = ? AND superseded_at IS NULL`, tx.now.UnixMilli(), a.Label, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return opsdesk.NotFound("plan override %d is not current", id)
		}
		return nil
	})
}

// PlanOverrides lists the current overrides in the order they were made (the pin order the
// ranking expects). Staff only. Errors: forbidden.
func (d *DB) PlanOverrides(ctx context.Context) ([]*PlanOverride, error) {
	return d.planOverrides(ctx, "store.PlanOverrides", `WHERE superseded_at IS NULL ORDER BY id`)
}

// PlanOverrideHistory lists every override ever made, current and superseded, the newest
// first. Staff only. Errors: forbidden.
func (d *DB) PlanOverrideHistory(ctx context.Context) ([]*PlanOverride, error) {
	return d.planOverrides(ctx, "store.PlanOverrideHistory", `ORDER BY id DESC`)
}

func (d *DB) planOverrides(ctx context.Context, op, where string) ([]*PlanOverride, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads the plan")
	}
	out, err := collect(func(sc scanner) (*PlanOverride, error) {
		var o PlanOverride
		var at int64
		var sup sql.NullInt64
		err := sc.Scan(&o.ID, &o.Override.Kind, &o.Override.ID, &o.Override.Pin, &o.Override.Position, &o.Override.Reason, &o.Override.By, &at, &sup, &o.SupersededBy)
		o.Override.At, o.SupersededAt = time.UnixMilli(at).UTC(), fromMS(sup)
		return &o, err
	})(d.query(ctx, `SELECT id, item_kind, item_id, pin, position, reason, created_label, created_at, superseded_at, superseded_by
		FROM plan_overrides `+where))
	return out, wrapErr(op, err)
}

// Overrides returns the plan form of the stored overrides.
func Overrides(list []*PlanOverride) []plan.Override {
	out := make([]plan.Override, len(list))
	for i, o := range list {
		out[i] = o.Override
	}
	return out
}
