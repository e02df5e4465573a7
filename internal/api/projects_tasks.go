package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// task is a task or milestone of a project's plan.
type task struct {
	ID            int64   `json:"id"`
	Phase         string  `json:"phase" doc:"phase code"`
	Title         string  `json:"title"`
	Milestone     bool    `json:"milestone"`
	Due           *string `json:"due" format:"date"`
	EstimateHours float64 `json:"estimate_hours"`
	Assignee      *person `json:"assignee" doc:"null when nobody"`
	DependsOn     []int64 `json:"depends_on" doc:"ids of the tasks it waits for"`
	Status        string  `json:"status" enum:"todo,in_progress,done"`
	DoneAt        *string `json:"done_at" format:"date-time"`
	Environment   int64   `json:"environment,omitempty" doc:"deployment tasks: the environment id"`
	Component     string  `json:"component,omitempty"`
	Version       string  `json:"version,omitempty"`
	Deployment    int64   `json:"deployment,omitempty" doc:"the deployment recorded when it was done"`
	RecurEvery    int     `json:"recur_every,omitempty"`
	RecurUnit     string  `json:"recur_unit,omitempty" enum:"weeks,months"`
	RecurrenceOf  int64   `json:"recurrence_of,omitempty" doc:"the occurrence this one follows"`
	Findings      string  `json:"findings" doc:"what the done task found (an audit, a review); \"\" when none"`
	UpdatedAt     string  `json:"updated_at" format:"date-time"`
}

// taskFields are the fields a task is created or changed with; absent fields are left as they are.
type taskFields struct {
	Phase         *string  `json:"phase" doc:"phase code (required to create)"`
	Title         *string  `json:"title" doc:"required to create"`
	Milestone     *bool    `json:"milestone"`
	Due           *string  `json:"due" format:"date" doc:"\"\" clears it"`
	EstimateHours *float64 `json:"estimate_hours" doc:"0 to 10000"`
	Assignee      *string  `json:"assignee" doc:"email of a member of the vendor's team, or me; \"\" clears it"`
	DependsOn     *[]int64 `json:"depends_on" doc:"the whole list: tasks of the same project, no cycle"`
	Environment   *int64   `json:"environment" doc:"deployment tasks: an environment of the project's customer (0 clears)"`
	Component     *string  `json:"component"`
	Version       *string  `json:"version"`
	RecurEvery    *int     `json:"recur_every" doc:"0 to 52; 0: does not recur"`
	RecurUnit     *string  `json:"recur_unit" enum:"weeks,months"`
	Status        *string  `json:"status" enum:"todo,in_progress,done" doc:"PATCH only (a new task is todo); done on a deployment task records the deployment: prod before the version succeeded on a preprod is 409 on version"`
	Findings      *string  `json:"findings" doc:"PATCH only, on a done task (applied after status, so done and findings go together; 422 otherwise): what it found, kept in the history; \"\" clears them"`
}

func taskJSON(t *opsdesk.Task) task {
	j := task{ID: t.ID, Phase: t.PhaseCode, Title: t.Title, Milestone: t.Milestone, Due: dayJSON(t.DueOn),
		EstimateHours: t.EstimateHours, Assignee: personOf(t.AssigneeID, t.Assignee), DependsOn: t.DependsOn,
		Status: string(t.Status), DoneAt: apijson.Time(t.DoneAt), Environment: t.EnvironmentID, Component: t.Component,
		Version: t.Version, Deployment: t.DeploymentID, RecurEvery: t.Recurrence.Every, RecurUnit: string(t.Recurrence.Unit),
		RecurrenceOf: t.RecurrenceOf, Findings: t.Findings, UpdatedAt: apijson.Stamp(t.UpdatedAt)}
	if j.DependsOn == nil {
		j.DependsOn = []int64{}
	}
	return j
}

// apply sets the given fields on t.
func (in taskFields) apply(ctx context.Context, a *API, t *opsdesk.Task) error {
	var err error
	for _, f := range []struct {
		in  *string
		out *string
	}{{in.Phase, &t.PhaseCode}, {in.Title, &t.Title}, {in.Component, &t.Component}, {in.Version, &t.Version}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	if in.Milestone != nil {
		t.Milestone = *in.Milestone
	}
	if in.Due != nil {
		if t.DueOn, err = parseDay("due", *in.Due); err != nil {
			return err
		}
	}
	if in.EstimateHours != nil {
		t.EstimateHours = *in.EstimateHours
	}
	if in.Assignee != nil {
		if t.AssigneeID, err = a.personID(ctx, *in.Assignee, "assignee"); err != nil {
			return err
		}
	}
	if in.DependsOn != nil {
		t.DependsOn = *in.DependsOn
	}
	if in.Environment != nil {
		t.EnvironmentID = *in.Environment
	}
	if in.RecurEvery != nil {
		t.Recurrence.Every = *in.RecurEvery
	}
	if in.RecurUnit != nil {
		t.Recurrence.Unit = opsdesk.RecurUnit(*in.RecurUnit)
	}
	return nil
}

// taskPath is where a task of a project lives.
func taskPath(projectID, taskID int64) string {
	return projectPath(projectID) + "/tasks/" + strconv.FormatInt(taskID, 10)
}

// readTask finds task id among the tasks of project projectID. Errors: not found.
func (a *API) readTask(ctx context.Context, projectID, id int64) (*opsdesk.Task, error) {
	ts, err := a.db.Tasks(ctx, projectID)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, opsdesk.NotFound("project %d has no task %d", projectID, id)
}

func (a *API) listTasks(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	ts, err := a.db.Tasks(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(ts, taskJSON))
}

func (a *API) createTask(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team plans tasks")
	}
	var in taskFields
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Status != nil {
		return opsdesk.Invalid("status", "a new task is todo: change its status with PATCH")
	}
	if in.Findings != nil {
		return opsdesk.Invalid("findings", "a new task is not done: record its findings with PATCH once it is")
	}
	t := &opsdesk.Task{ProjectID: p.ID}
	if err := in.apply(ctx, a, t); err != nil {
		return err
	}
	if err := a.db.SaveTask(ctx, t); err != nil {
		return err
	}
	if t, err = a.readTask(ctx, p.ID, t.ID); err != nil {
		return err
	}
	return created(w, taskPath(p.ID, t.ID), taskJSON(t))
}

func (a *API) patchTask(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "task")
	if err != nil {
		return err
	}
	t, err := a.readTask(ctx, p.ID, id)
	if err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team changes tasks")
	}
	var in taskFields
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	status, findings := in.Status, in.Findings
	if in.Status, in.Findings = nil, nil; in != (taskFields{}) {
		if err := in.apply(ctx, a, t); err != nil {
			return err
		}
		if err := a.db.SaveTask(ctx, t); err != nil {
			return err
		}
	}
	if status != nil {
		if _, err := a.db.SetTaskStatus(ctx, p.ID, t.ID, opsdesk.TaskStatus(*status)); err != nil {
			return err
		}
	}
	if findings != nil {
		if _, err := a.db.SetTaskFindings(ctx, p.ID, t.ID, *findings); err != nil {
			return err
		}
	}
	if t, err = a.readTask(ctx, p.ID, t.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, taskJSON(t))
}
