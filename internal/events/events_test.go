package events_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/events"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestEachConsumerOncePerEvent: every consumer receives every event once, with the event's id,
// even when another consumer fails and is retried.
func TestEachConsumerOncePerEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		got := map[string][]string{}
		failures := 0
		record := func(name string) events.Consumer {
			return func(ctx context.Context, id int64, ev opsdesk.TicketEvent) error {
				mu.Lock()
				defer mu.Unlock()
				if name == "flaky" && failures < 2 {
					failures++
					return errors.New("relay down")
				}
				if opsdesk.ActorFrom(ctx).Label != name {
					t.Errorf("consumer %s runs as %q", name, opsdesk.ActorFrom(ctx).Label)
				}
				got[name] = append(got[name], ev.Event+" "+ev.Key)
				return nil
			}
		}
		r := jobs.New(db, jobs.Options{Poll: 5 * time.Millisecond, Backoff: func(int) time.Duration { return 0 },
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		events.Register(r, map[string]events.Consumer{"steady": record("steady"), "flaky": record("flaky")})
		db.SeedDefaults(ctx)
		admin := opsdesk.WithActor(ctx, opsdesk.System("test"))
		c := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
		db.CreateCustomer(admin, c)
		tk, err := db.CreateTicket(admin, &opsdesk.NewTicket{CustomerID: c.ID, RequesterEmail: "a@acme.example", Severity: "minor", Category: "application", Subject: "s", Description: "d"})
		if err != nil {
			t.Fatal(err)
		}
		// A first public answer: a message event and a status change (new → open).
		db.AddMessage(admin, tk.Key, "hello", false, nil)
		go r.Run(ctx)
		deadline := time.Now().Add(20 * time.Second)
		for {
			mu.Lock()
			n := len(got["steady"]) + len(got["flaky"])
			mu.Unlock()
			if n == 6 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("consumers got %v", got)
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		for _, name := range []string{"steady", "flaky"} {
			seen := map[string]int{}
			for _, e := range got[name] {
				seen[e]++
			}
			for _, want := range []string{opsdesk.TicketCreated, opsdesk.TicketMessage, opsdesk.TicketUpdated} {
				if seen[want+" "+tk.Key] != 1 {
					t.Errorf("%s got %v, want each of the three events once", name, got[name])
				}
			}
		}
	})
}
