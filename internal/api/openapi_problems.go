package api

import "net/http"

// problemOperations describes the problem-management routes (docs/problems.md). Problems are
// the vendor's team's records: every route answers 403 to a customer's token.
func problemOperations() map[string]op {
	ps := Prefix + "/problems"
	p := ps + "/{id}"
	return map[string]op{
		"GET " + ps: {summary: "List problems, most recently changed first, with the counts of their tickets (staff)",
			query: []param{{"status", "comma list of statuses: open, known_error, resolved, closed"},
				{"limit", "at most this many, 1 to 500 (default 100)"}},
			resp: items[problemRecord]{}},
		"POST " + ps: {summary: "Record a problem, open or already a known error (which needs its workaround) (staff)",
			body: newProblem{}, status: http.StatusCreated, resp: problemRecord{}},
		"GET " + p: {summary: "Read a problem ({id}: 12 or PRB-12) (staff)", resp: problemRecord{}},
		"PATCH " + p: {summary: "Change a problem's title, description, root cause, workaround, status or owner (staff); " +
			"open → known_error → resolved → closed, resolved → open reopens, closed is final (409 otherwise)",
			body: problemPatch{}, resp: problemRecord{}},
		"GET " + p + "/tickets": {summary: "The tickets linked to the problem, by number (staff)", resp: items[problemTicket]{}},
		"POST " + p + "/tickets": {summary: "Link a ticket to the problem; a ticket links to at most one problem (409 when " +
			"it is linked already, or the problem is closed). The ticket's history records it (staff)",
			body: problemLink{}, status: http.StatusCreated, resp: problemRecord{}},
		"DELETE " + p + "/tickets/{number}": {summary: "Unlink a ticket from the problem (staff)", status: http.StatusNoContent},
		"POST " + p + "/resolve": {summary: "Resolve the problem; with notify, post message as a public reply on every " +
			"active linked ticket (its requester is mailed) — each ticket once, even when the call is retried (staff)",
			body: problemResolve{}, resp: problemResolution{}},
	}
}
