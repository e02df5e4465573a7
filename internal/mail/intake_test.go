package mail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestIntakeRules delivers a conversation, step by step, through the real parser, blob store
// and database, and checks where each message went: new tickets, contacts, triage, threading
// (In-Reply-To, References, Outlook and Gmail replies), tags of another customer's ticket,
// reopening and follow-ups, robots, bounces and our own address.
func TestIntakeRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		steps := []struct {
			name        string
			setup       func(t *testing.T)
			raw         []byte
			status, key string
			check       func(t *testing.T, r mail.Result)
		}{
			{name: "new ticket from a contact", raw: build(`From: Alice <alice@acme.example>
Subject: Login broken
Message-ID: <m1@acme.example>`, "Nobody can log in since 8:00."),
				status: mail.StatusTicket, key: "OPS-1001", check: func(t *testing.T, r mail.Result) {
					tk := e.ticket(t, "OPS-1001")
					must(t, tk.CustomerID == e.acme.ID && tk.RequesterID == e.alice.ID && tk.Channel == opsdesk.ChannelMail &&
						tk.Subject == "Login broken" && tk.Severity == "minor" && tk.Status == opsdesk.StatusNew, "ticket = %+v", tk)
					must(t, tk.CreatedAt.Equal(e.clock.now().Add(-time.Minute)), "created at %s: want the channel's time", tk.CreatedAt)
					ms := e.messages(t, "OPS-1001")
					must(t, len(ms) == 1 && ms[0].Body == "Nobody can log in since 8:00." && ms[0].MailMessageID == "m1@acme.example" &&
						ms[0].AuthorContactID == e.alice.ID, "messages = %+v", ms[0])
					must(t, r.Customer == "ACME" && r.Contact == "alice@acme.example" && !r.NewContact && !r.NoAutoreply, "result %+v", r)
				}},
			{name: "unknown sender of a customer domain becomes a contact", raw: build(`From: Carol <carol@eu.acme.example>
Subject: Export fails
Message-ID: <m2@acme.example>`, "The CSV export times out."),
				status: mail.StatusTicket, key: "OPS-1002", check: func(t *testing.T, r mail.Result) {
					tk := e.ticket(t, "OPS-1002")
					must(t, r.NewContact && tk.CustomerID == e.acme.ID && tk.RequesterMail == "carol@eu.acme.example" &&
						tk.RequesterName == "Carol", "ticket %+v, result %+v", tk, r)
				}},
			{name: "sender of no known customer goes to triage", raw: build(`From: dave@nowhere.example
Subject: Hello
Message-ID: <m3@nowhere.example>`, "Can you help?"),
				status: mail.StatusTriage, key: "", check: func(t *testing.T, r mail.Result) {
					items, err := e.db.ListInboundMail(admin, store.InboundFilter{Status: store.InboundTriage})
					must(t, err == nil && len(items) == 1 && items[0].ID == r.InboundID && items[0].From == "dave@nowhere.example",
						"triage = %+v %v", items, err)
					must(t, e.count(t, `SELECT COUNT(*) FROM contacts WHERE email = 'dave@nowhere.example'`) == 0, "no contact made")
				}},
			{name: "reply threaded by In-Reply-To", raw: build(`From: Alice <alice@acme.example>
Subject: Re: Login broken
Message-ID: <m4@acme.example>
In-Reply-To: <m1@acme.example>`, "It works again.\n\nOn Mon, 2 Mar 2026 at 08:58, Alice <alice@acme.example> wrote:\n> Nobody can log in since 8:00."),
				status: mail.StatusReply, key: "OPS-1001", check: func(t *testing.T, r mail.Result) {
					ms := e.messages(t, "OPS-1001")
					last := ms[len(ms)-1]
					must(t, len(ms) == 2 && last.Body == "It works again." && !last.Internal, "reply = %+v", last)
					p, err := e.db.MessageMailParts(admin, "OPS-1001", last.ID)
					must(t, err == nil && strings.Contains(p.FullBody, "> Nobody can log in") && !p.NoAutoreply && p.InboundID == r.InboundID,
						"mail parts = %+v %v", p, err)
				}},
			{name: "reply threaded by References only", raw: build(`From: alice@acme.example
Subject: Login
Message-ID: <m5@acme.example>
References: <m1@acme.example> <unknown@elsewhere.example>`, "One more detail."),
				status: mail.StatusReply, key: "OPS-1001"},
			{name: "Outlook reply: RE: and the tag, no In-Reply-To", raw: build(`From: Carol <carol@eu.acme.example>
Subject: RE: [OPS-1002] Export fails
Message-ID: <m6@acme.example>
Thread-Index: AdQx`, "Still failing.\n\n-----Original Message-----\nFrom: Support <support@vendor.example>\nSent: Monday, March 2, 2026 9:05 AM\nTo: Carol\nSubject: [OPS-1002] Export fails\n\nWhich file?"),
				status: mail.StatusReply, key: "OPS-1002", check: func(t *testing.T, r mail.Result) {
					ms := e.messages(t, "OPS-1002")
					must(t, ms[len(ms)-1].Body == "Still failing.", "folded body = %q", ms[len(ms)-1].Body)
				}},
			{name: "German Outlook reply: AW:", raw: build(`From: alice@acme.example
Subject: AW: [OPS-1001] Login broken
Message-ID: <m7@acme.example>`, "Danke.\n\nVon: Support <support@vendor.example>\nGesendet: Montag, 2. März 2026 09:05\nAn: Alice\nBetreff: [OPS-1001] Login broken\n\nGelöst?"),
				status: mail.StatusReply, key: "OPS-1001"},
			{name: "French Outlook forward: TR:", raw: build(`From: alice@acme.example
Subject: TR: [OPS-1001] Login broken
Message-ID: <m7b@acme.example>`, "Pour info.\n\nDe : Support <support@vendor.example>\nEnvoyé : lundi 2 mars 2026 09:05\nÀ : Alice\nObjet : [OPS-1001] Login broken\n\nRésolu ?"),
				status: mail.StatusReply, key: "OPS-1001"},
			{name: "Gmail reply to an outbound notification", setup: func(t *testing.T) {
				e.outbound(t, "OPS-1002", "opsdesk.out1@vendor.example")
			}, raw: build(`From: Carol <carol@eu.acme.example>
Subject: Re: [OPS-1002] Export fails
Message-ID: <CAF=gmail1@mail.gmail.com>
In-Reply-To: <opsdesk.out1@vendor.example>
References: <m2@acme.example> <opsdesk.out1@vendor.example>`, "Thanks!\n\nOn Mon, Mar 2, 2026 at 9:10 AM Support <support@vendor.example> wrote:\n\n> We are looking into it.\n>"),
				status: mail.StatusReply, key: "OPS-1002", check: func(t *testing.T, r mail.Result) {
					ms := e.messages(t, "OPS-1002")
					must(t, ms[len(ms)-1].Body == "Thanks!", "gmail body = %q", ms[len(ms)-1].Body)
				}},
			{name: "a tag of another customer's ticket is not injected", raw: build(`From: Bob <bob@globex.example>
Subject: RE: [OPS-1001] Login broken
Message-ID: <m8@globex.example>`, "Our login is broken too."),
				status: mail.StatusTicket, key: "OPS-1003", check: func(t *testing.T, r mail.Result) {
					must(t, e.ticket(t, "OPS-1003").CustomerID == e.globex.ID && strings.Contains(r.Reason, "not added"), "reason %q", r.Reason)
					must(t, e.ticket(t, "OPS-1003").Subject == "Login broken", "subject %q", e.ticket(t, "OPS-1003").Subject)
					for _, m := range e.messages(t, "OPS-1001") {
						must(t, !strings.Contains(m.Body, "Our login"), "injected into OPS-1001")
					}
				}},
			{name: "a tag from an unknown sender goes to triage", raw: build(`From: eve@nowhere.example
Subject: RE: [OPS-1001] Login broken
Message-ID: <m9@nowhere.example>`, "Let me in."),
				status: mail.StatusTriage, key: ""},
			{name: "reply to a resolved ticket reopens it", setup: func(t *testing.T) {
				e.setStatus(t, "OPS-1002", opsdesk.StatusResolved)
			}, raw: build(`From: carol@eu.acme.example
Subject: RE: [OPS-1002] Export fails
Message-ID: <m10@acme.example>`, "It fails again."),
				status: mail.StatusReopened, key: "OPS-1002", check: func(t *testing.T, r mail.Result) {
					tk := e.ticket(t, "OPS-1002")
					must(t, tk.Status == opsdesk.StatusOpen && tk.ReopenCount == 1, "ticket %s, reopened %d", tk.Status, tk.ReopenCount)
				}},
			{name: "reply to a ticket closed 3 days ago reopens it", setup: func(t *testing.T) {
				e.setStatus(t, "OPS-1003", opsdesk.StatusOpen, opsdesk.StatusResolved, opsdesk.StatusClosed)
				e.clock.advance(3 * 24 * time.Hour)
			}, raw: build(`From: bob@globex.example
Subject: Re: Login broken
Message-ID: <m11@globex.example>
In-Reply-To: <m8@globex.example>`, "Broken again."),
				status: mail.StatusReopened, key: "OPS-1003", check: func(t *testing.T, r mail.Result) {
					tk := e.ticket(t, "OPS-1003")
					must(t, tk.Status == opsdesk.StatusOpen && tk.ClosedAt.IsZero() && tk.ReopenCount == 1, "ticket = %+v", tk)
					h, _ := e.db.History(admin, "OPS-1003")
					found := false
					for _, ev := range h {
						found = found || (ev.Field == "status" && ev.Old == "closed" && ev.New == "open" && strings.Contains(ev.Reason, "replied by mail"))
					}
					must(t, found, "no closed → open event with its reason")
				}},
			{name: "reply to a ticket closed 20 days ago opens a follow-up", setup: func(t *testing.T) {
				e.setStatus(t, "OPS-1003", opsdesk.StatusResolved, opsdesk.StatusClosed)
				e.clock.advance(20 * 24 * time.Hour)
			}, raw: build(`From: bob@globex.example
Subject: Re: [OPS-1003] Login broken
Message-ID: <m12@globex.example>`, "Broken once more."),
				status: mail.StatusFollowUp, key: "OPS-1004", check: func(t *testing.T, r mail.Result) {
					old, tk := e.ticket(t, "OPS-1003"), e.ticket(t, "OPS-1004")
					ms := e.messages(t, "OPS-1004")
					must(t, old.Status == opsdesk.StatusClosed && tk.CustomerID == e.globex.ID && tk.Subject == "Login broken" &&
						strings.Contains(ms[0].Body, "Follow-up of OPS-1003") && strings.Contains(ms[0].Body, "Broken once more."),
						"old %s, follow-up %+v, description %q", old.Status, tk, ms[0].Body)
				}},
			{name: "out-of-office answer becomes an internal note, status unchanged", setup: func(t *testing.T) {
				e.setStatus(t, "OPS-1001", opsdesk.StatusOpen, opsdesk.StatusWaitingCustomer)
			}, raw: build(`From: Alice <alice@acme.example>
Subject: Automatic reply: [OPS-1001] Login broken
Message-ID: <ooo1@acme.example>
Auto-Submitted: auto-replied
In-Reply-To: <m1@acme.example>`, "I am out of the office until 16 March."),
				status: mail.StatusRobot, key: "OPS-1001", check: func(t *testing.T, r mail.Result) {
					ms := e.messages(t, "OPS-1001")
					last := ms[len(ms)-1]
					flag, err := e.db.MessageNoAutoreply(admin, last.ID)
					must(t, last.Internal && strings.Contains(last.Body, "out of the office") && flag && err == nil && r.NoAutoreply,
						"note %+v flag %v %v", last, flag, err)
					must(t, e.ticket(t, "OPS-1001").Status == opsdesk.StatusWaitingCustomer, "status changed by an auto-reply")
				}},
			{name: "automatic mail answering nothing is kept without ticket", raw: build(`From: alice@acme.example
Subject: Weekly report
Message-ID: <robot1@acme.example>
Auto-Submitted: auto-generated`, "All green."),
				status: mail.StatusRobot, key: "", check: func(t *testing.T, r mail.Result) {
					in, err := e.db.InboundMail(admin, r.InboundID)
					must(t, err == nil && in.NoAutoreply && strings.Contains(in.RobotReason, "Auto-Submitted"), "inbound %+v %v", in, err)
				}},
			{name: "newsletter of a customer domain (Precedence: bulk) opens nothing", raw: build(`From: news@acme.example
Subject: Acme news
Message-ID: <news1@acme.example>
Precedence: bulk`, "News."),
				status: mail.StatusRobot, key: ""},
			{name: "bounce attached to the ticket of the bounced mail", setup: func(t *testing.T) {
				e.outbound(t, "OPS-1004", "opsdesk.ack1@vendor.example")
			}, raw: dsn("opsdesk.ack1@vendor.example", "bob@globex.example"),
				status: mail.StatusBounce, key: "OPS-1004", check: func(t *testing.T, r mail.Result) {
					ms := e.messages(t, "OPS-1004")
					last := ms[len(ms)-1]
					must(t, last.Internal && strings.Contains(last.Body, "bob@globex.example") && len(last.Attachments) == 1 &&
						last.Attachments[0].Name == "delivery-failure.eml" && r.NoAutoreply, "bounce note %+v", last)
				}},
			{name: "mail from our own address is never answered", raw: build(`From: Support <support@vendor.example>
Subject: Your request
Message-ID: <own1@vendor.example>`, "Loop?"),
				status: mail.StatusRobot, key: "", check: func(t *testing.T, r mail.Result) {
					must(t, r.NoAutoreply && strings.Contains(r.Reason, "own support address"), "result %+v", r)
				}},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				if s.setup != nil {
					s.setup(t)
				}
				r := e.deliver(t, "smtp", s.raw)
				expect(t, r, s.status, s.key)
				if s.check != nil {
					s.check(t, r)
				}
			})
		}
	})
}

// dsn is a delivery status notification for the mail with Message-ID id sent to rcpt.
func dsn(id, rcpt string) []byte {
	return build(`From: Mail Delivery System <MAILER-DAEMON@mx.globex.example>
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-`+id+`>
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"`, `--BOUND
Content-Type: text/plain

Your message could not be delivered.

--BOUND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.globex.example

Final-Recipient: rfc822; `+rcpt+`
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--BOUND
Content-Type: message/rfc822

From: support@vendor.example
To: `+rcpt+`
Subject: [OPS-1004] Login broken
Message-ID: <`+id+`>

We are on it.
--BOUND--
`)
}
