package store

import (
	"context"
	"database/sql"
	"fmt"

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

// indicatorLanes runs the two lanes of indicatorSteps at once through readLanes (its comment says
// what each lane sees on each engine), every step at the same instant now.
func (d *DB) indicatorLanes(ctx context.Context, f opsdesk.IndicatorFilter, out *opsdesk.Indicators) error {
	now := d.Now().UTC()
	var lanes []func(*Tx) error
	for _, lane := range indicatorSteps(d.dialect) {
		lanes = append(lanes, func(tx *Tx) error {
			q := indicatorQuery{tx: tx, f: f, from: f.From.UnixMilli(), to: f.To.UnixMilli(), now: now.UnixMilli()}
			for _, st := range lane {
				if err := st.run(q, ctx, out); err != nil {
					return fmt.Errorf("%s: %w", st.name, err)
				}
			}
			return nil
		})
	}
	return d.readLanes(ctx, now, lanes...)
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
