package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// OutboxMailByID returns one outbox mail with its bodies. Admins, ops managers and the system
// only. Errors: forbidden, not found.
func (d *DB) OutboxMailByID(ctx context.Context, id int64) (*OutboxMail, error) {
	if err := mayManageOutbox(ctx, "read the outbox"); err != nil {
		return nil, err
	}
	m, err := scanOutbox(d.queryRow(ctx, `SELECT `+outboxColumns+` FROM mail_outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no outgoing mail %d", id)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.OutboxMailByID", err)
	}
	return m, nil
}

// OutboxFilter selects outbox mails for the admins' list.
type OutboxFilter struct {
	State     OutboxState // "" for every state
	TicketKey string      // "" for every ticket
	BeforeID  int64       // paging: only mails older than this id (0: from the newest)
	Limit     int         // default 100, at most 500
}

// ListOutbox lists outbox mails, newest first, with their state, attempts and last error — the
// admins' view of what was sent and what was not. Bodies are included. Admins and ops managers
// only. Errors: forbidden, invalid (state).
func (d *DB) ListOutbox(ctx context.Context, f OutboxFilter) ([]*OutboxMail, error) {
	if err := mayManageOutbox(ctx, "read the outbox"); err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 500)
	q, args := `SELECT `+outboxColumns+` FROM mail_outbox WHERE 1=1`, []any{}
	switch f.State {
	case "":
	case OutboxPending, OutboxSent, OutboxFailed:
		q, args = q+` AND state = ?`, append(args, f.State)
	default:
		return nil, opsdesk.Invalid("state", "must be pending, sent or failed")
	}
	if f.TicketKey != "" {
		q, args = q+` AND ticket_key = ?`, append(args, strings.ToUpper(strings.TrimSpace(f.TicketKey)))
	}
	if f.BeforeID > 0 {
		q, args = q+` AND id < ?`, append(args, f.BeforeID)
	}
	out, err := collect(scanOutbox)(d.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, f.Limit)...))
	return out, wrapErr("store.ListOutbox", err)
}

// OutboxCounts returns how many outbox mails are in each state, for the admin dashboard.
func (d *DB) OutboxCounts(ctx context.Context) (map[OutboxState]int, error) {
	if err := mayManageOutbox(ctx, "read the outbox"); err != nil {
		return nil, err
	}
	rows, err := d.query(ctx, `SELECT state, COUNT(*) FROM mail_outbox GROUP BY state`)
	if err != nil {
		return nil, opsdesk.Internal("store.OutboxCounts", err)
	}
	defer rows.Close()
	out := map[OutboxState]int{}
	for rows.Next() {
		var s OutboxState
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, opsdesk.Internal("store.OutboxCounts", err)
		}
		out[s] = n
	}
	return out, wrapErr("store.OutboxCounts", rows.Err())
}

// MarkOutboxSent records that the relay accepted a mail (counting the attempt). System (admin)
// actor only. Errors: forbidden, not found.
func (d *DB) MarkOutboxSent(ctx context.Context, id int64) error {
	return d.outboxUpdate(ctx, "store.MarkOutboxSent", `UPDATE mail_outbox SET state = 'sent', attempts = attempts + 1,
		last_error = '', sent_at = ?, updated_at = ? WHERE id = ?`, d.Now().UnixMilli(), d.Now().UnixMilli(), id)
}

// FailOutbox records a failed attempt to send a mail with its cause; final leaves it failed (no
// more attempts will come), otherwise it stays pending for the next one. System (admin) actor
// only. Errors: forbidden, not found (or already sent).
func (d *DB) FailOutbox(ctx context.Context, id int64, cause string, final bool) error {
	state := OutboxPending
	if final {
		state = OutboxFailed
	}
	return d.outboxUpdate(ctx, "store.FailOutbox", `UPDATE mail_outbox SET state = ?, attempts = attempts + 1, last_error = ?,
		updated_at = ? WHERE id = ? AND state <> 'sent'`, state, truncate(cause, 2000), d.Now().UnixMilli(), id)
}

// RetryOutbox puts a failed mail back in the queue and enqueues, in the same transaction, the job
// that sends it (made by job). Its attempts and last error are kept for the record. Admins and ops
// managers only. Errors: forbidden, not found (no failed mail with that id).
func (d *DB) RetryOutbox(ctx context.Context, id int64, job func(m *OutboxMail) opsdesk.NewJob) error {
	if err := mayManageOutbox(ctx, "send mail again"); err != nil {
		return err
	}
	return d.inTx(ctx, "store.RetryOutbox", func(tx *Tx) error {
		m, err := scanOutbox(tx.queryRow(ctx, `UPDATE mail_outbox SET state = 'pending', updated_at = ? WHERE id = ? AND state = 'failed'
			RETURNING `+outboxColumns, tx.now.UnixMilli(), id))
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no failed outgoing mail %d", id)
		}
		if err != nil {
			return err
		}
		_, err = tx.enqueue(ctx, job(m))
		return err
	})
}

func (d *DB) outboxUpdate(ctx context.Context, op, q string, args ...any) error {
	if err := mayManageOutbox(ctx, "change the outbox"); err != nil {
		return err
	}
	res, err := d.exec(ctx, q, args...)
	if err != nil {
		return opsdesk.Internal(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return opsdesk.NotFound("no outgoing mail %d to update", args[len(args)-1])
	}
	return nil
}

// TicketKeyByMailMessageID returns the number of the ticket an outgoing mail belongs to, found
// by its Message-ID (with or without angle brackets), so that mail intake threads a reply to any
// notification — an acknowledgement carries no ticket message. Errors: not found.
func (d *DB) TicketKeyByMailMessageID(ctx context.Context, messageID string) (string, error) {
	var key string
	err := d.queryRow(ctx, `SELECT ticket_key FROM mail_outbox WHERE mail_message_id = ?`,
		strings.Trim(strings.TrimSpace(messageID), "<>")).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", opsdesk.NotFound("no outgoing mail with Message-ID %s", messageID)
	}
	if err != nil {
		return "", opsdesk.Internal("store.TicketKeyByMailMessageID", err)
	}
	return key, nil
}
