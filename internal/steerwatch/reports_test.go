package steerwatch_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/steerwatch"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// TestFirstBusinessDay checks the French calendar's first business days against the calendar of
// 2027: May starts with a holiday on a Saturday, August and November on a Sunday and a holiday.
func TestFirstBusinessDay(t *testing.T) {
	cal := sla.FrenchCalendar()
	for _, c := range []struct {
		month time.Month
		want  string
	}{
		{time.January, "2027-01-04"},  // Friday 1st is New Year's Day; then a weekend
		{time.March, "2027-03-01"},    // a Monday
		{time.May, "2027-05-03"},      // Saturday 1st (Labour Day), Sunday 2nd
		{time.August, "2027-08-02"},   // Sunday 1st
		{time.November, "2027-11-02"}, // Monday 1st is All Saints' Day
	} {
		got := steerwatch.FirstBusinessDay(cal, 2027, c.month)
		if got.Format(time.DateOnly) != c.want || got.Hour() != 0 || got.Location().String() != "Europe/Paris" {
			t.Errorf("%s: first business day %v, want %s at midnight in Paris", c.month, got, c.want)
		}
	}
}

// TestScheduledReports runs the schedule under an injected clock: nothing before the first
// business day of May 2027 at 08:00 in Paris, April's report to ACME's two contacts then, nothing
// again that day or the next, none for GLOBEX whose report is off; a send on demand afterwards
// still goes.
func TestScheduledReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var now time.Time
		db.Now = func() time.Time { return now }
		if err := db.SeedDefaults(admin); err != nil {
			t.Fatal(err)
		}
		if err := db.SeedSLADefaults(admin); err != nil {
			t.Fatal(err)
		}
		acme := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}, Lang: opsdesk.LangFR}
		globex := &opsdesk.Customer{Code: "GLOBEX", Name: "Globex", Domains: []string{"globex.example"}, Lang: opsdesk.LangEN}
		for _, c := range []*opsdesk.Customer{acme, globex} {
			if err := db.CreateCustomer(admin, c); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []*opsdesk.Contact{
			{CustomerID: acme.ID, Email: "alice@acme.example", Name: "Alice"},
			{CustomerID: acme.ID, Email: "dan@acme.example", Name: "Dan", Lang: opsdesk.LangEN},
			{CustomerID: globex.ID, Email: "bob@globex.example", Name: "Bob"},
		} {
			if err := db.CreateContact(admin, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetMonthlyReport(admin, globex.ID, false); err != nil {
			t.Fatal(err)
		}
		n, err := notify.New(db, notify.Options{BaseURL: "https://desk.example", Lang: opsdesk.LangEN})
		if err != nil {
			t.Fatal(err)
		}
		opt := steerwatch.ReportOptions{Hour: 8}
		for _, step := range []struct {
			at   string // Paris wall time
			want int
		}{
			{"2027-04-30 09:00", 0}, // April's last day
			{"2027-05-01 09:00", 0}, // Saturday, Labour Day
			{"2027-05-03 07:59", 0}, // the first business day, before the hour
			{"2027-05-03 08:00", 2}, // ACME's two contacts
			{"2027-05-03 08:15", 0}, // the next run that day
			{"2027-05-03 17:00", 0},
			{"2027-05-04 09:00", 0}, // the day after
		} {
			now, _ = time.ParseInLocation("2006-01-02 15:04", step.at, paris)
			got, err := steerwatch.SendScheduledReports(context.Background(), n, db, opt)
			if err != nil || got != step.want {
				t.Fatalf("%s: queued %d (%v), want %d", step.at, got, err, step.want)
			}
		}
		mails, err := db.ListOutbox(admin, store.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var to []string
		for _, m := range mails {
			to = append(to, m.To+" "+string(m.Lang))
			if m.Kind != "monthly_report" || !strings.Contains(m.Text, "https://desk.example/report?month=2027-04") {
				t.Errorf("mail to %s: kind %s, text %q", m.To, m.Kind, m.Text)
			}
		}
		slices.Sort(to)
		if want := []string{"alice@acme.example fr", "dan@acme.example en"}; !slices.Equal(to, want) {
			t.Fatalf("mails to %v, want %v", to, want)
		}
		// A second instance running the same day sends nothing more.
		now, _ = time.ParseInLocation("2006-01-02 15:04", "2027-05-03 08:30", paris)
		if got, err := steerwatch.SendScheduledReports(context.Background(), n, db, opt); err != nil || got != 0 {
			t.Fatalf("second run: %d %v", got, err)
		}
		// On demand, after the schedule: sent again.
		staff := opsdesk.WithActor(context.Background(), opsdesk.Actor{Role: opsdesk.RoleOpsManager, Label: "ops"})
		if got, err := n.SendMonthlyReport(staff, acme.ID, 2027, time.April, now); err != nil || got != 2 {
			t.Fatalf("on demand: %d %v, want 2", got, err)
		}
	})
}
