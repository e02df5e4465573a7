package steerwatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// ReportsJob is the kind of the recurring job that sends the monthly service reports.
const ReportsJob = "steering.monthly_reports"

// ReportOptions configure the monthly reports' schedule; zero values take the defaults.
type ReportOptions struct {
	// Hour is the local hour (0–23, in the default calendar's time zone) from which the reports
	// go out on the first business day of a month. Negative: 0.
	Hour   int
	Logger *slog.Logger
}

// ReportOptionsFromConfig reads the options from the program's configuration.
func ReportOptionsFromConfig(cfg config.Config, logger *slog.Logger) ReportOptions {
	return ReportOptions{Hour: cfg.ReportHour, Logger: logger}
}

// RegisterReports adds the recurring job that sends last month's service report to every
// customer whose monthly report is on (SendScheduledReports), looked at every 15 minutes.
func RegisterReports(r *jobs.Runner, n *notify.Notifier, db *store.DB, opt ReportOptions) {
	logger := opt.Logger
	if logger == nil {
		logger = slog.Default()
	}
	r.Every(ReportsJob, 15*time.Minute, func(ctx context.Context, _ *opsdesk.Job) error {
		k, err := SendScheduledReports(ctx, n, db, opt)
		if k > 0 {
			logger.Info("monthly service reports queued", "mails", k)
		}
		return err
	})
}

// SendScheduledReports sends, when db.Now is on the first business day of a month of the default
// calendar (the first day with open hours that is not a holiday) at or after opt.Hour local time,
// the previous month's report to the contacts of every customer whose monthly report is on. On
// any other day, or earlier that day, it does nothing. Each mail is keyed by customer, month and
// recipient (notify.SendMonthlyReport), so running it again that day — every 15 minutes, on
// several instances, after a retry — sends nothing twice. It returns how many mails it queued; a
// customer that fails is reported and the others still go.
func SendScheduledReports(ctx context.Context, n *notify.Notifier, db *store.DB, opt ReportOptions) (int, error) {
	ctx = opsdesk.WithActor(ctx, opsdesk.System("steerwatch"))
	cal, err := defaultCalendar(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("monthly reports: %w", err)
	}
	now := db.Now().In(cal.Location())
	first := FirstBusinessDay(cal, now.Year(), now.Month())
	if first.IsZero() || now.Before(first.Add(time.Duration(max(opt.Hour, 0))*time.Hour)) || !now.Before(first.AddDate(0, 0, 1)) {
		return 0, nil
	}
	last := first.AddDate(0, -1, 0)
	ids, err := db.MonthlyReportCustomers(ctx)
	if err != nil {
		return 0, fmt.Errorf("monthly reports: %w", err)
	}
	added := 0
	var errs []error
	for _, id := range ids {
		k, err := n.SendMonthlyReport(ctx, id, last.Year(), last.Month(), time.Time{})
		if err != nil {
			errs = append(errs, err)
		}
		added += k
	}
	return added, errors.Join(errs...)
}

// FirstBusinessDay is the local midnight of the first day of a month on which cal has open time,
// the zero time when the month has none.
func FirstBusinessDay(cal *sla.Calendar, year int, month time.Month) time.Time {
	loc := cal.Location()
	for d := time.Date(year, month, 1, 0, 0, 0, 0, loc); d.Month() == month; d = d.AddDate(0, 0, 1) {
		if cal.Elapsed(d, d.AddDate(0, 0, 1)) > 0 {
			return d
		}
	}
	return time.Time{}
}

// defaultCalendar is the default business calendar, the French one when none is stored.
func defaultCalendar(ctx context.Context, db *store.DB) (*sla.Calendar, error) {
	cals, err := db.Calendars(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cals {
		if c.Default {
			return c.Calendar, nil
		}
	}
	return sla.FrenchCalendar(), nil
}
