package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Enqueue stores a job to run at its RunAt (now if zero). With a UniqueKey, a second job with
// the same key while one is pending or running is not added (and false is returned).
func (d *DB) Enqueue(ctx context.Context, j opsdesk.NewJob) (bool, error) {
	var added bool
	err := d.inTx(ctx, "store.Enqueue", func(tx *Tx) error {
		var err error
		added, err = tx.enqueue(ctx, j)
		return err
	})
	return added, err
}

// EnqueueAll stores several jobs in one transaction: all or none. It returns how many were added
// (jobs whose unique key is already pending or running are skipped).
func (d *DB) EnqueueAll(ctx context.Context, js []opsdesk.NewJob) (int, error) {
	n := 0
	err := d.inTx(ctx, "store.EnqueueAll", func(tx *Tx) error {
		n = 0
		for _, j := range js {
			added, err := tx.enqueue(ctx, j)
			if err != nil {
				return err
			}
			if added {
				n++
			}
		}
		return nil
	})
	return n, err
}

// enqueue adds a job inside the transaction of the change that causes it, so the change and its
// follow-up work are committed together or not at all.
func (tx *Tx) enqueue(ctx context.Context, j opsdesk.NewJob) (bool, error) {
	if j.Kind == "" {
		return false, opsdesk.Invalid("kind", "a job needs a kind")
	}
	payload := []byte("{}")
	if j.Payload != nil {
		var err error
		if payload, err = json.Marshal(j.Payload); err != nil {
			return false, fmt.Errorf("enqueue %s: payload: %w", j.Kind, err)
		}
	}
	runAt := j.RunAt
	if runAt.IsZero() {
		runAt = tx.now
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = 10
	}
	res, err := tx.exec(ctx, `INSERT INTO jobs (kind, payload, state, run_at, max_attempts, unique_key, created_at, updated_at)
		VALUES (?, ?, 'pending', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, j.Kind, string(payload), runAt.UnixMilli(),
		j.MaxAttempts, nullStr(j.UniqueKey), tx.now.UnixMilli(), tx.now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", j.Kind, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const jobColumns = `id, kind, payload, state, run_at, attempts, max_attempts, last_error, locked_by, locked_until, unique_key, created_at, updated_at`

func scanJob(sc scanner) (*opsdesk.Job, error) {
	var j opsdesk.Job
	var payload string
	var runAt, created, updated int64
	var locked sql.NullInt64
	var key sql.NullString
	if err := sc.Scan(&j.ID, &j.Kind, &payload, &j.State, &runAt, &j.Attempts, &j.MaxAttempts, &j.LastError,
		&j.LockedBy, &locked, &key, &created, &updated); err != nil {
		return nil, err
	}
	j.Payload = json.RawMessage(payload)
	j.RunAt, j.LockedUntil = time.UnixMilli(runAt).UTC(), fromMS(locked)
	j.CreatedAt, j.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	j.UniqueKey = key.String
	return &j, nil
}

// ClaimJobs leases up to n due jobs to worker until now+lease and counts an attempt on each. A
// running job whose lease has run out (its worker died) is due again. On PostgreSQL the rows are
// picked FOR UPDATE SKIP LOCKED, so instances sharing the database never claim the same job; on
// SQLite the claim is one IMMEDIATE transaction, which excludes every other writer.
func (d *DB) ClaimJobs(ctx context.Context, worker string, n int, lease time.Duration, kinds ...string) ([]*opsdesk.Job, error) {
	var jobs []*opsdesk.Job
	err := d.inTx(ctx, "store.ClaimJobs", func(tx *Tx) error {
		now := tx.now.UnixMilli()
		pick := `SELECT id FROM jobs WHERE ((state = 'pending' AND run_at <= ?) OR (state = 'running' AND locked_until < ?))`
		args := []any{worker, now + lease.Milliseconds(), now, now, now}
		if len(kinds) > 0 {
			pick += ` AND kind IN (?` + repeat(",?", len(kinds)-1) + `)`
			for _, k := range kinds {
				args = append(args, k)
			}
		}
		pick += ` ORDER BY run_at, id LIMIT ?`
		args = append(args, n)
		if d.dialect == Postgres {
			pick += ` FOR UPDATE SKIP LOCKED`
		}
		var err error
		jobs, err = collect(scanJob)(tx.query(ctx, `UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?,
			attempts = attempts + 1, updated_at = ? WHERE id IN (`+pick+`) RETURNING `+jobColumns, args...))
		return err
	})
	return jobs, err
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

// ErrLeaseLost is returned when a worker reports on a job it no longer holds.
var ErrLeaseLost = errors.New("job lease lost to another worker")

// ExtendLease keeps a long job leased to its worker.
func (d *DB) ExtendLease(ctx context.Context, id int64, worker string, lease time.Duration) error {
	now := d.Now()
	_, err := d.finishJob(ctx, "store.ExtendLease", nil, `UPDATE jobs SET locked_until = ?, updated_at = ? WHERE id = ? AND locked_by = ? AND state = 'running' RETURNING state`,
		now.Add(lease).UnixMilli(), now.UnixMilli(), id, worker)
	return err
}

// CompleteJob marks a job done and, in the same transaction, enqueues the jobs then: its
// follow-up work and a recurring job's next occurrence, so that there is never a moment with the
// work done but its follow-ups not yet recorded. It fails with ErrLeaseLost if the worker no
// longer holds the job.
func (d *DB) CompleteJob(ctx context.Context, id int64, worker string, then ...opsdesk.NewJob) error {
	_, err := d.finishJob(ctx, "store.CompleteJob", then, `UPDATE jobs SET state = 'done', locked_by = '', locked_until = NULL, last_error = '', updated_at = ?
		WHERE id = ? AND locked_by = ? AND state = 'running' RETURNING state`, d.Now().UnixMilli(), id, worker)
	return err
}

// FailJob records a failed attempt: the job runs again at retryAt, or stays failed (kept for
// admins) when its attempts are used up or retryAt is zero. When it stays failed, the jobs then
// are enqueued in the same transaction. It returns the job's new state.
func (d *DB) FailJob(ctx context.Context, id int64, worker string, cause error, retryAt time.Time, then ...opsdesk.NewJob) (opsdesk.JobState, error) {
	msg := truncate(cause.Error(), 2000)
	now := d.Now().UnixMilli()
	if retryAt.IsZero() {
		return d.finishJob(ctx, "store.FailJob", then, `UPDATE jobs SET state = 'failed', locked_by = '', locked_until = NULL, last_error = ?, updated_at = ?
			WHERE id = ? AND locked_by = ? AND state = 'running' RETURNING state`, msg, now, id, worker)
	}
	return d.finishJob(ctx, "store.FailJob", then, `UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
		run_at = ?, locked_by = '', locked_until = NULL, last_error = ?, updated_at = ?
		WHERE id = ? AND locked_by = ? AND state = 'running' RETURNING state`, retryAt.UnixMilli(), msg, now, id, worker)
}

// finishJob runs one state change of a held job and, when the job is done or failed, enqueues
// then in the same transaction.
func (d *DB) finishJob(ctx context.Context, op string, then []opsdesk.NewJob, q string, args ...any) (opsdesk.JobState, error) {
	var state opsdesk.JobState
	err := d.inTx(ctx, op, func(tx *Tx) error {
		err := tx.queryRow(ctx, q, args...).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrLeaseLost
		}
		if err != nil {
			return err
		}
		if state == opsdesk.JobDone || state == opsdesk.JobFailed {
			for _, j := range then {
				if _, err := tx.enqueue(ctx, j); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if errors.Is(err, ErrLeaseLost) {
		return "", ErrLeaseLost
	}
	return state, err
}

// ListJobs lists jobs in a state (all states if ""), newest first; admins see failed work here.
func (d *DB) ListJobs(ctx context.Context, state opsdesk.JobState, limit int) ([]*opsdesk.Job, error) {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return nil, opsdesk.Forbidden("only admins and ops managers see background jobs")
	}
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	q, args := `SELECT `+jobColumns+` FROM jobs`, []any{}
	if state != "" {
		q += ` WHERE state = ?`
		args = append(args, state)
	}
	out, err := collect(scanJob)(d.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, limit)...))
	return out, wrapErr("store.ListJobs", err)
}

// JobCounts returns how many jobs are in each state.
func (d *DB) JobCounts(ctx context.Context) (map[opsdesk.JobState]int, error) {
	rows, err := d.query(ctx, `SELECT state, COUNT(*) FROM jobs GROUP BY state`)
	if err != nil {
		return nil, wrapErr("store.JobCounts", err)
	}
	defer rows.Close()
	out := map[opsdesk.JobState]int{}
	for rows.Next() {
		var s opsdesk.JobState
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, wrapErr("store.JobCounts", err)
		}
		out[s] = n
	}
	return out, wrapErr("store.JobCounts", rows.Err())
}

// RetryJob puts a failed job back in the queue with fresh attempts. Admins and ops managers
// only. Errors: forbidden, not found (no failed job with that id).
func (d *DB) RetryJob(ctx context.Context, id int64) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers retry jobs")
	}
	now := d.Now().UnixMilli()
	res, err := d.exec(ctx, `UPDATE jobs SET state = 'pending', attempts = 0, run_at = ?, updated_at = ? WHERE id = ? AND state = 'failed'`, now, now, id)
	if err != nil {
		return opsdesk.Internal("store.RetryJob", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return opsdesk.NotFound("no failed job %d", id)
	}
	return nil
}

// PruneJobs deletes done jobs finished before the given instant.
func (d *DB) PruneJobs(ctx context.Context, before time.Time) (int64, error) {
	res, err := d.exec(ctx, `DELETE FROM jobs WHERE state = 'done' AND updated_at < ?`, before.UnixMilli())
	if err != nil {
		return 0, opsdesk.Internal("store.PruneJobs", err)
	}
	return res.RowsAffected()
}
