package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const itemSelect = `SELECT i.id, i.project_id, i.phase_id, ph.code, i.position, i.kind, i.title_fr, i.title_en, i.description_fr,
	i.description_en, i.owner_side, i.owner_user_id, i.owner_contact_id,
	COALESCE(NULLIF(u.name, ''), u.email, NULLIF(c.name, ''), c.email, ''), i.due_on, i.status, i.evidence, i.submitted_at,
	i.submitted_by, i.reviewer_id, i.reviewer_label, i.validated_at, i.waive_reason, i.updated_at
	FROM project_items i JOIN project_phases ph ON ph.id = i.phase_id
	LEFT JOIN users u ON u.id = i.owner_user_id LEFT JOIN contacts c ON c.id = i.owner_contact_id`

func scanItem(sc scanner) (*opsdesk.Item, error) {
	var it opsdesk.Item
	var ownerU, ownerC, due, submitted, reviewer, validated sql.NullInt64
	var updated int64
	if err := sc.Scan(&it.ID, &it.ProjectID, &it.PhaseID, &it.PhaseCode, &it.Position, &it.Kind, &it.TitleFR, &it.TitleEN,
		&it.DescriptionFR, &it.DescriptionEN, &it.OwnerSide, &ownerU, &ownerC, &it.Owner, &due, &it.Status, &it.Evidence,
		&submitted, &it.SubmittedBy, &reviewer, &it.Reviewer, &validated, &it.WaiveReason, &updated); err != nil {
		return nil, err
	}
	it.OwnerUserID, it.OwnerContactID, it.ReviewerID = ownerU.Int64, ownerC.Int64, reviewer.Int64
	it.DueOn, it.SubmittedAt, it.ValidatedAt, it.UpdatedAt = fromMS(due), fromMS(submitted), fromMS(validated), fromMS(valid(updated))
	return &it, nil
}

func scanItemAttachment(sc scanner) (opsdesk.ItemAttachment, error) {
	var a opsdesk.ItemAttachment
	var created int64
	err := sc.Scan(&a.ID, &a.ItemID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedBy, &created)
	a.CreatedAt = fromMS(valid(created))
	return a, err
}

// readItems reads a project's items (only item id when not 0) in phase and item order, with
// their attachments.
func readItems(ctx context.Context, r reader, projectID, id int64) ([]*opsdesk.Item, error) {
	q, args := itemSelect+` WHERE i.project_id = ?`, []any{projectID}
	if id != 0 {
		q, args = q+` AND i.id = ?`, append(args, id)
	}
	items, err := collect(scanItem)(r.query(ctx, q+` ORDER BY ph.position, i.position`, args...))
	if err != nil || len(items) == 0 {
		return items, err
	}
	byID := make(map[int64]*opsdesk.Item, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	atts, err := collect(scanItemAttachment)(r.query(ctx, `SELECT a.id, a.item_id, a.name, a.content_type, a.size, a.sha256,
		a.uploaded_by, a.created_at FROM project_item_attachments a JOIN project_items i ON i.id = a.item_id
		WHERE i.project_id = ? ORDER BY a.id`, projectID))
	for _, a := range atts {
		if it := byID[a.ItemID]; it != nil {
			it.Attachments = append(it.Attachments, a)
		}
	}
	return items, err
}

// Items lists a project's checklist items, phase by phase, with their evidence files.
// Errors: forbidden, not found.
func (d *DB) Items(ctx context.Context, projectID int64) ([]*opsdesk.Item, error) {
	if _, err := readProject(ctx, d, projectID); err != nil {
		return nil, wrapErr("store.Items", err)
	}
	out, err := readItems(ctx, d, projectID, 0)
	return out, wrapErr("store.Items", err)
}

// Item returns one item of a project. Errors: forbidden, not found.
func (d *DB) Item(ctx context.Context, projectID, itemID int64) (*opsdesk.Item, error) {
	if _, err := readProject(ctx, d, projectID); err != nil {
		return nil, wrapErr("store.Item", err)
	}
	items, err := readItems(ctx, d, projectID, itemID)
	if err == nil && len(items) == 0 {
		err = opsdesk.NotFound("project %d has no item %d", projectID, itemID)
	}
	if err != nil {
		return nil, wrapErr("store.Item", err)
	}
	return items[0], nil
}

// itemToWrite reads an item for a change in the transaction. Staff may change any item of an
// open project; a customer only the items their side owes on their own project (another
// customer's project: not found; a vendor item: forbidden). An item of a closed phase is a
// conflict until the phase is reopened. Errors: forbidden, not found, conflict.
func (t *Tx) itemToWrite(ctx context.Context, projectID, itemID int64) (*opsdesk.Project, *opsdesk.Item, error) {
	p, err := readProject(ctx, t, projectID)
	if err != nil {
		return nil, nil, err
	}
	items, err := readItems(ctx, t, projectID, itemID)
	if err != nil {
		return nil, nil, err
	}
	if len(items) == 0 {
		return nil, nil, opsdesk.NotFound("project %d has no item %d", projectID, itemID)
	}
	it := items[0]
	if opsdesk.ActorFrom(ctx).IsCustomer() && it.OwnerSide != opsdesk.SideCustomer {
		return nil, nil, opsdesk.Forbidden("item %q is the vendor's", it.TitleEN)
	}
	if p.Closed() {
		return nil, nil, opsdesk.Conflict("project", "project %q is closed", p.Name)
	}
	var status opsdesk.PhaseStatus
	if err := t.queryRow(ctx, `SELECT status FROM project_phases WHERE id = ?`, it.PhaseID).Scan(&status); err != nil {
		return nil, nil, err
	}
	if status == opsdesk.PhaseClosed {
		return nil, nil, opsdesk.Conflict("phase", "phase %s is closed: reopen it first", it.PhaseCode)
	}
	return p, it, nil
}

// UpdateItem applies a patch to an item and returns it. A customer may, on an item their side
// owes, only submit it (status submitted), write its evidence and add evidence files. Staff may
// also validate it (they become its reviewer), send it back to todo, change its due date and its
// owner (a vendor user makes it the vendor's, a customer contact the customer's); only an ops
// manager or admin takes an item out of waived. Waiving is WaiveItem.
// Errors: invalid, forbidden, not found, conflict.
func (d *DB) UpdateItem(ctx context.Context, projectID, itemID int64, patch opsdesk.ItemPatch) (*opsdesk.Item, error) {
	a := opsdesk.ActorFrom(ctx)
	var out *opsdesk.Item
	err := d.inTx(ctx, "store.UpdateItem", func(tx *Tx) error {
		p, it, err := tx.itemToWrite(ctx, projectID, itemID)
		if err != nil {
			return err
		}
		if a.IsCustomer() && (patch.DueOn != nil || patch.OwnerUserID != nil || patch.OwnerContactID != nil ||
			patch.Status != nil && *patch.Status != opsdesk.ItemSubmitted) {
			return opsdesk.Forbidden("a customer may only submit an item with its evidence")
		}
		if a.IsCustomer() && it.Status.Complete() {
			return opsdesk.Conflict("status", "item %q is already %s", it.TitleEN, it.Status)
		}
		var changes []string
		if patch.Evidence != nil {
			ev := strings.TrimSpace(*patch.Evidence)
			if len(ev) > 20000 {
				return opsdesk.Invalid("evidence", "is at most 20000 characters")
			}
			if ev != it.Evidence {
				it.Evidence = ev
				changes = append(changes, "evidence")
			}
		}
		if patch.DueOn != nil {
			due := opsdesk.Day(*patch.DueOn)
			changes = append(changes, fmt.Sprintf("due: %s → %s", dayString(it.DueOn), dayString(due)))
			it.DueOn = due
		}
		if err := tx.setItemOwner(ctx, p, it, patch, &changes); err != nil {
			return err
		}
		if patch.Status != nil && *patch.Status != it.Status {
			if err := setItemStatus(ctx, tx, it, *patch.Status); err != nil {
				return err
			}
			changes = append(changes, "status: "+string(*patch.Status))
		}
		for _, at := range patch.Attachments {
			if at.Name == "" || at.SHA256 == "" {
				return opsdesk.Invalid("attachments", "an attachment needs a name and stored content")
			}
			if _, err := tx.exec(ctx, `INSERT INTO project_item_attachments (item_id, name, content_type, size, sha256, uploaded_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, it.ID, at.Name, at.ContentType, at.Size, at.SHA256, a.Label, tx.now.UnixMilli()); err != nil {
				return err
			}
			changes = append(changes, "attachment: "+at.Name)
		}
		if len(changes) == 0 {
			out = it
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE project_items SET owner_side = ?, owner_user_id = ?, owner_contact_id = ?, due_on = ?,
			status = ?, evidence = ?, submitted_at = ?, submitted_by = ?, reviewer_id = ?, reviewer_label = ?, validated_at = ?,
			waive_reason = ?, updated_at = ? WHERE id = ?`, it.OwnerSide, nullID(it.OwnerUserID), nullID(it.OwnerContactID),
			ms(it.DueOn), it.Status, it.Evidence, ms(it.SubmittedAt), it.SubmittedBy, nullID(it.ReviewerID), it.Reviewer,
			ms(it.ValidatedAt), it.WaiveReason, tx.now.UnixMilli(), it.ID); err != nil {
			return err
		}
		if err := tx.projectEvent(ctx, projectID, "item_updated", it.PhaseID, it.ID, 0, strings.Join(changes, "\n")); err != nil {
			return err
		}
		items, err := readItems(ctx, tx, projectID, itemID)
		if err == nil {
			out = items[0]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// setItemStatus moves an item to status s (not waived), as the actor.
func setItemStatus(ctx context.Context, tx *Tx, it *opsdesk.Item, s opsdesk.ItemStatus) error {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case s == opsdesk.ItemWaived:
		return opsdesk.Invalid("status", "waiving an item needs an ops manager and a reason (waive_reason)")
	case !s.Valid():
		return opsdesk.Invalid("status", "must be todo, submitted or validated")
	case it.Status == opsdesk.ItemWaived && !a.CanManage():
		return opsdesk.Forbidden("only ops managers and admins take an item out of waived")
	case a.IsCustomer() && it.Status == opsdesk.ItemValidated:
		return opsdesk.Conflict("status", "item %q is already validated", it.TitleEN)
	}
	it.Status = s
	switch s {
	case opsdesk.ItemTodo:
		it.SubmittedAt, it.SubmittedBy, it.ReviewerID, it.Reviewer, it.ValidatedAt, it.WaiveReason = zeroTime, "", 0, "", zeroTime, ""
	case opsdesk.ItemSubmitted:
		it.SubmittedAt, it.SubmittedBy, it.ReviewerID, it.Reviewer, it.ValidatedAt, it.WaiveReason = tx.now, a.Label, 0, "", zeroTime, ""
	case opsdesk.ItemValidated:
		it.ReviewerID, it.Reviewer, it.ValidatedAt, it.WaiveReason = a.UserID, a.Label, tx.now, ""
	}
	return nil
}

// setItemOwner applies the owner part of a patch: a vendor user or a contact of the project's
// customer, which also sets the owning side.
func (t *Tx) setItemOwner(ctx context.Context, p *opsdesk.Project, it *opsdesk.Item, patch opsdesk.ItemPatch, changes *[]string) error {
	if patch.OwnerUserID != nil && *patch.OwnerUserID != 0 {
		if err := t.staffUser(ctx, "owner", *patch.OwnerUserID); err != nil {
			return err
		}
		it.OwnerSide, it.OwnerUserID, it.OwnerContactID = opsdesk.SideVendor, *patch.OwnerUserID, 0
		*changes = append(*changes, fmt.Sprintf("owner: user %d", it.OwnerUserID))
	}
	if patch.OwnerContactID != nil && *patch.OwnerContactID != 0 {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE id = ? AND customer_id = ?`, *patch.OwnerContactID,
			p.CustomerID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return opsdesk.Invalid("owner", "must be a contact of the project's customer")
		}
		if patch.OwnerUserID != nil && *patch.OwnerUserID != 0 {
			return opsdesk.Invalid("owner", "give a vendor user or a customer contact, not both")
		}
		it.OwnerSide, it.OwnerUserID, it.OwnerContactID = opsdesk.SideCustomer, 0, *patch.OwnerContactID
		*changes = append(*changes, fmt.Sprintf("owner: contact %d", it.OwnerContactID))
	}
	return nil
}

// WaiveItem waives an item: it counts as complete for its phase gate. Ops managers and admins
// only, with a reason kept on the item and in the history. Errors: invalid (waive_reason),
// forbidden, not found, conflict (already waived, phase or project closed).
func (d *DB) WaiveItem(ctx context.Context, projectID, itemID int64, reason string) (*opsdesk.Item, error) {
	reason = strings.TrimSpace(reason)
	var it *opsdesk.Item
	err := d.inTx(ctx, "store.WaiveItem", func(tx *Tx) error {
		var err error
		if _, it, err = tx.itemToWrite(ctx, projectID, itemID); err != nil {
			return err
		}
		a := opsdesk.ActorFrom(ctx)
		if !a.CanManage() {
			return opsdesk.Forbidden("only ops managers and admins waive an item")
		}
		if reason == "" {
			return opsdesk.Invalid("waive_reason", "say why the item is waived")
		}
		if it.Status == opsdesk.ItemWaived {
			return opsdesk.Conflict("status", "item %q is already waived", it.TitleEN)
		}
		it.Status, it.ReviewerID, it.Reviewer, it.ValidatedAt, it.WaiveReason = opsdesk.ItemWaived, a.UserID, a.Label, tx.now, reason
		if _, err := tx.exec(ctx, `UPDATE project_items SET status = 'waived', reviewer_id = ?, reviewer_label = ?, validated_at = ?,
			waive_reason = ?, updated_at = ? WHERE id = ?`, nullID(a.UserID), a.Label, tx.now.UnixMilli(), reason,
			tx.now.UnixMilli(), itemID); err != nil {
			return err
		}
		return tx.projectEvent(ctx, projectID, "item_waived", it.PhaseID, it.ID, 0, reason)
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// CommentItem adds a comment on an item to the project's history. Staff comment on any item; a
// customer on the items their side owes. Errors: invalid (body), forbidden, not found, conflict.
func (d *DB) CommentItem(ctx context.Context, projectID, itemID int64, body string) error {
	body = strings.TrimSpace(body)
	if body == "" {
		return opsdesk.Invalid("body", "is required")
	}
	if len(body) > 20000 {
		return opsdesk.Invalid("body", "is at most 20000 characters")
	}
	return d.inTx(ctx, "store.CommentItem", func(tx *Tx) error {
		_, it, err := tx.itemToWrite(ctx, projectID, itemID)
		if err != nil {
			return err
		}
		return tx.projectEvent(ctx, projectID, "comment", it.PhaseID, it.ID, 0, body)
	})
}

var zeroTime time.Time
