package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// clocks: the SLA compliance per clock — met (stopped in the period without passing its
// target) and breached (target passed in the period, before now) — and the mean and p90 of the
// business time of the take-charge and resolve clocks stopped in the period. Breached is one
// pass over the index of breached clocks; the stopped clocks are read per clock through two
// narrow indexes, one of the met clocks (counted) and one of all (counted and summed), which
// costs less on both engines than one pass reading every column (migration 0023).
func (q indicatorQuery) clocks(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.rowWhere("c")
	breached := `SELECT `
	var bargs []any
	counts := make([]int, len(sla.ClockKinds))
	ptrs := make([]*int, len(sla.ClockKinds))
	for i, k := range sla.ClockKinds {
		if i > 0 {
			breached += `, `
		}
		breached += q.countIf(`c.clock = ?`)
		bargs = append(bargs, string(k))
		ptrs[i] = &counts[i]
	}
	bargs = append(append(bargs, args...), q.from, min(q.to, q.now))
	err := q.ints(ctx, breached+` FROM `+q.via("sla_clocks", "c", "sla_clocks_ind_breached")+`
		WHERE `+w+` AND c.deadline IS NOT NULL AND c.target_s > 0 AND c.deadline >= ? AND c.deadline < ?`, bargs, ptrs...)
	if err != nil {
		return err
	}
	stopped, err := q.stoppedClocks(ctx)
	if err != nil {
		return err
	}
	out.SLA = make([]opsdesk.SLACompliance, len(sla.ClockKinds))
	for i, k := range sla.ClockKinds {
		out.SLA[i] = opsdesk.SLACompliance{Clock: string(k), Met: stopped[string(k)].met, Breached: counts[i]}
	}
	for _, c := range []struct {
		clock string
		dst   *opsdesk.DurationStats
	}{{"take_charge", &out.TakeCharge}, {"resolve", &out.Resolve}} {
		st := stopped[c.clock]
		if *c.dst, err = q.duration(ctx, c.clock, st.n, st.sum); err != nil {
			return err
		}
	}
	return nil
}

// stoppedStats are one clock's clocks stopped in the period: how many and the sum of their
// business times (take charge and resolve only), how many met their target.
type stoppedStats struct {
	n, met int
	sum    int64
}

// stoppedClocks counts the clocks stopped in the period, per clock.
func (q indicatorQuery) stoppedClocks(ctx context.Context) (map[string]stoppedStats, error) {
	w, args := q.rowWhere("c")
	out := map[string]stoppedStats{}
	for _, k := range sla.ClockKinds {
		var st stoppedStats
		if q.tx.db.dialect == Postgres && (k == sla.TakeCharge || k == sla.Resolve) {
			// One pass: PostgreSQL's index of stopped clocks also holds target and deadline
			// (migration 0028); a pass costs more there than the conditions it checks.
			err := q.tx.queryRow(ctx, `SELECT COUNT(*), CAST(COALESCE(SUM(c.elapsed_ms), 0) AS BIGINT),
					`+q.countIf(`c.target_s > 0 AND c.deadline IS NULL`)+`
				FROM `+q.via("sla_clocks", "c", "sla_clocks_ind_stopped")+` WHERE `+w+` AND c.clock = ? AND c.stopped = TRUE
				AND c.stopped_at >= ? AND c.stopped_at < ?`, append(append([]any{}, args...), string(k), q.from, q.to)...).Scan(&st.n, &st.sum, &st.met)
			if err != nil {
				return nil, err
			}
			out[string(k)] = st
			continue
		}
		err := q.ints(ctx, `SELECT COUNT(*) FROM `+q.via("sla_clocks", "c", "sla_clocks_ind_met")+`
			WHERE `+w+` AND c.clock = ? AND c.stopped = TRUE AND c.target_s > 0 AND c.deadline IS NULL
				AND c.stopped_at >= ? AND c.stopped_at < ?`, append(append([]any{}, args...), string(k), q.from, q.to), &st.met)
		if err != nil {
			return nil, err
		}
		if k == sla.TakeCharge || k == sla.Resolve {
			err := q.tx.queryRow(ctx, `SELECT COUNT(*), CAST(COALESCE(SUM(c.elapsed_ms), 0) AS BIGINT)
				FROM `+q.via("sla_clocks", "c", "sla_clocks_ind_stopped")+` WHERE `+w+` AND c.clock = ? AND c.stopped = TRUE
				AND c.stopped_at >= ? AND c.stopped_at < ?`, append(append([]any{}, args...), string(k), q.from, q.to)...).Scan(&st.n, &st.sum)
			if err != nil {
				return nil, err
			}
		}
		out[string(k)] = st
	}
	return out, nil
}

// fewDurations is the count up to which the p90 is found by reading every value, rather than
// by walking the index of the clock's business times from the largest.
var fewDurations = 20_000

// duration gives the count, the mean (rounded down to the millisecond) and the p90 by the
// nearest-rank method — the ⌈0.9 n⌉-th smallest value — of one clock's business times over the
// n clocks stopped in the period, whose sum is sum. The p90 is the (n − ⌈0.9 n⌉ + 1)-th largest
// value, read from the index ordered by business time (only its top tenth is walked), or, when
// the values are few, from all of them read and ranked here.
func (q indicatorQuery) duration(ctx context.Context, clock string, n int, sum int64) (opsdesk.DurationStats, error) {
	if n == 0 {
		return opsdesk.DurationStats{}, nil
	}
	w, args := q.rowWhere("c")
	args = append(args, clock, q.from, q.to)
	rank := (90*n + 99) / 100 // ceil(0.9 n), 1-based
	s := opsdesk.DurationStats{Count: n, Mean: time.Duration(sum/int64(n)) * time.Millisecond}
	if n <= fewDurations {
		vals, err := q.elapsedValues(ctx, `SELECT c.elapsed_ms FROM `+q.via("sla_clocks", "c", "sla_clocks_ind_stopped")+`
			WHERE `+w+` AND c.clock = ? AND c.stopped = TRUE AND c.stopped_at >= ? AND c.stopped_at < ?`, args)
		if err != nil {
			return s, err
		}
		if len(vals) != n { // never in one snapshot: reported rather than a wrong p90
			return s, fmt.Errorf("%s: %d clocks counted, %d read", clock, n, len(vals))
		}
		slices.Sort(vals)
		s.P90 = time.Duration(vals[rank-1]) * time.Millisecond
		return s, nil
	}
	// Without statistics SQLite would rather sort every clock of the period: the index ordered
	// by business time is named (with a ticket filter, each clock walked looks its ticket up).
	var p90 int64
	err := q.tx.queryRow(ctx, `SELECT c.elapsed_ms FROM `+q.via("sla_clocks", "c", "sla_clocks_ind_elapsed")+` WHERE `+w+` AND c.clock = ? AND c.stopped = TRUE
		AND c.stopped_at >= ? AND c.stopped_at < ? ORDER BY c.elapsed_ms DESC LIMIT 1 OFFSET ?`,
		append(args, n-rank)...).Scan(&p90)
	s.P90 = time.Duration(p90) * time.Millisecond
	return s, err
}

// elapsedValues reads one integer column.
func (q indicatorQuery) elapsedValues(ctx context.Context, sqlText string, args []any) ([]int64, error) {
	rs, err := q.tx.query(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var vals []int64
	for rs.Next() {
		var v int64
		if err := rs.Scan(&v); err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	return vals, rs.Err()
}
