package api

import "net/http"

// envOperations describes the customer-environment routes (docs/environments.md, "API").
// Another customer's environment, and anything in it, is 404; a part of their own environment
// the vendor does not show them is 403; customers write nothing (403).
func envOperations() map[string]op {
	c := Prefix + "/customers/{code}"
	e := Prefix + "/environments/{id}"
	return map[string]op{
		"GET " + c + "/environments": {summary: "List a customer's environments in promotion order (test, preprod, prod)",
			resp: items[environment]{}},
		"POST " + c + "/environments": {summary: "Add an environment to a customer (admins and ops managers); a name already " +
			"used by the customer is 409", body: newEnvironment{}, status: http.StatusCreated, resp: environment{}},
		"GET " + e: {summary: "Read an environment", resp: environment{}},
		"PATCH " + e: {summary: "Change an environment's kind, name, URL, status, notes, or what the customer sees of it " +
			"(admins and ops managers)", body: environmentPatch{}, resp: environment{}},

		"GET " + e + "/servers": {summary: "The environment's servers by role, then hostname (customers: when the vendor " +
			"shows servers, else 403; without notes)", resp: items[server]{}},
		"POST " + e + "/servers": {summary: "Add a server (staff); a hostname already in the environment is 409",
			body: newServer{}, status: http.StatusCreated, resp: server{}},
		"PATCH " + e + "/servers/{sid}":  {summary: "Change a server (staff)", body: serverPatch{}, resp: server{}},
		"DELETE " + e + "/servers/{sid}": {summary: "Remove a server (staff)", status: http.StatusNoContent},
		"GET " + e + "/components": {summary: "The components installed on the environment with their current versions, " +
			"by name (customers: when the vendor shows versions, else 403)", resp: items[component]{}},

		"GET " + e + "/deployments": {summary: "The environment's deployment history, newest first (customers: when the " +
			"vendor shows versions, else 403; without who, notes and emergency reason)",
			query: []param{{"limit", "page size, 1 to 500 (default 100)"}, {"cursor", "next_cursor of the previous page"}},
			resp:  deploymentList{}},
		"POST " + e + "/deployments": {summary: "Record a deployment (staff); a success sets the component's current version. " +
			"Promotion path: a version reaches prod only after it succeeded on one of the customer's preprod environments " +
			"(409 naming field version otherwise), unless an ops manager or admin gives emergency_reason (an agent giving one: 403)",
			body: newDeployment{}, status: http.StatusCreated, resp: deployment{}},
		"PATCH " + e + "/deployments/{did}": {summary: "Advance a planned or in-progress deployment to in_progress or a final " +
			"outcome, once (409 on outcome otherwise); leaving planned applies the promotion path (staff)",
			body: deploymentAdvance{}, resp: deployment{}},
		"GET " + c + "/twin-check": {summary: "Every difference between the customer's preprod and prod environments: " +
			"component versions, server count and OS versions per role, missing twins (staff)", resp: twinCheck{}},

		"GET " + e + "/access": {summary: "Who at the vendor holds which access to the environment, newest first " +
			"(customers: when the vendor shows access, else 403; without reasons)",
			query: []param{{"all", "true: the expired and revoked grants too"}}, resp: items[accessGrant]{}},
		"POST " + e + "/access": {summary: "Grant an access to a member of the vendor's team until expires_at (admins and ops managers)",
			body: newGrant{}, status: http.StatusCreated, resp: accessGrant{}},
		"POST " + Prefix + "/access/{gid}/revoke": {summary: "Revoke an access grant now (staff); revoking twice is 409",
			body: grantRevoke{}, resp: accessGrant{}},
		"GET " + Prefix + "/access/expired": {summary: "The revocation list: grants of every customer expired and not revoked, " +
			"oldest expiry first (staff)", query: []param{{"at", "RFC 3339 instant (default now)"}}, resp: items[accessGrant]{}},

		"GET " + e + "/maintenance": {summary: "The environment's maintenance windows not over at from, by start " +
			"(customers read their own environments' windows)", query: []param{{"from", "RFC 3339 instant (default now)"}},
			resp: items[maintenance]{}},
		"POST " + e + "/maintenance": {summary: "Plan a maintenance window (staff)", body: newMaintenance{},
			status: http.StatusCreated, resp: maintenance{}},
		"PATCH " + e + "/maintenance/{wid}": {summary: "Change a maintenance window (staff); new times clear announced_at",
			body: maintenancePatch{}, resp: maintenance{}},
		"DELETE " + e + "/maintenance/{wid}": {summary: "Cancel a maintenance window (staff)", status: http.StatusNoContent},
	}
}
