package steerwatch_test

import (
	"context"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/steerwatch"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

var qualitySystem = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

// TestEvaluateQuality runs the job's handler under an injected clock: in June 2027, May's
// satisfaction (one answer rated 2) misses the seeded target of 4.2, so the first run proposes
// one action and the second, an hour later, none.
func TestEvaluateQuality(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 6, 1, 6, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		if err := db.SeedDefaults(qualitySystem); err != nil {
			t.Fatal(err)
		}
		acme := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
		if err := db.CreateCustomer(qualitySystem, acme); err != nil {
			t.Fatal(err)
		}
		tk, err := db.CreateTicket(qualitySystem, &opsdesk.NewTicket{CustomerID: acme.ID, RequesterEmail: "ann@acme.example",
			Severity: "minor", Category: "application", Subject: "s", Description: "d", Import: true})
		if err != nil {
			t.Fatal(err)
		}
		opened := time.Date(2027, 5, 20, 10, 0, 0, 0, time.UTC)
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating)
			VALUES (?, ?, 'answered', ?, ?, 2)`), tk.ID, acme.ID, opened.UnixMilli(), opened.Add(720*time.Hour).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		first, err := steerwatch.EvaluateQuality(context.Background(), db)
		if err != nil || len(first) != 1 {
			t.Fatalf("first run proposed %v, %v; want one action", first, err)
		}
		a, err := db.Action(qualitySystem, first[0])
		if err != nil || a.Source != opsdesk.SourceQualityTarget || a.Status != opsdesk.ActionProposed || a.SuggestKey == "" {
			t.Fatalf("proposed action %+v, %v", a, err)
		}
		now = now.Add(time.Hour)
		if again, err := steerwatch.EvaluateQuality(context.Background(), db); err != nil || len(again) != 0 {
			t.Fatalf("second run proposed %v, %v; want none", again, err)
		}
		actions, err := db.Actions(qualitySystem, "")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range actions {
			if a.Source == opsdesk.SourceQualityTarget {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d quality actions stored after two runs, want 1", n)
		}
	})
}
