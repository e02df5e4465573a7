package mail_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/mail/mailtest"
)

// TestIMAPPollersFollowTheTable: the pollers of a running instance follow the mailboxes table:
// a mailbox added is polled, a change of folder is taken into account, a deactivated mailbox is
// left alone, and everything stops with the context.
func TestIMAPPollersFollowTheTable(t *testing.T) {
	e := newIMAPEnv(t, mailtest.DovecotOptions{})
	e.dc.Append(t, "INBOX", imapRequests(0, 1)...)
	ps := &mail.IMAPPollers{DB: e.db, Deliverer: e.intake, Reload: 100 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil)), Configure: func(p *mail.IMAPPoller) { p.MinBackoff = 50 * time.Millisecond }}
	ctx, cancel := context.WithCancel(context.Background())
	wait := ps.Start(ctx)
	stopped := false
	stop := func() {
		if !stopped {
			cancel()
			wait()
			stopped = true
		}
	}
	defer stop()

	m := e.mailbox(t, nil)
	waitFor(t, 10*time.Second, "a mailbox added while running is polled", func() bool { return e.tickets(t) == 1 })

	m.Folder = "Other"
	if err := e.db.SaveMailbox(imapAdmin, &m); err != nil {
		t.Fatal(err)
	}
	e.dc.Append(t, "Other", imapRequests(1, 2)...)
	waitFor(t, 10*time.Second, "the new folder is watched", func() bool { return e.tickets(t) == 2 })

	m.Active = false
	if err := e.db.SaveMailbox(imapAdmin, &m); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	e.dc.Append(t, "Other", imapRequests(2, 3)...)
	time.Sleep(time.Second)
	if n, _ := e.dc.Count(t, "Other"); n != 1 || e.tickets(t) != 2 {
		t.Fatalf("a deactivated mailbox was read: %d tickets, %d messages left", e.tickets(t), n)
	}

	start := time.Now()
	stop()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopping took %v", d)
	}
}
