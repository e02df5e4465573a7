// Package jobs runs opsdesk's durable background work: a bounded pool of workers claims jobs from
// the database with a lease, runs the handler registered for their kind, and records the outcome
// — done, retried with exponential back-off, or failed and kept for admins. Several opsdesk
// instances may run a Runner on one PostgreSQL database; the store's claim guarantees a job is
// held by one worker at a time.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"sync"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Handler does the work of one job. A returned error is retried with back-off unless it is
// Permanent. The context is cancelled when the lease is lost or opsdesk stops.
type Handler func(ctx context.Context, j *opsdesk.Job) error

// Options tune a Runner; zero values take the defaults.
type Options struct {
	Workers  int           // concurrent jobs (default 4)
	Lease    time.Duration // how long a claim holds before another worker may take the job (default 5m)
	Poll     time.Duration // how often to look for due jobs when idle (default 1s)
	Backoff  func(attempt int) time.Duration
	WorkerID string // default: host-pid-random
	Logger   *slog.Logger
	// OnRun, if set, is told the outcome of every run: "done", "retry" or "failed".
	OnRun func(kind, outcome string, d time.Duration)
}

// Runner claims and runs jobs.
type Runner struct {
	db       *store.DB
	opt      Options
	mu       sync.Mutex
	handlers map[string]Handler
	every    map[string]time.Duration
	wake     chan struct{}
}

// New returns a Runner over db.
func New(db *store.DB, opt Options) *Runner {
	if opt.Workers <= 0 {
		opt.Workers = 4
	}
	if opt.Lease <= 0 {
		opt.Lease = 5 * time.Minute
	}
	if opt.Poll <= 0 {
		opt.Poll = time.Second
	}
	if opt.Backoff == nil {
		opt.Backoff = DefaultBackoff
	}
	if opt.WorkerID == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		rand.Read(b)
		opt.WorkerID = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Runner{db: db, opt: opt, handlers: map[string]Handler{}, every: map[string]time.Duration{}, wake: make(chan struct{}, 1)}
}

// DefaultBackoff waits 10 s after the first failure, doubling up to six hours.
func DefaultBackoff(attempt int) time.Duration {
	d := 10 * time.Second * time.Duration(math.Pow(2, float64(max(attempt-1, 0))))
	return min(d, 6*time.Hour)
}

// Handle registers the handler for a kind of job. Call it before Run.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[kind] = h
}

// Every registers a recurring job: h runs about every interval, once across all instances. The
// next occurrence is enqueued when one finishes; Run enqueues the first if none is pending.
func (r *Runner) Every(kind string, interval time.Duration, h Handler) {
	r.Handle(kind, h)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.every[kind] = interval
}

// Notify wakes the runner at once, after a job was enqueued in this process.
func (r *Runner) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// followUps collects the jobs a handler asks for with Then.
type followUps struct {
	mu   sync.Mutex
	jobs []opsdesk.NewJob
}

type followUpsKey struct{}

// Then asks for jobs to be enqueued when the calling handler succeeds, in the same transaction
// that marks its job done: a handler that fans work out never leaves it half recorded, and a
// retried handler does not fan out twice. Outside a handler it does nothing.
func Then(ctx context.Context, js ...opsdesk.NewJob) {
	if fu, ok := ctx.Value(followUpsKey{}).(*followUps); ok {
		fu.mu.Lock()
		fu.jobs = append(fu.jobs, js...)
		fu.mu.Unlock()
	}
}

// permanent marks an error that must not be retried.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent wraps err so that the job fails at once, without retries.
func Permanent(err error) error { return permanent{err} }

// Run claims and runs jobs until ctx is cancelled, then waits for the jobs in flight to finish
// (their context is cancelled too) and returns.
func (r *Runner) Run(ctx context.Context) error {
	r.mu.Lock()
	kinds := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		kinds = append(kinds, k)
	}
	every := r.every
	r.mu.Unlock()
	if len(kinds) == 0 {
		<-ctx.Done()
		return nil
	}
	for kind := range every {
		r.scheduleFirst(ctx, kind)
	}
	slots := make(chan struct{}, r.opt.Workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-r.wake:
		}
		free := r.opt.Workers - len(slots)
		claimed := 0
		if free > 0 {
			jobs, err := r.db.ClaimJobs(ctx, r.opt.WorkerID, free, r.opt.Lease, kinds...)
			if err != nil && ctx.Err() == nil {
				r.opt.Logger.Error("claim jobs", "err", err)
			}
			claimed = len(jobs)
			for _, j := range jobs {
				slots <- struct{}{}
				wg.Add(1)
				go func() {
					defer func() { <-slots; wg.Done(); r.Notify() }()
					r.run(ctx, j)
				}()
			}
		}
		wait := r.opt.Poll
		if claimed == free && free > 0 {
			wait = 0 // there may be more due: look again at once
		}
		timer.Reset(wait)
	}
}

// run executes one job and records its outcome. A panicking handler fails its attempt instead
// of taking opsdesk down.
func (r *Runner) run(ctx context.Context, j *opsdesk.Job) {
	r.mu.Lock()
	h := r.handlers[j.Kind]
	interval, recurring := r.every[j.Kind]
	r.mu.Unlock()
	fu := &followUps{}
	jctx, cancel := context.WithCancel(context.WithValue(ctx, followUpsKey{}, fu))
	defer cancel()
	stopBeat := r.heartbeat(jctx, cancel, j.ID)
	start := time.Now()
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return h(jctx, j)
	}()
	stopBeat()
	// Record the outcome even while shutting down: the work is done or it is not. A recurring
	// job's next occurrence is enqueued in the transaction that ends this one.
	bg := context.WithoutCancel(ctx)
	var next []opsdesk.NewJob
	if recurring {
		next = append(next, opsdesk.NewJob{Kind: j.Kind, RunAt: r.db.Now().Add(interval), UniqueKey: "every:" + j.Kind, MaxAttempts: 3})
	}
	outcome := "done"
	switch {
	case err == nil:
		err = r.db.CompleteJob(bg, j.ID, r.opt.WorkerID, append(next, fu.jobs...)...)
	case errors.As(err, new(permanent)), j.Attempts >= j.MaxAttempts:
		outcome = "failed"
		r.opt.Logger.Error("job failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", err)
		_, err = r.db.FailJob(bg, j.ID, r.opt.WorkerID, err, time.Time{}, next...)
	default:
		outcome = "retry"
		r.opt.Logger.Warn("job will be retried", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", err)
		_, err = r.db.FailJob(bg, j.ID, r.opt.WorkerID, err, r.db.Now().Add(r.opt.Backoff(j.Attempts)), next...)
	}
	if err != nil {
		r.opt.Logger.Error("record job outcome", "job", j.ID, "kind", j.Kind, "err", err)
	}
	if r.opt.OnRun != nil {
		r.opt.OnRun(j.Kind, outcome, time.Since(start))
	}
}

// heartbeat extends the job's lease at a third of its length while the handler runs; if the
// lease is lost, the handler's context is cancelled so that it stops.
func (r *Runner) heartbeat(ctx context.Context, cancel context.CancelFunc, id int64) (stop func()) {
	done := make(chan struct{})
	var once sync.Once
	go func() {
		t := time.NewTicker(r.opt.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if err := r.db.ExtendLease(ctx, id, r.opt.WorkerID, r.opt.Lease); errors.Is(err, store.ErrLeaseLost) {
					r.opt.Logger.Error("job lease lost", "job", id)
					cancel()
					return
				}
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}

// scheduleFirst enqueues a recurring job's first occurrence, unless one is already pending or running.
func (r *Runner) scheduleFirst(ctx context.Context, kind string) {
	if _, err := r.db.Enqueue(ctx, opsdesk.NewJob{Kind: kind, UniqueKey: "every:" + kind, MaxAttempts: 3}); err != nil && ctx.Err() == nil {
		r.opt.Logger.Error("schedule recurring job", "kind", kind, "err", err)
	}
}
