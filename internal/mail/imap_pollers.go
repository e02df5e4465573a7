package mail

import (
	"context"
	"crypto/tls"
	"log/slog"
	"sync"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// IMAPPollers runs one IMAPPoller per active IMAP mailbox of the database, and follows the
// mailboxes table while it runs: a mailbox added, changed, deactivated or removed (with
// `opsdesk mailbox` or in the admin UI) is picked up within Reload. The row named "smtp" holds
// the SMTP/LMTP listener's defaults and is not polled.
type IMAPPollers struct {
	DB        *store.DB
	Deliverer Deliverer
	Logger    *slog.Logger
	TLSConfig *tls.Config   // trust for the servers (nil: the system's roots)
	Reload    time.Duration // how often the mailboxes table is read again (default 30 s)
	// Configure, when set, adjusts each poller before it starts (tests shorten its back-off).
	Configure func(*IMAPPoller)
}

// running is a poller started with some settings of a mailbox.
type running struct {
	settings store.Mailbox
	cancel   context.CancelFunc
	done     chan struct{}
}

// settings is a mailbox without its status and times: what a poller runs with.
func settings(m store.Mailbox) store.Mailbox {
	m.LastPollAt, m.LastError, m.LastErrorAt, m.CreatedAt, m.UpdatedAt = time.Time{}, "", time.Time{}, time.Time{}, time.Time{}
	return m
}

// Start runs the pollers in the background until ctx is cancelled. The function it returns
// waits until every poller has stopped.
func (ps *IMAPPollers) Start(ctx context.Context) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		ps.Run(ctx)
	}()
	return func() { <-done }
}

// Run runs the pollers until ctx is cancelled, then stops them all and returns.
func (ps *IMAPPollers) Run(ctx context.Context) {
	if ps.Logger == nil {
		ps.Logger = slog.New(slog.DiscardHandler)
	}
	reload := ps.Reload
	if reload <= 0 {
		reload = 30 * time.Second
	}
	live := map[string]*running{}
	defer func() {
		for _, r := range live {
			r.cancel()
		}
		for _, r := range live {
			<-r.done
		}
	}()
	for {
		ps.sync(ctx, live)
		if !sleep(ctx, reload) {
			return
		}
	}
}

// sync starts, restarts and stops pollers to match the mailboxes table.
func (ps *IMAPPollers) sync(ctx context.Context, live map[string]*running) {
	boxes, err := ps.DB.ListMailboxes(opsdesk.WithActor(ctx, opsdesk.System("mail")))
	if err != nil {
		if ctx.Err() == nil {
			ps.Logger.Error("imap: cannot read the mailboxes", "err", err)
		}
		return
	}
	want := map[string]*store.Mailbox{}
	for _, m := range boxes {
		if m.Active && m.Name != "smtp" {
			want[m.Name] = m
		}
	}
	var wg sync.WaitGroup
	for name, r := range live {
		if m, ok := want[name]; !ok || settings(*m) != r.settings {
			r.cancel()
			wg.Go(func() { <-r.done })
			delete(live, name)
		}
	}
	wg.Wait()
	for name, m := range want {
		if _, ok := live[name]; ok {
			continue
		}
		p := &IMAPPoller{Mailbox: *m, Deliverer: ps.Deliverer, Status: ps.DB, Logger: ps.Logger, TLSConfig: ps.TLSConfig}
		if ps.Configure != nil {
			ps.Configure(p)
		}
		pctx, cancel := context.WithCancel(ctx)
		r := &running{settings: settings(*m), cancel: cancel, done: make(chan struct{})}
		live[name] = r
		ps.Logger.Info("imap: polling mailbox", "mailbox", name, "host", m.Host, "folder", m.Folder, "idle", m.UseIDLE)
		go func() {
			defer close(r.done)
			p.Run(pctx)
		}()
	}
}
