package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// The kinds of SLA alert.
const (
	AlertWarn   = "warn"   // the warning share of a target was reached
	AlertBreach = "breach" // the target was exceeded
)

// SLAAlert is a warning or a breach of a ticket's clock, recorded once per ticket, clock, kind
// and target generation (a re-targeted clock may warn again).
type SLAAlert struct {
	ID          int64
	TicketID    int64
	Key         string
	Clock       sla.ClockKind
	Kind        string // AlertWarn or AlertBreach
	Generation  int64
	Target      time.Duration
	DueAt       time.Time     // when the share or the target was reached
	RecordedAt  time.Time     // when the scheduler saw it
	Level       opsdesk.Level // the ticket's level then
	EscalatedTo opsdesk.Level // the level the breach moved the ticket to; "" if it did not
	// Recipients are the users to tell: for a warning the assignee (first) and the members of
	// the ticket's group, or every active agent of its level when the group has none (or the
	// ticket no group); for a breach the ops managers.
	Recipients []int64
}

// ProcessSLADue records the warnings and breaches that are due now, at most limit tickets' worth,
// each ticket in its own transaction: it re-evaluates the ticket's clocks (so that a change not
// yet seen by RefreshTicketClocks never raises a false alert), records each new alert with its
// recipients, escalates on a breach when the target says so, and queues an SLAAlertJob for the
// notifications — all in the transaction that marks the clock alerted, so nothing is recorded
// twice, even across restarts or instances. It returns the alerts recorded and whether more
// tickets may be due.
func (d *DB) ProcessSLADue(ctx context.Context, opt SLAOptions, limit int) ([]*SLAAlert, bool, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, false, err
	}
	ids, err := collect(scanInt64)(d.query(ctx, `SELECT ticket_id FROM sla_clocks WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?`,
		d.Now().UnixMilli(), limit))
	if err != nil {
		return nil, false, wrapErr("store.ProcessSLADue", err)
	}
	var alerts []*SLAAlert
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		var recorded []*SLAAlert
		err := d.inTx(ctx, "store.ProcessSLADue", func(tx *Tx) error {
			var err error
			recorded, err = tx.alertTicket(ctx, id, opt)
			return err
		})
		if err != nil {
			return alerts, false, err
		}
		for _, a := range recorded {
			if a.EscalatedTo != "" {
				d.notify(TicketChange{Key: a.Key, Kind: "updated"})
			}
		}
		alerts = append(alerts, recorded...)
	}
	return alerts, len(ids) == limit, nil
}

// alertTicket re-evaluates one ticket and records the alerts its clocks call for.
func (tx *Tx) alertTicket(ctx context.Context, ticketID int64, opt SLAOptions) ([]*SLAAlert, error) {
	p, err := tx.refreshTicket(ctx, ticketID, opt, true)
	if err != nil || p == nil {
		return nil, err
	}
	var out []*SLAAlert
	for i := range p.rows {
		r := &p.rows[i]
		var kind string
		var at time.Time
		switch {
		case r.target <= 0:
		case r.alerted != AlertBreach && r.state == sla.StateBreached:
			kind, at = AlertBreach, r.deadline
		case r.running && r.alerted == "" && r.state == sla.StateAtRisk:
			kind, at = AlertWarn, r.warnAt
		}
		if kind == "" {
			continue
		}
		a, err := tx.recordAlert(ctx, p, r, kind, at, opt.Warn)
		if err != nil {
			return nil, err
		}
		if a != nil {
			out = append(out, a)
		}
		r.alerted, p.dirty[i] = kind, true
		r.dueAt = r.due()
	}
	return out, tx.savePlans(ctx, []*slaPlan{p})
}

var clockLabels = map[sla.ClockKind]string{sla.TakeCharge: "take-charge", sla.Workaround: "work-around", sla.Resolve: "resolve"}

// recordAlert inserts one alert (nil if it was already recorded) and its history line (internal:
// staff only), escalates the ticket on a breach when its target says so, and queues the
// notification. share is the warning share, for the history line.
func (tx *Tx) recordAlert(ctx context.Context, p *slaPlan, r *clockRow, kind string, at time.Time, share float64) (*SLAAlert, error) {
	t := p.t
	a := &SLAAlert{TicketID: t.id, Key: t.key, Clock: r.clock, Kind: kind, Generation: r.generation, Target: r.target,
		DueAt: at, RecordedAt: tx.now, Level: t.level}
	var err error
	if a.Recipients, err = tx.alertRecipients(ctx, t, kind); err != nil {
		return nil, err
	}
	a.ID, err = tx.insert(ctx, `INSERT INTO sla_alerts (ticket_id, clock, kind, generation, target_s, due_at, recorded_at, level, recipients)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id, clock, kind, generation) DO NOTHING`,
		t.id, r.clock, kind, r.generation, int64(r.target/time.Second), at.UnixMilli(), tx.now.UnixMilli(), t.level, joinIDs(a.Recipients))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil // recorded before: nothing more to do
	}
	if err != nil {
		return nil, err
	}
	target := sla.FormatBusiness(r.target, p.terms.day)
	what := fmt.Sprintf("%s target %s exceeded", clockLabels[r.clock], target)
	if kind == AlertWarn {
		what = fmt.Sprintf("%.0f%% of the %s target %s reached", 100*share, clockLabels[r.clock], target)
	}
	if err := tx.event(ctx, opsdesk.Event{TicketID: t.id, Kind: EventSLA, Field: string(r.clock), New: kind, Reason: what, Internal: true}); err != nil {
		return nil, err
	}
	if kind == AlertBreach && p.target.EscalateOnBreach && t.status.Active() && !r.stopped {
		if a.EscalatedTo, err = tx.slaEscalate(ctx, t, p.terms, "SLA breach: "+what); err != nil {
			return nil, err
		}
		if _, err := tx.exec(ctx, `UPDATE sla_alerts SET escalated_to = ? WHERE id = ?`, a.EscalatedTo, a.ID); err != nil {
			return nil, err
		}
	}
	_, err = tx.enqueue(ctx, opsdesk.NewJob{Kind: SLAAlertJob, Payload: map[string]int64{"alert_id": a.ID}, MaxAttempts: 5})
	return a, err
}

// slaEscalate moves a ticket up to the next level its contract provides, as Escalate does, and
// returns that level ("" when the contract provides none above: it stays where it is).
func (tx *Tx) slaEscalate(ctx context.Context, t *slaTicket, terms *slaTerms, reason string) (opsdesk.Level, error) {
	var to opsdesk.Level
	for _, l := range opsdesk.Levels {
		if l > t.level && (len(terms.levels) == 0 || slices.Contains(terms.levels, l)) {
			to = l
			break
		}
	}
	if to == "" {
		return "", nil
	}
	tk := &opsdesk.Ticket{ID: t.id, Key: t.key, Level: t.level, AssigneeID: t.assigneeID, Status: t.status}
	if err := tx.moveLevel(ctx, tk, to, reason); err != nil {
		return "", err
	}
	t.level, t.assigneeID = to, 0
	return to, nil
}

// alertRecipients lists who is told of an alert (see SLAAlert.Recipients).
func (tx *Tx) alertRecipients(ctx context.Context, t *slaTicket, kind string) ([]int64, error) {
	ids := func(q string, args ...any) ([]int64, error) { return collect(scanInt64)(tx.query(ctx, q, args...)) }
	if kind == AlertBreach {
		return ids(`SELECT id FROM users WHERE role = 'ops_manager' AND NOT disabled ORDER BY id`)
	}
	var team []int64
	var err error
	if t.groupCode != "" {
		team, err = ids(`SELECT u.id FROM group_members g JOIN users u ON u.id = g.user_id
			WHERE g.group_code = ? AND NOT u.disabled ORDER BY u.id`, t.groupCode)
		if err != nil {
			return nil, err
		}
	}
	if len(team) == 0 {
		if team, err = ids(`SELECT id FROM users WHERE role = 'agent' AND level = ? AND NOT disabled ORDER BY id`, t.level); err != nil {
			return nil, err
		}
	}
	if t.assigneeID != 0 && !slices.Contains(team, t.assigneeID) {
		team = append([]int64{t.assigneeID}, team...)
	}
	return team, nil
}

// scanInt64 reads a row of one integer, such as an id.
func scanInt64(sc scanner) (int64, error) {
	var v int64
	return v, sc.Scan(&v)
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

const alertSelect = `SELECT a.id, a.ticket_id, t.key, a.clock, a.kind, a.generation, a.target_s, a.due_at, a.recorded_at,
	a.level, a.escalated_to, a.recipients FROM sla_alerts a JOIN tickets t ON t.id = a.ticket_id`

func scanAlert(sc scanner) (*SLAAlert, error) {
	var a SLAAlert
	var target, due, recorded int64
	var recipients string
	err := sc.Scan(&a.ID, &a.TicketID, &a.Key, &a.Clock, &a.Kind, &a.Generation, &target, &due, &recorded,
		&a.Level, &a.EscalatedTo, &recipients)
	a.Target = time.Duration(target) * time.Second
	a.DueAt, a.RecordedAt = time.UnixMilli(due).UTC(), time.UnixMilli(recorded).UTC()
	a.Recipients = splitIDs(recipients)
	return &a, err
}

// SLAAlertByID returns one recorded alert, for the job that notifies it. Errors: not found.
func (d *DB) SLAAlertByID(ctx context.Context, id int64) (*SLAAlert, error) {
	a, err := scanAlert(d.queryRow(ctx, alertSelect+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no SLA alert %d", id)
	}
	return a, wrapErr("store.SLAAlertByID", err)
}

// SLAAlerts lists a ticket's recorded warnings and breaches, oldest first. Staff only. Errors:
// forbidden, not found.
func (d *DB) SLAAlerts(ctx context.Context, key string) ([]*SLAAlert, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team sees SLA alerts")
	}
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	out, err := collect(scanAlert)(d.query(ctx, alertSelect+` WHERE a.ticket_id = ? ORDER BY a.id`, t.ID))
	return out, wrapErr("store.SLAAlerts", err)
}
