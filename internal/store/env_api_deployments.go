package store

import (
	"context"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ListDeploymentsPage returns a page of an environment's deployment history in
// ListDeployments's order (newest first by end, start, plan or record time) and the cursor of
// the next page ("" at the end), with the same visibility. The REST API pages the history with
// it: a pipeline recording every build makes it long. limit: 1 to 500, default 100.
// Errors: not found, forbidden, invalid (cursor).
func (d *DB) ListDeploymentsPage(ctx context.Context, envID int64, limit int, cursor string) ([]*opsdesk.Deployment, string, error) {
	if _, err := d.envToRead(ctx, envID, partVersions); err != nil {
		return nil, "", err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	const at = `COALESCE(d.finished_at, d.started_at, d.planned_at, d.created_at)`
	q, args := deploymentSelect+` WHERE d.environment_id = ?`, []any{envID}
	if cursor != "" {
		v, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, "", opsdesk.Invalid("cursor", "is not a cursor this list gave")
		}
		q, args = q+` AND (`+at+` < ? OR (`+at+` = ? AND d.id < ?))`, append(args, v, v, id)
	}
	out, err := collect(scanDeployment)(d.query(ctx, q+` ORDER BY `+at+` DESC, d.id DESC LIMIT ?`, append(args, limit+1)...))
	if err != nil {
		return nil, "", wrapErr("store.ListDeploymentsPage", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeCursor(deploymentInstant(last).UnixMilli(), last.ID)
	}
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		for _, dep := range out {
			dep.ByID, dep.By, dep.Notes, dep.EmergencyReason = 0, "", "", ""
		}
	}
	return out, next, nil
}

// deploymentInstant is the instant a deployment is sorted by in its history.
func deploymentInstant(d *opsdesk.Deployment) time.Time {
	for _, t := range []time.Time{d.FinishedAt, d.StartedAt, d.PlannedAt} {
		if !t.IsZero() {
			return t
		}
	}
	return d.CreatedAt
}
