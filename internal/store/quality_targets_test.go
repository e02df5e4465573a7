package store_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestQualityTargetsSave: the migration's two targets, who writes and reads, and the
// field-named refusals.
func TestQualityTargetsSave(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		seeded, err := db.QualityTargets(as(f.agent))
		if err != nil {
			t.Fatal(err)
		}
		if len(seeded) != 2 {
			t.Fatalf("%d seeded targets, want 2: %+v", len(seeded), seeded)
		}
		if s := seeded[0]; s.Indicator != opsdesk.QualitySLATakeCharge || s.Severity != "blocking" || s.Comparator != "ge" ||
			s.Threshold != 95 || s.Period != "month" || !s.Active {
			t.Errorf("first seeded target = %+v, want blocking take-charge compliance ≥ 95 monthly", s)
		}
		if s := seeded[1]; s.Indicator != opsdesk.QualityCSATAverage || s.Severity != "" || s.Threshold != 4.2 || s.Period != "month" || !s.Active {
			t.Errorf("second seeded target = %+v, want satisfaction ≥ 4.2 monthly", s)
		}
		valid := func() opsdesk.QualityTarget {
			return opsdesk.QualityTarget{Indicator: opsdesk.QualityReopen, Comparator: "le", Threshold: 5, Period: "week", Active: true}
		}
		steps := []struct {
			name  string
			as    *opsdesk.User
			edit  func(*opsdesk.QualityTarget)
			kind  opsdesk.Kind
			field string
		}{
			{"an agent", f.agent, nil, opsdesk.KindForbidden, ""},
			{"a customer", f.custA, nil, opsdesk.KindForbidden, ""},
			{"unknown indicator", f.ops, func(q *opsdesk.QualityTarget) { q.Indicator = "happiness" }, opsdesk.KindInvalid, "indicator"},
			{"severity on availability", f.ops, func(q *opsdesk.QualityTarget) { q.Indicator, q.Severity = opsdesk.QualityAvailability, "blocking" },
				opsdesk.KindInvalid, "severity"},
			{"unknown severity", f.ops, func(q *opsdesk.QualityTarget) { q.Severity = "apocalyptic" }, opsdesk.KindInvalid, "severity"},
			{"unknown customer", f.ops, func(q *opsdesk.QualityTarget) { q.CustomerID = 999999 }, opsdesk.KindInvalid, "customer"},
			{"percentage over 100", f.ops, func(q *opsdesk.QualityTarget) { q.Threshold = 120 }, opsdesk.KindInvalid, "threshold"},
			{"negative", f.ops, func(q *opsdesk.QualityTarget) { q.Threshold = -1 }, opsdesk.KindInvalid, "threshold"},
			{"rating over 5", f.ops, func(q *opsdesk.QualityTarget) { q.Indicator, q.Threshold = opsdesk.QualityCSATAverage, 6 }, opsdesk.KindInvalid, "threshold"},
			{"comparator", f.ops, func(q *opsdesk.QualityTarget) { q.Comparator = "gt" }, opsdesk.KindInvalid, "comparator"},
			{"period", f.ops, func(q *opsdesk.QualityTarget) { q.Period = "day" }, opsdesk.KindInvalid, "period"},
			{"not found", f.ops, func(q *opsdesk.QualityTarget) { q.ID = 999999 }, opsdesk.KindNotFound, ""},
		}
		for _, s := range steps {
			q := valid()
			if s.edit != nil {
				s.edit(&q)
			}
			wantErr(t, s.name, db.SaveQualityTarget(as(s.as), &q), s.kind, s.field)
		}
		q := valid()
		q.Severity, q.CustomerID = "blocking", f.acme.ID
		if err := db.SaveQualityTarget(as(f.ops), &q); err != nil || q.ID == 0 || q.CreatedBy != f.ops.Email {
			t.Fatalf("ops manager creates: %+v %v", q, err)
		}
		q.Active, q.Threshold = false, 7.5
		if err := db.SaveQualityTarget(as(f.adm), &q); err != nil {
			t.Fatalf("admin deactivates: %v", err)
		}
		got, err := db.QualityTarget(as(f.agent), q.ID)
		if err != nil || got.Active || got.Threshold != 7.5 || got.CustomerID != f.acme.ID || got.Severity != "blocking" || got.Comparator != "le" {
			t.Fatalf("read back %+v %v", got, err)
		}
		_, err = db.QualityTarget(as(f.custA), q.ID)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.QualityTargets(as(f.custA))
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.QualityResults(as(f.custA), q.ID, 0)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.QualityTarget(as(f.agent), 999999)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.EvaluateQualityTargets(as(f.agent), time.Now())
		wantKind(t, err, opsdesk.KindForbidden)
	})
}

// TestQualityTargetsEvaluate, with an injected clock on Monday 2 March 2026: February's
// satisfaction (3 and 4: 3.5) misses the seeded 4.2 and the previous week's response rate (one
// survey, answered: 100 %) misses ACME's "at most 50 %"; each proposes one action, and only once
// however often it is evaluated. A met target, a period without data and an inactive target
// propose nothing.
func TestQualityTargetsEvaluate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		mkTicket := func() *opsdesk.Ticket {
			return file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email,
				Severity: "minor", Category: "application", Subject: "s", Description: "d", Import: true})
		}
		for _, s := range []struct {
			opened time.Time
			rating int
		}{
			{time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC), 3},
			{time.Date(2026, 2, 25, 12, 0, 0, 0, time.UTC), 4},
		} {
			tk := mkTicket()
			if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating)
				VALUES (?, ?, 'answered', ?, ?, ?)`), tk.ID, f.acme.ID, s.opened.UnixMilli(), s.opened.Add(720*time.Hour).UnixMilli(), s.rating); err != nil {
				t.Fatal(err)
			}
		}
		seeded, err := db.QualityTargets(admin)
		if err != nil || len(seeded) != 2 {
			t.Fatalf("seeded targets: %+v %v", seeded, err)
		}
		takeCharge, csat := seeded[0], seeded[1]
		mk := func(q opsdesk.QualityTarget) *opsdesk.QualityTarget {
			if err := db.SaveQualityTarget(as(f.ops), &q); err != nil {
				t.Fatal(err)
			}
			return &q
		}
		weekly := mk(opsdesk.QualityTarget{Indicator: opsdesk.QualitySurveyResponse, CustomerID: f.acme.ID, Comparator: "le", Threshold: 50, Period: "week", Active: true})
		met := mk(opsdesk.QualityTarget{Indicator: opsdesk.QualityCSATAverage, CustomerID: f.acme.ID, Comparator: "ge", Threshold: 3, Period: "month", Active: true})
		noData := mk(opsdesk.QualityTarget{Indicator: opsdesk.QualityCSATAverage, CustomerID: f.globex.ID, Comparator: "ge", Threshold: 3, Period: "month", Active: true})
		inactive := mk(opsdesk.QualityTarget{Indicator: opsdesk.QualityCSATAverage, Comparator: "ge", Threshold: 5, Period: "month", Active: false})

		type want struct {
			start    string
			measured bool
			value    float64
			met      bool
			action   bool
		}
		expect := map[int64]want{
			takeCharge.ID: {"2026-02-01", false, 0, true, false}, // no blocking clock counted
			csat.ID:       {"2026-02-01", true, 3.5, false, true},
			weekly.ID:     {"2026-02-23", true, 100, false, true},
			met.ID:        {"2026-02-01", true, 3.5, true, false},
			noData.ID:     {"2026-02-01", false, 0, true, false},
		}
		actionOf := map[int64]int64{}
		for run := 1; run <= 2; run++ {
			rs, err := db.EvaluateQualityTargets(admin, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != len(expect) {
				t.Fatalf("run %d: %d results, want %d (the inactive target is skipped): %+v", run, len(rs), len(expect), rs)
			}
			for _, r := range rs {
				w, ok := expect[r.TargetID]
				if !ok {
					t.Fatalf("run %d: a result for target %d (inactive: %d)", run, r.TargetID, inactive.ID)
				}
				if r.PeriodStart.Format(time.DateOnly) != w.start || r.Measured != w.measured || r.Value != w.value || r.Met != w.met || (r.ActionID != 0) != w.action {
					t.Errorf("run %d, target %d: %+v, want %+v", run, r.TargetID, r, w)
				}
				if r.Proposed != (run == 1 && w.action) {
					t.Errorf("run %d, target %d: proposed = %v", run, r.TargetID, r.Proposed)
				}
				if run == 1 {
					actionOf[r.TargetID] = r.ActionID
				} else if r.ActionID != actionOf[r.TargetID] {
					t.Errorf("run 2, target %d: action %d, run 1 had %d", r.TargetID, r.ActionID, actionOf[r.TargetID])
				}
			}
		}
		actions, err := db.Actions(as(f.ops), "")
		if err != nil {
			t.Fatal(err)
		}
		var proposed []*opsdesk.Action
		for _, a := range actions {
			if a.Source == opsdesk.SourceQualityTarget {
				proposed = append(proposed, a)
			}
		}
		if len(proposed) != 2 {
			t.Fatalf("%d quality actions after two evaluations, want 2: %+v", len(proposed), proposed)
		}
		for _, a := range proposed {
			wantKey, wantCustomer := "target:"+strconv.FormatInt(csat.ID, 10)+":2026-02-01", int64(0)
			if a.SourceID == weekly.ID {
				wantKey, wantCustomer = "target:"+strconv.FormatInt(weekly.ID, 10)+":2026-02-23", f.acme.ID
			}
			if a.Status != opsdesk.ActionProposed || a.Kind != opsdesk.ActionCorrective || a.SuggestKey != wantKey || a.CustomerID != wantCustomer || a.Title == "" {
				t.Errorf("action %+v: want proposed corrective, key %s, customer %d", a, wantKey, wantCustomer)
			}
		}

		// A week later the weekly target looks at a week without surveys: measured nothing,
		// proposes nothing; February is evaluated again without a second action.
		now = now.AddDate(0, 0, 7)
		if _, err := db.EvaluateQualityTargets(admin, now); err != nil {
			t.Fatal(err)
		}
		hist, err := db.QualityResults(as(f.agent), weekly.ID, 0)
		if err != nil || len(hist) != 2 {
			t.Fatalf("weekly history = %+v %v, want two periods", hist, err)
		}
		if h := hist[0]; h.PeriodStart.Format(time.DateOnly) != "2026-03-02" || h.Measured || h.ActionID != 0 {
			t.Errorf("latest weekly result %+v: want the week of 2 March, not measured, no action", h)
		}
		if h := hist[1]; h.PeriodStart.Format(time.DateOnly) != "2026-02-23" || h.Met || h.ActionID != actionOf[weekly.ID] {
			t.Errorf("earlier weekly result %+v: want the missed week of 23 February with its action", h)
		}
		last, err := db.LastQualityResults(as(f.agent))
		if err != nil || last[weekly.ID] == nil || last[weekly.ID].PeriodStart.Format(time.DateOnly) != "2026-03-02" || last[inactive.ID] != nil {
			t.Fatalf("last results = %+v %v", last, err)
		}
		if all, err := db.Actions(as(f.ops), opsdesk.ActionProposed); err != nil || countSource(all, opsdesk.SourceQualityTarget) != 2 {
			t.Fatalf("after the third evaluation: %d quality actions, %v; want 2", countSource(all, opsdesk.SourceQualityTarget), err)
		}
	})
}

// TestQualityLastPeriod: the last complete ISO week and month before an instant, in UTC.
func TestQualityLastPeriod(t *testing.T) {
	cases := []struct {
		period     string
		now        time.Time
		start, end string
	}{
		{"week", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "2026-02-23", "2026-03-02"}, // Monday midnight: the week just ended
		{"week", time.Date(2026, 3, 8, 23, 59, 0, 0, time.UTC), "2026-02-23", "2026-03-02"},
		{"week", time.Date(2027, 1, 3, 12, 0, 0, 0, time.UTC), "2026-12-21", "2026-12-28"}, // a Sunday across the year
		{"month", time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), "2026-02-01", "2026-03-01"},
		{"month", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "2026-12-01", "2027-01-01"},
		{"month", time.Date(2026, 3, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "2026-01-01", "2026-02-01"}, // still February in UTC
	}
	for _, c := range cases {
		q := opsdesk.QualityTarget{Period: c.period}
		s, e := q.LastPeriod(c.now)
		if s.Format(time.DateOnly) != c.start || e.Format(time.DateOnly) != c.end || s.Location() != time.UTC || !s.Equal(s.Truncate(24*time.Hour)) {
			t.Errorf("%s at %s: [%s, %s), want [%s, %s)", c.period, c.now, s, e, c.start, c.end)
		}
	}
}

func countSource(list []*opsdesk.Action, src opsdesk.ActionSource) int {
	n := 0
	for _, a := range list {
		if a.Source == src {
			n++
		}
	}
	return n
}
