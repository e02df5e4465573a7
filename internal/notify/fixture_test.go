package notify_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// fixture is a French customer (ACME) and an English one (GLOBEX) with a French-speaking
// contact, and the vendor's team: two active N1 agents (one English, one French), a disabled
// N1 agent, an N2 agent, an ops manager and an admin.
type fixture struct {
	acme, globex          *opsdesk.Customer
	alice, bob            *opsdesk.User // customer users of ACME (French by their organisation) and GLOBEX
	claire                *opsdesk.Contact
	n1en, n1fr, n1off, n2 *opsdesk.User
	ops, adm              *opsdesk.User
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	if err := db.SeedDefaults(admin); err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		acme:   &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}, Lang: opsdesk.LangFR},
		globex: &opsdesk.Customer{Code: "GLOBEX", Name: "Globex", Domains: []string{"globex.example"}, Lang: opsdesk.LangEN},
	}
	for _, c := range []*opsdesk.Customer{f.acme, f.globex} {
		if err := db.CreateCustomer(admin, c); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(email, name string, r opsdesk.Role, l opsdesk.Level, cust int64, lang opsdesk.Lang) *opsdesk.User {
		u := &opsdesk.User{Email: email, Name: name, Role: r, Level: l, CustomerID: cust, Lang: lang}
		if err := db.CreateUser(admin, u, ""); err != nil {
			t.Fatalf("create user %s: %v", email, err)
		}
		return u
	}
	f.alice = mk("alice@acme.example", "Alice Martin", opsdesk.RoleCustomer, "", f.acme.ID, "")
	f.bob = mk("bob@globex.example", "Bob Smith", opsdesk.RoleCustomer, "", f.globex.ID, "")
	f.n1en = mk("n1en@vendor.example", "Nina Lee", opsdesk.RoleAgent, opsdesk.LevelN1, 0, opsdesk.LangEN)
	f.n1fr = mk("n1fr@vendor.example", "Noël Dupré", opsdesk.RoleAgent, opsdesk.LevelN1, 0, opsdesk.LangFR)
	f.n1off = mk("n1off@vendor.example", "Gone Agent", opsdesk.RoleAgent, opsdesk.LevelN1, 0, "")
	f.n1off.Disabled = true
	if err := db.UpdateUser(admin, f.n1off); err != nil {
		t.Fatal(err)
	}
	f.n2 = mk("n2@vendor.example", "Nadia Roy", opsdesk.RoleAgent, opsdesk.LevelN2, 0, "")
	f.ops = mk("ops@vendor.example", "Olivier Ops", opsdesk.RoleOpsManager, "", 0, "")
	f.adm = mk("root@vendor.example", "Root", opsdesk.RoleAdmin, "", 0, "")
	f.claire = &opsdesk.Contact{CustomerID: f.globex.ID, Email: "claire@globex.example", Name: "Claire Durand", Lang: opsdesk.LangFR}
	if err := db.CreateContact(admin, f.claire); err != nil {
		t.Fatal(err)
	}
	return f
}

// options points a notifier at a relay address.
func options(relayAddr string) notify.Options {
	return notify.Options{Relay: relayAddr, From: "Support Vendor <support@vendor.example>",
		BaseURL: "https://desk.vendor.example", Lang: opsdesk.LangEN, Logger: quiet}
}

// file creates a ticket as ctx's actor.
func file(t *testing.T, db *store.DB, ctx context.Context, n opsdesk.NewTicket) *opsdesk.Ticket {
	t.Helper()
	if n.Severity == "" {
		n.Severity, n.Category = "minor", "application"
	}
	if n.Description == "" {
		n.Description = "It does not work."
	}
	tk, err := db.CreateTicket(ctx, &n)
	if err != nil {
		t.Fatalf("create ticket: %v", err)
	}
	return tk
}

// pendingEvents returns the ticket events waiting in the job queue (when no runner runs).
func pendingEvents(t *testing.T, db *store.DB) []opsdesk.TicketEvent {
	t.Helper()
	js, err := db.ListJobs(admin, opsdesk.JobPending, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []opsdesk.TicketEvent
	for i := len(js) - 1; i >= 0; i-- { // oldest first
		if js[i].Kind != opsdesk.TicketEventJob {
			continue
		}
		var ev opsdesk.TicketEvent
		if err := json.Unmarshal(js[i].Payload, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// outbox lists every outbox mail, oldest first.
func outbox(t *testing.T, db *store.DB) []*store.OutboxMail {
	t.Helper()
	ms, err := db.ListOutbox(admin, store.OutboxFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}
