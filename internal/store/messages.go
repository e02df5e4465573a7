package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// event appends a line to a ticket's history, as the context's actor, at the transaction's time.
// The line carries its ticket's customer (never changed) for the indicators (migration 0028).
func (tx *Tx) event(ctx context.Context, e opsdesk.Event) error {
	a := opsdesk.ActorFrom(ctx)
	_, err := tx.exec(ctx, `INSERT INTO ticket_events (ticket_id, at, actor_id, actor_label, kind, field, old_value, new_value, reason, message_id, internal, customer_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT customer_id FROM tickets WHERE id = ?))`, e.TicketID, tx.now.UnixMilli(), nullID(a.UserID), a.Label, e.Kind,
		e.Field, e.Old, e.New, e.Reason, nullID(e.MessageID), e.Internal, e.TicketID)
	return err
}

// emit announces a ticket event to its consumers through the job queue, in the transaction of
// the change, so that an event is sent if and only if the change is committed.
func (tx *Tx) emit(ctx context.Context, event string, t *opsdesk.Ticket, messageID int64, internal bool) error {
	_, err := tx.enqueue(ctx, opsdesk.NewJob{Kind: opsdesk.TicketEventJob, MaxAttempts: 5, Payload: opsdesk.TicketEvent{
		Event: event, TicketID: t.ID, Key: t.Key, MessageID: messageID, Internal: internal,
		Actor: opsdesk.ActorFrom(ctx).Label, At: tx.now}})
	return err
}

// addMessage stores a message and its attachments, records it in history and, when bump is
// true, marks the ticket updated.
func (tx *Tx) addMessage(ctx context.Context, m *opsdesk.Message, atts []opsdesk.NewAttachment, bump bool) error {
	id, err := tx.insert(ctx, `INSERT INTO ticket_messages (ticket_id, author_user_id, author_contact_id, author_label, internal, body, channel, mail_message_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.TicketID, nullID(m.AuthorUserID), nullID(m.AuthorContactID), m.AuthorLabel,
		m.Internal, m.Body, m.Channel, nullStr(m.MailMessageID), tx.now.UnixMilli())
	if err != nil {
		return err
	}
	m.ID, m.CreatedAt = id, tx.now
	uploader := opsdesk.ActorFrom(ctx).Label
	for _, at := range atts {
		if at.Name == "" || at.SHA256 == "" {
			return opsdesk.Invalid("attachments", "an attachment needs a name and stored content")
		}
		aid, err := tx.insert(ctx, `INSERT INTO attachments (ticket_id, message_id, name, content_type, size, sha256, internal, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.TicketID, id, at.Name, at.ContentType, at.Size, at.SHA256, m.Internal, uploader, tx.now.UnixMilli())
		if err != nil {
			return err
		}
		m.Attachments = append(m.Attachments, opsdesk.Attachment{ID: aid, TicketID: m.TicketID, MessageID: id, Name: at.Name,
			ContentType: at.ContentType, Size: at.Size, SHA256: at.SHA256, Internal: m.Internal, UploadedBy: uploader, CreatedAt: tx.now})
	}
	if err := tx.indexMessage(ctx, m); err != nil {
		return err
	}
	kind := opsdesk.EventMessage
	if m.Internal {
		kind = opsdesk.EventNote
	}
	if err := tx.event(ctx, opsdesk.Event{TicketID: m.TicketID, Kind: kind, MessageID: id, Internal: m.Internal}); err != nil {
		return err
	}
	if bump {
		_, err = tx.exec(ctx, `UPDATE tickets SET updated_at = ?, version = version + 1 WHERE id = ?`, tx.now.UnixMilli(), m.TicketID)
	}
	return err
}

// Messages returns a ticket's conversation, oldest first, with attachments. Customers see the
// public messages only. Errors: not found.
func (d *DB) Messages(ctx context.Context, key string) ([]*opsdesk.Message, error) {
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	return d.messages(ctx, t.ID, 0)
}

// MessageByID returns one message of a ticket, with its attachments, as Messages would show it
// to the caller (customers never reach internal notes). Errors: not found.
func (d *DB) MessageByID(ctx context.Context, key string, id int64) (*opsdesk.Message, error) {
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	msgs, err := d.messages(ctx, t.ID, id)
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, opsdesk.NotFound("no message %d on %s", id, key)
	}
	return msgs[0], nil
}

// messages reads a ticket's messages (only message id when it is not 0) with their attachments,
// leaving out internal notes for callers who are not staff.
func (d *DB) messages(ctx context.Context, ticketID, id int64) ([]*opsdesk.Message, error) {
	staff := opsdesk.ActorFrom(ctx).IsStaff()
	q := `SELECT id, ticket_id, author_user_id, author_contact_id, author_label, internal, body, channel, mail_message_id, created_at
		FROM ticket_messages WHERE ticket_id = ?`
	args := []any{ticketID}
	if !staff {
		q += ` AND NOT internal`
	}
	if id != 0 {
		q += ` AND id = ?`
		args = append(args, id)
	}
	msgs, err := collect(func(sc scanner) (*opsdesk.Message, error) {
		var m opsdesk.Message
		var user, contact sql.NullInt64
		var mid sql.NullString
		var created int64
		err := sc.Scan(&m.ID, &m.TicketID, &user, &contact, &m.AuthorLabel, &m.Internal, &m.Body, &m.Channel, &mid, &created)
		m.AuthorUserID, m.AuthorContactID, m.MailMessageID = user.Int64, contact.Int64, mid.String
		m.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
		return &m, err
	})(d.query(ctx, q+` ORDER BY id`, args...))
	if err != nil {
		return nil, opsdesk.Internal("store.Messages", err)
	}
	if len(msgs) == 0 {
		return msgs, nil
	}
	atts, err := d.attachments(ctx, ticketID, staff)
	if err != nil {
		return nil, err
	}
	byMsg := map[int64]*opsdesk.Message{}
	for _, m := range msgs {
		byMsg[m.ID] = m
	}
	for _, at := range atts {
		if m := byMsg[at.MessageID]; m != nil {
			m.Attachments = append(m.Attachments, *at)
		}
	}
	return msgs, nil
}

const attachmentColumns = `id, ticket_id, message_id, name, content_type, size, sha256, internal, uploaded_by, created_at`

func scanAttachment(sc scanner) (*opsdesk.Attachment, error) {
	var a opsdesk.Attachment
	var msg sql.NullInt64
	var created int64
	err := sc.Scan(&a.ID, &a.TicketID, &msg, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.Internal, &a.UploadedBy, &created)
	a.MessageID = msg.Int64
	a.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	return &a, err
}

func (d *DB) attachments(ctx context.Context, ticketID int64, staff bool) ([]*opsdesk.Attachment, error) {
	q := `SELECT ` + attachmentColumns + ` FROM attachments WHERE ticket_id = ?`
	if !staff {
		q += ` AND NOT internal`
	}
	out, err := collect(scanAttachment)(d.query(ctx, q+` ORDER BY id`, ticketID))
	return out, wrapErr("store.attachments", err)
}

// Attachment returns one attachment of a ticket the caller may see; customers never reach
// attachments of internal notes. Errors: not found.
func (d *DB) Attachment(ctx context.Context, key string, id int64) (*opsdesk.Attachment, error) {
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	at, err := scanAttachment(d.queryRow(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE id = ? AND ticket_id = ?`, id, t.ID))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && at.Internal && !opsdesk.ActorFrom(ctx).IsStaff()) {
		return nil, opsdesk.NotFound("no attachment %d on %s", id, t.Key)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.Attachment", err)
	}
	return at, nil
}

// History returns a ticket's events, oldest first. Customers do not see internal events (notes).
// Errors: not found.
func (d *DB) History(ctx context.Context, key string) ([]*opsdesk.Event, error) {
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	q := `SELECT id, ticket_id, at, actor_id, actor_label, kind, field, old_value, new_value, reason, message_id, internal
		FROM ticket_events WHERE ticket_id = ?`
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		q += ` AND NOT internal`
	}
	out, err := collect(func(sc scanner) (*opsdesk.Event, error) {
		var e opsdesk.Event
		var at int64
		var actor, msg sql.NullInt64
		err := sc.Scan(&e.ID, &e.TicketID, &at, &actor, &e.ActorLabel, &e.Kind, &e.Field, &e.Old, &e.New, &e.Reason, &msg, &e.Internal)
		e.At, e.ActorID, e.MessageID = fromMS(sql.NullInt64{Int64: at, Valid: true}), actor.Int64, msg.Int64
		return &e, err
	})(d.query(ctx, q+` ORDER BY id`, t.ID))
	return out, wrapErr("store.History", err)
}
