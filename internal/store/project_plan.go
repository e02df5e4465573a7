package store

import (
	"context"
	"database/sql"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// OpenProjectTasks lists the unfinished tasks and milestones of every open project, for the
// steering plan: each with its project's name, customer, agreed priority and target day, the
// soonest due first (no due day last), then by priority. Dependencies are not loaded. Staff only.
// Errors: forbidden.
func (d *DB) OpenProjectTasks(ctx context.Context) ([]*opsdesk.PlanTask, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads the plan")
	}
	q := `SELECT t.id, t.project_id, ph.code, t.title, t.milestone, t.due_on, t.estimate_hours, t.assignee_id,
		COALESCE(NULLIF(u.name, ''), u.email, ''), t.status, t.done_at, t.environment_id, t.component, t.version, t.deployment_id,
		t.recur_every, t.recur_unit, t.recurrence_of, t.findings, t.created_at, t.updated_at,
		p.name, p.customer_id, p.priority, p.ops_agreed_at IS NOT NULL AND p.pm_agreed_at IS NOT NULL, p.target_on
		FROM project_tasks t JOIN project_phases ph ON ph.id = t.phase_id JOIN projects p ON p.id = t.project_id
		LEFT JOIN users u ON u.id = t.assignee_id
		WHERE t.status <> 'done' AND p.closed_at IS NULL
		ORDER BY CASE WHEN t.due_on IS NULL THEN 1 ELSE 0 END, t.due_on, CASE p.priority WHEN 'critical' THEN 0
		WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, t.id`
	out, err := collect(func(sc scanner) (*opsdesk.PlanTask, error) {
		var pt opsdesk.PlanTask
		var target sql.NullInt64
		t, err := scanTask(extraScanner{sc, []any{&pt.ProjectName, &pt.CustomerID, &pt.Priority, &pt.PriorityAgreed, &target}})
		if err != nil {
			return nil, err
		}
		pt.Task, pt.TargetOn = *t, fromMS(target)
		return &pt, nil
	})(d.query(ctx, q))
	return out, wrapErr("store.OpenProjectTasks", err)
}

// extraScanner appends destinations to a scan, so scanTask reads rows that carry more columns.
type extraScanner struct {
	sc    scanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.sc.Scan(append(dest, e.extra...)...) }
