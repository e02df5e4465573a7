package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestProjectDeploymentTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		deploy := func(env *opsdesk.Environment) *opsdesk.Task {
			t.Helper()
			task := &opsdesk.Task{ProjectID: id, PhaseCode: "deployment", Title: "Deploy 4.2.0 on " + env.Name, EstimateHours: 4,
				AssigneeID: f.agent.ID, EnvironmentID: env.ID, Component: " App ", Version: "4.2.0"}
			if err := db.SaveTask(as(f.pm), task); err != nil {
				t.Fatal(err)
			}
			return task
		}
		test, pre, prod := deploy(f.acmeTest), deploy(f.acmePre), deploy(f.acmeProd)
		bad := &opsdesk.Task{ProjectID: id, PhaseCode: "deployment", Title: "x", EnvironmentID: f.globexPre.ID, Component: "app", Version: "1"}
		wantErr(t, "another customer's environment", db.SaveTask(as(f.pm), bad), opsdesk.KindInvalid, "environment")
		bad = &opsdesk.Task{ProjectID: id, PhaseCode: "deployment", Title: "x", EnvironmentID: f.acmeTest.ID}
		wantErr(t, "no version", db.SaveTask(as(f.pm), bad), opsdesk.KindInvalid, "version")

		steps := []struct {
			name  string
			task  *opsdesk.Task
			kind  opsdesk.Kind
			field string
		}{
			{"prod before anything", prod, opsdesk.KindConflict, "version"},
			{"test", test, "", ""},
			{"prod after test only", prod, opsdesk.KindConflict, "version"},
			{"preprod", pre, "", ""},
			{"prod after preprod", prod, "", ""},
			{"prod again", prod, opsdesk.KindConflict, "status"},
		}
		for _, s := range steps {
			f.tick()
			got, err := db.SetTaskStatus(as(f.agent), id, s.task.ID, opsdesk.TaskDone)
			if s.kind != "" {
				wantErr(t, s.name, err, s.kind, s.field)
				continue
			}
			if err != nil || got.Status != opsdesk.TaskDone || got.DeploymentID == 0 || !got.DoneAt.Equal(f.now) {
				t.Fatalf("%s: %+v %v", s.name, got, err)
			}
		}
		// The refused prod attempts left no deployment and the task as it was until preprod passed.
		deps, err := db.ListDeployments(admin, f.acmeProd.ID, 0)
		if err != nil || len(deps) != 1 || deps[0].ProjectID != id || deps[0].Outcome != opsdesk.DeploySuccess ||
			deps[0].Component != "app" || deps[0].ToVersion != "4.2.0" {
			t.Fatalf("prod deployments = %+v %v", deps, err)
		}
		for _, env := range []*opsdesk.Environment{f.acmeTest, f.acmePre} {
			if deps, err := db.ListDeployments(admin, env.ID, 0); err != nil || len(deps) != 1 || deps[0].ProjectID != id {
				t.Fatalf("%s deployments = %+v %v", env.Name, deps, err)
			}
		}
		tasks, err := db.Tasks(as(f.custA), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range tasks {
			if tk.ID == prod.ID && (tk.DeploymentID != deps[0].ID || tk.Status != opsdesk.TaskDone) {
				t.Fatalf("prod task = %+v", tk)
			}
		}
		// A done deployment task neither reopens nor changes.
		_, err = db.SetTaskStatus(as(f.agent), id, test.ID, opsdesk.TaskTodo)
		wantErr(t, "reopen a deployment", err, opsdesk.KindConflict, "status")
		test.Version = "4.3.0"
		wantErr(t, "edit a deployment", db.SaveTask(as(f.pm), test), opsdesk.KindConflict, "status")
	})
}

func TestProjectTaskDependencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		mk := func(title string, deps ...int64) *opsdesk.Task {
			t.Helper()
			task := &opsdesk.Task{ProjectID: id, PhaseCode: "framing", Title: title, EstimateHours: 8, DependsOn: deps}
			if err := db.SaveTask(as(f.pm), task); err != nil {
				t.Fatalf("%s: %v", title, err)
			}
			return task
		}
		a := mk("a")
		b := mk("b", a.ID)
		c := mk("c", b.ID, a.ID, b.ID)
		other := &opsdesk.Task{ProjectID: f.globexProj.ID, PhaseCode: "framing", Title: "globex"}
		if err := db.SaveTask(as(f.ops), other); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name    string
			task    *opsdesk.Task
			deps    []int64
			kind    opsdesk.Kind
			mention string
		}{
			{"direct cycle", a, []int64{b.ID}, opsdesk.KindInvalid, "cycle"},
			{"longer cycle", a, []int64{c.ID}, opsdesk.KindInvalid, "cycle"},
			{"itself", b, []int64{b.ID}, opsdesk.KindInvalid, "itself"},
			{"another project's task", b, []int64{other.ID}, opsdesk.KindInvalid, "not a task of this project"},
			{"no such task", b, []int64{99999}, opsdesk.KindInvalid, "not a task of this project"},
			{"no cycle", b, []int64{a.ID}, "", ""},
		}
		for _, cs := range cases {
			t.Run(cs.name, func(t *testing.T) {
				task := *cs.task
				task.DependsOn = cs.deps
				err := db.SaveTask(as(f.pm), &task)
				if cs.kind == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				wantErr(t, cs.name, err, cs.kind, "depends_on")
				if !strings.Contains(opsdesk.ErrorMessage(err), cs.mention) {
					t.Fatalf("message %q does not mention %q", opsdesk.ErrorMessage(err), cs.mention)
				}
			})
		}
		tasks, err := db.Tasks(admin, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range tasks {
			want := map[int64][]int64{a.ID: nil, b.ID: {a.ID}, c.ID: {a.ID, b.ID}}[tk.ID]
			if !slices.Equal(tk.DependsOn, want) {
				t.Fatalf("task %s depends on %v, want %v", tk.Title, tk.DependsOn, want)
			}
		}
	})
}

func TestProjectRecurringTask(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		due := f.start.AddDate(0, 1, 0)
		review := &opsdesk.Task{ProjectID: id, PhaseCode: "improvement", Title: "Performance review", DueOn: due, EstimateHours: 3,
			AssigneeID: f.agent.ID, Recurrence: opsdesk.Recurrence{Every: 2, Unit: opsdesk.RecurWeeks}}
		if err := db.SaveTask(as(f.ops), review); err != nil {
			t.Fatal(err)
		}
		monthly := &opsdesk.Task{ProjectID: id, PhaseCode: "improvement", Title: "Audit", Recurrence: opsdesk.Recurrence{Every: 3, Unit: opsdesk.RecurMonths}}
		if err := db.SaveTask(as(f.ops), monthly); err != nil {
			t.Fatal(err)
		}
		bad := &opsdesk.Task{ProjectID: id, PhaseCode: "improvement", Title: "x", Recurrence: opsdesk.Recurrence{Every: 2, Unit: "days"}}
		wantErr(t, "unknown unit", db.SaveTask(as(f.ops), bad), opsdesk.KindInvalid, "recur_unit")
		if _, err := db.SetTaskStatus(as(f.agent), id, review.ID, opsdesk.TaskInProgress); err != nil {
			t.Fatal(err)
		}
		// In progress creates nothing; done creates the next occurrence once, even done twice.
		for range 2 {
			if _, err := db.SetTaskStatus(as(f.agent), id, review.ID, opsdesk.TaskDone); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SetTaskStatus(as(f.agent), id, review.ID, opsdesk.TaskTodo); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SetTaskStatus(as(f.agent), id, monthly.ID, opsdesk.TaskDone); err != nil {
			t.Fatal(err)
		}
		tasks, err := db.Tasks(admin, id)
		if err != nil {
			t.Fatal(err)
		}
		var next []*opsdesk.Task
		for _, tk := range tasks {
			if tk.RecurrenceOf != 0 {
				next = append(next, tk)
			}
		}
		if len(next) != 2 {
			t.Fatalf("next occurrences = %d, want 2: %+v", len(next), next)
		}
		for _, n := range next {
			switch n.RecurrenceOf {
			case review.ID:
				if !n.DueOn.Equal(due.AddDate(0, 0, 14)) || n.Status != opsdesk.TaskTodo || n.AssigneeID != f.agent.ID ||
					n.EstimateHours != 3 || n.Recurrence != review.Recurrence || n.PhaseCode != "improvement" {
					t.Fatalf("next review = %+v", n)
				}
			case monthly.ID: // no due day: three months after the day it was done
				if !n.DueOn.Equal(f.start.AddDate(0, 3, 0)) {
					t.Fatalf("next audit due %v", n.DueOn)
				}
			default:
				t.Fatalf("unexpected occurrence %+v", n)
			}
		}
	})
}

func TestProjectTemplateEdit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		tpl, err := db.ProjectTemplate(as(f.pm), "")
		if err != nil {
			t.Fatal(err)
		}
		before, err := db.Items(admin, f.acmeProj.ID)
		if err != nil {
			t.Fatal(err)
		}
		tpl.Phases = tpl.Phases[:2]
		tpl.Phases[0].Items[0].TitleEN, tpl.Phases[0].Items[0].TitleFR = "Target architecture (v2)", "Architecture cible (v2)"
		tpl.Phases[0].Items = append(tpl.Phases[0].Items, opsdesk.TemplateItem{TitleFR: "Sauvegardes", TitleEN: "Backups",
			OwnerSide: opsdesk.SideCustomer, Kind: opsdesk.ItemPrerequisite, OffsetDays: 5})
		wantKind(t, db.SaveProjectTemplate(as(f.ops), tpl), opsdesk.KindForbidden)
		bad := *tpl
		bad.Phases = []opsdesk.TemplatePhase{{Code: "a", NameFR: "A", NameEN: "A"}, {Code: "a", NameFR: "B", NameEN: "B"}}
		wantErr(t, "duplicate phase", db.SaveProjectTemplate(as(f.adm), &bad), opsdesk.KindInvalid, "phases")
		if err := db.SaveProjectTemplate(as(f.adm), tpl); err != nil {
			t.Fatal(err)
		}
		after, err := db.Items(admin, f.acmeProj.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Fatalf("existing project has %d items after the edit, %d before", len(after), len(before))
		}
		for i := range before {
			if after[i].TitleEN != before[i].TitleEN || after[i].PhaseCode != before[i].PhaseCode {
				t.Fatalf("item %d changed: %q → %q", i, before[i].TitleEN, after[i].TitleEN)
			}
		}
		if phases, _ := db.Phases(admin, f.acmeProj.ID); len(phases) != 5 {
			t.Fatalf("existing project has %d phases", len(phases))
		}
		// A new project takes the edited template.
		p := &opsdesk.Project{CustomerID: f.acme.ID, Name: "Release 5", ManagerID: f.pm.ID, StartOn: f.start}
		if err := db.CreateProject(as(f.pm), p, "default"); err != nil {
			t.Fatal(err)
		}
		items, err := db.Items(admin, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, it := range items {
			titles = append(titles, it.TitleEN)
		}
		if titles[0] != "Target architecture (v2)" || !slices.Contains(titles, "Backups") || slices.Contains(titles, "Audit") {
			t.Fatalf("new project's items = %q", titles)
		}
		// A second template, made the default, is what an unnamed template means.
		other := &opsdesk.ProjectTemplate{Code: "release", NameFR: "Version majeure", NameEN: "Major release", IsDefault: true,
			Phases: []opsdesk.TemplatePhase{{Code: "deployment", NameFR: "Déploiement", NameEN: "Deployment"}}}
		if err := db.SaveProjectTemplate(as(f.adm), other); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "code taken", db.SaveProjectTemplate(as(f.adm), &opsdesk.ProjectTemplate{Code: "release", NameFR: "x", NameEN: "x",
			Phases: other.Phases}), opsdesk.KindConflict, "code")
		if got, err := db.ProjectTemplate(as(f.pm), ""); err != nil || got.Code != "release" {
			t.Fatalf("default template = %+v %v", got, err)
		}
	})
}

func TestProjectPriorityLinksComments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		p, err := db.AgreePriority(as(f.pm), id, opsdesk.PriorityHigh)
		if err != nil || p.Priority != opsdesk.PriorityHigh || !p.PMAgreement.Agreed() || p.OpsAgreement.Agreed() || p.PriorityAgreed() {
			t.Fatalf("pm proposes high: %+v %v", p, err)
		}
		f.tick()
		if p, err = db.AgreePriority(as(f.ops), id, opsdesk.PriorityHigh); err != nil || !p.PriorityAgreed() {
			t.Fatalf("ops agrees: %+v %v", p, err)
		}
		got, _ := db.Project(admin, id)
		if !got.PriorityAgreed() || got.OpsAgreement.By != f.ops.Email || !got.OpsAgreement.At.Equal(f.now) || got.PMAgreement.ByID != f.pm.ID {
			t.Fatalf("stored agreement = %+v / %+v", got.OpsAgreement, got.PMAgreement)
		}
		// Changing the priority asks the other side again.
		if p, err = db.AgreePriority(as(f.ops), id, opsdesk.PriorityCritical); err != nil || p.PMAgreement.Agreed() || !p.OpsAgreement.Agreed() {
			t.Fatalf("ops raises: %+v %v", p, err)
		}
		_, err = db.AgreePriority(as(f.agent), id, opsdesk.PriorityLow)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.AgreePriority(as(f.pm), id, "urgent")
		wantErr(t, "bad priority", err, opsdesk.KindInvalid, "priority")

		own := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Type: opsdesk.TypeIncident,
			Severity: "minor", Category: "application", Subject: "Preprod down", Description: "500"})
		theirs := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.globex.ID, RequesterEmail: f.custB.Email,
			Severity: "minor", Category: "application", Subject: "x", Description: "x"})
		if err := db.LinkProjectTicket(as(f.agent), id, own.Key); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "twice", db.LinkProjectTicket(as(f.agent), id, own.Key), opsdesk.KindConflict, "key")
		wantErr(t, "another customer's ticket", db.LinkProjectTicket(as(f.agent), id, theirs.Key), opsdesk.KindInvalid, "key")
		wantErr(t, "no problem", db.LinkProjectTicket(as(f.agent), id, "PRB-999"), opsdesk.KindInvalid, "key")
		links, err := db.ProjectLinks(as(f.custA), id)
		if err != nil || len(links) != 1 || links[0].Key != own.Key || links[0].Subject != "Preprod down" || links[0].Kind != "ticket" {
			t.Fatalf("links = %+v %v", links, err)
		}
		if err := db.UnlinkProjectTicket(as(f.agent), id, own.Key); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.UnlinkProjectTicket(as(f.agent), id, own.Key), opsdesk.KindNotFound)

		arch := f.item(t, db, id, "Target architecture")
		if err := db.CommentItem(as(f.custA), id, arch.ID, "Diagram attached tomorrow"); err != nil {
			t.Fatal(err)
		}
		if err := db.CommentItem(as(f.agent), id, arch.ID, "Thanks"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "empty comment", db.CommentItem(as(f.agent), id, arch.ID, " "), opsdesk.KindInvalid, "body")
		hist, err := db.ProjectHistory(as(f.custA), id)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range hist {
			lines = append(lines, e.Action+" "+e.Actor)
			if e.Action == "comment" && e.ItemID != arch.ID {
				t.Fatalf("comment on item %d", e.ItemID)
			}
		}
		want := []string{"created pm@vendor.example", "priority_agreed pm@vendor.example", "priority_agreed ops@vendor.example",
			"priority_agreed ops@vendor.example", "link n1@vendor.example", "unlink n1@vendor.example",
			"comment alice@acme.example", "comment n1@vendor.example"}
		if !slices.Equal(lines, want) {
			t.Fatalf("history = %q\nwant %q", lines, want)
		}
	})
}

func TestProjectOpenTasksForPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		mk := func(p *opsdesk.Project, title string, due int) *opsdesk.Task {
			t.Helper()
			task := &opsdesk.Task{ProjectID: p.ID, PhaseCode: "framing", Title: title, EstimateHours: 2}
			if due >= 0 {
				task.DueOn = f.start.AddDate(0, 0, due)
			}
			if err := db.SaveTask(as(f.ops), task); err != nil {
				t.Fatal(err)
			}
			return task
		}
		mk(f.acmeProj, "acme no due", -1)
		mk(f.acmeProj, "acme day 5", 5)
		done := mk(f.acmeProj, "acme done", 1)
		mk(f.globexProj, "globex day 5", 5)
		mk(f.globexProj, "globex day 2", 2)
		if _, err := db.SetTaskStatus(as(f.ops), f.acmeProj.ID, done.ID, opsdesk.TaskDone); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*opsdesk.User{f.pm, f.ops} {
			if _, err := db.AgreePriority(as(u), f.globexProj.ID, opsdesk.PriorityCritical); err != nil {
				t.Fatal(err)
			}
		}
		closed := &opsdesk.Project{CustomerID: f.acme.ID, Name: "Old", ManagerID: f.pm.ID, StartOn: f.start}
		if err := db.CreateProject(as(f.pm), closed, ""); err != nil {
			t.Fatal(err)
		}
		mk(closed, "closed project", 0)
		if err := db.SetProjectClosed(as(f.pm), closed.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		_, err := db.OpenProjectTasks(as(f.custA))
		wantKind(t, err, opsdesk.KindForbidden)
		tasks, err := db.OpenProjectTasks(as(f.agent))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, pt := range tasks {
			got = append(got, pt.Title)
			if (pt.ProjectName == "Globex go-live") != (pt.Priority == opsdesk.PriorityCritical && pt.PriorityAgreed) {
				t.Fatalf("%s: priority %s agreed %v", pt.Title, pt.Priority, pt.PriorityAgreed)
			}
		}
		// Soonest due first; the same day by priority (Globex critical before Acme normal); no due day last.
		want := []string{"globex day 2", "globex day 5", "acme day 5", "acme no due"}
		if !slices.Equal(got, want) {
			t.Fatalf("plan = %q, want %q", got, want)
		}
	})
}
