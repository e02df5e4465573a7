package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type qualityResultJSON struct {
	PeriodStart string   `json:"period_start"`
	PeriodEnd   string   `json:"period_end"`
	Measured    bool     `json:"measured"`
	Value       *float64 `json:"value"`
	Met         *bool    `json:"met"`
	ActionID    *int64   `json:"action_id"`
}

type qualityTargetJSON struct {
	ID         int64              `json:"id"`
	Indicator  string             `json:"indicator"`
	Unit       string             `json:"unit"`
	Severity   string             `json:"severity"`
	Customer   *string            `json:"customer"`
	Comparator string             `json:"comparator"`
	Threshold  float64            `json:"threshold"`
	Period     string             `json:"period"`
	Active     bool               `json:"active"`
	LastResult *qualityResultJSON `json:"last_result"`
}

// seedQualityTarget gives ACME a quality target of its own (for the isolation table) and
// returns its path.
func (e *env) seedQualityTarget() string {
	e.t.Helper()
	q := &opsdesk.QualityTarget{Indicator: opsdesk.QualitySLAResolve, CustomerID: e.acme.ID, Comparator: "ge", Threshold: 90,
		Period: "month", Active: true}
	must(e.t, e.db.SaveQualityTarget(system, q))
	return "/api/v1/quality-targets/" + strconv.FormatInt(q.ID, 10)
}

// TestQualityTargetsAPI: an ops manager adds, changes and deactivates a target; agents read but
// do not write; bad fields are 422 named, a bad body 400, an unknown target 404; after an
// evaluation the list shows each target's last result and the results route its history.
func TestQualityTargetsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		now := time.Date(2027, 4, 2, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		const p = "/api/v1/quality-targets"
		body := map[string]any{"indicator": "sla_take_charge", "severity": "blocking", "customer": "ACME", "comparator": "ge",
			"threshold": 90, "period": "week"}
		e.do("n1", "POST", p, body).problem(t, http.StatusForbidden, "")
		var made qualityTargetJSON
		r := e.do("ops", "POST", p, body).want(t, http.StatusCreated, &made)
		if made.ID == 0 || made.Customer == nil || *made.Customer != "ACME" || made.Unit != "percent" || !made.Active || made.LastResult != nil ||
			r.header.Get("Location") != p+"/"+strconv.FormatInt(made.ID, 10) {
			t.Fatalf("created %+v (Location %q)", made, r.header.Get("Location"))
		}
		for _, c := range []struct {
			name  string
			edit  func(map[string]any)
			field string
		}{
			{"no threshold", func(b map[string]any) { delete(b, "threshold") }, "threshold"},
			{"unknown indicator", func(b map[string]any) { b["indicator"] = "mood" }, "indicator"},
			{"unknown customer", func(b map[string]any) { b["customer"] = "NOPE" }, "customer"},
			{"severity on availability", func(b map[string]any) { b["indicator"] = "availability" }, "severity"},
			{"percentage over 100", func(b map[string]any) { b["threshold"] = 101 }, "threshold"},
			{"period", func(b map[string]any) { b["period"] = "year" }, "period"},
		} {
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			c.edit(b)
			t.Run(c.name, func(t *testing.T) { e.do("ops", "POST", p, b).problem(t, http.StatusUnprocessableEntity, c.field) })
		}
		e.do("ops", "POST", p, `{"indicator": `).problem(t, http.StatusBadRequest, "*")
		e.do("ops", "POST", p, map[string]any{"indicator": "reopen", "colour": "red"}).problem(t, http.StatusBadRequest, "*")

		one := p + "/" + strconv.FormatInt(made.ID, 10)
		e.do("n1", "PATCH", one, map[string]any{"active": false}).problem(t, http.StatusForbidden, "")
		var changed qualityTargetJSON
		e.do("root", "PATCH", one, map[string]any{"active": false, "customer": nil, "threshold": 97.5}).want(t, http.StatusOK, &changed)
		if changed.Active || changed.Customer != nil || changed.Threshold != 97.5 || changed.Severity != "blocking" || changed.Period != "week" {
			t.Errorf("patched %+v: want inactive, every customer, 97.5, the rest kept", changed)
		}
		e.do("ops", "PATCH", one, map[string]any{"comparator": "gt"}).problem(t, http.StatusUnprocessableEntity, "comparator")
		e.do("ops", "PATCH", p+"/999999", map[string]any{"active": true}).problem(t, http.StatusNotFound, "")
		e.do("n1", "GET", p+"/999999/results", nil).problem(t, http.StatusNotFound, "")

		// March's satisfaction: one answer rated 2 misses the seeded 4.2.
		tk := e.file("alice", map[string]any{"subject": "Slow"})
		opened := time.Date(2027, 3, 15, 9, 0, 0, 0, time.UTC)
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating)
			VALUES ((SELECT id FROM tickets WHERE key = ?), ?, 'answered', ?, ?, 2)`), tk.Number, e.acme.ID, opened.UnixMilli(), opened.Add(720*time.Hour).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EvaluateQualityTargets(system, now); err != nil {
			t.Fatal(err)
		}
		var list struct{ Items []qualityTargetJSON }
		e.do("n1", "GET", p, nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 3 {
			t.Fatalf("%d targets listed, want the 2 seeded and the new one", len(list.Items))
		}
		var csat *qualityTargetJSON
		for i, q := range list.Items {
			switch {
			case q.ID == made.ID && q.LastResult != nil:
				t.Errorf("the inactive target was evaluated: %+v", q.LastResult)
			case q.Indicator == "csat_average":
				csat = &list.Items[i]
			case q.Indicator == "sla_take_charge" && q.ID != made.ID:
				if lr := q.LastResult; lr == nil || lr.Measured || lr.Value != nil || lr.Met != nil || lr.ActionID != nil || lr.PeriodStart != "2027-03-01" {
					t.Errorf("the blocking take-charge target over a month without clocks: %+v", lr)
				}
			}
		}
		if csat == nil || csat.LastResult == nil {
			t.Fatalf("no csat target or result: %+v", list.Items)
		}
		lr := csat.LastResult
		if !lr.Measured || lr.Value == nil || *lr.Value != 2 || lr.Met == nil || *lr.Met || lr.ActionID == nil ||
			lr.PeriodStart != "2027-03-01" || lr.PeriodEnd != "2027-04-01" {
			t.Fatalf("csat's last result %+v: want March, 2, missed, with an action", lr)
		}
		var hist struct{ Items []qualityResultJSON }
		e.do("n2", "GET", p+"/"+strconv.FormatInt(csat.ID, 10)+"/results", nil).want(t, http.StatusOK, &hist)
		if len(hist.Items) != 1 || hist.Items[0].ActionID == nil || *hist.Items[0].ActionID != *lr.ActionID {
			t.Errorf("results = %+v", hist.Items)
		}
		e.do("n1", "GET", p+"/"+strconv.FormatInt(csat.ID, 10)+"/results?limit=501", nil).problem(t, http.StatusUnprocessableEntity, "limit")
		e.do("alice", "GET", p, nil).problem(t, http.StatusForbidden, "")
	})
}
