package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const contactColumns = `id, customer_id, email, name, phone, lang, created_at`

func scanContact(sc scanner) (*opsdesk.Contact, error) {
	var c opsdesk.Contact
	var created int64
	if err := sc.Scan(&c.ID, &c.CustomerID, &c.Email, &c.Name, &c.Phone, &c.Lang, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	return &c, nil
}

// CreateContact adds a contact to a customer. Staff only (customers' own contacts are created
// with their user, or by mail intake running as the system). Errors: invalid, forbidden, not
// found (customer), conflict (address taken).
func (d *DB) CreateContact(ctx context.Context, c *opsdesk.Contact) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team adds contacts")
	}
	return d.inTx(ctx, "store.CreateContact", func(tx *Tx) error {
		if _, err := tx.customerByID(ctx, c.CustomerID); err != nil {
			return err
		}
		return tx.createContact(ctx, c)
	})
}

func (tx *Tx) createContact(ctx context.Context, c *opsdesk.Contact) error {
	id, err := tx.insert(ctx, `INSERT INTO contacts (customer_id, email, name, phone, lang, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.CustomerID, c.Email, c.Name, c.Phone, c.Lang, tx.now.UnixMilli())
	if isUniqueViolation(err) {
		return opsdesk.Conflict("email", "a contact with address %s already exists", c.Email)
	}
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt = id, tx.now
	return tx.audit(ctx, "contact", id, "create", opsdesk.Diff(opsdesk.ContactAuditFields, nil, c.AuditFields()))
}

// ensureContact creates the contact unless its address is already a contact of the same
// customer; an address that is a contact of another customer is a conflict.
func (tx *Tx) ensureContact(ctx context.Context, c *opsdesk.Contact) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var id, customer int64
	err := tx.queryRow(ctx, `SELECT id, customer_id FROM contacts WHERE email = ?`, c.Email).Scan(&id, &customer)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return tx.createContact(ctx, c)
	case err != nil:
		return err
	case customer != c.CustomerID:
		return opsdesk.Conflict("email", "%s is a contact of another customer", c.Email)
	}
	c.ID = id
	return nil
}

// UpdateContact saves a contact's fields. Staff only. Errors: invalid, forbidden, not found,
// conflict.
func (d *DB) UpdateContact(ctx context.Context, c *opsdesk.Contact) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team changes contacts")
	}
	return d.inTx(ctx, "store.UpdateContact", func(tx *Tx) error {
		old, err := scanContact(tx.queryRow(ctx, `SELECT `+contactColumns+` FROM contacts WHERE id = ?`, c.ID))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && old.CustomerID != c.CustomerID) {
			return opsdesk.NotFound("no contact %d", c.ID)
		}
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE contacts SET email = ?, name = ?, phone = ?, lang = ? WHERE id = ?`,
			c.Email, c.Name, c.Phone, c.Lang, c.ID)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("email", "a contact with address %s already exists", c.Email)
		}
		if err != nil {
			return err
		}
		c.CreatedAt = old.CreatedAt
		return tx.audit(ctx, "contact", c.ID, "update", opsdesk.Diff(opsdesk.ContactAuditFields, old.AuditFields(), c.AuditFields()))
	})
}

// ListContacts lists a customer's contacts by address. Errors: not found (a customer the
// caller may not see).
func (d *DB) ListContacts(ctx context.Context, customerID int64) ([]*opsdesk.Contact, error) {
	if !canSeeCustomer(opsdesk.ActorFrom(ctx), customerID) {
		return nil, opsdesk.NotFound("no customer %d", customerID)
	}
	out, err := collect(scanContact)(d.query(ctx, `SELECT `+contactColumns+` FROM contacts WHERE customer_id = ? ORDER BY email`, customerID))
	return out, wrapErr("store.ListContacts", err)
}

// ContactByEmail returns the contact with an address, visible to staff and to users of the
// contact's own organisation. Errors: not found.
func (d *DB) ContactByEmail(ctx context.Context, email string) (*opsdesk.Contact, error) {
	c, err := scanContact(d.queryRow(ctx, `SELECT `+contactColumns+` FROM contacts WHERE email = ?`, opsdesk.NormalizeEmail(email)))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !canSeeCustomer(opsdesk.ActorFrom(ctx), c.CustomerID)) {
		return nil, opsdesk.NotFound("no contact %s", email)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.ContactByEmail", err)
	}
	return c, nil
}
