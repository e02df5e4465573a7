package followup_test

import (
	"context"
	"flag"
	"io"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/followup"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

func resolveConfig(t *testing.T, env map[string]string) (config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	b := config.Bind(fs, func(k string) string { return env[k] })
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	return b.Resolve()
}

func TestFromConfig(t *testing.T) {
	cfg, err := resolveConfig(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := followup.FromConfig(cfg); o.Days != 5 || o.LinkValidity != 30*24*time.Hour {
		t.Errorf("defaults: %+v", o)
	}
	cfg, err = resolveConfig(t, map[string]string{"OPSDESK_AUTOCLOSE_DAYS": "0", "OPSDESK_SURVEY_LINK_DAYS": "7"})
	if o := followup.FromConfig(cfg); err != nil || o.Days != 0 || o.LinkValidity != 7*24*time.Hour {
		t.Errorf("set: %+v %v", o, err)
	}
	for _, env := range []map[string]string{{"OPSDESK_AUTOCLOSE_DAYS": "-1"}, {"OPSDESK_AUTOCLOSE_DAYS": "x"}, {"OPSDESK_SURVEY_LINK_DAYS": "0"}} {
		if _, err := resolveConfig(t, env); err == nil {
			t.Errorf("%v accepted", env)
		}
	}
}

// TestAutoClose: a ticket resolved on a Friday closes after five business days of the default
// (French) calendar, not before; the survey links' validity follows the options.
func TestAutoClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.SeedDefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		now := time.Date(2027, 6, 4, 15, 0, 0, 0, paris) // a Friday
		db.Now = func() time.Time { return now }
		followup.Register(jobs.New(db, jobs.Options{}), db, followup.Options{Days: 5, LinkValidity: 10 * 24 * time.Hour})
		t.Cleanup(func() { db.SetSurveyValidity(0) })

		acme := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
		if err := db.CreateCustomer(admin, acme); err != nil {
			t.Fatal(err)
		}
		agent := &opsdesk.User{Email: "n1@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1}
		if err := db.CreateUser(admin, agent, ""); err != nil {
			t.Fatal(err)
		}
		tk, err := db.CreateTicket(admin, &opsdesk.NewTicket{CustomerID: acme.ID, RequesterEmail: "ann@acme.example",
			Severity: "minor", Category: "application", Subject: "s", Description: "d"})
		if err != nil {
			t.Fatal(err)
		}
		ag := opsdesk.WithActor(context.Background(), opsdesk.ActorOf(agent))
		if _, err := db.Take(ag, tk.Key); err != nil {
			t.Fatal(err)
		}
		st := opsdesk.StatusResolved
		if _, err := db.UpdateTicket(ag, tk.Key, opsdesk.TicketPatch{Status: &st, Resolution: &opsdesk.Resolution{Summary: "Fixed", Cause: "defect"}}); err != nil {
			t.Fatal(err)
		}
		list, err := db.TicketSurveys(admin, tk.Key)
		if err != nil || len(list) != 1 || !list[0].ExpiresAt.Equal(list[0].OpenedAt.Add(10*24*time.Hour)) {
			t.Fatalf("survey: %+v %v", list, err)
		}
		// Mon 7 .. Fri 11 June 2027 are the five business days (no holiday that week).
		for _, c := range []struct {
			at   time.Time
			want int
		}{
			{time.Date(2027, 6, 11, 23, 0, 0, 0, paris), 0},
			{time.Date(2027, 6, 12, 0, 0, 0, 0, paris), 1},
			{time.Date(2027, 6, 13, 0, 0, 0, 0, paris), 0},
		} {
			now = c.at
			keys, err := followup.CloseUnanswered(context.Background(), db, 5)
			if err != nil || len(keys) != c.want {
				t.Fatalf("at %s: %v %v, want %d closed", c.at, keys, err, c.want)
			}
		}
		hist, _ := db.History(admin, tk.Key)
		if last := hist[len(hist)-1]; last.New != "closed" || last.Reason != "closed without an answer after 5 business days" || last.ActorLabel != "followup" {
			t.Errorf("last history line: %+v", last)
		}
	})
}
