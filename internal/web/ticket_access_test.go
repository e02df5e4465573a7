package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestTicketAccessRequest approves an access request from its ticket: the ticket page leads an
// ops manager to the environment's grant form, prefilled with the ticket and its subject; the
// grant made there is listed on the ticket. Agents see the grants but not the way to grant;
// other tickets have no such box.
func TestTicketAccessRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ws := startSite(t, db)
		req := fileTicket(t, db, f.alice, opsdesk.NewTicket{Type: opsdesk.TypeAccessRequest, EnvironmentID: f.acmeEnv.ID,
			Severity: "minor", Category: "security", Subject: "VPN access for the migration", Description: "Nina needs the VPN until Friday."})
		noEnv := fileTicket(t, db, f.alice, opsdesk.NewTicket{Type: opsdesk.TypeAccessRequest,
			Severity: "minor", Category: "security", Subject: "Some access", Description: "Somewhere."})
		incident := fileTicket(t, db, f.alice, opsdesk.NewTicket{EnvironmentID: f.acmeEnv.ID,
			Severity: "minor", Category: "application", Subject: "Slow page", Description: "Slow."})

		ops := ws.client()
		ops.login(f.ops.Email, password)
		p := ops.get("/tickets/"+req.Key).want(t, http.StatusOK)
		p.wantText(t, "ticket-access", "No access has been granted for this request yet.")
		link := attr(byID(p.doc, "ticket-grant"), "href")
		if want := envPath(f.acmeEnv) + "?grant_ticket=" + req.Key + "#grant-form"; link != want {
			t.Fatalf("grant link %q, want %q", link, want)
		}
		page := strings.TrimSuffix(link, "#grant-form")
		env := ops.get(page).want(t, http.StatusOK)
		if !hasAttr(byID(env.doc, "grant-form"), "open") {
			t.Error("the grant form is not open when coming from the request")
		}
		for id, want := range map[string]string{"grant-ticket": req.Key, "grant-reason": "VPN access for the migration"} {
			if got := attr(byID(env.doc, id), "value"); got != want {
				t.Errorf("grant form %s = %q, want %q", id, got, want)
			}
		}
		expires := f.now.Add(72 * time.Hour).Format("2006-01-02T15:04")
		done := ops.submit(page, envPath(f.acmeEnv)+"/access", url.Values{"user": {itoa(f.agent.ID)}, "kind": {"vpn"},
			"reason": {"VPN access for the migration"}, "ticket": {req.Key}, "expires_at": {expires}}).want(t, http.StatusSeeOther)
		ops.follow(done)
		ops.get("/tickets/"+req.Key).want(t, http.StatusOK).wantText(t, "ticket-grants", f.agent.Email, "vpn")

		// A request naming no environment says to qualify it first; an incident has no box.
		p = ops.get("/tickets/"+noEnv.Key).want(t, http.StatusOK)
		p.wantText(t, "ticket-access", "qualify it")
		if byID(p.doc, "ticket-grant") != nil {
			t.Error("a grant link without an environment")
		}
		if byID(ops.get("/tickets/"+incident.Key).want(t, http.StatusOK).doc, "ticket-access") != nil {
			t.Error("an incident shows the access box")
		}
		// The prefill follows only an access request of this environment.
		if got := attr(byID(ops.get(envPath(f.acmeEnv)+"?grant_ticket="+incident.Key).want(t, http.StatusOK).doc, "grant-ticket"), "value"); got != "" {
			t.Errorf("grant form prefilled from an incident: %q", got)
		}

		// Agents read the grants, and are not offered to grant.
		agent := ws.client()
		agent.login(f.agent.Email, password)
		p = agent.get("/tickets/"+req.Key).want(t, http.StatusOK)
		p.wantText(t, "ticket-grants", f.agent.Email)
		if byID(p.doc, "ticket-grant") != nil {
			t.Error("an agent is offered to grant access")
		}
	})
}
