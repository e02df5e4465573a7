package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const customerColumns = `id, code, name, lang, notes, created_at, updated_at`

func scanCustomer(sc scanner) (*opsdesk.Customer, error) {
	var c opsdesk.Customer
	var created, updated int64
	if err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.Lang, &c.Notes, &created, &updated); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	c.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &c, nil
}

// canSeeCustomer tells whether actor a may know customer id exists: staff see all customers,
// a customer user only their own organisation.
func canSeeCustomer(a opsdesk.Actor, id int64) bool {
	return a.IsStaff() || (a.IsCustomer() && a.CustomerID == id)
}

// CreateCustomer creates a customer organisation with its domains and a default contract (all
// three levels) that the caller then adjusts. Admins and ops managers only. Errors: invalid,
// forbidden, conflict (code or a domain taken).
func (d *DB) CreateCustomer(ctx context.Context, c *opsdesk.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage customers")
	}
	return d.inTx(ctx, "store.CreateCustomer", func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO customers (code, name, lang, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			c.Code, c.Name, c.Lang, c.Notes, tx.now.UnixMilli(), tx.now.UnixMilli())
		if isUniqueViolation(err) {
			return opsdesk.Conflict("code", "customer code %s is already used", c.Code)
		}
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt, c.UpdatedAt = id, tx.now, tx.now
		if err := tx.setDomains(ctx, id, c.Domains); err != nil {
			return err
		}
		if err := tx.audit(ctx, "customer", id, "create", opsdesk.Diff(opsdesk.CustomerAuditFields, nil, c.AuditFields())); err != nil {
			return err
		}
		ct := &opsdesk.Contract{CustomerID: id, Levels: opsdesk.Levels}
		if err := ct.Validate(); err != nil {
			return err
		}
		return tx.saveContract(ctx, ct, nil)
	})
}

// UpdateCustomer saves a customer's fields and domains. Errors: invalid, forbidden, not found,
// conflict.
func (d *DB) UpdateCustomer(ctx context.Context, c *opsdesk.Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage customers")
	}
	return d.inTx(ctx, "store.UpdateCustomer", func(tx *Tx) error {
		old, err := tx.customerByID(ctx, c.ID)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE customers SET code = ?, name = ?, lang = ?, notes = ?, updated_at = ? WHERE id = ?`,
			c.Code, c.Name, c.Lang, c.Notes, tx.now.UnixMilli(), c.ID)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("code", "customer code %s is already used", c.Code)
		}
		if err != nil {
			return err
		}
		if err := tx.setDomains(ctx, c.ID, c.Domains); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt = old.CreatedAt, tx.now
		return tx.audit(ctx, "customer", c.ID, "update", opsdesk.Diff(opsdesk.CustomerAuditFields, old.AuditFields(), c.AuditFields()))
	})
}

func (tx *Tx) setDomains(ctx context.Context, id int64, domains []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM customer_domains WHERE customer_id = ?`, id); err != nil {
		return err
	}
	for _, dom := range domains {
		var owner string
		err := tx.queryRow(ctx, `SELECT c.code FROM customer_domains d JOIN customers c ON c.id = d.customer_id WHERE d.domain = ?`, dom).Scan(&owner)
		if err == nil {
			return opsdesk.Conflict("domains", "domain %s already belongs to customer %s", dom, owner)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO customer_domains (domain, customer_id) VALUES (?, ?)`, dom, id); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) customerByID(ctx context.Context, id int64) (*opsdesk.Customer, error) {
	c, err := scanCustomer(tx.queryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no customer %d", id)
	}
	if err != nil {
		return nil, err
	}
	c.Domains, err = domainsOf(ctx, tx.query, c.ID)
	return c, err
}

func domainsOf(ctx context.Context, query func(context.Context, string, ...any) (*sql.Rows, error), id int64) ([]string, error) {
	rows, err := query(ctx, `SELECT domain FROM customer_domains WHERE customer_id = ? ORDER BY domain`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// CustomerByID returns a customer the caller may see. Errors: not found (also for a customer
// user asking for another organisation).
func (d *DB) CustomerByID(ctx context.Context, id int64) (*opsdesk.Customer, error) {
	if !canSeeCustomer(opsdesk.ActorFrom(ctx), id) {
		return nil, opsdesk.NotFound("no customer %d", id)
	}
	c, err := scanCustomer(d.queryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no customer %d", id)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.CustomerByID", err)
	}
	if c.Domains, err = domainsOf(ctx, d.query, id); err != nil {
		return nil, opsdesk.Internal("store.CustomerByID", err)
	}
	return c, nil
}

// CustomerByCode returns a customer by its code (any case), with CustomerByID's visibility.
func (d *DB) CustomerByCode(ctx context.Context, code string) (*opsdesk.Customer, error) {
	var id int64
	err := d.queryRow(ctx, `SELECT id FROM customers WHERE code = ?`, strings.ToUpper(strings.TrimSpace(code))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no customer %s", code)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.CustomerByCode", err)
	}
	return d.CustomerByID(ctx, id)
}

// CustomerByDomain returns the customer owning an email domain (staff and system only; mail
// intake uses it). Errors: not found.
func (d *DB) CustomerByDomain(ctx context.Context, domain string) (*opsdesk.Customer, error) {
	var id int64
	err := d.queryRow(ctx, `SELECT customer_id FROM customer_domains WHERE domain = ?`, strings.ToLower(domain)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no customer owns domain %s", domain)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.CustomerByDomain", err)
	}
	return d.CustomerByID(ctx, id)
}

// ListCustomers lists the customers the caller may see, by code.
func (d *DB) ListCustomers(ctx context.Context) ([]*opsdesk.Customer, error) {
	a := opsdesk.ActorFrom(ctx)
	q := `SELECT ` + customerColumns + ` FROM customers`
	var args []any
	switch {
	case a.IsStaff():
	case a.IsCustomer():
		q += ` WHERE id = ?`
		args = append(args, a.CustomerID)
	default:
		return nil, opsdesk.Unauthenticated("log in first")
	}
	out, err := collect(scanCustomer)(d.query(ctx, q+` ORDER BY code`, args...))
	if err != nil {
		return nil, opsdesk.Internal("store.ListCustomers", err)
	}
	if err := d.fillDomains(ctx, out); err != nil {
		return nil, opsdesk.Internal("store.ListCustomers", err)
	}
	return out, nil
}

// fillDomains loads the domains of many customers in one query.
func (d *DB) fillDomains(ctx context.Context, cs []*opsdesk.Customer) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[int64]*opsdesk.Customer, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	rows, err := d.query(ctx, `SELECT customer_id, domain FROM customer_domains ORDER BY domain`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var dom string
		if err := rows.Scan(&id, &dom); err != nil {
			return err
		}
		if c := byID[id]; c != nil {
			c.Domains = append(c.Domains, dom)
		}
	}
	return rows.Err()
}
