package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestQueues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		n2Req := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "blocking", Category: "database", Subject: "Database full",
			Description: "d", Impact: "Nobody can save"})
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)

		// The home page links to the queues, with their counts.
		home := agent.get("/").want(t, http.StatusOK)
		home.wantText(t, "home-queues", "Mine 0", "N1 unassigned 2", "All open 3")

		p := agent.get("/tickets").want(t, http.StatusOK)
		if got := queueCounts(p); !slices.Equal(got, []string{"Mine 0", "N1 unassigned 2", "All open 3"}) {
			t.Errorf("queues = %v", got)
		}
		p.wantText(t, "queues", "Blocking anomaly 1", "Major anomaly 1", "Minor anomaly 1")
		// The default order is by nearest SLA deadline; no clock is stored here (no scheduler
		// runs), so it falls back to the number order. By last update, the newest first.
		if got := p.rows(); !slices.Equal(got, []string{d.acmeReq.Key, d.globexReq.Key, n2Req.Key}) {
			t.Errorf("all open = %v", got)
		}
		if got := agent.get("/tickets?sort=updated").rows(); len(got) != 3 || got[0] != n2Req.Key {
			t.Errorf("all open by last update = %v", got)
		}
		if got := agent.get("/tickets?queue=unassigned&sort=updated").rows(); !slices.Equal(got, []string{d.globexReq.Key, d.acmeReq.Key}) {
			t.Errorf("N1 unassigned = %v", got)
		}

		// Take: the ticket is the agent's, in progress, out of the unassigned queue.
		p = agent.follow(agent.submit("/tickets/"+d.acmeReq.Key, "/tickets/"+d.acmeReq.Key+"/take", nil))
		p.wantText(t, "main", "You have taken the ticket.")
		p.wantText(t, "ticket-assignee", "Nina One")
		p.wantText(t, "ticket-status", "In progress")
		p.wantText(t, "timeline", "Assignee", "n1@vendor.example", "Status", "New", "In progress")
		if byID(p.doc, "take-button") != nil {
			t.Error("the ticket's own agent is offered to take it")
		}
		if got := agent.get("/tickets?queue=mine").rows(); !slices.Equal(got, []string{d.acmeReq.Key}) {
			t.Errorf("mine = %v", got)
		}
		if got := queueCounts(agent.get("/tickets")); !slices.Equal(got, []string{"Mine 1", "N1 unassigned 1", "All open 3"}) {
			t.Errorf("queues after taking = %v", got)
		}

		// Sort, filter, search.
		if got := agent.get("/tickets?sort=number&dir=asc").rows(); !slices.Equal(got, []string{d.acmeReq.Key, d.globexReq.Key, n2Req.Key}) {
			t.Errorf("by number = %v", got)
		}
		if got := agent.get("/tickets?sort=severity").rows(); got[0] != n2Req.Key || got[2] != d.globexReq.Key {
			t.Errorf("by severity = %v", got)
		}
		for q, want := range map[string][]string{
			"customer=GLOBEX": {d.globexReq.Key}, "severity=blocking": {n2Req.Key}, "level=N2": {n2Req.Key},
			"env=preprod": {d.globexReq.Key}, "category=database": {n2Req.Key}, "q=invoices": {d.acmeReq.Key},
			"q=" + d.globexReq.Key: {d.globexReq.Key}, "status=resolved": nil, "queue=mine&status=open": {d.acmeReq.Key},
		} {
			if got := agent.get("/tickets?"+q).want(t, http.StatusOK).rows(); !slices.Equal(got, want) {
				t.Errorf("%s = %v, want %v", q, got, want)
			}
		}
		p = agent.get("/tickets?customer=NOPE").want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "filter-customer-error", "no customer has the code NOPE")

		// Managers have no queue of their own: unassigned counts every level.
		ops := ws.client()
		ops.login(d.ops.Email, password)
		if got := queueCounts(ops.get("/tickets")); !slices.Equal(got, []string{"All open 3", "Unassigned 2"}) {
			t.Errorf("manager's queues = %v", got)
		}
	})
}

func TestTicketActions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)
		key := d.acmeReq.Key
		page := "/tickets/" + key

		p := agent.get(page).want(t, http.StatusOK)
		p.wantText(t, "facts", "ACME", "Acme Industries", "Alice", d.alice.Email, "acme-prod", "Application", "Incident",
			"Major anomaly", "New", "N1", "web")
		if got := textOf(p.input("status")); got != "In progress" {
			t.Errorf("a new ticket offers statuses %q", got)
		}
		if got := textOf(p.input("assignee")); !strings.Contains(got, "Nina One") || strings.Contains(got, "Noah Two") {
			t.Errorf("assignable agents: %q", got)
		}

		// Assigning to an agent of another level is refused with the store's explanation.
		p = agent.submit(page, page+"/assign", url.Values{"assignee": {itoa(d.n2.ID)}}).want(t, http.StatusUnprocessableEntity)
		if got := p.text("assign-assignee-error"); got != "n2@vendor.example works at N2; "+key+" is at N1: escalate it first" {
			t.Errorf("assign message = %q", got)
		}
		agent.follow(agent.submit(page, page+"/assign", url.Values{"assignee": {itoa(d.agent.ID)}})).wantText(t, "ticket-assignee", "Nina One")

		// An illegal transition: 409, the lifecycle explained next to the status.
		agent.follow(agent.submit(page, page+"/status", url.Values{"status": {"open"}}))
		p = agent.submit(page, page+"/status", url.Values{"status": {"closed"}}).want(t, http.StatusConflict)
		if got := p.text("status-status-error"); got != "a ticket that is open cannot become closed; it can become waiting_customer or resolved" {
			t.Errorf("transition message = %q", got)
		}
		agent.header.Set("Accept-Language", "fr")
		p = agent.submit(page, page+"/status", url.Values{"status": {"closed"}}).want(t, http.StatusConflict)
		if got := p.text("status-status-error"); got != "un ticket « en cours » ne peut pas devenir « clos » ; il peut devenir en attente du client ou résolu" {
			t.Errorf("French transition message = %q", got)
		}
		agent.header.Del("Accept-Language")
		p = agent.follow(agent.submit(page, page+"/status", url.Values{"status": {"waiting_customer"}, "reason": {"asked for logs"}}))
		p.wantText(t, "timeline", "Waiting for the customer", "(asked for logs)")

		// Qualify: only what changed is recorded.
		p = agent.follow(agent.submit(page, page+"/qualify", url.Values{"severity": {"blocking"}, "type": {"service_request"}}))
		p.wantText(t, "timeline", "Severity Major anomaly → Blocking anomaly", "Type Incident → Service request")
		if strings.Contains(p.text("timeline"), "Category") {
			t.Error("an unchanged category was recorded")
		}
		agent.submit(page, page+"/qualify", nil).want(t, http.StatusUnprocessableEntity).wantText(t, "qualify", "Nothing changed.")

		// Escalation: a reason is required; it is recorded in the timeline, the ticket moves.
		p = agent.submit(page, page+"/escalate", url.Values{"level": {"N2"}, "reason": {""}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "escalate-reason-error", "is required")
		p = agent.follow(agent.submit(page, page+"/escalate", url.Values{"level": {"N2"}, "reason": {"needs a database expert"}}))
		p.wantText(t, "timeline", "Level N1 → N2", "(needs a database expert)", "n1@vendor.example")
		p.wantText(t, "ticket-level", "N2")
		p.wantText(t, "ticket-assignee", "—")

		// Escalation outside the contract: refused with the contract's terms.
		gpage := "/tickets/" + d.globexReq.Key
		p = agent.get(gpage)
		if got := textOf(p.input("level")); !strings.Contains(got, "N3 (not in the contract)") {
			t.Errorf("levels offered: %q", got)
		}
		p = agent.submit(gpage, gpage+"/escalate", url.Values{"level": {"N3"}, "reason": {"expert needed"}}).want(t, http.StatusConflict)
		if got := p.text("escalate-level-error"); got != "the contract of GLOBEX does not provide N3 (it provides N1, N2)" {
			t.Errorf("contract message = %q", got)
		}

		// Taking a ticket of another level is explained on the take form.
		n2page := "/tickets/" + key
		p = agent.submit(n2page, n2page+"/take", nil).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "take", "works at N1")
	})
}

func TestInternalNotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent := ws.client()
		agent.login(d.agent.Email, password)
		key := d.acmeReq.Key
		page := "/tickets/" + key

		agent.submitFiles(page, page+"/messages", url.Values{"body": {"Root cause: expired certificate."}, "internal": {"on"}},
			upload{"diagnosis.txt", []byte("secret diagnosis")}).want(t, http.StatusSeeOther)
		p := agent.follow(agent.submitFiles(page, page+"/messages", url.Values{"body": {"We are on it."}}))
		p.wantText(t, "main", "Reply sent.")
		notes, public := byClass(p.doc, "note"), byClass(p.doc, "public")
		if len(notes) != 1 || !strings.Contains(textOf(notes[0]), "Root cause") || !strings.Contains(textOf(notes[0]), "Internal note") ||
			!strings.Contains(textOf(notes[0]), "diagnosis.txt") {
			t.Errorf("notes = %d", len(notes))
		}
		if len(public) != 2 || !strings.Contains(textOf(public[1]), "We are on it.") {
			t.Errorf("public messages = %d", len(public))
		}
		// The first public answer took the ticket in charge.
		p.wantText(t, "ticket-status", "In progress")

		msgs, _ := db.Messages(as(d.agent), key)
		noteAtt := msgs[1].Attachments[0].ID
		agent.get(page+"/attachments/"+itoa(noteAtt)).want(t, http.StatusOK)

		// The customer sees the reply, never the note or its file.
		alice := ws.client()
		alice.login(d.alice.Email, password)
		p = alice.get("/requests/"+key).want(t, http.StatusOK)
		p.wantText(t, "timeline", "We are on it.")
		if strings.Contains(p.body, "Root cause") || strings.Contains(p.body, "diagnosis.txt") || len(byClass(p.doc, "note")) != 0 {
			t.Error("the customer sees the internal note")
		}
		alice.get("/requests/"+key+"/attachments/"+itoa(noteAtt)).want(t, http.StatusNotFound)
		alice.get(page+"/attachments/"+itoa(noteAtt)).want(t, http.StatusForbidden)
		// A customer cannot post a note, even by forging the form.
		alice.postFiles("/requests/"+key+"/reply", url.Values{"csrf": {alice.csrf()}, "body": {"sneaky"}, "internal": {"on"}}).want(t, http.StatusSeeOther)
		if msgs, _ := db.Messages(as(d.agent), key); msgs[len(msgs)-1].Internal {
			t.Error("a customer's reply became an internal note")
		}
	})
}

// queueCounts reads the queue tabs as "label count".
func queueCounts(p *page) []string {
	var out []string
	for _, a := range findAll(byID(p.doc, "queues"), func(n *htmlNode) bool { return n.Data == "a" && attr(n, "data-queue") != "" }) {
		out = append(out, textOf(a))
	}
	return out
}
