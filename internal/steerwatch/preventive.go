package steerwatch

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// PreventiveJob is the kind of the recurring job that makes the occurrences of preventive work.
const PreventiveJob = "steering.preventive_materialise"

// PreventiveOptions configure the job; zero values take the defaults.
type PreventiveOptions struct {
	// Interval is how often the horizon is filled (default one hour).
	Interval time.Duration
	// Horizon is how far ahead occurrences are made (default store.PreventiveHorizon, the 8
	// weeks of the plan's capacity).
	Horizon time.Duration
	Logger  *slog.Logger
}

// RegisterPreventive adds the recurring job that makes, every hour, the occurrences of every
// active preventive schedule due within the horizon (store.MaterializePreventive, docs/plan.md
// "Preventive work"). Each occurrence is made once, whatever the number of runs or instances.
func RegisterPreventive(r *jobs.Runner, db *store.DB, opt PreventiveOptions) {
	if opt.Interval <= 0 {
		opt.Interval = time.Hour
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	r.Every(PreventiveJob, opt.Interval, preventiveHandler(db, opt))
}

// preventiveHandler is the job's handler: one run at the database's clock, logging what it made.
func preventiveHandler(db *store.DB, opt PreventiveOptions) jobs.Handler {
	return func(ctx context.Context, _ *opsdesk.Job) error {
		n, err := MaterializePreventive(ctx, db, db.Now(), opt.Horizon)
		if n > 0 {
			opt.Logger.Info("preventive: occurrences made", "count", n)
		}
		return err
	}
}

// MaterializePreventive makes the occurrences due before now + horizon as the system actor
// "steerwatch" and returns how many this run made.
func MaterializePreventive(ctx context.Context, db *store.DB, now time.Time, horizon time.Duration) (int, error) {
	n, err := db.MaterializePreventive(opsdesk.WithActor(ctx, opsdesk.System("steerwatch")), now, horizon)
	if err != nil {
		return n, fmt.Errorf("preventive work: %w", err)
	}
	return n, nil
}
