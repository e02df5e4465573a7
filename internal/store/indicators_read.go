package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// indicatorStep is one part of the dashboard's figures; each fills its own fields of the result.
type indicatorStep struct {
	name string
	run  func(indicatorQuery, context.Context, *opsdesk.Indicators) error
}

// indicatorSteps lists every part of Indicators in two lanes of about equal cost at a million
// tickets on each engine (docs/benchmarks.md): the tickets and their history, and the clocks
// and probes; the reopenings and the surveys go where they balance the lanes. Each step fills
// its own fields; knowledge reads the count of tickets resolved, so it follows resolved.
func indicatorSteps(d Dialect) [2][]indicatorStep {
	a := []indicatorStep{{"created", indicatorQuery.created}, {"resolved", indicatorQuery.resolved},
		{"backlog", indicatorQuery.backlog}, {"knowledge", indicatorQuery.knowledge}, {"projects", indicatorQuery.projects}}
	b := []indicatorStep{{"clocks", indicatorQuery.clocks}, {"availability", indicatorQuery.availability}}
	if d == Postgres {
		a = append(a, indicatorStep{"reopens", indicatorQuery.reopens})
		b = append(b, indicatorStep{"surveys", indicatorQuery.surveys})
	} else {
		b = append(b, indicatorStep{"reopens", indicatorQuery.reopens}, indicatorStep{"surveys", indicatorQuery.surveys})
	}
	return [2][]indicatorStep{a, b}
}

// indicatorLanes runs the two lanes of indicatorSteps at once, each in its own read-only
// transaction on its own connection (a database reads with one core per connection):
//   - PostgreSQL: both transactions are REPEATABLE READ and share one snapshot (the second
//     imports the first's, pg_export_snapshot): every figure sees the same committed state;
//   - SQLite: each is a deferred transaction that never takes the write lock; each sees the
//     database as of its first read (WAL snapshot), and both make that read before any figure
//     is computed. A write committed in the microseconds between those two reads is seen by
//     one lane and not the other — the figures of each lane are consistent among themselves,
//     and the two lanes differ at most by the changes of that instant.
//
// Every lane uses the same instant now.
func (d *DB) indicatorLanes(ctx context.Context, f opsdesk.IndicatorFilter, out *opsdesk.Indicators) error {
	now := d.Now().UTC()
	opts := &sql.TxOptions{ReadOnly: true}
	if d.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	var txs [2]*sql.Tx
	for i := range txs {
		tx, err := d.db.BeginTx(ctx, opts)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback()
		txs[i] = tx
	}
	if d.dialect == Postgres {
		var snap string
		if err := txs[0].QueryRowContext(ctx, `SELECT pg_export_snapshot()`).Scan(&snap); err != nil {
			return fmt.Errorf("export snapshot: %w", err)
		}
		if _, err := txs[1].ExecContext(ctx, `SET TRANSACTION SNAPSHOT '`+snap+`'`); err != nil {
			return fmt.Errorf("import snapshot: %w", err)
		}
		for _, tx := range txs {
			if err := pgIndicatorSettings(ctx, tx); err != nil {
				return err
			}
		}
	} else {
		for _, tx := range txs { // start both snapshots now
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'tickets'`).Scan(&n); err != nil {
				return fmt.Errorf("start snapshot: %w", err)
			}
		}
	}
	var wg sync.WaitGroup
	var errs [2]error
	for i, lane := range indicatorSteps(d.dialect) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := indicatorQuery{tx: &Tx{tx: txs[i], db: d, now: now}, f: f, from: f.From.UnixMilli(), to: f.To.UnixMilli(),
				now: now.UnixMilli()}
			for _, st := range lane {
				if err := st.run(q, ctx, out); err != nil {
					errs[i] = fmt.Errorf("%s: %w", st.name, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return txs[0].Commit()
}

// pgIndicatorSettings sets, for one PostgreSQL transaction of Indicators: each period planned for
// itself (a generic plan made for a month would read all time by the same path); no JIT
// compilation (it costs more than it saves on these aggregates); work memory for a hash of a
// year of resolutions; no parallel workers (the two lanes already keep both cores of the
// measured machine busy; workers on top cost a quarter more); index pages taken for cached, as
// the indexes read here are (the index-only scans then win over reading the wide tickets).
func pgIndicatorSettings(ctx context.Context, tx *sql.Tx) error {
	for _, set := range []string{`SET LOCAL plan_cache_mode = force_custom_plan`, `SET LOCAL jit = off`,
		`SET LOCAL work_mem = '32MB'`,
		`SET LOCAL max_parallel_workers_per_gather = 0`, `SET LOCAL random_page_cost = 1.1`} {
		if _, err := tx.ExecContext(ctx, set); err != nil {
			return fmt.Errorf("%s: %w", set, err)
		}
	}
	return nil
}
