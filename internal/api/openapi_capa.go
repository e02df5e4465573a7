package api

import "net/http"

// capaOperations describes the corrective and preventive actions' routes (docs/capa.md). Staff
// read and write every action; a customer's token reads its own customer's open, in-progress and
// done actions (other actions: 404) and gets 403 on every write.
func capaOperations() map[string]op {
	p := Prefix + "/actions"
	id := p + "/{id}"
	return map[string]op{
		"GET " + p: {summary: "List actions, those due first, with counts by status (staff: every action; a customer: its own " +
			"customer's open, in-progress and done actions, without internal fields)",
			query: []param{{"status", "comma list: proposed, open, in_progress, done, cancelled, rejected"},
				{"open", "true: proposed, open or in_progress"}, {"overdue", "true: open or in_progress, due before today"},
				{"customer", "customer code"}, {"owner", "an agent's email, or me"},
				{"source", "problem, sla_breach, survey, audit, probe, quality_target or manual"}, {"kind", "corrective or preventive"},
				{"limit", "default 200, at most 1000"}},
			resp: actionList{}},
		"POST " + p: {summary: "Record an action; it starts open (staff)", body: newAction{}, status: http.StatusCreated, resp: actionRecord{}},
		"GET " + id: {summary: "Read an action with its history (a customer gets no history)", resp: actionDetail{}},
		"PATCH " + id: {summary: "Edit an action's kind, title, description, customer, owner, due day or check day, while it is " +
			"not done, cancelled or rejected (staff)", body: actionPatch{}, resp: actionRecord{}},
		"POST " + id + "/status": {summary: "Move an action: accept (open) or reject a suggestion, and cancel, take an ops " +
			"manager; staff start (in_progress) and finish (done); reject and cancel need a reason", body: actionMove{}, resp: actionRecord{}},
		"POST " + id + "/effectiveness": {summary: "Record the effectiveness check of a done action, on or after its check day " +
			"(staff); a recurrence needs a note", body: actionCheck{}, resp: actionRecord{}},
		"POST " + p + "/suggest": {summary: "Run the suggestions now: one proposed action per problem with three or more " +
			"tickets, breached blocking ticket clock and low survey rating, never twice (ops managers and admins)",
			body: actionSuggest{}, resp: items[actionRecord]{}},
	}
}
