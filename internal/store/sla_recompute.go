package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// RecomputeClocks recomputes and stores the clocks of every open ticket (new, open, waiting),
// batch tickets per transaction, and returns how many it went through: after a calendar or
// target edit (SLARecomputeJob), at start, after an import. Tickets and their status history
// are read in bulk — two queries per part of a batch — and a ticket whose clocks come out as
// stored (same digest) costs no further read nor any write.
func (d *DB) RecomputeClocks(ctx context.Context, opt SLAOptions, batch int) (int, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return 0, err
	}
	if batch <= 0 {
		batch = 2000
	}
	w, err := d.recomputeWriter(ctx)
	if err != nil {
		return 0, opsdesk.Internal("store.RecomputeClocks", err)
	}
	defer w.close()
	var after int64
	total := 0
	memo := map[string]any{} // terms, calendars and environments, read once for the whole run
	for {
		n := 0
		err := w.inTx(ctx, "store.RecomputeClocks", func(tx *Tx) error {
			tx.memo = memo
			if err := tx.byKeys(ctx); err != nil {
				return err
			}
			plans, err := tx.planBatch(ctx, &after, batch, opt)
			if err != nil {
				return err
			}
			n = len(plans)
			if recomputeRead != nil {
				recomputeRead()
			}
			if plans, err = tx.lockChanged(ctx, plans, opt); err != nil {
				return err
			}
			if plans, err = tx.settleAll(ctx, plans, false); err != nil {
				return err
			}
			return tx.savePlans(ctx, plans)
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}

// recomputeRead, when a test sets it, runs in each transaction of a recompute once its batch is
// read and planned, before anything is locked or written.
var recomputeRead func()

// planBatch reads up to batch open tickets after *after, in parts whose arithmetic runs while
// the next part is read, and returns their plans; *after moves to the last one read.
func (tx *Tx) planBatch(ctx context.Context, after *int64, batch int, opt SLAOptions) ([]*slaPlan, error) {
	const part = 500
	pl := newPlanner(tx.now, opt)
	defer pl.wait()
	var plans []*slaPlan
	for len(plans) < batch {
		size := min(part, batch-len(plans))
		ts, err := tx.loadSLATickets(ctx, `SELECT id FROM tickets WHERE active = TRUE AND id > ? ORDER BY id LIMIT ?`,
			[]any{*after, size}, false, false)
		if err != nil || len(ts) == 0 {
			return plans, err
		}
		*after = ts[len(ts)-1].id
		ps, err := tx.plan(ctx, pl, ts, opt)
		if err != nil {
			return nil, err
		}
		plans = append(plans, ps...)
		if len(ts) < size {
			break
		}
	}
	return plans, nil
}

// byKeys has PostgreSQL reach rows by their keys for the rest of the transaction. Every
// statement of a recompute does; the planner must not be led to scan a table whole by
// statistics that lag behind it — such as sla_clocks' on the first recompute, growing from
// empty to three rows a ticket, when each batch would scan it whole. (Without JIT either,
// which the cost of a scan thus discouraged would bring in, for a few milliseconds of work.)
func (tx *Tx) byKeys(ctx context.Context) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	for _, q := range []string{`SET LOCAL enable_seqscan = off`, `SET LOCAL jit = off`} {
		if _, err := tx.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// lockChanged returns the plans of a batch read without locks (planBatch), on PostgreSQL
// ready to be settled and saved: the rows of the tickets whose clocks changed are locked until
// the transaction ends, and those changed since they were read are read and planned again. So
// a recompute never writes clocks from a stale read, nor locks the rows of the tickets it
// leaves alone — most of them, most of the time: locking a row writes it. (On SQLite the
// transaction holds the database's write lock from its start.)
func (tx *Tx) lockChanged(ctx context.Context, plans []*slaPlan, opt SLAOptions) ([]*slaPlan, error) {
	if tx.db.dialect != Postgres {
		return plans, nil
	}
	read := map[int64]*slaPlan{}
	var ids []int64
	for _, p := range plans {
		if p.changed() {
			read[p.t.id] = p
			ids = append(ids, p.t.id)
		}
	}
	if len(ids) == 0 {
		return plans, nil
	}
	rows, err := tx.query(ctx, `SELECT id, xmin::text::bigint FROM tickets WHERE id = ANY(?) ORDER BY id FOR UPDATE`, ids)
	if err != nil {
		return nil, err
	}
	var stale []int64
	locked := map[int64]bool{}
	for rows.Next() {
		var id, xmin int64
		if err := rows.Scan(&id, &xmin); err != nil {
			rows.Close()
			return nil, err
		}
		locked[id] = true
		if read[id].t.xmin != xmin {
			stale = append(stale, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	again := map[int64]*slaPlan{}
	if len(stale) > 0 {
		ts, err := tx.loadSLATickets(ctx, `SELECT id FROM tickets WHERE id = ANY(?)`, []any{stale}, true, false)
		if err != nil {
			return nil, err
		}
		ps, err := tx.plan(ctx, nil, ts, opt)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			again[p.t.id] = p
		}
	}
	out := plans[:0:0]
	for _, p := range plans {
		if !p.changed() {
			out = append(out, p)
			continue
		}
		if !locked[p.t.id] {
			continue // deleted since
		}
		if q := again[p.t.id]; q != nil {
			p = q
		}
		out = append(out, p)
	}
	return out, nil
}

// recomputeWriter runs the transactions of a recompute. On PostgreSQL they are ordinary ones
// (inTx). On SQLite they run on a connection of their own, one after the other, each outside
// group commit (see inTx), and the WAL is checkpointed less often meanwhile:
//   - group commit runs every transaction in a savepoint, for which SQLite copies each page the
//     transaction changes into a sub-journal (in memory, a kilobyte at a time) and frees it all
//     on release: for a batch that rewrites thousands of clock rows, more than half its cost;
//   - a checkpoint after every batch (SQLite's default: once the WAL holds 1,000 pages) copies
//     again the index pages every batch changes (deadlines and due instants are spread all over
//     them), and syncs the disk twice. Up to recomputeWALPages pages build up instead (64 MB),
//     and one checkpoint at the end copies them.
type recomputeWriter struct {
	d    *DB
	conn *sql.Conn // SQLite only
	auto int64     // the connection's wal_autocheckpoint before, restored at close
}

// recomputeWALPages is how many pages the WAL holds before a recompute's commit checkpoints it.
const recomputeWALPages = 16384

func (d *DB) recomputeWriter(ctx context.Context) (*recomputeWriter, error) {
	w := &recomputeWriter{d: d}
	if d.dialect != SQLite {
		return w, nil
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&w.auto); err != nil {
		conn.Close()
		return nil, fmt.Errorf("wal_autocheckpoint: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, max(w.auto, recomputeWALPages))); err != nil {
		conn.Close()
		return nil, fmt.Errorf("wal_autocheckpoint: %w", err)
	}
	w.conn = conn
	return w, nil
}

// close restores the connection's setting, checkpoints what the recompute left in the WAL
// (without waiting for readers: PASSIVE), and returns the connection to the pool — or drops
// it, if its setting could not be restored.
func (w *recomputeWriter) close() {
	if w.conn == nil {
		return
	}
	ctx := context.Background()
	if _, err := w.conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, w.auto)); err != nil {
		w.conn.Raw(func(any) error { return driver.ErrBadConn })
	} else {
		w.conn.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
	}
	w.conn.Close()
}

// inTx runs fn in a transaction of the recompute (see recomputeWriter). On SQLite it takes the
// writer's turn like group commit does; fn must not call inTx or d.exec either.
func (w *recomputeWriter) inTx(ctx context.Context, op string, fn func(tx *Tx) error) error {
	d := w.d
	if w.conn == nil {
		return d.inTx(ctx, op, fn)
	}
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	sqlTx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return opsdesk.Internal(op, fmt.Errorf("begin: %w", err))
	}
	defer sqlTx.Rollback()
	if err := fn(&Tx{tx: sqlTx, db: d, now: d.Now().UTC()}); err != nil {
		return wrapErr(op, err)
	}
	if err := sqlTx.Commit(); err != nil {
		return opsdesk.Internal(op, fmt.Errorf("commit: %w", err))
	}
	return nil
}
