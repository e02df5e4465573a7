package store

import (
	"context"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// SetTaskFindings records what a done task found (an audit, a performance or monitoring
// review of the continuous-improvement phase): the text replaces the previous one ("" clears
// it) and the change is kept in the project history (action "task_findings", the text as the
// detail). A done deployment task takes findings too. Staff only.
//
// Errors: invalid ("findings": too long, or the task is not done), forbidden, not found,
// conflict (project closed).
func (d *DB) SetTaskFindings(ctx context.Context, projectID, taskID int64, findings string) (*opsdesk.Task, error) {
	findings, err := opsdesk.CleanFindings(findings)
	if err != nil {
		return nil, err
	}
	var t *opsdesk.Task
	err = d.inTx(ctx, "store.SetTaskFindings", func(tx *Tx) error {
		if _, err := tx.projectToWrite(ctx, projectID, false); err != nil {
			return err
		}
		tasks, err := readTasks(ctx, tx, projectID, taskID)
		if err != nil {
			return err
		}
		if len(tasks) == 0 {
			return opsdesk.NotFound("project %d has no task %d", projectID, taskID)
		}
		t = tasks[0]
		if t.Status != opsdesk.TaskDone {
			return opsdesk.Invalid("findings", "task %q is not done: findings are recorded once it is", t.Title)
		}
		if t.Findings == findings {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE project_tasks SET findings = ?, updated_at = ? WHERE id = ?`,
			findings, tx.now.UnixMilli(), taskID); err != nil {
			return err
		}
		t.Findings, t.UpdatedAt = findings, tx.now
		detail := t.Title + ": " + findings
		if findings == "" {
			detail = t.Title + ": (findings cleared)"
		}
		return tx.projectEvent(ctx, projectID, "task_findings", 0, 0, taskID, detail)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}
