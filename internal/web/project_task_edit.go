package web

import (
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the forms of a task's row on a project's page that change a task after its
// creation: editing its title, milestone flag, due day, estimate, assignee and dependencies
// (its phase, deployment target and recurrence stay as they are), and recording the findings of
// a done task (an audit, a performance or monitoring review of continuous improvement). Both
// post, redirect back to the task's row, and re-render the row's form with the message next to
// its field on a refusal (a dependency cycle on "depends_on").

// taskEditFields are the fields of the task edit form a message can be about.
var taskEditFields = []string{"title", "due_on", "estimate_hours", "assignee", "depends_on"}

func taskAnchor(id int64) string { return "task-" + strconv.FormatInt(id, 10) }

// findTask returns task id of tasks, or nil.
func findTask(tasks []*opsdesk.Task, id int64) *opsdesk.Task {
	for _, t := range tasks {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// editTask changes a task's title, milestone flag, due day, estimate, assignee and dependencies.
func (s *Server) editTask(c *call) {
	id, _ := pathID(c, "task")
	s.projectAction(c, "taskedit-"+strconv.FormatInt(id, 10), taskEditFields, taskAnchor(id), "task_edited", func(p *opsdesk.Project, f *form) error {
		tasks, err := s.db.Tasks(c.ctx, p.ID)
		if err != nil {
			return err
		}
		t := findTask(tasks, id)
		if t == nil {
			return opsdesk.NotFound("project %d has no task %d", p.ID, id)
		}
		if err := planFromForm(f, t); err != nil {
			return err
		}
		return s.db.SaveTask(c.ctx, t)
	})
}

// setTaskFindings records (or clears) the findings of a done task.
func (s *Server) setTaskFindings(c *call) {
	id, _ := pathID(c, "task")
	s.projectAction(c, "findings-"+strconv.FormatInt(id, 10), []string{"findings"}, taskAnchor(id), "task_findings", func(p *opsdesk.Project, f *form) error {
		_, err := s.db.SetTaskFindings(c.ctx, p.ID, id, f.Get("findings"))
		return err
	})
}

// TaskEditForm is the edit form of task t: the failed one with its input, or one holding the
// task's current values.
func (v *projectView) TaskEditForm(t *opsdesk.Task) *form {
	id := "taskedit-" + strconv.FormatInt(t.ID, 10)
	if v.Failed != nil && v.Failed.ID == id {
		return v.Failed
	}
	vals := map[string][]string{"title": {t.Title}}
	if t.Milestone {
		vals["milestone"] = []string{"on"}
	}
	if !t.DueOn.IsZero() {
		vals["due_on"] = []string{t.DueOn.UTC().Format(time.DateOnly)}
	}
	if t.EstimateHours != 0 {
		vals["estimate_hours"] = []string{strconv.FormatFloat(t.EstimateHours, 'f', -1, 64)}
	}
	if t.AssigneeID != 0 {
		vals["assignee"] = []string{strconv.FormatInt(t.AssigneeID, 10)}
	}
	for _, d := range t.DependsOn {
		vals["depends_on"] = append(vals["depends_on"], strconv.FormatInt(d, 10))
	}
	return newForm(id, vals)
}

// TaskEditOpen tells whether task t's edit form is to be shown open (it failed).
func (v *projectView) TaskEditOpen(t *opsdesk.Task) bool {
	return v.Failed != nil && v.Failed.ID == "taskedit-"+strconv.FormatInt(t.ID, 10)
}

// OtherTasks are the tasks task id may depend on: every other task of the project.
func (v *projectView) OtherTasks(id int64) []option {
	var out []option
	for _, o := range v.DependOptions {
		if o.Value != strconv.FormatInt(id, 10) {
			out = append(out, o)
		}
	}
	return out
}

// FindingsForm is the findings form of a done task, holding its findings until it fails.
func (v *projectView) FindingsForm(t *opsdesk.Task) *form {
	id := "findings-" + strconv.FormatInt(t.ID, 10)
	if v.Failed != nil && v.Failed.ID == id {
		return v.Failed
	}
	return newForm(id, map[string][]string{"findings": {t.Findings}})
}

// TaskEditable tells whether task t's edit form is offered: a done deployment task's
// deployment is recorded and it no longer changes.
func (v *projectView) TaskEditable(t *opsdesk.Task) bool {
	return !v.P.Closed() && !(t.Status == opsdesk.TaskDone && t.Deploys())
}
