package api

import "net/http"

// preventiveOperations describes the routes of recurring preventive work (docs/plan.md
// "Preventive work"). Customers' tokens read their own organisation's schedules and
// occurrences (without the team's fields); another organisation's are not found. Schedules are
// written by ops managers and admins, occurrences moved by the vendor's team.
func preventiveOperations() map[string]op {
	s := Prefix + "/preventive/schedules"
	t := Prefix + "/preventive/tasks"
	return map[string]op{
		"GET " + s: {summary: "The schedules of recurring preventive work (audits, performance reviews, certificate renewals, " +
			"access reviews), active first; a customer's token gets its own organisation's",
			query: []param{{"customer", "customer code"}}, resp: items[preventiveSchedule]{}},
		"POST " + s: {summary: "Schedule recurring preventive work on the customer's business calendar; its occurrences due " +
			"in the next 8 weeks are made at once (ops managers and admins)",
			body: newPreventiveSchedule{}, status: http.StatusCreated, resp: preventiveSchedule{}},
		"PATCH " + s + "/{id}": {summary: "Change a schedule; changing its recurrence or deactivating it removes its future " +
			"occurrences still to do and re-plans them from today (ops managers and admins)",
			body: preventivePatch{}, resp: preventiveSchedule{}},
		"GET " + t: {summary: "The occurrences of preventive work by due day; a customer's token gets its own organisation's " +
			"(title, kind, due day, status)",
			query: []param{{"from", "first due day, YYYY-MM-DD"}, {"to", "last due day, YYYY-MM-DD"},
				{"customer", "customer code"}, {"status", "open: todo and in_progress only"}},
			resp: items[preventiveTask]{}},
		"POST " + t + "/{id}/status": {summary: "Start, finish (done), skip (with a note) or put back an occurrence " +
			"(the vendor's team)", body: preventiveMove{}, resp: preventiveTask{}},
	}
}
