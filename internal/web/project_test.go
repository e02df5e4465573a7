package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// projectSite is the foundation fixture with the default project template seeded, a frozen
// clock and a project manager.
type projectSite struct {
	*fixture
	now time.Time
	pm  *opsdesk.User
}

func newProjectSite(t *testing.T, db *store.DB) *projectSite {
	t.Helper()
	must(t, db.SeedDefaults(context.Background()))
	now := time.Date(2027, 3, 10, 9, 30, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	f := &projectSite{fixture: newFixture(t, db), now: now}
	f.pm = mkUser(t, db, &opsdesk.User{Email: "pm@vendor.example", Name: "Paul Manager", Role: opsdesk.RoleProjectManager})
	return f
}

// project creates an ACME project from the default template through the store.
func (f *projectSite) project(t *testing.T, db *store.DB) *opsdesk.Project {
	t.Helper()
	p := &opsdesk.Project{CustomerID: f.acme.ID, Name: "ACME go-live", ManagerID: f.pm.ID, StartOn: f.now.AddDate(0, 0, -30),
		TargetOn: f.now.AddDate(0, 2, 0), EnvironmentIDs: []int64{f.acmeEnv.ID}}
	must(t, db.CreateProject(as(f.pm), p, ""))
	return p
}

func projectPath(p *opsdesk.Project) string { return "/projects/" + itoa(p.ID) }

// TestProjectCreate: a project manager creates a project from the default template through the
// form; the page shows its five phases, its timeline as CSP-safe inline SVG, and the history.
func TestProjectCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		ws := startSite(t, db)
		pm := ws.client()
		pm.login(f.pm.Email, password)
		form := pm.get("/projects/new").want(t, http.StatusOK)
		if got := selected(form, "template"); got != "default" {
			t.Errorf("template preselected: %q, want default", got)
		}
		// A missing name is shown next to the field, the input kept.
		bad := pm.submit("/projects/new", "/projects", url.Values{"customer": {itoa(f.acme.ID)}, "name": {""},
			"target_date": {"2027-06-30"}, "environments": {itoa(f.acmeEnv.ID)}}).want(t, http.StatusUnprocessableEntity)
		if bad.text("project-name-error") == "" || attr(bad.input("target_date"), "value") != "2027-06-30" {
			t.Errorf("failed form: name error %q, target %q", bad.text("project-name-error"), attr(bad.input("target_date"), "value"))
		}
		// Another customer's environment is refused.
		pm.submit("/projects/new", "/projects", url.Values{"customer": {itoa(f.acme.ID)}, "name": {"Wrong env"},
			"environments": {itoa(f.globexEnv.ID)}}).want(t, http.StatusUnprocessableEntity)
		res := pm.submit("/projects/new", "/projects", url.Values{"customer": {itoa(f.acme.ID)}, "name": {"ACME go-live"},
			"target_date": {"2027-06-30"}, "priority": {"high"}, "environments": {itoa(f.acmeEnv.ID)}}).want(t, http.StatusSeeOther)
		if !strings.HasPrefix(res.location(), "/projects/") {
			t.Fatalf("redirect to %q", res.location())
		}
		p := pm.get(res.location()).want(t, http.StatusOK)
		p.wantText(t, "h1", "ACME go-live", "On track")
		p.wantText(t, "project-facts", "Acme Industries", "Paul Manager", "2027-06-30", "High", "default")
		for _, code := range []string{"preframing", "framing", "deployment", "operations", "improvement"} {
			if byID(p.doc, "phase-"+code) == nil {
				t.Errorf("no phase %s", code)
			}
		}
		p.wantText(t, "phase-preframing", "Technical pre-framing", "Accesses", "To do", "Close phase")
		p.wantText(t, "history", "created the project")
		svg := findAll(p.doc, func(n *html.Node) bool { return n.Data == "svg" })
		if len(svg) != 1 || attr(svg[0], "role") != "img" {
			t.Fatalf("timeline: %d svg", len(svg))
		}
		if len(byClass(svg[0], "today")) == 0 || len(byClass(svg[0], "level-1")) != 5 {
			t.Errorf("timeline: today %d, phases %d", len(byClass(svg[0], "today")), len(byClass(svg[0], "level-1")))
		}
		noInline(t, p)
		// The list shows it, with the all-projects timeline; the filters narrow it.
		l := pm.get("/projects").want(t, http.StatusOK)
		l.wantText(t, "projects", "ACME go-live", "Acme Industries", "On track", "2027-06-30", "High")
		if findAll(l.doc, func(n *html.Node) bool { return n.Data == "svg" }) == nil {
			t.Error("no all-projects timeline")
		}
		noInline(t, l)
		pm.get("/projects?customer="+itoa(f.globex.ID)).want(t, http.StatusOK).wantText(t, "main", "No project matches.")
		pm.get("/projects?status=late").want(t, http.StatusOK).wantText(t, "main", "No project matches.")
		pm.get("/projects?status=on_track").want(t, http.StatusOK).wantText(t, "projects", "ACME go-live")
	})
}

// TestProjectGate: closing a phase with open items is refused with their names; waiving is
// for ops managers, with a reason; once every item is complete the gate closes, and reopens with
// a reason.
func TestProjectGate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		pr := f.project(t, db)
		ws := startSite(t, db)
		pm := ws.client()
		pm.login(f.pm.Email, password)
		path := projectPath(pr)
		refused := pm.submit(path, path+"/phases/preframing/close", nil).want(t, http.StatusConflict)
		refused.wantText(t, "phase-preframing", "cannot close", "Accesses")
		items, err := db.Items(as(f.pm), pr.ID)
		must(t, err)
		var pre []*opsdesk.Item
		for _, it := range items {
			if it.PhaseCode == opsdesk.PhasePreframing {
				pre = append(pre, it)
			}
		}
		first := itoa(pre[0].ID)
		// An agent or a project manager may not waive; a waiver needs a reason.
		agent := ws.client()
		agent.login(f.agent.Email, password)
		agent.post(path+"/items/"+first+"/waive", url.Values{"csrf": {agent.csrf()}, "waive_reason": {"not needed"}}).want(t, http.StatusForbidden)
		pm.post(path+"/items/"+first+"/waive", url.Values{"csrf": {pm.csrf()}, "waive_reason": {"not needed"}}).want(t, http.StatusForbidden)
		if byID(pm.get(path).doc, "waive-"+first) != nil {
			t.Error("a project manager sees the waive form")
		}
		ops := ws.client()
		ops.login(f.ops.Email, password)
		ops.submit(path, path+"/items/"+first+"/waive", url.Values{"waive_reason": {""}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "item-"+first, "Reason for the waiver")
		ops.follow(ops.submit(path, path+"/items/"+first+"/waive", url.Values{"waive_reason": {"hosted by us"}})).
			want(t, http.StatusOK).wantText(t, "item-"+first, "Waived", "hosted by us")
		// An agent validates the others (staff change items); the reviewer is recorded.
		for _, it := range pre[1:] {
			agent.submit(path, path+"/items/"+itoa(it.ID)+"/validate", nil).want(t, http.StatusSeeOther)
		}
		p := agent.get(path)
		p.wantText(t, "item-"+itoa(pre[1].ID), "Validated", "n1@vendor.example")
		// A rejection needs a comment, then sends the item back with it in the history.
		agent.submit(path, path+"/items/"+itoa(pre[1].ID)+"/reject", url.Values{"body": {""}}).want(t, http.StatusUnprocessableEntity)
		agent.submit(path, path+"/items/"+itoa(pre[1].ID)+"/reject", url.Values{"body": {"diagram is outdated"}}).want(t, http.StatusSeeOther)
		agent.get(path).wantText(t, "history", "diagram is outdated")
		agent.submit(path, path+"/items/"+itoa(pre[1].ID)+"/validate", nil).want(t, http.StatusSeeOther)
		// The agent is not the Ops lead: the gate is not theirs.
		agent.post(path+"/phases/preframing/close", url.Values{"csrf": {agent.csrf()}}).want(t, http.StatusForbidden)
		pm.follow(pm.submit(path, path+"/phases/preframing/close", nil)).wantText(t, "phase-preframing", "Closed", "pm@vendor.example")
		pm.submit(path, path+"/phases/preframing/reopen", url.Values{"reason": {""}}).want(t, http.StatusUnprocessableEntity)
		pm.follow(pm.submit(path, path+"/phases/preframing/reopen", url.Values{"reason": {"missing flow"}})).
			wantText(t, "history", "reopened a phase", "missing flow")
	})
}

// TestProjectTasksAndAgreement: tasks with dependencies and deployment tasks (the promotion-path
// refusal shown on the task), priority agreement by each side, and links.
func TestProjectTasksAndAgreement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		pr := f.project(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(f.agent.Email, password)
		path := projectPath(pr)
		agent.submit(path, path+"/tasks", url.Values{"title": {"Kick-off"}, "phase": {"framing"}, "milestone": {"on"}, "due_on": {"2027-03-01"}}).
			want(t, http.StatusSeeOther)
		agent.submit(path, path+"/tasks", url.Values{"title": {""}, "phase": {"framing"}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "task-form", "Title")
		agent.submit(path, path+"/tasks", url.Values{"title": {"Deploy prod"}, "phase": {"deployment"}, "due_on": {"2027-04-01"},
			"estimate_hours": {"4"}, "environment": {itoa(f.acmeEnv.ID)}, "component": {"app"}, "version": {"9.9.9"}}).want(t, http.StatusSeeOther)
		tasks, err := db.Tasks(as(f.agent), pr.ID)
		must(t, err)
		if len(tasks) != 2 {
			t.Fatalf("tasks: %d", len(tasks))
		}
		p := agent.get(path)
		p.wantText(t, "task-"+itoa(tasks[0].ID), "Milestone", "Kick-off", "Late")
		var deploy *opsdesk.Task
		for _, tk := range tasks {
			if tk.Deploys() {
				deploy = tk
			}
		}
		// Prod before preprod: refused, the message on the task, nothing recorded.
		agent.submit(path, path+"/tasks/"+itoa(deploy.ID)+"/status", url.Values{"status": {"done"}}).want(t, http.StatusConflict).
			wantText(t, "task-"+itoa(deploy.ID), "preprod")
		// The late milestone makes the project late, with the reason.
		agent.get(path).wantText(t, "project-status", "Late", "Kick-off")
		// Priority: an agent agrees for no side; the PM and Ops do.
		if byID(p.doc, "agree-form") != nil {
			t.Error("an agent sees the agreement form")
		}
		agent.post(path+"/agree", url.Values{"csrf": {agent.csrf()}, "priority": {"normal"}}).want(t, http.StatusForbidden)
		pm := ws.client()
		pm.login(f.pm.Email, password)
		pm.follow(pm.submit(path, path+"/agree", nil)).wantText(t, "project-priority", "pm@vendor.example")
		ops := ws.client()
		ops.login(f.ops.Email, password)
		ops.follow(ops.submit(path, path+"/agree", nil)).wantText(t, "project-priority", "ops@vendor.example", "pm@vendor.example")
		// Links: an unknown key is shown on the form.
		agent.submit(path, path+"/links", url.Values{"key": {"PRB-999"}}).want(t, http.StatusUnprocessableEntity).wantText(t, "links", "PRB-999")
	})
}

// TestProjectAccess: customers get 403 on every staff project page and form, agents may not
// create projects, and the pages speak French.
func TestProjectAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		pr := f.project(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(f.alice.Email, password)
		path := projectPath(pr)
		for _, u := range []string{"/projects", "/projects/new", path} {
			alice.get(u).want(t, http.StatusForbidden)
		}
		for _, u := range []string{"/projects", path + "/agree", path + "/phases/preframing/close", path + "/tasks", path + "/links"} {
			alice.post(u, url.Values{"csrf": {alice.csrf()}, "name": {"x"}, "priority": {"high"}}).want(t, http.StatusForbidden)
		}
		agent := ws.client()
		agent.login(f.agent.Email, password)
		agent.get("/projects/new").want(t, http.StatusForbidden)
		if byID(agent.get("/projects").doc, "project-new") != nil {
			t.Error("an agent is offered to create a project")
		}
		agent.post("/projects", url.Values{"csrf": {agent.csrf()}, "customer": {itoa(f.acme.ID)}, "name": {"x"}, "manager": {itoa(f.pm.ID)},
			"start_on": {"2027-03-10"}}).want(t, http.StatusForbidden)
		ps, err := db.ListProjects(as(f.pm), opsdesk.ProjectFilter{})
		if err != nil || len(ps) != 1 {
			t.Errorf("projects after refused posts: %d, %v", len(ps), err)
		}
		// The customer's organisation and environment pages lead staff to its projects, not customers.
		if l := byID(agent.get("/customers/"+itoa(f.acme.ID)).doc, "org-projects"); l == nil || attr(l, "href") != "/projects?customer="+itoa(f.acme.ID) {
			t.Errorf("organisation page: projects link %v", l)
		}
		if byID(agent.get(envPath(f.acmeEnv)).doc, "env-projects") == nil {
			t.Error("environment page: no projects link")
		}
		if byID(alice.get("/customers/"+itoa(f.acme.ID)).want(t, http.StatusOK).doc, "org-projects") != nil {
			t.Error("a customer is shown the staff projects link")
		}
		agent.header.Set("Accept-Language", "fr")
		p := agent.get(path).want(t, http.StatusOK)
		p.wantText(t, "h1", "En retard")
		p.wantText(t, "project-status", "Accès")
		p.wantText(t, "phase-preframing", "Pré-cadrage technique", "Ouverte", "À faire", "Valider")
		p.wantText(t, "timeline-h", "Planning")
		agent.get("/projects").wantText(t, "nav", "Projets")
	})
}

// TestProjectEvidence: staff record an item's evidence text and files; the file downloads from
// the staff page, never run by the browser; a customer cannot reach it on the staff route.
func TestProjectEvidence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		pr := f.project(t, db)
		items, err := db.Items(as(f.pm), pr.ID)
		must(t, err)
		it := items[0]
		path := projectPath(pr)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(f.agent.Email, password)
		action := path + "/items/" + itoa(it.ID) + "/evidence"
		agent.follow(agent.submitFiles(path, action, url.Values{"evidence": {"diagram v3 attached"}},
			upload{name: "archi.txt", content: []byte("target architecture v3")})).
			wantText(t, "item-"+itoa(it.ID), "diagram v3 attached", "archi.txt", "n1@vendor.example")
		got, err := db.Item(as(f.agent), pr.ID, it.ID)
		must(t, err)
		if len(got.Attachments) != 1 {
			t.Fatalf("attachments: %+v", got.Attachments)
		}
		file := path + "/items/" + itoa(it.ID) + "/files/" + itoa(got.Attachments[0].ID)
		dl := agent.get(file).want(t, http.StatusOK)
		if dl.body != "target architecture v3" || !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment;") ||
			dl.header.Get("Content-Security-Policy") == "" {
			t.Errorf("download: %q, %v", dl.body, dl.header)
		}
		agent.get(path+"/items/"+itoa(it.ID)+"/files/99999").want(t, http.StatusNotFound)
		alice := ws.client()
		alice.login(f.alice.Email, password)
		alice.get(file).want(t, http.StatusForbidden)
	})
}

// TestProjectEditClose: a project manager edits the project's fields (the change is in the
// history), an agent may not; a closed project refuses changes until reopened with a reason.
func TestProjectEditClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		pr := f.project(t, db)
		path := projectPath(pr)
		ws := startSite(t, db)
		pm := ws.client()
		pm.login(f.pm.Email, password)
		pm.get(path).wantText(t, "project-envs", "acme-prod")
		edit := pm.get(path+"/edit").want(t, http.StatusOK)
		if attr(edit.input("name"), "value") != "ACME go-live" {
			t.Errorf("edit form name: %q", attr(edit.input("name"), "value"))
		}
		pm.submit(path+"/edit", path, url.Values{"target_date": {"2020-01-01"}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "main", "cannot be before the start date")
		pm.follow(pm.submit(path+"/edit", path, url.Values{"name": {"ACME go-live v2"}, "ops_lead": {itoa(f.ops.ID)}})).
			wantText(t, "project-facts", "Olga Ops")
		pm.get(path).wantText(t, "history", "updated the project", "ACME go-live v2")
		agent := ws.client()
		agent.login(f.agent.Email, password)
		agent.get(path+"/edit").want(t, http.StatusForbidden)
		agent.post(path, url.Values{"csrf": {agent.csrf()}, "name": {"hijack"}, "manager": {itoa(f.pm.ID)}, "start_on": {"2027-03-01"}}).
			want(t, http.StatusForbidden)
		agent.post(path+"/close", url.Values{"csrf": {agent.csrf()}}).want(t, http.StatusForbidden)
		pm.follow(pm.submit(path, path+"/close", nil)).wantText(t, "h1", "Closed")
		// Closed: the items refuse changes.
		items, err := db.Items(as(f.pm), pr.ID)
		must(t, err)
		if byID(agent.get(path).doc, "comment-"+itoa(items[0].ID)) != nil {
			t.Error("a closed project offers the item forms")
		}
		agent.post(path+"/items/"+itoa(items[0].ID)+"/comment", url.Values{"csrf": {agent.csrf()}, "body": {"late note"}}).
			want(t, http.StatusConflict).wantText(t, "main", "is closed")
		pm.submit(path, path+"/reopen", url.Values{"reason": {""}}).want(t, http.StatusUnprocessableEntity)
		pm.follow(pm.submit(path, path+"/reopen", url.Values{"reason": {"phase 2"}})).wantText(t, "history", "reopened the project", "phase 2")
	})
}
