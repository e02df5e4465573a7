package api

import (
	"maps"
	"net/http"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
)

// ticketQuery are the filters of GET /tickets.
var ticketQuery = []param{
	{"status", "comma list of statuses: new, open, waiting_customer, resolved, closed"},
	{"severity", "comma list of severity codes"},
	{"level", "comma list of levels: N1, N2, N3"},
	{"customer", "customer code"},
	{"environment", "environment kind: test, preprod, prod"},
	{"assignee", "an agent's email, me, or none (unassigned)"},
	{"category", "category code"},
	{"q", "a ticket number (OPS-1042, 1042) or words of the subject"},
	{"sort", "updated, created, number, severity or deadline (next_deadline, nearest first, tickets without one last); " +
		"prefix with - for descending (default -updated)"},
	{"limit", "page size, 1 to 200 (default 50)"},
	{"cursor", "next_cursor of the previous page"},
}

// operations describes every route of the API, keyed by its mux pattern. A test checks that
// this list and the route table name the same operations.
func operations() map[string]op {
	t := Prefix + "/tickets"
	tk := t + "/{number}"
	c := Prefix + "/customers/{code}"
	ops := map[string]op{
		"GET " + Prefix + "/openapi.json": {summary: "This OpenAPI document", resp: struct{}{}, public: true},
		"GET " + Prefix + "/me":           {summary: "The user the token acts as", resp: user{}},

		"GET " + t: {summary: "List the tickets the caller may see, newest change first, one page at a time",
			query: ticketQuery, resp: ticketList{}},
		"POST " + t: {summary: "File a ticket (a customer's token files for its own organisation, as itself)",
			body: newTicket{}, status: http.StatusCreated, resp: apijson.Ticket{}},
		"GET " + tk: {summary: "Read a ticket", resp: apijson.Ticket{}},
		"PATCH " + tk: {summary: "Change a ticket's status, severity, assignee, category, environment or type; resolving needs " +
			"resolution and cause (422 naming the field otherwise), and, when the severity requires it, a linked article or draft_article", body: ticketPatch{}, resp: apijson.Ticket{}},
		"POST " + tk + "/take": {summary: "Take the ticket in charge as the calling agent (assign and open it)",
			resp: apijson.Ticket{}},
		"POST " + tk + "/escalate": {summary: "Move the ticket to another support level, within the customer's contract",
			body: escalation{}, resp: apijson.Ticket{}},
		"GET " + tk + "/history": {summary: "The ticket's history, oldest first (customers do not see internal events)",
			resp: items[event]{}},
		"GET " + tk + "/messages": {summary: "The ticket's conversation, oldest first (customers see public messages only)",
			resp: items[apijson.Message]{}},
		"POST " + tk + "/messages": {summary: "Reply to the customer, or add an internal note",
			body: newMessage{}, status: http.StatusCreated, resp: apijson.Message{}},
		"POST " + tk + "/attachments": {summary: "Upload files as a message of the ticket (multipart field file, or a raw body with ?name=)",
			query: []param{{"name", "file name, for a raw body"}, {"body", "message text, for a raw body"},
				{"internal", "true to attach to an internal note, for a raw body"}},
			upload: true, status: http.StatusCreated, resp: apijson.Message{}},
		"GET " + tk + "/attachments/{id}": {summary: "Download an attachment (served as a download, with its sniffed type)", file: true},

		"GET " + Prefix + "/customers":  {summary: "List the customers the caller may see", resp: items[customer]{}},
		"POST " + Prefix + "/customers": {summary: "Create a customer (admins and ops managers)", body: newCustomer{}, status: http.StatusCreated, resp: customer{}},
		"GET " + c:                      {summary: "Read a customer", resp: customer{}},
		"GET " + c + "/contacts":        {summary: "List a customer's contacts", resp: items[contact]{}},
		"POST " + c + "/contacts":       {summary: "Add a contact to a customer (staff)", body: newContact{}, status: http.StatusCreated, resp: contact{}},

		"GET " + Prefix + "/users": {summary: "List the users the caller may see",
			query: []param{{"role", "a role"}, {"level", "N1, N2 or N3"}, {"customer", "customer code"},
				{"q", "part of the email or name"}, {"limit", "at most 1000"}}, resp: items[user]{}},
		"POST " + Prefix + "/users":     {summary: "Create a user (admins; ops managers for agents, project managers and customers)", body: newUser{}, status: http.StatusCreated, resp: user{}},
		"GET " + Prefix + "/users/{id}": {summary: "Read a user", resp: user{}},

		"GET " + Prefix + "/webhooks": {summary: "List the webhooks (admins)", resp: items[webhook]{}},
		"POST " + Prefix + "/webhooks": {summary: "Register a webhook (admins); the answer holds its secret, shown only this once",
			body: newWebhook{}, status: http.StatusCreated, resp: webhook{}},
		"GET " + Prefix + "/webhooks/{id}":    {summary: "Read a webhook (admins)", resp: webhook{}},
		"DELETE " + Prefix + "/webhooks/{id}": {summary: "Delete a webhook and its delivery log (admins)", status: http.StatusNoContent},
		"GET " + Prefix + "/webhooks/{id}/deliveries": {summary: "The webhook's delivery log, newest attempt first (admins)",
			query: []param{{"limit", "at most 500"}}, resp: items[delivery]{}},
	}
	maps.Copy(ops, slaOperations())
	maps.Copy(ops, problemOperations())
	maps.Copy(ops, kbOperations())
	maps.Copy(ops, surveyOperations())
	maps.Copy(ops, causeOperations())
	maps.Copy(ops, envOperations())
	maps.Copy(ops, probeOperations())
	maps.Copy(ops, projectOperations())
	maps.Copy(ops, planOperations())
	maps.Copy(ops, indicatorOperations())
	maps.Copy(ops, monthlyReportOperations())
	maps.Copy(ops, qualityOperations())
	maps.Copy(ops, capaOperations())
	maps.Copy(ops, preventiveOperations())
	return ops
}
