package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// CreateTicket files a new request and returns it. Customers file for their own organisation
// only, as themselves; staff and the system (mail intake, probes) file for any customer, naming a
// requester who is a contact of that customer or whose address is of one of its domains (the
// contact is then created). The ticket starts at the level its category routes to, raised to the
// first level the customer's contract provides; the description is its first public message.
// Errors: invalid (naming the field), not found (customer), forbidden.
func (d *DB) CreateTicket(ctx context.Context, n *opsdesk.NewTicket) (*opsdesk.Ticket, error) {
	if err := checkFiler(ctx, n); err != nil {
		return nil, err
	}
	var key string
	err := d.inTx(ctx, "store.CreateTicket", func(tx *Tx) error {
		var err error
		key, err = tx.createTicket(ctx, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: key, Kind: "created"})
	return d.TicketByKey(ctx, key)
}

// CreateTickets files many requests in one transaction, with the same rules as CreateTicket,
// and returns their numbers: for imports and for seeding load tests. One invalid request aborts
// the whole batch, naming its index.
func (d *DB) CreateTickets(ctx context.Context, ns []*opsdesk.NewTicket) ([]string, error) {
	for i, n := range ns {
		if err := checkFiler(ctx, n); err != nil {
			return nil, fmt.Errorf("request %d: %w", i, err)
		}
	}
	keys := make([]string, 0, len(ns))
	err := d.inTx(ctx, "store.CreateTickets", func(tx *Tx) error {
		for i, n := range ns {
			key, err := tx.createTicket(ctx, n)
			if err != nil {
				return fmt.Errorf("request %d: %w", i, err)
			}
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		d.notify(TicketChange{Key: k, Kind: "created"})
	}
	return keys, nil
}

// checkFiler applies the rules on who files for whom, then validates the request.
func checkFiler(ctx context.Context, n *opsdesk.NewTicket) error {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return opsdesk.Unauthenticated("log in first")
	}
	if a.IsCustomer() {
		if n.CustomerID == 0 {
			n.CustomerID = a.CustomerID
		}
		if n.CustomerID != a.CustomerID {
			return opsdesk.NotFound("no customer %d", n.CustomerID)
		}
		if n.RequesterEmail == "" {
			n.RequesterEmail = a.Label
		}
		if opsdesk.NormalizeEmail(n.RequesterEmail) != a.Label {
			return opsdesk.Invalid("requester", "you file requests as yourself")
		}
	}
	return n.Validate()
}

// createTicket files one request inside a transaction and returns its number.
func (tx *Tx) createTicket(ctx context.Context, n *opsdesk.NewTicket) (string, error) {
	a := opsdesk.ActorFrom(ctx)
	cust, err := remember(tx, fmt.Sprint("customer:", n.CustomerID), func() (*opsdesk.Customer, error) { return tx.customerByID(ctx, n.CustomerID) })
	if err != nil {
		return "", opsdesk.Invalid("customer", "no such customer")
	}
	requester, err := tx.requester(ctx, cust, n)
	if err != nil {
		return "", err
	}
	if n.EnvironmentID != 0 {
		var owner int64
		err := tx.queryRow(ctx, `SELECT customer_id FROM environments WHERE id = ?`, n.EnvironmentID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != cust.ID) {
			return "", opsdesk.Invalid("environment", "is not an environment of %s", cust.Code)
		}
		if err != nil {
			return "", err
		}
	}
	sev, err := remember(tx, "severity:"+n.Severity, func() (*opsdesk.Severity, error) { return tx.severity(ctx, n.Severity) })
	if err != nil {
		return "", err
	}
	if sev.RequiresImpact && n.Impact == "" {
		return "", opsdesk.Invalid("impact", "a %s request must state its impact: who is blocked, since when, what cannot be done", sev.LabelEN)
	}
	cat, err := remember(tx, "category:"+n.Category, func() (*opsdesk.Category, error) { return tx.category(ctx, n.Category) })
	if err != nil {
		return "", err
	}
	if n.Type == "" {
		n.Type = sev.DefaultType
	}
	contract, err := remember(tx, fmt.Sprint("contract:", cust.ID), func() (*opsdesk.Contract, error) { return tx.contract(ctx, cust.ID) })
	if err != nil {
		return "", err
	}
	level, why := routeLevel(cat.Level, contract)
	num, err := tx.nextNumber(ctx, "ticket")
	if err != nil {
		return "", err
	}
	received := tx.now
	if !n.ReceivedAt.IsZero() && n.ReceivedAt.Before(tx.now) {
		received = n.ReceivedAt.UTC()
	}
	key := opsdesk.FormatKey(tx.db.TicketPrefix, num)
	id, err := tx.insert(ctx, `INSERT INTO tickets (number, key, customer_id, requester_id, environment_id, category, type,
		severity, severity_rank, status, level, group_code, channel, subject, impact, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?)`,
		num, key, cust.ID, requester.ID, nullID(n.EnvironmentID), cat.Code, n.Type, sev.Code, sev.Rank, level,
		cat.GroupCode, n.Channel, n.Subject, n.Impact, nullID(a.UserID), received.UnixMilli(), tx.now.UnixMilli())
	if err != nil {
		return "", err
	}
	if err := tx.indexSubject(ctx, id, cust.ID, n.Subject); err != nil {
		return "", err
	}
	if err := tx.event(ctx, opsdesk.Event{TicketID: id, Kind: opsdesk.EventCreated, New: string(n.Channel), Reason: why}); err != nil {
		return "", err
	}
	// The description is the requester's words, even when an agent typed it for them.
	msg := &opsdesk.Message{TicketID: id, AuthorContactID: requester.ID, Body: n.Description, Channel: n.Channel,
		AuthorLabel: firstNonEmpty(requester.Name, requester.Email)}
	if a.IsCustomer() {
		msg.AuthorUserID = a.UserID
	}
	if err := tx.addMessage(ctx, msg, n.Attachments, false); err != nil {
		return "", err
	}
	if n.Import {
		return key, nil
	}
	return key, tx.emit(ctx, opsdesk.TicketCreated, &opsdesk.Ticket{ID: id, Key: key}, msg.ID, false)
}

// routeLevel picks a new ticket's level: the category's, raised to the first level the contract
// provides at or above it (or the highest it provides). The reason is kept in history when the
// contract moved it.
func routeLevel(want opsdesk.Level, c *opsdesk.Contract) (opsdesk.Level, string) {
	if c == nil || c.Provides(want) {
		return want, ""
	}
	for _, l := range opsdesk.Levels {
		if l > want && c.Provides(l) {
			return l, "routed to " + string(l) + ": the contract does not provide " + string(want)
		}
	}
	l := c.Levels[len(c.Levels)-1]
	return l, "routed to " + string(l) + ": the contract does not provide " + string(want)
}

// requester finds the contact filing the ticket, creating it when the address belongs to one of
// the customer's domains or when a member of staff names it.
func (tx *Tx) requester(ctx context.Context, cust *opsdesk.Customer, n *opsdesk.NewTicket) (*opsdesk.Contact, error) {
	c, err := scanContact(tx.queryRow(ctx, `SELECT `+contactColumns+` FROM contacts WHERE email = ?`, n.RequesterEmail))
	if err == nil {
		if c.CustomerID != cust.ID {
			return nil, opsdesk.Invalid("requester", "%s is a contact of another customer", n.RequesterEmail)
		}
		return c, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	_, domain, _ := strings.Cut(n.RequesterEmail, "@")
	ownDomain := false
	for _, d := range cust.Domains {
		if d == domain {
			ownDomain = true
		}
	}
	if !ownDomain && !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Invalid("requester", "%s is not a contact of %s", n.RequesterEmail, cust.Code)
	}
	c = &opsdesk.Contact{CustomerID: cust.ID, Email: n.RequesterEmail, Name: n.RequesterName}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, tx.createContact(ctx, c)
}

func (tx *Tx) contract(ctx context.Context, customerID int64) (*opsdesk.Contract, error) {
	c, err := scanContract(tx.queryRow(ctx, `SELECT customer_id, levels, tier, starts_on, ends_on, notes, updated_at
		FROM contracts WHERE customer_id = ?`, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// nextNumber takes the next value of a named counter, starting at 1000 + 1.
func (tx *Tx) nextNumber(ctx context.Context, name string) (int64, error) {
	var v int64
	err := tx.queryRow(ctx, `INSERT INTO counters (name, value) VALUES (?, 1001)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&v)
	return v, err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
