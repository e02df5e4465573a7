package opsdesk

import "time"

// Message is one entry of a ticket's conversation: a public reply the customer sees, or an
// internal note they never see.
type Message struct {
	ID              int64
	TicketID        int64
	AuthorUserID    int64 // 0 when written by a contact without a login (mail)
	AuthorContactID int64
	AuthorLabel     string // name or address, as shown
	Internal        bool
	Body            string
	Channel         Channel
	MailMessageID   string // Message-ID of the mail it came in or went out as
	CreatedAt       time.Time
	Attachments     []Attachment
}

// Attachment is a file joined to a ticket. Its content lives outside the database, under the
// data directory, addressed by its SHA-256.
type Attachment struct {
	ID          int64
	TicketID    int64
	MessageID   int64
	Name        string
	ContentType string // sniffed from the content, not trusted from the uploader
	Size        int64
	SHA256      string
	Internal    bool // attached to an internal note: staff only
	UploadedBy  string
	CreatedAt   time.Time
}

// NewAttachment is a file already written to the attachment store, to record with a message.
type NewAttachment struct {
	Name        string
	ContentType string
	Size        int64
	SHA256      string
}

// Event is one line of a ticket's history: a field change, a message, an escalation, with who
// and when. Internal events (notes) are never shown to customers.
type Event struct {
	ID         int64
	TicketID   int64
	At         time.Time
	ActorID    int64
	ActorLabel string
	Kind       string // created, status, severity, assignee, level, escalation, message, note, …
	Field      string
	Old        string
	New        string
	Reason     string
	MessageID  int64
	Internal   bool
}

// The event kinds of a ticket's history.
const (
	EventCreated    = "created"
	EventChange     = "change"
	EventMessage    = "message"
	EventNote       = "note"
	EventEscalation = "escalation"
	EventTaken      = "taken"
)

// TicketPatch is a change of a ticket's fields; nil fields are left as they are.
type TicketPatch struct {
	Status        *Status
	Severity      *string
	AssigneeID    *int64 // 0 unassigns
	Category      *string
	EnvironmentID *int64 // 0 clears
	Type          *TicketType
	Resolution    *Resolution // required with Status resolved, refused otherwise
	Reason        string      // why, kept in history (required for some changes)
}

// Empty tells whether the patch changes nothing.
func (p *TicketPatch) Empty() bool {
	return p.Status == nil && p.Severity == nil && p.AssigneeID == nil && p.Category == nil &&
		p.EnvironmentID == nil && p.Type == nil
}
