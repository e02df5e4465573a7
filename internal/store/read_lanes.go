package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// readLanes runs the lanes at once, each in its own read-only transaction on its own
// connection (a database reads with one core per connection), every one at the instant now:
//   - PostgreSQL: the transactions are REPEATABLE READ and share one snapshot (the others import
//     the first's, pg_export_snapshot), so every lane sees the same committed state; each has
//     the settings of pgIndicatorSettings;
//   - SQLite: each is a deferred transaction that never takes the write lock (a read never waits
//     for the writers); each sees the database as of its first read (WAL snapshot), and all
//     make that read before any lane starts. A write committed in the microseconds between
//     those reads is seen by one lane and not another: each lane is consistent in itself, and
//     the lanes differ at most by the changes of that instant.
//
// The errors of the lanes are joined.
func (d *DB) readLanes(ctx context.Context, now time.Time, lanes ...func(*Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if d.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	txs := make([]*sql.Tx, len(lanes))
	for i := range txs {
		tx, err := d.db.BeginTx(ctx, opts)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback()
		txs[i] = tx
	}
	if err := d.startSnapshots(ctx, txs); err != nil {
		return err
	}
	errs := make([]error, len(lanes))
	var wg sync.WaitGroup
	for i, lane := range lanes {
		wg.Go(func() { errs[i] = lane(&Tx{tx: txs[i], db: d, now: now}) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return txs[0].Commit()
}

// startSnapshots fixes what each transaction of readLanes sees before any lane reads: one shared
// snapshot on PostgreSQL, each transaction's own first read on SQLite.
func (d *DB) startSnapshots(ctx context.Context, txs []*sql.Tx) error {
	if d.dialect != Postgres {
		for _, tx := range txs {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'tickets'`).Scan(&n); err != nil {
				return fmt.Errorf("start snapshot: %w", err)
			}
		}
		return nil
	}
	var snap string
	if err := txs[0].QueryRowContext(ctx, `SELECT pg_export_snapshot()`).Scan(&snap); err != nil {
		return fmt.Errorf("export snapshot: %w", err)
	}
	for _, tx := range txs[1:] {
		if _, err := tx.ExecContext(ctx, `SET TRANSACTION SNAPSHOT '`+snap+`'`); err != nil {
			return fmt.Errorf("import snapshot: %w", err)
		}
	}
	for _, tx := range txs {
		if err := pgIndicatorSettings(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}
