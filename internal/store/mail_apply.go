package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// maxBody is the longest message body kept in the body column; the whole text stays in
// full_body.
const maxBody = 200_000

// bounce attaches a delivery failure report, as an internal note with the report as .eml, to
// the ticket whose mail bounced, found through the bounced mail's Message-ID.
func (r *mailRoute) bounce(ctx context.Context) error {
	m := r.m
	r.out.Status, r.out.NoAutoreply = InboundBounce, true
	r.because("a delivery failure report (%s): never answered", m.BounceReason)
	ids := headerIDs(append([]string{m.OriginalMessageID}, m.InReplyTo...), m.References)
	found, err := r.tx.ticketsByMailID(ctx, ids)
	if err != nil || len(found) == 0 {
		r.because("the bounced mail is not one of a ticket's: kept without a ticket")
		return err
	}
	t, err := r.tx.ticketByID(ctx, found[0].ticketID)
	if err != nil {
		return err
	}
	r.because("the bounced mail %s is a message of %s: attached to it as an internal note", found[0].id, t.Key)
	failed := "its recipient"
	if len(m.FailedRecipients) > 0 {
		failed = strings.Join(m.FailedRecipients, ", ")
	}
	body := fmt.Sprintf("Delivery failure: a mail of this ticket could not be delivered to %s (%s). The report is attached.", failed, m.BounceReason)
	att := MailAttachment{NewAttachment: opsdesk.NewAttachment{Name: "delivery-failure.eml", ContentType: "message/rfc822",
		Size: m.RawSize, SHA256: m.RawSHA256}}
	return r.addMessage(ctx, t, true, body, []MailAttachment{att})
}

// robotNote keeps an automatic answer to a ticket (an out-of-office reply, our own mail coming
// back) as an internal note: agents see it; it changes no status and gets no answer.
func (r *mailRoute) robotNote(ctx context.Context, t *opsdesk.Ticket) error {
	r.out.Status, r.out.NoAutoreply = InboundRobot, true
	why := r.m.RobotReason
	if r.m.OwnAddress {
		why = "sent from our own address"
	}
	r.because("automatic mail (%s): added to %s as an internal note, no status change, never answered", why, t.Key)
	body := fmt.Sprintf("Automatic mail from %s (%s):\n\n%s", orNone(r.m.From), why, replyText(r.m))
	return r.addMessage(ctx, t, true, body, r.m.Attachments)
}

// reply adds a customer's answer to its ticket: a ticket waiting for the customer goes back to
// open, a resolved one is reopened, a closed one is reopened within the reopen window and
// otherwise gets a follow-up ticket.
func (r *mailRoute) reply(ctx context.Context, t *opsdesk.Ticket) error {
	m, tx := r.m, r.tx
	if r.contact == nil {
		c := &opsdesk.Contact{CustomerID: t.CustomerID, Email: m.From, Name: m.FromName}
		if err := tx.ensureContact(ctx, c); err != nil {
			return err
		}
		r.contact, r.out.NewContact, r.out.ContactEmail = c, true, c.Email
		r.because("%s added as a contact of %s", c.Email, t.CustomerCode)
	}
	r.out.Status = InboundReply
	switch t.Status {
	case opsdesk.StatusClosed:
		window := m.Policy.ReopenWindow
		if window <= 0 || m.ReceivedAt.Sub(t.ClosedAt) > window {
			r.because("%s was closed on %s, more than %s before: a follow-up ticket is opened", t.Key, t.ClosedAt.Format("2006-01-02"), window)
			return r.newTicket(ctx, t)
		}
		if err := r.addMessage(ctx, t, false, replyText(m), m.Attachments); err != nil {
			return err
		}
		r.out.Status = InboundReopened
		r.because("%s was closed on %s, within %s: reopened", t.Key, t.ClosedAt.Format("2006-01-02"), window)
		return tx.reopenClosed(ctx, t, "the customer replied by mail within "+window.String()+" of closing")
	case opsdesk.StatusResolved:
		if err := r.addMessage(ctx, t, false, replyText(m), m.Attachments); err != nil {
			return err
		}
		r.out.Status = InboundReopened
		r.because("%s was resolved: reopened", t.Key)
		return tx.setStatus(ctx, t, opsdesk.StatusOpen, "the customer replied by mail")
	case opsdesk.StatusWaitingCustomer:
		if err := r.addMessage(ctx, t, false, replyText(m), m.Attachments); err != nil {
			return err
		}
		r.because("%s was waiting for the customer: back to open", t.Key)
		return tx.setStatus(ctx, t, opsdesk.StatusOpen, "the customer answered by mail")
	}
	r.because("added to %s as a reply", t.Key)
	return r.addMessage(ctx, t, false, replyText(m), m.Attachments)
}

// addMessage adds the message to a ticket with its mail columns, and announces it.
func (r *mailRoute) addMessage(ctx context.Context, t *opsdesk.Ticket, internal bool, body string, atts []MailAttachment) error {
	m := r.m
	msg := &opsdesk.Message{TicketID: t.ID, Internal: internal, Body: body, Channel: opsdesk.ChannelMail,
		MailMessageID: clip(m.MessageID, 1000), AuthorLabel: firstNonEmpty(m.FromName, m.From, "mail")}
	if r.contact != nil && !internal {
		msg.AuthorContactID = r.contact.ID
	}
	if err := r.tx.addMessage(ctx, msg, plainAttachments(atts), true); err != nil {
		return err
	}
	r.ticketID, r.out.TicketKey, r.out.MessageID = t.ID, t.Key, msg.ID
	if _, _, _, err := r.mailColumns(ctx, msg.ID, "", atts); err != nil {
		return err
	}
	return r.tx.emit(ctx, opsdesk.TicketMessage, t, msg.ID, internal)
}

// newTicket opens a ticket for the sender's customer; with old set, a follow-up of that closed
// ticket, whose description names it.
func (r *mailRoute) newTicket(ctx context.Context, old *opsdesk.Ticket) error {
	m, tx := r.m, r.tx
	cat, sev, err := r.defaults(ctx)
	if err != nil {
		return err
	}
	n := &opsdesk.NewTicket{CustomerID: r.customer.ID, RequesterEmail: m.From, RequesterName: m.FromName, Category: cat.Code,
		Severity: sev.Code, Channel: opsdesk.ChannelMail, ReceivedAt: m.ReceivedAt, Attachments: plainAttachments(m.Attachments),
		Subject: subjectOf(CleanSubject(tx.db.TicketPrefix, m.Subject, true)), Description: bodyOf(m.Text, len(m.Attachments))}
	if sev.RequiresImpact {
		n.Impact = "Reported by mail: see the description."
	}
	if old != nil {
		n.Category, n.EnvironmentID = old.Category, old.EnvironmentID
		n.Description = clipBody(fmt.Sprintf("Follow-up of %s (%q), closed on %s.\n\n%s", old.Key, old.Subject,
			old.ClosedAt.Format("2006-01-02"), bodyOf(replyText(m), len(m.Attachments))))
	}
	if err := n.Validate(); err != nil {
		return err
	}
	key, err := tx.createTicket(ctx, n)
	if err != nil {
		return err
	}
	msgID, ticketID, contactID, err := r.mailColumns(ctx, 0, key, m.Attachments)
	if err != nil {
		return err
	}
	r.ticketID, r.out.TicketKey, r.out.MessageID = ticketID, key, msgID
	r.out.Status = InboundTicket
	if r.contact == nil {
		r.contact = &opsdesk.Contact{ID: contactID, Email: m.From}
		r.out.NewContact, r.out.ContactEmail = true, m.From
		r.because("%s added as a contact of %s", m.From, r.customer.Code)
	}
	if old == nil {
		r.because("new ticket %s for %s (category %s, severity %s)", key, r.customer.Code, cat.Code, sev.Code)
		return nil
	}
	r.out.Status = InboundFollowUp
	r.because("follow-up ticket %s opened", key)
	return tx.event(ctx, opsdesk.Event{TicketID: old.ID, Kind: opsdesk.EventChange, Field: "follow_up", New: key,
		Reason: "the customer replied by mail after the reopen window"})
}

// mailColumns records what a mail message keeps beside its body — the whole text, the
// sanitised HTML, the no-autoreply flag, the inbound row, the Message-ID — and the Content-IDs
// of its inline images. The message is msgID, or (msgID 0) the description of the ticket key;
// it returns the message, its ticket and its author contact.
func (r *mailRoute) mailColumns(ctx context.Context, msgID int64, key string, atts []MailAttachment) (id, ticket, contact int64, err error) {
	where, arg := `id = ?`, any(msgID)
	if msgID == 0 {
		where, arg = `id = (SELECT MIN(m.id) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.key = ?)`, key
	}
	var author sql.NullInt64
	err = r.tx.queryRow(ctx, `UPDATE ticket_messages SET full_body = ?, html = ?, no_autoreply = ?, inbound_id = ?, mail_message_id = ?
		WHERE `+where+` RETURNING id, ticket_id, author_contact_id`, r.m.Text, r.m.HTML, r.out.NoAutoreply, r.out.InboundID,
		nullStr(clip(r.m.MessageID, 1000)), arg).Scan(&id, &ticket, &author)
	if err != nil {
		return 0, 0, 0, err
	}
	withCID := false
	for _, a := range atts {
		withCID = withCID || a.ContentID != ""
	}
	if !withCID {
		return id, ticket, author.Int64, nil
	}
	ids, err := collect(func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})(r.tx.query(ctx, `SELECT id FROM attachments WHERE message_id = ? ORDER BY id`, id))
	if err != nil {
		return 0, 0, 0, err
	}
	for i, a := range atts {
		if a.ContentID != "" && i < len(ids) {
			if _, err := r.tx.exec(ctx, `UPDATE attachments SET content_id = ? WHERE id = ?`, clip(a.ContentID, 500), ids[i]); err != nil {
				return 0, 0, 0, err
			}
		}
	}
	return id, ticket, author.Int64, nil
}

// defaults gives new tickets' category and severity: the source's mailbox's, else the
// policy's; a code that no longer exists falls back to the last category ("other") and the
// most severe step that needs no impact statement, so that mail is never refused for it.
func (r *mailRoute) defaults(ctx context.Context) (*opsdesk.Category, *opsdesk.Severity, error) {
	tx, p := r.tx, r.m.Policy
	var mbCat, mbSev string
	err := tx.queryRow(ctx, `SELECT category, severity FROM mailboxes WHERE name = ?`, r.m.Source).Scan(&mbCat, &mbSev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, err
	}
	var cat *opsdesk.Category
	for _, code := range []string{mbCat, p.Category} {
		if c, err := remember(tx, "category:"+code, func() (*opsdesk.Category, error) { return tx.category(ctx, code) }); code != "" && err == nil {
			cat = c
			break
		}
	}
	if cat == nil {
		var code string
		if err := tx.queryRow(ctx, `SELECT code FROM categories WHERE active ORDER BY display_order DESC, code LIMIT 1`).Scan(&code); err != nil {
			return nil, nil, fmt.Errorf("no active category for mail: %w", err)
		}
		if cat, err = tx.category(ctx, code); err != nil {
			return nil, nil, err
		}
	}
	for _, code := range []string{mbSev, p.Severity} {
		if s, err := remember(tx, "severity:"+code, func() (*opsdesk.Severity, error) { return tx.severity(ctx, code) }); code != "" && err == nil {
			return cat, s, nil
		}
	}
	var code string
	if err := tx.queryRow(ctx, `SELECT code FROM severities WHERE active ORDER BY requires_impact, rank LIMIT 1`).Scan(&code); err != nil {
		return nil, nil, fmt.Errorf("no active severity for mail: %w", err)
	}
	sev, err := tx.severity(ctx, code)
	return cat, sev, err
}

func plainAttachments(atts []MailAttachment) []opsdesk.NewAttachment {
	out := make([]opsdesk.NewAttachment, len(atts))
	for i, a := range atts {
		out[i] = a.NewAttachment
	}
	return out
}

// replyText is a reply's new words: the text without the quoted conversation.
func replyText(m *MailDelivery) string {
	t := strings.TrimSpace(m.TextNew)
	if t == "" {
		t = strings.TrimSpace(m.Text)
	}
	return clipBody(bodyOf(t, len(m.Attachments)))
}

func bodyOf(text string, attachments int) string {
	text = strings.TrimSpace(text)
	switch {
	case text != "":
		return clipBody(text)
	case attachments > 0:
		return "(no text: see the attachments)"
	}
	return "(empty message)"
}

func clipBody(s string) string {
	if len(s) <= maxBody {
		return s
	}
	return clip(s, maxBody-100) + "\n\n[… cut here: the whole text is kept with the message]"
}

func subjectOf(s string) string {
	if s == "" {
		return "(no subject)"
	}
	if utf8.RuneCountInString(s) > 250 {
		s = string([]rune(s)[:249]) + "…"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "an unknown sender"
	}
	return s
}
