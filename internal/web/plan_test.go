package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestPlanPage walks the plan page: agents read the ranked, explained list; the ops manager
// pins a row with a reason (refused without one, the input kept), removes the pin, sets an
// agent's capacity and records an absence; the page speaks French; customers are refused.
func TestPlanPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)

		p := agent.get("/plan").want(t, http.StatusOK)
		if !slices.ContainsFunc(findAll(p.doc, func(n *html.Node) bool { return n.Data == "a" }), func(n *html.Node) bool {
			return attr(n, "href") == "/plan" && textOf(n) == "Plan"
		}) {
			t.Error("no Plan link in the navigation")
		}
		// A major ticket on production ranks above a minor one on pre-production.
		if got := p.rows(); !slices.Equal(got, []string{d.acmeReq.Key, d.globexReq.Key}) {
			t.Fatalf("rows = %v", got)
		}
		p.wantText(t, "plan", "severity on production", "severity on pre-production")
		if strings.Contains(p.body, `action="/plan/overrides"`) {
			t.Error("an agent is offered the pin form")
		}
		id := strconv.FormatInt(d.globexReq.ID, 10)
		pin := url.Values{"csrf": {agent.csrf()}, "kind": {"ticket"}, "id": {id}, "action": {"pin"}, "reason": {"escalation"}}
		agent.post("/plan/overrides", pin).want(t, http.StatusForbidden)

		ops := ws.client()
		ops.login(d.ops.Email, password)
		// Without a reason: refused, the position and action kept.
		p = ops.submit("/plan", "/plan/overrides", url.Values{"kind": {"ticket"}, "id": {id}, "action": {"move"}, "position": {"1"}, "reason": {""}}).
			want(t, http.StatusUnprocessableEntity)
		if attr(byID(p.doc, "ov-ticket-"+id+"-position"), "value") != "1" || !strings.Contains(p.body, `<option value="move" selected>`) || !strings.Contains(p.body, "is required") {
			t.Errorf("the failed form lost its input: %s", p.body)
		}
		p = ops.follow(ops.submit("/plan", "/plan/overrides", url.Values{"kind": {"ticket"}, "id": {id}, "action": {"pin"}, "reason": {"customer escalation"}}))
		if got := p.rows(); !slices.Equal(got, []string{d.globexReq.Key, d.acmeReq.Key}) {
			t.Fatalf("after the pin, rows = %v", got)
		}
		p.wantText(t, "plan", "Pinned by "+d.ops.Email+": customer escalation")
		ovs, err := db.PlanOverrides(as(d.ops))
		if err != nil || len(ovs) != 1 {
			t.Fatalf("overrides = %v, %v", ovs, err)
		}
		remove := "/plan/overrides/" + strconv.FormatInt(ovs[0].ID, 10) + "/remove"
		p = ops.follow(ops.submit("/plan", remove, nil))
		if got := p.rows(); !slices.Equal(got, []string{d.acmeReq.Key, d.globexReq.Key}) {
			t.Fatalf("after removal, rows = %v", got)
		}
		p.wantText(t, "plan-history", "customer escalation", "ended")

		// Capacity settings: bad hours refused with the input kept; then saved.
		agentID := strconv.FormatInt(d.agent.ID, 10)
		capAction := "/plan/agents/" + agentID + "/capacity"
		p = ops.submit("/plan", capAction, url.Values{"hours": {"lots"}, "percent": {"50"}}).want(t, http.StatusUnprocessableEntity)
		if attr(byID(p.doc, "cap-"+agentID+"-hours"), "value") != "lots" || !strings.Contains(p.body, "must be a number of hours") {
			t.Error("the failed capacity form lost the hours")
		}
		ops.submit("/plan", capAction, url.Values{"hours": {"17.5"}, "percent": {"50"}}).want(t, http.StatusSeeOther)
		absAction := "/plan/agents/" + agentID + "/absences"
		p = ops.submit("/plan", absAction, url.Values{"from": {"2027-01-07"}, "to": {"2027-01-01"}, "reason": {"holiday"}}).
			want(t, http.StatusUnprocessableEntity)
		if attr(byID(p.doc, "abs-"+agentID+"-reason"), "value") != "holiday" {
			t.Error("the failed absence form lost the reason")
		}
		p = ops.follow(ops.submit("/plan", absAction, url.Values{"from": {"2027-01-07"}, "to": {"2027-01-12"}, "reason": {"holiday"}}))
		p.wantText(t, "agent-"+agentID, "2027-01-07", "2027-01-12", "holiday")
		agents, err := db.PlanAgents(as(d.agent))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range agents {
			if a.Agent.ID == d.agent.ID && (a.Agent.WeeklyMinutes != 1050 || a.Agent.Percent != 50 || len(a.Absences) != 1) {
				t.Errorf("stored capacity = %+v", a)
			}
		}
		if !strings.Contains(p.body, "Capacity, next 8 weeks") || !strings.Contains(p.body, "Per level") {
			t.Error("no capacity table")
		}

		// In French.
		fr := ws.client()
		fr.header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		fr.login(d.agent.Email, password)
		p = fr.get("/plan").want(t, http.StatusOK)
		p.wantText(t, "plan", "Pourquoi", "gravité en production")
		if !strings.Contains(p.body, "Capacité, 8 prochaines semaines") {
			t.Error("the capacity table is not in French")
		}

		// Customers reach none of it.
		alice := ws.client()
		alice.login(d.alice.Email, password)
		if st := alice.get("/plan").status; st != http.StatusForbidden && st != http.StatusNotFound {
			t.Errorf("customer GET /plan = %d", st)
		}
		pin["csrf"] = []string{alice.csrf()}
		if st := alice.post("/plan/overrides", pin).status; st != http.StatusForbidden && st != http.StatusNotFound {
			t.Errorf("customer POST /plan/overrides = %d", st)
		}
		if ovs, _ := db.PlanOverrides(as(d.ops)); len(ovs) != 0 {
			t.Errorf("a customer's pin was stored: %+v", ovs)
		}
	})
}
