package app_test

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/app"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestSLAWarnReachesTheWatcher builds the program's wiring from OPSDESK_SLA_WARN=0.9: the
// scheduler warns at 90 % of a target, not at the default 75 %, and the warning is mailed to
// the agents through the notifier.
func TestSLAWarnReachesTheWatcher(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	admin := opsdesk.WithActor(context.Background(), opsdesk.System("test"))
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"OPSDESK_SLA_WARN": "0.9", "OPSDESK_DATA_DIR": t.TempDir(),
				"OPSDESK_DATABASE_URL": storetest.DSN(t, d), "OPSDESK_BASE_URL": "https://desk.vendor.example"}
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			b := config.Bind(fs, func(k string) string { return env[k] })
			if err := fs.Parse(nil); err != nil {
				t.Fatal(err)
			}
			cfg, err := b.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			db, err := app.Open(context.Background(), cfg, quiet)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			now := at("2027-03-01 08:00") // a Monday, in the default French calendar
			db.Now = func() time.Time { return now }
			a, err := app.New(cfg, db, quiet, "test")
			if err != nil {
				t.Fatal(err)
			}

			acme := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
			if err := db.CreateCustomer(admin, acme); err != nil {
				t.Fatal(err)
			}
			agent := &opsdesk.User{Email: "n1@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1}
			alice := &opsdesk.User{Email: "alice@acme.example", Role: opsdesk.RoleCustomer, CustomerID: acme.ID}
			for _, u := range []*opsdesk.User{agent, alice} {
				if err := db.CreateUser(admin, u, ""); err != nil {
					t.Fatal(err)
				}
			}
			// 09:00, a major anomaly: 2 h to take it in charge. 75 % is 10:30, 90 % is 10:48.
			now = at("2027-03-01 09:00")
			tk, err := db.CreateTicket(opsdesk.WithActor(context.Background(), opsdesk.ActorOf(alice)),
				&opsdesk.NewTicket{Severity: "major", Category: "application", Subject: "Slow", Description: "Very slow."})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.SLA.OnTicketEvent(context.Background(), opsdesk.TicketEvent{TicketID: tk.ID, Key: tk.Key}); err != nil {
				t.Fatal(err)
			}
			now = at("2027-03-01 10:40")
			if alerts, err := a.SLA.Tick(context.Background()); err != nil || len(alerts) != 0 {
				t.Fatalf("at 10:40 (past 75 %%, before 90 %%): alerts %v, %v; want none", alerts, err)
			}
			now = at("2027-03-01 10:50")
			alerts, err := a.SLA.Tick(context.Background())
			if err != nil || len(alerts) != 1 {
				t.Fatalf("at 10:50: alerts %v, %v; want one warning", alerts, err)
			}
			if w := alerts[0]; w.Kind != store.AlertWarn || !w.DueAt.Equal(at("2027-03-01 10:48")) {
				t.Errorf("warning %s due %v, want warn due 10:48 (90 %% of 2 h)", w.Kind, w.DueAt.In(paris))
			}

			// The sla.alert job, run by the program's own runner, mails the agent.
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { a.Jobs.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			deadline := time.Now().Add(20 * time.Second)
			for {
				ms, err := db.ListOutbox(admin, store.OutboxFilter{TicketKey: tk.Key})
				if err != nil {
					t.Fatal(err)
				}
				found := 0
				for _, m := range ms {
					if m.Kind == "sla_warning" {
						found++
						if m.To != agent.Email {
							t.Fatalf("SLA warning mailed to %s, want %s", m.To, agent.Email)
						}
					}
				}
				if found == 1 {
					break
				}
				if found > 1 || time.Now().After(deadline) {
					t.Fatalf("%d SLA warning mails in the outbox, want 1", found)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
