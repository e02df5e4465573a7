package store

import (
	"context"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// UpdateAction changes an action's kind, title, description, customer, owner, due day and check
// day (the other fields keep their stored values). Staff, while the action is not closed. Errors: invalid, not
// found.
func (d *DB) UpdateAction(ctx context.Context, in *opsdesk.Action) (*opsdesk.Action, error) {
	if err := mayWorkActions(ctx, in.ID); err != nil {
		return nil, err
	}
	by := opsdesk.ActorFrom(ctx).Label
	var out *opsdesk.Action
	err := d.inTx(ctx, "store.UpdateAction", func(tx *Tx) error {
		if err := tx.lockAction(ctx, in.ID); err != nil {
			return err
		}
		a, err := tx.actionByID(ctx, in.ID)
		if err != nil {
			return err
		}
		switch a.Status {
		case opsdesk.ActionDone, opsdesk.ActionCancelled, opsdesk.ActionRejected:
			return opsdesk.Invalid("status", "a %s action is no longer edited", a.Status)
		}
		a.Kind, a.Title, a.Description, a.OwnerID, a.DueDay, a.CheckDay = in.Kind, in.Title, in.Description, in.OwnerID, in.DueDay, in.CheckDay
		a.CustomerID = in.CustomerID
		if err := a.Validate(); err != nil {
			return err
		}
		if err := tx.checkOwner(ctx, a.OwnerID); err != nil {
			return err
		}
		if err := tx.checkActionCustomer(ctx, a.CustomerID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE capa_actions SET kind = ?, title = ?, description = ?, owner_id = ?, due_day = ?,
			check_day = ?, customer_id = ?, updated_at = ? WHERE id = ?`, a.Kind, a.Title, a.Description, nullID(a.OwnerID), a.DueDay,
			a.CheckDay, nullID(a.CustomerID), tx.now.UnixMilli(), a.ID); err != nil {
			return err
		}
		out = a
		return tx.actionHistory(ctx, a.ID, by, "edited", "")
	})
	if err != nil {
		return nil, err
	}
	return d.Action(ctx, out.ID)
}

// MoveAction moves an action to status to, as opsdesk.CheckActionMove allows: accept (proposed →
// open) and reject (proposed → rejected, with a reason) and cancel (with a reason) take an ops
// manager; staff start and finish the work. Done and cancelled record when and by whom the
// action was closed. Errors: forbidden, invalid (status, reason), not found.
func (d *DB) MoveAction(ctx context.Context, id int64, to opsdesk.ActionStatus, reason string) (*opsdesk.Action, error) {
	if err := mayWorkActions(ctx, id); err != nil {
		return nil, err
	}
	actor := opsdesk.ActorFrom(ctx)
	reason = strings.TrimSpace(reason)
	err := d.inTx(ctx, "store.MoveAction", func(tx *Tx) error {
		if err := tx.lockAction(ctx, id); err != nil {
			return err
		}
		a, err := tx.actionByID(ctx, id)
		if err != nil {
			return err
		}
		if err := opsdesk.CheckActionMove(actor, a.Status, to); err != nil {
			return err
		}
		if (to == opsdesk.ActionRejected || to == opsdesk.ActionCancelled) && reason == "" {
			return opsdesk.Invalid("reason", "say why the action is %s", to)
		}
		var closedAt any
		closedBy := ""
		if to == opsdesk.ActionDone || to == opsdesk.ActionCancelled {
			closedAt, closedBy = tx.now.UnixMilli(), actor.Label
		}
		if _, err := tx.exec(ctx, `UPDATE capa_actions SET status = ?, reason = ?, closed_at = ?, closed_by = ?, updated_at = ?
			WHERE id = ?`, to, reason, closedAt, closedBy, tx.now.UnixMilli(), id); err != nil {
			return err
		}
		return tx.actionHistory(ctx, id, actor.Label, "status:"+string(to), reason)
	})
	if err != nil {
		return nil, err
	}
	return d.Action(ctx, id)
}

// RecordEffectiveness records the effectiveness check of a done action: whether the cause
// recurred (effective false) or not, with a note. Only once the action is done, and not before
// its check day when one is set; a later check replaces the earlier one (both stay in the
// history). Staff. Errors: invalid (status, check_day, note), not found.
func (d *DB) RecordEffectiveness(ctx context.Context, id int64, effective bool, note string) (*opsdesk.Action, error) {
	if err := mayWorkActions(ctx, id); err != nil {
		return nil, err
	}
	actor := opsdesk.ActorFrom(ctx)
	note = strings.TrimSpace(note)
	err := d.inTx(ctx, "store.RecordEffectiveness", func(tx *Tx) error {
		if err := tx.lockAction(ctx, id); err != nil {
			return err
		}
		a, err := tx.actionByID(ctx, id)
		if err != nil {
			return err
		}
		if a.Status != opsdesk.ActionDone {
			return opsdesk.Invalid("status", "effectiveness is checked once the action is done (it is %s)", a.Status)
		}
		if a.CheckDay != "" && tx.now.UTC().Format("2006-01-02") < a.CheckDay {
			return opsdesk.Invalid("check_day", "the check is due on %s", a.CheckDay)
		}
		if !effective && note == "" {
			return opsdesk.Invalid("note", "say how the cause recurred")
		}
		if _, err := tx.exec(ctx, `UPDATE capa_actions SET effective = ?, check_note = ?, checked_at = ?, checked_by = ?, updated_at = ?
			WHERE id = ?`, effective, note, tx.now.UnixMilli(), actor.Label, tx.now.UnixMilli(), id); err != nil {
			return err
		}
		verdict := "checked:effective"
		if !effective {
			verdict = "checked:recurred"
		}
		return tx.actionHistory(ctx, id, actor.Label, verdict, note)
	})
	if err != nil {
		return nil, err
	}
	return d.Action(ctx, id)
}
