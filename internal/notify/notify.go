// Package notify sends opsdesk's mail notifications: the acknowledgement of a new request, the
// agent's public reply, the request waiting for the customer, the resolution to confirm, and —
// to the vendor's team — a new ticket in their level's queue, an assignment, and the warnings
// and breaches of service levels (NotifySLA, the hook of package slawatch).
//
// It is a consumer of ticket events. When a ticket.event job runs, OnTicketEvent turns the event
// into mails and writes them to a durable outbox together with one mail.send job per mail, in
// one transaction and keyed by cause and recipient, so a retried event adds no mail twice. The
// mail.send job (registered by Register) hands the mail to the SMTP relay, retried with the job
// runner's back-off; the outbox keeps its state, attempts and last error for admins, who can send
// a failed mail again. Without a relay, mails are kept in the outbox, not sent, never dropped.
//
// Mails are rendered from templates in French and English, chosen by the recipient's language;
// the built-in ones are in this package, admins may override any of them (checked by Validate,
// previewed by Preview). Fields, headers and choices are described in docs/mail.md.
package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// SendJob is the kind of the job that sends one outbox mail.
const SendJob = "mail.send"

// NoRelay is the last error of a mail kept because no SMTP relay is configured.
const NoRelay = "not sent: no relay configured (OPSDESK_SMTP_RELAY)"

// Kind is what a notification says; with a language it names a template.
type Kind string

// The kinds of notification.
const (
	KindAck           Kind = "ack"            // to the requester: their new request is registered
	KindReply         Kind = "reply"          // to the requester: an agent's public reply
	KindWaiting       Kind = "waiting"        // to the requester: information is needed from them
	KindResolved      Kind = "resolved"       // to the requester: resolved, please confirm
	KindAgentNew      Kind = "agent_new"      // to the agents of a level: a ticket joined their queue
	KindAgentAssigned Kind = "agent_assigned" // to an agent: a ticket was assigned to them
	KindSLAWarning    Kind = "sla_warning"    // to the assignee, else the group or level: a clock nears its deadline
	KindSLABreach     Kind = "sla_breach"     // to the ops managers: a clock exceeded its target (and the ticket may have escalated)
	// Mails of customer environments, about no ticket (maintenance.go, access.go).
	KindMaintenance   Kind = "maintenance_announce" // to the customer's contacts: a maintenance window is planned (or moved)
	KindAccessExpired Kind = "access_expired"       // to the holder's manager, else the ops managers, and the holder: an access expired, to revoke
	KindAccessExpiry  Kind = "access_expiring"      // to the holder: an access expires in a few days
	// Reminders of delivery projects, about no ticket (project_reminders.go).
	KindProjectItemDue  Kind = "project_item_due"  // to the item's owner contact, else the customer's contacts: an item they owe is due in a few days
	KindProjectItemLate Kind = "project_item_late" // same recipients: an item they owe is past its due day
	// The monthly service report, about no ticket (monthly_report.go).
	KindMonthlyReport Kind = "monthly_report" // to the customer's contacts: last month's service report, its headline figures and a link
)

// Kinds lists every kind, in the order the template editor shows them.
var Kinds = []Kind{KindAck, KindReply, KindWaiting, KindResolved, KindAgentNew, KindAgentAssigned, KindSLAWarning, KindSLABreach,
	KindMaintenance, KindAccessExpired, KindAccessExpiry, KindProjectItemDue, KindProjectItemLate, KindMonthlyReport}

// Valid tells whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// ForCustomer tells whether mails of kind k go to the customer (and thread with their mail).
func (k Kind) ForCustomer() bool {
	switch k {
	case KindAck, KindReply, KindWaiting, KindResolved:
		return true
	}
	return false
}

// AutoSubmitted is the Auto-Submitted header of kind k (RFC 3834): "auto-replied" for the
// acknowledgement, which answers the customer's request; none for the agent's reply, which a
// person wrote; "auto-generated" for every other notification.
func (k Kind) AutoSubmitted() string {
	switch k {
	case KindAck:
		return "auto-replied"
	case KindReply:
		return ""
	}
	return "auto-generated"
}

// Options configure the notifier; zero values take the defaults.
type Options struct {
	Relay     string      // SMTP relay host:port; "" keeps mails in the outbox as not sent
	User      string      // SMTP credentials, optional (PLAIN, or LOGIN when the relay offers only that)
	Password  string      //
	TLS       string      // none, starttls or tls (default none)
	TLSConfig *tls.Config // optional: the roots of a private relay's certificate (tests)
	From      string      // the support address, with a display name: "Support <support@vendor.example>"
	BaseURL   string      // public URL of opsdesk, for links in mails
	Lang      opsdesk.Lang
	// HandlingTime gives the committed time to take a ticket in charge, in a mail's language,
	// as the acknowledgement and the agents' new-ticket mail show it; false when there is none.
	// Nil: the ticket's take-charge SLA clock, "4 h (by 2026-03-02 14:00 CET)" (handlingTime in
	// sla.go).
	HandlingTime func(ctx context.Context, t *opsdesk.Ticket, lang opsdesk.Lang) (string, bool)
	MaxAttempts  int           // attempts per mail before it is left failed (default 10)
	Timeout      time.Duration // one SMTP exchange (default 1m)
	Logger       *slog.Logger
}

// FromConfig takes the notifier's options from opsdesk's configuration.
func FromConfig(c config.Config) Options {
	return Options{Relay: c.SMTPRelay, User: c.SMTPUser, Password: c.SMTPPassword, TLS: c.SMTPTLS,
		From: c.MailFrom, BaseURL: c.BaseURL, Lang: c.Lang}
}

// Notifier turns ticket events into mails and sends them. It is safe for concurrent use.
type Notifier struct {
	db     *store.DB
	opt    Options
	from   *mail.Address
	domain string       // of the support address: the right side of our Message-IDs
	runner *jobs.Runner // woken when mail is queued; nil before Register
}

// New returns a notifier over db. It checks the support address. Use Register to send.
func New(db *store.DB, opt Options) (*Notifier, error) {
	if opt.From == "" {
		host := "localhost"
		if u, err := url.Parse(opt.BaseURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		opt.From = "opsdesk <opsdesk@" + host + ">"
	}
	from, err := mail.ParseAddress(opt.From)
	if err != nil {
		return nil, fmt.Errorf("notify: support address %q: %w", opt.From, err)
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	if !opt.Lang.Valid() {
		opt.Lang = opsdesk.LangEN
	}
	if opt.TLS == "" {
		opt.TLS = "none"
	}
	if opt.TLS != "none" && opt.TLS != "starttls" && opt.TLS != "tls" {
		return nil, fmt.Errorf("notify: TLS mode %q is not none, starttls or tls", opt.TLS)
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 10
	}
	if opt.Timeout <= 0 {
		opt.Timeout = time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Notifier{db: db, opt: opt, from: from, domain: strings.ToLower(domain)}, nil
}

// Register builds a notifier and installs the mail.send handler on the runner. It does not
// consume ticket events: pass OnTicketEvent to whoever handles ticket.event jobs.
func Register(r *jobs.Runner, db *store.DB, opt Options) (*Notifier, error) {
	n, err := New(db, opt)
	if err != nil {
		return nil, err
	}
	n.runner = r
	r.Handle(SendJob, n.send)
	return n, nil
}

// Consume is OnTicketEvent in the shape of an events.Consumer, for the ticket.event fan-out:
// the event job's id is not needed, as every mail is keyed by its own cause.
func (n *Notifier) Consume(ctx context.Context, _ int64, ev opsdesk.TicketEvent) error {
	return n.OnTicketEvent(ctx, ev)
}

// sendJob is the job that sends one outbox mail; its unique key keeps one pending per mail.
func (n *Notifier) sendJob(m *store.OutboxMail) opsdesk.NewJob {
	return opsdesk.NewJob{Kind: SendJob, Payload: sendPayload{OutboxID: m.ID}, MaxAttempts: n.opt.MaxAttempts,
		UniqueKey: fmt.Sprint(SendJob, ":", m.ID)}
}

// wake tells the runner that mail was queued in this process.
func (n *Notifier) wake() {
	if n.runner != nil {
		n.runner.Notify()
	}
}

// Retry sends a failed outbox mail again (after the relay came back, or was configured), with
// fresh attempts. Admins and ops managers only. Errors: forbidden, not found (no failed mail).
func (n *Notifier) Retry(ctx context.Context, id int64) error {
	if err := n.db.RetryOutbox(ctx, id, n.sendJob); err != nil {
		return err
	}
	n.wake()
	return nil
}
