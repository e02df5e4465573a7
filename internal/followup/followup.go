// Package followup closes the loop after a resolution: a recurring job closes the resolved
// tickets whose requester did not answer the satisfaction survey within the configured number of
// business days of their contract's calendar (OPSDESK_AUTOCLOSE_DAYS), marking the survey
// expired. The surveys themselves — opened at resolution, answered once by link or in the
// portal — live in the store (store/survey*.go); docs/followup.md describes the rules.
package followup

import (
	"context"
	"log/slog"
	"time"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// AutoCloseJob is the kind of the recurring job that closes unanswered resolved tickets.
const AutoCloseJob = "followup.autoclose"

// Options configure the follow-up; zero values take the defaults.
type Options struct {
	// Days is the number of business days without an answer after which a resolved ticket
	// closes; 0 disables closing without an answer.
	Days int
	// LinkValidity is how long a survey's mailed links work (default 30 days).
	LinkValidity time.Duration
	// Interval is how often unanswered tickets are looked at (default 10 minutes).
	Interval time.Duration
	Logger   *slog.Logger
}

// FromConfig reads the options from the program's configuration.
func FromConfig(cfg config.Config) Options {
	return Options{Days: cfg.AutoCloseDays, LinkValidity: time.Duration(cfg.SurveyLinkDays) * 24 * time.Hour}
}

// Register sets the survey link validity of db and adds the recurring auto-close job to r. The
// program calls it once at start.
func Register(r *jobs.Runner, db *store.DB, opt Options) {
	if opt.Interval <= 0 {
		opt.Interval = 10 * time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	db.SetSurveyValidity(opt.LinkValidity)
	if opt.Days <= 0 {
		return
	}
	r.Every(AutoCloseJob, opt.Interval, func(ctx context.Context, _ *opsdesk.Job) error {
		keys, err := CloseUnanswered(ctx, db, opt.Days)
		if len(keys) > 0 {
			opt.Logger.Info("closed without an answer", "tickets", keys, "business_days", opt.Days)
		}
		return err
	})
}

// CloseUnanswered closes every resolved ticket whose survey is unanswered after days business
// days, as the system actor "followup", and returns their numbers. The job runs it; tests call
// it directly. It is safe to run on several instances at once.
func CloseUnanswered(ctx context.Context, db *store.DB, days int) ([]string, error) {
	ctx = opsdesk.WithActor(ctx, opsdesk.System("followup"))
	var all []string
	for {
		keys, err := db.CloseUnanswered(ctx, days, 200)
		all = append(all, keys...)
		if err != nil || len(keys) < 200 || ctx.Err() != nil {
			return all, err
		}
	}
}
