package store_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// capaFixture files four tickets for ACME (one blocking), links three of them to a problem,
// records a breach of the blocking ticket's clock and two survey answers (rated 2 and 4).
type capaFixture struct {
	*ticketFixture
	problem  *opsdesk.Problem
	blocking *opsdesk.Ticket
}

func newCapaFixture(t *testing.T, db *store.DB) *capaFixture {
	t.Helper()
	f := &capaFixture{ticketFixture: newTicketFixture(t, db)}
	mk := func(severity string) *opsdesk.Ticket {
		return file(t, db, admin, opsdesk.NewTicket{CustomerID: f.custA.CustomerID, RequesterEmail: f.custA.Email,
			Severity: severity, Impact: "all", Category: "application", Subject: severity, Description: "d", Import: true})
	}
	f.blocking = mk("blocking")
	minor := []*opsdesk.Ticket{mk("minor"), mk("minor"), mk("minor")}
	f.problem = &opsdesk.Problem{Title: "Disk full"}
	if err := db.CreateProblem(as(f.agent), f.problem); err != nil {
		t.Fatal(err)
	}
	for _, tk := range minor {
		if _, err := db.LinkTicket(as(f.agent), f.problem.ID, tk.Key); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UnixMilli()
	seed := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO sla_alerts (ticket_id, clock, kind, generation, target_s, due_at, recorded_at, level) VALUES (?, 'resolve', 'breach', 1, 3600, ?, ?, 'n1')`,
			[]any{f.blocking.ID, now, now}},
		{`INSERT INTO sla_alerts (ticket_id, clock, kind, generation, target_s, due_at, recorded_at, level) VALUES (?, 'resolve', 'breach', 2, 7200, ?, ?, 'n1')`,
			[]any{f.blocking.ID, now, now}},
		{`INSERT INTO sla_alerts (ticket_id, clock, kind, generation, target_s, due_at, recorded_at, level) VALUES (?, 'resolve', 'breach', 1, 3600, ?, ?, 'n1')`,
			[]any{minor[0].ID, now, now}}, // not blocking: no suggestion
		{`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating) VALUES (?, ?, 'answered', ?, ?, 2)`,
			[]any{minor[0].ID, f.acme.ID, now, now}},
		{`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating) VALUES (?, ?, 'answered', ?, ?, 4)`,
			[]any{minor[1].ID, f.acme.ID, now, now}},
	}
	for _, s := range seed {
		if _, err := db.SQL().Exec(db.Rebind(s.q), s.args...); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestCAPASuggestOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCapaFixture(t, db)
		got, err := db.SuggestActions(admin)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]opsdesk.ActionStatus{}
		for _, a := range got {
			keys[a.SuggestKey] = a.Status
		}
		want := []string{
			"problem:" + strconv.FormatInt(f.problem.ID, 10),
			"sla:" + strconv.FormatInt(f.blocking.ID, 10) + ":resolve",
		}
		if len(got) != 3 {
			t.Fatalf("first run made %d suggestions %v, want 3 (problem, breach, survey)", len(got), keys)
		}
		for _, k := range want {
			if keys[k] != opsdesk.ActionProposed {
				t.Errorf("suggestion %s: status %q, want proposed (got %v)", k, keys[k], keys)
			}
		}
		again, err := db.SuggestActions(as(f.agent))
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 0 {
			t.Fatalf("second run made %d suggestions, want 0", len(again))
		}
		all, err := db.Actions(as(f.ops), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 {
			t.Fatalf("%d actions stored after two runs, want 3", len(all))
		}
		// A rejected suggestion is not made again either.
		if _, err := db.MoveAction(as(f.ops), got[0].ID, opsdesk.ActionRejected, "known"); err != nil {
			t.Fatal(err)
		}
		if again, err = db.SuggestActions(admin); err != nil || len(again) != 0 {
			t.Fatalf("after a rejection: %d suggestions, %v; want 0", len(again), err)
		}
	})
}

func TestCAPAAcceptRejectAndMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCapaFixture(t, db)
		got, err := db.SuggestActions(admin)
		if err != nil || len(got) < 2 {
			t.Fatalf("suggest: %d, %v", len(got), err)
		}
		acc, rej := got[0].ID, got[1].ID
		steps := []struct {
			name   string
			user   *opsdesk.User
			id     int64
			to     opsdesk.ActionStatus
			reason string
			kind   opsdesk.Kind // "" when the move succeeds
			field  string
		}{
			{"agent cannot accept", f.agent, acc, opsdesk.ActionOpen, "", opsdesk.KindForbidden, ""},
			{"ops manager accepts", f.ops, acc, opsdesk.ActionOpen, "", "", ""},
			{"reject needs a reason", f.ops, rej, opsdesk.ActionRejected, " ", opsdesk.KindInvalid, "reason"},
			{"agent cannot reject", f.agent, rej, opsdesk.ActionRejected, "dup", opsdesk.KindForbidden, ""},
			{"ops manager rejects", f.ops, rej, opsdesk.ActionRejected, "duplicate of the problem action", "", ""},
			{"rejected stays rejected", f.ops, rej, opsdesk.ActionOpen, "", opsdesk.KindInvalid, "status"},
			{"open cannot jump back to proposed", f.agent, acc, opsdesk.ActionProposed, "", opsdesk.KindInvalid, "status"},
			{"agent starts", f.agent, acc, opsdesk.ActionInProgress, "", "", ""},
			{"agent cannot cancel", f.agent, acc, opsdesk.ActionCancelled, "no", opsdesk.KindForbidden, ""},
			{"agent finishes", f.agent, acc, opsdesk.ActionDone, "", "", ""},
			{"done is final", f.ops, acc, opsdesk.ActionCancelled, "late", opsdesk.KindInvalid, "status"},
		}
		for _, s := range steps {
			a, err := db.MoveAction(as(s.user), s.id, s.to, s.reason)
			if s.kind == "" {
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if a.Status != s.to {
					t.Fatalf("%s: status %s, want %s", s.name, a.Status, s.to)
				}
				continue
			}
			if !opsdesk.IsKind(err, s.kind) {
				t.Fatalf("%s: err %v, want %s", s.name, err, s.kind)
			}
			if s.field != "" && opsdesk.ErrorField(err) != s.field {
				t.Fatalf("%s: field %q, want %q", s.name, opsdesk.ErrorField(err), s.field)
			}
		}
		done, err := db.Action(as(f.agent), acc)
		if err != nil {
			t.Fatal(err)
		}
		if done.ClosedAt.IsZero() || done.ClosedBy == "" {
			t.Errorf("done action: closed at %v by %q, want both set", done.ClosedAt, done.ClosedBy)
		}
		r, err := db.Action(as(f.agent), rej)
		if err != nil || r.Reason != "duplicate of the problem action" {
			t.Fatalf("rejected action: reason %q, %v", r.Reason, err)
		}
		hist, err := db.ActionHistory(as(f.agent), acc)
		if err != nil {
			t.Fatal(err)
		}
		var changes []string
		for _, h := range hist {
			changes = append(changes, h.Change)
		}
		want := []string{"suggested", "status:open", "status:in_progress", "status:done"}
		if len(changes) != len(want) {
			t.Fatalf("history %v, want %v", changes, want)
		}
		for i := range want {
			if changes[i] != want[i] {
				t.Fatalf("history %v, want %v", changes, want)
			}
		}
	})
}

func TestCAPAEffectivenessAfterDone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		a := &opsdesk.Action{Kind: opsdesk.ActionCorrective, Title: " Rotate logs ", Source: opsdesk.SourceManual, OwnerID: f.agent.ID}
		if err := db.CreateAction(as(f.agent), a); err != nil {
			t.Fatal(err)
		}
		if a.Status != opsdesk.ActionOpen || a.Title != "Rotate logs" {
			t.Fatalf("created: status %s title %q", a.Status, a.Title)
		}
		if _, err := db.RecordEffectiveness(as(f.agent), a.ID, true, ""); opsdesk.ErrorField(err) != "status" {
			t.Fatalf("check before done: %v, want invalid status", err)
		}
		if _, err := db.MoveAction(as(f.agent), a.ID, opsdesk.ActionDone, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordEffectiveness(as(f.agent), a.ID, false, ""); opsdesk.ErrorField(err) != "note" {
			t.Fatalf("recurred without a note: %v, want invalid note", err)
		}
		got, err := db.RecordEffectiveness(as(f.ops), a.ID, false, "disk filled again on 3 May")
		if err != nil {
			t.Fatal(err)
		}
		if got.Effective == nil || *got.Effective || got.CheckNote != "disk filled again on 3 May" || got.CheckedAt.IsZero() {
			t.Fatalf("check not stored: %+v", got)
		}
	})
}

func TestCAPAValidationAndCustomers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		bad := []struct {
			a     opsdesk.Action
			field string
		}{
			{opsdesk.Action{Kind: "other", Title: "x", Source: opsdesk.SourceManual}, "kind"},
			{opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: " ", Source: opsdesk.SourceManual}, "title"},
			{opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: "x", Source: "mail"}, "source"},
			{opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: "x", Source: opsdesk.SourceProblem}, "source_id"},
			{opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: "x", Source: opsdesk.SourceSLABreach, SourceID: 1}, "source_clock"},
			{opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: "x", Source: opsdesk.SourceManual, DueDay: "31/12/2027"}, "due_day"},
			{opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: "x", Source: opsdesk.SourceManual, OwnerID: f.custA.ID}, "owner"},
		}
		for _, b := range bad {
			err := db.CreateAction(as(f.agent), &b.a)
			if opsdesk.ErrorField(err) != b.field {
				t.Errorf("%+v: err %v, want invalid %s", b.a, err, b.field)
			}
		}
		a := &opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: "Review access", Source: opsdesk.SourceAudit, SourceID: 7, DueDay: "2027-12-31"}
		if err := db.CreateAction(as(f.pm), a); err != nil {
			t.Fatal(err)
		}
		cust := as(f.custA)
		checks := map[string]error{
			"create": db.CreateAction(cust, &opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: "x", Source: opsdesk.SourceManual}),
		}
		_, checks["read"] = db.Action(cust, a.ID)
		_, checks["list"] = db.Actions(cust, "")
		_, checks["history"] = db.ActionHistory(cust, a.ID)
		_, checks["move"] = db.MoveAction(cust, a.ID, opsdesk.ActionDone, "")
		_, checks["check"] = db.RecordEffectiveness(cust, a.ID, true, "")
		_, checks["suggest"] = db.SuggestActions(cust)
		_, checks["update"] = db.UpdateAction(cust, a)
		for name, err := range checks {
			if !opsdesk.IsKind(err, opsdesk.KindNotFound) {
				t.Errorf("customer %s: %v, want not found", name, err)
			}
		}
	})
}
