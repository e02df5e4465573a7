// Package app wires opsdesk together: it opens and migrates the database, builds the web UI, the
// API, the background job runner and the operational endpoints on one HTTP mux, and runs them
// until shut down — HTTP first, then the workers, then the database. The command line and the
// end-to-end tests both start opsdesk through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/opsdesk/opsdesk/internal/api"
	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/envwatch"
	"github.com/opsdesk/opsdesk/internal/events"
	"github.com/opsdesk/opsdesk/internal/followup"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/metrics"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/probe"
	"github.com/opsdesk/opsdesk/internal/projectwatch"
	"github.com/opsdesk/opsdesk/internal/slawatch"
	"github.com/opsdesk/opsdesk/internal/steerwatch"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/web"
	"github.com/opsdesk/opsdesk/internal/webhook"
)

// App is one running opsdesk instance.
type App struct {
	Config  config.Config
	DB      *store.DB
	Blobs   *blob.Store // attachment content, under the data directory
	Logger  *slog.Logger
	Metrics *metrics.Metrics
	Jobs    *jobs.Runner
	Mail    *notify.Notifier  // outgoing notifications: the mail.send jobs, templates, outbox retries
	SLA     *slawatch.Watcher // the SLA scheduler: clocks, warnings and breaches (mailed through Mail)
	Probes  *probe.Scheduler  // health probes of customer environments; nil when OPSDESK_PROBE_WORKERS is 0
	Version string
	Inbound *mail.Listener // the inbound SMTP/LMTP listener; nil unless OPSDESK_SMTP_LISTEN or OPSDESK_LMTP_LISTEN is set

	handler http.Handler
}

// Open opens the database named by cfg and applies pending migrations. Every command that reads
// or changes data starts here, so each works on a fresh data directory and while serve runs.
func Open(ctx context.Context, cfg config.Config, logger *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{SQLiteSync: cfg.SQLiteSync})
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", cfg.RedactedDatabaseURL(), err)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", cfg.RedactedDatabaseURL(), err)
	}
	for _, m := range applied {
		logger.Info("migration applied", "version", m.Version, "name", m.Name)
	}
	if newer, err := db.NewerMigrations(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", cfg.RedactedDatabaseURL(), err)
	} else if len(newer) > 0 {
		logger.Warn("the database was migrated by a newer opsdesk: this older binary does not know some of its schema",
			"unknown_migrations", newer)
	}
	if err := db.SeedDefaults(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", cfg.RedactedDatabaseURL(), err)
	}
	if err := db.SeedSLADefaults(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", cfg.RedactedDatabaseURL(), err)
	}
	// The upgrade that created the search index asks for the tickets filed before it to be
	// indexed, once (minutes at a million tickets; nothing on a new database).
	if _, err := db.EnsureSearchIndex(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: search index: %w", cfg.RedactedDatabaseURL(), err)
	}
	db.TicketPrefix = cfg.TicketPrefix
	return db, nil
}

// New builds an instance over an open database.
func New(cfg config.Config, db *store.DB, logger *slog.Logger, version string) (*App, error) {
	a := &App{Config: cfg, DB: db, Logger: logger, Version: version}
	a.Metrics = metrics.New(db.SQL())
	a.Metrics.RegisterDesk(db, metrics.DeskOptions{}) // current values (open tickets, breached clocks…), read on scrape, cached 30 s
	a.Jobs = jobs.New(db, jobs.Options{Workers: cfg.Workers, Logger: logger, OnRun: a.Metrics.JobRun})
	a.Jobs.Every("maintenance.prune", time.Hour, a.prune)
	mailOpt := notify.FromConfig(cfg)
	mailOpt.Logger = logger
	mailer, err := notify.Register(a.Jobs, db, mailOpt)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	a.Mail = mailer

	blobs, err := blob.Open(filepath.Join(cfg.DataDir, "attachments"))
	if err != nil {
		return nil, err
	}
	a.Blobs = blobs
	if a.Inbound, err = mail.ListenerFromConfig(cfg, db, blobs, logger); err != nil {
		return nil, err
	}
	// How SLA clocks are evaluated (OPSDESK_SLA_WARN), one value for the watcher, the web UI and
	// the API, so that all of them show the same at-risk instants.
	slaOpt := store.SLAOptions{Warn: cfg.SLAWarn}
	ui, err := web.New(web.Options{DB: db, Blobs: blobs, Config: cfg, Logger: logger, Version: version, Mail: a.Mail, SLA: slaOpt})
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", a.ready)
	mux.Handle("GET /metrics", a.Metrics.Handler())
	ui.Routes(mux)
	api.New(api.Options{DB: db, Blobs: a.Blobs, Config: cfg, Logger: logger, SLA: slaOpt}).Routes(mux)

	// SLA clocks: recomputed after every ticket change, watched for warnings and breaches.
	// Each recorded warning and breach is mailed to its recipients by the notifier.
	watcher, err := slawatch.New(db, slawatch.Options{SLA: slaOpt, Notify: a.Mail.NotifySLA, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	watcher.Register(a.Jobs)
	a.SLA = watcher

	// Satisfaction survey links' validity, and closing resolved tickets nobody confirmed.
	fopt := followup.FromConfig(cfg)
	fopt.Logger = logger
	followup.Register(a.Jobs, db, fopt)

	// Customer environments' mails: maintenance windows announced, expired access warned about.
	envwatch.Register(a.Jobs, a.Mail, envwatch.FromConfig(cfg, logger))

	// Delivery projects' reminders: items the customer owes, before their due day and when late.
	projectwatch.Register(a.Jobs, a.Mail, projectwatch.FromConfig(cfg, logger))

	// The monthly service report: last month's, to every customer's contacts on the first business day.
	steerwatch.RegisterReports(a.Jobs, a.Mail, db, steerwatch.ReportOptionsFromConfig(cfg, logger))

	// Quality targets: evaluated hourly over their last complete week or month; a miss proposes one action.
	steerwatch.RegisterQuality(a.Jobs, db, steerwatch.QualityOptions{Logger: logger})

	// CAPA suggestions: every 15 minutes, one proposed action per problem, breach or low rating, once.
	steerwatch.RegisterCAPA(a.Jobs, db, steerwatch.CAPAOptions{Logger: logger})

	// Preventive work: hourly, the occurrences due in the next 8 weeks, each made once.
	steerwatch.RegisterPreventive(a.Jobs, db, steerwatch.PreventiveOptions{Logger: logger})

	// Health probes of customer environments: due probes claimed from the database, incidents
	// opened and noted through the store, the last result of each exported as metrics.
	if cfg.ProbeWorkers > 0 {
		a.Probes = probe.New(db, probe.Options{Workers: cfg.ProbeWorkers, Retention: time.Duration(cfg.ProbeRetentionDays) * 24 * time.Hour,
			Incident: store.ProbeIncidentOptions{Category: cfg.ProbeCategory}, Logger: logger,
			OnResult: func(out *store.ProbeOutcome, r *opsdesk.ProbeResult, _ time.Duration) {
				a.Metrics.ProbeResult(out.CustomerCode, out.EnvName, out.Probe.Name, r.OK, r.Latency)
			}})
	}

	// Every ticket change is announced once to each consumer, in a job of its own.
	events.Register(a.Jobs, map[string]events.Consumer{
		"webhooks": webhook.Register(a.Jobs, db, webhook.Options{BaseURL: cfg.BaseURL, Logger: logger}),
		"mail":     a.Mail.Consume,
		"sla":      watcher.Consume,
	})

	var h http.Handler = mux
	h = web.SecurityHeaders(h)
	cop := http.NewCrossOriginProtection()
	// The API authenticates with bearer tokens only, never cookies: a cross-site page cannot
	// borrow a user's credentials there, and integrations may call it from browsers elsewhere.
	cop.AddInsecureBypassPattern("/api/v1/")
	h = cop.Handler(h)
	h = a.observe(h)
	h = a.recoverPanics(h)
	a.handler = h
	return a, nil
}

// Handler is the whole HTTP surface of the instance.
func (a *App) Handler() http.Handler { return a.handler }

func (a *App) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.DB.Ping(ctx); err != nil {
		a.Logger.Warn("not ready: database unreachable", "err", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

// prune is the hourly housekeeping job: expired sessions, old login failures, finished jobs.
func (a *App) prune(ctx context.Context, _ *opsdesk.Job) error {
	if err := a.DB.PruneSessions(ctx, 24*time.Hour); err != nil {
		return err
	}
	if _, err := a.DB.PruneJobs(ctx, a.DB.Now().Add(-7*24*time.Hour)); err != nil {
		return err
	}
	_, err := a.DB.PruneWebhookDeliveries(ctx, a.DB.Now().Add(-30*24*time.Hour))
	return err
}

// StartListeners opens the inbound mail listener, if configured, so that it accepts connections
// from the moment opsdesk announces it is ready. Serve shuts it down.
func (a *App) StartListeners() error {
	if a.Inbound == nil {
		return nil
	}
	return a.Inbound.Start()
}

// Serve answers HTTP on ln and runs the background jobs until ctx is cancelled. Then it stops
// accepting requests and lets those in flight finish (up to Config.ShutdownGrace), then stops the
// workers; the caller closes the database.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// Clocks of tickets that changed while no instance ran (imports, edits) catch up in the
	// background.
	if err := a.DB.EnqueueSLARecompute(ctx); err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		a.Jobs.Run(jobsCtx)
	}()
	go func() {
		defer wg.Done()
		a.DB.Listen(jobsCtx, a.Logger)
	}()
	// IMAP mailboxes: a poller each, following the mailboxes table; stopped before the jobs.
	imapCtx, stopIMAP := context.WithCancel(context.WithoutCancel(ctx))
	imapStopped := (&mail.IMAPPollers{DB: a.DB, Deliverer: mail.NewIntakeFromConfig(a.Config, a.DB, a.Blobs), Logger: a.Logger}).Start(imapCtx)
	probesStopped := func() {}
	if a.Probes != nil {
		probesStopped = a.Probes.Start(jobsCtx) // stopped with the jobs
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		a.Logger.Info("shutting down: HTTP first")
		sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownGrace)
		err = srv.Shutdown(sctx)
		cancel()
		if err != nil {
			srv.Close()
		}
	}
	if a.Inbound != nil {
		a.Logger.Info("shutting down: mail listener")
		sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownGrace)
		a.Inbound.Shutdown(sctx)
		cancel()
	}
	a.Logger.Info("shutting down: IMAP pollers")
	stopIMAP()
	imapStopped()
	a.Logger.Info("shutting down: background jobs")
	stopJobs()
	wg.Wait()
	probesStopped()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
