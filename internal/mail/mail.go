// Package mail is opsdesk's support mailbox: it turns inbound mail — fetched from IMAP mailboxes
// or delivered by an MTA to the SMTP/LMTP listener — into tickets and replies, exactly once and
// without losing anything, and it sends the notifications that go out.
//
// The channels (IMAP, SMTP/LMTP) only move bytes; what a message means is decided in one place,
// the Deliverer, which commits its outcome and the record of the message in one transaction, so
// a channel acknowledges a message only after that commit and a message seen twice is stored
// once.
package mail

import (
	"context"
	"time"
)

// Inbound is one raw message as a channel received it.
type Inbound struct {
	Source     string    // the mailbox's name, or "smtp" for the listener: the scope of duplicate detection
	Raw        []byte    // the message, byte for byte
	ReceivedAt time.Time // when the channel received it; the SLA clock of a new ticket starts here
	EnvelopeTo []string  // SMTP RCPT TO addresses, if known
}

// The outcomes of a delivery.
const (
	StatusTicket      = "ticket"       // a new ticket was opened
	StatusReply       = "reply"        // added to an existing ticket
	StatusReopened    = "reopened"     // a reply that reopened its ticket
	StatusFollowUp    = "follow_up"    // a reply to a ticket closed too long ago: a new, linked ticket
	StatusTriage      = "triage"       // no known customer: kept in the triage queue
	StatusBounce      = "bounce"       // a delivery failure report, attached to its ticket when found
	StatusRobot       = "robot"        // an automatic message kept without a ticket, or an internal note on the ticket it answers
	StatusRateLimited = "rate_limited" // over the sender's rate: kept and flagged, nothing opened
)

// Result is what a delivery did.
type Result struct {
	Status    string // one of the Status constants
	TicketKey string // the ticket concerned, if any
	Duplicate bool   // the message had already been delivered from this source: nothing changed
	Reason    string // why it went where it went, for `opsdesk mail parse --route` and admins

	InboundID   int64  // the message's record (store.InboundMail): raw .eml, defects, outcome
	MessageID   int64  // the ticket message created, if any
	Customer    string // the sender's customer code, if known
	Contact     string // the contact the message is from, if any
	NewContact  bool   // that contact was created for this message
	NoAutoreply bool   // never answer this message automatically (robot, bounce, our own address, rate limit)
}

// Deliverer commits the meaning of inbound messages. Implementations are safe for concurrent use.
type Deliverer interface {
	Deliver(ctx context.Context, in Inbound) (Result, error)
}
