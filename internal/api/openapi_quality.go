package api

import "net/http"

// qualityOperations describes the quality targets' routes (docs/capa.md, "Quality targets").
// Targets are the vendor's team's steering: every route answers 403 to a customer's token;
// staff read them, ops managers and admins write them.
func qualityOperations() map[string]op {
	p := Prefix + "/quality-targets"
	return map[string]op{
		"GET " + p: {summary: "Every quality target, active or not, with its latest evaluated period (staff)",
			resp: items[qualityTarget]{}},
		"POST " + p: {summary: "Add a quality target; it is evaluated hourly over each complete week or month, and a miss " +
			"proposes one corrective action per period (ops managers and admins)",
			body: newQualityTarget{}, status: http.StatusCreated, resp: qualityTarget{}},
		"PATCH " + p + "/{id}": {summary: "Change a quality target, or deactivate it with active=false; its results are kept " +
			"(ops managers and admins)",
			body: qualityPatch{}, resp: qualityTarget{}},
		"GET " + p + "/{id}/results": {summary: "The target's evaluations, the latest period first (staff)",
			query: []param{{"limit", "1 to 500, default 100"}}, resp: items[qualityResult]{}},
	}
}
