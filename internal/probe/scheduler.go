package probe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Options configure a Scheduler; zero values take the defaults.
type Options struct {
	Workers   int           // checks run at once (default 16)
	Poll      time.Duration // how often due probes are looked for (default 250 ms)
	Lease     time.Duration // how long a claim holds before another runner may take the run (default 2 min: above the longest timeout)
	Retention time.Duration // results older than this are deleted, hourly (default 90 days)
	Owner     string        // this runner's name in leases (default host-pid-random)
	Incident  store.ProbeIncidentOptions
	Checker   *Checker // default NewChecker(nil, db.Now)
	// OnResult, if set, is told of every recorded run: its outcome and result, and the scheduling
	// lag (how late the check started after its due instant). The program sets the metrics here.
	OnResult func(out *store.ProbeOutcome, r *opsdesk.ProbeResult, lag time.Duration)
	Logger   *slog.Logger
}

// Scheduler runs the probes of one database. Several schedulers — in one process or in several
// opsdesk instances — may share a database: each run is leased to one of them.
type Scheduler struct {
	db  *store.DB
	opt Options
	sem chan struct{}
	wg  sync.WaitGroup
}

// New returns a scheduler over db.
func New(db *store.DB, opt Options) *Scheduler {
	if opt.Workers <= 0 {
		opt.Workers = 16
	}
	if opt.Poll <= 0 {
		opt.Poll = 250 * time.Millisecond
	}
	if opt.Lease <= 0 {
		opt.Lease = 2 * time.Minute
	}
	if opt.Retention <= 0 {
		opt.Retention = 90 * 24 * time.Hour
	}
	if opt.Owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		rand.Read(b)
		opt.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if opt.Checker == nil {
		opt.Checker = NewChecker(nil, func() time.Time { return db.Now() })
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Scheduler{db: db, opt: opt, sem: make(chan struct{}, opt.Workers)}
}

// Start runs the scheduler until ctx is cancelled, in the background. The returned function
// waits for it, and for the checks in flight, to stop.
func (s *Scheduler) Start(ctx context.Context) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.loop(ctx)
		s.wg.Wait()
	}()
	return func() { <-done }
}

func (s *Scheduler) loop(ctx context.Context) {
	tick := time.NewTicker(s.opt.Poll)
	defer tick.Stop()
	var pruned time.Time
	for {
		if _, err := s.dispatch(ctx); err != nil && ctx.Err() == nil {
			s.opt.Logger.Warn("probes: claim failed", "err", err)
		}
		if now := s.db.Now(); now.Sub(pruned) >= time.Hour {
			pruned = now
			if n, err := s.db.PruneProbeResults(ctx, now.Add(-s.opt.Retention)); err != nil && ctx.Err() == nil {
				s.opt.Logger.Warn("probes: pruning results failed", "err", err)
			} else if n > 0 {
				s.opt.Logger.Info("probes: old results pruned", "results", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// dispatch claims due runs, as many at a time as there are free workers, and starts them until
// none is due; with all workers busy it waits for one to be free. It returns how many it started.
func (s *Scheduler) dispatch(ctx context.Context) (int, error) {
	started := 0
	for ctx.Err() == nil {
		// Wait for a free worker, then claim as many runs as there are free workers.
		select {
		case s.sem <- struct{}{}:
		case <-ctx.Done():
			return started, nil
		}
		free := cap(s.sem) - len(s.sem) + 1
		claims, err := s.db.ClaimDueProbes(ctx, s.opt.Owner, free, s.opt.Lease)
		if err != nil || len(claims) == 0 {
			<-s.sem
			return started, err
		}
		for i, c := range claims {
			if i > 0 {
				s.sem <- struct{}{} // free: at most free-1 others took a slot since
			}
			s.wg.Add(1)
			go func() {
				defer func() { <-s.sem; s.wg.Done() }()
				s.run(ctx, c)
			}()
		}
		started += len(claims)
	}
	return started, nil
}

// RunDue runs every probe due now and waits for them: what the background loop does on each
// tick, for tests and the benchmark. It returns how many runs were started.
func (s *Scheduler) RunDue(ctx context.Context) (int, error) {
	n, err := s.dispatch(ctx)
	s.wg.Wait()
	return n, err
}

// run checks one claimed probe and records the result.
func (s *Scheduler) run(ctx context.Context, c store.ProbeClaim) {
	lag := s.db.Now().Sub(c.Due)
	r := s.opt.Checker.Check(ctx, c.Probe)
	if ctx.Err() != nil {
		return // stopping: the lease runs out and the run is taken again, not lost
	}
	out, err := s.db.RecordProbeResult(context.WithoutCancel(ctx), c, r, s.opt.Incident)
	switch {
	case errors.Is(err, store.ErrProbeLeaseLost):
		s.opt.Logger.Warn("probes: lease lost, result dropped", "probe", c.Probe.ID)
		return
	case err != nil:
		s.opt.Logger.Error("probes: recording a result failed", "probe", c.Probe.ID, "err", err)
		return
	}
	if out.Opened != "" {
		s.opt.Logger.Warn("probes: incident opened", "probe", c.Probe.ID, "ticket", out.Opened, "error", r.Error)
	}
	if out.CertRequest != "" {
		s.opt.Logger.Info("probes: certificate request opened", "probe", c.Probe.ID, "ticket", out.CertRequest)
	}
	if s.opt.OnResult != nil {
		s.opt.OnResult(out, r, lag)
	}
}
