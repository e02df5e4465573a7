package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The outcomes of an inbound mail, as stored in mail_inbound.status; the same values as the
// mail package's Status constants, plus the states staff give a kept message later.
const (
	InboundTicket      = "ticket"       // a new ticket was opened
	InboundReply       = "reply"        // added to an existing ticket
	InboundReopened    = "reopened"     // a reply that reopened its ticket
	InboundFollowUp    = "follow_up"    // a reply to a ticket closed too long ago: a new ticket naming it
	InboundTriage      = "triage"       // no known customer: waits for staff in the triage queue
	InboundBounce      = "bounce"       // a delivery failure report, attached to its ticket when found
	InboundRobot       = "robot"        // automatic mail: kept, or an internal note on the ticket it answers
	InboundRateLimited = "rate_limited" // over the sender's rate: kept and flagged, nothing opened
	InboundDismissed   = "dismissed"    // a kept message staff decided needs nothing
)

// MailPolicy is the part of the configuration that decides where mail goes.
type MailPolicy struct {
	ReopenWindow time.Duration // a reply this long after closing reopens; later, it opens a follow-up
	RateLimit    int           // messages one sender may send per RateWindow; 0 means no limit
	RateWindow   time.Duration
	Category     string // new tickets' category and severity when the source has no mailbox row
	Severity     string
}

// MailAttachment is one part of an inbound message whose content is in the blob store.
type MailAttachment struct {
	opsdesk.NewAttachment
	ContentID string `json:"content_id,omitempty"` // for inline images referenced as cid: in the HTML
	Inline    bool   `json:"inline,omitempty"`
}

// MailDelivery is one inbound message, parsed, with its raw form and attachments already in
// the blob store: what DeliverMail needs to decide and record its meaning.
type MailDelivery struct {
	Source     string    // the mailbox's name, or "smtp"
	MessageID  string    // without angle brackets; "" when the message has none
	RawSHA256  string    // the raw .eml in the blob store
	RawSize    int64     //
	ReceivedAt time.Time // when the channel received it
	EnvelopeTo []string

	From, FromName        string
	Subject               string
	Text, TextNew, HTML   string // whole text, text without the quoted conversation, sanitised HTML
	InReplyTo, References []string
	Attachments           []MailAttachment
	Defects               []string

	Robot             bool   // sent by a program (auto-reply, list, bounce)
	RobotReason       string //
	Bounce            bool   // a delivery failure report
	BounceReason      string
	OriginalMessageID string // Message-ID of the bounced mail
	FailedRecipients  []string
	OwnAddress        bool // sent from one of our own support addresses

	Policy MailPolicy
	// KeepReason, when set, keeps the message in the triage queue for that reason without
	// applying any rule: the fall-back when applying it failed for a reason that would fail again.
	KeepReason string
	// DryRun decides and explains without changing anything: the transaction is rolled back.
	DryRun bool
}

// MailOutcome is what DeliverMail did (or, for a dry run, would do) with a message.
type MailOutcome struct {
	InboundID    int64
	Status       string // one of the Inbound constants
	TicketKey    string // the ticket concerned, if any
	MessageID    int64  // the ticket message created, if any
	Duplicate    bool   // already delivered from this source: nothing changed, the first outcome is given
	Reason       string // why, in words, for admins and `opsdesk mail parse --route`
	CustomerCode string // the sender's customer, if known
	ContactEmail string // the contact the message is from, if any
	NewContact   bool   // the contact was created for this message
	NoAutoreply  bool   // never answer this message automatically
}

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// DeliverMail records an inbound message and applies its meaning in one transaction: a new
// ticket, a reply (reopening or following up a finished ticket), an internal note (bounces and
// automatic replies to a ticket), or a message kept without ticket (triage, robot, rate limit).
// A message already delivered from the same source — same Message-ID, or same raw content when
// it has none — changes nothing and gives the first delivery's outcome with Duplicate set. The
// same message received through another source (one mail sent to two mailboxes) is, by design,
// a delivery of its own: it gets its own row, so each source can acknowledge its copy, but its
// meaning is not applied twice — the row names the first copy's outcome and ticket.
// System and staff only. Errors: forbidden, internal (the caller must not acknowledge the
// message then; delivering it again is safe).
func (d *DB) DeliverMail(ctx context.Context, m *MailDelivery) (*MailOutcome, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only mail intake delivers mail")
	}
	if m.Source == "" || m.RawSHA256 == "" {
		return nil, opsdesk.Invalid("source", "a delivery needs a source and the stored raw message")
	}
	if m.ReceivedAt.IsZero() {
		m.ReceivedAt = d.Now()
	}
	m.ReceivedAt = m.ReceivedAt.UTC()
	var out *MailOutcome
	err := d.inTx(ctx, "store.DeliverMail", func(tx *Tx) error {
		var err error
		r := &mailRoute{tx: tx, m: m, out: &MailOutcome{}}
		out, err = r.deliver(ctx)
		if err == nil && m.DryRun {
			return errDryRun
		}
		return err
	})
	if m.DryRun && errors.Is(err, errDryRun) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	if out.TicketKey != "" && !out.Duplicate {
		kind := "message"
		if out.Status == InboundTicket || out.Status == InboundFollowUp {
			kind = "created"
		}
		d.notify(TicketChange{Key: out.TicketKey, Kind: kind})
	}
	return out, nil
}

// DedupKey is the key a message is known by within its source: its Message-ID, or the SHA-256
// of its raw form when it has none (a very long Message-ID is hashed too).
func DedupKey(messageID, rawSHA256 string) string {
	switch {
	case messageID == "":
		return "sha256:" + rawSHA256
	case len(messageID) > 250:
		sum := sha256.Sum256([]byte(messageID))
		return "message-id-sha256:" + hex.EncodeToString(sum[:])
	}
	return messageID
}

// deliver claims the message's row (or finds it already there), decides, and records the
// outcome on the row.
func (r *mailRoute) deliver(ctx context.Context) (*MailOutcome, error) {
	m, tx := r.m, r.tx
	defects, _ := json.Marshal(nonNil(m.Defects))
	id, err := tx.insert(ctx, `INSERT INTO mail_inbound (source, dedup_key, message_id, raw_sha256, raw_size, from_addr, from_name,
		subject, envelope_to, status, no_autoreply, robot_reason, defects, received_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?) ON CONFLICT (source, dedup_key) DO NOTHING`,
		m.Source, DedupKey(m.MessageID, m.RawSHA256), clip(m.MessageID, 1000), m.RawSHA256, m.RawSize, clip(m.From, 320),
		clip(m.FromName, 300), clip(m.Subject, 1000), clip(strings.Join(m.EnvelopeTo, ", "), 2000),
		m.Robot || m.Bounce || m.OwnAddress, m.RobotReason, string(defects), m.ReceivedAt.UnixMilli(), tx.now.UnixMilli())
	if errors.Is(err, sql.ErrNoRows) {
		return r.duplicate(ctx)
	}
	if err != nil {
		return nil, err
	}
	r.out.InboundID = id
	r.out.NoAutoreply = m.Robot || m.Bounce || m.OwnAddress
	if err := r.decide(ctx); err != nil {
		return nil, err
	}
	o := r.out
	var content string
	if o.TicketKey == "" {
		content = r.content()
	}
	_, err = tx.exec(ctx, `UPDATE mail_inbound SET status = ?, reason = ?, no_autoreply = ?, customer_id = ?, contact_id = ?,
		ticket_id = ?, ticket_key = ?, ticket_message_id = ?, content = ? WHERE id = ?`,
		o.Status, o.Reason, o.NoAutoreply, nullID(r.customerID()), nullID(r.contactID()), nullID(r.ticketID), o.TicketKey,
		nullID(o.MessageID), content, id)
	return o, err
}

// duplicate reads the outcome of the first delivery of the message.
func (r *mailRoute) duplicate(ctx context.Context) (*MailOutcome, error) {
	o := &MailOutcome{Duplicate: true}
	var msg, cust, contact sql.NullInt64
	err := r.tx.queryRow(ctx, `SELECT i.id, i.status, i.ticket_key, i.reason, i.no_autoreply, i.ticket_message_id,
		i.customer_id, i.contact_id FROM mail_inbound i WHERE i.source = ? AND i.dedup_key = ?`,
		r.m.Source, DedupKey(r.m.MessageID, r.m.RawSHA256)).Scan(&o.InboundID, &o.Status, &o.TicketKey, &o.Reason,
		&o.NoAutoreply, &msg, &cust, &contact)
	if err != nil {
		return nil, err
	}
	o.MessageID = msg.Int64
	if cust.Valid {
		r.tx.queryRow(ctx, `SELECT code FROM customers WHERE id = ?`, cust.Int64).Scan(&o.CustomerCode)
	}
	if contact.Valid {
		r.tx.queryRow(ctx, `SELECT email FROM contacts WHERE id = ?`, contact.Int64).Scan(&o.ContactEmail)
	}
	o.Reason = "already delivered from " + r.m.Source + " (inbound " + strconv.FormatInt(o.InboundID, 10) + "): " + o.Reason
	return o, nil
}

// mailContent is what a message kept without a ticket needs to become one later.
type mailContent struct {
	Text        string           `json:"text"`
	HTML        string           `json:"html,omitempty"`
	Attachments []MailAttachment `json:"attachments,omitempty"`
}

func (r *mailRoute) content() string {
	b, _ := json.Marshal(mailContent{Text: r.m.Text, HTML: r.m.HTML, Attachments: r.m.Attachments})
	return string(b)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// clip cuts s to at most n bytes without splitting a UTF-8 sequence.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
