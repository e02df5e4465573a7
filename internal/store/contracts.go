package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ContractOf returns a customer's support contract. Errors: not found.
func (d *DB) ContractOf(ctx context.Context, customerID int64) (*opsdesk.Contract, error) {
	if !canSeeCustomer(opsdesk.ActorFrom(ctx), customerID) {
		return nil, opsdesk.NotFound("no customer %d", customerID)
	}
	c, err := scanContract(d.queryRow(ctx, `SELECT customer_id, levels, tier, starts_on, ends_on, notes, updated_at
		FROM contracts WHERE customer_id = ?`, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("customer %d has no contract", customerID)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.ContractOf", err)
	}
	return c, nil
}

func scanContract(sc scanner) (*opsdesk.Contract, error) {
	var c opsdesk.Contract
	var levels string
	var updated int64
	if err := sc.Scan(&c.CustomerID, &levels, &c.Tier, &c.StartsOn, &c.EndsOn, &c.Notes, &updated); err != nil {
		return nil, err
	}
	for _, l := range strings.Split(levels, ",") {
		if l != "" {
			c.Levels = append(c.Levels, opsdesk.Level(l))
		}
	}
	c.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &c, nil
}

// SetContract replaces a customer's contract. Admins and ops managers only. Errors: invalid,
// forbidden, not found.
func (d *DB) SetContract(ctx context.Context, c *opsdesk.Contract) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage contracts")
	}
	return d.inTx(ctx, "store.SetContract", func(tx *Tx) error {
		if _, err := tx.customerByID(ctx, c.CustomerID); err != nil {
			return err
		}
		old, err := scanContract(tx.queryRow(ctx, `SELECT customer_id, levels, tier, starts_on, ends_on, notes, updated_at
			FROM contracts WHERE customer_id = ?`, c.CustomerID))
		if errors.Is(err, sql.ErrNoRows) {
			old = nil
		} else if err != nil {
			return err
		}
		return tx.saveContract(ctx, c, old)
	})
}

func (tx *Tx) saveContract(ctx context.Context, c, old *opsdesk.Contract) error {
	ls := make([]string, len(c.Levels))
	for i, l := range c.Levels {
		ls[i] = string(l)
	}
	_, err := tx.exec(ctx, `INSERT INTO contracts (customer_id, levels, tier, starts_on, ends_on, notes, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (customer_id) DO UPDATE SET levels = excluded.levels, tier = excluded.tier,
			starts_on = excluded.starts_on, ends_on = excluded.ends_on, notes = excluded.notes, updated_at = excluded.updated_at`,
		c.CustomerID, strings.Join(ls, ","), c.Tier, c.StartsOn, c.EndsOn, c.Notes, tx.now.UnixMilli())
	if err != nil {
		return err
	}
	c.UpdatedAt = tx.now
	var oldFields map[string]string
	action := "create"
	if old != nil {
		oldFields, action = old.AuditFields(), "update"
	}
	return tx.audit(ctx, "contract", c.CustomerID, action, opsdesk.Diff(opsdesk.ContractAuditFields, oldFields, c.AuditFields()))
}
