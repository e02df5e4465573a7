package store

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// TicketChange tells listeners that a ticket changed, so open pages and queues refresh.
type TicketChange struct {
	Key  string `json:"key"`
	Kind string `json:"kind"` // created, updated, message
}

// notifyChannel is the PostgreSQL channel that carries ticket changes between instances.
const notifyChannel = "opsdesk_tickets"

// broker fans ticket changes out to the subscribers of this process.
type broker struct {
	mu   sync.Mutex
	subs map[chan TicketChange]struct{}
}

// Subscribe returns a channel of ticket changes and a function that ends the subscription. On
// SQLite the changes are those committed by this process; on PostgreSQL, once Listen runs, those
// of every instance sharing the database. A slow subscriber misses changes rather than slowing
// writers down.
func (d *DB) Subscribe() (<-chan TicketChange, func()) {
	ch := make(chan TicketChange, 64)
	d.changes.mu.Lock()
	if d.changes.subs == nil {
		d.changes.subs = map[chan TicketChange]struct{}{}
	}
	d.changes.subs[ch] = struct{}{}
	d.changes.mu.Unlock()
	return ch, func() {
		d.changes.mu.Lock()
		delete(d.changes.subs, ch)
		d.changes.mu.Unlock()
	}
}

// notify announces a committed change: to this process's subscribers directly, or, when a
// PostgreSQL listener runs, through NOTIFY so that every instance (this one included) hears it.
func (d *DB) notify(c TicketChange) {
	if d.dialect == Postgres && d.listening.Load() {
		b, _ := json.Marshal(c)
		if _, err := d.db.Exec(`SELECT pg_notify($1, $2)`, notifyChannel, string(b)); err == nil {
			return
		}
	}
	d.deliver(c)
}

func (d *DB) deliver(c TicketChange) {
	d.changes.mu.Lock()
	defer d.changes.mu.Unlock()
	for ch := range d.changes.subs {
		select {
		case ch <- c:
		default:
		}
	}
}

// Listening tells whether the PostgreSQL relay of ticket changes is connected.
func (d *DB) Listening() bool { return d.listening.Load() }

// Listen relays the ticket changes of every instance sharing a PostgreSQL database to this
// process's subscribers, until ctx ends; it reconnects after a lost connection. On SQLite (one
// instance) it only waits for ctx.
func (d *DB) Listen(ctx context.Context, logger *slog.Logger) {
	if d.dialect != Postgres {
		<-ctx.Done()
		return
	}
	for ctx.Err() == nil {
		err := d.listenOnce(ctx)
		d.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		logger.Warn("ticket change listener lost its connection; retrying", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

func (d *DB) listenOnce(ctx context.Context) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
			return err
		}
		d.listening.Store(true)
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return err
			}
			var c TicketChange
			if json.Unmarshal([]byte(n.Payload), &c) == nil {
				d.deliver(c)
			}
		}
	})
}
