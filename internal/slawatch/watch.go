// Package slawatch keeps tickets' SLA clocks current and acts on them. It recomputes a ticket's
// clocks after each change (OnTicketEvent, a consumer of the ticket.event job), records the
// warnings and breaches that fall due from a recurring job — escalating a ticket when its
// contract says so — hands each recorded alert to the notifications, recomputes every open
// ticket after a calendar or target edit, and renders the monthly compliance report as CSV.
// docs/sla.md describes the rules.
//
// Everything it decides is stored by the store in the transaction that decides it, so a
// restart, a second instance or a replayed job never warns twice; the due instants are stored
// too, so what fell due while opsdesk was down is caught up at the first run.
package slawatch

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// WatchJob is the kind of the recurring job that records due warnings and breaches.
const WatchJob = "sla.watch"

// Options configure a Watcher; zero values take the defaults.
type Options struct {
	// SLA is how clocks are evaluated: the warning share (OPSDESK_SLA_WARN, default 0.75) and
	// the pausing statuses (default waiting_customer).
	SLA store.SLAOptions
	// Interval is how often due clocks are looked at (default 30 s). Alerts carry the instant
	// they fell due, whatever the interval.
	Interval time.Duration
	// Batch is how many tickets a recompute handles per transaction (default 2000).
	Batch int
	// Notify is told of every recorded alert, from a durable job (store.SLAAlertJob) queued in
	// the transaction that recorded it: a returned error retries it with back-off, so it must
	// tolerate being called again for the same alert (its ID is stable). Nil: alerts are only
	// recorded (sla_alerts, the ticket's history). The program passes notify's NotifySLA, which
	// mails the alert's recipients.
	Notify func(ctx context.Context, a *store.SLAAlert) error
	Logger *slog.Logger
}

// Watcher watches the SLA clocks of one database.
type Watcher struct {
	db  *store.DB
	opt Options
}

// New returns a Watcher over db. Errors: invalid (the SLA options).
func New(db *store.DB, opt Options) (*Watcher, error) {
	if err := opt.SLA.Validate(); err != nil {
		return nil, fmt.Errorf("slawatch: %w", err)
	}
	if opt.Interval <= 0 {
		opt.Interval = 30 * time.Second
	}
	if opt.Batch <= 0 {
		opt.Batch = 2000
	}
	if opt.Notify == nil {
		opt.Notify = func(context.Context, *store.SLAAlert) error { return nil }
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Watcher{db: db, opt: opt}, nil
}

// system is the actor of the watcher's changes, as the ticket history shows them.
func system(ctx context.Context) context.Context {
	return opsdesk.WithActor(ctx, opsdesk.System("sla"))
}

// Register adds the watcher's jobs to r: the recurring WatchJob, and the handlers of
// store.SLARecomputeJob and store.SLAAlertJob. It does not consume ticket.event jobs: pass
// Consume to events.Register with the other consumers.
func (w *Watcher) Register(r *jobs.Runner) {
	r.Every(WatchJob, w.opt.Interval, func(ctx context.Context, _ *opsdesk.Job) error {
		_, err := w.Tick(ctx)
		return err
	})
	r.Handle(store.SLARecomputeJob, func(ctx context.Context, _ *opsdesk.Job) error {
		n, err := w.db.RecomputeClocks(system(ctx), w.opt.SLA, w.opt.Batch)
		w.opt.Logger.Info("SLA clocks recomputed", "tickets", n, "err", err)
		return err
	})
	r.Handle(store.SLAAlertJob, w.deliver)
}

// OnTicketEvent recomputes and stores the clocks of the ticket an event is about, and records
// in its history the effect of a change of severity or environment. It is idempotent, so a
// replayed event is harmless.
func (w *Watcher) OnTicketEvent(ctx context.Context, ev opsdesk.TicketEvent) error {
	_, err := w.db.RefreshTicketClocks(system(ctx), ev.TicketID, w.opt.SLA)
	return err
}

// Consume is OnTicketEvent in the shape of an events.Consumer, for the ticket.event fan-out
// (events.Register): the clocks are recomputed from the ticket, not from the event.
func (w *Watcher) Consume(ctx context.Context, _ int64, ev opsdesk.TicketEvent) error {
	return w.OnTicketEvent(ctx, ev)
}

// Tick records every warning and breach due now and returns them. The recurring job runs it;
// tests call it directly.
func (w *Watcher) Tick(ctx context.Context) ([]*store.SLAAlert, error) {
	ctx = system(ctx)
	var all []*store.SLAAlert
	for {
		alerts, more, err := w.db.ProcessSLADue(ctx, w.opt.SLA, 200)
		all = append(all, alerts...)
		// A round that recorded nothing leaves the rest (clocks due this very millisecond) to
		// the next tick.
		if err != nil || !more || len(alerts) == 0 || ctx.Err() != nil {
			return all, err
		}
	}
}

// deliver runs an SLAAlertJob: it hands the alert to Notify.
func (w *Watcher) deliver(ctx context.Context, j *opsdesk.Job) error {
	var p struct {
		AlertID int64 `json:"alert_id"`
	}
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.AlertID == 0 {
		return jobs.Permanent(fmt.Errorf("sla alert job: bad payload %s", j.Payload))
	}
	a, err := w.db.SLAAlertByID(ctx, p.AlertID)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return jobs.Permanent(err) // the ticket was deleted
	}
	if err != nil {
		return err
	}
	return w.opt.Notify(ctx, a)
}
