package api

import (
	"net/http"
	"strings"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// route is one operation of the API. The table below is the single list of them: Routes
// registers it, and the tests check it against the OpenAPI document and the isolation table.
type route struct {
	method, path string // path is a net/http pattern, which is also the OpenAPI path
	handle       handlerFunc
	public       bool // served without a token
}

// Pattern is the mux pattern of the route: "GET /api/v1/tickets".
func (rt route) Pattern() string { return rt.method + " " + rt.path }

// table lists every route of the API.
func (a *API) table() []route {
	return []route{
		{method: "GET", path: Prefix + "/openapi.json", handle: a.openAPI, public: true},
		{method: "GET", path: Prefix + "/me", handle: a.me},

		{method: "GET", path: Prefix + "/tickets", handle: a.listTickets},
		{method: "POST", path: Prefix + "/tickets", handle: a.createTicket},
		{method: "GET", path: Prefix + "/tickets/{number}", handle: a.getTicket},
		{method: "PATCH", path: Prefix + "/tickets/{number}", handle: a.patchTicket},
		{method: "POST", path: Prefix + "/tickets/{number}/take", handle: a.takeTicket},
		{method: "POST", path: Prefix + "/tickets/{number}/escalate", handle: a.escalateTicket},
		{method: "GET", path: Prefix + "/tickets/{number}/history", handle: a.history},
		{method: "GET", path: Prefix + "/tickets/{number}/messages", handle: a.listMessages},
		{method: "POST", path: Prefix + "/tickets/{number}/messages", handle: a.addMessage},
		{method: "POST", path: Prefix + "/tickets/{number}/attachments", handle: a.uploadAttachment},
		{method: "GET", path: Prefix + "/tickets/{number}/attachments/{id}", handle: a.downloadAttachment},
		{method: "GET", path: Prefix + "/tickets/{number}/sla", handle: a.ticketSLA},
		{method: "POST", path: Prefix + "/tickets/{number}/workaround", handle: a.recordWorkaround},
		{method: "GET", path: Prefix + "/tickets/{number}/survey", handle: a.ticketSurveys},

		{method: "GET", path: Prefix + "/customers", handle: a.listCustomers},
		{method: "POST", path: Prefix + "/customers", handle: a.createCustomer},
		{method: "GET", path: Prefix + "/customers/{code}", handle: a.getCustomer},
		{method: "GET", path: Prefix + "/customers/{code}/contacts", handle: a.listContacts},
		{method: "POST", path: Prefix + "/customers/{code}/contacts", handle: a.createContact},
		{method: "GET", path: Prefix + "/customers/{code}/sla", handle: a.getContractSLA},
		{method: "PUT", path: Prefix + "/customers/{code}/sla", handle: a.putContractSLA},

		{method: "GET", path: Prefix + "/customers/{code}/environments", handle: a.listEnvironments},
		{method: "POST", path: Prefix + "/customers/{code}/environments", handle: a.createEnvironment},
		{method: "GET", path: Prefix + "/customers/{code}/twin-check", handle: a.twinCheck},
		{method: "GET", path: Prefix + "/environments/{id}", handle: a.getEnvironment},
		{method: "PATCH", path: Prefix + "/environments/{id}", handle: a.patchEnvironment},
		{method: "GET", path: Prefix + "/environments/{id}/servers", handle: a.listServers},
		{method: "POST", path: Prefix + "/environments/{id}/servers", handle: a.createServer},
		{method: "PATCH", path: Prefix + "/environments/{id}/servers/{sid}", handle: a.patchServer},
		{method: "DELETE", path: Prefix + "/environments/{id}/servers/{sid}", handle: a.deleteServer},
		{method: "GET", path: Prefix + "/environments/{id}/components", handle: a.listComponents},
		{method: "GET", path: Prefix + "/environments/{id}/deployments", handle: a.listDeployments},
		{method: "POST", path: Prefix + "/environments/{id}/deployments", handle: a.createDeployment},
		{method: "PATCH", path: Prefix + "/environments/{id}/deployments/{did}", handle: a.advanceDeployment},
		{method: "GET", path: Prefix + "/environments/{id}/access", handle: a.listGrants},
		{method: "POST", path: Prefix + "/environments/{id}/access", handle: a.grantAccess},
		{method: "POST", path: Prefix + "/access/{gid}/revoke", handle: a.revokeAccess},
		{method: "GET", path: Prefix + "/access/expired", handle: a.expiredGrants},
		{method: "GET", path: Prefix + "/environments/{id}/maintenance", handle: a.listMaintenance},
		{method: "POST", path: Prefix + "/environments/{id}/maintenance", handle: a.createMaintenance},
		{method: "PATCH", path: Prefix + "/environments/{id}/maintenance/{wid}", handle: a.patchMaintenance},
		{method: "DELETE", path: Prefix + "/environments/{id}/maintenance/{wid}", handle: a.deleteMaintenance},
		{method: "GET", path: Prefix + "/environments/{id}/probes", handle: a.listProbes},
		{method: "POST", path: Prefix + "/environments/{id}/probes", handle: a.createProbe},
		{method: "GET", path: Prefix + "/environments/{id}/availability", handle: a.environmentAvailability},
		{method: "GET", path: Prefix + "/probes/{id}", handle: a.getProbe},
		{method: "PATCH", path: Prefix + "/probes/{id}", handle: a.patchProbe},
		{method: "GET", path: Prefix + "/probes/{id}/results", handle: a.probeResults},

		{method: "GET", path: Prefix + "/calendars", handle: a.listCalendars},
		{method: "POST", path: Prefix + "/calendars", handle: a.createCalendar},
		{method: "GET", path: Prefix + "/calendars/{id}", handle: a.getCalendar},
		{method: "PUT", path: Prefix + "/calendars/{id}", handle: a.putCalendar},
		{method: "DELETE", path: Prefix + "/calendars/{id}", handle: a.deleteCalendar},

		{method: "GET", path: Prefix + "/reports/sla", handle: a.slaReport},

		{method: "GET", path: Prefix + "/users", handle: a.listUsers},
		{method: "POST", path: Prefix + "/users", handle: a.createUser},
		{method: "GET", path: Prefix + "/users/{id}", handle: a.getUser},

		{method: "GET", path: Prefix + "/problems", handle: a.listProblems},
		{method: "POST", path: Prefix + "/problems", handle: a.createProblem},
		{method: "GET", path: Prefix + "/problems/{id}", handle: a.getProblem},
		{method: "PATCH", path: Prefix + "/problems/{id}", handle: a.patchProblem},
		{method: "GET", path: Prefix + "/problems/{id}/tickets", handle: a.problemTickets},
		{method: "POST", path: Prefix + "/problems/{id}/tickets", handle: a.linkProblemTicket},
		{method: "DELETE", path: Prefix + "/problems/{id}/tickets/{number}", handle: a.unlinkProblemTicket},
		{method: "POST", path: Prefix + "/problems/{id}/resolve", handle: a.resolveProblem},

		{method: "GET", path: Prefix + "/articles", handle: a.listArticles},
		{method: "POST", path: Prefix + "/articles", handle: a.createArticle},
		{method: "GET", path: Prefix + "/articles/{id}", handle: a.getArticle},
		{method: "PATCH", path: Prefix + "/articles/{id}", handle: a.patchArticle},
		{method: "GET", path: Prefix + "/articles/{id}/revisions", handle: a.articleRevisions},
		{method: "GET", path: Prefix + "/articles/{id}/diff", handle: a.articleDiff},
		{method: "GET", path: Prefix + "/search", handle: a.search},
		{method: "GET", path: Prefix + "/cause-codes", handle: a.listCauseCodes},
		{method: "GET", path: Prefix + "/tickets/{number}/articles", handle: a.ticketArticles},
		{method: "POST", path: Prefix + "/tickets/{number}/articles", handle: a.linkTicketArticle},
		{method: "DELETE", path: Prefix + "/tickets/{number}/articles/{id}", handle: a.unlinkTicketArticle},
		{method: "POST", path: Prefix + "/tickets/{number}/procedure-steps", handle: a.tickStep},

		{method: "GET", path: Prefix + "/projects", handle: a.listProjects},
		{method: "POST", path: Prefix + "/projects", handle: a.createProject},
		{method: "GET", path: Prefix + "/projects/{id}", handle: a.getProject},
		{method: "PATCH", path: Prefix + "/projects/{id}", handle: a.patchProject},
		{method: "GET", path: Prefix + "/projects/{id}/phases", handle: a.listPhases},
		{method: "POST", path: Prefix + "/projects/{id}/phases/{phase}/close", handle: a.closePhase},
		{method: "POST", path: Prefix + "/projects/{id}/phases/{phase}/reopen", handle: a.reopenPhase},
		{method: "GET", path: Prefix + "/projects/{id}/items/{item}", handle: a.getItem},
		{method: "PATCH", path: Prefix + "/projects/{id}/items/{item}", handle: a.patchItem},
		{method: "POST", path: Prefix + "/projects/{id}/items/{item}/comments", handle: a.commentItem},
		{method: "POST", path: Prefix + "/projects/{id}/items/{item}/attachments", handle: a.uploadItemEvidence},
		{method: "GET", path: Prefix + "/projects/{id}/items/{item}/attachments/{att}", handle: a.downloadItemEvidence},
		{method: "GET", path: Prefix + "/projects/{id}/tasks", handle: a.listTasks},
		{method: "POST", path: Prefix + "/projects/{id}/tasks", handle: a.createTask},
		{method: "PATCH", path: Prefix + "/projects/{id}/tasks/{task}", handle: a.patchTask},
		{method: "GET", path: Prefix + "/projects/{id}/links", handle: a.listProjectLinks},
		{method: "POST", path: Prefix + "/projects/{id}/links", handle: a.linkProject},
		{method: "DELETE", path: Prefix + "/projects/{id}/links/{key}", handle: a.unlinkProject},
		{method: "GET", path: Prefix + "/projects/{id}/history", handle: a.projectHistory},

		{method: "GET", path: Prefix + "/plan", handle: a.getPlan},
		{method: "GET", path: Prefix + "/plan/overrides", handle: a.listPlanOverrides},
		{method: "POST", path: Prefix + "/plan/overrides", handle: a.createPlanOverride},
		{method: "DELETE", path: Prefix + "/plan/overrides/{id}", handle: a.deletePlanOverride},
		{method: "GET", path: Prefix + "/indicators", handle: a.getIndicators},
		{method: "GET", path: Prefix + "/customers/{code}/report", handle: a.getMonthlyReport},
		{method: "GET", path: Prefix + "/quality-targets", handle: a.listQualityTargets},
		{method: "POST", path: Prefix + "/quality-targets", handle: a.createQualityTarget},
		{method: "PATCH", path: Prefix + "/quality-targets/{id}", handle: a.patchQualityTarget},
		{method: "GET", path: Prefix + "/quality-targets/{id}/results", handle: a.qualityTargetResults},

		{method: "GET", path: Prefix + "/actions", handle: a.listActions},
		{method: "POST", path: Prefix + "/actions", handle: a.createAction},
		{method: "POST", path: Prefix + "/actions/suggest", handle: a.suggestActions},
		{method: "GET", path: Prefix + "/actions/{id}", handle: a.getAction},
		{method: "PATCH", path: Prefix + "/actions/{id}", handle: a.patchAction},
		{method: "POST", path: Prefix + "/actions/{id}/status", handle: a.moveAction},
		{method: "POST", path: Prefix + "/actions/{id}/effectiveness", handle: a.checkAction},

		{method: "GET", path: Prefix + "/preventive/schedules", handle: a.listPreventiveSchedules},
		{method: "POST", path: Prefix + "/preventive/schedules", handle: a.createPreventiveSchedule},
		{method: "PATCH", path: Prefix + "/preventive/schedules/{id}", handle: a.patchPreventiveSchedule},
		{method: "GET", path: Prefix + "/preventive/tasks", handle: a.listPreventiveTasks},
		{method: "POST", path: Prefix + "/preventive/tasks/{id}/status", handle: a.movePreventiveTask},

		{method: "GET", path: Prefix + "/webhooks", handle: a.listWebhooks},
		{method: "POST", path: Prefix + "/webhooks", handle: a.createWebhook},
		{method: "GET", path: Prefix + "/webhooks/{id}", handle: a.getWebhook},
		{method: "DELETE", path: Prefix + "/webhooks/{id}", handle: a.deleteWebhook},
		{method: "GET", path: Prefix + "/webhooks/{id}/deliveries", handle: a.webhookDeliveries},
	}
}

// Routes registers every route of the API on mux, and a catch-all under the prefix that answers
// unknown paths (404) and wrong methods (405) as problems rather than as web pages.
func (a *API) Routes(mux *http.ServeMux) {
	for _, rt := range a.routes {
		mux.Handle(rt.Pattern(), a.serve(rt.handle, rt.public))
	}
	mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, m := range []string{"GET", "POST", "PATCH", "PUT", "DELETE"} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != Prefix+"/" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			a.problem(w, r, &httpError{status: http.StatusMethodNotAllowed, kind: "method_not_allowed",
				detail: r.Method + " is not allowed here; use " + strings.Join(allowed, " or ")})
			return
		}
		a.problem(w, r, &httpError{status: http.StatusNotFound, kind: "not_found", detail: "no such API route: " + r.URL.Path})
	})
}
