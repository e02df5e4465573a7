package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// probeCheck records one check of probe id at at, the clock moved there (the other probes put
// out of the way).
func probeCheck(t *testing.T, db *store.DB, now *time.Time, id int64, at time.Time, ok bool) {
	t.Helper()
	*now = at
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE env_probes SET next_due = ? WHERE id <> ?`, []any{at.Add(365 * 24 * time.Hour).UnixMilli(), id}},
		{`UPDATE env_probes SET next_due = ?, lease_owner = '', lease_until = NULL WHERE id = ?`, []any{at.UnixMilli(), id}},
	} {
		if _, err := db.SQL().Exec(db.Rebind(q.sql), q.args...); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := db.ClaimDueProbes(context.Background(), "test", 1, time.Minute)
	if err != nil || len(cs) != 1 {
		t.Fatalf("claim: %v %v", cs, err)
	}
	r := &opsdesk.ProbeResult{At: at, OK: ok, StatusCode: 200, Latency: time.Millisecond}
	if !ok {
		r.StatusCode, r.Error = 500, "status 500"
	}
	if _, err := db.RecordProbeResult(context.Background(), cs[0], r, store.ProbeIncidentOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestSendMonthlyReport mails GLOBEX's March 2027 (London calendar): two tickets created, one
// resolved in time and rated 4; its Production (availability not shown to the customer) down
// twice, its Production 2 (shown) up 3 checks of 4; one open action. Bob gets English, Claire
// French, the disabled user's contact nothing; the headline figures are the customer's view.
func TestSendMonthlyReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newEnvFixture(t, db)
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		london := func(s string) time.Time {
			v, err := time.ParseInLocation("2006-01-02 15:04", s, f.london)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		gone := &opsdesk.User{Email: "gone@globex.example", Name: "Gone", Role: opsdesk.RoleCustomer, CustomerID: f.globex.ID}
		must(nil, db.CreateUser(admin, gone, ""))
		gone.Disabled = true
		must(nil, db.UpdateUser(admin, gone))

		now = london("2027-03-01 09:00")
		t1 := file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Export"})
		file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Search"})
		now = london("2027-03-01 09:30")
		must(db.Take(as(f.n1en), t1.Key))
		now = london("2027-03-01 11:00")
		resolved := opsdesk.StatusResolved
		must(db.UpdateTicket(as(f.n1en), t1.Key, opsdesk.TicketPatch{Status: &resolved,
			Resolution: &opsdesk.Resolution{Summary: "Fixed", Cause: "defect"}}))
		solved := true
		must(db.AnswerSurvey(as(f.bob), t1.Key, opsdesk.SurveyAnswer{Solved: &solved, Rating: 4}))
		if _, err := db.RefreshTicketClocks(admin, t1.ID, store.SLAOptions{}); err != nil {
			t.Fatal(err)
		}

		shown := &opsdesk.Environment{CustomerID: f.globex.ID, Kind: opsdesk.EnvProd, Name: "Production 2"}
		must(nil, db.CreateEnvironment(admin, shown))
		must(db.SetEnvironmentVisibility(admin, shown.ID, opsdesk.EnvVisibility{ShowAvailability: true}))
		hidden := &opsdesk.Probe{EnvironmentID: f.globexProd.ID, Name: "Home", URL: "https://globex.example", Threshold: 100, Enabled: true}
		visible := &opsdesk.Probe{EnvironmentID: shown.ID, Name: "Home", URL: "https://two.globex.example", Threshold: 100, Enabled: true}
		for _, p := range []*opsdesk.Probe{hidden, visible} {
			must(nil, db.CreateProbe(admin, p))
		}
		for i, ok := range []bool{true, false, true, true} {
			probeCheck(t, db, &now, visible.ID, london("2027-03-10 10:00").Add(time.Duration(i)*time.Hour), ok)
		}
		probeCheck(t, db, &now, hidden.ID, london("2027-03-11 10:00"), false)
		probeCheck(t, db, &now, hidden.ID, london("2027-03-11 11:00"), false)
		must(nil, db.CreateAction(admin, &opsdesk.Action{Kind: opsdesk.ActionCorrective, Title: "Fix exports",
			Source: opsdesk.SourceManual, CustomerID: f.globex.ID}))

		now = london("2027-04-01 09:00")
		staff := as(f.ops)
		added, err := n.SendMonthlyReport(staff, f.globex.ID, 2027, time.March, time.Time{})
		if err != nil || added != 2 {
			t.Fatalf("sent %d (%v), want 2: Bob and Claire", added, err)
		}
		mails := mailsOf(t, db, notify.KindMonthlyReport)
		if len(mails) != 2 || len(mails["bob@globex.example"]) != 1 || len(mails["claire@globex.example"]) != 1 {
			t.Fatalf("mails to %v", mails)
		}
		for _, c := range []struct {
			to   string
			lang opsdesk.Lang
			want []string
		}{
			{"bob@globex.example", opsdesk.LangEN, []string{"Service report March 2027", "Tickets created:          2",
				"Tickets resolved:         1", "Still open at month end:  1", "SLA targets met:          100.0%",
				"Availability (production): 75.00%", "Satisfaction:             4.0 / 5 (1 answers)", "Open actions:             1",
				"https://desk.vendor.example/report?month=2027-03"}},
			{"claire@globex.example", opsdesk.LangFR, []string{"Rapport de service mars 2027", "Tickets créés :               2",
				"Disponibilité (production) :  75,00\u00a0%", "Satisfaction :                4,0 / 5 (1 réponses)"}},
		} {
			m := mails[c.to][0]
			body := m.Subject + "\n" + m.Text
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("mail to %s lacks %q:\n%s", c.to, w, body)
				}
			}
			if m.Lang != c.lang || !m.CustomerFacing || m.AutoSubmitted != "auto-generated" || !strings.Contains(m.HTML, "report?month=2027-03") {
				t.Errorf("mail to %s: lang %s, customer facing %v, auto %q", c.to, m.Lang, m.CustomerFacing, m.AutoSubmitted)
			}
		}

		// The scheduled key: a second scheduled send adds nothing; a send on demand goes again.
		if added, err := n.SendMonthlyReport(staff, f.globex.ID, 2027, time.March, time.Time{}); err != nil || added != 0 {
			t.Errorf("second scheduled send added %d (%v)", added, err)
		}
		if added, err := n.SendMonthlyReport(staff, f.globex.ID, 2027, time.March, now); err != nil || added != 2 {
			t.Errorf("send on demand added %d (%v), want 2", added, err)
		}
		_, err = n.SendMonthlyReport(as(f.bob), f.globex.ID, 2027, time.March, now)
		if opsdesk.ErrorKind(err) != opsdesk.KindForbidden {
			t.Errorf("a customer user sending: %v", err)
		}
	})
}
