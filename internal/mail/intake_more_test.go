package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestIntakeDuplicates: the same message delivered twice from one source is stored once; from
// two sources (two mailboxes) it is two deliveries — each source records its copy, so each can
// acknowledge it — but its meaning is applied once.
func TestIntakeDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		raw := build("From: alice@acme.example\nSubject: Disk full\nMessage-ID: <d1@acme.example>", "The disk is full.")
		first := e.deliver(t, "smtp", raw)
		again := e.deliver(t, "smtp", raw)
		expect(t, first, mail.StatusTicket, "OPS-1001")
		must(t, again.Duplicate && again.Status == mail.StatusTicket && again.TicketKey == "OPS-1001" && again.InboundID == first.InboundID,
			"second delivery = %+v", again)

		other := e.deliver(t, "support-imap", raw)
		must(t, !other.Duplicate && other.TicketKey == "OPS-1001" && other.InboundID != first.InboundID &&
			strings.Contains(other.Reason, "already received through smtp"), "other source = %+v", other)
		must(t, e.count(t, `SELECT COUNT(*) FROM tickets`) == 1, "one ticket")
		must(t, e.count(t, `SELECT COUNT(*) FROM mail_inbound`) == 2, "one row per source")
		must(t, len(e.messages(t, "OPS-1001")) == 1, "the message is applied once")

		noID := build("From: alice@acme.example\nSubject: No id", "A message without Message-ID.")
		a, b := e.deliver(t, "smtp", noID), e.deliver(t, "smtp", noID)
		must(t, !a.Duplicate && b.Duplicate && a.TicketKey == b.TicketKey && a.TicketKey != "", "without Message-ID: %+v then %+v", a, b)
	})
}

// TestIntakeRateLimit: past the sender's rate, messages are kept and flagged, nothing opened;
// staff can still file one.
func TestIntakeRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.in.Policy.RateLimit, e.in.Policy.RateWindow = 3, 10*time.Minute
		var results []mail.Result
		for i := range 5 {
			results = append(results, e.deliver(t, "smtp", build(fmt.Sprintf("From: frank@acme.example\nSubject: Storm %d\nMessage-ID: <s%d@acme.example>", i, i), "again")))
			e.clock.advance(time.Second)
		}
		for i, r := range results {
			want := mail.StatusTicket
			if i >= 3 {
				want = mail.StatusRateLimited
			}
			must(t, r.Status == want && (want == mail.StatusTicket || (r.TicketKey == "" && r.NoAutoreply)), "message %d: %+v", i, r)
		}
		must(t, e.count(t, `SELECT COUNT(*) FROM tickets`) == 3, "three tickets")
		kept, err := e.db.ListInboundMail(admin, store.InboundFilter{Status: store.InboundRateLimited})
		must(t, err == nil && len(kept) == 2 && kept[0].NoAutoreply, "kept = %+v %v", kept, err)

		e.clock.advance(11 * time.Minute)
		expect(t, e.deliver(t, "smtp", build("From: frank@acme.example\nSubject: Later\nMessage-ID: <s9@acme.example>", "calm")), mail.StatusTicket, "*")

		tk, err := e.db.FileInboundMail(admin, kept[0].ID, e.acme.ID, "", "")
		must(t, err == nil && tk.Subject == "Storm 4", "filed %+v %v", tk, err)
		flag, _ := e.db.MessageNoAutoreply(admin, e.messages(t, tk.Key)[0].ID)
		must(t, flag, "a rate-limited message filed by staff keeps its no-autoreply flag")
	})
}

// TestIntakeTriage: staff file a triage item for a customer they choose, or dismiss one.
func TestIntakeTriage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.deliver(t, "smtp", build("From: Gina <gina@partner.example>\nSubject: VPN down\nMessage-ID: <g1@partner.example>", "The VPN to Globex is down."))
		spam := e.deliver(t, "smtp", build("From: win@spam.example\nSubject: You won\nMessage-ID: <x1@spam.example>", "Click."))
		expect(t, r, mail.StatusTriage, "")
		customer := opsdesk.WithActor(context.Background(), opsdesk.Actor{Role: opsdesk.RoleCustomer, CustomerID: e.acme.ID, Label: "alice@acme.example"})
		if _, err := e.db.ListInboundMail(customer, store.InboundFilter{}); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Fatalf("customers must not read the triage queue: %v", err)
		}
		tk, err := e.db.FileInboundMail(admin, r.InboundID, e.globex.ID, "infrastructure", "major")
		must(t, err == nil && tk.CustomerID == e.globex.ID && tk.RequesterMail == "gina@partner.example" && tk.Category == "infrastructure" &&
			tk.Severity == "major" && tk.CreatedAt.Equal(e.clock.now().Add(-time.Minute)), "filed %+v %v", tk, err)
		in, _ := e.db.InboundMail(admin, r.InboundID)
		must(t, in.Status == store.InboundTicket && in.TicketKey == tk.Key && in.HandledBy == "test", "row after filing %+v", in)
		_, err = e.db.FileInboundMail(admin, r.InboundID, e.globex.ID, "", "")
		must(t, opsdesk.IsKind(err, opsdesk.KindConflict), "filing twice: %v", err)

		must(t, e.db.DismissInboundMail(admin, spam.InboundID, "spam") == nil, "dismiss")
		left, _ := e.db.ListInboundMail(admin, store.InboundFilter{Status: store.InboundTriage})
		must(t, len(left) == 0, "triage left %+v", left)
		// A later message of the same sender now threads as a contact of Globex.
		expect(t, e.deliver(t, "smtp", build("From: gina@partner.example\nSubject: Re: [OPS-1001] VPN down\nMessage-ID: <g2@partner.example>", "Still down.")), mail.StatusReply, tk.Key)
	})
}

// TestIntakeMalformed: a message that cannot be fully read still becomes a ticket with what
// could be read, its defects kept; one with nothing readable is kept in triage.
func TestIntakeMalformed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		raw := []byte("From: alice@acme.example\r\nSubject: =?utf-8?B?broken\r\nMessage-ID: <bad1@acme.example>\r\n" +
			"Content-Type: multipart/mixed; boundary=\"nope\"\r\n\r\n--other\r\nContent-Type: text/plain\r\n\r\nPart one text\r\n--other--\r\n")
		r := e.deliver(t, "smtp", raw)
		expect(t, r, mail.StatusTicket, "OPS-1001")
		in, err := e.db.InboundMail(admin, r.InboundID)
		must(t, err == nil && len(in.Defects) >= 2, "defects = %q %v", in.Defects, err)
		must(t, strings.Contains(e.messages(t, "OPS-1001")[0].Body, "Part one text"), "body = %q", e.messages(t, "OPS-1001")[0].Body)

		for _, junk := range [][]byte{[]byte("   \r\n"), []byte("\x00\x01 no header at all")} {
			r := e.deliver(t, "smtp", junk)
			in, err := e.db.InboundMail(admin, r.InboundID)
			must(t, err == nil && r.Status == mail.StatusTriage && len(in.Defects) > 0 && bytes.Equal(e.blobBytes(t, in.RawSHA256), junk),
				"junk %q: %+v %+v %v", junk, r, in, err)
		}
	})
}

var png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{7}, 64)...)

// TestIntakeAttachmentsAndRaw: attachments and inline images are stored and downloadable, the
// inline image keeps its Content-ID for the HTML, and the raw .eml is kept.
func TestIntakeAttachmentsAndRaw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		pdf := []byte("%PDF-1.4\n" + strings.Repeat("log line\n", 50))
		raw := build(`From: alice@acme.example
Subject: Screenshot
Message-ID: <a1@acme.example>
Content-Type: multipart/mixed; boundary="MIX"`, `--MIX
Content-Type: multipart/related; boundary="REL"

--REL
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/plain; charset=utf-8

See the screenshot and the log.
--ALT
Content-Type: text/html; charset=utf-8

<p>See the screenshot <img src="cid:shot1@acme"> and the log.</p><script>alert(1)</script>
--ALT--

--REL
Content-Type: image/png
Content-ID: <shot1@acme>
Content-Disposition: inline; filename="screenshot.png"
Content-Transfer-Encoding: base64

`+base64.StdEncoding.EncodeToString(png)+`
--REL--

--MIX
Content-Type: application/pdf; name="error log.pdf"
Content-Disposition: attachment; filename="error log.pdf"
Content-Transfer-Encoding: base64

`+base64.StdEncoding.EncodeToString(pdf)+`
--MIX--
`)
		r := e.deliver(t, "smtp", raw)
		expect(t, r, mail.StatusTicket, "OPS-1001")
		msg := e.messages(t, "OPS-1001")[0]
		must(t, msg.Body == "See the screenshot and the log." && len(msg.Attachments) == 2, "message %+v", msg)
		byName := map[string]opsdesk.Attachment{}
		for _, a := range msg.Attachments {
			byName[a.Name] = a
		}
		shot, log := byName["screenshot.png"], byName["error log.pdf"]
		must(t, shot.ContentType == "image/png" && bytes.Equal(e.blobBytes(t, shot.SHA256), png), "inline image %+v", shot)
		must(t, log.ContentType == "application/pdf" && bytes.Equal(e.blobBytes(t, log.SHA256), pdf), "pdf %+v", log)
		got, err := e.db.Attachment(admin, "OPS-1001", log.ID)
		must(t, err == nil && got.SHA256 == log.SHA256, "attachment by store method: %+v %v", got, err)

		parts, err := e.db.MessageMailParts(admin, "OPS-1001", msg.ID)
		must(t, err == nil && parts.ContentIDs[shot.ID] == "shot1@acme" && strings.Contains(parts.HTML, "cid:shot1@acme") &&
			!strings.Contains(parts.HTML, "<script"), "mail parts %+v %v", parts, err)

		in, err := e.db.MessageInbound(admin, "OPS-1001", msg.ID)
		must(t, err == nil && in.ID == r.InboundID && bytes.Equal(e.blobBytes(t, in.RawSHA256), raw), "raw .eml: %+v %v", in, err)
		customer := opsdesk.WithActor(context.Background(), opsdesk.Actor{Role: opsdesk.RoleCustomer, CustomerID: e.acme.ID, Label: "alice@acme.example"})
		_, err = e.db.MessageInbound(customer, "OPS-1001", msg.ID)
		must(t, opsdesk.IsKind(err, opsdesk.KindForbidden), "customers do not download the raw mail: %v", err)
	})
}

// TestIntakeRoute: a dry run explains where a message would go and changes nothing.
func TestIntakeRoute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.deliver(t, "smtp", build("From: alice@acme.example\nSubject: First\nMessage-ID: <r1@acme.example>", "first"))
		before := e.count(t, `SELECT COUNT(*) FROM mail_inbound`) + 100*e.count(t, `SELECT COUNT(*) FROM ticket_messages`) + 10000*e.count(t, `SELECT COUNT(*) FROM jobs`)
		r, parsed, err := e.in.Route(context.Background(), mail.Inbound{Source: "smtp",
			Raw: build("From: alice@acme.example\nSubject: Re: [OPS-1001] First\nMessage-ID: <r2@acme.example>", "second")})
		must(t, err == nil && r.Status == mail.StatusReply && r.TicketKey == "OPS-1001" && parsed.Subject == "Re: [OPS-1001] First" &&
			strings.Contains(r.Reason, "tag of OPS-1001"), "route = %+v %v", r, err)
		after := e.count(t, `SELECT COUNT(*) FROM mail_inbound`) + 100*e.count(t, `SELECT COUNT(*) FROM ticket_messages`) + 10000*e.count(t, `SELECT COUNT(*) FROM jobs`)
		must(t, before == after, "a dry run changed the database: %d → %d", before, after)
	})
}
