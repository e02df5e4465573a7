package steerwatch

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestCAPAJobSuggestsOnce runs the registered job's handler twice over a desk with a problem of
// three tickets and an answer rated 1: the first run proposes both, logged; the second nothing.
func TestCAPAJobSuggestsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sys := opsdesk.WithActor(context.Background(), opsdesk.System("test"))
		now := time.Date(2027, 6, 1, 6, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		if err := db.SeedDefaults(sys); err != nil {
			t.Fatal(err)
		}
		acme := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
		if err := db.CreateCustomer(sys, acme); err != nil {
			t.Fatal(err)
		}
		p := &opsdesk.Problem{Title: "Disk full"}
		if err := db.CreateProblem(sys, p); err != nil {
			t.Fatal(err)
		}
		var last *opsdesk.Ticket
		for range 3 {
			tk, err := db.CreateTicket(sys, &opsdesk.NewTicket{CustomerID: acme.ID, RequesterEmail: "ann@acme.example",
				Severity: "minor", Category: "application", Subject: "s", Description: "d", Import: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.LinkTicket(sys, p.ID, tk.Key); err != nil {
				t.Fatal(err)
			}
			last = tk
		}
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating)
			VALUES (?, ?, 'answered', ?, ?, 1)`), last.ID, acme.ID, now.UnixMilli(), now.Add(time.Hour).UnixMilli()); err != nil {
			t.Fatal(err)
		}

		var log bytes.Buffer
		run := capaHandler(db, slog.New(slog.NewTextHandler(&log, nil)))
		if err := run(context.Background(), &opsdesk.Job{}); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(log.String(), "capa: action proposed"); n != 2 {
			t.Fatalf("first run logged %d proposals, want 2:\n%s", n, log.String())
		}
		log.Reset()
		now = now.Add(15 * time.Minute)
		if err := run(context.Background(), &opsdesk.Job{}); err != nil {
			t.Fatal(err)
		}
		if log.Len() != 0 {
			t.Fatalf("second run logged:\n%s", log.String())
		}
		all, err := db.ListActions(sys, opsdesk.ActionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		sources := map[opsdesk.ActionSource]int{}
		for _, a := range all {
			if a.Status != opsdesk.ActionProposed || a.CreatedBy != "steerwatch" {
				t.Errorf("suggestion %+v", a)
			}
			sources[a.Source]++
		}
		if len(all) != 2 || sources[opsdesk.SourceProblem] != 1 || sources[opsdesk.SourceSurvey] != 1 {
			t.Fatalf("stored after two runs: %v", sources)
		}
	})
}
