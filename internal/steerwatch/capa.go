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

// CAPAJob is the kind of the recurring job that makes the CAPA suggestions.
const CAPAJob = "steering.capa_suggestions"

// CAPAOptions configure the suggestion job; zero values take the defaults.
type CAPAOptions struct {
	// Interval is how often the suggestions are looked for (default 15 minutes).
	Interval time.Duration
	Logger   *slog.Logger
}

// RegisterCAPA adds the recurring job proposing corrective and preventive actions
// (store.SuggestActions, docs/capa.md): a problem with three or more tickets, a breached blocking
// ticket, a 1–2 rating… each proposed once, whatever the number of runs or instances. It mails
// nobody: proposed actions wait on /actions for an ops manager, and each is logged.
func RegisterCAPA(r *jobs.Runner, db *store.DB, opt CAPAOptions) {
	if opt.Interval <= 0 {
		opt.Interval = 15 * time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	r.Every(CAPAJob, opt.Interval, capaHandler(db, opt.Logger))
}

// capaHandler is the job's handler: one run of the suggestions, logging what it proposed.
func capaHandler(db *store.DB, logger *slog.Logger) jobs.Handler {
	return func(ctx context.Context, _ *opsdesk.Job) error {
		made, err := SuggestCAPA(ctx, db)
		for _, a := range made {
			logger.Info("capa: action proposed", "action", a.ID, "key", a.SuggestKey, "title", a.Title)
		}
		return err
	}
}

// SuggestCAPA runs the suggestions as the system actor "steerwatch" and returns the actions this
// run proposed (none already proposed by an earlier one).
func SuggestCAPA(ctx context.Context, db *store.DB) ([]*opsdesk.Action, error) {
	made, err := db.SuggestActions(opsdesk.WithActor(ctx, opsdesk.System("steerwatch")))
	if err != nil {
		return made, fmt.Errorf("capa suggestions: %w", err)
	}
	return made, nil
}
