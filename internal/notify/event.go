package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// recipient is a person a notification goes to.
type recipient struct {
	Email  string
	Name   string
	Lang   opsdesk.Lang
	UserID int64 // 0 for a contact without a login
}

// planned is one mail an event calls for, before rendering.
type planned struct {
	kind      Kind
	cause     string // what caused it, unique per change: ticket:42, message:77, event:123
	to        recipient
	data      Data
	messageID int64 // the ticket message the mail carries
}

// OnTicketEvent writes the mails a ticket event calls for to the outbox, with their mail.send
// jobs, in one transaction. It is idempotent: each mail is keyed by its cause (the ticket for a
// creation, the message for a reply, the history line for a change), its kind and its
// recipient, so running it again for the same event — a retried ticket.event job — adds nothing.
//
//   - ticket.created: the acknowledgement to the requester (not when the ticket's first message
//     came from a robot, a bounce or our own address), agent_new to the active agents of the
//     ticket's level;
//   - ticket.message_added: the agent's public reply to the requester (never an internal note,
//     never a customer's own message);
//   - the changes recorded with any other event: waiting (status → waiting_customer) and resolved
//     to the requester, agent_assigned to a new assignee, agent_new to the agents of the level a
//     ticket was escalated to.
//
// Nobody is notified of their own change (an agent taking a ticket, an agent filing one).
func (n *Notifier) OnTicketEvent(ctx context.Context, ev opsdesk.TicketEvent) error {
	ctx = systemCtx(ctx)
	t, err := n.db.TicketByKey(ctx, ev.Key)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return nil // nothing left to tell anyone about
	}
	if err != nil {
		return fmt.Errorf("notify %s %s: %w", ev.Event, ev.Key, err)
	}
	e := &eventMails{n: n, ev: ev, t: t}
	if err := e.plan(ctx); err != nil {
		return fmt.Errorf("notify %s %s: %w", ev.Event, ev.Key, err)
	}
	mails := make([]*store.OutboxMail, 0, len(e.out))
	for _, p := range e.out {
		m, err := n.mail(ctx, t, p)
		if err != nil {
			return fmt.Errorf("notify %s %s: %s to %s: %w", ev.Event, ev.Key, p.kind, p.to.Email, err)
		}
		mails = append(mails, m)
	}
	if len(mails) == 0 {
		return nil
	}
	added, err := n.db.QueueMails(ctx, mails, n.sendJob)
	if err != nil {
		return fmt.Errorf("notify %s %s: %w", ev.Event, ev.Key, err)
	}
	if added > 0 {
		n.wake()
	}
	return nil
}

// mail renders a planned notification into an outbox mail.
func (n *Notifier) mail(ctx context.Context, t *opsdesk.Ticket, p planned) (*store.OutboxMail, error) {
	p.data.Lang = string(p.to.Lang)
	p.data.Recipient = p.to.Name
	r, err := n.Render(ctx, p.kind, p.to.Lang, p.data)
	if err != nil {
		return nil, err
	}
	if tag := "[" + t.Key + "]"; !strings.Contains(r.Subject, tag) {
		r.Subject = tag + " " + r.Subject // replies thread back by the tag even if a template drops it
	}
	b := make([]byte, 10)
	rand.Read(b)
	return &store.OutboxMail{
		DedupKey: p.cause + ":" + string(p.kind) + ":" + p.to.Email, TicketID: t.ID, TicketKey: t.Key, MessageID: p.messageID,
		Kind: string(p.kind), Lang: p.to.Lang, To: p.to.Email, ToName: p.to.Name, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		MailMessageID:  "opsdesk." + t.Key + "." + hex.EncodeToString(b) + "@" + n.domain,
		AutoSubmitted:  p.kind.AutoSubmitted(),
		CustomerFacing: p.kind.ForCustomer(),
	}, nil
}

// eventMails plans the mails of one event; lookups are made once and only when needed.
type eventMails struct {
	n         *Notifier
	ev        opsdesk.TicketEvent
	t         *opsdesk.Ticket
	out       []planned
	requester *recipient
	sevs      []*opsdesk.Severity
	// withHandling: the mails show the committed time to take charge, looked up once.
	withHandling bool
	takeCharge   *takeCharge
}

func (e *eventMails) plan(ctx context.Context) error {
	switch e.ev.Event {
	case opsdesk.TicketCreated:
		if err := e.created(ctx); err != nil {
			return err
		}
	case opsdesk.TicketMessage:
		if err := e.message(ctx); err != nil {
			return err
		}
	}
	return e.changes(ctx)
}

// add plans a mail of kind to r with the ticket's facts in r's language, unless r is the actor.
func (e *eventMails) add(ctx context.Context, kind Kind, cause string, r recipient, actorID int64, actorLabel string, d Data) error {
	if r.Email == "" || (r.UserID != 0 && r.UserID == actorID) || strings.EqualFold(r.Email, actorLabel) {
		return nil
	}
	if !r.Lang.Valid() {
		r.Lang = e.n.opt.Lang
	}
	if e.sevs == nil {
		var err error
		if e.sevs, err = e.n.db.Severities(ctx); err != nil {
			return err
		}
	}
	if e.withHandling {
		h, err := e.handlingTime(ctx, r.Lang)
		if err != nil {
			return err
		}
		d.HandlingTime = h
	}
	d.Number, d.Subject, d.Level, d.Customer = e.t.Key, e.t.Subject, string(e.t.Level), e.t.CustomerName
	d.Requester = firstOf(e.t.RequesterName, e.t.RequesterMail)
	d.Severity = e.t.Severity
	for _, s := range e.sevs {
		if s.Code == e.t.Severity {
			d.Severity = s.Label(r.Lang)
		}
	}
	path := "/tickets/"
	if kind.ForCustomer() {
		path = "/requests/"
	}
	d.URL = strings.TrimSuffix(e.n.opt.BaseURL, "/") + path + e.t.Key
	e.out = append(e.out, planned{kind: kind, cause: cause, to: r, data: d})
	return nil
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
