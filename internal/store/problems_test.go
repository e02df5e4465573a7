package store_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestProblemLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		p := &opsdesk.Problem{Title: "  Exports time out ", Description: "Several customers", OwnerID: f.agent.ID}
		if err := db.CreateProblem(as(f.agent), p); err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.Key != fmt.Sprintf("PRB-%d", p.ID) || p.Title != "Exports time out" || p.Status != opsdesk.ProblemOpen ||
			p.OwnerMail != f.agent.Email || p.CreatedBy != f.agent.Email || p.Version != 1 {
			t.Fatalf("created %+v", p)
		}
		for name, bad := range map[string]struct {
			p     opsdesk.Problem
			field string
		}{
			"no title":                   {opsdesk.Problem{Title: " "}, "title"},
			"known error, no workaround": {opsdesk.Problem{Title: "x", Status: opsdesk.ProblemKnownError}, "workaround"},
			"born resolved":              {opsdesk.Problem{Title: "x", Status: opsdesk.ProblemResolved}, "status"},
			"customer as owner":          {opsdesk.Problem{Title: "x", OwnerID: f.custA.ID}, "owner"},
		} {
			err := db.CreateProblem(as(f.agent), &bad.p)
			if opsdesk.ErrorKind(err) != opsdesk.KindInvalid || opsdesk.ErrorField(err) != bad.field {
				t.Errorf("%s: %v, want invalid %s", name, err, bad.field)
			}
		}

		// A known error needs its workaround; with it, the move is allowed.
		_, err := db.UpdateProblem(as(f.agent), p.ID, opsdesk.ProblemPatch{Status: ptr(opsdesk.ProblemKnownError)})
		if opsdesk.ErrorField(err) != "workaround" {
			t.Fatalf("known error without workaround: %v", err)
		}
		up, err := db.UpdateProblem(as(f.pm), p.ID, opsdesk.ProblemPatch{Status: ptr(opsdesk.ProblemKnownError),
			RootCause: ptr("Index missing on exports"), Workaround: ptr("Export by month")})
		if err != nil || up.Status != opsdesk.ProblemKnownError || up.RootCause != "Index missing on exports" || up.Version != 2 {
			t.Fatalf("known error: %+v %v", up, err)
		}
		// Illegal moves are conflicts; nothing to change is invalid.
		_, err = db.UpdateProblem(as(f.agent), p.ID, opsdesk.ProblemPatch{Status: ptr(opsdesk.ProblemKnownError)})
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.UpdateProblem(as(f.agent), p.ID, opsdesk.ProblemPatch{})
		wantKind(t, err, opsdesk.KindInvalid)
		_, err = db.UpdateProblem(as(f.agent), p.ID+100, opsdesk.ProblemPatch{Title: ptr("x")})
		wantKind(t, err, opsdesk.KindNotFound)

		// Resolve (through the patch: no message), reopen, close: closed is final.
		up, err = db.UpdateProblem(as(f.agent), p.ID, opsdesk.ProblemPatch{Status: ptr(opsdesk.ProblemResolved)})
		if err != nil || up.ResolvedAt.IsZero() {
			t.Fatalf("resolve: %+v %v", up, err)
		}
		up, err = db.UpdateProblem(as(f.agent), p.ID, opsdesk.ProblemPatch{Status: ptr(opsdesk.ProblemOpen)})
		if err != nil || !up.ResolvedAt.IsZero() {
			t.Fatalf("reopen: %+v %v", up, err)
		}
		if _, err = db.UpdateProblem(as(f.agent), p.ID, opsdesk.ProblemPatch{Status: ptr(opsdesk.ProblemClosed)}); err != nil {
			t.Fatal(err)
		}
		_, err = db.UpdateProblem(as(f.agent), p.ID, opsdesk.ProblemPatch{Title: ptr("Renamed")})
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.ResolveProblem(as(f.agent), p.ID, false, "")
		wantKind(t, err, opsdesk.KindConflict)

		// Lists filter by status.
		other := &opsdesk.Problem{Title: "Login slow"}
		if err := db.CreateProblem(as(f.ops), other); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			statuses []opsdesk.ProblemStatus
			want     []int64
		}{
			{nil, []int64{other.ID, p.ID}},
			{[]opsdesk.ProblemStatus{opsdesk.ProblemOpen}, []int64{other.ID}},
			{[]opsdesk.ProblemStatus{opsdesk.ProblemClosed, opsdesk.ProblemResolved}, []int64{p.ID}},
		} {
			list, err := db.ListProblems(as(f.agent), opsdesk.ProblemFilter{Statuses: c.statuses})
			var ids []int64
			for _, x := range list {
				ids = append(ids, x.ID)
			}
			if err != nil || !slices.Equal(ids, c.want) {
				t.Errorf("list %v = %v, %v; want %v", c.statuses, ids, err, c.want)
			}
		}
		_, err = db.ListProblems(as(f.agent), opsdesk.ProblemFilter{Statuses: []opsdesk.ProblemStatus{"fixed"}})
		wantKind(t, err, opsdesk.KindInvalid)

		// Every change is audited under "problem": create, known error, resolved, open, closed.
		entries, err := db.ListAudit(as(f.adm), opsdesk.AuditFilter{Entity: "problem", EntityID: p.ID})
		if err != nil || len(entries) != 5 || entries[len(entries)-1].Action != "create" {
			t.Fatalf("audit: %d entries, %v", len(entries), err)
		}
	})
}

func TestProblemCustomersRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s", Description: "d"})
		p := &opsdesk.Problem{Title: "Cause"}
		if err := db.CreateProblem(as(f.agent), p); err != nil {
			t.Fatal(err)
		}
		if _, err := db.LinkTicket(as(f.agent), p.ID, tk.Key); err != nil {
			t.Fatal(err)
		}
		ctx := as(f.custA)
		checks := map[string]error{
			"create": db.CreateProblem(ctx, &opsdesk.Problem{Title: "x"}),
		}
		_, checks["get"] = db.ProblemByID(ctx, p.ID)
		_, checks["list"] = db.ListProblems(ctx, opsdesk.ProblemFilter{})
		_, checks["update"] = db.UpdateProblem(ctx, p.ID, opsdesk.ProblemPatch{Title: ptr("x")})
		_, checks["link"] = db.LinkTicket(ctx, p.ID, tk.Key)
		_, checks["unlink"] = db.UnlinkTicket(ctx, p.ID, tk.Key)
		_, checks["tickets"] = db.ProblemTickets(ctx, p.ID)
		_, checks["ticket problem"] = db.TicketProblem(ctx, tk.Key)
		_, checks["resolve"] = db.ResolveProblem(ctx, p.ID, true, "fixed")
		for name, err := range checks {
			if k := opsdesk.ErrorKind(err); k != opsdesk.KindForbidden {
				t.Errorf("customer %s: %v (kind %q), want forbidden", name, err, k)
			}
		}
		// The link's history line is internal: the customer's history does not show it.
		hist, err := db.History(ctx, tk.Key)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range hist {
			if e.Field == "problem" {
				t.Errorf("the customer sees the problem line %+v", e)
			}
		}
		if got, err := db.ProblemByID(as(f.agent), p.ID); err != nil || got.Title != "Cause" || got.Tickets != 1 {
			t.Errorf("the problem changed: %+v %v", got, err)
		}
	})
}

func TestProblemLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		a := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "a", Description: "d"})
		b := file(t, db, as(f.custB), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "b", Description: "d"})
		p1, p2 := &opsdesk.Problem{Title: "One"}, &opsdesk.Problem{Title: "Two"}
		for _, p := range []*opsdesk.Problem{p1, p2} {
			if err := db.CreateProblem(as(f.agent), p); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.LinkTicket(as(f.agent), p1.ID, a.Key)
		if err != nil || got.Tickets != 1 || got.OpenTickets != 1 {
			t.Fatalf("link: %+v %v", got, err)
		}
		if _, err := db.LinkTicket(as(f.agent), p1.ID, " "+b.Key+" "); err != nil {
			t.Fatal(err)
		}
		// Linked once: again to the same problem, or to another, is a conflict.
		_, err = db.LinkTicket(as(f.agent), p1.ID, a.Key)
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.LinkTicket(as(f.agent), p2.ID, a.Key)
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.LinkTicket(as(f.agent), p2.ID, "OPS-9999")
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.LinkTicket(as(f.agent), p2.ID+100, a.Key)
		wantKind(t, err, opsdesk.KindNotFound)

		var n int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM problem_tickets`).Scan(&n)
		if n != 2 {
			t.Fatalf("%d links stored, want 2", n)
		}
		linked, err := db.ProblemTickets(as(f.agent), p1.ID)
		if err != nil || len(linked) != 2 || linked[0].Ticket.Key != a.Key || linked[1].Ticket.Key != b.Key ||
			linked[0].LinkedBy != f.agent.Email || linked[0].LinkedAt.IsZero() || linked[0].Ticket.CustomerCode != "ACME" {
			t.Fatalf("tickets of %s: %+v %v", p1.Key, linked, err)
		}
		if tp, err := db.TicketProblem(as(f.agent), a.Key); err != nil || tp.ID != p1.ID {
			t.Fatalf("problem of %s: %+v %v", a.Key, tp, err)
		}

		// Unlink, then the ticket may join the other problem.
		if got, err = db.UnlinkTicket(as(f.ops), p1.ID, a.Key); err != nil || got.Tickets != 1 {
			t.Fatalf("unlink: %+v %v", got, err)
		}
		_, err = db.UnlinkTicket(as(f.ops), p1.ID, a.Key)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.TicketProblem(as(f.agent), a.Key)
		wantKind(t, err, opsdesk.KindNotFound)
		if _, err := db.LinkTicket(as(f.agent), p2.ID, a.Key); err != nil {
			t.Fatal(err)
		}

		// The ticket's history tells each step, as internal change lines of the field "problem".
		hist, err := db.History(as(f.agent), a.Key)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range hist {
			if e.Field == "problem" {
				if e.Kind != opsdesk.EventChange || !e.Internal {
					t.Errorf("line %+v: want an internal change", e)
				}
				lines = append(lines, e.Old+" → "+e.New+" by "+e.ActorLabel)
			}
		}
		want := []string{" → " + p1.Key + " One by " + f.agent.Email, p1.Key + " One →  by " + f.ops.Email, " → " + p2.Key + " Two by " + f.agent.Email}
		if !slices.Equal(lines, want) {
			t.Errorf("history = %q, want %q", lines, want)
		}

		// A closed problem takes no links and keeps its own.
		if _, err := db.UpdateProblem(as(f.agent), p1.ID, opsdesk.ProblemPatch{Status: ptr(opsdesk.ProblemClosed)}); err != nil {
			t.Fatal(err)
		}
		_, err = db.UnlinkTicket(as(f.agent), p1.ID, b.Key)
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.LinkTicket(as(f.agent), p1.ID, a.Key)
		wantKind(t, err, opsdesk.KindConflict)
	})
}

// TestProblemResolveNotifies resolves a problem with four linked tickets — new, open, resolved,
// closed — and checks that exactly the two active ones get one public message each, with one
// ticket.message_added event each (what mails the requester), even when the resolution is
// retried; a ticket linked after the first resolution is told on the next one.
func TestProblemResolveNotifies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		mk := func(ctxUser *opsdesk.User, subject string) *opsdesk.Ticket {
			return file(t, db, as(ctxUser), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: subject, Description: "d"})
		}
		fresh, working, solved, done := mk(f.custA, "new"), mk(f.custB, "open"), mk(f.custA, "resolved"), mk(f.custA, "closed")
		for _, tk := range []*opsdesk.Ticket{working, solved, done} {
			if _, err := db.AddMessage(as(f.agent), tk.Key, "on it", false, nil); err != nil {
				t.Fatal(err)
			}
		}
		for _, tk := range []*opsdesk.Ticket{solved, done} {
			if _, err := db.UpdateTicket(as(f.agent), tk.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixed()}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.UpdateTicket(as(f.custA), done.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusClosed)}); err != nil {
			t.Fatal(err)
		}
		p := &opsdesk.Problem{Title: "Disk full"}
		if err := db.CreateProblem(as(f.agent), p); err != nil {
			t.Fatal(err)
		}
		for _, tk := range []*opsdesk.Ticket{fresh, working, solved, done} {
			if _, err := db.LinkTicket(as(f.agent), p.ID, tk.Key); err != nil {
				t.Fatal(err)
			}
		}
		const msg = "The disk was extended; exports work again."
		_, err := db.ResolveProblem(as(f.agent), p.ID, true, "  ")
		wantKind(t, err, opsdesk.KindInvalid)

		// counts reads, with its own SQL, the public messages of the resolution and the
		// message events queued for each ticket.
		counts := func() map[string][2]int {
			out := map[string][2]int{}
			for _, tk := range []*opsdesk.Ticket{fresh, working, solved, done} {
				var msgs int
				db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ? AND body = ? AND NOT internal`), tk.ID, msg).Scan(&msgs)
				rows, err := db.SQL().Query(db.Rebind(`SELECT payload FROM jobs WHERE kind = ?`), opsdesk.TicketEventJob)
				if err != nil {
					t.Fatal(err)
				}
				events := 0
				for rows.Next() {
					var payload string
					rows.Scan(&payload)
					var ev opsdesk.TicketEvent
					if err := json.Unmarshal([]byte(payload), &ev); err != nil {
						t.Fatal(err)
					}
					if ev.Key == tk.Key && ev.Event == opsdesk.TicketMessage && !ev.Internal && ev.Actor == f.agent.Email {
						events++
					}
				}
				rows.Close()
				out[tk.Key] = [2]int{msgs, events}
			}
			return out
		}
		before := counts()
		res, err := db.ResolveProblem(as(f.agent), p.ID, true, "  "+msg+"\n")
		if err != nil {
			t.Fatal(err)
		}
		if res.Problem.Status != opsdesk.ProblemResolved || res.Problem.ResolvedAt.IsZero() ||
			!slices.Equal(res.Notified, []string{fresh.Key, working.Key}) {
			t.Fatalf("resolution: %+v notified %v", res.Problem, res.Notified)
		}
		wantCounts := func(what string, want map[string][2]int) {
			t.Helper()
			got := counts()
			for k, w := range want {
				g := got[k]
				if d := [2]int{g[0] - before[k][0], g[1] - before[k][1]}; d != w {
					t.Errorf("%s: %s got %d messages and %d message events, want %v", what, k, d[0], d[1], w)
				}
			}
		}
		wantCounts("first resolution", map[string][2]int{fresh.Key: {1, 1}, working.Key: {1, 1}, solved.Key: {0, 0}, done.Key: {0, 0}})
		// The message takes the new ticket in charge, as an agent's first answer does.
		if tk, _ := db.TicketByKey(admin, fresh.Key); tk.Status != opsdesk.StatusOpen {
			t.Errorf("%s is %s after the resolution message, want open", fresh.Key, tk.Status)
		}

		// A retry tells nobody twice.
		res, err = db.ResolveProblem(as(f.agent), p.ID, true, msg)
		if err != nil || len(res.Notified) != 0 {
			t.Fatalf("retry: notified %v, %v", res, err)
		}
		wantCounts("retry", map[string][2]int{fresh.Key: {1, 1}, working.Key: {1, 1}, solved.Key: {0, 0}, done.Key: {0, 0}})

		// Reopened, a resolved ticket reopened too and a new ticket linked: the next resolution
		// tells those two only.
		if _, err := db.UpdateProblem(as(f.agent), p.ID, opsdesk.ProblemPatch{Status: ptr(opsdesk.ProblemOpen)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateTicket(as(f.custA), solved.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusOpen)}); err != nil {
			t.Fatal(err)
		}
		late := mk(f.custB, "late")
		if _, err := db.LinkTicket(as(f.agent), p.ID, late.Key); err != nil {
			t.Fatal(err)
		}
		if res, err = db.ResolveProblem(as(f.agent), p.ID, true, msg); err != nil || !slices.Equal(res.Notified, []string{solved.Key, late.Key}) {
			t.Fatalf("second resolution: %+v, %v", res, err)
		}
		wantCounts("second resolution", map[string][2]int{fresh.Key: {1, 1}, working.Key: {1, 1}, solved.Key: {1, 1}, done.Key: {0, 0}})

		// Without notify, nothing is posted.
		other := &opsdesk.Problem{Title: "Quiet"}
		if err := db.CreateProblem(as(f.agent), other); err != nil {
			t.Fatal(err)
		}
		quiet := mk(f.custA, "quiet")
		if _, err := db.LinkTicket(as(f.agent), other.ID, quiet.Key); err != nil {
			t.Fatal(err)
		}
		if res, err = db.ResolveProblem(as(f.agent), other.ID, false, ""); err != nil || len(res.Notified) != 0 || res.Problem.Status != opsdesk.ProblemResolved {
			t.Fatalf("quiet resolution: %+v, %v", res, err)
		}
		if msgs, _ := db.Messages(admin, quiet.Key); len(msgs) != 1 {
			t.Errorf("%s has %d messages after a quiet resolution, want its first only", quiet.Key, len(msgs))
		}
	})
}

// TestProblemResolveConcurrent resolves one problem from several callers at once (a client
// retrying while its first call still runs): each linked ticket gets the message exactly once.
func TestProblemResolveConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		p := &opsdesk.Problem{Title: "Shared cause"}
		if err := db.CreateProblem(as(f.agent), p); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, u := range []*opsdesk.User{f.custA, f.custB, f.custA} {
			tk := file(t, db, as(u), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s", Description: "d"})
			if _, err := db.LinkTicket(as(f.agent), p.ID, tk.Key); err != nil {
				t.Fatal(err)
			}
			keys = append(keys, tk.Key)
		}
		const callers = 6
		results := make(chan []string, callers)
		errs := make(chan error, callers)
		for range callers {
			go func() {
				res, err := db.ResolveProblem(as(f.agent), p.ID, true, "Fixed.")
				if err != nil {
					errs <- err
					results <- nil
					return
				}
				errs <- nil
				results <- res.Notified
			}()
		}
		var told []string
		for range callers {
			if err := <-errs; err != nil {
				t.Error(err)
			}
			told = append(told, <-results...)
		}
		slices.Sort(told)
		if !slices.Equal(told, keys) {
			t.Errorf("told %v, want each of %v once", told, keys)
		}
		for _, k := range keys {
			var n int
			db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.key = ? AND m.body = ?`), k, "Fixed.").Scan(&n)
			if n != 1 {
				t.Errorf("%s has the message %d times", k, n)
			}
		}
	})
}
