package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// IMAPPoller reads one IMAP mailbox: it connects (TLS, STARTTLS, or plain IMAP to a server on
// this machine), logs in (password, or XOAUTH2 when the mailbox has a token), selects the watched
// folder, and hands every unprocessed message to the Deliverer, oldest first. A message is
// acknowledged on the server — moved to the mailbox's MoveTo folder, or flagged \Seen — only
// after Deliver returned nil, that is after its ticket change is committed; a crash in between
// only makes the message come again, and the Deliverer stores it once.
//
// Between rounds it waits with IMAP IDLE when the mailbox asks for it and the server offers it,
// and polls every PollSeconds otherwise (and also under IDLE, in case a notification is lost).
// Independent messages are delivered several at once; the messages of one conversation in order.
// A failed delivery leaves the message (and the later ones of its conversation, so a reply never
// overtakes the message it answers) in the folder; they are tried again after a back-off. A lost connection is
// re-established with a back-off. Every round's outcome is recorded on the mailbox row for
// admins (Status). Everything stops when the context of Run is cancelled.
type IMAPPoller struct {
	Mailbox   store.Mailbox
	Deliverer Deliverer
	Status    PollRecorder // where each round's outcome goes; nil for nowhere
	Logger    *slog.Logger
	// TLSConfig is the trust for tls and starttls (nil: the system's roots); the server name
	// is the mailbox's host.
	TLSConfig *tls.Config
	// MaxBytes bounds one message (default 64 MiB): a larger one is left in the folder, not
	// fetched, and reported as the mailbox's error.
	MaxBytes int64
	// Batch bounds the messages fetched at once (default 50); BatchBytes their total size (default
	// 16 MiB). Memory stays flat whatever the folder holds.
	Batch      int
	BatchBytes int64
	// Workers bounds the deliveries under way at once (default 4); messages of one conversation
	// are delivered in order all the same.
	Workers int
	// DeliverTimeout bounds one delivery (default one minute).
	DeliverTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait before reconnecting or retrying a failed
	// delivery (defaults 1 s and 5 min); it doubles at each failure in a row.
	MinBackoff, MaxBackoff time.Duration
}

// PollRecorder records the outcome of a poll on the mailbox row: the time, and the error or nil.
// store.DB is one.
type PollRecorder interface {
	RecordMailboxPoll(ctx context.Context, id int64, pollErr error) error
}

var _ PollRecorder = (*store.DB)(nil)

func (p *IMAPPoller) defaults() {
	if p.Logger == nil {
		p.Logger = slog.New(slog.DiscardHandler)
	}
	p.Logger = p.Logger.With("mailbox", p.Mailbox.Name)
	if p.MaxBytes <= 0 {
		p.MaxBytes = 64 << 20
	}
	if p.Batch <= 0 {
		p.Batch = 50
	}
	if p.BatchBytes <= 0 {
		p.BatchBytes = 16 << 20
	}
	if p.Workers <= 0 {
		p.Workers = 4
	}
	if p.DeliverTimeout <= 0 {
		p.DeliverTimeout = time.Minute
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = time.Second
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = max(5*time.Minute, p.MinBackoff)
	}
	if p.Mailbox.PollSeconds <= 0 {
		p.Mailbox.PollSeconds = 60
	}
}

// Run reads the mailbox until ctx is cancelled, reconnecting after failures.
func (p *IMAPPoller) Run(ctx context.Context) {
	p.defaults()
	backoff := p.MinBackoff
	for ctx.Err() == nil {
		worked, err := p.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if worked {
			backoff = p.MinBackoff
		}
		p.Logger.Warn("imap: mailbox unavailable; retrying", "err", err, "retry_in", backoff)
		p.record(ctx, err)
		if !sleep(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, p.MaxBackoff)
	}
}

// session is one connection: rounds of intake separated by waits, until an error. worked tells
// whether at least one round went through, so that the back-off starts again from its minimum.
func (p *IMAPPoller) session(ctx context.Context) (worked bool, err error) {
	c, newMail, err := p.connect(ctx)
	if err != nil {
		return false, err
	}
	defer c.Close()
	// Cancellation ends whatever the connection is doing: a delivery in progress still ends
	// (its commit is not wasted), its acknowledgement fails, and it comes again next time.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	retry := p.MinBackoff
	for {
		res, err := p.round(ctx, c)
		if ctx.Err() != nil {
			return worked, nil
		}
		var de *deliveryError
		switch {
		case errors.As(err, &de):
			// The connection is fine: keep it, and try again after a back-off.
			p.Logger.Warn("imap: delivery failed; the message stays in the folder", "uid", de.uid, "err", de.err, "retry_in", retry)
			p.record(ctx, err)
			if res.delivered > 0 {
				retry = p.MinBackoff // the messages before it went through
			}
			if !sleep(ctx, retry) {
				return worked, nil
			}
			retry = min(2*retry, time.Duration(p.Mailbox.PollSeconds)*time.Second)
			continue
		case err != nil:
			return worked, err
		}
		worked, retry = true, p.MinBackoff
		if res.delivered > 0 {
			p.Logger.Info("imap: messages received", "count", res.delivered)
		}
		p.record(ctx, errors.Join(res.warnings...))
		if err := p.wait(ctx, c, newMail); err != nil {
			return worked, err
		}
	}
}

// record notes a round's outcome on the mailbox row, as the system.
func (p *IMAPPoller) record(ctx context.Context, err error) {
	if p.Status == nil || p.Mailbox.ID == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	ctx = opsdesk.WithActor(ctx, opsdesk.System("mail"))
	if e := p.Status.RecordMailboxPoll(ctx, p.Mailbox.ID, err); e != nil {
		p.Logger.Warn("imap: cannot record the poll on the mailbox", "err", e)
	}
}

// wait returns when new mail may be there: the server announced it (IDLE, or a keep-alive NOOP
// in polling mode), or the polling interval passed. It returns an error if the connection broke.
func (p *IMAPPoller) wait(ctx context.Context, c *imapclient.Client, newMail <-chan struct{}) error {
	interval := time.Duration(p.Mailbox.PollSeconds) * time.Second
	timer := time.NewTimer(interval)
	defer timer.Stop()
	select {
	case <-newMail: // announced during the round: go again at once
		return nil
	default:
	}
	if p.Mailbox.UseIDLE && c.Caps().Has(imap.CapIdle) {
		idle, err := c.Idle()
		if err != nil {
			return err
		}
		select {
		case <-ctx.Done():
		case <-newMail:
		case <-timer.C:
		case <-c.Closed():
		}
		if err := idle.Close(); err != nil {
			return err
		}
		return idle.Wait()
	}
	// Polling: a NOOP every few minutes keeps the connection open through long intervals and
	// lets the server tell of new mail early.
	keep := time.NewTicker(4 * time.Minute)
	defer keep.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-newMail:
			return nil
		case <-timer.C:
			return nil
		case <-c.Closed():
			return errors.New("imap: the server closed the connection")
		case <-keep.C:
			if err := c.Noop().Wait(); err != nil {
				return err
			}
		}
	}
}

// sleep waits d or until ctx is cancelled; it tells whether ctx is still alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
