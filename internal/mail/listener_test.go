package mail_test

import (
	"bytes"
	"context"
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// startListener runs the real SMTP and LMTP listener on loopback over env's intake.
func startListener(t *testing.T, e *env) (smtpAddr, lmtpAddr string) {
	t.Helper()
	l, err := mail.NewListener(mail.ListenerOptions{SMTPAddr: "127.0.0.1:0", LMTPAddr: "127.0.0.1:0", MaxBytes: 64 << 10,
		Addresses: []string{"support@vendor.example", "@help.vendor.example"}, Deliverer: e.in, Now: e.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Shutdown(context.Background()) })
	return l.Addrs()[0].String(), l.Addrs()[1].String()
}

// send runs one SMTP transaction with the standard library client and returns the error of
// the first refused step.
func send(addr, from string, to []string, raw []byte) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("mta.test"); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	c.Quit() // the message was accepted with the answer to DATA
	return nil
}

func smtpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// TestListenerSMTP: an MTA's delivery is answered 250 only once the ticket exists; recipients
// other than the support addresses get 550, messages over the size limit 552.
func TestListenerSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		addr, _ := startListener(t, e)
		raw := build("From: Alice <alice@acme.example>\nSubject: Printer on fire\nMessage-ID: <p1@acme.example>", "Help.")
		if err := send(addr, "alice@acme.example", []string{"other@vendor.example"}, raw); smtpCode(err) != 550 || !strings.Contains(err.Error(), "only accepts mail for the support addresses") {
			t.Fatalf("unknown recipient: %v", err)
		}
		if err := send(addr, "alice@acme.example", []string{"Support@Vendor.example"}, raw); err != nil {
			t.Fatalf("delivery: %v", err)
		}
		tk := e.ticket(t, "OPS-1001") // exists as soon as the 250 came back
		must(t, tk.Subject == "Printer on fire", "ticket %+v", tk)
		in, err := e.db.MessageInbound(admin, "OPS-1001", e.messages(t, "OPS-1001")[0].ID)
		stored := e.blobBytes(t, in.RawSHA256)
		must(t, err == nil && in.Source == "smtp" && in.EnvelopeTo == "support@vendor.example" &&
			bytes.HasPrefix(stored, []byte("Return-Path: <alice@acme.example>\r\n")) && bytes.Contains(stored, raw), "inbound %+v %v", in, err)

		// The MTA retries the same message (its 250 was lost): still one ticket.
		must(t, send(addr, "alice@acme.example", []string{"desk@help.vendor.example"}, raw) == nil, "retry")
		must(t, e.count(t, `SELECT COUNT(*) FROM tickets`) == 1, "a retried delivery opened a second ticket")

		big := build("From: alice@acme.example\nSubject: Big\nMessage-ID: <big@acme.example>", strings.Repeat("0123456789 abcdefghij\n", 4<<10))
		if err := send(addr, "alice@acme.example", []string{"support@vendor.example"}, big); smtpCode(err) != 552 {
			t.Fatalf("oversized message: %v, want 552", err)
		}
	})
}

// TestListenerLMTP: over LMTP each recipient gets its answer after the message is recorded.
func TestListenerLMTP(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	_, addr := startListener(t, e)
	c, err := textproto.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	step := func(code int, cmd string) {
		t.Helper()
		if cmd != "" {
			if err := c.PrintfLine("%s", cmd); err != nil {
				t.Fatal(err)
			}
		}
		if _, msg, err := c.ReadResponse(code); err != nil {
			t.Fatalf("%q: %v %s", cmd, err, msg)
		}
	}
	step(220, "")
	step(250, "LHLO mta.test")
	step(250, "MAIL FROM:<bob@globex.example>")
	step(250, "RCPT TO:<support@vendor.example>")
	step(250, "RCPT TO:<desk@help.vendor.example>")
	step(354, "DATA")
	w := c.DotWriter()
	w.Write(build("From: bob@globex.example\nSubject: Over LMTP\nMessage-ID: <l1@globex.example>", "Hello."))
	w.Close()
	step(250, "") // one answer per recipient
	step(250, "")
	must(t, e.ticket(t, "OPS-1001").Subject == "Over LMTP", "ticket over LMTP")
	must(t, e.count(t, `SELECT COUNT(*) FROM mail_inbound`) == 1, "one delivery for two recipients")
}

// TestListenerTemporaryFailure: when the message cannot be recorded (the database is down), the
// MTA gets 451 and keeps the message to retry; nothing is acknowledged.
func TestListenerTemporaryFailure(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	addr, _ := startListener(t, e)
	e.db.Close()
	err := send(addr, "alice@acme.example", []string{"support@vendor.example"},
		build("From: alice@acme.example\nSubject: Lost?\nMessage-ID: <lost@acme.example>", "Not lost."))
	if smtpCode(err) != 451 {
		t.Fatalf("with the database down: %v, want 451", err)
	}
}

// slowDeliverer holds each delivery until released.
type slowDeliverer struct{ started, release chan struct{} }

func (d slowDeliverer) Deliver(ctx context.Context, in mail.Inbound) (mail.Result, error) {
	d.started <- struct{}{}
	<-d.release
	return mail.Result{Status: mail.StatusTicket}, nil
}

// TestListenerShutdownFinishesDeliveries: at shutdown, a delivery under way is finished and
// answered 250 before the listener closes; new connections are refused.
func TestListenerShutdownFinishesDeliveries(t *testing.T) {
	d := slowDeliverer{started: make(chan struct{}), release: make(chan struct{})}
	l, err := mail.NewListener(mail.ListenerOptions{SMTPAddr: "127.0.0.1:0", Addresses: []string{"support@vendor.example"}, Deliverer: d})
	if err != nil || l.Start() != nil {
		t.Fatal(err)
	}
	addr := l.Addrs()[0].String()
	sent := make(chan error, 1)
	go func() {
		sent <- send(addr, "alice@acme.example", []string{"support@vendor.example"}, build("From: alice@acme.example\nSubject: s", "b"))
	}()
	<-d.started
	stopped := make(chan error, 1)
	go func() { stopped <- l.Shutdown(context.Background()) }()
	time.Sleep(50 * time.Millisecond)
	if c, err := smtp.Dial(addr); err == nil {
		c.Close()
		t.Fatal("a new connection was accepted during shutdown")
	}
	select {
	case err := <-stopped:
		t.Fatalf("shutdown returned before the delivery was answered: %v", err)
	default:
	}
	close(d.release)
	if err := <-sent; err != nil {
		t.Fatalf("the delivery under way at shutdown: %v", err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}
