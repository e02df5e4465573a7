package api

import "net/http"

// planOperations describes the steering plan's routes (docs/plan.md). The plan is the vendor's
// team's: every route answers 403 to a customer's token; pins and moves are the ops managers'.
func planOperations() map[string]op {
	p := Prefix + "/plan"
	o := p + "/overrides"
	return map[string]op{
		"GET " + p: {summary: "The prioritised work list over open tickets, open project tasks and open occurrences of preventive work, ranked by score and " +
			"placed by the current pins and moves, each row with its score terms (staff)",
			query: []param{{"level", "support level: N1, N2, N3"}, {"domain", "the ticket's category or the task's component"},
				{"agent", "an agent's email, or me"}, {"customer", "customer code"}},
			resp: planList{}},
		"GET " + o: {summary: "Every pin and move ever made, current and superseded, newest first (staff)",
			resp: items[planOverride]{}},
		"POST " + o: {summary: "Pin a plan item to the top or move it to a position, with a reason; the item's current " +
			"override is superseded and kept in history (ops managers and admins)",
			body: newPlanOverride{}, status: http.StatusCreated, resp: planOverride{}},
		"DELETE " + o + "/{id}": {summary: "End a current pin or move; it stays in history (ops managers and admins)",
			status: http.StatusNoContent},
	}
}
