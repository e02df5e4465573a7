package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type planRowJSON struct {
	Rank     int    `json:"rank"`
	Kind     string `json:"kind"`
	ID       int64  `json:"id"`
	Ref      string `json:"ref"`
	Customer string `json:"customer"`
	Score    int64  `json:"score"`
	Terms    []struct {
		Name         string `json:"name"`
		Contribution int64  `json:"contribution"`
		Reason       string `json:"reason"`
	} `json:"terms"`
	Override *struct {
		ID     int64  `json:"id"`
		Pin    bool   `json:"pin"`
		Reason string `json:"reason"`
		By     string `json:"by"`
	} `json:"override"`
}

type planJSON struct {
	Items []planRowJSON `json:"items"`
	Total int           `json:"total"`
}

// TestPlanAPI checks the ranked list and its explanation, the filters, and the overrides: a
// breached blocking ticket on production comes first; a pin by the ops manager places another
// ticket above it and is kept in history once removed; agents may not pin.
func TestPlanAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		paris, err := time.LoadLocation("Europe/Paris")
		must(t, err)
		now := time.Date(2027, 3, 1, 9, 0, 0, 0, paris) // a Monday, in business hours
		db.Now = func() time.Time { return now }
		blocking := e.file("alice", map[string]any{"environment": "prod", "severity": "blocking", "subject": "Down", "impact": "all users blocked since 8:50, no order can be taken"})
		minor := e.file("bob", map[string]any{"subject": "Typo"})
		e.refresh(blocking.Number, minor.Number)
		now = now.Add(2 * time.Hour) // the blocking ticket's take-charge target (1 h) is past

		var p planJSON
		e.do("n1", "GET", "/api/v1/plan", nil).want(t, http.StatusOK, &p)
		if p.Total != 2 || len(p.Items) != 2 || p.Items[0].Ref != blocking.Number || p.Items[0].Customer != "ACME" || p.Items[1].Ref != minor.Number {
			t.Fatalf("plan = %+v", p)
		}
		first := p.Items[0]
		var sum int64
		reasons := map[string]bool{}
		for _, term := range first.Terms {
			sum += term.Contribution
			reasons[term.Reason] = true
		}
		if sum != first.Score || !reasons["plan.reason.blocking_prod_at_risk"] || !reasons["plan.reason.sla_breached"] || !reasons["plan.reason.severity_prod"] {
			t.Errorf("first row's terms %+v do not explain score %d", first.Terms, first.Score)
		}
		// A filtered row keeps its rank in the whole plan.
		var g planJSON
		e.do("n2", "GET", "/api/v1/plan?customer=GLOBEX", nil).want(t, http.StatusOK, &g)
		if len(g.Items) != 1 || g.Items[0].Ref != minor.Number || g.Items[0].Rank != 2 || g.Total != 2 {
			t.Errorf("GLOBEX's plan = %+v", g)
		}
		e.do("n1", "GET", "/api/v1/plan?level=N9", nil).problem(t, http.StatusUnprocessableEntity, "level")
		e.do("n1", "GET", "/api/v1/plan?customer=NOPE", nil).problem(t, http.StatusNotFound, "customer")

		pin := map[string]any{"kind": "ticket", "id": p.Items[1].ID, "pin": true, "reason": "customer escalation"}
		e.do("n1", "POST", "/api/v1/plan/overrides", pin).want(t, http.StatusForbidden, nil)
		e.do("ops", "POST", "/api/v1/plan/overrides", map[string]any{"kind": "ticket", "id": p.Items[1].ID, "pin": true}).
			problem(t, http.StatusUnprocessableEntity, "reason")
		var o struct {
			ID int64 `json:"id"`
		}
		e.do("ops", "POST", "/api/v1/plan/overrides", pin).want(t, http.StatusCreated, &o)
		e.do("n1", "GET", "/api/v1/plan", nil).want(t, http.StatusOK, &p)
		if p.Items[0].Ref != minor.Number || p.Items[0].Override == nil || p.Items[0].Override.ID != o.ID ||
			p.Items[0].Override.Reason != "customer escalation" || p.Items[0].Override.By != "ops@vendor.example" || p.Items[1].Override != nil {
			t.Fatalf("pinned plan = %+v", p)
		}
		path := "/api/v1/plan/overrides/" + strconv.FormatInt(o.ID, 10)
		e.do("n1", "DELETE", path, nil).want(t, http.StatusForbidden, nil)
		e.do("root", "DELETE", path, nil).want(t, http.StatusNoContent, nil)
		e.do("root", "DELETE", path, nil).want(t, http.StatusNotFound, nil)
		e.do("n1", "GET", "/api/v1/plan", nil).want(t, http.StatusOK, &p)
		if p.Items[0].Ref != blocking.Number {
			t.Errorf("after removal, first = %s", p.Items[0].Ref)
		}
		var hist struct {
			Items []struct {
				ID           int64   `json:"id"`
				SupersededAt *string `json:"superseded_at"`
			} `json:"items"`
		}
		e.do("n1", "GET", "/api/v1/plan/overrides", nil).want(t, http.StatusOK, &hist)
		if len(hist.Items) != 1 || hist.Items[0].ID != o.ID || hist.Items[0].SupersededAt == nil {
			t.Errorf("history = %+v", hist)
		}
	})
}
