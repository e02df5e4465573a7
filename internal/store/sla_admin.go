package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// CalendarUse counts the contracts that count their SLA clocks in each calendar, for the
// calendar list of the admin UI: a contract naming a calendar counts for it, one naming none for
// the default calendar. Calendars no contract uses are absent. Staff only. Errors: forbidden.
func (d *DB) CalendarUse(ctx context.Context) (map[int64]int, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team sees calendars")
	}
	rows, err := d.query(ctx, `SELECT COALESCE(c.calendar_id, d.id), COUNT(*)
		FROM contracts c LEFT JOIN sla_calendars d ON c.calendar_id IS NULL AND d.is_default
		GROUP BY COALESCE(c.calendar_id, d.id)`)
	if err != nil {
		return nil, wrapErr("store.CalendarUse", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id sql.NullInt64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrapErr("store.CalendarUse", err)
		}
		if id.Valid {
			out[id.Int64] += n
		}
	}
	return out, wrapErr("store.CalendarUse", rows.Err())
}

// ContractCalendarID returns the calendar a customer's contract names, 0 when it names none
// (its clocks then count in the default calendar), so that the admin UI can tell "the default
// calendar" from "this calendar, which is the default today". Staff, and the customer's own
// users. Errors: not found (customer or contract).
func (d *DB) ContractCalendarID(ctx context.Context, customerID int64) (int64, error) {
	if !canSeeCustomer(opsdesk.ActorFrom(ctx), customerID) {
		return 0, opsdesk.NotFound("no customer %d", customerID)
	}
	var id sql.NullInt64
	err := d.queryRow(ctx, `SELECT calendar_id FROM contracts WHERE customer_id = ?`, customerID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, opsdesk.NotFound("customer %d has no contract", customerID)
	}
	return id.Int64, wrapErr("store.ContractCalendarID", err)
}
