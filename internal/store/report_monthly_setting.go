package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// MonthlyReportEnabled tells whether the scheduled monthly report goes to a customer's contacts
// (the customer's monthly_report setting, on by default). Staff only. Errors: forbidden, not
// found.
func (d *DB) MonthlyReportEnabled(ctx context.Context, customerID int64) (bool, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return false, opsdesk.Forbidden("only the vendor's team sees the report settings")
	}
	var on bool
	err := d.queryRow(ctx, `SELECT monthly_report FROM customers WHERE id = ?`, customerID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, opsdesk.NotFound("no customer %d", customerID)
	}
	return on, wrapErr("store.MonthlyReportEnabled", err)
}

// SetMonthlyReport turns the scheduled monthly report of a customer on or off, with an audit
// entry. Admins and ops managers. Errors: forbidden, not found.
func (d *DB) SetMonthlyReport(ctx context.Context, customerID int64, on bool) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage customers")
	}
	return d.inTx(ctx, "store.SetMonthlyReport", func(tx *Tx) error {
		var old bool
		err := tx.queryRow(ctx, `SELECT monthly_report FROM customers WHERE id = ?`, customerID).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no customer %d", customerID)
		}
		if err != nil || old == on {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE customers SET monthly_report = ?, updated_at = ? WHERE id = ?`,
			on, tx.now.UnixMilli(), customerID); err != nil {
			return err
		}
		return tx.audit(ctx, "customer", customerID, "update",
			[]opsdesk.Change{{Field: "monthly_report", Old: fmt.Sprint(old), New: fmt.Sprint(on)}})
	})
}

// MonthlyReportCustomers lists the ids of the customers whose scheduled monthly report is on,
// by code. Staff only. Errors: forbidden.
func (d *DB) MonthlyReportCustomers(ctx context.Context) ([]int64, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team sends the monthly reports")
	}
	out, err := collect(func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})(d.query(ctx, `SELECT id FROM customers WHERE monthly_report = TRUE ORDER BY code`))
	return out, wrapErr("store.MonthlyReportCustomers", err)
}
