package mail_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/mail/mailtest"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// imapEnv is a real Dovecot, a migrated SQLite database with customer ACME (domain
// acme.example) and the real intake.
type imapEnv struct {
	dc     *mailtest.Dovecot
	db     *store.DB
	intake *mail.Intake
}

var imapAdmin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

func newIMAPEnv(tb testing.TB, o mailtest.DovecotOptions) *imapEnv {
	tb.Helper()
	e := &imapEnv{dc: mailtest.StartDovecot(tb, o), db: storetest.Open(tb, store.SQLite)}
	if err := e.db.SeedDefaults(imapAdmin); err != nil {
		tb.Fatal(err)
	}
	if err := e.db.CreateCustomer(imapAdmin, &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}); err != nil {
		tb.Fatal(err)
	}
	blobs, err := blob.Open(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	p := mail.DefaultPolicy
	p.RateLimit = 0
	e.intake = &mail.Intake{DB: e.db, Blobs: blobs, Policy: p, Own: []string{"support@vendor.example"}}
	return e
}

// mailbox saves a mailbox row for the test server (plain IMAP, move to Processed, IDLE) after
// change adjusts it, and returns it.
func (e *imapEnv) mailbox(tb testing.TB, change func(m *store.Mailbox)) store.Mailbox {
	tb.Helper()
	host, port, _ := net.SplitHostPort(e.dc.Addr)
	m := &store.Mailbox{Name: "support", Host: host, Security: "none", Username: e.dc.User, Password: e.dc.Password,
		Folder: "INBOX", Action: "move", MoveTo: "Processed", PollSeconds: 3600, UseIDLE: true, Active: true}
	m.Port, _ = strconv.Atoi(port)
	if change != nil {
		change(m)
	}
	if err := e.db.SaveMailbox(imapAdmin, m); err != nil {
		tb.Fatal(err)
	}
	return *m
}

// start runs a poller until the test ends.
func (e *imapEnv) start(tb testing.TB, p *mail.IMAPPoller) {
	tb.Helper()
	if p.Deliverer == nil {
		p.Deliverer = e.intake
	}
	p.Status, p.MinBackoff = e.db, 50*time.Millisecond
	p.Logger = slog.New(slog.NewTextHandler(tb.Output(), nil)) // shown for a failed test, or with -v
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Run(ctx)
	}()
	tb.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			tb.Error("the poller did not stop within 10s of its context's cancellation")
		}
	})
}

// count runs a COUNT query on the database.
func (e *imapEnv) count(tb testing.TB, q string, args ...any) int {
	tb.Helper()
	var n int
	if err := e.db.SQL().QueryRow(e.db.Rebind(q), args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

// row reads the mailbox row back.
func (e *imapEnv) row(tb testing.TB, name string) *store.Mailbox {
	tb.Helper()
	m, err := e.db.Mailbox(imapAdmin, name)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// imapRequest is a customer's request number i, from one of ten Acme users.
func imapRequest(i int) []byte {
	s := fmt.Sprintf("From: User %d <user%d@acme.example>\nTo: support@vendor.example\nSubject: Request %d\n"+
		"Message-ID: <req-%d@acme.example>\nDate: Mon, 02 Mar 2026 08:58:00 +0000\nMIME-Version: 1.0\n"+
		"Content-Type: text/plain; charset=utf-8\n\nThe export number %d fails since this morning.\n", i%10, i%10, i, i, i)
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

// imapReply is the requester's answer, number i, in the conversation of request to.
func imapReply(i, to int) []byte {
	s := fmt.Sprintf("From: User %d <user%d@acme.example>\nTo: support@vendor.example\nSubject: Re: Request %d\n"+
		"Message-ID: <reply-%d@acme.example>\nIn-Reply-To: <req-%d@acme.example>\nReferences: <req-%d@acme.example>\n"+
		"Date: Mon, 02 Mar 2026 09:05:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nMore details.\n",
		to%10, to%10, to, i, to, to)
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

func imapRequests(from, to int) [][]byte {
	var out [][]byte
	for i := from; i < to; i++ {
		out = append(out, imapRequest(i))
	}
	return out
}

// waitFor polls cond until it holds, or fails the test after timeout.
func waitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *imapEnv) tickets(tb testing.TB) int {
	return e.count(tb, `SELECT COUNT(*) FROM tickets`)
}

// TestIMAPIdleAndMove: messages already there and messages arriving while the poller waits in
// IDLE (the polling interval is an hour, so only IDLE can bring them) become tickets within
// seconds; each is moved to Processed only once its ticket exists, and the mailbox row tells the
// last poll.
func TestIMAPIdleAndMove(t *testing.T) {
	e := newIMAPEnv(t, mailtest.DovecotOptions{})
	e.dc.Append(t, "INBOX", imapRequests(0, 3)...)
	m := e.mailbox(t, nil)
	e.start(t, &mail.IMAPPoller{Mailbox: m})
	waitFor(t, 10*time.Second, "3 waiting messages become tickets", func() bool { return e.tickets(t) == 3 })
	waitFor(t, 5*time.Second, "they are moved", func() bool { n, _ := e.dc.Count(t, "Processed"); return n == 3 })
	if n, _ := e.dc.Count(t, "INBOX"); n != 0 {
		t.Fatalf("INBOX still holds %d messages", n)
	}
	time.Sleep(300 * time.Millisecond) // the poller is in IDLE now
	start := time.Now()
	e.dc.Append(t, "INBOX", imapRequests(3, 5)...)
	waitFor(t, 5*time.Second, "2 messages appended during IDLE become tickets", func() bool { return e.tickets(t) == 5 })
	t.Logf("appended during IDLE: tickets after %v", time.Since(start).Round(time.Millisecond))
	waitFor(t, 5*time.Second, "all moved", func() bool { n, _ := e.dc.Count(t, "Processed"); return n == 5 })
	// ReceivedAt is the server's INTERNALDATE; the source is the mailbox's name.
	if n := e.count(t, `SELECT COUNT(*) FROM mail_inbound WHERE source = 'support' AND received_at > ?`, start.Add(-time.Minute).UnixMilli()); n != 5 {
		t.Errorf("inbound rows from source support received in the last minute: %d, want 5", n)
	}
	row := e.row(t, "support")
	if row.LastPollAt.IsZero() || row.LastError != "" {
		t.Errorf("mailbox row: last poll %v, last error %q", row.LastPollAt, row.LastError)
	}
}

// TestIMAPPollingWithoutIdleOrMove: a server that offers neither IDLE nor MOVE (its
// capabilities are cut down): the poller polls, and moves with COPY, STORE \Deleted, EXPUNGE;
// with the "seen" action it flags processed messages \Seen and leaves them in place.
func TestIMAPPollingWithoutIdleOrMove(t *testing.T) {
	e := newIMAPEnv(t, mailtest.DovecotOptions{Capabilities: "IMAP4rev1 LITERAL+ UIDPLUS"})
	t.Run("move", func(t *testing.T) {
		m := e.mailbox(t, func(m *store.Mailbox) { m.Name = "moved" })
		m.PollSeconds = 1 // shorter than the store allows, to keep the test short
		e.dc.Append(t, "INBOX", imapRequests(0, 2)...)
		e.start(t, &mail.IMAPPoller{Mailbox: m})
		waitFor(t, 10*time.Second, "polled messages become tickets and are moved", func() bool {
			n, _ := e.dc.Count(t, "Processed")
			return e.tickets(t) == 2 && n == 2
		})
		e.dc.Append(t, "INBOX", imapRequests(2, 3)...)
		waitFor(t, 5*time.Second, "a message appended later is polled", func() bool {
			in, _ := e.dc.Count(t, "INBOX")
			n, _ := e.dc.Count(t, "Processed")
			return e.tickets(t) == 3 && in == 0 && n == 3
		})
	})
	t.Run("seen", func(t *testing.T) {
		m := e.mailbox(t, func(m *store.Mailbox) { m.Name = "flagged"; m.Action = "seen"; m.MoveTo = ""; m.Folder = "Requests" })
		m.PollSeconds = 1
		e.dc.Append(t, "Requests", imapRequests(10, 13)...)
		e.start(t, &mail.IMAPPoller{Mailbox: m})
		waitFor(t, 10*time.Second, "messages become tickets and are flagged seen, staying in the folder", func() bool {
			n, unseen := e.dc.Count(t, "Requests")
			return e.tickets(t) == 6 && n == 3 && unseen == 0
		})
		e.dc.Append(t, "Requests", imapRequests(13, 14)...)
		waitFor(t, 5*time.Second, "a new unseen message is polled, the seen ones are not taken again", func() bool {
			n, unseen := e.dc.Count(t, "Requests")
			return e.tickets(t) == 7 && n == 4 && unseen == 0
		})
		if n := e.count(t, `SELECT COUNT(*) FROM mail_inbound WHERE source = 'flagged'`); n != 4 {
			t.Errorf("inbound rows of the flagged mailbox: %d, want 4", n)
		}
	})
}

// TestIMAPTLS: implicit TLS and STARTTLS with the test's certificate; without trusting it, the
// poller refuses the server and the mailbox row says why.
func TestIMAPTLS(t *testing.T) {
	e := newIMAPEnv(t, mailtest.DovecotOptions{TLS: true})
	e.dc.Append(t, "INBOX", imapRequests(0, 1)...)
	_, tlsPort, _ := net.SplitHostPort(e.dc.TLSAddr)
	for i, sec := range []string{"tls", "starttls"} {
		t.Run(sec, func(t *testing.T) {
			m := e.mailbox(t, func(m *store.Mailbox) {
				m.Name, m.Security = sec, sec
				if sec == "tls" {
					m.Port, _ = strconv.Atoi(tlsPort)
				}
			})
			e.dc.Append(t, "INBOX", imapRequests(1+i, 2+i)...)
			e.start(t, &mail.IMAPPoller{Mailbox: m, TLSConfig: e.dc.TLSConfig})
			// The messages leave INBOX after their tickets are committed: wait for both, so the
			// count below sees only what the untrusted poller could not read.
			waitFor(t, 10*time.Second, "delivery over "+sec, func() bool {
				n, _ := e.dc.Count(t, "INBOX")
				return e.tickets(t) >= 2+i && n == 0
			})
		})
	}
	m := e.mailbox(t, func(m *store.Mailbox) { m.Name, m.Security = "untrusted", "starttls" })
	e.dc.Append(t, "INBOX", imapRequests(5, 6)...)
	e.start(t, &mail.IMAPPoller{Mailbox: m})
	waitFor(t, 10*time.Second, "the untrusted certificate is reported on the mailbox", func() bool {
		return strings.Contains(e.row(t, "untrusted").LastError, "certificate")
	})
	if n, _ := e.dc.Count(t, "INBOX"); n != 1 {
		t.Errorf("INBOX holds %d messages, want the one nobody could read", n)
	}
}
