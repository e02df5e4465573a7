package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// EvaluateQualityTargets measures every active target over its last complete period before
// now (the previous ISO week or the previous month, in UTC: opsdesk.QualityTarget.LastPeriod)
// with Indicators, filtered by the target's severity and customer, and stores the result (one
// per target and period; a later evaluation of the same period replaces the figures). When the
// indicator was measured and missed the threshold, it proposes one corrective action, source
// quality_target, with the unique key target:<id>:<period start day>: evaluating again — or
// after the suggestion was rejected — never proposes it twice. A period where nothing was
// counted is stored as not measured and proposes nothing. Meant for the hourly job (system
// actor); ops managers and admins may run it. It returns the results of this run (Proposed
// marks those that proposed their action now); a target that fails is reported in the error
// and the others are still evaluated.
// Errors: forbidden, unauthenticated.
func (d *DB) EvaluateQualityTargets(ctx context.Context, now time.Time) ([]*opsdesk.QualityResult, error) {
	if err := mayReadQuality(ctx); err != nil {
		return nil, err
	}
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return nil, opsdesk.Forbidden("only an ops manager evaluates quality targets")
	}
	targets, err := d.QualityTargets(ctx)
	if err != nil {
		return nil, err
	}
	var out []*opsdesk.QualityResult
	var errs []error
	measured := map[opsdesk.IndicatorFilter]*opsdesk.Indicators{} // targets of one filter and period share one read
	for _, t := range targets {
		if !t.Active {
			continue
		}
		r, err := d.evaluateQualityTarget(ctx, t, now, measured)
		if err != nil {
			errs = append(errs, fmt.Errorf("quality target %d: %w", t.ID, err))
			continue
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

// evaluateQualityTarget measures one target over its last complete period (read once per filter
// and period through measured), then records the result and, when missed, the proposed action
// in one transaction.
func (d *DB) evaluateQualityTarget(ctx context.Context, t *opsdesk.QualityTarget, now time.Time,
	measured map[opsdesk.IndicatorFilter]*opsdesk.Indicators) (*opsdesk.QualityResult, error) {
	start, end := t.LastPeriod(now)
	f := opsdesk.IndicatorFilter{From: start, To: end, CustomerID: t.CustomerID, Severity: t.Severity}
	ind := measured[f]
	if ind == nil {
		var err error
		if ind, err = d.Indicators(ctx, f); err != nil {
			return nil, err
		}
		measured[f] = ind
	}
	r := &opsdesk.QualityResult{TargetID: t.ID, PeriodStart: start, PeriodEnd: end}
	r.Value, r.Measured = t.Indicator.Measure(ind)
	r.Met = !r.Measured || t.Met(r.Value)
	by := opsdesk.ActorFrom(ctx).Label
	err := d.inTx(ctx, "store.EvaluateQualityTargets", func(tx *Tx) error {
		if err := tx.lock(ctx, "quality:"+strconv.FormatInt(t.ID, 10)); err != nil {
			return err
		}
		r.EvaluatedAt, r.ActionID, r.Proposed = tx.now.UTC().Truncate(time.Millisecond), 0, false
		key := "target:" + strconv.FormatInt(t.ID, 10) + ":" + start.Format(time.DateOnly)
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM capa_actions WHERE suggest_key = ?`, key).Scan(&r.ActionID); err != nil {
			return err
		}
		if r.Measured && !r.Met && r.ActionID == 0 {
			title, desc, err := tx.qualityActionText(ctx, t, r)
			if err != nil {
				return err
			}
			a := &opsdesk.Action{Kind: opsdesk.ActionCorrective, Title: title, Description: desc, Source: opsdesk.SourceQualityTarget,
				SourceID: t.ID, SuggestKey: key, CustomerID: t.CustomerID, Status: opsdesk.ActionProposed}
			if err := tx.insertAction(ctx, a, by, "suggested"); err != nil {
				return err
			}
			r.ActionID, r.Proposed = a.ID, true
		}
		_, err := tx.exec(ctx, `INSERT INTO quality_results (target_id, period_start, period_end, measured, value, met, action_id, evaluated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (target_id, period_start) DO UPDATE SET period_end = excluded.period_end, measured = excluded.measured,
				value = excluded.value, met = excluded.met, action_id = excluded.action_id, evaluated_at = excluded.evaluated_at`,
			t.ID, start.UnixMilli(), end.UnixMilli(), r.Measured, r.Value, r.Met, nullID(r.ActionID), r.EvaluatedAt.UnixMilli())
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// qualityActionText writes the proposed action's title and description (in English, as the
// other suggestions): which target, over which period, the value against the threshold.
func (tx *Tx) qualityActionText(ctx context.Context, t *opsdesk.QualityTarget, r *opsdesk.QualityResult) (string, string, error) {
	what := string(t.Indicator)
	if t.Severity != "" {
		what += " (" + t.Severity + ")"
	}
	if t.CustomerID != 0 {
		var code string
		if err := tx.queryRow(ctx, `SELECT code FROM customers WHERE id = ?`, t.CustomerID).Scan(&code); err != nil {
			return "", "", err
		}
		what += " for " + code
	}
	cmp := "≥"
	if t.Comparator == opsdesk.CompareAtMost {
		cmp = "≤"
	}
	period := "month " + r.PeriodStart.Format("2006-01")
	if t.Period == opsdesk.PeriodWeek {
		y, w := r.PeriodStart.ISOWeek()
		period = fmt.Sprintf("week %d-W%02d", y, w)
	}
	title := fmt.Sprintf("Quality target missed over %s: %s %s %s (measured %s)", period, what, cmp, qualityNumber(t.Threshold), qualityNumber(r.Value))
	desc := fmt.Sprintf("Quality target #%d — %s %s %s over each %s — was missed from %s to %s (UTC, end excluded): the indicator measured %s.",
		t.ID, what, cmp, qualityNumber(t.Threshold), t.Period, r.PeriodStart.Format(time.DateOnly), r.PeriodEnd.Format(time.DateOnly), qualityNumber(r.Value))
	return title, desc, nil
}

// qualityNumber writes a figure with at most two decimals and no trailing zeros: 95, 4.2, 87.5.
func qualityNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
