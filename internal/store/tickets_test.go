package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// ticketFixture is the foundation fixture plus seeded lists, environments and a ticket per
// customer.
type ticketFixture struct {
	*fixture
	acmeProd, globexProd *opsdesk.Environment
	n2                   *opsdesk.User
}

func newTicketFixture(t *testing.T, db *store.DB) *ticketFixture {
	t.Helper()
	if err := db.SeedDefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := &ticketFixture{fixture: newFixture(t, db)}
	f.acmeProd = &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvProd, Name: "Production"}
	f.globexProd = &opsdesk.Environment{CustomerID: f.globex.ID, Kind: opsdesk.EnvProd, Name: "Production"}
	for _, e := range []*opsdesk.Environment{f.acmeProd, f.globexProd} {
		if err := db.CreateEnvironment(admin, e); err != nil {
			t.Fatal(err)
		}
	}
	f.n2 = &opsdesk.User{Email: "n2@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN2}
	if err := db.CreateUser(admin, f.n2, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

func file(t *testing.T, db *store.DB, ctx context.Context, n opsdesk.NewTicket) *opsdesk.Ticket {
	t.Helper()
	tk, err := db.CreateTicket(ctx, &n)
	if err != nil {
		t.Fatalf("create ticket: %v", err)
	}
	return tk
}

func TestCreateTicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{EnvironmentID: f.acmeProd.ID, Severity: "blocking", Category: "application",
			Subject: "  Login down ", Description: "Nobody can log in since 9:00", Impact: "All 300 users blocked"})
		if tk.Key != "OPS-1001" || tk.Status != opsdesk.StatusNew || tk.Level != opsdesk.LevelN1 || tk.Type != opsdesk.TypeIncident ||
			tk.CustomerID != f.acme.ID || tk.EnvKind != opsdesk.EnvProd || tk.Subject != "Login down" || tk.RequesterMail != f.custA.Email || tk.SeverityRank != 1 {
			t.Fatalf("ticket = %+v", tk)
		}
		second := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: "new.person@acme.example", RequesterName: "New Person",
			Severity: "question", Category: "integration", Subject: "How to export?", Description: "…", Channel: opsdesk.ChannelMail})
		if second.Key != "OPS-1002" || second.Type != opsdesk.TypeServiceRequest || second.Level != opsdesk.LevelN2 || second.RequesterName != "New Person" {
			t.Fatalf("second ticket = %+v", second)
		}
		msgs, err := db.Messages(admin, second.Key)
		if err != nil || len(msgs) != 1 || msgs[0].Body != "…" || msgs[0].Channel != opsdesk.ChannelMail {
			t.Fatalf("first message = %+v %v", msgs, err)
		}

		bad := []struct {
			name  string
			ctx   context.Context
			n     opsdesk.NewTicket
			kind  opsdesk.Kind
			field string
		}{
			{"blocking without impact", as(f.custA), opsdesk.NewTicket{Severity: "blocking", Category: "application", Subject: "s", Description: "d"}, opsdesk.KindInvalid, "impact"},
			{"unknown severity", as(f.custA), opsdesk.NewTicket{Severity: "urgent", Category: "application", Subject: "s", Description: "d"}, opsdesk.KindInvalid, "severity"},
			{"unknown category", as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "hr", Subject: "s", Description: "d"}, opsdesk.KindInvalid, "category"},
			{"no subject", as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Description: "d"}, opsdesk.KindInvalid, "subject"},
			{"no description", as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s"}, opsdesk.KindInvalid, "description"},
			{"another customer's environment", as(f.custA), opsdesk.NewTicket{EnvironmentID: f.globexProd.ID, Severity: "minor", Category: "application", Subject: "s", Description: "d"}, opsdesk.KindInvalid, "environment"},
			{"for another customer", as(f.custA), opsdesk.NewTicket{CustomerID: f.globex.ID, Severity: "minor", Category: "application", Subject: "s", Description: "d"}, opsdesk.KindNotFound, ""},
			{"as someone else", as(f.custA), opsdesk.NewTicket{RequesterEmail: "boss@acme.example", Severity: "minor", Category: "application", Subject: "s", Description: "d"}, opsdesk.KindInvalid, "requester"},
			{"requester of another customer", admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custB.Email, Severity: "minor", Category: "application", Subject: "s", Description: "d"}, opsdesk.KindInvalid, "requester"},
			{"bad type", admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Type: "wish", Severity: "minor", Category: "application", Subject: "s", Description: "d"}, opsdesk.KindInvalid, "type"},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				_, err := db.CreateTicket(b.ctx, &b.n)
				wantKind(t, err, b.kind)
				if got := opsdesk.ErrorField(err); got != b.field {
					t.Errorf("field = %q, want %q (%v)", got, b.field, err)
				}
			})
		}
		if n, _ := db.CountTickets(admin, opsdesk.TicketFilter{}); n != 2 {
			t.Errorf("%d tickets after refused creations, want 2", n)
		}
	})
}

func TestContractRoutesAndEscalation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		if err := db.SetContract(admin, &opsdesk.Contract{CustomerID: f.globex.ID, Levels: []opsdesk.Level{"N2", "N3"}}); err != nil {
			t.Fatal(err)
		}
		tk := file(t, db, as(f.custB), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s", Description: "d"})
		if tk.Level != opsdesk.LevelN2 {
			t.Fatalf("a category routed to N1 for a customer without N1 starts at %s, want N2", tk.Level)
		}
		hist, _ := db.History(admin, tk.Key)
		if hist[0].Kind != opsdesk.EventCreated || hist[0].Reason == "" {
			t.Errorf("routing not explained in history: %+v", hist[0])
		}
		_, err := db.Escalate(as(f.n2), tk.Key, "N1", "back to first level")
		wantKind(t, err, opsdesk.KindConflict)
		if msg := opsdesk.ErrorMessage(err); msg != "the contract of GLOBEX does not provide N1 (it provides N2, N3)" {
			t.Errorf("refusal message = %q", msg)
		}
		_, err = db.Escalate(as(f.n2), tk.Key, "N3", "  ")
		wantKind(t, err, opsdesk.KindInvalid)
		_, err = db.Escalate(as(f.custB), tk.Key, "N3", "please")
		wantKind(t, err, opsdesk.KindForbidden)

		if _, err := db.Take(as(f.n2), tk.Key); err != nil {
			t.Fatal(err)
		}
		up, err := db.Escalate(as(f.n2), tk.Key, "n3", "needs a database expert")
		if err != nil || up.Level != opsdesk.LevelN3 || up.AssigneeID != 0 {
			t.Fatalf("escalated = %+v, %v (the N2 assignee must be released)", up, err)
		}
		_, err = db.Escalate(as(f.n2), tk.Key, "N3", "again")
		wantKind(t, err, opsdesk.KindConflict)
		hist, _ = db.History(admin, tk.Key)
		last := hist[len(hist)-1]
		if last.Kind != opsdesk.EventEscalation || last.Old != "N2" || last.New != "N3" || last.Reason != "needs a database expert" || last.ActorLabel != f.n2.Email {
			t.Errorf("escalation event = %+v", last)
		}
		queue, _, _ := db.ListTickets(admin, opsdesk.TicketFilter{Levels: []opsdesk.Level{"N3"}, Unassigned: true})
		if len(queue) != 1 || queue[0].Key != tk.Key {
			t.Errorf("N3 unassigned queue = %v", queue)
		}
	})
}

func TestLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s", Description: "d"})
		key := tk.Key
		illegal := []opsdesk.Status{opsdesk.StatusResolved, opsdesk.StatusClosed, opsdesk.StatusWaitingCustomer, opsdesk.StatusNew}
		for _, s := range illegal {
			_, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(s)})
			wantKind(t, err, opsdesk.KindConflict)
		}
		// A customer cannot move a ticket that is not resolved, nor change its fields.
		_, err := db.UpdateTicket(as(f.custA), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusClosed)})
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.UpdateTicket(as(f.custA), key, opsdesk.TicketPatch{Severity: ptr("blocking")})
		wantKind(t, err, opsdesk.KindForbidden)

		// The agent's first public answer takes it in charge.
		if _, err := db.AddMessage(as(f.agent), key, "Looking into it", false, nil); err != nil {
			t.Fatal(err)
		}
		tk, _ = db.TicketByKey(admin, key)
		if tk.Status != opsdesk.StatusOpen || tk.TakenAt.IsZero() {
			t.Fatalf("after first answer: %s taken %v", tk.Status, tk.TakenAt)
		}
		steps := []opsdesk.Status{opsdesk.StatusWaitingCustomer}
		for _, s := range steps {
			if _, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(s), Reason: "need logs"}); err != nil {
				t.Fatal(err)
			}
		}
		// The customer's answer puts it back to open.
		if _, err := db.AddMessage(as(f.custA), key, "Here are the logs", false, nil); err != nil {
			t.Fatal(err)
		}
		if tk, _ = db.TicketByKey(admin, key); tk.Status != opsdesk.StatusOpen {
			t.Fatalf("after customer answer: %s", tk.Status)
		}
		if _, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixed()}); err != nil {
			t.Fatal(err)
		}
		// The customer reopens, the agent resolves again, the customer confirms.
		if tk, err = db.UpdateTicket(as(f.custA), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusOpen), Reason: "still broken"}); err != nil || tk.ReopenCount != 1 || !tk.ResolvedAt.IsZero() {
			t.Fatalf("reopen: %+v %v", tk, err)
		}
		db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixed()})
		if tk, err = db.UpdateTicket(as(f.custA), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusClosed)}); err != nil || tk.ClosedAt.IsZero() {
			t.Fatalf("confirm: %+v %v", tk, err)
		}
		_, err = db.AddMessage(as(f.custA), key, "thanks", false, nil)
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusOpen)})
		wantKind(t, err, opsdesk.KindConflict)

		var statuses []string
		hist, _ := db.History(as(f.custA), key)
		for _, e := range hist {
			if e.Field == "status" {
				statuses = append(statuses, e.New)
			}
		}
		if fmt.Sprint(statuses) != "[open waiting_customer open resolved open resolved closed]" {
			t.Errorf("status history = %v", statuses)
		}
	})
}

func TestNotesAndAssignment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "major", Category: "application", Subject: "s", Description: "d"})
		if _, err := db.AddMessage(as(f.agent), tk.Key, "customer seems to use an old client", true, []opsdesk.NewAttachment{{Name: "trace.log", ContentType: "text/plain", Size: 3, SHA256: "abc"}}); err != nil {
			t.Fatal(err)
		}
		_, err := db.AddMessage(as(f.custA), tk.Key, "sneaky note", true, nil)
		wantKind(t, err, opsdesk.KindForbidden)
		for _, c := range []struct {
			ctx  context.Context
			msgs int
		}{{as(f.agent), 2}, {as(f.custA), 1}} {
			msgs, err := db.Messages(c.ctx, tk.Key)
			if err != nil || len(msgs) != c.msgs {
				t.Errorf("messages seen = %d, %v; want %d", len(msgs), err, c.msgs)
			}
		}
		hist, _ := db.History(as(f.custA), tk.Key)
		for _, e := range hist {
			if e.Internal || e.Kind == opsdesk.EventNote {
				t.Errorf("customer sees internal event %+v", e)
			}
		}
		msgs, _ := db.Messages(as(f.agent), tk.Key)
		att := msgs[1].Attachments[0]
		if _, err := db.Attachment(as(f.custA), tk.Key, att.ID); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
			t.Errorf("customer reads an internal note's attachment: %v", err)
		}
		if got, err := db.Attachment(as(f.agent), tk.Key, att.ID); err != nil || got.Name != "trace.log" {
			t.Errorf("agent attachment: %+v %v", got, err)
		}
		// Assignee must be an active agent of the ticket's level.
		_, err = db.UpdateTicket(as(f.ops), tk.Key, opsdesk.TicketPatch{AssigneeID: ptr(f.n2.ID)})
		wantKind(t, err, opsdesk.KindInvalid)
		_, err = db.UpdateTicket(as(f.ops), tk.Key, opsdesk.TicketPatch{AssigneeID: ptr(f.pm.ID)})
		wantKind(t, err, opsdesk.KindInvalid)
		up, err := db.UpdateTicket(as(f.ops), tk.Key, opsdesk.TicketPatch{AssigneeID: ptr(f.agent.ID), Severity: ptr("blocking"), Reason: "wider impact"})
		if err != nil || up.AssigneeID != f.agent.ID || up.Severity != "blocking" || up.AssigneeName == "" {
			t.Fatalf("assign: %+v %v", up, err)
		}
		mine, _, _ := db.ListTickets(as(f.agent), opsdesk.TicketFilter{AssigneeID: f.agent.ID})
		if len(mine) != 1 {
			t.Errorf("my queue = %d", len(mine))
		}
	})
}

func TestTicketIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		theirs := file(t, db, as(f.custB), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "globex secret", Description: "d"})
		file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "mine", Description: "d"})
		ctx := as(f.custA)
		checks := map[string]error{}
		_, checks["TicketByKey"] = db.TicketByKey(ctx, theirs.Key)
		_, checks["Messages"] = db.Messages(ctx, theirs.Key)
		_, checks["History"] = db.History(ctx, theirs.Key)
		_, checks["AddMessage"] = db.AddMessage(ctx, theirs.Key, "hi", false, nil)
		_, checks["Attachment"] = db.Attachment(ctx, theirs.Key, 1)
		for name, err := range checks {
			if opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
				t.Errorf("%s on another customer's ticket: %v, want not found", name, err)
			}
		}
		db.UpdateTicket(as(f.agent), theirs.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusOpen)})
		db.UpdateTicket(as(f.agent), theirs.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixed()})
		if _, err := db.UpdateTicket(ctx, theirs.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusClosed)}); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
			t.Errorf("UpdateTicket on another customer's ticket: %v", err)
		}
		for _, f := range []opsdesk.TicketFilter{{}, {CustomerID: f.globex.ID}, {Query: "globex"}, {Query: theirs.Key}} {
			list, _, err := db.ListTickets(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range list {
				if tk.CustomerID != tk.CustomerID || tk.Key == theirs.Key {
					t.Errorf("filter %+v lists another customer's ticket %s", f, tk.Key)
				}
			}
			if n, _ := db.CountTickets(ctx, f); n > 1 {
				t.Errorf("filter %+v counts %d", f, n)
			}
		}
	})
}

func TestListTicketsPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		for i := range 7 {
			sev := []string{"blocking", "major", "minor"}[i%3]
			file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Severity: sev, Impact: "x",
				Category: "application", Subject: fmt.Sprintf("ticket %d", i), Description: "d"})
		}
		for _, sort := range []string{"updated", "created", "number", "severity"} {
			for _, desc := range []bool{false, true} {
				seen := map[string]bool{}
				var order []string
				cursor := ""
				for page := 0; page < 10; page++ {
					list, next, err := db.ListTickets(admin, opsdesk.TicketFilter{Sort: sort, Desc: desc, Limit: 3, Cursor: cursor})
					if err != nil {
						t.Fatal(err)
					}
					for _, tk := range list {
						if seen[tk.Key] {
							t.Fatalf("sort %s desc %v: %s on two pages", sort, desc, tk.Key)
						}
						seen[tk.Key] = true
						order = append(order, tk.Key)
					}
					if next == "" {
						break
					}
					cursor = next
				}
				if len(seen) != 7 {
					t.Errorf("sort %s desc %v: paged through %d tickets, want 7 (%v)", sort, desc, len(seen), order)
				}
			}
		}
		list, _, _ := db.ListTickets(admin, opsdesk.TicketFilter{Sort: "severity", Limit: 7})
		if list[0].Severity != "blocking" || list[6].Severity != "minor" {
			t.Errorf("severity order: first %s last %s", list[0].Severity, list[6].Severity)
		}
		_, _, err := db.ListTickets(admin, opsdesk.TicketFilter{Cursor: "garbage!"})
		wantKind(t, err, opsdesk.KindInvalid)
		_, _, err = db.ListTickets(admin, opsdesk.TicketFilter{Sort: "random"})
		wantKind(t, err, opsdesk.KindInvalid)
		n, _ := db.CountTickets(admin, opsdesk.TicketFilter{Severities: []string{"blocking"}, Statuses: []opsdesk.Status{opsdesk.StatusNew}})
		if n != 3 {
			t.Errorf("blocking new = %d, want 3", n)
		}
	})
}
