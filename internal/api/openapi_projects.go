package api

import "net/http"

// projectOperations describes the delivery project routes (docs/projects.md, "API"). Another
// customer's project, and anything in it, is 404; a customer writes only the items their side
// owes on their own projects (submit, evidence, files, comments), anything else is 403.
func projectOperations() map[string]op {
	ps := Prefix + "/projects"
	p := ps + "/{id}"
	it := p + "/items/{item}"
	return map[string]op{
		"GET " + ps: {summary: "List the projects the caller may see, newest first (customers: their own), with their derived status",
			query: []param{{"customer", "customer code"}, {"status", "derived status: on_track, at_risk, late or done"},
				{"open", "true: open projects only"}}, resp: items[project]{}},
		"POST " + ps: {summary: "Create a project of a customer from a template, copying its phases and checklist items " +
			"(project managers, ops managers and admins)", body: newProject{}, status: http.StatusCreated, resp: project{}},
		"GET " + p: {summary: "Read a project with its derived status (on track, at risk, late, done) and the reasons", resp: project{}},
		"PATCH " + p: {summary: "Change a project's name, dates, people or environments, agree on its priority, close or " +
			"reopen it (project managers, ops managers and admins; a closed project is 409 on project)",
			body: projectPatch{}, resp: project{}},
		"GET " + p + "/phases": {summary: "The project's phases in order, each with its checklist items and the state of its gate",
			resp: items[phase]{}},
		"POST " + p + "/phases/{phase}/close": {summary: "Close a phase's gate (the Ops lead, project managers, ops managers, " +
			"admins); an item neither validated nor waived is 409 on phase, naming the open items (no body needed)", body: phaseClose{}, resp: phase{}},
		"POST " + p + "/phases/{phase}/reopen": {summary: "Reopen a closed phase with a reason (same people)",
			body: phaseReopen{}, resp: phase{}},
		"GET " + it: {summary: "Read a checklist item with its evidence files", resp: checkItem{}},
		"PATCH " + it: {summary: "Change an item: staff validate, send back, change due date and owner; ops managers and admins " +
			"waive with a reason; a customer submits the items their side owes, with evidence", body: itemPatch{}, resp: checkItem{}},
		"POST " + it + "/comments": {summary: "Comment on an item, kept in the project's history (staff; a customer on their " +
			"side's items)", body: itemComment{}, status: http.StatusNoContent},
		"POST " + it + "/attachments": {summary: "Upload evidence files of an item (multipart field file, repeatable, and an " +
			"optional body that becomes the evidence text; or a raw body with ?name=)",
			query:  []param{{"name", "file name, for a raw body"}, {"body", "evidence text, for a raw body"}},
			upload: true, status: http.StatusCreated, resp: checkItem{}},
		"GET " + it + "/attachments/{att}": {summary: "Download an evidence file (served as a download)", file: true},
		"GET " + p + "/tasks":              {summary: "The project's tasks and milestones by phase, due day and id", resp: items[task]{}},
		"POST " + p + "/tasks": {summary: "Add a task or milestone to the plan (staff); a deployment task names an environment, " +
			"a component and a version", body: taskFields{}, status: http.StatusCreated, resp: task{}},
		"PATCH " + p + "/tasks/{task}": {summary: "Change a task or set its status (staff); a done deployment task records " +
			"the deployment through the promotion path, a done recurring task creates the next occurrence",
			body: taskFields{}, resp: task{}},
		"GET " + p + "/links": {summary: "The tickets and problems linked to the project (customers: their tickets only)",
			resp: items[projectLink]{}},
		"POST " + p + "/links": {summary: "Link a ticket of the project's customer or a problem (staff); linking twice is 409",
			body: newProjectLink{}, status: http.StatusCreated, resp: projectLink{}},
		"DELETE " + p + "/links/{key}": {summary: "Unlink a ticket or problem (staff)", status: http.StatusNoContent},
		"GET " + p + "/history":        {summary: "The project's history, oldest first, comments included", resp: items[projectEvent]{}},
	}
}
