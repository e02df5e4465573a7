package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// groupCommit runs the SQLite write transactions of this process together: the service methods
// that arrive while a commit is in progress are run, each inside a savepoint of its own, in the
// next shared transaction, and all are answered after that one commit. A method that fails rolls
// back to its savepoint and leaves the others alone; a failed commit fails them all. The caller
// still returns only after its work is durably committed — but a burst of N requests costs one
// commit (one WAL write, and with synchronous=FULL one fsync) instead of N.
//
// Service methods' transaction functions must not call inTx or d.exec themselves (they would wait
// for the batch they are part of); they compose helpers that take the *Tx.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*pendingTx
	running bool
}

type pendingTx struct {
	ctx  context.Context
	op   string
	fn   func(tx *Tx) error
	done chan error
}

// maxGroup bounds a batch so that one commit never waits on too much work.
const maxGroup = 64

// do queues fn and waits for its outcome. The first caller to find no batch running leads: it
// runs batches until the queue is empty, then steps down.
func (g *groupCommit) do(ctx context.Context, d *DB, op string, fn func(tx *Tx) error) error {
	p := &pendingTx{ctx: ctx, op: op, fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, p)
	lead := !g.running
	g.running = true
	g.mu.Unlock()
	if lead {
		for {
			g.mu.Lock()
			batch := g.queue[:min(len(g.queue), maxGroup)]
			g.queue = g.queue[len(batch):]
			if len(batch) == 0 {
				g.running = false
				g.mu.Unlock()
				break
			}
			g.mu.Unlock()
			d.runGroup(batch)
		}
	}
	return <-p.done
}

// runGroup runs a batch in one IMMEDIATE transaction, each function in its own savepoint.
func (d *DB) runGroup(batch []*pendingTx) {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	fail := func(err error) {
		for _, p := range batch {
			p.done <- opsdesk.Internal(p.op, err)
		}
	}
	sqlTx, err := d.db.BeginTx(context.Background(), nil)
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	results := make([]error, len(batch))
	for i, p := range batch {
		results[i] = d.runSavepoint(sqlTx, p)
	}
	if err := sqlTx.Commit(); err != nil {
		sqlTx.Rollback()
		fail(fmt.Errorf("commit: %w", err))
		return
	}
	for i, p := range batch {
		p.done <- results[i]
	}
}

// runSavepoint runs one function of a batch; on error or panic its changes are rolled back.
func (d *DB) runSavepoint(sqlTx *sql.Tx, p *pendingTx) (err error) {
	if err := p.ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", p.op, err)
	}
	if _, err := sqlTx.Exec(`SAVEPOINT op`); err != nil {
		return opsdesk.Internal(p.op, fmt.Errorf("savepoint: %w", err))
	}
	defer func() {
		if r := recover(); r != nil {
			err = opsdesk.Internal(p.op, fmt.Errorf("panic: %v", r))
		}
		if err != nil {
			if _, rerr := sqlTx.Exec(`ROLLBACK TO op`); rerr != nil {
				err = opsdesk.Internal(p.op, fmt.Errorf("rollback to savepoint: %w (after %v)", rerr, err))
			}
		}
		sqlTx.Exec(`RELEASE op`)
	}()
	tx := &Tx{tx: sqlTx, db: d, now: d.Now().UTC()}
	if err := p.fn(tx); err != nil {
		return wrapErr(p.op, err)
	}
	return nil
}
