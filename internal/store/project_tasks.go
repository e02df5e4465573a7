package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const taskSelect = `SELECT t.id, t.project_id, ph.code, t.title, t.milestone, t.due_on, t.estimate_hours, t.assignee_id,
	COALESCE(NULLIF(u.name, ''), u.email, ''), t.status, t.done_at, t.environment_id, t.component, t.version, t.deployment_id,
	t.recur_every, t.recur_unit, t.recurrence_of, t.findings, t.created_at, t.updated_at
	FROM project_tasks t JOIN project_phases ph ON ph.id = t.phase_id LEFT JOIN users u ON u.id = t.assignee_id`

func scanTask(sc scanner) (*opsdesk.Task, error) {
	var t opsdesk.Task
	var due, assignee, done, env, dep, recurOf sql.NullInt64
	var created, updated int64
	if err := sc.Scan(&t.ID, &t.ProjectID, &t.PhaseCode, &t.Title, &t.Milestone, &due, &t.EstimateHours, &assignee, &t.Assignee,
		&t.Status, &done, &env, &t.Component, &t.Version, &dep, &t.Recurrence.Every, &t.Recurrence.Unit, &recurOf,
		&t.Findings, &created, &updated); err != nil {
		return nil, err
	}
	t.DueOn, t.DoneAt = fromMS(due), fromMS(done)
	t.AssigneeID, t.EnvironmentID, t.DeploymentID, t.RecurrenceOf = assignee.Int64, env.Int64, dep.Int64, recurOf.Int64
	t.CreatedAt, t.UpdatedAt = fromMS(valid(created)), fromMS(valid(updated))
	return &t, nil
}

// readTasks reads a project's tasks (only task id when not 0) by due day then id, with their
// dependencies.
func readTasks(ctx context.Context, r reader, projectID, id int64) ([]*opsdesk.Task, error) {
	q, args := taskSelect+` WHERE t.project_id = ?`, []any{projectID}
	if id != 0 {
		q, args = q+` AND t.id = ?`, append(args, id)
	}
	tasks, err := collect(scanTask)(r.query(ctx, q+` ORDER BY ph.position, COALESCE(t.due_on, 0), t.id`, args...))
	if err != nil || len(tasks) == 0 {
		return tasks, err
	}
	deps, err := taskDeps(ctx, r, projectID)
	for _, t := range tasks {
		t.DependsOn = deps[t.ID]
	}
	return tasks, err
}

// taskDeps maps each task of a project to the tasks it depends on.
func taskDeps(ctx context.Context, r reader, projectID int64) (map[int64][]int64, error) {
	type edge struct{ from, to int64 }
	edges, err := collect(func(sc scanner) (edge, error) {
		var e edge
		return e, sc.Scan(&e.from, &e.to)
	})(r.query(ctx, `SELECT d.task_id, d.depends_on FROM project_task_deps d JOIN project_tasks t ON t.id = d.task_id
		WHERE t.project_id = ? ORDER BY d.task_id, d.depends_on`, projectID))
	out := map[int64][]int64{}
	for _, e := range edges {
		out[e.from] = append(out[e.from], e.to)
	}
	return out, err
}

// Tasks lists a project's tasks and milestones. Errors: forbidden, not found.
func (d *DB) Tasks(ctx context.Context, projectID int64) ([]*opsdesk.Task, error) {
	if _, err := readProject(ctx, d, projectID); err != nil {
		return nil, wrapErr("store.Tasks", err)
	}
	out, err := readTasks(ctx, d, projectID, 0)
	return out, wrapErr("store.Tasks", err)
}

// SaveTask creates (ID 0) or updates a task or milestone of a project: its phase, title, due
// day, estimate, assignee (staff), dependencies (tasks of the same project, no cycle), deployment
// target (an environment of the project's customer, a component and a version) and recurrence.
// Its status changes through SetTaskStatus only. Staff only.
// Errors: invalid, forbidden, not found, conflict (project closed, task done).
func (d *DB) SaveTask(ctx context.Context, t *opsdesk.Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.SaveTask", func(tx *Tx) error {
		p, err := tx.projectToWrite(ctx, t.ProjectID, false)
		if err != nil {
			return err
		}
		phase, err := phaseByCode(ctx, tx, p.ID, t.PhaseCode)
		if opsdesk.IsKind(err, opsdesk.KindNotFound) {
			return opsdesk.Invalid("phase", "project has no phase %q", t.PhaseCode)
		}
		if err != nil {
			return err
		}
		if t.AssigneeID != 0 {
			if err := tx.staffUser(ctx, "assignee", t.AssigneeID); err != nil {
				return err
			}
		}
		if t.EnvironmentID != 0 {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM environments WHERE id = ? AND customer_id = ?`, t.EnvironmentID,
				p.CustomerID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return opsdesk.Invalid("environment", "environment %d is not one of this customer's", t.EnvironmentID)
			}
		}
		action := "task_created"
		if t.ID == 0 {
			t.Status, t.DoneAt, t.DeploymentID = opsdesk.TaskTodo, zeroTime, 0
			t.ID, err = tx.insert(ctx, `INSERT INTO project_tasks (project_id, phase_id, title, milestone, due_on, estimate_hours,
				assignee_id, status, environment_id, component, version, recur_every, recur_unit, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, 'todo', ?, ?, ?, ?, ?, ?, ?)`, p.ID, phase.ID, t.Title, t.Milestone, ms(t.DueOn),
				t.EstimateHours, nullID(t.AssigneeID), nullID(t.EnvironmentID), t.Component, t.Version, t.Recurrence.Every,
				t.Recurrence.Unit, tx.now.UnixMilli(), tx.now.UnixMilli())
			if err != nil {
				return err
			}
			t.CreatedAt = tx.now
		} else {
			old, err := readTasks(ctx, tx, p.ID, t.ID)
			if err != nil {
				return err
			}
			if len(old) == 0 {
				return opsdesk.NotFound("project %d has no task %d", p.ID, t.ID)
			}
			if old[0].Status == opsdesk.TaskDone && old[0].Deploys() {
				return opsdesk.Conflict("status", "task %q is done: its deployment is recorded", old[0].Title)
			}
			t.Status, t.DoneAt, t.DeploymentID, t.RecurrenceOf = old[0].Status, old[0].DoneAt, old[0].DeploymentID, old[0].RecurrenceOf
			t.Findings = old[0].Findings
			action = "task_updated"
			if _, err := tx.exec(ctx, `UPDATE project_tasks SET phase_id = ?, title = ?, milestone = ?, due_on = ?, estimate_hours = ?,
				assignee_id = ?, environment_id = ?, component = ?, version = ?, recur_every = ?, recur_unit = ?, updated_at = ?
				WHERE id = ?`, phase.ID, t.Title, t.Milestone, ms(t.DueOn), t.EstimateHours, nullID(t.AssigneeID),
				nullID(t.EnvironmentID), t.Component, t.Version, t.Recurrence.Every, t.Recurrence.Unit, tx.now.UnixMilli(), t.ID); err != nil {
				return err
			}
		}
		t.UpdatedAt = tx.now
		if err := tx.setTaskDeps(ctx, p.ID, t); err != nil {
			return err
		}
		return tx.projectEvent(ctx, p.ID, action, phase.ID, 0, t.ID, t.Title)
	})
}

// setTaskDeps replaces a task's dependencies, refusing (invalid on "depends_on") a task of
// another project, the task itself, or a cycle.
func (tx *Tx) setTaskDeps(ctx context.Context, projectID int64, t *opsdesk.Task) error {
	t.DependsOn = slices.Compact(slices.Sorted(slices.Values(t.DependsOn)))
	deps, err := taskDeps(ctx, tx, projectID)
	if err != nil {
		return err
	}
	for _, dep := range t.DependsOn {
		if dep == t.ID {
			return opsdesk.Invalid("depends_on", "a task cannot depend on itself")
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM project_tasks WHERE id = ? AND project_id = ?`, dep, projectID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return opsdesk.Invalid("depends_on", "task %d is not a task of this project", dep)
		}
	}
	deps[t.ID] = t.DependsOn
	if path := cycleFrom(deps, t.ID); path != nil {
		return opsdesk.Invalid("depends_on", "this dependency makes a cycle: %s", strings.Join(path, " → "))
	}
	if _, err := tx.exec(ctx, `DELETE FROM project_task_deps WHERE task_id = ?`, t.ID); err != nil {
		return err
	}
	for _, dep := range t.DependsOn {
		if _, err := tx.exec(ctx, `INSERT INTO project_task_deps (task_id, depends_on) VALUES (?, ?)`, t.ID, dep); err != nil {
			return err
		}
	}
	return nil
}

// cycleFrom returns the path of a dependency cycle through start ("3 → 5 → 3"), or nil.
func cycleFrom(deps map[int64][]int64, start int64) []string {
	seen := map[int64]bool{}
	var path []int64
	var walk func(id int64) bool
	walk = func(id int64) bool {
		path = append(path, id)
		for _, next := range deps[id] {
			if next == start {
				path = append(path, start)
				return true
			}
			if !seen[next] {
				seen[next] = true
				if walk(next) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if !walk(start) {
		return nil
	}
	out := make([]string, len(path))
	for i, id := range path {
		out[i] = fmt.Sprintf("task %d", id)
	}
	return out
}
