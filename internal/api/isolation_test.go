package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// org is what each customer organisation has in the isolation test.
type org struct {
	ticket     apijson.Ticket
	attachment int64
	user       int64
}

// seedOrg gives a customer user's organisation a ticket with a message carrying an attachment
// and a contact besides the user; the environments come from newEnv.
func seedOrg(t *testing.T, e *env, user, customer string) org {
	t.Helper()
	o := org{ticket: e.file(user, map[string]any{"environment": "prod", "subject": "Secret of " + customer}), user: e.users[user].ID}
	var m apijson.Message
	e.upload(user, "/api/v1/tickets/"+o.ticket.Number+"/attachments", field{form: "file", name: "plan.png", value: string(png)}).
		want(t, http.StatusCreated, &m)
	o.attachment = m.Attachments[0].ID
	e.do("n1", "POST", "/api/v1/customers/"+customer+"/contacts", map[string]any{"email": "carol@" + strings.ToLower(customer) + ".example"}).
		want(t, http.StatusCreated, nil)
	return o
}

// TestIsolation proves, route by route, that a customer's token never reads or changes another
// organisation's records. Bob (GLOBEX) aims every route at ACME's records and gets 404; Alice
// (ACME) then sends the same request and does not get 404, which shows the request was sound.
// Routes that address no organisation's record say what they show instead.
func TestIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		acme, globex := seedOrg(t, e, "alice", "ACME"), seedOrg(t, e, "bob", "GLOBEX")
		tk := "/api/v1/tickets/" + acme.ticket.Number
		att := "/attachments/" + strconv.FormatInt(acme.attachment, 10)
		// ACME's ticket is taken in charge, which gives it a met clock in this month's SLA report.
		e.do("n1", "POST", tk+"/take", nil).want(t, http.StatusOK, nil)
		e.refresh(acme.ticket.Number)
		month := e.sla("n1", acme.ticket.Number)["take_charge"].StoppedAt
		if month == nil {
			t.Fatal("taking ACME's ticket did not stop its take-charge clock")
		}
		report := "/api/v1/reports/sla?month=" + reportMonth(t, *month)
		calendar := "/api/v1/calendars/" + strconv.FormatInt(e.calendars("root")["24/7"].ID, 10)
		prb := e.seedProblem(acme.ticket.Number) // a problem the staff linked ACME's ticket to
		kb := e.seedKB(acme.ticket.Number)       // an article restricted to ACME, linked to ACME's ticket
		ev := e.seedEnvironment()                // ACME's prod: a server, a deployment, a window, an access grant
		pr := e.seedProbe()                      // a probe of ACME's prod, with a result
		pj := e.seedProject(acme.ticket.Number)  // ACME's project: items, a task, a link, an evidence file
		qt := e.seedQualityTarget()              // a quality target about ACME
		act := e.seedAction()                    // an open action for ACME
		pvs, pvt := e.seedPreventive()           // ACME's weekly access review and its first occurrence
		noACME := func(t *testing.T, r *resp) {
			r.want(t, http.StatusOK, nil)
			for _, s := range []string{"ACME", "acme.example", "Secret of ACME", acme.ticket.Number} {
				if strings.Contains(string(r.body), s) {
					t.Errorf("the answer shows %q: %s", s, r.body)
				}
			}
		}
		cases := []struct {
			pattern, method, path string
			body                  any
			upload                bool
			want                  int                         // Bob's status (404 for every record of ACME)
			check                 func(t *testing.T, r *resp) // instead of want, for routes that list
			control               string                      // Bob's own record, for the control request; "": Alice sends Bob's request
		}{
			{pattern: "GET /api/v1/openapi.json", method: "GET", path: "/api/v1/openapi.json", want: 200}, // describes, holds no records
			{pattern: "GET /api/v1/me", method: "GET", path: "/api/v1/me", check: noACME},
			{pattern: "GET /api/v1/tickets", method: "GET", path: "/api/v1/tickets?limit=200", check: noACME},
			{pattern: "GET /api/v1/tickets", method: "GET", path: "/api/v1/tickets?customer=ACME", want: 404},
			{pattern: "POST /api/v1/tickets", method: "POST", path: "/api/v1/tickets", want: 404,
				body: map[string]any{"customer": "ACME", "severity": "minor", "category": "application", "subject": "s", "description": "d"}},
			{pattern: "POST /api/v1/tickets", method: "POST", path: "/api/v1/tickets", want: 404,
				body: map[string]any{"customer": strconv.FormatInt(e.acme.ID, 10), "severity": "minor", "category": "application", "subject": "s", "description": "d"}},
			{pattern: "GET /api/v1/tickets/{number}", method: "GET", path: tk, want: 404},
			{pattern: "PATCH /api/v1/tickets/{number}", method: "PATCH", path: tk, body: map[string]any{"status": "closed"}, want: 404},
			{pattern: "POST /api/v1/tickets/{number}/take", method: "POST", path: tk + "/take", want: 404},
			{pattern: "POST /api/v1/tickets/{number}/escalate", method: "POST", path: tk + "/escalate", body: map[string]any{"level": "N2", "reason": "r"}, want: 404},
			{pattern: "GET /api/v1/tickets/{number}/history", method: "GET", path: tk + "/history", want: 404},
			{pattern: "GET /api/v1/tickets/{number}/messages", method: "GET", path: tk + "/messages", want: 404},
			{pattern: "POST /api/v1/tickets/{number}/messages", method: "POST", path: tk + "/messages", body: map[string]any{"body": "hello"}, want: 404},
			{pattern: "POST /api/v1/tickets/{number}/messages", method: "POST", path: "/api/v1/tickets/" + globex.ticket.Number + "/messages",
				body: map[string]any{"body": "stolen", "attachments": []int64{acme.attachment}}, want: 404, control: strconv.FormatInt(globex.attachment, 10)},
			{pattern: "POST /api/v1/tickets/{number}/attachments", method: "POST", path: tk + "/attachments", upload: true, want: 404},
			{pattern: "GET /api/v1/tickets/{number}/attachments/{id}", method: "GET", path: tk + att, want: 404},
			{pattern: "GET /api/v1/tickets/{number}/attachments/{id}", method: "GET", path: "/api/v1/tickets/" + globex.ticket.Number + att, want: 404,
				control: strconv.FormatInt(globex.attachment, 10)},
			{pattern: "GET /api/v1/tickets/{number}/sla", method: "GET", path: tk + "/sla", want: 404},
			{pattern: "POST /api/v1/tickets/{number}/workaround", method: "POST", path: tk + "/workaround", body: map[string]any{"text": "t"}, want: 404},
			{pattern: "GET /api/v1/tickets/{number}/survey", method: "GET", path: tk + "/survey", want: 404},
			{pattern: "GET /api/v1/customers", method: "GET", path: "/api/v1/customers", check: noACME},
			{pattern: "POST /api/v1/customers", method: "POST", path: "/api/v1/customers", body: map[string]any{"code": "ACME2", "name": "x"}, want: 403},
			{pattern: "GET /api/v1/customers/{code}", method: "GET", path: "/api/v1/customers/ACME", want: 404},
			{pattern: "GET /api/v1/customers/{code}", method: "GET", path: "/api/v1/customers/acme", want: 404},
			{pattern: "GET /api/v1/customers/{code}/contacts", method: "GET", path: "/api/v1/customers/ACME/contacts", want: 404},
			{pattern: "POST /api/v1/customers/{code}/contacts", method: "POST", path: "/api/v1/customers/ACME/contacts", body: map[string]any{"email": "eve@acme.example"}, want: 404},
			{pattern: "GET /api/v1/customers/{code}/environments", method: "GET", path: "/api/v1/customers/ACME/environments", want: 404},
			{pattern: "GET /api/v1/customers/{code}/sla", method: "GET", path: "/api/v1/customers/ACME/sla", want: 404},
			{pattern: "PUT /api/v1/customers/{code}/sla", method: "PUT", path: "/api/v1/customers/ACME/sla",
				body: map[string]any{"calendar": map[string]any{"id": 0}, "targets": []any{}}, want: 404},
			{pattern: "GET /api/v1/reports/sla", method: "GET", path: report + "&customer=ACME", want: 404},
			{pattern: "GET /api/v1/reports/sla", method: "GET", path: report, check: func(t *testing.T, r *resp) {
				noACME(t, r)
				if all := e.do("root", "GET", report, nil).want(t, http.StatusOK, nil); !strings.Contains(string(all.body), `"ACME"`) {
					t.Errorf("ACME is not in the staff's report either, so its absence proves nothing: %s", all.body)
				}
			}},
			{pattern: "GET /api/v1/reports/sla", method: "GET", path: report + "&format=csv", check: noACME},
			{pattern: "GET /api/v1/users", method: "GET", path: "/api/v1/users", check: noACME},
			{pattern: "GET /api/v1/users", method: "GET", path: "/api/v1/users?customer=ACME", want: 404},
			{pattern: "POST /api/v1/users", method: "POST", path: "/api/v1/users", body: map[string]any{"email": "eve@acme.example", "role": "customer", "customer": "ACME"}, want: 404},
			{pattern: "GET /api/v1/users/{id}", method: "GET", path: "/api/v1/users/" + strconv.FormatInt(acme.user, 10), want: 404},
			// Webhooks belong to no organisation: admins only.
			{pattern: "GET /api/v1/webhooks", method: "GET", path: "/api/v1/webhooks", want: 403},
			{pattern: "POST /api/v1/webhooks", method: "POST", path: "/api/v1/webhooks", body: map[string]any{"url": "https://x.example", "events": []string{"*"}}, want: 403},
			{pattern: "GET /api/v1/webhooks/{id}", method: "GET", path: "/api/v1/webhooks/1", want: 403},
			{pattern: "DELETE /api/v1/webhooks/{id}", method: "DELETE", path: "/api/v1/webhooks/1", want: 403},
			{pattern: "GET /api/v1/webhooks/{id}/deliveries", method: "GET", path: "/api/v1/webhooks/1/deliveries", want: 403},
			// Problems are the vendor's team's records: customers neither read nor change them.
			{pattern: "GET /api/v1/cause-codes", method: "GET", path: "/api/v1/cause-codes", want: 403},
			{pattern: "GET /api/v1/problems", method: "GET", path: "/api/v1/problems", want: 403},
			{pattern: "POST /api/v1/problems", method: "POST", path: "/api/v1/problems", body: map[string]any{"title": "t"}, want: 403},
			{pattern: "GET /api/v1/problems/{id}", method: "GET", path: prb, want: 403},
			{pattern: "PATCH /api/v1/problems/{id}", method: "PATCH", path: prb, body: map[string]any{"title": "t", "owner": "me"}, want: 403},
			{pattern: "GET /api/v1/problems/{id}/tickets", method: "GET", path: prb + "/tickets", want: 403},
			{pattern: "POST /api/v1/problems/{id}/tickets", method: "POST", path: prb + "/tickets", body: map[string]any{"ticket": globex.ticket.Number}, want: 403},
			{pattern: "DELETE /api/v1/problems/{id}/tickets/{number}", method: "DELETE", path: prb + "/tickets/" + acme.ticket.Number, want: 403},
			{pattern: "POST /api/v1/problems/{id}/resolve", method: "POST", path: prb + "/resolve", body: map[string]any{"notify": true, "message": "m"}, want: 403},
			// Knowledge base: ACME's restricted article is not found; customers do not write
			// articles nor read their revisions, and only staff link articles and tick steps.
			{pattern: "GET /api/v1/articles", method: "GET", path: "/api/v1/articles", check: noACME},
			{pattern: "POST /api/v1/articles", method: "POST", path: "/api/v1/articles", body: map[string]any{"lang": "en", "title": "t"}, want: 403},
			{pattern: "GET /api/v1/articles/{id}", method: "GET", path: kb, want: 404},
			{pattern: "PATCH /api/v1/articles/{id}", method: "PATCH", path: kb, body: map[string]any{"version": 3, "title": "t"}, want: 404},
			{pattern: "GET /api/v1/articles/{id}/revisions", method: "GET", path: kb + "/revisions", want: 403},
			{pattern: "GET /api/v1/articles/{id}/diff", method: "GET", path: kb + "/diff?from=1&to=1", want: 403},
			{pattern: "GET /api/v1/search", method: "GET", path: "/api/v1/search?q=secret", check: noACME},
			{pattern: "GET /api/v1/tickets/{number}/articles", method: "GET", path: tk + "/articles", want: 404},
			{pattern: "POST /api/v1/tickets/{number}/articles", method: "POST", path: tk + "/articles", body: map[string]any{"article": 1}, want: 403},
			{pattern: "DELETE /api/v1/tickets/{number}/articles/{id}", method: "DELETE", path: tk + "/articles/1", want: 403},
			{pattern: "POST /api/v1/tickets/{number}/procedure-steps", method: "POST", path: tk + "/procedure-steps",
				body: map[string]any{"article": 1, "lang": "en", "position": 1}, want: 403},
			// Business calendars hold no organisation's data, but customers neither read nor
			// change them: staff read them, admins and ops managers write them.
			{pattern: "GET /api/v1/calendars", method: "GET", path: "/api/v1/calendars", want: 403},
			{pattern: "POST /api/v1/calendars", method: "POST", path: "/api/v1/calendars?name=Mine", body: map[string]any{"timezone": "UTC", "always_open": true}, want: 403},
			{pattern: "GET /api/v1/calendars/{id}", method: "GET", path: calendar, want: 403},
			{pattern: "PUT /api/v1/calendars/{id}", method: "PUT", path: calendar, body: map[string]any{"timezone": "UTC", "always_open": true}, want: 403},
			{pattern: "DELETE /api/v1/calendars/{id}", method: "DELETE", path: calendar, want: 403},
			// Environments: everything of ACME's is not found, writes included (the environment is
			// looked up before the permission check); Alice's control requests get 403 or 200.
			{pattern: "POST /api/v1/customers/{code}/environments", method: "POST", path: "/api/v1/customers/ACME/environments",
				body: map[string]any{"kind": "test", "name": "Mine"}, want: 404},
			{pattern: "GET /api/v1/customers/{code}/twin-check", method: "GET", path: "/api/v1/customers/ACME/twin-check", want: 404},
			{pattern: "GET /api/v1/environments/{id}", method: "GET", path: ev.env, want: 404},
			{pattern: "PATCH /api/v1/environments/{id}", method: "PATCH", path: ev.env,
				body: map[string]any{"name": "Stolen", "customer_sees": map[string]any{"servers": true}}, want: 404},
			{pattern: "GET /api/v1/environments/{id}/servers", method: "GET", path: ev.env + "/servers", want: 404},
			{pattern: "POST /api/v1/environments/{id}/servers", method: "POST", path: ev.env + "/servers", body: map[string]any{"hostname": "evil"}, want: 404},
			{pattern: "PATCH /api/v1/environments/{id}/servers/{sid}", method: "PATCH", path: ev.server, body: map[string]any{"hostname": "evil"}, want: 404},
			{pattern: "DELETE /api/v1/environments/{id}/servers/{sid}", method: "DELETE", path: ev.server, want: 404},
			{pattern: "GET /api/v1/environments/{id}/components", method: "GET", path: ev.env + "/components", want: 404},
			{pattern: "GET /api/v1/environments/{id}/deployments", method: "GET", path: ev.env + "/deployments", want: 404},
			{pattern: "POST /api/v1/environments/{id}/deployments", method: "POST", path: ev.env + "/deployments",
				body: map[string]any{"component": "app", "version": "1.0"}, want: 404},
			{pattern: "PATCH /api/v1/environments/{id}/deployments/{did}", method: "PATCH", path: ev.deployment, body: map[string]any{"outcome": "failed"}, want: 404},
			{pattern: "GET /api/v1/environments/{id}/access", method: "GET", path: ev.env + "/access?all=true", want: 404},
			{pattern: "POST /api/v1/environments/{id}/access", method: "POST", path: ev.env + "/access",
				body: map[string]any{"user": "n1@vendor.example", "kind": "ssh", "reason": "r", "expires_at": "2099-01-01T00:00:00Z"}, want: 404},
			{pattern: "POST /api/v1/access/{gid}/revoke", method: "POST", path: ev.grant + "/revoke", body: map[string]any{"reason": "r"}, want: 404},
			{pattern: "GET /api/v1/access/expired", method: "GET", path: "/api/v1/access/expired?at=2099-01-01T00:00:00Z", want: 403},
			{pattern: "GET /api/v1/environments/{id}/maintenance", method: "GET", path: ev.env + "/maintenance", want: 404},
			{pattern: "POST /api/v1/environments/{id}/maintenance", method: "POST", path: ev.env + "/maintenance",
				body: map[string]any{"title": "t", "starts_at": "2099-01-01T00:00:00Z", "ends_at": "2099-01-02T00:00:00Z"}, want: 404},
			{pattern: "PATCH /api/v1/environments/{id}/maintenance/{wid}", method: "PATCH", path: ev.maintenance, body: map[string]any{"title": "t"}, want: 404},
			{pattern: "DELETE /api/v1/environments/{id}/maintenance/{wid}", method: "DELETE", path: ev.maintenance, want: 404},
			// Probes: ACME's are not found, through its environment or their own path.
			{pattern: "GET /api/v1/environments/{id}/probes", method: "GET", path: ev.env + "/probes", want: 404},
			{pattern: "POST /api/v1/environments/{id}/probes", method: "POST", path: ev.env + "/probes",
				body: map[string]any{"name": "evil", "url": "https://evil.example"}, want: 404},
			{pattern: "GET /api/v1/environments/{id}/availability", method: "GET", path: ev.env + "/availability", want: 404},
			{pattern: "GET /api/v1/probes/{id}", method: "GET", path: pr, want: 404},
			{pattern: "PATCH /api/v1/probes/{id}", method: "PATCH", path: pr, body: map[string]any{"url": "https://evil.example"}, want: 404},
			{pattern: "GET /api/v1/probes/{id}/results", method: "GET", path: pr + "/results", want: 404},
			// Projects: everything of ACME's is not found, writes included (the project is read
			// before any permission check); Alice's control writes get 403 outside the items she owes.
			{pattern: "GET /api/v1/projects", method: "GET", path: "/api/v1/projects", check: noACME},
			{pattern: "GET /api/v1/projects", method: "GET", path: "/api/v1/projects?customer=ACME", want: 404},
			{pattern: "POST /api/v1/projects", method: "POST", path: "/api/v1/projects", body: map[string]any{"customer": "ACME", "name": "Mine"}, want: 404},
			{pattern: "GET /api/v1/projects/{id}", method: "GET", path: pj.path, want: 404},
			{pattern: "PATCH /api/v1/projects/{id}", method: "PATCH", path: pj.path, body: map[string]any{"name": "Stolen"}, want: 404},
			{pattern: "GET /api/v1/projects/{id}/phases", method: "GET", path: pj.path + "/phases", want: 404},
			{pattern: "POST /api/v1/projects/{id}/phases/{phase}/close", method: "POST", path: pj.path + "/phases/preframing/close", want: 404},
			{pattern: "POST /api/v1/projects/{id}/phases/{phase}/reopen", method: "POST", path: pj.path + "/phases/preframing/reopen",
				body: map[string]any{"reason": "r"}, want: 404},
			{pattern: "GET /api/v1/projects/{id}/items/{item}", method: "GET", path: pj.custItem, want: 404},
			{pattern: "PATCH /api/v1/projects/{id}/items/{item}", method: "PATCH", path: pj.custItem,
				body: map[string]any{"status": "submitted", "evidence": "mine"}, want: 404},
			{pattern: "PATCH /api/v1/projects/{id}/items/{item}", method: "PATCH", path: pj.vendorItem, body: map[string]any{"evidence": "x"}, want: 404},
			{pattern: "POST /api/v1/projects/{id}/items/{item}/comments", method: "POST", path: pj.custItem + "/comments",
				body: map[string]any{"body": "hello"}, want: 404},
			{pattern: "POST /api/v1/projects/{id}/items/{item}/attachments", method: "POST", path: pj.custItem + "/attachments", upload: true, want: 404},
			{pattern: "GET /api/v1/projects/{id}/items/{item}/attachments/{att}", method: "GET", path: pj.file, want: 404},
			{pattern: "GET /api/v1/projects/{id}/tasks", method: "GET", path: pj.path + "/tasks", want: 404},
			{pattern: "POST /api/v1/projects/{id}/tasks", method: "POST", path: pj.path + "/tasks",
				body: map[string]any{"phase": "framing", "title": "t"}, want: 404},
			{pattern: "PATCH /api/v1/projects/{id}/tasks/{task}", method: "PATCH", path: pj.task, body: map[string]any{"status": "done"}, want: 404},
			{pattern: "GET /api/v1/projects/{id}/links", method: "GET", path: pj.path + "/links", want: 404},
			{pattern: "POST /api/v1/projects/{id}/links", method: "POST", path: pj.path + "/links",
				body: map[string]any{"key": globex.ticket.Number}, want: 404},
			{pattern: "DELETE /api/v1/projects/{id}/links/{key}", method: "DELETE", path: pj.link, want: 404},
			{pattern: "GET /api/v1/projects/{id}/history", method: "GET", path: pj.path + "/history", want: 404},
			// The steering plan is the vendor's team's: 403 to every customer, whatever it names.
			{pattern: "GET /api/v1/plan", method: "GET", path: "/api/v1/plan?customer=ACME", want: 403},
			{pattern: "GET /api/v1/plan/overrides", method: "GET", path: "/api/v1/plan/overrides", want: 403},
			{pattern: "POST /api/v1/plan/overrides", method: "POST", path: "/api/v1/plan/overrides",
				body: map[string]any{"kind": "ticket", "id": 1, "pin": true, "reason": "r"}, want: 403},
			{pattern: "DELETE /api/v1/plan/overrides/{id}", method: "DELETE", path: "/api/v1/plan/overrides/1", want: 403},
			// Indicators: naming ACME is not found; without a customer, Bob's figures hold nothing of ACME's.
			{pattern: "GET /api/v1/indicators", method: "GET", path: "/api/v1/indicators?customer=ACME", want: 404},
			{pattern: "GET /api/v1/indicators", method: "GET", path: "/api/v1/indicators", check: noACME},
			// The monthly service report: ACME's is not found to Bob (Alice reads it).
			{pattern: "GET /api/v1/customers/{code}/report", method: "GET", path: "/api/v1/customers/ACME/report", want: 404},
			{pattern: "GET /api/v1/customers/{code}/report", method: "GET", path: "/api/v1/customers/ACME/report?month=2027-03", want: 404},
			// Quality targets are the vendor's team's steering: 403 to every customer, even about their own.
			{pattern: "GET /api/v1/quality-targets", method: "GET", path: "/api/v1/quality-targets", want: 403},
			{pattern: "POST /api/v1/quality-targets", method: "POST", path: "/api/v1/quality-targets",
				body: map[string]any{"indicator": "reopen", "customer": "ACME", "comparator": "le", "threshold": 5, "period": "week"}, want: 403},
			{pattern: "PATCH /api/v1/quality-targets/{id}", method: "PATCH", path: qt, body: map[string]any{"active": false}, want: 403},
			{pattern: "GET /api/v1/quality-targets/{id}/results", method: "GET", path: qt + "/results", want: 403},
			// Actions: ACME's are not found; writes are the vendor's team's (403 whatever they name).
			{pattern: "GET /api/v1/actions", method: "GET", path: "/api/v1/actions", check: noACME},
			{pattern: "GET /api/v1/actions", method: "GET", path: "/api/v1/actions?customer=ACME", want: 404},
			{pattern: "GET /api/v1/actions/{id}", method: "GET", path: act, want: 404},
			{pattern: "POST /api/v1/actions", method: "POST", path: "/api/v1/actions",
				body: map[string]any{"kind": "corrective", "title": "t", "customer": "ACME"}, want: 403},
			{pattern: "PATCH /api/v1/actions/{id}", method: "PATCH", path: act, body: map[string]any{"title": "Stolen"}, want: 403},
			{pattern: "POST /api/v1/actions/{id}/status", method: "POST", path: act + "/status", body: map[string]any{"status": "done"}, want: 403},
			{pattern: "POST /api/v1/actions/{id}/effectiveness", method: "POST", path: act + "/effectiveness",
				body: map[string]any{"effective": true}, want: 403},
			{pattern: "POST /api/v1/actions/suggest", method: "POST", path: "/api/v1/actions/suggest", want: 403},
			// Preventive work: customers read their own organisation's; ACME's are not found, and
			// only the vendor's team writes (403 whatever the request names).
			{pattern: "GET /api/v1/preventive/schedules", method: "GET", path: "/api/v1/preventive/schedules", check: noACME},
			{pattern: "GET /api/v1/preventive/schedules", method: "GET", path: "/api/v1/preventive/schedules?customer=ACME", want: 404},
			{pattern: "POST /api/v1/preventive/schedules", method: "POST", path: "/api/v1/preventive/schedules", want: 403,
				body: map[string]any{"kind": "audit", "title": "t", "customer": "ACME", "every": 1, "unit": "weeks", "first_day": "2027-01-04", "level": "N1"}},
			{pattern: "PATCH /api/v1/preventive/schedules/{id}", method: "PATCH", path: pvs, body: map[string]any{"title": "Stolen"}, want: 403},
			{pattern: "GET /api/v1/preventive/tasks", method: "GET", path: "/api/v1/preventive/tasks", check: noACME},
			{pattern: "GET /api/v1/preventive/tasks", method: "GET", path: "/api/v1/preventive/tasks?customer=ACME", want: 404},
			{pattern: "POST /api/v1/preventive/tasks/{id}/status", method: "POST", path: pvt, body: map[string]any{"status": "done"}, want: 404},
		}
		covered := map[string]bool{}
		for _, c := range cases {
			covered[c.pattern] = true
			if _, pattern := e.mux.Handler(mustRequest(t, c.method, e.srv.URL+c.path)); pattern != c.pattern {
				t.Fatalf("%s %s is served by %q, not %q", c.method, c.path, pattern, c.pattern)
			}
			t.Run(c.method+" "+c.path, func(t *testing.T) {
				send := func(user string) *resp {
					if c.upload {
						return e.upload(user, c.path, field{form: "file", name: "x.txt", value: "x"})
					}
					return e.do(user, c.method, c.path, c.body)
				}
				control := func() *resp {
					if c.control == "" {
						return send("alice")
					}
					// The same request as Bob, on his own attachment.
					path := strings.Replace(c.path, att, "/attachments/"+c.control, 1)
					var body any
					if c.body != nil {
						body = strings.Replace(`{"body": "mine", "attachments": [ID]}`, "ID", c.control, 1)
					}
					return e.do("bob", c.method, path, body)
				}
				r := send("bob")
				switch {
				case c.check != nil:
					c.check(t, r)
				case c.want == 404:
					r.problem(t, http.StatusNotFound, "*")
					if strings.Contains(string(r.body), "Secret of ACME") {
						t.Errorf("the 404 shows ACME's data: %s", r.body)
					}
					if own := control(); own.status == http.StatusNotFound {
						t.Errorf("the owner gets 404 too, so the request proves nothing: %s", own.body)
					}
				case c.want == 200:
					r.want(t, http.StatusOK, nil)
				default:
					r.problem(t, c.want, "")
				}
			})
		}
		for _, p := range e.api.Patterns() {
			if !covered[p] {
				t.Errorf("route %s has no isolation case", p)
			}
		}
		// Nothing of ACME changed.
		var after apijson.Ticket
		e.do("alice", "GET", tk, nil).want(t, http.StatusOK, &after)
		if after.Status == "closed" || after.Level != "N1" {
			t.Errorf("ACME's ticket changed: %+v", after)
		}
		if c := e.contract("root", "ACME"); c.Calendar.Name != "France — jours ouvrés" || len(c.Targets) != 6 {
			t.Errorf("ACME's contract changed: %+v", c)
		}
		if len(e.calendars("root")) != 2 {
			t.Errorf("the calendars changed: %+v", e.calendars("root"))
		}
		if got := e.problemOf(prb); got.Status != "open" || got.Tickets != 1 || got.Title != "Shared cause" {
			t.Errorf("the problem changed: %+v", got)
		}
		var art kbArticle
		if e.do("root", "GET", kb, nil).want(t, http.StatusOK, &art); art.Version != 3 || art.Title != "Secret of ACME runbook" {
			t.Errorf("ACME's article changed: %+v", art)
		}
		if wa := e.sla("root", acme.ticket.Number)["workaround"]; wa.Stopped {
			t.Errorf("a workaround was recorded on ACME's ticket: %+v", wa)
		}
		if ss, err := db.ListServers(system, e.acmeProd.ID); err != nil || len(ss) != 1 || ss[0].Hostname != "acme-secret-db1" {
			t.Errorf("ACME's servers changed: %v %+v", err, ss)
		}
		if ps, err := db.ListProbes(system, e.acmeProd.ID); err != nil || len(ps) != 1 || ps[0].URL != "https://acme.example/health" {
			t.Errorf("ACME's probes changed: %v %+v", err, ps)
		}
		if p := e.projectOf("root", pj.path); p.Name != "Secret of ACME go-live" || p.Closed {
			t.Errorf("ACME's project changed: %+v", p)
		}
		var actAfter actionDetailJSON
		if e.do("root", "GET", act, nil).want(t, http.StatusOK, &actAfter); actAfter.Action.Title != "Secret of ACME action" || actAfter.Action.Status != "open" {
			t.Errorf("ACME's action changed: %+v", actAfter.Action)
		}
		var pvAfter struct{ Items []preventiveTaskJSON }
		if e.do("root", "GET", "/api/v1/preventive/tasks?customer=ACME", nil).want(t, http.StatusOK, &pvAfter); len(pvAfter.Items) == 0 ||
			pvAfter.Items[0].Status != "todo" || pvAfter.Items[0].Title != "Secret of ACME review" {
			t.Errorf("ACME's preventive work changed: %+v", pvAfter.Items)
		}
		var pjLinks struct{ Items []struct{ Key string } }
		if e.do("root", "GET", pj.path+"/links", nil).want(t, http.StatusOK, &pjLinks); len(pjLinks.Items) != 1 {
			t.Errorf("ACME's project links changed: %+v", pjLinks.Items)
		}
	})
}

// reportMonth is the month, in the French calendar's zone, of an instant the API wrote.
func reportMonth(t *testing.T, stamp string) string {
	t.Helper()
	at, err := time.Parse(time.RFC3339, stamp)
	must(t, err)
	return at.In(paris).Format("2006-01")
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	must(t, err)
	return req
}
