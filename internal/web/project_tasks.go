package web

import (
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the task forms of a project's page: adding a task or milestone (with its
// estimate, assignee, due day, dependencies, and for a deployment task the environment,
// component and version) and changing a task's status. A deployment task set done records the
// deployment through the environment rules: the promotion-path refusal is shown on the task.

// taskFields are the fields of the task form a message can be about.
var taskFields = []string{"title", "phase", "due_on", "estimate_hours", "assignee", "depends_on", "environment", "component", "version", "recur_every", "recur_unit"}

// taskFromForm reads the task form.
func taskFromForm(f *form, projectID int64) (*opsdesk.Task, error) {
	t := &opsdesk.Task{ProjectID: projectID, PhaseCode: f.Get("phase"), Component: f.Get("component"), Version: f.Get("version")}
	if err := planFromForm(f, t); err != nil {
		return nil, err
	}
	var err error
	if t.EnvironmentID, err = formInt(f, "environment"); err != nil {
		return nil, err
	}
	every, err := formInt(f, "recur_every")
	if err != nil {
		return nil, err
	}
	t.Recurrence = opsdesk.Recurrence{Every: int(every), Unit: opsdesk.RecurUnit(f.Get("recur_unit"))}
	return t, nil
}

// planFromForm reads into t the fields the add and edit forms share: title, milestone, due day,
// estimate, assignee and dependencies (the whole list: none checked clears them).
func planFromForm(f *form, t *opsdesk.Task) error {
	t.Title, t.Milestone = f.Get("title"), f.Get("milestone") != ""
	var err error
	if t.DueOn, err = formDay(f, "due_on"); err != nil {
		return err
	}
	t.EstimateHours = 0
	if v := strings.TrimSpace(strings.Replace(f.Get("estimate_hours"), ",", ".", 1)); v != "" {
		if t.EstimateHours, err = strconv.ParseFloat(v, 64); err != nil {
			return opsdesk.Invalid("estimate_hours", "is not a number")
		}
	}
	if t.AssigneeID, err = formInt(f, "assignee"); err != nil {
		return err
	}
	t.DependsOn = nil
	for _, v := range f.Values["depends_on"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return opsdesk.Invalid("depends_on", "is not a whole number")
		}
		t.DependsOn = append(t.DependsOn, id)
	}
	return nil
}

// addTask adds a task or milestone to the plan.
func (s *Server) addTask(c *call) {
	s.projectAction(c, "task", taskFields, "tasks", "task_added", func(p *opsdesk.Project, f *form) error {
		t, err := taskFromForm(f, p.ID)
		if err != nil {
			return err
		}
		return s.db.SaveTask(c.ctx, t)
	})
}

// setTaskStatus moves a task to todo, in progress or done.
func (s *Server) setTaskStatus(c *call) {
	id, _ := pathID(c, "task")
	s.projectAction(c, "taskstatus-"+strconv.FormatInt(id, 10), nil, "task-"+strconv.FormatInt(id, 10), "task_status", func(p *opsdesk.Project, f *form) error {
		_, err := s.db.SetTaskStatus(c.ctx, p.ID, id, opsdesk.TaskStatus(f.Get("status")))
		return err
	})
}

// TaskStatusForm is FormFor for the status form of a task.
func (v *projectView) TaskStatusForm(id int64) *form {
	return v.FormFor("taskstatus-" + strconv.FormatInt(id, 10))
}

// TaskStatuses are the choices of a task's status form.
func (v *projectView) TaskStatuses() []opsdesk.TaskStatus {
	return []opsdesk.TaskStatus{opsdesk.TaskTodo, opsdesk.TaskInProgress, opsdesk.TaskDone}
}
