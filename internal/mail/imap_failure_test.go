package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/mail/mailtest"
	"github.com/opsdesk/opsdesk/internal/store"
)

// failing wraps the real intake: fail decides, before or after the real delivery, whether a
// delivery reports an error.
type failing struct {
	in mail.Deliverer
	mu sync.Mutex
	// before fails a delivery without delivering; after delivers, commits, then fails (a crash
	// between the commit and the acknowledgement).
	before, after func(raw []byte) bool
	dups          int
}

func (f *failing) Deliver(ctx context.Context, msg mail.Inbound) (mail.Result, error) {
	if f.before != nil && f.before(msg.Raw) {
		return mail.Result{}, errors.New("database unavailable")
	}
	res, err := f.in.Deliver(ctx, msg)
	f.mu.Lock()
	defer f.mu.Unlock()
	if res.Duplicate {
		f.dups++
	}
	if err == nil && f.after != nil && f.after(msg.Raw) {
		return mail.Result{}, errors.New("lost before the acknowledgement")
	}
	return res, err
}

func (f *failing) duplicates() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dups
}

// TestIMAPDeliveryFailure: a failed delivery leaves its message in the folder, and the reply to
// it too (a reply never overtakes the message it answers), while an unrelated message goes
// through; the failure is reported on the mailbox row, and both are delivered at a later round
// once delivery works again, the reply threaded to its request's ticket.
func TestIMAPDeliveryFailure(t *testing.T) {
	e := newIMAPEnv(t, mailtest.DovecotOptions{})
	e.dc.Append(t, "INBOX", imapRequest(0), imapRequest(1), imapReply(2, 1), imapRequest(3))
	var mu sync.Mutex
	down := true
	f := &failing{in: e.intake, before: func(raw []byte) bool {
		mu.Lock()
		defer mu.Unlock()
		return down && strings.Contains(string(raw), "Message-ID: <req-1@")
	}}
	e.start(t, &mail.IMAPPoller{Mailbox: e.mailbox(t, nil), Deliverer: f})
	waitFor(t, 10*time.Second, "the failure is reported on the mailbox", func() bool {
		return strings.Contains(e.row(t, "support").LastError, "database unavailable")
	})
	waitFor(t, 5*time.Second, "the unrelated messages are delivered", func() bool { return e.tickets(t) == 2 })
	time.Sleep(300 * time.Millisecond) // a few retries
	if n, in := e.tickets(t), inbox(t, e); n != 2 || in != 2 {
		t.Fatalf("while delivery fails: %d tickets, %d messages in INBOX; want 2 and 2 (the failed one and the reply to it)", n, in)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM mail_inbound WHERE message_id = 'reply-2@acme.example'`); n != 0 {
		t.Fatal("the reply was delivered before the request it answers")
	}
	mu.Lock()
	down = false
	mu.Unlock()
	waitFor(t, 10*time.Second, "the messages are delivered once delivery works", func() bool { return inbox(t, e) == 0 })
	waitFor(t, 5*time.Second, "the error is cleared", func() bool { return e.row(t, "support").LastError == "" })
	if n := e.tickets(t); n != 3 {
		t.Errorf("tickets: %d, want 3 (the reply joins its request's)", n)
	}
	threaded := e.count(t, `SELECT COUNT(*) FROM mail_inbound r JOIN mail_inbound q ON q.ticket_id = r.ticket_id
		WHERE r.message_id = 'reply-2@acme.example' AND r.status = 'reply' AND q.message_id = 'req-1@acme.example'`)
	if threaded != 1 {
		t.Errorf("the reply is not on its request's ticket")
	}
}

func inbox(tb testing.TB, e *imapEnv) int {
	n, _ := e.dc.Count(tb, "INBOX")
	return n
}

// TestIMAPRedeliveryStoredOnce: every message is committed but its acknowledgement is lost the
// first time (as in a crash between the two); it comes again, the intake recognises it by its
// Message-ID, and it is acknowledged then. Each message is stored once.
func TestIMAPRedeliveryStoredOnce(t *testing.T) {
	e := newIMAPEnv(t, mailtest.DovecotOptions{})
	const n = 20
	e.dc.Append(t, "INBOX", imapRequests(0, n)...)
	var mu sync.Mutex
	seen := map[string]bool{}
	f := &failing{in: e.intake, after: func(raw []byte) bool {
		mu.Lock()
		defer mu.Unlock()
		first := !seen[string(raw)]
		seen[string(raw)] = true
		return first
	}}
	e.start(t, &mail.IMAPPoller{Mailbox: e.mailbox(t, nil), Deliverer: f})
	waitFor(t, 20*time.Second, "the folder is emptied", func() bool { return inbox(t, e) == 0 })
	if got := f.duplicates(); got != n {
		t.Errorf("duplicates recognised: %d, want %d", got, n)
	}
	if got := e.tickets(t); got != n {
		t.Errorf("tickets: %d, want %d", got, n)
	}
	if got := e.count(t, `SELECT COUNT(*) FROM (SELECT message_id FROM mail_inbound GROUP BY message_id HAVING COUNT(*) > 1) d`); got != 0 {
		t.Errorf("%d Message-IDs stored more than once", got)
	}
}

// TestIMAPRefusals: a wrong password, plain IMAP to a remote host, and a message over the size
// limit are reported on the mailbox row; nothing is lost.
func TestIMAPRefusals(t *testing.T) {
	e := newIMAPEnv(t, mailtest.DovecotOptions{})
	e.dc.Append(t, "INBOX", imapRequests(0, 1)...)
	t.Run("login", func(t *testing.T) { // a subtest: its pollers stop before the next part
		e.start(t, &mail.IMAPPoller{Mailbox: e.mailbox(t, func(m *store.Mailbox) { m.Name, m.Password = "wrongpw", "not-the-password" })})
		e.start(t, &mail.IMAPPoller{Mailbox: e.mailbox(t, func(m *store.Mailbox) { m.Name, m.Host = "remote", "imap.example.com" })})
		for name, want := range map[string]string{"wrongpw": "log in as support", "remote": "only for a server on this machine"} {
			waitFor(t, 10*time.Second, name+": error "+want, func() bool { return strings.Contains(e.row(t, name).LastError, want) })
		}
		if e.tickets(t) != 0 || inbox(t, e) != 1 {
			t.Fatal("a message was taken without a working login")
		}
	})

	big := imapRequest(1)
	big = append(big, []byte(strings.Repeat("A long line of a large attachment.\r\n", 100))...)
	e.dc.Append(t, "INBOX", big, imapRequest(2))
	e.start(t, &mail.IMAPPoller{Mailbox: e.mailbox(t, nil), MaxBytes: 2000})
	waitFor(t, 10*time.Second, "the small messages are delivered", func() bool { return e.tickets(t) == 2 })
	waitFor(t, 5*time.Second, "the large one is reported", func() bool {
		return strings.Contains(e.row(t, "support").LastError, "over the 2000-byte limit")
	})
	if n := inbox(t, e); n != 1 {
		t.Errorf("INBOX holds %d messages, want the large one", n)
	}
}

// TestIMAPXOAuth2: XOAUTH2 login against Dovecot checking tokens with a token-info endpoint.
func TestIMAPXOAuth2(t *testing.T) {
	info := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.String(), "good-token") && r.Header.Get("Authorization") != "Bearer good-token" {
			http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"username":"support","active":"true"}`)
	}))
	defer info.Close()
	e := newIMAPEnv(t, mailtest.DovecotOptions{OAuth2TokenInfoURL: info.URL + "/tokeninfo?access_token="})
	e.dc.Drop(t, "INBOX", imapRequests(0, 1)...) // the password does not log in here: no Append
	e.start(t, &mail.IMAPPoller{Mailbox: e.mailbox(t, func(m *store.Mailbox) { m.Name, m.XOAuth2Token = "expired", "old-token" })})
	waitFor(t, 10*time.Second, "a refused token is reported", func() bool {
		return strings.Contains(e.row(t, "expired").LastError, "XOAUTH2")
	})
	e.start(t, &mail.IMAPPoller{Mailbox: e.mailbox(t, func(m *store.Mailbox) { m.XOAuth2Token = "good-token" })})
	waitFor(t, 10*time.Second, "delivery after an XOAUTH2 login", func() bool { return e.tickets(t) == 1 })
}
