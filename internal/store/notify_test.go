package store_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestChangesReachEveryInstance: a ticket changed through one instance is announced to the
// subscribers of another instance sharing the database (PostgreSQL, through LISTEN/NOTIFY), and
// to the subscribers of the same instance (both engines).
func TestChangesReachEveryInstance(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			open := func() *store.DB {
				db, err := store.Open(ctx, dsn, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				go db.Listen(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
				return db
			}
			a, b := open(), open()
			a.SeedDefaults(ctx)
			c := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
			a.CreateCustomer(admin, c)
			var receivers []*store.DB
			receivers = append(receivers, a)
			if d == store.Postgres {
				receivers = append(receivers, b)
				for deadline := time.Now().Add(10 * time.Second); !a.Listening() || !b.Listening(); {
					if time.Now().After(deadline) {
						t.Fatal("LISTEN connections did not start")
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
			var subs []<-chan store.TicketChange
			for _, r := range receivers {
				ch, stop := r.Subscribe()
				defer stop()
				subs = append(subs, ch)
			}
			tk, err := a.CreateTicket(admin, &opsdesk.NewTicket{CustomerID: c.ID, RequesterEmail: "x@acme.example", Severity: "minor", Category: "application", Subject: "s", Description: "d"})
			if err != nil {
				t.Fatal(err)
			}
			for i, ch := range subs {
				select {
				case got := <-ch:
					if got.Key != tk.Key || got.Kind != "created" {
						t.Errorf("instance %d heard %+v", i, got)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("instance %d heard nothing", i)
				}
			}
		})
	}
}
