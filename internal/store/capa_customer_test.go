package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestCAPACustomerOfSource creates actions without a customer from each kind of source and
// checks the customer each one is given.
func TestCAPACustomerOfSource(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		mk := func(cust int64) *opsdesk.Ticket {
			mail := f.custA.Email
			if cust == f.globex.ID {
				mail = f.custB.Email
			}
			return file(t, db, admin, opsdesk.NewTicket{CustomerID: cust, RequesterEmail: mail, Severity: "minor",
				Impact: "one", Category: "application", Subject: "s", Description: "d", Import: true})
		}
		acme1, acme2, globex1 := mk(f.acme.ID), mk(f.acme.ID), mk(f.globex.ID)
		problem := func(tickets ...*opsdesk.Ticket) int64 {
			p := &opsdesk.Problem{Title: "p"}
			if err := db.CreateProblem(as(f.agent), p); err != nil {
				t.Fatal(err)
			}
			for _, tk := range tickets {
				if _, err := db.LinkTicket(as(f.agent), p.ID, tk.Key); err != nil {
					t.Fatal(err)
				}
			}
			return p.ID
		}
		acmeProblem, mixedProblem, emptyProblem := problem(acme1, acme2), problem(globex1), problem()
		if _, err := db.LinkTicket(as(f.agent), mixedProblem, mk(f.acme.ID).Key); err != nil {
			t.Fatal(err)
		}
		var surveyID int64
		now := time.Now().UnixMilli()
		if err := db.SQL().QueryRow(db.Rebind(`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating)
			VALUES (?, ?, 'answered', ?, ?, 1) RETURNING id`), globex1.ID, f.globex.ID, now, now).Scan(&surveyID); err != nil {
			t.Fatal(err)
		}
		task := &opsdesk.Task{ProjectID: f.globexProj.ID, PhaseCode: "framing", Title: "Audit access rights"}
		if err := db.SaveTask(as(f.pm), task); err != nil {
			t.Fatal(err)
		}
		var targetID int64
		if err := db.SQL().QueryRow(db.Rebind(`INSERT INTO quality_targets (indicator, customer_id, comparator, threshold, period,
			created_by, created_at, updated_at) VALUES ('csat_average', ?, 'ge', 4.2, 'month', 'test', 1, 1) RETURNING id`), f.acme.ID).Scan(&targetID); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name   string
			source opsdesk.ActionSource
			id     int64
			want   int64
		}{
			{"problem of one customer", opsdesk.SourceProblem, acmeProblem, f.acme.ID},
			{"problem of two customers", opsdesk.SourceProblem, mixedProblem, 0},
			{"problem without tickets", opsdesk.SourceProblem, emptyProblem, 0},
			{"sla breach", opsdesk.SourceSLABreach, globex1.ID, f.globex.ID},
			{"probe incident", opsdesk.SourceProbe, acme2.ID, f.acme.ID},
			{"survey", opsdesk.SourceSurvey, surveyID, f.globex.ID},
			{"audit finding", opsdesk.SourceAudit, task.ID, f.globex.ID},
			{"quality target of a customer", opsdesk.SourceQualityTarget, targetID, f.acme.ID},
			{"vanished ticket", opsdesk.SourceSLABreach, 999999, 0},
			{"manual", opsdesk.SourceManual, 0, 0},
		}
		for _, c := range cases {
			a := &opsdesk.Action{Kind: opsdesk.ActionCorrective, Title: c.name, Source: c.source, SourceID: c.id}
			if c.source == opsdesk.SourceSLABreach {
				a.SourceClock = "resolve"
			}
			if err := db.CreateAction(as(f.agent), a); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got, err := db.Action(as(f.agent), a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.CustomerID != c.want {
				t.Errorf("%s: customer %d, want %d", c.name, got.CustomerID, c.want)
			}
		}
		// A customer given explicitly wins over the source's; an unknown one is refused.
		a := &opsdesk.Action{Kind: opsdesk.ActionCorrective, Title: "t", Source: opsdesk.SourceSLABreach, SourceID: globex1.ID,
			SourceClock: "resolve", CustomerID: f.acme.ID}
		if err := db.CreateAction(as(f.agent), a); err != nil || a.CustomerID != f.acme.ID {
			t.Fatalf("explicit customer: %d, %v", a.CustomerID, err)
		}
		bad := &opsdesk.Action{Kind: opsdesk.ActionCorrective, Title: "t", Source: opsdesk.SourceManual, CustomerID: 999999}
		wantErr(t, "unknown customer", db.CreateAction(as(f.agent), bad), opsdesk.KindInvalid, "customer")
		a.CustomerID = f.globex.ID
		if got, err := db.UpdateAction(as(f.agent), a); err != nil || got.CustomerID != f.globex.ID {
			t.Fatalf("update customer: %+v, %v", got, err)
		}
		a.CustomerID = 0
		if got, err := db.UpdateAction(as(f.agent), a); err != nil || got.CustomerID != 0 {
			t.Fatalf("clear customer: %+v, %v", got, err)
		}
		a.CustomerID = 999999
		_, err := db.UpdateAction(as(f.agent), a)
		wantErr(t, "update to an unknown customer", err, opsdesk.KindInvalid, "customer")
	})
}

// TestCAPACustomerScope checks what customers' users read: their own customer's open,
// in-progress and done actions, without internal fields; never another customer's, never a
// proposal, a rejection or a cancellation, never the history; and they never write.
func TestCAPACustomerScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		mk := func(title string, cust int64, to ...opsdesk.ActionStatus) *opsdesk.Action {
			a := &opsdesk.Action{Kind: opsdesk.ActionCorrective, Title: title, Description: "internal notes", Source: opsdesk.SourceManual,
				CustomerID: cust, OwnerID: f.agent.ID, DueDay: "2030-01-31"}
			if err := db.CreateAction(as(f.agent), a); err != nil {
				t.Fatal(err)
			}
			for _, s := range to {
				reason := ""
				if s == opsdesk.ActionCancelled {
					reason = "no longer needed"
				}
				if _, err := db.MoveAction(as(f.ops), a.ID, s, reason); err != nil {
					t.Fatal(err)
				}
			}
			return a
		}
		open := mk("acme open", f.acme.ID)
		started := mk("acme started", f.acme.ID, opsdesk.ActionInProgress)
		done := mk("acme done", f.acme.ID, opsdesk.ActionDone)
		cancelled := mk("acme cancelled", f.acme.ID, opsdesk.ActionCancelled)
		globex := mk("globex open", f.globex.ID)
		internal := mk("vendor's own", 0)
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO capa_actions (kind, title, source, status, customer_id, created_by, created_at, updated_at)
			VALUES ('corrective', 'acme proposed', 'manual', 'proposed', ?, 'test', 1, 1), ('corrective', 'acme rejected', 'manual', 'rejected', ?, 'test', 1, 1)`),
			f.acme.ID, f.acme.ID); err != nil {
			t.Fatal(err)
		}

		titles := func(as []*opsdesk.Action) []string {
			var out []string
			for _, a := range as {
				out = append(out, a.Title)
			}
			slices.Sort(out)
			return out
		}
		cust := as(f.custA)
		got, err := db.ListActions(cust, opsdesk.ActionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"acme done", "acme open", "acme started"}; !slices.Equal(titles(got), want) {
			t.Fatalf("customer list %v, want %v", titles(got), want)
		}
		for _, a := range got {
			if a.Description != "" || a.OwnerID != 0 || a.Source != "" || a.CreatedBy != "" {
				t.Errorf("customer sees internal fields: %+v", a)
			}
		}
		// Asking for another customer, or for proposals, gives nothing more.
		got, err = db.ListActions(cust, opsdesk.ActionFilter{CustomerID: f.globex.ID})
		if err != nil || len(got) != 0 {
			t.Fatalf("customer asking for Globex: %v, %v", titles(got), err)
		}
		got, err = db.ListActions(cust, opsdesk.ActionFilter{Status: []opsdesk.ActionStatus{opsdesk.ActionProposed, opsdesk.ActionRejected}})
		if err != nil || len(got) != 0 {
			t.Fatalf("customer asking for proposals: %v, %v", titles(got), err)
		}
		counts, err := db.CountActions(cust, opsdesk.ActionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[opsdesk.ActionStatus]int{"open": 1, "in_progress": 1, "done": 1}; !mapsEqual(counts.ByStatus, want) {
			t.Fatalf("customer counts %v, want %v", counts.ByStatus, want)
		}
		if a, err := db.Action(cust, started.ID); err != nil || a.Title != "acme started" || a.Description != "" {
			t.Fatalf("customer reads own action: %+v, %v", a, err)
		}
		for _, id := range []int64{cancelled.ID, globex.ID, internal.ID} {
			if _, err := db.Action(cust, id); !opsdesk.IsKind(err, opsdesk.KindNotFound) {
				t.Errorf("customer reads action %d: %v, want not found", id, err)
			}
		}
		if _, err := db.Action(as(f.custB), open.ID); !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			t.Errorf("Globex reads Acme's action: %v, want not found", err)
		}
		_, err = db.ActionHistory(cust, open.ID)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.MoveAction(cust, open.ID, opsdesk.ActionDone, "")
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.UpdateAction(cust, open)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.RecordEffectiveness(cust, done.ID, true, "")
		wantKind(t, err, opsdesk.KindNotFound)
	})
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
