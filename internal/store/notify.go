package store

import "sync"

// TicketChange tells listeners that a ticket changed, so open pages and queues refresh.
type TicketChange struct {
	Key        string
	CustomerID int64
	Kind       string // created, updated, message
}

// broker fans ticket changes out to the subscribers of this process.
type broker struct {
	mu   sync.Mutex
	subs map[chan TicketChange]struct{}
}

// Subscribe returns a channel of ticket changes committed through this DB, and a function that
// ends the subscription. A slow subscriber misses changes rather than slowing writers down.
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

// notify tells subscribers about a committed change.
func (d *DB) notify(c TicketChange) {
	d.changes.mu.Lock()
	defer d.changes.mu.Unlock()
	for ch := range d.changes.subs {
		select {
		case ch <- c:
		default:
		}
	}
}
