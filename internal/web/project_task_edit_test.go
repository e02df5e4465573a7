package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestProjectTaskEdit: staff edit a task's title, milestone flag, due day, estimate, assignee and
// dependencies from its row; a refused edit (a dependency cycle, no title) is re-rendered on the
// row's form with the input and the message next to the field, and changes nothing.
func TestProjectTaskEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		pr := f.project(t, db)
		plan := &opsdesk.Task{ProjectID: pr.ID, PhaseCode: "framing", Title: "Plan"}
		must(t, db.SaveTask(as(f.agent), plan))
		build := &opsdesk.Task{ProjectID: pr.ID, PhaseCode: "framing", Title: "Build", EstimateHours: 2, DependsOn: []int64{plan.ID}}
		must(t, db.SaveTask(as(f.agent), build))
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(f.agent.Email, password)
		path := projectPath(pr)
		editPlan, editBuild := path+"/tasks/"+itoa(plan.ID), path+"/tasks/"+itoa(build.ID)

		// The form holds the task's values: posting it with a new title keeps the rest.
		agent.follow(agent.submit(path, editBuild, url.Values{"title": {"Build the platform"}})).
			wantText(t, "task-"+itoa(build.ID), "Build the platform", "Plan")
		got := taskByID(t, db, pr.ID, build.ID)
		if got.Title != "Build the platform" || got.EstimateHours != 2 || len(got.DependsOn) != 1 || got.DependsOn[0] != plan.ID {
			t.Fatalf("after a title change: %+v", got)
		}
		// Every field.
		agent.submit(path, editBuild, url.Values{"title": {"Build v2"}, "milestone": {"on"}, "due_on": {"2027-05-02"},
			"estimate_hours": {"6,5"}, "assignee": {itoa(f.agent.ID)}, "depends_on": nil}).want(t, http.StatusSeeOther)
		got = taskByID(t, db, pr.ID, build.ID)
		if got.Title != "Build v2" || !got.Milestone || got.DueOn.Format("2006-01-02") != "2027-05-02" || got.EstimateHours != 6.5 ||
			got.AssigneeID != f.agent.ID || len(got.DependsOn) != 0 {
			t.Fatalf("after editing every field: %+v", got)
		}
		agent.submit(path, editBuild, url.Values{"depends_on": {itoa(plan.ID)}}).want(t, http.StatusSeeOther)

		// Refusals: the message on the row's form, the input kept, nothing changed.
		cases := []struct {
			name    string
			action  string
			values  url.Values
			form    string
			want    []string
			details string
		}{
			{"a dependency cycle", editPlan, url.Values{"title": {"Plan (new)"}, "depends_on": {itoa(build.ID)}},
				"taskedit-" + itoa(plan.ID) + "-depends_on-error", []string{"cycle"}, "taskedit-" + itoa(plan.ID) + "-details"},
			{"no title", editBuild, url.Values{"title": {" "}, "estimate_hours": {"9"}}, "taskedit-" + itoa(build.ID) + "-title-error", []string{"required"}, "taskedit-" + itoa(build.ID) + "-details"},
			{"a bad estimate", editBuild, url.Values{"estimate_hours": {"many"}}, "taskedit-" + itoa(build.ID) + "-estimate_hours-error", []string{"number"}, "taskedit-" + itoa(build.ID) + "-details"},
		}
		for _, c := range cases {
			p := agent.submit(path, c.action, c.values).want(t, http.StatusUnprocessableEntity)
			p.wantText(t, c.form, c.want...)
			if d := byID(p.doc, c.details); d == nil || !hasAttr(d, "open") {
				t.Errorf("%s: the row's edit form is not open", c.name)
			}
		}
		if p := agent.submit(path, editPlan, url.Values{"title": {"Plan (new)"}, "depends_on": {itoa(build.ID)}}); attr(byID(p.doc, "taskedit-"+itoa(plan.ID)+"-title"), "value") != "Plan (new)" {
			t.Error("the refused title was not kept")
		}
		if got := taskByID(t, db, pr.ID, plan.ID); got.Title != "Plan" || len(got.DependsOn) != 0 {
			t.Errorf("refused edits changed the task: %+v", got)
		}
		if got := taskByID(t, db, pr.ID, build.ID); got.Title != "Build v2" || got.EstimateHours != 6.5 {
			t.Errorf("refused edits changed the task: %+v", got)
		}
		// The history says who changed it; a customer may not post.
		agent.get(path).wantText(t, "history", "updated a task", "Build v2")
		alice := ws.client()
		alice.login(f.alice.Email, password)
		alice.post(editBuild, url.Values{"csrf": {alice.csrf()}, "title": {"Mine"}}).want(t, http.StatusForbidden)
		alice.post(editBuild+"/findings", url.Values{"csrf": {alice.csrf()}, "findings": {"x"}}).want(t, http.StatusForbidden)
		if got := taskByID(t, db, pr.ID, build.ID); got.Title != "Build v2" {
			t.Errorf("a customer's post changed the task: %+v", got)
		}
	})
}

// TestProjectTaskFindings: the findings of a done audit are recorded from its row, shown in a
// box on it and kept in the history; a task not done refuses them with the message on the page.
func TestProjectTaskFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		pr := f.project(t, db)
		audit := &opsdesk.Task{ProjectID: pr.ID, PhaseCode: "improvement", Title: "Quarterly security audit",
			Recurrence: opsdesk.Recurrence{Every: 3, Unit: opsdesk.RecurMonths}}
		must(t, db.SaveTask(as(f.agent), audit))
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(f.ops.Email, password)
		path := projectPath(pr)
		row, action := "task-"+itoa(audit.ID), path+"/tasks/"+itoa(audit.ID)+"/findings"
		p := ops.get(path)
		if byID(p.doc, "findings-"+itoa(audit.ID)) != nil {
			t.Error("a task not done offers the findings form")
		}
		// Posted anyway: refused, the message at the top of the page.
		ops.post(action, url.Values{"csrf": {ops.csrf()}, "findings": {"early"}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "main", "not done")
		ops.submit(path, path+"/tasks/"+itoa(audit.ID)+"/status", url.Values{"status": {"done"}}).want(t, http.StatusSeeOther)

		text := "Two medium findings:\nTLS 1.0 still on the API\nan admin without MFA"
		p = ops.follow(ops.submit(path, action, url.Values{"findings": {text}}))
		p.wantText(t, "findings-"+itoa(audit.ID)+"-box", "Findings", "TLS 1.0 still on the API", "an admin without MFA")
		p.wantText(t, "history", "recorded a task's findings", "Quarterly security audit", "TLS 1.0")
		if got := taskByID(t, db, pr.ID, audit.ID); got.Findings != text {
			t.Errorf("stored findings %q", got.Findings)
		}
		// The form holds them; too long is refused on the field with the input kept.
		long := strings.Repeat("x", opsdesk.MaxFindings+1)
		p = ops.submit(path, action, url.Values{"findings": {long}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "findings-"+itoa(audit.ID)+"-findings-error", "20000")
		if got := byID(p.doc, "findings-"+itoa(audit.ID)+"-findings"); got == nil || textOf(got) != long {
			t.Error("the refused findings were not kept in the form")
		}
		if got := taskByID(t, db, pr.ID, audit.ID); got.Findings != text {
			t.Errorf("a refused post changed the findings: %q", got.Findings)
		}
		// The next occurrence has none; French page.
		ops.header.Set("Accept-Language", "fr")
		ops.get(path).wantText(t, row+"-more", "Constats", "Modifier les constats", "Modifier la tâche")
	})
}

func taskByID(t *testing.T, db *store.DB, projectID, id int64) *opsdesk.Task {
	t.Helper()
	tasks, err := db.Tasks(system, projectID)
	must(t, err)
	for _, tk := range tasks {
		if tk.ID == id {
			return tk
		}
	}
	t.Fatalf("no task %d", id)
	return nil
}
