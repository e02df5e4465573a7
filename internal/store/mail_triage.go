package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// FileInboundMail turns a message kept without a ticket — in the triage queue, or kept as a
// robot, a bounce or over the rate limit — into a new ticket of the customer staff chose: the
// sender becomes a contact of that customer, the ticket's SLA clock starts when the mail was
// received, and a robot's no-autoreply flag stays on its message. Category and severity may be
// "" for the source's defaults. Staff only. Errors: forbidden, not found, invalid (customer,
// sender, category, severity), conflict (the message already has a ticket or was dismissed).
func (d *DB) FileInboundMail(ctx context.Context, id, customerID int64, category, severity string) (*opsdesk.Ticket, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	var key string
	err := d.inTx(ctx, "store.FileInboundMail", func(tx *Tx) error {
		in, content, err := tx.keptInbound(ctx, id)
		if err != nil {
			return err
		}
		if in.From == "" {
			return opsdesk.Invalid("from", "the message has no sender address to file it for")
		}
		cust, err := tx.customerByID(ctx, customerID)
		if err != nil {
			return opsdesk.Invalid("customer", "no such customer")
		}
		m := &MailDelivery{Source: in.Source, MessageID: in.MessageID, RawSHA256: in.RawSHA256, RawSize: in.RawSize,
			ReceivedAt: in.ReceivedAt, From: in.From, FromName: in.FromName, Subject: in.Subject, Text: content.Text,
			TextNew: content.Text, HTML: content.HTML, Attachments: content.Attachments,
			Policy: MailPolicy{Category: category, Severity: severity}}
		r := &mailRoute{tx: tx, m: m, customer: cust, out: &MailOutcome{InboundID: in.ID, NoAutoreply: in.NoAutoreply}}
		if category != "" {
			if _, err := tx.category(ctx, category); err != nil {
				return err
			}
		}
		if severity != "" {
			if _, err := tx.severity(ctx, severity); err != nil {
				return err
			}
		}
		if err := r.newTicket(ctx, nil); err != nil {
			return err
		}
		key = r.out.TicketKey
		a := opsdesk.ActorFrom(ctx)
		_, err = tx.exec(ctx, `UPDATE mail_inbound SET status = ?, reason = ?, customer_id = ?, contact_id = ?, ticket_id = ?,
			ticket_key = ?, ticket_message_id = ?, handled_by = ?, handled_at = ? WHERE id = ?`,
			InboundTicket, in.Reason+"; filed as "+key+" for "+cust.Code+" by "+a.Label, cust.ID, nullID(r.contactID()),
			r.ticketID, key, r.out.MessageID, a.Label, tx.now.UnixMilli(), in.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: key, Kind: "created"})
	return d.TicketByKey(ctx, key)
}

// DismissInboundMail marks a message kept without a ticket as needing nothing (spam, a
// newsletter), with the reason; it stays recorded and downloadable. Staff only. Errors:
// forbidden, not found, invalid (reason), conflict (it has a ticket or was dismissed).
func (d *DB) DismissInboundMail(ctx context.Context, id int64, reason string) error {
	if err := staffOnly(ctx); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return opsdesk.Invalid("reason", "is required: say why the message needs nothing")
	}
	return d.inTx(ctx, "store.DismissInboundMail", func(tx *Tx) error {
		in, _, err := tx.keptInbound(ctx, id)
		if err != nil {
			return err
		}
		a := opsdesk.ActorFrom(ctx)
		_, err = tx.exec(ctx, `UPDATE mail_inbound SET status = ?, reason = ?, handled_by = ?, handled_at = ? WHERE id = ?`,
			InboundDismissed, in.Reason+"; dismissed by "+a.Label+": "+reason, a.Label, tx.now.UnixMilli(), in.ID)
		return err
	})
}

// keptInbound reads a message kept without a ticket, with its content, for staff to act on.
func (tx *Tx) keptInbound(ctx context.Context, id int64) (*InboundMail, *mailContent, error) {
	var raw string
	in, err := scanInbound(tx.queryRow(ctx, `SELECT `+inboundColumns+` FROM mail_inbound WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, opsdesk.NotFound("no inbound mail %d", id)
	}
	if err != nil {
		return nil, nil, err
	}
	if in.TicketID != 0 || in.TicketKey != "" || in.Status == InboundDismissed || in.Status == "pending" {
		return nil, nil, opsdesk.Conflict("status", "inbound mail %d is %s %s: nothing to file", id, in.Status, in.TicketKey)
	}
	if err := tx.queryRow(ctx, `SELECT content FROM mail_inbound WHERE id = ?`, id).Scan(&raw); err != nil {
		return nil, nil, err
	}
	var c mailContent
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return nil, nil, err
		}
	}
	return in, &c, nil
}
