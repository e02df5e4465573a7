package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// mailRoute decides where one inbound message goes, inside DeliverMail's transaction, and
// collects why.
type mailRoute struct {
	tx  *Tx
	m   *MailDelivery
	out *MailOutcome
	why []string

	contact  *opsdesk.Contact  // the sender's contact, when known or created
	customer *opsdesk.Customer // the sender's customer, by contact or by domain
	ticketID int64             // the ticket the message went to
}

func (r *mailRoute) because(format string, args ...any) {
	r.why = append(r.why, fmt.Sprintf(format, args...))
}

func (r *mailRoute) customerID() int64 {
	if r.customer == nil {
		return 0
	}
	return r.customer.ID
}

func (r *mailRoute) contactID() int64 {
	if r.contact == nil {
		return 0
	}
	return r.contact.ID
}

// decide applies the rules in order: a copy already applied through another source, the
// sender's rate, bounces, the sender, threading, then a new ticket or the triage queue.
func (r *mailRoute) decide(ctx context.Context) error {
	defer func() { r.out.Reason = strings.Join(r.why, "; ") }()
	m := r.m
	if m.KeepReason != "" {
		r.out.Status = InboundTriage
		r.because("kept in the triage queue: %s", m.KeepReason)
		return nil
	}
	if done, err := r.seenElsewhere(ctx); done || err != nil {
		return err
	}
	// One sender's messages are decided one at a time (across instances on PostgreSQL): the
	// rate count and the creation of their contact see each other.
	if m.From != "" {
		if err := r.tx.lock(ctx, "mail-sender:"+m.From); err != nil {
			return err
		}
	}
	if limited, err := r.rateLimited(ctx); limited || err != nil {
		return err
	}
	if m.Bounce {
		return r.bounce(ctx)
	}
	if err := r.sender(ctx); err != nil {
		return err
	}
	t, err := r.thread(ctx)
	if err != nil {
		return err
	}
	switch {
	case t != nil && (m.Robot || m.OwnAddress):
		return r.robotNote(ctx, t)
	case t != nil:
		return r.reply(ctx, t)
	case m.Robot || m.OwnAddress:
		r.out.Status = InboundRobot
		r.because("automatic mail answering no ticket: kept without a ticket, never answered")
		return nil
	case r.customer != nil:
		return r.newTicket(ctx, nil)
	}
	r.out.Status = InboundTriage
	r.because("kept in the triage queue for staff to choose a customer")
	return nil
}

// seenElsewhere handles a message already received through another source (the same mail in
// two mailboxes): each source records its copy, but the meaning is applied once.
func (r *mailRoute) seenElsewhere(ctx context.Context) (bool, error) {
	if r.m.MessageID == "" {
		return false, nil
	}
	if err := r.tx.lock(ctx, "mail-message:"+r.m.MessageID); err != nil {
		return false, err
	}
	var source, status, key, reason string
	var ticket, cust, contact sql.NullInt64
	err := r.tx.queryRow(ctx, `SELECT source, status, ticket_key, ticket_id, customer_id, contact_id, reason FROM mail_inbound
		WHERE message_id = ? AND source <> ? AND status <> 'pending' ORDER BY id LIMIT 1`, r.m.MessageID, r.m.Source).
		Scan(&source, &status, &key, &ticket, &cust, &contact, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.out.Status, r.out.TicketKey, r.ticketID = status, key, ticket.Int64
	if cust.Valid {
		if r.customer, err = r.tx.customerByID(ctx, cust.Int64); err != nil {
			return false, err
		}
		r.out.CustomerCode = r.customer.Code
	}
	if contact.Valid {
		r.contact = &opsdesk.Contact{ID: contact.Int64}
	}
	r.because("the same message (Message-ID %s) was already received through %s: recorded, not applied twice (%s)", r.m.MessageID, source, reason)
	return true, nil
}

// rateLimited keeps a message without effect when its sender is over the rate.
func (r *mailRoute) rateLimited(ctx context.Context) (bool, error) {
	p, m := r.m.Policy, r.m
	if p.RateLimit <= 0 || p.RateWindow <= 0 || m.From == "" {
		return false, nil
	}
	var n int
	err := r.tx.queryRow(ctx, `SELECT COUNT(*) FROM mail_inbound WHERE from_addr = ? AND received_at > ? AND id <> ?`,
		m.From, m.ReceivedAt.Add(-p.RateWindow).UnixMilli(), r.out.InboundID).Scan(&n)
	if err != nil || n < p.RateLimit {
		return false, err
	}
	r.out.Status, r.out.NoAutoreply = InboundRateLimited, true
	r.because("%s sent %d messages within %s (limit %d): kept and flagged, nothing opened", m.From, n+1, p.RateWindow, p.RateLimit)
	return true, nil
}

// sender finds the sender's contact, or the customer owning the sender's domain (or a parent
// domain of it).
func (r *mailRoute) sender(ctx context.Context) error {
	m, tx := r.m, r.tx
	switch {
	case m.OwnAddress:
		r.because("sent from our own support address %s: never answered automatically", m.From)
		return nil
	case m.From == "":
		r.because("the message has no usable sender address")
		return nil
	}
	c, err := scanContact(tx.queryRow(ctx, `SELECT `+contactColumns+` FROM contacts WHERE email = ?`, m.From))
	if err == nil {
		r.contact = c
		if r.customer, err = tx.mailCustomer(ctx, c.CustomerID); err != nil {
			return err
		}
		r.out.CustomerCode, r.out.ContactEmail = r.customer.Code, c.Email
		r.because("%s is a contact of %s", m.From, r.customer.Code)
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, domain, _ := strings.Cut(m.From, "@")
	for d := domain; strings.Contains(d, "."); d = d[strings.IndexByte(d, '.')+1:] {
		var id int64
		err := tx.queryRow(ctx, `SELECT customer_id FROM customer_domains WHERE domain = ?`, d).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if r.customer, err = tx.mailCustomer(ctx, id); err != nil {
			return err
		}
		r.out.CustomerCode = r.customer.Code
		r.because("%s is not a contact yet, but %s is a domain of %s", m.From, d, r.customer.Code)
		return nil
	}
	r.because("%s is neither a contact nor of a customer's domain", m.From)
	return nil
}

// thread returns the ticket the message answers: one named by its In-Reply-To or References
// (a message of the ticket, inbound or outbound, has that Message-ID), else one whose tag is in
// the subject. The sender must belong to the ticket's customer; mail from our own addresses
// threads by its headers only.
func (r *mailRoute) thread(ctx context.Context) (*opsdesk.Ticket, error) {
	accept := func(t *opsdesk.Ticket, how string) bool {
		if r.m.OwnAddress || (r.customer != nil && t.CustomerID == r.customer.ID) {
			r.because("%s", how)
			return true
		}
		r.because("%s, a ticket of %s, but the sender is not of that customer: not added to it", how, t.CustomerCode)
		return false
	}
	byHeader, err := r.tx.ticketsByMailID(ctx, headerIDs(r.m.InReplyTo, r.m.References))
	if err != nil {
		return nil, err
	}
	for _, h := range byHeader {
		t, err := r.tx.ticketByID(ctx, h.ticketID)
		if err != nil {
			return nil, err
		}
		if accept(t, "In-Reply-To/References name "+h.id+", a message of "+t.Key) {
			return t, nil
		}
	}
	if r.m.OwnAddress {
		return nil, nil
	}
	for _, key := range TicketTags(r.tx.db.TicketPrefix, r.m.Subject) {
		t, err := r.tx.ticketByKey(ctx, key)
		if opsdesk.IsKind(err, opsdesk.KindNotFound) {
			r.because("the subject names %s, which does not exist", key)
			continue
		}
		if err != nil {
			return nil, err
		}
		if accept(t, "the subject carries the tag of "+key) {
			return t, nil
		}
	}
	return nil, nil
}

// mailCustomer reads a customer once per transaction, shared with createTicket's lookup.
func (tx *Tx) mailCustomer(ctx context.Context, id int64) (*opsdesk.Customer, error) {
	return remember(tx, fmt.Sprint("customer:", id), func() (*opsdesk.Customer, error) { return tx.customerByID(ctx, id) })
}
