package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// mayReadQuality lets the vendor's team read quality targets and their results. Targets are
// the team's steering: a customer is forbidden, even for a target about their own customer.
func mayReadQuality(ctx context.Context) error {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case a.Role == "":
		return opsdesk.Unauthenticated("log in first")
	case !a.IsStaff():
		return opsdesk.Forbidden("quality targets are the team's")
	}
	return nil
}

const qualityTargetSelect = `SELECT id, indicator, severity, customer_id, comparator, threshold, period, active,
	created_by, created_at, updated_at FROM quality_targets`

func scanQualityTarget(sc scanner) (*opsdesk.QualityTarget, error) {
	var t opsdesk.QualityTarget
	var customer sql.NullInt64
	var created, updated int64
	if err := sc.Scan(&t.ID, &t.Indicator, &t.Severity, &customer, &t.Comparator, &t.Threshold, &t.Period, &t.Active,
		&t.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	t.CustomerID = customer.Int64
	t.CreatedAt, t.UpdatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true}), fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &t, nil
}

// QualityTargets lists every target, active or not, by id. Staff only. Errors: forbidden,
// unauthenticated.
func (d *DB) QualityTargets(ctx context.Context) ([]*opsdesk.QualityTarget, error) {
	if err := mayReadQuality(ctx); err != nil {
		return nil, err
	}
	out, err := collect(scanQualityTarget)(d.query(ctx, qualityTargetSelect+` ORDER BY id`))
	return out, wrapErr("store.QualityTargets", err)
}

// QualityTarget reads one target. Staff only. Errors: not found, forbidden.
func (d *DB) QualityTarget(ctx context.Context, id int64) (*opsdesk.QualityTarget, error) {
	if err := mayReadQuality(ctx); err != nil {
		return nil, err
	}
	t, err := scanQualityTarget(d.queryRow(ctx, qualityTargetSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no quality target %d", id)
	}
	return t, wrapErr("store.QualityTarget", err)
}

// SaveQualityTarget creates a target (ID 0) or replaces every field of an existing one,
// including Active (a target is deactivated, never deleted: its results stay). The severity,
// when set, must be a known severity code, and the customer an existing customer. Ops managers
// and admins only. Errors: invalid (field named: indicator, severity, customer, comparator,
// threshold, period), forbidden, not found.
func (d *DB) SaveQualityTarget(ctx context.Context, t *opsdesk.QualityTarget) error {
	a := opsdesk.ActorFrom(ctx)
	if err := mayReadQuality(ctx); err != nil {
		return err
	}
	if !a.CanManage() {
		return opsdesk.Forbidden("only an ops manager sets quality targets")
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.SaveQualityTarget", func(tx *Tx) error {
		var n int
		if t.Severity != "" {
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM severities WHERE code = ?`, t.Severity).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return opsdesk.Invalid("severity", "unknown severity %q", t.Severity)
			}
		}
		if t.CustomerID != 0 {
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM customers WHERE id = ?`, t.CustomerID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return opsdesk.Invalid("customer", "no such customer")
			}
		}
		now := tx.now.UnixMilli()
		if t.ID == 0 {
			id, err := tx.insert(ctx, `INSERT INTO quality_targets (indicator, severity, customer_id, comparator, threshold, period,
				active, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				t.Indicator, t.Severity, nullID(t.CustomerID), t.Comparator, t.Threshold, t.Period, t.Active, a.Label, now, now)
			if err != nil {
				return err
			}
			t.ID, t.CreatedBy = id, a.Label
			t.CreatedAt = fromMS(sql.NullInt64{Int64: now, Valid: true})
			t.UpdatedAt = t.CreatedAt
			return nil
		}
		res, err := tx.exec(ctx, `UPDATE quality_targets SET indicator = ?, severity = ?, customer_id = ?, comparator = ?,
			threshold = ?, period = ?, active = ?, updated_at = ? WHERE id = ?`,
			t.Indicator, t.Severity, nullID(t.CustomerID), t.Comparator, t.Threshold, t.Period, t.Active, now, t.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return opsdesk.NotFound("no quality target %d", t.ID)
		}
		saved, err := scanQualityTarget(tx.queryRow(ctx, qualityTargetSelect+` WHERE id = ?`, t.ID))
		if err != nil {
			return err
		}
		*t = *saved
		return nil
	})
}

const qualityResultSelect = `SELECT target_id, period_start, period_end, measured, value, met, action_id, evaluated_at
	FROM quality_results`

func scanQualityResult(sc scanner) (*opsdesk.QualityResult, error) {
	var r opsdesk.QualityResult
	var start, end, at int64
	var action sql.NullInt64
	if err := sc.Scan(&r.TargetID, &start, &end, &r.Measured, &r.Value, &r.Met, &action, &at); err != nil {
		return nil, err
	}
	r.ActionID = action.Int64
	r.PeriodStart, r.PeriodEnd = fromMS(sql.NullInt64{Int64: start, Valid: true}), fromMS(sql.NullInt64{Int64: end, Valid: true})
	r.EvaluatedAt = fromMS(sql.NullInt64{Int64: at, Valid: true})
	return &r, nil
}

// QualityResults lists a target's evaluations, the latest period first, at most limit (1–500;
// default 100). Staff only. Errors: not found (no such target), forbidden.
func (d *DB) QualityResults(ctx context.Context, targetID int64, limit int) ([]*opsdesk.QualityResult, error) {
	if _, err := d.QualityTarget(ctx, targetID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	out, err := collect(scanQualityResult)(d.query(ctx, qualityResultSelect+` WHERE target_id = ?
		ORDER BY period_start DESC LIMIT ?`, targetID, limit))
	return out, wrapErr("store.QualityResults", err)
}

// LastQualityResults gives each target's latest evaluation (the latest period), by target id;
// a target never evaluated is absent. Staff only. Errors: forbidden.
func (d *DB) LastQualityResults(ctx context.Context) (map[int64]*opsdesk.QualityResult, error) {
	if err := mayReadQuality(ctx); err != nil {
		return nil, err
	}
	rs, err := collect(scanQualityResult)(d.query(ctx, qualityResultSelect+` r WHERE period_start =
		(SELECT MAX(l.period_start) FROM quality_results l WHERE l.target_id = r.target_id)`))
	if err != nil {
		return nil, wrapErr("store.LastQualityResults", err)
	}
	out := make(map[int64]*opsdesk.QualityResult, len(rs))
	for _, r := range rs {
		out[r.TargetID] = r
	}
	return out, nil
}
