// Package projectwatch runs the reminders of delivery projects: the customer is mailed a few days
// before an item they owe is due and once when it is late. The mails are built by package notify
// (RemindProjectItems); docs/projects.md ("Reminders") describes them.
package projectwatch

import (
	"context"
	"log/slog"
	"time"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// RemindJob is the kind of the recurring job.
const RemindJob = "project.item_reminders"

// Options configure the job; zero values take the defaults.
type Options struct {
	// ReminderDays is how many days before an item is due its owner is reminded; 0: only late.
	ReminderDays int
	Logger       *slog.Logger
}

// FromConfig reads the options from the program's configuration.
func FromConfig(cfg config.Config, logger *slog.Logger) Options {
	return Options{ReminderDays: cfg.ProjectReminderDays, Logger: logger}
}

// Register adds the recurring reminder job to r, every 15 minutes: due days are calendar days,
// so a reminder leaves within a quarter of an hour of the day it becomes due. Each run is
// idempotent (the outbox's dedup key), so several instances, a restart or a retry never mail
// twice.
func Register(r *jobs.Runner, n *notify.Notifier, opt Options) {
	logger := opt.Logger
	if logger == nil {
		logger = slog.Default()
	}
	r.Every(RemindJob, 15*time.Minute, func(ctx context.Context, _ *opsdesk.Job) error {
		k, err := n.RemindProjectItems(ctx, opt.ReminderDays)
		if k > 0 {
			logger.Info("project item reminders queued", "mails", k)
		}
		return err
	})
}
