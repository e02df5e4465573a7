package demo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/demo"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// demoNow is the instant the tests' demo history ends at.
var demoNow = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

// generate fills db with the demo ending at demoNow; the store's own clock reads an hour later,
// so that a clock left walking would show.
func generate(t *testing.T, db *store.DB, seed uint64) *demo.Result {
	t.Helper()
	db.Now = func() time.Time { return demoNow.Add(time.Hour) }
	blobs, err := blob.Open(t.TempDir()) // as opsdesk demo does: mail requests go through the intake
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Generate(context.Background(), db, demo.Options{Now: demoNow, Seed: seed, Blobs: blobs})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		res := generate(t, db, 1)
		if got := db.Now(); !got.Equal(demoNow.Add(time.Hour)) {
			t.Errorf("store clock after Generate = %v: not restored", got)
		}
		if on, err := db.IsDemo(admin); err != nil || !on {
			t.Errorf("IsDemo = %v, %v; want marked", on, err)
		}
		n, err := db.CountTickets(admin, opsdesk.TicketFilter{})
		if err != nil || n != res.Tickets || n < 200 || len(res.Customers) != 4 {
			t.Errorf("tickets %d (%v), result says %d; customers %d", n, err, res.Tickets, len(res.Customers))
		}
		// Every printed login signs in with its password.
		roles := map[string]bool{}
		for _, l := range res.Logins {
			if _, err := db.Authenticate(admin, l.Email, l.Password); err != nil {
				t.Errorf("login %s (%s): %v", l.Email, l.Role, err)
			}
			roles[string(l.User.Role)+string(l.User.Level)] = true
		}
		for _, r := range []string{"admin", "ops_manager", "project_manager", "agentN1", "agentN2", "agentN3", "customer"} {
			if !roles[r] {
				t.Errorf("no login for %s: %v", r, roles)
			}
		}
		// No ticket event after the end of the history.
		tks, _, err := db.ListTickets(admin, opsdesk.TicketFilter{Sort: "updated", Desc: true, Limit: 1})
		if err != nil || len(tks) != 1 || tks[0].UpdatedAt.After(demoNow) {
			t.Errorf("latest ticket %+v (%v): updated after the end of the history %v", tks, err, demoNow)
		}
		// A second run refuses: the database is no longer empty.
		if _, err := demo.Generate(context.Background(), db, demo.Options{Now: demoNow}); opsdesk.ErrorKind(err) != opsdesk.KindConflict {
			t.Errorf("second Generate: %v, want a conflict", err)
		}
	})
}

// TestGenerateDeterministic generates twice with the same seed and once with another: the same
// seed gives the same tickets.
func TestGenerateDeterministic(t *testing.T) {
	digest := func(seed uint64) string {
		db := storetest.Open(t, store.SQLite)
		generate(t, db, seed)
		var out string
		for cursor := ""; ; {
			tks, next, err := db.ListTickets(admin, opsdesk.TicketFilter{Sort: "number", Limit: 200, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range tks {
				out += fmt.Sprintln(tk.Key, tk.CustomerCode, tk.Subject, tk.Severity, tk.Status, tk.Level, tk.Channel,
					tk.CreatedAt.UnixMilli(), tk.UpdatedAt.UnixMilli(), tk.ReopenCount)
			}
			if cursor = next; cursor == "" {
				return out
			}
		}
	}
	a, b, c := digest(7), digest(7), digest(8)
	if a != b {
		t.Errorf("seed 7 twice gave different desks")
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave the same desk")
	}
}
