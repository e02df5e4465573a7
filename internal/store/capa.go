package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// mayWorkActions lets the vendor's team through. A customer gets not found: actions are internal
// records whose very existence is not shown outside the team.
func mayWorkActions(ctx context.Context, id int64) error {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case a.Role == "":
		return opsdesk.Unauthenticated("log in first")
	case !a.IsStaff():
		return opsdesk.NotFound("no action %d", id)
	}
	return nil
}

const actionSelect = `SELECT id, kind, title, description, source, source_id, source_clock, COALESCE(suggest_key, ''),
	owner_id, due_day, status, reason, closed_at, closed_by, check_day, checked_at, checked_by, effective, check_note,
	created_by, created_at, updated_at, customer_id FROM capa_actions`

func scanAction(sc scanner) (*opsdesk.Action, error) {
	var a opsdesk.Action
	var owner, closed, checked, customer sql.NullInt64
	var eff sql.NullBool
	var created, updated int64
	err := sc.Scan(&a.ID, &a.Kind, &a.Title, &a.Description, &a.Source, &a.SourceID, &a.SourceClock, &a.SuggestKey,
		&owner, &a.DueDay, &a.Status, &a.Reason, &closed, &a.ClosedBy, &a.CheckDay, &checked, &a.CheckedBy, &eff, &a.CheckNote,
		&a.CreatedBy, &created, &updated, &customer)
	if err != nil {
		return nil, err
	}
	a.CustomerID = customer.Int64
	a.OwnerID, a.ClosedAt, a.CheckedAt = owner.Int64, fromMS(closed), fromMS(checked)
	if eff.Valid {
		a.Effective = &eff.Bool
	}
	a.CreatedAt, a.UpdatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true}), fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &a, nil
}

func (tx *Tx) actionByID(ctx context.Context, id int64) (*opsdesk.Action, error) {
	a, err := scanAction(tx.queryRow(ctx, actionSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no action %d", id)
	}
	return a, err
}

func (tx *Tx) lockAction(ctx context.Context, id int64) error {
	return tx.lock(ctx, "capa:"+strconv.FormatInt(id, 10))
}

func (tx *Tx) actionHistory(ctx context.Context, id int64, by, change, note string) error {
	_, err := tx.exec(ctx, `INSERT INTO capa_history (action_id, at, by_label, change, note) VALUES (?, ?, ?, ?, ?)`,
		id, tx.now.UnixMilli(), by, change, note)
	return err
}

// insertAction stores a new action in status a.Status and its first history line.
func (tx *Tx) insertAction(ctx context.Context, a *opsdesk.Action, by, change string) error {
	id, err := tx.insert(ctx, `INSERT INTO capa_actions (kind, title, description, source, source_id, source_clock, suggest_key,
		owner_id, due_day, status, check_day, created_by, created_at, updated_at, customer_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Kind, a.Title, a.Description, a.Source, a.SourceID, a.SourceClock, nullStr(a.SuggestKey), nullID(a.OwnerID),
		a.DueDay, a.Status, a.CheckDay, by, tx.now.UnixMilli(), tx.now.UnixMilli(), nullID(a.CustomerID))
	if err != nil {
		return err
	}
	a.ID, a.CreatedBy, a.CreatedAt, a.UpdatedAt = id, by, fromMS(sql.NullInt64{Int64: tx.now.UnixMilli(), Valid: true}), fromMS(sql.NullInt64{Int64: tx.now.UnixMilli(), Valid: true})
	return tx.actionHistory(ctx, id, by, change, "")
}

// CreateAction records an action a person enters; it starts open. Staff only (customers: not
// found). The owner must be an active member of the team; the customer, when given, must exist;
// without one it is the customer of the source record, if that is one customer's (see
// customerOfSource). Errors: invalid, not found.
func (d *DB) CreateAction(ctx context.Context, a *opsdesk.Action) error {
	if err := mayWorkActions(ctx, 0); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	a.Status, a.SuggestKey = opsdesk.ActionOpen, ""
	by := opsdesk.ActorFrom(ctx).Label
	return d.inTx(ctx, "store.CreateAction", func(tx *Tx) error {
		if err := tx.checkOwner(ctx, a.OwnerID); err != nil {
			return err
		}
		if err := tx.checkActionCustomer(ctx, a.CustomerID); err != nil {
			return err
		}
		if a.CustomerID == 0 {
			c, err := tx.customerOfSource(ctx, a.Source, a.SourceID)
			if err != nil {
				return err
			}
			a.CustomerID = c
		}
		return tx.insertAction(ctx, a, by, "created")
	})
}

// Action reads one action. Staff read every action; a customer's user reads only an action of
// their own customer in status open, in_progress or done, and only what ForCustomer keeps (any
// other action: not found). Errors: not found, unauthenticated.
func (d *DB) Action(ctx context.Context, id int64) (*opsdesk.Action, error) {
	actor := opsdesk.ActorFrom(ctx)
	if actor.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	a, err := scanAction(d.queryRow(ctx, actionSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no action %d", id)
	}
	if err != nil {
		return nil, wrapErr("store.Action", err)
	}
	if actor.IsStaff() {
		return a, nil
	}
	if !customerSeesAction(actor, a) {
		return nil, opsdesk.NotFound("no action %d", id)
	}
	return a.ForCustomer(), nil
}

// customerSeesAction tells whether a customer's user may read an action: one of their own
// customer's, accepted (not a proposed or rejected suggestion, not cancelled).
func customerSeesAction(actor opsdesk.Actor, a *opsdesk.Action) bool {
	if actor.CustomerID == 0 || a.CustomerID != actor.CustomerID {
		return false
	}
	for _, s := range opsdesk.CustomerActionStatuses {
		if a.Status == s {
			return true
		}
	}
	return false
}

// Actions lists actions, those in status (all when empty), the newest first. Staff only;
// customers get not found.
func (d *DB) Actions(ctx context.Context, status opsdesk.ActionStatus) ([]*opsdesk.Action, error) {
	if err := mayWorkActions(ctx, 0); err != nil {
		return nil, err
	}
	out, err := collect(scanAction)(d.query(ctx, actionSelect+` WHERE (? = '' OR status = ?) ORDER BY id DESC`, string(status), string(status)))
	return out, wrapErr("store.Actions", err)
}

// ActionHistory lists an action's changes, oldest first. Staff only; customers get not found.
func (d *DB) ActionHistory(ctx context.Context, id int64) ([]opsdesk.ActionChange, error) {
	if err := mayWorkActions(ctx, id); err != nil {
		return nil, err
	}
	out, err := collect(func(sc scanner) (opsdesk.ActionChange, error) {
		var c opsdesk.ActionChange
		var at int64
		err := sc.Scan(&at, &c.By, &c.Change, &c.Note)
		c.At = fromMS(sql.NullInt64{Int64: at, Valid: true})
		return c, err
	})(d.query(ctx, `SELECT at, by_label, change, note FROM capa_history WHERE action_id = ? ORDER BY id`, id))
	return out, wrapErr("store.ActionHistory", err)
}
