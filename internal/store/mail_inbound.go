package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// InboundMail is the record of one inbound message: where it came from, what intake made of it
// and why. The raw message is in the blob store under RawSHA256.
type InboundMail struct {
	ID              int64
	Source          string
	MessageID       string
	RawSHA256       string
	RawSize         int64
	From, FromName  string
	Subject         string
	EnvelopeTo      string
	Status          string // one of the Inbound constants
	Reason          string
	NoAutoreply     bool // never answer it automatically (robot, bounce, our own address, rate limit)
	RobotReason     string
	Defects         []string
	CustomerID      int64 // the sender's customer, when known
	ContactID       int64
	TicketID        int64
	TicketKey       string
	TicketMessageID int64
	ReceivedAt      time.Time
	CreatedAt       time.Time
	HandledBy       string    // the member of staff who filed or dismissed a kept message
	HandledAt       time.Time //
}

const inboundColumns = `id, source, message_id, raw_sha256, raw_size, from_addr, from_name, subject, envelope_to, status,
	reason, no_autoreply, robot_reason, defects, customer_id, contact_id, ticket_id, ticket_key, ticket_message_id,
	received_at, created_at, handled_by, handled_at`

func scanInbound(sc scanner) (*InboundMail, error) {
	var m InboundMail
	var defects string
	var cust, contact, ticket, msg, handled sql.NullInt64
	var received, created int64
	err := sc.Scan(&m.ID, &m.Source, &m.MessageID, &m.RawSHA256, &m.RawSize, &m.From, &m.FromName, &m.Subject, &m.EnvelopeTo,
		&m.Status, &m.Reason, &m.NoAutoreply, &m.RobotReason, &defects, &cust, &contact, &ticket, &m.TicketKey, &msg,
		&received, &created, &m.HandledBy, &handled)
	if err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(defects), &m.Defects)
	m.CustomerID, m.ContactID, m.TicketID, m.TicketMessageID = cust.Int64, contact.Int64, ticket.Int64, msg.Int64
	m.ReceivedAt = fromMS(sql.NullInt64{Int64: received, Valid: true})
	m.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	m.HandledAt = fromMS(handled)
	return &m, nil
}

func staffOnly(ctx context.Context) error {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return opsdesk.Forbidden("only the vendor's team reads inbound mail")
	}
	return nil
}

// InboundMail returns the record of an inbound message. Staff only. Errors: forbidden, not found.
func (d *DB) InboundMail(ctx context.Context, id int64) (*InboundMail, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	m, err := scanInbound(d.queryRow(ctx, `SELECT `+inboundColumns+` FROM mail_inbound WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no inbound mail %d", id)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.InboundMail", err)
	}
	return m, nil
}

// InboundFilter selects inbound messages for the admins' lists.
type InboundFilter struct {
	Status   string // "" for all; InboundTriage for the triage queue
	Source   string // "" for all
	BeforeID int64  // paging: messages older than this one; 0 for the newest
	Limit    int    // default 50, at most 500
}

// ListInboundMail lists inbound messages, newest first: the triage queue (Status
// InboundTriage), the robots and rate-limited messages kept without ticket, or everything.
// Staff only. Errors: forbidden.
func (d *DB) ListInboundMail(ctx context.Context, f InboundFilter) ([]*InboundMail, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q := `SELECT ` + inboundColumns + ` FROM mail_inbound WHERE status <> 'pending'`
	var args []any
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, f.Status)
	}
	if f.Source != "" {
		q += ` AND source = ?`
		args = append(args, f.Source)
	}
	if f.BeforeID > 0 {
		q += ` AND id < ?`
		args = append(args, f.BeforeID)
	}
	args = append(args, f.Limit)
	out, err := collect(scanInbound)(d.query(ctx, q+` ORDER BY id DESC LIMIT ?`, args...))
	return out, wrapErr("store.ListInboundMail", err)
}

// MessageInbound returns the inbound record of a ticket message that came by mail: its
// RawSHA256 names the .eml to download. Staff only. Errors: forbidden, not found (no such
// message, or one that did not come by mail).
func (d *DB) MessageInbound(ctx context.Context, key string, messageID int64) (*InboundMail, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	var inbound sql.NullInt64
	err = d.queryRow(ctx, `SELECT inbound_id FROM ticket_messages WHERE id = ? AND ticket_id = ?`, messageID, t.ID).Scan(&inbound)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !inbound.Valid) {
		return nil, opsdesk.NotFound("message %d of %s did not come by mail", messageID, t.Key)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.MessageInbound", err)
	}
	return d.InboundMail(ctx, inbound.Int64)
}

// MailParts is what a mail message keeps beside its body (the new words): the whole text with
// the quoted conversation, shown folded; the sanitised HTML; the no-autoreply flag; and the
// Content-IDs of its inline images, by attachment id, for rewriting cid: references.
type MailParts struct {
	FullBody    string
	HTML        string
	NoAutoreply bool
	InboundID   int64
	ContentIDs  map[int64]string
}

// MessageMailParts returns the mail columns of a ticket message. Customers get them for the
// public messages of their own tickets. Errors: not found.
func (d *DB) MessageMailParts(ctx context.Context, key string, messageID int64) (*MailParts, error) {
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	var p MailParts
	var inbound sql.NullInt64
	var internal bool
	err = d.queryRow(ctx, `SELECT full_body, html, no_autoreply, inbound_id, internal FROM ticket_messages WHERE id = ? AND ticket_id = ?`,
		messageID, t.ID).Scan(&p.FullBody, &p.HTML, &p.NoAutoreply, &inbound, &internal)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && internal && !opsdesk.ActorFrom(ctx).IsStaff()) {
		return nil, opsdesk.NotFound("no message %d on %s", messageID, t.Key)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.MessageMailParts", err)
	}
	p.InboundID = inbound.Int64
	rows, err := d.query(ctx, `SELECT id, content_id FROM attachments WHERE message_id = ? AND content_id <> ''`, messageID)
	if err != nil {
		return nil, opsdesk.Internal("store.MessageMailParts", err)
	}
	defer rows.Close()
	p.ContentIDs = map[int64]string{}
	for rows.Next() {
		var id int64
		var cid string
		if err := rows.Scan(&id, &cid); err != nil {
			return nil, opsdesk.Internal("store.MessageMailParts", err)
		}
		p.ContentIDs[id] = cid
	}
	return &p, wrapErr("store.MessageMailParts", rows.Err())
}

// MessageNoAutoreply tells whether a ticket message came from mail that must never get an
// automatic answer (a robot, a bounce, our own address): outbound notifications check it for
// the message of a ticket event. Errors: not found, internal.
func (d *DB) MessageNoAutoreply(ctx context.Context, messageID int64) (bool, error) {
	var flag bool
	err := d.queryRow(ctx, `SELECT no_autoreply FROM ticket_messages WHERE id = ?`, messageID).Scan(&flag)
	if errors.Is(err, sql.ErrNoRows) {
		return false, opsdesk.NotFound("no message %d", messageID)
	}
	return flag, wrapErr("store.MessageNoAutoreply", err)
}
