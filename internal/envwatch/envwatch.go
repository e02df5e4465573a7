// Package envwatch runs the recurring mails of customer environments: maintenance windows
// announced to the customer's contacts, and expired access grants warned about to the holder's
// manager (else the ops managers) and the holder. The mails themselves are built by package
// notify (AnnounceMaintenance, WarnExpiredAccess); docs/environments.md ("Mails") describes them.
package envwatch

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The kinds of the recurring jobs.
const (
	AnnounceJob = "env.maintenance_announce"
	AccessJob   = "env.access_expired"
)

// Options configure the jobs; zero values take the defaults.
type Options struct {
	// NoticeDays is how many days before an access expires its holder is told; 0: never.
	NoticeDays int
	Logger     *slog.Logger
}

// FromConfig reads the options from the program's configuration.
func FromConfig(cfg config.Config, logger *slog.Logger) Options {
	return Options{NoticeDays: cfg.AccessNoticeDays, Logger: logger}
}

// Register adds the two recurring jobs to r: announcing windows every minute (a window is
// announced within a minute of its creation or move), and every 15 minutes warning of expired
// access and telling holders of access about to expire. Each run is idempotent, so several
// instances, a restart or a retry never mail twice.
func Register(r *jobs.Runner, n *notify.Notifier, opt Options) {
	logger := opt.Logger
	if logger == nil {
		logger = slog.Default()
	}
	notice := time.Duration(opt.NoticeDays) * 24 * time.Hour
	r.Every(AnnounceJob, time.Minute, func(ctx context.Context, _ *opsdesk.Job) error {
		k, err := n.AnnounceMaintenance(ctx)
		if k > 0 {
			logger.Info("maintenance windows announced", "windows", k)
		}
		return err
	})
	r.Every(AccessJob, 15*time.Minute, func(ctx context.Context, _ *opsdesk.Job) error {
		k, err := n.WarnExpiredAccess(ctx)
		if k > 0 {
			logger.Info("expired access warned about", "grants", k)
		}
		s, serr := n.WarnExpiringAccess(ctx, notice)
		if s > 0 {
			logger.Info("access expiring soon told to holders", "grants", s)
		}
		return errors.Join(err, serr)
	})
}
