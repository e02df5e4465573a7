package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// OutboxState is where an outgoing mail stands.
type OutboxState string

// The outbox states. A mail is pending until the relay accepts it (sent); it is failed when its
// attempts are used up, when the relay refused it for good, or when no relay is configured.
// Failed mails are kept for admins to see and send again (RetryOutbox).
const (
	OutboxPending OutboxState = "pending"
	OutboxSent    OutboxState = "sent"
	OutboxFailed  OutboxState = "failed"
)

// maxReferences bounds the References header: the first message of the thread and the latest
// ones, as RFC 5322 §3.6.4 allows trimming.
const maxReferences = 20

// OutboxMail is one mail to send, kept durably from the ticket change that caused it until the
// relay accepts it — and afterwards, for admins and threading.
type OutboxMail struct {
	ID             int64
	DedupKey       string // cause, kind and recipient: a second mail with the same key is not queued
	TicketID       int64
	TicketKey      string
	MessageID      int64  // the ticket message the mail carries (an agent's reply), 0 for none
	Kind           string // what the mail says: ack, reply, waiting, resolved, agent_new, agent_assigned
	Lang           opsdesk.Lang
	To             string // the recipient's address
	ToName         string
	Cc             []string
	Subject        string
	Text           string // text/plain body
	HTML           string // text/html body
	MailMessageID  string // Message-ID, without angle brackets
	InReplyTo      string // without angle brackets; set by QueueMails for threaded mails
	References     []string
	AutoSubmitted  string // Auto-Submitted value (RFC 3834), "" for a person's message
	CustomerFacing bool   // part of the customer's conversation: threads with the ticket's own mail
	State          OutboxState
	Attempts       int
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SentAt         time.Time
}

const outboxColumns = `id, dedup_key, COALESCE(ticket_id, 0), ticket_key, message_id, kind, lang, to_addr, to_name, cc, subject, text_body,
	html_body, mail_message_id, in_reply_to, refs, auto_submitted, customer_facing, state, attempts, last_error, created_at,
	updated_at, sent_at`

func scanOutbox(sc scanner) (*OutboxMail, error) {
	var m OutboxMail
	var msg, sent sql.NullInt64
	var cc, refs string
	var created, updated int64
	err := sc.Scan(&m.ID, &m.DedupKey, &m.TicketID, &m.TicketKey, &msg, &m.Kind, &m.Lang, &m.To, &m.ToName, &cc, &m.Subject,
		&m.Text, &m.HTML, &m.MailMessageID, &m.InReplyTo, &refs, &m.AutoSubmitted, &m.CustomerFacing, &m.State, &m.Attempts,
		&m.LastError, &created, &updated, &sent)
	if err != nil {
		return nil, err
	}
	m.MessageID, m.Cc, m.References = msg.Int64, strings.Fields(cc), strings.Fields(refs)
	m.CreatedAt, m.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	m.SentAt = fromMS(sent)
	return &m, nil
}

// mayManageOutbox lets admins, ops managers and the system (the notifier runs as it) reach the
// outbox: it holds customers' mail.
func mayManageOutbox(ctx context.Context, what string) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers %s", what)
	}
	return nil
}

// QueueMails records mails in the outbox and enqueues, in the same transaction, the job that
// sends each (made by job from the stored row). A mail whose DedupKey is already in the outbox
// is skipped, so a retried ticket event adds nothing; it returns how many were added. Before
// storing a threaded mail it sets InReplyTo and References from the ticket's previous mail (see
// Thread); a mail that carries a ticket message records its Message-ID on that message when the
// message has none. System (admin) actor only.
func (d *DB) QueueMails(ctx context.Context, mails []*OutboxMail, job func(m *OutboxMail) opsdesk.NewJob) (int, error) {
	if err := mayManageOutbox(ctx, "queue mail"); err != nil {
		return 0, err
	}
	added := 0
	err := d.inTx(ctx, "store.QueueMails", func(tx *Tx) error {
		locked := map[int64]bool{}
		for _, m := range mails {
			if m.DedupKey == "" || m.To == "" || m.MailMessageID == "" {
				return opsdesk.Invalid("mail", "a queued mail needs a dedup key, a recipient and a Message-ID")
			}
			if !locked[m.TicketID] { // one writer of a ticket's thread at a time, across instances
				if err := tx.lock(ctx, fmt.Sprint("outbox:", m.TicketID)); err != nil {
					return err
				}
				locked[m.TicketID] = true
			}
			ok, err := tx.queueMail(ctx, m)
			if err != nil || !ok {
				return err
			}
			if _, err := tx.enqueue(ctx, job(m)); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	return added, err
}

// queueMail stores one mail unless its dedup key is already there.
func (tx *Tx) queueMail(ctx context.Context, m *OutboxMail) (bool, error) {
	var exists int
	err := tx.queryRow(ctx, `SELECT 1 FROM mail_outbox WHERE dedup_key = ?`, m.DedupKey).Scan(&exists)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	refs, err := tx.thread(ctx, m.TicketID, m.To, m.CustomerFacing)
	if err != nil {
		return false, err
	}
	if len(refs) > 0 {
		m.InReplyTo = refs[len(refs)-1]
	}
	if len(refs) > maxReferences {
		refs = append(refs[:1], refs[len(refs)-maxReferences+1:]...)
	}
	m.References = refs
	m.State, m.Attempts, m.LastError, m.CreatedAt, m.UpdatedAt = OutboxPending, 0, "", tx.now, tx.now
	m.ID, err = tx.insert(ctx, `INSERT INTO mail_outbox (dedup_key, ticket_id, ticket_key, message_id, kind, lang, to_addr, to_name,
		cc, subject, text_body, html_body, mail_message_id, in_reply_to, refs, auto_submitted, customer_facing, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
		m.DedupKey, nullID(m.TicketID), m.TicketKey, nullID(m.MessageID), m.Kind, m.Lang, m.To, m.ToName, strings.Join(m.Cc, " "),
		m.Subject, m.Text, m.HTML, m.MailMessageID, m.InReplyTo, strings.Join(m.References, " "), m.AutoSubmitted,
		m.CustomerFacing, tx.now.UnixMilli(), tx.now.UnixMilli())
	if err != nil {
		return false, err
	}
	if m.MessageID != 0 {
		_, err = tx.exec(ctx, `UPDATE ticket_messages SET mail_message_id = ? WHERE id = ? AND mail_message_id IS NULL`,
			m.MailMessageID, m.MessageID)
	}
	return true, err
}

// Thread returns the Message-IDs (without angle brackets) of a ticket's previous mail as seen
// by recipient to, oldest first: for a customer-facing mail, the Message-IDs recorded on the
// ticket's public messages (the customer's own mails, our replies) and the customer-facing mails
// queued to that address; for a staff notification, the notifications queued to that address.
// The last one is the In-Reply-To of the next mail. System (admin) actor only.
func (d *DB) Thread(ctx context.Context, ticketID int64, to string, customerFacing bool) ([]string, error) {
	if err := mayManageOutbox(ctx, "read mail threads"); err != nil {
		return nil, err
	}
	var refs []string
	err := d.inTx(ctx, "store.Thread", func(tx *Tx) error {
		var err error
		refs, err = tx.thread(ctx, ticketID, to, customerFacing)
		return err
	})
	return refs, err
}

func (tx *Tx) thread(ctx context.Context, ticketID int64, to string, customerFacing bool) ([]string, error) {
	q := `SELECT mail_message_id, created_at, 1 AS src, id FROM mail_outbox WHERE ticket_id = ? AND to_addr = ? AND customer_facing = ?`
	args := []any{ticketID, to, customerFacing}
	if customerFacing {
		q += ` UNION ALL SELECT mail_message_id, created_at, 0 AS src, id FROM ticket_messages
			WHERE ticket_id = ? AND NOT internal AND mail_message_id IS NOT NULL AND mail_message_id <> ''
			AND mail_message_id NOT IN (SELECT mail_message_id FROM mail_outbox WHERE ticket_id = ?)`
		// A message sent by mail is placed by its outbox row, in sending order, not by its own time.
		args = append(args, ticketID, ticketID)
	}
	rows, err := tx.query(ctx, q+` ORDER BY 2, 3, 4`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	seen := map[string]bool{}
	for rows.Next() {
		var id string
		var at, src, rowID int64
		if err := rows.Scan(&id, &at, &src, &rowID); err != nil {
			return nil, err
		}
		id = strings.Trim(strings.TrimSpace(id), "<>")
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// FirstMessageNoAutoreply tells whether a ticket's first message came from mail that must never
// get an automatic answer (a robot, a bounce, one of our own addresses), as mail intake flags it
// in ticket_messages.no_autoreply. On a database without that column (before mail intake's
// migration) it is false.
func (d *DB) FirstMessageNoAutoreply(ctx context.Context, ticketID int64) (bool, error) {
	q := `SELECT COUNT(*) FROM pragma_table_info('ticket_messages') WHERE name = 'no_autoreply'`
	if d.dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema()
			AND table_name = 'ticket_messages' AND column_name = 'no_autoreply'`
	}
	var n int
	if err := d.queryRow(ctx, q).Scan(&n); err != nil {
		return false, opsdesk.Internal("store.FirstMessageNoAutoreply", err)
	}
	if n == 0 {
		return false, nil
	}
	var flag sql.NullBool
	err := d.queryRow(ctx, `SELECT no_autoreply FROM ticket_messages WHERE ticket_id = ? ORDER BY id LIMIT 1`, ticketID).Scan(&flag)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, opsdesk.Internal("store.FirstMessageNoAutoreply", err)
	}
	return flag.Bool, nil
}
