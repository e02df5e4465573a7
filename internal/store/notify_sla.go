package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// SLAAlertDeadline returns the deadline of the clock an alert is about, for the mail that tells
// of it: for a breach, the instant the target was exceeded (the alert's DueAt); for a warning,
// the clock's deadline as stored now — zero when that clock was re-targeted since (another
// generation), paused, or stopped, so it no longer runs toward the deadline the warning was
// about. Staff (and the system) only. Errors: forbidden.
func (d *DB) SLAAlertDeadline(ctx context.Context, a *SLAAlert) (time.Time, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return time.Time{}, opsdesk.Forbidden("only the vendor's team sees SLA alerts")
	}
	if a.Kind == AlertBreach {
		return a.DueAt, nil
	}
	var deadline sql.NullInt64
	err := d.queryRow(ctx, `SELECT deadline FROM sla_clocks WHERE ticket_id = ? AND clock = ? AND generation = ? AND running`,
		a.TicketID, a.Clock, a.Generation).Scan(&deadline)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, wrapErr("store.SLAAlertDeadline", err)
	}
	return fromMS(deadline), nil
}
