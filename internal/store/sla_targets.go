package store

import (
	"context"
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// The background jobs of service levels, handled by package slawatch.
const (
	// SLARecomputeJob recomputes the clocks of every open ticket (after a calendar or target
	// edit); it carries no payload and at most one is pending.
	SLARecomputeJob = "sla.recompute"
	// SLAAlertJob hands one recorded warning or breach to the notifications; its payload is
	// {"alert_id": N}.
	SLAAlertJob = "sla.alert"
)

func slaRecomputeJob() opsdesk.NewJob {
	return opsdesk.NewJob{Kind: SLARecomputeJob, UniqueKey: SLARecomputeJob, MaxAttempts: 5}
}

// EnqueueSLARecompute asks for the clocks of every open ticket to be recomputed in the
// background, unless that is already pending: at start, after an import of tickets.
func (d *DB) EnqueueSLARecompute(ctx context.Context) error {
	_, err := d.Enqueue(ctx, slaRecomputeJob())
	return err
}

// maxTarget bounds a target: a year of business time is already no commitment.
const maxTarget = 366 * 24 * time.Hour

// SLATargets returns a customer's service-level targets, and whether they are the defaults
// (sla.DefaultTargets in the contract's calendar) because the contract holds none of its own.
// Staff, and the customer's own users. Errors: not found.
func (d *DB) SLATargets(ctx context.Context, customerID int64) ([]sla.Target, bool, error) {
	if !canSeeCustomer(opsdesk.ActorFrom(ctx), customerID) {
		return nil, false, opsdesk.NotFound("no customer %d", customerID)
	}
	var terms *slaTerms
	err := d.inTx(ctx, "store.SLATargets", func(tx *Tx) error {
		var err error
		terms, err = tx.slaTerms(ctx, customerID)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return terms.targets, terms.defaults, nil
}

// SetSLATargets replaces a customer's targets and has the open tickets' clocks recomputed (the
// clocks keep their elapsed time). An empty list restores the defaults. Durations are whole
// business seconds; 0 is no commitment. Admins and ops managers. Errors: invalid (naming the
// field, such as "targets[2].env_kind"), forbidden, not found.
func (d *DB) SetSLATargets(ctx context.Context, customerID int64, ts []sla.Target) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage contracts")
	}
	return d.inTx(ctx, "store.SetSLATargets", func(tx *Tx) error {
		if _, err := tx.customerByID(ctx, customerID); err != nil {
			return err
		}
		if err := tx.checkTargets(ctx, ts); err != nil {
			return err
		}
		if err := tx.writeTargets(ctx, customerID, ts); err != nil {
			return err
		}
		if err := tx.audit(ctx, "contract", customerID, "update", []opsdesk.Change{{Field: "sla_targets", New: fmt.Sprint(len(ts), " targets")}}); err != nil {
			return err
		}
		_, err := tx.enqueue(ctx, slaRecomputeJob())
		return err
	})
}

// checkTargets validates a list of targets, naming the offending field.
func (tx *Tx) checkTargets(ctx context.Context, ts []sla.Target) error {
	seen := map[[2]string]int{}
	for i, t := range ts {
		field := func(name string) string { return fmt.Sprintf("targets[%d].%s", i, name) }
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM severities WHERE code = ?`, t.Severity).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return opsdesk.Invalid(field("severity"), "%q is not a severity", t.Severity)
		}
		if t.EnvKind != "" && !opsdesk.EnvKind(t.EnvKind).Valid() {
			return opsdesk.Invalid(field("env_kind"), "must be prod, preprod, test or empty (any environment)")
		}
		for _, c := range []struct {
			name string
			d    time.Duration
		}{{"take_charge", t.TakeCharge}, {"workaround", t.Workaround}, {"resolve", t.Resolve}} {
			switch {
			case c.d < 0:
				return opsdesk.Invalid(field(c.name), "must not be negative (0 is no commitment)")
			case c.d%time.Second != 0:
				return opsdesk.Invalid(field(c.name), "must be whole seconds")
			case c.d > maxTarget:
				return opsdesk.Invalid(field(c.name), "must be at most %v of business time", maxTarget)
			}
		}
		key := [2]string{t.Severity, t.EnvKind}
		if j, dup := seen[key]; dup {
			return opsdesk.Invalid(fmt.Sprintf("targets[%d]", i), "repeats targets[%d]: one target per severity and environment kind", j)
		}
		seen[key] = i
	}
	return nil
}

// writeTargets replaces a contract's targets.
func (tx *Tx) writeTargets(ctx context.Context, customerID int64, ts []sla.Target) error {
	if _, err := tx.exec(ctx, `DELETE FROM sla_targets WHERE customer_id = ?`, customerID); err != nil {
		return err
	}
	secs := func(d time.Duration) any {
		if d <= 0 {
			return nil
		}
		return int64(d / time.Second)
	}
	for _, t := range ts {
		if _, err := tx.exec(ctx, `INSERT INTO sla_targets (customer_id, severity, env_kind, take_charge_s, workaround_s, resolve_s, escalate_on_breach, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, customerID, t.Severity, t.EnvKind, secs(t.TakeCharge), secs(t.Workaround), secs(t.Resolve),
			t.EscalateOnBreach, tx.now.UnixMilli()); err != nil {
			return err
		}
	}
	return nil
}

// SeedSLADefaults installs the service-level defaults: the French calendar ("France — jours
// ouvrés", the default) and a 24/7 one when there is no calendar at all, and the default targets
// (sla.DefaultTargets, in each contract's calendar) for every contract that has none. It is safe
// to run at every start and from several instances at once; call it after SeedDefaults.
func (d *DB) SeedSLADefaults(ctx context.Context) error {
	return d.inTx(ctx, "store.SeedSLADefaults", func(tx *Tx) error {
		if err := tx.lock(ctx, "seed-sla"); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM sla_calendars`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			for _, c := range []*SLACalendar{
				{Name: FrenchCalendarName, Default: true, Calendar: sla.FrenchCalendar()},
				{Name: AlwaysOpenName, Calendar: sla.AlwaysOpen()},
			} {
				def, err := calendarJSON(c.Calendar)
				if err != nil {
					return err
				}
				if err := tx.saveCalendar(ctx, c, def); err != nil {
					return err
				}
			}
		}
		bare, err := collect(scanInt64)(tx.query(ctx, `SELECT customer_id FROM contracts c
			WHERE NOT EXISTS (SELECT 1 FROM sla_targets t WHERE t.customer_id = c.customer_id) ORDER BY customer_id`))
		if err != nil {
			return err
		}
		for _, id := range bare {
			terms, err := tx.slaTerms(ctx, id)
			if err != nil {
				return err
			}
			if err := tx.writeTargets(ctx, id, terms.targets); err != nil {
				return err
			}
		}
		return nil
	})
}
