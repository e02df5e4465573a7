package store

import (
	"context"
	"fmt"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// SetTaskStatus moves a task to todo, in_progress or done. Staff only.
//
// Completing a deployment task records a successful deployment of its component and version to
// its environment, with the project's id, in the same transaction as the task: the promotion
// path (prod only after a preprod success) is the environment store's, and a refusal leaves the
// task as it was (conflict on "version").
//
// Completing a recurring task creates its next occurrence (same phase, title, estimate,
// assignee and recurrence), due one interval after this one's due day (or after today when it
// had none); an occurrence is created once, even if the task is reopened and done again.
//
// Errors: invalid, forbidden, not found, conflict.
func (d *DB) SetTaskStatus(ctx context.Context, projectID, taskID int64, status opsdesk.TaskStatus) (*opsdesk.Task, error) {
	if !status.Valid() {
		return nil, opsdesk.Invalid("status", "must be todo, in_progress or done")
	}
	var t *opsdesk.Task
	err := d.inTx(ctx, "store.SetTaskStatus", func(tx *Tx) error {
		cur, err := tx.taskToWrite(ctx, projectID, taskID, status)
		if err != nil {
			return err
		}
		var depID int64
		if status == opsdesk.TaskDone && cur.Deploys() {
			if !opsdesk.ActorFrom(ctx).IsStaff() {
				return opsdesk.Forbidden("only the vendor's team records deployments")
			}
			dep := opsdesk.Deployment{EnvironmentID: cur.EnvironmentID, Component: cur.Component, ToVersion: cur.Version,
				Outcome: opsdesk.DeploySuccess, ProjectID: projectID, Notes: fmt.Sprintf("project %d, task %d: %s", projectID, cur.ID, cur.Title)}
			if err := dep.Validate(); err != nil {
				return err
			}
			if err := tx.recordDeployment(ctx, &dep); err != nil {
				return err
			}
			depID = dep.ID
		}
		var doneAt any
		if status == opsdesk.TaskDone {
			doneAt = tx.now.UnixMilli()
		}
		if _, err := tx.exec(ctx, `UPDATE project_tasks SET status = ?, done_at = ?, deployment_id = COALESCE(?, deployment_id),
			updated_at = ? WHERE id = ?`, status, doneAt, nullID(depID), tx.now.UnixMilli(), taskID); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s: %s → %s", cur.Title, cur.Status, status)
		if depID != 0 {
			detail += fmt.Sprintf(" (deployment %d: %s %s)", depID, cur.Component, cur.Version)
		}
		if err := tx.projectEvent(ctx, projectID, "task_status", 0, 0, taskID, detail); err != nil {
			return err
		}
		if status == opsdesk.TaskDone && cur.Recurrence.Set() {
			if err := tx.nextOccurrence(ctx, cur); err != nil {
				return err
			}
		}
		tasks, err := readTasks(ctx, tx, projectID, taskID)
		if err == nil {
			t = tasks[0]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// taskToWrite reads a task whose status is to change to status. Errors: forbidden, not found,
// conflict (project closed, already in that status, a done deployment task).
func (tx *Tx) taskToWrite(ctx context.Context, projectID, taskID int64, status opsdesk.TaskStatus) (*opsdesk.Task, error) {
	if _, err := tx.projectToWrite(ctx, projectID, false); err != nil {
		return nil, err
	}
	tasks, err := readTasks(ctx, tx, projectID, taskID)
	if err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, opsdesk.NotFound("project %d has no task %d", projectID, taskID)
	}
	t := tasks[0]
	if t.Status == status {
		return nil, opsdesk.Conflict("status", "task %q is already %s", t.Title, status)
	}
	if t.Status == opsdesk.TaskDone && t.Deploys() {
		return nil, opsdesk.Conflict("status", "task %q is done: its deployment is recorded", t.Title)
	}
	return t, nil
}

// nextOccurrence creates the occurrence that follows recurring task t, once.
func (tx *Tx) nextOccurrence(ctx context.Context, t *opsdesk.Task) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM project_tasks WHERE recurrence_of = ?`, t.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	from := t.DueOn
	if from.IsZero() {
		from = opsdesk.Day(tx.now)
	}
	due := t.Recurrence.Next(from)
	id, err := tx.insert(ctx, `INSERT INTO project_tasks (project_id, phase_id, title, milestone, due_on, estimate_hours, assignee_id,
		status, recur_every, recur_unit, recurrence_of, created_at, updated_at)
		SELECT project_id, phase_id, title, milestone, ?, estimate_hours, assignee_id, 'todo', recur_every, recur_unit, id, ?, ?
		FROM project_tasks WHERE id = ?`, due.UnixMilli(), tx.now.UnixMilli(), tx.now.UnixMilli(), t.ID)
	if err != nil {
		return err
	}
	return tx.projectEvent(ctx, t.ProjectID, "task_created", 0, 0, id, fmt.Sprintf("%s (next occurrence, due %s)", t.Title, dayString(due)))
}

// ProjectStatusReport derives a project's status (on track, at risk, late, done) now, with the
// reasons. Errors: forbidden, not found.
func (d *DB) ProjectStatusReport(ctx context.Context, projectID int64) (opsdesk.StatusReport, error) {
	p, err := readProject(ctx, d, projectID)
	if err != nil {
		return opsdesk.StatusReport{}, wrapErr("store.ProjectStatusReport", err)
	}
	in := opsdesk.StatusInput{TargetOn: p.TargetOn, Closed: p.Closed()}
	if in.Phases, err = readPhases(ctx, d, projectID); err == nil {
		if in.Items, err = readItems(ctx, d, projectID, 0); err == nil {
			in.Tasks, err = readTasks(ctx, d, projectID, 0)
		}
	}
	if err != nil {
		return opsdesk.StatusReport{}, wrapErr("store.ProjectStatusReport", err)
	}
	return opsdesk.DeriveStatus(in, d.Now()), nil
}
