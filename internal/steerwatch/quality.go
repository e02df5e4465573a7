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

// QualityJob is the kind of the recurring job that evaluates the quality targets.
const QualityJob = "steering.quality_targets"

// QualityOptions configure the quality-target evaluation; zero values take the defaults.
type QualityOptions struct {
	// Interval is how often the targets are evaluated (default an hour).
	Interval time.Duration
	Logger   *slog.Logger
}

// RegisterQuality adds the recurring job that evaluates every active quality target over its
// last complete week or month and proposes one corrective action per missed target and period
// (EvaluateQuality). Running it again is harmless: results are replaced, actions made once.
func RegisterQuality(r *jobs.Runner, db *store.DB, opt QualityOptions) {
	if opt.Interval <= 0 {
		opt.Interval = time.Hour
	}
	logger := opt.Logger
	if logger == nil {
		logger = slog.Default()
	}
	r.Every(QualityJob, opt.Interval, func(ctx context.Context, _ *opsdesk.Job) error {
		missed, err := EvaluateQuality(ctx, db)
		if len(missed) > 0 {
			logger.Info("quality targets missed: actions proposed", "actions", missed)
		}
		return err
	})
}

// EvaluateQuality evaluates the quality targets at db.Now as the system actor "steerwatch"
// (store.EvaluateQualityTargets) and returns the ids of the actions proposed by this run — not
// those an earlier run already proposed for the same period. The job runs it; tests call it.
func EvaluateQuality(ctx context.Context, db *store.DB) ([]int64, error) {
	ctx = opsdesk.WithActor(ctx, opsdesk.System("steerwatch"))
	rs, err := db.EvaluateQualityTargets(ctx, db.Now())
	var proposed []int64
	for _, r := range rs {
		if r.Proposed {
			proposed = append(proposed, r.ActionID)
		}
	}
	if err != nil {
		return proposed, fmt.Errorf("quality targets: %w", err)
	}
	return proposed, nil
}
