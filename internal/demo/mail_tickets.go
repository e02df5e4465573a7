package demo

import (
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// mailSource is the channel the demo's mail arrives through: the SMTP listener, as if the
// vendor's MTA delivered the support address's mail to it.
const mailSource = "smtp"

// supportAddress is the address the demo's customers write to; the intake counts it as ours.
func (g *gen) supportAddress() string { return "support@" + g.opt.Domain }

// intake is the mail intake as an instance whose support address is the demo's runs it, on the
// walking clock. The sender's customer is found by the store from the customers' contacts and
// mail domains, which the demo's customers have.
func (g *gen) intake() *mail.Intake {
	return &mail.Intake{DB: g.db, Blobs: g.opt.Blobs, Policy: mail.DefaultPolicy, Own: []string{g.supportAddress()},
		Now: g.db.Now}
}

// deliver hands m to the intake as received now.
func (g *gen) deliver(m *outMail) (mail.Result, error) {
	return g.intake().Deliver(g.ctx, mail.Inbound{Source: mailSource, Raw: m.bytes(), ReceivedAt: g.now,
		EnvelopeTo: []string{g.supportAddress()}})
}

// domainOf is the domain of a mail address.
func domainOf(addr string) string { return addr[strings.LastIndexByte(addr, '@')+1:] }

// messageID makes the Message-ID of a mail sent now from domain, as the sender's server would.
func (g *gen) messageID(domain string) string {
	return fmt.Sprintf("%s.%08x@mail.%s", g.now.Format("20060102150405"), g.rnd.Uint32(), domain)
}

// mailRequest sends the request n (of scenario s) as its requester's mail, from u's address or a
// contact's, and lets the intake file it with the intake's default category and severity: the
// thread returned holds the qualification an agent gives it, and lets the customer reply.
func (g *gen) mailRequest(c *customer, s scenario, n *opsdesk.NewTicket, u *opsdesk.User) (*opsdesk.Ticket, *mailThread, error) {
	from := senderName(n.RequesterEmail, u)
	body := []string{mailGreeting.in(c.lang), n.Description}
	if n.Impact != "" {
		body = append(body, mailImpact.in(c.lang)+n.Impact)
	}
	var file *mailFile
	if f, ok := mailFiles[s.subject.en]; ok && (f.always || g.rnd.IntN(2) == 0) {
		file = &mailFile{name: f.name.in(c.lang), contentType: f.ctype, content: f.content}
		body = append(body, mailJoined.in(c.lang))
	}
	body = append(body, mailClosing.in(c.lang)+"\n"+from+"\n"+c.Name)
	first := &outMail{from: mailAddress(from, n.RequesterEmail), to: mailAddress("Support", g.supportAddress()),
		subject: n.Subject, date: g.now.In(c.zone), messageID: g.messageID(domainOf(n.RequesterEmail)),
		text: strings.Join(body, "\n\n") + "\n", file: file}
	res, err := g.deliver(first)
	if err != nil {
		return nil, nil, err
	}
	if res.Status != mail.StatusTicket {
		return nil, nil, fmt.Errorf("mail %q from %s: intake says %s, want a new ticket: %s", n.Subject, n.RequesterEmail,
			res.Status, res.Reason)
	}
	tk, err := g.db.TicketByKey(g.sys, res.TicketKey)
	if err != nil {
		return nil, nil, err
	}
	th := &mailThread{key: tk.Key, first: first, lang: c.lang, want: qualification(n, c.lang)}
	return tk, th, nil
}

// mailReply sends the customer's words as a reply to the thread and checks the intake put it on
// the thread's ticket: reopened when it was resolved.
func (g *gen) mailReply(th *mailThread, words string) error {
	res, err := g.deliver(th.reply(g.now, g.messageID(domainOf(th.first.from.Address)), words))
	if err != nil {
		return err
	}
	if (res.Status != mail.StatusReply && res.Status != mail.StatusReopened) || res.TicketKey != th.key {
		return fmt.Errorf("reply by mail to %s: intake says %s on %q: %s", th.key, res.Status, res.TicketKey, res.Reason)
	}
	return nil
}

// qualification is the patch that gives a request filed by mail what its words call for: the
// category, the severity (and the type it implies) and the environment.
func qualification(n *opsdesk.NewTicket, lang opsdesk.Lang) opsdesk.TicketPatch {
	cat, sev := n.Category, n.Severity
	p := opsdesk.TicketPatch{Category: &cat, Severity: &sev, Reason: mailQualify.in(lang)}
	for _, s := range opsdesk.DefaultSeverities {
		if s.Code == sev {
			typ := s.DefaultType
			p.Type = &typ
		}
	}
	if n.EnvironmentID != 0 {
		env := n.EnvironmentID
		p.EnvironmentID = &env
	}
	return p
}
